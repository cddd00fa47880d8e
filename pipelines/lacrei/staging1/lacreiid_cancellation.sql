-- Staging 1: lacreiid_cancellation
-- Grain: one row per source row (key id).
-- Rule: a copy of the source table with the source types. The free-text reason is never
-- extracted (data minimisation, SPEC §9.2); only whether one was given (has_reason: not NULL
-- and not blank), which dim_lacreisaude_cancellation needs, is derived at extraction.
SELECT
    id,
    created_at,
    updated_at,
    (NULLIF(btrim(reason, E' \t\r\n'), '') IS NOT NULL) AS has_reason,
    appointment_id,
    created_by_content_type_id,
    created_by_object_id
FROM {{ source "app" "lacreiid_cancellation" }}
