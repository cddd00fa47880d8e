-- Model: dim_lacreisaude_patient
-- Grain: one row per patient (key patient_id = the user's keyed pseudonym, SPEC §9.4).
-- Rule (SPEC §9.4): a patient is a user with at least one profile; when a user has several,
-- the profile with the latest updated_at, then the highest id, counts. Identity attributes
-- are the lookups' texts (trimmed in staging 2); disability_types are the distinct type names
-- of that profile, sorted (empty array when none). No names, no birth date.
-- patient_id is staging 2's patient_key and profile_id the profile's pseudonym: no source id of a
-- person reaches the model. The scope names pseudonyms; the users behind them are found by the
-- index on staging 2's patient_key.
-- Materialization: incremental with a scope (dim_lacreisaude_patient.scope.sql): keys are
-- pseudonyms, stable across runs with the same key, and unchanged patients are not rewritten.
WITH latest_profiles AS (
    SELECT DISTINCT ON (user_id)
        user_id,
        id AS profile_id,
        ethnic_group_id,
        gender_identity_id,
        sexual_orientation_id,
        pronoun_id
    FROM {{ ref "staging2.lacreiid_profile" }}
    {{ if is_incremental }}
    WHERE user_id IN (
        SELECT
            scoped_users.id
        FROM {{ ref "staging2.lacreiid_user" }} AS scoped_users
        WHERE scoped_users.patient_key IN (SELECT scope.patient_id FROM {{ scope }} AS scope)
    )
    {{ end }}
    ORDER BY user_id, updated_at DESC, id DESC
),
profile_disabilities AS (
    SELECT
        link.profile_id,
        array_agg(DISTINCT disability.disability_type ORDER BY disability.disability_type) AS disability_types
    FROM {{ ref "staging2.lacreiid_profile_disability_types" }} AS link
    JOIN {{ ref "staging2.lacreiid_disabilitytype" }} AS disability
        ON disability.id = link.disabilitytype_id
    {{ if is_incremental }}
    -- The links of the scope's profiles only: a join does not filter an aggregate below it, so
    -- without this every profile's types were aggregated on every run (issue 21).
    WHERE link.profile_id IN (SELECT latest_profiles.profile_id FROM latest_profiles)
    {{ end }}
    GROUP BY link.profile_id
)
SELECT
    users.patient_key AS patient_id,
    {{ pseudonym "profile" "latest_profiles.profile_id" }} AS profile_id,
    users.signup_date,
    date_trunc('month', users.signup_date::timestamp)::date AS signup_month,
    users.is_active,
    ethnic_group.ethnic_group,
    gender_identity.gender_identity,
    sexual_orientation.sexual_orientation,
    pronoun.pronoun,
    coalesce(profile_disabilities.disability_types, ARRAY[]::text[]) AS disability_types,
    users.age,
    users.age_group
FROM latest_profiles
JOIN {{ ref "staging2.lacreiid_user" }} AS users
    ON users.id = latest_profiles.user_id
LEFT JOIN {{ ref "staging2.lacreiid_ethnicgroup" }} AS ethnic_group
    ON ethnic_group.id = latest_profiles.ethnic_group_id
LEFT JOIN {{ ref "staging2.lacreiid_genderidentity" }} AS gender_identity
    ON gender_identity.id = latest_profiles.gender_identity_id
LEFT JOIN {{ ref "staging2.lacreiid_sexualorientation" }} AS sexual_orientation
    ON sexual_orientation.id = latest_profiles.sexual_orientation_id
LEFT JOIN {{ ref "staging2.lacreiid_pronoun" }} AS pronoun
    ON pronoun.id = latest_profiles.pronoun_id
LEFT JOIN profile_disabilities
    ON profile_disabilities.profile_id = latest_profiles.profile_id
