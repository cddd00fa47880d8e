-- What each step last produced from what (skipping unchanged work): the hash of its rendered
-- SQL, a signature of its inputs' data versions, and its own data version (the run that last
-- changed its table). Written in the step's transaction.
CREATE TABLE IF NOT EXISTS "shop_pipeline".step_state (
    step             text PRIMARY KEY,
    sql_hash         text NOT NULL,
    input_signature  text NOT NULL,
    data_version     text NOT NULL,
    updated_at       timestamptz NOT NULL
);

-- The signature of the inputs an incremental step with a `scope` does not read as changes (its
-- SQL, seeds, other upstream steps): when it moved, the step recomputes everything.
ALTER TABLE "shop_pipeline".step_state ADD COLUMN IF NOT EXISTS static_signature text;
