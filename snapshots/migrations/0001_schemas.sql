-- migrations/0001_schemas.sql: rendered as of 2025-12-01 by engine render --approve
-- The pipeline's schemas (SPEC §3). The engine creates its own meta schema; the tables of
-- every step are created by the engine from their SELECT on first run.
CREATE SCHEMA IF NOT EXISTS "lacreisaude_staging_01";
CREATE SCHEMA IF NOT EXISTS "lacreisaude_staging_02";
CREATE SCHEMA IF NOT EXISTS "lacreisaude_model";
CREATE SCHEMA IF NOT EXISTS "lacreisaude_mart";
CREATE SCHEMA IF NOT EXISTS "lacreisaude_seeds";
