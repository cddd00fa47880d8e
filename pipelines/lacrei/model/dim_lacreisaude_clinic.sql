-- Model: dim_lacreisaude_clinic
-- Grain: one row per clinic (key clinic_id = the source id).
-- Rule (SPEC §9.4): the clinic's professional, modality flags, city, state as UF, parsed
-- prices and conditions, in person and online.
-- Materialization: upsert by clinic_id with delete_missing (see dim_lacreisaude_patient.sql).
SELECT
    clinic.id AS clinic_id,
    clinic.professional_id,
    clinic.is_presential_clinic AS is_presential,
    clinic.is_online_clinic AS is_online,
    clinic.city,
    state.uf AS state,
    clinic.consult_price,
    clinic.duration_minutes,
    clinic.accepts_insurance_providers AS accepts_insurance,
    clinic.provides_accessibility_standards AS accessibility,
    clinic.online_clinic_consult_price AS online_consult_price,
    clinic.online_clinic_duration_minutes AS online_duration_minutes,
    clinic.online_clinic_accepts_insurance_providers AS online_accepts_insurance
FROM {{ ref "staging2.lacreisaude_clinic" }} AS clinic
LEFT JOIN {{ ref "staging2.address_state" }} AS state
    ON state.id = clinic.state_id
