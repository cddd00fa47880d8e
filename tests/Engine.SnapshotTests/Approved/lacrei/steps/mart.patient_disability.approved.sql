SET LOCAL random_page_cost = '1.1';
SET LOCAL work_mem = '64MB';
SET LOCAL lacrei_pipeline.step = 'mart.patient_disability';
-- mart.patient_disability: replace the rows of "lacreisaude_mart"."patient_disability" in this transaction
CREATE TEMP TABLE lp_step_rows ON COMMIT DROP AS
-- Mart: patient_disability
-- Grain: one row per (period_month, disability_type) as published after small-cell folding.
-- Rule (SPEC §9.5, §9.6): patients by sign-up month (vars.timezone) and each disability type
-- of their latest profile: a patient with two types counts in both; patients without a type
-- do not appear; a type without a name reads 'Não informado'. With k = vars.min_cell_size,
-- cells of at least k patients are published; the patients of the smaller cells of a month
-- are folded into one 'Suprimido' row, whatever its size, counting each patient once (a
-- patient with two rare types is one person in that row). k = 1 turns folding off.
-- Materialization: replace, so no stale row survives a run.
WITH settings AS (
    SELECT
        CAST('5' AS integer) AS min_cell_size
),
patient_types AS (
    SELECT
        patient.patient_id,
        patient.signup_month AS period_month,
        coalesce(disability.disability_type, 'Não informado') AS disability_type,
        coalesce(patient.is_active, FALSE) AS is_active
    FROM "lacreisaude_model"."dim_lacreisaude_patient" AS patient
    CROSS JOIN LATERAL unnest(patient.disability_types) AS disability(disability_type)
),
cells AS (
    SELECT
        patient_id,
        period_month,
        disability_type,
        is_active,
        count(*) OVER (PARTITION BY period_month, disability_type) AS cell_size
    FROM patient_types
),
published_people AS (
    SELECT DISTINCT
        period_month,
        CASE
            WHEN cells.cell_size >= settings.min_cell_size THEN disability_type
            ELSE 'Suprimido'
        END AS disability_type,
        patient_id,
        is_active
    FROM cells
    CROSS JOIN settings
)
SELECT
    period_month,
    disability_type::text AS disability_type,
    count(*) AS total_patients,
    count(*) FILTER (WHERE is_active) AS active_patients,
    count(*) FILTER (WHERE NOT is_active) AS inactive_patients
FROM published_people
GROUP BY period_month, disability_type
;
CALL "lacreisaude_pipeline".lp_materialize(p_mode => 'replace', p_schema => 'lacreisaude_mart', p_table => 'patient_disability', p_keys => ARRAY['period_month', 'disability_type'], p_step => 'mart.patient_disability', p_rows_table => 'lp_step_rows', p_delete_missing => false, p_full_refresh => false, p_track => false, p_step_setting => 'lacrei_pipeline.step');
DROP TABLE lp_step_rows;
COMMENT ON TABLE "lacreisaude_mart"."patient_disability" IS 'Monthly patient sign-ups by disability type (a patient with two types counts in both); small groups are folded into Suprimido.';
COMMENT ON COLUMN "lacreisaude_mart"."patient_disability"."active_patients" IS 'Of those, patients whose account is active.';
COMMENT ON COLUMN "lacreisaude_mart"."patient_disability"."disability_type" IS 'Disability type; Não informado when the type has no name; Suprimido for folded small groups.';
COMMENT ON COLUMN "lacreisaude_mart"."patient_disability"."inactive_patients" IS 'Of those, patients whose account is inactive or unknown.';
COMMENT ON COLUMN "lacreisaude_mart"."patient_disability"."period_month" IS 'First day of the sign-up month (in the pipeline time zone).';
COMMENT ON COLUMN "lacreisaude_mart"."patient_disability"."total_patients" IS 'Patients who signed up in the month and have this disability type.';

-- ==== data test unique(period_month, disability_type) (error): offending rows ====
SELECT "period_month", "disability_type", count(*) AS duplicates FROM "lacreisaude_mart"."patient_disability" GROUP BY "period_month", "disability_type" HAVING count(*) > 1

-- ==== data test not_null(period_month, disability_type) (error): offending rows ====
SELECT * FROM "lacreisaude_mart"."patient_disability" WHERE "period_month" IS NULL OR "disability_type" IS NULL

-- ==== data test min_cell_size(total_patients) (error): offending rows ====
SELECT * FROM (SELECT * FROM "lacreisaude_mart"."patient_disability" WHERE disability_type <> 'Suprimido') AS filtered WHERE "total_patients" BETWEEN 1 AND 4
