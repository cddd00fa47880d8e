-- Model: dim_lacreisaude_report
-- Grain: one row per rating of an appointment (key report_id = the report's keyed pseudonym).
-- Rule (SPEC §9.4): rating is 1 to 5 or NULL (cleaned in staging 2); has_feedback tells
-- whether a free-text feedback was given, never the text. report_id and appointment_id are keyed
-- pseudonyms (SPEC §9.4), the same as the fact's.
-- Materialization: upsert by report_id with delete_missing (see dim_lacreisaude_patient.sql).
SELECT
    {{ pseudonym "report" "report.id" }} AS report_id,
    {{ pseudonym "appointment" "report.appointment_id" }} AS appointment_id,
    report.created_at,
    report.created_date,
    report.rating,
    report.has_feedback
FROM {{ ref "staging2.lacreiid_report" }} AS report
