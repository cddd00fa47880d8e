-- model.professional_history (snapshot): rendered as of 2025-12-01 by engine render --approve
SET LOCAL default_statistics_target = '10';
SET LOCAL jit = 'off';
SET LOCAL max_parallel_workers_per_gather = '1';
SET LOCAL parallel_setup_cost = '100';
SET LOCAL parallel_tuple_cost = '0.01';
SET LOCAL random_page_cost = '1.1';
SET LOCAL work_mem = '64MB';
SET LOCAL lacrei_pipeline.step = 'model.professional_history';
-- model.professional_history: snapshot into "lacreisaude_model"."professional_history" by (professional_id): a new version when specialty, state, profile_status, active, published changed; vanished keys: delete (never rebuilt, not even by --full-refresh)
CREATE TEMP TABLE lp_step_rows ON COMMIT DROP AS
-- Model: professional_history
-- Grain: one row per version of a professional's specialty, state (UF), profile status and
-- flags; valid_from/valid_to (added by the engine) say when each version held, valid_to NULL
-- being the current one (docs/authoring.md#snapshots).
-- Rule: what a dashboard follows over time (SPEC §9.4's columns of dim_lacreisaude_professional
-- that are not identity attributes): no name, no document, no identity attribute. A
-- professional removed upstream has every version removed (hard_deletes: delete, docs/privacy.md).
-- Materialization: snapshot by professional_id, a new version when a checked column changes.
SELECT
    professional.professional_id,
    professional.specialty,
    professional.state,
    professional.profile_status,
    professional.active,
    professional.published
FROM "lacreisaude_model"."dim_lacreisaude_professional" AS professional
;
CALL "lacreisaude_pipeline".lp_snapshot(p_schema => 'lacreisaude_model', p_table => 'professional_history', p_keys => ARRAY['professional_id']::text[], p_step => 'model.professional_history', p_rows_table => 'lp_step_rows', p_strategy => 'check', p_check_cols => ARRAY['specialty', 'state', 'profile_status', 'active', 'published']::text[], p_hard_deletes => 'delete', p_step_setting => 'lacrei_pipeline.step');
DROP TABLE lp_step_rows;
SELECT "lacreisaude_pipeline".lp_comments(p_kind => 'TABLE', p_table => '"lacreisaude_model"."professional_history"', p_comment => 'The history of each professional''s specialty, state, profile status and flags (SCD2); valid_to NULL is the current version.', p_columns => ARRAY['active', 'professional_id', 'profile_status', 'published', 'specialty', 'state', 'valid_from', 'valid_to']::text[], p_column_comments => ARRAY['Whether the profile was active during this version.', 'The professional, as dim_lacreisaude_professional keys them.', 'The profile status during this version.', 'Whether the profile was published during this version.', 'The specialty during this version.', 'The UF of the registered state during this version.', 'When this version began (the run that saw it, for check_cols).', 'When the next version replaced it, or the professional was removed; NULL for the current version.']::text[]);

-- ==== data test not_null(professional_id, valid_from) (error): offending rows ====
SELECT * FROM "lacreisaude_model"."professional_history" WHERE "professional_id" IS NULL OR "valid_from" IS NULL

-- ==== data test relationships(professional_id → model.dim_lacreisaude_professional) (error): offending rows ====
SELECT "professional_id", count(*) AS rows FROM "lacreisaude_model"."professional_history" AS child WHERE "professional_id" IS NOT NULL AND NOT EXISTS (SELECT 1 FROM "lacreisaude_model"."dim_lacreisaude_professional" AS parent WHERE parent."professional_id" = child."professional_id") GROUP BY "professional_id"

-- ==== data test versions_end_after_they_start (error): offending rows ====
SELECT * FROM "lacreisaude_model"."professional_history" WHERE NOT (valid_to IS NULL OR valid_to > valid_from)

-- ==== data test one_current_version_per_professional (error): offending rows ====
SELECT professional_id FROM "lacreisaude_model"."professional_history" WHERE valid_to IS NULL GROUP BY professional_id HAVING count(*) > 1

-- ==== data tests not_null(professional_id, valid_from), versions_end_after_they_start in one pass (a test with offending rows then runs its own query) ====
SELECT
    count(*) FILTER (WHERE "professional_id" IS NULL OR "valid_from" IS NULL) AS lp_test_1,
    count(*) FILTER (WHERE NOT (valid_to IS NULL OR valid_to > valid_from)) AS lp_test_2
FROM "lacreisaude_model"."professional_history"
