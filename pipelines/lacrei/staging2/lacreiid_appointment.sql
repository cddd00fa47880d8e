-- Staging 2: lacreiid_appointment
-- Grain: one row per appointment that is not soft-deleted (key id).
-- Rule (SPEC §9.3): status and type are mapped through the status_synonyms and
-- modality_synonyms seeds by normalised text; anything else, NULL included, → 'unknown'.
-- Dates are taken in vars.timezone; waiting_time_days = appointment date − creation date in
-- whole days, negative → NULL. Soft-deleted rows are already gone from staging 1; the filter
-- on deleted_at repeats the rule where the fact is built, should extraction ever keep them.
-- appointment_key is the appointment's keyed pseudonym (SPEC §9.4), computed once per changed
-- appointment: the fact is keyed by it and finds its scope through it (indexed).
-- The distinct raw spellings (a few dozen) are normalised once, not every row.
-- Materialization: incremental with a scope (lacreiid_appointment.scope.sql): a run recomputes
-- only the appointments staging 1 changed; a changed synonym seed recomputes everything.
WITH appointments AS (
    SELECT
        id,
        created_at,
        updated_at,
        date AS appointment_at,
        {{ local_date "created_at" }} AS created_date,
        {{ local_date "date" }} AS appointment_date,
        status AS raw_status,
        type AS raw_type,
        professional_id,
        user_id,
        clinic_id,
        agreement_id
    FROM {{ ref "staging1.lacreiid_appointment" }}
    WHERE deleted_at IS NULL
    {{ if is_incremental }}
        AND id IN (SELECT scope.id FROM {{ scope }} AS scope)
    {{ end }}
),
status_map AS (
    SELECT DISTINCT ON ({{ schemas.staging2 }}.normalize_text(synonym))
        {{ schemas.staging2 }}.normalize_text(synonym) AS synonym_key,
        btrim(status) AS status
    FROM {{ ref "seeds.status_synonyms" }}
    WHERE NULLIF(btrim(status), '') IS NOT NULL
    ORDER BY {{ schemas.staging2 }}.normalize_text(synonym), btrim(status)
),
modality_map AS (
    SELECT DISTINCT ON ({{ schemas.staging2 }}.normalize_text(synonym))
        {{ schemas.staging2 }}.normalize_text(synonym) AS synonym_key,
        btrim(modality) AS modality
    FROM {{ ref "seeds.modality_synonyms" }}
    WHERE NULLIF(btrim(modality), '') IS NOT NULL
    ORDER BY {{ schemas.staging2 }}.normalize_text(synonym), btrim(modality)
),
status_values AS (
    SELECT
        raw_values.raw_status,
        status_map.status
    FROM (
        SELECT DISTINCT
            raw_status
        FROM appointments
    ) AS raw_values
    JOIN status_map
        ON status_map.synonym_key = {{ schemas.staging2 }}.normalize_text(raw_values.raw_status)
),
modality_values AS (
    SELECT
        raw_values.raw_type,
        modality_map.modality
    FROM (
        SELECT DISTINCT
            raw_type
        FROM appointments
    ) AS raw_values
    JOIN modality_map
        ON modality_map.synonym_key = {{ schemas.staging2 }}.normalize_text(raw_values.raw_type)
)
SELECT
    appointments.id,
    {{ pseudonym "appointment" "appointments.id" }} AS appointment_key,
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
