-- model.dim_lacreisaude_date (replace): rendered as of 2025-12-01 by engine render --approve
SET LOCAL jit = 'off';
SET LOCAL max_parallel_workers_per_gather = '1';
SET LOCAL parallel_setup_cost = '100';
SET LOCAL parallel_tuple_cost = '0.01';
SET LOCAL random_page_cost = '1.1';
SET LOCAL work_mem = '64MB';
SET LOCAL lacrei_pipeline.step = 'model.dim_lacreisaude_date';
-- model.dim_lacreisaude_date: replace the rows of "lacreisaude_model"."dim_lacreisaude_date" in this transaction
CREATE TEMP TABLE lp_step_rows ON COMMIT DROP AS
-- Model: dim_lacreisaude_date
-- Grain: one row per calendar day (key date_id = YYYYMMDD).
-- Rule (SPEC §9.4): every day from 2020-01-01 to 2030-12-31, widened to cover every date in
-- the data (appointment, creation, sign-up, rating and cancellation dates, all already in
-- vars.timezone in staging 2), so every date key of the fact finds its day.
-- day_of_week and iso_week follow ISO 8601 (Monday = 1); iso_year is added because an ISO
-- week near New Year belongs to the neighbouring year.
-- Materialization: replace; the table is small and fully derived.
-- The range is read as one min/max per table (each table scanned once).
WITH data_ranges AS (
    SELECT
        least(min(created_date), min(appointment_date)) AS first_date,
        greatest(max(created_date), max(appointment_date)) AS last_date
    FROM "lacreisaude_staging_02"."lacreiid_appointment"
    UNION ALL
    SELECT
        min(signup_date),
        max(signup_date)
    FROM "lacreisaude_staging_02"."lacreiid_user"
    UNION ALL
    SELECT
        min(created_date),
        max(created_date)
    FROM "lacreisaude_staging_02"."lacreiid_report"
    UNION ALL
    SELECT
        min(created_date),
        max(created_date)
    FROM "lacreisaude_staging_02"."lacreiid_cancellation"
),
date_range AS (
    SELECT
        least(DATE '2020-01-01', min(first_date)) AS first_date,
        greatest(DATE '2030-12-31', max(last_date)) AS last_date
    FROM data_ranges
),
calendar AS (
    SELECT
        day::date AS calendar_date
    FROM date_range
    CROSS JOIN generate_series(
        date_range.first_date::timestamp,
        date_range.last_date::timestamp,
        INTERVAL '1 day'
    ) AS day
)
SELECT
    (EXTRACT(YEAR FROM calendar_date) * 10000
        + EXTRACT(MONTH FROM calendar_date) * 100
        + EXTRACT(DAY FROM calendar_date))::integer AS date_id,
    calendar_date,
    EXTRACT(DAY FROM calendar_date)::integer AS day,
    EXTRACT(MONTH FROM calendar_date)::integer AS month,
    EXTRACT(YEAR FROM calendar_date)::integer AS year,
    EXTRACT(WEEK FROM calendar_date)::integer AS iso_week,
    EXTRACT(ISOYEAR FROM calendar_date)::integer AS iso_year,
    EXTRACT(QUARTER FROM calendar_date)::integer AS quarter,
    EXTRACT(ISODOW FROM calendar_date)::integer AS day_of_week,
    date_trunc('month', calendar_date::timestamp)::date AS month_start
FROM calendar
;
SELECT "lacreisaude_pipeline".lp_change_log_columns(p_step => 'model.dim_lacreisaude_date', p_columns => ARRAY['date_id']::text[]);
DELETE FROM "lacreisaude_pipeline".changes AS c WHERE c.step = 'model.dim_lacreisaude_date' AND c.seq <= (SELECT min(k.consumed) FROM "lacreisaude_pipeline".change_cursors AS k WHERE k.producer = 'model.dim_lacreisaude_date' AND k.consumer = ANY (ARRAY['model.fact_lacreisaude_professional_months']::text[]) HAVING count(*) = 1);
CALL "lacreisaude_pipeline".lp_materialize(p_mode => 'replace', p_schema => 'lacreisaude_model', p_table => 'dim_lacreisaude_date', p_keys => ARRAY['date_id'], p_step => 'model.dim_lacreisaude_date', p_rows_table => 'lp_step_rows', p_delete_missing => false, p_full_refresh => false, p_track => true, p_step_setting => 'lacrei_pipeline.step');
DROP TABLE lp_step_rows;
SELECT "lacreisaude_pipeline".lp_comments(p_kind => 'TABLE', p_table => '"lacreisaude_model"."dim_lacreisaude_date"', p_comment => 'Calendar days from 2020-01-01 to 2030-12-31, widened to cover every date in the data.', p_columns => ARRAY[]::text[], p_column_comments => ARRAY[]::text[]);

-- ==== data test unique(date_id) (error): offending rows ====
SELECT "date_id", count(*) AS duplicates FROM "lacreisaude_model"."dim_lacreisaude_date" GROUP BY "date_id" HAVING count(*) > 1

-- ==== data test not_null(date_id, calendar_date) (error): offending rows ====
SELECT * FROM "lacreisaude_model"."dim_lacreisaude_date" WHERE "date_id" IS NULL OR "calendar_date" IS NULL

-- ==== data test row_count(4018..) (error): offending rows ====
SELECT row_count FROM (SELECT count(*) AS row_count FROM "lacreisaude_model"."dim_lacreisaude_date") AS counted WHERE row_count < 4018
