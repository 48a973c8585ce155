//! The organisation tree read a subtree at a time: what a user may see lies within their own
//! organisation and below it, so a unit's filer never reads the region's thousands of units.

use crate::orgs::OrgRow;
use crate::{Store, StoreError};

impl Store {
    /// An organisation and every organisation below it (at most 16 levels), by id.
    pub async fn org_subtree(&self, root: i64) -> Result<Vec<OrgRow>, StoreError> {
        Ok(sqlx::query_as(
            "WITH RECURSIVE sub(id, depth) AS (
                 SELECT id, 0 FROM orgs WHERE id = $1
                 UNION ALL
                 SELECT o.id, sub.depth + 1 FROM orgs o JOIN sub ON o.parent_id = sub.id
                 WHERE sub.depth < 16
             )
             SELECT id, name, kind, parent_id, active FROM orgs WHERE id IN (SELECT id FROM sub) ORDER BY id",
        )
        .bind(root)
        .fetch_all(&self.pool)
        .await?)
    }

    /// How many organisations there are.
    pub async fn org_count(&self) -> Result<i64, StoreError> {
        let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM orgs")
            .fetch_one(&self.pool)
            .await?;
        Ok(n)
    }
}
