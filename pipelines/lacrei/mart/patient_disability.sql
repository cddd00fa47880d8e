-- Mart: patient_disability
-- Grain: one row per (period_month, disability_type) as published after small-cell folding.
-- Rule (SPEC §9.5): patients by sign-up month (vars.timezone) and each disability type
-- of their latest profile: a patient with two types counts in both; patients without a type
-- do not appear; a type without a name reads 'Não informado'. With k = vars.min_cell_size:
-- SPEC §9.6: types with fewer than k patients in a month are folded into one 'Suprimido' row
-- that counts each of its patients once; then, while the folded types cover fewer than 2 types
-- or fewer than k distinct patients, the smallest published cell (fewest patients, then type
-- name in byte order, so every server folds alike) is folded too: a reader who subtracts the
-- published types from the known ones never finds the 'Suprimido' row to be one type. A month
-- whose every cell is folded publishes its one 'Suprimido' row whatever its size; a month with
-- no small cell publishes every type.
-- Only closed months are broken down: the month that contains run.as_of and every later month
-- are published as one 'Suprimido' row holding the month's totals.
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
ranked_cells AS (
    SELECT
        cells.period_month,
        cells.disability_type,
        cells.total_patients,
        cells.active_patients,
        row_number() OVER (PARTITION BY cells.period_month ORDER BY cells.total_patients, cells.disability_type COLLATE "C") AS fold_rank,
        count(*) OVER (PARTITION BY cells.period_month) AS month_cells,
        count(*) FILTER (WHERE cells.total_patients < settings.min_cell_size) OVER (PARTITION BY cells.period_month) AS small_cells,
        cells.period_month >= settings.first_open_month AS is_open_month
    FROM (
        SELECT
            period_month,
            disability_type,
            count(*) AS total_patients,
            count(*) FILTER (WHERE is_active) AS active_patients
        FROM patient_types
        GROUP BY period_month, disability_type
    ) AS cells
    CROSS JOIN settings
),
-- Each patient of a month enters the folded row with their first type in fold order, so the
-- distinct patients of the first r cells are those whose first rank is at most r.
patient_first_ranks AS (
    SELECT
        patient_types.period_month,
        patient_types.patient_id,
        bool_or(patient_types.is_active) AS is_active,
        min(ranked_cells.fold_rank) AS first_rank
    FROM patient_types
    JOIN ranked_cells
        ON ranked_cells.period_month = patient_types.period_month
        AND ranked_cells.disability_type = patient_types.disability_type
    GROUP BY patient_types.period_month, patient_types.patient_id
),
patients_within_rank AS (
    SELECT
        ranked_cells.period_month,
        ranked_cells.fold_rank,
        ranked_cells.month_cells,
        ranked_cells.small_cells,
        ranked_cells.is_open_month,
        sum(coalesce(first_rank_counts.patients, 0)) OVER (
            PARTITION BY ranked_cells.period_month
            ORDER BY ranked_cells.fold_rank
        ) AS distinct_patients
    FROM ranked_cells
    LEFT JOIN (
        SELECT
            period_month,
            first_rank,
            count(*) AS patients
        FROM patient_first_ranks
        GROUP BY period_month, first_rank
    ) AS first_rank_counts
        ON first_rank_counts.period_month = ranked_cells.period_month
        AND first_rank_counts.first_rank = ranked_cells.fold_rank
),
folded_per_month AS (
    SELECT
        patients_within_rank.period_month,
        CASE
            WHEN bool_or(patients_within_rank.is_open_month) THEN max(patients_within_rank.month_cells)
            WHEN max(patients_within_rank.small_cells) = 0 THEN 0
            ELSE coalesce(
                min(patients_within_rank.fold_rank) FILTER (
                    WHERE patients_within_rank.fold_rank >= greatest(patients_within_rank.small_cells, 2)
                        AND patients_within_rank.distinct_patients >= settings.min_cell_size
                ),
                max(patients_within_rank.month_cells)
            )
        END AS folded_cells
    FROM patients_within_rank
    CROSS JOIN settings
    GROUP BY patients_within_rank.period_month
),
published_cells AS (
    SELECT
        ranked_cells.period_month,
        ranked_cells.disability_type,
        ranked_cells.total_patients,
        ranked_cells.active_patients
    FROM ranked_cells
    JOIN folded_per_month
        ON folded_per_month.period_month = ranked_cells.period_month
    WHERE ranked_cells.fold_rank > folded_per_month.folded_cells
    UNION ALL
    SELECT
        patient_first_ranks.period_month,
        'Suprimido',
        count(*),
        count(*) FILTER (WHERE patient_first_ranks.is_active)
    FROM patient_first_ranks
    JOIN folded_per_month
        ON folded_per_month.period_month = patient_first_ranks.period_month
    WHERE patient_first_ranks.first_rank <= folded_per_month.folded_cells
    GROUP BY patient_first_ranks.period_month
)
SELECT
    period_month,
    disability_type::text AS disability_type,
    total_patients,
    active_patients,
    total_patients - active_patients AS inactive_patients
FROM published_cells
