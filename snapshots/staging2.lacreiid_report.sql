-- staging2.lacreiid_report (upsert): rendered as of 2025-12-01 by engine render --approve
SET LOCAL default_statistics_target = '10';
SET LOCAL jit = 'off';
SET LOCAL max_parallel_workers_per_gather = '1';
SET LOCAL parallel_setup_cost = '100';
SET LOCAL parallel_tuple_cost = '0.01';
SET LOCAL random_page_cost = '1.1';
SET LOCAL work_mem = '64MB';
SET LOCAL lacrei_pipeline.step = 'staging2.lacreiid_report';
-- staging2.lacreiid_report: upsert into "lacreisaude_staging_02"."lacreiid_report" by (id); rows the SELECT no longer returns are deleted
CREATE TEMP TABLE lp_step_rows ON COMMIT DROP AS
-- Staging 2: lacreiid_report
-- Grain: one row per rating of an appointment (key id).
-- Rule (SPEC §9.3): rating = eval when it is 1 to 5, else NULL (0 and 7 are invalid, not
-- clamped). created_date is created_at's date in vars.timezone. A report without
-- appointment_id is listed in staging2.rejects and left out here.
-- Materialization: upsert by id with delete_missing (see lacrei_privacydocument.sql).
WITH rejected AS (
    SELECT
        source_key
    FROM "lacreisaude_staging_02"."rejects"
    WHERE step = 'staging2.lacreiid_report'
)
SELECT
    report.id,
    report.created_at,
    report.updated_at,
    CASE WHEN report.created_at > '0001-01-02' AND report.created_at < '9999-12-31' THEN (report.created_at AT TIME ZONE 'America/Sao_Paulo')::date END AS created_date,
    report.appointment_id,
    CASE
        WHEN report.eval BETWEEN 1 AND 5 THEN report.eval
    END AS rating,
    report.has_feedback
FROM "lacreisaude_staging_01"."lacreiid_report" AS report
WHERE NOT EXISTS (
    SELECT 1
    FROM rejected
    WHERE rejected.source_key = report.id::text
)
;
SELECT "lacreisaude_pipeline".lp_change_log_columns(p_step => 'staging2.lacreiid_report', p_columns => ARRAY['id', 'appointment_id', 'created_date']::text[]);
DELETE FROM "lacreisaude_pipeline".changes AS c WHERE c.step = 'staging2.lacreiid_report' AND c.seq <= (SELECT min(k.consumed) FROM "lacreisaude_pipeline".change_cursors AS k WHERE k.producer = 'staging2.lacreiid_report' AND k.consumer = ANY (ARRAY['model.dim_lacreisaude_date', 'model.fact_lacreisaude_appointments']::text[]) HAVING count(*) = 2);
CALL "lacreisaude_pipeline".lp_materialize(p_mode => 'upsert', p_schema => 'lacreisaude_staging_02', p_table => 'lacreiid_report', p_keys => ARRAY['id'], p_step => 'staging2.lacreiid_report', p_rows_table => 'lp_step_rows', p_delete_missing => true, p_full_refresh => false, p_track => true, p_step_setting => 'lacrei_pipeline.step', p_fillfactor => 100);
DROP TABLE lp_step_rows;
SELECT "lacreisaude_pipeline".lp_comments(p_kind => 'TABLE', p_table => '"lacreisaude_staging_02"."lacreiid_report"', p_comment => 'Ratings of an appointment, out-of-range ratings set to NULL.', p_columns => ARRAY[]::text[], p_column_comments => ARRAY[]::text[]);

-- ==== once the step has committed, in a transaction of its own while later steps run: its indexes ====
SELECT "lacreisaude_pipeline".lp_index(p_table => '"lacreisaude_staging_02"."lacreiid_report"', p_index => 'lacreiid_report_appointment_id_idx', p_columns => ARRAY['appointment_id']::text[]);
