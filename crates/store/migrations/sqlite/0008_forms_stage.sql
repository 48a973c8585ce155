-- The region's counts per stage (`GROUP BY stage`) read this small index on both backends.
-- SQLite has had it since 0007; PostgreSQL gets it here, so both trees build one schema
-- (crates/store/tests/schema.rs). `IF NOT EXISTS` makes it a no-op where it is already there.
CREATE INDEX IF NOT EXISTS forms_stage ON forms(stage);
