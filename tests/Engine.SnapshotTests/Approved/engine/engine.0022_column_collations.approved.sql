-- Columns in the collation of the step's rows (issue 21): a template's pseudonyms are text in the
-- "C" collation (Meta/Pseudonyms.cs), because a key or index on them is built by sorting, and
-- under a locale's collation each comparison goes through the C library (a fact's key at
-- 1,000,000 appointments: 1.03 s under C.UTF-8, 0.41 s in "C"). A table the engine creates now
-- keeps each column's collation when it is not its type's default; a table created earlier keeps
-- the database's, which gives the same results (its shape is unchanged: types are compared, not
-- collations). lp_ensure_table creates tables with lp_column_definitions from
-- 0023_fillfactor.sql on (both scripts came in one release, so it is redefined there only).

-- A relation's columns as a CREATE TABLE lists them: name, type (an unknown literal as text) and,
-- when it is not the type's default, the collation.
CREATE OR REPLACE FUNCTION "shop_pipeline".lp_column_definitions(p_relation regclass)
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
