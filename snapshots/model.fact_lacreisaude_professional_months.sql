-- model.fact_lacreisaude_professional_months (incremental): rendered as of 2025-12-01 by engine render --approve
SET LOCAL default_statistics_target = '10';
SET LOCAL jit = 'off';
SET LOCAL max_parallel_workers_per_gather = '1';
SET LOCAL parallel_setup_cost = '100';
SET LOCAL parallel_tuple_cost = '0.01';
SET LOCAL random_page_cost = '1.1';
SET LOCAL work_mem = '64MB';
SET LOCAL lacrei_pipeline.step = 'model.fact_lacreisaude_professional_months';
-- model.fact_lacreisaude_professional_months: incremental upsert into "lacreisaude_model"."fact_lacreisaude_professional_months" by (period_month, professional_id) of the keys its scope selects from the changes of model.dim_lacreisaude_professional, model.dim_lacreisaude_date, model.fact_lacreisaude_appointments
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
    FROM (SELECT r."appointment_id", r."appointment_date_id", r."professional_id" FROM "lacreisaude_pipeline".changes AS c CROSS JOIN LATERAL jsonb_populate_record(NULL::"lacreisaude_model"."fact_lacreisaude_appointments", c.image) AS r WHERE c.step = 'model.fact_lacreisaude_appointments' AND c.seq > coalesce((SELECT k.consumed FROM "lacreisaude_pipeline".change_cursors AS k WHERE k.consumer = 'model.fact_lacreisaude_professional_months' AND k.producer = 'model.fact_lacreisaude_appointments'), 0) AND NOT c.key_only UNION ALL SELECT n."appointment_id", n."appointment_date_id", n."professional_id" FROM (SELECT latest."appointment_id", latest."appointment_date_id", latest."professional_id" FROM (SELECT DISTINCT ON (a."appointment_id") c.after IS NULL AS lp_gone, a."appointment_id", a."appointment_date_id", a."professional_id" FROM "lacreisaude_pipeline".changes AS c CROSS JOIN LATERAL jsonb_populate_record(NULL::"lacreisaude_model"."fact_lacreisaude_appointments", coalesce(c.after, c.image)) AS a WHERE c.step = 'model.fact_lacreisaude_appointments' AND c.seq > coalesce((SELECT k.consumed FROM "lacreisaude_pipeline".change_cursors AS k WHERE k.consumer = 'model.fact_lacreisaude_professional_months' AND k.producer = 'model.fact_lacreisaude_appointments'), 0) ORDER BY a."appointment_id", c.seq DESC) AS latest WHERE NOT latest.lp_gone) AS n) AS changed_rows
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
-- run recomputes only the (month, professional) groups a change touched, and adds most of them up
-- instead of counting them again: a group's row as this step left it, plus the changed fact rows
-- as they are now, minus the same rows as this step last read them (`before`). A group whose
-- professional or day changed in its dimension (its specialty, or whether its rows join at all,
-- may differ) is counted again from the fact, as a rebuild does. A group left without
-- appointments is deleted, so no stale row survives. (Issue 21: counting every group in scope
-- again read ~110,000 fact rows for a 1 % delta at 1,000,000 appointments.)
WITH recomputed_groups AS MATERIALIZED (
    SELECT
        scope.period_month,
        scope.professional_id
    FROM lp_scope AS scope
    WHERE scope.professional_id IN (SELECT changed.professional_id FROM (SELECT r."professional_id" FROM "lacreisaude_pipeline".changes AS c CROSS JOIN LATERAL jsonb_populate_record(NULL::"lacreisaude_model"."dim_lacreisaude_professional", c.image) AS r WHERE c.step = 'model.dim_lacreisaude_professional' AND c.seq > coalesce((SELECT k.consumed FROM "lacreisaude_pipeline".change_cursors AS k WHERE k.consumer = 'model.fact_lacreisaude_professional_months' AND k.producer = 'model.dim_lacreisaude_professional'), 0)) AS changed)
        OR scope.period_month IN (
            SELECT make_date(changed.date_id / 10000, changed.date_id / 100 % 100, 1)
            FROM (SELECT r."date_id" FROM "lacreisaude_pipeline".changes AS c CROSS JOIN LATERAL jsonb_populate_record(NULL::"lacreisaude_model"."dim_lacreisaude_date", c.image) AS r WHERE c.step = 'model.dim_lacreisaude_date' AND c.seq > coalesce((SELECT k.consumed FROM "lacreisaude_pipeline".change_cursors AS k WHERE k.consumer = 'model.fact_lacreisaude_professional_months' AND k.producer = 'model.dim_lacreisaude_date'), 0)) AS changed
        )
),
added_groups AS MATERIALIZED (
    SELECT
        scope.period_month,
        scope.professional_id
    FROM lp_scope AS scope
    EXCEPT
    SELECT
        recomputed_groups.period_month,
        recomputed_groups.professional_id
    FROM recomputed_groups
),
-- A month of a professional counted again is a range of the fact's (professional_id,
-- appointment_date_id) index (date ids are YYYYMMDD): a busy professional's other months are not
-- read (with a few professionals holding most appointments, matching on the month read them all).
scope_ranges AS MATERIALIZED (
    SELECT
        recomputed_groups.professional_id,
        to_char(recomputed_groups.period_month, 'YYYYMMDD')::integer AS first_date_id,
        to_char(recomputed_groups.period_month + INTERVAL '1 month', 'YYYYMMDD')::integer AS next_month_date_id
    FROM recomputed_groups
),
fact_rows AS (
    SELECT
        1 AS sign,
        false AS is_change,
        fact.professional_id,
        fact.appointment_date_id,
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
    UNION ALL
    SELECT
        1,
        true,
        fact.professional_id,
        fact.appointment_date_id,
        fact.modality,
        fact.is_completed,
        fact.is_cancelled,
        fact.is_no_show,
        fact.waiting_time_days
    FROM "lacreisaude_model"."fact_lacreisaude_appointments" AS fact
    WHERE fact.appointment_id IN (SELECT changed.appointment_id FROM (SELECT r."appointment_id" FROM "lacreisaude_pipeline".changes AS c CROSS JOIN LATERAL jsonb_populate_record(NULL::"lacreisaude_model"."fact_lacreisaude_appointments", c.image) AS r WHERE c.step = 'model.fact_lacreisaude_appointments' AND c.seq > coalesce((SELECT k.consumed FROM "lacreisaude_pipeline".change_cursors AS k WHERE k.consumer = 'model.fact_lacreisaude_professional_months' AND k.producer = 'model.fact_lacreisaude_appointments'), 0)) AS changed)
    UNION ALL
    SELECT
        -1,
        true,
        old.professional_id,
        old.appointment_date_id,
        old.modality,
        old.is_completed,
        old.is_cancelled,
        old.is_no_show,
        old.waiting_time_days
    FROM (SELECT f."appointment_id", f."appointment_date_id", f."is_cancelled", f."is_completed", f."is_no_show", f."modality", f."professional_id", f."waiting_time_days" FROM (SELECT DISTINCT ON (r."appointment_id") c.key_only, r."appointment_id", r."appointment_date_id", r."is_cancelled", r."is_completed", r."is_no_show", r."modality", r."professional_id", r."waiting_time_days" FROM "lacreisaude_pipeline".changes AS c CROSS JOIN LATERAL jsonb_populate_record(NULL::"lacreisaude_model"."fact_lacreisaude_appointments", c.image) AS r WHERE c.step = 'model.fact_lacreisaude_appointments' AND c.seq > coalesce((SELECT k.consumed FROM "lacreisaude_pipeline".change_cursors AS k WHERE k.consumer = 'model.fact_lacreisaude_professional_months' AND k.producer = 'model.fact_lacreisaude_appointments'), 0) ORDER BY r."appointment_id", c.seq) AS f WHERE NOT f.key_only) AS old
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
        fact.waiting_time_days,
        fact.sign
    FROM fact_rows AS fact
    JOIN "lacreisaude_model"."dim_lacreisaude_professional" AS professional
        ON professional.professional_id = fact.professional_id
    JOIN "lacreisaude_model"."dim_lacreisaude_date" AS calendar
        ON calendar.date_id = fact.appointment_date_id

        -- A changed row counts toward a group that is added up, never toward one counted again.
        WHERE NOT fact.is_change
            OR (calendar.month_start, fact.professional_id) IN (SELECT added_groups.period_month, added_groups.professional_id FROM added_groups)

),
group_rows AS (
    SELECT
        period_month,
        professional_id,
        specialty::text AS specialty,
        sign,
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
    GROUP BY period_month, professional_id, specialty, sign
)

