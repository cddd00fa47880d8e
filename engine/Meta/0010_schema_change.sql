-- When a step's rows no longer have its table's shape (SPEC §6, dbt's on_schema_change): a
-- replace table is rebuilt from the rows in the step's transaction; an upsert or incremental
-- table follows the step's on_schema_change (fail, append_new_columns, sync_all_columns). A type
-- change that would lose data (numeric into integer, timestamptz into date, a narrower varchar)
-- is never applied silently: the column is widened, or it is an error naming it and both types.

-- Whether every value of type p_from is stored unchanged in a column of type p_to: the same type
-- (a constrained one no narrower), or an implicit cast into an unconstrained type (int → bigint,
-- int → numeric, varchar → text, date → timestamp), but not an integer or numeric into a float.
CREATE OR REPLACE FUNCTION {{ schemas.meta }}.lp_lossless(p_from_type oid, p_from_mod integer, p_to_type oid, p_to_mod integer)
RETURNS boolean
LANGUAGE sql STABLE
AS $function$
    SELECT CASE
        WHEN p_from_type = 'unknown'::regtype THEN p_to_type IN ('text'::regtype, 'character varying'::regtype) AND p_to_mod = -1
        WHEN p_from_type = p_to_type THEN p_to_mod = -1 OR p_from_mod = p_to_mod
            OR (p_to_type IN ('character varying'::regtype, 'bit varying'::regtype) AND p_from_mod <> -1 AND p_from_mod <= p_to_mod)
        WHEN p_to_type IN ('real'::regtype, 'double precision'::regtype)
            AND p_from_type IN ('bigint'::regtype, 'numeric'::regtype) THEN false
        ELSE p_to_mod = -1 AND EXISTS (
            SELECT 1 FROM pg_cast c WHERE c.castsource = p_from_type AND c.casttarget = p_to_type AND c.castcontext = 'i')
    END
$function$;

-- The differences between the rows and the table, column by column.
CREATE OR REPLACE FUNCTION {{ schemas.meta }}.lp_shape_changes(p_target regclass, p_rows_table regclass)
RETURNS TABLE (name text, change text, table_type text, rows_type text, widens boolean)
LANGUAGE sql STABLE
AS $function$
    WITH src AS (
        SELECT a.attname::text AS name, a.atttypid AS type, a.atttypmod AS mod
          FROM pg_attribute a WHERE a.attrelid = p_rows_table AND a.attnum > 0 AND NOT a.attisdropped
    ), tgt AS (
        SELECT a.attname::text AS name, a.atttypid AS type, a.atttypmod AS mod, a.attnum
          FROM pg_attribute a WHERE a.attrelid = p_target AND a.attnum > 0 AND NOT a.attisdropped
    )
    SELECT coalesce(src.name, tgt.name),
           CASE WHEN src.name IS NULL THEN 'missing' WHEN tgt.name IS NULL THEN 'added' ELSE 'retyped' END,
           format_type(tgt.type, tgt.mod),
           CASE src.type WHEN 'unknown'::regtype THEN 'text' ELSE format_type(src.type, src.mod) END,
           -- The table's column can take the rows' type without losing what it holds.
           src.name IS NOT NULL AND tgt.name IS NOT NULL AND {{ schemas.meta }}.lp_lossless(tgt.type, tgt.mod, src.type, src.mod)
      FROM src FULL JOIN tgt ON tgt.name = src.name
     WHERE src.name IS NULL OR tgt.name IS NULL
        OR NOT {{ schemas.meta }}.lp_lossless(src.type, src.mod, tgt.type, tgt.mod)
     ORDER BY tgt.attnum NULLS LAST, 1
$function$;

-- Brings an existing table to the rows' shape as the step allows, or says why not (LP001, LP007);
-- the keys are among the rows' columns already (LP002). p_rebuild: a replace table whose shape
-- changed, which the caller drops and creates again from the rows.
CREATE OR REPLACE FUNCTION {{ schemas.meta }}.lp_evolve(p_step text, p_mode text, p_target text, p_rows_table text,
    p_on_schema_change text, OUT p_rebuild boolean, INOUT p_statements text[])
LANGUAGE plpgsql
AS $function$
DECLARE
    v_change record;
    v_sql    text;
    v_all    text;
BEGIN
    p_rebuild := false;
    SELECT concat_ws('; ',
               'missing from the SELECT: ' || string_agg(c.name, ', ') FILTER (WHERE c.change = 'missing'),
               'not in the table: ' || string_agg(c.name, ', ') FILTER (WHERE c.change = 'added'),
               'type changed: ' || string_agg(format('%s (%s → %s)', c.name, c.table_type, c.rows_type), ', ') FILTER (WHERE c.change = 'retyped'))
      INTO v_all
      FROM {{ schemas.meta }}.lp_shape_changes(p_target::regclass, p_rows_table::regclass) AS c;
    IF v_all = '' THEN RETURN; END IF;
    IF p_mode = 'replace' THEN
        p_rebuild := true;
        RETURN;
    END IF;
    IF p_on_schema_change = 'fail' THEN
        RAISE EXCEPTION 'the columns of the SELECT of % no longer match table %', p_step, p_target
            USING ERRCODE = 'LP001', DETAIL = v_all,
                  HINT = 'set on_schema_change: append_new_columns or sync_all_columns on the step, or add a migration that alters the table';
    END IF;
    FOR v_change IN SELECT * FROM {{ schemas.meta }}.lp_shape_changes(p_target::regclass, p_rows_table::regclass) LOOP
        IF v_change.change = 'retyped' AND NOT v_change.widens THEN
            RAISE EXCEPTION 'column % of % would lose data: the table has %, the SELECT of % gives %',
                    v_change.name, p_target, v_change.table_type, p_step, v_change.rows_type
                USING ERRCODE = 'LP007',
                      HINT = 'cast it in the SELECT to the table''s type if the loss is intended, or add a migration that changes the column';
        END IF;
        v_sql := CASE
            WHEN v_change.change = 'added' THEN format('ALTER TABLE %s ADD COLUMN %I %s', p_target, v_change.name, v_change.rows_type)
            WHEN v_change.change = 'retyped' THEN format('ALTER TABLE %s ALTER COLUMN %I TYPE %s', p_target, v_change.name, v_change.rows_type)
            WHEN p_on_schema_change = 'sync_all_columns' THEN format('ALTER TABLE %s DROP COLUMN %I', p_target, v_change.name)
        END;
        IF v_sql IS NOT NULL THEN
            EXECUTE v_sql;
            p_statements := p_statements || v_sql;
        END IF;
    END LOOP;
END
$function$;
