-- `materialize: view` (docs/authoring.md "Views"). The step's SELECT is first created as a
-- step-local temporary view (so an error in it points at the template line), and lp_view makes
-- the step's view say the same: CREATE OR REPLACE VIEW, in the step's transaction. PostgreSQL
-- refuses that when a column is removed, renamed or retyped (42P16); then the view is dropped
-- and created again, and so is every view that depends on it (and on those), from its own
-- definition, with its owner, grants and comments, as a rebuild of a table keeps them
-- (0011_rebuild.sql). Never a DROP … CASCADE: a dependent view that no longer works on the new
-- columns fails the step naming it (LP006), and one the engine cannot recreate (a materialized
-- view, a view with rules or triggers) fails it naming it (LP005). A table or other relation
-- in the view's place is not replaced (LP008).

-- The views on a relation, and the views on those, each with how deep it is (1: reads the relation).
CREATE OR REPLACE FUNCTION "shop_pipeline".lp_dependent_views(p_of regclass)
RETURNS TABLE (oid oid, name text, relkind "char", reloptions text[], depth int, extras boolean)
LANGUAGE sql STABLE
AS $function$
    WITH RECURSIVE dependents(oid, depth) AS (
        SELECT r.ev_class, 1
          FROM pg_depend d JOIN pg_rewrite r ON r.oid = d.objid
         WHERE d.classid = 'pg_rewrite'::regclass AND d.refclassid = 'pg_class'::regclass
           AND d.refobjid = p_of AND r.ev_class <> p_of
        UNION
        SELECT r.ev_class, dep.depth + 1
          FROM dependents dep
          JOIN pg_depend d ON d.refobjid = dep.oid AND d.classid = 'pg_rewrite'::regclass AND d.refclassid = 'pg_class'::regclass
          JOIN pg_rewrite r ON r.oid = d.objid AND r.ev_class <> dep.oid
    )
    SELECT c.oid, c.oid::regclass::text, c.relkind, c.reloptions, max(dep.depth)::int,
           EXISTS (SELECT FROM pg_trigger t WHERE t.tgrelid = c.oid)
           OR EXISTS (SELECT FROM pg_rewrite r WHERE r.ev_class = c.oid AND r.rulename <> '_RETURN')
      FROM dependents dep JOIN pg_class c ON c.oid = dep.oid
     GROUP BY c.oid
     ORDER BY max(dep.depth), c.oid::regclass::text
$function$;

