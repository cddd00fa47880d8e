-- Staging 1: lacrei_privacydocument
-- Grain: one row per source row (key id).
-- Rule: a copy of the source table with the source types; every column is extracted.
SELECT
    id,
    created_at,
    updated_at,
    privacy_policy,
    terms_of_use,
    profile_type
FROM {{ source "app" "lacrei_privacydocument" }}
