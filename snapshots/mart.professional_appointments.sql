-- mart.professional_appointments (incremental): rendered as of 2025-12-01 by engine render --approve
SET LOCAL default_statistics_target = '10';
SET LOCAL jit = 'off';
SET LOCAL max_parallel_workers_per_gather = '1';
SET LOCAL parallel_setup_cost = '100';
SET LOCAL parallel_tuple_cost = '0.01';
SET LOCAL random_page_cost = '1.1';
SET LOCAL work_mem = '64MB';
SET LOCAL lacrei_pipeline.step = 'mart.professional_appointments';
-- mart.professional_appointments: incremental upsert into "lacreisaude_mart"."professional_appointments" by (period_month, row_key) of the keys its scope selects from the changes of model.fact_lacreisaude_professional_months
-- (when the table is new, a change log restarted, or its SQL or other inputs changed, the whole SELECT runs instead: render --full-refresh shows it)
CREATE TEMP TABLE lp_scope ON COMMIT DROP AS
-- Scope of mart.professional_appointments: the rows of the (month, professional) groups that
-- changed in the months fact (inserted, updated or deleted), and the folded row of each of their
-- months, which adds up the groups with fewer than k appointments.
SELECT
    changed.period_month,
    changed.professional_id::text AS row_key
FROM (SELECT r."period_month", r."professional_id" FROM "lacreisaude_pipeline".changes AS c CROSS JOIN LATERAL jsonb_populate_record(NULL::"lacreisaude_model"."fact_lacreisaude_professional_months", c.image) AS r WHERE c.step = 'model.fact_lacreisaude_professional_months' AND c.seq > coalesce((SELECT k.consumed FROM "lacreisaude_pipeline".change_cursors AS k WHERE k.consumer = 'mart.professional_appointments' AND k.producer = 'model.fact_lacreisaude_professional_months'), 0)) AS changed
UNION
SELECT
    changed.period_month,
    'Suprimido'
