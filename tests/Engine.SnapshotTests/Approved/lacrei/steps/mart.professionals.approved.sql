SET LOCAL random_page_cost = '1.1';
SET LOCAL work_mem = '64MB';
-- mart.professionals: replace the rows of "lacreisaude_mart"."professionals" in this transaction
CREATE TEMP TABLE lp_step_rows ON COMMIT DROP AS
-- Mart: professionals
-- Grain: one row per professional (key professional_id).
-- Rule (SPEC §9.5): total_appointments = fact rows of the professional, completed_appointments
-- = those with is_completed, ratings_count = those with a non-NULL rating, avg_rating =
-- round(avg(rating), 2), NULL without ratings. A NULL text attribute reads 'Não informado'.
-- No identity attributes.
-- Materialization: replace, so no stale row survives a run.
WITH appointment_totals AS (
    SELECT
        professional_id,
        count(*) AS total_appointments,
        count(*) FILTER (WHERE is_completed) AS completed_appointments,
        count(rating) AS ratings_count,
        round(avg(rating), 2) AS avg_rating
    FROM "lacreisaude_model"."fact_lacreisaude_appointments"
    WHERE professional_id IS NOT NULL
    GROUP BY professional_id
)
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
FROM "lacreisaude_model"."dim_lacreisaude_professional" AS professional
LEFT JOIN appointment_totals
    ON appointment_totals.professional_id = professional.professional_id
;
CALL "lacreisaude_pipeline".lp_materialize('replace', 'lacreisaude_mart', 'professionals', ARRAY['professional_id'], false, false, 'mart.professionals', false, false, NULL, NULL);
DROP TABLE lp_step_rows;
COMMENT ON TABLE "lacreisaude_mart"."professionals" IS 'One row per professional with appointment and rating totals.';
COMMENT ON COLUMN "lacreisaude_mart"."professionals"."active" IS 'Whether the professional is active.';
COMMENT ON COLUMN "lacreisaude_mart"."professionals"."avg_rating" IS 'Average of those ratings, rounded to 2 decimals; NULL without ratings.';
COMMENT ON COLUMN "lacreisaude_mart"."professionals"."completed_appointments" IS 'Of those, completed and not cancelled.';
COMMENT ON COLUMN "lacreisaude_mart"."professionals"."professional_id" IS 'Source professional id.';
COMMENT ON COLUMN "lacreisaude_mart"."professionals"."profile_status" IS 'Profile status as registered; Não informado when empty.';
COMMENT ON COLUMN "lacreisaude_mart"."professionals"."published" IS 'Whether the professional''s profile is published.';
COMMENT ON COLUMN "lacreisaude_mart"."professionals"."ratings_count" IS 'Appointments whose latest report has a valid rating.';
COMMENT ON COLUMN "lacreisaude_mart"."professionals"."specialty" IS 'Canonical specialty; Não informado when empty.';
COMMENT ON COLUMN "lacreisaude_mart"."professionals"."state" IS 'Two-letter UF; Não informado when unknown.';
COMMENT ON COLUMN "lacreisaude_mart"."professionals"."total_appointments" IS 'Appointments of the professional (not soft-deleted).';

-- ==== data test unique(professional_id) (error): offending rows ====
SELECT "professional_id", count(*) AS duplicates FROM "lacreisaude_mart"."professionals" GROUP BY "professional_id" HAVING count(*) > 1

-- ==== data test not_null(professional_id) (error): offending rows ====
SELECT * FROM "lacreisaude_mart"."professionals" WHERE "professional_id" IS NULL

-- ==== data test avg_rating_between_1_and_5 (error): offending rows ====
SELECT * FROM "lacreisaude_mart"."professionals" WHERE NOT (avg_rating BETWEEN 1 AND 5)

-- ==== data test completed_within_total (error): offending rows ====
SELECT * FROM "lacreisaude_mart"."professionals" WHERE NOT (completed_appointments <= total_appointments)
