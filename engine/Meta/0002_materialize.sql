-- Moves a step's rows from its step-local table into its target table (SPEC §6). Written once
-- here so that every upsert/replace step is two plain statements in its rendered SQL: the rows,
-- then one CALL with named arguments (built by Meta/MaterializeCall.cs, the only caller).
-- Creates the table from the rows' columns and key on first use (journaled as one-time DDL),
-- refuses rows whose columns no longer match, and never rewrites an unchanged row: a second
-- run with the same data reports 0 rows. A full refresh rewrites the table in place, or, when
-- its shape changed, builds a new one and swaps it in keeping dependent views, grants and
-- comments (0011_rebuild.sql); never a DROP … CASCADE. A tracked step (one that an incremental step reads
-- with `changes`) also logs in {{ schemas.meta }}.changes the old image of every row it changes
-- or deletes and the key of every row it inserts; creating the table restarts its log.
-- Each part is a function of its own, called with named arguments: below, the ones that move
-- rows; in 0008_materialize_parts.sql, those that check and prepare. The procedure answers with
-- the statements it built and executed, which the engine appends to target/rendered/.
-- Signatures of earlier engines, so that an upgraded warehouse keeps no stale overload:
DROP PROCEDURE IF EXISTS {{ schemas.meta }}.lp_materialize(text, text, text, text[], boolean, boolean, text, bigint, boolean);
DROP PROCEDURE IF EXISTS {{ schemas.meta }}.lp_materialize(text, text, text, text[], boolean, boolean, text, boolean, boolean, bigint, boolean);
DROP PROCEDURE IF EXISTS {{ schemas.meta }}.lp_materialize(text, text, text, text[], boolean, boolean, text, boolean, boolean, bigint, boolean, bigint);
DROP PROCEDURE IF EXISTS {{ schemas.meta }}.lp_materialize(text, text, text, text[], text, text, boolean, boolean, boolean, text, bigint, boolean, bigint, text[]);
DROP PROCEDURE IF EXISTS {{ schemas.meta }}.lp_materialize(text, text, text, text[], text, text, boolean, boolean, boolean, text, text, bigint, boolean, bigint, text[]);
DROP FUNCTION IF EXISTS {{ schemas.meta }}.lp_delete(text, text);

-- Runs a DELETE (its target aliased t) and answers how many rows it removed. For a tracked step
-- the same statement logs the deleted rows' images: the one place that writes them (the
-- procedure's deletes and an extract step's soft and hard deletes all come here).
CREATE OR REPLACE FUNCTION {{ schemas.meta }}.lp_delete(p_step text, p_delete text, p_track boolean,
    OUT p_rows bigint, INOUT p_statements text[] DEFAULT '{}')
LANGUAGE plpgsql
AS $function$
DECLARE
    v_sql text := CASE WHEN p_track
                       THEN format('WITH gone AS (%s RETURNING t.*) INSERT INTO {{ schemas.meta }}.changes (step, image) '
                                   'SELECT %L, to_jsonb(gone) FROM gone', p_delete, p_step)
                       ELSE p_delete END;
BEGIN
    EXECUTE v_sql;
    GET DIAGNOSTICS p_rows = ROW_COUNT;
    p_statements := p_statements || v_sql;
END
$function$;

-- A table with a key: an upsert that never rewrites an unchanged row; (xmax = 0) tells an
-- inserted row from an updated one.
CREATE OR REPLACE FUNCTION {{ schemas.meta }}.lp_upsert(p_target text, p_rows_table text, p_columns text[], p_keys text[],
    p_non_keys text[], OUT p_written bigint, OUT p_inserted bigint, INOUT p_statements text[])
LANGUAGE plpgsql
AS $function$
DECLARE
    v_sql text := format('WITH written AS (INSERT INTO %1$s AS t (%2$s) SELECT %2$s FROM %3$s ON CONFLICT (%4$s) %5$s '
                         'RETURNING (xmax = 0) AS inserted) SELECT count(*), count(*) FILTER (WHERE inserted) FROM written',
                         p_target, {{ schemas.meta }}.lp_list(p_columns), p_rows_table, {{ schemas.meta }}.lp_list(p_keys),
                         CASE WHEN cardinality(p_non_keys) = 0 THEN 'DO NOTHING'
                              ELSE format('DO UPDATE SET (%s) = ROW(%s) WHERE (%s) IS DISTINCT FROM (%2$s)',
                                          {{ schemas.meta }}.lp_list(p_non_keys), {{ schemas.meta }}.lp_list(p_non_keys, 'EXCLUDED.'),
                                          {{ schemas.meta }}.lp_list(p_non_keys, 't.')) END);
BEGIN
    EXECUTE v_sql INTO p_written, p_inserted;
    p_statements := p_statements || v_sql;
END
$function$;

-- A table without a key: its whole content is swapped, but only when it differs, so an
-- unchanged table is not rewritten.
CREATE OR REPLACE FUNCTION {{ schemas.meta }}.lp_swap(p_target text, p_rows_table text, p_columns text[], p_created boolean,
    OUT p_written bigint, INOUT p_statements text[])
