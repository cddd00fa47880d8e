-- Moves a step's rows from the step-local table pg_temp.lp_step_rows into its target table
-- (SPEC §6). Written once here so that every upsert/replace step is two plain statements in its
-- rendered SQL. Creates the table from the SELECT's columns and key on first use (journaled as
-- one-time DDL), refuses a SELECT whose columns no longer match, and never rewrites an
-- unchanged row: a second run with the same data reports 0 rows.
-- A tracked step (one that an incremental step reads with `changes`) also logs in
-- "lacreisaude_pipeline".changes the old image of every row it changes or deletes and the key of
-- every row it inserts; creating the table restarts its log.
DROP PROCEDURE IF EXISTS "lacreisaude_pipeline".lp_materialize(text, text, text, text[], boolean, boolean, text, bigint, boolean);
DROP PROCEDURE IF EXISTS "lacreisaude_pipeline".lp_materialize(text, text, text, text[], boolean, boolean, text, boolean, boolean, bigint, boolean);

-- Runs a DELETE (its target aliased t) and returns how many rows it removed; with a log
-- statement reading `gone`, the deleted rows' images are logged by the same statement.
CREATE OR REPLACE FUNCTION "lacreisaude_pipeline".lp_delete(p_delete text, p_log text) RETURNS bigint
LANGUAGE plpgsql
AS $function$
DECLARE
    v_count bigint;
BEGIN
    IF p_log = '' THEN
        EXECUTE p_delete;
    ELSE
        EXECUTE format('WITH gone AS (%s RETURNING t.*) %s', p_delete, p_log);
    END IF;
    GET DIAGNOSTICS v_count = ROW_COUNT;
    RETURN v_count;