FROM (SELECT r."period_month", r."professional_id" FROM "lacreisaude_pipeline".changes AS c CROSS JOIN LATERAL jsonb_populate_record(NULL::"lacreisaude_model"."fact_lacreisaude_professional_months", c.image) AS r WHERE c.step = 'model.fact_lacreisaude_professional_months' AND c.seq > coalesce((SELECT k.consumed FROM "lacreisaude_pipeline".change_cursors AS k WHERE k.consumer = 'mart.professional_appointments' AND k.producer = 'model.fact_lacreisaude_professional_months'), 0)) AS changed
;
ANALYZE lp_scope;
CREATE TEMP TABLE lp_step_rows ON COMMIT DROP AS
-- Mart: professional_appointments
-- Grain: one row per (period_month, row_key): the professionals with at least k appointments in
-- the month, one row each (row_key = professional_id), and one row for all the others
-- (row_key 'Suprimido'), period_month being the first day of the appointment's month in
-- vars.timezone.
-- Rule (SPEC §9.5.4): the measures of model.fact_lacreisaude_professional_months. Rates are
-- 100·part/whole and avg_waiting_days the average of the non-NULL waiting times, all
-- round(x, 2), NULL on a zero denominator.
-- Small cells folded: within each month, the professionals with fewer than k = vars.min_cell_size
-- appointments are published together as one row with professional_id NULL and specialty
-- 'Suprimido' (whatever its size), measures summed and rates recomputed from the sums, so a
-- month's totals stay exact and no professional's row lets a reader who knows one appointment
-- learn its outcome (the folded row of a sparse month may still be small: docs/privacy.md).
-- Materialization: incremental with a scope (professional_appointments.scope.sql), added up: a
-- run rewrites the rows of the (month, professional) groups that changed in the months fact and
-- the folded row of their months. A changed group's own row is its months row now (when it has at
-- least k appointments); a month's folded row is its row as this step left it, plus the changed
-- groups now, minus the same groups as this step last read them (`before`), each where it had fewer
-- than k. So the folded row keeps its sums exact: waiting_days_sum and waiting_days_count are
-- published with it (the average alone cannot be added up). A row whose group left or grew past
-- the fold, and a folded row left without appointments, are deleted. (Issue 21: recomputing each
-- changed month whole re-read its ~11,000 groups, and 1 % of the appointments touch every month.)
WITH settings AS (
    SELECT
        CAST('5' AS integer) AS min_cell_size
),
changed_groups AS MATERIALIZED (
    SELECT DISTINCT
        changed.period_month,
        changed.professional_id
    FROM (SELECT r."period_month", r."professional_id" FROM "lacreisaude_pipeline".changes AS c CROSS JOIN LATERAL jsonb_populate_record(NULL::"lacreisaude_model"."fact_lacreisaude_professional_months", c.image) AS r WHERE c.step = 'model.fact_lacreisaude_professional_months' AND c.seq > coalesce((SELECT k.consumed FROM "lacreisaude_pipeline".change_cursors AS k WHERE k.consumer = 'mart.professional_appointments' AND k.producer = 'model.fact_lacreisaude_professional_months'), 0)) AS changed
),
-- Each (month, professional) group with its published identity: its own, or NULL and
-- 'Suprimido' when it has fewer than k appointments, so that one aggregation adds up the
-- folded ones and leaves the others as they are. The counts of one professional in one month are
-- integers: summed as such they add up in bigint, not in numeric as sums of bigint do (at
-- 1,000,000 appointments a pass over every group 170-182 -> 114-117 ms). waiting_days_sum stays
-- bigint: a month of waiting times can pass 2^31 days.
professional_months AS (
    SELECT
        professional_month.period_month,
        CASE
            WHEN professional_month.total_appointments >= settings.min_cell_size THEN professional_month.professional_id
        END AS professional_id,
        CASE
            WHEN professional_month.total_appointments >= settings.min_cell_size THEN professional_month.specialty
            ELSE 'Suprimido'
        END AS specialty,
        professional_month.total_appointments::integer AS total_appointments,
        professional_month.completed_appointments::integer AS completed_appointments,
        professional_month.cancelled_appointments::integer AS cancelled_appointments,
        professional_month.no_show_appointments::integer AS no_show_appointments,
        professional_month.online_total::integer AS online_total,
        professional_month.online_completed::integer AS online_completed,
        professional_month.online_cancelled::integer AS online_cancelled,
        professional_month.in_person_total::integer AS in_person_total,
        professional_month.in_person_completed::integer AS in_person_completed,
        professional_month.in_person_cancelled::integer AS in_person_cancelled,
        professional_month.waiting_days_sum,
        professional_month.waiting_days_count::integer AS waiting_days_count
    FROM "lacreisaude_model"."fact_lacreisaude_professional_months" AS professional_month
    CROSS JOIN settings

        WHERE (professional_month.period_month, professional_month.professional_id) IN (
            SELECT changed_groups.period_month, changed_groups.professional_id FROM changed_groups
        )
        UNION ALL
        -- Minus the changed groups that were folded when this step last read them.
        SELECT
            old.period_month,
            NULL,
            'Suprimido',
            -old.total_appointments::integer,
            -old.completed_appointments::integer,
            -old.cancelled_appointments::integer,
            -old.no_show_appointments::integer,
            -old.online_total::integer,
            -old.online_completed::integer,
            -old.online_cancelled::integer,
            -old.in_person_total::integer,
            -old.in_person_completed::integer,
            -old.in_person_cancelled::integer,
            -old.waiting_days_sum,
            -old.waiting_days_count::integer
        FROM (SELECT f."period_month", f."professional_id", f."cancelled_appointments", f."completed_appointments", f."in_person_cancelled", f."in_person_completed", f."in_person_total", f."no_show_appointments", f."online_cancelled", f."online_completed", f."online_total", f."total_appointments", f."waiting_days_count", f."waiting_days_sum" FROM (SELECT DISTINCT ON (r."period_month", r."professional_id") c.key_only, r."period_month", r."professional_id", r."cancelled_appointments", r."completed_appointments", r."in_person_cancelled", r."in_person_completed", r."in_person_total", r."no_show_appointments", r."online_cancelled", r."online_completed", r."online_total", r."total_appointments", r."waiting_days_count", r."waiting_days_sum" FROM "lacreisaude_pipeline".changes AS c CROSS JOIN LATERAL jsonb_populate_record(NULL::"lacreisaude_model"."fact_lacreisaude_professional_months", c.image) AS r WHERE c.step = 'model.fact_lacreisaude_professional_months' AND c.seq > coalesce((SELECT k.consumed FROM "lacreisaude_pipeline".change_cursors AS k WHERE k.consumer = 'mart.professional_appointments' AND k.producer = 'model.fact_lacreisaude_professional_months'), 0) ORDER BY r."period_month", r."professional_id", c.seq) AS f WHERE NOT f.key_only) AS old
        CROSS JOIN settings
        WHERE old.total_appointments < settings.min_cell_size
        UNION ALL
        -- Plus the folded rows of their months as this step left them.
        SELECT
            folded.period_month,
            NULL,
            'Suprimido',
            folded.total_appointments::integer,
            folded.completed_appointments::integer,
            folded.cancelled_appointments::integer,
            folded.no_show_appointments::integer,
            folded.online_total::integer,
            folded.online_completed::integer,
            folded.online_cancelled::integer,
            folded.in_person_total::integer,
            folded.in_person_completed::integer,
            folded.in_person_cancelled::integer,
            folded.waiting_days_sum,
            folded.waiting_days_count::integer
        FROM "lacreisaude_mart"."professional_appointments" AS folded
        WHERE folded.row_key = 'Suprimido'
            AND folded.period_month IN (SELECT changed_groups.period_month FROM changed_groups)

),
published_rows AS (
    SELECT
        period_month,
        professional_id,
        specialty,
        sum(total_appointments) AS total_appointments,
        sum(completed_appointments) AS completed_appointments,
        sum(cancelled_appointments) AS cancelled_appointments,
        sum(no_show_appointments) AS no_show_appointments,
        sum(online_total) AS online_total,
        sum(online_completed) AS online_completed,
        sum(online_cancelled) AS online_cancelled,
        sum(in_person_total) AS in_person_total,
        sum(in_person_completed) AS in_person_completed,
        sum(in_person_cancelled) AS in_person_cancelled,
        sum(waiting_days_sum) AS waiting_days_sum,
        sum(waiting_days_count) AS waiting_days_count
    FROM professional_months
    GROUP BY period_month, professional_id, specialty
    -- Every group has appointments; a folded row added up to none is gone.
    HAVING sum(total_appointments) > 0
)
SELECT
    period_month,
    professional_id,
    specialty::text AS specialty,
    total_appointments::bigint AS total_appointments,
    completed_appointments::bigint AS completed_appointments,
    cancelled_appointments::bigint AS cancelled_appointments,
    no_show_appointments::bigint AS no_show_appointments,
    online_total::bigint AS online_total,
    online_completed::bigint AS online_completed,
    online_cancelled::bigint AS online_cancelled,
    in_person_total::bigint AS in_person_total,
    in_person_completed::bigint AS in_person_completed,
    in_person_cancelled::bigint AS in_person_cancelled,
    round(100.0 * completed_appointments / NULLIF(total_appointments, 0), 2) AS completion_rate,
    round(100.0 * cancelled_appointments / NULLIF(total_appointments, 0), 2) AS cancellation_rate,
    round(100.0 * online_cancelled / NULLIF(online_total, 0), 2) AS cancellation_rate_online,
    round(100.0 * in_person_cancelled / NULLIF(in_person_total, 0), 2) AS cancellation_rate_in_person,
    round(1.0 * waiting_days_sum / NULLIF(waiting_days_count, 0), 2) AS avg_waiting_days,
    coalesce(professional_id::text, 'Suprimido') AS row_key,
    waiting_days_sum::bigint AS waiting_days_sum,
    waiting_days_count::bigint AS waiting_days_count