LANGUAGE plpgsql
AS $function$
DECLARE
    v_list    text := {{ schemas.meta }}.lp_list(p_columns);
    v_sql     text;
    v_changed boolean;
    v_count   bigint;
BEGIN
    p_written := 0;
    IF NOT p_created THEN
        v_sql := format('SELECT EXISTS (SELECT %1$s FROM %2$s EXCEPT ALL SELECT %1$s FROM %3$s) '
                        'OR EXISTS (SELECT %1$s FROM %3$s EXCEPT ALL SELECT %1$s FROM %2$s)', v_list, p_target, p_rows_table);
        EXECUTE v_sql INTO v_changed;
        p_statements := p_statements || v_sql;
        IF NOT v_changed THEN RETURN; END IF;
        v_sql := format('DELETE FROM %s', p_target);
        EXECUTE v_sql;
        GET DIAGNOSTICS p_written = ROW_COUNT;
        p_statements := p_statements || v_sql;
    END IF;
    v_sql := format('INSERT INTO %1$s (%2$s) SELECT %2$s FROM %3$s', p_target, v_list, p_rows_table);
    EXECUTE v_sql;
    GET DIAGNOSTICS v_count = ROW_COUNT;
    p_written := p_written + v_count;
    p_statements := p_statements || v_sql;
END
$function$;

-- LP004: the scope of an incremental step names key columns only; target rows in scope that the
-- step's rows do not have are gone.
CREATE OR REPLACE FUNCTION {{ schemas.meta }}.lp_delete_out_of_scope(p_step text, p_target text, p_rows_table text,
    p_scope_table text, p_keys text[], p_track boolean, OUT p_rows bigint, INOUT p_statements text[])
LANGUAGE plpgsql
AS $function$
DECLARE
    v_scope_columns text[] := ARRAY(SELECT c.name FROM {{ schemas.meta }}.lp_columns(p_scope_table::regclass) AS c ORDER BY c.ordinal);
    v_not_keys      text;
BEGIN
    SELECT string_agg(c, ', ') INTO v_not_keys FROM unnest(v_scope_columns) AS c WHERE c <> ALL (p_keys);
    IF v_not_keys IS NOT NULL THEN
        RAISE EXCEPTION 'the scope of % returns %, which are not key columns', p_step, v_not_keys
            USING ERRCODE = 'LP004', HINT = format('the scope selects key columns only: %s', array_to_string(p_keys, ', '));
    END IF;
    SELECT d.p_rows, d.p_statements INTO p_rows, p_statements
      FROM {{ schemas.meta }}.lp_delete(
               p_step => p_step,
               p_delete => format('DELETE FROM %1$s AS t WHERE EXISTS (SELECT 1 FROM %2$s AS sc WHERE %3$s) '
                                  'AND NOT EXISTS (SELECT 1 FROM %4$s AS s WHERE %5$s)',
                                  p_target, p_scope_table, {{ schemas.meta }}.lp_key_match(v_scope_columns, 'sc', 't'),
                                  p_rows_table, {{ schemas.meta }}.lp_key_match(p_keys, 's', 't')),
               p_track => p_track, p_statements => p_statements) AS d;
END
$function$;

-- Fresh statistics for the steps that read the table next, when enough changed to matter; a
-- small delta on a large table is left to autovacuum (ANALYZE samples 30,000 rows).
CREATE OR REPLACE FUNCTION {{ schemas.meta }}.lp_analyze(p_target text, p_created boolean, p_written bigint, INOUT p_statements text[])
LANGUAGE plpgsql
AS $function$
BEGIN
    IF p_created OR p_written > 0.1 * greatest((SELECT reltuples FROM pg_class WHERE oid = to_regclass(p_target)), 0) THEN
        EXECUTE format('ANALYZE %s', p_target);
        p_statements := p_statements || format('ANALYZE %s', p_target);
    END IF;
END
$function$;

