-- staging2.lacreiid_appointment (incremental): rendered as of 2025-12-01 by engine render --approve
SET LOCAL default_statistics_target = '10';
SET LOCAL jit = 'off';
SET LOCAL max_parallel_workers_per_gather = '1';
SET LOCAL parallel_setup_cost = '100';
SET LOCAL parallel_tuple_cost = '0.01';
SET LOCAL random_page_cost = '1.1';
SET LOCAL work_mem = '64MB';
SET LOCAL lacrei_pipeline.step = 'staging2.lacreiid_appointment';
-- staging2.lacreiid_appointment: incremental upsert into "lacreisaude_staging_02"."lacreiid_appointment" by (id) of the keys its scope selects from the changes of staging1.lacreiid_appointment
-- (when the table is new, a change log restarted, or its SQL or other inputs changed, the whole SELECT runs instead: render --full-refresh shows it)
CREATE TEMP TABLE lp_scope ON COMMIT DROP AS
-- Scope of staging2.lacreiid_appointment: the appointments staging 1 inserted, updated or
-- removed since this step last ran (old and new images, so a removed one is deleted here).
SELECT DISTINCT
    changed.id
FROM (SELECT r."id" FROM "lacreisaude_pipeline".changes AS c CROSS JOIN LATERAL jsonb_populate_record(NULL::"lacreisaude_staging_01"."lacreiid_appointment", c.image) AS r WHERE c.step = 'staging1.lacreiid_appointment' AND c.seq > coalesce((SELECT k.consumed FROM "lacreisaude_pipeline".change_cursors AS k WHERE k.consumer = 'staging2.lacreiid_appointment' AND k.producer = 'staging1.lacreiid_appointment'), 0)) AS changed
;
ANALYZE lp_scope;
CREATE TEMP TABLE lp_step_rows ON COMMIT DROP AS
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
        CASE WHEN created_at > '0001-01-02' AND created_at < '9999-12-31' THEN (created_at AT TIME ZONE 'America/Sao_Paulo')::date END AS created_date,
        CASE WHEN date > '0001-01-02' AND date < '9999-12-31' THEN (date AT TIME ZONE 'America/Sao_Paulo')::date END AS appointment_date,
        status AS raw_status,
        type AS raw_type,
        professional_id,
        user_id,
        clinic_id,
        agreement_id
    FROM "lacreisaude_staging_01"."lacreiid_appointment"
    WHERE deleted_at IS NULL

            AND id IN (SELECT scope.id FROM lp_scope AS scope)

),
status_map AS (
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
        raw_values.raw_status,
        status_map.status
    FROM (
        SELECT DISTINCT
            raw_status
        FROM appointments
    ) AS raw_values
    JOIN status_map
        ON status_map.synonym_key = "lacreisaude_staging_02".normalize_text(raw_values.raw_status)
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
        ON modality_map.synonym_key = "lacreisaude_staging_02".normalize_text(raw_values.raw_type)
)
SELECT
    appointments.id,
    (left(encode(sha256((SELECT "lacreisaude_pipeline".lp_pseudonym_pad(true)) || sha256((SELECT "lacreisaude_pipeline".lp_pseudonym_pad(false)) || convert_to('appointment:' || (appointments.id)::text, 'UTF8'))), 'hex'), 32) COLLATE "C") AS appointment_key,
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
SELECT "lacreisaude_pipeline".lp_change_log_columns(p_step => 'staging2.lacreiid_appointment', p_columns => ARRAY['id', 'appointment_date', 'created_date']::text[]);
DELETE FROM "lacreisaude_pipeline".changes AS c WHERE c.step = 'staging2.lacreiid_appointment' AND c.seq <= (SELECT min(k.consumed) FROM "lacreisaude_pipeline".change_cursors AS k WHERE k.producer = 'staging2.lacreiid_appointment' AND k.consumer = ANY (ARRAY['model.dim_lacreisaude_date', 'model.fact_lacreisaude_appointments']::text[]) HAVING count(*) = 2);
CALL "lacreisaude_pipeline".lp_materialize(p_mode => 'upsert', p_schema => 'lacreisaude_staging_02', p_table => 'lacreiid_appointment', p_keys => ARRAY['id'], p_step => 'staging2.lacreiid_appointment', p_rows_table => 'lp_step_rows', p_delete_missing => false, p_full_refresh => false, p_track => true, p_scope_table => 'lp_scope', p_step_setting => 'lacrei_pipeline.step', p_fillfactor => 100);
INSERT INTO "lacreisaude_pipeline".change_cursors (consumer, producer, consumed)
SELECT 'staging2.lacreiid_appointment', p.step, greatest((SELECT max(c.seq) FROM "lacreisaude_pipeline".changes AS c WHERE c.step = p.step), l.start_seq, 0)
FROM unnest(ARRAY['staging1.lacreiid_appointment']::text[]) AS p(step) LEFT JOIN "lacreisaude_pipeline".change_logs AS l ON l.step = p.step
ON CONFLICT (consumer, producer) DO UPDATE SET consumed = EXCLUDED.consumed;
DELETE FROM "lacreisaude_pipeline".changes AS c WHERE c.step = 'staging1.lacreiid_appointment' AND c.seq <= (SELECT min(k.consumed) FROM "lacreisaude_pipeline".change_cursors AS k WHERE k.producer = 'staging1.lacreiid_appointment' AND k.consumer = ANY (ARRAY['staging2.lacreiid_appointment']::text[]) HAVING count(*) = 1);
DROP TABLE lp_scope;
SELECT "lacreisaude_pipeline".lp_comments(p_kind => 'TABLE', p_table => '"lacreisaude_staging_02"."lacreiid_appointment"', p_comment => 'Appointments with status and modality normalised, local dates, waiting time and the appointment pseudonym.', p_columns => ARRAY[]::text[], p_column_comments => ARRAY[]::text[]);