SELECT
    period_month,
    professional_id,
    specialty,
    sum(sign * total_appointments)::bigint AS total_appointments,
    sum(sign * completed_appointments)::bigint AS completed_appointments,
    sum(sign * cancelled_appointments)::bigint AS cancelled_appointments,
    sum(sign * no_show_appointments)::bigint AS no_show_appointments,
    sum(sign * online_total)::bigint AS online_total,
    sum(sign * online_completed)::bigint AS online_completed,
    sum(sign * online_cancelled)::bigint AS online_cancelled,
    sum(sign * in_person_total)::bigint AS in_person_total,
    sum(sign * in_person_completed)::bigint AS in_person_completed,
    sum(sign * in_person_cancelled)::bigint AS in_person_cancelled,
    sum(sign * waiting_days_sum)::bigint AS waiting_days_sum,
    sum(sign * waiting_days_count)::bigint AS waiting_days_count
FROM (
    SELECT
        *
    FROM group_rows
    UNION ALL
    -- The rows of the groups added up, as this step left them.
    SELECT
        months.period_month,
        months.professional_id,
        months.specialty,
        1,
        months.total_appointments,
        months.completed_appointments,
        months.cancelled_appointments,
        months.no_show_appointments,
        months.online_total,
        months.online_completed,
        months.online_cancelled,
        months.in_person_total,
        months.in_person_completed,
        months.in_person_cancelled,
        months.waiting_days_sum,
        months.waiting_days_count
    FROM "lacreisaude_model"."fact_lacreisaude_professional_months" AS months
    WHERE (months.period_month, months.professional_id) IN (SELECT added_groups.period_month, added_groups.professional_id FROM added_groups)
) AS signed_groups
GROUP BY period_month, professional_id, specialty
HAVING sum(sign * total_appointments) > 0
;
SELECT "lacreisaude_pipeline".lp_change_log_columns(p_step => 'model.fact_lacreisaude_professional_months', p_columns => ARRAY['period_month', 'professional_id', 'cancelled_appointments', 'completed_appointments', 'in_person_cancelled', 'in_person_completed', 'in_person_total', 'no_show_appointments', 'online_cancelled', 'online_completed', 'online_total', 'total_appointments', 'waiting_days_count', 'waiting_days_sum']::text[]);
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
-- run recomputes only the (month, professional) groups a change touched, and adds most of them up
-- instead of counting them again: a group's row as this step left it, plus the changed fact rows
-- as they are now, minus the same rows as this step last read them (`before`). A group whose
-- professional or day changed in its dimension (its specialty, or whether its rows join at all,
-- may differ) is counted again from the fact, as a rebuild does. A group left without
-- appointments is deleted, so no stale row survives. (Issue 21: counting every group in scope
-- again read ~110,000 fact rows for a 1 % delta at 1,000,000 appointments.)
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

),
group_rows AS (
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
)

SELECT
    *
FROM group_rows
;
SELECT "lacreisaude_pipeline".lp_change_log_columns(p_step => 'model.fact_lacreisaude_professional_months', p_columns => ARRAY['period_month', 'professional_id', 'cancelled_appointments', 'completed_appointments', 'in_person_cancelled', 'in_person_completed', 'in_person_total', 'no_show_appointments', 'online_cancelled', 'online_completed', 'online_total', 'total_appointments', 'waiting_days_count', 'waiting_days_sum']::text[]);
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
