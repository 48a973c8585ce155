-- Jixiao's first schema (SQLite). Money and scores are decimal text inside the form JSON and in
-- the summary columns; times are Unix milliseconds; booleans are 0/1 integers.
CREATE TABLE orgs (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('finance', 'department', 'unit')),
    parent_id INTEGER REFERENCES orgs(id),
    CONSTRAINT orgs_name_key UNIQUE (name)
);

CREATE TABLE users (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    username TEXT NOT NULL,
    display_name TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    role TEXT NOT NULL,
    org_id INTEGER NOT NULL REFERENCES orgs(id),
    created_at BIGINT NOT NULL,
    CONSTRAINT users_username_key UNIQUE (username)
);

CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users(id),
    csrf_token TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL
);

CREATE TABLE login_failures (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    username TEXT NOT NULL,
    at BIGINT NOT NULL
);
CREATE INDEX login_failures_username ON login_failures(username, at);

CREATE TABLE fiscal_years (
    year INTEGER PRIMARY KEY,
    is_open INTEGER NOT NULL DEFAULT 1,
    declaration_deadline TEXT,
    monitoring_deadline TEXT,
    self_evaluation_deadline TEXT
);

CREATE TABLE projects (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    org_id INTEGER NOT NULL REFERENCES orgs(id),
    year INTEGER NOT NULL,
    name TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    CONSTRAINT projects_unit_year_name_key UNIQUE (org_id, year, name)
);

CREATE TABLE forms (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    org_id INTEGER NOT NULL REFERENCES orgs(id),
    year INTEGER NOT NULL,
    project_id INTEGER REFERENCES projects(id),
    kind TEXT NOT NULL,
    name TEXT NOT NULL,
    stage TEXT NOT NULL,
    version BIGINT NOT NULL,
    data TEXT NOT NULL,
    total TEXT,
    grade TEXT,
    errors INTEGER NOT NULL DEFAULT 0,
    warnings INTEGER NOT NULL DEFAULT 0,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    updated_by INTEGER REFERENCES users(id)
);
CREATE INDEX forms_org_year ON forms(org_id, year);

CREATE TABLE form_versions (
    form_id INTEGER NOT NULL REFERENCES forms(id),
    version BIGINT NOT NULL,
    data TEXT NOT NULL,
    at BIGINT NOT NULL,
    user_id INTEGER REFERENCES users(id),
    PRIMARY KEY (form_id, version)
);

CREATE TABLE workflow_events (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    form_id INTEGER NOT NULL REFERENCES forms(id),
    at BIGINT NOT NULL,
    user_id INTEGER NOT NULL REFERENCES users(id),
    action TEXT NOT NULL,
    from_stage TEXT NOT NULL,
    to_stage TEXT NOT NULL,
    reason TEXT
);
CREATE INDEX workflow_events_form ON workflow_events(form_id);

CREATE TABLE attachments (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    form_id INTEGER NOT NULL REFERENCES forms(id),
    name TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size BIGINT NOT NULL,
    bytes BLOB NOT NULL,
    at BIGINT NOT NULL,
    user_id INTEGER NOT NULL REFERENCES users(id)
);

-- The append-only change log. Every writer first bumps log_head, which serialises appends so
-- the chain never forks.
CREATE TABLE log_head (
    id INTEGER PRIMARY KEY,
    entries BIGINT NOT NULL
);
INSERT INTO log_head (id, entries) VALUES (1, 0);

CREATE TABLE change_log (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    at BIGINT NOT NULL,
    user_id INTEGER,
    username TEXT NOT NULL,
    entity TEXT NOT NULL,
    entity_id BIGINT NOT NULL,
    action TEXT NOT NULL,
    detail TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL
);
CREATE INDEX change_log_entity ON change_log(entity, entity_id);
