-- model.fact_lacreisaude_professional_months (incremental): rendered as of 2025-12-01 by engine render --approve
SET LOCAL default_statistics_target = '10';
SET LOCAL jit = 'off';
SET LOCAL max_parallel_workers_per_gather = '1';
SET LOCAL parallel_setup_cost = '100';
SET LOCAL parallel_tuple_cost = '0.01';
SET LOCAL random_page_cost = '1.1';
SET LOCAL work_mem = '64MB';
SET LOCAL lacrei_pipeline.step = 'model.fact_lacreisaude_professional_months';
-- model.fact_lacreisaude_professional_months: incremental upsert into "lacreisaude_model"."fact_lacreisaude_professional_months" by (period_month, professional_id) of the keys its scope selects from the changes of model.fact_lacreisaude_appointments, model.dim_lacreisaude_professional, model.dim_lacreisaude_date
-- (when the table is new, a change log restarted, or its SQL or other inputs changed, the whole SELECT runs instead: render --full-refresh shows it)
CREATE TEMP TABLE lp_scope ON COMMIT DROP AS
-- Scope of model.fact_lacreisaude_professional_months: the (month, professional) groups of the fact rows
-- that changed, before and after the change, and every group of a professional or day whose
-- dimension row changed. The month comes from the date key (YYYYMMDD) itself, so it is known
-- for a day that is gone too.
WITH changed_facts AS (
    SELECT
        appointment_date_id,
        professional_id
    FROM (SELECT r."appointment_id", r."appointment_date_id", r."professional_id" FROM "lacreisaude_pipeline".changes AS c CROSS JOIN LATERAL jsonb_populate_record(NULL::"lacreisaude_model"."fact_lacreisaude_appointments", c.image) AS r WHERE c.step = 'model.fact_lacreisaude_appointments' AND c.seq > coalesce((SELECT k.consumed FROM "lacreisaude_pipeline".change_cursors AS k WHERE k.consumer = 'model.fact_lacreisaude_professional_months' AND k.producer = 'model.fact_lacreisaude_appointments'), 0) AND NOT c.key_only UNION ALL SELECT t."appointment_id", t."appointment_date_id", t."professional_id" FROM "lacreisaude_model"."fact_lacreisaude_appointments" AS t WHERE (t."appointment_id") IN (SELECT r."appointment_id" FROM "lacreisaude_pipeline".changes AS c CROSS JOIN LATERAL jsonb_populate_record(NULL::"lacreisaude_model"."fact_lacreisaude_appointments", c.image) AS r WHERE c.step = 'model.fact_lacreisaude_appointments' AND c.seq > coalesce((SELECT k.consumed FROM "lacreisaude_pipeline".change_cursors AS k WHERE k.consumer = 'model.fact_lacreisaude_professional_months' AND k.producer = 'model.fact_lacreisaude_appointments'), 0))) AS changed_rows
    UNION
    SELECT
        fact.appointment_date_id,
        fact.professional_id
    FROM "lacreisaude_model"."fact_lacreisaude_appointments" AS fact
    WHERE fact.professional_id IN (SELECT changed.professional_id FROM (SELECT r."professional_id" FROM "lacreisaude_pipeline".changes AS c CROSS JOIN LATERAL jsonb_populate_record(NULL::"lacreisaude_model"."dim_lacreisaude_professional", c.image) AS r WHERE c.step = 'model.dim_lacreisaude_professional' AND c.seq > coalesce((SELECT k.consumed FROM "lacreisaude_pipeline".change_cursors AS k WHERE k.consumer = 'model.fact_lacreisaude_professional_months' AND k.producer = 'model.dim_lacreisaude_professional'), 0)) AS changed)
    -- Two branches rather than one OR: the professionals' rows are index ranges, and a day that
    -- did not change costs nothing (an OR filtered every fact row against both lists).
    UNION
    SELECT
        fact.appointment_date_id,
        fact.professional_id
    FROM "lacreisaude_model"."fact_lacreisaude_appointments" AS fact
    JOIN (SELECT r."date_id" FROM "lacreisaude_pipeline".changes AS c CROSS JOIN LATERAL jsonb_populate_record(NULL::"lacreisaude_model"."dim_lacreisaude_date", c.image) AS r WHERE c.step = 'model.dim_lacreisaude_date' AND c.seq > coalesce((SELECT k.consumed FROM "lacreisaude_pipeline".change_cursors AS k WHERE k.consumer = 'model.fact_lacreisaude_professional_months' AND k.producer = 'model.dim_lacreisaude_date'), 0)) AS changed
        ON changed.date_id = fact.appointment_date_id
)
SELECT DISTINCT
    make_date(appointment_date_id / 10000, appointment_date_id / 100 % 100, 1) AS period_month,
    professional_id
