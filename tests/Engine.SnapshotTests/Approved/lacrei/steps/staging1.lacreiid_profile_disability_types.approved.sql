SET LOCAL random_page_cost = '1.1';
SET LOCAL work_mem = '64MB';
SET LOCAL lacrei_pipeline.step = 'staging1.lacreiid_profile_disability_types';
-- staging1.lacreiid_profile_disability_types: extract from source 'app' "lacreisaude-relacional"."lacreiid_profile_disability_types" by key id, whole table, deletes: reconcile
-- rows stream from the source with binary COPY (INSERT ... SELECT when the source is this database)
-- source: COPY (SELECT "id", "profile_id", "disabilitytype_id" FROM "lacreisaude-relacional"."lacreiid_profile_disability_types" AS r) TO STDOUT (FORMAT BINARY)
-- skipped when the source's fingerprint (SELECT count(*)::text || '/' || coalesce(sum(hash_record_extended(ROW(record_send(r)), 0)::numeric), 0)::text || '/' || coalesce(bit_xor(hash_record_extended(ROW(record_send(r)), 1)), 0)::text FROM (SELECT "id", "profile_id", "disabilitytype_id" FROM "lacreisaude-relacional"."lacreiid_profile_disability_types" AS r) AS r) equals the step's stored watermark;
-- otherwise reloaded whole, and the fingerprint stored as the watermark in this transaction
CREATE TEMP TABLE lp_step_rows (<the source's column types>) ON COMMIT DROP;
COPY lp_step_rows ("id", "profile_id", "disabilitytype_id") FROM STDIN (FORMAT BINARY);
CALL "lacreisaude_pipeline".lp_materialize(p_mode => 'upsert', p_schema => 'lacreisaude_staging_01', p_table => 'lacreiid_profile_disability_types', p_keys => ARRAY['id'], p_step => 'staging1.lacreiid_profile_disability_types', p_rows_table => 'lp_step_rows', p_delete_missing => true, p_full_refresh => false, p_track => false, p_step_setting => 'lacrei_pipeline.step');
DROP TABLE lp_step_rows;
COMMENT ON TABLE "lacreisaude_staging_01"."lacreiid_profile_disability_types" IS 'Disability types of each patient profile (link table).';
