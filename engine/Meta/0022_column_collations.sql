-- Columns in the collation of the step's rows (issue 21): a template's pseudonyms are text in the
-- "C" collation (Meta/Pseudonyms.cs), because a key or index on them is built by sorting, and
-- under a locale's collation each comparison goes through the C library (a fact's key at
-- 1,000,000 appointments: 1.03 s under C.UTF-8, 0.41 s in "C"). A table the engine creates now
-- keeps each column's collation when it is not its type's default; a table created earlier keeps
-- the database's, which gives the same results (its shape is unchanged: types are compared, not
-- collations). Otherwise lp_ensure_table is as in 0015_bulk_writes.sql.

-- A relation's columns as a CREATE TABLE lists them: name, type (an unknown literal as text) and,
-- when it is not the type's default, the collation.
CREATE OR REPLACE FUNCTION {{ schemas.meta }}.lp_column_definitions(p_relation regclass)
RETURNS text
LANGUAGE sql STABLE
AS $function$
    SELECT string_agg(format('%I %s', a.attname,
               CASE WHEN a.atttypid = 'unknown'::regtype THEN 'text' ELSE format_type(a.atttypid, a.atttypmod) END)
               || CASE WHEN a.attcollation <> 0 AND a.attcollation <> t.typcollation
                       THEN ' COLLATE ' || a.attcollation::regcollation::text ELSE '' END,
               ', ' ORDER BY a.attnum)
      FROM pg_attribute a JOIN pg_type t ON t.oid = a.atttypid
     WHERE a.attrelid = p_relation AND a.attnum > 0 AND NOT a.attisdropped
$function$;

CREATE OR REPLACE FUNCTION {{ schemas.meta }}.lp_ensure_table(p_step text, p_mode text, p_target text, p_rows_table text,
    p_keys text[], p_recreate boolean, p_rebuild_as text, p_on_schema_change text,
    OUT p_created boolean, OUT p_rebuilt boolean, INOUT p_statements text[])
LANGUAGE plpgsql
AS $function$
DECLARE
    v_journal text := 'auto/' || p_step || '.sql';
    v_columns text;
    v_key     text := CASE WHEN cardinality(p_keys) > 0 THEN format(', PRIMARY KEY (%s)', {{ schemas.meta }}.lp_list(p_keys)) ELSE '' END;
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
    v_columns := {{ schemas.meta }}.lp_column_definitions(p_rows_table::regclass);
    -- The journal keeps the DDL under the table's own name, as if it had been created in place.
    v_ddl := format('CREATE TABLE %s (%s%s)', p_target, v_columns, v_key);
    -- The key follows the rows (lp_upsert); a table without one is created as it will stay.
    v_create := format('CREATE TABLE %s (%s)', CASE WHEN p_rebuilt THEN p_rebuild_as ELSE p_target END, v_columns);
    EXECUTE v_create;
    p_statements := p_statements || v_create;
    DELETE FROM {{ schemas.meta }}.schemaversions WHERE scriptname = v_journal;
    INSERT INTO {{ schemas.meta }}.schemaversions (scriptname, applied, checksum, script)
    VALUES (v_journal, now() AT TIME ZONE 'UTC', {{ schemas.meta }}.lp_checksum(v_ddl), v_ddl);
    p_created := true;
END
$function$;
