SET LOCAL lacrei_pipeline.step = 'model.order_facts';
-- model.order_facts: replace the rows of "shop_model"."order_facts" in this transaction
CREATE TEMP TABLE lp_step_rows ON COMMIT DROP AS
-- Grain: one row per order, with its customer's region (NULL region reads 'unknown').
SELECT
    o.order_id,
    o.customer_id,
    coalesce(c.region, 'unknown') AS region,
    o.status,
    o.total,
    o.order_date
FROM "shop_staging"."orders" AS o
JOIN "shop_staging"."customers" AS c
    ON c.customer_id = o.customer_id
;
CALL "shop_pipeline".lp_materialize(p_mode => 'replace', p_schema => 'shop_model', p_table => 'order_facts', p_keys => ARRAY['order_id'], p_step => 'model.order_facts', p_rows_table => 'lp_step_rows', p_delete_missing => false, p_full_refresh => false, p_track => false, p_step_setting => 'lacrei_pipeline.step');
DROP TABLE lp_step_rows;
COMMENT ON TABLE "shop_model"."order_facts" IS 'One row per order, with the customer''s region.';
