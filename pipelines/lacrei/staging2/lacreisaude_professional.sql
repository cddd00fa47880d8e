-- Staging 2: lacreisaude_professional
-- Grain: one row per professional (key id).
-- Rule (SPEC §9.3): closed vocabularies, so nothing a person typed freely reaches a mart.
-- specialty is trimmed with inner spaces collapsed, then matched by normalised text against the
-- canonical names of the specialties seed ('  nutricao', 'NUTRIÇÃO' → 'Nutrição'); unmatched →
-- 'Outra'; empty → NULL. profile_status is matched by normalised text against the synonyms of
-- the profile_statuses seed ('em análise' → 'pending'); unmatched → 'Outro'; empty → NULL.
-- Free-text fields (safety_measures) are not carried on.
-- Materialization: upsert by id with delete_missing (see lacrei_privacydocument.sql).
WITH canonical_specialties AS (
    SELECT DISTINCT ON ({{ schemas.staging2 }}.normalize_text(specialty))
        {{ schemas.staging2 }}.normalize_text(specialty) AS specialty_key,
        btrim(specialty) AS specialty
    FROM {{ ref "seeds.specialties" }}
    WHERE NULLIF(btrim(specialty), '') IS NOT NULL
    ORDER BY {{ schemas.staging2 }}.normalize_text(specialty), btrim(specialty)
),
known_statuses AS (
    SELECT DISTINCT ON ({{ schemas.staging2 }}.normalize_text(synonym))
        {{ schemas.staging2 }}.normalize_text(synonym) AS synonym_key,
        btrim(status) AS status
    FROM {{ ref "seeds.profile_statuses" }}
    WHERE NULLIF(btrim(status), '') IS NOT NULL
    ORDER BY {{ schemas.staging2 }}.normalize_text(synonym), btrim(status)
),
professionals AS (
    SELECT
        id,
        created_at,
        updated_at,
        user_id,
        NULLIF(regexp_replace(btrim(specialty, E' \t\r\n'), '\s+', ' ', 'g'), '') AS specialty_text,
        NULLIF(btrim(profile_status, E' \t\r\n'), '') AS profile_status_text,
        active,
        published,
        accepted_privacy_document,
        ethnic_group_id,
        gender_identity_id,
        pronoun_id,
        sexual_orientation_id,
        state_id,
        profession_id,
        privacy_document_id
    FROM {{ ref "staging1.lacreisaude_professional" }}
)
SELECT
    professionals.id,
    professionals.created_at,
    professionals.updated_at,
    {{ local_date "professionals.created_at" }} AS created_date,
    professionals.user_id,
    CASE
        WHEN professionals.specialty_text IS NULL THEN NULL
        ELSE coalesce(canonical_specialties.specialty, 'Outra')
    END::text AS specialty,
    CASE
        WHEN professionals.profile_status_text IS NULL THEN NULL
        ELSE coalesce(known_statuses.status, 'Outro')
    END::text AS profile_status,
    professionals.active,
    professionals.published,
    professionals.accepted_privacy_document,
    professionals.ethnic_group_id,
    professionals.gender_identity_id,
    professionals.pronoun_id,
    professionals.sexual_orientation_id,
    professionals.state_id,
    professionals.profession_id,
    professionals.privacy_document_id
FROM professionals
LEFT JOIN canonical_specialties
    ON canonical_specialties.specialty_key = {{ schemas.staging2 }}.normalize_text(professionals.specialty_text)
LEFT JOIN known_statuses
    ON known_statuses.synonym_key = {{ schemas.staging2 }}.normalize_text(professionals.profile_status_text)