FROM changed_facts
WHERE appointment_date_id IS NOT NULL
    AND professional_id IS NOT NULL
;
ANALYZE lp_scope;
CREATE TEMP TABLE lp_step_rows ON COMMIT DROP AS
-- Model: fact_lacreisaude_professional_months
-- Grain: one row per (period_month, professional_id), period_month being the first day of the
-- appointment's month in vars.timezone.
-- Rule (SPEC §9.5.4): over fact rows with an appointment date and a known professional (one in
-- dim_lacreisaude_professional). Counts come from is_completed, is_cancelled and is_no_show;
-- online / in-person split by modality ('unknown' counts only in the totals); waiting times as
-- their sum and count (non-NULL ones), so that rows can be added up. A NULL specialty reads
-- 'Não informado'. Every measure is additive: mart.professional_appointments publishes these rows
-- for professionals with at least k appointments in the month and adds up the others.
-- Not read by the BI role (it holds the outcome of single appointments).
-- Materialization: incremental with a scope (fact_lacreisaude_professional_months.scope.sql): a
-- run recomputes only the (month, professional) groups a change touched; a group left without
-- appointments is deleted, so no stale row survives.
WITH scope_ranges AS MATERIALIZED (
    -- A month of a professional is a range of the fact's (professional_id, appointment_date_id)
    -- index (date ids are YYYYMMDD), its bounds computed once per group in scope: a busy
    -- professional's other months are not read (issue 21: with a few professionals holding most
    -- appointments, matching on the month read them all, and comparing each of their rows with
    -- each of their months in scope cost more than the rest of the run). Distinct, so that no
    -- fact row is read twice.
    SELECT DISTINCT
        scope.professional_id,
        to_char(scope.period_month, 'YYYYMMDD')::integer AS first_date_id,
        to_char(scope.period_month + INTERVAL '1 month', 'YYYYMMDD')::integer AS next_month_date_id
    FROM lp_scope AS scope
),
appointments AS (
    SELECT
        calendar.month_start AS period_month,
        fact.professional_id,
        coalesce(professional.specialty, 'Não informado') AS specialty,
        fact.modality,
        fact.is_completed,
        fact.is_cancelled,
        fact.is_no_show,
        fact.waiting_time_days

        FROM scope_ranges
        -- One index range per group, written as row comparisons: with separate conditions PostgreSQL
        -- matched the index on professional_id alone and filtered every month of the professional.
        JOIN "lacreisaude_model"."fact_lacreisaude_appointments" AS fact
            ON (fact.professional_id, fact.appointment_date_id) >= (scope_ranges.professional_id, scope_ranges.first_date_id)
            AND (fact.professional_id, fact.appointment_date_id) < (scope_ranges.professional_id, scope_ranges.next_month_date_id)

    JOIN "lacreisaude_model"."dim_lacreisaude_professional" AS professional
        ON professional.professional_id = fact.professional_id
    JOIN "lacreisaude_model"."dim_lacreisaude_date" AS calendar
        ON calendar.date_id = fact.appointment_date_id
)
SELECT
    period_month,
    professional_id,
    specialty::text AS specialty,
    count(*) AS total_appointments,
    count(*) FILTER (WHERE is_completed) AS completed_appointments,
    count(*) FILTER (WHERE is_cancelled) AS cancelled_appointments,
    count(*) FILTER (WHERE is_no_show) AS no_show_appointments,
    count(*) FILTER (WHERE modality = 'online') AS online_total,
    count(*) FILTER (WHERE modality = 'online' AND is_completed) AS online_completed,
    count(*) FILTER (WHERE modality = 'online' AND is_cancelled) AS online_cancelled,
    count(*) FILTER (WHERE modality = 'in_person') AS in_person_total,
    count(*) FILTER (WHERE modality = 'in_person' AND is_completed) AS in_person_completed,
    count(*) FILTER (WHERE modality = 'in_person' AND is_cancelled) AS in_person_cancelled,
    coalesce(sum(waiting_time_days), 0) AS waiting_days_sum,
    count(waiting_time_days) AS waiting_days_count
