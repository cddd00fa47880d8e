-- Model: dim_lacreisaude_cancellation
-- Grain: one row per cancellation of an appointment (key cancellation_id = the cancellation's
-- keyed pseudonym).
-- Rule (SPEC §9.4): has_reason tells whether a reason was given, never the text.
-- cancellation_id and appointment_id are keyed pseudonyms, the same as the fact's.
-- Materialization: upsert by cancellation_id with delete_missing (see dim_lacreisaude_patient.sql).
SELECT
    {{ pseudonym "cancellation" "cancellation.id" }} AS cancellation_id,
    {{ pseudonym "appointment" "cancellation.appointment_id" }} AS appointment_id,
    cancellation.created_at,
    cancellation.created_date,
    cancellation.has_reason
FROM {{ ref "staging2.lacreiid_cancellation" }} AS cancellation
