-- Data test outcomes (SPEC §11): one row per test per run (or per `engine test`).
CREATE TABLE IF NOT EXISTS "shop_pipeline".test_results (
    run_id      text NOT NULL,
    step        text NOT NULL,
    test        text NOT NULL,
    kind        text NOT NULL,
    severity    text NOT NULL,                 -- error | warn
    status      text NOT NULL,                 -- passed | failed | warned
    failures    bigint NOT NULL,
    sample      jsonb NOT NULL DEFAULT '[]',   -- up to 5 offending rows, sensitive columns masked
    error       text,
    checked_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (run_id, step, test)
);
