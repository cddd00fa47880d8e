-- Change logs keep each changed row's new values too (issue 21). A reader of `changes "layer.step"
-- "column" …` found a changed key's current values by reading the step's table, one index probe a
-- key on a table the step had just rewritten: at 1,000,000 appointments a 1 % delta spent about
-- 60 ms in each of four readers on that (the months' scope and SELECT, the professionals' scope,
-- the calendar's scope). The new values are at hand when the step logs its change: its rows.
-- `after` holds the same columns as `image` (the key and what readers name, never more), from the
-- rows the step writes; NULL for a row it deleted. A key's latest entry is its current row.
ALTER TABLE {{ schemas.meta }}.changes ADD COLUMN IF NOT EXISTS after jsonb;

-- Entries logged before have no new values: every log restarts, and each reader recomputes whole
-- once on its next run (as after 0013).
DELETE FROM {{ schemas.meta }}.changes;
UPDATE {{ schemas.meta }}.change_logs SET start_seq = nextval(pg_get_serial_sequence('{{ schemas.meta }}.changes', 'seq'));

-- As in 0020, with the new values of the row from the step's rows (s) beside the old ones (t).
CREATE OR REPLACE FUNCTION {{ schemas.meta }}.lp_log_changes(p_step text, p_target text, p_rows_table text, p_keys text[],
    p_non_keys text[], INOUT p_statements text[])
LANGUAGE plpgsql
AS $function$
DECLARE
    v_columns text[] := {{ schemas.meta }}.lp_logged_columns(p_step => p_step);
    v_log text := format('INSERT INTO {{ schemas.meta }}.changes (step, image, key_only, after) SELECT %1$L, '
                         'CASE WHEN t.%4$I IS NULL THEN jsonb_build_object(%6$s) ELSE %8$s END, t.%4$I IS NULL, %9$s '
                         'FROM %7$s AS s LEFT JOIN %2$s AS t ON %3$s WHERE t.%4$I IS NULL OR %5$s',
                         p_step, p_target, {{ schemas.meta }}.lp_key_match(p_keys, 's', 't'), p_keys[1],
                         {{ schemas.meta }}.lp_differs(p_non_keys),
                         (SELECT string_agg(format('%L, s.%I', k, k), ', ') FROM unnest(p_keys) AS k), p_rows_table,
                         {{ schemas.meta }}.lp_image_sql(p_target, 't', v_columns),
                         {{ schemas.meta }}.lp_image_sql(p_rows_table, 's', v_columns));
BEGIN
    EXECUTE v_log;
    p_statements := p_statements || v_log;
END
$function$;
