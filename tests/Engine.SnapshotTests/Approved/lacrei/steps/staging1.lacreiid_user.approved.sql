SET LOCAL random_page_cost = '1.1';
SET LOCAL work_mem = '64MB';
-- staging1.lacreiid_user: extract from source 'app' "lacreisaude-relacional"."lacreiid_user" by key id, incremental on updated_at, deletes: reconcile
-- rows stream from the source with binary COPY (INSERT ... SELECT when the source is this database)
-- source: COPY (SELECT "id", "is_superuser", "is_staff", "is_active", "created_at", "updated_at", "birth_date", "is_18_years_old_or_more", "last_login", "email_verified", "accepted_privacy_document", "newsletter_subscribed", "phone_verified", "privacy_document_id", "logged_as" FROM "lacreisaude-relacional"."lacreiid_user" WHERE "updated_at" >= <watermark>) TO STDOUT (FORMAT BINARY)
-- <watermark>: (SELECT value FROM "lacreisaude_pipeline".watermarks WHERE step = 'staging1.lacreiid_user'), read in this transaction; absent on the first run (everything is copied)
CREATE TEMP TABLE lp_step_rows (<the source's column types>) ON COMMIT DROP;
COPY lp_step_rows ("id", "is_superuser", "is_staff", "is_active", "created_at", "updated_at", "birth_date", "is_18_years_old_or_more", "last_login", "email_verified", "accepted_privacy_document", "newsletter_subscribed", "phone_verified", "privacy_document_id", "logged_as") FROM STDIN (FORMAT BINARY);
INSERT INTO "lacreisaude_pipeline".watermarks (step, value, updated_at) SELECT 'staging1.lacreiid_user', max("updated_at")::text, now() FROM lp_step_rows HAVING max("updated_at") IS NOT NULL ON CONFLICT (step) DO UPDATE SET value = EXCLUDED.value, updated_at = EXCLUDED.updated_at;
DELETE FROM "lacreisaude_pipeline".changes AS c WHERE c.step = 'staging1.lacreiid_user' AND c.seq <= (SELECT min(k.consumed) FROM "lacreisaude_pipeline".change_cursors AS k WHERE k.producer = 'staging1.lacreiid_user' AND k.consumer = ANY (ARRAY['staging2.lacreiid_user']::text[]) HAVING count(*) = 1);
CALL "lacreisaude_pipeline".lp_materialize('upsert', 'lacreisaude_staging_01', 'lacreiid_user', ARRAY['id'], false, false, 'staging1.lacreiid_user', true, false, NULL, NULL);
DROP TABLE lp_step_rows;
-- UPDATE "lacreisaude_pipeline".watermarks SET staging_rows = staging_rows + (<rows the merge inserted> - <rows the soft deletes removed>) WHERE step = 'staging1.lacreiid_user';
-- hard deletes, when the source's count (SELECT count(*) FROM "lacreisaude-relacional"."lacreiid_user") differs from staging's (SELECT staging_rows FROM "lacreisaude_pipeline".watermarks WHERE step = 'staging1.lacreiid_user'):
-- source: COPY (SELECT "id" FROM "lacreisaude-relacional"."lacreiid_user") TO STDOUT (FORMAT BINARY) -> COPY lp_source_keys FROM STDIN (FORMAT BINARY)
WITH gone AS (DELETE FROM "lacreisaude_staging_01"."lacreiid_user" AS t WHERE NOT EXISTS (SELECT 1 FROM lp_source_keys AS k WHERE k."id" = t."id") RETURNING t.*) INSERT INTO "lacreisaude_pipeline".changes (step, image) SELECT 'staging1.lacreiid_user', to_jsonb(gone) FROM gone;
UPDATE "lacreisaude_pipeline".watermarks SET staging_rows = (SELECT count(*) FROM "lacreisaude_staging_01"."lacreiid_user") WHERE step = 'staging1.lacreiid_user';
COMMENT ON TABLE "lacreisaude_staging_01"."lacreiid_user" IS 'Application users, without password, e-mail, names, phone or verification tokens.';
