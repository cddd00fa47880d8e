-- Staging 2: lacreiid_user
-- Grain: one row per user (key id).
-- Rule (SPEC §9.3): signup_date is created_at's date in vars.timezone. age = whole years from
-- birth_date to the sign-up date, so a person's age group is fixed at sign-up and the run date
-- changes nothing; age_group '< 18', '18-24', '25-34', '35-44', '45-54', '55+', and 'N/I' when
-- the birth date is NULL or the age is negative (born after signing up) or over 120; age is NULL
-- whenever age_group is 'N/I'. The age is computed here and nowhere else (the CTE signup_ages),
-- so it can move to the source as one extract expression.
-- The birth date itself is not carried on (data minimisation): age and age_group are enough;
-- nor are the e-mail and phone verification flags, which nothing downstream reads.
-- Materialization: incremental with a scope (lacreiid_user.scope.sql): only the users staging 1
-- changed are recomputed.
WITH users AS (
    SELECT
        id,
        created_at,
        updated_at,
        (created_at AT TIME ZONE '{{ vars.timezone }}')::date AS signup_date,
        birth_date,
        is_active,
        is_staff,
        is_superuser,
        is_18_years_old_or_more,
        newsletter_subscribed,
        accepted_privacy_document,
        privacy_document_id
    FROM {{ ref "staging1.lacreiid_user" }}
    {{ if is_incremental }}
    WHERE id IN (SELECT scope.id FROM {{ scope }} AS scope)
    {{ end }}
),
signup_ages AS (
    SELECT
        id,
        CASE
            WHEN birth_date <= signup_date
                AND EXTRACT(YEAR FROM age(signup_date, birth_date)) <= 120
                THEN EXTRACT(YEAR FROM age(signup_date, birth_date))::integer
        END AS age
    FROM users
)
SELECT
    users.id,
    users.created_at,
    users.updated_at,
    users.signup_date,
    users.is_active,
    users.is_staff,
    users.is_superuser,
    users.is_18_years_old_or_more,
    users.newsletter_subscribed,
    users.accepted_privacy_document,
    users.privacy_document_id,
    signup_ages.age,
    CASE
        WHEN signup_ages.age IS NULL THEN 'N/I'
        WHEN signup_ages.age < 18 THEN '< 18'
        WHEN signup_ages.age <= 24 THEN '18-24'
        WHEN signup_ages.age <= 34 THEN '25-34'
        WHEN signup_ages.age <= 44 THEN '35-44'
        WHEN signup_ages.age <= 54 THEN '45-54'
        ELSE '55+'
    END::text AS age_group
FROM users
JOIN signup_ages
    ON signup_ages.id = users.id
