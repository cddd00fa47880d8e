-- model.dim_lacreisaude_report (upsert): rendered as of 2025-12-01 by engine render --approve
SET LOCAL default_statistics_target = '10';
SET LOCAL jit = 'off';
SET LOCAL max_parallel_workers_per_gather = '1';
SET LOCAL parallel_setup_cost = '100';
SET LOCAL parallel_tuple_cost = '0.01';
SET LOCAL random_page_cost = '1.1';
SET LOCAL work_mem = '64MB';
SET LOCAL lacrei_pipeline.step = 'model.dim_lacreisaude_report';
-- model.dim_lacreisaude_report: upsert into "lacreisaude_model"."dim_lacreisaude_report" by (report_id); rows the SELECT no longer returns are deleted
CREATE TEMP TABLE lp_step_rows ON COMMIT DROP AS
-- Model: dim_lacreisaude_report
-- Grain: one row per rating of an appointment (key report_id = the report's keyed pseudonym).
-- Rule (SPEC §9.4): rating is 1 to 5 or NULL (cleaned in staging 2); has_feedback tells
-- whether a free-text feedback was given, never the text. report_id and appointment_id are keyed
-- pseudonyms (SPEC §9.4), the same as the fact's.
-- Materialization: upsert by report_id with delete_missing (see dim_lacreisaude_patient.sql).
SELECT
    (left(encode(sha256((SELECT "lacreisaude_pipeline".lp_pseudonym_pad(true)) || sha256((SELECT "lacreisaude_pipeline".lp_pseudonym_pad(false)) || convert_to('report:' || (report.id)::text, 'UTF8'))), 'hex'), 32) COLLATE "C") AS report_id,
    (left(encode(sha256((SELECT "lacreisaude_pipeline".lp_pseudonym_pad(true)) || sha256((SELECT "lacreisaude_pipeline".lp_pseudonym_pad(false)) || convert_to('appointment:' || (report.appointment_id)::text, 'UTF8'))), 'hex'), 32) COLLATE "C") AS appointment_id,
    report.created_at,
    report.created_date,
    report.rating,
    report.has_feedback
FROM "lacreisaude_staging_02"."lacreiid_report" AS report
;
CALL "lacreisaude_pipeline".lp_materialize(p_mode => 'upsert', p_schema => 'lacreisaude_model', p_table => 'dim_lacreisaude_report', p_keys => ARRAY['report_id'], p_step => 'model.dim_lacreisaude_report', p_rows_table => 'lp_step_rows', p_delete_missing => true, p_full_refresh => false, p_track => false, p_step_setting => 'lacrei_pipeline.step', p_fillfactor => 100);
DROP TABLE lp_step_rows;
SELECT "lacreisaude_pipeline".lp_comments(p_kind => 'TABLE', p_table => '"lacreisaude_model"."dim_lacreisaude_report"', p_comment => 'Ratings of appointments (1 to 5, NULL when invalid).', p_columns => ARRAY[]::text[], p_column_comments => ARRAY[]::text[]);

-- ==== data test unique(report_id) (error): offending rows ====
SELECT "report_id", count(*) AS duplicates FROM "lacreisaude_model"."dim_lacreisaude_report" GROUP BY "report_id" HAVING count(*) > 1

-- ==== data test not_null(report_id) (error): offending rows ====
SELECT * FROM "lacreisaude_model"."dim_lacreisaude_report" WHERE "report_id" IS NULL

-- ==== data test rating_between_1_and_5 (error): offending rows ====
SELECT * FROM "lacreisaude_model"."dim_lacreisaude_report" WHERE NOT (rating BETWEEN 1 AND 5)

-- ==== data tests not_null(report_id), rating_between_1_and_5 in one pass (a test with offending rows then runs its own query) ====
SELECT
    count(*) FILTER (WHERE "report_id" IS NULL) AS lp_test_1,
    count(*) FILTER (WHERE NOT (rating BETWEEN 1 AND 5)) AS lp_test_2
FROM "lacreisaude_model"."dim_lacreisaude_report"
