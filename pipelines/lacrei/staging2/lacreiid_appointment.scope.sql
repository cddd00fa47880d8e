-- Scope of staging2.lacreiid_appointment: the appointments staging 1 inserted, updated or
-- removed since this step last ran (old and new images, so a removed one is deleted here).
SELECT DISTINCT
    changed.id
FROM {{ changes "staging1.lacreiid_appointment" }} AS changed
