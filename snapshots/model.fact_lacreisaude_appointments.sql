-- model.fact_lacreisaude_appointments (incremental): rendered as of 2025-12-01 by engine render --approve
SET LOCAL default_statistics_target = '10';
SET LOCAL jit = 'off';
SET LOCAL max_parallel_workers_per_gather = '1';
SET LOCAL parallel_setup_cost = '100';
SET LOCAL parallel_tuple_cost = '0.01';
SET LOCAL random_page_cost = '1.1';
SET LOCAL work_mem = '64MB';
SET LOCAL lacrei_pipeline.step = 'model.fact_lacreisaude_appointments';
-- model.fact_lacreisaude_appointments: incremental upsert into "lacreisaude_model"."fact_lacreisaude_appointments" by (appointment_id) of the keys its scope selects from the changes of staging2.lacreiid_appointment, staging2.lacreiid_report, staging2.lacreiid_cancellation, staging2.lacreiid_user, staging2.lacreiid_profile, model.dim_lacreisaude_clinic
-- (when the table is new, a change log restarted, or its SQL or other inputs changed, the whole SELECT runs instead: render --full-refresh shows it)
CREATE TEMP TABLE lp_scope ON COMMIT DROP AS
-- Scope of model.fact_lacreisaude_appointments: every appointment whose fact row a change
-- upstream can have touched, from the old and new images of the changed rows, as appointment
-- pseudonyms (the fact's key):
--   an appointment that changed (or left staging 2);
--   the appointment of a report or cancellation that changed (its latest one may differ);
--   the appointments of a user who came or went, or who gained or lost a profile (the fact reads
--   a user's patient_key, a function of the id, and whether the user has a profile, nothing else:
--   `changed` on the id leaves out a user or profile changed in another column, which touches no
--   fact row; a deleted user is found by its old row's id, a profile moved to another user at
--   both ends);
--   the appointments of a professional whose clinics changed (the single-clinic fallback).
-- Source ids from the change logs are hashed once each; appointments found through staging 2
-- carry their pseudonym (appointment_key).
SELECT
    (left(encode(sha256((SELECT "lacreisaude_pipeline".lp_pseudonym_pad(true)) || sha256((SELECT "lacreisaude_pipeline".lp_pseudonym_pad(false)) || convert_to('appointment:' || (changed_appointments.id)::text, 'UTF8'))), 'hex'), 32) COLLATE "C") AS appointment_id
FROM (
    SELECT
        changed.id
    FROM (SELECT r."id" FROM "lacreisaude_pipeline".changes AS c CROSS JOIN LATERAL jsonb_populate_record(NULL::"lacreisaude_staging_02"."lacreiid_appointment", c.image) AS r WHERE c.step = 'staging2.lacreiid_appointment' AND c.seq > coalesce((SELECT k.consumed FROM "lacreisaude_pipeline".change_cursors AS k WHERE k.consumer = 'model.fact_lacreisaude_appointments' AND k.producer = 'staging2.lacreiid_appointment'), 0)) AS changed
    UNION
    SELECT
        changed.appointment_id
    FROM (SELECT r."id", r."appointment_id" FROM "lacreisaude_pipeline".changes AS c CROSS JOIN LATERAL jsonb_populate_record(NULL::"lacreisaude_staging_02"."lacreiid_report", c.image) AS r WHERE c.step = 'staging2.lacreiid_report' AND c.seq > coalesce((SELECT k.consumed FROM "lacreisaude_pipeline".change_cursors AS k WHERE k.consumer = 'model.fact_lacreisaude_appointments' AND k.producer = 'staging2.lacreiid_report'), 0) AND NOT c.key_only UNION ALL SELECT n."id", n."appointment_id" FROM (SELECT latest."id", latest."appointment_id" FROM (SELECT DISTINCT ON (a."id") c.after IS NULL AS lp_gone, a."id", a."appointment_id" FROM "lacreisaude_pipeline".changes AS c CROSS JOIN LATERAL jsonb_populate_record(NULL::"lacreisaude_staging_02"."lacreiid_report", coalesce(c.after, c.image)) AS a WHERE c.step = 'staging2.lacreiid_report' AND c.seq > coalesce((SELECT k.consumed FROM "lacreisaude_pipeline".change_cursors AS k WHERE k.consumer = 'model.fact_lacreisaude_appointments' AND k.producer = 'staging2.lacreiid_report'), 0) ORDER BY a."id", c.seq DESC) AS latest WHERE NOT latest.lp_gone) AS n) AS changed
    WHERE changed.appointment_id IS NOT NULL
    UNION
    SELECT
        changed.appointment_id
    FROM (SELECT r."id", r."appointment_id" FROM "lacreisaude_pipeline".changes AS c CROSS JOIN LATERAL jsonb_populate_record(NULL::"lacreisaude_staging_02"."lacreiid_cancellation", c.image) AS r WHERE c.step = 'staging2.lacreiid_cancellation' AND c.seq > coalesce((SELECT k.consumed FROM "lacreisaude_pipeline".change_cursors AS k WHERE k.consumer = 'model.fact_lacreisaude_appointments' AND k.producer = 'staging2.lacreiid_cancellation'), 0) AND NOT c.key_only UNION ALL SELECT n."id", n."appointment_id" FROM (SELECT latest."id", latest."appointment_id" FROM (SELECT DISTINCT ON (a."id") c.after IS NULL AS lp_gone, a."id", a."appointment_id" FROM "lacreisaude_pipeline".changes AS c CROSS JOIN LATERAL jsonb_populate_record(NULL::"lacreisaude_staging_02"."lacreiid_cancellation", coalesce(c.after, c.image)) AS a WHERE c.step = 'staging2.lacreiid_cancellation' AND c.seq > coalesce((SELECT k.consumed FROM "lacreisaude_pipeline".change_cursors AS k WHERE k.consumer = 'model.fact_lacreisaude_appointments' AND k.producer = 'staging2.lacreiid_cancellation'), 0) ORDER BY a."id", c.seq DESC) AS latest WHERE NOT latest.lp_gone) AS n) AS changed
    WHERE changed.appointment_id IS NOT NULL
) AS changed_appointments
UNION
SELECT
    appointment.appointment_key
FROM "lacreisaude_staging_02"."lacreiid_appointment" AS appointment
JOIN (
    SELECT
        changed.id AS user_id
    FROM (WITH lp_logged AS (SELECT c.key_only, r."id" FROM "lacreisaude_pipeline".changes AS c CROSS JOIN LATERAL jsonb_populate_record(NULL::"lacreisaude_staging_02"."lacreiid_user", c.image) AS r WHERE c.step = 'staging2.lacreiid_user' AND c.seq > coalesce((SELECT k.consumed FROM "lacreisaude_pipeline".change_cursors AS k WHERE k.consumer = 'model.fact_lacreisaude_appointments' AND k.producer = 'staging2.lacreiid_user'), 0)), lp_moved AS (SELECT DISTINCT l."id" FROM lp_logged AS l WHERE l.key_only OR NOT EXISTS (SELECT 1 FROM "lacreisaude_staging_02"."lacreiid_user" AS t WHERE t."id" = l."id" AND (t."id") IS NOT DISTINCT FROM (l."id"))) SELECT l."id" FROM lp_logged AS l WHERE NOT l.key_only AND (l."id") IN (SELECT m."id" FROM lp_moved AS m) UNION ALL SELECT t."id" FROM "lacreisaude_staging_02"."lacreiid_user" AS t WHERE (t."id") IN (SELECT m."id" FROM lp_moved AS m)) AS changed
    UNION
    SELECT
        changed.user_id
    FROM (WITH lp_logged AS (SELECT c.key_only, r."id", r."user_id" FROM "lacreisaude_pipeline".changes AS c CROSS JOIN LATERAL jsonb_populate_record(NULL::"lacreisaude_staging_02"."lacreiid_profile", c.image) AS r WHERE c.step = 'staging2.lacreiid_profile' AND c.seq > coalesce((SELECT k.consumed FROM "lacreisaude_pipeline".change_cursors AS k WHERE k.consumer = 'model.fact_lacreisaude_appointments' AND k.producer = 'staging2.lacreiid_profile'), 0)), lp_moved AS (SELECT DISTINCT l."id" FROM lp_logged AS l WHERE l.key_only OR NOT EXISTS (SELECT 1 FROM "lacreisaude_staging_02"."lacreiid_profile" AS t WHERE t."id" = l."id" AND (t."user_id") IS NOT DISTINCT FROM (l."user_id"))) SELECT l."id", l."user_id" FROM lp_logged AS l WHERE NOT l.key_only AND (l."id") IN (SELECT m."id" FROM lp_moved AS m) UNION ALL SELECT t."id", t."user_id" FROM "lacreisaude_staging_02"."lacreiid_profile" AS t WHERE (t."id") IN (SELECT m."id" FROM lp_moved AS m)) AS changed
    WHERE changed.user_id IS NOT NULL
) AS changed_users
    ON changed_users.user_id = appointment.user_id
UNION
SELECT
    appointment.appointment_key
FROM "lacreisaude_staging_02"."lacreiid_appointment" AS appointment
JOIN (
    SELECT DISTINCT
        professional_id
    FROM (SELECT r."clinic_id", r."professional_id" FROM "lacreisaude_pipeline".changes AS c CROSS JOIN LATERAL jsonb_populate_record(NULL::"lacreisaude_model"."dim_lacreisaude_clinic", c.image) AS r WHERE c.step = 'model.dim_lacreisaude_clinic' AND c.seq > coalesce((SELECT k.consumed FROM "lacreisaude_pipeline".change_cursors AS k WHERE k.consumer = 'model.fact_lacreisaude_appointments' AND k.producer = 'model.dim_lacreisaude_clinic'), 0) AND NOT c.key_only UNION ALL SELECT n."clinic_id", n."professional_id" FROM (SELECT latest."clinic_id", latest."professional_id" FROM (SELECT DISTINCT ON (a."clinic_id") c.after IS NULL AS lp_gone, a."clinic_id", a."professional_id" FROM "lacreisaude_pipeline".changes AS c CROSS JOIN LATERAL jsonb_populate_record(NULL::"lacreisaude_model"."dim_lacreisaude_clinic", coalesce(c.after, c.image)) AS a WHERE c.step = 'model.dim_lacreisaude_clinic' AND c.seq > coalesce((SELECT k.consumed FROM "lacreisaude_pipeline".change_cursors AS k WHERE k.consumer = 'model.fact_lacreisaude_appointments' AND k.producer = 'model.dim_lacreisaude_clinic'), 0) ORDER BY a."clinic_id", c.seq DESC) AS latest WHERE NOT latest.lp_gone) AS n) AS changed_rows
) AS changed
    ON changed.professional_id = appointment.professional_id
;
ANALYZE lp_scope;
CREATE TEMP TABLE lp_step_rows ON COMMIT DROP AS
-- Model: fact_lacreisaude_appointments
-- Grain: one row per appointment whose deleted_at is NULL (key appointment_id).
-- Rule (SPEC §9.4):
--   appointment_id  the appointment's keyed pseudonym (staging 2's appointment_key);
--   patient_id   the user's pseudonym when the user is a patient (a user with at least one
--                profile, as in dim_lacreisaude_patient), else NULL;
--   clinic_id    the appointment's own; else the professional's only clinic that serves the
--                modality (is_online for online, is_presential for in person); else NULL;
--   report_id, rating  the latest report by created_at, then highest source id, and its rating
--                even when NULL (an older valid rating is not used); report_id is its pseudonym;
--   cancellation_id    the latest cancellation likewise, as its pseudonym;
--   is_cancelled = status 'cancelled' or a cancellation exists; is_completed = status
--   'completed' and not cancelled; is_no_show = status 'no_show' and not cancelled.
-- The latest report and cancellation are chosen in staging 2, where the source ids that break
-- ties are; only the chosen ones are hashed. Patients are read from staging 2 too (patient_key),
-- so the fact does not recompute everything when a patient's attributes change.
-- Date keys are YYYYMMDD of the dates in vars.timezone (staging 2); every one is in
-- dim_lacreisaude_date, which is widened to the data.
-- Materialization: incremental with a scope (fact_lacreisaude_appointments.scope.sql): a run
-- recomputes only the appointments that a change upstream can have touched (found by the index
-- on appointment_key), with the same rules as a rebuild; the reports and cancellations read are
-- those of these appointments.
WITH single_modality_clinics AS (
    SELECT
        professional_id,
        'online' AS modality,
        min(clinic_id) AS clinic_id
    FROM "lacreisaude_model"."dim_lacreisaude_clinic"
    WHERE is_online
        AND professional_id IS NOT NULL
    GROUP BY professional_id
    HAVING count(*) = 1
    UNION ALL
    SELECT
        professional_id,
        'in_person' AS modality,
        min(clinic_id) AS clinic_id
    FROM "lacreisaude_model"."dim_lacreisaude_clinic"
    WHERE is_presential
        AND professional_id IS NOT NULL
    GROUP BY professional_id
    HAVING count(*) = 1
),
scoped_appointments AS (
    SELECT
        id,
        appointment_key,
        user_id,
        professional_id,
        clinic_id,
        created_date,
        appointment_date,
        status,
        modality,
        waiting_time_days
    FROM "lacreisaude_staging_02"."lacreiid_appointment"

        WHERE appointment_key IN (SELECT scope.appointment_id FROM lp_scope AS scope)

),
latest_reports AS (
    SELECT DISTINCT ON (report.appointment_id)
        report.appointment_id,
        report.id,
        report.rating
    FROM "lacreisaude_staging_02"."lacreiid_report" AS report

        WHERE report.appointment_id IN (SELECT scoped_appointments.id FROM scoped_appointments)

    ORDER BY report.appointment_id, report.created_at DESC, report.id DESC
),
latest_cancellations AS (
    SELECT DISTINCT ON (cancellation.appointment_id)
        cancellation.appointment_id,
        cancellation.id
    FROM "lacreisaude_staging_02"."lacreiid_cancellation" AS cancellation

        WHERE cancellation.appointment_id IN (SELECT scoped_appointments.id FROM scoped_appointments)

    ORDER BY cancellation.appointment_id, cancellation.created_at DESC, cancellation.id DESC
),
patient_users AS (
    SELECT DISTINCT
        profile.user_id
    FROM "lacreisaude_staging_02"."lacreiid_profile" AS profile
    WHERE profile.user_id IS NOT NULL

            AND profile.user_id IN (SELECT scoped_appointments.user_id FROM scoped_appointments)

),
appointments AS (
    SELECT
        appointment.appointment_key AS appointment_id,
        CASE WHEN patient_users.user_id IS NOT NULL THEN users.patient_key END AS patient_id,
        appointment.professional_id,
        coalesce(appointment.clinic_id, single_modality_clinics.clinic_id) AS clinic_id,
        (left(encode(sha256((SELECT "lacreisaude_pipeline".lp_pseudonym_pad(true)) || sha256((SELECT "lacreisaude_pipeline".lp_pseudonym_pad(false)) || convert_to('report:' || (latest_reports.id)::text, 'UTF8'))), 'hex'), 32) COLLATE "C") AS report_id,
        latest_reports.rating,
        (left(encode(sha256((SELECT "lacreisaude_pipeline".lp_pseudonym_pad(true)) || sha256((SELECT "lacreisaude_pipeline".lp_pseudonym_pad(false)) || convert_to('cancellation:' || (latest_cancellations.id)::text, 'UTF8'))), 'hex'), 32) COLLATE "C") AS cancellation_id,
        appointment.created_date,
        appointment.appointment_date,
        appointment.status,
        appointment.modality,
        (appointment.status = 'cancelled' OR latest_cancellations.id IS NOT NULL) AS is_cancelled,
        appointment.waiting_time_days
    FROM scoped_appointments AS appointment
    LEFT JOIN "lacreisaude_staging_02"."lacreiid_user" AS users
        ON users.id = appointment.user_id
    LEFT JOIN patient_users
        ON patient_users.user_id = appointment.user_id
    LEFT JOIN single_modality_clinics
        ON single_modality_clinics.professional_id = appointment.professional_id
        AND single_modality_clinics.modality = appointment.modality
    LEFT JOIN latest_reports
        ON latest_reports.appointment_id = appointment.id
    LEFT JOIN latest_cancellations
        ON latest_cancellations.appointment_id = appointment.id
)
SELECT
    appointment_id,
    patient_id,
    professional_id,
    clinic_id,
    report_id,
    rating,
    cancellation_id,
    -- date_part, not EXTRACT: the same whole numbers as a double instead of a numeric, at a third
    -- of the cost (EXTRACT's numeric arithmetic took ~0.9 s of this step at 1,000,000 rows).
    (date_part('year', created_date) * 10000
        + date_part('month', created_date) * 100
        + date_part('day', created_date))::integer AS created_date_id,
    (date_part('year', appointment_date) * 10000
        + date_part('month', appointment_date) * 100
        + date_part('day', appointment_date))::integer AS appointment_date_id,
    status,
    modality,
    is_cancelled,
    (status = 'completed' AND NOT is_cancelled) AS is_completed,
    (status = 'no_show' AND NOT is_cancelled) AS is_no_show,
    waiting_time_days
FROM appointments
;
SELECT "lacreisaude_pipeline".lp_change_log_columns(p_step => 'model.fact_lacreisaude_appointments', p_columns => ARRAY['appointment_id', 'appointment_date_id', 'is_cancelled', 'is_completed', 'is_no_show', 'modality', 'professional_id', 'waiting_time_days']::text[]);
DELETE FROM "lacreisaude_pipeline".changes AS c WHERE c.step = 'model.fact_lacreisaude_appointments' AND c.seq <= (SELECT min(k.consumed) FROM "lacreisaude_pipeline".change_cursors AS k WHERE k.producer = 'model.fact_lacreisaude_appointments' AND k.consumer = ANY (ARRAY['mart.professionals', 'model.fact_lacreisaude_professional_months']::text[]) HAVING count(*) = 2);
CALL "lacreisaude_pipeline".lp_materialize(p_mode => 'upsert', p_schema => 'lacreisaude_model', p_table => 'fact_lacreisaude_appointments', p_keys => ARRAY['appointment_id'], p_step => 'model.fact_lacreisaude_appointments', p_rows_table => 'lp_step_rows', p_delete_missing => false, p_full_refresh => false, p_track => true, p_scope_table => 'lp_scope', p_step_setting => 'lacrei_pipeline.step', p_fillfactor => 100);
INSERT INTO "lacreisaude_pipeline".change_cursors (consumer, producer, consumed)
SELECT 'model.fact_lacreisaude_appointments', p.step, greatest((SELECT max(c.seq) FROM "lacreisaude_pipeline".changes AS c WHERE c.step = p.step), l.start_seq, 0)
FROM unnest(ARRAY['model.dim_lacreisaude_clinic', 'staging2.lacreiid_appointment', 'staging2.lacreiid_cancellation', 'staging2.lacreiid_profile', 'staging2.lacreiid_report', 'staging2.lacreiid_user']::text[]) AS p(step) LEFT JOIN "lacreisaude_pipeline".change_logs AS l ON l.step = p.step
ON CONFLICT (consumer, producer) DO UPDATE SET consumed = EXCLUDED.consumed;
DELETE FROM "lacreisaude_pipeline".changes AS c WHERE c.step = 'model.dim_lacreisaude_clinic' AND c.seq <= (SELECT min(k.consumed) FROM "lacreisaude_pipeline".change_cursors AS k WHERE k.producer = 'model.dim_lacreisaude_clinic' AND k.consumer = ANY (ARRAY['model.fact_lacreisaude_appointments']::text[]) HAVING count(*) = 1);
DELETE FROM "lacreisaude_pipeline".changes AS c WHERE c.step = 'staging2.lacreiid_appointment' AND c.seq <= (SELECT min(k.consumed) FROM "lacreisaude_pipeline".change_cursors AS k WHERE k.producer = 'staging2.lacreiid_appointment' AND k.consumer = ANY (ARRAY['model.dim_lacreisaude_date', 'model.fact_lacreisaude_appointments']::text[]) HAVING count(*) = 2);
DELETE FROM "lacreisaude_pipeline".changes AS c WHERE c.step = 'staging2.lacreiid_cancellation' AND c.seq <= (SELECT min(k.consumed) FROM "lacreisaude_pipeline".change_cursors AS k WHERE k.producer = 'staging2.lacreiid_cancellation' AND k.consumer = ANY (ARRAY['model.dim_lacreisaude_date', 'model.fact_lacreisaude_appointments']::text[]) HAVING count(*) = 2);
DELETE FROM "lacreisaude_pipeline".changes AS c WHERE c.step = 'staging2.lacreiid_profile' AND c.seq <= (SELECT min(k.consumed) FROM "lacreisaude_pipeline".change_cursors AS k WHERE k.producer = 'staging2.lacreiid_profile' AND k.consumer = ANY (ARRAY['model.dim_lacreisaude_patient', 'model.fact_lacreisaude_appointments']::text[]) HAVING count(*) = 2);
DELETE FROM "lacreisaude_pipeline".changes AS c WHERE c.step = 'staging2.lacreiid_report' AND c.seq <= (SELECT min(k.consumed) FROM "lacreisaude_pipeline".change_cursors AS k WHERE k.producer = 'staging2.lacreiid_report' AND k.consumer = ANY (ARRAY['model.dim_lacreisaude_date', 'model.fact_lacreisaude_appointments']::text[]) HAVING count(*) = 2);
DELETE FROM "lacreisaude_pipeline".changes AS c WHERE c.step = 'staging2.lacreiid_user' AND c.seq <= (SELECT min(k.consumed) FROM "lacreisaude_pipeline".change_cursors AS k WHERE k.producer = 'staging2.lacreiid_user' AND k.consumer = ANY (ARRAY['model.dim_lacreisaude_date', 'model.dim_lacreisaude_patient', 'model.fact_lacreisaude_appointments']::text[]) HAVING count(*) = 3);
DROP TABLE lp_scope;
SELECT "lacreisaude_pipeline".lp_comments(p_kind => 'TABLE', p_table => '"lacreisaude_model"."fact_lacreisaude_appointments"', p_comment => 'One row per appointment that is not soft-deleted, with its clinic, latest report and cancellation, and outcome flags.', p_columns => ARRAY[]::text[], p_column_comments => ARRAY[]::text[]);

-- ==== when the step recomputes everything (first run, --full-refresh, a changed input) ====
SET LOCAL default_statistics_target = '10';
SET LOCAL jit = 'off';
SET LOCAL max_parallel_workers_per_gather = '1';
SET LOCAL parallel_setup_cost = '100';
SET LOCAL parallel_tuple_cost = '0.01';
SET LOCAL random_page_cost = '1.1';
SET LOCAL work_mem = '64MB';
SET LOCAL lacrei_pipeline.step = 'model.fact_lacreisaude_appointments';
-- model.fact_lacreisaude_appointments: upsert of the whole SELECT into "lacreisaude_model"."fact_lacreisaude_appointments" by (appointment_id); rows it no longer returns are deleted
CREATE TEMP TABLE lp_step_rows ON COMMIT DROP AS
-- Model: fact_lacreisaude_appointments
-- Grain: one row per appointment whose deleted_at is NULL (key appointment_id).
-- Rule (SPEC §9.4):
--   appointment_id  the appointment's keyed pseudonym (staging 2's appointment_key);
--   patient_id   the user's pseudonym when the user is a patient (a user with at least one
--                profile, as in dim_lacreisaude_patient), else NULL;
--   clinic_id    the appointment's own; else the professional's only clinic that serves the
--                modality (is_online for online, is_presential for in person); else NULL;
--   report_id, rating  the latest report by created_at, then highest source id, and its rating
--                even when NULL (an older valid rating is not used); report_id is its pseudonym;
--   cancellation_id    the latest cancellation likewise, as its pseudonym;
--   is_cancelled = status 'cancelled' or a cancellation exists; is_completed = status
--   'completed' and not cancelled; is_no_show = status 'no_show' and not cancelled.
-- The latest report and cancellation are chosen in staging 2, where the source ids that break
-- ties are; only the chosen ones are hashed. Patients are read from staging 2 too (patient_key),
-- so the fact does not recompute everything when a patient's attributes change.
-- Date keys are YYYYMMDD of the dates in vars.timezone (staging 2); every one is in
-- dim_lacreisaude_date, which is widened to the data.
-- Materialization: incremental with a scope (fact_lacreisaude_appointments.scope.sql): a run
-- recomputes only the appointments that a change upstream can have touched (found by the index
-- on appointment_key), with the same rules as a rebuild; the reports and cancellations read are
-- those of these appointments.
WITH single_modality_clinics AS (
    SELECT
        professional_id,
        'online' AS modality,
        min(clinic_id) AS clinic_id
    FROM "lacreisaude_model"."dim_lacreisaude_clinic"
    WHERE is_online
        AND professional_id IS NOT NULL
    GROUP BY professional_id
    HAVING count(*) = 1
    UNION ALL
    SELECT
        professional_id,
        'in_person' AS modality,
        min(clinic_id) AS clinic_id
    FROM "lacreisaude_model"."dim_lacreisaude_clinic"
    WHERE is_presential
        AND professional_id IS NOT NULL
    GROUP BY professional_id
    HAVING count(*) = 1
),
scoped_appointments AS (
    SELECT
        id,
        appointment_key,
        user_id,
        professional_id,
        clinic_id,
        created_date,
        appointment_date,
        status,
        modality,
        waiting_time_days
    FROM "lacreisaude_staging_02"."lacreiid_appointment"

),
latest_reports AS (
    SELECT DISTINCT ON (report.appointment_id)
        report.appointment_id,
        report.id,
        report.rating
    FROM "lacreisaude_staging_02"."lacreiid_report" AS report

    ORDER BY report.appointment_id, report.created_at DESC, report.id DESC
),
latest_cancellations AS (
    SELECT DISTINCT ON (cancellation.appointment_id)
        cancellation.appointment_id,
        cancellation.id
    FROM "lacreisaude_staging_02"."lacreiid_cancellation" AS cancellation

    ORDER BY cancellation.appointment_id, cancellation.created_at DESC, cancellation.id DESC
),
patient_users AS (
    SELECT DISTINCT
        profile.user_id
    FROM "lacreisaude_staging_02"."lacreiid_profile" AS profile
    WHERE profile.user_id IS NOT NULL

),
appointments AS (
    SELECT
        appointment.appointment_key AS appointment_id,
        CASE WHEN patient_users.user_id IS NOT NULL THEN users.patient_key END AS patient_id,
        appointment.professional_id,
        coalesce(appointment.clinic_id, single_modality_clinics.clinic_id) AS clinic_id,
        (left(encode(sha256((SELECT "lacreisaude_pipeline".lp_pseudonym_pad(true)) || sha256((SELECT "lacreisaude_pipeline".lp_pseudonym_pad(false)) || convert_to('report:' || (latest_reports.id)::text, 'UTF8'))), 'hex'), 32) COLLATE "C") AS report_id,
        latest_reports.rating,
        (left(encode(sha256((SELECT "lacreisaude_pipeline".lp_pseudonym_pad(true)) || sha256((SELECT "lacreisaude_pipeline".lp_pseudonym_pad(false)) || convert_to('cancellation:' || (latest_cancellations.id)::text, 'UTF8'))), 'hex'), 32) COLLATE "C") AS cancellation_id,
        appointment.created_date,
        appointment.appointment_date,
        appointment.status,
        appointment.modality,
        (appointment.status = 'cancelled' OR latest_cancellations.id IS NOT NULL) AS is_cancelled,
        appointment.waiting_time_days
    FROM scoped_appointments AS appointment
    LEFT JOIN "lacreisaude_staging_02"."lacreiid_user" AS users
        ON users.id = appointment.user_id
    LEFT JOIN patient_users
        ON patient_users.user_id = appointment.user_id
    LEFT JOIN single_modality_clinics
        ON single_modality_clinics.professional_id = appointment.professional_id
        AND single_modality_clinics.modality = appointment.modality
    LEFT JOIN latest_reports
        ON latest_reports.appointment_id = appointment.id
    LEFT JOIN latest_cancellations
        ON latest_cancellations.appointment_id = appointment.id
)
SELECT
    appointment_id,
    patient_id,
    professional_id,
    clinic_id,
    report_id,
    rating,
    cancellation_id,
    -- date_part, not EXTRACT: the same whole numbers as a double instead of a numeric, at a third
    -- of the cost (EXTRACT's numeric arithmetic took ~0.9 s of this step at 1,000,000 rows).
    (date_part('year', created_date) * 10000
        + date_part('month', created_date) * 100
        + date_part('day', created_date))::integer AS created_date_id,
    (date_part('year', appointment_date) * 10000
        + date_part('month', appointment_date) * 100
        + date_part('day', appointment_date))::integer AS appointment_date_id,
    status,
    modality,
    is_cancelled,
    (status = 'completed' AND NOT is_cancelled) AS is_completed,
    (status = 'no_show' AND NOT is_cancelled) AS is_no_show,
    waiting_time_days
FROM appointments
;
SELECT "lacreisaude_pipeline".lp_change_log_columns(p_step => 'model.fact_lacreisaude_appointments', p_columns => ARRAY['appointment_id', 'appointment_date_id', 'is_cancelled', 'is_completed', 'is_no_show', 'modality', 'professional_id', 'waiting_time_days']::text[]);
DELETE FROM "lacreisaude_pipeline".changes AS c WHERE c.step = 'model.fact_lacreisaude_appointments' AND c.seq <= (SELECT min(k.consumed) FROM "lacreisaude_pipeline".change_cursors AS k WHERE k.producer = 'model.fact_lacreisaude_appointments' AND k.consumer = ANY (ARRAY['mart.professionals', 'model.fact_lacreisaude_professional_months']::text[]) HAVING count(*) = 2);
CALL "lacreisaude_pipeline".lp_materialize(p_mode => 'upsert', p_schema => 'lacreisaude_model', p_table => 'fact_lacreisaude_appointments', p_keys => ARRAY['appointment_id'], p_step => 'model.fact_lacreisaude_appointments', p_rows_table => 'lp_step_rows', p_delete_missing => true, p_full_refresh => false, p_track => true, p_step_setting => 'lacrei_pipeline.step', p_fillfactor => 100);
INSERT INTO "lacreisaude_pipeline".change_cursors (consumer, producer, consumed)
SELECT 'model.fact_lacreisaude_appointments', p.step, greatest((SELECT max(c.seq) FROM "lacreisaude_pipeline".changes AS c WHERE c.step = p.step), l.start_seq, 0)
FROM unnest(ARRAY['model.dim_lacreisaude_clinic', 'staging2.lacreiid_appointment', 'staging2.lacreiid_cancellation', 'staging2.lacreiid_profile', 'staging2.lacreiid_report', 'staging2.lacreiid_user']::text[]) AS p(step) LEFT JOIN "lacreisaude_pipeline".change_logs AS l ON l.step = p.step
ON CONFLICT (consumer, producer) DO UPDATE SET consumed = EXCLUDED.consumed;
DELETE FROM "lacreisaude_pipeline".changes AS c WHERE c.step = 'model.dim_lacreisaude_clinic' AND c.seq <= (SELECT min(k.consumed) FROM "lacreisaude_pipeline".change_cursors AS k WHERE k.producer = 'model.dim_lacreisaude_clinic' AND k.consumer = ANY (ARRAY['model.fact_lacreisaude_appointments']::text[]) HAVING count(*) = 1);
DELETE FROM "lacreisaude_pipeline".changes AS c WHERE c.step = 'staging2.lacreiid_appointment' AND c.seq <= (SELECT min(k.consumed) FROM "lacreisaude_pipeline".change_cursors AS k WHERE k.producer = 'staging2.lacreiid_appointment' AND k.consumer = ANY (ARRAY['model.dim_lacreisaude_date', 'model.fact_lacreisaude_appointments']::text[]) HAVING count(*) = 2);
DELETE FROM "lacreisaude_pipeline".changes AS c WHERE c.step = 'staging2.lacreiid_cancellation' AND c.seq <= (SELECT min(k.consumed) FROM "lacreisaude_pipeline".change_cursors AS k WHERE k.producer = 'staging2.lacreiid_cancellation' AND k.consumer = ANY (ARRAY['model.dim_lacreisaude_date', 'model.fact_lacreisaude_appointments']::text[]) HAVING count(*) = 2);
DELETE FROM "lacreisaude_pipeline".changes AS c WHERE c.step = 'staging2.lacreiid_profile' AND c.seq <= (SELECT min(k.consumed) FROM "lacreisaude_pipeline".change_cursors AS k WHERE k.producer = 'staging2.lacreiid_profile' AND k.consumer = ANY (ARRAY['model.dim_lacreisaude_patient', 'model.fact_lacreisaude_appointments']::text[]) HAVING count(*) = 2);
DELETE FROM "lacreisaude_pipeline".changes AS c WHERE c.step = 'staging2.lacreiid_report' AND c.seq <= (SELECT min(k.consumed) FROM "lacreisaude_pipeline".change_cursors AS k WHERE k.producer = 'staging2.lacreiid_report' AND k.consumer = ANY (ARRAY['model.dim_lacreisaude_date', 'model.fact_lacreisaude_appointments']::text[]) HAVING count(*) = 2);
DELETE FROM "lacreisaude_pipeline".changes AS c WHERE c.step = 'staging2.lacreiid_user' AND c.seq <= (SELECT min(k.consumed) FROM "lacreisaude_pipeline".change_cursors AS k WHERE k.producer = 'staging2.lacreiid_user' AND k.consumer = ANY (ARRAY['model.dim_lacreisaude_date', 'model.dim_lacreisaude_patient', 'model.fact_lacreisaude_appointments']::text[]) HAVING count(*) = 3);
DROP TABLE lp_step_rows;
SELECT "lacreisaude_pipeline".lp_comments(p_kind => 'TABLE', p_table => '"lacreisaude_model"."fact_lacreisaude_appointments"', p_comment => 'One row per appointment that is not soft-deleted, with its clinic, latest report and cancellation, and outcome flags.', p_columns => ARRAY[]::text[], p_column_comments => ARRAY[]::text[]);

-- ==== once the step has committed, in a transaction of its own while later steps run: its indexes ====
SELECT "lacreisaude_pipeline".lp_index(p_table => '"lacreisaude_model"."fact_lacreisaude_appointments"', p_index => 'fact_lacreisaude_appointments_professional_id_appo_c0d2b47c_idx', p_columns => ARRAY['professional_id', 'appointment_date_id']::text[]);

-- ==== data test unique(appointment_id) (error): offending rows ====
SELECT "appointment_id", count(*) AS duplicates FROM "lacreisaude_model"."fact_lacreisaude_appointments" GROUP BY "appointment_id" HAVING count(*) > 1

-- ==== data test not_null(appointment_id, status, modality) (error): offending rows ====
SELECT * FROM "lacreisaude_model"."fact_lacreisaude_appointments" WHERE "appointment_id" IS NULL OR "status" IS NULL OR "modality" IS NULL

-- ==== data test accepted_values(status) (error): offending rows ====
SELECT "status", count(*) AS rows FROM "lacreisaude_model"."fact_lacreisaude_appointments" WHERE "status" IS NOT NULL AND "status"::text NOT IN ('completed', 'cancelled', 'scheduled', 'no_show', 'unknown') GROUP BY "status"

-- ==== data test accepted_values(modality) (error): offending rows ====
SELECT "modality", count(*) AS rows FROM "lacreisaude_model"."fact_lacreisaude_appointments" WHERE "modality" IS NOT NULL AND "modality"::text NOT IN ('online', 'in_person', 'unknown') GROUP BY "modality"

-- ==== data test relationships(patient_id → model.dim_lacreisaude_patient) (error): offending rows ====
SELECT "patient_id", count(*) AS rows FROM "lacreisaude_model"."fact_lacreisaude_appointments" AS child WHERE "patient_id" IS NOT NULL AND NOT EXISTS (SELECT 1 FROM "lacreisaude_model"."dim_lacreisaude_patient" AS parent WHERE parent."patient_id" = child."patient_id") GROUP BY "patient_id"

-- ==== data test relationships(professional_id → model.dim_lacreisaude_professional) (error): offending rows ====
SELECT "professional_id", count(*) AS rows FROM "lacreisaude_model"."fact_lacreisaude_appointments" AS child WHERE "professional_id" IS NOT NULL AND NOT EXISTS (SELECT 1 FROM "lacreisaude_model"."dim_lacreisaude_professional" AS parent WHERE parent."professional_id" = child."professional_id") GROUP BY "professional_id"

-- ==== data test relationships(clinic_id → model.dim_lacreisaude_clinic) (error): offending rows ====
SELECT "clinic_id", count(*) AS rows FROM "lacreisaude_model"."fact_lacreisaude_appointments" AS child WHERE "clinic_id" IS NOT NULL AND NOT EXISTS (SELECT 1 FROM "lacreisaude_model"."dim_lacreisaude_clinic" AS parent WHERE parent."clinic_id" = child."clinic_id") GROUP BY "clinic_id"

-- ==== data test relationships(report_id → model.dim_lacreisaude_report) (error): offending rows ====
SELECT "report_id", count(*) AS rows FROM "lacreisaude_model"."fact_lacreisaude_appointments" AS child WHERE "report_id" IS NOT NULL AND NOT EXISTS (SELECT 1 FROM "lacreisaude_model"."dim_lacreisaude_report" AS parent WHERE parent."report_id" = child."report_id") GROUP BY "report_id"

-- ==== data test relationships(cancellation_id → model.dim_lacreisaude_cancellation) (error): offending rows ====
SELECT "cancellation_id", count(*) AS rows FROM "lacreisaude_model"."fact_lacreisaude_appointments" AS child WHERE "cancellation_id" IS NOT NULL AND NOT EXISTS (SELECT 1 FROM "lacreisaude_model"."dim_lacreisaude_cancellation" AS parent WHERE parent."cancellation_id" = child."cancellation_id") GROUP BY "cancellation_id"

-- ==== data test relationships(created_date_id → model.dim_lacreisaude_date) (error): offending rows ====
SELECT "created_date_id", count(*) AS rows FROM "lacreisaude_model"."fact_lacreisaude_appointments" AS child WHERE "created_date_id" IS NOT NULL AND NOT EXISTS (SELECT 1 FROM "lacreisaude_model"."dim_lacreisaude_date" AS parent WHERE parent."date_id" = child."created_date_id") GROUP BY "created_date_id"

-- ==== data test relationships(appointment_date_id → model.dim_lacreisaude_date) (error): offending rows ====
SELECT "appointment_date_id", count(*) AS rows FROM "lacreisaude_model"."fact_lacreisaude_appointments" AS child WHERE "appointment_date_id" IS NOT NULL AND NOT EXISTS (SELECT 1 FROM "lacreisaude_model"."dim_lacreisaude_date" AS parent WHERE parent."date_id" = child."appointment_date_id") GROUP BY "appointment_date_id"

-- ==== data test completed_is_not_cancelled (error): offending rows ====
SELECT * FROM "lacreisaude_model"."fact_lacreisaude_appointments" WHERE NOT (NOT (is_completed AND is_cancelled))

-- ==== data test waiting_time_not_negative (error): offending rows ====
SELECT * FROM "lacreisaude_model"."fact_lacreisaude_appointments" WHERE NOT (waiting_time_days >= 0)

-- ==== data tests not_null(appointment_id, status, modality), accepted_values(status), accepted_values(modality), completed_is_not_cancelled, waiting_time_not_negative in one pass (a test with offending rows then runs its own query) ====
SELECT
    count(*) FILTER (WHERE "appointment_id" IS NULL OR "status" IS NULL OR "modality" IS NULL) AS lp_test_1,
    count(*) FILTER (WHERE "status" IS NOT NULL AND "status"::text NOT IN ('completed', 'cancelled', 'scheduled', 'no_show', 'unknown')) AS lp_test_2,
    count(*) FILTER (WHERE "modality" IS NOT NULL AND "modality"::text NOT IN ('online', 'in_person', 'unknown')) AS lp_test_3,
    count(*) FILTER (WHERE NOT (NOT (is_completed AND is_cancelled))) AS lp_test_4,
    count(*) FILTER (WHERE NOT (waiting_time_days >= 0)) AS lp_test_5
FROM "lacreisaude_model"."fact_lacreisaude_appointments"
