-- Model: professional_history
-- Grain: one row per version of a professional's specialty, state (UF), profile status and
-- flags; valid_from/valid_to (added by the engine) say when each version held, valid_to NULL
-- being the current one (docs/authoring.md#snapshots).
-- Rule: what a dashboard follows over time (SPEC §9.4's columns of dim_lacreisaude_professional
-- that are not identity attributes): no name, no document, no identity attribute. A
-- professional removed upstream has every version removed (hard_deletes: delete, docs/privacy.md).
-- Materialization: snapshot by professional_id, a new version when a checked column changes.
SELECT
    professional.professional_id,
    professional.specialty,
    professional.state,
    professional.profile_status,
    professional.active,
    professional.published
FROM {{ ref "model.dim_lacreisaude_professional" }} AS professional
