-- Staging 2: lacreisaude_professional_disability_types
-- Grain: one row per professional to disability type link (key id).
-- Rule: a link without both ends (professional_id or disabilitytype_id NULL) cannot be used; it is listed
-- in staging2.rejects and left out here (exactly the rows rejects lists for this step).
-- Duplicate links are kept: the model takes the distinct types.
-- Materialization: upsert by id with delete_missing (see lacrei_privacydocument.sql).
WITH rejected AS (
    SELECT
        source_key
    FROM {{ ref "staging2.rejects" }}
    WHERE step = 'staging2.lacreisaude_professional_disability_types'
)
SELECT
    link.id,
    link.professional_id,
    link.disabilitytype_id
FROM {{ ref "staging1.lacreisaude_professional_disability_types" }} AS link
WHERE NOT EXISTS (
    SELECT 1
    FROM rejected
    WHERE rejected.source_key = link.id::text
)
