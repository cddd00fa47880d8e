-- staging2.lacreisaude_professional (upsert): rendered as of 2025-12-01 by engine render --approve
SET LOCAL default_statistics_target = '10';
SET LOCAL jit = 'off';
SET LOCAL max_parallel_workers_per_gather = '1';
SET LOCAL parallel_setup_cost = '100';
SET LOCAL parallel_tuple_cost = '0.01';
SET LOCAL random_page_cost = '1.1';
SET LOCAL work_mem = '64MB';
SET LOCAL lacrei_pipeline.step = 'staging2.lacreisaude_professional';
-- staging2.lacreisaude_professional: upsert into "lacreisaude_staging_02"."lacreisaude_professional" by (id); rows the SELECT no longer returns are deleted
CREATE TEMP TABLE lp_step_rows ON COMMIT DROP AS
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
    SELECT DISTINCT ON ("lacreisaude_staging_02".normalize_text(specialty))
        "lacreisaude_staging_02".normalize_text(specialty) AS specialty_key,
        btrim(specialty) AS specialty
    FROM "lacreisaude_seeds"."specialties"
    WHERE NULLIF(btrim(specialty), '') IS NOT NULL
    ORDER BY "lacreisaude_staging_02".normalize_text(specialty), btrim(specialty)
),
known_statuses AS (
    SELECT DISTINCT ON ("lacreisaude_staging_02".normalize_text(synonym))
        "lacreisaude_staging_02".normalize_text(synonym) AS synonym_key,
        btrim(status) AS status
    FROM "lacreisaude_seeds"."profile_statuses"
    WHERE NULLIF(btrim(status), '') IS NOT NULL
    ORDER BY "lacreisaude_staging_02".normalize_text(synonym), btrim(status)
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
    FROM "lacreisaude_staging_01"."lacreisaude_professional"
)
SELECT
    professionals.id,
    professionals.created_at,
    professionals.updated_at,
    CASE WHEN professionals.created_at > '0001-01-02' AND professionals.created_at < '9999-12-31' THEN (professionals.created_at AT TIME ZONE 'America/Sao_Paulo')::date END AS created_date,
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
    ON canonical_specialties.specialty_key = "lacreisaude_staging_02".normalize_text(professionals.specialty_text)
LEFT JOIN known_statuses
    ON known_statuses.synonym_key = "lacreisaude_staging_02".normalize_text(professionals.profile_status_text)
;
CALL "lacreisaude_pipeline".lp_materialize(p_mode => 'upsert', p_schema => 'lacreisaude_staging_02', p_table => 'lacreisaude_professional', p_keys => ARRAY['id'], p_step => 'staging2.lacreisaude_professional', p_rows_table => 'lp_step_rows', p_delete_missing => true, p_full_refresh => false, p_track => false, p_step_setting => 'lacrei_pipeline.step', p_fillfactor => 100);
DROP TABLE lp_step_rows;
SELECT "lacreisaude_pipeline".lp_comments(p_kind => 'TABLE', p_table => '"lacreisaude_staging_02"."lacreisaude_professional"', p_comment => 'Professionals with the specialty matched to its canonical name (else Outra) and the profile status to a known status (else Outro).', p_columns => ARRAY[]::text[], p_column_comments => ARRAY[]::text[]);
