-- Mart: patient_disability
-- Grain: one row per (period_month, disability_type) as published after small-cell folding.
-- Rule (SPEC §9.5, §9.6): patients by sign-up month (vars.timezone) and each disability type
-- of their latest profile: a patient with two types counts in both; patients without a type
-- do not appear; a type without a name reads 'Não informado'. With k = vars.min_cell_size:
-- SPEC §9.6: types with fewer than k patients in a month are folded into one 'Suprimido' row
-- that counts each of its patients once; then, while the folded types cover fewer than 2 types
-- or fewer than k distinct patients, the smallest published cell (fewest patients, then type
-- name) is folded too, so a reader who subtracts the published types from the known ones never
-- finds the 'Suprimido' row to be one type. A month whose every cell is folded publishes its one
-- 'Suprimido' row whatever its size. A month with no small cell publishes every type.
-- SPEC §9.5: only closed months are broken down: the month that contains run.as_of and every
-- later month are published as one 'Suprimido' row holding the month's totals.
-- Because cells are folded smallest first, the folded types of a month are always the first
-- cells in (patients, type name) order: the month folds the shortest such prefix that holds
-- every small cell, at least 2 types and at least k distinct patients (else all of them).
-- Materialization: replace, so no stale row survives a run.
WITH settings AS (
    SELECT
        CAST('{{ vars.min_cell_size }}' AS integer) AS min_cell_size,
        date_trunc('month', DATE '{{ run.as_of }}')::date AS first_open_month
),
patient_types AS (
    SELECT
        patient.patient_id,
        patient.signup_month AS period_month,
        coalesce(disability.disability_type, 'Não informado') AS disability_type,
        coalesce(patient.is_active, FALSE) AS is_active
    FROM {{ ref "model.dim_lacreisaude_patient" }} AS patient
    CROSS JOIN LATERAL unnest(patient.disability_types) AS disability(disability_type)
),
cells AS (
    SELECT
        period_month,
        disability_type,
        count(*) AS cell_size
    FROM patient_types
    GROUP BY period_month, disability_type
),
ranked_cells AS (
    SELECT
        cells.period_month,
        cells.disability_type,
        cells.cell_size,
        row_number() OVER (PARTITION BY cells.period_month ORDER BY cells.cell_size, cells.disability_type) AS fold_rank,
        count(*) OVER (PARTITION BY cells.period_month) AS month_cells,
        count(*) FILTER (WHERE cells.cell_size < settings.min_cell_size) OVER (PARTITION BY cells.period_month) AS small_cells,
        cells.period_month >= settings.first_open_month AS is_open_month
    FROM cells
    CROSS JOIN settings
),
-- Each patient of a month enters the folded row with their first type in fold order, so the
-- distinct patients of the first r cells are those whose first rank is at most r.
patients_by_first_rank AS (
    SELECT
        first_ranks.period_month,
        first_ranks.first_rank,
        count(*) AS patients
    FROM (
        SELECT
            patient_types.period_month,
            patient_types.patient_id,
            min(ranked_cells.fold_rank) AS first_rank
        FROM patient_types
        JOIN ranked_cells
            ON ranked_cells.period_month = patient_types.period_month
            AND ranked_cells.disability_type = patient_types.disability_type
        GROUP BY patient_types.period_month, patient_types.patient_id
    ) AS first_ranks
    GROUP BY first_ranks.period_month, first_ranks.first_rank
),
patients_within_rank AS (
    SELECT
        ranked_cells.period_month,
        ranked_cells.fold_rank,
        sum(coalesce(patients_by_first_rank.patients, 0)) OVER (
            PARTITION BY ranked_cells.period_month
            ORDER BY ranked_cells.fold_rank
        ) AS distinct_patients
    FROM ranked_cells
    LEFT JOIN patients_by_first_rank
        ON patients_by_first_rank.period_month = ranked_cells.period_month
        AND patients_by_first_rank.first_rank = ranked_cells.fold_rank
),
folded_per_month AS (
    SELECT
        ranked_cells.period_month,
        CASE
            WHEN bool_or(ranked_cells.is_open_month) THEN max(ranked_cells.month_cells)
            WHEN max(ranked_cells.small_cells) = 0 THEN 0
            ELSE coalesce(
                min(ranked_cells.fold_rank) FILTER (
                    WHERE ranked_cells.fold_rank >= greatest(ranked_cells.small_cells, 2)
                        AND patients_within_rank.distinct_patients >= settings.min_cell_size
                ),
                max(ranked_cells.month_cells)
            )
        END AS folded_cells
    FROM ranked_cells
    JOIN patients_within_rank
        ON patients_within_rank.period_month = ranked_cells.period_month
        AND patients_within_rank.fold_rank = ranked_cells.fold_rank
    CROSS JOIN settings
    GROUP BY ranked_cells.period_month
),
published_people AS (
    SELECT DISTINCT
        patient_types.period_month,
        CASE
            WHEN ranked_cells.fold_rank > folded_per_month.folded_cells THEN patient_types.disability_type
            ELSE 'Suprimido'
        END AS disability_type,
        patient_types.patient_id,
        patient_types.is_active
    FROM patient_types
    JOIN ranked_cells
        ON ranked_cells.period_month = patient_types.period_month
        AND ranked_cells.disability_type = patient_types.disability_type
    JOIN folded_per_month
        ON folded_per_month.period_month = patient_types.period_month
)
SELECT
    period_month,
    disability_type::text AS disability_type,
    count(*) AS total_patients,
    count(*) FILTER (WHERE is_active) AS active_patients,
    count(*) FILTER (WHERE NOT is_active) AS inactive_patients
FROM published_people
GROUP BY period_month, disability_type
