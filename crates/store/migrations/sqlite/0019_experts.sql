-- Third-party institutions and experts (issue 25). The finance bureau keeps a register of
-- 中介机构 (nature, credit rating) and of 专家 (field, title, rating, optionally their
-- institution); an expert signs in with a user account of role 'expert'. An assignment gives
-- one expert one form for a period (dates, inclusive): before the first view the expert
-- declares no conflict of interest ('declared') or a conflict ('recused', which ends the
-- assignment); the expert's opinion and, on a self-evaluation, own scores (JSON as a spot
-- check's review) are kept with it ('scored'). Every write, and every view by the expert, is in
-- the change log. Times are Unix milliseconds.
CREATE TABLE institutions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    org_id INTEGER NOT NULL REFERENCES orgs(id),
    name TEXT NOT NULL,
    nature TEXT NOT NULL,
    credit_rating TEXT NOT NULL,
    contact TEXT NOT NULL,
    created_by TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    UNIQUE (org_id, name)
);
CREATE TABLE experts (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    org_id INTEGER NOT NULL REFERENCES orgs(id),
    user_id INTEGER NOT NULL UNIQUE REFERENCES users(id),
    field TEXT NOT NULL,
    title TEXT NOT NULL,
    rating TEXT NOT NULL,
    institution_id INTEGER REFERENCES institutions(id),
    created_by TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE TABLE assignments (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    form_id INTEGER NOT NULL REFERENCES forms(id),
    expert_id INTEGER NOT NULL REFERENCES experts(id),
    starts TEXT NOT NULL,
    ends TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('assigned', 'declared', 'recused', 'scored')),
    declaration TEXT,
    declared_at BIGINT,
    opinion TEXT,
    review TEXT,
    reviewed_total TEXT,
    created_by TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX assignments_form ON assignments(form_id);
CREATE INDEX assignments_expert ON assignments(expert_id, form_id);