-- ==== when the step recomputes everything (first run, --full-refresh, a changed input) ====
SET LOCAL default_statistics_target = '10';
SET LOCAL jit = 'off';
SET LOCAL max_parallel_workers_per_gather = '1';
SET LOCAL parallel_setup_cost = '100';
SET LOCAL parallel_tuple_cost = '0.01';
SET LOCAL random_page_cost = '1.1';
SET LOCAL work_mem = '64MB';
SET LOCAL lacrei_pipeline.step = 'staging2.lacreiid_appointment';
-- staging2.lacreiid_appointment: upsert of the whole SELECT into "lacreisaude_staging_02"."lacreiid_appointment" by (id); rows it no longer returns are deleted
CREATE TEMP TABLE lp_step_rows ON COMMIT DROP AS
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
        CASE WHEN created_at > '0001-01-02' AND created_at < '9999-12-31' THEN (created_at AT TIME ZONE 'America/Sao_Paulo')::date END AS created_date,
        CASE WHEN date > '0001-01-02' AND date < '9999-12-31' THEN (date AT TIME ZONE 'America/Sao_Paulo')::date END AS appointment_date,
        status AS raw_status,
        type AS raw_type,
        professional_id,
        user_id,
        clinic_id,
        agreement_id
    FROM "lacreisaude_staging_01"."lacreiid_appointment"
    WHERE deleted_at IS NULL

),
status_map AS (
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
        raw_values.raw_status,
        status_map.status
    FROM (
        SELECT DISTINCT
            raw_status
        FROM appointments
    ) AS raw_values
    JOIN status_map
        ON status_map.synonym_key = "lacreisaude_staging_02".normalize_text(raw_values.raw_status)
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
        ON modality_map.synonym_key = "lacreisaude_staging_02".normalize_text(raw_values.raw_type)
)
SELECT
    appointments.id,
    (left(encode(sha256((SELECT "lacreisaude_pipeline".lp_pseudonym_pad(true)) || sha256((SELECT "lacreisaude_pipeline".lp_pseudonym_pad(false)) || convert_to('appointment:' || (appointments.id)::text, 'UTF8'))), 'hex'), 32) COLLATE "C") AS appointment_key,
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
SELECT "lacreisaude_pipeline".lp_change_log_columns(p_step => 'staging2.lacreiid_appointment', p_columns => ARRAY['id', 'appointment_date', 'created_date']::text[]);
DELETE FROM "lacreisaude_pipeline".changes AS c WHERE c.step = 'staging2.lacreiid_appointment' AND c.seq <= (SELECT min(k.consumed) FROM "lacreisaude_pipeline".change_cursors AS k WHERE k.producer = 'staging2.lacreiid_appointment' AND k.consumer = ANY (ARRAY['model.dim_lacreisaude_date', 'model.fact_lacreisaude_appointments']::text[]) HAVING count(*) = 2);
CALL "lacreisaude_pipeline".lp_materialize(p_mode => 'upsert', p_schema => 'lacreisaude_staging_02', p_table => 'lacreiid_appointment', p_keys => ARRAY['id'], p_step => 'staging2.lacreiid_appointment', p_rows_table => 'lp_step_rows', p_delete_missing => true, p_full_refresh => false, p_track => true, p_step_setting => 'lacrei_pipeline.step', p_fillfactor => 100);
INSERT INTO "lacreisaude_pipeline".change_cursors (consumer, producer, consumed)
SELECT 'staging2.lacreiid_appointment', p.step, greatest((SELECT max(c.seq) FROM "lacreisaude_pipeline".changes AS c WHERE c.step = p.step), l.start_seq, 0)
FROM unnest(ARRAY['staging1.lacreiid_appointment']::text[]) AS p(step) LEFT JOIN "lacreisaude_pipeline".change_logs AS l ON l.step = p.step
ON CONFLICT (consumer, producer) DO UPDATE SET consumed = EXCLUDED.consumed;
DELETE FROM "lacreisaude_pipeline".changes AS c WHERE c.step = 'staging1.lacreiid_appointment' AND c.seq <= (SELECT min(k.consumed) FROM "lacreisaude_pipeline".change_cursors AS k WHERE k.producer = 'staging1.lacreiid_appointment' AND k.consumer = ANY (ARRAY['staging2.lacreiid_appointment']::text[]) HAVING count(*) = 1);
DROP TABLE lp_step_rows;
SELECT "lacreisaude_pipeline".lp_comments(p_kind => 'TABLE', p_table => '"lacreisaude_staging_02"."lacreiid_appointment"', p_comment => 'Appointments with status and modality normalised, local dates, waiting time and the appointment pseudonym.', p_columns => ARRAY[]::text[], p_column_comments => ARRAY[]::text[]);

-- ==== once the step has committed, in a transaction of its own while later steps run: its indexes ====
SELECT "lacreisaude_pipeline".lp_index(p_table => '"lacreisaude_staging_02"."lacreiid_appointment"', p_index => 'lacreiid_appointment_user_id_idx', p_columns => ARRAY['user_id']::text[]);
SELECT "lacreisaude_pipeline".lp_index(p_table => '"lacreisaude_staging_02"."lacreiid_appointment"', p_index => 'lacreiid_appointment_professional_id_idx', p_columns => ARRAY['professional_id']::text[]);
SELECT "lacreisaude_pipeline".lp_index(p_table => '"lacreisaude_staging_02"."lacreiid_appointment"', p_index => 'lacreiid_appointment_appointment_key_idx', p_columns => ARRAY['appointment_key']::text[]);
