-- staging2.lacreiid_user (incremental): rendered as of 2025-12-01 by engine render --approve
SET LOCAL default_statistics_target = '10';
SET LOCAL jit = 'off';
SET LOCAL max_parallel_workers_per_gather = '1';
SET LOCAL parallel_setup_cost = '100';
SET LOCAL parallel_tuple_cost = '0.01';
SET LOCAL random_page_cost = '1.1';
SET LOCAL work_mem = '64MB';
SET LOCAL lacrei_pipeline.step = 'staging2.lacreiid_user';
-- staging2.lacreiid_user: incremental upsert into "lacreisaude_staging_02"."lacreiid_user" by (id) of the keys its scope selects from the changes of staging1.lacreiid_user
-- (when the table is new, a change log restarted, or its SQL or other inputs changed, the whole SELECT runs instead: render --full-refresh shows it)
CREATE TEMP TABLE lp_scope ON COMMIT DROP AS
-- Scope of staging2.lacreiid_user: the users staging 1 inserted, updated or removed since this
-- step last ran. Ages are taken at sign-up, so nothing else changes a user's row.
SELECT DISTINCT
    changed.id
FROM (SELECT r."id" FROM "lacreisaude_pipeline".changes AS c CROSS JOIN LATERAL jsonb_populate_record(NULL::"lacreisaude_staging_01"."lacreiid_user", c.image) AS r WHERE c.step = 'staging1.lacreiid_user' AND c.seq > coalesce((SELECT k.consumed FROM "lacreisaude_pipeline".change_cursors AS k WHERE k.consumer = 'staging2.lacreiid_user' AND k.producer = 'staging1.lacreiid_user'), 0)) AS changed
;
ANALYZE lp_scope;
CREATE TEMP TABLE lp_step_rows ON COMMIT DROP AS
-- Staging 2: lacreiid_user
-- Grain: one row per user (key id).
-- Rule (SPEC §9.3): signup_date is created_at's date in vars.timezone; a user without one
-- (created_at NULL, infinite or out of range: macros/dates.sql) is listed in staging2.rejects
-- and left out here, by the same rule (has_local_date) rather than an anti-join on rejects:
-- that would make every user wait for all the tables rejects reads, on the way to the patients
-- and the fact. The age at sign-up
-- (whole years from the birth date to the sign-up date) is computed on the source by the
-- extract expression age_at_signup (pipeline.yaml), so the birth date never leaves it and the run
-- date changes nothing. age is that age when it is between 0 and 120, else NULL; age_group
-- '< 18', '18-24', '25-34', '35-44', '45-54', '55+', and 'N/I' when age is NULL (no birth date,
-- born after signing up, or over 120).
-- patient_key is the user's keyed pseudonym (SPEC §9.4), computed here once per changed user so
-- the model joins on it instead of hashing every user on every run.
-- Materialization: incremental with a scope (lacreiid_user.scope.sql): only the users staging 1
-- changed are recomputed.
WITH users AS (
    SELECT
        id,
        created_at,
        updated_at,
        CASE WHEN created_at > '0001-01-02' AND created_at < '9999-12-31' THEN (created_at AT TIME ZONE 'America/Sao_Paulo')::date END AS signup_date,
        age_at_signup,
        is_active,
        is_staff,
        is_superuser,
        is_18_years_old_or_more,
        newsletter_subscribed,
        accepted_privacy_document,
        privacy_document_id
    FROM "lacreisaude_staging_01"."lacreiid_user"
    WHERE created_at > '0001-01-02' AND created_at < '9999-12-31'

        AND id IN (SELECT scope.id FROM lp_scope AS scope)

),
signup_ages AS (
    SELECT
        id,
        CASE
            WHEN age_at_signup BETWEEN 0 AND 120 THEN age_at_signup
        END AS age
    FROM users
)
SELECT
    users.id,
    (left(encode(sha256((SELECT "lacreisaude_pipeline".lp_pseudonym_pad(true)) || sha256((SELECT "lacreisaude_pipeline".lp_pseudonym_pad(false)) || convert_to('patient:' || (users.id)::text, 'UTF8'))), 'hex'), 32) COLLATE "C") AS patient_key,
    users.created_at,
    users.updated_at,
    users.signup_date,
    users.is_active,
    users.is_staff,
    users.is_superuser,
    users.is_18_years_old_or_more,
    users.newsletter_subscribed,
    users.accepted_privacy_document,
    users.privacy_document_id,
    signup_ages.age,
    CASE
        WHEN signup_ages.age IS NULL THEN 'N/I'
        WHEN signup_ages.age < 18 THEN '< 18'
        WHEN signup_ages.age <= 24 THEN '18-24'
        WHEN signup_ages.age <= 34 THEN '25-34'
        WHEN signup_ages.age <= 44 THEN '35-44'
        WHEN signup_ages.age <= 54 THEN '45-54'
        ELSE '55+'
    END::text AS age_group
