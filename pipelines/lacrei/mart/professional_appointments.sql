-- Mart: professional_appointments
-- Grain: one row per (period_month, professional_id, specialty), period_month being the first
-- day of the appointment's month in vars.timezone.
-- Rule (SPEC §9.5): over fact rows with an appointment date and a known professional (one in
-- dim_lacreisaude_professional). Counts come from is_completed, is_cancelled and is_no_show;
-- online / in-person split by modality ('unknown' counts only in the totals). Rates are
-- 100·part/whole and avg_waiting_days the average of the non-NULL waiting times, all
-- round(x, 2), NULL on a zero denominator. A NULL specialty reads 'Não informado'.
-- Materialization: incremental with a scope (professional_appointments.scope.sql): a run
-- recomputes only the (month, professional) groups a change touched; a group left without
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
    FROM {{ ref "model.fact_lacreisaude_appointments" }} AS fact
    JOIN {{ ref "model.dim_lacreisaude_professional" }} AS professional
        ON professional.professional_id = fact.professional_id
    JOIN {{ ref "model.dim_lacreisaude_date" }} AS calendar
        ON calendar.date_id = fact.appointment_date_id
    {{ if is_incremental }}
    WHERE (calendar.month_start, fact.professional_id) IN (SELECT scope.period_month, scope.professional_id FROM {{ scope }} AS scope)
    {{ end }}
),
monthly_counts AS (
    SELECT
        period_month,
        professional_id,
        specialty,
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
        round(avg(waiting_time_days), 2) AS avg_waiting_days
    FROM appointments
    GROUP BY period_month, professional_id, specialty
)
SELECT
    period_month,
    professional_id,
    specialty::text AS specialty,
    total_appointments,
    completed_appointments,
    cancelled_appointments,
    no_show_appointments,
    online_total,
    online_completed,
    online_cancelled,
    in_person_total,
    in_person_completed,
    in_person_cancelled,
    round(100.0 * completed_appointments / NULLIF(total_appointments, 0), 2) AS completion_rate,
    round(100.0 * cancelled_appointments / NULLIF(total_appointments, 0), 2) AS cancellation_rate,
    round(100.0 * online_cancelled / NULLIF(online_total, 0), 2) AS cancellation_rate_online,
    round(100.0 * in_person_cancelled / NULLIF(in_person_total, 0), 2) AS cancellation_rate_in_person,
    avg_waiting_days
FROM monthly_counts
