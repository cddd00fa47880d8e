SET LOCAL random_page_cost = '1.1';
SET LOCAL work_mem = '64MB';
-- staging2.lacreiid_profile: upsert into "lacreisaude_staging_02"."lacreiid_profile" by (id); rows the SELECT no longer returns are deleted
CREATE TEMP TABLE lp_step_rows ON COMMIT DROP AS
-- Staging 2: lacreiid_profile
-- Grain: one row per patient profile that belongs to a user (key id).
-- Rule: a profile without user_id cannot make anyone a patient; it is listed in
-- staging2.rejects and left out here (exactly the rows rejects lists for this step).
-- Materialization: upsert by id with delete_missing (see lacrei_privacydocument.sql).
WITH rejected AS (
    SELECT
        source_key
    FROM "lacreisaude_staging_02"."rejects"
    WHERE step = 'staging2.lacreiid_profile'
)
SELECT
    profile.id,
    profile.created_at,
    profile.updated_at,
    profile.user_id,
    profile.completed,
    profile.ethnic_group_id,
    profile.gender_identity_id,
    profile.pronoun_id,
    profile.sexual_orientation_id
FROM "lacreisaude_staging_01"."lacreiid_profile" AS profile
WHERE NOT EXISTS (
    SELECT 1
    FROM rejected
    WHERE rejected.source_key = profile.id::text
)
;
CALL "lacreisaude_pipeline".lp_materialize('upsert', 'lacreisaude_staging_02', 'lacreiid_profile', ARRAY['id'], true, false, 'staging2.lacreiid_profile', false, false, NULL, NULL);
DROP TABLE lp_step_rows;
COMMENT ON TABLE "lacreisaude_staging_02"."lacreiid_profile" IS 'Patient profiles that belong to a user.';
