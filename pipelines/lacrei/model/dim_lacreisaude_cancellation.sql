-- Model: dim_lacreisaude_cancellation
-- Grain: one row per cancellation of an appointment (key cancellation_id = the source id).
-- Rule (SPEC §9.4): has_reason tells whether a reason was given, never the text.
-- Materialization: upsert by cancellation_id with delete_missing (see dim_lacreisaude_patient.sql).
SELECT
    cancellation.id AS cancellation_id,
    cancellation.appointment_id,
    cancellation.created_at,
    cancellation.created_date,
    cancellation.has_reason
FROM {{ ref "staging2.lacreiid_cancellation" }} AS cancellation
