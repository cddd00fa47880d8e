-- Incremental watermarks: the largest cursor value a step has loaded, committed in the same
-- transaction as the rows it covers (issue: extraction), so a failed step keeps the old one.
CREATE TABLE IF NOT EXISTS "lacreisaude_pipeline".watermarks (
    step        text PRIMARY KEY,
    value       text NOT NULL,
    updated_at  timestamptz NOT NULL
);
