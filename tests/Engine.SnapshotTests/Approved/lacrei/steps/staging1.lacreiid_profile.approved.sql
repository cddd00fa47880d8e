SET LOCAL random_page_cost = '1.1';
SET LOCAL work_mem = '64MB';
-- staging1.lacreiid_profile: extract from source 'app' "lacreisaude-relacional"."lacreiid_profile" by key id, incremental on updated_at, deletes: reconcile
-- rows stream from the source with binary COPY (INSERT ... SELECT when the source is this database)
-- source: COPY (SELECT "id", "created_at", "updated_at", "other_article", "completed", "ethnic_group_id", "gender_identity_id", "pronoun_id", "sexual_orientation_id", "user_id" FROM "lacreisaude-relacional"."lacreiid_profile" WHERE "updated_at" >= <watermark>) TO STDOUT (FORMAT BINARY)
-- <watermark>: (SELECT value FROM "lacreisaude_pipeline".watermarks WHERE step = 'staging1.lacreiid_profile'), read in this transaction; absent on the first run (everything is copied)
CREATE TEMP TABLE lp_step_rows (<the source's column types>) ON COMMIT DROP;
COPY lp_step_rows ("id", "created_at", "updated_at", "other_article", "completed", "ethnic_group_id", "gender_identity_id", "pronoun_id", "sexual_orientation_id", "user_id") FROM STDIN (FORMAT BINARY);
INSERT INTO "lacreisaude_pipeline".watermarks (step, value, updated_at) SELECT 'staging1.lacreiid_profile', max("updated_at")::text, now() FROM lp_step_rows HAVING max("updated_at") IS NOT NULL ON CONFLICT (step) DO UPDATE SET value = EXCLUDED.value, updated_at = EXCLUDED.updated_at;
DELETE FROM "lacreisaude_pipeline".changes AS c WHERE c.step = 'staging1.lacreiid_profile' AND c.seq <= (SELECT min(k.consumed) FROM "lacreisaude_pipeline".change_cursors AS k WHERE k.producer = 'staging1.lacreiid_profile' AND k.consumer = ANY (ARRAY['staging2.lacreiid_profile']::text[]) HAVING count(*) = 1);
CALL "lacreisaude_pipeline".lp_materialize('upsert', 'lacreisaude_staging_01', 'lacreiid_profile', ARRAY['id'], false, false, 'staging1.lacreiid_profile', true, false, NULL, NULL);
DROP TABLE lp_step_rows;
-- UPDATE "lacreisaude_pipeline".watermarks SET staging_rows = staging_rows + (<rows the merge inserted> - <rows the soft deletes removed>) WHERE step = 'staging1.lacreiid_profile';
-- hard deletes, when the source's count (SELECT count(*) FROM "lacreisaude-relacional"."lacreiid_profile") differs from staging's (SELECT staging_rows FROM "lacreisaude_pipeline".watermarks WHERE step = 'staging1.lacreiid_profile'):
-- source: COPY (SELECT "id" FROM "lacreisaude-relacional"."lacreiid_profile") TO STDOUT (FORMAT BINARY) -> COPY lp_source_keys FROM STDIN (FORMAT BINARY)
WITH gone AS (DELETE FROM "lacreisaude_staging_01"."lacreiid_profile" AS t WHERE NOT EXISTS (SELECT 1 FROM lp_source_keys AS k WHERE k."id" = t."id") RETURNING t.*) INSERT INTO "lacreisaude_pipeline".changes (step, image) SELECT 'staging1.lacreiid_profile', to_jsonb(gone) FROM gone;
UPDATE "lacreisaude_pipeline".watermarks SET staging_rows = (SELECT count(*) FROM "lacreisaude_staging_01"."lacreiid_profile") WHERE step = 'staging1.lacreiid_profile';
COMMENT ON TABLE "lacreisaude_staging_01"."lacreiid_profile" IS 'Patient profiles, without free-text identity fields and photos.';