FROM appointments
GROUP BY period_month, professional_id, specialty
;
SELECT "lacreisaude_pipeline".lp_change_log_columns(p_step => 'model.fact_lacreisaude_professional_months', p_columns => ARRAY['period_month', 'professional_id']::text[]);
DELETE FROM "lacreisaude_pipeline".changes AS c WHERE c.step = 'model.fact_lacreisaude_professional_months' AND c.seq <= (SELECT min(k.consumed) FROM "lacreisaude_pipeline".change_cursors AS k WHERE k.producer = 'model.fact_lacreisaude_professional_months' AND k.consumer = ANY (ARRAY['mart.professional_appointments']::text[]) HAVING count(*) = 1);
CALL "lacreisaude_pipeline".lp_materialize(p_mode => 'upsert', p_schema => 'lacreisaude_model', p_table => 'fact_lacreisaude_professional_months', p_keys => ARRAY['period_month', 'professional_id'], p_step => 'model.fact_lacreisaude_professional_months', p_rows_table => 'lp_step_rows', p_delete_missing => false, p_full_refresh => false, p_track => true, p_scope_table => 'lp_scope', p_step_setting => 'lacrei_pipeline.step', p_fillfactor => 100);
INSERT INTO "lacreisaude_pipeline".change_cursors (consumer, producer, consumed)
SELECT 'model.fact_lacreisaude_professional_months', p.step, greatest((SELECT max(c.seq) FROM "lacreisaude_pipeline".changes AS c WHERE c.step = p.step), l.start_seq, 0)
FROM unnest(ARRAY['model.dim_lacreisaude_date', 'model.dim_lacreisaude_professional', 'model.fact_lacreisaude_appointments']::text[]) AS p(step) LEFT JOIN "lacreisaude_pipeline".change_logs AS l ON l.step = p.step
ON CONFLICT (consumer, producer) DO UPDATE SET consumed = EXCLUDED.consumed;
DELETE FROM "lacreisaude_pipeline".changes AS c WHERE c.step = 'model.dim_lacreisaude_date' AND c.seq <= (SELECT min(k.consumed) FROM "lacreisaude_pipeline".change_cursors AS k WHERE k.producer = 'model.dim_lacreisaude_date' AND k.consumer = ANY (ARRAY['model.fact_lacreisaude_professional_months']::text[]) HAVING count(*) = 1);
DELETE FROM "lacreisaude_pipeline".changes AS c WHERE c.step = 'model.dim_lacreisaude_professional' AND c.seq <= (SELECT min(k.consumed) FROM "lacreisaude_pipeline".change_cursors AS k WHERE k.producer = 'model.dim_lacreisaude_professional' AND k.consumer = ANY (ARRAY['mart.professionals', 'model.fact_lacreisaude_professional_months']::text[]) HAVING count(*) = 2);
DELETE FROM "lacreisaude_pipeline".changes AS c WHERE c.step = 'model.fact_lacreisaude_appointments' AND c.seq <= (SELECT min(k.consumed) FROM "lacreisaude_pipeline".change_cursors AS k WHERE k.producer = 'model.fact_lacreisaude_appointments' AND k.consumer = ANY (ARRAY['mart.professionals', 'model.fact_lacreisaude_professional_months']::text[]) HAVING count(*) = 2);
DROP TABLE lp_scope;
SELECT "lacreisaude_pipeline".lp_comments(p_kind => 'TABLE', p_table => '"lacreisaude_model"."fact_lacreisaude_professional_months"', p_comment => 'One row per professional and appointment month with additive outcome measures (waiting times as sum and count); mart.professional_appointments publishes or adds them up.', p_columns => ARRAY[]::text[], p_column_comments => ARRAY[]::text[]);

