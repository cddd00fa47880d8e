-- mart.professional_appointments: replace the rows of "lacreisaude_mart"."professional_appointments" in this transaction
CREATE TEMP TABLE lp_step_rows ON COMMIT DROP AS
-- Mart: professional_appointments
-- Grain: one row per (period_month, professional_id, specialty), period_month being the first
-- day of the appointment's month in vars.timezone.
-- Rule (SPEC §9.5): over fact rows with an appointment date and a known professional (one in
-- dim_lacreisaude_professional). Counts come from is_completed, is_cancelled and is_no_show;
-- online / in-person split by modality ('unknown' counts only in the totals). Rates are
-- 100·part/whole and avg_waiting_days the average of the non-NULL waiting times, all
-- round(x, 2), NULL on a zero denominator. A NULL specialty reads 'Não informado'.
-- Materialization: replace, so no stale row survives a run.
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
;
CALL "lacreisaude_pipeline".lp_materialize('replace', 'lacreisaude_mart', 'professional_appointments', ARRAY['period_month', 'professional_id', 'specialty'], false, false, 'mart.professional_appointments', false, false, NULL, NULL);
DROP TABLE lp_step_rows;
COMMENT ON TABLE "lacreisaude_mart"."professional_appointments" IS 'Monthly appointment outcomes per professional, by appointment month.';
COMMENT ON COLUMN "lacreisaude_mart"."professional_appointments"."avg_waiting_days" IS 'Average days between booking and appointment (non-NULL waiting times), rounded to 2 decimals.';
COMMENT ON COLUMN "lacreisaude_mart"."professional_appointments"."cancellation_rate" IS '100 × cancelled / total, rounded to 2 decimals.';
COMMENT ON COLUMN "lacreisaude_mart"."professional_appointments"."cancellation_rate_in_person" IS '100 × in_person_cancelled / in_person_total, rounded to 2 decimals; NULL without in-person appointments.';
COMMENT ON COLUMN "lacreisaude_mart"."professional_appointments"."cancellation_rate_online" IS '100 × online_cancelled / online_total, rounded to 2 decimals; NULL without online appointments.';
COMMENT ON COLUMN "lacreisaude_mart"."professional_appointments"."cancelled_appointments" IS 'Cancelled by status or by a cancellation record.';
COMMENT ON COLUMN "lacreisaude_mart"."professional_appointments"."completed_appointments" IS 'Completed and not cancelled.';
COMMENT ON COLUMN "lacreisaude_mart"."professional_appointments"."completion_rate" IS '100 × completed / total, rounded to 2 decimals.';
COMMENT ON COLUMN "lacreisaude_mart"."professional_appointments"."in_person_cancelled" IS 'In-person appointments cancelled.';
COMMENT ON COLUMN "lacreisaude_mart"."professional_appointments"."in_person_completed" IS 'In-person appointments completed.';
COMMENT ON COLUMN "lacreisaude_mart"."professional_appointments"."in_person_total" IS 'In-person appointments.';
COMMENT ON COLUMN "lacreisaude_mart"."professional_appointments"."no_show_appointments" IS 'No-shows that were not cancelled.';
COMMENT ON COLUMN "lacreisaude_mart"."professional_appointments"."online_cancelled" IS 'Online appointments cancelled.';
COMMENT ON COLUMN "lacreisaude_mart"."professional_appointments"."online_completed" IS 'Online appointments completed.';
COMMENT ON COLUMN "lacreisaude_mart"."professional_appointments"."online_total" IS 'Online appointments.';
COMMENT ON COLUMN "lacreisaude_mart"."professional_appointments"."period_month" IS 'First day of the appointment month (in the pipeline time zone).';
COMMENT ON COLUMN "lacreisaude_mart"."professional_appointments"."professional_id" IS 'Source professional id.';
COMMENT ON COLUMN "lacreisaude_mart"."professional_appointments"."specialty" IS 'Canonical specialty; Não informado when empty.';
COMMENT ON COLUMN "lacreisaude_mart"."professional_appointments"."total_appointments" IS 'Appointments in the month.';

-- ==== data test unique(period_month, professional_id, specialty) (error): offending rows ====
SELECT "period_month", "professional_id", "specialty", count(*) AS duplicates FROM "lacreisaude_mart"."professional_appointments" GROUP BY "period_month", "professional_id", "specialty" HAVING count(*) > 1

-- ==== data test not_null(period_month, professional_id) (error): offending rows ====
SELECT * FROM "lacreisaude_mart"."professional_appointments" WHERE "period_month" IS NULL OR "professional_id" IS NULL

-- ==== data test rates_between_0_and_100 (error): offending rows ====
SELECT * FROM "lacreisaude_mart"."professional_appointments" WHERE NOT (completion_rate BETWEEN 0 AND 100 AND cancellation_rate BETWEEN 0 AND 100 AND cancellation_rate_online BETWEEN 0 AND 100 AND cancellation_rate_in_person BETWEEN 0 AND 100)
