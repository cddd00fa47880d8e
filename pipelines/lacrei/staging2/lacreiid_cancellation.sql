-- Staging 2: lacreiid_cancellation
-- Grain: one row per cancellation of an appointment (key id).
-- Rule: created_date is created_at's date in vars.timezone. A cancellation without
-- appointment_id is listed in staging2.rejects and left out here.
-- Materialization: upsert by id with delete_missing (see lacrei_privacydocument.sql).
WITH rejected AS (
    SELECT
        source_key
    FROM {{ ref "staging2.rejects" }}
    WHERE step = 'staging2.lacreiid_cancellation'
)
SELECT
    cancellation.id,
    cancellation.created_at,
    cancellation.updated_at,
    {{ local_date "cancellation.created_at" }} AS created_date,
    cancellation.appointment_id,
    cancellation.has_reason
FROM {{ ref "staging1.lacreiid_cancellation" }} AS cancellation
WHERE NOT EXISTS (
    SELECT 1
    FROM rejected
    WHERE rejected.source_key = cancellation.id::text
)
