-- Scope of mart.professional_appointments: the rows of the (month, professional) groups that
-- changed in the months fact (inserted, updated or deleted), and the folded row of each of their
-- months, which adds up the groups with fewer than k appointments.
SELECT
    changed.period_month,
    changed.professional_id::text AS row_key
FROM {{ changes "model.fact_lacreisaude_professional_months" }} AS changed
UNION
SELECT
    changed.period_month,
    'Suprimido'
FROM {{ changes "model.fact_lacreisaude_professional_months" }} AS changed
