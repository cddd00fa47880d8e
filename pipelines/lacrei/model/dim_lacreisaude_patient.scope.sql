-- Scope of model.dim_lacreisaude_patient: the users whose user row, profile (before and after) or
-- profile disabilities changed since this step last ran, as patient pseudonyms (the table's key),
-- each hashed once. A changed lookup (gender identity, pronoun, ...) recomputes everything.
SELECT
    {{ pseudonym "patient" "changed_users.user_id" }} AS patient_id
FROM (
    SELECT
        changed.id AS user_id
    FROM {{ changes "staging2.lacreiid_user" }} AS changed
    UNION
    SELECT
        changed.user_id
    FROM {{ changes "staging2.lacreiid_profile" "user_id" }} AS changed
    WHERE changed.user_id IS NOT NULL
    UNION
    SELECT
        profile.user_id
    FROM {{ ref "staging2.lacreiid_profile" }} AS profile
    JOIN (
        SELECT DISTINCT
            profile_id
        FROM {{ changes "staging2.lacreiid_profile_disability_types" "profile_id" }} AS changed_rows
    ) AS changed
        ON changed.profile_id = profile.id
    WHERE profile.user_id IS NOT NULL
) AS changed_users
