-- A system of record (issue 21).
--
-- One authoritative total: `total` and `grade` hold the total everyone sees — the unit's stated
-- total until the finance bureau's review, then the reviewed one — and `total_basis` says which:
-- 'stated' (the unit's own total), 'computed' (the form states none: Jixiao's), 'adopted' (the
-- bureau adopted Jixiao's computed score at approval, with a reason). NULL for unscored forms,
-- and for rows saved before this migration until the application refreshes them at start.
ALTER TABLE forms ADD COLUMN total_basis TEXT;

-- Explanations of audit errors, given when a form is sent on with errors; the reviewers see them
-- beside the findings. `finding` is the finding's key (`code@field`), or `*` for one explanation
-- of all of them.
CREATE TABLE finding_notes (
    form_id BIGINT NOT NULL REFERENCES forms(id),
    version BIGINT NOT NULL,
    finding TEXT NOT NULL,
    note TEXT NOT NULL,
    at BIGINT NOT NULL,
    user_id BIGINT REFERENCES users(id),
    PRIMARY KEY (form_id, version, finding)
);
