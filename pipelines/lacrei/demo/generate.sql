-- Demo source generator: fills the 16 source tables (created by source-schema.sql) with
-- deterministic, realistic and deliberately messy synthetic data (SPEC §9.1, issue 3).
--
-- Template variables (Scriban):
--   source_schema  the source schema, rendered already double-quoted ("lacreisaude-relacional")
--   scale          a positive integer; 1 gives about 600 professionals, 1,800 users and
--                  10,000 appointments, N gives N times that (lookup tables stay the same size)
--
-- Determinism: every pseudo-random choice is derived from a hash of the row's own key and a
-- salt, h = hashtext('<table>:<salt>:' || key) & 2147483647, so the result does not depend on
-- execution order, parallelism or random(); ids that are not a generate_series value come from
-- row_number() over a unique ORDER BY. Same scale, same PostgreSQL major version → the same
-- table contents, run after run.
--
-- Time: no now(). The data set's "now" is 2025-06-30 12:00 in São Paulo. Times are computed as
-- São Paulo wall-clock TIMESTAMPs (fixed UTC-03, no DST since 2019) and converted at the end
-- with (local + INTERVAL '3 hours') AT TIME ZONE 'UTC'; only timestamp-without-time-zone
-- arithmetic is used, so the session TimeZone does not change any value.
--
-- Names, e-mails, phones, documents, photos and free texts (the contract's "never extracted"
-- columns) are fake but recognisable: 'Pessoa 123', 'usuario123@example.org',
-- '+55 11 9xxxx-xxxx', CPF-shaped '123.456.789-01', 'Texto livre fictício ...', so a privacy test
-- can search the warehouse for them.
--
-- Re-runnable: starts by emptying all 16 tables.

SELECT setseed(0.42);  -- nothing below calls random(); kept so any future use stays seeded
SET jit = off;          -- the long generated expressions make JIT compilation cost seconds

TRUNCATE
    {{ source_schema }}.lacreiid_report,
    {{ source_schema }}.lacreiid_cancellation,
    {{ source_schema }}.lacreiid_appointment,
    {{ source_schema }}.lacreisaude_clinic,
    {{ source_schema }}.lacreisaude_professional_disability_types,
    {{ source_schema }}.lacreisaude_professional,
    {{ source_schema }}.lacreiid_profile_disability_types,
    {{ source_schema }}.lacreiid_profile,
    {{ source_schema }}.lacreiid_user,
    {{ source_schema }}.lacreiid_disabilitytype,
    {{ source_schema }}.lacreiid_sexualorientation,
    {{ source_schema }}.lacreiid_pronoun,
    {{ source_schema }}.lacreiid_ethnicgroup,
    {{ source_schema }}.lacreiid_genderidentity,
    {{ source_schema }}.address_state,
    {{ source_schema }}.lacrei_privacydocument;

-- ---------------------------------------------------------------------------------------------
-- lacrei_privacydocument (6 rows, fixed): three versions, one per audience each.
-- Messy: profile_type spelled 'Paciente' / 'Profissional', ' paciente' / 'PROFISSIONAL',
-- 'patient' / 'professional'.
-- ---------------------------------------------------------------------------------------------
INSERT INTO {{ source_schema }}.lacrei_privacydocument
    (id, created_at, updated_at, privacy_policy, terms_of_use, profile_type)
VALUES
    (1, TIMESTAMPTZ '2020-05-04 10:00:00-03', TIMESTAMPTZ '2020-05-04 10:00:00-03',
     'Política de Privacidade v1 (texto fictício de demonstração).',
     'Termos de Uso v1 (texto fictício de demonstração).', 'Paciente'),
    (2, TIMESTAMPTZ '2020-05-04 10:05:00-03', TIMESTAMPTZ '2020-05-04 10:05:00-03',
     'Política de Privacidade v1 para profissionais (texto fictício).',
     'Termos de Uso v1 para profissionais (texto fictício).', 'Profissional'),
    (3, TIMESTAMPTZ '2022-01-10 09:00:00-03', TIMESTAMPTZ '2022-02-01 18:30:00-03',
     'Política de Privacidade v2 (texto fictício de demonstração, LGPD).',
     'Termos de Uso v2 (texto fictício de demonstração).', ' paciente'),
    (4, TIMESTAMPTZ '2022-01-10 09:10:00-03', TIMESTAMPTZ '2022-01-10 09:10:00-03',
     'Política de Privacidade v2 para profissionais (texto fictício).',
     'Termos de Uso v2 para profissionais (texto fictício).', 'PROFISSIONAL'),
    (5, TIMESTAMPTZ '2024-01-02 08:00:00-03', TIMESTAMPTZ '2024-01-02 08:00:00-03',
     'Política de Privacidade v3 (texto fictício de demonstração).',
     'Termos de Uso v3 (texto fictício de demonstração).', 'patient'),
    (6, TIMESTAMPTZ '2024-01-02 08:00:00-03', TIMESTAMPTZ '2024-03-15 23:45:00-03',
     'Política de Privacidade v3 para profissionais (texto fictício).',
     NULL, 'professional');

-- ---------------------------------------------------------------------------------------------
-- address_state (59 rows, fixed). Ids 1..27: the 27 units in UF order (AC, AL, AM, AP, BA, CE,
-- DF, ES, GO, MA, MG, MS, MT, PA, PB, PE, PI, PR, RJ, RN, RO, RR, RS, SC, SE, SP, TO), mostly
-- the proper name with accents. Ids 28..54: a second row for the same unit (id - 27) in another
-- spelling. 55..57: more São Paulo spellings. 58: 'Exterior' (no UF). 59: name and code NULL.
-- Messy: names without accents, upper/lower case, leading/trailing/double inner spaces, the code
-- alone as the name ('SP', 'DF', 'MT', 'RR'), code missing (NULL), code in lower case or with
-- spaces (' ba', 'rn', 'PI '), ibge_code NULL or padded, inactive duplicates.
-- ---------------------------------------------------------------------------------------------
INSERT INTO {{ source_schema }}.address_state
    (id, created_at, updated_at, name, code, ibge_code, active, country_id)
SELECT v.id,
       TIMESTAMPTZ '2020-03-01 09:00:00-03',
       CASE WHEN v.id <= 27 THEN TIMESTAMPTZ '2020-03-01 09:00:00-03'
            ELSE TIMESTAMPTZ '2021-08-17 14:20:00-03' END,
       v.name, v.code, v.ibge_code, v.active, v.country_id
FROM (VALUES
    ( 1, 'Acre',                  'AC',  '12',  true, 1),
    ( 2, 'Alagoas',               'AL',  '27',  true, 1),
    ( 3, 'Amazonas',              'AM',  '13',  true, 1),
    ( 4, 'Amapá',                 'AP',  '16',  true, 1),
    ( 5, 'Bahia',                 'BA',  '29',  true, 1),
    ( 6, 'Ceará',                 'CE',  '23',  true, 1),
    ( 7, 'Distrito Federal',      'DF',  '53',  true, 1),
    ( 8, 'Espírito Santo',        'ES',  '32',  true, 1),
    ( 9, 'Goiás',                 'GO',  '52',  true, 1),
    (10, 'Maranhão',              'MA',  '21',  true, 1),
    (11, 'Minas Gerais',          'MG',  '31',  true, 1),
    (12, 'Mato Grosso do Sul',    'MS',  '50',  true, 1),
    (13, 'Mato Grosso',           'MT',  '51',  true, 1),
    (14, 'Pará',                  'PA',  '15',  true, 1),
    (15, 'Paraíba',               'PB',  '25',  true, 1),
    (16, 'Pernambuco',            'PE',  '26',  true, 1),
    (17, 'Piauí',                 'PI',  '22',  true, 1),
    (18, 'Paraná',                'PR',  '41',  true, 1),
    (19, 'Rio de Janeiro',        'RJ',  '33',  true, 1),
    (20, 'Rio Grande do Norte',   'RN',  '24',  true, 1),
    (21, 'Rondônia',              'RO',  '11',  true, 1),
    (22, 'Roraima',               'RR',  '14',  true, 1),
    (23, 'Rio Grande do Sul',     'RS',  '43',  true, 1),
    (24, 'Santa Catarina',        'SC',  '42',  true, 1),
    (25, 'Sergipe',               'SE',  '28',  true, 1),
    (26, 'São Paulo',             'SP',  '35',  true, 1),
    (27, 'Tocantins',             'TO',  '17',  true, 1),
    (28, 'acre',                  NULL,  NULL,  true, 1),
    (29, 'ALAGOAS',               'al',  '27',  true, 1),
    (30, 'Amazonas ',             NULL,  '13',  false, 1),
    (31, 'amapa',                 NULL,  NULL,  true, 1),
    (32, 'BAHIA',                 ' ba', '29',  true, 1),
    (33, 'ceara',                 NULL,  ' 23', true, 1),
    (34, 'DF',                    NULL,  NULL,  true, 1),
    (35, 'Espirito  Santo',       NULL,  '32',  true, 1),
    (36, 'goias',                 'go',  NULL,  true, 1),
    (37, 'MARANHAO',              NULL,  '21',  true, 1),
    (38, ' minas gerais ',        NULL,  '31',  true, 1),
    (39, 'Mato Grosso Do Sul',    'MS',  '50',  false, 1),
    (40, 'MT',                    NULL,  NULL,  true, 1),
    (41, 'para',                  NULL,  '15',  true, 1),
    (42, 'PARAÍBA',               'PB',  '25',  true, 1),
    (43, 'pernambuco',            NULL,  NULL,  true, 1),
    (44, 'Piaui',                 'PI ', '22',  true, 1),
    (45, 'parana',                NULL,  '41',  true, 1),
    (46, 'RIO DE JANEIRO',        NULL,  '33',  true, 1),
    (47, 'rio grande do norte',   'rn',  NULL,  true, 1),
    (48, 'Rondonia',              NULL,  '11',  true, 1),
    (49, 'RR',                    NULL,  NULL,  true, 1),
    (50, 'Rio  Grande  do  Sul',  NULL,  '43',  true, 1),
    (51, 'santa catarina',        'SC',  NULL,  true, 1),
    (52, 'SERGIPE ',              NULL,  '28',  true, 1),
    (53, 'sao paulo',             NULL,  '35',  true, 1),
    (54, 'tocantins',             NULL,  NULL,  false, 1),
    (55, 'SP',                    NULL,  NULL,  true, 1),
    (56, 'SAO  PAULO',            NULL,  '35',  true, 1),
    (57, ' São Paulo ',           'sp',  '35',  true, 1),
    (58, 'Exterior',              NULL,  NULL,  true, 2),
    (59, NULL,                    NULL,  NULL,  NULL, NULL)
) AS v (id, name, code, ibge_code, active, country_id);

