-- Grain: one row per day with completed orders.
SELECT
    o.ordered_on,
    count(*) AS orders,
    sum(o.amount) AS revenue
FROM {{ ref "staging.orders" }} AS o
WHERE o.status = 'completed'
GROUP BY o.ordered_on
