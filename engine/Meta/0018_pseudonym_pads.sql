-- The pseudonym a template renders (Meta/Pseudonyms.cs), faster (issue 21): the same HMAC as
-- lp_pseudonym (0014_pseudonyms.sql), written out in the step's SQL with each padded key read by
-- an uncorrelated sub-select, which PostgreSQL evaluates once per statement (an InitPlan) instead
-- of reading and decoding the transaction's setting for every row. At 1,000,000 appointments,
-- staging 2 hashed for 1.9 s of its 3.3 s; a pseudonym costs 1.3 µs instead of 2.0 µs.
-- lp_pseudonym stays for SQL written by hand.

-- One of the transaction's two padded keys (lp_use_pseudonym_key), as bytes; without a key, the
-- error lp_pseudonym gives (LP014), never a hash with an empty key.
CREATE OR REPLACE FUNCTION {{ schemas.meta }}.lp_pseudonym_pad(p_outer boolean) RETURNS bytea
LANGUAGE sql STABLE PARALLEL SAFE
AS $$
    SELECT decode(coalesce(nullif(current_setting(
        CASE WHEN p_outer THEN 'lacrei_pipeline.pseudonym_outer' ELSE 'lacrei_pipeline.pseudonym_inner' END, true), ''),
        {{ schemas.meta }}.lp_pseudonym_key_missing()), 'hex')
$$;
