//! The change log: append-only and hash-chained.
//!
//! Each entry's hash is SHA-256 over the previous entry's hash and the entry's own fields, so
//! editing, deleting or reordering any row breaks the chain from that row on; [`Store::verify_log`]
//! names the first entry that does not hold. Deleting the newest entries, which no later entry
//! points back to, shows in the count of appends kept in `log_head`. Appends happen inside the
//! transaction of the change they record, after `log_head` is bumped, which serialises every
//! appender on both backends.

use serde::Serialize;
use sha2::{Digest, Sha256};
use sqlx::{Any, Transaction};

use crate::{Store, StoreError};

/// Who made a change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Author {
    /// The user's id (none for the system, e.g. the demo loader).
    pub user_id: Option<i64>,
    /// The user name, kept in the entry so it reads without a join.
    pub username: String,
}

impl Author {
    /// The system itself (set-up, demo data).
    pub fn system() -> Author {
        Author {
            user_id: None,
            username: "系统".to_string(),
        }
    }
}

/// One entry of the log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct Entry {
    /// Position in the log.
    pub id: i64,
    /// When (Unix ms).
    pub at: i64,
    /// Who (user id).
    pub user_id: Option<i64>,
    /// Who (user name).
    pub username: String,
    /// What kind of thing changed (`form`, `user`, `year` …).
    pub entity: String,
    /// Its id.
    pub entity_id: i64,
    /// What was done (`create`, `save`, `submit` …).
    pub action: String,
    /// What changed, as JSON (e.g. `[{"path": …, "old": …, "new": …}]`).
    pub detail: String,
    /// The previous entry's hash.
    pub prev_hash: String,
    /// This entry's hash.
    pub hash: String,
}

