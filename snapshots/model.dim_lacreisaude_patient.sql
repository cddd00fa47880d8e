-- model.dim_lacreisaude_patient (incremental): rendered as of 2025-12-01 by engine render --approve
SET LOCAL default_statistics_target = '10';
SET LOCAL jit = 'off';
SET LOCAL max_parallel_workers_per_gather = '1';
SET LOCAL parallel_setup_cost = '100';
SET LOCAL parallel_tuple_cost = '0.01';
SET LOCAL random_page_cost = '1.1';
SET LOCAL work_mem = '64MB';
SET LOCAL lacrei_pipeline.step = 'model.dim_lacreisaude_patient';
-- model.dim_lacreisaude_patient: incremental upsert into "lacreisaude_model"."dim_lacreisaude_patient" by (patient_id) of the keys its scope selects from the changes of staging2.lacreiid_user, staging2.lacreiid_profile, staging2.lacreiid_profile_disability_types
-- (when the table is new, a change log restarted, or its SQL or other inputs changed, the whole SELECT runs instead: render --full-refresh shows it)
CREATE TEMP TABLE lp_scope ON COMMIT DROP AS
-- Scope of model.dim_lacreisaude_patient: the users whose user row, profile (before and after) or
-- profile disabilities changed since this step last ran, as patient pseudonyms (the table's key),
-- each hashed once. A changed lookup (gender identity, pronoun, ...) recomputes everything.
SELECT
    (left(encode(sha256((SELECT "lacreisaude_pipeline".lp_pseudonym_pad(true)) || sha256((SELECT "lacreisaude_pipeline".lp_pseudonym_pad(false)) || convert_to('patient:' || (changed_users.user_id)::text, 'UTF8'))), 'hex'), 32) COLLATE "C") AS patient_id
FROM (
    SELECT
        changed.id AS user_id
    FROM (SELECT r."id" FROM "lacreisaude_pipeline".changes AS c CROSS JOIN LATERAL jsonb_populate_record(NULL::"lacreisaude_staging_02"."lacreiid_user", c.image) AS r WHERE c.step = 'staging2.lacreiid_user' AND c.seq > coalesce((SELECT k.consumed FROM "lacreisaude_pipeline".change_cursors AS k WHERE k.consumer = 'model.dim_lacreisaude_patient' AND k.producer = 'staging2.lacreiid_user'), 0)) AS changed
    UNION
    SELECT
        changed.user_id
    FROM (SELECT r."id", r."user_id" FROM "lacreisaude_pipeline".changes AS c CROSS JOIN LATERAL jsonb_populate_record(NULL::"lacreisaude_staging_02"."lacreiid_profile", c.image) AS r WHERE c.step = 'staging2.lacreiid_profile' AND c.seq > coalesce((SELECT k.consumed FROM "lacreisaude_pipeline".change_cursors AS k WHERE k.consumer = 'model.dim_lacreisaude_patient' AND k.producer = 'staging2.lacreiid_profile'), 0) AND NOT c.key_only UNION ALL SELECT n."id", n."user_id" FROM (SELECT latest."id", latest."user_id" FROM (SELECT DISTINCT ON (a."id") c.after IS NULL AS lp_gone, a."id", a."user_id" FROM "lacreisaude_pipeline".changes AS c CROSS JOIN LATERAL jsonb_populate_record(NULL::"lacreisaude_staging_02"."lacreiid_profile", coalesce(c.after, c.image)) AS a WHERE c.step = 'staging2.lacreiid_profile' AND c.seq > coalesce((SELECT k.consumed FROM "lacreisaude_pipeline".change_cursors AS k WHERE k.consumer = 'model.dim_lacreisaude_patient' AND k.producer = 'staging2.lacreiid_profile'), 0) ORDER BY a."id", c.seq DESC) AS latest WHERE NOT latest.lp_gone) AS n) AS changed
    WHERE changed.user_id IS NOT NULL
    UNION
    SELECT
        profile.user_id
    FROM "lacreisaude_staging_02"."lacreiid_profile" AS profile
    JOIN (
        SELECT DISTINCT
            profile_id
        FROM (SELECT r."id", r."profile_id" FROM "lacreisaude_pipeline".changes AS c CROSS JOIN LATERAL jsonb_populate_record(NULL::"lacreisaude_staging_02"."lacreiid_profile_disability_types", c.image) AS r WHERE c.step = 'staging2.lacreiid_profile_disability_types' AND c.seq > coalesce((SELECT k.consumed FROM "lacreisaude_pipeline".change_cursors AS k WHERE k.consumer = 'model.dim_lacreisaude_patient' AND k.producer = 'staging2.lacreiid_profile_disability_types'), 0) AND NOT c.key_only UNION ALL SELECT n."id", n."profile_id" FROM (SELECT latest."id", latest."profile_id" FROM (SELECT DISTINCT ON (a."id") c.after IS NULL AS lp_gone, a."id", a."profile_id" FROM "lacreisaude_pipeline".changes AS c CROSS JOIN LATERAL jsonb_populate_record(NULL::"lacreisaude_staging_02"."lacreiid_profile_disability_types", coalesce(c.after, c.image)) AS a WHERE c.step = 'staging2.lacreiid_profile_disability_types' AND c.seq > coalesce((SELECT k.consumed FROM "lacreisaude_pipeline".change_cursors AS k WHERE k.consumer = 'model.dim_lacreisaude_patient' AND k.producer = 'staging2.lacreiid_profile_disability_types'), 0) ORDER BY a."id", c.seq DESC) AS latest WHERE NOT latest.lp_gone) AS n) AS changed_rows
    ) AS changed
        ON changed.profile_id = profile.id
    WHERE profile.user_id IS NOT NULL
) AS changed_users
;
ANALYZE lp_scope;
CREATE TEMP TABLE lp_step_rows ON COMMIT DROP AS
-- Model: dim_lacreisaude_patient
-- Grain: one row per patient (key patient_id = the user's keyed pseudonym, SPEC §9.4).
-- Rule (SPEC §9.4): a patient is a user with at least one profile; when a user has several,
-- the profile with the latest updated_at, then the highest id, counts. Identity attributes
-- are the lookups' texts (trimmed in staging 2); disability_types are the distinct type names
-- of that profile, sorted (empty array when none). No names, no birth date.
-- patient_id is staging 2's patient_key and profile_id the profile's pseudonym: no source id of a
-- person reaches the model. The scope names pseudonyms; the users behind them are found by the
-- index on staging 2's patient_key.
-- Materialization: incremental with a scope (dim_lacreisaude_patient.scope.sql): keys are
-- pseudonyms, stable across runs with the same key, and unchanged patients are not rewritten.
WITH latest_profiles AS (
    SELECT DISTINCT ON (user_id)
        user_id,
        id AS profile_id,
        ethnic_group_id,
        gender_identity_id,
        sexual_orientation_id,
        pronoun_id
    FROM "lacreisaude_staging_02"."lacreiid_profile"

        WHERE user_id IN (
            SELECT
                scoped_users.id
            FROM "lacreisaude_staging_02"."lacreiid_user" AS scoped_users
            WHERE scoped_users.patient_key IN (SELECT scope.patient_id FROM lp_scope AS scope)
        )

    ORDER BY user_id, updated_at DESC, id DESC
),
profile_disabilities AS (
    SELECT
        link.profile_id,
        array_agg(DISTINCT disability.disability_type ORDER BY disability.disability_type) AS disability_types
    FROM "lacreisaude_staging_02"."lacreiid_profile_disability_types" AS link
    JOIN "lacreisaude_staging_02"."lacreiid_disabilitytype" AS disability
        ON disability.id = link.disabilitytype_id

        -- The links of the scope's profiles only: a join does not filter an aggregate below it, so
        -- without this every profile's types were aggregated on every run (issue 21).
        WHERE link.profile_id IN (SELECT latest_profiles.profile_id FROM latest_profiles)

    GROUP BY link.profile_id
)
SELECT
    users.patient_key AS patient_id,
    (left(encode(sha256((SELECT "lacreisaude_pipeline".lp_pseudonym_pad(true)) || sha256((SELECT "lacreisaude_pipeline".lp_pseudonym_pad(false)) || convert_to('profile:' || (latest_profiles.profile_id)::text, 'UTF8'))), 'hex'), 32) COLLATE "C") AS profile_id,
    users.signup_date,
    date_trunc('month', users.signup_date::timestamp)::date AS signup_month,
    users.is_active,
    ethnic_group.ethnic_group,
    gender_identity.gender_identity,
    sexual_orientation.sexual_orientation,
    pronoun.pronoun,
    coalesce(profile_disabilities.disability_types, ARRAY[]::text[]) AS disability_types,
    users.age,
    users.age_group
FROM latest_profiles
JOIN "lacreisaude_staging_02"."lacreiid_user" AS users
    ON users.id = latest_profiles.user_id
LEFT JOIN "lacreisaude_staging_02"."lacreiid_ethnicgroup" AS ethnic_group
    ON ethnic_group.id = latest_profiles.ethnic_group_id
LEFT JOIN "lacreisaude_staging_02"."lacreiid_genderidentity" AS gender_identity
    ON gender_identity.id = latest_profiles.gender_identity_id
LEFT JOIN "lacreisaude_staging_02"."lacreiid_sexualorientation" AS sexual_orientation
    ON sexual_orientation.id = latest_profiles.sexual_orientation_id
LEFT JOIN "lacreisaude_staging_02"."lacreiid_pronoun" AS pronoun
    ON pronoun.id = latest_profiles.pronoun_id
LEFT JOIN profile_disabilities
    ON profile_disabilities.profile_id = latest_profiles.profile_id
;
SELECT "lacreisaude_pipeline".lp_change_log_columns(p_step => 'model.dim_lacreisaude_patient', p_columns => ARRAY['patient_id', 'signup_month']::text[]);
DELETE FROM "lacreisaude_pipeline".changes AS c WHERE c.step = 'model.dim_lacreisaude_patient' AND c.seq <= (SELECT min(k.consumed) FROM "lacreisaude_pipeline".change_cursors AS k WHERE k.producer = 'model.dim_lacreisaude_patient' AND k.consumer = ANY (ARRAY['mart.patients']::text[]) HAVING count(*) = 1);
CALL "lacreisaude_pipeline".lp_materialize(p_mode => 'upsert', p_schema => 'lacreisaude_model', p_table => 'dim_lacreisaude_patient', p_keys => ARRAY['patient_id'], p_step => 'model.dim_lacreisaude_patient', p_rows_table => 'lp_step_rows', p_delete_missing => false, p_full_refresh => false, p_track => true, p_scope_table => 'lp_scope', p_step_setting => 'lacrei_pipeline.step', p_fillfactor => 100);
INSERT INTO "lacreisaude_pipeline".change_cursors (consumer, producer, consumed)
SELECT 'model.dim_lacreisaude_patient', p.step, greatest((SELECT max(c.seq) FROM "lacreisaude_pipeline".changes AS c WHERE c.step = p.step), l.start_seq, 0)
FROM unnest(ARRAY['staging2.lacreiid_profile', 'staging2.lacreiid_profile_disability_types', 'staging2.lacreiid_user']::text[]) AS p(step) LEFT JOIN "lacreisaude_pipeline".change_logs AS l ON l.step = p.step
ON CONFLICT (consumer, producer) DO UPDATE SET consumed = EXCLUDED.consumed;
DELETE FROM "lacreisaude_pipeline".changes AS c WHERE c.step = 'staging2.lacreiid_profile' AND c.seq <= (SELECT min(k.consumed) FROM "lacreisaude_pipeline".change_cursors AS k WHERE k.producer = 'staging2.lacreiid_profile' AND k.consumer = ANY (ARRAY['model.dim_lacreisaude_patient', 'model.fact_lacreisaude_appointments']::text[]) HAVING count(*) = 2);
DELETE FROM "lacreisaude_pipeline".changes AS c WHERE c.step = 'staging2.lacreiid_profile_disability_types' AND c.seq <= (SELECT min(k.consumed) FROM "lacreisaude_pipeline".change_cursors AS k WHERE k.producer = 'staging2.lacreiid_profile_disability_types' AND k.consumer = ANY (ARRAY['model.dim_lacreisaude_patient']::text[]) HAVING count(*) = 1);
DELETE FROM "lacreisaude_pipeline".changes AS c WHERE c.step = 'staging2.lacreiid_user' AND c.seq <= (SELECT min(k.consumed) FROM "lacreisaude_pipeline".change_cursors AS k WHERE k.producer = 'staging2.lacreiid_user' AND k.consumer = ANY (ARRAY['model.dim_lacreisaude_date', 'model.dim_lacreisaude_patient', 'model.fact_lacreisaude_appointments']::text[]) HAVING count(*) = 3);
DROP TABLE lp_scope;
SELECT "lacreisaude_pipeline".lp_comments(p_kind => 'TABLE', p_table => '"lacreisaude_model"."dim_lacreisaude_patient"', p_comment => 'Patients (users with at least one profile), attributes from their latest profile. No names, no birth date.', p_columns => ARRAY[]::text[], p_column_comments => ARRAY[]::text[]);

-- ==== when the step recomputes everything (first run, --full-refresh, a changed input) ====
SET LOCAL default_statistics_target = '10';
SET LOCAL jit = 'off';
SET LOCAL max_parallel_workers_per_gather = '1';
SET LOCAL parallel_setup_cost = '100';
SET LOCAL parallel_tuple_cost = '0.01';
SET LOCAL random_page_cost = '1.1';
SET LOCAL work_mem = '64MB';
SET LOCAL lacrei_pipeline.step = 'model.dim_lacreisaude_patient';
-- model.dim_lacreisaude_patient: upsert of the whole SELECT into "lacreisaude_model"."dim_lacreisaude_patient" by (patient_id); rows it no longer returns are deleted
CREATE TEMP TABLE lp_step_rows ON COMMIT DROP AS
-- Model: dim_lacreisaude_patient
-- Grain: one row per patient (key patient_id = the user's keyed pseudonym, SPEC §9.4).
-- Rule (SPEC §9.4): a patient is a user with at least one profile; when a user has several,
-- the profile with the latest updated_at, then the highest id, counts. Identity attributes
-- are the lookups' texts (trimmed in staging 2); disability_types are the distinct type names
-- of that profile, sorted (empty array when none). No names, no birth date.
-- patient_id is staging 2's patient_key and profile_id the profile's pseudonym: no source id of a
-- person reaches the model. The scope names pseudonyms; the users behind them are found by the
-- index on staging 2's patient_key.
-- Materialization: incremental with a scope (dim_lacreisaude_patient.scope.sql): keys are
-- pseudonyms, stable across runs with the same key, and unchanged patients are not rewritten.
WITH latest_profiles AS (
    SELECT DISTINCT ON (user_id)
        user_id,
        id AS profile_id,
        ethnic_group_id,
        gender_identity_id,
        sexual_orientation_id,
        pronoun_id
    FROM "lacreisaude_staging_02"."lacreiid_profile"

    ORDER BY user_id, updated_at DESC, id DESC
),
profile_disabilities AS (
    SELECT
        link.profile_id,
        array_agg(DISTINCT disability.disability_type ORDER BY disability.disability_type) AS disability_types
    FROM "lacreisaude_staging_02"."lacreiid_profile_disability_types" AS link
    JOIN "lacreisaude_staging_02"."lacreiid_disabilitytype" AS disability
        ON disability.id = link.disabilitytype_id

    GROUP BY link.profile_id
)
SELECT
    users.patient_key AS patient_id,
    (left(encode(sha256((SELECT "lacreisaude_pipeline".lp_pseudonym_pad(true)) || sha256((SELECT "lacreisaude_pipeline".lp_pseudonym_pad(false)) || convert_to('profile:' || (latest_profiles.profile_id)::text, 'UTF8'))), 'hex'), 32) COLLATE "C") AS profile_id,
    users.signup_date,
    date_trunc('month', users.signup_date::timestamp)::date AS signup_month,
    users.is_active,
    ethnic_group.ethnic_group,
    gender_identity.gender_identity,
    sexual_orientation.sexual_orientation,
    pronoun.pronoun,
    coalesce(profile_disabilities.disability_types, ARRAY[]::text[]) AS disability_types,
    users.age,
    users.age_group
FROM latest_profiles
JOIN "lacreisaude_staging_02"."lacreiid_user" AS users
    ON users.id = latest_profiles.user_id
LEFT JOIN "lacreisaude_staging_02"."lacreiid_ethnicgroup" AS ethnic_group
    ON ethnic_group.id = latest_profiles.ethnic_group_id
LEFT JOIN "lacreisaude_staging_02"."lacreiid_genderidentity" AS gender_identity
    ON gender_identity.id = latest_profiles.gender_identity_id
LEFT JOIN "lacreisaude_staging_02"."lacreiid_sexualorientation" AS sexual_orientation
    ON sexual_orientation.id = latest_profiles.sexual_orientation_id
LEFT JOIN "lacreisaude_staging_02"."lacreiid_pronoun" AS pronoun
    ON pronoun.id = latest_profiles.pronoun_id
LEFT JOIN profile_disabilities
    ON profile_disabilities.profile_id = latest_profiles.profile_id
;
SELECT "lacreisaude_pipeline".lp_change_log_columns(p_step => 'model.dim_lacreisaude_patient', p_columns => ARRAY['patient_id', 'signup_month']::text[]);
DELETE FROM "lacreisaude_pipeline".changes AS c WHERE c.step = 'model.dim_lacreisaude_patient' AND c.seq <= (SELECT min(k.consumed) FROM "lacreisaude_pipeline".change_cursors AS k WHERE k.producer = 'model.dim_lacreisaude_patient' AND k.consumer = ANY (ARRAY['mart.patients']::text[]) HAVING count(*) = 1);
CALL "lacreisaude_pipeline".lp_materialize(p_mode => 'upsert', p_schema => 'lacreisaude_model', p_table => 'dim_lacreisaude_patient', p_keys => ARRAY['patient_id'], p_step => 'model.dim_lacreisaude_patient', p_rows_table => 'lp_step_rows', p_delete_missing => true, p_full_refresh => false, p_track => true, p_step_setting => 'lacrei_pipeline.step', p_fillfactor => 100);
INSERT INTO "lacreisaude_pipeline".change_cursors (consumer, producer, consumed)
SELECT 'model.dim_lacreisaude_patient', p.step, greatest((SELECT max(c.seq) FROM "lacreisaude_pipeline".changes AS c WHERE c.step = p.step), l.start_seq, 0)
FROM unnest(ARRAY['staging2.lacreiid_profile', 'staging2.lacreiid_profile_disability_types', 'staging2.lacreiid_user']::text[]) AS p(step) LEFT JOIN "lacreisaude_pipeline".change_logs AS l ON l.step = p.step
ON CONFLICT (consumer, producer) DO UPDATE SET consumed = EXCLUDED.consumed;
DELETE FROM "lacreisaude_pipeline".changes AS c WHERE c.step = 'staging2.lacreiid_profile' AND c.seq <= (SELECT min(k.consumed) FROM "lacreisaude_pipeline".change_cursors AS k WHERE k.producer = 'staging2.lacreiid_profile' AND k.consumer = ANY (ARRAY['model.dim_lacreisaude_patient', 'model.fact_lacreisaude_appointments']::text[]) HAVING count(*) = 2);
DELETE FROM "lacreisaude_pipeline".changes AS c WHERE c.step = 'staging2.lacreiid_profile_disability_types' AND c.seq <= (SELECT min(k.consumed) FROM "lacreisaude_pipeline".change_cursors AS k WHERE k.producer = 'staging2.lacreiid_profile_disability_types' AND k.consumer = ANY (ARRAY['model.dim_lacreisaude_patient']::text[]) HAVING count(*) = 1);
DELETE FROM "lacreisaude_pipeline".changes AS c WHERE c.step = 'staging2.lacreiid_user' AND c.seq <= (SELECT min(k.consumed) FROM "lacreisaude_pipeline".change_cursors AS k WHERE k.producer = 'staging2.lacreiid_user' AND k.consumer = ANY (ARRAY['model.dim_lacreisaude_date', 'model.dim_lacreisaude_patient', 'model.fact_lacreisaude_appointments']::text[]) HAVING count(*) = 3);
DROP TABLE lp_step_rows;
SELECT "lacreisaude_pipeline".lp_comments(p_kind => 'TABLE', p_table => '"lacreisaude_model"."dim_lacreisaude_patient"', p_comment => 'Patients (users with at least one profile), attributes from their latest profile. No names, no birth date.', p_columns => ARRAY[]::text[], p_column_comments => ARRAY[]::text[]);

-- ==== data test unique(patient_id) (error): offending rows ====
SELECT "patient_id", count(*) AS duplicates FROM "lacreisaude_model"."dim_lacreisaude_patient" GROUP BY "patient_id" HAVING count(*) > 1

-- ==== data test not_null(patient_id) (error): offending rows ====
SELECT * FROM "lacreisaude_model"."dim_lacreisaude_patient" WHERE "patient_id" IS NULL

-- ==== data test accepted_values(age_group) (error): offending rows ====
SELECT "age_group", count(*) AS rows FROM "lacreisaude_model"."dim_lacreisaude_patient" WHERE "age_group" IS NOT NULL AND "age_group"::text NOT IN ('< 18', '18-24', '25-34', '35-44', '45-54', '55+', 'N/I') GROUP BY "age_group"

-- ==== data tests not_null(patient_id), accepted_values(age_group) in one pass (a test with offending rows then runs its own query) ====
SELECT
    count(*) FILTER (WHERE "patient_id" IS NULL) AS lp_test_1,
    count(*) FILTER (WHERE "age_group" IS NOT NULL AND "age_group"::text NOT IN ('< 18', '18-24', '25-34', '35-44', '45-54', '55+', 'N/I')) AS lp_test_2
FROM "lacreisaude_model"."dim_lacreisaude_patient"
