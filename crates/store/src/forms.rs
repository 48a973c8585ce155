//! Forms: their current data and version, every earlier version, workflow events and evidence
//! files.
//!
//! Saves are optimistic: `UPDATE … WHERE version = based_on`. A save based on an old version
//! changes nothing and returns [`StoreError::Conflict`]; a stage change names the stage it
//! expects, so two reviewers cannot approve and return the same form at once.

use serde::Serialize;
use serde_json::json;

use crate::log::{self, Author};
use crate::orgs::ensure_project_in;
use crate::{Store, StoreError};

/// The stage code of a voided form (已作废): lists, counts and figures leave it out unless a
/// filter asks for it by stage.
pub const VOIDED: &str = "voided";

/// Columns of a form row without its data, for lists.
const LIST_COLUMNS: &str = "id, org_id, year, project_id, kind, name, stage, version, total, grade, errors, warnings, light, rate, codes, created_at, updated_at";

/// A form in a list (no data).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct FormListRow {
    /// Id.
    pub id: i64,
    /// The unit it belongs to.
    pub org_id: i64,
    /// The fiscal year.
    pub year: i64,
    /// The project, for project forms.
    pub project_id: Option<i64>,
    /// Form kind code (`project_self_evaluation` …).
    pub kind: String,
    /// Project or department name.
    pub name: String,
    /// Workflow stage code.
    pub stage: String,
    /// Version, from 1.
    pub version: i64,
    /// Computed total as decimal text.
    pub total: Option<String>,
    /// Computed grade (`优` …).
    pub grade: Option<String>,
    /// Audit errors.
    pub errors: i64,
    /// Audit warnings.
    pub warnings: i64,
    /// 运行监控 light (`red`, `yellow`, `green`) of a monitoring form.
    pub light: Option<String>,
    /// Computed execution rate as a decimal fraction (`0.843`), for self-evaluations.
    pub rate: Option<String>,
    /// Codes of the audit errors and warnings, comma-separated.
    pub codes: Option<String>,
    /// Created (Unix ms).
    pub created_at: i64,
    /// Last changed (Unix ms).
    pub updated_at: i64,
}

/// A form's figures as the dashboard counts them: the list columns it reads, no more (no
/// year, project, version, warnings or dates), so a region of thousands of forms is read with
/// a third of the values of its list rows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FigureRow {
    /// Id.
    pub id: i64,
    /// The unit it belongs to.
    pub org_id: i64,
    /// Form kind code.
    pub kind: String,
    /// Project or department name.
    pub name: String,
    /// Workflow stage code.
    pub stage: String,
    /// The form's total as decimal text.
    pub total: Option<String>,
    /// Its grade.
    pub grade: Option<String>,
    /// Audit errors.
    pub errors: i64,
    /// 运行监控 light.
    pub light: Option<String>,
    /// Computed execution rate as a decimal fraction.
    pub rate: Option<String>,
    /// Codes of the audit errors and warnings, comma-separated.
    pub codes: Option<String>,
}

/// A form's total with what it takes to count it over the years.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TotalRow {
    /// The unit it belongs to.
    pub org_id: i64,
    /// The fiscal year.
    pub year: i64,
    /// Form kind code.
    pub kind: String,
    /// Workflow stage code.
    pub stage: String,
    /// The form's total as decimal text.
    pub total: Option<String>,
}

/// A form with its data.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FormRow {
    /// Everything a list shows.
    pub head: FormListRow,
    /// The form's JSON (docs/forms.md).
    pub data: String,
    /// Where the total of `head` comes from (`stated`, `computed`, `adopted`), for scored forms.
    pub total_basis: Option<String>,
}

/// What a list of forms is narrowed to.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FormFilter {
    /// Only these units (`None`: all).
    pub org_ids: Option<Vec<i64>>,
    /// Only these forms (`None`: all) — an expert's assigned forms.
    pub ids: Option<Vec<i64>>,
    /// Only this year.
    pub year: Option<i64>,
    /// Only this kind.
    pub kind: Option<String>,
    /// Only these stages (`None`: every stage but [`VOIDED`]).
    pub stages: Option<Vec<String>>,
    /// Name contains.
    pub name_contains: Option<String>,
    /// Only this 运行监控 light.
    pub light: Option<String>,
}

/// A page of a list: `limit` rows after skipping `offset`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PageRequest {
    /// Rows skipped.
    pub offset: u32,
    /// Rows returned at most.
    pub limit: u32,
}

/// A value bound to a list query.
enum Bind {
    Int(i64),
    Text(String),
}

/// The `WHERE` condition of a [`FormFilter`] with its values in `$n` order.
struct Condition {
    sql: String,
    binds: Vec<Bind>,
}

