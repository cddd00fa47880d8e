-- migrations/0005_marts_without_small_outcomes.sql: rendered as of 2025-12-01 by engine render --approve
-- Disclosure control (SPEC §9.5): mart.professional_appointments folds the professionals with
-- fewer than min_cell_size appointments of a month into one row (professional_id NULL), so its
-- key is now (period_month, row_key); mart.professionals has a new column, suppressed. Both are
-- incremental tables the engine creates from their SELECT: the old ones are dropped here and the
-- next run creates them again from the model. No CASCADE: a view someone built on them makes this
-- migration fail and names it. Nothing to do on a new warehouse.
DROP TABLE IF EXISTS "lacreisaude_mart".professional_appointments;
DROP TABLE IF EXISTS "lacreisaude_mart".professionals;
