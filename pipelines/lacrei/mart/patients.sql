-- Mart: patients
-- Grain: one row per (period_month, age_group, gender_identity, sexual_orientation, pronoun)
-- as published after small-cell generalisation.
-- Rule (SPEC §9.5, §9.6): every patient counts in the month of sign-up (vars.timezone); a
-- NULL attribute reads 'Não informado'. Within each month, with k = vars.min_cell_size:
--   (0) cells of the full grain with at least k patients are published;
--   (1) the remaining patients are regrouped with pronoun 'Suprimido', cells ≥ k published;
--   (2) the rest also with sexual_orientation 'Suprimido', (3) gender_identity, (4) age_group;
--   what is left at (4) is published as one all-'Suprimido' row, whatever its size.
-- Each patient lands in exactly one published row, so counts are sums over people and month
-- totals stay exact. k = 1 publishes everything at level (0).
-- Only closed months are broken down: the month that contains run.as_of and every
-- later month are published as one all-'Suprimido' row holding the month's totals, so a new
-- sign-up or a changed attribute this month moves no published cell.
-- active_percentage = 100·active/total; growth_rate = 100·(total − prev)/prev, where prev is
-- the same published group's total in the previous calendar month (NULL when absent or 0);
-- both round(x, 2), NULL on a zero denominator.
-- Materialization: incremental with a scope (patients.scope.sql): a run recomputes whole months
-- (folding is within a month), those whose patients changed and the months after them (growth);
-- each recomputed month reads its previous month too. A month left empty is deleted.
WITH settings AS (
    SELECT
        CAST('{{ vars.min_cell_size }}' AS integer) AS min_cell_size,
        date_trunc('month', DATE '{{ run.as_of }}')::date AS first_open_month
),
-- The patients of each cell of the full grain, counted once (a hash aggregate): the levels below
-- add up cells, not people (issue 21: sorting every patient by four text columns was most of
-- this step's time, recomputed whole on any change of a month's patients).
people_cells AS (
    SELECT
        signup_month AS period_month,
        age_group,
        coalesce(gender_identity, 'Não informado') AS gender_identity,
        coalesce(sexual_orientation, 'Não informado') AS sexual_orientation,
        coalesce(pronoun, 'Não informado') AS pronoun,
        count(*)::integer AS patients,
        (count(*) FILTER (WHERE is_active))::integer AS active
    FROM {{ ref "model.dim_lacreisaude_patient" }}
    {{ if is_incremental }}
    WHERE signup_month IN (
        SELECT scope.period_month FROM {{ scope }} AS scope
        UNION
        SELECT (scope.period_month - INTERVAL '1 month')::date FROM {{ scope }} AS scope
    )
    {{ end }}
    GROUP BY 1, 2, 3, 4, 5
),
-- The closed months' cells of the full grain. Each level below is a hash aggregate of what the
-- level above left unpublished: a group is published at the first level where it reaches k.
-- (Issue 21: window sums over every remaining cell sorted them by up to four text columns at each
-- level; grouping the unpublished remainder gives the same rows about a third faster.)
level_0 AS MATERIALIZED (
    SELECT
        people_cells.period_month,
        people_cells.age_group,
        people_cells.gender_identity,
        people_cells.sexual_orientation,
        people_cells.pronoun,
        people_cells.patients,
        people_cells.active
    FROM people_cells
    CROSS JOIN settings
    WHERE people_cells.period_month < settings.first_open_month
),
level_1 AS MATERIALIZED (
    SELECT
        period_month,
        age_group,
        gender_identity,
        sexual_orientation,
        sum(patients)::integer AS patients,
        sum(active)::integer AS active
    FROM level_0
    CROSS JOIN settings
    WHERE level_0.patients < settings.min_cell_size
    GROUP BY period_month, age_group, gender_identity, sexual_orientation
),
level_2 AS MATERIALIZED (
    SELECT
        period_month,
        age_group,
        gender_identity,
        sum(patients)::integer AS patients,
        sum(active)::integer AS active
    FROM level_1
    CROSS JOIN settings
    WHERE level_1.patients < settings.min_cell_size
    GROUP BY period_month, age_group, gender_identity
),
level_3 AS MATERIALIZED (
    SELECT
        period_month,
        age_group,
        sum(patients)::integer AS patients,
        sum(active)::integer AS active
    FROM level_2
    CROSS JOIN settings
    WHERE level_2.patients < settings.min_cell_size
    GROUP BY period_month, age_group
),
published_parts AS (
    SELECT period_month, age_group, gender_identity, sexual_orientation, pronoun, patients, active
    FROM level_0
    CROSS JOIN settings
    WHERE level_0.patients >= settings.min_cell_size
    UNION ALL
    SELECT period_month, age_group, gender_identity, sexual_orientation, 'Suprimido', patients, active
    FROM level_1
    CROSS JOIN settings
    WHERE level_1.patients >= settings.min_cell_size
    UNION ALL
    SELECT period_month, age_group, gender_identity, 'Suprimido', 'Suprimido', patients, active
    FROM level_2
    CROSS JOIN settings
    WHERE level_2.patients >= settings.min_cell_size
    UNION ALL
    SELECT period_month, age_group, 'Suprimido', 'Suprimido', 'Suprimido', patients, active
    FROM level_3
    CROSS JOIN settings
    WHERE level_3.patients >= settings.min_cell_size
    UNION ALL
    SELECT period_month, 'Suprimido', 'Suprimido', 'Suprimido', 'Suprimido', patients, active
    FROM level_3
    CROSS JOIN settings
    WHERE level_3.patients < settings.min_cell_size
    UNION ALL
    -- Open months: one all-'Suprimido' row with the month's totals.
    SELECT people_cells.period_month, 'Suprimido', 'Suprimido', 'Suprimido', 'Suprimido', people_cells.patients, people_cells.active
    FROM people_cells
    CROSS JOIN settings
    WHERE people_cells.period_month >= settings.first_open_month
),
published_cells AS (
    SELECT
        period_month,
        age_group,
        gender_identity,
        sexual_orientation,
        pronoun,
        sum(patients)::bigint AS total_patients,
        sum(active)::bigint AS active_patients,
        sum(patients - active)::bigint AS inactive_patients
    FROM published_parts
    GROUP BY period_month, age_group, gender_identity, sexual_orientation, pronoun
)
-- growth_rate's previous month is the group's row before in month order when that is the month
-- just before (one sort of the published rows; a self-join sorted them twice).
SELECT
    cell.period_month,
    cell.age_group::text AS age_group,
    cell.gender_identity::text AS gender_identity,
    cell.sexual_orientation::text AS sexual_orientation,
    cell.pronoun::text AS pronoun,
    cell.total_patients,
    cell.active_patients,
    cell.inactive_patients,
    round(100.0 * cell.active_patients / NULLIF(cell.total_patients, 0), 2) AS active_percentage,
    round(100.0 * (cell.total_patients - cell.previous_total) / NULLIF(cell.previous_total, 0), 2) AS growth_rate
FROM (
    SELECT
        published_cells.period_month,
        published_cells.age_group,
        published_cells.gender_identity,
        published_cells.sexual_orientation,
        published_cells.pronoun,
        published_cells.total_patients,
        published_cells.active_patients,
        published_cells.inactive_patients,
        CASE
            WHEN lag(published_cells.period_month) OVER group_months = (published_cells.period_month - INTERVAL '1 month')::date
                THEN lag(published_cells.total_patients) OVER group_months
        END AS previous_total
    FROM published_cells
    WINDOW group_months AS (PARTITION BY age_group, gender_identity, sexual_orientation, pronoun ORDER BY period_month)
) AS cell
{{ if is_incremental }}
WHERE cell.period_month IN (SELECT scope.period_month FROM {{ scope }} AS scope)
{{ end }}
