-- `materialize: snapshot` (SCD2, docs/authoring.md "Snapshots", dbt's snapshot semantics). The
-- step's rows wait in its step-local table as other steps' do; lp_snapshot keeps in the target
-- every version of each key's row: the rows' columns plus valid_from and valid_to (NULL: the
-- current version), primary key (key…, valid_from), and at most one current row per key (a
-- unique partial index). Each run, in the step's transaction: a new key gets a current row; a
-- changed key's current row is closed at the new version's valid_from and the new version
-- inserted; a key the rows no longer have is closed (invalidate), left (ignore) or has its whole
-- history removed (delete: erasure); an unchanged key writes nothing. The run's time is when
-- the run took the run lease (run_lease.acquired_at, Meta/RunLease.cs: the database's clock, the
-- same for every step of a run), else the step's transaction's; never a value in the step's SQL,
-- so an unchanged snapshot step renders the same SQL every run and may be skipped.
-- Never a rebuild: a full refresh runs a snapshot as a normal run, since its history cannot be
-- computed again. A column the SELECT adds is added to the table (NULL in older versions); one
-- it removes or retypes fails (LP001), like an upsert's with on_schema_change: fail.
-- Errors name tables and columns, never a row's values (SPEC §6).

-- The snapshot's table when missing, journaled as the step's one-time DDL; an existing one
-- takes the rows' new columns, or the step fails naming what else changed (LP001).
CREATE OR REPLACE FUNCTION {{ schemas.meta }}.lp_snapshot_table(p_step text, p_target text, p_table text, p_rows_table text,
    p_keys text[], OUT p_created boolean, INOUT p_statements text[])
LANGUAGE plpgsql
AS $function$
DECLARE
    v_journal text := 'auto/' || p_step || '.sql';
    v_columns text;
    v_sql     text;
    v_all     text;
    v_ddl     text[];
    v_change  record;
BEGIN
    p_created := false;
    IF to_regclass(p_target) IS NOT NULL THEN
        SELECT concat_ws('; ',
                   'missing from the SELECT: ' || string_agg(c.name, ', ') FILTER (WHERE c.change = 'missing'),
                   'type changed: ' || string_agg(format('%s (%s → %s)', c.name, c.table_type, c.rows_type), ', ') FILTER (WHERE c.change = 'retyped'))
          INTO v_all
          FROM {{ schemas.meta }}.lp_shape_changes(p_target::regclass, p_rows_table::regclass) AS c
         WHERE c.name NOT IN ('valid_from', 'valid_to') AND c.change <> 'added';
        IF v_all <> '' THEN
            RAISE EXCEPTION 'the columns of the SELECT of % no longer match table %', p_step, p_target
                USING ERRCODE = 'LP001', DETAIL = v_all,
                      HINT = 'a snapshot keeps its history and is never rebuilt: return the column again (NULL::type AS column for a gone one), or add a migration that alters the table';
        END IF;
        FOR v_change IN SELECT * FROM {{ schemas.meta }}.lp_shape_changes(p_target::regclass, p_rows_table::regclass) AS c WHERE c.change = 'added' LOOP
            v_sql := format('ALTER TABLE %s ADD COLUMN %I %s', p_target, v_change.name, v_change.rows_type);
            EXECUTE v_sql;
            p_statements := p_statements || v_sql;
        END LOOP;
        RETURN;
    END IF;
    SELECT string_agg(format('%I %s', c.name, CASE c.type WHEN 'unknown' THEN 'text' ELSE c.type END), ', ' ORDER BY c.ordinal)
      INTO v_columns
      FROM {{ schemas.meta }}.lp_columns(p_rows_table::regclass) AS c;
    v_ddl := ARRAY[
        format('CREATE TABLE %s (%s, valid_from timestamptz NOT NULL, valid_to timestamptz, PRIMARY KEY (%s, valid_from))',
               p_target, v_columns, {{ schemas.meta }}.lp_list(p_keys)),
        format('CREATE UNIQUE INDEX %I ON %s (%s) WHERE valid_to IS NULL', left(p_table, 50) || '_current', p_target, {{ schemas.meta }}.lp_list(p_keys))];
    FOREACH v_sql IN ARRAY v_ddl LOOP
        EXECUTE v_sql;
        p_statements := p_statements || v_sql;
    END LOOP;
    DELETE FROM {{ schemas.meta }}.schemaversions WHERE scriptname = v_journal;
    INSERT INTO {{ schemas.meta }}.schemaversions (scriptname, applied, checksum, script)
    VALUES (v_journal, now() AT TIME ZONE 'UTC', {{ schemas.meta }}.lp_checksum(array_to_string(v_ddl, E';\n')), array_to_string(v_ddl, E';\n'));
    p_created := true;
END
$function$;

-- What the step's rows say about the snapshot (LP017 unless said): no column of the snapshot's
-- own, the key (LP002), the compared columns and a timestamp updated_at among the rows' columns,
-- and each key once (the text lp_upsert gives, 0015_bulk_writes.sql).
CREATE OR REPLACE FUNCTION {{ schemas.meta }}.lp_snapshot_check(p_step text, p_target text, p_rows_table text, p_keys text[],
    p_check_cols text[], p_updated_at text)
RETURNS void
LANGUAGE plpgsql
AS $function$
DECLARE
    v_columns text[] := ARRAY(SELECT c.name FROM {{ schemas.meta }}.lp_columns(p_rows_table::regclass) AS c ORDER BY c.ordinal);
    v_bad     text;
    v_twice   boolean;
BEGIN
    SELECT string_agg(c, ', ') INTO v_bad FROM unnest(v_columns) AS c WHERE c IN ('valid_from', 'valid_to');
    IF v_bad IS NOT NULL THEN
        RAISE EXCEPTION 'the SELECT of % returns %, which the snapshot adds itself', p_step, v_bad
            USING ERRCODE = 'LP017', HINT = 'rename it in the SELECT: valid_from and valid_to say when each version of a row held';
    END IF;
    PERFORM {{ schemas.meta }}.lp_check_keys(p_step => p_step, p_keys => p_keys, p_columns => v_columns);
    SELECT string_agg(quote_ident(c), ', ') INTO v_bad
      FROM unnest(coalesce(p_check_cols, '{}') || coalesce(ARRAY[p_updated_at], '{}')) AS c WHERE c <> ALL (v_columns);
    IF v_bad IS NOT NULL THEN
        RAISE EXCEPTION 'column(s) % that snapshot % compares are not among the columns of its SELECT', v_bad, p_step
            USING ERRCODE = 'LP017', HINT = format('the SELECT returns: %s', array_to_string(v_columns, ', '));
    END IF;
    SELECT format('%I is %s', c.name, c.type) INTO v_bad
      FROM {{ schemas.meta }}.lp_columns(p_rows_table::regclass) AS c
     WHERE c.name = p_updated_at AND NOT (c.category = 'D' AND c.type !~ '^time( |\(|$)');  -- a date or timestamp of any precision, not a time of day
    IF v_bad IS NOT NULL THEN
        RAISE EXCEPTION 'the updated_at column of snapshot % must be a timestamp: %', p_step, v_bad
            USING ERRCODE = 'LP017', HINT = 'cast it in the SELECT (::timestamptz), or compare columns with check_cols';
    END IF;
    EXECUTE format('SELECT EXISTS (SELECT FROM %s GROUP BY %s HAVING count(*) > 1)', p_rows_table, {{ schemas.meta }}.lp_list(p_keys)) INTO v_twice;
    IF v_twice THEN
        RAISE EXCEPTION 'the rows for % have a key (%) more than once', p_target, array_to_string(p_keys, ', ')
            USING ERRCODE = 'unique_violation', HINT = 'the SELECT must return each key once: check its joins, or add the columns that tell the rows apart to key:';
    END IF;
END
$function$;

CREATE OR REPLACE PROCEDURE {{ schemas.meta }}.lp_snapshot(
    p_schema text,
    p_table text,
    p_keys text[],
    p_step text,
    p_rows_table text,                     -- the step-local table that holds the step's rows (Meta/StepTables.cs)
    p_strategy text,                       -- check: a compared column differs | timestamp: updated_at grew
    p_check_cols text[] DEFAULT NULL,      -- check: the compared columns; NULL: every column but the key
    p_updated_at text DEFAULT NULL,        -- timestamp: the row's updated_at column
    p_hard_deletes text DEFAULT 'invalidate',  -- a key the rows no longer have: invalidate | ignore | delete
    p_step_setting text DEFAULT NULL,      -- the setting in which the step names itself (0009)
    INOUT p_rows bigint DEFAULT NULL,      -- rows written: versions closed, inserted, invalidated, deleted
    INOUT p_created boolean DEFAULT NULL,
    INOUT p_inserted bigint DEFAULT NULL,  -- versions inserted
    INOUT p_statements text[] DEFAULT NULL)
LANGUAGE plpgsql
AS $procedure$
DECLARE
    v_target   text := format('%I.%I', p_schema, p_table);
    v_rows     text := format('pg_temp.%I', p_rows_table);
    v_columns  text[] := ARRAY(SELECT c.name FROM {{ schemas.meta }}.lp_columns(v_rows::regclass) AS c ORDER BY c.ordinal);
    v_checks   text[] := coalesce(p_check_cols, ARRAY(SELECT c FROM unnest(v_columns) AS c WHERE c <> ALL (p_keys)));
    v_run      timestamptz;
    v_now      text;
    v_changed  text;
    v_from     text;
    v_sql      text;
    v_count    bigint;
BEGIN
    p_rows := 0;
    p_statements := '{}';
    IF to_regclass('{{ schemas.meta }}.run_lease') IS NOT NULL THEN
        SELECT max(l.acquired_at) INTO v_run FROM {{ schemas.meta }}.run_lease AS l WHERE l.holder NOT IN ('migrate', 'seed');
    END IF;
    v_now := quote_literal(least(coalesce(v_run, transaction_timestamp()), transaction_timestamp())) || '::timestamptz';
    PERFORM {{ schemas.meta }}.lp_snapshot_check(p_step => p_step, p_target => v_target, p_rows_table => v_rows, p_keys => p_keys,
                p_check_cols => CASE p_strategy WHEN 'check' THEN p_check_cols END, p_updated_at => CASE p_strategy WHEN 'timestamp' THEN p_updated_at END);
    SELECT t.p_created, t.p_statements INTO p_created, p_statements
      FROM {{ schemas.meta }}.lp_snapshot_table(p_step => p_step, p_target => v_target, p_table => p_table, p_rows_table => v_rows,
               p_keys => p_keys, p_statements => p_statements) AS t;

    -- c: the key's latest version. A new version starts at the run's time (check), or at its
    -- updated_at unless that is NULL, infinite or later than the run's time (timestamp); and
    -- always after the latest version began or ended, so a key's history stays ordered.
    IF p_strategy = 'timestamp' THEN
        v_changed := format('(s.%1$I > c.%1$I OR (c.%1$I IS NULL AND s.%1$I IS NOT NULL))', p_updated_at);
        v_from := format('CASE WHEN s.%1$I IS NULL OR NOT isfinite(s.%1$I::timestamptz) OR s.%1$I::timestamptz > %2$s THEN %2$s ELSE s.%1$I::timestamptz END',
                         p_updated_at, v_now);
    ELSE
        v_changed := CASE WHEN cardinality(v_checks) = 0 THEN 'false'
                          ELSE format('(%s) IS DISTINCT FROM (%s)', {{ schemas.meta }}.lp_list(v_checks, 's.'), {{ schemas.meta }}.lp_list(v_checks, 'c.')) END;
        v_from := v_now;
    END IF;
    v_sql := format(
        'CREATE TEMP TABLE lp_snapshot_versions ON COMMIT DROP AS '
        'SELECT %1$s, CASE WHEN c.valid_from IS NULL OR %2$s > coalesce(c.valid_to, c.valid_from) THEN %2$s '
        'ELSE greatest(%3$s, coalesce(c.valid_to, c.valid_from) + interval ''1 microsecond'') END AS valid_from '
        'FROM %4$s AS s LEFT JOIN LATERAL (SELECT * FROM %5$s AS c WHERE %6$s ORDER BY c.valid_from DESC LIMIT 1) AS c ON true '
        'WHERE c.valid_from IS NULL OR c.valid_to IS NOT NULL OR %7$s',
        {{ schemas.meta }}.lp_list(v_columns, 's.'), v_from, v_now, v_rows, v_target,
        {{ schemas.meta }}.lp_key_match(p_keys, 's', 'c'), v_changed);
    EXECUTE v_sql;
    p_statements := p_statements || v_sql;

    -- Close the current version of each changed key, then insert the new versions.
    v_sql := format('UPDATE %s AS t SET valid_to = v.valid_from FROM pg_temp.lp_snapshot_versions AS v WHERE %s AND t.valid_to IS NULL',
                    v_target, {{ schemas.meta }}.lp_key_match(p_keys, 'v', 't'));
    EXECUTE v_sql;
    GET DIAGNOSTICS v_count = ROW_COUNT;
    p_rows := p_rows + v_count;
    p_statements := p_statements || v_sql;
    v_sql := format('INSERT INTO %1$s (%2$s, valid_from) SELECT %2$s, valid_from FROM pg_temp.lp_snapshot_versions',
                    v_target, {{ schemas.meta }}.lp_list(v_columns));
    EXECUTE v_sql;
    GET DIAGNOSTICS p_inserted = ROW_COUNT;
    p_rows := p_rows + p_inserted;
    p_statements := p_statements || v_sql;
    DROP TABLE pg_temp.lp_snapshot_versions;

    -- Keys the rows no longer have (dbt's hard_deletes).
    v_sql := CASE p_hard_deletes
        WHEN 'invalidate' THEN format('UPDATE %1$s AS t SET valid_to = greatest(%2$s, t.valid_from) WHERE t.valid_to IS NULL '
                                      'AND NOT EXISTS (SELECT FROM %3$s AS s WHERE %4$s)', v_target, v_now, v_rows, {{ schemas.meta }}.lp_key_match(p_keys, 's', 't'))
        WHEN 'delete' THEN format('DELETE FROM %1$s AS t WHERE NOT EXISTS (SELECT FROM %2$s AS s WHERE %3$s)',
                                  v_target, v_rows, {{ schemas.meta }}.lp_key_match(p_keys, 's', 't'))
    END;
    IF v_sql IS NOT NULL AND NOT p_created THEN
        EXECUTE v_sql;
        GET DIAGNOSTICS v_count = ROW_COUNT;
        p_rows := p_rows + v_count;
        p_statements := p_statements || v_sql;
    END IF;

    p_statements := {{ schemas.meta }}.lp_analyze(p_target => v_target, p_created => p_created, p_written => p_rows, p_statements => p_statements);
    IF p_step_setting IS NOT NULL THEN
        p_statements := {{ schemas.meta }}.lp_guard(p_target => v_target, p_step => p_step, p_step_setting => p_step_setting,
                            p_statements => p_statements);
    END IF;
END
$procedure$;
