-- Every change log is written by the upsert itself (issue 21), not only one that keeps the key
-- (0027_key_logs_from_the_upsert.sql). A log that keeps other columns needs each updated row's old
-- values: lp_log_changes probed the step's table for every row of the step, compared it, and the
-- upsert then probed it again. The upsert's statement can read them itself: every part of one
-- statement sees the table as it was before the statement, so a row the upsert returns is joined
-- to the table for its old values, and its new values come from the row written. Only the rows
-- written are probed a second time, just after the upsert read the same pages. At 1,000,000
-- appointments a 1 % delta spent 108-110 ms logging 9,700 changed rows in each of staging 2's
-- appointments, the fact and the months, on the delta's critical path. Entries are the same as
-- lp_log_changes writes: image the old values (the key of an inserted row, key_only), after the new.

-- As in 0027, with the old values of the log's columns read in the upsert's statement.
CREATE OR REPLACE FUNCTION "shop_pipeline".lp_upsert(p_target text, p_rows_table text, p_columns text[], p_keys text[],
    p_non_keys text[], p_log_step text DEFAULT NULL, OUT p_written bigint, OUT p_inserted bigint, INOUT p_statements text[] DEFAULT NULL)
LANGUAGE plpgsql
AS $function$
DECLARE
    v_sql text;
    v_empty boolean;
    -- The key of a written row (w), which is the whole entry of a row the upsert inserted.
    v_key text := (SELECT format('jsonb_build_object(%s)', string_agg(format('%L, w.%I', k, k), ', ')) FROM unnest(p_keys) AS k);
    v_logged text[];
    v_image text;                -- the old values of a written row: its key, or the row as it was (o)
    v_after text;                -- its new values: the key, or from the row the upsert wrote (t)
    v_old text := '';            -- the row as it was, read in the same statement (its snapshot is from before the upsert)
BEGIN
    IF p_log_step IS NOT NULL THEN
        v_logged := "shop_pipeline".lp_logged_columns(p_step => p_log_step);
        IF v_logged <@ p_keys THEN
            v_image := v_key;
            v_after := v_key;
        ELSE
            v_image := format('CASE WHEN w.lp_inserted THEN %s ELSE %s END', v_key,
                              "shop_pipeline".lp_image_sql(p_target, 'o', v_logged));
            v_after := 'w.lp_after';
            v_old := format(' LEFT JOIN %s AS o ON NOT w.lp_inserted AND %s', p_target, "shop_pipeline".lp_key_match(p_keys, 'w', 'o'));
        END IF;
    END IF;
    IF cardinality(p_keys) > 0 AND NOT EXISTS (SELECT FROM pg_index AS i WHERE i.indrelid = p_target::regclass AND i.indisprimary) THEN
        EXECUTE format('SELECT NOT EXISTS (SELECT FROM %s)', p_target) INTO v_empty;
        IF v_empty THEN
            v_sql := format('INSERT INTO %1$s (%2$s) SELECT %2$s FROM %3$s', p_target, "shop_pipeline".lp_list(p_columns), p_rows_table);
            EXECUTE v_sql;
            GET DIAGNOSTICS p_written = ROW_COUNT;
            p_inserted := p_written;
            p_statements := p_statements || v_sql;
            IF p_log_step IS NOT NULL THEN
                -- Every row is new: each is an insert.
                v_sql := format('INSERT INTO "shop_pipeline".changes (step, image, key_only, after) SELECT %1$L, %2$s, true, %3$s FROM %4$s AS w',
                                p_log_step, v_key,
                                CASE WHEN v_old = '' THEN v_key ELSE "shop_pipeline".lp_image_sql(p_rows_table, 'w', v_logged) END, p_rows_table);
                EXECUTE v_sql;
                p_statements := p_statements || v_sql;
            END IF;
            v_sql := format('ALTER TABLE %s ADD PRIMARY KEY (%s)', p_target, "shop_pipeline".lp_list(p_keys));
            BEGIN
                EXECUTE v_sql;
            EXCEPTION WHEN unique_violation THEN
                RAISE EXCEPTION 'the rows for % have a key (%) more than once', p_target, array_to_string(p_keys, ', ')
                    USING ERRCODE = 'unique_violation', HINT = 'the SELECT must return each key once: check its joins, or add the columns that tell the rows apart to key:';
            END;
            p_statements := p_statements || v_sql;
            RETURN;
        END IF;
    END IF;
    v_sql := format('WITH written AS (INSERT INTO %1$s AS t (%2$s) SELECT %2$s FROM %3$s ON CONFLICT (%4$s) %5$s '
                    'RETURNING %6$s(xmax = 0) AS lp_inserted)%7$s SELECT count(*), count(*) FILTER (WHERE lp_inserted) FROM written',
                    p_target, "shop_pipeline".lp_list(p_columns), p_rows_table, "shop_pipeline".lp_list(p_keys),
                    CASE WHEN cardinality(p_non_keys) = 0 THEN 'DO NOTHING'
                         ELSE format('DO UPDATE SET (%s) = ROW(%s) WHERE (%s) IS DISTINCT FROM (%2$s)',
                                     "shop_pipeline".lp_list(p_non_keys), "shop_pipeline".lp_list(p_non_keys, 'EXCLUDED.'),
                                     "shop_pipeline".lp_list(p_non_keys, 't.')) END,
                    CASE WHEN p_log_step IS NULL THEN ''
                         WHEN v_old = '' THEN "shop_pipeline".lp_list(p_keys, 't.') || ', '
                         ELSE format('%s, %s AS lp_after, ', "shop_pipeline".lp_list(p_keys, 't.'),
                                     "shop_pipeline".lp_image_sql(p_target, 't', v_logged)) END,
                    CASE WHEN p_log_step IS NULL THEN ''
                         ELSE format(', logged AS (INSERT INTO "shop_pipeline".changes (step, image, key_only, after) '
                                     'SELECT %1$L, %2$s, w.lp_inserted, %3$s FROM written AS w%4$s)', p_log_step, v_image, v_after, v_old) END);
    EXECUTE v_sql INTO p_written, p_inserted;
    p_statements := p_statements || v_sql;
END
$function$;

-- As in 0027: every log of a step whose table has a key is written by the upsert, unless the
-- table is rebuilt beside the old one (its every row is new there).
CREATE OR REPLACE PROCEDURE "shop_pipeline".lp_materialize(
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
    v_log_step text;             -- set when the upsert logs the step's changes itself
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
            IF cardinality(p_keys) > 0 AND NOT v_rebuilt THEN
                v_log_step := p_step;
            ELSE
                p_statements := "shop_pipeline".lp_log_changes(p_step => p_step, p_target => v_target, p_rows_table => v_rows,
                                    p_keys => p_keys, p_non_keys => v_non_keys, p_statements => p_statements);
            END IF;
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
                   p_keys => p_keys, p_non_keys => v_non_keys, p_log_step => v_log_step, p_statements => p_statements) AS u;
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
