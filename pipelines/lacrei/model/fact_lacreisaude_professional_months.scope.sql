-- Scope of model.fact_lacreisaude_professional_months: the (month, professional) groups of the fact rows
-- that changed, before and after the change, and every group of a professional or day whose
-- dimension row changed. The month comes from the date key (YYYYMMDD) itself, so it is known
-- for a day that is gone too.
WITH changed_facts AS (
    SELECT
        appointment_date_id,
        professional_id
    FROM {{ changes "model.fact_lacreisaude_appointments" "appointment_date_id" "professional_id" }} AS changed_rows
    UNION
    SELECT
        fact.appointment_date_id,
        fact.professional_id
    FROM {{ ref "model.fact_lacreisaude_appointments" }} AS fact
    WHERE fact.professional_id IN (SELECT changed.professional_id FROM {{ changes "model.dim_lacreisaude_professional" }} AS changed)
    -- Two branches rather than one OR: the professionals' rows are index ranges, and a day that
    -- did not change costs nothing (an OR filtered every fact row against both lists).
    UNION
    SELECT
        fact.appointment_date_id,
        fact.professional_id
    FROM {{ ref "model.fact_lacreisaude_appointments" }} AS fact
    JOIN {{ changes "model.dim_lacreisaude_date" }} AS changed
        ON changed.date_id = fact.appointment_date_id
)
SELECT DISTINCT
    make_date(appointment_date_id / 10000, appointment_date_id / 100 % 100, 1) AS period_month,
    professional_id
FROM changed_facts
WHERE appointment_date_id IS NOT NULL
    AND professional_id IS NOT NULL
