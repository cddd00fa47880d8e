-- staging2.rejects (incremental): rendered as of 2025-12-01 by engine render --approve
SET LOCAL default_statistics_target = '10';
SET LOCAL jit = 'off';
SET LOCAL max_parallel_workers_per_gather = '1';
SET LOCAL parallel_setup_cost = '100';
SET LOCAL parallel_tuple_cost = '0.01';
SET LOCAL random_page_cost = '1.1';
SET LOCAL work_mem = '64MB';
SET LOCAL lacrei_pipeline.step = 'staging2.rejects';
-- staging2.rejects: incremental upsert into "lacreisaude_staging_02"."rejects" by (step, source_key, reason) of the keys its scope selects from the changes of staging1.lacreiid_user, staging1.lacreiid_profile, staging1.lacreiid_profile_disability_types, staging1.lacreisaude_professional_disability_types, staging1.lacreiid_cancellation, staging1.lacreiid_report
-- (when the table is new, a change log restarted, or its SQL or other inputs changed, the whole SELECT runs instead: render --full-refresh shows it)
CREATE TEMP TABLE lp_scope ON COMMIT DROP AS
-- Scope of staging2.rejects: every staging 1 row that the tables read here inserted, updated or
-- removed since this step last ran, as the staging 2 step that would leave it out and its id. A
-- row's reasons depend on that row alone, so they are all it can change.
SELECT 'staging2.lacreiid_user'::text AS step, changed.id::text AS source_key
FROM (SELECT r."id" FROM "lacreisaude_pipeline".changes AS c CROSS JOIN LATERAL jsonb_populate_record(NULL::"lacreisaude_staging_01"."lacreiid_user", c.image) AS r WHERE c.step = 'staging1.lacreiid_user' AND c.seq > coalesce((SELECT k.consumed FROM "lacreisaude_pipeline".change_cursors AS k WHERE k.consumer = 'staging2.rejects' AND k.producer = 'staging1.lacreiid_user'), 0)) AS changed
UNION
SELECT 'staging2.lacreiid_profile', changed.id::text
FROM (SELECT r."id" FROM "lacreisaude_pipeline".changes AS c CROSS JOIN LATERAL jsonb_populate_record(NULL::"lacreisaude_staging_01"."lacreiid_profile", c.image) AS r WHERE c.step = 'staging1.lacreiid_profile' AND c.seq > coalesce((SELECT k.consumed FROM "lacreisaude_pipeline".change_cursors AS k WHERE k.consumer = 'staging2.rejects' AND k.producer = 'staging1.lacreiid_profile'), 0)) AS changed
UNION
SELECT 'staging2.lacreiid_profile_disability_types', changed.id::text
FROM (SELECT r."id" FROM "lacreisaude_pipeline".changes AS c CROSS JOIN LATERAL jsonb_populate_record(NULL::"lacreisaude_staging_01"."lacreiid_profile_disability_types", c.image) AS r WHERE c.step = 'staging1.lacreiid_profile_disability_types' AND c.seq > coalesce((SELECT k.consumed FROM "lacreisaude_pipeline".change_cursors AS k WHERE k.consumer = 'staging2.rejects' AND k.producer = 'staging1.lacreiid_profile_disability_types'), 0)) AS changed
UNION
SELECT 'staging2.lacreisaude_professional_disability_types', changed.id::text
FROM (SELECT r."id" FROM "lacreisaude_pipeline".changes AS c CROSS JOIN LATERAL jsonb_populate_record(NULL::"lacreisaude_staging_01"."lacreisaude_professional_disability_types", c.image) AS r WHERE c.step = 'staging1.lacreisaude_professional_disability_types' AND c.seq > coalesce((SELECT k.consumed FROM "lacreisaude_pipeline".change_cursors AS k WHERE k.consumer = 'staging2.rejects' AND k.producer = 'staging1.lacreisaude_professional_disability_types'), 0)) AS changed
UNION
SELECT 'staging2.lacreiid_cancellation', changed.id::text
FROM (SELECT r."id" FROM "lacreisaude_pipeline".changes AS c CROSS JOIN LATERAL jsonb_populate_record(NULL::"lacreisaude_staging_01"."lacreiid_cancellation", c.image) AS r WHERE c.step = 'staging1.lacreiid_cancellation' AND c.seq > coalesce((SELECT k.consumed FROM "lacreisaude_pipeline".change_cursors AS k WHERE k.consumer = 'staging2.rejects' AND k.producer = 'staging1.lacreiid_cancellation'), 0)) AS changed
UNION
SELECT 'staging2.lacreiid_report', changed.id::text
FROM (SELECT r."id" FROM "lacreisaude_pipeline".changes AS c CROSS JOIN LATERAL jsonb_populate_record(NULL::"lacreisaude_staging_01"."lacreiid_report", c.image) AS r WHERE c.step = 'staging1.lacreiid_report' AND c.seq > coalesce((SELECT k.consumed FROM "lacreisaude_pipeline".change_cursors AS k WHERE k.consumer = 'staging2.rejects' AND k.producer = 'staging1.lacreiid_report'), 0)) AS changed
;
ANALYZE lp_scope;
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
-- Materialization: incremental with a scope (rejects.scope.sql): only the staging 1 rows changed
-- since the last run are looked at again (by their primary keys), instead of six whole tables on
-- the way to every patient.
WITH user_rejects AS (
    SELECT
        'staging2.lacreiid_user'::text AS step,
        id::text AS source_key,
        'created_at gives no sign-up date (NULL, infinite, or outside the years 1-9999)'::text AS reason
    FROM "lacreisaude_staging_01"."lacreiid_user"
    WHERE NOT coalesce(created_at > '0001-01-02' AND created_at < '9999-12-31', false)

        AND id IN (SELECT scope.source_key::bigint FROM lp_scope AS scope WHERE scope.step = 'staging2.lacreiid_user')

),
profile_rejects AS (
    SELECT
        'staging2.lacreiid_profile'::text AS step,
        id::text AS source_key,
        'user_id is NULL: the profile belongs to no user'::text AS reason
    FROM "lacreisaude_staging_01"."lacreiid_profile"
    WHERE user_id IS NULL

        AND id IN (SELECT scope.source_key::bigint FROM lp_scope AS scope WHERE scope.step = 'staging2.lacreiid_profile')

),
profile_disability_rejects AS (
    SELECT
        'staging2.lacreiid_profile_disability_types' AS step,
        id::text AS source_key,
        'profile_id is NULL' AS reason
    FROM "lacreisaude_staging_01"."lacreiid_profile_disability_types"
    WHERE profile_id IS NULL

        AND id IN (SELECT scope.source_key::bigint FROM lp_scope AS scope WHERE scope.step = 'staging2.lacreiid_profile_disability_types')

    UNION ALL
    SELECT
        'staging2.lacreiid_profile_disability_types',
        id::text,
        'disabilitytype_id is NULL'
    FROM "lacreisaude_staging_01"."lacreiid_profile_disability_types"
    WHERE disabilitytype_id IS NULL

        AND id IN (SELECT scope.source_key::bigint FROM lp_scope AS scope WHERE scope.step = 'staging2.lacreiid_profile_disability_types')

),
professional_disability_rejects AS (
    SELECT
        'staging2.lacreisaude_professional_disability_types' AS step,
        id::text AS source_key,
        'professional_id is NULL' AS reason
    FROM "lacreisaude_staging_01"."lacreisaude_professional_disability_types"
    WHERE professional_id IS NULL

        AND id IN (SELECT scope.source_key::bigint FROM lp_scope AS scope WHERE scope.step = 'staging2.lacreisaude_professional_disability_types')

    UNION ALL
    SELECT
        'staging2.lacreisaude_professional_disability_types',
        id::text,
        'disabilitytype_id is NULL'
    FROM "lacreisaude_staging_01"."lacreisaude_professional_disability_types"
    WHERE disabilitytype_id IS NULL

        AND id IN (SELECT scope.source_key::bigint FROM lp_scope AS scope WHERE scope.step = 'staging2.lacreisaude_professional_disability_types')

),
cancellation_rejects AS (
    SELECT
        'staging2.lacreiid_cancellation' AS step,
        id::text AS source_key,
        'appointment_id is NULL: the cancellation belongs to no appointment' AS reason
    FROM "lacreisaude_staging_01"."lacreiid_cancellation"
    WHERE appointment_id IS NULL

        AND id IN (SELECT scope.source_key::bigint FROM lp_scope AS scope WHERE scope.step = 'staging2.lacreiid_cancellation')

),
report_rejects AS (
    SELECT
        'staging2.lacreiid_report' AS step,
        id::text AS source_key,
        'appointment_id is NULL: the rating belongs to no appointment' AS reason
    FROM "lacreisaude_staging_01"."lacreiid_report"
    WHERE appointment_id IS NULL

        AND id IN (SELECT scope.source_key::bigint FROM lp_scope AS scope WHERE scope.step = 'staging2.lacreiid_report')

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
CALL "lacreisaude_pipeline".lp_materialize(p_mode => 'upsert', p_schema => 'lacreisaude_staging_02', p_table => 'rejects', p_keys => ARRAY['step', 'source_key', 'reason'], p_step => 'staging2.rejects', p_rows_table => 'lp_step_rows', p_delete_missing => false, p_full_refresh => false, p_track => false, p_scope_table => 'lp_scope', p_step_setting => 'lacrei_pipeline.step', p_fillfactor => 100);
INSERT INTO "lacreisaude_pipeline".change_cursors (consumer, producer, consumed)
SELECT 'staging2.rejects', p.step, greatest((SELECT max(c.seq) FROM "lacreisaude_pipeline".changes AS c WHERE c.step = p.step), l.start_seq, 0)
FROM unnest(ARRAY['staging1.lacreiid_cancellation', 'staging1.lacreiid_profile', 'staging1.lacreiid_profile_disability_types', 'staging1.lacreiid_report', 'staging1.lacreiid_user', 'staging1.lacreisaude_professional_disability_types']::text[]) AS p(step) LEFT JOIN "lacreisaude_pipeline".change_logs AS l ON l.step = p.step
ON CONFLICT (consumer, producer) DO UPDATE SET consumed = EXCLUDED.consumed;
DELETE FROM "lacreisaude_pipeline".changes AS c WHERE c.step = 'staging1.lacreiid_cancellation' AND c.seq <= (SELECT min(k.consumed) FROM "lacreisaude_pipeline".change_cursors AS k WHERE k.producer = 'staging1.lacreiid_cancellation' AND k.consumer = ANY (ARRAY['staging2.rejects']::text[]) HAVING count(*) = 1);
DELETE FROM "lacreisaude_pipeline".changes AS c WHERE c.step = 'staging1.lacreiid_profile' AND c.seq <= (SELECT min(k.consumed) FROM "lacreisaude_pipeline".change_cursors AS k WHERE k.producer = 'staging1.lacreiid_profile' AND k.consumer = ANY (ARRAY['staging2.lacreiid_profile', 'staging2.rejects']::text[]) HAVING count(*) = 2);
DELETE FROM "lacreisaude_pipeline".changes AS c WHERE c.step = 'staging1.lacreiid_profile_disability_types' AND c.seq <= (SELECT min(k.consumed) FROM "lacreisaude_pipeline".change_cursors AS k WHERE k.producer = 'staging1.lacreiid_profile_disability_types' AND k.consumer = ANY (ARRAY['staging2.rejects']::text[]) HAVING count(*) = 1);
DELETE FROM "lacreisaude_pipeline".changes AS c WHERE c.step = 'staging1.lacreiid_report' AND c.seq <= (SELECT min(k.consumed) FROM "lacreisaude_pipeline".change_cursors AS k WHERE k.producer = 'staging1.lacreiid_report' AND k.consumer = ANY (ARRAY['staging2.rejects']::text[]) HAVING count(*) = 1);
DELETE FROM "lacreisaude_pipeline".changes AS c WHERE c.step = 'staging1.lacreiid_user' AND c.seq <= (SELECT min(k.consumed) FROM "lacreisaude_pipeline".change_cursors AS k WHERE k.producer = 'staging1.lacreiid_user' AND k.consumer = ANY (ARRAY['staging2.lacreiid_user', 'staging2.rejects']::text[]) HAVING count(*) = 2);
DELETE FROM "lacreisaude_pipeline".changes AS c WHERE c.step = 'staging1.lacreisaude_professional_disability_types' AND c.seq <= (SELECT min(k.consumed) FROM "lacreisaude_pipeline".change_cursors AS k WHERE k.producer = 'staging1.lacreisaude_professional_disability_types' AND k.consumer = ANY (ARRAY['staging2.rejects']::text[]) HAVING count(*) = 1);
DROP TABLE lp_scope;
SELECT "lacreisaude_pipeline".lp_comments(p_kind => 'TABLE', p_table => '"lacreisaude_staging_02"."rejects"', p_comment => 'Staging 1 rows that staging 2 cannot use, one row per rejected row and reason; the other staging 2 steps leave exactly these rows out.', p_columns => ARRAY['reason', 'source_key', 'step']::text[], p_column_comments => ARRAY['Why the row cannot be used.', 'The id of the staging 1 row, as text.', 'The staging 2 step that leaves the row out (layer.step).']::text[]);

-- ==== when the step recomputes everything (first run, --full-refresh, a changed input) ====
SET LOCAL default_statistics_target = '10';
SET LOCAL jit = 'off';
SET LOCAL max_parallel_workers_per_gather = '1';
SET LOCAL parallel_setup_cost = '100';
SET LOCAL parallel_tuple_cost = '0.01';
SET LOCAL random_page_cost = '1.1';
SET LOCAL work_mem = '64MB';
SET LOCAL lacrei_pipeline.step = 'staging2.rejects';
-- staging2.rejects: upsert of the whole SELECT into "lacreisaude_staging_02"."rejects" by (step, source_key, reason); rows it no longer returns are deleted
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
-- Materialization: incremental with a scope (rejects.scope.sql): only the staging 1 rows changed
-- since the last run are looked at again (by their primary keys), instead of six whole tables on
-- the way to every patient.
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
CALL "lacreisaude_pipeline".lp_materialize(p_mode => 'upsert', p_schema => 'lacreisaude_staging_02', p_table => 'rejects', p_keys => ARRAY['step', 'source_key', 'reason'], p_step => 'staging2.rejects', p_rows_table => 'lp_step_rows', p_delete_missing => true, p_full_refresh => false, p_track => false, p_step_setting => 'lacrei_pipeline.step', p_fillfactor => 100);
INSERT INTO "lacreisaude_pipeline".change_cursors (consumer, producer, consumed)
SELECT 'staging2.rejects', p.step, greatest((SELECT max(c.seq) FROM "lacreisaude_pipeline".changes AS c WHERE c.step = p.step), l.start_seq, 0)
FROM unnest(ARRAY['staging1.lacreiid_cancellation', 'staging1.lacreiid_profile', 'staging1.lacreiid_profile_disability_types', 'staging1.lacreiid_report', 'staging1.lacreiid_user', 'staging1.lacreisaude_professional_disability_types']::text[]) AS p(step) LEFT JOIN "lacreisaude_pipeline".change_logs AS l ON l.step = p.step
ON CONFLICT (consumer, producer) DO UPDATE SET consumed = EXCLUDED.consumed;
DELETE FROM "lacreisaude_pipeline".changes AS c WHERE c.step = 'staging1.lacreiid_cancellation' AND c.seq <= (SELECT min(k.consumed) FROM "lacreisaude_pipeline".change_cursors AS k WHERE k.producer = 'staging1.lacreiid_cancellation' AND k.consumer = ANY (ARRAY['staging2.rejects']::text[]) HAVING count(*) = 1);
DELETE FROM "lacreisaude_pipeline".changes AS c WHERE c.step = 'staging1.lacreiid_profile' AND c.seq <= (SELECT min(k.consumed) FROM "lacreisaude_pipeline".change_cursors AS k WHERE k.producer = 'staging1.lacreiid_profile' AND k.consumer = ANY (ARRAY['staging2.lacreiid_profile', 'staging2.rejects']::text[]) HAVING count(*) = 2);
DELETE FROM "lacreisaude_pipeline".changes AS c WHERE c.step = 'staging1.lacreiid_profile_disability_types' AND c.seq <= (SELECT min(k.consumed) FROM "lacreisaude_pipeline".change_cursors AS k WHERE k.producer = 'staging1.lacreiid_profile_disability_types' AND k.consumer = ANY (ARRAY['staging2.rejects']::text[]) HAVING count(*) = 1);
DELETE FROM "lacreisaude_pipeline".changes AS c WHERE c.step = 'staging1.lacreiid_report' AND c.seq <= (SELECT min(k.consumed) FROM "lacreisaude_pipeline".change_cursors AS k WHERE k.producer = 'staging1.lacreiid_report' AND k.consumer = ANY (ARRAY['staging2.rejects']::text[]) HAVING count(*) = 1);
DELETE FROM "lacreisaude_pipeline".changes AS c WHERE c.step = 'staging1.lacreiid_user' AND c.seq <= (SELECT min(k.consumed) FROM "lacreisaude_pipeline".change_cursors AS k WHERE k.producer = 'staging1.lacreiid_user' AND k.consumer = ANY (ARRAY['staging2.lacreiid_user', 'staging2.rejects']::text[]) HAVING count(*) = 2);
DELETE FROM "lacreisaude_pipeline".changes AS c WHERE c.step = 'staging1.lacreisaude_professional_disability_types' AND c.seq <= (SELECT min(k.consumed) FROM "lacreisaude_pipeline".change_cursors AS k WHERE k.producer = 'staging1.lacreisaude_professional_disability_types' AND k.consumer = ANY (ARRAY['staging2.rejects']::text[]) HAVING count(*) = 1);
DROP TABLE lp_step_rows;
SELECT "lacreisaude_pipeline".lp_comments(p_kind => 'TABLE', p_table => '"lacreisaude_staging_02"."rejects"', p_comment => 'Staging 1 rows that staging 2 cannot use, one row per rejected row and reason; the other staging 2 steps leave exactly these rows out.', p_columns => ARRAY['reason', 'source_key', 'step']::text[], p_column_comments => ARRAY['Why the row cannot be used.', 'The id of the staging 1 row, as text.', 'The staging 2 step that leaves the row out (layer.step).']::text[]);
