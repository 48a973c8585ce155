-- Region audits kept as runs (issue 22): what one audit of many units' files found, so that the
-- bureau can reopen, filter and export it. `org_id` is the organisation that ran it (the finance
-- bureau); who and when as on every row.
CREATE TABLE region_runs (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    org_id INTEGER NOT NULL REFERENCES orgs(id),
    year BIGINT NOT NULL,
    archive TEXT NOT NULL,
    files BIGINT NOT NULL,
    units BIGINT NOT NULL,
    findings BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    created_by INTEGER REFERENCES users(id)
);
CREATE INDEX region_runs_org ON region_runs(org_id, id);

-- One row per file and the unit its forms name (a file naming two units has two rows), and one
-- per file that holds no form, could not be read, was skipped, or names no unit of the system:
-- `status` is 'forms', 'unassigned', 'empty', 'unreadable' or 'skipped', and `reason` says why
-- for every status but 'forms'. `org_id` is the unit of the system it was assigned to.
CREATE TABLE region_run_files (
    run_id INTEGER NOT NULL REFERENCES region_runs(id),
    seq BIGINT NOT NULL,
    file TEXT NOT NULL,
    unit TEXT,
    org_id INTEGER REFERENCES orgs(id),
    status TEXT NOT NULL,
    reason TEXT,
    forms BIGINT NOT NULL,
    errors BIGINT NOT NULL,
    warnings BIGINT NOT NULL,
    PRIMARY KEY (run_id, seq)
);

-- Every finding of the run, with the file, form and unit it belongs to, as rows to filter.
-- `severity` is the catalog's name (错误, 警告, 提示, 无法核对); `form_id` the same form in the
-- system, when the unit has filed it there.
CREATE TABLE region_run_findings (
    run_id INTEGER NOT NULL REFERENCES region_runs(id),
    seq BIGINT NOT NULL,
    file TEXT NOT NULL,
    form TEXT NOT NULL,
    unit TEXT NOT NULL,
    org_id INTEGER REFERENCES orgs(id),
    form_id INTEGER,
    code TEXT NOT NULL,
    severity TEXT NOT NULL,
    message TEXT NOT NULL,
    location TEXT NOT NULL,
    PRIMARY KEY (run_id, seq)
);
