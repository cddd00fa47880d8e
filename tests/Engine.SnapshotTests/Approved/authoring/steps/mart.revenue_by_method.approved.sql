SET LOCAL lacrei_pipeline.step = 'mart.revenue_by_method';
-- mart.revenue_by_method: replace the rows of "authoring_mart"."revenue_by_method" in this transaction
CREATE TEMP TABLE lp_step_rows ON COMMIT DROP AS
-- Grain: one row per payment method.
SELECT
    p.method,
    sum(p.reais) AS reais,
    count(*) FILTER (WHERE p.big) AS big_payments
FROM "authoring_staging"."payments" AS p
GROUP BY p.method
;
CALL "authoring_pipeline".lp_materialize(p_mode => 'replace', p_schema => 'authoring_mart', p_table => 'revenue_by_method', p_keys => ARRAY['method'], p_step => 'mart.revenue_by_method', p_rows_table => 'lp_step_rows', p_delete_missing => false, p_full_refresh => false, p_track => false, p_step_setting => 'lacrei_pipeline.step');
DROP TABLE lp_step_rows;
COMMENT ON TABLE "authoring_mart"."revenue_by_method" IS 'Revenue per payment method.';

-- ==== data test no_negative_revenue (error): offending rows ====
SELECT * FROM "authoring_mart"."revenue_by_method" WHERE NOT (reais >= 0)
