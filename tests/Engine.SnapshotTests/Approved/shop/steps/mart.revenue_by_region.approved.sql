-- A script step: a view over the daily mart, so dashboards get region totals without another table.
CREATE OR REPLACE VIEW "shop_mart"."revenue_by_region" AS
SELECT
    d.region,
    sum(d.orders) AS orders,
    sum(d.revenue) AS revenue
FROM "shop_mart"."daily_revenue" AS d
GROUP BY d.region;

COMMENT ON VIEW "shop_mart"."revenue_by_region" IS 'Revenue per region over all days.';
