-- Scope of model.fact_lacreisaude_appointments: every appointment whose fact row a change
-- upstream can have touched, from the old and new images of the changed rows:
--   an appointment that changed (or left staging 2);
--   the appointment of a report or cancellation that changed (its latest one may differ);
--   the appointments of a user who became or stopped being a patient;
--   the appointments of a professional whose clinics changed (the single-clinic fallback).
SELECT
    changed.id AS appointment_id
FROM {{ changes "staging2.lacreiid_appointment" }} AS changed
UNION
SELECT
    changed.appointment_id
FROM {{ changes "model.dim_lacreisaude_report" "appointment_id" }} AS changed
WHERE changed.appointment_id IS NOT NULL
UNION
SELECT
    changed.appointment_id
FROM {{ changes "model.dim_lacreisaude_cancellation" "appointment_id" }} AS changed
WHERE changed.appointment_id IS NOT NULL
UNION
SELECT
    appointment.id
FROM {{ ref "staging2.lacreiid_appointment" }} AS appointment
JOIN (
    SELECT DISTINCT
        patient_id
    FROM {{ changes "model.dim_lacreisaude_patient" }} AS changed_rows
) AS changed
    ON changed.patient_id = appointment.user_id
UNION
SELECT
    appointment.id
FROM {{ ref "staging2.lacreiid_appointment" }} AS appointment
JOIN (
    SELECT DISTINCT
        professional_id
    FROM {{ changes "model.dim_lacreisaude_clinic" "professional_id" }} AS changed_rows
) AS changed
    ON changed.professional_id = appointment.professional_id
