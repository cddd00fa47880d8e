-- Staging 2: lacreiid_user
-- Grain: one row per user (key id).
-- Rule (SPEC §9.3): signup_date is created_at's date in vars.timezone; a user without one
-- (created_at NULL, infinite or out of range: macros/dates.sql) is listed in staging2.rejects
-- and left out here, by the same rule (has_local_date) rather than an anti-join on rejects:
-- that would make every user wait for all the tables rejects reads, on the way to the patients
-- and the fact. The age at sign-up
-- (whole years from the birth date to the sign-up date) is computed on the source by the
-- extract expression age_at_signup (pipeline.yaml), so the birth date never leaves it and the run
-- date changes nothing. age is that age when it is between 0 and 120, else NULL; age_group
-- '< 18', '18-24', '25-34', '35-44', '45-54', '55+', and 'N/I' when age is NULL (no birth date,
-- born after signing up, or over 120).
-- patient_key is the user's keyed pseudonym (SPEC §9.4), computed here once per changed user so
-- the model joins on it instead of hashing every user on every run.
-- Materialization: incremental with a scope (lacreiid_user.scope.sql): only the users staging 1
-- changed are recomputed.
WITH users AS (
    SELECT
        id,
        created_at,
        updated_at,
        {{ local_date "created_at" }} AS signup_date,
        age_at_signup,
        is_active,
        is_staff,
        is_superuser,
        is_18_years_old_or_more,
        newsletter_subscribed,
        accepted_privacy_document,
        privacy_document_id
    FROM {{ ref "staging1.lacreiid_user" }}
    WHERE {{ has_local_date "created_at" }}
    {{ if is_incremental }}
    AND id IN (SELECT scope.id FROM {{ scope }} AS scope)
    {{ end }}
),
signup_ages AS (
    SELECT
        id,
        CASE
            WHEN age_at_signup BETWEEN 0 AND 120 THEN age_at_signup
        END AS age
    FROM users
)
SELECT
    users.id,
    {{ pseudonym "patient" "users.id" }} AS patient_key,
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
