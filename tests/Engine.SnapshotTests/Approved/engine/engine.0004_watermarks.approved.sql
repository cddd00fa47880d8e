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

-- The fingerprint of the source rows whose cursor equals the watermark, as extracted: while it is
-- unchanged, the next run copies only rows strictly after the watermark (a bulk update that gave
-- thousands of rows one timestamp is not copied again every run).
ALTER TABLE "shop_pipeline".watermarks ADD COLUMN IF NOT EXISTS at_watermark text;
