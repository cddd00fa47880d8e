-- model.dim_lacreisaude_clinic (upsert): rendered as of 2025-12-01 by engine render --approve
SET LOCAL default_statistics_target = '10';
SET LOCAL jit = 'off';
SET LOCAL max_parallel_workers_per_gather = '1';
SET LOCAL parallel_setup_cost = '100';
SET LOCAL parallel_tuple_cost = '0.01';
SET LOCAL random_page_cost = '1.1';
SET LOCAL work_mem = '64MB';
SET LOCAL lacrei_pipeline.step = 'model.dim_lacreisaude_clinic';
-- model.dim_lacreisaude_clinic: upsert into "lacreisaude_model"."dim_lacreisaude_clinic" by (clinic_id); rows the SELECT no longer returns are deleted
CREATE TEMP TABLE lp_step_rows ON COMMIT DROP AS
-- Model: dim_lacreisaude_clinic
-- Grain: one row per clinic (key clinic_id = the source id).
-- Rule (SPEC §9.4): the clinic's professional, modality flags, city, state as UF, parsed
-- prices and conditions, in person and online.
-- Materialization: upsert by clinic_id with delete_missing (see dim_lacreisaude_patient.sql).
SELECT
    clinic.id AS clinic_id,
    clinic.professional_id,
    clinic.is_presential_clinic AS is_presential,
    clinic.is_online_clinic AS is_online,
    clinic.city,
    state.uf AS state,
    clinic.consult_price,
    clinic.duration_minutes,
    clinic.accepts_insurance_providers AS accepts_insurance,
    clinic.provides_accessibility_standards AS accessibility,
    clinic.online_clinic_consult_price AS online_consult_price,
    clinic.online_clinic_duration_minutes AS online_duration_minutes,
    clinic.online_clinic_accepts_insurance_providers AS online_accepts_insurance
FROM "lacreisaude_staging_02"."lacreisaude_clinic" AS clinic
LEFT JOIN "lacreisaude_staging_02"."address_state" AS state
    ON state.id = clinic.state_id
;
SELECT "lacreisaude_pipeline".lp_change_log_columns(p_step => 'model.dim_lacreisaude_clinic', p_columns => ARRAY['clinic_id', 'professional_id']::text[]);
DELETE FROM "lacreisaude_pipeline".changes AS c WHERE c.step = 'model.dim_lacreisaude_clinic' AND c.seq <= (SELECT min(k.consumed) FROM "lacreisaude_pipeline".change_cursors AS k WHERE k.producer = 'model.dim_lacreisaude_clinic' AND k.consumer = ANY (ARRAY['model.fact_lacreisaude_appointments']::text[]) HAVING count(*) = 1);
CALL "lacreisaude_pipeline".lp_materialize(p_mode => 'upsert', p_schema => 'lacreisaude_model', p_table => 'dim_lacreisaude_clinic', p_keys => ARRAY['clinic_id'], p_step => 'model.dim_lacreisaude_clinic', p_rows_table => 'lp_step_rows', p_delete_missing => true, p_full_refresh => false, p_track => true, p_step_setting => 'lacrei_pipeline.step', p_fillfactor => 100);
DROP TABLE lp_step_rows;
SELECT "lacreisaude_pipeline".lp_comments(p_kind => 'TABLE', p_table => '"lacreisaude_model"."dim_lacreisaude_clinic"', p_comment => 'Clinics with modality flags, city, UF, prices and conditions (in person and online).', p_columns => ARRAY[]::text[], p_column_comments => ARRAY[]::text[]);

-- ==== data test unique(clinic_id) (error): offending rows ====
SELECT "clinic_id", count(*) AS duplicates FROM "lacreisaude_model"."dim_lacreisaude_clinic" GROUP BY "clinic_id" HAVING count(*) > 1

-- ==== data test not_null(clinic_id) (error): offending rows ====
SELECT * FROM "lacreisaude_model"."dim_lacreisaude_clinic" WHERE "clinic_id" IS NULL

-- ==== data test accepted_values(state) (error): offending rows ====
SELECT "state", count(*) AS rows FROM "lacreisaude_model"."dim_lacreisaude_clinic" WHERE "state" IS NOT NULL AND "state"::text NOT IN ('AC', 'AL', 'AP', 'AM', 'BA', 'CE', 'DF', 'ES', 'GO', 'MA', 'MT', 'MS', 'MG', 'PA', 'PB', 'PR', 'PE', 'PI', 'RJ', 'RN', 'RS', 'RO', 'RR', 'SC', 'SP', 'SE', 'TO') GROUP BY "state"

-- ==== data test relationships(professional_id → model.dim_lacreisaude_professional) (error): offending rows ====
SELECT "professional_id", count(*) AS rows FROM "lacreisaude_model"."dim_lacreisaude_clinic" AS child WHERE "professional_id" IS NOT NULL AND NOT EXISTS (SELECT 1 FROM "lacreisaude_model"."dim_lacreisaude_professional" AS parent WHERE parent."professional_id" = child."professional_id") GROUP BY "professional_id"

-- ==== data test price_not_negative (error): offending rows ====
SELECT * FROM "lacreisaude_model"."dim_lacreisaude_clinic" WHERE NOT (consult_price >= 0)

-- ==== data tests not_null(clinic_id), accepted_values(state), price_not_negative in one pass (a test with offending rows then runs its own query) ====
SELECT
    count(*) FILTER (WHERE "clinic_id" IS NULL) AS lp_test_1,
    count(*) FILTER (WHERE "state" IS NOT NULL AND "state"::text NOT IN ('AC', 'AL', 'AP', 'AM', 'BA', 'CE', 'DF', 'ES', 'GO', 'MA', 'MT', 'MS', 'MG', 'PA', 'PB', 'PR', 'PE', 'PI', 'RJ', 'RN', 'RS', 'RO', 'RR', 'SC', 'SP', 'SE', 'TO')) AS lp_test_2,
    count(*) FILTER (WHERE NOT (consult_price >= 0)) AS lp_test_3
FROM "lacreisaude_model"."dim_lacreisaude_clinic"
