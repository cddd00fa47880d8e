-- The parts of {{ schemas.meta }}.lp_materialize (0002_materialize.sql) that check the step's rows
-- and prepare for them: column lists, the checks LP002 and LP001, the table and its journal
-- row, and the change log (LP003). SQL-language functions come before those that use them
-- (their bodies are checked when they are created).

-- A relation's columns in order, with their type as SQL writes it and their type category.
CREATE OR REPLACE FUNCTION {{ schemas.meta }}.lp_columns(p_relation regclass)
RETURNS TABLE (name text, type text, category "char", ordinal smallint)
LANGUAGE sql STABLE
AS $function$
    SELECT a.attname::text, format_type(a.atttypid, a.atttypmod), t.typcategory, a.attnum
      FROM pg_attribute a JOIN pg_type t ON t.oid = a.atttypid
     WHERE a.attrelid = p_relation AND a.attnum > 0 AND NOT a.attisdropped
$function$;

-- Quoted column names joined by commas, each behind a prefix ('t.', 's.', 'EXCLUDED.').
CREATE OR REPLACE FUNCTION {{ schemas.meta }}.lp_list(p_columns text[], p_prefix text DEFAULT '')
RETURNS text
LANGUAGE sql IMMUTABLE
AS $function$
    SELECT string_agg(p_prefix || quote_ident(c), ', ' ORDER BY o) FROM unnest(p_columns) WITH ORDINALITY AS u(c, o)
$function$;

-- The condition that matches rows of two aliases on their key columns: s."id" = t."id" AND …
CREATE OR REPLACE FUNCTION {{ schemas.meta }}.lp_key_match(p_keys text[], p_left text, p_right text)
RETURNS text
LANGUAGE sql IMMUTABLE
AS $function$
    SELECT string_agg(format('%2$s.%1$I = %3$s.%1$I', k, p_left, p_right), ' AND ' ORDER BY o) FROM unnest(p_keys) WITH ORDINALITY AS u(k, o)
$function$;

-- The checksum of a journaled script: hex SHA-256 of its UTF-8 text with \n line ends. The same
-- definition as Meta/Journal.cs Checksum (the scripts DbUp applies); a test holds both to it.
CREATE OR REPLACE FUNCTION {{ schemas.meta }}.lp_checksum(p_script text)
RETURNS text
LANGUAGE sql IMMUTABLE
AS $function$
    SELECT encode(sha256(convert_to(replace(replace(p_script, E'\r\n', E'\n'), E'\r', E'\n'), 'UTF8')), 'hex')
$function$;

-- LP002: every key column is among the columns of the step's rows.
CREATE OR REPLACE FUNCTION {{ schemas.meta }}.lp_check_keys(p_step text, p_keys text[], p_columns text[])
RETURNS void
LANGUAGE plpgsql
AS $function$
DECLARE
    v_missing text;
BEGIN
    SELECT string_agg(quote_ident(k), ', ') INTO v_missing FROM unnest(p_keys) AS k WHERE k <> ALL (p_columns);
    IF v_missing IS NOT NULL THEN
        RAISE EXCEPTION 'key column(s) % of % are not among the columns of its SELECT', v_missing, p_step
            USING ERRCODE = 'LP002', HINT = format('the SELECT returns: %s', array_to_string(p_columns, ', '));
    END IF;
END
$function$;

-- LP001 is raised by lp_evolve (0010_schema_change.sql), which also evolves what a step allows.
DROP FUNCTION IF EXISTS {{ schemas.meta }}.lp_check_shape(text, text, text, text);

-- The step's table: created from the rows' columns and key when missing, and journaled as the
-- step's one-time DDL. An existing table is brought to the rows' shape as the step allows
-- (lp_evolve, 0010_schema_change.sql: LP001, LP007), or, for a replace table whose shape changed
-- and on a full refresh whose shape differs, built anew under p_rebuild_as, beside the old one,
-- which readers keep reading until lp_swap_in (0011_rebuild.sql) puts the new one in its place
-- with its views and grants; a full refresh of the same shape refreshes in place, with no lock
-- that readers wait for.
DROP FUNCTION IF EXISTS {{ schemas.meta }}.lp_ensure_table(text, text, text, text, text[], boolean, text[]);
DROP FUNCTION IF EXISTS {{ schemas.meta }}.lp_ensure_table(text, text, text, text, text[], boolean, text, text[]);
DROP FUNCTION IF EXISTS {{ schemas.meta }}.lp_ensure_table(text, text, text, text, text[], text, text[]);
CREATE OR REPLACE FUNCTION {{ schemas.meta }}.lp_ensure_table(p_step text, p_mode text, p_target text, p_rows_table text,
    p_keys text[], p_recreate boolean, p_rebuild_as text, p_on_schema_change text,
    OUT p_created boolean, OUT p_rebuilt boolean, INOUT p_statements text[])
LANGUAGE plpgsql
AS $function$
DECLARE
    v_journal text := 'auto/' || p_step || '.sql';
    v_columns text;
    v_ddl     text;
    v_create  text;
