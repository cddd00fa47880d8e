-- staging2.lacreiid_profile (incremental): rendered as of 2025-12-01 by engine render --approve
SET LOCAL default_statistics_target = '10';
SET LOCAL jit = 'off';
SET LOCAL max_parallel_workers_per_gather = '1';
SET LOCAL parallel_setup_cost = '100';
SET LOCAL parallel_tuple_cost = '0.01';
SET LOCAL random_page_cost = '1.1';
SET LOCAL work_mem = '64MB';
SET LOCAL lacrei_pipeline.step = 'staging2.lacreiid_profile';
-- staging2.lacreiid_profile: incremental upsert into "lacreisaude_staging_02"."lacreiid_profile" by (id) of the keys its scope selects from the changes of staging1.lacreiid_profile
-- (when the table is new, a change log restarted, or its SQL or other inputs changed, the whole SELECT runs instead: render --full-refresh shows it)
CREATE TEMP TABLE lp_scope ON COMMIT DROP AS
-- Scope of staging2.lacreiid_profile: the profiles staging 1 inserted, updated or removed since
-- this step last ran. A change of the rejects recomputes everything (it is read whole).
SELECT DISTINCT
    changed.id
FROM (SELECT r."id" FROM "lacreisaude_pipeline".changes AS c CROSS JOIN LATERAL jsonb_populate_record(NULL::"lacreisaude_staging_01"."lacreiid_profile", c.image) AS r WHERE c.step = 'staging1.lacreiid_profile' AND c.seq > coalesce((SELECT k.consumed FROM "lacreisaude_pipeline".change_cursors AS k WHERE k.consumer = 'staging2.lacreiid_profile' AND k.producer = 'staging1.lacreiid_profile'), 0)) AS changed
;
ANALYZE lp_scope;
CREATE TEMP TABLE lp_step_rows ON COMMIT DROP AS
-- Staging 2: lacreiid_profile
-- Grain: one row per patient profile that belongs to a user (key id).
-- Rule: a profile without user_id cannot make anyone a patient; it is listed in
-- staging2.rejects and left out here (exactly the rows rejects lists for this step).
-- Materialization: upsert by id with delete_missing (see lacrei_privacydocument.sql).
WITH rejected AS (
    SELECT
        source_key
    FROM "lacreisaude_staging_02"."rejects"
    WHERE step = 'staging2.lacreiid_profile'
)
SELECT
    profile.id,
    profile.created_at,
    profile.updated_at,
    profile.user_id,
    profile.completed,
    profile.ethnic_group_id,
    profile.gender_identity_id,
    profile.pronoun_id,
    profile.sexual_orientation_id
FROM "lacreisaude_staging_01"."lacreiid_profile" AS profile
WHERE NOT EXISTS (
    SELECT 1
    FROM rejected
    WHERE rejected.source_key = profile.id::text
)

    AND profile.id IN (SELECT scope.id FROM lp_scope AS scope)
;
SELECT "lacreisaude_pipeline".lp_change_log_columns(p_step => 'staging2.lacreiid_profile', p_columns => ARRAY['id', 'user_id']::text[]);
DELETE FROM "lacreisaude_pipeline".changes AS c WHERE c.step = 'staging2.lacreiid_profile' AND c.seq <= (SELECT min(k.consumed) FROM "lacreisaude_pipeline".change_cursors AS k WHERE k.producer = 'staging2.lacreiid_profile' AND k.consumer = ANY (ARRAY['model.dim_lacreisaude_patient', 'model.fact_lacreisaude_appointments']::text[]) HAVING count(*) = 2);
CALL "lacreisaude_pipeline".lp_materialize(p_mode => 'upsert', p_schema => 'lacreisaude_staging_02', p_table => 'lacreiid_profile', p_keys => ARRAY['id'], p_step => 'staging2.lacreiid_profile', p_rows_table => 'lp_step_rows', p_delete_missing => false, p_full_refresh => false, p_track => true, p_scope_table => 'lp_scope', p_step_setting => 'lacrei_pipeline.step', p_fillfactor => 100);
INSERT INTO "lacreisaude_pipeline".change_cursors (consumer, producer, consumed)
SELECT 'staging2.lacreiid_profile', p.step, greatest((SELECT max(c.seq) FROM "lacreisaude_pipeline".changes AS c WHERE c.step = p.step), l.start_seq, 0)
FROM unnest(ARRAY['staging1.lacreiid_profile']::text[]) AS p(step) LEFT JOIN "lacreisaude_pipeline".change_logs AS l ON l.step = p.step
ON CONFLICT (consumer, producer) DO UPDATE SET consumed = EXCLUDED.consumed;
DELETE FROM "lacreisaude_pipeline".changes AS c WHERE c.step = 'staging1.lacreiid_profile' AND c.seq <= (SELECT min(k.consumed) FROM "lacreisaude_pipeline".change_cursors AS k WHERE k.producer = 'staging1.lacreiid_profile' AND k.consumer = ANY (ARRAY['staging2.lacreiid_profile', 'staging2.rejects']::text[]) HAVING count(*) = 2);
DROP TABLE lp_scope;
SELECT "lacreisaude_pipeline".lp_comments(p_kind => 'TABLE', p_table => '"lacreisaude_staging_02"."lacreiid_profile"', p_comment => 'Patient profiles that belong to a user.', p_columns => ARRAY[]::text[], p_column_comments => ARRAY[]::text[]);