-- ---------------------------------------------------------------------------------------------
-- Identity and disability lookups (fixed, small, Portuguese names as in the application).
-- Messy: a few names carry stray spaces ('Homem trans ', ' Bissexual', 'elu/delu '); one
-- position_order is NULL; the pronoun 'qualquer pronome' has no article.
-- ---------------------------------------------------------------------------------------------
INSERT INTO {{ source_schema }}.lacreiid_disabilitytype
    (id, created_at, updated_at, badge, position_order, name)
SELECT v.id, TIMESTAMPTZ '2020-03-01 09:00:00-03', TIMESTAMPTZ '2020-03-01 09:00:00-03',
       v.badge, v.position_order, v.name
FROM (VALUES
    (1, '#F28B82', 1,    'Deficiência física'),
    (2, '#FBBC04', 2,    'Deficiência visual'),
    (3, '#FFF475', 3,    'Deficiência auditiva'),
    (4, '#CCFF90', 4,    'Deficiência intelectual'),
    (5, '#A7FFEB', 5,    'Deficiência psicossocial'),
    (6, '#CBF0F8', 6,    'Transtorno do espectro autista (TEA)'),
    (7, '#AECBFA', 7,    'TDAH'),
    (8, '#D7AEFB', 8,    'Mobilidade reduzida'),
    (9, '#FDCFE8', NULL, 'Doença crônica')
) AS v (id, badge, position_order, name);

INSERT INTO {{ source_schema }}.lacreiid_sexualorientation
    (id, created_at, updated_at, bagde, position_order, name)
SELECT v.id, TIMESTAMPTZ '2020-03-01 09:00:00-03', TIMESTAMPTZ '2020-03-01 09:00:00-03',
       v.bagde, v.position_order, v.name
FROM (VALUES
    (1, '#D62900', 1, 'Lésbica'),
    (2, '#078D70', 2, 'Gay'),
    (3, '#D60270', 3, ' Bissexual'),
    (4, '#FF218C', 4, 'Pansexual'),
    (5, '#A3A3A3', 5, 'Assexual'),
    (6, '#000000', 6, 'Heterossexual'),
    (7, '#B57EDC', 7, 'Queer'),
    (8, '#6E0070', 8, 'Demissexual'),
    (9, '#CCCCCC', 9, 'Outra')
) AS v (id, bagde, position_order, name);

INSERT INTO {{ source_schema }}.lacreiid_pronoun
    (id, created_at, updated_at, bagde, position_order, article, pronoun)
SELECT v.id, TIMESTAMPTZ '2020-03-01 09:00:00-03', TIMESTAMPTZ '2020-03-01 09:00:00-03',
       v.bagde, v.position_order, v.article, v.pronoun
FROM (VALUES
    (1, '#F5A9B8', 1, 'a',  'ela/dela'),
    (2, '#5BCEFA', 2, 'o',  'ele/dele'),
    (3, '#FCF434', 3, 'e',  'elu/delu '),
    (4, '#9C59D1', 4, 'e',  'ile/dile'),
    (5, '#FFFFFF', 5, NULL, 'qualquer pronome')
) AS v (id, bagde, position_order, article, pronoun);

INSERT INTO {{ source_schema }}.lacreiid_ethnicgroup
    (id, created_at, updated_at, bagde, position_order, name)
SELECT v.id, TIMESTAMPTZ '2020-03-01 09:00:00-03', TIMESTAMPTZ '2020-03-01 09:00:00-03',
       v.bagde, v.position_order, v.name
FROM (VALUES
    (1, '#F1C27D', 1, 'Branca'),
    (2, '#3D2314', 2, 'Preta'),
    (3, '#8D5524', 3, 'Parda'),
    (4, '#FFDBAC', 4, 'Amarela'),
    (5, '#C68642', 5, 'Indígena')
) AS v (id, bagde, position_order, name);

INSERT INTO {{ source_schema }}.lacreiid_genderidentity
    (id, created_at, updated_at, bagde, position_order, name)
SELECT v.id, TIMESTAMPTZ '2020-03-01 09:00:00-03', TIMESTAMPTZ '2020-03-01 09:00:00-03',
       v.bagde, v.position_order, v.name
FROM (VALUES
    (1, '#F5A9B8', 1, 'Mulher cis'),
    (2, '#5BCEFA', 2, 'Homem cis'),
    (3, '#F7A8B8', 3, 'Mulher trans'),
    (4, '#55CDFC', 4, 'Homem trans '),
    (5, '#FCF434', 5, 'Não-binárie'),
    (6, '#E40303', 6, 'Travesti'),
    (7, '#B9F480', 7, 'Agênero'),
    (8, '#FF75A2', 8, 'Gênero fluido'),
    (9, '#CCCCCC', 9, 'Outra')
) AS v (id, bagde, position_order, name);

-- ---------------------------------------------------------------------------------------------
-- lacreiid_user (1,800 × scale). Ids grow with sign-up time (2020-06-01 → 2025-06-30, density
-- rising with time). Every third user (id % 3 = 0) is the account of professional id / 3.
-- Messy: birth_date NULL (4 %), in the future (1 %), 121-130 years ago (1 %, 1895-1904),
-- minors aged 12-17 (5 %), otherwise a realistic adult spread; is_18_years_old_or_more NULL
-- (5 %) or contradicting the birth date (2 %); is_active NULL (3 %); sign-ups planted at 23:30
-- on the last day of a month and at 00:30 on the first (1 % each, São Paulo time, i.e. another
-- month in UTC); logged_as 'patient' / 'Paciente' / 'professional' / 'Profissional' / NULL.
-- Never-extracted columns: password (fake pbkdf2), email 'usuarioN@example.org', first_name
-- 'Pessoa N', last_name '<Sobrenome> Teste', phone '+55 DD 9xxxx-xxxx', a 6-digit token.
-- ---------------------------------------------------------------------------------------------
INSERT INTO {{ source_schema }}.lacreiid_user
    (id, password, is_superuser, is_staff, is_active, created_at, updated_at, email, first_name,
     last_name, birth_date, is_18_years_old_or_more, last_login, email_verified,
     accepted_privacy_document, newsletter_subscribed, phone, phone_verified,
     phone_verification_token, phone_verification_token_expires_at, privacy_document_id,
     logged_as)
