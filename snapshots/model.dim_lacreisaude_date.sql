-- model.dim_lacreisaude_date (incremental): rendered as of 2025-12-01 by engine render --approve
SET LOCAL default_statistics_target = '10';
SET LOCAL jit = 'off';
SET LOCAL max_parallel_workers_per_gather = '1';
SET LOCAL parallel_setup_cost = '100';
SET LOCAL parallel_tuple_cost = '0.01';
SET LOCAL random_page_cost = '1.1';
SET LOCAL work_mem = '64MB';
SET LOCAL lacrei_pipeline.step = 'model.dim_lacreisaude_date';
-- model.dim_lacreisaude_date: incremental upsert into "lacreisaude_model"."dim_lacreisaude_date" by (date_id) of the keys its scope selects from the changes of staging2.lacreiid_appointment, staging2.lacreiid_user, staging2.lacreiid_report, staging2.lacreiid_cancellation
-- (when the table is new, a change log restarted, or its SQL or other inputs changed, the whole SELECT runs instead: render --full-refresh shows it)
CREATE TEMP TABLE lp_scope ON COMMIT DROP AS
-- Scope of model.dim_lacreisaude_date: every day of the calendar when a date that came or went
-- (the old and the new values of the rows that changed) lies outside 2020-01-01 .. 2030-12-31,
-- the range the calendar always covers; otherwise nothing. Only such a date can move an end of
-- the calendar (the range widened to the data), so any other change leaves every day as it is,
-- and the step reads none of the four tables (a full pass over each at every run before).
WITH changed_dates AS (
    SELECT
        dates.day
    FROM (SELECT r."id", r."appointment_date", r."created_date" FROM "lacreisaude_pipeline".changes AS c CROSS JOIN LATERAL jsonb_populate_record(NULL::"lacreisaude_staging_02"."lacreiid_appointment", c.image) AS r WHERE c.step = 'staging2.lacreiid_appointment' AND c.seq > coalesce((SELECT k.consumed FROM "lacreisaude_pipeline".change_cursors AS k WHERE k.consumer = 'model.dim_lacreisaude_date' AND k.producer = 'staging2.lacreiid_appointment'), 0) AND NOT c.key_only UNION ALL SELECT n."id", n."appointment_date", n."created_date" FROM (SELECT latest."id", latest."appointment_date", latest."created_date" FROM (SELECT DISTINCT ON (a."id") c.after IS NULL AS lp_gone, a."id", a."appointment_date", a."created_date" FROM "lacreisaude_pipeline".changes AS c CROSS JOIN LATERAL jsonb_populate_record(NULL::"lacreisaude_staging_02"."lacreiid_appointment", coalesce(c.after, c.image)) AS a WHERE c.step = 'staging2.lacreiid_appointment' AND c.seq > coalesce((SELECT k.consumed FROM "lacreisaude_pipeline".change_cursors AS k WHERE k.consumer = 'model.dim_lacreisaude_date' AND k.producer = 'staging2.lacreiid_appointment'), 0) ORDER BY a."id", c.seq DESC) AS latest WHERE NOT latest.lp_gone) AS n) AS changed
    CROSS JOIN LATERAL (VALUES (changed.created_date), (changed.appointment_date)) AS dates (day)
    UNION ALL
    SELECT
        changed.signup_date
    FROM (SELECT r."id", r."signup_date" FROM "lacreisaude_pipeline".changes AS c CROSS JOIN LATERAL jsonb_populate_record(NULL::"lacreisaude_staging_02"."lacreiid_user", c.image) AS r WHERE c.step = 'staging2.lacreiid_user' AND c.seq > coalesce((SELECT k.consumed FROM "lacreisaude_pipeline".change_cursors AS k WHERE k.consumer = 'model.dim_lacreisaude_date' AND k.producer = 'staging2.lacreiid_user'), 0) AND NOT c.key_only UNION ALL SELECT n."id", n."signup_date" FROM (SELECT latest."id", latest."signup_date" FROM (SELECT DISTINCT ON (a."id") c.after IS NULL AS lp_gone, a."id", a."signup_date" FROM "lacreisaude_pipeline".changes AS c CROSS JOIN LATERAL jsonb_populate_record(NULL::"lacreisaude_staging_02"."lacreiid_user", coalesce(c.after, c.image)) AS a WHERE c.step = 'staging2.lacreiid_user' AND c.seq > coalesce((SELECT k.consumed FROM "lacreisaude_pipeline".change_cursors AS k WHERE k.consumer = 'model.dim_lacreisaude_date' AND k.producer = 'staging2.lacreiid_user'), 0) ORDER BY a."id", c.seq DESC) AS latest WHERE NOT latest.lp_gone) AS n) AS changed
    UNION ALL
    SELECT
        changed.created_date
    FROM (SELECT r."id", r."created_date" FROM "lacreisaude_pipeline".changes AS c CROSS JOIN LATERAL jsonb_populate_record(NULL::"lacreisaude_staging_02"."lacreiid_report", c.image) AS r WHERE c.step = 'staging2.lacreiid_report' AND c.seq > coalesce((SELECT k.consumed FROM "lacreisaude_pipeline".change_cursors AS k WHERE k.consumer = 'model.dim_lacreisaude_date' AND k.producer = 'staging2.lacreiid_report'), 0) AND NOT c.key_only UNION ALL SELECT n."id", n."created_date" FROM (SELECT latest."id", latest."created_date" FROM (SELECT DISTINCT ON (a."id") c.after IS NULL AS lp_gone, a."id", a."created_date" FROM "lacreisaude_pipeline".changes AS c CROSS JOIN LATERAL jsonb_populate_record(NULL::"lacreisaude_staging_02"."lacreiid_report", coalesce(c.after, c.image)) AS a WHERE c.step = 'staging2.lacreiid_report' AND c.seq > coalesce((SELECT k.consumed FROM "lacreisaude_pipeline".change_cursors AS k WHERE k.consumer = 'model.dim_lacreisaude_date' AND k.producer = 'staging2.lacreiid_report'), 0) ORDER BY a."id", c.seq DESC) AS latest WHERE NOT latest.lp_gone) AS n) AS changed
    UNION ALL
    SELECT
        changed.created_date
    FROM (SELECT r."id", r."created_date" FROM "lacreisaude_pipeline".changes AS c CROSS JOIN LATERAL jsonb_populate_record(NULL::"lacreisaude_staging_02"."lacreiid_cancellation", c.image) AS r WHERE c.step = 'staging2.lacreiid_cancellation' AND c.seq > coalesce((SELECT k.consumed FROM "lacreisaude_pipeline".change_cursors AS k WHERE k.consumer = 'model.dim_lacreisaude_date' AND k.producer = 'staging2.lacreiid_cancellation'), 0) AND NOT c.key_only UNION ALL SELECT n."id", n."created_date" FROM (SELECT latest."id", latest."created_date" FROM (SELECT DISTINCT ON (a."id") c.after IS NULL AS lp_gone, a."id", a."created_date" FROM "lacreisaude_pipeline".changes AS c CROSS JOIN LATERAL jsonb_populate_record(NULL::"lacreisaude_staging_02"."lacreiid_cancellation", coalesce(c.after, c.image)) AS a WHERE c.step = 'staging2.lacreiid_cancellation' AND c.seq > coalesce((SELECT k.consumed FROM "lacreisaude_pipeline".change_cursors AS k WHERE k.consumer = 'model.dim_lacreisaude_date' AND k.producer = 'staging2.lacreiid_cancellation'), 0) ORDER BY a."id", c.seq DESC) AS latest WHERE NOT latest.lp_gone) AS n) AS changed
)
SELECT
    calendar.date_id