FROM users
JOIN signup_ages
    ON signup_ages.id = users.id
;
SELECT "lacreisaude_pipeline".lp_change_log_columns(p_step => 'staging2.lacreiid_user', p_columns => ARRAY['id', 'signup_date']::text[]);
DELETE FROM "lacreisaude_pipeline".changes AS c WHERE c.step = 'staging2.lacreiid_user' AND c.seq <= (SELECT min(k.consumed) FROM "lacreisaude_pipeline".change_cursors AS k WHERE k.producer = 'staging2.lacreiid_user' AND k.consumer = ANY (ARRAY['model.dim_lacreisaude_date', 'model.dim_lacreisaude_patient', 'model.fact_lacreisaude_appointments']::text[]) HAVING count(*) = 3);
CALL "lacreisaude_pipeline".lp_materialize(p_mode => 'upsert', p_schema => 'lacreisaude_staging_02', p_table => 'lacreiid_user', p_keys => ARRAY['id'], p_step => 'staging2.lacreiid_user', p_rows_table => 'lp_step_rows', p_delete_missing => false, p_full_refresh => false, p_track => true, p_scope_table => 'lp_scope', p_step_setting => 'lacrei_pipeline.step', p_fillfactor => 100);
INSERT INTO "lacreisaude_pipeline".change_cursors (consumer, producer, consumed)
SELECT 'staging2.lacreiid_user', p.step, greatest((SELECT max(c.seq) FROM "lacreisaude_pipeline".changes AS c WHERE c.step = p.step), l.start_seq, 0)
FROM unnest(ARRAY['staging1.lacreiid_user']::text[]) AS p(step) LEFT JOIN "lacreisaude_pipeline".change_logs AS l ON l.step = p.step
ON CONFLICT (consumer, producer) DO UPDATE SET consumed = EXCLUDED.consumed;
DELETE FROM "lacreisaude_pipeline".changes AS c WHERE c.step = 'staging1.lacreiid_user' AND c.seq <= (SELECT min(k.consumed) FROM "lacreisaude_pipeline".change_cursors AS k WHERE k.producer = 'staging1.lacreiid_user' AND k.consumer = ANY (ARRAY['staging2.lacreiid_user', 'staging2.rejects']::text[]) HAVING count(*) = 2);
DROP TABLE lp_scope;
SELECT "lacreisaude_pipeline".lp_comments(p_kind => 'TABLE', p_table => '"lacreisaude_staging_02"."lacreiid_user"', p_comment => 'Users with sign-up date, age and age group at sign-up and the patient pseudonym; no birth date.', p_columns => ARRAY[]::text[], p_column_comments => ARRAY[]::text[]);

-- ==== when the step recomputes everything (first run, --full-refresh, a changed input) ====
SET LOCAL default_statistics_target = '10';
SET LOCAL jit = 'off';
SET LOCAL max_parallel_workers_per_gather = '1';
SET LOCAL parallel_setup_cost = '100';
SET LOCAL parallel_tuple_cost = '0.01';
SET LOCAL random_page_cost = '1.1';
SET LOCAL work_mem = '64MB';
SET LOCAL lacrei_pipeline.step = 'staging2.lacreiid_user';
-- staging2.lacreiid_user: upsert of the whole SELECT into "lacreisaude_staging_02"."lacreiid_user" by (id); rows it no longer returns are deleted
CREATE TEMP TABLE lp_step_rows ON COMMIT DROP AS
-- Staging 2: lacreiid_user
-- Grain: one row per user (key id).
-- Rule (SPEC §9.3): signup_date is created_at's date in vars.timezone; a user without one
-- (created_at NULL, infinite or out of range: macros/dates.sql) is listed in staging2.rejects
-- and left out here, by the same rule (has_local_date) rather than an anti-join on rejects:
-- that would make every user wait for all the tables rejects reads, on the way to the patients
-- and the fact. The age at sign-up
-- (whole years from the birth date to the sign-up date) is computed on the source by the
-- extract expression age_at_signup (pipeline.yaml), so the birth date never leaves it and the run
-- date changes nothing. age is that age when it is between 0 and 120, else NULL; age_group
-- '< 18', '18-24', '25-34', '35-44', '45-54', '55+', and 'N/I' when age is NULL (no birth date,
-- born after signing up, or over 120).
-- patient_key is the user's keyed pseudonym (SPEC §9.4), computed here once per changed user so
-- the model joins on it instead of hashing every user on every run.
-- Materialization: incremental with a scope (lacreiid_user.scope.sql): only the users staging 1
-- changed are recomputed.
WITH users AS (
    SELECT
        id,
        created_at,
        updated_at,
        CASE WHEN created_at > '0001-01-02' AND created_at < '9999-12-31' THEN (created_at AT TIME ZONE 'America/Sao_Paulo')::date END AS signup_date,
        age_at_signup,
        is_active,
        is_staff,
        is_superuser,
        is_18_years_old_or_more,
        newsletter_subscribed,
        accepted_privacy_document,
        privacy_document_id
    FROM "lacreisaude_staging_01"."lacreiid_user"
    WHERE created_at > '0001-01-02' AND created_at < '9999-12-31'

),
signup_ages AS (
    SELECT
        id,
        CASE
            WHEN age_at_signup BETWEEN 0 AND 120 THEN age_at_signup
        END AS age
    FROM users
)
SELECT
    users.id,
    (left(encode(sha256((SELECT "lacreisaude_pipeline".lp_pseudonym_pad(true)) || sha256((SELECT "lacreisaude_pipeline".lp_pseudonym_pad(false)) || convert_to('patient:' || (users.id)::text, 'UTF8'))), 'hex'), 32) COLLATE "C") AS patient_key,
    users.created_at,
    users.updated_at,
    users.signup_date,
    users.is_active,
    users.is_staff,
    users.is_superuser,
    users.is_18_years_old_or_more,
    users.newsletter_subscribed,
    users.accepted_privacy_document,
    users.privacy_document_id,
    signup_ages.age,
    CASE
        WHEN signup_ages.age IS NULL THEN 'N/I'
        WHEN signup_ages.age < 18 THEN '< 18'
        WHEN signup_ages.age <= 24 THEN '18-24'
        WHEN signup_ages.age <= 34 THEN '25-34'
        WHEN signup_ages.age <= 44 THEN '35-44'
        WHEN signup_ages.age <= 54 THEN '45-54'
        ELSE '55+'
    END::text AS age_group
