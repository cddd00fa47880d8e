-- model.fact_lacreisaude_appointments: upsert into "lacreisaude_model"."fact_lacreisaude_appointments" by (appointment_id); rows the SELECT no longer returns are deleted
CREATE TEMP TABLE lp_step_rows ON COMMIT DROP AS
-- Model: fact_lacreisaude_appointments
-- Grain: one row per appointment whose deleted_at is NULL (key appointment_id).
-- Rule (SPEC §9.4):
--   patient_id   the user id when the user is a patient (has a profile), else NULL;
--   clinic_id    the appointment's own; else the professional's only clinic that serves the
--                modality (is_online for online, is_presential for in person); else NULL;
--   report_id, rating  the latest report by created_at, then highest id, and its rating even
--                when NULL (an older valid rating is not used);
--   cancellation_id    the latest cancellation likewise;
--   is_cancelled = status 'cancelled' or a cancellation exists; is_completed = status
--   'completed' and not cancelled; is_no_show = status 'no_show' and not cancelled.
-- Date keys are YYYYMMDD of the dates in vars.timezone (staging 2); every one is in
-- dim_lacreisaude_date, which is widened to the data.
-- Materialization: upsert by appointment_id with delete_missing: the same rows as a rebuild,
-- but only appointments that changed are rewritten.
WITH single_modality_clinics AS (
    SELECT
        professional_id,
        'online' AS modality,
        min(clinic_id) AS clinic_id
    FROM "lacreisaude_model"."dim_lacreisaude_clinic"
    WHERE is_online
        AND professional_id IS NOT NULL
    GROUP BY professional_id
    HAVING count(*) = 1
    UNION ALL
    SELECT
        professional_id,
        'in_person' AS modality,
        min(clinic_id) AS clinic_id
    FROM "lacreisaude_model"."dim_lacreisaude_clinic"
    WHERE is_presential
        AND professional_id IS NOT NULL
    GROUP BY professional_id
    HAVING count(*) = 1
),
latest_reports AS (
    SELECT DISTINCT ON (appointment_id)
        appointment_id,
        report_id,
        rating
    FROM "lacreisaude_model"."dim_lacreisaude_report"
    ORDER BY appointment_id, created_at DESC, report_id DESC
),
latest_cancellations AS (
    SELECT DISTINCT ON (appointment_id)
        appointment_id,
        cancellation_id
    FROM "lacreisaude_model"."dim_lacreisaude_cancellation"
    ORDER BY appointment_id, created_at DESC, cancellation_id DESC
),
appointments AS (
    SELECT
        appointment.id AS appointment_id,
        patient.patient_id,
        appointment.professional_id,
        coalesce(appointment.clinic_id, single_modality_clinics.clinic_id) AS clinic_id,
        latest_reports.report_id,
        latest_reports.rating,
        latest_cancellations.cancellation_id,
        appointment.created_date,
        appointment.appointment_date,
        appointment.status,
        appointment.modality,
        (appointment.status = 'cancelled' OR latest_cancellations.cancellation_id IS NOT NULL) AS is_cancelled,
        appointment.waiting_time_days
    FROM "lacreisaude_staging_02"."lacreiid_appointment" AS appointment
    LEFT JOIN "lacreisaude_model"."dim_lacreisaude_patient" AS patient
        ON patient.patient_id = appointment.user_id
    LEFT JOIN single_modality_clinics
        ON single_modality_clinics.professional_id = appointment.professional_id
        AND single_modality_clinics.modality = appointment.modality
    LEFT JOIN latest_reports
        ON latest_reports.appointment_id = appointment.id
    LEFT JOIN latest_cancellations
        ON latest_cancellations.appointment_id = appointment.id
)
SELECT
    appointment_id,
    patient_id,
    professional_id,
    clinic_id,
    report_id,
    rating,
    cancellation_id,
    (EXTRACT(YEAR FROM created_date) * 10000
        + EXTRACT(MONTH FROM created_date) * 100
        + EXTRACT(DAY FROM created_date))::integer AS created_date_id,
    (EXTRACT(YEAR FROM appointment_date) * 10000
        + EXTRACT(MONTH FROM appointment_date) * 100
        + EXTRACT(DAY FROM appointment_date))::integer AS appointment_date_id,
    status,
    modality,
    is_cancelled,
    (status = 'completed' AND NOT is_cancelled) AS is_completed,
    (status = 'no_show' AND NOT is_cancelled) AS is_no_show,
    waiting_time_days
FROM appointments
;
CALL "lacreisaude_pipeline".lp_materialize('upsert', 'lacreisaude_model', 'fact_lacreisaude_appointments', ARRAY['appointment_id'], true, false, 'model.fact_lacreisaude_appointments', false, false, NULL, NULL);
DROP TABLE lp_step_rows;
COMMENT ON TABLE "lacreisaude_model"."fact_lacreisaude_appointments" IS 'One row per appointment that is not soft-deleted, with its clinic, latest report and cancellation, and outcome flags.';

