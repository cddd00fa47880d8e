-- mart.professionals (incremental): rendered as of 2025-12-01 by engine render --approve
SET LOCAL default_statistics_target = '10';
SET LOCAL jit = 'off';
SET LOCAL max_parallel_workers_per_gather = '1';
SET LOCAL parallel_setup_cost = '100';
SET LOCAL parallel_tuple_cost = '0.01';
SET LOCAL random_page_cost = '1.1';
SET LOCAL work_mem = '64MB';
SET LOCAL lacrei_pipeline.step = 'mart.professionals';
-- mart.professionals: incremental upsert into "lacreisaude_mart"."professionals" by (professional_id) of the keys its scope selects from the changes of model.dim_lacreisaude_professional, model.fact_lacreisaude_appointments
-- (when the table is new, a change log restarted, or its SQL or other inputs changed, the whole SELECT runs instead: render --full-refresh shows it)
CREATE TEMP TABLE lp_scope ON COMMIT DROP AS
-- Scope of mart.professionals: the professionals whose dimension row changed, and those of the
-- appointments that changed (before and after the change).
SELECT
    changed.professional_id
FROM (SELECT r."professional_id" FROM "lacreisaude_pipeline".changes AS c CROSS JOIN LATERAL jsonb_populate_record(NULL::"lacreisaude_model"."dim_lacreisaude_professional", c.image) AS r WHERE c.step = 'model.dim_lacreisaude_professional' AND c.seq > coalesce((SELECT k.consumed FROM "lacreisaude_pipeline".change_cursors AS k WHERE k.consumer = 'mart.professionals' AND k.producer = 'model.dim_lacreisaude_professional'), 0)) AS changed
UNION
SELECT
    changed.professional_id
