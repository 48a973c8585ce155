-- Background jobs (issue 23): slow imports (scans read by OCR, seconds a page) run outside the
-- request that uploaded them. Any instance sharing the database may run a job: a worker claims
-- the oldest queued one (or one whose lease ran out: its instance died) by setting `claimed_by`
-- and `lease_until`, renews the lease with each progress report, and ends it `done` (with
-- `result`, JSON) or `failed` (with `error`, the Chinese message). `state` is 'queued',
-- 'running', 'done' or 'failed'; `owner_id` is the user who uploaded and the only one who sees
-- the job; `params` is JSON (the year, the user's answers); `bytes` is the upload, emptied when
-- the job ends. `attempts` counts claims, so a file that kills its instance is not retried
-- forever. Times are Unix milliseconds.
CREATE TABLE jobs (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    kind TEXT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('queued', 'running', 'done', 'failed')),
    owner_id INTEGER NOT NULL REFERENCES users(id),
    org_id INTEGER NOT NULL REFERENCES orgs(id),
    file_name TEXT NOT NULL,
    bytes BLOB NOT NULL,
    params TEXT NOT NULL,
    progress_done BIGINT NOT NULL,
    progress_total BIGINT NOT NULL,
    message TEXT NOT NULL,
    result TEXT,
    error TEXT,
    attempts BIGINT NOT NULL,
    claimed_by TEXT,
    lease_until BIGINT,
    created_at BIGINT NOT NULL,
    started_at BIGINT,
    finished_at BIGINT
);
CREATE INDEX jobs_state ON jobs(state, id);
CREATE INDEX jobs_owner ON jobs(owner_id, id);
