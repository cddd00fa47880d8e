-- Indexes and comments without a table lock when they are already there (issue 21). CREATE INDEX
-- IF NOT EXISTS takes the table's SHARE lock, and COMMENT ON its SHARE UPDATE EXCLUSIVE lock,
-- before looking: every run that changed rows then queued behind autovacuum's VACUUM or ANALYZE of
-- the table (it holds SHARE UPDATE EXCLUSIVE) until PostgreSQL cancelled the vacuum after
-- deadlock_timeout, or the step gave up at lock_wait_limit; right after a full refresh, when
-- autovacuum processes the new tables, a second per step. These look in the catalog first (no
-- lock) and run the statement only when something is missing or different.

-- indexes: of a step, by name (RelationNames.Index); created once, a catalog lookup after that.
CREATE OR REPLACE FUNCTION {{ schemas.meta }}.lp_index(p_table text, p_index text, p_columns text[]) RETURNS void
LANGUAGE plpgsql
AS $function$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_index AS x JOIN pg_class AS i ON i.oid = x.indexrelid
                    WHERE x.indrelid = p_table::regclass AND i.relname = p_index) THEN
        EXECUTE format('CREATE INDEX IF NOT EXISTS %I ON %s (%s)', p_index, p_table, {{ schemas.meta }}.lp_list(p_columns));
    END IF;
END
$function$;

-- description: and columns: of a step as comments on its table or view (p_kind TABLE or VIEW),
-- each written only when it differs from the one there. A column the table lacks is an error, as
-- COMMENT ON COLUMN gives it.
CREATE OR REPLACE FUNCTION {{ schemas.meta }}.lp_comments(p_kind text, p_table text, p_comment text,
    p_columns text[], p_column_comments text[]) RETURNS void
LANGUAGE plpgsql
AS $function$
DECLARE
    v_relation regclass := p_table::regclass;
BEGIN
    IF p_comment IS NOT NULL AND obj_description(v_relation, 'pg_class') IS DISTINCT FROM p_comment THEN
        EXECUTE format('COMMENT ON %s %s IS %L', p_kind, p_table, p_comment);
    END IF;
    FOR i IN 1 .. coalesce(cardinality(p_columns), 0) LOOP
        IF (SELECT col_description(a.attrelid, a.attnum) FROM pg_attribute AS a
             WHERE a.attrelid = v_relation AND a.attname = p_columns[i] AND NOT a.attisdropped) IS DISTINCT FROM p_column_comments[i] THEN
            EXECUTE format('COMMENT ON COLUMN %s.%I IS %L', p_table, p_columns[i], p_column_comments[i]);
        END IF;
    END LOOP;
END
$function$;