-- ==== when the step recomputes everything (first run, --full-refresh, a changed input) ====
SET LOCAL default_statistics_target = '10';
SET LOCAL jit = 'off';
SET LOCAL max_parallel_workers_per_gather = '1';
SET LOCAL parallel_setup_cost = '100';
SET LOCAL parallel_tuple_cost = '0.01';
SET LOCAL random_page_cost = '1.1';
SET LOCAL work_mem = '64MB';
SET LOCAL lacrei_pipeline.step = 'model.fact_lacreisaude_professional_months';
-- model.fact_lacreisaude_professional_months: upsert of the whole SELECT into "lacreisaude_model"."fact_lacreisaude_professional_months" by (period_month, professional_id); rows it no longer returns are deleted
CREATE TEMP TABLE lp_step_rows ON COMMIT DROP AS
-- Model: fact_lacreisaude_professional_months
-- Grain: one row per (period_month, professional_id), period_month being the first day of the
-- appointment's month in vars.timezone.
-- Rule (SPEC §9.5.4): over fact rows with an appointment date and a known professional (one in
-- dim_lacreisaude_professional). Counts come from is_completed, is_cancelled and is_no_show;
-- online / in-person split by modality ('unknown' counts only in the totals); waiting times as
-- their sum and count (non-NULL ones), so that rows can be added up. A NULL specialty reads
-- 'Não informado'. Every measure is additive: mart.professional_appointments publishes these rows
-- for professionals with at least k appointments in the month and adds up the others.
-- Not read by the BI role (it holds the outcome of single appointments).
-- Materialization: incremental with a scope (fact_lacreisaude_professional_months.scope.sql): a
-- run recomputes only the (month, professional) groups a change touched; a group left without
-- appointments is deleted, so no stale row survives.
WITH appointments AS (
    SELECT
        calendar.month_start AS period_month,
        fact.professional_id,
        coalesce(professional.specialty, 'Não informado') AS specialty,
        fact.modality,
        fact.is_completed,
        fact.is_cancelled,
        fact.is_no_show,
        fact.waiting_time_days

        FROM "lacreisaude_model"."fact_lacreisaude_appointments" AS fact

    JOIN "lacreisaude_model"."dim_lacreisaude_professional" AS professional
        ON professional.professional_id = fact.professional_id
    JOIN "lacreisaude_model"."dim_lacreisaude_date" AS calendar
        ON calendar.date_id = fact.appointment_date_id
)
SELECT
    period_month,
    professional_id,
    specialty::text AS specialty,
    count(*) AS total_appointments,
    count(*) FILTER (WHERE is_completed) AS completed_appointments,
    count(*) FILTER (WHERE is_cancelled) AS cancelled_appointments,
    count(*) FILTER (WHERE is_no_show) AS no_show_appointments,
    count(*) FILTER (WHERE modality = 'online') AS online_total,
    count(*) FILTER (WHERE modality = 'online' AND is_completed) AS online_completed,
    count(*) FILTER (WHERE modality = 'online' AND is_cancelled) AS online_cancelled,
    count(*) FILTER (WHERE modality = 'in_person') AS in_person_total,
    count(*) FILTER (WHERE modality = 'in_person' AND is_completed) AS in_person_completed,
    count(*) FILTER (WHERE modality = 'in_person' AND is_cancelled) AS in_person_cancelled,
    coalesce(sum(waiting_time_days), 0) AS waiting_days_sum,
    count(waiting_time_days) AS waiting_days_count
