-- Staging 2: lacreisaude_clinic
-- Grain: one row per clinic (key id).
-- Rule (SPEC §9.3): city trimmed with inner spaces collapsed (empty → NULL); consult prices
-- parsed by parse_price_v3, Brazilian writing first ('R$ 1.234,56' → 1234.56, '150,00' /
-- '150.00' → 150.00, 'R$ 1.500' → 1500, '1.234.567' → 1234567, '150.5' → 150.5, '150' → 150,
-- empty or unparseable → NULL; the rule, and why a changed rule gets a new function name, are
-- in migrations/0004_parse_price_brazilian.sql). Clinic name, neighbourhood and the registered
-- neighbourhood are not carried on (data minimisation: a clinic's name is often its
-- professional's name).
-- Materialization: upsert by id with delete_missing (see lacrei_privacydocument.sql).
SELECT
    id,
    created_at,
    updated_at,
    professional_id,
    is_presential_clinic,
    is_online_clinic,
    NULLIF(regexp_replace(btrim(city, E' \t\r\n'), '\s+', ' ', 'g'), '') AS city,
    state_id,
    {{ schemas.staging2 }}.parse_price_v3(consult_price) AS consult_price,
    duration_minutes,
    accepts_insurance_providers,
    provides_accessibility_standards,
    {{ schemas.staging2 }}.parse_price_v3(online_clinic_consult_price) AS online_clinic_consult_price,
    online_clinic_duration_minutes,
    online_clinic_accepts_insurance_providers
FROM {{ ref "staging1.lacreisaude_clinic" }}
