-- mart.patients (incremental): rendered as of 2025-12-01 by engine render --approve
SET LOCAL default_statistics_target = '10';
SET LOCAL jit = 'off';
SET LOCAL max_parallel_workers_per_gather = '1';
SET LOCAL parallel_setup_cost = '100';
SET LOCAL parallel_tuple_cost = '0.01';
SET LOCAL random_page_cost = '1.1';
SET LOCAL work_mem = '64MB';
SET LOCAL lacrei_pipeline.step = 'mart.patients';
-- mart.patients: incremental upsert into "lacreisaude_mart"."patients" by (period_month, age_group, gender_identity, sexual_orientation, pronoun) of the keys its scope selects from the changes of model.dim_lacreisaude_patient
-- (when the table is new, a change log restarted, or its SQL or other inputs changed, the whole SELECT runs instead: render --full-refresh shows it)
CREATE TEMP TABLE lp_scope ON COMMIT DROP AS
-- Scope of mart.patients: the sign-up months of the patients that changed (before and after the
-- change) and the month after each, whose growth rate compares with it.
SELECT DISTINCT
    month AS period_month
FROM (
    SELECT changed.signup_month AS month FROM (SELECT r."patient_id", r."signup_month" FROM "lacreisaude_pipeline".changes AS c CROSS JOIN LATERAL jsonb_populate_record(NULL::"lacreisaude_model"."dim_lacreisaude_patient", c.image) AS r WHERE c.step = 'model.dim_lacreisaude_patient' AND c.seq > coalesce((SELECT k.consumed FROM "lacreisaude_pipeline".change_cursors AS k WHERE k.consumer = 'mart.patients' AND k.producer = 'model.dim_lacreisaude_patient'), 0) AND NOT c.key_only UNION ALL SELECT n."patient_id", n."signup_month" FROM (SELECT latest."patient_id", latest."signup_month" FROM (SELECT DISTINCT ON (a."patient_id") c.after IS NULL AS lp_gone, a."patient_id", a."signup_month" FROM "lacreisaude_pipeline".changes AS c CROSS JOIN LATERAL jsonb_populate_record(NULL::"lacreisaude_model"."dim_lacreisaude_patient", coalesce(c.after, c.image)) AS a WHERE c.step = 'model.dim_lacreisaude_patient' AND c.seq > coalesce((SELECT k.consumed FROM "lacreisaude_pipeline".change_cursors AS k WHERE k.consumer = 'mart.patients' AND k.producer = 'model.dim_lacreisaude_patient'), 0) ORDER BY a."patient_id", c.seq DESC) AS latest WHERE NOT latest.lp_gone) AS n) AS changed
    UNION
    SELECT (changed.signup_month + INTERVAL '1 month')::date FROM (SELECT r."patient_id", r."signup_month" FROM "lacreisaude_pipeline".changes AS c CROSS JOIN LATERAL jsonb_populate_record(NULL::"lacreisaude_model"."dim_lacreisaude_patient", c.image) AS r WHERE c.step = 'model.dim_lacreisaude_patient' AND c.seq > coalesce((SELECT k.consumed FROM "lacreisaude_pipeline".change_cursors AS k WHERE k.consumer = 'mart.patients' AND k.producer = 'model.dim_lacreisaude_patient'), 0) AND NOT c.key_only UNION ALL SELECT n."patient_id", n."signup_month" FROM (SELECT latest."patient_id", latest."signup_month" FROM (SELECT DISTINCT ON (a."patient_id") c.after IS NULL AS lp_gone, a."patient_id", a."signup_month" FROM "lacreisaude_pipeline".changes AS c CROSS JOIN LATERAL jsonb_populate_record(NULL::"lacreisaude_model"."dim_lacreisaude_patient", coalesce(c.after, c.image)) AS a WHERE c.step = 'model.dim_lacreisaude_patient' AND c.seq > coalesce((SELECT k.consumed FROM "lacreisaude_pipeline".change_cursors AS k WHERE k.consumer = 'mart.patients' AND k.producer = 'model.dim_lacreisaude_patient'), 0) ORDER BY a."patient_id", c.seq DESC) AS latest WHERE NOT latest.lp_gone) AS n) AS changed
) AS months
WHERE month IS NOT NULL
;
ANALYZE lp_scope;
CREATE TEMP TABLE lp_step_rows ON COMMIT DROP AS
-- Mart: patients
-- Grain: one row per (period_month, age_group, gender_identity, sexual_orientation, pronoun)
-- as published after small-cell generalisation.
-- Rule (SPEC §9.5, §9.6): every patient counts in the month of sign-up (vars.timezone); a
-- NULL attribute reads 'Não informado'. Within each month, with k = vars.min_cell_size:
--   (0) cells of the full grain with at least k patients are published;
--   (1) the remaining patients are regrouped with pronoun 'Suprimido', cells ≥ k published;
--   (2) the rest also with sexual_orientation 'Suprimido', (3) gender_identity, (4) age_group;
--   what is left at (4) is published as one all-'Suprimido' row, whatever its size.
-- Each patient lands in exactly one published row, so counts are sums over people and month
-- totals stay exact. k = 1 publishes everything at level (0).
-- Only closed months are broken down: the month that contains run.as_of and every
-- later month are published as one all-'Suprimido' row holding the month's totals, so a new
-- sign-up or a changed attribute this month moves no published cell.
-- active_percentage = 100·active/total; growth_rate = 100·(total − prev)/prev, where prev is
-- the same published group's total in the previous calendar month (NULL when absent or 0);
-- both round(x, 2), NULL on a zero denominator.
-- Materialization: incremental with a scope (patients.scope.sql): a run recomputes whole months
-- (folding is within a month), those whose patients changed and the months after them (growth);
-- each recomputed month reads its previous month too. A month left empty is deleted.
WITH settings AS (
    SELECT
        CAST('5' AS integer) AS min_cell_size,
        date_trunc('month', DATE '2025-12-01')::date AS first_open_month
),
-- The patients of each cell of the full grain, counted once (a hash aggregate): the levels below
-- add up cells, not people (issue 21: sorting every patient by four text columns was most of
-- this step's time, recomputed whole on any change of a month's patients).
people_cells AS (
    SELECT
        signup_month AS period_month,
        age_group,
        coalesce(gender_identity, 'Não informado') AS gender_identity,
        coalesce(sexual_orientation, 'Não informado') AS sexual_orientation,
        coalesce(pronoun, 'Não informado') AS pronoun,
        count(*)::integer AS patients,
        (count(*) FILTER (WHERE is_active))::integer AS active
    FROM "lacreisaude_model"."dim_lacreisaude_patient"

        WHERE signup_month IN (
            SELECT scope.period_month FROM lp_scope AS scope
            UNION
            SELECT (scope.period_month - INTERVAL '1 month')::date FROM lp_scope AS scope
        )

    GROUP BY 1, 2, 3, 4, 5
),
-- The closed months' cells of the full grain. Each level below is a hash aggregate of what the
-- level above left unpublished: a group is published at the first level where it reaches k.
-- (Issue 21: window sums over every remaining cell sorted them by up to four text columns at each
-- level; grouping the unpublished remainder gives the same rows about a third faster.)
level_0 AS MATERIALIZED (
    SELECT
        people_cells.period_month,
        people_cells.age_group,
        people_cells.gender_identity,
        people_cells.sexual_orientation,
        people_cells.pronoun,
        people_cells.patients,
        people_cells.active
    FROM people_cells
    CROSS JOIN settings
    WHERE people_cells.period_month < settings.first_open_month
),
level_1 AS MATERIALIZED (
    SELECT
        period_month,
        age_group,
        gender_identity,
        sexual_orientation,
        sum(patients)::integer AS patients,
        sum(active)::integer AS active
    FROM level_0
    CROSS JOIN settings
    WHERE level_0.patients < settings.min_cell_size
    GROUP BY period_month, age_group, gender_identity, sexual_orientation
),
level_2 AS MATERIALIZED (
    SELECT
        period_month,
        age_group,
        gender_identity,
        sum(patients)::integer AS patients,
        sum(active)::integer AS active
    FROM level_1
    CROSS JOIN settings
    WHERE level_1.patients < settings.min_cell_size
    GROUP BY period_month, age_group, gender_identity
),
level_3 AS MATERIALIZED (
    SELECT
        period_month,
        age_group,
        sum(patients)::integer AS patients,
        sum(active)::integer AS active
    FROM level_2
    CROSS JOIN settings
    WHERE level_2.patients < settings.min_cell_size
    GROUP BY period_month, age_group
),
published_parts AS (
    SELECT period_month, age_group, gender_identity, sexual_orientation, pronoun, patients, active
    FROM level_0
    CROSS JOIN settings
    WHERE level_0.patients >= settings.min_cell_size
    UNION ALL
    SELECT period_month, age_group, gender_identity, sexual_orientation, 'Suprimido', patients, active
    FROM level_1
    CROSS JOIN settings
    WHERE level_1.patients >= settings.min_cell_size
    UNION ALL
    SELECT period_month, age_group, gender_identity, 'Suprimido', 'Suprimido', patients, active
    FROM level_2
    CROSS JOIN settings
    WHERE level_2.patients >= settings.min_cell_size
    UNION ALL
    SELECT period_month, age_group, 'Suprimido', 'Suprimido', 'Suprimido', patients, active
    FROM level_3
    CROSS JOIN settings
    WHERE level_3.patients >= settings.min_cell_size
    UNION ALL
    SELECT period_month, 'Suprimido', 'Suprimido', 'Suprimido', 'Suprimido', patients, active
    FROM level_3
    CROSS JOIN settings
    WHERE level_3.patients < settings.min_cell_size
    UNION ALL
    -- Open months: one all-'Suprimido' row with the month's totals.
    SELECT people_cells.period_month, 'Suprimido', 'Suprimido', 'Suprimido', 'Suprimido', people_cells.patients, people_cells.active
    FROM people_cells
    CROSS JOIN settings
    WHERE people_cells.period_month >= settings.first_open_month
),
published_cells AS (
    SELECT
        period_month,
        age_group,
        gender_identity,
        sexual_orientation,
        pronoun,
        sum(patients)::bigint AS total_patients,
        sum(active)::bigint AS active_patients,
        sum(patients - active)::bigint AS inactive_patients
    FROM published_parts
    GROUP BY period_month, age_group, gender_identity, sexual_orientation, pronoun
)
-- growth_rate's previous month is the group's row before in month order when that is the month
-- just before (one sort of the published rows; a self-join sorted them twice).
SELECT
    cell.period_month,
    cell.age_group::text AS age_group,
    cell.gender_identity::text AS gender_identity,
    cell.sexual_orientation::text AS sexual_orientation,
    cell.pronoun::text AS pronoun,
    cell.total_patients,
    cell.active_patients,
    cell.inactive_patients,
    round(100.0 * cell.active_patients / NULLIF(cell.total_patients, 0), 2) AS active_percentage,
    round(100.0 * (cell.total_patients - cell.previous_total) / NULLIF(cell.previous_total, 0), 2) AS growth_rate
