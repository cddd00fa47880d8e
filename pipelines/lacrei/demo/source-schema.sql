-- Demo source: the Lacrei Saúde application tables that the pipeline reads (SPEC §9.1).
--
-- A copy of the source contract (../shared/lacrei-source-schema.sql): the same 16 tables, with
-- exactly the same columns and types; typos such as "bagde" are the real application's.
-- Differences from the contract, none of which changes a column:
--   * the schema name is the Scriban variable source_schema, rendered already double-quoted
--     (e.g. "lacreisaude-relacional", hyphen included), and every table is schema-qualified
--     (no SET search_path);
--   * IF NOT EXISTS everywhere, so the file can be run again on an existing source;
--   * indexes on the foreign-key columns and on updated_at (incremental extraction), at the end.
-- Filled by generate.sql in this folder.

CREATE SCHEMA IF NOT EXISTS {{ source_schema }};

CREATE TABLE IF NOT EXISTS {{ source_schema }}.lacrei_privacydocument (
    id              bigint PRIMARY KEY,
    created_at      timestamptz NOT NULL,
    updated_at      timestamptz NOT NULL,
    privacy_policy  text,
    terms_of_use    text,
    profile_type    text            -- 'Paciente' / 'Profissional' (spellings vary)
);

CREATE TABLE IF NOT EXISTS {{ source_schema }}.address_state (
    id          bigint PRIMARY KEY,
    created_at  timestamptz NOT NULL,
    updated_at  timestamptz NOT NULL,
    name        text,               -- 'São Paulo', 'sao paulo', 'SP', ...
    code        text,               -- UF, sometimes missing
    ibge_code   text,
    active      boolean,
    country_id  bigint
);

CREATE TABLE IF NOT EXISTS {{ source_schema }}.lacreiid_disabilitytype (
    id bigint PRIMARY KEY, created_at timestamptz NOT NULL, updated_at timestamptz NOT NULL,
    badge text, position_order integer, name text
);
CREATE TABLE IF NOT EXISTS {{ source_schema }}.lacreiid_sexualorientation (
    id bigint PRIMARY KEY, created_at timestamptz NOT NULL, updated_at timestamptz NOT NULL,
    bagde text, position_order integer, name text
);
CREATE TABLE IF NOT EXISTS {{ source_schema }}.lacreiid_ethnicgroup (
    id bigint PRIMARY KEY, created_at timestamptz NOT NULL, updated_at timestamptz NOT NULL,
    bagde text, position_order integer, name text
);
CREATE TABLE IF NOT EXISTS {{ source_schema }}.lacreiid_genderidentity (
    id bigint PRIMARY KEY, created_at timestamptz NOT NULL, updated_at timestamptz NOT NULL,
    bagde text, position_order integer, name text
);
CREATE TABLE IF NOT EXISTS {{ source_schema }}.lacreiid_pronoun (
    id bigint PRIMARY KEY, created_at timestamptz NOT NULL, updated_at timestamptz NOT NULL,
    bagde text, position_order integer, article text, pronoun text
);

CREATE TABLE IF NOT EXISTS {{ source_schema }}.lacreiid_user (
    id                                   bigint PRIMARY KEY,
    password                             text,          -- never extracted
    is_superuser                         boolean,
    is_staff                             boolean,
    is_active                            boolean,
    created_at                           timestamptz NOT NULL,
    updated_at                           timestamptz NOT NULL,
    email                                text,          -- never extracted
    first_name                           text,          -- never extracted
    last_name                            text,          -- never extracted
    birth_date                           date,
    is_18_years_old_or_more              boolean,
    last_login                           timestamptz,
    email_verified                       boolean,
    accepted_privacy_document            boolean,
    newsletter_subscribed                boolean,
    phone                                text,          -- never extracted
    phone_verified                       boolean,
    phone_verification_token             text,          -- never extracted
    phone_verification_token_expires_at  timestamptz,   -- never extracted
    privacy_document_id                  bigint REFERENCES {{ source_schema }}.lacrei_privacydocument(id),
    logged_as                            text
);