FROM published_rows
;
CALL "lacreisaude_pipeline".lp_materialize(p_mode => 'upsert', p_schema => 'lacreisaude_mart', p_table => 'professional_appointments', p_keys => ARRAY['period_month', 'row_key'], p_step => 'mart.professional_appointments', p_rows_table => 'lp_step_rows', p_delete_missing => false, p_full_refresh => false, p_track => false, p_scope_table => 'lp_scope', p_step_setting => 'lacrei_pipeline.step', p_on_schema_change => 'append_new_columns', p_fillfactor => 100);
INSERT INTO "lacreisaude_pipeline".change_cursors (consumer, producer, consumed)
SELECT 'mart.professional_appointments', p.step, greatest((SELECT max(c.seq) FROM "lacreisaude_pipeline".changes AS c WHERE c.step = p.step), l.start_seq, 0)
FROM unnest(ARRAY['model.fact_lacreisaude_professional_months']::text[]) AS p(step) LEFT JOIN "lacreisaude_pipeline".change_logs AS l ON l.step = p.step
ON CONFLICT (consumer, producer) DO UPDATE SET consumed = EXCLUDED.consumed;
DELETE FROM "lacreisaude_pipeline".changes AS c WHERE c.step = 'model.fact_lacreisaude_professional_months' AND c.seq <= (SELECT min(k.consumed) FROM "lacreisaude_pipeline".change_cursors AS k WHERE k.producer = 'model.fact_lacreisaude_professional_months' AND k.consumer = ANY (ARRAY['mart.professional_appointments']::text[]) HAVING count(*) = 1);
DROP TABLE lp_scope;
SELECT "lacreisaude_pipeline".lp_comments(p_kind => 'TABLE', p_table => '"lacreisaude_mart"."professional_appointments"', p_comment => 'Monthly appointment outcomes per professional with at least min_cell_size appointments in the month, by appointment month; the other professionals of the month are added up in one row with specialty Suprimido.', p_columns => ARRAY['avg_waiting_days', 'cancellation_rate', 'cancellation_rate_in_person', 'cancellation_rate_online', 'cancelled_appointments', 'completed_appointments', 'completion_rate', 'in_person_cancelled', 'in_person_completed', 'in_person_total', 'no_show_appointments', 'online_cancelled', 'online_completed', 'online_total', 'period_month', 'professional_id', 'row_key', 'specialty', 'total_appointments', 'waiting_days_count', 'waiting_days_sum']::text[], p_column_comments => ARRAY['Average days between booking and appointment (non-NULL waiting times), rounded to 2 decimals.', '100 × cancelled / total, rounded to 2 decimals.', '100 × in_person_cancelled / in_person_total, rounded to 2 decimals; NULL without in-person appointments.', '100 × online_cancelled / online_total, rounded to 2 decimals; NULL without online appointments.', 'Cancelled by status or by a cancellation record.', 'Completed and not cancelled.', '100 × completed / total, rounded to 2 decimals.', 'In-person appointments cancelled.', 'In-person appointments completed.', 'In-person appointments.', 'No-shows that were not cancelled.', 'Online appointments cancelled.', 'Online appointments completed.', 'Online appointments.', 'First day of the appointment month (in the pipeline time zone).', 'Source professional id; NULL on the row of the professionals with fewer than min_cell_size appointments in the month.', 'The row within its month (key with period_month) — the professional''s id, or Suprimido for the folded row.', 'Canonical specialty; Outra when it matches none; Não informado when empty; Suprimido on the folded row.', 'Appointments in the month.', 'Appointments with a waiting time.', 'Sum of the non-NULL waiting times in days (avg_waiting_days = waiting_days_sum / waiting_days_count), so that rows add up exactly.']::text[]);

