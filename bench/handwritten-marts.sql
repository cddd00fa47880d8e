-- The benchmark's "hand-written script" (issue 21): the four Lacrei marts computed straight from
-- the source tables in one psql session, as someone would write them by hand from SPEC §9 —
-- written from the specification, not from the pipeline's SQL. It reads the source schema and
-- the seeds (the mappings live there, SPEC §9.3) in the same database, and writes the marts into
-- the schema bench_handwritten. bench/run compares them with the engine's, row for row.
-- psql variables: as_of (yyyy-mm-dd), k (min_cell_size), tz (vars.timezone), src (quoted source schema).
\set ON_ERROR_STOP 1
SET client_min_messages = warning;
SET work_mem = '64MB';
SET bench.k = :'k';             -- for the DO blocks, which psql variables do not reach
DROP SCHEMA IF EXISTS bench_handwritten CASCADE;
CREATE SCHEMA bench_handwritten;
SET search_path = bench_handwritten;

-- Normalised text (SPEC §9.3): lower case, accents removed, trimmed, runs of spaces, - or _ → _.
CREATE FUNCTION norm(t text) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT regexp_replace(btrim(translate(lower(t), 'áàâãäéèêëíìîïóòôõöúùûüç', 'aaaaaeeeeiiiiooooouuuuc')), '[ _-]+', '_', 'g')
$$;
CREATE FUNCTION month_of(ts timestamptz, tz text) RETURNS date LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT date_trunc('month', (ts AT TIME ZONE tz)::date)::date
$$;
CREATE FUNCTION pct(part numeric, whole numeric) RETURNS numeric LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE WHEN whole <> 0 THEN round(100 * part / whole, 2) END
$$;

-- Patients: users with a profile, the latest profile (updated_at, then id) counts.
CREATE TEMP TABLE patient AS
SELECT u.id AS user_id, p.id AS profile_id,
       month_of(u.created_at, :'tz') AS period_month,
       coalesce(u.is_active, false) AS active,
       coalesce(btrim(gi.name), 'Não informado') AS gender_identity,
       coalesce(btrim(so.name), 'Não informado') AS sexual_orientation,
       coalesce(btrim(pr.pronoun), 'Não informado') AS pronoun,
       CASE WHEN age IS NULL OR u.birth_date > (u.created_at AT TIME ZONE :'tz')::date OR age > 120 THEN 'N/I' WHEN age < 18 THEN '< 18' WHEN age < 25 THEN '18-24'
            WHEN age < 35 THEN '25-34' WHEN age < 45 THEN '35-44' WHEN age < 55 THEN '45-54' ELSE '55+' END AS age_group
  FROM :src.lacreiid_user AS u
  JOIN LATERAL (SELECT * FROM :src.lacreiid_profile AS p WHERE p.user_id = u.id ORDER BY p.updated_at DESC, p.id DESC LIMIT 1) AS p ON true
  LEFT JOIN :src.lacreiid_genderidentity AS gi ON gi.id = p.gender_identity_id
  LEFT JOIN :src.lacreiid_sexualorientation AS so ON so.id = p.sexual_orientation_id
  LEFT JOIN :src.lacreiid_pronoun AS pr ON pr.id = p.pronoun_id
 CROSS JOIN LATERAL (SELECT extract(year FROM age((u.created_at AT TIME ZONE :'tz')::date, u.birth_date))::int AS age) AS a;

