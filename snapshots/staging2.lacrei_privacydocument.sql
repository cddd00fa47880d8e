-- staging2.lacrei_privacydocument (upsert): rendered as of 2025-12-01 by engine render --approve
SET LOCAL default_statistics_target = '10';
SET LOCAL jit = 'off';
SET LOCAL max_parallel_workers_per_gather = '1';
SET LOCAL parallel_setup_cost = '100';
SET LOCAL parallel_tuple_cost = '0.01';
SET LOCAL random_page_cost = '1.1';
SET LOCAL work_mem = '64MB';
SET LOCAL lacrei_pipeline.step = 'staging2.lacrei_privacydocument';
-- staging2.lacrei_privacydocument: upsert into "lacreisaude_staging_02"."lacrei_privacydocument" by (id); rows the SELECT no longer returns are deleted
CREATE TEMP TABLE lp_step_rows ON COMMIT DROP AS
-- Staging 2: lacrei_privacydocument
-- Grain: one row per privacy document (key id).
-- Rule: profile_type ('Paciente', ' profissional', 'Patient', ...) is mapped through the
-- profile_types seed by normalised text (SPEC §9.3); unmatched or NULL → 'unknown'. The policy
-- and terms texts are not carried on: nothing downstream reads them.
-- Materialization: upsert by id with delete_missing (as every staging 2 table keyed by a source
-- id): the same rows as a rebuild, but a row whose values did not change is not rewritten.
WITH profile_type_map AS (
    SELECT DISTINCT ON ("lacreisaude_staging_02".normalize_text(synonym))
        "lacreisaude_staging_02".normalize_text(synonym) AS synonym_key,
        btrim(profile_type) AS profile_type
    FROM "lacreisaude_seeds"."profile_types"
    WHERE NULLIF(btrim(profile_type), '') IS NOT NULL
    ORDER BY "lacreisaude_staging_02".normalize_text(synonym), btrim(profile_type)
)
SELECT
    document.id,
    document.created_at,
    document.updated_at,
    coalesce(profile_type_map.profile_type, 'unknown') AS profile_type
FROM "lacreisaude_staging_01"."lacrei_privacydocument" AS document
LEFT JOIN profile_type_map
    ON profile_type_map.synonym_key = "lacreisaude_staging_02".normalize_text(document.profile_type)
;
CALL "lacreisaude_pipeline".lp_materialize(p_mode => 'upsert', p_schema => 'lacreisaude_staging_02', p_table => 'lacrei_privacydocument', p_keys => ARRAY['id'], p_step => 'staging2.lacrei_privacydocument', p_rows_table => 'lp_step_rows', p_delete_missing => true, p_full_refresh => false, p_track => false, p_step_setting => 'lacrei_pipeline.step', p_fillfactor => 100);
DROP TABLE lp_step_rows;
SELECT "lacreisaude_pipeline".lp_comments(p_kind => 'TABLE', p_table => '"lacreisaude_staging_02"."lacrei_privacydocument"', p_comment => 'Privacy documents with profile_type normalised to patient / professional / unknown.', p_columns => ARRAY[]::text[], p_column_comments => ARRAY[]::text[]);
