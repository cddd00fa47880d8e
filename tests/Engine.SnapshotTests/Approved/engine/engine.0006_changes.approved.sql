-- Row-level change logs for incremental steps with a `scope` (SPEC §6): a step that such a step
-- reads with `changes "layer.step"` logs the old image of every row it changes or deletes and
-- the key of every row it inserts (key_only), in the same transaction as the rows themselves.
-- New values are read from the step's table when the log is read: one image per changed row
-- instead of two.
-- One index only, (step, seq): every read and trim is a range of one step's log, and a second
-- index would cost every logged row another insert.
CREATE TABLE IF NOT EXISTS "shop_pipeline".changes (
    seq    bigint GENERATED ALWAYS AS IDENTITY,
    step   text NOT NULL,
    image  jsonb NOT NULL
);
ALTER TABLE "shop_pipeline".changes DROP CONSTRAINT IF EXISTS changes_pkey;
ALTER TABLE "shop_pipeline".changes ADD COLUMN IF NOT EXISTS key_only boolean NOT NULL DEFAULT false;
CREATE INDEX IF NOT EXISTS changes_step_seq ON "shop_pipeline".changes (step, seq);

-- A step's log is complete from start_seq on; creating its table (or starting to track it) restarts it.
CREATE TABLE IF NOT EXISTS "shop_pipeline".change_logs (
    step       text PRIMARY KEY,
    start_seq  bigint NOT NULL
);

-- How far each incremental step has read each log it reads, committed with its own rows.
CREATE TABLE IF NOT EXISTS "shop_pipeline".change_cursors (
    consumer  text NOT NULL,
    producer  text NOT NULL,
    consumed  bigint NOT NULL,
    PRIMARY KEY (consumer, producer)
);
