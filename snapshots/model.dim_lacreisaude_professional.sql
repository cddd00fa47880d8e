-- model.dim_lacreisaude_professional (upsert): rendered as of 2025-12-01 by engine render --approve
SET LOCAL default_statistics_target = '10';
SET LOCAL jit = 'off';
SET LOCAL max_parallel_workers_per_gather = '1';
SET LOCAL parallel_setup_cost = '100';
SET LOCAL parallel_tuple_cost = '0.01';
SET LOCAL random_page_cost = '1.1';
SET LOCAL work_mem = '64MB';
SET LOCAL lacrei_pipeline.step = 'model.dim_lacreisaude_professional';
-- model.dim_lacreisaude_professional: upsert into "lacreisaude_model"."dim_lacreisaude_professional" by (professional_id); rows the SELECT no longer returns are deleted
CREATE TEMP TABLE lp_step_rows ON COMMIT DROP AS
-- Model: dim_lacreisaude_professional
-- Grain: one row per professional (key professional_id = the source id).
-- Rule (SPEC §9.4): specialty and profile_status (closed vocabularies, from staging 2), state
-- as the UF of the registered state, active, published, identity attributes and the distinct,
-- sorted disability type names (empty array when none), as for patients. No name, no
-- document, no photo.
-- Materialization: upsert by professional_id with delete_missing (see dim_lacreisaude_patient.sql).
WITH professional_disabilities AS (
    SELECT
        link.professional_id,
        array_agg(DISTINCT disability.disability_type ORDER BY disability.disability_type) AS disability_types
    FROM "lacreisaude_staging_02"."lacreisaude_professional_disability_types" AS link
    JOIN "lacreisaude_staging_02"."lacreiid_disabilitytype" AS disability
        ON disability.id = link.disabilitytype_id
    GROUP BY link.professional_id
)
SELECT
    professional.id AS professional_id,
    professional.created_date,
    professional.specialty,
    state.uf AS state,
    professional.profile_status,
    professional.active,
    professional.published,
    ethnic_group.ethnic_group,
    gender_identity.gender_identity,
    sexual_orientation.sexual_orientation,
    pronoun.pronoun,
    coalesce(professional_disabilities.disability_types, ARRAY[]::text[]) AS disability_types
FROM "lacreisaude_staging_02"."lacreisaude_professional" AS professional
LEFT JOIN "lacreisaude_staging_02"."address_state" AS state
    ON state.id = professional.state_id
LEFT JOIN "lacreisaude_staging_02"."lacreiid_ethnicgroup" AS ethnic_group
    ON ethnic_group.id = professional.ethnic_group_id
LEFT JOIN "lacreisaude_staging_02"."lacreiid_genderidentity" AS gender_identity
    ON gender_identity.id = professional.gender_identity_id
LEFT JOIN "lacreisaude_staging_02"."lacreiid_sexualorientation" AS sexual_orientation
    ON sexual_orientation.id = professional.sexual_orientation_id
LEFT JOIN "lacreisaude_staging_02"."lacreiid_pronoun" AS pronoun
    ON pronoun.id = professional.pronoun_id
LEFT JOIN professional_disabilities
    ON professional_disabilities.professional_id = professional.id
;
SELECT "lacreisaude_pipeline".lp_change_log_columns(p_step => 'model.dim_lacreisaude_professional', p_columns => ARRAY['professional_id']::text[]);
DELETE FROM "lacreisaude_pipeline".changes AS c WHERE c.step = 'model.dim_lacreisaude_professional' AND c.seq <= (SELECT min(k.consumed) FROM "lacreisaude_pipeline".change_cursors AS k WHERE k.producer = 'model.dim_lacreisaude_professional' AND k.consumer = ANY (ARRAY['mart.professionals', 'model.fact_lacreisaude_professional_months']::text[]) HAVING count(*) = 2);
CALL "lacreisaude_pipeline".lp_materialize(p_mode => 'upsert', p_schema => 'lacreisaude_model', p_table => 'dim_lacreisaude_professional', p_keys => ARRAY['professional_id'], p_step => 'model.dim_lacreisaude_professional', p_rows_table => 'lp_step_rows', p_delete_missing => true, p_full_refresh => false, p_track => true, p_step_setting => 'lacrei_pipeline.step', p_fillfactor => 100);
DROP TABLE lp_step_rows;
SELECT "lacreisaude_pipeline".lp_comments(p_kind => 'TABLE', p_table => '"lacreisaude_model"."dim_lacreisaude_professional"', p_comment => 'Professionals with specialty, UF, status and identity attributes. No name, no document, no photo.', p_columns => ARRAY[]::text[], p_column_comments => ARRAY[]::text[]);

-- ==== data test unique(professional_id) (error): offending rows ====
SELECT "professional_id", count(*) AS duplicates FROM "lacreisaude_model"."dim_lacreisaude_professional" GROUP BY "professional_id" HAVING count(*) > 1

-- ==== data test not_null(professional_id) (error): offending rows ====
SELECT * FROM "lacreisaude_model"."dim_lacreisaude_professional" WHERE "professional_id" IS NULL

-- ==== data test accepted_values(state) (error): offending rows ====
SELECT "state", count(*) AS rows FROM "lacreisaude_model"."dim_lacreisaude_professional" WHERE "state" IS NOT NULL AND "state"::text NOT IN ('AC', 'AL', 'AP', 'AM', 'BA', 'CE', 'DF', 'ES', 'GO', 'MA', 'MT', 'MS', 'MG', 'PA', 'PB', 'PR', 'PE', 'PI', 'RJ', 'RN', 'RS', 'RO', 'RR', 'SC', 'SP', 'SE', 'TO') GROUP BY "state"

-- ==== data tests not_null(professional_id), accepted_values(state) in one pass (a test with offending rows then runs its own query) ====
SELECT
    count(*) FILTER (WHERE "professional_id" IS NULL) AS lp_test_1,
    count(*) FILTER (WHERE "state" IS NOT NULL AND "state"::text NOT IN ('AC', 'AL', 'AP', 'AM', 'BA', 'CE', 'DF', 'ES', 'GO', 'MA', 'MT', 'MS', 'MG', 'PA', 'PB', 'PR', 'PE', 'PI', 'RJ', 'RN', 'RS', 'RO', 'RR', 'SC', 'SP', 'SE', 'TO')) AS lp_test_2
FROM "lacreisaude_model"."dim_lacreisaude_professional"