-- Makes p_target (quoted, schema-qualified) the view whose definition p_definition_of (the
-- step's temporary view) has. Answers like lp_materialize: no rows written, the statements run.
CREATE OR REPLACE PROCEDURE "shop_pipeline".lp_view(p_step text, p_target text, p_definition_of text,
    INOUT p_rows bigint DEFAULT NULL, INOUT p_statements text[] DEFAULT NULL)
LANGUAGE plpgsql
AS $procedure$
DECLARE
    v_new      regclass := p_definition_of::regclass;
    v_old      regclass := to_regclass(p_target);
    v_select   text := rtrim(pg_get_viewdef(p_definition_of::regclass), ';');
    v_kind     "char";
    v_view     record;
    v_refused  text;
    v_drops    text[] := '{}';
    v_creates  text[] := '{}';     -- the step's view first, then each dependent with its owner, grants and comments, shallowest first
    v_of       text[] := '{}';     -- the view each of v_creates is for, to name it when it fails
    v_sql      text;
BEGIN
    p_rows := 0;
    p_statements := coalesce(p_statements, '{}');
    SELECT c.relkind INTO v_kind FROM pg_class c WHERE c.oid = v_old;
    IF v_kind IS NOT NULL AND v_kind <> 'v' THEN
        RAISE EXCEPTION 'cannot create view % for %: % exists and is not a view', p_target, p_step, p_target
            USING ERRCODE = 'LP008',
                  HINT = 'a step that was a table became a view: drop the table in a migration (DROP TABLE … ), after checking nothing else needs it';
    END IF;
    v_sql := format('CREATE OR REPLACE VIEW %s AS %s', p_target, v_select);
    IF v_old IS NULL THEN
        EXECUTE v_sql;
        p_statements := p_statements || v_sql;
        RETURN;
    END IF;
    BEGIN
        EXECUTE v_sql;
        p_statements := p_statements || v_sql;
        RETURN;
    EXCEPTION WHEN invalid_table_definition THEN
        -- A column removed, renamed or retyped: recreate the view and what depends on it, below.
        NULL;
    END;

    -- Everything is read before anything is dropped.
    FOREACH v_sql IN ARRAY "shop_pipeline".lp_keep_ddl(p_from => v_old, p_kind => 'VIEW', p_as => p_target, p_columns_of => v_new) LOOP
        v_creates := v_creates || v_sql;
        v_of := v_of || p_target;
    END LOOP;
    FOR v_view IN SELECT * FROM "shop_pipeline".lp_dependent_views(v_old) LOOP
        IF v_view.relkind <> 'v' OR v_view.extras THEN
            v_refused := concat_ws(', ', v_refused, v_view.name || CASE WHEN v_view.relkind = 'm' THEN ' (a materialized view)'
                                                                        WHEN v_view.relkind <> 'v' THEN ' (relkind ' || v_view.relkind::text || ')'
                                                                        ELSE ' (a view with triggers or rules)' END);
            CONTINUE;
        END IF;
        v_drops := format('DROP VIEW %s', v_view.name) || v_drops;
        v_creates := v_creates || format('CREATE VIEW %s%s AS %s', v_view.name,
                                         CASE WHEN v_view.reloptions IS NOT NULL THEN format(' WITH (%s)', array_to_string(v_view.reloptions, ', ')) ELSE '' END,
                                         rtrim(pg_get_viewdef(v_view.oid), ';'));
        v_of := v_of || v_view.name;
        FOREACH v_sql IN ARRAY "shop_pipeline".lp_keep_ddl(p_from => v_view.oid, p_kind => 'VIEW', p_as => v_view.name, p_columns_of => v_view.oid) LOOP
            v_creates := v_creates || v_sql;
            v_of := v_of || v_view.name;
        END LOOP;
    END LOOP;
    IF v_refused IS NOT NULL THEN
        RAISE EXCEPTION 'cannot change the columns of view % for %: the engine cannot recreate what depends on it: %', p_target, p_step, v_refused
            USING ERRCODE = 'LP005',
                  HINT = 'drop them first and create them again afterwards (e.g. in a migration); dependent views, grants and comments are kept';
    END IF;

    FOREACH v_sql IN ARRAY v_drops || format('DROP VIEW %s', p_target) LOOP
        EXECUTE v_sql;
        p_statements := p_statements || v_sql;
    END LOOP;
    v_sql := format('CREATE VIEW %s AS %s', p_target, v_select);
    EXECUTE v_sql;
    p_statements := p_statements || v_sql;
    FOR i IN 1 .. coalesce(array_length(v_creates, 1), 0) LOOP
        BEGIN
            EXECUTE v_creates[i];
            p_statements := p_statements || v_creates[i];
        EXCEPTION
            WHEN lock_not_available THEN RAISE;
            WHEN OTHERS THEN
                RAISE EXCEPTION 'cannot change the columns of view % for %: view % depends on it and cannot be recreated on the new columns: %',
                                p_target, p_step, v_of[i], SQLERRM
                    USING ERRCODE = 'LP006',
                          HINT = 'first change the dependent view so it no longer needs what goes away (a run of its own), then this one; the engine never drops a dependent view';
        END;
    END LOOP;
END
$procedure$;

-- Keep what failed (docs/authoring.md "Keep what failed"): p_table (quoted, schema-qualified, in
-- the failures schema) is replaced by the rows p_query returns, the p_sensitive columns masked
-- (as text '•••', NULL staying NULL) before any row is written. Answers the rows kept.
CREATE OR REPLACE PROCEDURE "shop_pipeline".lp_store_failures(p_table text, p_query text, p_sensitive text[],
    INOUT p_rows bigint DEFAULT NULL, INOUT p_statements text[] DEFAULT NULL)
LANGUAGE plpgsql
AS $procedure$
DECLARE
    v_column record;
    v_select text[] := '{}';
    v_sql    text;
BEGIN
    p_statements := coalesce(p_statements, '{}');
    v_sql := format('DROP TABLE IF EXISTS %s', p_table);
    EXECUTE v_sql;
    p_statements := p_statements || v_sql;
    v_sql := format('CREATE TABLE %s AS SELECT * FROM (%s) AS offending WITH NO DATA', p_table, p_query);
    EXECUTE v_sql;
    p_statements := p_statements || v_sql;
    FOR v_column IN
        SELECT a.attname, a.attname = ANY (p_sensitive) AS sensitive
          FROM pg_attribute a WHERE a.attrelid = p_table::regclass AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum
    LOOP
        IF v_column.sensitive THEN
            v_sql := format('ALTER TABLE %s ALTER COLUMN %I TYPE text USING NULL', p_table, v_column.attname);
            EXECUTE v_sql;
            p_statements := p_statements || v_sql;
            v_select := v_select || format('CASE WHEN offending.%1$I IS NULL THEN NULL ELSE %2$L END', v_column.attname, '•••');
        ELSE
            v_select := v_select || format('offending.%I', v_column.attname);
        END IF;
    END LOOP;
    v_sql := format('INSERT INTO %s SELECT %s FROM (%s) AS offending', p_table, array_to_string(v_select, ', '), p_query);
    EXECUTE v_sql;
    GET DIAGNOSTICS p_rows = ROW_COUNT;
    p_statements := p_statements || v_sql;
END
$procedure$;