FROM (
    SELECT
        published_cells.period_month,
        published_cells.age_group,
        published_cells.gender_identity,
        published_cells.sexual_orientation,
        published_cells.pronoun,
        published_cells.total_patients,
        published_cells.active_patients,
        published_cells.inactive_patients,
        CASE
            WHEN lag(published_cells.period_month) OVER group_months = (published_cells.period_month - INTERVAL '1 month')::date
                THEN lag(published_cells.total_patients) OVER group_months
        END AS previous_total
    FROM published_cells
    WINDOW group_months AS (PARTITION BY age_group, gender_identity, sexual_orientation, pronoun ORDER BY period_month)
) AS cell

WHERE cell.period_month IN (SELECT scope.period_month FROM lp_scope AS scope)
;
CALL "lacreisaude_pipeline".lp_materialize(p_mode => 'upsert', p_schema => 'lacreisaude_mart', p_table => 'patients', p_keys => ARRAY['period_month', 'age_group', 'gender_identity', 'sexual_orientation', 'pronoun'], p_step => 'mart.patients', p_rows_table => 'lp_step_rows', p_delete_missing => false, p_full_refresh => false, p_track => false, p_scope_table => 'lp_scope', p_step_setting => 'lacrei_pipeline.step', p_fillfactor => 100);
INSERT INTO "lacreisaude_pipeline".change_cursors (consumer, producer, consumed)
SELECT 'mart.patients', p.step, greatest((SELECT max(c.seq) FROM "lacreisaude_pipeline".changes AS c WHERE c.step = p.step), l.start_seq, 0)
FROM unnest(ARRAY['model.dim_lacreisaude_patient']::text[]) AS p(step) LEFT JOIN "lacreisaude_pipeline".change_logs AS l ON l.step = p.step
ON CONFLICT (consumer, producer) DO UPDATE SET consumed = EXCLUDED.consumed;
DELETE FROM "lacreisaude_pipeline".changes AS c WHERE c.step = 'model.dim_lacreisaude_patient' AND c.seq <= (SELECT min(k.consumed) FROM "lacreisaude_pipeline".change_cursors AS k WHERE k.producer = 'model.dim_lacreisaude_patient' AND k.consumer = ANY (ARRAY['mart.patients']::text[]) HAVING count(*) = 1);
DROP TABLE lp_scope;
SELECT "lacreisaude_pipeline".lp_comments(p_kind => 'TABLE', p_table => '"lacreisaude_mart"."patients"', p_comment => 'Monthly patient sign-ups by demographic group; groups smaller than min_cell_size are generalised to Suprimido; the current month and later ones are one all-Suprimido row each.', p_columns => ARRAY['active_patients', 'active_percentage', 'age_group', 'gender_identity', 'growth_rate', 'inactive_patients', 'period_month', 'pronoun', 'sexual_orientation', 'total_patients']::text[], p_column_comments => ARRAY['Of those, patients whose account is active.', '100 × active / total, rounded to 2 decimals.', 'Age group at sign-up: < 18, 18-24, 25-34, 35-44, 45-54, 55+, N/I; Suprimido when generalised.', 'Gender identity; Não informado when empty; Suprimido when generalised.', '100 × (total − previous month''s total of the same published group) / previous, rounded to 2 decimals; NULL without a previous month row.', 'Of those, patients whose account is inactive or unknown.', 'First day of the sign-up month (in the pipeline time zone).', 'Pronoun; Não informado when empty; Suprimido when generalised.', 'Sexual orientation; Não informado when empty; Suprimido when generalised.', 'Patients who signed up in the month in this group.']::text[]);

