SET LOCAL lacrei_pipeline.step = 'staging.orders';
-- staging.orders: upsert into "shop_staging"."orders" by (order_id); rows the SELECT no longer returns are deleted
CREATE TEMP TABLE lp_step_rows ON COMMIT DROP AS
-- Grain: one row per source order; the status is mapped through the order_statuses seed.
SELECT
    o.id AS order_id,
    o.customer_id,
    coalesce(s.status, 'unknown') AS status,
    o.total,
    (o.ordered_at AT TIME ZONE 'America/Sao_Paulo')::date AS order_date
FROM "shop-source"."orders" AS o
LEFT JOIN "shop_seeds"."order_statuses" AS s
    ON s.raw_status = lower(trim(o.status))
;
CALL "shop_pipeline".lp_materialize(p_mode => 'upsert', p_schema => 'shop_staging', p_table => 'orders', p_keys => ARRAY['order_id'], p_step => 'staging.orders', p_rows_table => 'lp_step_rows', p_delete_missing => true, p_full_refresh => false, p_track => false, p_step_setting => 'lacrei_pipeline.step');
DROP TABLE lp_step_rows;
COMMENT ON TABLE "shop_staging"."orders" IS 'Orders with their status normalised.';

-- ==== data test unique(order_id) (error): offending rows ====
SELECT "order_id", count(*) AS duplicates FROM "shop_staging"."orders" GROUP BY "order_id" HAVING count(*) > 1

-- ==== data test accepted_values(status) (error): offending rows ====
SELECT "status", count(*) AS rows FROM "shop_staging"."orders" WHERE "status" IS NOT NULL AND "status"::text NOT IN ('completed', 'cancelled', 'pending', 'unknown') GROUP BY "status"

-- ==== data test relationships(customer_id → staging.customers) (error): offending rows ====
SELECT "customer_id", count(*) AS rows FROM "shop_staging"."orders" AS child WHERE "customer_id" IS NOT NULL AND NOT EXISTS (SELECT 1 FROM "shop_staging"."customers" AS parent WHERE parent."customer_id" = child."customer_id") GROUP BY "customer_id"
