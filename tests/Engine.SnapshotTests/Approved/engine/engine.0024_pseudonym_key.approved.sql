-- Which key the warehouse's pseudonyms were computed with (SPEC §9.4). Another key gives every
-- person other ids, and a run recomputes only what changed: with a new key it would publish old
-- and new ids side by side. The engine keeps a fingerprint of the key, HMAC-SHA256(key,
-- 'lacrei-pipeline:key-fingerprint') cut to 32 hex characters as a pseudonym is, never the key: it
-- tells another key from this one and nothing more than any pseudonym in the warehouse tells.
-- One row. rotating: a run --full-refresh with a new key started and has not yet rebuilt every
-- step that holds pseudonyms; until one does, no run may build on the mix (Meta/PseudonymKeyRecord.cs).
CREATE TABLE IF NOT EXISTS "shop_pipeline".pseudonym_key (
    only_row     boolean PRIMARY KEY DEFAULT true CHECK (only_row),
    fingerprint  text NOT NULL,
    rotating     boolean NOT NULL,
    run_id       text NOT NULL,         -- the run that recorded the key (or began the rotation)
    recorded_at  timestamptz NOT NULL DEFAULT now()
);
