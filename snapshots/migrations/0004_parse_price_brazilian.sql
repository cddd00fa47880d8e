-- migrations/0004_parse_price_brazilian.sql: rendered as of 2025-12-01 by engine render --approve
-- Prices, Brazilian writing first (SPEC §9.3): 'R$ 1.234,56' → 1234.56, '150,00' → 150.00,
-- 'R$ 1.500' → 1500, '1.234.567' → 1234567, '150.00' → 150.00, '150.5' → 150.5, '150' → 150;
-- empty or unparseable → NULL. A comma is the decimal mark when present, and the dots before it
-- group thousands. Without a comma, dots that each come before exactly three digits group
-- thousands, as the rule says ('1234.567' → 1234567, '0.500' → 500); otherwise a single dot
-- is the decimal mark. 'R$' (any case) and
-- spaces around the amount, the non-breaking one of formatted currency included, are ignored;
-- negative amounts are not prices (→ NULL).
--
-- A new name rather than a new body for parse_price (0002, which read 'R$ 1.500' as 1.5): the
-- engine skips a step whose SQL and inputs did not change, and a function's body is neither, so
-- replacing parse_price in place would leave existing warehouses with the old values. Calling
-- parse_price_v2 changes staging2.lacreisaude_clinic's SQL, which recomputes it (and what reads
-- it) on the next run. The old function goes, so nothing can call it by mistake.
CREATE OR REPLACE FUNCTION "lacreisaude_staging_02".parse_price_v2(value text)
RETURNS numeric
LANGUAGE plpgsql
IMMUTABLE
STRICT
PARALLEL SAFE
AS $fn$
DECLARE
    amount text := regexp_replace(value, '^[\s\u00a0]*(R\$)?[\s\u00a0]*|[\s\u00a0]+$', '', 'gi');
BEGIN
    IF amount ~ '^([1-9][0-9]{0,2}(\.[0-9]{3})+|[0-9]+),[0-9]+$' THEN
        RETURN replace(replace(amount, '.', ''), ',', '.')::numeric;
    ELSIF amount ~ '^[0-9]+(\.[0-9]{3})+$' THEN
        RETURN replace(amount, '.', '')::numeric;
    ELSIF amount ~ '^[0-9]+(\.[0-9]+)?$' THEN
        RETURN amount::numeric;
    END IF;
    RETURN NULL;
END
$fn$;

COMMENT ON FUNCTION "lacreisaude_staging_02".parse_price_v2(text) IS
    'SPEC §9.3 price parser: Brazilian or plain decimal text (optionally prefixed R$) → numeric; unparseable → NULL.';

DROP FUNCTION IF EXISTS "lacreisaude_staging_02".parse_price(text);
