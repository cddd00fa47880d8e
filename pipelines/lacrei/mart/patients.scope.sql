-- Scope of mart.patients: the sign-up months of the patients that changed (before and after the
-- change) and the month after each, whose growth rate compares with it.
SELECT DISTINCT
    month AS period_month
FROM (
    SELECT changed.signup_month AS month FROM {{ changes "model.dim_lacreisaude_patient" "signup_month" }} AS changed
    UNION
    SELECT (changed.signup_month + INTERVAL '1 month')::date FROM {{ changes "model.dim_lacreisaude_patient" "signup_month" }} AS changed
) AS months
WHERE month IS NOT NULL
