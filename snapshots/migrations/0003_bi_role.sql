-- migrations/0003_bi_role.sql: rendered as of 2025-12-01 by engine render --approve
-- The read-only role for the BI tool (SPEC §9.6): USAGE and SELECT on the mart schema and
-- nothing else, so Metabase can never read staging, model or seeds. The role is created
-- NOLOGIN (a group role): an administrator grants it to Metabase's login user, so no password
-- lives in this repository. Roles are cluster-wide, hence the existence check: several targets
-- (--target ci) in one cluster share the role and each grants on its own mart schema.
DO $role$
BEGIN
    IF NOT EXISTS (
        SELECT 1
        FROM pg_catalog.pg_roles
        WHERE rolname = 'lacrei_bi_reader'
    ) THEN
        CREATE ROLE "lacrei_bi_reader" NOLOGIN;
    END IF;
END
$role$;

GRANT USAGE ON SCHEMA "lacreisaude_mart" TO "lacrei_bi_reader";
GRANT SELECT ON ALL TABLES IN SCHEMA "lacreisaude_mart" TO "lacrei_bi_reader";

-- Mart tables are created later by the engine (as the user running this migration), and
-- --full-refresh may recreate them: default privileges grant SELECT on each new one.
ALTER DEFAULT PRIVILEGES IN SCHEMA "lacreisaude_mart" GRANT SELECT ON TABLES TO "lacrei_bi_reader";
