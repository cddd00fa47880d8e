-- Exact extraction (issue 15, SPEC §9.2): what an extract step knows of its source as of the
-- extraction it committed last. Changes are found by the transaction that wrote each row
-- (xmin), not by the cursor, which only narrows where most of them are.
--   xid_horizon: the xmin of the source snapshot read (64-bit): every transaction below it had
--     ended, so a row written by one of them was read then; a row written at or above it is new.
--   source_system, source_relations: the source cluster's system identifier and the oids of the
--     table and its partitions or children; transaction ids compare only within the same ones,
--     so when either differs the next run copies the whole table.
ALTER TABLE {{ schemas.meta }}.watermarks ADD COLUMN IF NOT EXISTS xid_horizon bigint;
ALTER TABLE {{ schemas.meta }}.watermarks ADD COLUMN IF NOT EXISTS source_system text;
ALTER TABLE {{ schemas.meta }}.watermarks ADD COLUMN IF NOT EXISTS source_relations text;

-- at_watermark (0004) is no longer read or written: a row changed at the watermark is found by
-- its xmin like any other.
-- A table whose rows all have a NULL (or future) cursor still has a source state to keep.
ALTER TABLE {{ schemas.meta }}.watermarks ALTER COLUMN value DROP NOT NULL;

-- A step's warning in the run log (rows whose cursor is NULL, in the future or infinite), so a
-- result rebuilt from the log shows it as the run did.
ALTER TABLE {{ schemas.meta }}.run_steps ADD COLUMN IF NOT EXISTS warning text;