impl Condition {
    /// `None` when the filter can match nothing (an empty list of units or stages).
    fn of(filter: &FormFilter) -> Option<Condition> {
        let mut sql = String::from("1 = 1");
        let mut binds = Vec::new();
        if let Some(orgs) = &filter.org_ids {
            if orgs.is_empty() {
                return None;
            }
            // Ids are integers: formatting them cannot inject anything.
            let list: Vec<String> = orgs.iter().map(i64::to_string).collect();
            sql.push_str(&format!(" AND org_id IN ({})", list.join(", ")));
        }
        if let Some(ids) = &filter.ids {
            if ids.is_empty() {
                return None;
            }
            let list: Vec<String> = ids.iter().map(i64::to_string).collect();
            sql.push_str(&format!(" AND id IN ({})", list.join(", ")));
        }
        if let Some(y) = filter.year {
            push(&mut sql, &mut binds, "year =", Bind::Int(y));
        }
        if let Some(k) = &filter.kind {
            push(&mut sql, &mut binds, "kind =", Bind::Text(k.clone()));
        }
        if let Some(stages) = &filter.stages {
            if stages.is_empty() {
                return None;
            }
            let first = binds.len() + 1;
            binds.extend(stages.iter().map(|s| Bind::Text(s.clone())));
            let marks: Vec<String> = (first..=binds.len()).map(|n| format!("${n}")).collect();
            sql.push_str(&format!(" AND stage IN ({})", marks.join(", ")));
        } else {
            push(&mut sql, &mut binds, "stage <>", Bind::Text(VOIDED.into()));
        }
        if let Some(text) = &filter.name_contains {
            let escaped = text.replace(['%', '_'], "");
            push(
                &mut sql,
                &mut binds,
                "name LIKE",
                Bind::Text(format!("%{escaped}%")),
            );
        }
        if let Some(light) = &filter.light {
            push(&mut sql, &mut binds, "light =", Bind::Text(light.clone()));
        }
        Some(Condition { sql, binds })
    }
}

/// Appends ` AND {column} $n` with its value.
fn push(sql: &mut String, binds: &mut Vec<Bind>, column: &str, value: Bind) {
    binds.push(value);
    sql.push_str(&format!(" AND {column} ${}", binds.len()));
}

/// The figures a list shows, computed by the application on every save.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Summary {
    /// Total as decimal text.
    pub total: Option<String>,
    /// Grade.
    pub grade: Option<String>,
    /// Audit errors.
    pub errors: i64,
    /// Audit warnings.
    pub warnings: i64,
    /// 运行监控 light.
    pub light: Option<String>,
    /// Computed execution rate (decimal fraction as text).
    pub rate: Option<String>,
    /// Codes of the audit errors and warnings, comma-separated.
    pub codes: Option<String>,
    /// Where `total` comes from (`stated`, `computed`, `adopted`), for scored forms.
    pub total_basis: Option<String>,
}

/// The total the finance bureau settles at approval: written with the stage change.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Reviewed<'a> {
    /// The total as decimal text.
    pub total: Option<&'a str>,
    /// Its grade.
    pub grade: Option<&'a str>,
    /// Where it comes from (`stated`, `computed`, `adopted`).
    pub basis: &'a str,
}

/// An explanation of an audit finding, given when the form was sent on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct NoteRow {
    /// The form's version it explains.
    pub version: i64,
    /// The finding's key (`code@field`), or `*` for all of them.
    pub finding: String,
    /// The explanation.
    pub note: String,
    /// When (Unix ms).
    pub at: i64,
}

/// A new form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewForm {
    /// The unit.
    pub org_id: i64,
    /// The year.
    pub year: i64,
    /// The project, for project forms.
    pub project_id: Option<i64>,
    /// Kind code.
    pub kind: String,
    /// Project or department name.
    pub name: String,
    /// Initial stage code.
    pub stage: String,
    /// The form's JSON.
    pub data: String,
    /// Its figures.
    pub summary: Summary,
}

/// A new form and, for a project form, the name of the project to file it under.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Filing {
    /// The form (its `project_id` is set from `project` when that is given).
    pub form: NewForm,
    /// The project's name within the form's unit and year, created when missing.
    pub project: Option<String>,
    /// Values read uncertainly from a scan, to confirm (JSON; see [`Store::readings`]).
    pub readings: Option<String>,
}

/// A workflow step taken on a form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct EventRow {
    /// Id.
    pub id: i64,
    /// When (Unix ms).
    pub at: i64,
    /// Who.
    pub user_id: i64,
    /// Who, by name.
    pub display_name: String,
    /// Action code.
    pub action: String,
    /// Stage before.
    pub from_stage: String,
    /// Stage after.
    pub to_stage: String,
    /// The reason given (returns).
    pub reason: Option<String>,
}

/// An evidence file attached to a form (without its bytes).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct AttachmentRow {
    /// Id.
    pub id: i64,
    /// The form.
    pub form_id: i64,
    /// File name as uploaded.
    pub name: String,
    /// MIME type.
    pub content_type: String,
    /// Size in bytes.
    pub size: i64,
    /// When (Unix ms).
    pub at: i64,
    /// The rectification whose answer it supports, if it was sent with one.
    pub fix_id: Option<i64>,
}