WITH g AS MATERIALIZED (   -- MATERIALIZED: each hash computed once, not per use
    SELECT i,
           1800 * {{ scale }} AS n,
           (hashtext('user:a:' || i) & 2147483647) AS ha,
           (hashtext('user:b:' || i) & 2147483647) AS hb,
           (hashtext('user:c:' || i) & 2147483647) AS hc,
           (hashtext('user:d:' || i) & 2147483647) AS hd,
           (hashtext('user:e:' || i) & 2147483647) AS he,
           (hashtext('user:f:' || i) & 2147483647) AS hf,
           (hashtext('user:g:' || i) & 2147483647) AS hg
    FROM generate_series(1, 1800 * {{ scale }}) AS i
), t0 AS (
    SELECT g.*,
           date_trunc('second', LEAST(
               TIMESTAMP '2020-06-01 08:00'
                 + sqrt(i::float8 / n) * (TIMESTAMP '2025-06-30 10:00' - TIMESTAMP '2020-06-01 08:00')
                 + (hb % 600) * INTERVAL '1 minute',
               TIMESTAMP '2025-06-30 11:59:59')) AS c0
    FROM g
), t AS (
    SELECT t0.*,
           CASE
               WHEN hc % 100 = 0 THEN              -- last day of the month, 23:30
                   CASE WHEN date_trunc('month', c0) + INTERVAL '1 month' - INTERVAL '30 minutes'
                             <= TIMESTAMP '2025-06-30 12:00'
                        THEN date_trunc('month', c0) + INTERVAL '1 month' - INTERVAL '30 minutes'
                        ELSE date_trunc('month', c0) - INTERVAL '30 minutes' END
               WHEN hc % 100 = 1 THEN              -- first day of the month, 00:30
                   date_trunc('month', c0) + INTERVAL '30 minutes'
               ELSE c0
           END AS created_local,
           CASE
               WHEN hd % 1000 < 40  THEN NULL
               WHEN hd % 1000 < 50  THEN DATE '2025-07-01' + (he % 2000)::int       -- future
               WHEN hd % 1000 < 60  THEN DATE '1895-01-01' + (he % 3650)::int       -- 121-130 y
               WHEN hd % 1000 < 110 THEN DATE '2007-07-01' + (he % 2192)::int       -- 12-17 y
               WHEN hd % 1000 < 380 THEN DATE '2000-07-01' + (he % 2556)::int       -- 18-24 y
               WHEN hd % 1000 < 730 THEN DATE '1990-07-01' + (he % 3653)::int       -- 25-34 y
               WHEN hd % 1000 < 880 THEN DATE '1980-07-01' + (he % 3652)::int       -- 35-44 y
               WHEN hd % 1000 < 950 THEN DATE '1970-07-01' + (he % 3653)::int       -- 45-54 y
               ELSE DATE '1940-01-01' + (he % 11139)::int                            -- 55-85 y
           END AS birth_date
    FROM t0
), l AS (
    SELECT t.*,
           CASE WHEN hf % 100 < 8 THEN NULL
                ELSE LEAST(created_local + (hf / 100 % 500) * INTERVAL '1 day'
                                         + (hg % 1440) * INTERVAL '1 minute',
                           TIMESTAMP '2025-06-30 12:00') END AS last_login_local,
           GREATEST(created_local,
                    LEAST(created_local + (hg / 1440 % 700) * INTERVAL '1 day',
                          TIMESTAMP '2025-06-30 12:00' - (hg % 43200) * INTERVAL '1 second')) AS updated_local
    FROM t
)
SELECT i,
       'pbkdf2_sha256$600000$demo' || i || '$' || md5('senha-ficticia-' || i),
       i <= 2,
       i <= 5,
       CASE WHEN ha % 100 < 85 THEN true WHEN ha % 100 < 97 THEN false ELSE NULL END,
       (created_local + INTERVAL '3 hours') AT TIME ZONE 'UTC',
       (updated_local + INTERVAL '3 hours') AT TIME ZONE 'UTC',
       'usuario' || i || '@example.org',
       'Pessoa ' || i,
       (ARRAY['Silva', 'Santos', 'Oliveira', 'Souza', 'Lima', 'Pereira', 'Costa', 'Almeida',
              'Ferreira', 'Rodrigues'])[1 + (hb / 1000 % 10)::int] || ' Teste',
       birth_date,
       CASE WHEN hf / 1000 % 100 < 5 THEN NULL
            WHEN hf / 1000 % 100 < 7 THEN NOT COALESCE(birth_date <= DATE '2007-06-30', true)
            ELSE COALESCE(birth_date <= DATE '2007-06-30', true) END,
       (last_login_local + INTERVAL '3 hours') AT TIME ZONE 'UTC',
       CASE WHEN ha / 100 % 100 < 90 THEN true WHEN ha / 100 % 100 < 98 THEN false END,
       CASE WHEN ha / 10000 % 100 < 96 THEN true WHEN ha / 10000 % 100 < 99 THEN false END,
       ha / 1000000 % 100 < 35,
       CASE WHEN hc / 100 % 100 < 6 THEN NULL
            ELSE '+55 ' || (ARRAY['11', '21', '31', '41', '51', '61', '71', '81', '85', '92'])
                               [1 + (hc / 10000 % 10)::int]
                 || ' 9' || lpad((he / 10 % 10000)::text, 4, '0')
                 || '-' || lpad((hg / 10 % 10000)::text, 4, '0') END,
       hc / 100 % 100 BETWEEN 6 AND 70,
       CASE WHEN hd / 1000 % 100 < 8 THEN lpad((hd / 100000 % 1000000)::text, 6, '0') END,
       CASE WHEN hd / 1000 % 100 < 8
            THEN (COALESCE(last_login_local, created_local) + INTERVAL '10 minutes'
                  + INTERVAL '3 hours') AT TIME ZONE 'UTC' END,
       CASE WHEN hb / 100000 % 100 < 4 THEN NULL
            WHEN created_local < TIMESTAMP '2022-01-10 09:00' THEN CASE WHEN i % 3 = 0 THEN 2 ELSE 1 END
            WHEN created_local < TIMESTAMP '2024-01-02 08:00' THEN CASE WHEN i % 3 = 0 THEN 4 ELSE 3 END
            ELSE CASE WHEN i % 3 = 0 THEN 6 ELSE 5 END END,
       CASE WHEN i % 3 = 0
            THEN (ARRAY['professional', 'professional', 'professional', 'professional',
                        'professional', 'professional', 'professional', 'professional',
                        'Profissional', NULL])[1 + (hg / 2000000 % 10)::int]
            ELSE (ARRAY['patient', 'patient', 'patient', 'patient', 'patient', 'patient',
                        'patient', 'Paciente', NULL, NULL])[1 + (hg / 2000000 % 10)::int] END
FROM l;

-- ---------------------------------------------------------------------------------------------
-- lacreiid_profile (≈ 1,190 × scale): the patient profile.
-- Messy: 8 % of non-professional users have no profile (not patients); 3 % of professionals'
-- accounts do have one (professionals who are patients too); 5 % of profiled users have TWO
-- profiles with different identity answers and different updated_at (the older id is sometimes
-- the later one), and for one in ten of those both updated_at are equal (tie → highest id);
-- each identity lookup left NULL on 6-8 % of profiles; completed NULL on some.
-- Never-extracted columns: other_* free texts ('Texto livre fictício ...'), photo, photo_description.
-- ---------------------------------------------------------------------------------------------
INSERT INTO {{ source_schema }}.lacreiid_profile
    (id, created_at, updated_at, other_ethnic_group, other_gender_identity,
     other_sexual_orientation, other_pronoun, other_disability_types, other_article, completed,
     photo, photo_description, ethnic_group_id, gender_identity_id, pronoun_id,
     sexual_orientation_id, user_id)
WITH u AS (
    SELECT id AS user_id,
           (created_at AT TIME ZONE 'UTC') - INTERVAL '3 hours' AS user_created_local,
           (hashtext('profile:user:' || id) & 2147483647) AS hu
    FROM {{ source_schema }}.lacreiid_user
), p AS (
    SELECT u.*, k,
           (hashtext('profile:a:' || user_id || ':' || k) & 2147483647) AS ha,
           (hashtext('profile:b:' || user_id || ':' || k) & 2147483647) AS hb,
           (hashtext('profile:c:' || user_id || ':' || k) & 2147483647) AS hc,
           (hashtext('profile:d:' || user_id || ':' || k) & 2147483647) AS hd,
           (hashtext('profile:e:' || user_id || ':' || k) & 2147483647) AS he
    FROM u CROSS JOIN generate_series(1, 2) AS k
    WHERE CASE WHEN user_id % 3 = 0 THEN hu % 100 < 3 ELSE hu % 100 >= 8 END
      AND (k = 1 OR hu / 100 % 100 < 5)
), c AS (
    SELECT p.*,
           LEAST(CASE WHEN k = 1 THEN user_created_local + (5 + ha % 600) * INTERVAL '1 minute'
                      ELSE user_created_local + (1 + ha % 400) * INTERVAL '1 day' END,
                 TIMESTAMP '2025-06-30 12:00') AS created_local
    FROM p
), d AS (
    SELECT c.*,
           CASE WHEN hu / 10000 % 10 = 0 AND hu / 100 % 100 < 5   -- two profiles, same updated_at
                THEN LEAST(user_created_local + INTERVAL '401 days', TIMESTAMP '2025-06-30 12:00')
                ELSE GREATEST(created_local, LEAST(created_local + (ha / 1000 % 500) * INTERVAL '1 day'
                                         + (hb % 1440) * INTERVAL '1 minute',
                           TIMESTAMP '2025-06-30 12:00' - (ha % 43200) * INTERVAL '1 second')) END AS updated_local,
           CASE WHEN hb / 10 % 100 < 6 THEN NULL WHEN hb / 10 % 100 < 34 THEN 1
                WHEN hb / 10 % 100 < 52 THEN 2 WHEN hb / 10 % 100 < 60 THEN 3
                WHEN hb / 10 % 100 < 68 THEN 4 WHEN hb / 10 % 100 < 83 THEN 5
                WHEN hb / 10 % 100 < 87 THEN 6 WHEN hb / 10 % 100 < 90 THEN 7
                WHEN hb / 10 % 100 < 94 THEN 8 ELSE 9 END AS gender_identity_id,
           CASE WHEN hc % 100 < 8 THEN NULL WHEN hc % 100 < 23 THEN 1
                WHEN hc % 100 < 43 THEN 2 WHEN hc % 100 < 66 THEN 3
                WHEN hc % 100 < 74 THEN 4 WHEN hc % 100 < 78 THEN 5
                WHEN hc % 100 < 88 THEN 6 WHEN hc % 100 < 93 THEN 7
                WHEN hc % 100 < 95 THEN 8 ELSE 9 END AS sexual_orientation_id,
           CASE WHEN hc / 100 % 100 < 8 THEN NULL WHEN hc / 100 % 100 < 48 THEN 1
                WHEN hc / 100 % 100 < 76 THEN 2 WHEN hc / 100 % 100 < 91 THEN 3
                WHEN hc / 100 % 100 < 94 THEN 4 ELSE 5 END AS pronoun_id,
           CASE WHEN hd % 100 < 7 THEN NULL WHEN hd % 100 < 48 THEN 1
                WHEN hd % 100 < 66 THEN 2 WHEN hd % 100 < 95 THEN 3
                WHEN hd % 100 < 98 THEN 4 ELSE 5 END AS ethnic_group_id
    FROM c
)
SELECT row_number() OVER (ORDER BY user_id, k),
       (created_local + INTERVAL '3 hours') AT TIME ZONE 'UTC',
       (GREATEST(updated_local, created_local) + INTERVAL '3 hours') AT TIME ZONE 'UTC',
       CASE WHEN hd / 100 % 100 < 2 THEN 'Texto livre fictício: etnia (pessoa ' || user_id || ')' END,
       CASE WHEN gender_identity_id = 9
            THEN 'Texto livre fictício: identidade de gênero (pessoa ' || user_id || ')' END,
       CASE WHEN sexual_orientation_id = 9
            THEN 'Texto livre fictício: orientação (pessoa ' || user_id || ')' END,
       CASE WHEN pronoun_id = 5 THEN 'Texto livre fictício: pronomes (pessoa ' || user_id || ')' END,
       CASE WHEN hd / 10000 % 100 < 3
            THEN 'Texto livre fictício: outra deficiência (pessoa ' || user_id || ')' END,
       CASE WHEN he % 100 < 4 THEN 'e' WHEN he % 100 < 6 THEN 'x' END,
       CASE WHEN he / 100 % 100 < 70 THEN true WHEN he / 100 % 100 < 95 THEN false END,
       CASE WHEN he / 10000 % 100 < 30 THEN 'profiles/photos/pessoa_' || user_id || '.jpg' END,
       CASE WHEN he / 10000 % 100 < 20 THEN 'Foto de Pessoa ' || user_id || ' sorrindo' END,
       ethnic_group_id, gender_identity_id, pronoun_id, sexual_orientation_id, user_id
