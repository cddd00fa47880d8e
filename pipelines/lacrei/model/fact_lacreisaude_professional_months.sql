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
WITH {{ if is_incremental }}recomputed_groups AS MATERIALIZED (
    SELECT
        scope.period_month,
        scope.professional_id
    FROM {{ scope }} AS scope
    WHERE scope.professional_id IN (SELECT changed.professional_id FROM {{ changes "model.dim_lacreisaude_professional" }} AS changed)
        OR scope.period_month IN (
            SELECT make_date(changed.date_id / 10000, changed.date_id / 100 % 100, 1)
            FROM {{ changes "model.dim_lacreisaude_date" }} AS changed
        )
),
added_groups AS MATERIALIZED (
    SELECT
        scope.period_month,
        scope.professional_id
    FROM {{ scope }} AS scope
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
    JOIN {{ ref "model.fact_lacreisaude_appointments" }} AS fact
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
    FROM {{ ref "model.fact_lacreisaude_appointments" }} AS fact
    WHERE fact.appointment_id IN (SELECT changed.appointment_id FROM {{ changes "model.fact_lacreisaude_appointments" }} AS changed)
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
    FROM {{ before "model.fact_lacreisaude_appointments" "professional_id" "appointment_date_id" "modality" "is_completed" "is_cancelled" "is_no_show" "waiting_time_days" }} AS old
),
{{ end }}appointments AS (
    SELECT
        calendar.month_start AS period_month,
        fact.professional_id,
        coalesce(professional.specialty, 'Não informado') AS specialty,
        fact.modality,
        fact.is_completed,
        fact.is_cancelled,
        fact.is_no_show,
        fact.waiting_time_days{{ if is_incremental }},
        fact.sign{{ end }}
    FROM {{ if is_incremental }}fact_rows{{ else }}{{ ref "model.fact_lacreisaude_appointments" }}{{ end }} AS fact
    JOIN {{ ref "model.dim_lacreisaude_professional" }} AS professional
        ON professional.professional_id = fact.professional_id
    JOIN {{ ref "model.dim_lacreisaude_date" }} AS calendar
        ON calendar.date_id = fact.appointment_date_id
    {{ if is_incremental }}
    -- A changed row counts toward a group that is added up, never toward one counted again.
    WHERE NOT fact.is_change
        OR (calendar.month_start, fact.professional_id) IN (SELECT added_groups.period_month, added_groups.professional_id FROM added_groups)
    {{ end }}
),
group_rows AS (
    SELECT
        period_month,
        professional_id,
        specialty::text AS specialty,{{ if is_incremental }}
        sign,{{ end }}
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
    GROUP BY period_month, professional_id, specialty{{ if is_incremental }}, sign{{ end }}
)
{{ if is_incremental }}
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
    FROM {{ this }} AS months
    WHERE (months.period_month, months.professional_id) IN (SELECT added_groups.period_month, added_groups.professional_id FROM added_groups)
) AS signed_groups
GROUP BY period_month, professional_id, specialty
HAVING sum(sign * total_appointments) > 0
{{ else }}
SELECT
    *
FROM group_rows
{{ end }}
