-- Lists read the columns they show from an index instead of the table: a form's row holds its
-- JSON (`data`) before those columns, and SQLite walks the overflow pages of `data` to reach
-- what follows it. The index carries every list column, so a list of the region's 40,000
-- forms never touches a form's JSON. The organisation tree is walked down by parent.
DROP INDEX forms_org_year;
CREATE INDEX forms_org_year ON forms(org_id, year, stage, kind, name, id, version, total, grade,
    errors, warnings, light, rate, codes, project_id, created_at, updated_at);
CREATE INDEX orgs_parent ON orgs(parent_id);
