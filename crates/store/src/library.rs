//! The bureau's curation of the indicator library (指标库): one row per entry it decided on —
//! approved, retired, 固化 for a field, merged into another — and the units' proposals
//! (入库申请) waiting for it. The decision itself is JSON the core reads; the store keeps it,
//! who proposed it and why, and logs every change in the hash chain.

use serde::Serialize;
use serde_json::json;

use crate::log::{self, Author};
use crate::{Store, StoreError};

/// A curation as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct CurationRow {
    /// Id.
    pub id: i64,
    /// The library entry's key.
    pub entry_key: String,
    /// The decision (JSON of `jixiao_core::library::Curation`).
    pub data: String,
    /// The unit that proposed it, for a 入库申请.
    pub org_id: Option<i64>,
    /// The proposal's reason.
    pub reason: Option<String>,
    /// The bureau's last note on it.
    pub decision: Option<String>,
    /// Created (Unix ms).
    pub created_at: i64,
    /// Last changed (Unix ms).
    pub updated_at: i64,
}

const COLUMNS: &str = "id, entry_key, data, org_id, reason, decision, created_at, updated_at";

/// A curation to keep: a new one, or a new decision on an entry already curated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NewCuration<'a> {
    /// The entry's key.
    pub entry_key: &'a str,
    /// The decision (JSON).
    pub data: &'a str,
    /// The proposing unit (kept from the first row when updating).
    pub org_id: Option<i64>,
    /// The proposal's reason (kept from the first row when updating).
    pub reason: Option<&'a str>,
    /// The bureau's note.
    pub decision: Option<&'a str>,
    /// What happened, for the change log (`propose`, `approve`, `retire`, `fix`, `merge`).
    pub action: &'a str,
}

impl Store {
    /// Every curation, oldest first.
    pub async fn curations(&self) -> Result<Vec<CurationRow>, StoreError> {
        let sql = format!("SELECT {COLUMNS} FROM library_curations ORDER BY id");
        Ok(sqlx::query_as(&sql).fetch_all(&self.pool).await?)
    }

    /// The curation of one entry, if any.
    pub async fn curation(&self, entry_key: &str) -> Result<Option<CurationRow>, StoreError> {
        let sql = format!("SELECT {COLUMNS} FROM library_curations WHERE entry_key = $1");
        Ok(sqlx::query_as(&sql)
            .bind(entry_key)
            .fetch_optional(&self.pool)
            .await?)
    }

    /// Keeps a curation: inserted for a new entry key, else its decision replaced (the
    /// proposer and reason stay). Returns its id.
    pub async fn put_curation(&self, c: &NewCuration<'_>, by: &Author) -> Result<i64, StoreError> {
        let decision = StoreError::json("指标库决定", c.data)?;
        let now = self.clock.now_ms();
        let mut tx = self.pool.begin().await?;
        log::lock(&mut tx).await?;
        let existing: Option<(i64,)> =
            sqlx::query_as("SELECT id FROM library_curations WHERE entry_key = $1")
                .bind(c.entry_key)
                .fetch_optional(&mut *tx)
                .await?;
        let id = match existing {
            Some((id,)) => {
                sqlx::query(
                    "UPDATE library_curations SET data = $1, decision = $2, updated_at = $3, \
                     revision = revision + 1 WHERE id = $4",
                )
                .bind(c.data)
                .bind(c.decision)
                .bind(now)
                .bind(id)
                .execute(&mut *tx)
                .await?;
                id
            }
            None => {
                let (id,): (i64,) = sqlx::query_as(
                    "INSERT INTO library_curations \
                     (entry_key, data, org_id, reason, decision, revision, created_at, updated_at) \
                     VALUES ($1, $2, $3, $4, $5, 1, $6, $6) RETURNING id",
                )
                .bind(c.entry_key)
                .bind(c.data)
                .bind(c.org_id)
                .bind(c.reason)
                .bind(c.decision)
                .bind(now)
                .fetch_one(&mut *tx)
                .await?;
                id
            }
        };
        let detail = json!({
            "key": c.entry_key,
            "decision": decision,
            "note": c.decision,
            "reason": c.reason,
        });
        log::append(&mut tx, now, by, "library", id, c.action, &detail).await?;
        tx.commit().await?;
        Ok(id)
    }
}
