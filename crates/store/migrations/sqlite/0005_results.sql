-- 结果应用: each fiscal year's settings (scoring policy, monitoring bands, the budget
-- consequence of each grade, whether the results page is public) as JSON, and the
-- rectifications (整改) the bureau requires, with their deadlines and the unit's answers.
ALTER TABLE fiscal_years ADD COLUMN settings TEXT;

CREATE TABLE rectifications (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    form_id INTEGER NOT NULL REFERENCES forms(id),
    org_id INTEGER NOT NULL REFERENCES orgs(id),
    year BIGINT NOT NULL,
    code TEXT,
    description TEXT NOT NULL,
    deadline TEXT NOT NULL,
    status TEXT NOT NULL,
    answer TEXT,
    answered_at BIGINT,
    answered_by INTEGER REFERENCES users(id),
    created_at BIGINT NOT NULL,
    created_by INTEGER REFERENCES users(id)
);
CREATE INDEX rectifications_org_year ON rectifications(org_id, year);
CREATE INDEX rectifications_form ON rectifications(form_id);
