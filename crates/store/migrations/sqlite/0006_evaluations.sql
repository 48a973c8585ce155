-- 部门整体支出绩效评价 by the finance bureau: the rule set used (TOML, bound to the base data),
-- the unit's base data (JSON), the evaluator's judgements (JSON), and the figures last computed.
CREATE TABLE evaluations (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    org_id INTEGER NOT NULL REFERENCES orgs(id),
    year BIGINT NOT NULL,
    rule_source TEXT NOT NULL,
    rules TEXT NOT NULL,
    binding TEXT,
    base_data TEXT,
    stated TEXT,
    judgements TEXT NOT NULL,
    total TEXT,
    grade TEXT,
    complete BIGINT NOT NULL DEFAULT 0,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    created_by INTEGER REFERENCES users(id)
);
CREATE INDEX evaluations_org_year ON evaluations(org_id, year);
