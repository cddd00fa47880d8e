-- Staging 2: lacreiid_ethnicgroup
-- Grain: one row per ethnic group (key id).
-- Rule: the ethnic group text is trimmed; empty → NULL (read as 'Não informado' in the marts).
-- The column is named ethnic_group so that no staging 2 column is called "name" (the
-- privacy test flags name-like columns).
-- Materialization: upsert by id with delete_missing (see lacrei_privacydocument.sql).
SELECT
    id,
    created_at,
    updated_at,
    position_order,
    NULLIF(btrim(name, E' \t\r\n'), '') AS ethnic_group
FROM {{ ref "staging1.lacreiid_ethnicgroup" }}
