-- staging2.lacreiid_appointment: upsert into "lacreisaude_staging_02"."lacreiid_appointment" by (id); rows the SELECT no longer returns are deleted
CREATE TEMP TABLE lp_step_rows ON COMMIT DROP AS
-- Staging 2: lacreiid_appointment
-- Grain: one row per appointment that is not soft-deleted (key id).
-- Rule (SPEC §9.3): status and type are mapped through the status_synonyms and
-- modality_synonyms seeds by normalised text; anything else, NULL included, → 'unknown'.
-- Dates are taken in vars.timezone; waiting_time_days = appointment date − creation date in
-- whole days, negative → NULL. Soft-deleted rows are already gone from staging 1; the filter
-- on deleted_at repeats the rule where the fact is built, should extraction ever keep them.
-- The distinct raw spellings (a few dozen) are normalised once, not every row.
-- Materialization: upsert by id with delete_missing (see lacrei_privacydocument.sql).
WITH status_map AS (
    SELECT DISTINCT ON ("lacreisaude_staging_02".normalize_text(synonym))
        "lacreisaude_staging_02".normalize_text(synonym) AS synonym_key,
        btrim(status) AS status
    FROM "lacreisaude_seeds"."status_synonyms"
    WHERE NULLIF(btrim(status), '') IS NOT NULL
    ORDER BY "lacreisaude_staging_02".normalize_text(synonym), btrim(status)
),
modality_map AS (
    SELECT DISTINCT ON ("lacreisaude_staging_02".normalize_text(synonym))
        "lacreisaude_staging_02".normalize_text(synonym) AS synonym_key,
        btrim(modality) AS modality
    FROM "lacreisaude_seeds"."modality_synonyms"
    WHERE NULLIF(btrim(modality), '') IS NOT NULL
    ORDER BY "lacreisaude_staging_02".normalize_text(synonym), btrim(modality)
),
status_values AS (
    SELECT
        raw_values.status AS raw_status,
        status_map.status
    FROM (
        SELECT DISTINCT
            status
        FROM "lacreisaude_staging_01"."lacreiid_appointment"
    ) AS raw_values
    JOIN status_map
        ON status_map.synonym_key = "lacreisaude_staging_02".normalize_text(raw_values.status)
),
modality_values AS (
    SELECT
        raw_values.type AS raw_type,
        modality_map.modality
    FROM (
        SELECT DISTINCT
            type
        FROM "lacreisaude_staging_01"."lacreiid_appointment"
    ) AS raw_values
    JOIN modality_map
        ON modality_map.synonym_key = "lacreisaude_staging_02".normalize_text(raw_values.type)
),
appointments AS (
    SELECT
        id,
        created_at,
        updated_at,
        date AS appointment_at,
        (created_at AT TIME ZONE 'America/Sao_Paulo')::date AS created_date,
        (date AT TIME ZONE 'America/Sao_Paulo')::date AS appointment_date,
        status AS raw_status,
        type AS raw_type,
        professional_id,
        user_id,
        clinic_id,
        agreement_id
    FROM "lacreisaude_staging_01"."lacreiid_appointment"
    WHERE deleted_at IS NULL
)
SELECT
    appointments.id,
    appointments.created_at,
    appointments.updated_at,
    appointments.appointment_at,
    appointments.created_date,
    appointments.appointment_date,
    coalesce(status_values.status, 'unknown') AS status,
    coalesce(modality_values.modality, 'unknown') AS modality,
    appointments.professional_id,
    appointments.user_id,
    appointments.clinic_id,
    appointments.agreement_id,
    CASE
        WHEN appointments.appointment_date >= appointments.created_date
            THEN appointments.appointment_date - appointments.created_date
    END AS waiting_time_days
FROM appointments
LEFT JOIN status_values
    ON status_values.raw_status = appointments.raw_status
LEFT JOIN modality_values
    ON modality_values.raw_type = appointments.raw_type
;
CALL "lacreisaude_pipeline".lp_materialize('upsert', 'lacreisaude_staging_02', 'lacreiid_appointment', ARRAY['id'], true, false, 'staging2.lacreiid_appointment', false, false, NULL, NULL);
DROP TABLE lp_step_rows;
COMMENT ON TABLE "lacreisaude_staging_02"."lacreiid_appointment" IS 'Appointments with status and modality normalised, local dates and waiting time.';