FROM "lacreisaude_model"."dim_lacreisaude_date" AS calendar
WHERE EXISTS (
    SELECT
    FROM changed_dates
    WHERE changed_dates.day NOT BETWEEN DATE '2020-01-01' AND DATE '2030-12-31'
)
;
ANALYZE lp_scope;
CREATE TEMP TABLE lp_step_rows ON COMMIT DROP AS
-- Model: dim_lacreisaude_date
-- Grain: one row per calendar day (key date_id = YYYYMMDD).
-- Rule (SPEC §9.4): every day from 2020-01-01 to 2030-12-31, widened to cover every date in
-- the data (appointment, creation, sign-up, rating and cancellation dates, all already in
-- vars.timezone in staging 2), so every date key of the fact finds its day.
-- day_of_week and iso_week follow ISO 8601 (Monday = 1); iso_year is added because an ISO
-- week near New Year belongs to the neighbouring year.
-- Materialization: incremental with a scope (dim_lacreisaude_date.scope.sql): a run rebuilds the
-- calendar only when a date outside the fixed range came or went, reading the range as one
-- min/max per table (each table scanned once); otherwise its scope is empty and nothing is read.
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

WHERE EXISTS (SELECT FROM lp_scope)
;
SELECT "lacreisaude_pipeline".lp_change_log_columns(p_step => 'model.dim_lacreisaude_date', p_columns => ARRAY['date_id']::text[]);
DELETE FROM "lacreisaude_pipeline".changes AS c WHERE c.step = 'model.dim_lacreisaude_date' AND c.seq <= (SELECT min(k.consumed) FROM "lacreisaude_pipeline".change_cursors AS k WHERE k.producer = 'model.dim_lacreisaude_date' AND k.consumer = ANY (ARRAY['model.fact_lacreisaude_professional_months']::text[]) HAVING count(*) = 1);
CALL "lacreisaude_pipeline".lp_materialize(p_mode => 'upsert', p_schema => 'lacreisaude_model', p_table => 'dim_lacreisaude_date', p_keys => ARRAY['date_id'], p_step => 'model.dim_lacreisaude_date', p_rows_table => 'lp_step_rows', p_delete_missing => false, p_full_refresh => false, p_track => true, p_scope_table => 'lp_scope', p_step_setting => 'lacrei_pipeline.step', p_fillfactor => 100);
INSERT INTO "lacreisaude_pipeline".change_cursors (consumer, producer, consumed)
SELECT 'model.dim_lacreisaude_date', p.step, greatest((SELECT max(c.seq) FROM "lacreisaude_pipeline".changes AS c WHERE c.step = p.step), l.start_seq, 0)
FROM unnest(ARRAY['staging2.lacreiid_appointment', 'staging2.lacreiid_cancellation', 'staging2.lacreiid_report', 'staging2.lacreiid_user']::text[]) AS p(step) LEFT JOIN "lacreisaude_pipeline".change_logs AS l ON l.step = p.step
ON CONFLICT (consumer, producer) DO UPDATE SET consumed = EXCLUDED.consumed;
DELETE FROM "lacreisaude_pipeline".changes AS c WHERE c.step = 'staging2.lacreiid_appointment' AND c.seq <= (SELECT min(k.consumed) FROM "lacreisaude_pipeline".change_cursors AS k WHERE k.producer = 'staging2.lacreiid_appointment' AND k.consumer = ANY (ARRAY['model.dim_lacreisaude_date', 'model.fact_lacreisaude_appointments']::text[]) HAVING count(*) = 2);
DELETE FROM "lacreisaude_pipeline".changes AS c WHERE c.step = 'staging2.lacreiid_cancellation' AND c.seq <= (SELECT min(k.consumed) FROM "lacreisaude_pipeline".change_cursors AS k WHERE k.producer = 'staging2.lacreiid_cancellation' AND k.consumer = ANY (ARRAY['model.dim_lacreisaude_date', 'model.fact_lacreisaude_appointments']::text[]) HAVING count(*) = 2);
DELETE FROM "lacreisaude_pipeline".changes AS c WHERE c.step = 'staging2.lacreiid_report' AND c.seq <= (SELECT min(k.consumed) FROM "lacreisaude_pipeline".change_cursors AS k WHERE k.producer = 'staging2.lacreiid_report' AND k.consumer = ANY (ARRAY['model.dim_lacreisaude_date', 'model.fact_lacreisaude_appointments']::text[]) HAVING count(*) = 2);
DELETE FROM "lacreisaude_pipeline".changes AS c WHERE c.step = 'staging2.lacreiid_user' AND c.seq <= (SELECT min(k.consumed) FROM "lacreisaude_pipeline".change_cursors AS k WHERE k.producer = 'staging2.lacreiid_user' AND k.consumer = ANY (ARRAY['model.dim_lacreisaude_date', 'model.dim_lacreisaude_patient', 'model.fact_lacreisaude_appointments']::text[]) HAVING count(*) = 3);
DROP TABLE lp_scope;
SELECT "lacreisaude_pipeline".lp_comments(p_kind => 'TABLE', p_table => '"lacreisaude_model"."dim_lacreisaude_date"', p_comment => 'Calendar days from 2020-01-01 to 2030-12-31, widened to cover every date in the data.', p_columns => ARRAY[]::text[], p_column_comments => ARRAY[]::text[]);

