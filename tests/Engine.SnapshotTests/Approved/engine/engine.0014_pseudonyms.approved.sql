-- Keyed pseudonyms (SPEC §9.4): the first 32 hex characters of HMAC-SHA256(key, '<entity>:<id>').
-- HMAC (RFC 2104) is built here from the built-in sha256() (PostgreSQL 11+) rather than taken from
-- pgcrypto's hmac(): an extension may be missing or not installable by the pipeline's role (and
-- on a Citus cluster it must exist on every node), while sha256() is always there.
-- The key is never a table row or SQL text: the engine passes it as a bind parameter to
-- lp_use_pseudonym_key at the start of each step's transaction, which keeps only the two padded
-- keys of RFC 2104, in transaction-local settings (gone at commit, invisible to other sessions).

-- RFC 2104's padded keys: the key (its SHA-256 when longer than the 64-byte block), zero-padded
-- to 64 bytes, XOR 0x36 (inner) and XOR 0x5c (outer).
CREATE OR REPLACE FUNCTION "shop_pipeline".lp_hmac_pads(p_key bytea, OUT p_inner bytea, OUT p_outer bytea)
LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE
AS $$
DECLARE
    v_key bytea := CASE WHEN length(p_key) > 64 THEN sha256(p_key) ELSE p_key END;
BEGIN
    v_key := v_key || decode(repeat('00', 64 - length(v_key)), 'hex');
    p_inner := v_key;
    p_outer := v_key;
    FOR i IN 0..63 LOOP
        p_inner := set_byte(p_inner, i, get_byte(v_key, i) # 54);
        p_outer := set_byte(p_outer, i, get_byte(v_key, i) # 92);
    END LOOP;
END
$$;

-- HMAC-SHA256 of a message (RFC 2104): H(outer || H(inner || message)).
CREATE OR REPLACE FUNCTION "shop_pipeline".lp_hmac_sha256(p_key bytea, p_message bytea) RETURNS bytea
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
AS $$
    SELECT sha256(pads.p_outer || sha256(pads.p_inner || p_message))
    FROM "shop_pipeline".lp_hmac_pads(p_key) AS pads
$$;

-- Called by the engine with the key as a bind parameter ($1): keeps the padded keys for the rest
-- of the transaction. The engine checks the length first (it names the variable); this is the
-- last guard.
CREATE OR REPLACE FUNCTION "shop_pipeline".lp_use_pseudonym_key(p_key text) RETURNS void
LANGUAGE plpgsql VOLATILE STRICT
AS $$
DECLARE
    v_pads record;
BEGIN
    IF octet_length(convert_to(p_key, 'UTF8')) < 32 THEN
        RAISE EXCEPTION 'the pseudonym key is shorter than 32 bytes' USING ERRCODE = 'LP014';
    END IF;
    v_pads := "shop_pipeline".lp_hmac_pads(convert_to(p_key, 'UTF8'));
    PERFORM set_config('lacrei_pipeline.pseudonym_inner', encode(v_pads.p_inner, 'hex'), true);
    PERFORM set_config('lacrei_pipeline.pseudonym_outer', encode(v_pads.p_outer, 'hex'), true);
END
$$;

-- A pseudonym asked for in a transaction without a key fails; it never hashes with an empty key.
CREATE OR REPLACE FUNCTION "shop_pipeline".lp_pseudonym_key_missing() RETURNS text
LANGUAGE plpgsql STABLE
AS $$
BEGIN
    RAISE EXCEPTION 'no pseudonym key in this transaction' USING ERRCODE = 'LP014',
        HINT = 'the engine sets it in every step of a pipeline with pseudonym_key:; outside a run, pseudonyms cannot be computed';
END
$$;

-- The pseudonym of a source id: left(hex(HMAC-SHA256(key, entity || ':' || id)), 32); NULL id → NULL.
-- One SQL expression over the two padded keys, so it costs two sha256() calls per row; not
-- declared STRICT (a NULL id gives NULL all the same) so that the planner inlines it.
CREATE OR REPLACE FUNCTION "shop_pipeline".lp_pseudonym(p_entity text, p_id text) RETURNS text
LANGUAGE sql STABLE PARALLEL SAFE
AS $$
    SELECT left(encode(sha256(
        decode(coalesce(nullif(current_setting('lacrei_pipeline.pseudonym_outer', true), ''), "shop_pipeline".lp_pseudonym_key_missing()), 'hex')
        || sha256(
            decode(coalesce(nullif(current_setting('lacrei_pipeline.pseudonym_inner', true), ''), "shop_pipeline".lp_pseudonym_key_missing()), 'hex')
            || convert_to(p_entity || ':' || p_id, 'UTF8'))), 'hex'), 32)
$$;
