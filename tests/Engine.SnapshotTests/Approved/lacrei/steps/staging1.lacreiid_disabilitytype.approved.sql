SET LOCAL random_page_cost = '1.1';
SET LOCAL work_mem = '64MB';
-- staging1.lacreiid_disabilitytype: extract from source 'app' "lacreisaude-relacional"."lacreiid_disabilitytype" by key id, incremental on updated_at, deletes: reconcile
-- rows stream from the source with binary COPY (INSERT ... SELECT when the source is this database)
-- source: COPY (SELECT "id", "created_at", "updated_at", "badge", "position_order", "name" FROM "lacreisaude-relacional"."lacreiid_disabilitytype" WHERE "updated_at" > <watermark>) TO STDOUT (FORMAT BINARY)
-- <watermark>: (SELECT value FROM "lacreisaude_pipeline".watermarks WHERE step = 'staging1.lacreiid_disabilitytype'), read in this transaction; absent on the first run (everything is copied)
-- copied and merged only when the source has such rows: SELECT EXISTS (SELECT 1 FROM "lacreisaude-relacional"."lacreiid_disabilitytype" WHERE "updated_at" > <watermark>)
-- the look, in the same source snapshot (on a second connection alongside the copy when there are rows to copy): SELECT count(*), count(*) FILTER (WHERE r."updated_at" = <watermark>)::text || '/' || coalesce(sum(hash_record_extended(ROW(record_send(r)), 0)::numeric) FILTER (WHERE r."updated_at" = <watermark>), 0)::text || '/' || coalesce(bit_xor(hash_record_extended(ROW(record_send(r)), 1)) FILTER (WHERE r."updated_at" = <watermark>), 0)::text FROM (SELECT "id", "created_at", "updated_at", "badge", "position_order", "name" FROM "lacreisaude-relacional"."lacreiid_disabilitytype") AS r
-- when that fingerprint differs from the stored at_watermark, the rows at the watermark changed in place: COPY (SELECT "id", "created_at", "updated_at", "badge", "position_order", "name" FROM "lacreisaude-relacional"."lacreiid_disabilitytype" WHERE "updated_at" = <watermark>) is merged the same way (the watermark stays), then UPDATE "lacreisaude_pipeline".watermarks SET at_watermark = <that fingerprint> WHERE step = 'staging1.lacreiid_disabilitytype' AND value = <watermark>
CREATE TEMP TABLE lp_step_rows (<the source's column types>) ON COMMIT DROP;
COPY lp_step_rows ("id", "created_at", "updated_at", "badge", "position_order", "name") FROM STDIN (FORMAT BINARY);
INSERT INTO "lacreisaude_pipeline".watermarks (step, value, at_watermark, updated_at) SELECT 'staging1.lacreiid_disabilitytype', w.m::text, (SELECT count(*)::text || '/' || coalesce(sum(hash_record_extended(ROW(record_send(r)), 0)::numeric), 0)::text || '/' || coalesce(bit_xor(hash_record_extended(ROW(record_send(r)), 1)), 0)::text FROM lp_step_rows AS r WHERE r."updated_at" = w.m), now() FROM (SELECT max("updated_at") AS m FROM lp_step_rows) AS w WHERE w.m IS NOT NULL ON CONFLICT (step) DO UPDATE SET value = EXCLUDED.value, at_watermark = EXCLUDED.at_watermark, updated_at = EXCLUDED.updated_at;
CALL "lacreisaude_pipeline".lp_materialize('upsert', 'lacreisaude_staging_01', 'lacreiid_disabilitytype', ARRAY['id'], false, false, 'staging1.lacreiid_disabilitytype', false, false, NULL, NULL);
DROP TABLE lp_step_rows;
-- UPDATE "lacreisaude_pipeline".watermarks SET staging_rows = staging_rows + (<rows the merge inserted> - <rows the soft deletes removed>) WHERE step = 'staging1.lacreiid_disabilitytype';
-- hard deletes, when the source's count (the first column of the look above) differs from staging's (SELECT staging_rows FROM "lacreisaude_pipeline".watermarks WHERE step = 'staging1.lacreiid_disabilitytype'):
-- source: COPY (SELECT "id" FROM "lacreisaude-relacional"."lacreiid_disabilitytype") TO STDOUT (FORMAT BINARY) -> COPY lp_source_keys FROM STDIN (FORMAT BINARY)
DELETE FROM "lacreisaude_staging_01"."lacreiid_disabilitytype" AS t WHERE NOT EXISTS (SELECT 1 FROM lp_source_keys AS k WHERE k."id" = t."id");
UPDATE "lacreisaude_pipeline".watermarks SET staging_rows = (SELECT count(*) FROM "lacreisaude_staging_01"."lacreiid_disabilitytype") WHERE step = 'staging1.lacreiid_disabilitytype';
COMMENT ON TABLE "lacreisaude_staging_01"."lacreiid_disabilitytype" IS 'Lookup of disability types.';