-- ==== when the step recomputes everything (first run, --full-refresh, a changed input) ====
SET LOCAL default_statistics_target = '10';
SET LOCAL jit = 'off';
SET LOCAL max_parallel_workers_per_gather = '1';
SET LOCAL parallel_setup_cost = '100';
SET LOCAL parallel_tuple_cost = '0.01';
SET LOCAL random_page_cost = '1.1';
SET LOCAL work_mem = '64MB';
SET LOCAL lacrei_pipeline.step = 'mart.professional_appointments';
-- mart.professional_appointments: upsert of the whole SELECT into "lacreisaude_mart"."professional_appointments" by (period_month, row_key); rows it no longer returns are deleted
CREATE TEMP TABLE lp_step_rows ON COMMIT DROP AS
-- Mart: professional_appointments
-- Grain: one row per (period_month, row_key): the professionals with at least k appointments in
-- the month, one row each (row_key = professional_id), and one row for all the others
-- (row_key 'Suprimido'), period_month being the first day of the appointment's month in
-- vars.timezone.
-- Rule (SPEC §9.5.4): the measures of model.fact_lacreisaude_professional_months. Rates are
-- 100·part/whole and avg_waiting_days the average of the non-NULL waiting times, all
-- round(x, 2), NULL on a zero denominator.
-- Small cells folded: within each month, the professionals with fewer than k = vars.min_cell_size
-- appointments are published together as one row with professional_id NULL and specialty
-- 'Suprimido' (whatever its size), measures summed and rates recomputed from the sums, so a
-- month's totals stay exact and no professional's row lets a reader who knows one appointment
-- learn its outcome (the folded row of a sparse month may still be small: docs/privacy.md).
-- Materialization: incremental with a scope (professional_appointments.scope.sql), added up: a
-- run rewrites the rows of the (month, professional) groups that changed in the months fact and
-- the folded row of their months. A changed group's own row is its months row now (when it has at
-- least k appointments); a month's folded row is its row as this step left it, plus the changed
-- groups now, minus the same groups as this step last read them (`before`), each where it had fewer
-- than k. So the folded row keeps its sums exact: waiting_days_sum and waiting_days_count are
-- published with it (the average alone cannot be added up). A row whose group left or grew past
-- the fold, and a folded row left without appointments, are deleted. (Issue 21: recomputing each
-- changed month whole re-read its ~11,000 groups, and 1 % of the appointments touch every month.)
WITH settings AS (
    SELECT
        CAST('5' AS integer) AS min_cell_size
),
-- Each (month, professional) group with its published identity: its own, or NULL and
-- 'Suprimido' when it has fewer than k appointments, so that one aggregation adds up the
-- folded ones and leaves the others as they are. The counts of one professional in one month are
-- integers: summed as such they add up in bigint, not in numeric as sums of bigint do (at
-- 1,000,000 appointments a pass over every group 170-182 -> 114-117 ms). waiting_days_sum stays
-- bigint: a month of waiting times can pass 2^31 days.
professional_months AS (
    SELECT
        professional_month.period_month,
        CASE
            WHEN professional_month.total_appointments >= settings.min_cell_size THEN professional_month.professional_id
        END AS professional_id,
        CASE
            WHEN professional_month.total_appointments >= settings.min_cell_size THEN professional_month.specialty
            ELSE 'Suprimido'
        END AS specialty,
        professional_month.total_appointments::integer AS total_appointments,
        professional_month.completed_appointments::integer AS completed_appointments,
        professional_month.cancelled_appointments::integer AS cancelled_appointments,
        professional_month.no_show_appointments::integer AS no_show_appointments,
        professional_month.online_total::integer AS online_total,
        professional_month.online_completed::integer AS online_completed,
        professional_month.online_cancelled::integer AS online_cancelled,
        professional_month.in_person_total::integer AS in_person_total,
        professional_month.in_person_completed::integer AS in_person_completed,
        professional_month.in_person_cancelled::integer AS in_person_cancelled,
        professional_month.waiting_days_sum,
        professional_month.waiting_days_count::integer AS waiting_days_count
    FROM "lacreisaude_model"."fact_lacreisaude_professional_months" AS professional_month
    CROSS JOIN settings

),
published_rows AS (
    SELECT
        period_month,
        professional_id,
        specialty,
        sum(total_appointments) AS total_appointments,
        sum(completed_appointments) AS completed_appointments,
        sum(cancelled_appointments) AS cancelled_appointments,
        sum(no_show_appointments) AS no_show_appointments,
        sum(online_total) AS online_total,
        sum(online_completed) AS online_completed,
        sum(online_cancelled) AS online_cancelled,
        sum(in_person_total) AS in_person_total,
        sum(in_person_completed) AS in_person_completed,
        sum(in_person_cancelled) AS in_person_cancelled,
        sum(waiting_days_sum) AS waiting_days_sum,
        sum(waiting_days_count) AS waiting_days_count
    FROM professional_months
    GROUP BY period_month, professional_id, specialty
    -- Every group has appointments; a folded row added up to none is gone.
    HAVING sum(total_appointments) > 0
)
SELECT
    period_month,
    professional_id,
    specialty::text AS specialty,
    total_appointments::bigint AS total_appointments,
    completed_appointments::bigint AS completed_appointments,
    cancelled_appointments::bigint AS cancelled_appointments,
    no_show_appointments::bigint AS no_show_appointments,
    online_total::bigint AS online_total,
    online_completed::bigint AS online_completed,
    online_cancelled::bigint AS online_cancelled,
    in_person_total::bigint AS in_person_total,
    in_person_completed::bigint AS in_person_completed,
    in_person_cancelled::bigint AS in_person_cancelled,
    round(100.0 * completed_appointments / NULLIF(total_appointments, 0), 2) AS completion_rate,
    round(100.0 * cancelled_appointments / NULLIF(total_appointments, 0), 2) AS cancellation_rate,
    round(100.0 * online_cancelled / NULLIF(online_total, 0), 2) AS cancellation_rate_online,
    round(100.0 * in_person_cancelled / NULLIF(in_person_total, 0), 2) AS cancellation_rate_in_person,
    round(1.0 * waiting_days_sum / NULLIF(waiting_days_count, 0), 2) AS avg_waiting_days,
    coalesce(professional_id::text, 'Suprimido') AS row_key,
    waiting_days_sum::bigint AS waiting_days_sum,
    waiting_days_count::bigint AS waiting_days_count
