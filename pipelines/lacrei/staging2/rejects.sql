-- Staging 2: rejects
-- Grain: one row per rejected staging 1 row and reason (key step, source_key, reason).
-- Rule: rows of staging 1 that staging 2 cannot use are never dropped silently (SPEC §9.3):
-- they are listed here with the staging 2 step that leaves them out, the source id and why.
-- This table is the single source of truth: the staging 2 steps below leave out exactly the
-- rows listed here for them (an anti-join on step and source_key; staging2.lacreiid_user by the
-- same rule, the macro local_date, so that users need not wait for every table read here).
-- Only link rows without both ends, cancellations and ratings without an appointment, and users
-- without a sign-up date (created_at NULL, 'infinity' / '-infinity', or a day outside the years
-- 1-9999: macros/dates.sql; such a patient belongs to no month of the marts) are unusable: ids are never NULL (primary key
-- of staging 1), and a NULL or unparseable optional value (status, type, price, rating, birth
-- date, appointment date, another row's creation date) is kept and read as unknown / NULL as
-- SPEC §9.3 prescribes.
-- Materialization: incremental with a scope (rejects.scope.sql): only the staging 1 rows changed
-- since the last run are looked at again (by their primary keys), instead of six whole tables on
-- the way to every patient.
WITH user_rejects AS (
    SELECT
        'staging2.lacreiid_user'::text AS step,
        id::text AS source_key,
        'created_at gives no sign-up date (NULL, infinite, or outside the years 1-9999)'::text AS reason
    FROM {{ ref "staging1.lacreiid_user" }}
    WHERE NOT coalesce({{ has_local_date "created_at" }}, false)
    {{ if is_incremental }}
    AND id IN (SELECT scope.source_key::bigint FROM {{ scope }} AS scope WHERE scope.step = 'staging2.lacreiid_user')
    {{ end }}
),
profile_rejects AS (
    SELECT
        'staging2.lacreiid_profile'::text AS step,
        id::text AS source_key,
        'user_id is NULL: the profile belongs to no user'::text AS reason
    FROM {{ ref "staging1.lacreiid_profile" }}
    WHERE user_id IS NULL
    {{ if is_incremental }}
    AND id IN (SELECT scope.source_key::bigint FROM {{ scope }} AS scope WHERE scope.step = 'staging2.lacreiid_profile')
    {{ end }}
),
profile_disability_rejects AS (
    SELECT
        'staging2.lacreiid_profile_disability_types' AS step,
        id::text AS source_key,
        'profile_id is NULL' AS reason
    FROM {{ ref "staging1.lacreiid_profile_disability_types" }}
    WHERE profile_id IS NULL
    {{ if is_incremental }}
    AND id IN (SELECT scope.source_key::bigint FROM {{ scope }} AS scope WHERE scope.step = 'staging2.lacreiid_profile_disability_types')
    {{ end }}
    UNION ALL
    SELECT
        'staging2.lacreiid_profile_disability_types',
        id::text,
        'disabilitytype_id is NULL'
    FROM {{ ref "staging1.lacreiid_profile_disability_types" }}
    WHERE disabilitytype_id IS NULL
    {{ if is_incremental }}
    AND id IN (SELECT scope.source_key::bigint FROM {{ scope }} AS scope WHERE scope.step = 'staging2.lacreiid_profile_disability_types')
    {{ end }}
),
professional_disability_rejects AS (
    SELECT
        'staging2.lacreisaude_professional_disability_types' AS step,
        id::text AS source_key,
        'professional_id is NULL' AS reason
    FROM {{ ref "staging1.lacreisaude_professional_disability_types" }}
    WHERE professional_id IS NULL
    {{ if is_incremental }}
    AND id IN (SELECT scope.source_key::bigint FROM {{ scope }} AS scope WHERE scope.step = 'staging2.lacreisaude_professional_disability_types')
    {{ end }}
    UNION ALL
    SELECT
        'staging2.lacreisaude_professional_disability_types',
        id::text,
        'disabilitytype_id is NULL'
    FROM {{ ref "staging1.lacreisaude_professional_disability_types" }}
    WHERE disabilitytype_id IS NULL
    {{ if is_incremental }}
    AND id IN (SELECT scope.source_key::bigint FROM {{ scope }} AS scope WHERE scope.step = 'staging2.lacreisaude_professional_disability_types')
    {{ end }}
),
cancellation_rejects AS (
    SELECT
        'staging2.lacreiid_cancellation' AS step,
        id::text AS source_key,
        'appointment_id is NULL: the cancellation belongs to no appointment' AS reason
    FROM {{ ref "staging1.lacreiid_cancellation" }}
    WHERE appointment_id IS NULL
    {{ if is_incremental }}
    AND id IN (SELECT scope.source_key::bigint FROM {{ scope }} AS scope WHERE scope.step = 'staging2.lacreiid_cancellation')
    {{ end }}
),
report_rejects AS (
    SELECT
        'staging2.lacreiid_report' AS step,
        id::text AS source_key,
        'appointment_id is NULL: the rating belongs to no appointment' AS reason
    FROM {{ ref "staging1.lacreiid_report" }}
    WHERE appointment_id IS NULL
    {{ if is_incremental }}
    AND id IN (SELECT scope.source_key::bigint FROM {{ scope }} AS scope WHERE scope.step = 'staging2.lacreiid_report')
    {{ end }}
)
SELECT step, source_key, reason
FROM user_rejects
UNION ALL
SELECT step, source_key, reason
FROM profile_rejects
UNION ALL
SELECT step, source_key, reason
FROM profile_disability_rejects
UNION ALL
SELECT step, source_key, reason
FROM professional_disability_rejects
UNION ALL
SELECT step, source_key, reason
FROM cancellation_rejects
UNION ALL
SELECT step, source_key, reason
FROM report_rejects
