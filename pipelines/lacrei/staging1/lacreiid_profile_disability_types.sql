-- Staging 1: lacreiid_profile_disability_types
-- Grain: one row per source row (key id).
-- Rule: a copy of the source table with the source types; every column is extracted.
SELECT
    id,
    profile_id,
    disabilitytype_id
FROM {{ source "app" "lacreiid_profile_disability_types" }}
