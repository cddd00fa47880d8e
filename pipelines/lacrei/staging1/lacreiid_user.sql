-- Staging 1: lacreiid_user
-- Grain: one row per source row (key id).
-- Rule: a copy of the source table with the source types.
-- Never extracted (data minimisation, SPEC §9.2): password, email,
-- first_name, last_name, phone, phone_verification_token, phone_verification_token_expires_at.
SELECT
    id,
    is_superuser,
    is_staff,
    is_active,
    created_at,
    updated_at,
    birth_date,
    is_18_years_old_or_more,
    last_login,
    email_verified,
    accepted_privacy_document,
    newsletter_subscribed,
    phone_verified,
    privacy_document_id,
    logged_as
FROM {{ source "app" "lacreiid_user" }}
