-- Model: fact_lacreisaude_appointments
-- Grain: one row per appointment whose deleted_at is NULL (key appointment_id).
-- Rule (SPEC §9.4):
--   appointment_id  the appointment's keyed pseudonym (staging 2's appointment_key);
--   patient_id   the user's pseudonym when the user is a patient (a user with at least one
--                profile, as in dim_lacreisaude_patient), else NULL;
--   clinic_id    the appointment's own; else the professional's only clinic that serves the
--                modality (is_online for online, is_presential for in person); else NULL;
--   report_id, rating  the latest report by created_at, then highest source id, and its rating
--                even when NULL (an older valid rating is not used); report_id is its pseudonym;
--   cancellation_id    the latest cancellation likewise, as its pseudonym;
--   is_cancelled = status 'cancelled' or a cancellation exists; is_completed = status
--   'completed' and not cancelled; is_no_show = status 'no_show' and not cancelled.
-- The latest report and cancellation are chosen in staging 2, where the source ids that break
-- ties are; only the chosen ones are hashed. Patients are read from staging 2 too (patient_key),
-- so the fact does not recompute everything when a patient's attributes change.
-- Date keys are YYYYMMDD of the dates in vars.timezone (staging 2); every one is in
-- dim_lacreisaude_date, which is widened to the data.
-- Materialization: incremental with a scope (fact_lacreisaude_appointments.scope.sql): a run
-- recomputes only the appointments that a change upstream can have touched (found by the index
-- on appointment_key), with the same rules as a rebuild; the reports and cancellations read are
-- those of these appointments.
WITH single_modality_clinics AS (
    SELECT
        professional_id,
        'online' AS modality,
        min(clinic_id) AS clinic_id
    FROM {{ ref "model.dim_lacreisaude_clinic" }}
    WHERE is_online
        AND professional_id IS NOT NULL
    GROUP BY professional_id
    HAVING count(*) = 1
    UNION ALL
    SELECT
        professional_id,
        'in_person' AS modality,
        min(clinic_id) AS clinic_id
    FROM {{ ref "model.dim_lacreisaude_clinic" }}
    WHERE is_presential
        AND professional_id IS NOT NULL
    GROUP BY professional_id
    HAVING count(*) = 1
),
scoped_appointments AS (
    SELECT
        id,
        appointment_key,
        user_id,
        professional_id,
        clinic_id,
        created_date,
        appointment_date,
        status,
        modality,
        waiting_time_days
    FROM {{ ref "staging2.lacreiid_appointment" }}
    {{ if is_incremental }}
    WHERE appointment_key IN (SELECT scope.appointment_id FROM {{ scope }} AS scope)
    {{ end }}
),
latest_reports AS (
    SELECT DISTINCT ON (report.appointment_id)
        report.appointment_id,
        report.id,
        report.rating
    FROM {{ ref "staging2.lacreiid_report" }} AS report
    {{ if is_incremental }}
    WHERE report.appointment_id IN (SELECT scoped_appointments.id FROM scoped_appointments)
    {{ end }}
    ORDER BY report.appointment_id, report.created_at DESC, report.id DESC
),
latest_cancellations AS (
    SELECT DISTINCT ON (cancellation.appointment_id)
        cancellation.appointment_id,
        cancellation.id
    FROM {{ ref "staging2.lacreiid_cancellation" }} AS cancellation
    {{ if is_incremental }}
    WHERE cancellation.appointment_id IN (SELECT scoped_appointments.id FROM scoped_appointments)
    {{ end }}
    ORDER BY cancellation.appointment_id, cancellation.created_at DESC, cancellation.id DESC
),
patient_users AS (
    SELECT DISTINCT
        profile.user_id
    FROM {{ ref "staging2.lacreiid_profile" }} AS profile
    WHERE profile.user_id IS NOT NULL
    {{ if is_incremental }}
        AND profile.user_id IN (SELECT scoped_appointments.user_id FROM scoped_appointments)
    {{ end }}
),
appointments AS (
    SELECT
        appointment.appointment_key AS appointment_id,
        CASE WHEN patient_users.user_id IS NOT NULL THEN users.patient_key END AS patient_id,
        appointment.professional_id,
        coalesce(appointment.clinic_id, single_modality_clinics.clinic_id) AS clinic_id,
        {{ pseudonym "report" "latest_reports.id" }} AS report_id,
        latest_reports.rating,
        {{ pseudonym "cancellation" "latest_cancellations.id" }} AS cancellation_id,
        appointment.created_date,
        appointment.appointment_date,
        appointment.status,
        appointment.modality,
        (appointment.status = 'cancelled' OR latest_cancellations.id IS NOT NULL) AS is_cancelled,
        appointment.waiting_time_days
    FROM scoped_appointments AS appointment
    LEFT JOIN {{ ref "staging2.lacreiid_user" }} AS users
        ON users.id = appointment.user_id
    LEFT JOIN patient_users
        ON patient_users.user_id = appointment.user_id
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
