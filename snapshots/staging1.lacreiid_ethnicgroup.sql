-- staging1.lacreiid_ethnicgroup (extract): rendered as of 2025-12-01 by engine render --approve
SET LOCAL default_statistics_target = '10';
SET LOCAL jit = 'off';
SET LOCAL max_parallel_workers_per_gather = '1';
SET LOCAL parallel_setup_cost = '100';
SET LOCAL parallel_tuple_cost = '0.01';
SET LOCAL random_page_cost = '1.1';
SET LOCAL work_mem = '64MB';
SET LOCAL lacrei_pipeline.step = 'staging1.lacreiid_ethnicgroup';
-- staging1.lacreiid_ethnicgroup: extract from source 'app' "lacreisaude-relacional"."lacreiid_ethnicgroup" by key id, incremental on updated_at, exact (changes found by the transaction that wrote each row), deletes: reconcile
-- rows stream from the source with binary COPY (INSERT ... SELECT when the source is this database)
-- <horizon>: the xmin of the source snapshot the last extraction read, stored with the watermark; without one (first run), or from another source cluster or table, everything is copied
-- <changed>: written since <horizon>: age(r.xmin) <= (SELECT CASE WHEN s.d BETWEEN 0 AND 1073741823 AND s.a BETWEEN -1073741824 AND 1073741823 THEN s.a + s.d ELSE 2147483647 END::integer FROM (SELECT age((s.y % 4294967296)::text::xid)::bigint AS a, s.y - <horizon> AS d FROM (SELECT s.n - CASE WHEN s.n % 4294967296 < 3 THEN s.n % 4294967296 + 1 ELSE 0 END AS y FROM (SELECT pg_snapshot_xmax(pg_current_snapshot())::text::bigint - 1 AS n) AS s) AS s) AS s) AND age(r.xmin) >= (SELECT CASE WHEN s.d BETWEEN 0 AND 1073741823 AND s.a BETWEEN -1073741824 AND 1073741823 THEN s.a ELSE -2147483648 END::integer FROM (SELECT age((s.y % 4294967296)::text::xid)::bigint AS a, s.y - <horizon> AS d FROM (SELECT s.n - CASE WHEN s.n % 4294967296 < 3 THEN s.n % 4294967296 + 1 ELSE 0 END AS y FROM (SELECT pg_snapshot_xmax(pg_current_snapshot())::text::bigint - 1 AS n) AS s) AS s) AS s)
-- <watermark>: (SELECT w.value FROM "lacreisaude_pipeline".watermarks AS w WHERE w.step = 'staging1.lacreiid_ethnicgroup'), never past the source's clock
-- source: COPY (SELECT "id", "created_at", "updated_at", "position_order", "name" FROM "lacreisaude-relacional"."lacreiid_ethnicgroup" AS r WHERE r."updated_at" > <watermark> AND <changed>) TO STDOUT (FORMAT BINARY)
-- copied only when any: SELECT EXISTS (SELECT 1 FROM "lacreisaude-relacional"."lacreiid_ethnicgroup" AS r WHERE r."updated_at" > <watermark> AND <changed>)
-- the look, in the same source snapshot (alongside the copy when there is one): SELECT count(*), count(*) FILTER (WHERE <changed>), count(*) FILTER (WHERE <flagged>) FROM "lacreisaude-relacional"."lacreiid_ethnicgroup" AS r
-- its second column less the rows copied above counts the changed rows not after the watermark (late commits, cursors not moved, moved back or NULL): when any, COPY (SELECT "id", "created_at", "updated_at", "position_order", "name" FROM "lacreisaude-relacional"."lacreiid_ethnicgroup" AS r WHERE (r."updated_at" > <watermark>) IS NOT TRUE AND <changed>) is merged the same way; its third counts the rows whose cursor is NULL, infinite or after the source's clock, <flagged>: (r."updated_at" > '-infinity' AND r."updated_at" <= <the source's clock>) IS NOT TRUE, a warning in the run result; when the cursor has an index, they are counted by it instead: SELECT count(*) FROM "lacreisaude-relacional"."lacreiid_ethnicgroup" AS r WHERE r."updated_at" IS NULL OR r."updated_at" > <the source's clock> OR r."updated_at" = '-infinity'
CREATE TEMP TABLE lp_step_rows (<the source's column types>) ON COMMIT DROP;
COPY lp_step_rows ("id", "created_at", "updated_at", "position_order", "name") FROM STDIN (FORMAT BINARY);
INSERT INTO "lacreisaude_pipeline".watermarks (step, value, updated_at) SELECT 'staging1.lacreiid_ethnicgroup', greatest(max(r."updated_at") FILTER (WHERE r."updated_at" <= statement_timestamp()), <the stored watermark, as the cursor's type>)::text, now() FROM lp_step_rows AS r ON CONFLICT (step) DO UPDATE SET value = EXCLUDED.value, updated_at = EXCLUDED.updated_at;
CALL "lacreisaude_pipeline".lp_materialize(p_mode => 'upsert', p_schema => 'lacreisaude_staging_01', p_table => 'lacreiid_ethnicgroup', p_keys => ARRAY['id'], p_step => 'staging1.lacreiid_ethnicgroup', p_rows_table => 'lp_step_rows', p_delete_missing => false, p_full_refresh => false, p_track => false, p_step_setting => 'lacrei_pipeline.step', p_fillfactor => 100);
DROP TABLE lp_step_rows;
-- INSERT INTO "lacreisaude_pipeline".watermarks (step, xid_horizon, source_system, source_relations, updated_at) VALUES ('staging1.lacreiid_ethnicgroup', <this snapshot's xmin>, <system identifier>, <table oids>, now()) ON CONFLICT (step) DO UPDATE SET xid_horizon = EXCLUDED.xid_horizon, source_system = EXCLUDED.source_system, source_relations = EXCLUDED.source_relations, updated_at = EXCLUDED.updated_at;
-- UPDATE "lacreisaude_pipeline".watermarks SET staging_rows = staging_rows + (<rows the merge inserted> - <rows the soft deletes removed>) WHERE step = 'staging1.lacreiid_ethnicgroup';
-- hard deletes, when the source's count (the first column of the look above) differs from staging's (SELECT staging_rows FROM "lacreisaude_pipeline".watermarks WHERE step = 'staging1.lacreiid_ethnicgroup'):
-- source: COPY (SELECT "id" FROM "lacreisaude-relacional"."lacreiid_ethnicgroup") TO STDOUT (FORMAT BINARY) -> COPY lp_source_keys FROM STDIN (FORMAT BINARY)
SELECT * FROM "lacreisaude_pipeline".lp_delete(p_step => 'staging1.lacreiid_ethnicgroup', p_delete => 'DELETE FROM "lacreisaude_staging_01"."lacreiid_ethnicgroup" AS t WHERE NOT EXISTS (SELECT 1 FROM lp_source_keys AS k WHERE k."id" = t."id")', p_track => false);
UPDATE "lacreisaude_pipeline".watermarks SET staging_rows = (SELECT count(*) FROM "lacreisaude_staging_01"."lacreiid_ethnicgroup") WHERE step = 'staging1.lacreiid_ethnicgroup';
SELECT "lacreisaude_pipeline".lp_comments(p_kind => 'TABLE', p_table => '"lacreisaude_staging_01"."lacreiid_ethnicgroup"', p_comment => 'Lookup of ethnic groups.', p_columns => ARRAY[]::text[], p_column_comments => ARRAY[]::text[]);
