-- Scope of staging2.lacreiid_user: the users staging 1 inserted, updated or removed since this
-- step last ran. Ages depend on run.as_of, which is in the SQL: a new as-of recomputes everyone.
SELECT DISTINCT
    changed.id
FROM {{ changes "staging1.lacreiid_user" }} AS changed