/// The hash of the entry before the first.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// The chain hash of an entry's fields after `prev_hash`.
#[allow(clippy::too_many_arguments)]
fn chain_hash(
    prev_hash: &str,
    at: i64,
    user_id: Option<i64>,
    username: &str,
    entity: &str,
    entity_id: i64,
    action: &str,
    detail: &str,
) -> String {
    let mut h = Sha256::new();
    for part in [
        prev_hash,
        &at.to_string(),
        &user_id.map(|u| u.to_string()).unwrap_or_default(),
        username,
        entity,
        &entity_id.to_string(),
        action,
        detail,
    ] {
        h.update((part.len() as u64).to_be_bytes());
        h.update(part.as_bytes());
    }
    h.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

/// Takes the log's write lock for this transaction: the first statement of every write. (An
/// update of the one `log_head` row, even to the same value, locks that row on PostgreSQL and
/// the database on SQLite until the transaction ends.)
pub(crate) async fn lock(tx: &mut Transaction<'_, Any>) -> Result<(), StoreError> {
    sqlx::query("UPDATE log_head SET entries = entries WHERE id = 1")
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Appends an entry (call [`lock`] first, in the same transaction).
pub(crate) async fn append(
    tx: &mut Transaction<'_, Any>,
    at: i64,
    by: &Author,
    entity: &str,
    entity_id: i64,
    action: &str,
    detail: &serde_json::Value,
) -> Result<(), StoreError> {
    let prev: Option<(String,)> =
        sqlx::query_as("SELECT hash FROM change_log ORDER BY id DESC LIMIT 1")
            .fetch_optional(&mut **tx)
            .await?;
    let prev_hash = prev.map(|p| p.0).unwrap_or_else(|| GENESIS.to_string());
    let detail = detail.to_string();
    let hash = chain_hash(
        &prev_hash,
        at,
        by.user_id,
        &by.username,
        entity,
        entity_id,
        action,
        &detail,
    );
    sqlx::query(
        "INSERT INTO change_log (at, user_id, username, entity, entity_id, action, detail, prev_hash, hash)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(at)
    .bind(by.user_id)
    .bind(&by.username)
    .bind(entity)
    .bind(entity_id)
    .bind(action)
    .bind(&detail)
    .bind(&prev_hash)
    .bind(&hash)
    .execute(&mut **tx)
    .await?;
    // Counted per entry: a transaction may append several (an upload of several forms).
    sqlx::query("UPDATE log_head SET entries = entries + 1 WHERE id = 1")
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// The outcome of checking the chain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verification {
    /// Every entry holds.
    Intact {
        /// How many entries were checked.
        entries: usize,
    },
    /// The first entry that does not hold, and why.
    Broken {
        /// Its id.
        id: i64,
        /// Entries before it that hold.
        intact: usize,
        /// What does not hold.
        reason: String,
    },
}

impl Store {
    /// How many change-log entries were ever written: every change appends at least one in its
    /// own transaction, so an unchanged count means unchanged data.
    pub async fn change_count(&self) -> Result<i64, StoreError> {
        let (n,): (i64,) = sqlx::query_as("SELECT entries FROM log_head WHERE id = 1")
            .fetch_one(&self.pool)
            .await?;
        Ok(n)
    }

    /// Checks the whole chain, in order; names the first broken entry.
    pub async fn verify_log(&self) -> Result<Verification, StoreError> {
        // Read the count first: entries appended meanwhile can only make the log longer.
        let (recorded,): (i64,) = sqlx::query_as("SELECT entries FROM log_head WHERE id = 1")
            .fetch_one(&self.pool)
            .await?;
        let entries: Vec<Entry> = sqlx::query_as(
            "SELECT id, at, user_id, username, entity, entity_id, action, detail, prev_hash, hash
             FROM change_log ORDER BY id",
        )
        .fetch_all(&self.pool)
        .await?;
        let mut prev = GENESIS.to_string();
        for (k, e) in entries.iter().enumerate() {
            if e.prev_hash != prev {
                return Ok(Verification::Broken {
                    id: e.id,
                    intact: k,
                    reason: "前一条记录的哈希不符（记录被删除、插入或前一条被改动）".to_string(),
                });
            }
            let hash = chain_hash(
                &e.prev_hash,
                e.at,
                e.user_id,
                &e.username,
                &e.entity,
                e.entity_id,
                &e.action,
                &e.detail,
            );
            if hash != e.hash {
                return Ok(Verification::Broken {
                    id: e.id,
                    intact: k,
                    reason: "记录内容与其哈希不符（记录被改动）".to_string(),
                });
            }
            prev = e.hash.clone();
        }
        // No later entry points back to the newest ones: their deletion shows in the count.
        let present = i64::try_from(entries.len()).unwrap_or(i64::MAX);
        if present < recorded {
            return Ok(Verification::Broken {
                id: entries.last().map_or(1, |e| e.id + 1),
                intact: entries.len(),
                reason: format!("日志末尾的记录被删除（应有{recorded}条，现有{present}条）"),
            });
        }
        Ok(Verification::Intact {
            entries: entries.len(),
        })
    }

    /// The log entries about one thing, oldest first.
    pub async fn log_of(&self, entity: &str, entity_id: i64) -> Result<Vec<Entry>, StoreError> {
        Ok(sqlx::query_as(
            "SELECT id, at, user_id, username, entity, entity_id, action, detail, prev_hash, hash
             FROM change_log WHERE entity = $1 AND entity_id = $2 ORDER BY id",
        )
        .bind(entity)
        .bind(entity_id)
        .fetch_all(&self.pool)
        .await?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hash_depends_on_every_field() {
        let base = chain_hash(GENESIS, 1, Some(2), "u", "form", 3, "save", "{}");
        assert_eq!(base.len(), 64);
        assert_ne!(
            base,
            chain_hash(GENESIS, 1, Some(2), "u", "form", 3, "save", "{ }")
        );
        assert_ne!(
            base,
            chain_hash(GENESIS, 1, None, "u", "form", 3, "save", "{}")
        );
        assert_ne!(
            base,
            chain_hash(GENESIS, 1, Some(2), "u", "form", 4, "save", "{}")
        );
        // Field boundaries count: moving a character between fields changes the hash.
        assert_ne!(
            chain_hash(GENESIS, 1, Some(2), "ab", "c", 3, "x", ""),
            chain_hash(GENESIS, 1, Some(2), "a", "bc", 3, "x", "")
        );
    }
}
