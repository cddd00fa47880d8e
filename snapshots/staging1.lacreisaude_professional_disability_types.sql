-- staging1.lacreisaude_professional_disability_types (extract): rendered as of 2025-12-01 by engine render --approve
SET LOCAL default_statistics_target = '10';
SET LOCAL jit = 'off';
SET LOCAL max_parallel_workers_per_gather = '1';
SET LOCAL parallel_setup_cost = '100';
SET LOCAL parallel_tuple_cost = '0.01';
SET LOCAL random_page_cost = '1.1';
SET LOCAL work_mem = '64MB';
SET LOCAL lacrei_pipeline.step = 'staging1.lacreisaude_professional_disability_types';
-- staging1.lacreisaude_professional_disability_types: extract from source 'app' "lacreisaude-relacional"."lacreisaude_professional_disability_types" by key id, whole table, deletes: reconcile
-- rows stream from the source with binary COPY (INSERT ... SELECT when the source is this database)
-- source: COPY (SELECT "id", "professional_id", "disabilitytype_id" FROM "lacreisaude-relacional"."lacreisaude_professional_disability_types" AS r) TO STDOUT (FORMAT BINARY)
-- <changed>: written since <horizon> (the xmin of the source snapshot the last extraction read): age(r.xmin) <= (SELECT CASE WHEN s.d BETWEEN 0 AND 1073741823 AND s.a BETWEEN -1073741824 AND 1073741823 THEN s.a + s.d ELSE 2147483647 END::integer FROM (SELECT age((s.y % 4294967296)::text::xid)::bigint AS a, s.y - <horizon> AS d FROM (SELECT s.n - CASE WHEN s.n % 4294967296 < 3 THEN s.n % 4294967296 + 1 ELSE 0 END AS y FROM (SELECT pg_snapshot_xmax(pg_current_snapshot())::text::bigint - 1 AS n) AS s) AS s) AS s) AND age(r.xmin) >= (SELECT CASE WHEN s.d BETWEEN 0 AND 1073741823 AND s.a BETWEEN -1073741824 AND 1073741823 THEN s.a ELSE -2147483648 END::integer FROM (SELECT age((s.y % 4294967296)::text::xid)::bigint AS a, s.y - <horizon> AS d FROM (SELECT s.n - CASE WHEN s.n % 4294967296 < 3 THEN s.n % 4294967296 + 1 ELSE 0 END AS y FROM (SELECT pg_snapshot_xmax(pg_current_snapshot())::text::bigint - 1 AS n) AS s) AS s) AS s)
-- skipped when no row changed and the count is staging's as recorded: SELECT count(*), count(*) FILTER (WHERE <changed>), NULL::bigint FROM "lacreisaude-relacional"."lacreisaude_professional_disability_types" AS r;
-- otherwise reloaded whole (also on the first run, or from another source cluster or table)
CREATE TEMP TABLE lp_step_rows (<the source's column types>) ON COMMIT DROP;
COPY lp_step_rows ("id", "professional_id", "disabilitytype_id") FROM STDIN (FORMAT BINARY);
SELECT "lacreisaude_pipeline".lp_change_log_columns(p_step => 'staging1.lacreisaude_professional_disability_types', p_columns => ARRAY['id']::text[]);
DELETE FROM "lacreisaude_pipeline".changes AS c WHERE c.step = 'staging1.lacreisaude_professional_disability_types' AND c.seq <= (SELECT min(k.consumed) FROM "lacreisaude_pipeline".change_cursors AS k WHERE k.producer = 'staging1.lacreisaude_professional_disability_types' AND k.consumer = ANY (ARRAY['staging2.rejects']::text[]) HAVING count(*) = 1);
CALL "lacreisaude_pipeline".lp_materialize(p_mode => 'upsert', p_schema => 'lacreisaude_staging_01', p_table => 'lacreisaude_professional_disability_types', p_keys => ARRAY['id'], p_step => 'staging1.lacreisaude_professional_disability_types', p_rows_table => 'lp_step_rows', p_delete_missing => true, p_full_refresh => false, p_track => true, p_step_setting => 'lacrei_pipeline.step', p_fillfactor => 100);
DROP TABLE lp_step_rows;
-- INSERT INTO "lacreisaude_pipeline".watermarks (step, xid_horizon, source_system, source_relations, staging_rows, updated_at) VALUES ('staging1.lacreisaude_professional_disability_types', <this snapshot's xmin>, <system identifier>, <table oids>, (SELECT count(*) FROM "lacreisaude_staging_01"."lacreisaude_professional_disability_types"), now()) ON CONFLICT (step) DO UPDATE SET xid_horizon = EXCLUDED.xid_horizon, source_system = EXCLUDED.source_system, source_relations = EXCLUDED.source_relations, staging_rows = EXCLUDED.staging_rows, updated_at = EXCLUDED.updated_at;
SELECT "lacreisaude_pipeline".lp_comments(p_kind => 'TABLE', p_table => '"lacreisaude_staging_01"."lacreisaude_professional_disability_types"', p_comment => 'Disability types of each professional (link table).', p_columns => ARRAY[]::text[], p_column_comments => ARRAY[]::text[]);
