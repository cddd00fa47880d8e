-- model.fact_lacreisaude_appointments (incremental): rendered as of 2025-12-01 by engine render --approve
SET LOCAL jit = 'off';
SET LOCAL random_page_cost = '1.1';
SET LOCAL work_mem = '64MB';
SET LOCAL lacrei_pipeline.step = 'model.fact_lacreisaude_appointments';
-- model.fact_lacreisaude_appointments: incremental upsert into "lacreisaude_model"."fact_lacreisaude_appointments" by (appointment_id) of the keys its scope selects from the changes of staging2.lacreiid_appointment, model.dim_lacreisaude_report, model.dim_lacreisaude_cancellation, model.dim_lacreisaude_patient, model.dim_lacreisaude_clinic
-- (when the table is new, a change log restarted, or its SQL or other inputs changed, the whole SELECT runs instead: render --full-refresh shows it)
CREATE TEMP TABLE lp_scope ON COMMIT DROP AS
-- Scope of model.fact_lacreisaude_appointments: every appointment whose fact row a change
-- upstream can have touched, from the old and new images of the changed rows:
--   an appointment that changed (or left staging 2);
--   the appointment of a report or cancellation that changed (its latest one may differ);
--   the appointments of a user who became or stopped being a patient;
--   the appointments of a professional whose clinics changed (the single-clinic fallback).
SELECT
    changed.id AS appointment_id
FROM (SELECT r."id" FROM "lacreisaude_pipeline".changes AS c CROSS JOIN LATERAL jsonb_populate_record(NULL::"lacreisaude_staging_02"."lacreiid_appointment", c.image) AS r WHERE c.step = 'staging2.lacreiid_appointment' AND c.seq > coalesce((SELECT k.consumed FROM "lacreisaude_pipeline".change_cursors AS k WHERE k.consumer = 'model.fact_lacreisaude_appointments' AND k.producer = 'staging2.lacreiid_appointment'), 0) AND NOT c.key_only UNION ALL SELECT t."id" FROM "lacreisaude_staging_02"."lacreiid_appointment" AS t WHERE (t."id") IN (SELECT r."id" FROM "lacreisaude_pipeline".changes AS c CROSS JOIN LATERAL jsonb_populate_record(NULL::"lacreisaude_staging_02"."lacreiid_appointment", c.image) AS r WHERE c.step = 'staging2.lacreiid_appointment' AND c.seq > coalesce((SELECT k.consumed FROM "lacreisaude_pipeline".change_cursors AS k WHERE k.consumer = 'model.fact_lacreisaude_appointments' AND k.producer = 'staging2.lacreiid_appointment'), 0))) AS changed
UNION
SELECT
    changed.appointment_id
FROM (SELECT r."report_id", r."appointment_id" FROM "lacreisaude_pipeline".changes AS c CROSS JOIN LATERAL jsonb_populate_record(NULL::"lacreisaude_model"."dim_lacreisaude_report", c.image) AS r WHERE c.step = 'model.dim_lacreisaude_report' AND c.seq > coalesce((SELECT k.consumed FROM "lacreisaude_pipeline".change_cursors AS k WHERE k.consumer = 'model.fact_lacreisaude_appointments' AND k.producer = 'model.dim_lacreisaude_report'), 0) AND NOT c.key_only UNION ALL SELECT t."report_id", t."appointment_id" FROM "lacreisaude_model"."dim_lacreisaude_report" AS t WHERE (t."report_id") IN (SELECT r."report_id" FROM "lacreisaude_pipeline".changes AS c CROSS JOIN LATERAL jsonb_populate_record(NULL::"lacreisaude_model"."dim_lacreisaude_report", c.image) AS r WHERE c.step = 'model.dim_lacreisaude_report' AND c.seq > coalesce((SELECT k.consumed FROM "lacreisaude_pipeline".change_cursors AS k WHERE k.consumer = 'model.fact_lacreisaude_appointments' AND k.producer = 'model.dim_lacreisaude_report'), 0))) AS changed
WHERE changed.appointment_id IS NOT NULL
UNION
SELECT
    changed.appointment_id
