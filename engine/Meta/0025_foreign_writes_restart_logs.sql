-- A step's change log tells its readers what its table held when they last read it, change by
-- change; a write by anything but the step (a hand edit, a TRUNCATE: 0009_foreign_writes.sql) is
-- in no log. The step recomputes on its next run and logs the difference from the edited table,
-- so a reader that adds up old images (`before "layer.step"`) would subtract what it never added.
-- Such a step's log restarts as it runs (every tracked step names its log's columns first), and
-- each reader recomputes whole once, as after a --full-refresh of the step.
CREATE OR REPLACE FUNCTION {{ schemas.meta }}.lp_change_log_columns(p_step text, p_columns text[])
RETURNS void
LANGUAGE plpgsql
AS $function$
DECLARE
    v_written_by_others boolean := coalesce((SELECT f.writes FROM {{ schemas.meta }}.foreign_writes AS f WHERE f.step = p_step), 0)
                                   <> coalesce((SELECT s.foreign_writes FROM {{ schemas.meta }}.step_state AS s WHERE s.step = p_step), 0);
BEGIN
    IF NOT v_written_by_others AND EXISTS (SELECT 1 FROM {{ schemas.meta }}.change_logs WHERE step = p_step AND columns = p_columns) THEN
        RETURN;
    END IF;
    DELETE FROM {{ schemas.meta }}.changes WHERE step = p_step;
    INSERT INTO {{ schemas.meta }}.change_logs (step, start_seq, columns)
    VALUES (p_step, nextval(pg_get_serial_sequence('{{ schemas.meta }}.changes', 'seq')), p_columns)
    ON CONFLICT (step) DO UPDATE SET start_seq = EXCLUDED.start_seq, columns = EXCLUDED.columns;
END
$function$;
