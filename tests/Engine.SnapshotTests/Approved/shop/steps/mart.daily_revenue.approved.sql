SET LOCAL lacrei_pipeline.step = 'mart.daily_revenue';
-- mart.daily_revenue: replace the rows of "shop_mart"."daily_revenue" in this transaction
CREATE TEMP TABLE lp_step_rows ON COMMIT DROP AS
-- Grain: one row per (order_date, region): completed orders only.
SELECT
    f.order_date,
    f.region,
    count(*) AS orders,
    sum(f.total) AS revenue
FROM "shop_model"."order_facts" AS f
WHERE f.status = 'completed'
  AND f.total >= 0
GROUP BY f.order_date, f.region
;
CALL "shop_pipeline".lp_materialize(p_mode => 'replace', p_schema => 'shop_mart', p_table => 'daily_revenue', p_keys => ARRAY['order_date', 'region'], p_step => 'mart.daily_revenue', p_rows_table => 'lp_step_rows', p_delete_missing => false, p_full_refresh => false, p_track => false, p_step_setting => 'lacrei_pipeline.step');
DROP TABLE lp_step_rows;
COMMENT ON TABLE "shop_mart"."daily_revenue" IS 'Revenue per day and region (in the pipeline''s time zone).';
COMMENT ON COLUMN "shop_mart"."daily_revenue"."order_date" IS 'Day of the order, in vars.timezone.';
COMMENT ON COLUMN "shop_mart"."daily_revenue"."revenue" IS 'Sum of completed order totals.';

-- ==== data test row_count(1..) (error): offending rows ====
SELECT row_count FROM (SELECT count(*) AS row_count FROM "shop_mart"."daily_revenue") AS counted WHERE row_count < 1

-- ==== data test revenue_not_negative (error): offending rows ====
SELECT * FROM "shop_mart"."daily_revenue" WHERE NOT (revenue >= 0)
