SET LOCAL lacrei_pipeline.step = 'mart.customer_totals';
-- mart.customer_totals: upsert into "shop_mart"."customer_totals" by (customer_id); rows the SELECT no longer returns are deleted
CREATE TEMP TABLE lp_step_rows ON COMMIT DROP AS
-- Grain: one row per customer with at least one order.
SELECT
    f.customer_id,
    count(*) AS orders,
    count(*) FILTER (WHERE f.status = 'completed') AS completed_orders,
    sum(f.total) FILTER (WHERE f.status = 'completed') AS revenue
FROM "shop_model"."order_facts" AS f
GROUP BY f.customer_id
;
CALL "shop_pipeline".lp_materialize(p_mode => 'upsert', p_schema => 'shop_mart', p_table => 'customer_totals', p_keys => ARRAY['customer_id'], p_step => 'mart.customer_totals', p_rows_table => 'lp_step_rows', p_delete_missing => true, p_full_refresh => false, p_track => false, p_step_setting => 'lacrei_pipeline.step');
DROP TABLE lp_step_rows;
COMMENT ON TABLE "shop_mart"."customer_totals" IS 'Lifetime totals per customer.';

-- ==== data test min_cell_size(orders) (error): offending rows ====
SELECT * FROM "shop_mart"."customer_totals" WHERE "orders" BETWEEN 1 AND 0

-- ==== data test completed_within_orders (error): offending rows ====
SELECT * FROM "shop_mart"."customer_totals" WHERE completed_orders > orders
