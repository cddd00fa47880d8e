-- Staging 2: lacreiid_profile
-- Grain: one row per patient profile that belongs to a user (key id).
-- Rule: a profile without user_id cannot make anyone a patient; it is listed in
-- staging2.rejects and left out here (exactly the rows rejects lists for this step).
-- Materialization: upsert by id with delete_missing (see lacrei_privacydocument.sql).
WITH rejected AS (
    SELECT
        source_key
    FROM {{ ref "staging2.rejects" }}
    WHERE step = 'staging2.lacreiid_profile'
)
SELECT
    profile.id,
    profile.created_at,
    profile.updated_at,
    profile.user_id,
    profile.completed,
    profile.ethnic_group_id,
    profile.gender_identity_id,
    profile.pronoun_id,
    profile.sexual_orientation_id
FROM {{ ref "staging1.lacreiid_profile" }} AS profile
WHERE NOT EXISTS (
    SELECT 1
    FROM rejected
    WHERE rejected.source_key = profile.id::text
)
{{ if is_incremental }}
    AND profile.id IN (SELECT scope.id FROM {{ scope }} AS scope)
{{ end }}
