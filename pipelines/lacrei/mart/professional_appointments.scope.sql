-- Scope of mart.professional_appointments: the months whose (month, professional) groups
-- changed, before and after the change. A month is recomputed whole: its folded row adds up
-- every professional of the month with fewer than k appointments.
SELECT DISTINCT
    changed.period_month
FROM {{ changes "model.fact_lacreisaude_professional_months" }} AS changed
