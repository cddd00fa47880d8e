-- migrations/0007_parse_price_bounded.sql: rendered as of 2025-12-01 by engine render --approve
-- Prices as 0004_parse_price_brazilian.sql reads them, and NULL for an amount longer than 1,000
-- characters: the clinics' price columns are free text, and a string of 140,000 digits passed the
-- pattern, overflowed numeric ("value overflows numeric format", past 131,072 digits) and stopped
-- every run. No price is written in a thousand characters; such a text is unparseable, so NULL.
-- A new name again (see 0004): staging2.lacreisaude_clinic's SQL changes, so it is recomputed.
CREATE OR REPLACE FUNCTION "lacreisaude_staging_02".parse_price_v3(value text)
RETURNS numeric
LANGUAGE plpgsql
IMMUTABLE
STRICT
PARALLEL SAFE
AS $fn$
DECLARE
    amount text := regexp_replace(value, '^[\s\u00a0]*(R\$)?[\s\u00a0]*|[\s\u00a0]+$', '', 'gi');
BEGIN
    IF length(amount) > 1000 THEN
        RETURN NULL;
    ELSIF amount ~ '^([1-9][0-9]{0,2}(\.[0-9]{3})+|[0-9]+),[0-9]+$' THEN
        RETURN replace(replace(amount, '.', ''), ',', '.')::numeric;
    ELSIF amount ~ '^[0-9]+(\.[0-9]{3})+$' THEN
        RETURN replace(amount, '.', '')::numeric;
    ELSIF amount ~ '^[0-9]+(\.[0-9]+)?$' THEN
        RETURN amount::numeric;
    END IF;
    RETURN NULL;
END
$fn$;

COMMENT ON FUNCTION "lacreisaude_staging_02".parse_price_v3(text) IS
    'SPEC §9.3 price parser: Brazilian or plain decimal text (optionally prefixed R$) → numeric; unparseable or over 1,000 characters → NULL.';

DROP FUNCTION IF EXISTS "lacreisaude_staging_02".parse_price_v2(text);
