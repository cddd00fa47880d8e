-- Staging 2: lacreiid_pronoun
-- Grain: one row per pronoun (key id).
-- Rule: pronoun and article are trimmed; empty → NULL (read as 'Não informado' in the marts).
-- Materialization: upsert by id with delete_missing (see lacrei_privacydocument.sql).
SELECT
    id,
    created_at,
    updated_at,
    position_order,
    NULLIF(btrim(pronoun, E' \t\r\n'), '') AS pronoun,
    NULLIF(btrim(article, E' \t\r\n'), '') AS article
FROM {{ ref "staging1.lacreiid_pronoun" }}
