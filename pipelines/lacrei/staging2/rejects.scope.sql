-- Scope of staging2.rejects: every staging 1 row that the tables read here inserted, updated or
-- removed since this step last ran, as the staging 2 step that would leave it out and its id. A
-- row's reasons depend on that row alone, so they are all it can change.
SELECT 'staging2.lacreiid_user'::text AS step, changed.id::text AS source_key
FROM {{ changes "staging1.lacreiid_user" }} AS changed
UNION
SELECT 'staging2.lacreiid_profile', changed.id::text
FROM {{ changes "staging1.lacreiid_profile" }} AS changed
UNION
SELECT 'staging2.lacreiid_profile_disability_types', changed.id::text
FROM {{ changes "staging1.lacreiid_profile_disability_types" }} AS changed
UNION
SELECT 'staging2.lacreisaude_professional_disability_types', changed.id::text
FROM {{ changes "staging1.lacreisaude_professional_disability_types" }} AS changed
UNION
SELECT 'staging2.lacreiid_cancellation', changed.id::text
FROM {{ changes "staging1.lacreiid_cancellation" }} AS changed
UNION
SELECT 'staging2.lacreiid_report', changed.id::text
FROM {{ changes "staging1.lacreiid_report" }} AS changed