FROM d;

-- ---------------------------------------------------------------------------------------------
-- lacreiid_profile_disability_types (≈ 0.28 per profile): 80 % of profiles have no type, 14 %
-- one, 5 % two, 1 % three (always distinct types; psychosocial, TEA, TDAH and chronic disease
-- weigh more).
-- ---------------------------------------------------------------------------------------------
INSERT INTO {{ source_schema }}.lacreiid_profile_disability_types (id, profile_id, disabilitytype_id)
WITH p AS (
    SELECT id AS profile_id,
           (hashtext('profile_dis:a:' || id) & 2147483647) AS ha,
           (hashtext('profile_dis:b:' || id) & 2147483647) AS hb
    FROM {{ source_schema }}.lacreiid_profile
), n AS (
    SELECT p.*,
           CASE WHEN ha % 100 < 80 THEN 0 WHEN ha % 100 < 94 THEN 1
                WHEN ha % 100 < 99 THEN 2 ELSE 3 END AS n_types,
           (ARRAY[1, 2, 3, 4, 5, 5, 5, 6, 6, 7, 7, 7, 8, 9, 9])[1 + (hb % 15)::int] AS t1,
           1 + (hb / 100 % 8)::int AS o2
    FROM p
), x AS (
    SELECT n.*, j,
           CASE j WHEN 1 THEN 0
                  WHEN 2 THEN o2
                  ELSE 1 + (o2 + (hb / 10000 % 7)::int) % 8 END AS offs
    FROM n CROSS JOIN generate_series(1, 3) AS j
    WHERE j <= n_types
)
SELECT row_number() OVER (ORDER BY profile_id, j), profile_id, 1 + (t1 - 1 + offs) % 9
FROM x;

-- ---------------------------------------------------------------------------------------------
-- lacreisaude_professional (600 × scale); professional p is the account of user 3p.
-- Messy: specialty in mixed spellings ('Psicologia', 'psicologia ', 'PSICOLOGIA', '  nutricao',
-- 'NUTRIÇÃO', 'clinica geral', 'Clinica  Geral', 'Acupuntura', 'terapia   ocupacional', '',
-- NULL, ...); profile_status 'approved' / ' aprovado ' / 'Approved' / 'pending' / 'Pendente' /
-- 'em análise' / 'rejected' / 'blocked' / NULL; state_id weighted by population over both
-- spellings of each unit, NULL (3 %), 'Exterior' (0.5 %) or the all-NULL state row (0.3 %);
-- active / published NULL on some; identity lookups NULL on some.
-- Never-extracted columns: full_name 'Dra. Pessoa Profissional N', about_me (with an e-mail),
-- CPF-shaped document_number, board registration, RQE, selfie, photo, search_synonym, other_*.
-- ---------------------------------------------------------------------------------------------
INSERT INTO {{ source_schema }}.lacreisaude_professional
    (id, created_at, updated_at, other_ethnic_group, other_gender_identity,
     other_sexual_orientation, other_pronoun, other_disability_types, other_article, full_name,
     about_me, profile_status, active, published, document_number, board_registration_number,
     accepted_privacy_document, safety_measures, specialty, specialty_number_rqe,
     board_certification_selfie, photo, photo_description, ethnic_group_id, gender_identity_id,
     privacy_document_id, profession_id, pronoun_id, sexual_orientation_id, state_id, user_id,
     search_synonym)