-- ==== when the step recomputes everything (first run, --full-refresh, a changed input) ====
SET LOCAL default_statistics_target = '10';
SET LOCAL jit = 'off';
SET LOCAL max_parallel_workers_per_gather = '1';
SET LOCAL parallel_setup_cost = '100';
SET LOCAL parallel_tuple_cost = '0.01';
SET LOCAL random_page_cost = '1.1';
SET LOCAL work_mem = '64MB';
SET LOCAL lacrei_pipeline.step = 'model.dim_lacreisaude_date';
-- model.dim_lacreisaude_date: upsert of the whole SELECT into "lacreisaude_model"."dim_lacreisaude_date" by (date_id); rows it no longer returns are deleted
CREATE TEMP TABLE lp_step_rows ON COMMIT DROP AS
-- Model: dim_lacreisaude_date
-- Grain: one row per calendar day (key date_id = YYYYMMDD).
-- Rule (SPEC §9.4): every day from 2020-01-01 to 2030-12-31, widened to cover every date in
-- the data (appointment, creation, sign-up, rating and cancellation dates, all already in
-- vars.timezone in staging 2), so every date key of the fact finds its day.
-- day_of_week and iso_week follow ISO 8601 (Monday = 1); iso_year is added because an ISO
-- week near New Year belongs to the neighbouring year.
-- Materialization: incremental with a scope (dim_lacreisaude_date.scope.sql): a run rebuilds the
-- calendar only when a date outside the fixed range came or went, reading the range as one
-- min/max per table (each table scanned once); otherwise its scope is empty and nothing is read.
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
CALL "lacreisaude_pipeline".lp_materialize(p_mode => 'upsert', p_schema => 'lacreisaude_model', p_table => 'dim_lacreisaude_date', p_keys => ARRAY['date_id'], p_step => 'model.dim_lacreisaude_date', p_rows_table => 'lp_step_rows', p_delete_missing => true, p_full_refresh => false, p_track => true, p_step_setting => 'lacrei_pipeline.step', p_fillfactor => 100);
INSERT INTO "lacreisaude_pipeline".change_cursors (consumer, producer, consumed)
SELECT 'model.dim_lacreisaude_date', p.step, greatest((SELECT max(c.seq) FROM "lacreisaude_pipeline".changes AS c WHERE c.step = p.step), l.start_seq, 0)
FROM unnest(ARRAY['staging2.lacreiid_appointment', 'staging2.lacreiid_cancellation', 'staging2.lacreiid_report', 'staging2.lacreiid_user']::text[]) AS p(step) LEFT JOIN "lacreisaude_pipeline".change_logs AS l ON l.step = p.step
ON CONFLICT (consumer, producer) DO UPDATE SET consumed = EXCLUDED.consumed;
DELETE FROM "lacreisaude_pipeline".changes AS c WHERE c.step = 'staging2.lacreiid_appointment' AND c.seq <= (SELECT min(k.consumed) FROM "lacreisaude_pipeline".change_cursors AS k WHERE k.producer = 'staging2.lacreiid_appointment' AND k.consumer = ANY (ARRAY['model.dim_lacreisaude_date', 'model.fact_lacreisaude_appointments']::text[]) HAVING count(*) = 2);
DELETE FROM "lacreisaude_pipeline".changes AS c WHERE c.step = 'staging2.lacreiid_cancellation' AND c.seq <= (SELECT min(k.consumed) FROM "lacreisaude_pipeline".change_cursors AS k WHERE k.producer = 'staging2.lacreiid_cancellation' AND k.consumer = ANY (ARRAY['model.dim_lacreisaude_date', 'model.fact_lacreisaude_appointments']::text[]) HAVING count(*) = 2);
DELETE FROM "lacreisaude_pipeline".changes AS c WHERE c.step = 'staging2.lacreiid_report' AND c.seq <= (SELECT min(k.consumed) FROM "lacreisaude_pipeline".change_cursors AS k WHERE k.producer = 'staging2.lacreiid_report' AND k.consumer = ANY (ARRAY['model.dim_lacreisaude_date', 'model.fact_lacreisaude_appointments']::text[]) HAVING count(*) = 2);
DELETE FROM "lacreisaude_pipeline".changes AS c WHERE c.step = 'staging2.lacreiid_user' AND c.seq <= (SELECT min(k.consumed) FROM "lacreisaude_pipeline".change_cursors AS k WHERE k.producer = 'staging2.lacreiid_user' AND k.consumer = ANY (ARRAY['model.dim_lacreisaude_date', 'model.dim_lacreisaude_patient', 'model.fact_lacreisaude_appointments']::text[]) HAVING count(*) = 3);
DROP TABLE lp_step_rows;
SELECT "lacreisaude_pipeline".lp_comments(p_kind => 'TABLE', p_table => '"lacreisaude_model"."dim_lacreisaude_date"', p_comment => 'Calendar days from 2020-01-01 to 2030-12-31, widened to cover every date in the data.', p_columns => ARRAY[]::text[], p_column_comments => ARRAY[]::text[]);

-- ==== data test unique(date_id) (error): offending rows ====
SELECT "date_id", count(*) AS duplicates FROM "lacreisaude_model"."dim_lacreisaude_date" GROUP BY "date_id" HAVING count(*) > 1

-- ==== data test not_null(date_id, calendar_date) (error): offending rows ====
SELECT * FROM "lacreisaude_model"."dim_lacreisaude_date" WHERE "date_id" IS NULL OR "calendar_date" IS NULL

-- ==== data test row_count(4018..) (error): offending rows ====
SELECT row_count FROM (SELECT count(*) AS row_count FROM "lacreisaude_model"."dim_lacreisaude_date") AS counted WHERE row_count < 4018