FROM (SELECT r."appointment_id", r."professional_id" FROM "lacreisaude_pipeline".changes AS c CROSS JOIN LATERAL jsonb_populate_record(NULL::"lacreisaude_model"."fact_lacreisaude_appointments", c.image) AS r WHERE c.step = 'model.fact_lacreisaude_appointments' AND c.seq > coalesce((SELECT k.consumed FROM "lacreisaude_pipeline".change_cursors AS k WHERE k.consumer = 'mart.professionals' AND k.producer = 'model.fact_lacreisaude_appointments'), 0) AND NOT c.key_only UNION ALL SELECT n."appointment_id", n."professional_id" FROM (SELECT latest."appointment_id", latest."professional_id" FROM (SELECT DISTINCT ON (a."appointment_id") c.after IS NULL AS lp_gone, a."appointment_id", a."professional_id" FROM "lacreisaude_pipeline".changes AS c CROSS JOIN LATERAL jsonb_populate_record(NULL::"lacreisaude_model"."fact_lacreisaude_appointments", coalesce(c.after, c.image)) AS a WHERE c.step = 'model.fact_lacreisaude_appointments' AND c.seq > coalesce((SELECT k.consumed FROM "lacreisaude_pipeline".change_cursors AS k WHERE k.consumer = 'mart.professionals' AND k.producer = 'model.fact_lacreisaude_appointments'), 0) ORDER BY a."appointment_id", c.seq DESC) AS latest WHERE NOT latest.lp_gone) AS n) AS changed
WHERE changed.professional_id IS NOT NULL
;
ANALYZE lp_scope;
CREATE TEMP TABLE lp_step_rows ON COMMIT DROP AS
-- Mart: professionals
-- Grain: one row per professional (key professional_id).
-- Rule (SPEC §9.5): total_appointments = fact rows of the professional, completed_appointments
-- = those with is_completed, ratings_count = those with a non-NULL rating, avg_rating =
-- round(avg(rating), 2). A NULL text attribute reads 'Não informado'. No identity attributes.
-- Outcomes of fewer than k = vars.min_cell_size appointments are not published:
-- completed_appointments is NULL when total_appointments < k, avg_rating is NULL when
-- ratings_count < k (so also without ratings), and suppressed says whether either was nulled;
-- otherwise a reader who knows one appointment or one rating would learn its outcome.
-- Materialization: incremental with a scope (professionals.scope.sql): a run recomputes the
-- professionals whose row or appointments changed.
WITH settings AS (
    SELECT
        CAST('5' AS integer) AS min_cell_size
),
appointment_totals AS (
    SELECT
        professional_id,
        count(*) AS total_appointments,
        count(*) FILTER (WHERE is_completed) AS completed_appointments,
        count(rating) AS ratings_count,
        round(avg(rating), 2) AS avg_rating
    FROM "lacreisaude_model"."fact_lacreisaude_appointments"
    WHERE professional_id IS NOT NULL

            AND professional_id IN (SELECT scope.professional_id FROM lp_scope AS scope)

    GROUP BY professional_id
),
professional_totals AS (
    SELECT
        professional.professional_id,
        coalesce(professional.specialty, 'Não informado') AS specialty,
        coalesce(professional.state, 'Não informado') AS state,
        coalesce(professional.profile_status, 'Não informado') AS profile_status,
        professional.active,
        professional.published,
        coalesce(appointment_totals.total_appointments, 0) AS total_appointments,
        coalesce(appointment_totals.completed_appointments, 0) AS completed_appointments,
        coalesce(appointment_totals.ratings_count, 0) AS ratings_count,
        appointment_totals.avg_rating
    FROM "lacreisaude_model"."dim_lacreisaude_professional" AS professional
    LEFT JOIN appointment_totals
        ON appointment_totals.professional_id = professional.professional_id

        WHERE professional.professional_id IN (SELECT scope.professional_id FROM lp_scope AS scope)

)
SELECT
    professional_totals.professional_id,
    professional_totals.specialty,
    professional_totals.state,
    professional_totals.profile_status,
    professional_totals.active,
    professional_totals.published,
    professional_totals.total_appointments,
    CASE
        WHEN professional_totals.total_appointments >= settings.min_cell_size THEN professional_totals.completed_appointments
    END AS completed_appointments,
    professional_totals.ratings_count,
    CASE
        WHEN professional_totals.ratings_count >= settings.min_cell_size THEN professional_totals.avg_rating
    END AS avg_rating,
    (professional_totals.total_appointments < settings.min_cell_size
        OR professional_totals.ratings_count < settings.min_cell_size) AS suppressed
