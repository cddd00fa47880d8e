-- The pipeline's schemas (SPEC §3). The engine creates its own meta schema; the tables of
-- every step are created by the engine from their SELECT on first run.
CREATE SCHEMA IF NOT EXISTS {{ schemas.staging1 }};
CREATE SCHEMA IF NOT EXISTS {{ schemas.staging2 }};
CREATE SCHEMA IF NOT EXISTS {{ schemas.model }};
CREATE SCHEMA IF NOT EXISTS {{ schemas.mart }};
CREATE SCHEMA IF NOT EXISTS {{ schemas.seeds }};
