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
WITH {{ if is_incremental }}scope_ranges AS MATERIALIZED (
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
    FROM {{ scope }} AS scope
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
        fact.waiting_time_days
    {{ if is_incremental }}
    FROM scope_ranges
    -- One index range per group, written as row comparisons: with separate conditions PostgreSQL
    -- matched the index on professional_id alone and filtered every month of the professional.
    JOIN {{ ref "model.fact_lacreisaude_appointments" }} AS fact
        ON (fact.professional_id, fact.appointment_date_id) >= (scope_ranges.professional_id, scope_ranges.first_date_id)
        AND (fact.professional_id, fact.appointment_date_id) < (scope_ranges.professional_id, scope_ranges.next_month_date_id)
    {{ else }}
    FROM {{ ref "model.fact_lacreisaude_appointments" }} AS fact
    {{ end }}
    JOIN {{ ref "model.dim_lacreisaude_professional" }} AS professional
        ON professional.professional_id = fact.professional_id
    JOIN {{ ref "model.dim_lacreisaude_date" }} AS calendar
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
