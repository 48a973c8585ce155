-- Monitoring fed by payments (issue 25): the finance bureau uploads the payment system's
-- export for a year; each row that matched a project's monitoring form is kept in `payments`
-- (its month, its amount in 万元 as exact decimal text, and where it was in the file), and the
-- rows that matched none (or could not be read) are kept with the upload, with the reason, in
-- `problems` (JSON). A later upload's rows for a form and month replace earlier ones for the
-- same form and month. Uploads are in the change log (entity 'payment_upload'). Times are Unix
-- milliseconds.
CREATE TABLE payment_uploads (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    org_id INTEGER NOT NULL REFERENCES orgs(id),
    year BIGINT NOT NULL,
    file_name TEXT NOT NULL,
    rows_read BIGINT NOT NULL,
    problems TEXT NOT NULL,
    created_by TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE TABLE payments (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    upload_id INTEGER NOT NULL REFERENCES payment_uploads(id),
    form_id INTEGER NOT NULL REFERENCES forms(id),
    month BIGINT NOT NULL CHECK (month BETWEEN 1 AND 12),
    amount TEXT NOT NULL,
    sheet TEXT NOT NULL,
    line BIGINT NOT NULL
);
CREATE INDEX payments_form ON payments(form_id, month, upload_id);
CREATE INDEX payments_upload ON payments(upload_id);
