-- mart.patient_disability (replace): rendered as of 2025-12-01 by engine render --approve
SET LOCAL default_statistics_target = '10';
SET LOCAL jit = 'off';
SET LOCAL max_parallel_workers_per_gather = '1';
SET LOCAL parallel_setup_cost = '100';
SET LOCAL parallel_tuple_cost = '0.01';
SET LOCAL random_page_cost = '1.1';
SET LOCAL work_mem = '64MB';
SET LOCAL lacrei_pipeline.step = 'mart.patient_disability';
-- mart.patient_disability: replace the rows of "lacreisaude_mart"."patient_disability" in this transaction
CREATE TEMP TABLE lp_step_rows ON COMMIT DROP AS
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
;
CALL "lacreisaude_pipeline".lp_materialize(p_mode => 'replace', p_schema => 'lacreisaude_mart', p_table => 'patient_disability', p_keys => ARRAY['period_month', 'disability_type'], p_step => 'mart.patient_disability', p_rows_table => 'lp_step_rows', p_delete_missing => false, p_full_refresh => false, p_track => false, p_step_setting => 'lacrei_pipeline.step', p_fillfactor => 100);
DROP TABLE lp_step_rows;
SELECT "lacreisaude_pipeline".lp_comments(p_kind => 'TABLE', p_table => '"lacreisaude_mart"."patient_disability"', p_comment => 'Monthly patient sign-ups by disability type (a patient with two types counts in both); small groups are folded into Suprimido, with at least two types and min_cell_size patients beside a published type; the current month and later ones are one Suprimido row each.', p_columns => ARRAY['active_patients', 'disability_type', 'inactive_patients', 'period_month', 'total_patients']::text[], p_column_comments => ARRAY['Of those, patients whose account is active.', 'Disability type; Não informado when the type has no name; Suprimido for folded small groups.', 'Of those, patients whose account is inactive or unknown.', 'First day of the sign-up month (in the pipeline time zone).', 'Patients who signed up in the month and have this disability type.']::text[]);

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
