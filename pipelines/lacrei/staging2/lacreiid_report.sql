-- Staging 2: lacreiid_report
-- Grain: one row per rating of an appointment (key id).
-- Rule (SPEC §9.3): rating = eval when it is 1 to 5, else NULL (0 and 7 are invalid, not
-- clamped). created_date is created_at's date in vars.timezone. A report without
-- appointment_id is listed in staging2.rejects and left out here.
-- Materialization: upsert by id with delete_missing (see lacrei_privacydocument.sql).
WITH rejected AS (
    SELECT
        source_key
    FROM {{ ref "staging2.rejects" }}
    WHERE step = 'staging2.lacreiid_report'
)
SELECT
    report.id,
    report.created_at,
    report.updated_at,
    {{ local_date "report.created_at" }} AS created_date,
    report.appointment_id,
    CASE
        WHEN report.eval BETWEEN 1 AND 5 THEN report.eval
    END AS rating,
    report.has_feedback
FROM {{ ref "staging1.lacreiid_report" }} AS report
WHERE NOT EXISTS (
    SELECT 1
    FROM rejected
    WHERE rejected.source_key = report.id::text
)
