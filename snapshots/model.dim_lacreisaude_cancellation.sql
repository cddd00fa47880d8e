-- model.dim_lacreisaude_cancellation (upsert): rendered as of 2025-12-01 by engine render --approve
SET LOCAL default_statistics_target = '10';
SET LOCAL jit = 'off';
SET LOCAL max_parallel_workers_per_gather = '1';
SET LOCAL parallel_setup_cost = '100';
SET LOCAL parallel_tuple_cost = '0.01';
SET LOCAL random_page_cost = '1.1';
SET LOCAL work_mem = '64MB';
SET LOCAL lacrei_pipeline.step = 'model.dim_lacreisaude_cancellation';
-- model.dim_lacreisaude_cancellation: upsert into "lacreisaude_model"."dim_lacreisaude_cancellation" by (cancellation_id); rows the SELECT no longer returns are deleted
CREATE TEMP TABLE lp_step_rows ON COMMIT DROP AS
-- Model: dim_lacreisaude_cancellation
-- Grain: one row per cancellation of an appointment (key cancellation_id = the cancellation's
-- keyed pseudonym).
-- Rule (SPEC §9.4): has_reason tells whether a reason was given, never the text.
-- cancellation_id and appointment_id are keyed pseudonyms, the same as the fact's.
-- Materialization: upsert by cancellation_id with delete_missing (see dim_lacreisaude_patient.sql).
SELECT
    (left(encode(sha256((SELECT "lacreisaude_pipeline".lp_pseudonym_pad(true)) || sha256((SELECT "lacreisaude_pipeline".lp_pseudonym_pad(false)) || convert_to('cancellation:' || (cancellation.id)::text, 'UTF8'))), 'hex'), 32) COLLATE "C") AS cancellation_id,
    (left(encode(sha256((SELECT "lacreisaude_pipeline".lp_pseudonym_pad(true)) || sha256((SELECT "lacreisaude_pipeline".lp_pseudonym_pad(false)) || convert_to('appointment:' || (cancellation.appointment_id)::text, 'UTF8'))), 'hex'), 32) COLLATE "C") AS appointment_id,
    cancellation.created_at,
    cancellation.created_date,
    cancellation.has_reason
FROM "lacreisaude_staging_02"."lacreiid_cancellation" AS cancellation
;
CALL "lacreisaude_pipeline".lp_materialize(p_mode => 'upsert', p_schema => 'lacreisaude_model', p_table => 'dim_lacreisaude_cancellation', p_keys => ARRAY['cancellation_id'], p_step => 'model.dim_lacreisaude_cancellation', p_rows_table => 'lp_step_rows', p_delete_missing => true, p_full_refresh => false, p_track => false, p_step_setting => 'lacrei_pipeline.step', p_fillfactor => 100);
DROP TABLE lp_step_rows;
SELECT "lacreisaude_pipeline".lp_comments(p_kind => 'TABLE', p_table => '"lacreisaude_model"."dim_lacreisaude_cancellation"', p_comment => 'Cancellations of appointments.', p_columns => ARRAY[]::text[], p_column_comments => ARRAY[]::text[]);

-- ==== data test unique(cancellation_id) (error): offending rows ====
SELECT "cancellation_id", count(*) AS duplicates FROM "lacreisaude_model"."dim_lacreisaude_cancellation" GROUP BY "cancellation_id" HAVING count(*) > 1

-- ==== data test not_null(cancellation_id) (error): offending rows ====
SELECT * FROM "lacreisaude_model"."dim_lacreisaude_cancellation" WHERE "cancellation_id" IS NULL
