-- Erasure (issue 18, SPEC §9.6): change logs hold keys and the columns their readers name, never
-- a row image, and a run counts the people whose rows it removed, never naming them.

-- What a step's change log keeps: its key and the columns the scopes reading it name in
-- `changes "layer.step" "column" …` (the engine sets it with lp_change_log_columns before the
-- step's rows move). NULL until then; lp_start_change_log fills in the key.
ALTER TABLE "shop_pipeline".change_logs ADD COLUMN IF NOT EXISTS columns text[];

-- Logs written by earlier engines hold whole row images (birth dates, identities): they go, and
-- every log restarts, so each reader recomputes once from its inputs on its next run.
DELETE FROM "shop_pipeline".changes;
UPDATE "shop_pipeline".change_logs
   SET start_seq = nextval(pg_get_serial_sequence('"shop_pipeline".changes', 'seq')), columns = NULL;

-- The part of a row's image a log keeps: the named columns (those the row has).
CREATE OR REPLACE FUNCTION "shop_pipeline".lp_log_image(p_row jsonb, p_columns text[])
RETURNS jsonb
LANGUAGE sql IMMUTABLE
AS $function$
    SELECT coalesce(jsonb_object_agg(e.key, e.value), '{}') FROM jsonb_each(p_row) AS e WHERE e.key = ANY (p_columns)
$function$;

-- The columns a tracked step's log keeps, as its step says before its rows move. A different set
-- restarts the log (its entries lack the new columns), so a reader never finds one missing.
CREATE OR REPLACE FUNCTION "shop_pipeline".lp_change_log_columns(p_step text, p_columns text[])
RETURNS void
LANGUAGE plpgsql
AS $function$
BEGIN
    IF EXISTS (SELECT 1 FROM "shop_pipeline".change_logs WHERE step = p_step AND columns = p_columns) THEN RETURN; END IF;
    DELETE FROM "shop_pipeline".changes WHERE step = p_step;
    INSERT INTO "shop_pipeline".change_logs (step, start_seq, columns)
    VALUES (p_step, nextval(pg_get_serial_sequence('"shop_pipeline".changes', 'seq')), p_columns)
    ON CONFLICT (step) DO UPDATE SET start_seq = EXCLUDED.start_seq, columns = EXCLUDED.columns;
END
$function$;

-- The columns a step's log keeps; LP003 when the step has none to log.
CREATE OR REPLACE FUNCTION "shop_pipeline".lp_logged_columns(p_step text)
RETURNS text[]
LANGUAGE plpgsql STABLE
AS $function$
DECLARE
    v_columns text[] := (SELECT columns FROM "shop_pipeline".change_logs WHERE step = p_step);
BEGIN
    IF coalesce(cardinality(v_columns), 0) > 0 THEN RETURN v_columns; END IF;
    RAISE EXCEPTION '% has no key, so its changes cannot be tracked', p_step USING ERRCODE = 'LP003';
END
$function$;

-- As in 0008, and a log started by a step that named no columns keeps its key.
CREATE OR REPLACE FUNCTION "shop_pipeline".lp_start_change_log(p_step text, p_keys text[], p_restart boolean)
RETURNS void
LANGUAGE plpgsql
AS $function$
BEGIN
    IF cardinality(p_keys) = 0 THEN
        RAISE EXCEPTION '% has no key, so its changes cannot be tracked', p_step USING ERRCODE = 'LP003';
    END IF;
    IF p_restart THEN
        DELETE FROM "shop_pipeline".changes WHERE step = p_step;
        INSERT INTO "shop_pipeline".change_logs (step, start_seq, columns)
        VALUES (p_step, nextval(pg_get_serial_sequence('"shop_pipeline".changes', 'seq')), p_keys)
        ON CONFLICT (step) DO UPDATE SET start_seq = EXCLUDED.start_seq,
            columns = coalesce("shop_pipeline".change_logs.columns, EXCLUDED.columns);
    ELSE
        INSERT INTO "shop_pipeline".change_logs (step, start_seq, columns)
        VALUES (p_step, nextval(pg_get_serial_sequence('"shop_pipeline".changes', 'seq')), p_keys)
        ON CONFLICT (step) DO UPDATE SET columns = coalesce("shop_pipeline".change_logs.columns, EXCLUDED.columns);
    END IF;
END
$function$;

-- As in 0008, logging the old values of the log's columns only (not the row) of every row about
-- to change, and the key of every row about to be inserted.
CREATE OR REPLACE FUNCTION "shop_pipeline".lp_log_changes(p_step text, p_target text, p_rows_table text, p_keys text[],
    p_non_keys text[], INOUT p_statements text[])
LANGUAGE plpgsql
AS $function$
DECLARE
    v_log text := format('INSERT INTO "shop_pipeline".changes (step, image, key_only) SELECT %1$L, '
                         'CASE WHEN t.%4$I IS NULL THEN jsonb_build_object(%6$s) ELSE "shop_pipeline".lp_log_image(to_jsonb(t), %8$L) END, t.%4$I IS NULL '
                         'FROM %7$s AS s LEFT JOIN %2$s AS t ON %3$s WHERE t.%4$I IS NULL OR %5$s',
                         p_step, p_target, "shop_pipeline".lp_key_match(p_keys, 's', 't'), p_keys[1],
                         "shop_pipeline".lp_differs(p_non_keys),
                         (SELECT string_agg(format('%L, s.%I', k, k), ', ') FROM unnest(p_keys) AS k), p_rows_table,
                         "shop_pipeline".lp_logged_columns(p_step => p_step));
BEGIN
    EXECUTE v_log;
    p_statements := p_statements || v_log;
END
$function$;

-- As in 0002, logging the deleted rows' keys and the log's columns only.
CREATE OR REPLACE FUNCTION "shop_pipeline".lp_delete(p_step text, p_delete text, p_track boolean,
    OUT p_rows bigint, INOUT p_statements text[] DEFAULT '{}')
LANGUAGE plpgsql
AS $function$
DECLARE
    v_sql text := CASE WHEN p_track
                       THEN format('WITH gone AS (%s RETURNING t.*) INSERT INTO "shop_pipeline".changes (step, image) '
                                   'SELECT %L, "shop_pipeline".lp_log_image(to_jsonb(gone), %L) FROM gone',
                                   p_delete, p_step, "shop_pipeline".lp_logged_columns(p_step => p_step))
                       ELSE p_delete END;
BEGIN
    EXECUTE v_sql;
    GET DIAGNOSTICS p_rows = ROW_COUNT;
    p_statements := p_statements || v_sql;
END
$function$;

-- Erasure report: the people whose rows a step removed this run (an extract step marked
-- `people: true`), a count only.
ALTER TABLE "shop_pipeline".run_steps ADD COLUMN IF NOT EXISTS erased_people bigint;