-- ==== when the step recomputes everything (first run, --full-refresh, a changed input) ====
SET LOCAL default_statistics_target = '10';
SET LOCAL jit = 'off';
SET LOCAL max_parallel_workers_per_gather = '1';
SET LOCAL parallel_setup_cost = '100';
SET LOCAL parallel_tuple_cost = '0.01';
SET LOCAL random_page_cost = '1.1';
SET LOCAL work_mem = '64MB';
SET LOCAL lacrei_pipeline.step = 'staging2.lacreiid_profile';
-- staging2.lacreiid_profile: upsert of the whole SELECT into "lacreisaude_staging_02"."lacreiid_profile" by (id); rows it no longer returns are deleted
CREATE TEMP TABLE lp_step_rows ON COMMIT DROP AS
-- Staging 2: lacreiid_profile
-- Grain: one row per patient profile that belongs to a user (key id).
-- Rule: a profile without user_id cannot make anyone a patient; it is listed in
-- staging2.rejects and left out here (exactly the rows rejects lists for this step).
-- Materialization: upsert by id with delete_missing (see lacrei_privacydocument.sql).
WITH rejected AS (
    SELECT
        source_key
    FROM "lacreisaude_staging_02"."rejects"
    WHERE step = 'staging2.lacreiid_profile'
)
SELECT
    profile.id,
    profile.created_at,
    profile.updated_at,
    profile.user_id,
    profile.completed,
    profile.ethnic_group_id,
    profile.gender_identity_id,
    profile.pronoun_id,
    profile.sexual_orientation_id
FROM "lacreisaude_staging_01"."lacreiid_profile" AS profile
WHERE NOT EXISTS (
    SELECT 1
    FROM rejected
    WHERE rejected.source_key = profile.id::text
)
;
SELECT "lacreisaude_pipeline".lp_change_log_columns(p_step => 'staging2.lacreiid_profile', p_columns => ARRAY['id', 'user_id']::text[]);
DELETE FROM "lacreisaude_pipeline".changes AS c WHERE c.step = 'staging2.lacreiid_profile' AND c.seq <= (SELECT min(k.consumed) FROM "lacreisaude_pipeline".change_cursors AS k WHERE k.producer = 'staging2.lacreiid_profile' AND k.consumer = ANY (ARRAY['model.dim_lacreisaude_patient', 'model.fact_lacreisaude_appointments']::text[]) HAVING count(*) = 2);
CALL "lacreisaude_pipeline".lp_materialize(p_mode => 'upsert', p_schema => 'lacreisaude_staging_02', p_table => 'lacreiid_profile', p_keys => ARRAY['id'], p_step => 'staging2.lacreiid_profile', p_rows_table => 'lp_step_rows', p_delete_missing => true, p_full_refresh => false, p_track => true, p_step_setting => 'lacrei_pipeline.step', p_fillfactor => 100);
INSERT INTO "lacreisaude_pipeline".change_cursors (consumer, producer, consumed)
SELECT 'staging2.lacreiid_profile', p.step, greatest((SELECT max(c.seq) FROM "lacreisaude_pipeline".changes AS c WHERE c.step = p.step), l.start_seq, 0)
FROM unnest(ARRAY['staging1.lacreiid_profile']::text[]) AS p(step) LEFT JOIN "lacreisaude_pipeline".change_logs AS l ON l.step = p.step
ON CONFLICT (consumer, producer) DO UPDATE SET consumed = EXCLUDED.consumed;
DELETE FROM "lacreisaude_pipeline".changes AS c WHERE c.step = 'staging1.lacreiid_profile' AND c.seq <= (SELECT min(k.consumed) FROM "lacreisaude_pipeline".change_cursors AS k WHERE k.producer = 'staging1.lacreiid_profile' AND k.consumer = ANY (ARRAY['staging2.lacreiid_profile', 'staging2.rejects']::text[]) HAVING count(*) = 2);
DROP TABLE lp_step_rows;
SELECT "lacreisaude_pipeline".lp_comments(p_kind => 'TABLE', p_table => '"lacreisaude_staging_02"."lacreiid_profile"', p_comment => 'Patient profiles that belong to a user.', p_columns => ARRAY[]::text[], p_column_comments => ARRAY[]::text[]);

-- ==== once the step has committed, in a transaction of its own while later steps run: its indexes ====
SELECT "lacreisaude_pipeline".lp_index(p_table => '"lacreisaude_staging_02"."lacreiid_profile"', p_index => 'lacreiid_profile_user_id_idx', p_columns => ARRAY['user_id']::text[]);