CREATE OR REPLACE PROCEDURE {{ schemas.meta }}.lp_materialize(
    p_mode text,                 -- upsert | replace
    p_schema text,
    p_table text,
    p_keys text[],
    p_step text,
    p_rows_table text,           -- the step-local table that holds the step's rows (Meta/StepTables.cs)
    p_delete_missing boolean,    -- upsert: delete target rows whose key the rows no longer have
    p_full_refresh boolean,      -- the rows are the whole table: rebuilt when its shape changed (0011), else refreshed in place
    p_track boolean,             -- log row images in the changes table
    p_scope_table text DEFAULT NULL,       -- incremental from changes: delete target rows in this table's keys that the rows lack
    p_step_setting text DEFAULT NULL,      -- the setting in which the step names itself: other writers' writes are foreign (0009)
    p_on_schema_change text DEFAULT 'fail', -- upsert: fail | append_new_columns | sync_all_columns (0010)
    INOUT p_rows bigint DEFAULT NULL,      -- rows written
    INOUT p_created boolean DEFAULT NULL,
    INOUT p_inserted bigint DEFAULT NULL,  -- rows with a new key (extraction keeps staging's row count with it)
    INOUT p_statements text[] DEFAULT NULL)
LANGUAGE plpgsql
AS $procedure$
DECLARE
    v_target   text := format('%I.%I', p_schema, p_table);
    v_rows     text := format('pg_temp.%I', p_rows_table);
    v_columns  text[] := ARRAY(SELECT c.name FROM {{ schemas.meta }}.lp_columns(v_rows::regclass) AS c ORDER BY c.ordinal);
    v_non_keys text[] := ARRAY(SELECT c FROM unnest(v_columns) AS c WHERE c <> ALL (p_keys));
    v_count    bigint;
    -- A rebuild fills a new table beside the old one (readers keep the old) and swaps it in at the end.
    v_build    text := format('%I.%I', p_schema, left(p_table, 40) || '_lp_rebuild');
    v_rebuilt  boolean;
    v_write    text;
BEGIN
    p_rows := 0;
    p_inserted := 0;
    p_statements := '{}';
    PERFORM {{ schemas.meta }}.lp_check_keys(p_step => p_step, p_keys => p_keys, p_columns => v_columns);
    SELECT t.p_created, t.p_rebuilt, t.p_statements INTO p_created, v_rebuilt, p_statements
      FROM {{ schemas.meta }}.lp_ensure_table(p_step => p_step, p_mode => p_mode, p_target => v_target, p_rows_table => v_rows,
               p_keys => p_keys, p_recreate => p_full_refresh, p_rebuild_as => v_build, p_on_schema_change => p_on_schema_change,
               p_statements => p_statements) AS t;
    v_write := CASE WHEN v_rebuilt THEN v_build ELSE v_target END;
    IF p_track THEN
        PERFORM {{ schemas.meta }}.lp_start_change_log(p_step => p_step, p_keys => p_keys, p_restart => p_created);
        IF NOT p_created THEN
            p_statements := {{ schemas.meta }}.lp_log_changes(p_step => p_step, p_target => v_target, p_rows_table => v_rows,
                                p_keys => p_keys, p_non_keys => v_non_keys, p_statements => p_statements);
        END IF;
    END IF;

    IF cardinality(p_keys) = 0 THEN
        SELECT s.p_written, s.p_statements INTO p_rows, p_statements
          FROM {{ schemas.meta }}.lp_swap(p_target => v_write, p_rows_table => v_rows, p_columns => v_columns,
                   p_created => p_created, p_statements => p_statements) AS s;
    ELSE
        -- With a key, replace is an upsert that also deletes vanished keys: readers see the old
        -- rows until commit, and unchanged rows are left alone.
        SELECT u.p_written, u.p_inserted, u.p_statements INTO p_rows, p_inserted, p_statements
          FROM {{ schemas.meta }}.lp_upsert(p_target => v_write, p_rows_table => v_rows, p_columns => v_columns,
                   p_keys => p_keys, p_non_keys => v_non_keys, p_statements => p_statements) AS u;
        -- A full refresh in place leaves only the rows a new table would have.
        IF (p_delete_missing OR p_mode = 'replace' OR p_full_refresh) AND NOT p_created THEN
            SELECT d.p_rows, d.p_statements INTO v_count, p_statements
              FROM {{ schemas.meta }}.lp_delete(
                       p_step => p_step,
                       p_delete => format('DELETE FROM %1$s AS t WHERE NOT EXISTS (SELECT 1 FROM %2$s AS s WHERE %3$s)',
                                          v_target, v_rows, {{ schemas.meta }}.lp_key_match(p_keys, 's', 't')),
                       p_track => p_track, p_statements => p_statements) AS d;
            p_rows := p_rows + v_count;
        END IF;
        IF p_scope_table IS NOT NULL AND NOT p_created THEN
            SELECT d.p_rows, d.p_statements INTO v_count, p_statements
              FROM {{ schemas.meta }}.lp_delete_out_of_scope(p_step => p_step, p_target => v_target, p_rows_table => v_rows,
                       p_scope_table => format('pg_temp.%I', p_scope_table), p_keys => p_keys, p_track => p_track,
                       p_statements => p_statements) AS d;
            p_rows := p_rows + v_count;
        END IF;
    END IF;

    p_statements := {{ schemas.meta }}.lp_analyze(p_target => v_write, p_created => p_created, p_written => p_rows,
                        p_statements => p_statements);
    IF v_rebuilt THEN
        p_statements := {{ schemas.meta }}.lp_swap_in(p_step => p_step, p_target => v_target, p_built => v_build, p_statements => p_statements);
    END IF;
    IF p_step_setting IS NOT NULL THEN
        p_statements := {{ schemas.meta }}.lp_guard(p_target => v_target, p_step => p_step, p_step_setting => p_step_setting,
                            p_statements => p_statements);
    END IF;
END
$procedure$;