/// An evidence file to store.
#[derive(Debug, Clone, Copy)]
pub struct NewAttachment<'a> {
    /// File name (a base name).
    pub name: &'a str,
    /// MIME type.
    pub content_type: &'a str,
    /// The content.
    pub bytes: &'a [u8],
    /// The rectification whose answer it supports.
    pub fix_id: Option<i64>,
}

/// A save of new data over a version.
#[derive(Debug, Clone, Copy)]
pub struct Save<'a> {
    /// The form.
    pub id: i64,
    /// The version the new data was based on.
    pub based_on: i64,
    /// Project or department name.
    pub name: &'a str,
    /// The form's JSON.
    pub data: &'a str,
    /// Its figures.
    pub summary: &'a Summary,
    /// What changed, for the log (`[{"path", "old", "new"}]`).
    pub changes: &'a serde_json::Value,
}

/// The newest event of a form, as [`Store::last_events`] reads it.
#[derive(Debug, sqlx::FromRow)]
struct LastEvent {
    form_id: i64,
    #[sqlx(flatten)]
    event: EventRow,
}

/// A stage change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Transition<'a> {
    /// Action code (`confirm`, `return` …).
    pub action: &'a str,
    /// The stage the form must be in.
    pub from: &'a str,
    /// The stage it moves to.
    pub to: &'a str,
    /// The reason, for returns.
    pub reason: Option<&'a str>,
    /// The total settled at this step (the finance bureau's approval).
    pub reviewed: Option<Reviewed<'a>>,
    /// Explanations of the version's audit findings, (finding key, text), kept with this step.
    pub notes: &'a [(String, String)],
}

