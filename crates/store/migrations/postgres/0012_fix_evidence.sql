-- Evidence of a rectification's answer (issue 22): a unit answers a 整改事项 with text and files,
-- also after its form was published. The files are the form's attachments, marked with the
-- rectification they answer; NULL for the evidence attached while the form was filled.
ALTER TABLE attachments ADD COLUMN fix_id BIGINT REFERENCES rectifications(id);
