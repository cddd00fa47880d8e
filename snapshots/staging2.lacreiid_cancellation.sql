-- staging2.lacreiid_cancellation (upsert): rendered as of 2025-12-01 by engine render --approve
SET LOCAL default_statistics_target = '10';
SET LOCAL jit = 'off';
SET LOCAL max_parallel_workers_per_gather = '1';
SET LOCAL parallel_setup_cost = '100';
SET LOCAL parallel_tuple_cost = '0.01';
SET LOCAL random_page_cost = '1.1';
SET LOCAL work_mem = '64MB';
SET LOCAL lacrei_pipeline.step = 'staging2.lacreiid_cancellation';
-- staging2.lacreiid_cancellation: upsert into "lacreisaude_staging_02"."lacreiid_cancellation" by (id); rows the SELECT no longer returns are deleted
CREATE TEMP TABLE lp_step_rows ON COMMIT DROP AS
-- Staging 2: lacreiid_cancellation
-- Grain: one row per cancellation of an appointment (key id).
-- Rule: created_date is created_at's date in vars.timezone. A cancellation without
-- appointment_id is listed in staging2.rejects and left out here.
-- Materialization: upsert by id with delete_missing (see lacrei_privacydocument.sql).
WITH rejected AS (
    SELECT
        source_key
    FROM "lacreisaude_staging_02"."rejects"
    WHERE step = 'staging2.lacreiid_cancellation'
)
SELECT
    cancellation.id,
    cancellation.created_at,
    cancellation.updated_at,
    CASE WHEN cancellation.created_at > '0001-01-02' AND cancellation.created_at < '9999-12-31' THEN (cancellation.created_at AT TIME ZONE 'America/Sao_Paulo')::date END AS created_date,
    cancellation.appointment_id,
    cancellation.has_reason
FROM "lacreisaude_staging_01"."lacreiid_cancellation" AS cancellation
WHERE NOT EXISTS (
    SELECT 1
    FROM rejected
    WHERE rejected.source_key = cancellation.id::text
)
;
SELECT "lacreisaude_pipeline".lp_change_log_columns(p_step => 'staging2.lacreiid_cancellation', p_columns => ARRAY['id', 'appointment_id', 'created_date']::text[]);
DELETE FROM "lacreisaude_pipeline".changes AS c WHERE c.step = 'staging2.lacreiid_cancellation' AND c.seq <= (SELECT min(k.consumed) FROM "lacreisaude_pipeline".change_cursors AS k WHERE k.producer = 'staging2.lacreiid_cancellation' AND k.consumer = ANY (ARRAY['model.dim_lacreisaude_date', 'model.fact_lacreisaude_appointments']::text[]) HAVING count(*) = 2);
CALL "lacreisaude_pipeline".lp_materialize(p_mode => 'upsert', p_schema => 'lacreisaude_staging_02', p_table => 'lacreiid_cancellation', p_keys => ARRAY['id'], p_step => 'staging2.lacreiid_cancellation', p_rows_table => 'lp_step_rows', p_delete_missing => true, p_full_refresh => false, p_track => true, p_step_setting => 'lacrei_pipeline.step', p_fillfactor => 100);
DROP TABLE lp_step_rows;
SELECT "lacreisaude_pipeline".lp_comments(p_kind => 'TABLE', p_table => '"lacreisaude_staging_02"."lacreiid_cancellation"', p_comment => 'Cancellations of an appointment, with the local creation date.', p_columns => ARRAY[]::text[], p_column_comments => ARRAY[]::text[]);

-- ==== once the step has committed, in a transaction of its own while later steps run: its indexes ====
SELECT "lacreisaude_pipeline".lp_index(p_table => '"lacreisaude_staging_02"."lacreiid_cancellation"', p_index => 'lacreiid_cancellation_appointment_id_idx', p_columns => ARRAY['appointment_id']::text[]);
