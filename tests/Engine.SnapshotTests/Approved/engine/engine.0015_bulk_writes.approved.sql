-- Statistics after bulk writes (issue 21): lp_materialize (0002_materialize.sql) analyzes the
-- table a step wrote, in the step's transaction, when the step created it (a first build, a
-- rebuild beside the old table) or wrote at least a share of its rows (a full refresh, a big
-- merge). The share is pipeline.yaml's analyze_after, passed by the step's SQL as the setting
-- lacrei_pipeline.analyze_after (Meta/Statistics.cs); unset, a tenth. Written rows are inserted,
-- updated and deleted ones, against the row count the planner last knew (a table never analyzed
-- counts 0, so any write analyzes it). Smaller deltas are left to autovacuum: ANALYZE samples
-- 30,000 rows whatever the table's size, which is cheap after a bulk write and waste after a few rows.
CREATE OR REPLACE FUNCTION "shop_pipeline".lp_analyze(p_target text, p_created boolean, p_written bigint, INOUT p_statements text[])
LANGUAGE plpgsql
AS $function$
DECLARE
    v_share numeric := coalesce(nullif(current_setting('lacrei_pipeline.analyze_after', true), '')::numeric, 0.1);
    v_known real := greatest((SELECT c.reltuples FROM pg_class AS c WHERE c.oid = to_regclass(p_target)), 0);
BEGIN
    IF p_created OR (p_written > 0 AND p_written >= v_share * v_known) THEN
        EXECUTE format('ANALYZE %s', p_target);
        p_statements := p_statements || format('ANALYZE %s', p_target);
    END IF;
END
$function$;

-- Indexes after bulk loads (issue 21): a table the engine creates (first build, a rebuild beside
-- the old one) is created without its primary key and filled by a plain INSERT, and the key is
-- added once the rows are in: one sorted index build instead of an INSERT … ON CONFLICT that
-- probes and grows the key's index row by row (at 100,000 appointments with scattered ids,
-- 0.15 s instead of 1.3 s). The journal keeps the DDL with its key, as the table ends up.
-- Otherwise as in 0008_materialize_parts.sql.
CREATE OR REPLACE FUNCTION "shop_pipeline".lp_ensure_table(p_step text, p_mode text, p_target text, p_rows_table text,
    p_keys text[], p_recreate boolean, p_rebuild_as text, p_on_schema_change text,
    OUT p_created boolean, OUT p_rebuilt boolean, INOUT p_statements text[])
LANGUAGE plpgsql
AS $function$
DECLARE
    v_journal text := 'auto/' || p_step || '.sql';
    v_columns text;
    v_key     text := CASE WHEN cardinality(p_keys) > 0 THEN format(', PRIMARY KEY (%s)', "shop_pipeline".lp_list(p_keys)) ELSE '' END;
    v_ddl     text;
    v_create  text;
BEGIN
    p_created := false;
    p_rebuilt := false;
    IF to_regclass(p_target) IS NOT NULL THEN
        IF p_recreate THEN
            IF "shop_pipeline".lp_same_shape(p_target => p_target, p_rows_table => p_rows_table, p_keys => p_keys) THEN RETURN; END IF;
        ELSE
            SELECT e.p_rebuild, e.p_statements INTO p_rebuilt, p_statements
              FROM "shop_pipeline".lp_evolve(p_step => p_step, p_mode => p_mode, p_target => p_target, p_rows_table => p_rows_table,
                       p_on_schema_change => p_on_schema_change, p_statements => p_statements) AS e;
            IF NOT p_rebuilt THEN RETURN; END IF;
        END IF;
        p_rebuilt := true;
    END IF;
    SELECT string_agg(format('%I %s', c.name, CASE c.type WHEN 'unknown' THEN 'text' ELSE c.type END), ', ' ORDER BY c.ordinal)
      INTO v_columns
      FROM "shop_pipeline".lp_columns(p_rows_table::regclass) AS c;
    -- The journal keeps the DDL under the table's own name, as if it had been created in place.
    v_ddl := format('CREATE TABLE %s (%s%s)', p_target, v_columns, v_key);
    -- The key follows the rows (lp_upsert); a table without one is created as it will stay.
    v_create := format('CREATE TABLE %s (%s)', CASE WHEN p_rebuilt THEN p_rebuild_as ELSE p_target END, v_columns);
    EXECUTE v_create;
    p_statements := p_statements || v_create;
    DELETE FROM "shop_pipeline".schemaversions WHERE scriptname = v_journal;
    INSERT INTO "shop_pipeline".schemaversions (scriptname, applied, checksum, script)
    VALUES (v_journal, now() AT TIME ZONE 'UTC', "shop_pipeline".lp_checksum(v_ddl), v_ddl);
    p_created := true;
END
$function$;

-- The upsert of 0002_materialize.sql, with a bulk load first: a keyed table that has no primary
-- key yet and no rows (just created by lp_ensure_table) takes the rows by a plain INSERT, then its
-- key. A SELECT that returns a key twice fails there, naming the table and key columns (no row
-- value: SPEC §6), as the upsert would have failed on it.
CREATE OR REPLACE FUNCTION "shop_pipeline".lp_upsert(p_target text, p_rows_table text, p_columns text[], p_keys text[],
    p_non_keys text[], OUT p_written bigint, OUT p_inserted bigint, INOUT p_statements text[])
LANGUAGE plpgsql
AS $function$
DECLARE
    v_sql text;
    v_empty boolean;
BEGIN
    IF cardinality(p_keys) > 0 AND NOT EXISTS (SELECT FROM pg_index AS i WHERE i.indrelid = p_target::regclass AND i.indisprimary) THEN
        EXECUTE format('SELECT NOT EXISTS (SELECT FROM %s)', p_target) INTO v_empty;
        IF v_empty THEN
            v_sql := format('INSERT INTO %1$s (%2$s) SELECT %2$s FROM %3$s', p_target, "shop_pipeline".lp_list(p_columns), p_rows_table);
            EXECUTE v_sql;
            GET DIAGNOSTICS p_written = ROW_COUNT;
            p_inserted := p_written;
            p_statements := p_statements || v_sql;
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
                    'RETURNING (xmax = 0) AS inserted) SELECT count(*), count(*) FILTER (WHERE inserted) FROM written',
                    p_target, "shop_pipeline".lp_list(p_columns), p_rows_table, "shop_pipeline".lp_list(p_keys),
                    CASE WHEN cardinality(p_non_keys) = 0 THEN 'DO NOTHING'
                         ELSE format('DO UPDATE SET (%s) = ROW(%s) WHERE (%s) IS DISTINCT FROM (%2$s)',
                                     "shop_pipeline".lp_list(p_non_keys), "shop_pipeline".lp_list(p_non_keys, 'EXCLUDED.'),
                                     "shop_pipeline".lp_list(p_non_keys, 't.')) END);
    EXECUTE v_sql INTO p_written, p_inserted;
    p_statements := p_statements || v_sql;
END
$function$;
