-- Lists read the columns they show from an index instead of the table: a form's row holds its
-- JSON (`data`) before those columns, and SQLite walks the overflow pages of `data` to reach
-- what follows it. Two covering indexes carry every list column: one by unit (a unit's or a
-- department's forms), one in the list's order (a page of the whole region without sorting
-- it). The region's counts per stage read the small index on stage. The organisation tree is
-- walked down by parent.
DROP INDEX forms_org_year;
CREATE INDEX forms_org_year ON forms(org_id, year, stage, kind, name, id, version, total, grade,
    errors, warnings, light, rate, codes, project_id, created_at, updated_at);
CREATE INDEX forms_listed ON forms(year DESC, org_id, name, id, kind, stage, version, total,
    grade, errors, warnings, light, rate, codes, project_id, created_at, updated_at);
CREATE INDEX forms_stage ON forms(stage);
CREATE INDEX orgs_parent ON orgs(parent_id);
