-- Statistics after bulk writes (issue 21): lp_materialize (0002_materialize.sql) analyzes the
-- table a step wrote, in the step's transaction, when the step created it (a first build, a
-- rebuild beside the old table) or wrote at least a share of its rows (a full refresh, a big
-- merge). The share is pipeline.yaml's analyze_after, passed by the step's SQL as the setting
-- lacrei_pipeline.analyze_after (Meta/Statistics.cs); unset, a tenth. Written rows are inserted,
-- updated and deleted ones, against the row count the planner last knew (a table never analyzed
-- counts 0, so any write analyzes it). Smaller deltas are left to autovacuum: ANALYZE samples
-- 30,000 rows whatever the table's size, which is cheap after a bulk write and waste after a few rows.
CREATE OR REPLACE FUNCTION {{ schemas.meta }}.lp_analyze(p_target text, p_created boolean, p_written bigint, INOUT p_statements text[])
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
