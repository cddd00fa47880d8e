-- The engine's run log (SPEC §6, §10): one row per run, one per step of a run.
CREATE TABLE IF NOT EXISTS "shop_pipeline".runs (
    run_id       text PRIMARY KEY,
    trigger      text NOT NULL,                -- cli | http | schedule
    selection    text NOT NULL,
    target       text,
    as_of        date NOT NULL,
    options      jsonb NOT NULL DEFAULT '{}',  -- what --resume needs to repeat the run: only, exclude, from, vars, flags
    status       text NOT NULL,                -- running | success | failed | partial | interrupted | cancelled
    started_at   timestamptz NOT NULL,
    finished_at  timestamptz,
    holder       text,                         -- host and process id while running
    error        text
);

CREATE TABLE IF NOT EXISTS "shop_pipeline".run_steps (
    run_id          text NOT NULL REFERENCES "shop_pipeline".runs (run_id) ON DELETE CASCADE,
    step            text NOT NULL,
    status          text NOT NULL,             -- success | failed | skipped
    rows            bigint,
    seconds         numeric(12, 3),
    error           text,
    error_location  text,                      -- file(line,col) in target/rendered or the template
    sql_hash        text,
    started_at      timestamptz,
    finished_at     timestamptz,
    PRIMARY KEY (run_id, step)
);

CREATE INDEX IF NOT EXISTS runs_started_at ON "shop_pipeline".runs (started_at DESC);

CREATE TABLE IF NOT EXISTS "shop_pipeline".seeds (
    name       text PRIMARY KEY,
    sha256     text NOT NULL,
    rows       bigint NOT NULL,
    loaded_at  timestamptz NOT NULL
);