BEGIN
    p_created := false;
    p_rebuilt := false;
    IF to_regclass(p_target) IS NOT NULL THEN
        IF p_recreate THEN
            IF {{ schemas.meta }}.lp_same_shape(p_target => p_target, p_rows_table => p_rows_table, p_keys => p_keys) THEN RETURN; END IF;
        ELSE
            SELECT e.p_rebuild, e.p_statements INTO p_rebuilt, p_statements
              FROM {{ schemas.meta }}.lp_evolve(p_step => p_step, p_mode => p_mode, p_target => p_target, p_rows_table => p_rows_table,
                       p_on_schema_change => p_on_schema_change, p_statements => p_statements) AS e;
            IF NOT p_rebuilt THEN RETURN; END IF;
        END IF;
        p_rebuilt := true;
    END IF;
    SELECT string_agg(format('%I %s', c.name, CASE c.type WHEN 'unknown' THEN 'text' ELSE c.type END), ', ' ORDER BY c.ordinal)
           || CASE WHEN cardinality(p_keys) > 0 THEN format(', PRIMARY KEY (%s)', {{ schemas.meta }}.lp_list(p_keys)) ELSE '' END
      INTO v_columns
      FROM {{ schemas.meta }}.lp_columns(p_rows_table::regclass) AS c;
    -- The journal keeps the DDL under the table's own name, as if it had been created in place.
    v_ddl := format('CREATE TABLE %s (%s)', p_target, v_columns);
    v_create := CASE WHEN p_rebuilt THEN format('CREATE TABLE %s (%s)', p_rebuild_as, v_columns) ELSE v_ddl END;
    EXECUTE v_create;
    p_statements := p_statements || v_create;
    DELETE FROM {{ schemas.meta }}.schemaversions WHERE scriptname = v_journal;
    INSERT INTO {{ schemas.meta }}.schemaversions (scriptname, applied, checksum, script)
    VALUES (v_journal, now() AT TIME ZONE 'UTC', {{ schemas.meta }}.lp_checksum(v_ddl), v_ddl);
    p_created := true;
END
$function$;

-- LP003, and the start of a step's change log: complete from its start, so a new table (or a
-- step tracked for the first time) starts it, and a new table forgets what was logged before.
CREATE OR REPLACE FUNCTION {{ schemas.meta }}.lp_start_change_log(p_step text, p_keys text[], p_restart boolean)
RETURNS void
LANGUAGE plpgsql
AS $function$
BEGIN
    IF cardinality(p_keys) = 0 THEN
        RAISE EXCEPTION '% has no key, so its changes cannot be tracked', p_step USING ERRCODE = 'LP003';
    END IF;
    IF p_restart THEN
        DELETE FROM {{ schemas.meta }}.changes WHERE step = p_step;
        INSERT INTO {{ schemas.meta }}.change_logs (step, start_seq)
        VALUES (p_step, nextval(pg_get_serial_sequence('{{ schemas.meta }}.changes', 'seq')))
        ON CONFLICT (step) DO UPDATE SET start_seq = EXCLUDED.start_seq;
    ELSE
        INSERT INTO {{ schemas.meta }}.change_logs (step, start_seq)
        VALUES (p_step, nextval(pg_get_serial_sequence('{{ schemas.meta }}.changes', 'seq')))
        ON CONFLICT (step) DO NOTHING;
    END IF;
END
$function$;

-- Whether a target row t differs from the step's row s in a column that is not a key.
CREATE OR REPLACE FUNCTION {{ schemas.meta }}.lp_differs(p_non_keys text[])
RETURNS text
LANGUAGE sql IMMUTABLE
AS $function$
    SELECT CASE WHEN cardinality(p_non_keys) = 0 THEN 'false'
                ELSE format('(%s) IS DISTINCT FROM (%s)', {{ schemas.meta }}.lp_list(p_non_keys, 't.'), {{ schemas.meta }}.lp_list(p_non_keys, 's.')) END
$function$;

-- In one pass, before the upsert: the old image of every row about to change, and the key of
-- every row about to be inserted (readers of the log take new values from the table itself).
CREATE OR REPLACE FUNCTION {{ schemas.meta }}.lp_log_changes(p_step text, p_target text, p_rows_table text, p_keys text[],
    p_non_keys text[], INOUT p_statements text[])
LANGUAGE plpgsql
AS $function$
DECLARE
    v_log text := format('INSERT INTO {{ schemas.meta }}.changes (step, image, key_only) SELECT %1$L, '
                         'CASE WHEN t.%4$I IS NULL THEN jsonb_build_object(%6$s) ELSE to_jsonb(t) END, t.%4$I IS NULL '
                         'FROM %7$s AS s LEFT JOIN %2$s AS t ON %3$s WHERE t.%4$I IS NULL OR %5$s',
                         p_step, p_target, {{ schemas.meta }}.lp_key_match(p_keys, 's', 't'), p_keys[1],
                         {{ schemas.meta }}.lp_differs(p_non_keys),
                         (SELECT string_agg(format('%L, s.%I', k, k), ', ') FROM unnest(p_keys) AS k), p_rows_table);
BEGIN
    EXECUTE v_log;
    p_statements := p_statements || v_log;
END
$function$;
