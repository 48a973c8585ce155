//! Region audits kept as runs: who audited which archive when, each file with the unit it was
//! assigned to (or why it holds no form or could not be assigned), and every finding as a row
//! the bureau filters by unit, severity, check and text.

use serde::Serialize;
use serde_json::json;

use crate::log::{self, Author};
use crate::{Store, StoreError};

/// A stored run, with the name of who ran it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct RegionRunRow {
    /// Id.
    pub id: i64,
    /// The organisation that ran it (the finance bureau).
    pub org_id: i64,
    /// The year audited.
    pub year: i64,
    /// The uploaded archive's name (or the files', joined).
    pub archive: String,
    /// Files read.
    pub files: i64,
    /// Units whose forms were found.
    pub units: i64,
    /// Findings over every form.
    pub findings: i64,
    /// When (Unix ms).
    pub created_at: i64,
    /// Who ran it: their display name (empty for the system).
    pub created_by_name: String,
}

const RUN_COLUMNS: &str = "r.id, r.org_id, r.year, r.archive, r.files, r.units, r.findings, \
     r.created_at, COALESCE(u.display_name, '') AS created_by_name \
     FROM region_runs r LEFT JOIN users u ON u.id = r.created_by";

/// One file of a run, with one unit its forms name; or a file that holds no form, could not be
/// read or was skipped, with why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct RunFileRow {
    /// The file inside the archive.
    pub file: String,
    /// The unit as its forms (or its folder) name it.
    pub unit: Option<String>,
    /// The unit of the system it was assigned to.
    pub org_id: Option<i64>,
    /// `forms`, `unassigned`, `empty`, `unreadable` or `skipped`.
    pub status: String,
    /// Why, for every status but `forms`.
    pub reason: Option<String>,
    /// Forms recognized (for this unit).
    pub forms: i64,
    /// Errors over those forms.
    pub errors: i64,
    /// Warnings over those forms.
    pub warnings: i64,
}

/// One finding of a run.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct RunFindingRow {
    /// The file it was found in.
    pub file: String,
    /// The form (`项目支出绩效自评表：日常运转经费`).
    pub form: String,
    /// The unit as the form names it.
    pub unit: String,
    /// The unit of the system it was assigned to.
    pub org_id: Option<i64>,
    /// The same form in the system, when the unit has filed it there.
    pub form_id: Option<i64>,
    /// The check's code.
    pub code: String,
    /// The severity's name (错误, 警告, 提示, 无法核对).
    pub severity: String,
    /// What is wrong.
    pub message: String,
    /// Where.
    pub location: String,
}

/// A run to store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewRegionRun {
    /// The organisation running it.
    pub org_id: i64,
    /// The year audited.
    pub year: i64,
    /// The archive's name.
    pub archive: String,
    /// Files read.
    pub files: i64,
    /// Units found.
    pub units: i64,
    /// Its files.
    pub file_rows: Vec<RunFileRow>,
    /// Its findings.
    pub findings: Vec<RunFindingRow>,
}

/// Which findings of a run to read; every field narrows, `None` does not.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RunFindingFilter {
    /// The unit as the forms name it.
    pub unit: Option<String>,
    /// The severity's name.
    pub severity: Option<String>,
    /// The check's code.
    pub code: Option<String>,
    /// Text in the message, the form, the file or the location.
    pub text: Option<String>,
}

