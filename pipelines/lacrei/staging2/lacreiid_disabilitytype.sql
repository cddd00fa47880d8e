-- Staging 2: lacreiid_disabilitytype
-- Grain: one row per disability type (key id).
-- Rule: the disability type text is trimmed; empty → NULL (read as 'Não informado' in the marts).
-- The column is named disability_type so that no staging 2 column is called "name" (the
-- privacy test flags name-like columns).
-- Materialization: upsert by id with delete_missing (see lacrei_privacydocument.sql).
SELECT
    id,
    created_at,
    updated_at,
    position_order,
    NULLIF(btrim(name, E' \t\r\n'), '') AS disability_type
FROM {{ ref "staging1.lacreiid_disabilitytype" }}
