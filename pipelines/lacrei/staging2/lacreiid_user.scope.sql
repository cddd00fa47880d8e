-- Scope of staging2.lacreiid_user: the users staging 1 inserted, updated or removed since this
-- step last ran. Ages are taken at sign-up, so nothing else changes a user's row.
SELECT DISTINCT
    changed.id
FROM {{ changes "staging1.lacreiid_user" }} AS changed
