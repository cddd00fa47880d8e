-- Mart: professionals
-- Grain: one row per professional (key professional_id).
-- Rule (SPEC §9.5): total_appointments = fact rows of the professional, completed_appointments
-- = those with is_completed, ratings_count = those with a non-NULL rating, avg_rating =
-- round(avg(rating), 2). A NULL text attribute reads 'Não informado'. No identity attributes.
-- Outcomes of fewer than k = vars.min_cell_size appointments are not published:
-- completed_appointments is NULL when total_appointments < k, avg_rating is NULL when
-- ratings_count < k (so also without ratings), and suppressed says whether either was nulled;
-- otherwise a reader who knows one appointment or one rating would learn its outcome.
-- Materialization: incremental with a scope (professionals.scope.sql): a run recomputes the
-- professionals whose row or appointments changed.
WITH settings AS (
    SELECT
        CAST('{{ vars.min_cell_size }}' AS integer) AS min_cell_size
),
appointment_totals AS (
    SELECT
        professional_id,
        count(*) AS total_appointments,
        count(*) FILTER (WHERE is_completed) AS completed_appointments,
        count(rating) AS ratings_count,
        round(avg(rating), 2) AS avg_rating
    FROM {{ ref "model.fact_lacreisaude_appointments" }}
    WHERE professional_id IS NOT NULL
    {{ if is_incremental }}
        AND professional_id IN (SELECT scope.professional_id FROM {{ scope }} AS scope)
    {{ end }}
    GROUP BY professional_id
),
professional_totals AS (
    SELECT
        professional.professional_id,
        coalesce(professional.specialty, 'Não informado') AS specialty,
        coalesce(professional.state, 'Não informado') AS state,
        coalesce(professional.profile_status, 'Não informado') AS profile_status,
        professional.active,
        professional.published,
        coalesce(appointment_totals.total_appointments, 0) AS total_appointments,
        coalesce(appointment_totals.completed_appointments, 0) AS completed_appointments,
        coalesce(appointment_totals.ratings_count, 0) AS ratings_count,
        appointment_totals.avg_rating
    FROM {{ ref "model.dim_lacreisaude_professional" }} AS professional
    LEFT JOIN appointment_totals
        ON appointment_totals.professional_id = professional.professional_id
    {{ if is_incremental }}
    WHERE professional.professional_id IN (SELECT scope.professional_id FROM {{ scope }} AS scope)
    {{ end }}
)
SELECT
    professional_totals.professional_id,
    professional_totals.specialty,
    professional_totals.state,
    professional_totals.profile_status,
    professional_totals.active,
    professional_totals.published,
    professional_totals.total_appointments,
    CASE
        WHEN professional_totals.total_appointments >= settings.min_cell_size THEN professional_totals.completed_appointments
    END AS completed_appointments,
    professional_totals.ratings_count,
    CASE
        WHEN professional_totals.ratings_count >= settings.min_cell_size THEN professional_totals.avg_rating
    END AS avg_rating,
    (professional_totals.total_appointments < settings.min_cell_size
        OR professional_totals.ratings_count < settings.min_cell_size) AS suppressed
FROM professional_totals
CROSS JOIN settings
