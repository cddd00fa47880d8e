SET LOCAL lacrei_pipeline.step = 'staging.customers';
-- staging.customers: upsert into "shop_staging"."customers" by (customer_id); rows the SELECT no longer returns are deleted
CREATE TEMP TABLE lp_step_rows ON COMMIT DROP AS
-- Grain: one row per source customer. The name is personal data and is not copied.
SELECT
    c.id AS customer_id,
    upper(trim(c.region)) AS region,
    c.created_at
FROM "shop-source"."customers" AS c
;
CALL "shop_pipeline".lp_materialize(p_mode => 'upsert', p_schema => 'shop_staging', p_table => 'customers', p_keys => ARRAY['customer_id'], p_step => 'staging.customers', p_rows_table => 'lp_step_rows', p_delete_missing => true, p_full_refresh => false, p_track => false, p_step_setting => 'lacrei_pipeline.step');
DROP TABLE lp_step_rows;
COMMENT ON TABLE "shop_staging"."customers" IS 'Customers copied from the source, without their names.';

-- ==== data test unique(customer_id) (error): offending rows ====
SELECT "customer_id", count(*) AS duplicates FROM "shop_staging"."customers" GROUP BY "customer_id" HAVING count(*) > 1

-- ==== data test not_null(customer_id, created_at) (error): offending rows ====
SELECT * FROM "shop_staging"."customers" WHERE "customer_id" IS NULL OR "created_at" IS NULL

-- ==== data test accepted_values(region) (warn): offending rows ====
SELECT "region", count(*) AS rows FROM "shop_staging"."customers" WHERE "region" IS NOT NULL AND "region"::text NOT IN ('SP', 'RJ', 'MG') GROUP BY "region"
