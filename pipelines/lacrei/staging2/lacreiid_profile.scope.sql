-- Scope of staging2.lacreiid_profile: the profiles staging 1 inserted, updated or removed since
-- this step last ran. A change of the rejects recomputes everything (it is read whole).
SELECT DISTINCT
    changed.id
FROM {{ changes "staging1.lacreiid_profile" }} AS changed
