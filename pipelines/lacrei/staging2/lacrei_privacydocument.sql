-- Staging 2: lacrei_privacydocument
-- Grain: one row per privacy document (key id).
-- Rule: profile_type ('Paciente', ' profissional', 'Patient', ...) is mapped through the
-- profile_types seed by normalised text (SPEC §9.3); unmatched or NULL → 'unknown'. The policy
-- and terms texts are not carried on: nothing downstream reads them.
-- Materialization: upsert by id with delete_missing (as every staging 2 table keyed by a source
-- id): the same rows as a rebuild, but a row whose values did not change is not rewritten.
WITH profile_type_map AS (
    SELECT DISTINCT ON ({{ schemas.staging2 }}.normalize_text(synonym))
        {{ schemas.staging2 }}.normalize_text(synonym) AS synonym_key,
        btrim(profile_type) AS profile_type
    FROM {{ ref "seeds.profile_types" }}
    WHERE NULLIF(btrim(profile_type), '') IS NOT NULL
    ORDER BY {{ schemas.staging2 }}.normalize_text(synonym), btrim(profile_type)
)
SELECT
    document.id,
    document.created_at,
    document.updated_at,
    coalesce(profile_type_map.profile_type, 'unknown') AS profile_type
FROM {{ ref "staging1.lacrei_privacydocument" }} AS document
LEFT JOIN profile_type_map
    ON profile_type_map.synonym_key = {{ schemas.staging2 }}.normalize_text(document.profile_type)
