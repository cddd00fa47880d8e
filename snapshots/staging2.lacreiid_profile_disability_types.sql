-- staging2.lacreiid_profile_disability_types (upsert): rendered as of 2025-12-01 by engine render --approve
SET LOCAL default_statistics_target = '10';
SET LOCAL jit = 'off';
SET LOCAL max_parallel_workers_per_gather = '1';
SET LOCAL parallel_setup_cost = '100';
SET LOCAL parallel_tuple_cost = '0.01';
SET LOCAL random_page_cost = '1.1';
SET LOCAL work_mem = '64MB';
SET LOCAL lacrei_pipeline.step = 'staging2.lacreiid_profile_disability_types';
-- staging2.lacreiid_profile_disability_types: upsert into "lacreisaude_staging_02"."lacreiid_profile_disability_types" by (id); rows the SELECT no longer returns are deleted
CREATE TEMP TABLE lp_step_rows ON COMMIT DROP AS
-- Staging 2: lacreiid_profile_disability_types
-- Grain: one row per profile to disability type link (key id).
-- Rule: a link without both ends (profile_id or disabilitytype_id NULL) cannot be used; it is listed
-- in staging2.rejects and left out here (exactly the rows rejects lists for this step).
-- Duplicate links are kept: the model takes the distinct types.
-- Materialization: upsert by id with delete_missing (see lacrei_privacydocument.sql).
WITH rejected AS (
    SELECT
        source_key
    FROM "lacreisaude_staging_02"."rejects"
    WHERE step = 'staging2.lacreiid_profile_disability_types'
)
SELECT
    link.id,
    link.profile_id,
    link.disabilitytype_id
FROM "lacreisaude_staging_01"."lacreiid_profile_disability_types" AS link
WHERE NOT EXISTS (
    SELECT 1
    FROM rejected
    WHERE rejected.source_key = link.id::text
)
;
SELECT "lacreisaude_pipeline".lp_change_log_columns(p_step => 'staging2.lacreiid_profile_disability_types', p_columns => ARRAY['id', 'profile_id']::text[]);
DELETE FROM "lacreisaude_pipeline".changes AS c WHERE c.step = 'staging2.lacreiid_profile_disability_types' AND c.seq <= (SELECT min(k.consumed) FROM "lacreisaude_pipeline".change_cursors AS k WHERE k.producer = 'staging2.lacreiid_profile_disability_types' AND k.consumer = ANY (ARRAY['model.dim_lacreisaude_patient']::text[]) HAVING count(*) = 1);
CALL "lacreisaude_pipeline".lp_materialize(p_mode => 'upsert', p_schema => 'lacreisaude_staging_02', p_table => 'lacreiid_profile_disability_types', p_keys => ARRAY['id'], p_step => 'staging2.lacreiid_profile_disability_types', p_rows_table => 'lp_step_rows', p_delete_missing => true, p_full_refresh => false, p_track => true, p_step_setting => 'lacrei_pipeline.step', p_fillfactor => 100);
DROP TABLE lp_step_rows;
SELECT "lacreisaude_pipeline".lp_comments(p_kind => 'TABLE', p_table => '"lacreisaude_staging_02"."lacreiid_profile_disability_types"', p_comment => 'Complete profile to disability type links.', p_columns => ARRAY[]::text[], p_column_comments => ARRAY[]::text[]);
