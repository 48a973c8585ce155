-- A form page lists its evidence files (attachments WHERE form_id = …): without this index
-- every form page scanned the whole table.
CREATE INDEX attachments_form ON attachments(form_id);