WITH w AS (   -- state weights (share of professionals), UF index 1..27 as in address_state
    SELECT k, sum(wt) OVER (ORDER BY k) - wt AS lo, sum(wt) OVER (ORDER BY k) AS hi
    FROM (VALUES (1, 1), (2, 1), (3, 2), (4, 1), (5, 5), (6, 4), (7, 4), (8, 2), (9, 3),
                 (10, 1), (11, 10), (12, 1), (13, 1), (14, 2), (15, 1), (16, 4), (17, 1),
                 (18, 5), (19, 12), (20, 1), (21, 1), (22, 1), (23, 6), (24, 3), (25, 1),
                 (26, 30), (27, 1)) AS v (k, wt)
), g AS (
    SELECT p,
           (u.created_at AT TIME ZONE 'UTC') - INTERVAL '3 hours' AS user_created_local,
           (hashtext('professional:a:' || p) & 2147483647) AS ha,
           (hashtext('professional:b:' || p) & 2147483647) AS hb,
           (hashtext('professional:c:' || p) & 2147483647) AS hc,
           (hashtext('professional:d:' || p) & 2147483647) AS hd,
           (hashtext('professional:e:' || p) & 2147483647) AS he,
           (hashtext('professional:f:' || p) & 2147483647) AS hf,
           (hashtext('professional:s:' || p) & 2147483647) AS hs
    FROM generate_series(1, 600 * {{ scale }}) AS p
    JOIN {{ source_schema }}.lacreiid_user AS u ON u.id = 3 * p
), s AS (
    SELECT g.*, w.k AS uf,
           LEAST(user_created_local + (1 + ha % 4320) * INTERVAL '1 minute',
                 TIMESTAMP '2025-06-30 12:00') AS created_local
    FROM g JOIN w ON hs % 105 >= w.lo AND hs % 105 < w.hi
), x AS (
    SELECT s.*,
           CASE WHEN hb % 1000 < 30 THEN NULL
                WHEN hb % 1000 < 35 THEN 58
                WHEN hb % 1000 < 38 THEN 59
                WHEN hb / 1000 % 100 < 70 THEN uf
                WHEN uf = 26 THEN (ARRAY[53, 55, 56, 57])[1 + (hb / 100000 % 4)::int]
                ELSE 27 + uf END AS state_id,
           CASE WHEN hc % 100 < 6 THEN NULL WHEN hc % 100 < 40 THEN 1
                WHEN hc % 100 < 55 THEN 2 WHEN hc % 100 < 62 THEN 3
                WHEN hc % 100 < 70 THEN 4 WHEN hc % 100 < 82 THEN 5
                WHEN hc % 100 < 87 THEN 6 WHEN hc % 100 < 90 THEN 7
                WHEN hc % 100 < 94 THEN 8 ELSE 9 END AS gender_identity_id,
           CASE WHEN hc / 100 % 100 < 8 THEN NULL WHEN hc / 100 % 100 < 25 THEN 1
                WHEN hc / 100 % 100 < 45 THEN 2 WHEN hc / 100 % 100 < 64 THEN 3
                WHEN hc / 100 % 100 < 70 THEN 4 WHEN hc / 100 % 100 < 73 THEN 5
                WHEN hc / 100 % 100 < 88 THEN 6 WHEN hc / 100 % 100 < 93 THEN 7
                WHEN hc / 100 % 100 < 95 THEN 8 ELSE 9 END AS sexual_orientation_id,
           CASE WHEN hc / 10000 % 100 < 8 THEN NULL WHEN hc / 10000 % 100 < 50 THEN 1
                WHEN hc / 10000 % 100 < 80 THEN 2 WHEN hc / 10000 % 100 < 93 THEN 3
                WHEN hc / 10000 % 100 < 96 THEN 4 ELSE 5 END AS pronoun_id,
           CASE WHEN hd % 100 < 7 THEN NULL WHEN hd % 100 < 50 THEN 1
                WHEN hd % 100 < 65 THEN 2 WHEN hd % 100 < 94 THEN 3
                WHEN hd % 100 < 97 THEN 4 ELSE 5 END AS ethnic_group_id,
           CASE WHEN he % 100 < 85 THEN true WHEN he % 100 < 97 THEN false END AS active,
           (ARRAY['Psicologia', 'Psicologia', 'Psicologia', 'Psicologia', 'Psicologia',
                  'Psicologia', 'Psicologia', 'psicologia ', 'PSICOLOGIA', ' Psicologia',
                  'Psiquiatria', 'Psiquiatria', 'psiquiatria', 'Clínica Geral', 'clinica geral',
                  'Clinica  Geral', 'Ginecologia', 'ginecologia', 'Endocrinologia',
                  'endocrinologia ', 'Urologia', 'Dermatologia', 'DERMATOLOGIA', 'Nutrição',
                  '  nutricao', 'NUTRIÇÃO', 'Fonoaudiologia', 'Infectologia', 'infectologia',
                  'Acupuntura', 'Terapia Ocupacional', 'terapia   ocupacional', 'Enfermagem',
                  '', NULL])[1 + (hd / 100 % 35)::int] AS specialty
    FROM s
)
SELECT p,
       (created_local + INTERVAL '3 hours') AT TIME ZONE 'UTC',
       (LEAST(created_local + (ha / 10000 % 600) * INTERVAL '1 day'
                            + (hf % 1440) * INTERVAL '1 minute',
              GREATEST(created_local, TIMESTAMP '2025-06-30 12:00' - (hf % 43200) * INTERVAL '1 second'))
        + INTERVAL '3 hours') AT TIME ZONE 'UTC',
       CASE WHEN hd / 10000 % 100 < 2 THEN 'Texto livre fictício: etnia (profissional ' || p || ')' END,
       CASE WHEN gender_identity_id = 9
            THEN 'Texto livre fictício: identidade de gênero (profissional ' || p || ')' END,
       CASE WHEN sexual_orientation_id = 9
            THEN 'Texto livre fictício: orientação (profissional ' || p || ')' END,
       CASE WHEN pronoun_id = 5 THEN 'Texto livre fictício: pronomes (profissional ' || p || ')' END,
       CASE WHEN hd / 1000000 % 100 < 3
            THEN 'Texto livre fictício: outra deficiência (profissional ' || p || ')' END,
       CASE WHEN hf / 10000 % 100 < 5 THEN 'e' END,
       ltrim((ARRAY['Dra.', 'Dr.', 'Dre.', ''])[1 + (hf / 100 % 4)::int] || ' Pessoa Profissional ' || p),
       'Sou Pessoa Profissional ' || p || ' e atendo a comunidade LGBTQIAPN+ com acolhimento. '
           || 'Contato: profissional' || p || '@example.org, +55 11 9' || lpad((hf % 10000)::text, 4, '0')
           || '-' || lpad((ha % 10000)::text, 4, '0') || '.',
       (ARRAY['approved', 'approved', 'approved', 'approved', 'approved', 'approved',
              'approved', 'approved', 'approved', 'approved', 'approved', 'approved',
              'Approved', ' aprovado ', 'pending', 'pending', 'Pendente', 'em análise',
              'rejected', 'blocked', NULL])[1 + (he / 100 % 21)::int],
       active,
       CASE WHEN he / 10000 % 100 < 2 THEN NULL
            WHEN active THEN he / 10000 % 100 < 82
            ELSE he / 10000 % 100 < 12 END,
       lpad((hf % 1000)::text, 3, '0') || '.' || lpad((hf / 1000 % 1000)::text, 3, '0') || '.'
           || lpad((hb % 1000)::text, 3, '0') || '-' || lpad((hb / 1000 % 100)::text, 2, '0'),
       (ARRAY['CRP', 'CRM', 'CRN', 'CREFITO', 'CRFa', 'COREN'])[1 + (ha / 100 % 6)::int] || '-'
           || (ARRAY['AC', 'AL', 'AM', 'AP', 'BA', 'CE', 'DF', 'ES', 'GO', 'MA', 'MG', 'MS',
                     'MT', 'PA', 'PB', 'PE', 'PI', 'PR', 'RJ', 'RN', 'RO', 'RR', 'RS', 'SC',
                     'SE', 'SP', 'TO'])[uf] || ' ' || lpad((hs % 1000000)::text, 6, '0'),
       CASE WHEN ha / 1000000 % 100 < 97 THEN true WHEN ha / 1000000 % 100 < 99 THEN false END,
       CASE WHEN hb / 100000 % 100 < 50 THEN NULL
            ELSE (ARRAY['Uso de máscara e álcool em gel', 'Ambiente ventilado',
                        'Atendimento com hora marcada, sem sala de espera',
                        'Higienização entre atendimentos'])[1 + (hb / 10000000 % 4)::int] END,
       specialty,
       CASE WHEN hs / 1000000 % 100 < 30 THEN 'RQE ' || lpad((hs % 100000)::text, 5, '0') END,
       'professionals/selfies/selfie_' || p || '.jpg',
       CASE WHEN hs / 100 % 100 < 80 THEN 'professionals/photos/profissional_' || p || '.jpg' END,
       CASE WHEN hs / 100 % 100 < 60 THEN 'Foto de Pessoa Profissional ' || p || ' no consultório' END,
       ethnic_group_id,
       gender_identity_id,
       CASE WHEN he / 1000000 % 100 < 3 THEN NULL
            WHEN created_local < TIMESTAMP '2022-01-10 09:00' THEN 2
            WHEN created_local < TIMESTAMP '2024-01-02 08:00' THEN 4
            ELSE 6 END,
       CASE WHEN hf / 1000000 % 100 < 5 THEN NULL ELSE 1 + hf / 100000 % 8 END,
       pronoun_id,
       sexual_orientation_id,
       state_id,
       3 * p,
       CASE WHEN hs / 10000 % 100 < 40
            THEN (ARRAY['terapeuta, psicoterapia', 'médica de família', 'saúde trans',
                        'hormonização', 'PrEP, IST'])[1 + (hs / 1000 % 5)::int] END
FROM x;

-- ---------------------------------------------------------------------------------------------
-- lacreisaude_professional_disability_types: 6 % of professionals have one type, 2 % two.
-- ---------------------------------------------------------------------------------------------
INSERT INTO {{ source_schema }}.lacreisaude_professional_disability_types
    (id, professional_id, disabilitytype_id)
WITH p AS (
    SELECT id AS professional_id,
           (hashtext('professional_dis:a:' || id) & 2147483647) AS ha
    FROM {{ source_schema }}.lacreisaude_professional
), x AS (
    SELECT p.*, j,
           1 + (ha / 100 % 9)::int AS t1,
           1 + (ha / 1000 % 8)::int AS o2
    FROM p CROSS JOIN generate_series(1, 2) AS j
    WHERE ha % 100 < 8 AND (j = 1 OR ha % 100 < 2)
)
SELECT row_number() OVER (ORDER BY professional_id, j),
       professional_id,
       1 + (t1 - 1 + CASE WHEN j = 1 THEN 0 ELSE o2 END) % 9
FROM x;

-- ---------------------------------------------------------------------------------------------
-- lacreisaude_clinic (≈ 1.03 × professionals): 15 % of professionals have no clinic, 65 % one,
-- 12 % two, 8 % three; clinic ids are contiguous per professional.
-- Messy: flags is_presential_clinic / is_online_clinic in every combination (online only,
-- presential only, both, neither, one or both NULL); consult_price as 'R$ 150,00', 'R$150',
-- '150.00', '150', '150,00', 'R$ 1.234,56', ' R$ 2.050,10 ', '1234.56', '', NULL and garbage
-- ('a combinar', 'consultar', 'gratuito?', 'R$ --', 'cento e cinquenta'); the same for
-- online_clinic_consult_price on online clinics; city with double inner spaces, leading or
-- trailing spaces, upper case, '' or NULL (often NULL on online-only clinics); state usually
-- the professional's (sometimes the other spelling of the same unit, another unit or NULL);
-- duration 0 or NULL on a few.
-- Never-extracted columns: zip_code, address, address_line2, phones (fake, '+55 ...').
-- ---------------------------------------------------------------------------------------------
INSERT INTO {{ source_schema }}.lacreisaude_clinic
    (id, created_at, updated_at, is_presential_clinic, is_online_clinic, name, zip_code,
     neighborhood, city, address, address_line2, phone, phone_whatsapp, consult_price,
     duration_minutes, accepts_insurance_providers, provides_accessibility_standards,
     online_clinic_phone, online_clinic_phone_whatsapp, online_clinic_consult_price,
     online_clinic_duration_minutes, online_clinic_accepts_insurance_providers,
     professional_id, registered_neighborhood_id, state_id)