FROM published_rows
;
CALL "lacreisaude_pipeline".lp_materialize(p_mode => 'upsert', p_schema => 'lacreisaude_mart', p_table => 'professional_appointments', p_keys => ARRAY['period_month', 'row_key'], p_step => 'mart.professional_appointments', p_rows_table => 'lp_step_rows', p_delete_missing => true, p_full_refresh => false, p_track => false, p_step_setting => 'lacrei_pipeline.step', p_on_schema_change => 'append_new_columns', p_fillfactor => 100);
INSERT INTO "lacreisaude_pipeline".change_cursors (consumer, producer, consumed)
SELECT 'mart.professional_appointments', p.step, greatest((SELECT max(c.seq) FROM "lacreisaude_pipeline".changes AS c WHERE c.step = p.step), l.start_seq, 0)
FROM unnest(ARRAY['model.fact_lacreisaude_professional_months']::text[]) AS p(step) LEFT JOIN "lacreisaude_pipeline".change_logs AS l ON l.step = p.step
ON CONFLICT (consumer, producer) DO UPDATE SET consumed = EXCLUDED.consumed;
DELETE FROM "lacreisaude_pipeline".changes AS c WHERE c.step = 'model.fact_lacreisaude_professional_months' AND c.seq <= (SELECT min(k.consumed) FROM "lacreisaude_pipeline".change_cursors AS k WHERE k.producer = 'model.fact_lacreisaude_professional_months' AND k.consumer = ANY (ARRAY['mart.professional_appointments']::text[]) HAVING count(*) = 1);
DROP TABLE lp_step_rows;
SELECT "lacreisaude_pipeline".lp_comments(p_kind => 'TABLE', p_table => '"lacreisaude_mart"."professional_appointments"', p_comment => 'Monthly appointment outcomes per professional with at least min_cell_size appointments in the month, by appointment month; the other professionals of the month are added up in one row with specialty Suprimido.', p_columns => ARRAY['avg_waiting_days', 'cancellation_rate', 'cancellation_rate_in_person', 'cancellation_rate_online', 'cancelled_appointments', 'completed_appointments', 'completion_rate', 'in_person_cancelled', 'in_person_completed', 'in_person_total', 'no_show_appointments', 'online_cancelled', 'online_completed', 'online_total', 'period_month', 'professional_id', 'row_key', 'specialty', 'total_appointments', 'waiting_days_count', 'waiting_days_sum']::text[], p_column_comments => ARRAY['Average days between booking and appointment (non-NULL waiting times), rounded to 2 decimals.', '100 × cancelled / total, rounded to 2 decimals.', '100 × in_person_cancelled / in_person_total, rounded to 2 decimals; NULL without in-person appointments.', '100 × online_cancelled / online_total, rounded to 2 decimals; NULL without online appointments.', 'Cancelled by status or by a cancellation record.', 'Completed and not cancelled.', '100 × completed / total, rounded to 2 decimals.', 'In-person appointments cancelled.', 'In-person appointments completed.', 'In-person appointments.', 'No-shows that were not cancelled.', 'Online appointments cancelled.', 'Online appointments completed.', 'Online appointments.', 'First day of the appointment month (in the pipeline time zone).', 'Source professional id; NULL on the row of the professionals with fewer than min_cell_size appointments in the month.', 'The row within its month (key with period_month) — the professional''s id, or Suprimido for the folded row.', 'Canonical specialty; Outra when it matches none; Não informado when empty; Suprimido on the folded row.', 'Appointments in the month.', 'Appointments with a waiting time.', 'Sum of the non-NULL waiting times in days (avg_waiting_days = waiting_days_sum / waiting_days_count), so that rows add up exactly.']::text[]);

