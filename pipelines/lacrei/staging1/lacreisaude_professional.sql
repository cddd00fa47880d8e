-- Staging 1: lacreisaude_professional
-- Grain: one row per source row (key id).
-- Rule: a copy of the source table with the source types.
-- Never extracted (data minimisation, SPEC §9.2): the
-- free-text other_* identity fields, full_name, about_me, document_number (CPF),
-- board_registration_number, specialty_number_rqe, board_certification_selfie, photo,
-- photo_description, search_synonym.
SELECT
    id,
    created_at,
    updated_at,
    other_article,
    profile_status,
    active,
    published,
    accepted_privacy_document,
    safety_measures,
    specialty,
    ethnic_group_id,
    gender_identity_id,
    privacy_document_id,
    profession_id,
    pronoun_id,
    sexual_orientation_id,
    state_id,
    user_id
FROM {{ source "app" "lacreisaude_professional" }}