FROM (SELECT r."cancellation_id", r."appointment_id" FROM "lacreisaude_pipeline".changes AS c CROSS JOIN LATERAL jsonb_populate_record(NULL::"lacreisaude_model"."dim_lacreisaude_cancellation", c.image) AS r WHERE c.step = 'model.dim_lacreisaude_cancellation' AND c.seq > coalesce((SELECT k.consumed FROM "lacreisaude_pipeline".change_cursors AS k WHERE k.consumer = 'model.fact_lacreisaude_appointments' AND k.producer = 'model.dim_lacreisaude_cancellation'), 0) AND NOT c.key_only UNION ALL SELECT t."cancellation_id", t."appointment_id" FROM "lacreisaude_model"."dim_lacreisaude_cancellation" AS t WHERE (t."cancellation_id") IN (SELECT r."cancellation_id" FROM "lacreisaude_pipeline".changes AS c CROSS JOIN LATERAL jsonb_populate_record(NULL::"lacreisaude_model"."dim_lacreisaude_cancellation", c.image) AS r WHERE c.step = 'model.dim_lacreisaude_cancellation' AND c.seq > coalesce((SELECT k.consumed FROM "lacreisaude_pipeline".change_cursors AS k WHERE k.consumer = 'model.fact_lacreisaude_appointments' AND k.producer = 'model.dim_lacreisaude_cancellation'), 0))) AS changed
WHERE changed.appointment_id IS NOT NULL
UNION
SELECT
    appointment.id
FROM "lacreisaude_staging_02"."lacreiid_appointment" AS appointment
JOIN (
    SELECT DISTINCT
        patient_id
    FROM (SELECT r."patient_id" FROM "lacreisaude_pipeline".changes AS c CROSS JOIN LATERAL jsonb_populate_record(NULL::"lacreisaude_model"."dim_lacreisaude_patient", c.image) AS r WHERE c.step = 'model.dim_lacreisaude_patient' AND c.seq > coalesce((SELECT k.consumed FROM "lacreisaude_pipeline".change_cursors AS k WHERE k.consumer = 'model.fact_lacreisaude_appointments' AND k.producer = 'model.dim_lacreisaude_patient'), 0) AND NOT c.key_only UNION ALL SELECT t."patient_id" FROM "lacreisaude_model"."dim_lacreisaude_patient" AS t WHERE (t."patient_id") IN (SELECT r."patient_id" FROM "lacreisaude_pipeline".changes AS c CROSS JOIN LATERAL jsonb_populate_record(NULL::"lacreisaude_model"."dim_lacreisaude_patient", c.image) AS r WHERE c.step = 'model.dim_lacreisaude_patient' AND c.seq > coalesce((SELECT k.consumed FROM "lacreisaude_pipeline".change_cursors AS k WHERE k.consumer = 'model.fact_lacreisaude_appointments' AND k.producer = 'model.dim_lacreisaude_patient'), 0))) AS changed_rows
) AS changed
    ON changed.patient_id = appointment.user_id
UNION
SELECT
    appointment.id
FROM "lacreisaude_staging_02"."lacreiid_appointment" AS appointment
JOIN (
    SELECT DISTINCT
        professional_id
    FROM (SELECT r."clinic_id", r."professional_id" FROM "lacreisaude_pipeline".changes AS c CROSS JOIN LATERAL jsonb_populate_record(NULL::"lacreisaude_model"."dim_lacreisaude_clinic", c.image) AS r WHERE c.step = 'model.dim_lacreisaude_clinic' AND c.seq > coalesce((SELECT k.consumed FROM "lacreisaude_pipeline".change_cursors AS k WHERE k.consumer = 'model.fact_lacreisaude_appointments' AND k.producer = 'model.dim_lacreisaude_clinic'), 0) AND NOT c.key_only UNION ALL SELECT t."clinic_id", t."professional_id" FROM "lacreisaude_model"."dim_lacreisaude_clinic" AS t WHERE (t."clinic_id") IN (SELECT r."clinic_id" FROM "lacreisaude_pipeline".changes AS c CROSS JOIN LATERAL jsonb_populate_record(NULL::"lacreisaude_model"."dim_lacreisaude_clinic", c.image) AS r WHERE c.step = 'model.dim_lacreisaude_clinic' AND c.seq > coalesce((SELECT k.consumed FROM "lacreisaude_pipeline".change_cursors AS k WHERE k.consumer = 'model.fact_lacreisaude_appointments' AND k.producer = 'model.dim_lacreisaude_clinic'), 0))) AS changed_rows
) AS changed
    ON changed.professional_id = appointment.professional_id