WITH pro AS (
    SELECT id AS professional_id,
           state_id AS pro_state_id,
           CASE WHEN state_id <= 54 THEN (state_id - 1) % 27 + 1
                WHEN state_id IN (55, 56, 57) THEN 26 END AS uf,
           (created_at AT TIME ZONE 'UTC') - INTERVAL '3 hours' AS pro_created_local,
           (hashtext('clinic:n:' || id) & 2147483647) AS hn
    FROM {{ source_schema }}.lacreisaude_professional
), c AS (
    SELECT pro.*, k,
           (hashtext('clinic:a:' || professional_id || ':' || k) & 2147483647) AS ha,
           (hashtext('clinic:b:' || professional_id || ':' || k) & 2147483647) AS hb,
           (hashtext('clinic:c:' || professional_id || ':' || k) & 2147483647) AS hc,
           (hashtext('clinic:d:' || professional_id || ':' || k) & 2147483647) AS hd,
           (hashtext('clinic:e:' || professional_id || ':' || k) & 2147483647) AS he,
           (hashtext('clinic:f:' || professional_id || ':' || k) & 2147483647) AS hf
    FROM pro CROSS JOIN generate_series(1, 3) AS k
    WHERE k <= CASE WHEN hn % 100 < 15 THEN 0 WHEN hn % 100 < 80 THEN 1
                    WHEN hn % 100 < 92 THEN 2 ELSE 3 END
), f AS (
    SELECT c.*,
           CASE WHEN ha % 100 < 40 THEN false WHEN ha % 100 < 70 THEN true
                WHEN ha % 100 < 93 THEN true  WHEN ha % 100 < 96 THEN false
                WHEN ha % 100 < 98 THEN NULL  ELSE NULL END AS is_presential,
           CASE WHEN ha % 100 < 40 THEN true  WHEN ha % 100 < 70 THEN false
                WHEN ha % 100 < 93 THEN true  WHEN ha % 100 < 96 THEN false
                WHEN ha % 100 < 98 THEN true  ELSE NULL END AS is_online,
           COALESCE(uf, 1 + (hb % 27)::int) AS city_uf,
           LEAST(pro_created_local + ((k - 1) * 45 + hb / 100 % 30) * INTERVAL '1 day'
                                   + (hb % 1440) * INTERVAL '1 minute',
                 GREATEST(pro_created_local, TIMESTAMP '2025-06-30 12:00')) AS created_local
    FROM c
), p AS (   -- prices: v = 80..450 in steps of 10; a high one 1.000,00..2.999,99
    SELECT f.*,
           80 + 10 * (hc % 38) AS v,
           (1 + hc / 100 % 2)::text || '.' || lpad((hc / 1000 % 1000)::text, 3, '0') AS vh_br,
           (1 + hc / 100 % 2)::text || lpad((hc / 1000 % 1000)::text, 3, '0') AS vh_plain,
           lpad((hc / 1000000 % 100)::text, 2, '0') AS cents,
           80 + 10 * (hd % 30) AS ov,
           (ARRAY['Rio Branco', 'Maceió', 'Manaus', 'Macapá', 'Salvador', 'Fortaleza',
                  'Brasília', 'Vitória', 'Goiânia', 'São Luís', 'Belo Horizonte',
                  'Campo Grande', 'Cuiabá', 'Belém', 'João Pessoa', 'Recife', 'Teresina',
                  'Curitiba', 'Rio de Janeiro', 'Natal', 'Porto Velho', 'Boa Vista',
                  'Porto Alegre', 'Florianópolis', 'Aracaju', 'São Paulo', 'Palmas'])
               [city_uf] AS capital   -- the unit's capital, UF order as in address_state
    FROM f
)
SELECT row_number() OVER (ORDER BY professional_id, k),
       (created_local + INTERVAL '3 hours') AT TIME ZONE 'UTC',
       (LEAST(created_local + (he % 400) * INTERVAL '1 day',
              GREATEST(created_local, TIMESTAMP '2025-06-30 12:00' - (he % 43200) * INTERVAL '1 second'))
        + INTERVAL '3 hours') AT TIME ZONE 'UTC',
       is_presential,
       is_online,
       CASE WHEN is_online AND NOT COALESCE(is_presential, false)
            THEN 'Atendimento Online ' || professional_id || '-' || k
            ELSE 'Espaço Cuidar ' || professional_id || '-' || k END,
       lpad((he / 400 % 100000)::text, 5, '0') || '-' || lpad((he / 100 % 1000)::text, 3, '0'),
       CASE WHEN hf % 100 < 15 THEN NULL
            ELSE (ARRAY['Centro', 'Pinheiros', 'Vila Mariana', 'Copacabana', 'Botafogo',
                        'Savassi', 'Boa Viagem', 'Moinhos de Vento', 'Asa Sul', 'Batel',
                        'Meireles', 'Barra', 'Jardins', 'Liberdade'])[1 + (hf / 100 % 14)::int] END,
       CASE WHEN is_online AND NOT COALESCE(is_presential, false) AND hf / 10000 % 100 < 60 THEN NULL
            WHEN hf / 10000 % 100 < 3 THEN ''
            WHEN hf / 10000 % 100 < 6 THEN NULL
            WHEN hf / 10000 % 100 < 70 THEN capital
            WHEN hf / 10000 % 100 < 80 THEN replace(capital, ' ', '  ')
            WHEN hf / 10000 % 100 < 87 THEN '  ' || capital
            WHEN hf / 10000 % 100 < 93 THEN capital || ' '
            WHEN hf / 10000 % 100 < 97 THEN ' ' || replace(capital, ' ', '   ') || ' '
            ELSE upper(capital) END,
       'Rua Fictícia ' || professional_id || ', ' || (1 + hf % 2000),
       CASE WHEN hf / 1000000 % 100 < 40 THEN 'Sala ' || (1 + hf % 300) END,
       '+55 11 3' || lpad((he % 1000)::text, 3, '0') || '-' || lpad((hf % 10000)::text, 4, '0'),
       CASE WHEN he / 1000 % 100 < 60
            THEN '+55 11 9' || lpad((hb % 10000)::text, 4, '0') || '-' || lpad((hd % 10000)::text, 4, '0') END,
       CASE WHEN hd / 100 % 100 < 30 THEN 'R$ ' || v || ',00'
            WHEN hd / 100 % 100 < 40 THEN 'R$' || v
            WHEN hd / 100 % 100 < 55 THEN v || '.00'
            WHEN hd / 100 % 100 < 65 THEN v::text
            WHEN hd / 100 % 100 < 72 THEN v || ',00'
            WHEN hd / 100 % 100 < 75 THEN 'R$ ' || vh_br || ',' || cents
            WHEN hd / 100 % 100 < 77 THEN ' R$ ' || vh_br || ',' || cents || ' '
            WHEN hd / 100 % 100 < 79 THEN vh_plain || '.' || cents
            WHEN hd / 100 % 100 < 84 THEN ''
            WHEN hd / 100 % 100 < 92 THEN NULL
            ELSE (ARRAY['a combinar', 'consultar', 'gratuito?', 'R$ --', 'cento e cinquenta'])
                     [1 + (hd / 10000 % 5)::int] END,
       CASE WHEN he / 100000 % 100 < 1 THEN 0
            WHEN he / 100000 % 100 < 5 THEN NULL
            ELSE (ARRAY[30, 40, 45, 50, 50, 50, 60, 60, 90])[1 + (he / 10000000 % 9)::int] END,
       CASE WHEN hb / 1000000 % 10 < 3 THEN true WHEN hb / 1000000 % 10 < 9 THEN false END,
       CASE WHEN hb / 10000000 % 10 < 5 THEN true WHEN hb / 10000000 % 10 < 9 THEN false END,
       CASE WHEN is_online
            THEN '+55 21 9' || lpad((hc % 10000)::text, 4, '0') || '-' || lpad((hf % 10000)::text, 4, '0') END,
       CASE WHEN is_online AND hc / 100000 % 2 = 0
            THEN '+55 21 9' || lpad((hd % 10000)::text, 4, '0') || '-' || lpad((he % 10000)::text, 4, '0') END,
       CASE WHEN NOT COALESCE(is_online, false) THEN NULL
            WHEN hd / 1000000 % 100 < 35 THEN 'R$ ' || ov || ',00'
            WHEN hd / 1000000 % 100 < 55 THEN ov || '.00'
            WHEN hd / 1000000 % 100 < 65 THEN ov::text
            WHEN hd / 1000000 % 100 < 72 THEN 'R$' || ov || ',50'
            WHEN hd / 1000000 % 100 < 80 THEN ''
            WHEN hd / 1000000 % 100 < 95 THEN NULL
            ELSE 'a combinar' END,
       CASE WHEN is_online THEN (ARRAY[30, 40, 50, 50, 60])[1 + (hf / 1000 % 5)::int] END,
       CASE WHEN is_online THEN hf / 100000 % 10 < 2 END,
       professional_id,
       CASE WHEN hb / 1000 % 100 < 50 THEN 1000 + hb % 5000 END,
       CASE WHEN he / 1000000 % 100 < 80 THEN pro_state_id
            WHEN he / 1000000 % 100 < 90 AND uf IS NOT NULL
                THEN CASE WHEN pro_state_id <= 27 THEN pro_state_id + 27 ELSE uf END
            WHEN he / 1000000 % 100 < 95 THEN NULL
            ELSE 1 + (he % 27)::int END
FROM p;

-- ---------------------------------------------------------------------------------------------
-- lacreiid_appointment (10,000 × scale). Creation 2020-09-01 → 2025-06-30 with growth; each
-- appointment goes to a professional and a user who had already signed up (98 % non-professional
-- accounts, some of them without a profile, i.e. not patients).
-- Messy: status spellings per meaning — completed ('completed', 'Completed', 'COMPLETED',
-- ' concluída ', 'concluida', 'Concluído', 'realizada', 'done', 'finished', 'complete'),
-- cancelled ('cancelled', 'Canceled', 'cancelada', 'CANCELADO', 'cancelled_by_patient',
-- 'CANCELED_BY_PATIENT', 'canceled_by_professional', 'Cancelled By Professional'), scheduled
-- ('scheduled', 'agendada', 'Agendado', 'confirmed', 'Confirmada', 'pending', 'pendente',
-- ' SCHEDULED'), no-show ('no_show', 'no-show', 'No Show', 'noshow', 'faltou', 'ausente',
-- 'não compareceu', 'NAO_COMPARECEU'), unusable (NULL, 'weird', '', '???', 'em andamento');
-- type spellings ('online', 'Online', 'ONLINE ', 'teleconsulta', 'Telemedicina', 'virtual',
-- 'remote', 'remoto' | 'presencial', 'Presencial ', 'in-person', 'in_person', 'InPerson',
-- 'presential', 'consultório' | NULL, 'xyz', '', 'híbrido'); date NULL (1 %), before 2020
-- (0.1 %) and after 2030 (0.1 %), before its own created_at (2 %, negative waiting time), at
-- 23:30 (2 %, half of them on the last day of the month) and 00:30 (2 %) São Paulo time;
-- stale 'scheduled' statuses in the past; soft-deleted (deleted_at set, 3 %); clinic_id NULL
-- for most, else one of the professional's clinics, and rarely (0.1 %) another professional's.
-- ---------------------------------------------------------------------------------------------
INSERT INTO {{ source_schema }}.lacreiid_appointment
    (id, created_at, updated_at, date, status, type, professional_id, user_id, clinic_id,
     agreement_id, deleted_at)