-- ==== data test unique(period_month, row_key) (error): offending rows ====
SELECT "period_month", "row_key", count(*) AS duplicates FROM "lacreisaude_mart"."professional_appointments" GROUP BY "period_month", "row_key" HAVING count(*) > 1

-- ==== data test one_row_per_professional_or_folded_per_month (error): offending rows ====
SELECT "period_month", "professional_id", count(*) AS duplicates FROM "lacreisaude_mart"."professional_appointments" GROUP BY "period_month", "professional_id" HAVING count(*) > 1

-- ==== data test not_null(period_month, row_key, specialty) (error): offending rows ====
SELECT * FROM "lacreisaude_mart"."professional_appointments" WHERE "period_month" IS NULL OR "row_key" IS NULL OR "specialty" IS NULL

-- ==== data test rates_between_0_and_100 (error): offending rows ====
SELECT * FROM "lacreisaude_mart"."professional_appointments" WHERE NOT (completion_rate BETWEEN 0 AND 100 AND cancellation_rate BETWEEN 0 AND 100 AND cancellation_rate_online BETWEEN 0 AND 100 AND cancellation_rate_in_person BETWEEN 0 AND 100)

-- ==== data test no_professional_row_below_k (error): offending rows ====
SELECT * FROM (SELECT * FROM "lacreisaude_mart"."professional_appointments" WHERE professional_id IS NOT NULL) AS filtered WHERE "total_appointments" BETWEEN 1 AND 4