-- ==== when the step recomputes everything (first run, --full-refresh, a changed input) ====
SET LOCAL default_statistics_target = '10';
SET LOCAL jit = 'off';
SET LOCAL max_parallel_workers_per_gather = '1';
SET LOCAL parallel_setup_cost = '100';
SET LOCAL parallel_tuple_cost = '0.01';
SET LOCAL random_page_cost = '1.1';
SET LOCAL work_mem = '64MB';
SET LOCAL lacrei_pipeline.step = 'mart.patients';
-- mart.patients: upsert of the whole SELECT into "lacreisaude_mart"."patients" by (period_month, age_group, gender_identity, sexual_orientation, pronoun); rows it no longer returns are deleted
CREATE TEMP TABLE lp_step_rows ON COMMIT DROP AS
-- Mart: patients
-- Grain: one row per (period_month, age_group, gender_identity, sexual_orientation, pronoun)
-- as published after small-cell generalisation.
-- Rule (SPEC §9.5, §9.6): every patient counts in the month of sign-up (vars.timezone); a
-- NULL attribute reads 'Não informado'. Within each month, with k = vars.min_cell_size:
--   (0) cells of the full grain with at least k patients are published;
--   (1) the remaining patients are regrouped with pronoun 'Suprimido', cells ≥ k published;
--   (2) the rest also with sexual_orientation 'Suprimido', (3) gender_identity, (4) age_group;
--   what is left at (4) is published as one all-'Suprimido' row, whatever its size.
-- Each patient lands in exactly one published row, so counts are sums over people and month
-- totals stay exact. k = 1 publishes everything at level (0).
-- Only closed months are broken down: the month that contains run.as_of and every
-- later month are published as one all-'Suprimido' row holding the month's totals, so a new
-- sign-up or a changed attribute this month moves no published cell.
-- active_percentage = 100·active/total; growth_rate = 100·(total − prev)/prev, where prev is
-- the same published group's total in the previous calendar month (NULL when absent or 0);
-- both round(x, 2), NULL on a zero denominator.
-- Materialization: incremental with a scope (patients.scope.sql): a run recomputes whole months
-- (folding is within a month), those whose patients changed and the months after them (growth);
-- each recomputed month reads its previous month too. A month left empty is deleted.
WITH settings AS (
    SELECT
        CAST('5' AS integer) AS min_cell_size,
        date_trunc('month', DATE '2025-12-01')::date AS first_open_month
),
-- The patients of each cell of the full grain, counted once (a hash aggregate): the levels below
-- add up cells, not people (issue 21: sorting every patient by four text columns was most of
-- this step's time, recomputed whole on any change of a month's patients).
people_cells AS (
    SELECT
        signup_month AS period_month,
        age_group,
        coalesce(gender_identity, 'Não informado') AS gender_identity,
        coalesce(sexual_orientation, 'Não informado') AS sexual_orientation,
        coalesce(pronoun, 'Não informado') AS pronoun,
        count(*)::integer AS patients,
        (count(*) FILTER (WHERE is_active))::integer AS active
    FROM "lacreisaude_model"."dim_lacreisaude_patient"

    GROUP BY 1, 2, 3, 4, 5
),
-- The closed months' cells of the full grain. Each level below is a hash aggregate of what the
-- level above left unpublished: a group is published at the first level where it reaches k.
-- (Issue 21: window sums over every remaining cell sorted them by up to four text columns at each
-- level; grouping the unpublished remainder gives the same rows about a third faster.)
level_0 AS MATERIALIZED (
    SELECT
        people_cells.period_month,
        people_cells.age_group,
        people_cells.gender_identity,
        people_cells.sexual_orientation,
        people_cells.pronoun,
        people_cells.patients,
        people_cells.active
    FROM people_cells
    CROSS JOIN settings
    WHERE people_cells.period_month < settings.first_open_month
),
level_1 AS MATERIALIZED (
    SELECT
        period_month,
        age_group,
        gender_identity,
        sexual_orientation,
        sum(patients)::integer AS patients,
        sum(active)::integer AS active
    FROM level_0
    CROSS JOIN settings
    WHERE level_0.patients < settings.min_cell_size
    GROUP BY period_month, age_group, gender_identity, sexual_orientation
),
level_2 AS MATERIALIZED (
    SELECT
        period_month,
        age_group,
        gender_identity,
        sum(patients)::integer AS patients,
        sum(active)::integer AS active
    FROM level_1
    CROSS JOIN settings
    WHERE level_1.patients < settings.min_cell_size
    GROUP BY period_month, age_group, gender_identity
),
level_3 AS MATERIALIZED (
    SELECT
        period_month,
        age_group,
        sum(patients)::integer AS patients,
        sum(active)::integer AS active
    FROM level_2
    CROSS JOIN settings
    WHERE level_2.patients < settings.min_cell_size
    GROUP BY period_month, age_group
),
published_parts AS (
    SELECT period_month, age_group, gender_identity, sexual_orientation, pronoun, patients, active
    FROM level_0
    CROSS JOIN settings
    WHERE level_0.patients >= settings.min_cell_size
    UNION ALL
    SELECT period_month, age_group, gender_identity, sexual_orientation, 'Suprimido', patients, active
    FROM level_1
    CROSS JOIN settings
    WHERE level_1.patients >= settings.min_cell_size
    UNION ALL
    SELECT period_month, age_group, gender_identity, 'Suprimido', 'Suprimido', patients, active
    FROM level_2
    CROSS JOIN settings
    WHERE level_2.patients >= settings.min_cell_size
    UNION ALL
    SELECT period_month, age_group, 'Suprimido', 'Suprimido', 'Suprimido', patients, active
    FROM level_3
    CROSS JOIN settings
    WHERE level_3.patients >= settings.min_cell_size
    UNION ALL
    SELECT period_month, 'Suprimido', 'Suprimido', 'Suprimido', 'Suprimido', patients, active
    FROM level_3
    CROSS JOIN settings
    WHERE level_3.patients < settings.min_cell_size
    UNION ALL
    -- Open months: one all-'Suprimido' row with the month's totals.
    SELECT people_cells.period_month, 'Suprimido', 'Suprimido', 'Suprimido', 'Suprimido', people_cells.patients, people_cells.active
    FROM people_cells
    CROSS JOIN settings
    WHERE people_cells.period_month >= settings.first_open_month
),
published_cells AS (
    SELECT
        period_month,
        age_group,
        gender_identity,
        sexual_orientation,
        pronoun,
        sum(patients)::bigint AS total_patients,
        sum(active)::bigint AS active_patients,
        sum(patients - active)::bigint AS inactive_patients
    FROM published_parts
    GROUP BY period_month, age_group, gender_identity, sexual_orientation, pronoun
)
-- growth_rate's previous month is the group's row before in month order when that is the month
-- just before (one sort of the published rows; a self-join sorted them twice).
SELECT
    cell.period_month,
    cell.age_group::text AS age_group,
    cell.gender_identity::text AS gender_identity,
    cell.sexual_orientation::text AS sexual_orientation,
    cell.pronoun::text AS pronoun,
    cell.total_patients,
    cell.active_patients,
    cell.inactive_patients,
    round(100.0 * cell.active_patients / NULLIF(cell.total_patients, 0), 2) AS active_percentage,
    round(100.0 * (cell.total_patients - cell.previous_total) / NULLIF(cell.previous_total, 0), 2) AS growth_rate
