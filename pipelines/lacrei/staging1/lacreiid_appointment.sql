-- Staging 1: lacreiid_appointment
-- Grain: one row per source appointment that is not soft-deleted (key id).
-- Rule: a copy of the source table with the source types; every column is extracted.
-- Soft deletes are propagated here (SPEC §9.2: "soft-deleted rows ... are removed"): rows with
-- deleted_at set are filtered out, so with delete_missing an appointment that gets
-- soft-deleted later disappears from staging 1 on the next run, exactly as a hard delete
-- does. Filtering at the first layer means no later layer can count a deleted appointment by
-- mistake; deleted_at is kept (always NULL here) so the table keeps the source's columns.
SELECT
    id,
    created_at,
    updated_at,
    date,
    status,
    type,
    professional_id,
    user_id,
    clinic_id,
    agreement_id,
    deleted_at
FROM {{ source "app" "lacreiid_appointment" }}
WHERE deleted_at IS NULL
