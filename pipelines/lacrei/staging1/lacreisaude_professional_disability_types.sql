-- Staging 1: lacreisaude_professional_disability_types
-- Grain: one row per source row (key id).
-- Rule: a copy of the source table with the source types; every column is extracted.
SELECT
    id,
    professional_id,
    disabilitytype_id
FROM {{ source "app" "lacreisaude_professional_disability_types" }}