-- patients: fold cells below k step by step within a month (pronoun, then orientation, then
-- identity, then age group); open months (as_of's and later) are one all-Suprimido row.
CREATE TEMP TABLE folded (period_month date, age_group text, gender_identity text, sexual_orientation text, pronoun text,
                          total bigint, active bigint);
CREATE TEMP TABLE leftover AS
SELECT period_month, age_group, gender_identity, sexual_orientation, pronoun, active FROM patient
 WHERE period_month < date_trunc('month', :'as_of'::date);
INSERT INTO folded
SELECT period_month, 'Suprimido', 'Suprimido', 'Suprimido', 'Suprimido', count(*), count(*) FILTER (WHERE active)
  FROM patient WHERE period_month >= date_trunc('month', :'as_of'::date) GROUP BY period_month;
DO $$
DECLARE
    columns text[] := ARRAY['pronoun', 'sexual_orientation', 'gender_identity', 'age_group'];
    level int;
BEGIN
    FOR level IN 0 .. 3 LOOP
        IF level > 0 THEN
            EXECUTE format('UPDATE leftover SET %I = ''Suprimido''', columns[level]);
        END IF;
        EXECUTE format('CREATE TEMP TABLE cell AS SELECT period_month, age_group, gender_identity, sexual_orientation, pronoun, '
                       'count(*) AS total, count(*) FILTER (WHERE active) AS active FROM leftover GROUP BY 1, 2, 3, 4, 5 HAVING count(*) >= %s',
                       current_setting('bench.k'));
        INSERT INTO folded SELECT * FROM cell;
        DELETE FROM leftover AS l USING cell AS c
         WHERE (l.period_month, l.age_group, l.gender_identity, l.sexual_orientation, l.pronoun)
             = (c.period_month, c.age_group, c.gender_identity, c.sexual_orientation, c.pronoun);
        DROP TABLE cell;
    END LOOP;
END $$;
INSERT INTO folded
SELECT period_month, 'Suprimido', 'Suprimido', 'Suprimido', 'Suprimido', count(*), count(*) FILTER (WHERE active)
  FROM leftover GROUP BY period_month;

CREATE TABLE patients AS
SELECT f.period_month, f.age_group, f.gender_identity, f.sexual_orientation, f.pronoun,
       f.total AS total_patients, f.active AS active_patients, f.total - f.active AS inactive_patients,
       pct(f.active, f.total) AS active_percentage,
       CASE WHEN prev.total > 0 THEN round(100 * (f.total - prev.total)::numeric / prev.total, 2) END AS growth_rate
  FROM folded AS f
  LEFT JOIN folded AS prev ON prev.period_month = (f.period_month - interval '1 month')::date
       AND (prev.age_group, prev.gender_identity, prev.sexual_orientation, prev.pronoun)
         = (f.age_group, f.gender_identity, f.sexual_orientation, f.pronoun);

-- patient_disability: a patient counts under each distinct type of the counting profile.
CREATE TEMP TABLE has_type AS
SELECT DISTINCT p.user_id, p.period_month, p.active, btrim(d.name) AS type
  FROM patient AS p
  JOIN :src.lacreiid_profile_disability_types AS pd ON pd.profile_id = p.profile_id
  JOIN :src.lacreiid_disabilitytype AS d ON d.id = pd.disabilitytype_id
 WHERE d.name IS NOT NULL;
CREATE TEMP TABLE type_cell AS
SELECT period_month, type, count(*) AS total, count(*) FILTER (WHERE active) AS active,
       period_month >= date_trunc('month', :'as_of'::date) OR count(*) < current_setting('bench.k')::int AS hidden
  FROM has_type GROUP BY 1, 2;
-- Secondary suppression: while a month's hidden cells cover fewer than 2 types or fewer than k
-- people, its smallest shown cell (fewest people, then type) is hidden too.
DO $$
DECLARE
    k int := current_setting('bench.k')::int;
    more boolean := true;
BEGIN
    WHILE more LOOP
        WITH weak AS (
            SELECT c.period_month FROM type_cell AS c GROUP BY c.period_month
            HAVING bool_or(c.hidden) AND bool_or(NOT c.hidden)
               AND (count(*) FILTER (WHERE c.hidden) < 2
                    OR (SELECT count(DISTINCT h.user_id) FROM has_type AS h JOIN type_cell AS x USING (period_month, type)
                         WHERE h.period_month = c.period_month AND x.hidden) < k)),
        smallest AS (
            SELECT DISTINCT ON (c.period_month) c.period_month, c.type
              FROM type_cell AS c JOIN weak USING (period_month) WHERE NOT c.hidden
             ORDER BY c.period_month, c.total, c.type)
        UPDATE type_cell AS c SET hidden = true FROM smallest AS s WHERE (c.period_month, c.type) = (s.period_month, s.type);
        more := FOUND;
    END LOOP;
END $$;
CREATE TABLE patient_disability AS
SELECT period_month, type AS disability_type, total AS total_patients, active AS active_patients, total - active AS inactive_patients
  FROM type_cell WHERE NOT hidden
UNION ALL
SELECT h.period_month, 'Suprimido', count(DISTINCT h.user_id), count(DISTINCT h.user_id) FILTER (WHERE h.active),
       count(DISTINCT h.user_id) FILTER (WHERE NOT h.active)
  FROM has_type AS h JOIN type_cell AS c USING (period_month, type) WHERE c.hidden GROUP BY h.period_month;

-- Professionals: specialty, state and status as SPEC §9.3 cleans them.
CREATE TEMP TABLE professional AS
SELECT p.id AS professional_id,
       CASE WHEN nullif(btrim(p.specialty), '') IS NULL THEN NULL
            ELSE coalesce((SELECT s.specialty FROM lacreisaude_seeds.specialties AS s
                            WHERE norm(s.specialty) = norm(regexp_replace(btrim(p.specialty), ' +', ' ', 'g')) LIMIT 1), 'Outra') END AS specialty,
       CASE WHEN upper(btrim(st.code)) IN (SELECT uf FROM lacreisaude_seeds.states) THEN upper(btrim(st.code))
            ELSE (SELECT s.uf FROM lacreisaude_seeds.states AS s WHERE norm(s.name) = norm(st.name) OR lower(s.uf) = norm(st.name) LIMIT 1) END AS state,
       CASE WHEN nullif(btrim(p.profile_status), '') IS NULL THEN NULL
            ELSE coalesce((SELECT s.status FROM lacreisaude_seeds.profile_statuses AS s WHERE s.synonym = norm(p.profile_status)), 'Outro') END AS profile_status,
       p.active, p.published
  FROM :src.lacreisaude_professional AS p
  LEFT JOIN :src.address_state AS st ON st.id = p.state_id;

-- Appointments (not soft-deleted), with status and modality mapped and the latest report and cancellation.
CREATE TEMP TABLE appointment AS
SELECT a.id, a.professional_id,
       month_of(a.date, :'tz') AS period_month,
       CASE WHEN (a.date AT TIME ZONE :'tz')::date >= (a.created_at AT TIME ZONE :'tz')::date
            THEN (a.date AT TIME ZONE :'tz')::date - (a.created_at AT TIME ZONE :'tz')::date END AS waiting_days,
       coalesce(m.modality, 'unknown') AS modality,
       coalesce(s.status, 'unknown') = 'cancelled' OR EXISTS (SELECT FROM :src.lacreiid_cancellation AS c WHERE c.appointment_id = a.id) AS cancelled,
       coalesce(s.status, 'unknown') AS status,
       (SELECT CASE WHEN r.eval BETWEEN 1 AND 5 THEN r.eval END FROM :src.lacreiid_report AS r WHERE r.appointment_id = a.id
         ORDER BY r.created_at DESC, r.id DESC LIMIT 1) AS rating
  FROM :src.lacreiid_appointment AS a
  LEFT JOIN lacreisaude_seeds.status_synonyms AS s ON s.synonym = norm(a.status)
  LEFT JOIN lacreisaude_seeds.modality_synonyms AS m ON m.synonym = norm(a.type)
 WHERE a.deleted_at IS NULL;
ALTER TABLE appointment ADD COLUMN completed boolean, ADD COLUMN no_show boolean;
UPDATE appointment SET completed = status = 'completed' AND NOT cancelled, no_show = status = 'no_show' AND NOT cancelled;

CREATE TABLE professionals AS
SELECT p.professional_id, coalesce(p.specialty, 'Não informado') AS specialty, coalesce(p.state, 'Não informado') AS state,
       coalesce(p.profile_status, 'Não informado') AS profile_status, p.active, p.published,
       coalesce(a.total, 0) AS total_appointments,
       CASE WHEN coalesce(a.total, 0) >= :k THEN coalesce(a.completed, 0) END AS completed_appointments,
       coalesce(a.ratings, 0) AS ratings_count,
       CASE WHEN coalesce(a.ratings, 0) >= :k THEN round(a.rating_sum::numeric / a.ratings, 2) END AS avg_rating,
       coalesce(a.total, 0) < :k OR coalesce(a.ratings, 0) < :k AS suppressed
  FROM professional AS p
  LEFT JOIN (SELECT professional_id, count(*) AS total, count(*) FILTER (WHERE completed) AS completed,
                    count(rating) AS ratings, sum(rating) AS rating_sum
               FROM appointment GROUP BY professional_id) AS a USING (professional_id);

-- professional_appointments: a month's professionals below k appointments share one Suprimido row.
CREATE TEMP TABLE by_professional AS
SELECT a.period_month, a.professional_id, coalesce(p.specialty, 'Não informado') AS specialty,
       count(*) AS total, count(*) FILTER (WHERE a.completed) AS completed, count(*) FILTER (WHERE a.cancelled) AS cancelled,
       count(*) FILTER (WHERE a.no_show) AS no_show,
       count(*) FILTER (WHERE a.modality = 'online') AS online_total,
       count(*) FILTER (WHERE a.modality = 'online' AND a.completed) AS online_completed,
       count(*) FILTER (WHERE a.modality = 'online' AND a.cancelled) AS online_cancelled,
       count(*) FILTER (WHERE a.modality = 'in_person') AS in_person_total,
       count(*) FILTER (WHERE a.modality = 'in_person' AND a.completed) AS in_person_completed,
       count(*) FILTER (WHERE a.modality = 'in_person' AND a.cancelled) AS in_person_cancelled,
       sum(a.waiting_days) AS waiting_sum, count(a.waiting_days) AS waiting_count
  FROM appointment AS a JOIN professional AS p USING (professional_id)
 WHERE a.period_month IS NOT NULL
 GROUP BY 1, 2, 3;
CREATE TABLE professional_appointments AS
SELECT period_month, professional_id, specialty, total AS total_appointments, completed AS completed_appointments,
       cancelled AS cancelled_appointments, no_show AS no_show_appointments, online_total, online_completed, online_cancelled,
       in_person_total, in_person_completed, in_person_cancelled,
       pct(completed, total) AS completion_rate, pct(cancelled, total) AS cancellation_rate,
       pct(online_cancelled, online_total) AS cancellation_rate_online, pct(in_person_cancelled, in_person_total) AS cancellation_rate_in_person,
       CASE WHEN waiting_count > 0 THEN round(waiting_sum::numeric / waiting_count, 2) END AS avg_waiting_days
  FROM (SELECT period_month, CASE WHEN total >= :k THEN professional_id END AS professional_id,
               CASE WHEN total >= :k THEN specialty ELSE 'Suprimido' END AS specialty,
               sum(total) AS total, sum(completed) AS completed, sum(cancelled) AS cancelled, sum(no_show) AS no_show,
               sum(online_total) AS online_total, sum(online_completed) AS online_completed, sum(online_cancelled) AS online_cancelled,
               sum(in_person_total) AS in_person_total, sum(in_person_completed) AS in_person_completed,
               sum(in_person_cancelled) AS in_person_cancelled, sum(waiting_sum) AS waiting_sum, sum(waiting_count) AS waiting_count
          FROM by_professional
         GROUP BY 1, 2, 3) AS g;
