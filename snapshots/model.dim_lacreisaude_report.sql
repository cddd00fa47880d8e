-- model.dim_lacreisaude_report (upsert): rendered as of 2025-12-01 by engine render --approve
SET LOCAL jit = 'off';
SET LOCAL random_page_cost = '1.1';
SET LOCAL work_mem = '64MB';
SET LOCAL lacrei_pipeline.step = 'model.dim_lacreisaude_report';
-- model.dim_lacreisaude_report: upsert into "lacreisaude_model"."dim_lacreisaude_report" by (report_id); rows the SELECT no longer returns are deleted
CREATE TEMP TABLE lp_step_rows ON COMMIT DROP AS
-- Model: dim_lacreisaude_report
-- Grain: one row per rating of an appointment (key report_id = the source id).
-- Rule (SPEC §9.4): rating is 1 to 5 or NULL (cleaned in staging 2); has_feedback tells
-- whether a free-text feedback was given, never the text.
-- Materialization: upsert by report_id with delete_missing (see dim_lacreisaude_patient.sql).
SELECT
    report.id AS report_id,
    report.appointment_id,
    report.created_at,
    report.created_date,
    report.rating,
    report.has_feedback
FROM "lacreisaude_staging_02"."lacreiid_report" AS report
;
SELECT "lacreisaude_pipeline".lp_change_log_columns(p_step => 'model.dim_lacreisaude_report', p_columns => ARRAY['report_id', 'appointment_id']::text[]);
DELETE FROM "lacreisaude_pipeline".changes AS c WHERE c.step = 'model.dim_lacreisaude_report' AND c.seq <= (SELECT min(k.consumed) FROM "lacreisaude_pipeline".change_cursors AS k WHERE k.producer = 'model.dim_lacreisaude_report' AND k.consumer = ANY (ARRAY['model.fact_lacreisaude_appointments']::text[]) HAVING count(*) = 1);
CALL "lacreisaude_pipeline".lp_materialize(p_mode => 'upsert', p_schema => 'lacreisaude_model', p_table => 'dim_lacreisaude_report', p_keys => ARRAY['report_id'], p_step => 'model.dim_lacreisaude_report', p_rows_table => 'lp_step_rows', p_delete_missing => true, p_full_refresh => false, p_track => true, p_step_setting => 'lacrei_pipeline.step');
DROP TABLE lp_step_rows;
COMMENT ON TABLE "lacreisaude_model"."dim_lacreisaude_report" IS 'Ratings of appointments (1 to 5, NULL when invalid).';

-- ==== data test unique(report_id) (error): offending rows ====
SELECT "report_id", count(*) AS duplicates FROM "lacreisaude_model"."dim_lacreisaude_report" GROUP BY "report_id" HAVING count(*) > 1

-- ==== data test not_null(report_id) (error): offending rows ====
SELECT * FROM "lacreisaude_model"."dim_lacreisaude_report" WHERE "report_id" IS NULL

-- ==== data test rating_between_1_and_5 (error): offending rows ====
SELECT * FROM "lacreisaude_model"."dim_lacreisaude_report" WHERE NOT (rating BETWEEN 1 AND 5)