FROM (
    SELECT
        published_cells.period_month,
        published_cells.age_group,
        published_cells.gender_identity,
        published_cells.sexual_orientation,
        published_cells.pronoun,
        published_cells.total_patients,
        published_cells.active_patients,
        published_cells.inactive_patients,
        CASE
            WHEN lag(published_cells.period_month) OVER group_months = (published_cells.period_month - INTERVAL '1 month')::date
                THEN lag(published_cells.total_patients) OVER group_months
        END AS previous_total
    FROM published_cells
    WINDOW group_months AS (PARTITION BY age_group, gender_identity, sexual_orientation, pronoun ORDER BY period_month)
) AS cell
;
CALL "lacreisaude_pipeline".lp_materialize(p_mode => 'upsert', p_schema => 'lacreisaude_mart', p_table => 'patients', p_keys => ARRAY['period_month', 'age_group', 'gender_identity', 'sexual_orientation', 'pronoun'], p_step => 'mart.patients', p_rows_table => 'lp_step_rows', p_delete_missing => true, p_full_refresh => false, p_track => false, p_step_setting => 'lacrei_pipeline.step', p_fillfactor => 100);
INSERT INTO "lacreisaude_pipeline".change_cursors (consumer, producer, consumed)
SELECT 'mart.patients', p.step, greatest((SELECT max(c.seq) FROM "lacreisaude_pipeline".changes AS c WHERE c.step = p.step), l.start_seq, 0)
FROM unnest(ARRAY['model.dim_lacreisaude_patient']::text[]) AS p(step) LEFT JOIN "lacreisaude_pipeline".change_logs AS l ON l.step = p.step
ON CONFLICT (consumer, producer) DO UPDATE SET consumed = EXCLUDED.consumed;
DELETE FROM "lacreisaude_pipeline".changes AS c WHERE c.step = 'model.dim_lacreisaude_patient' AND c.seq <= (SELECT min(k.consumed) FROM "lacreisaude_pipeline".change_cursors AS k WHERE k.producer = 'model.dim_lacreisaude_patient' AND k.consumer = ANY (ARRAY['mart.patients']::text[]) HAVING count(*) = 1);
DROP TABLE lp_step_rows;
SELECT "lacreisaude_pipeline".lp_comments(p_kind => 'TABLE', p_table => '"lacreisaude_mart"."patients"', p_comment => 'Monthly patient sign-ups by demographic group; groups smaller than min_cell_size are generalised to Suprimido; the current month and later ones are one all-Suprimido row each.', p_columns => ARRAY['active_patients', 'active_percentage', 'age_group', 'gender_identity', 'growth_rate', 'inactive_patients', 'period_month', 'pronoun', 'sexual_orientation', 'total_patients']::text[], p_column_comments => ARRAY['Of those, patients whose account is active.', '100 × active / total, rounded to 2 decimals.', 'Age group at sign-up: < 18, 18-24, 25-34, 35-44, 45-54, 55+, N/I; Suprimido when generalised.', 'Gender identity; Não informado when empty; Suprimido when generalised.', '100 × (total − previous month''s total of the same published group) / previous, rounded to 2 decimals; NULL without a previous month row.', 'Of those, patients whose account is inactive or unknown.', 'First day of the sign-up month (in the pipeline time zone).', 'Pronoun; Não informado when empty; Suprimido when generalised.', 'Sexual orientation; Não informado when empty; Suprimido when generalised.', 'Patients who signed up in the month in this group.']::text[]);

