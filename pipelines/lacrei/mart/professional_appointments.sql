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
        CAST('{{ vars.min_cell_size }}' AS integer) AS min_cell_size
),
{{ if is_incremental }}changed_groups AS MATERIALIZED (
    SELECT DISTINCT
        changed.period_month,
        changed.professional_id
    FROM {{ changes "model.fact_lacreisaude_professional_months" }} AS changed
),
{{ end }}-- Each (month, professional) group with its published identity: its own, or NULL and
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
    FROM {{ ref "model.fact_lacreisaude_professional_months" }} AS professional_month
    CROSS JOIN settings
    {{ if is_incremental }}
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
    FROM {{ before "model.fact_lacreisaude_professional_months" "total_appointments" "completed_appointments" "cancelled_appointments" "no_show_appointments" "online_total" "online_completed" "online_cancelled" "in_person_total" "in_person_completed" "in_person_cancelled" "waiting_days_sum" "waiting_days_count" }} AS old
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
    FROM {{ this }} AS folded
    WHERE folded.row_key = 'Suprimido'
        AND folded.period_month IN (SELECT changed_groups.period_month FROM changed_groups)
    {{ end }}
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
