-- Grain: one row per order of the raw seed.
-- Statuses are trimmed and lower-cased; amounts go from cents to currency units; the day is
-- taken in vars.timezone.
SELECT
    o.order_id,
    (o.ordered_at AT TIME ZONE '{{ vars.timezone }}')::date AS ordered_on,
    lower(trim(o.status)) AS status,
    (o.amount_cents / 100.0)::numeric(12, 2) AS amount
FROM {{ ref "seeds.raw_orders" }} AS o
