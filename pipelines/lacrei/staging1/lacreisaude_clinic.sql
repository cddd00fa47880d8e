-- Staging 1: lacreisaude_clinic
-- Grain: one row per source row (key id).
-- Rule: a copy of the source table with the source types.
-- Never extracted (data minimisation, SPEC §9.2): zip_code,
-- address, address_line2, phone, phone_whatsapp, online_clinic_phone,
-- online_clinic_phone_whatsapp.
SELECT
    id,
    created_at,
    updated_at,
    is_presential_clinic,
    is_online_clinic,
    name,
    neighborhood,
    city,
    consult_price,
    duration_minutes,
    accepts_insurance_providers,
    provides_accessibility_standards,
    online_clinic_consult_price,
    online_clinic_duration_minutes,
    online_clinic_accepts_insurance_providers,
    professional_id,
    registered_neighborhood_id,
    state_id
FROM {{ source "app" "lacreisaude_clinic" }}
