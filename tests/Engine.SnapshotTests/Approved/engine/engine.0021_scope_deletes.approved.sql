-- Deletes of keys a scoped step's SELECT no longer returns, found from the scope (issue 21). The
-- DELETE of 0002_materialize.sql matched the target against the scope, which PostgreSQL does by
-- reading the whole target: in a 1 % delta at 1,000,000 appointments, 194 ms of the fact's step
-- to delete no row. When the scope names the whole key, the keys in scope that the step's rows
-- lack are counted first between the two step-local tables (a hash anti-join of a few thousand
-- rows; not EXISTS (…), which PostgreSQL plans for a first row and then runs as a nested loop over
-- both: 9.5 s for 27,540 keys). Most runs have none and send no DELETE; the others keep those keys
-- in a step-local table whose size the planner knows, and delete them by the key's index. A scope
-- of part of the key (all the months of a professional, say) needs the target's rows to know
-- which keys it covers: as before.
CREATE OR REPLACE FUNCTION "shop_pipeline".lp_delete_out_of_scope(p_step text, p_target text, p_rows_table text,
    p_scope_table text, p_keys text[], p_track boolean, OUT p_rows bigint, INOUT p_statements text[])
LANGUAGE plpgsql
AS $function$
DECLARE
    v_scope_columns text[] := ARRAY(SELECT c.name FROM "shop_pipeline".lp_columns(p_scope_table::regclass) AS c ORDER BY c.ordinal);
    v_not_keys      text;
    v_gone          text;
    v_count         bigint;
    v_delete        text;
BEGIN
    SELECT string_agg(c, ', ') INTO v_not_keys FROM unnest(v_scope_columns) AS c WHERE c <> ALL (p_keys);
    IF v_not_keys IS NOT NULL THEN
        RAISE EXCEPTION 'the scope of % returns %, which are not key columns', p_step, v_not_keys
            USING ERRCODE = 'LP004', HINT = format('the scope selects key columns only: %s', array_to_string(p_keys, ', '));
    END IF;
    IF p_keys <@ v_scope_columns THEN
        v_gone := format('SELECT %1$s FROM %2$s AS sc WHERE NOT EXISTS (SELECT 1 FROM %3$s AS s WHERE %4$s)',
                         "shop_pipeline".lp_list(p_keys, 'sc.'), p_scope_table, p_rows_table,
                         "shop_pipeline".lp_key_match(p_keys, 's', 'sc'));
        EXECUTE format('SELECT count(*) FROM (%s) AS gone', v_gone) INTO v_count;
        p_statements := p_statements || format('SELECT count(*) FROM (%s) AS gone', v_gone);
        IF v_count = 0 THEN
            p_rows := 0;
            RETURN;
        END IF;
        EXECUTE format('CREATE TEMP TABLE lp_scope_gone ON COMMIT DROP AS %s', v_gone);
        ANALYZE pg_temp.lp_scope_gone;
        p_statements := p_statements || format('CREATE TEMP TABLE lp_scope_gone ON COMMIT DROP AS %s', v_gone) || 'ANALYZE pg_temp.lp_scope_gone'::text;
        v_delete := format('DELETE FROM %1$s AS t WHERE (%2$s) IN (SELECT %3$s FROM pg_temp.lp_scope_gone)', p_target,
                           "shop_pipeline".lp_list(p_keys, 't.'), "shop_pipeline".lp_list(p_keys));
    ELSE
        v_delete := format('DELETE FROM %1$s AS t WHERE EXISTS (SELECT 1 FROM %2$s AS sc WHERE %3$s) '
                           'AND NOT EXISTS (SELECT 1 FROM %4$s AS s WHERE %5$s)',
                           p_target, p_scope_table, "shop_pipeline".lp_key_match(v_scope_columns, 'sc', 't'),
                           p_rows_table, "shop_pipeline".lp_key_match(p_keys, 's', 't'));
    END IF;
    SELECT d.p_rows, d.p_statements INTO p_rows, p_statements
      FROM "shop_pipeline".lp_delete(p_step => p_step, p_delete => v_delete, p_track => p_track, p_statements => p_statements) AS d;
    DROP TABLE IF EXISTS pg_temp.lp_scope_gone;
END
$function$;