FROM professional_totals
CROSS JOIN settings
;
CALL "lacreisaude_pipeline".lp_materialize(p_mode => 'upsert', p_schema => 'lacreisaude_mart', p_table => 'professionals', p_keys => ARRAY['professional_id'], p_step => 'mart.professionals', p_rows_table => 'lp_step_rows', p_delete_missing => false, p_full_refresh => false, p_track => false, p_scope_table => 'lp_scope', p_step_setting => 'lacrei_pipeline.step', p_fillfactor => 100);
INSERT INTO "lacreisaude_pipeline".change_cursors (consumer, producer, consumed)
SELECT 'mart.professionals', p.step, greatest((SELECT max(c.seq) FROM "lacreisaude_pipeline".changes AS c WHERE c.step = p.step), l.start_seq, 0)
FROM unnest(ARRAY['model.dim_lacreisaude_professional', 'model.fact_lacreisaude_appointments']::text[]) AS p(step) LEFT JOIN "lacreisaude_pipeline".change_logs AS l ON l.step = p.step
ON CONFLICT (consumer, producer) DO UPDATE SET consumed = EXCLUDED.consumed;
DELETE FROM "lacreisaude_pipeline".changes AS c WHERE c.step = 'model.dim_lacreisaude_professional' AND c.seq <= (SELECT min(k.consumed) FROM "lacreisaude_pipeline".change_cursors AS k WHERE k.producer = 'model.dim_lacreisaude_professional' AND k.consumer = ANY (ARRAY['mart.professionals', 'model.fact_lacreisaude_professional_months']::text[]) HAVING count(*) = 2);
DELETE FROM "lacreisaude_pipeline".changes AS c WHERE c.step = 'model.fact_lacreisaude_appointments' AND c.seq <= (SELECT min(k.consumed) FROM "lacreisaude_pipeline".change_cursors AS k WHERE k.producer = 'model.fact_lacreisaude_appointments' AND k.consumer = ANY (ARRAY['mart.professionals', 'model.fact_lacreisaude_professional_months']::text[]) HAVING count(*) = 2);
DROP TABLE lp_scope;
SELECT "lacreisaude_pipeline".lp_comments(p_kind => 'TABLE', p_table => '"lacreisaude_mart"."professionals"', p_comment => 'One row per professional with appointment and rating totals; outcomes of fewer than min_cell_size appointments or ratings are NULL.', p_columns => ARRAY['active', 'avg_rating', 'completed_appointments', 'professional_id', 'profile_status', 'published', 'ratings_count', 'specialty', 'state', 'suppressed', 'total_appointments']::text[], p_column_comments => ARRAY['Whether the professional is active.', 'Average of those ratings, rounded to 2 decimals; NULL when ratings_count is below min_cell_size (so also without ratings).', 'Of those, completed and not cancelled; NULL when total_appointments is below min_cell_size.', 'Source professional id.', 'Known profile status from the profile_statuses seed (approved, pending, rejected, inactive, blocked); Outro when it matches none; Não informado when empty.', 'Whether the professional''s profile is published.', 'Appointments whose latest report has a valid rating.', 'Canonical specialty from the specialties seed; Outra when it matches none; Não informado when empty.', 'Two-letter UF; Não informado when unknown.', 'Whether completed_appointments or avg_rating was nulled (fewer than min_cell_size appointments or ratings).', 'Appointments of the professional (not soft-deleted).']::text[]);

-- ==== when the step recomputes everything (first run, --full-refresh, a changed input) ====
SET LOCAL default_statistics_target = '10';
SET LOCAL jit = 'off';
SET LOCAL max_parallel_workers_per_gather = '1';
SET LOCAL parallel_setup_cost = '100';
SET LOCAL parallel_tuple_cost = '0.01';
SET LOCAL random_page_cost = '1.1';
SET LOCAL work_mem = '64MB';
SET LOCAL lacrei_pipeline.step = 'mart.professionals';
-- mart.professionals: upsert of the whole SELECT into "lacreisaude_mart"."professionals" by (professional_id); rows it no longer returns are deleted
CREATE TEMP TABLE lp_step_rows ON COMMIT DROP AS
-- Mart: professionals
-- Grain: one row per professional (key professional_id).
-- Rule (SPEC §9.5): total_appointments = fact rows of the professional, completed_appointments
-- = those with is_completed, ratings_count = those with a non-NULL rating, avg_rating =
-- round(avg(rating), 2). A NULL text attribute reads 'Não informado'. No identity attributes.
-- Outcomes of fewer than k = vars.min_cell_size appointments are not published:
-- completed_appointments is NULL when total_appointments < k, avg_rating is NULL when
-- ratings_count < k (so also without ratings), and suppressed says whether either was nulled;
-- otherwise a reader who knows one appointment or one rating would learn its outcome.
-- Materialization: incremental with a scope (professionals.scope.sql): a run recomputes the
-- professionals whose row or appointments changed.
WITH settings AS (
    SELECT
        CAST('5' AS integer) AS min_cell_size
),
appointment_totals AS (
    SELECT
        professional_id,
        count(*) AS total_appointments,
        count(*) FILTER (WHERE is_completed) AS completed_appointments,
        count(rating) AS ratings_count,
        round(avg(rating), 2) AS avg_rating
    FROM "lacreisaude_model"."fact_lacreisaude_appointments"
    WHERE professional_id IS NOT NULL

    GROUP BY professional_id
),
professional_totals AS (
    SELECT
        professional.professional_id,
        coalesce(professional.specialty, 'Não informado') AS specialty,
        coalesce(professional.state, 'Não informado') AS state,
        coalesce(professional.profile_status, 'Não informado') AS profile_status,
        professional.active,
        professional.published,
        coalesce(appointment_totals.total_appointments, 0) AS total_appointments,
        coalesce(appointment_totals.completed_appointments, 0) AS completed_appointments,
        coalesce(appointment_totals.ratings_count, 0) AS ratings_count,
        appointment_totals.avg_rating
    FROM "lacreisaude_model"."dim_lacreisaude_professional" AS professional
    LEFT JOIN appointment_totals
        ON appointment_totals.professional_id = professional.professional_id

)
SELECT
    professional_totals.professional_id,
    professional_totals.specialty,
    professional_totals.state,
    professional_totals.profile_status,
    professional_totals.active,
    professional_totals.published,
    professional_totals.total_appointments,
    CASE
        WHEN professional_totals.total_appointments >= settings.min_cell_size THEN professional_totals.completed_appointments
    END AS completed_appointments,
    professional_totals.ratings_count,
    CASE
        WHEN professional_totals.ratings_count >= settings.min_cell_size THEN professional_totals.avg_rating
    END AS avg_rating,
    (professional_totals.total_appointments < settings.min_cell_size
        OR professional_totals.ratings_count < settings.min_cell_size) AS suppressed
