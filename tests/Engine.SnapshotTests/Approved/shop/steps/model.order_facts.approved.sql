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
CALL "shop_pipeline".lp_materialize('replace', 'shop_model', 'order_facts', ARRAY['order_id'], false, false, 'model.order_facts', false, false, NULL, NULL);
DROP TABLE lp_step_rows;
COMMENT ON TABLE "shop_model"."order_facts" IS 'One row per order, with the customer''s region.';