END
$function$;
CREATE OR REPLACE PROCEDURE "lacreisaude_pipeline".lp_materialize(
    p_mode text,                 -- upsert | replace
    p_schema text,
    p_table text,
    p_keys text[],
    p_delete_missing boolean,    -- upsert: delete target rows whose key the SELECT no longer returns
    p_full_refresh boolean,      -- replace: drop and recreate the table
    p_step text,
    p_track boolean,             -- log row images in the changes table
    p_scoped boolean,            -- incremental from changes: delete target rows in pg_temp.lp_scope that the SELECT did not return
    INOUT p_rows bigint DEFAULT NULL,
    INOUT p_created boolean DEFAULT NULL,
    INOUT p_inserted bigint DEFAULT NULL)   -- rows with a new key (extraction keeps staging's row count with it)
LANGUAGE plpgsql
AS $procedure$
DECLARE
    v_target   text := format('%I.%I', p_schema, p_table);
    v_source   regclass := 'pg_temp.lp_step_rows'::regclass;
    v_columns  text[];
    v_types    text[];
    v_problems text;
    v_ddl      text;
    v_list     text;
    v_non_keys text[];
    v_count    bigint;
    v_changed  boolean;
    v_join     text;
    v_differs  text;
    v_log      text := '';
BEGIN
    p_rows := 0;
    p_created := false;
    p_inserted := 0;

    SELECT array_agg(a.attname::text ORDER BY a.attnum), array_agg(format_type(a.atttypid, a.atttypmod) ORDER BY a.attnum)
      INTO v_columns, v_types
      FROM pg_attribute a
     WHERE a.attrelid = v_source AND a.attnum > 0 AND NOT a.attisdropped;

    SELECT string_agg(quote_ident(k), ', ') INTO v_problems FROM unnest(p_keys) AS k WHERE k <> ALL (v_columns);
    IF v_problems IS NOT NULL THEN
        RAISE EXCEPTION 'key column(s) % of % are not among the columns of its SELECT', v_problems, p_step
            USING ERRCODE = 'LP002', HINT = format('the SELECT returns: %s', array_to_string(v_columns, ', '));
    END IF;

    IF p_full_refresh AND to_regclass(v_target) IS NOT NULL THEN
        -- CASCADE as dbt does: views built on the table by later steps are recreated when those steps run.
        EXECUTE format('DROP TABLE %s CASCADE', v_target);
        EXECUTE format('DELETE FROM "lacreisaude_pipeline".schemaversions WHERE scriptname = %L', 'auto/' || p_step || '.sql');
    END IF;

    IF to_regclass(v_target) IS NULL THEN
        SELECT format('CREATE TABLE %s (%s%s)', v_target,
                      string_agg(format('%I %s', c.name, CASE c.type WHEN 'unknown' THEN 'text' ELSE c.type END), ', ' ORDER BY c.ord),
                      CASE WHEN cardinality(p_keys) > 0
                           THEN format(', PRIMARY KEY (%s)', (SELECT string_agg(quote_ident(k), ', ') FROM unnest(p_keys) AS k))
                           ELSE '' END)
          INTO v_ddl
          FROM unnest(v_columns, v_types) WITH ORDINALITY AS c(name, type, ord);
        EXECUTE v_ddl;
        INSERT INTO "lacreisaude_pipeline".schemaversions (scriptname, applied, checksum)
        VALUES ('auto/' || p_step || '.sql', now() AT TIME ZONE 'UTC', md5(v_ddl));
        p_created := true;
    ELSE
        -- Same names; types of the same category (text vs varchar, int vs bigint) are compatible.
        WITH src AS (
            SELECT a.attname::text AS name, format_type(a.atttypid, a.atttypmod) AS type, t.typcategory AS category
              FROM pg_attribute a JOIN pg_type t ON t.oid = a.atttypid
             WHERE a.attrelid = v_source AND a.attnum > 0 AND NOT a.attisdropped
        ), tgt AS (
            SELECT a.attname::text AS name, format_type(a.atttypid, a.atttypmod) AS type, t.typcategory AS category
              FROM pg_attribute a JOIN pg_type t ON t.oid = a.atttypid
             WHERE a.attrelid = to_regclass(v_target) AND a.attnum > 0 AND NOT a.attisdropped
        )
        SELECT concat_ws('; ',
                   'missing from the SELECT: ' || string_agg(tgt.name, ', ') FILTER (WHERE src.name IS NULL),
                   'not in the table: ' || string_agg(src.name, ', ') FILTER (WHERE tgt.name IS NULL),
                   'type changed: ' || string_agg(format('%s (%s → %s)', src.name, tgt.type, src.type), ', ')
                       FILTER (WHERE src.category <> tgt.category AND src.type <> 'unknown'))
          INTO v_problems
          FROM src FULL JOIN tgt ON tgt.name = src.name;
        IF v_problems <> '' THEN
            RAISE EXCEPTION 'the columns of the SELECT of % no longer match table %', p_step, v_target
                USING ERRCODE = 'LP001', DETAIL = v_problems,
                      HINT = CASE p_mode WHEN 'replace' THEN 'run with --full-refresh to recreate the table from the SELECT'
                                         ELSE 'add a migration that alters the table (or drop it so that the next run recreates it)' END;
        END IF;
    END IF;

    SELECT string_agg(quote_ident(c), ', ') INTO v_list FROM unnest(v_columns) AS c;
    v_non_keys := ARRAY(SELECT c FROM unnest(v_columns) AS c WHERE c <> ALL (p_keys));
    SELECT string_agg(format('s.%1$I = t.%1$I', k), ' AND ') INTO v_join FROM unnest(p_keys) AS k;
    v_differs := CASE WHEN cardinality(v_non_keys) = 0 THEN 'false'
                      ELSE format('(%s) IS DISTINCT FROM (%s)',
                                  (SELECT string_agg('t.' || quote_ident(c), ', ') FROM unnest(v_non_keys) AS c),
                                  (SELECT string_agg('s.' || quote_ident(c), ', ') FROM unnest(v_non_keys) AS c)) END;

    IF p_track THEN
        IF cardinality(p_keys) = 0 THEN
            RAISE EXCEPTION '% has no key, so its changes cannot be tracked', p_step USING ERRCODE = 'LP003';
        END IF;
        -- The log is complete from its start: a new table (or one tracked for the first time) starts it.
        IF p_created THEN
            DELETE FROM "lacreisaude_pipeline".changes WHERE step = p_step;
            INSERT INTO "lacreisaude_pipeline".change_logs (step, start_seq)
            VALUES (p_step, nextval(pg_get_serial_sequence('"lacreisaude_pipeline".changes', 'seq')))
            ON CONFLICT (step) DO UPDATE SET start_seq = EXCLUDED.start_seq;
        ELSE
            INSERT INTO "lacreisaude_pipeline".change_logs (step, start_seq)
            VALUES (p_step, nextval(pg_get_serial_sequence('"lacreisaude_pipeline".changes', 'seq')))
            ON CONFLICT (step) DO NOTHING;
            -- In one pass: the old image of every row about to change, and the key of every row
            -- about to be inserted (readers of the log take new values from the table itself).
            EXECUTE format('INSERT INTO "lacreisaude_pipeline".changes (step, image, key_only) SELECT %1$L, '
                           'CASE WHEN t.%4$I IS NULL THEN jsonb_build_object(%6$s) ELSE to_jsonb(t) END, t.%4$I IS NULL '
                           'FROM pg_temp.lp_step_rows AS s LEFT JOIN %2$s AS t ON %3$s WHERE t.%4$I IS NULL OR %5$s',
                           p_step, v_target, v_join, p_keys[1], v_differs,
                           (SELECT string_agg(format('%L, s.%I', k, k), ', ') FROM unnest(p_keys) AS k));
        END IF;
        v_log := format('INSERT INTO "lacreisaude_pipeline".changes (step, image) SELECT %L, to_jsonb(gone) FROM gone', p_step);
    END IF;

    IF cardinality(p_keys) = 0 THEN
        -- No key: swap the whole content, but only when it differs, so an unchanged table is not rewritten.
        IF NOT p_created THEN
            EXECUTE format('SELECT EXISTS (SELECT %1$s FROM %2$s EXCEPT ALL SELECT %1$s FROM pg_temp.lp_step_rows)
                               OR EXISTS (SELECT %1$s FROM pg_temp.lp_step_rows EXCEPT ALL SELECT %1$s FROM %2$s)', v_list, v_target)
               INTO v_changed;
            IF NOT v_changed THEN RETURN; END IF;
            EXECUTE format('DELETE FROM %s', v_target);
            GET DIAGNOSTICS v_count = ROW_COUNT;
            p_rows := p_rows + v_count;
        END IF;
        EXECUTE format('INSERT INTO %1$s (%2$s) SELECT %2$s FROM pg_temp.lp_step_rows', v_target, v_list);
        GET DIAGNOSTICS v_count = ROW_COUNT;
        p_rows := p_rows + v_count;
    ELSE
        -- With a key, replace is an upsert that also deletes vanished keys: readers see the old
        -- rows until commit, and unchanged rows are left alone.
        -- (xmax = 0) tells an inserted row from an updated one.
        IF cardinality(v_non_keys) = 0 THEN
            EXECUTE format('WITH written AS (INSERT INTO %1$s (%2$s) SELECT %2$s FROM pg_temp.lp_step_rows ON CONFLICT (%3$s) DO NOTHING '
                           'RETURNING (xmax = 0) AS inserted) SELECT count(*), count(*) FILTER (WHERE inserted) FROM written',
                           v_target, v_list, (SELECT string_agg(quote_ident(k), ', ') FROM unnest(p_keys) AS k))
               INTO v_count, p_inserted;
        ELSE
            EXECUTE format('WITH written AS (INSERT INTO %1$s AS t (%2$s) SELECT %2$s FROM pg_temp.lp_step_rows ON CONFLICT (%3$s) '
                           'DO UPDATE SET (%4$s) = ROW(%5$s) WHERE (%6$s) IS DISTINCT FROM (%5$s) '
                           'RETURNING (xmax = 0) AS inserted) SELECT count(*), count(*) FILTER (WHERE inserted) FROM written',
                           v_target, v_list,
                           (SELECT string_agg(quote_ident(k), ', ') FROM unnest(p_keys) AS k),
                           (SELECT string_agg(quote_ident(c), ', ') FROM unnest(v_non_keys) AS c),
                           (SELECT string_agg('EXCLUDED.' || quote_ident(c), ', ') FROM unnest(v_non_keys) AS c),
                           (SELECT string_agg('t.' || quote_ident(c), ', ') FROM unnest(v_non_keys) AS c))
               INTO v_count, p_inserted;
        END IF;
        p_rows := p_rows + v_count;
        -- Deleted rows are logged (old images) by the same statement when tracked.
        IF (p_delete_missing OR p_mode = 'replace') AND NOT p_created THEN
            p_rows := p_rows + "lacreisaude_pipeline".lp_delete(
                format('DELETE FROM %1$s AS t WHERE NOT EXISTS (SELECT 1 FROM pg_temp.lp_step_rows AS s WHERE %2$s)', v_target, v_join), v_log);
        END IF;
        IF p_scoped AND NOT p_created THEN
            -- The scope names key columns: target rows in scope that the SELECT did not return are gone.
            SELECT string_agg(format('sc.%1$I = t.%1$I', a.attname), ' AND '),
                   string_agg(a.attname::text, ', ') FILTER (WHERE a.attname::text <> ALL (p_keys))
              INTO v_ddl, v_problems
              FROM pg_attribute a WHERE a.attrelid = 'pg_temp.lp_scope'::regclass AND a.attnum > 0 AND NOT a.attisdropped;
            IF v_problems IS NOT NULL THEN
                RAISE EXCEPTION 'the scope of % returns %, which are not key columns', p_step, v_problems
                    USING ERRCODE = 'LP004', HINT = format('the scope selects key columns only: %s', array_to_string(p_keys, ', '));
            END IF;
            p_rows := p_rows + "lacreisaude_pipeline".lp_delete(
                format('DELETE FROM %1$s AS t WHERE EXISTS (SELECT 1 FROM pg_temp.lp_scope AS sc WHERE %2$s) '
                       'AND NOT EXISTS (SELECT 1 FROM pg_temp.lp_step_rows AS s WHERE %3$s)', v_target, v_ddl, v_join), v_log);
        END IF;
    END IF;

    -- Fresh statistics for the steps that read this table next, when enough changed to matter;
    -- a small delta on a large table is left to autovacuum (ANALYZE samples 30,000 rows).
    IF p_created OR p_rows > 0.1 * greatest((SELECT reltuples FROM pg_class WHERE oid = to_regclass(v_target)), 0) THEN
        EXECUTE format('ANALYZE %s', v_target);
    END IF;
END
$procedure$;
