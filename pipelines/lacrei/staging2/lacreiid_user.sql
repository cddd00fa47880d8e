-- Staging 2: lacreiid_user
-- Grain: one row per user (key id).
-- Rule (SPEC §9.3): signup_date is created_at's date in vars.timezone. age = whole years from
-- birth_date to run.as_of (never the server's clock); age_group '< 18', '18-24', '25-34',
-- '35-44', '45-54', '55+', and 'N/I' when the birth date is NULL or the age is negative
-- (a future birth date) or over 120; age is NULL whenever age_group is 'N/I'.
-- The birth date itself is not carried on (data minimisation): age and age_group are enough;
-- nor are the e-mail and phone verification flags, which nothing downstream reads.
-- Materialization: upsert by id with delete_missing (see lacrei_privacydocument.sql); only the
-- users whose age changes on the run date are rewritten.
WITH user_ages AS (
    SELECT
        id,
        CASE
            WHEN birth_date <= DATE '{{ run.as_of }}'
                THEN EXTRACT(YEAR FROM age(DATE '{{ run.as_of }}', birth_date))::integer
        END AS age_in_years
    FROM {{ ref "staging1.lacreiid_user" }}
    {{ if is_incremental }}
    WHERE id IN (SELECT scope.id FROM {{ scope }} AS scope)
    {{ end }}
),
valid_ages AS (
    SELECT
        id,
        CASE
            WHEN age_in_years <= 120 THEN age_in_years
        END AS age
    FROM user_ages
)
SELECT
    users.id,
    users.created_at,
    users.updated_at,
    (users.created_at AT TIME ZONE '{{ vars.timezone }}')::date AS signup_date,
    users.is_active,
    users.is_staff,
    users.is_superuser,
    users.is_18_years_old_or_more,
    users.newsletter_subscribed,
    users.accepted_privacy_document,
    users.privacy_document_id,
    valid_ages.age,
    CASE
        WHEN valid_ages.age IS NULL THEN 'N/I'
        WHEN valid_ages.age < 18 THEN '< 18'
        WHEN valid_ages.age <= 24 THEN '18-24'
        WHEN valid_ages.age <= 34 THEN '25-34'
        WHEN valid_ages.age <= 44 THEN '35-44'
        WHEN valid_ages.age <= 54 THEN '45-54'
        ELSE '55+'
    END::text AS age_group
FROM {{ ref "staging1.lacreiid_user" }} AS users
JOIN valid_ages
    ON valid_ages.id = users.id