impl Store {
    /// Creates a form at version 1.
    pub async fn create_form(&self, new: &NewForm, by: &Author) -> Result<i64, StoreError> {
        let mut tx = self.pool.begin().await?;
        log::lock(&mut tx).await?;
        let id = insert_form(&mut tx, self.clock.now_ms(), new, by).await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Creates several forms at version 1 in one transaction — every form of an uploaded file
    /// or none of them, so a crash or a refusal halfway leaves no partial import behind. A
    /// form with a `project` name is filed under that project of its unit and year, created
    /// when missing. Returns the new ids in order.
    pub async fn create_forms(
        &self,
        filings: &[Filing],
        by: &Author,
    ) -> Result<Vec<i64>, StoreError> {
        let mut tx = self.pool.begin().await?;
        log::lock(&mut tx).await?;
        let mut ids = Vec::with_capacity(filings.len());
        for filing in filings {
            let mut new = filing.form.clone();
            if let Some(project) = &filing.project {
                let id = ensure_project_in(
                    &mut tx,
                    self.clock.now_ms(),
                    new.org_id,
                    new.year,
                    project,
                    by,
                )
                .await?;
                new.project_id = Some(id);
            }
            let id = insert_form(&mut tx, self.clock.now_ms(), &new, by).await?;
            if let Some(readings) = &filing.readings {
                sqlx::query("UPDATE forms SET readings = $1 WHERE id = $2")
                    .bind(readings)
                    .bind(id)
                    .execute(&mut *tx)
                    .await?;
            }
            ids.push(id);
        }
        tx.commit().await?;
        Ok(ids)
    }

    /// The values of a form read uncertainly from a scan and not yet confirmed (JSON list of
    /// `jixiao_core::source::Uncertain`), or `None` when there are none.
    pub async fn readings(&self, id: i64) -> Result<Option<String>, StoreError> {
        let row: Option<(Option<String>,)> =
            sqlx::query_as("SELECT readings FROM forms WHERE id = $1")
                .bind(id)
                .fetch_optional(&self.pool)
                .await?;
        row.map(|(r,)| r)
            .ok_or_else(|| StoreError::NotFound(format!("表单 {id}")))
    }

    /// Sets the values of a form still to be confirmed (`None`: none left), and logs `action`
    /// (`readings_confirmed`, `readings_set`) with `detail` in the change log, in one
    /// transaction.
    pub async fn set_readings(
        &self,
        id: i64,
        readings: Option<&str>,
        action: &str,
        detail: &serde_json::Value,
        by: &Author,
    ) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await?;
        log::lock(&mut tx).await?;
        let done = sqlx::query("UPDATE forms SET readings = $1 WHERE id = $2")
            .bind(readings)
            .bind(id)
            .execute(&mut *tx)
            .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound(format!("表单 {id}")));
        }
        log::append(&mut tx, self.clock.now_ms(), by, "form", id, action, detail).await?;
        tx.commit().await?;
        Ok(())
    }

    /// What the library is built from, in five numbers that change whenever it does: how many
    /// forms of `kinds` outside the `excluded` stages there are, the sums of their versions
    /// (every save raises one) and of their ids (one form leaving as another enters), and the
    /// curations' count and revisions. Drafts being
    /// typed do not move it, so the library is not rebuilt for them.
    pub async fn library_fingerprint(
        &self,
        kinds: &[&str],
        excluded: &[&str],
    ) -> Result<[i64; 5], StoreError> {
        let placeholders = |from: usize, n: usize| {
            (from..from + n)
                .map(|i| format!("${i}"))
                .collect::<Vec<_>>()
                .join(", ")
        };
        let sql = format!(
            "SELECT COUNT(*), CAST(COALESCE(SUM(version), 0) AS BIGINT), \
             CAST(COALESCE(SUM(id), 0) AS BIGINT) FROM forms \
             WHERE kind IN ({}) AND stage NOT IN ({})",
            placeholders(1, kinds.len().max(1)),
            placeholders(1 + kinds.len().max(1), excluded.len().max(1)),
        );
        let mut q = sqlx::query_as(&sql);
        for k in kinds.iter().copied().chain(kinds.is_empty().then_some("")) {
            q = q.bind(k);
        }
        for s in excluded
            .iter()
            .copied()
            .chain(excluded.is_empty().then_some(""))
        {
            q = q.bind(s);
        }
        let (forms, versions, ids): (i64, i64, i64) = q.fetch_one(&self.pool).await?;
        let (curations, revisions): (i64, i64) = sqlx::query_as(
            "SELECT COUNT(*), CAST(COALESCE(SUM(revision), 0) AS BIGINT) FROM library_curations",
        )
        .fetch_one(&self.pool)
        .await?;
        Ok([forms, versions, ids, curations, revisions])
    }

    /// The data of every form of `kinds` that has left its unit's drafts (its stage is none
    /// of `excluded`), with the name of its unit: what the indicator library is gathered from.
    pub async fn library_forms(
        &self,
        kinds: &[&str],
        excluded: &[&str],
    ) -> Result<Vec<(String, String)>, StoreError> {
        let placeholders = |from: usize, n: usize| {
            (from..from + n)
                .map(|i| format!("${i}"))
                .collect::<Vec<_>>()
                .join(", ")
        };
        let sql = format!(
            "SELECT o.name, f.data FROM forms f JOIN orgs o ON o.id = f.org_id \
             WHERE f.kind IN ({}) AND f.stage NOT IN ({}) ORDER BY f.year, f.id",
            placeholders(1, kinds.len().max(1)),
            placeholders(1 + kinds.len().max(1), excluded.len().max(1)),
        );
        let mut q = sqlx::query_as(&sql);
        for k in kinds.iter().copied().chain(kinds.is_empty().then_some("")) {
            q = q.bind(k);
        }
        for s in excluded
            .iter()
            .copied()
            .chain(excluded.is_empty().then_some(""))
        {
            q = q.bind(s);
        }
        Ok(q.fetch_all(&self.pool).await?)
    }

    /// A form with its data.
    pub async fn form(&self, id: i64) -> Result<FormRow, StoreError> {
        let head: FormListRow =
            sqlx::query_as(&format!("SELECT {LIST_COLUMNS} FROM forms WHERE id = $1"))
                .bind(id)
                .fetch_optional(&self.pool)
                .await?
                .ok_or_else(|| StoreError::NotFound(format!("表单 {id}")))?;
        let (data, total_basis): (String, Option<String>) =
            sqlx::query_as("SELECT data, total_basis FROM forms WHERE id = $1")
                .bind(id)
                .fetch_one(&self.pool)
                .await?;
        Ok(FormRow {
            head,
            data,
            total_basis,
        })
    }

    /// A form's list row.
    pub async fn form_head(&self, id: i64) -> Result<FormListRow, StoreError> {
        sqlx::query_as(&format!("SELECT {LIST_COLUMNS} FROM forms WHERE id = $1"))
            .bind(id)
            .fetch_optional(&self.pool)
            .await?
            .ok_or_else(|| StoreError::NotFound(format!("表单 {id}")))
    }

    /// Forms matching `filter`, newest year first, then by unit and name.
    pub async fn forms(&self, filter: &FormFilter) -> Result<Vec<FormListRow>, StoreError> {
        self.forms_page(filter, None).await
    }

    /// One page of the forms matching `filter`, in the order of [`Store::forms`]; `None`: all.
    pub async fn forms_page(
        &self,
        filter: &FormFilter,
        page: Option<PageRequest>,
    ) -> Result<Vec<FormListRow>, StoreError> {
        let Some(condition) = Condition::of(filter) else {
            return Ok(Vec::new());
        };
        let mut sql = format!(
            "SELECT {LIST_COLUMNS} FROM forms WHERE {} ORDER BY year DESC, org_id, name, id",
            condition.sql
        );
        if let Some(p) = page {
            // Integers: formatting them cannot inject anything.
            sql.push_str(&format!(" LIMIT {} OFFSET {}", p.limit, p.offset));
        }
        let mut q = sqlx::query_as(&sql);
        for value in condition.binds {
            q = match value {
                Bind::Int(i) => q.bind(i),
                Bind::Text(t) => q.bind(t),
            };
        }
        Ok(q.fetch_all(&self.pool).await?)
    }

    /// The figures of the forms matching `filter` ([`FigureRow`]), in the order of
    /// [`Store::forms`]. On SQLite every column comes from the covering index `forms_listed`.
    pub async fn figure_rows(&self, filter: &FormFilter) -> Result<Vec<FigureRow>, StoreError> {
        type Row = (
            i64,
            i64,
            String,
            String,
            String,
            Option<String>,
            Option<String>,
            i64,
            Option<String>,
            Option<String>,
            Option<String>,
        );
        let Some(condition) = Condition::of(filter) else {
            return Ok(Vec::new());
        };
        // Read by position into a tuple: no lookup of each column by name on each row.
        let sql = format!(
            "SELECT id, org_id, kind, name, stage, total, grade, errors, light, rate, codes
             FROM forms WHERE {} ORDER BY year DESC, org_id, name, id",
            condition.sql
        );
        let mut q = sqlx::query_as::<_, Row>(&sql);
        for value in condition.binds {
            q = match value {
                Bind::Int(i) => q.bind(i),
                Bind::Text(t) => q.bind(t),
            };
        }
        let rows = q.fetch_all(&self.pool).await?;
        Ok(rows
            .into_iter()
            .map(
                |(id, org_id, kind, name, stage, total, grade, errors, light, rate, codes)| {
                    FigureRow {
                        id,
                        org_id,
                        kind,
                        name,
                        stage,
                        total,
                        grade,
                        errors,
                        light,
                        rate,
                        codes,
                    }
                },
            )
            .collect())
    }

    /// The totals of the forms of `kinds` matching `filter` ([`TotalRow`]), leaving out the
    /// stages `not_stages` and the year `not_year`, in the order of [`Store::forms`]. The stages
    /// are left out rather than listed, and not with `filter.stages`: on SQLite a condition
    /// `stage IN (…)` would be answered from the index on stage alone, and each row's total
    /// then read past its JSON; with `NOT IN` every column comes from `forms_listed`.
    pub async fn totals(
        &self,
        filter: &FormFilter,
        kinds: &[&str],
        not_stages: &[&str],
        not_year: Option<i64>,
    ) -> Result<Vec<TotalRow>, StoreError> {
        let Some(mut condition) = Condition::of(filter) else {
            return Ok(Vec::new());
        };
        if kinds.is_empty() {
            return Ok(Vec::new());
        }
        if let Some(y) = not_year {
            push(
                &mut condition.sql,
                &mut condition.binds,
                "year <>",
                Bind::Int(y),
            );
        }
        let mut list = |values: &[&str]| {
            let first = condition.binds.len() + 1;
            condition
                .binds
                .extend(values.iter().map(|v| Bind::Text((*v).to_string())));
            let marks: Vec<String> = (first..=condition.binds.len())
                .map(|n| format!("${n}"))
                .collect();
            marks.join(", ")
        };
        let mut extra = format!(" AND kind IN ({})", list(kinds));
        if !not_stages.is_empty() {
            extra.push_str(&format!(" AND stage NOT IN ({})", list(not_stages)));
        }
        condition.sql.push_str(&extra);
        let sql = format!(
            "SELECT org_id, year, kind, stage, total FROM forms WHERE {}
             ORDER BY year DESC, org_id, name, id",
            condition.sql
        );
        let mut q = sqlx::query_as::<_, (i64, i64, String, String, Option<String>)>(&sql);
        for value in condition.binds {
            q = match value {
                Bind::Int(i) => q.bind(i),
                Bind::Text(t) => q.bind(t),
            };
        }
        let rows = q.fetch_all(&self.pool).await?;
        Ok(rows
            .into_iter()
            .map(|(org_id, year, kind, stage, total)| TotalRow {
                org_id,
                year,
                kind,
                stage,
                total,
            })
            .collect())
    }

    /// The years of the forms matching `filter`, ascending.
    pub async fn form_years(&self, filter: &FormFilter) -> Result<Vec<i64>, StoreError> {
        let Some(condition) = Condition::of(filter) else {
            return Ok(Vec::new());
        };
        let sql = format!(
            "SELECT DISTINCT year FROM forms WHERE {} ORDER BY year",
            condition.sql
        );
        let mut q = sqlx::query_as::<_, (i64,)>(&sql);
        for value in condition.binds {
            q = match value {
                Bind::Int(i) => q.bind(i),
                Bind::Text(t) => q.bind(t),
            };
        }
        Ok(q.fetch_all(&self.pool)
            .await?
            .into_iter()
            .map(|(y,)| y)
            .collect())
    }

    /// How many forms match `filter`, per stage code (stages without forms left out).
    pub async fn form_counts(&self, filter: &FormFilter) -> Result<Vec<(String, i64)>, StoreError> {
        let Some(condition) = Condition::of(filter) else {
            return Ok(Vec::new());
        };
        let sql = format!(
            "SELECT stage, COUNT(*) FROM forms WHERE {} GROUP BY stage",
            condition.sql
        );
        let mut q = sqlx::query_as(&sql);
        for value in condition.binds {
            q = match value {
                Bind::Int(i) => q.bind(i),
                Bind::Text(t) => q.bind(t),
            };
        }
        Ok(q.fetch_all(&self.pool).await?)
    }

    /// Saves new data over version `based_on`; returns the new version. A save based on any
    /// other version changes nothing and is [`StoreError::Conflict`].
    pub async fn save_form(&self, save: &Save<'_>, by: &Author) -> Result<i64, StoreError> {
        let Save {
            id,
            based_on,
            name,
            data,
            summary,
            changes,
        } = *save;
        let mut tx = self.pool.begin().await?;
        log::lock(&mut tx).await?;
        let now = self.clock.now_ms();
        let updated = sqlx::query(
            "UPDATE forms SET data = $1, name = $2, total = $3, grade = $4, errors = $5, warnings = $6,
             version = version + 1, updated_at = $7, updated_by = $8, light = $11, rate = $12, codes = $13,
             total_basis = $14
             WHERE id = $9 AND version = $10",
        )
        .bind(data)
        .bind(name)
        .bind(&summary.total)
        .bind(&summary.grade)
        .bind(summary.errors)
        .bind(summary.warnings)
        .bind(now)
        .bind(by.user_id)
        .bind(id)
        .bind(based_on)
        .bind(&summary.light)
        .bind(&summary.rate)
        .bind(&summary.codes)
        .bind(&summary.total_basis)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if updated == 0 {
            let current: Option<(i64,)> = sqlx::query_as("SELECT version FROM forms WHERE id = $1")
                .bind(id)
                .fetch_optional(&mut *tx)
                .await?;
            return Err(match current {
                Some((current,)) => StoreError::Conflict { based_on, current },
                None => StoreError::NotFound(format!("表单 {id}")),
            });
        }
        let version = based_on + 1;
        insert_version(&mut tx, id, version, data, now, by).await?;
        let detail = json!({"version": version, "changes": changes});
        log::append(
            &mut tx,
            self.clock.now_ms(),
            by,
            "form",
            id,
            "save",
            &detail,
        )
        .await?;
        tx.commit().await?;
        Ok(version)
    }

    /// The data of one version of a form.
    pub async fn form_version(&self, id: i64, version: i64) -> Result<String, StoreError> {
        let row: Option<(String,)> =
            sqlx::query_as("SELECT data FROM form_versions WHERE form_id = $1 AND version = $2")
                .bind(id)
                .bind(version)
                .fetch_optional(&self.pool)
                .await?;
        row.map(|r| r.0)
            .ok_or_else(|| StoreError::NotFound(format!("表单 {id} 第{version}版")))
    }

    /// Moves a form from `step.from` to `step.to`. Refused as [`StoreError::Conflict`] when the
    /// form is no longer in `step.from` (someone else acted first).
    pub async fn transition(
        &self,
        id: i64,
        version: i64,
        step: &Transition<'_>,
        by: &Author,
    ) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await?;
        log::lock(&mut tx).await?;
        let now = self.clock.now_ms();
        let updated = sqlx::query(
            "UPDATE forms SET stage = $1, updated_at = $2 WHERE id = $3 AND stage = $4 AND version = $5",
        )
        .bind(step.to)
        .bind(now)
        .bind(id)
        .bind(step.from)
        .bind(version)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if updated == 0 {
            let current: Option<(i64,)> = sqlx::query_as("SELECT version FROM forms WHERE id = $1")
                .bind(id)
                .fetch_optional(&mut *tx)
                .await?;
            return Err(match current {
                Some((current,)) => StoreError::Conflict {
                    based_on: version,
                    current,
                },
                None => StoreError::NotFound(format!("表单 {id}")),
            });
        }
        if let Some(r) = step.reviewed {
            sqlx::query("UPDATE forms SET total = $1, grade = $2, total_basis = $3 WHERE id = $4")
                .bind(r.total)
                .bind(r.grade)
                .bind(r.basis)
                .bind(id)
                .execute(&mut *tx)
                .await?;
        }
        if !step.notes.is_empty() {
            sqlx::query("DELETE FROM finding_notes WHERE form_id = $1 AND version = $2")
                .bind(id)
                .bind(version)
                .execute(&mut *tx)
                .await?;
            for (finding, note) in step.notes {
                sqlx::query(
                    "INSERT INTO finding_notes (form_id, version, finding, note, at, user_id)
                     VALUES ($1, $2, $3, $4, $5, $6)",
                )
                .bind(id)
                .bind(version)
                .bind(finding)
                .bind(note)
                .bind(now)
                .bind(by.user_id)
                .execute(&mut *tx)
                .await?;
            }
        }
        sqlx::query(
            "INSERT INTO workflow_events (form_id, at, user_id, action, from_stage, to_stage, reason)
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(id)
        .bind(now)
        .bind(by.user_id.unwrap_or_default())
        .bind(step.action)
        .bind(step.from)
        .bind(step.to)
        .bind(step.reason)
        .execute(&mut *tx)
        .await?;
        let mut detail =
            json!({"from": step.from, "to": step.to, "reason": step.reason, "version": version});
        if let Some(r) = step.reviewed {
            detail["total"] = json!(r.total);
            detail["total_basis"] = json!(r.basis);
        }
        if !step.notes.is_empty() {
            detail["notes"] = json!(step.notes);
        }
        log::append(
            &mut tx,
            self.clock.now_ms(),
            by,
            "form",
            id,
            step.action,
            &detail,
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Deletes a draft at `version` with everything kept about it (versions, events, evidence
    /// files, notes); the change log keeps a `delete` entry with its last content. Refused as
    /// [`StoreError::Conflict`] when the form moved on or changed meanwhile, and as
    /// [`StoreError::NotFound`] when it is gone.
    pub async fn delete_draft(&self, id: i64, version: i64, by: &Author) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await?;
        log::lock(&mut tx).await?;
        let row: Option<(String, i64, String, String, i64, i64)> = sqlx::query_as(
            "SELECT stage, version, kind, name, org_id, year FROM forms WHERE id = $1",
        )
        .bind(id)
        .fetch_optional(&mut *tx)
        .await?;
        let Some((stage, current, kind, name, org_id, year)) = row else {
            return Err(StoreError::NotFound(format!("表单 {id}")));
        };
        if stage != "draft" || current != version {
            return Err(StoreError::Conflict {
                based_on: version,
                current,
            });
        }
        let (data,): (String,) = sqlx::query_as("SELECT data FROM forms WHERE id = $1")
            .bind(id)
            .fetch_one(&mut *tx)
            .await?;
        for table in [
            "finding_notes",
            "attachments",
            "workflow_events",
            "form_versions",
            "rectifications",
        ] {
            // Table names are constants: formatting them cannot inject anything.
            sqlx::query(&format!("DELETE FROM {table} WHERE form_id = $1"))
                .bind(id)
                .execute(&mut *tx)
                .await?;
        }
        sqlx::query("DELETE FROM forms WHERE id = $1")
            .bind(id)
            .execute(&mut *tx)
            .await?;
        let detail = json!({
            "kind": kind, "name": name, "org_id": org_id, "year": year, "version": version,
            "data": serde_json::from_str::<serde_json::Value>(&data)
                .unwrap_or(serde_json::Value::String(data)),
        });
        log::append(
            &mut tx,
            self.clock.now_ms(),
            by,
            "form",
            id,
            "delete",
            &detail,
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// The basis of each listed form's total: (id, basis code).
    pub async fn total_bases(&self, ids: &[i64]) -> Result<Vec<(i64, Option<String>)>, StoreError> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let list: Vec<String> = ids.iter().map(i64::to_string).collect();
        // Ids are integers: formatting them cannot inject anything.
        Ok(sqlx::query_as(&format!(
            "SELECT id, total_basis FROM forms WHERE id IN ({})",
            list.join(", ")
        ))
        .fetch_all(&self.pool)
        .await?)
    }

    /// The explanations of a form's findings given for `version`.
    pub async fn notes(&self, form_id: i64, version: i64) -> Result<Vec<NoteRow>, StoreError> {
        Ok(sqlx::query_as(
            "SELECT version, finding, note, at FROM finding_notes
             WHERE form_id = $1 AND version = $2 ORDER BY finding",
        )
        .bind(form_id)
        .bind(version)
        .fetch_all(&self.pool)
        .await?)
    }

    /// Scored forms saved before totals had a basis: (id, year, stage, data), at most `limit`.
    pub async fn forms_without_basis(
        &self,
        limit: u32,
    ) -> Result<Vec<(i64, i64, String, String)>, StoreError> {
        Ok(sqlx::query_as(&format!(
            "SELECT id, year, stage, data FROM forms
             WHERE total_basis IS NULL AND total IS NOT NULL ORDER BY id LIMIT {limit}"
        ))
        .fetch_all(&self.pool)
        .await?)
    }

    /// Sets the figures the application derives from a form's data (its total, grade and the
    /// total's basis) without a new version: they follow from content already logged.
    pub async fn set_total(
        &self,
        id: i64,
        total: Option<&str>,
        grade: Option<&str>,
        basis: &str,
    ) -> Result<(), StoreError> {
        sqlx::query("UPDATE forms SET total = $1, grade = $2, total_basis = $3 WHERE id = $4")
            .bind(total)
            .bind(grade)
            .bind(basis)
            .bind(id)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// A form's workflow history, oldest first.
    pub async fn events(&self, form_id: i64) -> Result<Vec<EventRow>, StoreError> {
        Ok(sqlx::query_as(
            "SELECT e.id, e.at, e.user_id, u.display_name, e.action, e.from_stage, e.to_stage, e.reason
             FROM workflow_events e JOIN users u ON u.id = e.user_id
             WHERE e.form_id = $1 ORDER BY e.id",
        )
        .bind(form_id)
        .fetch_all(&self.pool)
        .await?)
    }

    /// The newest return event of each of the given forms (for 待办 reasons).
    pub async fn last_events(&self, form_ids: &[i64]) -> Result<Vec<(i64, EventRow)>, StoreError> {
        if form_ids.is_empty() {
            return Ok(Vec::new());
        }
        let list: Vec<String> = form_ids.iter().map(i64::to_string).collect();
        let rows: Vec<LastEvent> = sqlx::query_as(&format!(
            "SELECT e.form_id, e.id, e.at, e.user_id, u.display_name, e.action, e.from_stage, e.to_stage, e.reason
             FROM workflow_events e JOIN users u ON u.id = e.user_id
             WHERE e.id IN (SELECT MAX(id) FROM workflow_events WHERE form_id IN ({}) GROUP BY form_id)",
            list.join(", ")
        ))
        .fetch_all(&self.pool)
        .await?;
        Ok(rows.into_iter().map(|r| (r.form_id, r.event)).collect())
    }

    /// Attaches an evidence file to a form.
    pub async fn add_attachment(
        &self,
        form_id: i64,
        file: &NewAttachment<'_>,
        by: &Author,
    ) -> Result<i64, StoreError> {
        let NewAttachment {
            name,
            content_type,
            bytes,
            fix_id,
        } = *file;
        let mut tx = self.pool.begin().await?;
        log::lock(&mut tx).await?;
        let (id,): (i64,) = sqlx::query_as(
            "INSERT INTO attachments (form_id, name, content_type, size, bytes, at, user_id, fix_id)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
        )
        .bind(form_id)
        .bind(name)
        .bind(content_type)
        .bind(i64::try_from(bytes.len()).unwrap_or(i64::MAX))
        .bind(bytes.to_vec())
        .bind(self.clock.now_ms())
        .bind(by.user_id.unwrap_or_default())
        .bind(fix_id)
        .fetch_one(&mut *tx)
        .await?;
        let detail = match fix_id {
            Some(fix) => {
                json!({"attachment": id, "name": name, "size": bytes.len(), "rectification": fix})
            }
            None => json!({"attachment": id, "name": name, "size": bytes.len()}),
        };
        log::append(
            &mut tx,
            self.clock.now_ms(),
            by,
            "form",
            form_id,
            "attach",
            &detail,
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// A form's evidence files.
    pub async fn attachments(&self, form_id: i64) -> Result<Vec<AttachmentRow>, StoreError> {
        Ok(sqlx::query_as(
            "SELECT id, form_id, name, content_type, size, at, fix_id FROM attachments WHERE form_id = $1 ORDER BY id",
        )
        .bind(form_id)
        .fetch_all(&self.pool)
        .await?)
    }

    /// One evidence file with its bytes.
    pub async fn attachment(&self, id: i64) -> Result<(AttachmentRow, Vec<u8>), StoreError> {
        let row: AttachmentRow = sqlx::query_as(
            "SELECT id, form_id, name, content_type, size, at, fix_id FROM attachments WHERE id = $1",
        )
        .bind(id)
        .fetch_optional(&self.pool)
        .await?
        .ok_or_else(|| StoreError::NotFound(format!("附件 {id}")))?;
        let (bytes,): (Vec<u8>,) = sqlx::query_as("SELECT bytes FROM attachments WHERE id = $1")
            .bind(id)
            .fetch_one(&self.pool)
            .await?;
        Ok((row, bytes))
    }
}

/// Inserts a form at version 1 with its first version and its change-log entry (the caller
/// holds the log lock).
async fn insert_form(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    now: i64,
    new: &NewForm,
    by: &Author,
) -> Result<i64, StoreError> {
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO forms (org_id, year, project_id, kind, name, stage, version, data, total, grade,
         errors, warnings, created_at, updated_at, updated_by, light, rate, codes, total_basis)
         VALUES ($1, $2, $3, $4, $5, $6, 1, $7, $8, $9, $10, $11, $12, $12, $13, $14, $15, $16, $17) RETURNING id",
    )
    .bind(new.org_id)
    .bind(new.year)
    .bind(new.project_id)
    .bind(&new.kind)
    .bind(&new.name)
    .bind(&new.stage)
    .bind(&new.data)
    .bind(&new.summary.total)
    .bind(&new.summary.grade)
    .bind(new.summary.errors)
    .bind(new.summary.warnings)
    .bind(now)
    .bind(by.user_id)
    .bind(&new.summary.light)
    .bind(&new.summary.rate)
    .bind(&new.summary.codes)
    .bind(&new.summary.total_basis)
    .fetch_one(&mut **tx)
    .await
    .map_err(StoreError::from_insert)?;
    insert_version(tx, id, 1, &new.data, now, by).await?;
    let detail =
        json!({"kind": new.kind, "name": new.name, "org_id": new.org_id, "year": new.year});
    log::append(tx, now, by, "form", id, "create", &detail).await?;
    Ok(id)
}

async fn insert_version(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    id: i64,
    version: i64,
    data: &str,
    at: i64,
    by: &Author,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO form_versions (form_id, version, data, at, user_id) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(id)
    .bind(version)
    .bind(data)
    .bind(at)
    .bind(by.user_id)
    .execute(&mut **tx)
    .await?;
    Ok(())
}
