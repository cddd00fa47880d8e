-- staging2.address_state (upsert): rendered as of 2025-12-01 by engine render --approve
SET LOCAL default_statistics_target = '10';
SET LOCAL jit = 'off';
SET LOCAL max_parallel_workers_per_gather = '1';
SET LOCAL parallel_setup_cost = '100';
SET LOCAL parallel_tuple_cost = '0.01';
SET LOCAL random_page_cost = '1.1';
SET LOCAL work_mem = '64MB';
SET LOCAL lacrei_pipeline.step = 'staging2.address_state';
-- staging2.address_state: upsert into "lacreisaude_staging_02"."address_state" by (id); rows the SELECT no longer returns are deleted
CREATE TEMP TABLE lp_step_rows ON COMMIT DROP AS
-- Staging 2: address_state
-- Grain: one row per registered state (key id).
-- Rule (SPEC §9.3): uf = upper(trim(code)) when that is one of the 27 units of the states
-- seed; else the normalised name matched against the normalised names of the 27 units
-- ('São Paulo', 'sao paulo', 'SAO  PAULO' → SP) or against the 27 codes ('sp' → SP); else NULL.
-- The free-text name is not carried on: uf is the cleaned value.
-- Materialization: upsert by id with delete_missing (see lacrei_privacydocument.sql).
WITH unit_codes AS (
    SELECT DISTINCT
        upper(btrim(uf)) AS uf
    FROM "lacreisaude_seeds"."states"
),
unit_names AS (
    SELECT DISTINCT ON ("lacreisaude_staging_02".normalize_text(name))
        "lacreisaude_staging_02".normalize_text(name) AS name_key,
        upper(btrim(uf)) AS uf
    FROM "lacreisaude_seeds"."states"
    ORDER BY "lacreisaude_staging_02".normalize_text(name), upper(btrim(uf))
),
states AS (
    SELECT
        id,
        created_at,
        updated_at,
        upper(btrim(code, E' \t\r\n')) AS code_text,
        "lacreisaude_staging_02".normalize_text(name) AS name_key,
        NULLIF(btrim(ibge_code, E' \t\r\n'), '') AS ibge_code,
        active,
        country_id
    FROM "lacreisaude_staging_01"."address_state"
)
SELECT
    states.id,
    states.created_at,
    states.updated_at,
    coalesce(by_code.uf, by_name.uf, by_name_as_code.uf) AS uf,
    states.ibge_code,
    states.active,
    states.country_id
FROM states
LEFT JOIN unit_codes AS by_code
    ON by_code.uf = states.code_text
LEFT JOIN unit_names AS by_name
    ON by_name.name_key = states.name_key
LEFT JOIN unit_codes AS by_name_as_code
    ON lower(by_name_as_code.uf) = states.name_key
;
CALL "lacreisaude_pipeline".lp_materialize(p_mode => 'upsert', p_schema => 'lacreisaude_staging_02', p_table => 'address_state', p_keys => ARRAY['id'], p_step => 'staging2.address_state', p_rows_table => 'lp_step_rows', p_delete_missing => true, p_full_refresh => false, p_track => false, p_step_setting => 'lacrei_pipeline.step', p_fillfactor => 100);
DROP TABLE lp_step_rows;
SELECT "lacreisaude_pipeline".lp_comments(p_kind => 'TABLE', p_table => '"lacreisaude_staging_02"."address_state"', p_comment => 'States resolved to a two-letter UF (NULL when it cannot be resolved).', p_columns => ARRAY[]::text[], p_column_comments => ARRAY[]::text[]);
