-- Room on each page for updates in place (issue 21). A keyed table is updated by key on every
-- incremental run; when the new version of a row fits on its page and no indexed column
-- changed, PostgreSQL writes it there without touching any index (a "HOT" update). A table
-- filled to the brim (fillfactor 100, PostgreSQL's default) has no such room: every update
-- moved the row and added an entry to each index. At 1,000,000 appointments, upserting 9,700
-- changed rows into staging 2 (four indexes) took 178-184 ms at fillfactor 100 and 49-72 ms at
-- 90. But every full read of a table reads the room too: 90 on every keyed table made a full
-- refresh at 1,000,000 appointments about 0.5 s slower, so it is each step's choice. The engine
-- now passes a keyed step's fillfactor (StepConfig.TableFillfactor: `fillfactor:`, else 100): a
-- table it creates is created with it (a WITH clause when it is not 100), and a table it keeps
-- takes a changed value for the pages written from then on (ALTER TABLE … SET, which rewrites nothing).
-- lp_materialize is as in 0002_materialize.sql and lp_ensure_table as in 0015_bulk_writes.sql, with
-- the new parameter, and lp_ensure_table lists a new table's columns with their collations
-- (lp_column_definitions, 0022_column_collations.sql).

-- The fillfactor of a table the engine keeps, when the step's differs from the table's.
CREATE FUNCTION "shop_pipeline".lp_set_fillfactor(p_target text, p_fillfactor integer, INOUT p_statements text[])
LANGUAGE plpgsql
AS $function$
DECLARE
    v_sql text;
BEGIN
    IF p_fillfactor IS NULL OR p_fillfactor = coalesce(
        (SELECT o.option_value::integer FROM pg_class AS c, pg_options_to_table(c.reloptions) AS o
          WHERE c.oid = p_target::regclass AND o.option_name = 'fillfactor'), 100) THEN
        RETURN;
    END IF;
    v_sql := format('ALTER TABLE %s SET (fillfactor = %s)', p_target, p_fillfactor);
    EXECUTE v_sql;
    p_statements := p_statements || v_sql;
END
$function$;

DROP FUNCTION "shop_pipeline".lp_ensure_table(text, text, text, text, text[], boolean, text, text, OUT boolean, OUT boolean, INOUT text[]);

CREATE FUNCTION "shop_pipeline".lp_ensure_table(p_step text, p_mode text, p_target text, p_rows_table text,
    p_keys text[], p_recreate boolean, p_rebuild_as text, p_on_schema_change text, p_fillfactor integer,
    OUT p_created boolean, OUT p_rebuilt boolean, INOUT p_statements text[])
LANGUAGE plpgsql
AS $function$
DECLARE
    v_journal text := 'auto/' || p_step || '.sql';
    v_columns text;
    v_key     text := CASE WHEN cardinality(p_keys) > 0 THEN format(', PRIMARY KEY (%s)', "shop_pipeline".lp_list(p_keys)) ELSE '' END;
    v_ddl     text;
    v_create  text;
    v_storage text := CASE WHEN p_fillfactor <> 100 THEN format(' WITH (fillfactor = %s)', p_fillfactor) ELSE '' END;
BEGIN
    p_created := false;
    p_rebuilt := false;
    IF to_regclass(p_target) IS NOT NULL THEN
        IF p_recreate THEN
            IF "shop_pipeline".lp_same_shape(p_target => p_target, p_rows_table => p_rows_table, p_keys => p_keys) THEN
                p_statements := "shop_pipeline".lp_set_fillfactor(p_target => p_target, p_fillfactor => p_fillfactor, p_statements => p_statements);
                RETURN;
            END IF;
        ELSE
            SELECT e.p_rebuild, e.p_statements INTO p_rebuilt, p_statements
              FROM "shop_pipeline".lp_evolve(p_step => p_step, p_mode => p_mode, p_target => p_target, p_rows_table => p_rows_table,
                       p_on_schema_change => p_on_schema_change, p_statements => p_statements) AS e;
            IF NOT p_rebuilt THEN
                p_statements := "shop_pipeline".lp_set_fillfactor(p_target => p_target, p_fillfactor => p_fillfactor, p_statements => p_statements);
                RETURN;
            END IF;
        END IF;
        p_rebuilt := true;
    END IF;
    v_columns := "shop_pipeline".lp_column_definitions(p_rows_table::regclass);
    -- The journal keeps the DDL under the table's own name, as if it had been created in place.
    v_ddl := format('CREATE TABLE %s (%s%s)%s', p_target, v_columns, v_key, v_storage);
    -- The key follows the rows (lp_upsert); a table without one is created as it will stay.
    v_create := format('CREATE TABLE %s (%s)%s', CASE WHEN p_rebuilt THEN p_rebuild_as ELSE p_target END, v_columns, v_storage);
    EXECUTE v_create;
    p_statements := p_statements || v_create;
    DELETE FROM "shop_pipeline".schemaversions WHERE scriptname = v_journal;
    INSERT INTO "shop_pipeline".schemaversions (scriptname, applied, checksum, script)
    VALUES (v_journal, now() AT TIME ZONE 'UTC', "shop_pipeline".lp_checksum(v_ddl), v_ddl);
    p_created := true;
END
$function$;

DROP PROCEDURE "shop_pipeline".lp_materialize(text, text, text, text[], text, text, boolean, boolean, boolean, text, text, text, bigint, boolean, bigint, text[]);

CREATE PROCEDURE "shop_pipeline".lp_materialize(
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
    p_fillfactor integer DEFAULT NULL,     -- the table's fillfactor (NULL: PostgreSQL's default, 100)
    INOUT p_rows bigint DEFAULT NULL,      -- rows written
    INOUT p_created boolean DEFAULT NULL,
    INOUT p_inserted bigint DEFAULT NULL,  -- rows with a new key (extraction keeps staging's row count with it)
    INOUT p_statements text[] DEFAULT NULL)
LANGUAGE plpgsql
AS $procedure$
DECLARE
    v_target   text := format('%I.%I', p_schema, p_table);
    v_rows     text := format('pg_temp.%I', p_rows_table);
    v_columns  text[] := ARRAY(SELECT c.name FROM "shop_pipeline".lp_columns(v_rows::regclass) AS c ORDER BY c.ordinal);
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
    PERFORM "shop_pipeline".lp_check_keys(p_step => p_step, p_keys => p_keys, p_columns => v_columns);
    SELECT t.p_created, t.p_rebuilt, t.p_statements INTO p_created, v_rebuilt, p_statements
      FROM "shop_pipeline".lp_ensure_table(p_step => p_step, p_mode => p_mode, p_target => v_target, p_rows_table => v_rows,
               p_keys => p_keys, p_recreate => p_full_refresh, p_rebuild_as => v_build, p_on_schema_change => p_on_schema_change,
               p_fillfactor => p_fillfactor,
               p_statements => p_statements) AS t;
    v_write := CASE WHEN v_rebuilt THEN v_build ELSE v_target END;
    IF p_track THEN
        PERFORM "shop_pipeline".lp_start_change_log(p_step => p_step, p_keys => p_keys, p_restart => p_created);
        IF NOT p_created THEN
            p_statements := "shop_pipeline".lp_log_changes(p_step => p_step, p_target => v_target, p_rows_table => v_rows,
                                p_keys => p_keys, p_non_keys => v_non_keys, p_statements => p_statements);
        END IF;
    END IF;

    IF cardinality(p_keys) = 0 THEN
        SELECT s.p_written, s.p_statements INTO p_rows, p_statements
          FROM "shop_pipeline".lp_swap(p_target => v_write, p_rows_table => v_rows, p_columns => v_columns,
                   p_created => p_created, p_statements => p_statements) AS s;
    ELSE
        -- With a key, replace is an upsert that also deletes vanished keys: readers see the old
        -- rows until commit, and unchanged rows are left alone.
        SELECT u.p_written, u.p_inserted, u.p_statements INTO p_rows, p_inserted, p_statements
          FROM "shop_pipeline".lp_upsert(p_target => v_write, p_rows_table => v_rows, p_columns => v_columns,
                   p_keys => p_keys, p_non_keys => v_non_keys, p_statements => p_statements) AS u;
        -- A full refresh in place leaves only the rows a new table would have.
        IF (p_delete_missing OR p_mode = 'replace' OR p_full_refresh) AND NOT p_created THEN
            SELECT d.p_rows, d.p_statements INTO v_count, p_statements
              FROM "shop_pipeline".lp_delete(
                       p_step => p_step,
                       p_delete => format('DELETE FROM %1$s AS t WHERE NOT EXISTS (SELECT 1 FROM %2$s AS s WHERE %3$s)',
                                          v_target, v_rows, "shop_pipeline".lp_key_match(p_keys, 's', 't')),
                       p_track => p_track, p_statements => p_statements) AS d;
            p_rows := p_rows + v_count;
        END IF;
        IF p_scope_table IS NOT NULL AND NOT p_created THEN
            SELECT d.p_rows, d.p_statements INTO v_count, p_statements
              FROM "shop_pipeline".lp_delete_out_of_scope(p_step => p_step, p_target => v_target, p_rows_table => v_rows,
                       p_scope_table => format('pg_temp.%I', p_scope_table), p_keys => p_keys, p_track => p_track,
                       p_statements => p_statements) AS d;
            p_rows := p_rows + v_count;
        END IF;
    END IF;

    p_statements := "shop_pipeline".lp_analyze(p_target => v_write, p_created => p_created, p_written => p_rows,
                        p_statements => p_statements);
    IF v_rebuilt THEN
        p_statements := "shop_pipeline".lp_swap_in(p_step => p_step, p_target => v_target, p_built => v_build, p_statements => p_statements);
    END IF;
    IF p_step_setting IS NOT NULL THEN
        p_statements := "shop_pipeline".lp_guard(p_target => v_target, p_step => p_step, p_step_setting => p_step_setting,
                            p_statements => p_statements);
    END IF;
END
$procedure$;
