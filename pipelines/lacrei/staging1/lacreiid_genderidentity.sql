-- Staging 1: lacreiid_genderidentity
-- Grain: one row per source row (key id).
-- Rule: a copy of the source table with the source types; every column is extracted
-- ("bagde" is the application's spelling).
SELECT
    id,
    created_at,
    updated_at,
    bagde,
    position_order,
    name
FROM {{ source "app" "lacreiid_genderidentity" }}
