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
latest_reports AS (
    SELECT DISTINCT ON (appointment_id)
        appointment_id,
        report_id,
        rating
    FROM {{ ref "model.dim_lacreisaude_report" }}
    {{ if is_incremental }}
    WHERE appointment_id IN (SELECT scope.appointment_id FROM {{ scope }} AS scope)
    {{ end }}
    ORDER BY appointment_id, created_at DESC, report_id DESC
),
latest_cancellations AS (
    SELECT DISTINCT ON (appointment_id)
        appointment_id,
        cancellation_id
    FROM {{ ref "model.dim_lacreisaude_cancellation" }}
    {{ if is_incremental }}
    WHERE appointment_id IN (SELECT scope.appointment_id FROM {{ scope }} AS scope)
    {{ end }}
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
    FROM {{ ref "staging2.lacreiid_appointment" }} AS appointment
    LEFT JOIN {{ ref "model.dim_lacreisaude_patient" }} AS patient
        ON patient.patient_id = appointment.user_id
    LEFT JOIN single_modality_clinics
        ON single_modality_clinics.professional_id = appointment.professional_id
        AND single_modality_clinics.modality = appointment.modality
    LEFT JOIN latest_reports
        ON latest_reports.appointment_id = appointment.id
    LEFT JOIN latest_cancellations
        ON latest_cancellations.appointment_id = appointment.id
    {{ if is_incremental }}
    WHERE appointment.id IN (SELECT scope.appointment_id FROM {{ scope }} AS scope)
    {{ end }}
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
