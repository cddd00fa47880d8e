-- Scope of model.fact_lacreisaude_appointments: every appointment whose fact row a change
-- upstream can have touched, from the old and new images of the changed rows, as appointment
-- pseudonyms (the fact's key):
--   an appointment that changed (or left staging 2);
--   the appointment of a report or cancellation that changed (its latest one may differ);
--   the appointments of a user who came or went, or who gained or lost a profile (the fact reads
--   a user's patient_key, a function of the id, and whether the user has a profile, nothing else:
--   `changed` on the id leaves out a user or profile changed in another column, which touches no
--   fact row; a deleted user is found by its old row's id, a profile moved to another user at
--   both ends);
--   the appointments of a professional whose clinics changed (the single-clinic fallback).
-- Source ids from the change logs are hashed once each; appointments found through staging 2
-- carry their pseudonym (appointment_key).
SELECT
    {{ pseudonym "appointment" "changed_appointments.id" }} AS appointment_id
FROM (
    SELECT
        changed.id
    FROM {{ changes "staging2.lacreiid_appointment" }} AS changed
    UNION
    SELECT
        changed.appointment_id
    FROM {{ changes "staging2.lacreiid_report" "appointment_id" }} AS changed
    WHERE changed.appointment_id IS NOT NULL
    UNION
    SELECT
        changed.appointment_id
    FROM {{ changes "staging2.lacreiid_cancellation" "appointment_id" }} AS changed
    WHERE changed.appointment_id IS NOT NULL
) AS changed_appointments
UNION
SELECT
    appointment.appointment_key
FROM {{ ref "staging2.lacreiid_appointment" }} AS appointment
JOIN (
    SELECT
        changed.id AS user_id
    FROM {{ changed "staging2.lacreiid_user" "id" }} AS changed
    UNION
    SELECT
        changed.user_id
    FROM {{ changed "staging2.lacreiid_profile" "user_id" }} AS changed
    WHERE changed.user_id IS NOT NULL
) AS changed_users
    ON changed_users.user_id = appointment.user_id
UNION
SELECT
    appointment.appointment_key
FROM {{ ref "staging2.lacreiid_appointment" }} AS appointment
JOIN (
    SELECT DISTINCT
        professional_id
    FROM {{ changes "model.dim_lacreisaude_clinic" "professional_id" }} AS changed_rows
) AS changed
    ON changed.professional_id = appointment.professional_id