FROM professional_totals
CROSS JOIN settings
;
CALL "lacreisaude_pipeline".lp_materialize(p_mode => 'upsert', p_schema => 'lacreisaude_mart', p_table => 'professionals', p_keys => ARRAY['professional_id'], p_step => 'mart.professionals', p_rows_table => 'lp_step_rows', p_delete_missing => true, p_full_refresh => false, p_track => false, p_step_setting => 'lacrei_pipeline.step', p_fillfactor => 100);
INSERT INTO "lacreisaude_pipeline".change_cursors (consumer, producer, consumed)
SELECT 'mart.professionals', p.step, greatest((SELECT max(c.seq) FROM "lacreisaude_pipeline".changes AS c WHERE c.step = p.step), l.start_seq, 0)
FROM unnest(ARRAY['model.dim_lacreisaude_professional', 'model.fact_lacreisaude_appointments']::text[]) AS p(step) LEFT JOIN "lacreisaude_pipeline".change_logs AS l ON l.step = p.step
ON CONFLICT (consumer, producer) DO UPDATE SET consumed = EXCLUDED.consumed;
DELETE FROM "lacreisaude_pipeline".changes AS c WHERE c.step = 'model.dim_lacreisaude_professional' AND c.seq <= (SELECT min(k.consumed) FROM "lacreisaude_pipeline".change_cursors AS k WHERE k.producer = 'model.dim_lacreisaude_professional' AND k.consumer = ANY (ARRAY['mart.professionals', 'model.fact_lacreisaude_professional_months']::text[]) HAVING count(*) = 2);
DELETE FROM "lacreisaude_pipeline".changes AS c WHERE c.step = 'model.fact_lacreisaude_appointments' AND c.seq <= (SELECT min(k.consumed) FROM "lacreisaude_pipeline".change_cursors AS k WHERE k.producer = 'model.fact_lacreisaude_appointments' AND k.consumer = ANY (ARRAY['mart.professionals', 'model.fact_lacreisaude_professional_months']::text[]) HAVING count(*) = 2);
DROP TABLE lp_step_rows;
SELECT "lacreisaude_pipeline".lp_comments(p_kind => 'TABLE', p_table => '"lacreisaude_mart"."professionals"', p_comment => 'One row per professional with appointment and rating totals; outcomes of fewer than min_cell_size appointments or ratings are NULL.', p_columns => ARRAY['active', 'avg_rating', 'completed_appointments', 'professional_id', 'profile_status', 'published', 'ratings_count', 'specialty', 'state', 'suppressed', 'total_appointments']::text[], p_column_comments => ARRAY['Whether the professional is active.', 'Average of those ratings, rounded to 2 decimals; NULL when ratings_count is below min_cell_size (so also without ratings).', 'Of those, completed and not cancelled; NULL when total_appointments is below min_cell_size.', 'Source professional id.', 'Known profile status from the profile_statuses seed (approved, pending, rejected, inactive, blocked); Outro when it matches none; Não informado when empty.', 'Whether the professional''s profile is published.', 'Appointments whose latest report has a valid rating.', 'Canonical specialty from the specialties seed; Outra when it matches none; Não informado when empty.', 'Two-letter UF; Não informado when unknown.', 'Whether completed_appointments or avg_rating was nulled (fewer than min_cell_size appointments or ratings).', 'Appointments of the professional (not soft-deleted).']::text[]);