FROM users
JOIN signup_ages
    ON signup_ages.id = users.id
;
SELECT "lacreisaude_pipeline".lp_change_log_columns(p_step => 'staging2.lacreiid_user', p_columns => ARRAY['id', 'signup_date']::text[]);
DELETE FROM "lacreisaude_pipeline".changes AS c WHERE c.step = 'staging2.lacreiid_user' AND c.seq <= (SELECT min(k.consumed) FROM "lacreisaude_pipeline".change_cursors AS k WHERE k.producer = 'staging2.lacreiid_user' AND k.consumer = ANY (ARRAY['model.dim_lacreisaude_date', 'model.dim_lacreisaude_patient', 'model.fact_lacreisaude_appointments']::text[]) HAVING count(*) = 3);
CALL "lacreisaude_pipeline".lp_materialize(p_mode => 'upsert', p_schema => 'lacreisaude_staging_02', p_table => 'lacreiid_user', p_keys => ARRAY['id'], p_step => 'staging2.lacreiid_user', p_rows_table => 'lp_step_rows', p_delete_missing => true, p_full_refresh => false, p_track => true, p_step_setting => 'lacrei_pipeline.step', p_fillfactor => 100);
INSERT INTO "lacreisaude_pipeline".change_cursors (consumer, producer, consumed)
SELECT 'staging2.lacreiid_user', p.step, greatest((SELECT max(c.seq) FROM "lacreisaude_pipeline".changes AS c WHERE c.step = p.step), l.start_seq, 0)
FROM unnest(ARRAY['staging1.lacreiid_user']::text[]) AS p(step) LEFT JOIN "lacreisaude_pipeline".change_logs AS l ON l.step = p.step
ON CONFLICT (consumer, producer) DO UPDATE SET consumed = EXCLUDED.consumed;
DELETE FROM "lacreisaude_pipeline".changes AS c WHERE c.step = 'staging1.lacreiid_user' AND c.seq <= (SELECT min(k.consumed) FROM "lacreisaude_pipeline".change_cursors AS k WHERE k.producer = 'staging1.lacreiid_user' AND k.consumer = ANY (ARRAY['staging2.lacreiid_user', 'staging2.rejects']::text[]) HAVING count(*) = 2);
DROP TABLE lp_step_rows;
SELECT "lacreisaude_pipeline".lp_comments(p_kind => 'TABLE', p_table => '"lacreisaude_staging_02"."lacreiid_user"', p_comment => 'Users with sign-up date, age and age group at sign-up and the patient pseudonym; no birth date.', p_columns => ARRAY[]::text[], p_column_comments => ARRAY[]::text[]);

-- ==== once the step has committed, in a transaction of its own while later steps run: its indexes ====
SELECT "lacreisaude_pipeline".lp_index(p_table => '"lacreisaude_staging_02"."lacreiid_user"', p_index => 'lacreiid_user_patient_key_idx', p_columns => ARRAY['patient_key']::text[]);
