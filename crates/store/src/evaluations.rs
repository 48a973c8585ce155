//! The finance bureau's department evaluations (部门整体支出绩效评价): what was evaluated with
//! which rules and data, the evaluator's judgements, and the last computed total.

use serde::Serialize;
use serde_json::json;

use crate::log::{self, Author};
use crate::{Store, StoreError};

/// A stored evaluation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct EvaluationRow {
    /// Id.
    pub id: i64,
    /// The unit evaluated.
    pub org_id: i64,
    /// The year.
    pub year: i64,
    /// Where the rules came from (`内置：…` or the uploaded file's name).
    pub rule_source: String,
    /// The rule set (TOML), its fields bound to the base data.
    pub rules: String,
    /// How the fields were bound (JSON), when they were bound automatically.
    pub binding: Option<String>,
    /// The base-data table (JSON), when one was given.
    pub base_data: Option<String>,
    /// Scores the uploaded table states (JSON map), if any.
    pub stated: Option<String>,
    /// The evaluator's judgements (JSON map).
    pub judgements: String,
    /// The last computed total.
    pub total: Option<String>,
    /// Its grade (`暂定` while items are missing).
    pub grade: Option<String>,
    /// 1 when every indicator was computed.
    pub complete: i64,
    /// Created (Unix ms).
    pub created_at: i64,
    /// Last changed (Unix ms).
    pub updated_at: i64,
}

const COLUMNS: &str = "id, org_id, year, rule_source, rules, binding, base_data, stated, judgements, total, grade, complete, created_at, updated_at";

/// A new evaluation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewEvaluation<'a> {
    /// The unit.
    pub org_id: i64,
    /// The year.
    pub year: i64,
    /// Where the rules came from.
    pub rule_source: &'a str,
    /// The rule set (TOML).
    pub rules: &'a str,
    /// The binding (JSON).
    pub binding: Option<&'a str>,
    /// The base data (JSON).
    pub base_data: Option<&'a str>,
    /// Stated scores (JSON).
    pub stated: Option<&'a str>,
}

impl Store {
    /// Stores a new evaluation (no judgements yet).
    pub async fn create_evaluation(
        &self,
        new: &NewEvaluation<'_>,
        by: &Author,
    ) -> Result<i64, StoreError> {
        let mut tx = self.pool.begin().await?;
        log::lock(&mut tx).await?;
        let now = self.clock.now_ms();
        let (id,): (i64,) = sqlx::query_as(
            "INSERT INTO evaluations (org_id, year, rule_source, rules, binding, base_data, stated, judgements, created_at, updated_at, created_by)
             VALUES ($1, $2, $3, $4, $5, $6, $7, '{}', $8, $8, $9) RETURNING id",
        )
        .bind(new.org_id)
        .bind(new.year)
        .bind(new.rule_source)
        .bind(new.rules)
        .bind(new.binding)
        .bind(new.base_data)
        .bind(new.stated)
        .bind(now)
        .bind(by.user_id)
        .fetch_one(&mut *tx)
        .await?;
        let detail = json!({"org_id": new.org_id, "year": new.year, "rules": new.rule_source});
        log::append(
            &mut tx,
            self.clock.now_ms(),
            by,
            "evaluation",
            id,
            "create",
            &detail,
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// One evaluation.
    pub async fn evaluation(&self, id: i64) -> Result<EvaluationRow, StoreError> {
        sqlx::query_as(&format!("SELECT {COLUMNS} FROM evaluations WHERE id = $1"))
            .bind(id)
            .fetch_optional(&self.pool)
            .await?
            .ok_or_else(|| StoreError::NotFound(format!("评价 {id}")))
    }

    /// The evaluations of some units, newest first.
    pub async fn evaluations(&self, org_ids: &[i64]) -> Result<Vec<EvaluationRow>, StoreError> {
        if org_ids.is_empty() {
            return Ok(Vec::new());
        }
        // Ids are integers: formatting them cannot inject anything.
        let list: Vec<String> = org_ids.iter().map(i64::to_string).collect();
        Ok(sqlx::query_as(&format!(
            "SELECT {COLUMNS} FROM evaluations WHERE org_id IN ({}) ORDER BY id DESC",
            list.join(", ")
        ))
        .fetch_all(&self.pool)
        .await?)
    }

    /// Stores the judgements and the figures they give.
    pub async fn update_evaluation(
        &self,
        id: i64,
        judgements: &str,
        total: Option<&str>,
        grade: Option<&str>,
        complete: bool,
        by: &Author,
    ) -> Result<(), StoreError> {
        let detail = StoreError::json("评价判断", judgements)?;
        let mut tx = self.pool.begin().await?;
        log::lock(&mut tx).await?;
        sqlx::query(
            "UPDATE evaluations SET judgements = $1, total = $2, grade = $3, complete = $4, updated_at = $5 WHERE id = $6",
        )
        .bind(judgements)
        .bind(total)
        .bind(grade)
        .bind(i64::from(complete))
        .bind(self.clock.now_ms())
        .bind(id)
        .execute(&mut *tx)
        .await?;
        log::append(
            &mut tx,
            self.clock.now_ms(),
            by,
            "evaluation",
            id,
            "judge",
            &json!({"judgements": detail, "total": total}),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }
}
