-- Staging 2: address_state
-- Grain: one row per registered state (key id).
-- Rule (SPEC §9.3): uf = upper(trim(code)) when that is one of the 27 units of the states
-- seed; else the normalised name matched against the normalised names of the 27 units
-- ('São Paulo', 'sao paulo', 'SAO  PAULO' → SP) or against the 27 codes ('sp' → SP); else NULL.
-- The free-text name is not carried on: uf is the cleaned value.
-- Materialization: upsert by id with delete_missing (see lacrei_privacydocument.sql).
WITH unit_codes AS (
    SELECT DISTINCT
        upper(btrim(uf)) AS uf
    FROM {{ ref "seeds.states" }}
),
unit_names AS (
    SELECT DISTINCT ON ({{ schemas.staging2 }}.normalize_text(name))
        {{ schemas.staging2 }}.normalize_text(name) AS name_key,
        upper(btrim(uf)) AS uf
    FROM {{ ref "seeds.states" }}
    ORDER BY {{ schemas.staging2 }}.normalize_text(name), upper(btrim(uf))
),
states AS (
    SELECT
        id,
        created_at,
        updated_at,
        upper(btrim(code, E' \t\r\n')) AS code_text,
        {{ schemas.staging2 }}.normalize_text(name) AS name_key,
        NULLIF(btrim(ibge_code, E' \t\r\n'), '') AS ibge_code,
        active,
        country_id
    FROM {{ ref "staging1.address_state" }}
)
SELECT
    states.id,
    states.created_at,
    states.updated_at,
    coalesce(by_code.uf, by_name.uf, by_name_as_code.uf) AS uf,
    states.ibge_code,
    states.active,
    states.country_id
FROM states
LEFT JOIN unit_codes AS by_code
    ON by_code.uf = states.code_text
LEFT JOIN unit_names AS by_name
    ON by_name.name_key = states.name_key
LEFT JOIN unit_codes AS by_name_as_code
    ON lower(by_name_as_code.uf) = states.name_key