/// `text` as a LIKE pattern matching it anywhere, its own `%`, `_` and `\` taken literally.
fn contains_pattern(text: &str) -> String {
    let mut out = String::from("%");
    for c in text.chars() {
        if matches!(c, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out.push('%');
    out
}

impl Store {
    /// Stores a run with its files and findings, in one transaction (logged).
    pub async fn create_region_run(
        &self,
        new: &NewRegionRun,
        by: &Author,
    ) -> Result<i64, StoreError> {
        let mut tx = self.pool.begin().await?;
        log::lock(&mut tx).await?;
        let now = self.clock.now_ms();
        let (id,): (i64,) = sqlx::query_as(
            "INSERT INTO region_runs (org_id, year, archive, files, units, findings, created_at, created_by)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
        )
        .bind(new.org_id)
        .bind(new.year)
        .bind(&new.archive)
        .bind(new.files)
        .bind(new.units)
        .bind(i64::try_from(new.findings.len()).unwrap_or(i64::MAX))
        .bind(now)
        .bind(by.user_id)
        .fetch_one(&mut *tx)
        .await?;
        for (seq, f) in (1_i64..).zip(&new.file_rows) {
            sqlx::query(
                "INSERT INTO region_run_files (run_id, seq, file, unit, org_id, status, reason, forms, errors, warnings)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
            )
            .bind(id)
            .bind(seq)
            .bind(&f.file)
            .bind(&f.unit)
            .bind(f.org_id)
            .bind(&f.status)
            .bind(&f.reason)
            .bind(f.forms)
            .bind(f.errors)
            .bind(f.warnings)
            .execute(&mut *tx)
            .await?;
        }
        for (seq, f) in (1_i64..).zip(&new.findings) {
            sqlx::query(
                "INSERT INTO region_run_findings (run_id, seq, file, form, unit, org_id, form_id, code, severity, message, location)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
            )
            .bind(id)
            .bind(seq)
            .bind(&f.file)
            .bind(&f.form)
            .bind(&f.unit)
            .bind(f.org_id)
            .bind(f.form_id)
            .bind(&f.code)
            .bind(&f.severity)
            .bind(&f.message)
            .bind(&f.location)
            .execute(&mut *tx)
            .await?;
        }
        let detail = json!({
            "archive": new.archive,
            "year": new.year,
            "files": new.files,
            "units": new.units,
            "findings": new.findings.len(),
        });
        log::append(&mut tx, now, by, "region_run", id, "create", &detail).await?;
        tx.commit().await?;
        Ok(id)
    }

    /// One run.
    pub async fn region_run(&self, id: i64) -> Result<RegionRunRow, StoreError> {
        sqlx::query_as(&format!("SELECT {RUN_COLUMNS} WHERE r.id = $1"))
            .bind(id)
            .fetch_optional(&self.pool)
            .await?
            .ok_or_else(|| StoreError::NotFound(format!("审核记录 {id}")))
    }

    /// The runs of some organisations, newest first.
    pub async fn region_runs(&self, org_ids: &[i64]) -> Result<Vec<RegionRunRow>, StoreError> {
        if org_ids.is_empty() {
            return Ok(Vec::new());
        }
        // Ids are integers: formatting them cannot inject anything.
        let list: Vec<String> = org_ids.iter().map(i64::to_string).collect();
        Ok(sqlx::query_as(&format!(
            "SELECT {RUN_COLUMNS} WHERE r.org_id IN ({}) ORDER BY r.created_at DESC, r.id DESC",
            list.join(", ")
        ))
        .fetch_all(&self.pool)
        .await?)
    }

    /// A run's files, in the order stored.
    pub async fn region_run_files(&self, id: i64) -> Result<Vec<RunFileRow>, StoreError> {
        Ok(sqlx::query_as(
            "SELECT file, unit, org_id, status, reason, forms, errors, warnings
             FROM region_run_files WHERE run_id = $1 ORDER BY seq",
        )
        .bind(id)
        .fetch_all(&self.pool)
        .await?)
    }

    /// A run's findings that pass `filter`, in the order stored.
    pub async fn region_run_findings(
        &self,
        id: i64,
        filter: &RunFindingFilter,
    ) -> Result<Vec<RunFindingRow>, StoreError> {
        let mut sql = String::from(
            "SELECT file, form, unit, org_id, form_id, code, severity, message, location
             FROM region_run_findings WHERE run_id = $1",
        );
        let mut binds: Vec<String> = Vec::new();
        let mut equal = |column: &str, value: &Option<String>, sql: &mut String| {
            if let Some(v) = value {
                binds.push(v.clone());
                sql.push_str(&format!(" AND {column} = ${}", binds.len() + 1));
            }
        };
        equal("unit", &filter.unit, &mut sql);
        equal("severity", &filter.severity, &mut sql);
        equal("code", &filter.code, &mut sql);
        if let Some(text) = &filter.text {
            binds.push(contains_pattern(text));
            let n = binds.len() + 1;
            sql.push_str(&format!(
                " AND (message LIKE ${n} ESCAPE '\\' OR form LIKE ${n} ESCAPE '\\' \
                 OR file LIKE ${n} ESCAPE '\\' OR location LIKE ${n} ESCAPE '\\')"
            ));
        }
        sql.push_str(" ORDER BY seq");
        let mut query = sqlx::query_as(&sql).bind(id);
        for b in binds {
            query = query.bind(b);
        }
        Ok(query.fetch_all(&self.pool).await?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn like_patterns_take_wildcards_literally() {
        assert_eq!(contains_pattern("执行率"), "%执行率%");
        assert_eq!(contains_pattern("100%_\\"), "%100\\%\\_\\\\%");
    }
}