;
ANALYZE lp_scope;
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
-- Materialization: incremental with a scope (fact_lacreisaude_appointments.scope.sql): a run
-- recomputes only the appointments that a change upstream can have touched, with the same
-- rules as a rebuild; the reports and cancellations read are those of these appointments.
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

        WHERE appointment_id IN (SELECT scope.appointment_id FROM lp_scope AS scope)

    ORDER BY appointment_id, created_at DESC, report_id DESC
),
latest_cancellations AS (
    SELECT DISTINCT ON (appointment_id)
        appointment_id,
        cancellation_id
    FROM "lacreisaude_model"."dim_lacreisaude_cancellation"

        WHERE appointment_id IN (SELECT scope.appointment_id FROM lp_scope AS scope)

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

        WHERE appointment.id IN (SELECT scope.appointment_id FROM lp_scope AS scope)

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
SELECT "lacreisaude_pipeline".lp_change_log_columns(p_step => 'model.fact_lacreisaude_appointments', p_columns => ARRAY['appointment_id', 'appointment_date_id', 'professional_id']::text[]);
DELETE FROM "lacreisaude_pipeline".changes AS c WHERE c.step = 'model.fact_lacreisaude_appointments' AND c.seq <= (SELECT min(k.consumed) FROM "lacreisaude_pipeline".change_cursors AS k WHERE k.producer = 'model.fact_lacreisaude_appointments' AND k.consumer = ANY (ARRAY['mart.professionals', 'model.fact_lacreisaude_professional_months']::text[]) HAVING count(*) = 2);
CALL "lacreisaude_pipeline".lp_materialize(p_mode => 'upsert', p_schema => 'lacreisaude_model', p_table => 'fact_lacreisaude_appointments', p_keys => ARRAY['appointment_id'], p_step => 'model.fact_lacreisaude_appointments', p_rows_table => 'lp_step_rows', p_delete_missing => false, p_full_refresh => false, p_track => true, p_scope_table => 'lp_scope', p_step_setting => 'lacrei_pipeline.step');
CREATE INDEX IF NOT EXISTS "fact_lacreisaude_appointments_professional_id_appo_c0d2b47c_idx" ON "lacreisaude_model"."fact_lacreisaude_appointments" ("professional_id", "appointment_date_id");
INSERT INTO "lacreisaude_pipeline".change_cursors (consumer, producer, consumed)
SELECT 'model.fact_lacreisaude_appointments', p.step, greatest((SELECT max(c.seq) FROM "lacreisaude_pipeline".changes AS c WHERE c.step = p.step), l.start_seq, 0)
FROM unnest(ARRAY['model.dim_lacreisaude_cancellation', 'model.dim_lacreisaude_clinic', 'model.dim_lacreisaude_patient', 'model.dim_lacreisaude_report', 'staging2.lacreiid_appointment']::text[]) AS p(step) LEFT JOIN "lacreisaude_pipeline".change_logs AS l ON l.step = p.step
ON CONFLICT (consumer, producer) DO UPDATE SET consumed = EXCLUDED.consumed;
DELETE FROM "lacreisaude_pipeline".changes AS c WHERE c.step = 'model.dim_lacreisaude_cancellation' AND c.seq <= (SELECT min(k.consumed) FROM "lacreisaude_pipeline".change_cursors AS k WHERE k.producer = 'model.dim_lacreisaude_cancellation' AND k.consumer = ANY (ARRAY['model.fact_lacreisaude_appointments']::text[]) HAVING count(*) = 1);
DELETE FROM "lacreisaude_pipeline".changes AS c WHERE c.step = 'model.dim_lacreisaude_clinic' AND c.seq <= (SELECT min(k.consumed) FROM "lacreisaude_pipeline".change_cursors AS k WHERE k.producer = 'model.dim_lacreisaude_clinic' AND k.consumer = ANY (ARRAY['model.fact_lacreisaude_appointments']::text[]) HAVING count(*) = 1);
DELETE FROM "lacreisaude_pipeline".changes AS c WHERE c.step = 'model.dim_lacreisaude_patient' AND c.seq <= (SELECT min(k.consumed) FROM "lacreisaude_pipeline".change_cursors AS k WHERE k.producer = 'model.dim_lacreisaude_patient' AND k.consumer = ANY (ARRAY['mart.patients', 'model.fact_lacreisaude_appointments']::text[]) HAVING count(*) = 2);
DELETE FROM "lacreisaude_pipeline".changes AS c WHERE c.step = 'model.dim_lacreisaude_report' AND c.seq <= (SELECT min(k.consumed) FROM "lacreisaude_pipeline".change_cursors AS k WHERE k.producer = 'model.dim_lacreisaude_report' AND k.consumer = ANY (ARRAY['model.fact_lacreisaude_appointments']::text[]) HAVING count(*) = 1);
DELETE FROM "lacreisaude_pipeline".changes AS c WHERE c.step = 'staging2.lacreiid_appointment' AND c.seq <= (SELECT min(k.consumed) FROM "lacreisaude_pipeline".change_cursors AS k WHERE k.producer = 'staging2.lacreiid_appointment' AND k.consumer = ANY (ARRAY['model.fact_lacreisaude_appointments']::text[]) HAVING count(*) = 1);
DROP TABLE lp_scope;
COMMENT ON TABLE "lacreisaude_model"."fact_lacreisaude_appointments" IS 'One row per appointment that is not soft-deleted, with its clinic, latest report and cancellation, and outcome flags.';

-- ==== when the step recomputes everything (first run, --full-refresh, a changed input) ====
SET LOCAL jit = 'off';
SET LOCAL random_page_cost = '1.1';
SET LOCAL work_mem = '64MB';
SET LOCAL lacrei_pipeline.step = 'model.fact_lacreisaude_appointments';
-- model.fact_lacreisaude_appointments: upsert of the whole SELECT into "lacreisaude_model"."fact_lacreisaude_appointments" by (appointment_id); rows it no longer returns are deleted
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
-- Materialization: incremental with a scope (fact_lacreisaude_appointments.scope.sql): a run
-- recomputes only the appointments that a change upstream can have touched, with the same
-- rules as a rebuild; the reports and cancellations read are those of these appointments.
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
SELECT "lacreisaude_pipeline".lp_change_log_columns(p_step => 'model.fact_lacreisaude_appointments', p_columns => ARRAY['appointment_id', 'appointment_date_id', 'professional_id']::text[]);
DELETE FROM "lacreisaude_pipeline".changes AS c WHERE c.step = 'model.fact_lacreisaude_appointments' AND c.seq <= (SELECT min(k.consumed) FROM "lacreisaude_pipeline".change_cursors AS k WHERE k.producer = 'model.fact_lacreisaude_appointments' AND k.consumer = ANY (ARRAY['mart.professionals', 'model.fact_lacreisaude_professional_months']::text[]) HAVING count(*) = 2);
CALL "lacreisaude_pipeline".lp_materialize(p_mode => 'upsert', p_schema => 'lacreisaude_model', p_table => 'fact_lacreisaude_appointments', p_keys => ARRAY['appointment_id'], p_step => 'model.fact_lacreisaude_appointments', p_rows_table => 'lp_step_rows', p_delete_missing => true, p_full_refresh => false, p_track => true, p_step_setting => 'lacrei_pipeline.step');
CREATE INDEX IF NOT EXISTS "fact_lacreisaude_appointments_professional_id_appo_c0d2b47c_idx" ON "lacreisaude_model"."fact_lacreisaude_appointments" ("professional_id", "appointment_date_id");
INSERT INTO "lacreisaude_pipeline".change_cursors (consumer, producer, consumed)
SELECT 'model.fact_lacreisaude_appointments', p.step, greatest((SELECT max(c.seq) FROM "lacreisaude_pipeline".changes AS c WHERE c.step = p.step), l.start_seq, 0)
FROM unnest(ARRAY['model.dim_lacreisaude_cancellation', 'model.dim_lacreisaude_clinic', 'model.dim_lacreisaude_patient', 'model.dim_lacreisaude_report', 'staging2.lacreiid_appointment']::text[]) AS p(step) LEFT JOIN "lacreisaude_pipeline".change_logs AS l ON l.step = p.step
ON CONFLICT (consumer, producer) DO UPDATE SET consumed = EXCLUDED.consumed;
DELETE FROM "lacreisaude_pipeline".changes AS c WHERE c.step = 'model.dim_lacreisaude_cancellation' AND c.seq <= (SELECT min(k.consumed) FROM "lacreisaude_pipeline".change_cursors AS k WHERE k.producer = 'model.dim_lacreisaude_cancellation' AND k.consumer = ANY (ARRAY['model.fact_lacreisaude_appointments']::text[]) HAVING count(*) = 1);
DELETE FROM "lacreisaude_pipeline".changes AS c WHERE c.step = 'model.dim_lacreisaude_clinic' AND c.seq <= (SELECT min(k.consumed) FROM "lacreisaude_pipeline".change_cursors AS k WHERE k.producer = 'model.dim_lacreisaude_clinic' AND k.consumer = ANY (ARRAY['model.fact_lacreisaude_appointments']::text[]) HAVING count(*) = 1);
DELETE FROM "lacreisaude_pipeline".changes AS c WHERE c.step = 'model.dim_lacreisaude_patient' AND c.seq <= (SELECT min(k.consumed) FROM "lacreisaude_pipeline".change_cursors AS k WHERE k.producer = 'model.dim_lacreisaude_patient' AND k.consumer = ANY (ARRAY['mart.patients', 'model.fact_lacreisaude_appointments']::text[]) HAVING count(*) = 2);
DELETE FROM "lacreisaude_pipeline".changes AS c WHERE c.step = 'model.dim_lacreisaude_report' AND c.seq <= (SELECT min(k.consumed) FROM "lacreisaude_pipeline".change_cursors AS k WHERE k.producer = 'model.dim_lacreisaude_report' AND k.consumer = ANY (ARRAY['model.fact_lacreisaude_appointments']::text[]) HAVING count(*) = 1);
DELETE FROM "lacreisaude_pipeline".changes AS c WHERE c.step = 'staging2.lacreiid_appointment' AND c.seq <= (SELECT min(k.consumed) FROM "lacreisaude_pipeline".change_cursors AS k WHERE k.producer = 'staging2.lacreiid_appointment' AND k.consumer = ANY (ARRAY['model.fact_lacreisaude_appointments']::text[]) HAVING count(*) = 1);
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
