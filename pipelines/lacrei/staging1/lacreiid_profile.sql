-- Staging 1: lacreiid_profile
-- Grain: one row per source row (key id).
-- Rule: a copy of the source table with the source types.
-- Never extracted (data minimisation, SPEC §9.2): the free-text
-- other_ethnic_group, other_gender_identity, other_sexual_orientation, other_pronoun,
-- other_disability_types, and photo, photo_description.
SELECT
    id,
    created_at,
    updated_at,
    other_article,
    completed,
    ethnic_group_id,
    gender_identity_id,
    pronoun_id,
    sexual_orientation_id,
    user_id
FROM {{ source "app" "lacreiid_profile" }}