CREATE TABLE IF NOT EXISTS {{ source_schema }}.lacreiid_profile (                          -- the patient profile
    id                        bigint PRIMARY KEY,
    created_at                timestamptz NOT NULL,
    updated_at                timestamptz NOT NULL,
    other_ethnic_group        text,                      -- free text: never extracted
    other_gender_identity     text,                      -- free text: never extracted
    other_sexual_orientation  text,                      -- free text: never extracted
    other_pronoun             text,                      -- free text: never extracted
    other_disability_types    text,                      -- free text: never extracted
    other_article             text,
    completed                 boolean,
    photo                     text,                      -- never extracted
    photo_description         text,                      -- never extracted
    ethnic_group_id           bigint REFERENCES {{ source_schema }}.lacreiid_ethnicgroup(id),
    gender_identity_id        bigint REFERENCES {{ source_schema }}.lacreiid_genderidentity(id),
    pronoun_id                bigint REFERENCES {{ source_schema }}.lacreiid_pronoun(id),
    sexual_orientation_id     bigint REFERENCES {{ source_schema }}.lacreiid_sexualorientation(id),
    user_id                   bigint REFERENCES {{ source_schema }}.lacreiid_user(id)
);

CREATE TABLE IF NOT EXISTS {{ source_schema }}.lacreiid_profile_disability_types (
    id                 bigint PRIMARY KEY,
    profile_id         bigint REFERENCES {{ source_schema }}.lacreiid_profile(id),
    disabilitytype_id  bigint REFERENCES {{ source_schema }}.lacreiid_disabilitytype(id)
);

CREATE TABLE IF NOT EXISTS {{ source_schema }}.lacreisaude_professional (
    id                           bigint PRIMARY KEY,
    created_at                   timestamptz NOT NULL,
    updated_at                   timestamptz NOT NULL,
    other_ethnic_group           text,                   -- free text: never extracted
    other_gender_identity        text,                   -- free text: never extracted
    other_sexual_orientation     text,                   -- free text: never extracted
    other_pronoun                text,                   -- free text: never extracted
    other_disability_types       text,                   -- free text: never extracted
    other_article                text,
    full_name                    text,                   -- never extracted
    about_me                     text,                   -- never extracted
    profile_status               text,
    active                       boolean,
    published                    boolean,
    document_number              text,                   -- CPF: never extracted
    board_registration_number    text,                   -- never extracted
    accepted_privacy_document    boolean,
    safety_measures              text,
    specialty                    text,                   -- mixed spellings
    specialty_number_rqe         text,                   -- never extracted
    board_certification_selfie   text,                   -- never extracted
    photo                        text,                   -- never extracted
    photo_description            text,                   -- never extracted
    ethnic_group_id              bigint REFERENCES {{ source_schema }}.lacreiid_ethnicgroup(id),
    gender_identity_id           bigint REFERENCES {{ source_schema }}.lacreiid_genderidentity(id),
    privacy_document_id          bigint REFERENCES {{ source_schema }}.lacrei_privacydocument(id),
    profession_id                bigint,
    pronoun_id                   bigint REFERENCES {{ source_schema }}.lacreiid_pronoun(id),
    sexual_orientation_id        bigint REFERENCES {{ source_schema }}.lacreiid_sexualorientation(id),
    state_id                     bigint REFERENCES {{ source_schema }}.address_state(id),
    user_id                      bigint REFERENCES {{ source_schema }}.lacreiid_user(id),
    search_synonym               text                    -- never extracted
);

CREATE TABLE IF NOT EXISTS {{ source_schema }}.lacreisaude_professional_disability_types (
    id                 bigint PRIMARY KEY,
    professional_id    bigint REFERENCES {{ source_schema }}.lacreisaude_professional(id),
    disabilitytype_id  bigint REFERENCES {{ source_schema }}.lacreiid_disabilitytype(id)
);

