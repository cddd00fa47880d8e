-- A second source for the benchmark (issue 21): the same 16 tables (the contract's columns,
-- created by pipelines/lacrei/demo/source-schema.sql), filled with data that the project's demo
-- generator does not produce, written without looking at it. psql variables: scale (1 ≈ 10,000
-- appointments) and source_schema (quoted). What differs on purpose:
--   * keys are not in insertion order: ids are a permutation with gaps (i * a prime modulo a
--     larger prime), and rows are inserted in random order, so a table's physical order says
--     nothing about its keys or its updated_at;
--   * uneven distributions: a few professionals take most appointments (a power law), a few
--     patients book very often, some lookups are rare, many users have no profile and some have
--     several, some appointments have several reports or cancellations (ties on created_at);
--   * messy values in other spellings: statuses and types in mixed case and with spaces,
--     hyphens and accents, states by name or code, specialties with accents and stray spaces,
--     prices in both writings, ratings outside 1-5, birth dates in the future or long ago.
-- Deterministic: one setseed, and every random() in one session in a fixed order.
SELECT setseed(0.21) \g /dev/null

-- Every updated_at is at or before this clock (the application's rows are not written in the future).
\set clock '2026-11-30 12:00:00+00'
\set n_users (3000 * :scale)
\set n_profs (150 * :scale)
\set n_appts (10000 * :scale)

-- A key that is not its row's position: i ↦ (i * 7919) mod 1000003 scaled up, distinct for i < 1000003.
CREATE OR REPLACE FUNCTION pg_temp.scatter(i bigint, base bigint) RETURNS bigint
LANGUAGE sql IMMUTABLE AS $$ SELECT base + (i * 7919) % 1000003 * 7 + i / 1000003 * 7919 $$;

-- A power-law pick among n: most picks land on the first few.
CREATE OR REPLACE FUNCTION pg_temp.skewed(n bigint, power float8) RETURNS bigint
LANGUAGE sql VOLATILE AS $$ SELECT 1 + floor(n * random() ^ power)::bigint $$;

CREATE OR REPLACE FUNCTION pg_temp.pick(options text[]) RETURNS text
LANGUAGE sql VOLATILE AS $$ SELECT options[1 + floor(random() * cardinality(options))::int] $$;

INSERT INTO :source_schema.lacrei_privacydocument (id, created_at, updated_at, privacy_policy, terms_of_use, profile_type)
SELECT 900 + i, TIMESTAMPTZ '2020-06-01' + i * interval '90 days', TIMESTAMPTZ '2020-06-01' + i * interval '91 days',
       'v' || i, 'terms-' || i, (ARRAY['PATIENT', 'professional', ' Paciente ', 'Profissional'])[i]
  FROM generate_series(1, 4) AS i;

INSERT INTO :source_schema.address_state (id, created_at, updated_at, name, code, ibge_code, active, country_id)
SELECT 500 - s.i, TIMESTAMPTZ '2020-01-01', TIMESTAMPTZ '2020-01-02' + s.i * interval '1 hour', s.name, s.code, s.ibge, s.i % 9 <> 0, 1
  FROM (SELECT row_number() OVER () AS i, v.* FROM (VALUES ('Acre', 'ac', '12'), ('ALAGOAS', NULL, '27'), ('Amapá', 'AP ', '16'), ('amazonas', 'AM', '13'),
               ('Bahia', NULL, '29'), ('Ceará', 'CE', '23'), ('Distrito   Federal', NULL, '53'), ('Espírito Santo', 'ES', '32'),
               ('GOIÁS', 'go', '52'), ('Maranhão', 'MA', '21'), ('Mato Grosso', 'MT', '51'), ('mato-grosso do sul', NULL, '50'),
               ('Minas Gerais', 'MG', '31'), ('Pará', 'PA', '15'), ('Paraíba', 'PB', '25'), ('Paraná', NULL, '41'),
               ('Pernambuco', 'PE', '26'), ('Piauí', 'PI', '22'), ('Rio de Janeiro', 'rj', '33'), ('rio grande do norte', 'RN', '24'),
               ('Rio Grande do Sul', 'RS', '43'), ('Rondônia', 'RO', '11'), ('Roraima', NULL, '14'), ('Santa Catarina', 'SC', '42'),
               ('São Paulo', 'SP', '35'), ('Sergipe', 'SE', '28'), ('Tocantins', 'TO', '17'),
               ('SAO  PAULO', NULL, NULL), ('sp', NULL, NULL), ('Guanabara', NULL, NULL), (NULL, NULL, NULL), ('  bahia ', 'XX', NULL))
       AS v(name, code, ibge)) AS s;

INSERT INTO :source_schema.lacreiid_disabilitytype (id, created_at, updated_at, badge, position_order, name)
SELECT 70 + i * 3, TIMESTAMPTZ '2020-01-01', TIMESTAMPTZ '2020-01-01', 'b' || i, 10 - i, name
  FROM unnest(ARRAY['Deficiência visual', 'Deficiência auditiva', 'Deficiência física', 'Deficiência intelectual',
                    'Autismo', 'TDAH', 'Deficiência múltipla', 'Outra deficiência']) WITH ORDINALITY AS t(name, i);
INSERT INTO :source_schema.lacreiid_sexualorientation (id, created_at, updated_at, bagde, position_order, name)
SELECT 40 + i * 2, TIMESTAMPTZ '2020-01-01', TIMESTAMPTZ '2020-01-01', NULL, i, name
  FROM unnest(ARRAY['Heterossexual', 'Gay', 'Lésbica', 'Bissexual', 'Pansexual', 'Assexual', ' Outra ']) WITH ORDINALITY AS t(name, i);
INSERT INTO :source_schema.lacreiid_ethnicgroup (id, created_at, updated_at, bagde, position_order, name)
SELECT 20 + i, TIMESTAMPTZ '2020-01-01', TIMESTAMPTZ '2020-01-01', NULL, i, name
  FROM unnest(ARRAY['Branca', 'Preta', 'Parda', 'Amarela', 'Indígena', 'Prefiro não dizer']) WITH ORDINALITY AS t(name, i);
INSERT INTO :source_schema.lacreiid_genderidentity (id, created_at, updated_at, bagde, position_order, name)
SELECT 60 + i * 5, TIMESTAMPTZ '2020-01-01', TIMESTAMPTZ '2020-01-01', NULL, i, name
  FROM unnest(ARRAY['Mulher cis', 'Homem cis', 'Mulher trans', 'Homem trans', 'Não binárie', 'Travesti', 'Agênero', 'Gênero fluido '])
       WITH ORDINALITY AS t(name, i);
INSERT INTO :source_schema.lacreiid_pronoun (id, created_at, updated_at, bagde, position_order, article, pronoun)
SELECT 10 + p.i, TIMESTAMPTZ '2020-01-01', TIMESTAMPTZ '2020-01-01', NULL, p.i, p.article, p.pronoun
  FROM (SELECT row_number() OVER () AS i, v.* FROM (VALUES ('a', 'ela/dela'), ('o', 'ele/dele'), ('e', ' elu/delu'), (NULL, 'ile/dile '), ('a', 'qualquer pronome'))
       AS v(article, pronoun)) AS p;

-- Users: sign-ups grow over time (more recent ones), some birth dates missing or implausible.
INSERT INTO :source_schema.lacreiid_user (id, password, is_superuser, is_staff, is_active, created_at, updated_at, email,
    first_name, last_name, birth_date, is_18_years_old_or_more, last_login, email_verified, accepted_privacy_document,
    newsletter_subscribed, phone, phone_verified, privacy_document_id, logged_as)
SELECT pg_temp.scatter(u.i, 100000), 'x', false, u.i % 997 = 0,
       CASE WHEN random() < 0.05 THEN NULL ELSE random() < 0.7 END,
       u.created, least(u.created + random() * interval '300 days', :'clock'), 'u' || u.i || '@example.invalid', 'F', 'L',
       CASE WHEN random() < 0.08 THEN NULL
            WHEN random() < 0.02 THEN DATE '2030-01-01' - (random() * 3000)::int          -- after sign-up: age negative
            WHEN random() < 0.02 THEN DATE '1890-01-01' + (random() * 3000)::int          -- over 120
            ELSE (u.created AT TIME ZONE 'America/Sao_Paulo')::date - (365.25 * (14 + 60 * random() ^ 2))::int END,
       true, NULL, random() < 0.8, true, random() < 0.3, NULL, false, 901 + (random() * 3)::int, NULL
  FROM (SELECT i, TIMESTAMPTZ '2021-01-01 00:00-03' + sqrt(random()) * (:'clock'::timestamptz - interval '5 days' - TIMESTAMPTZ '2021-01-01 00:00-03') AS created
          FROM generate_series(1, :n_users) AS i ORDER BY random()) AS u;

-- Profiles: 70 % of users have one, 8 % two or three (the latest updated_at counts), the rest none.
INSERT INTO :source_schema.lacreiid_profile (id, created_at, updated_at, completed, ethnic_group_id, gender_identity_id, pronoun_id,
    sexual_orientation_id, user_id)
SELECT pg_temp.scatter(p.n, 300000), p.created, least(p.created + random() * interval '200 days', :'clock'), random() < 0.6,
       CASE WHEN random() < 0.1 THEN NULL ELSE 20 + pg_temp.skewed(6, 2) END,
       CASE WHEN random() < 0.1 THEN NULL ELSE 60 + 5 * pg_temp.skewed(8, 2.5) END,
       CASE WHEN random() < 0.15 THEN NULL ELSE 10 + pg_temp.skewed(5, 2) END,
       CASE WHEN random() < 0.12 THEN NULL ELSE 40 + 2 * pg_temp.skewed(7, 2.5) END,
       p.user_id
  FROM (SELECT row_number() OVER () AS n, x.* FROM (
          SELECT u.id AS user_id, u.created_at + random() * interval '3 days' AS created
            FROM :source_schema.lacreiid_user AS u CROSS JOIN LATERAL generate_series(1,
                 CASE WHEN random() + 0 * u.id < 0.22 THEN 0 WHEN random() + 0 * u.id < 0.9 THEN 1 ELSE 2 + (random() + 0 * u.id < 0.3)::int END) AS copies
           ORDER BY random()) AS x) AS p;

INSERT INTO :source_schema.lacreiid_profile_disability_types (id, profile_id, disabilitytype_id)
SELECT pg_temp.scatter(row_number() OVER (), 700000), d.profile_id, d.type_id
  FROM (SELECT p.id AS profile_id, 70 + 3 * pg_temp.skewed(8, 1.8) AS type_id
          FROM :source_schema.lacreiid_profile AS p
         CROSS JOIN LATERAL generate_series(1, CASE WHEN (random() + 0 * p.id) < 0.82 THEN 0 ELSE 1 + ((random() + 0 * p.id) < 0.35)::int + ((random() + 0 * p.id) < 0.1)::int END)
         ORDER BY random()) AS d;

-- Professionals: specialties and statuses in many spellings, a few states by name only.
INSERT INTO :source_schema.lacreisaude_professional (id, created_at, updated_at, full_name, about_me, profile_status, active, published,
    document_number, accepted_privacy_document, specialty, ethnic_group_id, gender_identity_id, privacy_document_id, profession_id,
    pronoun_id, sexual_orientation_id, state_id, user_id)
SELECT pg_temp.scatter(p.i, 2000), p.created, least(p.created + random() * interval '500 days', :'clock'), 'N', 'A',
       pg_temp.pick(ARRAY['approved', 'Approved ', 'APROVADO', 'pending', ' Pending', 'rejected', 'inactive', 'em análise', '', NULL]),
       CASE WHEN random() < 0.04 THEN NULL ELSE random() < 0.85 END, random() < 0.75, '000', true,
       pg_temp.pick(ARRAY['Psicologia', 'psicologia ', 'PSICOLOGIA', 'Psiquiatria', 'Clínica  Geral', 'clinica geral', 'Ginecologia',
                          'endocrinologia', 'Urologia', 'Dermatologia', '  nutricao', 'NUTRIÇÃO', 'Nutrição', 'Fonoaudiologia',
                          'Infectologia', 'Acupuntura', 'Terapia ocupacional', '', NULL, 'psico logia']),
       CASE WHEN random() < 0.1 THEN NULL ELSE 20 + pg_temp.skewed(6, 1.5) END,
       CASE WHEN random() < 0.1 THEN NULL ELSE 60 + 5 * pg_temp.skewed(8, 1.5) END, 901, 1,
       CASE WHEN random() < 0.2 THEN NULL ELSE 10 + pg_temp.skewed(5, 1.5) END,
       CASE WHEN random() < 0.2 THEN NULL ELSE 40 + 2 * pg_temp.skewed(7, 1.5) END,
       CASE WHEN random() < 0.05 THEN NULL ELSE 500 - pg_temp.skewed(32, 2) END, NULL
  FROM (SELECT i, TIMESTAMPTZ '2020-03-01' + random() * interval '1800 days' AS created FROM generate_series(1, :n_profs) AS i ORDER BY random()) AS p;

INSERT INTO :source_schema.lacreisaude_professional_disability_types (id, professional_id, disabilitytype_id)
SELECT pg_temp.scatter(row_number() OVER (), 800000), p.id, 70 + 3 * pg_temp.skewed(8, 1.5)
  FROM :source_schema.lacreisaude_professional AS p WHERE random() < 0.12;

-- Clinics: most professionals one, some two or three, some none; online, in person or both.
INSERT INTO :source_schema.lacreisaude_clinic (id, created_at, updated_at, is_presential_clinic, is_online_clinic, name, zip_code,
    neighborhood, city, address, consult_price, duration_minutes, accepts_insurance_providers, provides_accessibility_standards,
    online_clinic_consult_price, online_clinic_duration_minutes, online_clinic_accepts_insurance_providers, professional_id, state_id)
SELECT pg_temp.scatter(row_number() OVER (), 40000), c.created, least(c.created + random() * interval '100 days', :'clock'), c.kind <> 1, c.kind <> 0,
       'C', '00000-000', 'Centro', pg_temp.pick(ARRAY['São Paulo', ' Rio  de Janeiro ', 'Recife', 'Porto Alegre', 'belo horizonte', '', NULL]),
       'R', pg_temp.pick(ARRAY['R$ 150,00', '150.00', '1.234,56', 'R$ 1.500', '1.234.567', '150.5', '200', '', 'a combinar', NULL, '99,9']),
       pg_temp.pick(ARRAY['30', '45', '50', '60'])::int, random() < 0.3, random() < 0.5,
       pg_temp.pick(ARRAY['R$ 120,00', '90', NULL]), 50, random() < 0.2, c.professional_id, 500 - pg_temp.skewed(32, 2)
  FROM (SELECT p.id AS professional_id, p.created_at + random() * interval '30 days' AS created,
               floor(random() * 3)::int AS kind                       -- 0 in person, 1 online, 2 both
          FROM :source_schema.lacreisaude_professional AS p
         CROSS JOIN LATERAL generate_series(1, CASE WHEN (random() + 0 * p.id) < 0.1 THEN 0 WHEN (random() + 0 * p.id) < 0.75 THEN 1 ELSE 2 + ((random() + 0 * p.id) < 0.3)::int END)
         ORDER BY random()) AS c;

-- Appointments: a power law over professionals and patients, inserted in random order; the
-- clinic is often NULL; soft deletes; creation after the date now and then (negative wait).
CREATE TEMP TABLE profs AS SELECT row_number() OVER (ORDER BY random()) AS rank, id FROM :source_schema.lacreisaude_professional;
CREATE TEMP TABLE users AS SELECT row_number() OVER (ORDER BY random()) AS rank, id FROM :source_schema.lacreiid_user;
CREATE TEMP TABLE appts AS
SELECT pg_temp.scatter(a.i, 5000000) AS id, a.created, a.created + (random() * 60 - 5) * interval '1 day' + random() * interval '10 hours' AS date,
       pg_temp.skewed(:n_profs, 3) AS prof_rank, pg_temp.skewed(:n_users, 2.2) AS user_rank,
       pg_temp.pick(ARRAY['Completed', 'completed ', 'Concluída', 'realizado', 'DONE', 'finished', 'cancelado', 'Canceled',
                          'cancelled-by-patient', 'CANCELED_BY_PROFESSIONAL', 'agendada', 'Scheduled', 'confirmado', 'pendente',
                          'no-show', 'No Show', 'faltou', 'não compareceu', 'ausente', 'remarcada', '', NULL]) AS status,
       pg_temp.pick(ARRAY['Online', 'online', 'Teleconsulta', 'tele-medicina', 'telemedicina', 'REMOTO', 'Presencial', 'presencial ',
                          'In Person', 'in-person', 'consultório', 'híbrido', NULL]) AS type,
       random() < 0.4 AS with_clinic, CASE WHEN random() < 0.03 THEN a.created + interval '2 days' END AS deleted_at
  FROM (SELECT i, TIMESTAMPTZ '2021-02-01' + sqrt(random()) * (:'clock'::timestamptz - interval '3 days' - TIMESTAMPTZ '2021-02-01') AS created
          FROM generate_series(1, :n_appts) AS i) AS a;
INSERT INTO :source_schema.lacreiid_appointment (id, created_at, updated_at, date, status, type, professional_id, user_id, clinic_id,
    agreement_id, deleted_at)
SELECT a.id, a.created, least(greatest(a.created, a.date) + random() * interval '20 days', :'clock'), CASE WHEN random() < 0.01 THEN NULL ELSE a.date END,
       a.status, a.type, p.id, u.id,
       CASE WHEN a.with_clinic THEN (SELECT c.id FROM :source_schema.lacreisaude_clinic AS c WHERE c.professional_id = p.id ORDER BY c.id LIMIT 1) END,
       NULL, a.deleted_at
  FROM appts AS a JOIN profs AS p ON p.rank = a.prof_rank JOIN users AS u ON u.rank = a.user_rank
 ORDER BY random();

-- Cancellations and reports: some appointments have several (the latest counts; ties on created_at).
INSERT INTO :source_schema.lacreiid_cancellation (id, created_at, updated_at, reason, appointment_id)
SELECT pg_temp.scatter(row_number() OVER (), 9000000), least(c.created, :'clock'), least(c.created + random() * interval '2 days', :'clock'), c.reason, c.appointment_id
  FROM (SELECT a.id AS appointment_id, a.created_at + (CASE WHEN k = 2 AND random() < 0.3 THEN 0 ELSE random() END) * interval '5 days' AS created,
               CASE WHEN random() < 0.4 THEN NULL WHEN random() < 0.5 THEN '' ELSE 'motivo' END AS reason
          FROM :source_schema.lacreiid_appointment AS a
         CROSS JOIN LATERAL generate_series(1, CASE WHEN (random() + 0 * a.id) < 0.8 THEN 0 WHEN (random() + 0 * a.id) < 0.85 THEN 1 ELSE 2 END) AS k
         ORDER BY random()) AS c;
INSERT INTO :source_schema.lacreiid_report (id, created_at, updated_at, feedback, eval, appointment_id)
SELECT pg_temp.scatter(row_number() OVER (), 12000000), least(r.created, :'clock'), least(r.created, :'clock'), r.feedback, r.eval, r.appointment_id
  FROM (SELECT a.id AS appointment_id, a.created_at + interval '1 day' + (CASE WHEN k = 2 AND random() < 0.3 THEN 0 ELSE random() END) * interval '3 days' AS created,
               CASE WHEN random() < 0.5 THEN NULL ELSE 'ok' END AS feedback,
               CASE WHEN random() < 0.1 THEN NULL WHEN random() < 0.05 THEN (ARRAY[0, 6, 10, -1])[1 + floor(random() * 4)::int]
                    ELSE 1 + pg_temp.skewed(5, 0.5) - 1 END AS eval
          FROM :source_schema.lacreiid_appointment AS a
         CROSS JOIN LATERAL generate_series(1, CASE WHEN (random() + 0 * a.id) < 0.7 THEN 0 WHEN (random() + 0 * a.id) < 0.8 THEN 1 ELSE 2 END) AS k
         ORDER BY random()) AS r;

ANALYZE;
