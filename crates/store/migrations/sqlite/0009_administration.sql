-- Administration (issue 21): a user account can be disabled and can be made to change its
-- one-time password at the next login; an organisation can be deactivated (hidden from
-- pickers, its forms kept). Booleans are 0/1 integers, as everywhere.
ALTER TABLE users ADD COLUMN disabled INTEGER NOT NULL DEFAULT 0;
ALTER TABLE users ADD COLUMN must_change_password INTEGER NOT NULL DEFAULT 0;
ALTER TABLE orgs ADD COLUMN active INTEGER NOT NULL DEFAULT 1;
CREATE INDEX sessions_user ON sessions(user_id);
