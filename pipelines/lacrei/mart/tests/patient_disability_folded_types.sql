-- Data test of mart.patient_disability: secondary suppression (SPEC §9.6).
-- Offending rows: closed months whose 'Suprimido' row stands beside a published type while the
-- types it folds are fewer than 2 or hold fewer than k distinct patients, so that a reader who
-- subtracts the published types from the known ones could name it. A month whose every cell is
-- folded may publish its one 'Suprimido' row whatever its size.
WITH settings AS (
    SELECT
        CAST('{{ vars.min_cell_size }}' AS integer) AS min_cell_size,
        date_trunc('month', DATE '{{ run.as_of }}')::date AS first_open_month
),
patient_types AS (
    SELECT
        patient.signup_month AS period_month,
        patient.patient_id,
        coalesce(disability.disability_type, 'Não informado') AS disability_type
    FROM {{ ref "model.dim_lacreisaude_patient" }} AS patient
    CROSS JOIN LATERAL unnest(patient.disability_types) AS disability(disability_type)
),
folded_types AS (
    SELECT
        patient_types.period_month,
        count(DISTINCT patient_types.disability_type) AS types,
        count(DISTINCT patient_types.patient_id) AS patients
    FROM patient_types
    WHERE NOT EXISTS (
        SELECT 1
        FROM {{ this }} AS published
        WHERE published.period_month = patient_types.period_month
            AND published.disability_type = patient_types.disability_type
    )
    GROUP BY patient_types.period_month
)
SELECT
    folded_types.period_month,
    folded_types.types AS folded_types,
    folded_types.patients AS folded_patients
FROM folded_types
CROSS JOIN settings
WHERE folded_types.period_month < settings.first_open_month
    AND (folded_types.types < 2 OR folded_types.patients < settings.min_cell_size)
    AND EXISTS (
        SELECT 1
        FROM {{ this }} AS published
        WHERE published.period_month = folded_types.period_month
            AND published.disability_type <> 'Suprimido'
    )