FROM appointments
GROUP BY period_month, professional_id, specialty
;
SELECT "lacreisaude_pipeline".lp_change_log_columns(p_step => 'model.fact_lacreisaude_professional_months', p_columns => ARRAY['period_month', 'professional_id']::text[]);
DELETE FROM "lacreisaude_pipeline".changes AS c WHERE c.step = 'model.fact_lacreisaude_professional_months' AND c.seq <= (SELECT min(k.consumed) FROM "lacreisaude_pipeline".change_cursors AS k WHERE k.producer = 'model.fact_lacreisaude_professional_months' AND k.consumer = ANY (ARRAY['mart.professional_appointments']::text[]) HAVING count(*) = 1);
CALL "lacreisaude_pipeline".lp_materialize(p_mode => 'upsert', p_schema => 'lacreisaude_model', p_table => 'fact_lacreisaude_professional_months', p_keys => ARRAY['period_month', 'professional_id'], p_step => 'model.fact_lacreisaude_professional_months', p_rows_table => 'lp_step_rows', p_delete_missing => true, p_full_refresh => false, p_track => true, p_step_setting => 'lacrei_pipeline.step', p_fillfactor => 100);
INSERT INTO "lacreisaude_pipeline".change_cursors (consumer, producer, consumed)
SELECT 'model.fact_lacreisaude_professional_months', p.step, greatest((SELECT max(c.seq) FROM "lacreisaude_pipeline".changes AS c WHERE c.step = p.step), l.start_seq, 0)
FROM unnest(ARRAY['model.dim_lacreisaude_date', 'model.dim_lacreisaude_professional', 'model.fact_lacreisaude_appointments']::text[]) AS p(step) LEFT JOIN "lacreisaude_pipeline".change_logs AS l ON l.step = p.step
ON CONFLICT (consumer, producer) DO UPDATE SET consumed = EXCLUDED.consumed;
DELETE FROM "lacreisaude_pipeline".changes AS c WHERE c.step = 'model.dim_lacreisaude_date' AND c.seq <= (SELECT min(k.consumed) FROM "lacreisaude_pipeline".change_cursors AS k WHERE k.producer = 'model.dim_lacreisaude_date' AND k.consumer = ANY (ARRAY['model.fact_lacreisaude_professional_months']::text[]) HAVING count(*) = 1);
DELETE FROM "lacreisaude_pipeline".changes AS c WHERE c.step = 'model.dim_lacreisaude_professional' AND c.seq <= (SELECT min(k.consumed) FROM "lacreisaude_pipeline".change_cursors AS k WHERE k.producer = 'model.dim_lacreisaude_professional' AND k.consumer = ANY (ARRAY['mart.professionals', 'model.fact_lacreisaude_professional_months']::text[]) HAVING count(*) = 2);
DELETE FROM "lacreisaude_pipeline".changes AS c WHERE c.step = 'model.fact_lacreisaude_appointments' AND c.seq <= (SELECT min(k.consumed) FROM "lacreisaude_pipeline".change_cursors AS k WHERE k.producer = 'model.fact_lacreisaude_appointments' AND k.consumer = ANY (ARRAY['mart.professionals', 'model.fact_lacreisaude_professional_months']::text[]) HAVING count(*) = 2);
DROP TABLE lp_step_rows;
SELECT "lacreisaude_pipeline".lp_comments(p_kind => 'TABLE', p_table => '"lacreisaude_model"."fact_lacreisaude_professional_months"', p_comment => 'One row per professional and appointment month with additive outcome measures (waiting times as sum and count); mart.professional_appointments publishes or adds them up.', p_columns => ARRAY[]::text[], p_column_comments => ARRAY[]::text[]);

-- ==== data test relationships(professional_id → model.dim_lacreisaude_professional) (error): offending rows ====
SELECT "professional_id", count(*) AS rows FROM "lacreisaude_model"."fact_lacreisaude_professional_months" AS child WHERE "professional_id" IS NOT NULL AND NOT EXISTS (SELECT 1 FROM "lacreisaude_model"."dim_lacreisaude_professional" AS parent WHERE parent."professional_id" = child."professional_id") GROUP BY "professional_id"

-- ==== data test outcomes_within_total (error): offending rows ====
SELECT * FROM "lacreisaude_model"."fact_lacreisaude_professional_months" WHERE NOT (completed_appointments + cancelled_appointments + no_show_appointments <= total_appointments)
