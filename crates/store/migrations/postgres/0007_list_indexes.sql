-- The organisation tree is walked down by parent. (Lists need no covering index here, unlike
-- SQLite: PostgreSQL keeps a large `data` value out of line, so list columns are read without it.)
CREATE INDEX orgs_parent ON orgs(parent_id);
