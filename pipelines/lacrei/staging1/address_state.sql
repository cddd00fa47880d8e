-- Staging 1: address_state
-- Grain: one row per source row (key id).
-- Rule: a copy of the source table with the source types; every column is extracted.
SELECT
    id,
    created_at,
    updated_at,
    name,
    code,
    ibge_code,
    active,
    country_id
FROM {{ source "app" "address_state" }}