-- ==== data test unique(professional_id) (error): offending rows ====
SELECT "professional_id", count(*) AS duplicates FROM "lacreisaude_mart"."professionals" GROUP BY "professional_id" HAVING count(*) > 1

-- ==== data test not_null(professional_id) (error): offending rows ====
SELECT * FROM "lacreisaude_mart"."professionals" WHERE "professional_id" IS NULL

-- ==== data test avg_rating_between_1_and_5 (error): offending rows ====
SELECT * FROM "lacreisaude_mart"."professionals" WHERE NOT (avg_rating BETWEEN 1 AND 5)

-- ==== data test completed_within_total (error): offending rows ====
SELECT * FROM "lacreisaude_mart"."professionals" WHERE NOT (completed_appointments <= total_appointments)

-- ==== data test completed_only_from_k_appointments (error): offending rows ====
SELECT * FROM (SELECT * FROM "lacreisaude_mart"."professionals" WHERE completed_appointments IS NOT NULL) AS filtered WHERE "total_appointments" BETWEEN 1 AND 4

-- ==== data test avg_rating_only_from_k_ratings (error): offending rows ====
SELECT * FROM (SELECT * FROM "lacreisaude_mart"."professionals" WHERE avg_rating IS NOT NULL) AS filtered WHERE "ratings_count" BETWEEN 1 AND 4

-- ==== data test suppressed_says_what_was_nulled (error): offending rows ====
SELECT * FROM "lacreisaude_mart"."professionals" WHERE NOT (suppressed = (completed_appointments IS NULL OR avg_rating IS NULL))

-- ==== data test specialty_from_the_seed (error): offending rows ====
SELECT professional_id, specialty FROM "lacreisaude_mart"."professionals" WHERE specialty NOT IN ('Outra', 'Não informado') AND specialty NOT IN (SELECT btrim(specialty) FROM "lacreisaude_seeds"."specialties")

-- ==== data test profile_status_from_the_seed (error): offending rows ====
SELECT professional_id, profile_status FROM "lacreisaude_mart"."professionals" WHERE profile_status NOT IN ('Outro', 'Não informado') AND profile_status NOT IN (SELECT btrim(status) FROM "lacreisaude_seeds"."profile_statuses")

-- ==== data tests not_null(professional_id), avg_rating_between_1_and_5, completed_within_total, suppressed_says_what_was_nulled in one pass (a test with offending rows then runs its own query) ====
SELECT
    count(*) FILTER (WHERE "professional_id" IS NULL) AS lp_test_1,
    count(*) FILTER (WHERE NOT (avg_rating BETWEEN 1 AND 5)) AS lp_test_2,
    count(*) FILTER (WHERE NOT (completed_appointments <= total_appointments)) AS lp_test_3,
    count(*) FILTER (WHERE NOT (suppressed = (completed_appointments IS NULL OR avg_rating IS NULL))) AS lp_test_4
FROM "lacreisaude_mart"."professionals"
