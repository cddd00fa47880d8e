-- migrations/0002_functions.sql: rendered as of 2025-12-01 by engine render --approve
-- Cleaning functions used by staging 2 (SPEC §9.3). Both are IMMUTABLE and STRICT (NULL in,
-- NULL out) and depend on no extension and no locale, so the same text normalises the same
-- way on every server (Citus workers included).

-- "Normalised text": lower case, accents removed (the letters listed in SPEC §9.3, in both
-- cases so that a C locale's ASCII-only lower() cannot leave them behind), trimmed, and every
-- run of spaces, '-' or '_' turned into one '_'. Seeds are keyed by this text.
CREATE OR REPLACE FUNCTION "lacreisaude_staging_02".normalize_text(value text)
RETURNS text
LANGUAGE sql
IMMUTABLE
STRICT
PARALLEL SAFE
AS $fn$
    SELECT regexp_replace(
               regexp_replace(
                   lower(translate(value,
                       'áàâãäéèêëíìîïóòôõöúùûüçÁÀÂÃÄÉÈÊËÍÌÎÏÓÒÔÕÖÚÙÛÜÇ',
                       'aaaaaeeeeiiiiooooouuuucAAAAAEEEEIIIIOOOOOUUUUC')),
                   '^\s+|\s+$', '', 'g'),
               '[\s_-]+', '_', 'g')
$fn$;

COMMENT ON FUNCTION "lacreisaude_staging_02".normalize_text(text) IS
    'SPEC §9.3 normalised text: lower case, accents removed, trimmed, runs of spaces, - or _ → one _.';

-- Prices (SPEC §9.3): 'R$ 1.234,56' → 1234.56, '150,00' → 150.00, '150.00' → 150.00,
-- '150' → 150; empty or unparseable → NULL. A comma is the decimal mark when present and the
-- dots before it are thousands separators (grouped by three); without a comma a single dot is
-- the decimal mark, and several dots grouped by three are thousands separators
-- ('1.234.567' → 1234567). Negative amounts are not prices (→ NULL).
CREATE OR REPLACE FUNCTION "lacreisaude_staging_02".parse_price(value text)
RETURNS numeric
LANGUAGE plpgsql
IMMUTABLE
STRICT
PARALLEL SAFE
AS $fn$
DECLARE
    amount text := regexp_replace(value, '^\s*(R\$)?\s*|\s+$', '', 'gi');
BEGIN
    IF amount ~ '^([0-9]{1,3}(\.[0-9]{3})+|[0-9]+),[0-9]+$' THEN
        RETURN replace(replace(amount, '.', ''), ',', '.')::numeric;
    ELSIF amount ~ '^[0-9]+(\.[0-9]+)?$' THEN
        RETURN amount::numeric;
    ELSIF amount ~ '^[0-9]{1,3}(\.[0-9]{3}){2,}$' THEN
        RETURN replace(amount, '.', '')::numeric;
    END IF;
    RETURN NULL;
END
$fn$;

COMMENT ON FUNCTION "lacreisaude_staging_02".parse_price(text) IS
    'SPEC §9.3 price parser: Brazilian or plain decimal text (optionally prefixed R$) → numeric; unparseable → NULL.';
