-- The BI role only reads marts (SPEC §9.6, docs/privacy.md): beyond SELECT on the mart schema
-- (0003), it can create nothing in this database, not even temporary tables or functions, and a
-- statement of it runs at most vars.bi_statement_timeout (default 60s).
--
-- The role logs in itself (Metabase connects as it) so that its settings apply: PostgreSQL applies
-- a role's settings to sessions that log in as that role, never to members of it. It still has
-- no password in this repository: an administrator sets one (ALTER ROLE … PASSWORD) or maps a
-- certificate to it. A login user that is only granted the role needs the same settings itself
-- (docs/privacy.md).
ALTER ROLE "{{ vars.bi_role }}" LOGIN;
ALTER ROLE "{{ vars.bi_role }}" SET statement_timeout = '{{ vars.bi_statement_timeout }}';

-- TEMP is granted to PUBLIC on every database, and privileges only add up: the only way to deny
-- it to one role is to take it from PUBLIC and give it back to the roles that need it. The
-- engine does (its steps build their rows in temporary tables), so the user running this
-- migration gets it first; give it to other roles that need it with GRANT TEMPORARY ON DATABASE.
DO $temp$
BEGIN
    EXECUTE format('GRANT TEMPORARY ON DATABASE %I TO CURRENT_USER', current_database());
    EXECUTE format('REVOKE TEMPORARY ON DATABASE %I FROM PUBLIC', current_database());
END
$temp$;
