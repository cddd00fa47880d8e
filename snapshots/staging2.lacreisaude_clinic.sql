-- staging2.lacreisaude_clinic (upsert): rendered as of 2025-12-01 by engine render --approve
SET LOCAL default_statistics_target = '10';
SET LOCAL jit = 'off';
SET LOCAL max_parallel_workers_per_gather = '1';
SET LOCAL parallel_setup_cost = '100';
SET LOCAL parallel_tuple_cost = '0.01';
SET LOCAL random_page_cost = '1.1';
SET LOCAL work_mem = '64MB';
SET LOCAL lacrei_pipeline.step = 'staging2.lacreisaude_clinic';
-- staging2.lacreisaude_clinic: upsert into "lacreisaude_staging_02"."lacreisaude_clinic" by (id); rows the SELECT no longer returns are deleted
CREATE TEMP TABLE lp_step_rows ON COMMIT DROP AS
-- Staging 2: lacreisaude_clinic
-- Grain: one row per clinic (key id).
-- Rule (SPEC §9.3): city trimmed with inner spaces collapsed (empty → NULL); consult prices
-- parsed by parse_price_v3, Brazilian writing first ('R$ 1.234,56' → 1234.56, '150,00' /
-- '150.00' → 150.00, 'R$ 1.500' → 1500, '1.234.567' → 1234567, '150.5' → 150.5, '150' → 150,
-- empty or unparseable → NULL; the rule, and why a changed rule gets a new function name, are
-- in migrations/0004_parse_price_brazilian.sql). Clinic name, neighbourhood and the registered
-- neighbourhood are not carried on (data minimisation: a clinic's name is often its
-- professional's name).
-- Materialization: upsert by id with delete_missing (see lacrei_privacydocument.sql).
SELECT
    id,
    created_at,
    updated_at,
    professional_id,
    is_presential_clinic,
    is_online_clinic,
    NULLIF(regexp_replace(btrim(city, E' \t\r\n'), '\s+', ' ', 'g'), '') AS city,
    state_id,
    "lacreisaude_staging_02".parse_price_v3(consult_price) AS consult_price,
    duration_minutes,
    accepts_insurance_providers,
    provides_accessibility_standards,
    "lacreisaude_staging_02".parse_price_v3(online_clinic_consult_price) AS online_clinic_consult_price,
    online_clinic_duration_minutes,
    online_clinic_accepts_insurance_providers
FROM "lacreisaude_staging_01"."lacreisaude_clinic"
;
CALL "lacreisaude_pipeline".lp_materialize(p_mode => 'upsert', p_schema => 'lacreisaude_staging_02', p_table => 'lacreisaude_clinic', p_keys => ARRAY['id'], p_step => 'staging2.lacreisaude_clinic', p_rows_table => 'lp_step_rows', p_delete_missing => true, p_full_refresh => false, p_track => false, p_step_setting => 'lacrei_pipeline.step', p_fillfactor => 100);
DROP TABLE lp_step_rows;
SELECT "lacreisaude_pipeline".lp_comments(p_kind => 'TABLE', p_table => '"lacreisaude_staging_02"."lacreisaude_clinic"', p_comment => 'Clinics with city cleaned and prices parsed to numeric.', p_columns => ARRAY[]::text[], p_column_comments => ARRAY[]::text[]);
