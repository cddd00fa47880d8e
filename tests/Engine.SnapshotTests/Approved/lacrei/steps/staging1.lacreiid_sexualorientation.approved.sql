SET LOCAL random_page_cost = '1.1';
SET LOCAL work_mem = '64MB';
-- staging1.lacreiid_sexualorientation: extract from source 'app' "lacreisaude-relacional"."lacreiid_sexualorientation" by key id, incremental on updated_at, deletes: reconcile
-- rows stream from the source with binary COPY (INSERT ... SELECT when the source is this database)
-- source: COPY (SELECT "id", "created_at", "updated_at", "bagde", "position_order", "name" FROM "lacreisaude-relacional"."lacreiid_sexualorientation" WHERE "updated_at" >= <watermark>) TO STDOUT (FORMAT BINARY)
-- <watermark>: (SELECT value FROM "lacreisaude_pipeline".watermarks WHERE step = 'staging1.lacreiid_sexualorientation'), read in this transaction; absent on the first run (everything is copied)
-- only rows after it (> <watermark>) when the rows at it are unchanged: (SELECT count(*)::text || '/' || coalesce(sum(hashtextextended(r::text, 0)::numeric), 0)::text || '/' || coalesce(bit_xor(hashtextextended(r::text, 1)), 0)::text FROM (SELECT "id", "created_at", "updated_at", "bagde", "position_order", "name" FROM "lacreisaude-relacional"."lacreiid_sexualorientation" WHERE "updated_at" = <watermark>) AS r) equals its stored at_watermark
CREATE TEMP TABLE lp_step_rows (<the source's column types>) ON COMMIT DROP;
COPY lp_step_rows ("id", "created_at", "updated_at", "bagde", "position_order", "name") FROM STDIN (FORMAT BINARY);
INSERT INTO "lacreisaude_pipeline".watermarks (step, value, updated_at) SELECT 'staging1.lacreiid_sexualorientation', max("updated_at")::text, now() FROM lp_step_rows HAVING max("updated_at") IS NOT NULL ON CONFLICT (step) DO UPDATE SET value = EXCLUDED.value, updated_at = EXCLUDED.updated_at;
CALL "lacreisaude_pipeline".lp_materialize('upsert', 'lacreisaude_staging_01', 'lacreiid_sexualorientation', ARRAY['id'], false, false, 'staging1.lacreiid_sexualorientation', false, false, NULL, NULL);
DROP TABLE lp_step_rows;
-- UPDATE "lacreisaude_pipeline".watermarks SET at_watermark = (SELECT count(*)::text || '/' || coalesce(sum(hashtextextended(r::text, 0)::numeric), 0)::text || '/' || coalesce(bit_xor(hashtextextended(r::text, 1)), 0)::text FROM (SELECT "id", "created_at", "updated_at", "bagde", "position_order", "name" FROM "lacreisaude-relacional"."lacreiid_sexualorientation" WHERE "updated_at" = <the new watermark>) AS r) WHERE step = 'staging1.lacreiid_sexualorientation';   (read from the source)
-- UPDATE "lacreisaude_pipeline".watermarks SET staging_rows = staging_rows + (<rows the merge inserted> - <rows the soft deletes removed>) WHERE step = 'staging1.lacreiid_sexualorientation';
-- hard deletes, when the source's count (SELECT count(*) FROM "lacreisaude-relacional"."lacreiid_sexualorientation") differs from staging's (SELECT staging_rows FROM "lacreisaude_pipeline".watermarks WHERE step = 'staging1.lacreiid_sexualorientation'):
-- source: COPY (SELECT "id" FROM "lacreisaude-relacional"."lacreiid_sexualorientation") TO STDOUT (FORMAT BINARY) -> COPY lp_source_keys FROM STDIN (FORMAT BINARY)
DELETE FROM "lacreisaude_staging_01"."lacreiid_sexualorientation" AS t WHERE NOT EXISTS (SELECT 1 FROM lp_source_keys AS k WHERE k."id" = t."id");
UPDATE "lacreisaude_pipeline".watermarks SET staging_rows = (SELECT count(*) FROM "lacreisaude_staging_01"."lacreiid_sexualorientation") WHERE step = 'staging1.lacreiid_sexualorientation';
COMMENT ON TABLE "lacreisaude_staging_01"."lacreiid_sexualorientation" IS 'Lookup of sexual orientations.';