CREATE TABLE IF NOT EXISTS {{ source_schema }}.lacreisaude_clinic (
    id                                         bigint PRIMARY KEY,
    created_at                                 timestamptz NOT NULL,
    updated_at                                 timestamptz NOT NULL,
    is_presential_clinic                       boolean,
    is_online_clinic                           boolean,
    name                                       text,
    zip_code                                   text,     -- never extracted
    neighborhood                               text,
    city                                       text,
    address                                    text,     -- never extracted
    address_line2                              text,     -- never extracted
    phone                                      text,     -- never extracted
    phone_whatsapp                             text,     -- never extracted
    consult_price                              text,     -- 'R$ 150,00', '150.00', '1.234,56', ''
    duration_minutes                           integer,
    accepts_insurance_providers                boolean,
    provides_accessibility_standards           boolean,
    online_clinic_phone                        text,     -- never extracted
    online_clinic_phone_whatsapp               text,     -- never extracted
    online_clinic_consult_price                text,
    online_clinic_duration_minutes             integer,
    online_clinic_accepts_insurance_providers  boolean,
    professional_id                            bigint REFERENCES {{ source_schema }}.lacreisaude_professional(id),
    registered_neighborhood_id                 bigint,
    state_id                                   bigint REFERENCES {{ source_schema }}.address_state(id)
);

CREATE TABLE IF NOT EXISTS {{ source_schema }}.lacreiid_appointment (
    id               bigint PRIMARY KEY,
    created_at       timestamptz NOT NULL,
    updated_at       timestamptz NOT NULL,
    date             timestamptz,                        -- when the appointment takes place
    status           text,                               -- 'completed', 'Canceled', 'agendada', ...
    type             text,                               -- 'Online', 'presencial', 'teleconsulta', ...
    professional_id  bigint REFERENCES {{ source_schema }}.lacreisaude_professional(id),
    user_id          bigint REFERENCES {{ source_schema }}.lacreiid_user(id),
    clinic_id        bigint REFERENCES {{ source_schema }}.lacreisaude_clinic(id),   -- often NULL
    agreement_id     bigint,
    deleted_at       timestamptz                         -- soft delete
);

CREATE TABLE IF NOT EXISTS {{ source_schema }}.lacreiid_cancellation (
    id                          bigint PRIMARY KEY,
    created_at                  timestamptz NOT NULL,
    updated_at                  timestamptz NOT NULL,
    reason                      text,                    -- free text: never extracted
    appointment_id              bigint REFERENCES {{ source_schema }}.lacreiid_appointment(id),
    created_by_content_type_id  bigint,
    created_by_object_id        bigint
);

CREATE TABLE IF NOT EXISTS {{ source_schema }}.lacreiid_report (                           -- a rating of an appointment
    id                          bigint PRIMARY KEY,
    created_at                  timestamptz NOT NULL,
    updated_at                  timestamptz NOT NULL,
    feedback                    text,                    -- free text: never extracted
    eval                        integer,                 -- 1..5; other values are invalid
    appointment_id              bigint REFERENCES {{ source_schema }}.lacreiid_appointment(id),
    created_by_content_type_id  bigint,
    created_by_object_id        bigint
);

-- Indexes (not part of the contract): foreign-key columns and the updated_at watermark.
CREATE INDEX IF NOT EXISTS demo_user_privacy_document_id_idx
    ON {{ source_schema }}.lacreiid_user (privacy_document_id);
CREATE INDEX IF NOT EXISTS demo_user_updated_at_idx
    ON {{ source_schema }}.lacreiid_user (updated_at);

CREATE INDEX IF NOT EXISTS demo_profile_user_id_idx
    ON {{ source_schema }}.lacreiid_profile (user_id);
CREATE INDEX IF NOT EXISTS demo_profile_ethnic_group_id_idx
    ON {{ source_schema }}.lacreiid_profile (ethnic_group_id);
CREATE INDEX IF NOT EXISTS demo_profile_gender_identity_id_idx
    ON {{ source_schema }}.lacreiid_profile (gender_identity_id);
CREATE INDEX IF NOT EXISTS demo_profile_pronoun_id_idx
    ON {{ source_schema }}.lacreiid_profile (pronoun_id);
