-- Staging 1: lacreiid_disabilitytype
-- Grain: one row per source row (key id).
-- Rule: a copy of the source table with the source types; every column is extracted.
SELECT
    id,
    created_at,
    updated_at,
    badge,
    position_order,
    name
FROM {{ source "app" "lacreiid_disabilitytype" }}
