-- What a run's result (SPEC §10) holds beyond its steps' rows, so that the result rebuilt from the
-- run log (the API after the run, `engine runs --json`) is the one the run returned:
-- the rejected rows by step and reason (NULL when the pipeline has no `rejects:` step), each
-- test's place among its step's tests, and the samples' columns in their order (json keeps the
-- order of keys, jsonb sorts them).
ALTER TABLE "shop_pipeline".runs ADD COLUMN IF NOT EXISTS rejects jsonb;

ALTER TABLE "shop_pipeline".test_results ADD COLUMN IF NOT EXISTS ordinal integer;

ALTER TABLE "shop_pipeline".test_results
    ALTER COLUMN sample DROP DEFAULT,
    ALTER COLUMN sample TYPE json USING sample::json,
    ALTER COLUMN sample SET DEFAULT '[]';
