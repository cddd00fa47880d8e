-- Writes to a step's table by anything but that step (SPEC §6: "its own table as the engine last
-- left it"): a hand edit, another step's script, a TRUNCATE, a migration. A statement-level
-- trigger on every table lp_materialize fills counts them per step; the step's state keeps the
-- count it last absorbed, so a step whose count moved is recomputed on the next run instead of
-- being skipped as unchanged. An extra recompute is possible (an UPDATE that matched no row); a
-- missed edit is not. Only who wrote and when is kept, never a row value.
CREATE TABLE IF NOT EXISTS {{ schemas.meta }}.foreign_writes (
    step     text PRIMARY KEY,
    writes   bigint NOT NULL,         -- only grows
    last_at  timestamptz NOT NULL,
    last_by  text NOT NULL            -- the role and application_name of the last foreign writer
);

ALTER TABLE {{ schemas.meta }}.step_state ADD COLUMN IF NOT EXISTS foreign_writes bigint NOT NULL DEFAULT 0;

-- The trigger's function. SECURITY DEFINER: whoever edits the table by hand may not write the
-- meta schema, and the edit must still be counted. TG_ARGV: the step, and the setting in which
-- the step's own SQL names itself (SET LOCAL before it writes).
CREATE OR REPLACE FUNCTION {{ schemas.meta }}.lp_note_foreign_write() RETURNS trigger
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $function$
BEGIN
    IF current_setting(TG_ARGV[1], true) IS DISTINCT FROM TG_ARGV[0] THEN
        INSERT INTO {{ schemas.meta }}.foreign_writes AS f (step, writes, last_at, last_by)
        VALUES (TG_ARGV[0], 1, now(), format('%s (%s)', session_user, current_setting('application_name')))
        ON CONFLICT (step) DO UPDATE SET writes = f.writes + 1, last_at = EXCLUDED.last_at, last_by = EXCLUDED.last_by;
    END IF;
    RETURN NULL;
END
$function$;

-- Puts the trigger on a step's table once (a catalog lookup on later runs); a table recreated by
-- --full-refresh gets it again.
CREATE OR REPLACE FUNCTION {{ schemas.meta }}.lp_guard(p_target text, p_step text, p_step_setting text, INOUT p_statements text[])
LANGUAGE plpgsql
AS $function$
DECLARE
    v_sql text;
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_trigger WHERE tgrelid = p_target::regclass AND tgname = 'lp_foreign_writes') THEN
        v_sql := format('CREATE TRIGGER lp_foreign_writes AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON %s '
                        'FOR EACH STATEMENT EXECUTE FUNCTION {{ schemas.meta }}.lp_note_foreign_write(%L, %L)',
                        p_target, p_step, p_step_setting);
        EXECUTE v_sql;
        p_statements := p_statements || v_sql;
    END IF;
END
$function$;
