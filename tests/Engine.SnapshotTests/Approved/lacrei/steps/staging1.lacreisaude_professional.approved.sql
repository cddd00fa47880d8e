SET LOCAL random_page_cost = '1.1';
SET LOCAL work_mem = '64MB';
-- staging1.lacreisaude_professional: extract from source 'app' "lacreisaude-relacional"."lacreisaude_professional" by key id, incremental on updated_at, deletes: reconcile
-- rows stream from the source with binary COPY (INSERT ... SELECT when the source is this database)
-- source: COPY (SELECT "id", "created_at", "updated_at", "other_article", "profile_status", "active", "published", "accepted_privacy_document", "safety_measures", "specialty", "ethnic_group_id", "gender_identity_id", "privacy_document_id", "profession_id", "pronoun_id", "sexual_orientation_id", "state_id", "user_id" FROM "lacreisaude-relacional"."lacreisaude_professional" WHERE "updated_at" >= <watermark>) TO STDOUT (FORMAT BINARY)
-- <watermark>: (SELECT value FROM "lacreisaude_pipeline".watermarks WHERE step = 'staging1.lacreisaude_professional'), read in this transaction; absent on the first run (everything is copied)
CREATE TEMP TABLE lp_step_rows (<the source's column types>) ON COMMIT DROP;
COPY lp_step_rows ("id", "created_at", "updated_at", "other_article", "profile_status", "active", "published", "accepted_privacy_document", "safety_measures", "specialty", "ethnic_group_id", "gender_identity_id", "privacy_document_id", "profession_id", "pronoun_id", "sexual_orientation_id", "state_id", "user_id") FROM STDIN (FORMAT BINARY);
INSERT INTO "lacreisaude_pipeline".watermarks (step, value, updated_at) SELECT 'staging1.lacreisaude_professional', max("updated_at")::text, now() FROM lp_step_rows HAVING max("updated_at") IS NOT NULL ON CONFLICT (step) DO UPDATE SET value = EXCLUDED.value, updated_at = EXCLUDED.updated_at;
CALL "lacreisaude_pipeline".lp_materialize('upsert', 'lacreisaude_staging_01', 'lacreisaude_professional', ARRAY['id'], false, false, 'staging1.lacreisaude_professional', false, false, NULL, NULL);
DROP TABLE lp_step_rows;
-- UPDATE "lacreisaude_pipeline".watermarks SET staging_rows = staging_rows + (<rows the merge inserted> - <rows the soft deletes removed>) WHERE step = 'staging1.lacreisaude_professional';
-- hard deletes, when the source's count (SELECT count(*) FROM "lacreisaude-relacional"."lacreisaude_professional") differs from staging's (SELECT staging_rows FROM "lacreisaude_pipeline".watermarks WHERE step = 'staging1.lacreisaude_professional'):
-- source: COPY (SELECT "id" FROM "lacreisaude-relacional"."lacreisaude_professional") TO STDOUT (FORMAT BINARY) -> COPY lp_source_keys FROM STDIN (FORMAT BINARY)
DELETE FROM "lacreisaude_staging_01"."lacreisaude_professional" AS t WHERE NOT EXISTS (SELECT 1 FROM lp_source_keys AS k WHERE k."id" = t."id");
UPDATE "lacreisaude_pipeline".watermarks SET staging_rows = (SELECT count(*) FROM "lacreisaude_staging_01"."lacreisaude_professional") WHERE step = 'staging1.lacreisaude_professional';
COMMENT ON TABLE "lacreisaude_staging_01"."lacreisaude_professional" IS 'Health professionals, without name, about_me, document and board numbers, photos and free-text identity fields.';
