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
    FROM {{ ref "staging2.lacreiid_appointment" }}
    UNION ALL
    SELECT
        min(signup_date),
        max(signup_date)
    FROM {{ ref "staging2.lacreiid_user" }}
    UNION ALL
    SELECT
        min(created_date),
        max(created_date)
    FROM {{ ref "staging2.lacreiid_report" }}
    UNION ALL
    SELECT
        min(created_date),
        max(created_date)
    FROM {{ ref "staging2.lacreiid_cancellation" }}
),
date_range AS (
    SELECT
        least({{ calendar_first }}, min(first_date)) AS first_date,
        greatest({{ calendar_last }}, max(last_date)) AS last_date
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
{{ if is_incremental }}
WHERE EXISTS (SELECT FROM {{ scope }})
{{ end }}