-- ==== data test folded_row_is_suprimido (error): offending rows ====
SELECT * FROM "lacreisaude_mart"."professional_appointments" WHERE NOT ((professional_id IS NULL) = (specialty = 'Suprimido') AND (professional_id IS NULL) = (row_key = 'Suprimido'))

-- ==== data test specialty_from_the_seed (error): offending rows ====
SELECT period_month, row_key, specialty FROM "lacreisaude_mart"."professional_appointments" WHERE specialty NOT IN ('Outra', 'Não informado', 'Suprimido') AND specialty NOT IN (SELECT btrim(specialty) FROM "lacreisaude_seeds"."specialties")

-- ==== data tests not_null(period_month, row_key, specialty), rates_between_0_and_100, folded_row_is_suprimido in one pass (a test with offending rows then runs its own query) ====
SELECT
    count(*) FILTER (WHERE "period_month" IS NULL OR "row_key" IS NULL OR "specialty" IS NULL) AS lp_test_1,
    count(*) FILTER (WHERE NOT (completion_rate BETWEEN 0 AND 100 AND cancellation_rate BETWEEN 0 AND 100 AND cancellation_rate_online BETWEEN 0 AND 100 AND cancellation_rate_in_person BETWEEN 0 AND 100)) AS lp_test_2,
    count(*) FILTER (WHERE NOT ((professional_id IS NULL) = (specialty = 'Suprimido') AND (professional_id IS NULL) = (row_key = 'Suprimido'))) AS lp_test_3
FROM "lacreisaude_mart"."professional_appointments"
