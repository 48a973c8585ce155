-- The bureau's curation of the indicator library (指标库, issue 24): one row per library entry
-- it decided on, keyed by the entry's key (二级指标 and normalized name). `data` is the
-- decision as JSON (jixiao_core::library::Curation: status, the fields it is 固化 for, the
-- entry it was merged into, and for a proposal — 入库申请 — its 二级指标, name and value).
-- `org_id` is the unit that proposed it (NULL for the bureau's own entries); `reason` is the
-- proposal's reason, `decision` the bureau's last note; `revision` counts its changes (the
-- library is rebuilt when the sum moves). Every change is also in the change log (entity
-- 'library'). Times are Unix milliseconds.
CREATE TABLE library_curations (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    entry_key TEXT NOT NULL UNIQUE,
    data TEXT NOT NULL,
    org_id INTEGER REFERENCES orgs(id),
    reason TEXT,
    decision TEXT,
    revision BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
