-- staging2.rejects (replace): rendered as of 2025-12-01 by engine render --approve
SET LOCAL default_statistics_target = '10';
SET LOCAL jit = 'off';
SET LOCAL max_parallel_workers_per_gather = '1';
SET LOCAL parallel_setup_cost = '100';
SET LOCAL parallel_tuple_cost = '0.01';
SET LOCAL random_page_cost = '1.1';
SET LOCAL work_mem = '64MB';
SET LOCAL lacrei_pipeline.step = 'staging2.rejects';
-- staging2.rejects: replace the rows of "lacreisaude_staging_02"."rejects" in this transaction
CREATE TEMP TABLE lp_step_rows ON COMMIT DROP AS
-- Staging 2: rejects
-- Grain: one row per rejected staging 1 row and reason (key step, source_key, reason).
-- Rule: rows of staging 1 that staging 2 cannot use are never dropped silently (SPEC §9.3):
-- they are listed here with the staging 2 step that leaves them out, the source id and why.
-- This table is the single source of truth: the staging 2 steps below leave out exactly the
-- rows listed here for them (an anti-join on step and source_key; staging2.lacreiid_user by the
-- same rule, the macro local_date, so that users need not wait for every table read here).
-- Only link rows without both ends, cancellations and ratings without an appointment, and users
-- without a sign-up date (created_at NULL, 'infinity' / '-infinity', or a day outside the years
-- 1-9999: macros/dates.sql; such a patient belongs to no month of the marts) are unusable: ids are never NULL (primary key
-- of staging 1), and a NULL or unparseable optional value (status, type, price, rating, birth
-- date, appointment date, another row's creation date) is kept and read as unknown / NULL as
-- SPEC §9.3 prescribes.
-- Replace, not upsert: a small table that is recomputed whole on every run.
WITH user_rejects AS (
    SELECT
        'staging2.lacreiid_user'::text AS step,
        id::text AS source_key,
        'created_at gives no sign-up date (NULL, infinite, or outside the years 1-9999)'::text AS reason
    FROM "lacreisaude_staging_01"."lacreiid_user"
    WHERE NOT coalesce(created_at > '0001-01-02' AND created_at < '9999-12-31', false)
),
profile_rejects AS (
    SELECT
        'staging2.lacreiid_profile'::text AS step,
        id::text AS source_key,
        'user_id is NULL: the profile belongs to no user'::text AS reason
    FROM "lacreisaude_staging_01"."lacreiid_profile"
    WHERE user_id IS NULL
),
profile_disability_rejects AS (
    SELECT
        'staging2.lacreiid_profile_disability_types' AS step,
        id::text AS source_key,
        'profile_id is NULL' AS reason
    FROM "lacreisaude_staging_01"."lacreiid_profile_disability_types"
    WHERE profile_id IS NULL
    UNION ALL
    SELECT
        'staging2.lacreiid_profile_disability_types',
        id::text,
        'disabilitytype_id is NULL'
    FROM "lacreisaude_staging_01"."lacreiid_profile_disability_types"
    WHERE disabilitytype_id IS NULL
),
professional_disability_rejects AS (
    SELECT
        'staging2.lacreisaude_professional_disability_types' AS step,
        id::text AS source_key,
        'professional_id is NULL' AS reason
    FROM "lacreisaude_staging_01"."lacreisaude_professional_disability_types"
    WHERE professional_id IS NULL
    UNION ALL
    SELECT
        'staging2.lacreisaude_professional_disability_types',
        id::text,
        'disabilitytype_id is NULL'
    FROM "lacreisaude_staging_01"."lacreisaude_professional_disability_types"
    WHERE disabilitytype_id IS NULL
),
cancellation_rejects AS (
    SELECT
        'staging2.lacreiid_cancellation' AS step,
        id::text AS source_key,
        'appointment_id is NULL: the cancellation belongs to no appointment' AS reason
    FROM "lacreisaude_staging_01"."lacreiid_cancellation"
    WHERE appointment_id IS NULL
),
report_rejects AS (
    SELECT
        'staging2.lacreiid_report' AS step,
        id::text AS source_key,
        'appointment_id is NULL: the rating belongs to no appointment' AS reason
    FROM "lacreisaude_staging_01"."lacreiid_report"
    WHERE appointment_id IS NULL
)
SELECT step, source_key, reason
FROM user_rejects
UNION ALL
SELECT step, source_key, reason
FROM profile_rejects
UNION ALL
SELECT step, source_key, reason
FROM profile_disability_rejects
UNION ALL
SELECT step, source_key, reason
FROM professional_disability_rejects
UNION ALL
SELECT step, source_key, reason
FROM cancellation_rejects
UNION ALL
SELECT step, source_key, reason
FROM report_rejects
;
CALL "lacreisaude_pipeline".lp_materialize(p_mode => 'replace', p_schema => 'lacreisaude_staging_02', p_table => 'rejects', p_keys => ARRAY['step', 'source_key', 'reason'], p_step => 'staging2.rejects', p_rows_table => 'lp_step_rows', p_delete_missing => false, p_full_refresh => false, p_track => false, p_step_setting => 'lacrei_pipeline.step', p_fillfactor => 100);
DROP TABLE lp_step_rows;
SELECT "lacreisaude_pipeline".lp_comments(p_kind => 'TABLE', p_table => '"lacreisaude_staging_02"."rejects"', p_comment => 'Staging 1 rows that staging 2 cannot use, one row per rejected row and reason; the other staging 2 steps leave exactly these rows out.', p_columns => ARRAY['reason', 'source_key', 'step']::text[], p_column_comments => ARRAY['Why the row cannot be used.', 'The id of the staging 1 row, as text.', 'The staging 2 step that leaves the row out (layer.step).']::text[]);
