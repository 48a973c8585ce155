-- The bureau's dashboard reads these with the list, instead of re-scoring every form:
-- the computed execution rate (a decimal fraction as text) and the codes of the form's audit
-- errors and warnings (comma-separated, e.g. "A02,S02").
ALTER TABLE forms ADD COLUMN rate TEXT;
ALTER TABLE forms ADD COLUMN codes TEXT;
