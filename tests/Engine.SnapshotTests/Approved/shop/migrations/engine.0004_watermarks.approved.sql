-- Incremental watermarks: the largest cursor value a step has loaded, committed in the same
-- transaction as the rows it covers (issue: extraction), so a failed step keeps the old one.
CREATE TABLE IF NOT EXISTS "shop_pipeline".watermarks (
    step        text PRIMARY KEY,
    value       text NOT NULL,
    updated_at  timestamptz NOT NULL
);

-- The staging table's row count as of the same commit, kept by extract steps that reconcile
-- hard deletes: comparing it with the source's count replaces a count of staging on every run.
ALTER TABLE "shop_pipeline".watermarks ADD COLUMN IF NOT EXISTS staging_rows bigint;
