-- A full refresh of a table whose shape changed (SPEC §6: "dependent views, grants and comments
-- survive a rebuild or the step fails naming them"; never a silent DROP … CASCADE). The new
-- table is filled beside the old one (lp_materialize), and lp_swap_in puts it in the old one's
-- place at the end of the step: the views on the table (and on those views) are dropped and
-- created again from their definitions, with their owners, grants and comments; the table's own
-- owner, grants, comments and indexes go to the new table. Only this swap takes ACCESS
-- EXCLUSIVE, which the step's lock_timeout bounds. A view whose SQL no longer works on the new
-- columns (LP006), or an object the engine cannot recreate (LP005), fails the step naming it.

-- Whether a table already has the rows' columns (names, types and order) and primary key: then a
-- full refresh rewrites its content in place and nothing needs rebuilding.
CREATE OR REPLACE FUNCTION {{ schemas.meta }}.lp_same_shape(p_target text, p_rows_table text, p_keys text[])
RETURNS boolean
LANGUAGE sql STABLE
AS $function$
    SELECT (SELECT array_agg(format('%I %s', c.name, CASE c.type WHEN 'unknown' THEN 'text' ELSE c.type END) ORDER BY c.ordinal)
              FROM {{ schemas.meta }}.lp_columns(p_rows_table::regclass) AS c)
         = (SELECT array_agg(format('%I %s', c.name, c.type) ORDER BY c.ordinal)
              FROM {{ schemas.meta }}.lp_columns(p_target::regclass) AS c)
       AND coalesce((SELECT array_agg(a.attname::text ORDER BY k.ordinal)
                       FROM pg_index i
                      CROSS JOIN LATERAL unnest(i.indkey::int2[]) WITH ORDINALITY AS k(attnum, ordinal)
                       JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
                      WHERE i.indrelid = p_target::regclass AND i.indisprimary), '{}') = p_keys
$function$;

-- What a relation carries besides its data, as statements that give it to another relation named
-- p_as: its owner (when not the current user), grants (also per column), comments (also per
-- column). p_columns_of limits the per-column ones to columns that relation has.
CREATE OR REPLACE FUNCTION {{ schemas.meta }}.lp_keep_ddl(p_from regclass, p_kind text, p_as text, p_columns_of regclass)
RETURNS text[]
LANGUAGE sql STABLE
AS $function$
    WITH kept_columns AS (
        SELECT a.attname, a.attnum, a.attacl
          FROM pg_attribute a
         WHERE a.attrelid = p_from AND a.attnum > 0 AND NOT a.attisdropped
           AND EXISTS (SELECT FROM pg_attribute n WHERE n.attrelid = p_columns_of AND n.attname = a.attname AND NOT n.attisdropped)
    ), grantee AS (
        SELECT 0::oid AS oid, 'PUBLIC' AS name
        UNION ALL
        SELECT r.oid, quote_ident(r.rolname) FROM pg_roles r
    )
    SELECT ARRAY(
        SELECT format('ALTER %s %s OWNER TO %I', p_kind, p_as, pg_get_userbyid(c.relowner))
          FROM pg_class c WHERE c.oid = p_from AND pg_get_userbyid(c.relowner) <> current_user
        UNION ALL
        SELECT format('GRANT %s ON %s TO %s%s', x.privilege_type, p_as, g.name, CASE WHEN x.is_grantable THEN ' WITH GRANT OPTION' ELSE '' END)
          FROM pg_class c CROSS JOIN LATERAL aclexplode(c.relacl) AS x JOIN grantee g ON g.oid = x.grantee
         WHERE c.oid = p_from AND x.grantee <> c.relowner
        UNION ALL
        SELECT format('GRANT %s (%I) ON %s TO %s%s', x.privilege_type, k.attname, p_as, g.name, CASE WHEN x.is_grantable THEN ' WITH GRANT OPTION' ELSE '' END)
          FROM kept_columns k CROSS JOIN LATERAL aclexplode(k.attacl) AS x JOIN grantee g ON g.oid = x.grantee
        UNION ALL
        SELECT format('COMMENT ON %s %s IS %L', p_kind, p_as, d.description)
          FROM pg_description d WHERE d.objoid = p_from AND d.classoid = 'pg_class'::regclass AND d.objsubid = 0
        UNION ALL
        SELECT format('COMMENT ON COLUMN %s.%I IS %L', p_as, k.attname, d.description)
          FROM kept_columns k JOIN pg_description d ON d.objoid = p_from AND d.classoid = 'pg_class'::regclass AND d.objsubid = k.attnum
    )
$function$;

-- Puts the table built under p_built in the place of p_target, keeping what depends on it.
CREATE OR REPLACE FUNCTION {{ schemas.meta }}.lp_swap_in(p_step text, p_target text, p_built text, INOUT p_statements text[])
LANGUAGE plpgsql
AS $function$
DECLARE
    v_old      regclass := p_target::regclass;
    v_new      regclass := p_built::regclass;
    v_name     text := (SELECT relname FROM pg_class WHERE oid = p_target::regclass);
    v_pkey     text := (SELECT conname FROM pg_constraint WHERE conrelid = p_target::regclass AND contype = 'p');
    v_refused  text;
    v_view     record;
    v_drops    text[] := '{}';
    v_creates  text[] := '{}';     -- each view's CREATE, then its owner, grants and comments, shallowest views first
    v_of       text[] := '{}';     -- the view each of v_creates is for, to name it when it fails
    v_indexes  text[];
    v_sql      text;
    v_detail   text;
BEGIN
    -- Everything is read before anything is dropped.
    FOR v_view IN
        WITH RECURSIVE dependents(oid, depth) AS (
            SELECT r.ev_class, 1
              FROM pg_depend d JOIN pg_rewrite r ON r.oid = d.objid
             WHERE d.classid = 'pg_rewrite'::regclass AND d.refclassid = 'pg_class'::regclass
               AND d.refobjid = v_old AND r.ev_class <> v_old
            UNION
            SELECT r.ev_class, dep.depth + 1
              FROM dependents dep
              JOIN pg_depend d ON d.refobjid = dep.oid AND d.classid = 'pg_rewrite'::regclass AND d.refclassid = 'pg_class'::regclass
              JOIN pg_rewrite r ON r.oid = d.objid AND r.ev_class <> dep.oid
        )
        SELECT c.oid, c.oid::regclass::text AS name, c.relkind, c.reloptions, max(dep.depth) AS depth,
               EXISTS (SELECT FROM pg_trigger t WHERE t.tgrelid = c.oid)
               OR EXISTS (SELECT FROM pg_rewrite r WHERE r.ev_class = c.oid AND r.rulename <> '_RETURN') AS extras
          FROM dependents dep JOIN pg_class c ON c.oid = dep.oid
         GROUP BY c.oid
         ORDER BY max(dep.depth), c.oid::regclass::text
    LOOP
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
        v_sql := NULL;
        FOREACH v_sql IN ARRAY {{ schemas.meta }}.lp_keep_ddl(p_from => v_view.oid, p_kind => 'VIEW', p_as => v_view.name, p_columns_of => v_view.oid) LOOP
            v_creates := v_creates || v_sql;
            v_of := v_of || v_view.name;
        END LOOP;
    END LOOP;
    -- Triggers, policies, rules and constraints other than the key would be lost with the old table.
    SELECT concat_ws(', ', v_refused,
               (SELECT string_agg(format('trigger %I', t.tgname), ', ') FROM pg_trigger t
                 WHERE t.tgrelid = v_old AND NOT t.tgisinternal AND t.tgname <> 'lp_foreign_writes'),
               (SELECT string_agg(format('policy %I', p.polname), ', ') FROM pg_policy p WHERE p.polrelid = v_old),
               (SELECT string_agg(format('rule %I', r.rulename), ', ') FROM pg_rewrite r WHERE r.ev_class = v_old),
               (SELECT string_agg(format('constraint %I', c.conname), ', ') FROM pg_constraint c WHERE c.conrelid = v_old AND c.contype <> 'p'))
      INTO v_refused;
    IF v_refused <> '' THEN
        RAISE EXCEPTION 'cannot rebuild % for --full-refresh: the engine cannot recreate what depends on %: %', p_step, p_target, v_refused
            USING ERRCODE = 'LP005',
                  HINT = 'drop them first and create them again afterwards (e.g. in a migration); dependent views, grants, comments and indexes are kept';
    END IF;
    v_indexes := ARRAY(SELECT pg_get_indexdef(i.indexrelid) FROM pg_index i WHERE i.indrelid = v_old AND NOT i.indisprimary ORDER BY i.indexrelid);

    -- The table's owner, grants and comments go to the new table first; YAML descriptions follow in the step's SQL.
    FOREACH v_sql IN ARRAY {{ schemas.meta }}.lp_keep_ddl(p_from => v_old, p_kind => 'TABLE', p_as => p_built, p_columns_of => v_new) LOOP
        EXECUTE v_sql;
        p_statements := p_statements || v_sql;
    END LOOP;
    BEGIN
        FOREACH v_sql IN ARRAY v_drops || format('DROP TABLE %s', p_target) LOOP
            EXECUTE v_sql;
            p_statements := p_statements || v_sql;
        END LOOP;
    EXCEPTION WHEN dependent_objects_still_exist THEN
        GET STACKED DIAGNOSTICS v_detail = PG_EXCEPTION_DETAIL;
        RAISE EXCEPTION 'cannot rebuild % for --full-refresh: other objects depend on %', p_step, p_target
            USING ERRCODE = 'LP005', DETAIL = v_detail,
                  HINT = 'drop them first and create them again afterwards (e.g. in a migration); dependent views, grants, comments and indexes are kept';
    END;
    v_sql := format('ALTER TABLE %s RENAME TO %I', p_built, v_name);
    EXECUTE v_sql;
    p_statements := p_statements || v_sql;
    -- The key keeps its name (or takes the one PostgreSQL gives a table's key).
    SELECT format('ALTER TABLE %s RENAME CONSTRAINT %I TO %I', p_target, c.conname, coalesce(v_pkey, left(v_name, 58) || '_pkey'))
      INTO v_sql FROM pg_constraint c WHERE c.conrelid = v_new AND c.contype = 'p';
    IF v_sql IS NOT NULL THEN
        EXECUTE v_sql;
        p_statements := p_statements || v_sql;
    END IF;

    FOR i IN 1 .. coalesce(array_length(v_creates, 1), 0) LOOP
        BEGIN
            EXECUTE v_creates[i];
            p_statements := p_statements || v_creates[i];
        EXCEPTION
            WHEN lock_not_available THEN RAISE;
            WHEN OTHERS THEN
                RAISE EXCEPTION 'cannot rebuild % for --full-refresh: view % depends on it and cannot be recreated on the new columns: %',
                                p_step, v_of[i], SQLERRM
                    USING ERRCODE = 'LP006',
                          HINT = 'change or drop the view first; a rebuild keeps dependent views (with their grants and comments) whose SQL works on the new table';
        END;
    END LOOP;
    -- Indexes whose columns are gone cannot come back; the step's own (indexes:) follow in its SQL.
    FOREACH v_sql IN ARRAY v_indexes LOOP
        BEGIN
            EXECUTE v_sql;
            p_statements := p_statements || v_sql;
        EXCEPTION WHEN undefined_column THEN
            RAISE EXCEPTION 'cannot rebuild % for --full-refresh: an index of % uses a column the new table does not have', p_step, p_target
                USING ERRCODE = 'LP005', DETAIL = v_sql, HINT = 'drop the index first (or keep the column)';
        END;
    END LOOP;
END
$function$;
