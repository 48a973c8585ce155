//! 结果应用: fiscal-year settings and the rectifications (整改) the bureau requires, with their
//! deadlines and the units' answers. Every change is logged in the hash chain.

use serde::Serialize;
use serde_json::json;

use crate::log::{self, Author};
use crate::{Store, StoreError};

/// A rectification.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct RectificationRow {
    /// Id.
    pub id: i64,
    /// The form it concerns.
    pub form_id: i64,
    /// The unit that must act.
    pub org_id: i64,
    /// The year.
    pub year: i64,
    /// The audit check it comes from, if any.
    pub code: Option<String>,
    /// What must be fixed.
    pub description: String,
    /// By when (`2026-12-31`).
    pub deadline: String,
    /// `open`, `answered` or `closed`.
    pub status: String,
    /// The unit's answer.
    pub answer: Option<String>,
    /// When it answered (Unix ms).
    pub answered_at: Option<i64>,
    /// Created (Unix ms).
    pub created_at: i64,
}

const COLUMNS: &str = "id, form_id, org_id, year, code, description, deadline, status, answer, answered_at, created_at";

/// A new rectification.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewRectification<'a> {
    /// The form.
    pub form_id: i64,
    /// The unit.
    pub org_id: i64,
    /// The year.
    pub year: i64,
    /// The audit check, if any.
    pub code: Option<&'a str>,
    /// What must be fixed.
    pub description: &'a str,
    /// By when.
    pub deadline: &'a str,
}

impl Store {
    /// A year's settings (JSON), if set.
    pub async fn year_settings(&self, year: i64) -> Result<Option<String>, StoreError> {
        let row: Option<(Option<String>,)> =
            sqlx::query_as("SELECT settings FROM fiscal_years WHERE year = $1")
                .bind(year)
                .fetch_optional(&self.pool)
                .await?;
        Ok(row.and_then(|r| r.0))
    }

    /// Sets a year's settings (the year must exist).
    pub async fn set_year_settings(
        &self,
        year: i64,
        settings: &str,
        by: &Author,
    ) -> Result<(), StoreError> {
        let detail = StoreError::json("年度设置", settings)?;
        let mut tx = self.pool.begin().await?;
        log::lock(&mut tx).await?;
        let n = sqlx::query("UPDATE fiscal_years SET settings = $1 WHERE year = $2")
            .bind(settings)
            .bind(year)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        if n == 0 {
            return Err(StoreError::NotFound(format!("{year}年度")));
        }
        log::append(
            &mut tx,
            self.clock.now_ms(),
            by,
            "year",
            year,
            "settings",
            &detail,
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Requires a rectification.
    pub async fn create_rectification(
        &self,
        new: &NewRectification<'_>,
        by: &Author,
    ) -> Result<i64, StoreError> {
        let mut tx = self.pool.begin().await?;
        log::lock(&mut tx).await?;
        let (id,): (i64,) = sqlx::query_as(
            "INSERT INTO rectifications (form_id, org_id, year, code, description, deadline, status, created_at, created_by)
             VALUES ($1, $2, $3, $4, $5, $6, 'open', $7, $8) RETURNING id",
        )
        .bind(new.form_id)
        .bind(new.org_id)
        .bind(new.year)
        .bind(new.code)
        .bind(new.description)
        .bind(new.deadline)
        .bind(self.clock.now_ms())
        .bind(by.user_id)
        .fetch_one(&mut *tx)
        .await?;
        let detail = json!({"rectification": id, "code": new.code, "description": new.description, "deadline": new.deadline});
        log::append(
            &mut tx,
            self.clock.now_ms(),
            by,
            "form",
            new.form_id,
            "rectification",
            &detail,
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Rectifications of some units (and optionally one year or one form), oldest first.
    pub async fn rectifications(
        &self,
        org_ids: &[i64],
        year: Option<i64>,
        form_id: Option<i64>,
    ) -> Result<Vec<RectificationRow>, StoreError> {
        if org_ids.is_empty() {
            return Ok(Vec::new());
        }
        // Ids are integers: formatting them cannot inject anything.
        let list: Vec<String> = org_ids.iter().map(i64::to_string).collect();
        let mut sql = format!(
            "SELECT {COLUMNS} FROM rectifications WHERE org_id IN ({})",
            list.join(", ")
        );
        if let Some(y) = year {
            sql.push_str(&format!(" AND year = {y}"));
        }
        if let Some(f) = form_id {
            sql.push_str(&format!(" AND form_id = {f}"));
        }
        sql.push_str(" ORDER BY id");
        Ok(sqlx::query_as(&sql).fetch_all(&self.pool).await?)
    }

    /// One rectification.
    pub async fn rectification(&self, id: i64) -> Result<RectificationRow, StoreError> {
        sqlx::query_as(&format!(
            "SELECT {COLUMNS} FROM rectifications WHERE id = $1"
        ))
        .bind(id)
        .fetch_optional(&self.pool)
        .await?
        .ok_or_else(|| StoreError::NotFound(format!("整改事项 {id}")))
    }

    /// Moves a rectification from `from` to `to` with an answer (the unit) or without (the
    /// bureau closing it); refused as a conflict when it is no longer in `from`.
    pub async fn set_rectification(
        &self,
        id: i64,
        from: &str,
        to: &str,
        answer: Option<&str>,
        by: &Author,
    ) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await?;
        log::lock(&mut tx).await?;
        let now = self.clock.now_ms();
        let n = match answer {
            Some(a) => sqlx::query(
                "UPDATE rectifications SET status = $1, answer = $2, answered_at = $3, answered_by = $4
                 WHERE id = $5 AND status = $6",
            )
            .bind(to)
            .bind(a)
            .bind(now)
            .bind(by.user_id)
            .bind(id)
            .bind(from),
            None => sqlx::query("UPDATE rectifications SET status = $1 WHERE id = $2 AND status = $3")
                .bind(to)
                .bind(id)
                .bind(from),
        }
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if n == 0 {
            return Err(StoreError::Conflict {
                based_on: 0,
                current: 0,
            });
        }
        let (form_id,): (i64,) = sqlx::query_as("SELECT form_id FROM rectifications WHERE id = $1")
            .bind(id)
            .fetch_one(&mut *tx)
            .await?;
        let detail = json!({"rectification": id, "from": from, "to": to, "answer": answer});
        log::append(
            &mut tx,
            self.clock.now_ms(),
            by,
            "form",
            form_id,
            "rectification_status",
            &detail,
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }
}
