SET LOCAL random_page_cost = '1.1';
SET LOCAL work_mem = '64MB';
SET LOCAL lacrei_pipeline.step = 'mart.professional_appointments';
-- mart.professional_appointments: incremental upsert into "lacreisaude_mart"."professional_appointments" by (period_month, professional_id, specialty) of the keys its scope selects from the changes of model.fact_lacreisaude_appointments, model.dim_lacreisaude_professional, model.dim_lacreisaude_date
-- (when the table is new, a change log restarted, or its SQL or other inputs changed, the whole SELECT runs instead: render --full-refresh shows it)
CREATE TEMP TABLE lp_scope ON COMMIT DROP AS
-- Scope of mart.professional_appointments: the (month, professional) groups of the fact rows
-- that changed, before and after the change, and every group of a professional or day whose
-- dimension row changed. The month comes from the date key (YYYYMMDD) itself, so it is known
-- for a day that is gone too.
WITH changed_facts AS (
    SELECT
        appointment_date_id,
        professional_id
    FROM (SELECT r.* FROM "lacreisaude_pipeline".changes AS c CROSS JOIN LATERAL jsonb_populate_record(NULL::"lacreisaude_model"."fact_lacreisaude_appointments", c.image) AS r WHERE c.step = 'model.fact_lacreisaude_appointments' AND c.seq > coalesce((SELECT k.consumed FROM "lacreisaude_pipeline".change_cursors AS k WHERE k.consumer = 'mart.professional_appointments' AND k.producer = 'model.fact_lacreisaude_appointments'), 0) AND NOT c.key_only UNION ALL SELECT t.* FROM "lacreisaude_model"."fact_lacreisaude_appointments" AS t WHERE (t."appointment_id") IN (SELECT r."appointment_id" FROM "lacreisaude_pipeline".changes AS c CROSS JOIN LATERAL jsonb_populate_record(NULL::"lacreisaude_model"."fact_lacreisaude_appointments", c.image) AS r WHERE c.step = 'model.fact_lacreisaude_appointments' AND c.seq > coalesce((SELECT k.consumed FROM "lacreisaude_pipeline".change_cursors AS k WHERE k.consumer = 'mart.professional_appointments' AND k.producer = 'model.fact_lacreisaude_appointments'), 0))) AS changed_rows
    UNION
    SELECT
        fact.appointment_date_id,
        fact.professional_id
    FROM "lacreisaude_model"."fact_lacreisaude_appointments" AS fact
    WHERE fact.professional_id IN (SELECT changed.professional_id FROM (SELECT r.* FROM "lacreisaude_pipeline".changes AS c CROSS JOIN LATERAL jsonb_populate_record(NULL::"lacreisaude_model"."dim_lacreisaude_professional", c.image) AS r WHERE c.step = 'model.dim_lacreisaude_professional' AND c.seq > coalesce((SELECT k.consumed FROM "lacreisaude_pipeline".change_cursors AS k WHERE k.consumer = 'mart.professional_appointments' AND k.producer = 'model.dim_lacreisaude_professional'), 0) AND NOT c.key_only UNION ALL SELECT t.* FROM "lacreisaude_model"."dim_lacreisaude_professional" AS t WHERE (t."professional_id") IN (SELECT r."professional_id" FROM "lacreisaude_pipeline".changes AS c CROSS JOIN LATERAL jsonb_populate_record(NULL::"lacreisaude_model"."dim_lacreisaude_professional", c.image) AS r WHERE c.step = 'model.dim_lacreisaude_professional' AND c.seq > coalesce((SELECT k.consumed FROM "lacreisaude_pipeline".change_cursors AS k WHERE k.consumer = 'mart.professional_appointments' AND k.producer = 'model.dim_lacreisaude_professional'), 0))) AS changed)
       OR fact.appointment_date_id IN (SELECT changed.date_id FROM (SELECT r.* FROM "lacreisaude_pipeline".changes AS c CROSS JOIN LATERAL jsonb_populate_record(NULL::"lacreisaude_model"."dim_lacreisaude_date", c.image) AS r WHERE c.step = 'model.dim_lacreisaude_date' AND c.seq > coalesce((SELECT k.consumed FROM "lacreisaude_pipeline".change_cursors AS k WHERE k.consumer = 'mart.professional_appointments' AND k.producer = 'model.dim_lacreisaude_date'), 0) AND NOT c.key_only UNION ALL SELECT t.* FROM "lacreisaude_model"."dim_lacreisaude_date" AS t WHERE (t."date_id") IN (SELECT r."date_id" FROM "lacreisaude_pipeline".changes AS c CROSS JOIN LATERAL jsonb_populate_record(NULL::"lacreisaude_model"."dim_lacreisaude_date", c.image) AS r WHERE c.step = 'model.dim_lacreisaude_date' AND c.seq > coalesce((SELECT k.consumed FROM "lacreisaude_pipeline".change_cursors AS k WHERE k.consumer = 'mart.professional_appointments' AND k.producer = 'model.dim_lacreisaude_date'), 0))) AS changed)
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
    FROM "lacreisaude_model"."fact_lacreisaude_appointments" AS fact
    JOIN "lacreisaude_model"."dim_lacreisaude_professional" AS professional
        ON professional.professional_id = fact.professional_id
    JOIN "lacreisaude_model"."dim_lacreisaude_date" AS calendar
        ON calendar.date_id = fact.appointment_date_id
    
        WHERE (calendar.month_start, fact.professional_id) IN (SELECT scope.period_month, scope.professional_id FROM lp_scope AS scope)
        
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
CALL "lacreisaude_pipeline".lp_materialize(p_mode => 'upsert', p_schema => 'lacreisaude_mart', p_table => 'professional_appointments', p_keys => ARRAY['period_month', 'professional_id', 'specialty'], p_step => 'mart.professional_appointments', p_rows_table => 'lp_step_rows', p_delete_missing => false, p_full_refresh => false, p_track => false, p_scope_table => 'lp_scope', p_step_setting => 'lacrei_pipeline.step');
INSERT INTO "lacreisaude_pipeline".change_cursors (consumer, producer, consumed)
SELECT 'mart.professional_appointments', p.step, greatest((SELECT max(c.seq) FROM "lacreisaude_pipeline".changes AS c WHERE c.step = p.step), l.start_seq, 0)
FROM unnest(ARRAY['model.fact_lacreisaude_appointments', 'model.dim_lacreisaude_professional', 'model.dim_lacreisaude_date']::text[]) AS p(step) LEFT JOIN "lacreisaude_pipeline".change_logs AS l ON l.step = p.step
ON CONFLICT (consumer, producer) DO UPDATE SET consumed = EXCLUDED.consumed;
DROP TABLE lp_scope;
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