WITH pc AS (   -- each professional's clinics (ids are contiguous per professional)
    SELECT professional_id, min(id) AS first_clinic_id, count(*) AS n_clinics
    FROM {{ source_schema }}.lacreisaude_clinic
    GROUP BY professional_id
), g AS MATERIALIZED (   -- MATERIALIZED: each hash computed once, not per use
    SELECT a,
           10000 * {{ scale }} AS n_appt,
           600 * {{ scale }} AS n_pro,
           1800 * {{ scale }} AS n_user,
           (hashtext('appointment:a:' || a) & 2147483647) AS ha,
           (hashtext('appointment:b:' || a) & 2147483647) AS hb,
           (hashtext('appointment:c:' || a) & 2147483647) AS hc,
           (hashtext('appointment:d:' || a) & 2147483647) AS hd,
           (hashtext('appointment:e:' || a) & 2147483647) AS he,
           (hashtext('appointment:f:' || a) & 2147483647) AS hf,
           (hashtext('appointment:g:' || a) & 2147483647) AS hg,
           (hashtext('appointment:h:' || a) & 2147483647) AS hh,
           (hashtext('appointment:i:' || a) & 2147483647) AS hi
    FROM generate_series(1, 10000 * {{ scale }}) AS a
), t AS (
    SELECT g.*,
           date_trunc('second', LEAST(
               TIMESTAMP '2020-09-01 08:00'
                 + sqrt(a::float8 / n_appt) * (TIMESTAMP '2025-06-30 10:00' - TIMESTAMP '2020-09-01 08:00')
                 + (hb % 720) * INTERVAL '1 minute',
               TIMESTAMP '2025-06-30 11:59:59')) AS created_local,
           1 + floor(ha::float8 / 2147483648
                     * GREATEST(n_pro::float8 * a / n_appt, n_pro * 0.05))::bigint AS professional_id,
           1 + floor(hi::float8 / 2147483648
                     * GREATEST(n_user::float8 * a / n_appt, n_user * 0.05))::bigint AS user_raw,
           CASE WHEN hc % 1000 < 20 THEN TIME '23:30'
                WHEN hc % 1000 < 40 THEN TIME '00:30'
                ELSE TIME '07:00' + (hc / 1000 % 30) * INTERVAL '30 minutes' END AS slot
    FROM g
), d AS (
    SELECT t.*,
           CASE
               WHEN hd % 1000 < 10 THEN NULL
               WHEN hd % 1000 < 11 THEN TIMESTAMP '2018-01-01 10:00' + (he % 700) * INTERVAL '1 day'
               WHEN hd % 1000 < 12 THEN TIMESTAMP '2031-01-01 15:00' + (he % 1500) * INTERVAL '1 day'
               ELSE (created_local::date
                     + CASE WHEN hd % 1000 < 32  THEN -(1 + he % 30)::int
                            WHEN hd % 1000 < 330 THEN (he % 4)::int
                            WHEN hd % 1000 < 730 THEN (4 + he % 11)::int
                            WHEN hd % 1000 < 960 THEN (15 + he % 46)::int
                            ELSE (61 + he % 120)::int END) + slot
           END AS d0
    FROM t
), e AS MATERIALIZED (
    SELECT d.*,
           CASE WHEN d0 IS NOT NULL AND hc % 1000 < 10   -- 23:30 on the last day of the month
                THEN (date_trunc('month', d0) + INTERVAL '1 month' - INTERVAL '1 day')::date + slot
                ELSE d0 END AS date_local
    FROM d
), s AS (
    SELECT e.*,
           CASE WHEN date_local IS NULL
                    THEN CASE WHEN hf % 100 < 50 THEN 'scheduled' ELSE 'unknown' END
                WHEN date_local < TIMESTAMP '2025-06-30 12:00'
                    THEN CASE WHEN hf % 100 < 68 THEN 'completed' WHEN hf % 100 < 84 THEN 'cancelled'
                              WHEN hf % 100 < 91 THEN 'no_show'   WHEN hf % 100 < 96 THEN 'scheduled'
                              ELSE 'unknown' END
                ELSE CASE WHEN hf % 100 < 85 THEN 'scheduled' WHEN hf % 100 < 97 THEN 'cancelled'
                          ELSE 'unknown' END
           END AS canon_status,
           CASE WHEN hg % 100 < 58 THEN 'online' WHEN hg % 100 < 95 THEN 'in_person'
                ELSE 'unknown' END AS canon_type,
           CASE WHEN hh % 100 < 3 THEN true ELSE false END AS is_deleted
    FROM e
), u AS MATERIALIZED (
    SELECT s.*,
           GREATEST(created_local,
                    LEAST(COALESCE(date_local, created_local) + (1 + hh / 100 % 48) * INTERVAL '1 hour',
                          created_local + (hh / 10000 % 90) * INTERVAL '1 day',
                          TIMESTAMP '2025-06-30 12:00' - (hh % 43200) * INTERVAL '1 second')) AS updated_local
    FROM s
), x AS (
    SELECT u.*,
           CASE WHEN is_deleted
                THEN LEAST(updated_local + (1 + hh / 1000000 % 72) * INTERVAL '1 hour',
                           GREATEST(updated_local, TIMESTAMP '2025-06-30 12:00')) END AS deleted_local
    FROM u
)
SELECT a,
       (created_local + INTERVAL '3 hours') AT TIME ZONE 'UTC',
       (COALESCE(deleted_local, updated_local) + INTERVAL '3 hours') AT TIME ZONE 'UTC',
       (date_local + INTERVAL '3 hours') AT TIME ZONE 'UTC',
       CASE canon_status
           WHEN 'completed' THEN
               (ARRAY['completed', 'completed', 'completed', 'completed', 'completed',
                      'completed', 'completed', 'completed', 'Completed', 'COMPLETED',
                      ' concluída ', 'concluida', 'Concluído', 'realizada', 'done', 'finished',
                      'complete'])[1 + (hf / 100 % 17)::int]
           WHEN 'cancelled' THEN
               (ARRAY['cancelled', 'cancelled', 'cancelled', 'cancelled', 'cancelled',
                      'Canceled', 'cancelada', 'CANCELADO', 'cancelled_by_patient',
                      'cancelled_by_patient', 'CANCELED_BY_PATIENT', 'canceled_by_professional',
                      'Cancelled By Professional'])[1 + (hf / 100 % 13)::int]
           WHEN 'scheduled' THEN
               (ARRAY['scheduled', 'scheduled', 'scheduled', 'scheduled', 'scheduled',
                      'agendada', 'Agendado', 'confirmed', 'Confirmada', 'pending', 'pendente',
                      ' SCHEDULED'])[1 + (hf / 100 % 12)::int]
           WHEN 'no_show' THEN
               (ARRAY['no_show', 'no_show', 'no_show', 'no_show', 'no-show', 'No Show',
                      'noshow', 'faltou', 'ausente', 'não compareceu', 'NAO_COMPARECEU'])
                   [1 + (hf / 100 % 11)::int]
           ELSE (ARRAY[NULL, NULL, 'weird', '', '???', 'em andamento'])[1 + (hf / 100 % 6)::int]
       END,
       CASE canon_type
           WHEN 'online' THEN
               (ARRAY['online', 'online', 'online', 'online', 'online', 'Online', 'ONLINE ',
                      'teleconsulta', 'Telemedicina', 'virtual', 'remote', 'remoto'])
                   [1 + (hg / 100 % 12)::int]
           WHEN 'in_person' THEN
               (ARRAY['presencial', 'presencial', 'presencial', 'presencial', 'Presencial ',
                      'in-person', 'in_person', 'InPerson', 'presential', 'consultório'])
                   [1 + (hg / 100 % 10)::int]
           ELSE (ARRAY[NULL, NULL, 'xyz', '', 'híbrido'])[1 + (hg / 100 % 5)::int]
       END,
       x.professional_id,
       CASE WHEN user_raw % 3 = 0 AND hi % 100 >= 2 THEN user_raw - 1 ELSE user_raw END,
       CASE WHEN hh / 100 % 1000 = 999
                THEN 1 + (he / 1000 % (SELECT count(*) FROM {{ source_schema }}.lacreisaude_clinic))
            WHEN pc.n_clinics IS NULL THEN NULL
            WHEN hh / 100 % 100 < CASE canon_type WHEN 'in_person' THEN 55
                                                  WHEN 'online' THEN 20 ELSE 30 END
                THEN pc.first_clinic_id + (hh / 100000 % pc.n_clinics) END,
       CASE WHEN hb / 1000 % 100 < 10 THEN 1 + hb / 100000 % 12 END,
       (deleted_local + INTERVAL '3 hours') AT TIME ZONE 'UTC'
FROM x
LEFT JOIN pc ON pc.professional_id = x.professional_id;

-- ---------------------------------------------------------------------------------------------
-- lacreiid_cancellation (≈ 0.14 per appointment). 90 % of appointments whose status reads as
-- cancelled have one; so do 3 % of 'scheduled'-like ones (status never updated), 0.5 % of
-- 'completed'-like ones and 1 % of the rest; 8 % of cancelled appointments have TWO
-- cancellations (latest wins; a few share the same created_at, tie → highest id).
-- Never-extracted column: reason ('Motivo fictício ...'), sometimes NULL or ''.
-- ---------------------------------------------------------------------------------------------
INSERT INTO {{ source_schema }}.lacreiid_cancellation
    (id, created_at, updated_at, reason, appointment_id, created_by_content_type_id,
     created_by_object_id)
