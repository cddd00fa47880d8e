-- Staging 1: lacreiid_report
-- Grain: one row per source row (key id).
-- Rule: a copy of the source table with the source types. The free-text feedback is never
-- extracted (data minimisation, SPEC §9.2); only whether one was given (has_feedback: not
-- NULL and not blank), which dim_lacreisaude_report needs, is derived at extraction.
SELECT
    id,
    created_at,
    updated_at,
    (NULLIF(btrim(feedback, E' \t\r\n'), '') IS NOT NULL) AS has_feedback,
    eval,
    appointment_id,
    created_by_content_type_id,
    created_by_object_id
FROM {{ source "app" "lacreiid_report" }}
