//! 绩效目标调整: a unit's requests to change a handed-over declaration's targets, and the
//! bureau's decisions, each logged in the hash chain.

use serde::Serialize;
use serde_json::json;

use crate::log::{self, Author};
use crate::{Store, StoreError};

/// A request as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct AdjustmentRow {
    /// Id.
    pub id: i64,
    /// The declaration.
    pub form_id: i64,
    /// Its unit.
    pub org_id: i64,
    /// The version it was asked against.
    pub based_on: i64,
    /// The declaration as it would read (form JSON).
    pub proposed: String,
    /// Why.
    pub reason: String,
    /// `pending`, `approved` or `refused`.
    pub status: String,
    /// Who asked.
    pub requested_by: String,
    /// When (Unix ms).
    pub requested_at: i64,
    /// Who decided.
    pub decided_by: Option<String>,
    /// The decision's reason.
    pub decision: Option<String>,
    /// When (Unix ms).
    pub decided_at: Option<i64>,
}

const COLUMNS: &str = "id, form_id, org_id, based_on, proposed, reason, status, requested_by, requested_at, decided_by, decision, decided_at";

impl Store {
    /// Keeps a request; returns its id.
    pub async fn request_adjustment(
        &self,
        form_id: i64,
        org_id: i64,
        based_on: i64,
        proposed: &str,
        reason: &str,
        by: &Author,
    ) -> Result<i64, StoreError> {
        StoreError::json("调整后的申报表", proposed)?;
        let now = self.clock.now_ms();
        let mut tx = self.pool.begin().await?;
        log::lock(&mut tx).await?;
        let (id,): (i64,) = sqlx::query_as(
            "INSERT INTO target_adjustments (form_id, org_id, based_on, proposed, reason, status, \
             requested_by, requested_at) VALUES ($1, $2, $3, $4, $5, 'pending', $6, $7) RETURNING id",
        )
        .bind(form_id)
        .bind(org_id)
        .bind(based_on)
        .bind(proposed)
        .bind(reason)
        .bind(&by.username)
        .bind(now)
        .fetch_one(&mut *tx)
        .await?;
        let detail = json!({"form": form_id, "based_on": based_on, "reason": reason});
        log::append(&mut tx, now, by, "adjustment", id, "request", &detail).await?;
        tx.commit().await?;
        Ok(id)
    }

    /// The requests of a declaration, oldest first.
    pub async fn adjustments_of(&self, form_id: i64) -> Result<Vec<AdjustmentRow>, StoreError> {
        let sql =
            format!("SELECT {COLUMNS} FROM target_adjustments WHERE form_id = $1 ORDER BY id");
        Ok(sqlx::query_as(&sql)
            .bind(form_id)
            .fetch_all(&self.pool)
            .await?)
    }

    /// One request.
    pub async fn adjustment(&self, id: i64) -> Result<AdjustmentRow, StoreError> {
        let sql = format!("SELECT {COLUMNS} FROM target_adjustments WHERE id = $1");
        sqlx::query_as(&sql)
            .bind(id)
            .fetch_optional(&self.pool)
            .await?
            .ok_or_else(|| StoreError::NotFound(format!("目标调整申请 {id}")))
    }

    /// Records the decision on a pending request (`approved` or `refused`); a request already
    /// decided is a conflict.
    pub async fn decide_adjustment(
        &self,
        id: i64,
        status: &str,
        decision: &str,
        by: &Author,
    ) -> Result<(), StoreError> {
        let now = self.clock.now_ms();
        let mut tx = self.pool.begin().await?;
        log::lock(&mut tx).await?;
        let n = sqlx::query(
            "UPDATE target_adjustments SET status = $1, decided_by = $2, decision = $3, \
             decided_at = $4 WHERE id = $5 AND status = 'pending'",
        )
        .bind(status)
        .bind(&by.username)
        .bind(decision)
        .bind(now)
        .bind(id)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if n == 0 {
            return Err(StoreError::NotFound(format!("待审核的目标调整申请 {id}")));
        }
        let detail = json!({"status": status, "decision": decision});
        log::append(&mut tx, now, by, "adjustment", id, status, &detail).await?;
        tx.commit().await?;
        Ok(())
    }
}
