-- Model: dim_lacreisaude_professional
-- Grain: one row per professional (key professional_id = the source id).
-- Rule (SPEC §9.4): specialty and profile_status (closed vocabularies, from staging 2), state
-- as the UF of the registered state, active, published, identity attributes and the distinct,
-- sorted disability type names (empty array when none), as for patients. No name, no
-- document, no photo.
-- Materialization: upsert by professional_id with delete_missing (see dim_lacreisaude_patient.sql).
WITH professional_disabilities AS (
    SELECT
        link.professional_id,
        array_agg(DISTINCT disability.disability_type ORDER BY disability.disability_type) AS disability_types
    FROM {{ ref "staging2.lacreisaude_professional_disability_types" }} AS link
    JOIN {{ ref "staging2.lacreiid_disabilitytype" }} AS disability
        ON disability.id = link.disabilitytype_id
    GROUP BY link.professional_id
)
SELECT
    professional.id AS professional_id,
    professional.created_date,
    professional.specialty,
    state.uf AS state,
    professional.profile_status,
    professional.active,
    professional.published,
    ethnic_group.ethnic_group,
    gender_identity.gender_identity,
    sexual_orientation.sexual_orientation,
    pronoun.pronoun,
    coalesce(professional_disabilities.disability_types, ARRAY[]::text[]) AS disability_types
FROM {{ ref "staging2.lacreisaude_professional" }} AS professional
LEFT JOIN {{ ref "staging2.address_state" }} AS state
    ON state.id = professional.state_id
LEFT JOIN {{ ref "staging2.lacreiid_ethnicgroup" }} AS ethnic_group
    ON ethnic_group.id = professional.ethnic_group_id
LEFT JOIN {{ ref "staging2.lacreiid_genderidentity" }} AS gender_identity
    ON gender_identity.id = professional.gender_identity_id
LEFT JOIN {{ ref "staging2.lacreiid_sexualorientation" }} AS sexual_orientation
    ON sexual_orientation.id = professional.sexual_orientation_id
LEFT JOIN {{ ref "staging2.lacreiid_pronoun" }} AS pronoun
    ON pronoun.id = professional.pronoun_id
LEFT JOIN professional_disabilities
    ON professional_disabilities.professional_id = professional.id