-- ==== data test unique(period_month, age_group, gender_identity, sexual_orientation, pronoun) (error): offending rows ====
SELECT "period_month", "age_group", "gender_identity", "sexual_orientation", "pronoun", count(*) AS duplicates FROM "lacreisaude_mart"."patients" GROUP BY "period_month", "age_group", "gender_identity", "sexual_orientation", "pronoun" HAVING count(*) > 1

-- ==== data test not_null(period_month, age_group, gender_identity, sexual_orientation, pronoun) (error): offending rows ====
SELECT * FROM "lacreisaude_mart"."patients" WHERE "period_month" IS NULL OR "age_group" IS NULL OR "gender_identity" IS NULL OR "sexual_orientation" IS NULL OR "pronoun" IS NULL

-- ==== data test min_cell_size(total_patients) (error): offending rows ====
SELECT * FROM (SELECT * FROM "lacreisaude_mart"."patients" WHERE NOT (age_group = 'Suprimido' AND gender_identity = 'Suprimido' AND sexual_orientation = 'Suprimido' AND pronoun = 'Suprimido')) AS filtered WHERE "total_patients" BETWEEN 1 AND 4

-- ==== data test open_months_not_broken_down (error): offending rows ====
SELECT period_month, count(*) AS published_rows FROM "lacreisaude_mart"."patients" WHERE period_month >= date_trunc('month', DATE '2025-12-01')::date GROUP BY period_month HAVING count(*) > 1 OR bool_or(age_group <> 'Suprimido' OR gender_identity <> 'Suprimido' OR sexual_orientation <> 'Suprimido' OR pronoun <> 'Suprimido')

-- ==== data test active_percentage_between_0_and_100 (error): offending rows ====
SELECT * FROM "lacreisaude_mart"."patients" WHERE NOT (active_percentage BETWEEN 0 AND 100)

-- ==== data test active_plus_inactive_is_total (error): offending rows ====
SELECT * FROM "lacreisaude_mart"."patients" WHERE NOT (active_patients + inactive_patients = total_patients)

-- ==== data tests not_null(period_month, age_group, gender_identity, sexual_orientation, pronoun), active_percentage_between_0_and_100, active_plus_inactive_is_total in one pass (a test with offending rows then runs its own query) ====
SELECT
    count(*) FILTER (WHERE "period_month" IS NULL OR "age_group" IS NULL OR "gender_identity" IS NULL OR "sexual_orientation" IS NULL OR "pronoun" IS NULL) AS lp_test_1,
    count(*) FILTER (WHERE NOT (active_percentage BETWEEN 0 AND 100)) AS lp_test_2,
    count(*) FILTER (WHERE NOT (active_patients + inactive_patients = total_patients)) AS lp_test_3
FROM "lacreisaude_mart"."patients"