CREATE INDEX IF NOT EXISTS demo_profile_sexual_orientation_id_idx
    ON {{ source_schema }}.lacreiid_profile (sexual_orientation_id);
CREATE INDEX IF NOT EXISTS demo_profile_updated_at_idx
    ON {{ source_schema }}.lacreiid_profile (updated_at);

CREATE INDEX IF NOT EXISTS demo_profile_dis_profile_id_idx
    ON {{ source_schema }}.lacreiid_profile_disability_types (profile_id);
CREATE INDEX IF NOT EXISTS demo_profile_dis_disabilitytype_id_idx
    ON {{ source_schema }}.lacreiid_profile_disability_types (disabilitytype_id);

CREATE INDEX IF NOT EXISTS demo_professional_user_id_idx
    ON {{ source_schema }}.lacreisaude_professional (user_id);
CREATE INDEX IF NOT EXISTS demo_professional_state_id_idx
    ON {{ source_schema }}.lacreisaude_professional (state_id);
CREATE INDEX IF NOT EXISTS demo_professional_privacy_document_id_idx
    ON {{ source_schema }}.lacreisaude_professional (privacy_document_id);
CREATE INDEX IF NOT EXISTS demo_professional_ethnic_group_id_idx
    ON {{ source_schema }}.lacreisaude_professional (ethnic_group_id);
CREATE INDEX IF NOT EXISTS demo_professional_gender_identity_id_idx
    ON {{ source_schema }}.lacreisaude_professional (gender_identity_id);
CREATE INDEX IF NOT EXISTS demo_professional_pronoun_id_idx
    ON {{ source_schema }}.lacreisaude_professional (pronoun_id);
CREATE INDEX IF NOT EXISTS demo_professional_sexual_orientation_id_idx
    ON {{ source_schema }}.lacreisaude_professional (sexual_orientation_id);
CREATE INDEX IF NOT EXISTS demo_professional_updated_at_idx
    ON {{ source_schema }}.lacreisaude_professional (updated_at);

CREATE INDEX IF NOT EXISTS demo_professional_dis_professional_id_idx
    ON {{ source_schema }}.lacreisaude_professional_disability_types (professional_id);
CREATE INDEX IF NOT EXISTS demo_professional_dis_disabilitytype_id_idx
    ON {{ source_schema }}.lacreisaude_professional_disability_types (disabilitytype_id);

CREATE INDEX IF NOT EXISTS demo_clinic_professional_id_idx
    ON {{ source_schema }}.lacreisaude_clinic (professional_id);
CREATE INDEX IF NOT EXISTS demo_clinic_state_id_idx
    ON {{ source_schema }}.lacreisaude_clinic (state_id);
CREATE INDEX IF NOT EXISTS demo_clinic_updated_at_idx
    ON {{ source_schema }}.lacreisaude_clinic (updated_at);

CREATE INDEX IF NOT EXISTS demo_appointment_professional_id_idx
    ON {{ source_schema }}.lacreiid_appointment (professional_id);
CREATE INDEX IF NOT EXISTS demo_appointment_user_id_idx
    ON {{ source_schema }}.lacreiid_appointment (user_id);
CREATE INDEX IF NOT EXISTS demo_appointment_clinic_id_idx
    ON {{ source_schema }}.lacreiid_appointment (clinic_id);
CREATE INDEX IF NOT EXISTS demo_appointment_updated_at_idx
    ON {{ source_schema }}.lacreiid_appointment (updated_at);

CREATE INDEX IF NOT EXISTS demo_cancellation_appointment_id_idx
    ON {{ source_schema }}.lacreiid_cancellation (appointment_id);
CREATE INDEX IF NOT EXISTS demo_cancellation_updated_at_idx
    ON {{ source_schema }}.lacreiid_cancellation (updated_at);

CREATE INDEX IF NOT EXISTS demo_report_appointment_id_idx
    ON {{ source_schema }}.lacreiid_report (appointment_id);
CREATE INDEX IF NOT EXISTS demo_report_updated_at_idx
    ON {{ source_schema }}.lacreiid_report (updated_at);
