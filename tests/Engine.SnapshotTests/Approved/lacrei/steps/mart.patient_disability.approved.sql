SET LOCAL random_page_cost = '1.1';
SET LOCAL work_mem = '64MB';
-- mart.patient_disability: replace the rows of "lacreisaude_mart"."patient_disability" in this transaction
CREATE TEMP TABLE lp_step_rows ON COMMIT DROP AS
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
        CAST('5' AS integer) AS min_cell_size,
        date_trunc('month', DATE '2025-12-01')::date AS first_open_month
),
patient_types AS (
    SELECT
        patient.patient_id,
        patient.signup_month AS period_month,
        coalesce(disability.disability_type, 'Não informado') AS disability_type,
        coalesce(patient.is_active, FALSE) AS is_active
    FROM "lacreisaude_model"."dim_lacreisaude_patient" AS patient
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
;
CALL "lacreisaude_pipeline".lp_materialize('replace', 'lacreisaude_mart', 'patient_disability', ARRAY['period_month', 'disability_type'], false, false, 'mart.patient_disability', false, false, NULL, NULL);
DROP TABLE lp_step_rows;
COMMENT ON TABLE "lacreisaude_mart"."patient_disability" IS 'Monthly patient sign-ups by disability type (a patient with two types counts in both); small groups are folded into Suprimido, with at least two types and min_cell_size patients beside a published type; the current month and later ones are one Suprimido row each.';
COMMENT ON COLUMN "lacreisaude_mart"."patient_disability"."active_patients" IS 'Of those, patients whose account is active.';
COMMENT ON COLUMN "lacreisaude_mart"."patient_disability"."disability_type" IS 'Disability type; Não informado when the type has no name; Suprimido for folded small groups.';
COMMENT ON COLUMN "lacreisaude_mart"."patient_disability"."inactive_patients" IS 'Of those, patients whose account is inactive or unknown.';
COMMENT ON COLUMN "lacreisaude_mart"."patient_disability"."period_month" IS 'First day of the sign-up month (in the pipeline time zone).';
COMMENT ON COLUMN "lacreisaude_mart"."patient_disability"."total_patients" IS 'Patients who signed up in the month and have this disability type.';

-- ==== data test unique(period_month, disability_type) (error): offending rows ====
SELECT "period_month", "disability_type", count(*) AS duplicates FROM "lacreisaude_mart"."patient_disability" GROUP BY "period_month", "disability_type" HAVING count(*) > 1

-- ==== data test not_null(period_month, disability_type) (error): offending rows ====
SELECT * FROM "lacreisaude_mart"."patient_disability" WHERE "period_month" IS NULL OR "disability_type" IS NULL

-- ==== data test min_cell_size(total_patients) (error): offending rows ====
SELECT * FROM (SELECT * FROM "lacreisaude_mart"."patient_disability" WHERE disability_type <> 'Suprimido') AS filtered WHERE "total_patients" BETWEEN 1 AND 4

-- ==== data test suprimido_covers_two_types_and_k_patients (error): offending rows ====
-- Data test of mart.patient_disability: secondary suppression (SPEC §9.6).
-- Offending rows: closed months whose 'Suprimido' row stands beside a published type while the
-- types it folds are fewer than 2 or hold fewer than k distinct patients, so that a reader who
-- subtracts the published types from the known ones could name it. A month whose every cell is
-- folded may publish its one 'Suprimido' row whatever its size.
WITH settings AS (
    SELECT
        CAST('5' AS integer) AS min_cell_size,
        date_trunc('month', DATE '2025-12-01')::date AS first_open_month
),
patient_types AS (
    SELECT
        patient.signup_month AS period_month,
        patient.patient_id,
        coalesce(disability.disability_type, 'Não informado') AS disability_type
    FROM "lacreisaude_model"."dim_lacreisaude_patient" AS patient
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
        FROM "lacreisaude_mart"."patient_disability" AS published
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
        FROM "lacreisaude_mart"."patient_disability" AS published
        WHERE published.period_month = folded_types.period_month
            AND published.disability_type <> 'Suprimido'
    )

-- ==== data test open_months_not_broken_down (error): offending rows ====
SELECT period_month, count(*) AS published_rows FROM "lacreisaude_mart"."patient_disability" WHERE period_month >= date_trunc('month', DATE '2025-12-01')::date GROUP BY period_month HAVING count(*) > 1 OR bool_or(disability_type <> 'Suprimido')