WITH a AS (
    SELECT id AS appointment_id, user_id, professional_id,
           lower(trim(status)) AS st,
           (created_at AT TIME ZONE 'UTC') - INTERVAL '3 hours' AS appt_created_local,
           (date AT TIME ZONE 'UTC') - INTERVAL '3 hours' AS appt_date_local,
           (hashtext('cancellation:a:' || id) & 2147483647) AS ha
    FROM {{ source_schema }}.lacreiid_appointment
), c AS (
    SELECT a.*, k,
           (hashtext('cancellation:b:' || appointment_id || ':' || k) & 2147483647) AS hb
    FROM a CROSS JOIN generate_series(1, 2) AS k
    WHERE CASE WHEN st LIKE 'cancel%' THEN ha % 1000 < 900
               WHEN st IN ('scheduled', 'agendada', 'agendado', 'confirmed', 'confirmada',
                           'pending', 'pendente') THEN ha % 1000 < 30
               WHEN st IN ('completed', 'complete', 'concluída', 'concluida', 'concluído',
                           'realizada', 'done', 'finished') THEN ha % 1000 < 5
               ELSE ha % 1000 < 10 END
      AND (k = 1 OR (st LIKE 'cancel%' AND ha / 1000 % 100 < 8))
), t AS (
    SELECT c.*,
           date_trunc('second',
               appt_created_local
               + (GREATEST(LEAST(COALESCE(appt_date_local, appt_created_local + INTERVAL '7 days'),
                                 TIMESTAMP '2025-06-30 12:00'),
                           appt_created_local) - appt_created_local)
                 * ((ha / 100000 % 1000) / 1000.0)) AS first_local
    FROM c
), x AS (
    SELECT t.*,
           CASE WHEN k = 1 OR ha / 100 % 10 = 0 THEN first_local
                ELSE LEAST(first_local + (1 + hb % 48) * INTERVAL '1 hour',
                           GREATEST(first_local + INTERVAL '1 minute', TIMESTAMP '2025-06-30 12:00'))
           END AS created_local
    FROM t
)
SELECT row_number() OVER (ORDER BY appointment_id, k),
       (created_local + INTERVAL '3 hours') AT TIME ZONE 'UTC',
       (created_local + (hb / 100 % 30) * INTERVAL '1 minute' + INTERVAL '3 hours') AT TIME ZONE 'UTC',
       CASE WHEN hb / 10000 % 100 < 15 THEN NULL
            WHEN hb / 10000 % 100 < 20 THEN ''
            ELSE 'Motivo fictício nº ' || appointment_id || ': '
                 || (ARRAY['imprevisto no trabalho', 'problema de saúde', 'conflito de agenda',
                           'profissional indisponível', 'sem conexão de internet'])
                        [1 + (hb / 1000000 % 5)::int] END,
       appointment_id,
       CASE WHEN hb / 100000000 % 2 = 0 THEN 7 ELSE 15 END,
       CASE WHEN hb / 100000000 % 2 = 0 THEN user_id ELSE professional_id END
FROM x;

-- ---------------------------------------------------------------------------------------------
-- lacreiid_report (≈ 0.25 per appointment): a rating of an appointment. 35 % of appointments
-- whose status reads as completed have one, and a few others (no-show, cancelled, unknown).
-- Messy: eval mostly 4-5, some 1-3, but 0 (2 %), 7 (2 %) and NULL (3 %); 4 % of rated
-- appointments have a SECOND, later report whose eval is NULL 40 % of the time (the latest
-- report counts, even when its rating is NULL), one in ten of those with the same created_at
-- as the first (tie → highest id); feedback NULL or ''.
-- Never-extracted column: feedback ('Comentário fictício ...').
-- ---------------------------------------------------------------------------------------------
INSERT INTO {{ source_schema }}.lacreiid_report
    (id, created_at, updated_at, feedback, eval, appointment_id, created_by_content_type_id,
     created_by_object_id)
WITH a AS (
    SELECT id AS appointment_id, user_id,
           lower(trim(status)) AS st,
           (created_at AT TIME ZONE 'UTC') - INTERVAL '3 hours' AS appt_created_local,
           (date AT TIME ZONE 'UTC') - INTERVAL '3 hours' AS appt_date_local,
           (hashtext('report:a:' || id) & 2147483647) AS ha
    FROM {{ source_schema }}.lacreiid_appointment
), r AS (
    SELECT a.*, k,
           (hashtext('report:b:' || appointment_id || ':' || k) & 2147483647) AS hb
    FROM a CROSS JOIN generate_series(1, 2) AS k
    WHERE CASE WHEN st IN ('completed', 'complete', 'concluída', 'concluida', 'concluído',
                           'realizada', 'done', 'finished') THEN ha % 1000 < 350
               WHEN st LIKE 'cancel%' OR st IN ('no_show', 'no-show', 'no show', 'noshow',
                                                'faltou', 'ausente') THEN ha % 1000 < 5
               ELSE ha % 1000 < 2 END
      AND (k = 1 OR ha / 1000 % 100 < 4)
), t AS (
    SELECT r.*,
           GREATEST(appt_created_local,
                    LEAST(COALESCE(appt_date_local, appt_created_local)
                              + (60 + ha / 100000 % 4320) * INTERVAL '1 minute',
                          TIMESTAMP '2025-06-30 11:00')) AS first_local
    FROM r
), x AS (
    SELECT t.*,
           CASE WHEN k = 1 OR ha / 100 % 10 = 0 THEN first_local
                ELSE LEAST(first_local + (1 + hb % 200) * INTERVAL '1 hour',
                           GREATEST(first_local + INTERVAL '1 minute', TIMESTAMP '2025-06-30 12:00'))
           END AS created_local
    FROM t
)
SELECT row_number() OVER (ORDER BY appointment_id, k),
       (created_local + INTERVAL '3 hours') AT TIME ZONE 'UTC',
       (created_local + (hb / 100 % 10) * INTERVAL '1 minute' + INTERVAL '3 hours') AT TIME ZONE 'UTC',
       CASE WHEN hb / 1000 % 100 < 45 THEN NULL
            WHEN hb / 1000 % 100 < 50 THEN ''
            ELSE 'Comentário fictício nº ' || appointment_id || '-' || k || ': '
                 || (ARRAY['atendimento acolhedor', 'me senti respeitade', 'profissional atenciosa',
                           'a consulta atrasou', 'voltarei com certeza'])
                        [1 + (hb / 100000 % 5)::int] END,
       CASE WHEN k = 2 AND hb / 10000000 % 100 < 40 THEN NULL
            WHEN hb / 10000000 % 100 < 2 THEN 0
            WHEN hb / 10000000 % 100 < 4 THEN 7
            WHEN hb / 10000000 % 100 < 7 THEN NULL
            WHEN hb / 10000000 % 100 < 10 THEN 1
            WHEN hb / 10000000 % 100 < 14 THEN 2
            WHEN hb / 10000000 % 100 < 24 THEN 3
            WHEN hb / 10000000 % 100 < 46 THEN 4
            ELSE 5 END,
       appointment_id,
       7,
       user_id
FROM x;

-- Unusable rows (a few per scale unit): links and ratings that point at nothing. The pipeline
-- must list them in staging2.rejects with a reason, never drop them silently (SPEC §9.3).
INSERT INTO {{ source_schema }}.lacreiid_profile_disability_types (id, profile_id, disabilitytype_id)
SELECT (SELECT max(id) FROM {{ source_schema }}.lacreiid_profile_disability_types) + g,
       CASE WHEN g % 2 = 0 THEN NULL ELSE (SELECT min(id) FROM {{ source_schema }}.lacreiid_profile) END,
       CASE WHEN g % 2 = 1 THEN NULL ELSE 1 END
FROM generate_series(1, 2 * {{ scale }}) AS g;

INSERT INTO {{ source_schema }}.lacreiid_report (id, created_at, updated_at, feedback, eval, appointment_id, created_by_content_type_id, created_by_object_id)
SELECT (SELECT max(id) FROM {{ source_schema }}.lacreiid_report) + g,
       TIMESTAMPTZ '2025-06-01 12:00:00-03', TIMESTAMPTZ '2025-06-01 12:00:00-03', NULL, 5, NULL, 7, NULL
FROM generate_series(1, 3 * {{ scale }}) AS g;

INSERT INTO {{ source_schema }}.lacreiid_cancellation (id, created_at, updated_at, reason, appointment_id, created_by_content_type_id, created_by_object_id)
SELECT (SELECT max(id) FROM {{ source_schema }}.lacreiid_cancellation) + g,
       TIMESTAMPTZ '2025-06-02 12:00:00-03', TIMESTAMPTZ '2025-06-02 12:00:00-03', NULL, NULL, 7, NULL
FROM generate_series(1, {{ scale }}) AS g;

ANALYZE {{ source_schema }}.lacrei_privacydocument, {{ source_schema }}.address_state,
        {{ source_schema }}.lacreiid_disabilitytype, {{ source_schema }}.lacreiid_sexualorientation,
        {{ source_schema }}.lacreiid_pronoun, {{ source_schema }}.lacreiid_ethnicgroup,
        {{ source_schema }}.lacreiid_genderidentity, {{ source_schema }}.lacreiid_user,
        {{ source_schema }}.lacreiid_profile, {{ source_schema }}.lacreiid_profile_disability_types,
        {{ source_schema }}.lacreisaude_professional,
        {{ source_schema }}.lacreisaude_professional_disability_types,
        {{ source_schema }}.lacreisaude_clinic, {{ source_schema }}.lacreiid_appointment,
        {{ source_schema }}.lacreiid_cancellation, {{ source_schema }}.lacreiid_report;

RESET jit;