-- ==== data test unique(appointment_id) (error): offending rows ====
SELECT "appointment_id", count(*) AS duplicates FROM "lacreisaude_model"."fact_lacreisaude_appointments" GROUP BY "appointment_id" HAVING count(*) > 1

-- ==== data test not_null(appointment_id, status, modality) (error): offending rows ====
SELECT * FROM "lacreisaude_model"."fact_lacreisaude_appointments" WHERE "appointment_id" IS NULL OR "status" IS NULL OR "modality" IS NULL

-- ==== data test accepted_values(status) (error): offending rows ====
SELECT "status", count(*) AS rows FROM "lacreisaude_model"."fact_lacreisaude_appointments" WHERE "status" IS NOT NULL AND "status"::text NOT IN ('completed', 'cancelled', 'scheduled', 'no_show', 'unknown') GROUP BY "status"

-- ==== data test accepted_values(modality) (error): offending rows ====
SELECT "modality", count(*) AS rows FROM "lacreisaude_model"."fact_lacreisaude_appointments" WHERE "modality" IS NOT NULL AND "modality"::text NOT IN ('online', 'in_person', 'unknown') GROUP BY "modality"

-- ==== data test relationships(patient_id → model.dim_lacreisaude_patient) (error): offending rows ====
SELECT "patient_id", count(*) AS rows FROM "lacreisaude_model"."fact_lacreisaude_appointments" AS child WHERE "patient_id" IS NOT NULL AND NOT EXISTS (SELECT 1 FROM "lacreisaude_model"."dim_lacreisaude_patient" AS parent WHERE parent."patient_id" = child."patient_id") GROUP BY "patient_id"

-- ==== data test relationships(professional_id → model.dim_lacreisaude_professional) (error): offending rows ====
SELECT "professional_id", count(*) AS rows FROM "lacreisaude_model"."fact_lacreisaude_appointments" AS child WHERE "professional_id" IS NOT NULL AND NOT EXISTS (SELECT 1 FROM "lacreisaude_model"."dim_lacreisaude_professional" AS parent WHERE parent."professional_id" = child."professional_id") GROUP BY "professional_id"

-- ==== data test relationships(clinic_id → model.dim_lacreisaude_clinic) (error): offending rows ====
SELECT "clinic_id", count(*) AS rows FROM "lacreisaude_model"."fact_lacreisaude_appointments" AS child WHERE "clinic_id" IS NOT NULL AND NOT EXISTS (SELECT 1 FROM "lacreisaude_model"."dim_lacreisaude_clinic" AS parent WHERE parent."clinic_id" = child."clinic_id") GROUP BY "clinic_id"

-- ==== data test relationships(report_id → model.dim_lacreisaude_report) (error): offending rows ====
SELECT "report_id", count(*) AS rows FROM "lacreisaude_model"."fact_lacreisaude_appointments" AS child WHERE "report_id" IS NOT NULL AND NOT EXISTS (SELECT 1 FROM "lacreisaude_model"."dim_lacreisaude_report" AS parent WHERE parent."report_id" = child."report_id") GROUP BY "report_id"

-- ==== data test relationships(cancellation_id → model.dim_lacreisaude_cancellation) (error): offending rows ====
SELECT "cancellation_id", count(*) AS rows FROM "lacreisaude_model"."fact_lacreisaude_appointments" AS child WHERE "cancellation_id" IS NOT NULL AND NOT EXISTS (SELECT 1 FROM "lacreisaude_model"."dim_lacreisaude_cancellation" AS parent WHERE parent."cancellation_id" = child."cancellation_id") GROUP BY "cancellation_id"

-- ==== data test relationships(created_date_id → model.dim_lacreisaude_date) (error): offending rows ====
SELECT "created_date_id", count(*) AS rows FROM "lacreisaude_model"."fact_lacreisaude_appointments" AS child WHERE "created_date_id" IS NOT NULL AND NOT EXISTS (SELECT 1 FROM "lacreisaude_model"."dim_lacreisaude_date" AS parent WHERE parent."date_id" = child."created_date_id") GROUP BY "created_date_id"

-- ==== data test relationships(appointment_date_id → model.dim_lacreisaude_date) (error): offending rows ====
SELECT "appointment_date_id", count(*) AS rows FROM "lacreisaude_model"."fact_lacreisaude_appointments" AS child WHERE "appointment_date_id" IS NOT NULL AND NOT EXISTS (SELECT 1 FROM "lacreisaude_model"."dim_lacreisaude_date" AS parent WHERE parent."date_id" = child."appointment_date_id") GROUP BY "appointment_date_id"

-- ==== data test completed_is_not_cancelled (error): offending rows ====
SELECT * FROM "lacreisaude_model"."fact_lacreisaude_appointments" WHERE NOT (NOT (is_completed AND is_cancelled))

-- ==== data test waiting_time_not_negative (error): offending rows ====
SELECT * FROM "lacreisaude_model"."fact_lacreisaude_appointments" WHERE NOT (waiting_time_days >= 0)
