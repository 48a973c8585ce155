-- 绩效目标调整 (issue 25): a unit asks, during the year, to change the targets of a declaration
-- it has handed over; the finance bureau approves or refuses it with a reason. `proposed` is
-- the declaration as it would read (form JSON), `based_on` the version it was asked against;
-- `status` is 'pending', 'approved' or 'refused'. An approved request becomes a new version of
-- the declaration (the change log names the request), so the targets stay versioned. Every
-- change is also in the change log (entity 'adjustment'). Times are Unix milliseconds.
CREATE TABLE target_adjustments (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    form_id INTEGER NOT NULL REFERENCES forms(id),
    org_id INTEGER NOT NULL REFERENCES orgs(id),
    based_on BIGINT NOT NULL,
    proposed TEXT NOT NULL,
    reason TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('pending', 'approved', 'refused')),
    requested_by TEXT NOT NULL,
    requested_at BIGINT NOT NULL,
    decided_by TEXT,
    decision TEXT,
    decided_at BIGINT
);
CREATE INDEX target_adjustments_form ON target_adjustments(form_id, id);
