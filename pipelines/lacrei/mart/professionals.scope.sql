-- Scope of mart.professionals: the professionals whose dimension row changed, and those of the
-- appointments that changed (before and after the change).
SELECT
    changed.professional_id
FROM {{ changes "model.dim_lacreisaude_professional" }} AS changed
UNION
SELECT
    changed.professional_id
FROM {{ changes "model.fact_lacreisaude_appointments" "professional_id" }} AS changed
WHERE changed.professional_id IS NOT NULL
