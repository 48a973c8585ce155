//! 抽评: the bureau's spot checks — how each sample was drawn (share, seed, strata, or by
//! hand), the forms drawn with the unit's total at the time, and the reviewer's scores of each,
//! with every change logged in the hash chain.

use serde::Serialize;
use serde_json::json;

use crate::log::{self, Author};
use crate::{Store, StoreError};

/// A spot check as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct SpotCheckRow {
    /// Id.
    pub id: i64,
    /// The fiscal year of the self-evaluations.
    pub year: i64,
    /// The share drawn, in percent (decimal text).
    pub percent: String,
    /// The seed of the draw.
    pub seed: i64,
    /// 1 when drawn within each 主管部门.
    pub stratified: i64,
    /// 1 when the forms were chosen by hand.
    pub by_hand: i64,
    /// Who drew it.
    pub created_by: String,
    /// When (Unix ms).
    pub created_at: i64,
}

/// One sampled form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct SpotItemRow {
    /// Id.
    pub id: i64,
    /// The spot check.
    pub spot_check_id: i64,
    /// The self-evaluation.
    pub form_id: i64,
    /// Its unit.
    pub org_id: i64,
    /// The unit's total when drawn (decimal text).
    pub unit_total: Option<String>,
    /// The reviewer's scores (JSON), once reviewed.
    pub review: Option<String>,
    /// The reviewed total (decimal text).
    pub reviewed_total: Option<String>,
    /// Unit's total minus the reviewed one (decimal text).
    pub gap: Option<String>,
    /// Who reviewed it.
    pub reviewed_by: Option<String>,
    /// When (Unix ms).
    pub reviewed_at: Option<i64>,
}

const CHECK_COLUMNS: &str = "id, year, percent, seed, stratified, by_hand, created_by, created_at";
const ITEM_COLUMNS: &str = "id, spot_check_id, form_id, org_id, unit_total, review, reviewed_total, gap, reviewed_by, reviewed_at";

/// A new spot check: how it was drawn and what.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewSpotCheck<'a> {
    /// The year.
    pub year: i64,
    /// The share, in percent.
    pub percent: &'a str,
    /// The seed.
    pub seed: i64,
    /// Drawn within each 主管部门.
    pub stratified: bool,
    /// Chosen by hand.
    pub by_hand: bool,
    /// The forms drawn: (form, unit, the unit's total).
    pub items: &'a [(i64, i64, Option<String>)],
}

/// The reviewer's scores of one item.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ItemReview<'a> {
    /// The scores (JSON).
    pub review: &'a str,
    /// The reviewed total.
    pub total: &'a str,
    /// The gap, when the unit stated a total.
    pub gap: Option<&'a str>,
}

impl Store {
    /// Keeps a spot check and its items; returns its id.
    pub async fn create_spot_check(
        &self,
        c: &NewSpotCheck<'_>,
        by: &Author,
    ) -> Result<i64, StoreError> {
        let now = self.clock.now_ms();
        let mut tx = self.pool.begin().await?;
        log::lock(&mut tx).await?;
        let (id,): (i64,) = sqlx::query_as(
            "INSERT INTO spot_checks (year, percent, seed, stratified, by_hand, created_by, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
        )
        .bind(c.year)
        .bind(c.percent)
        .bind(c.seed)
        .bind(i64::from(c.stratified))
        .bind(i64::from(c.by_hand))
        .bind(&by.username)
        .bind(now)
        .fetch_one(&mut *tx)
        .await?;
        for (form_id, org_id, total) in c.items {
            sqlx::query(
                "INSERT INTO spot_check_items (spot_check_id, form_id, org_id, unit_total) \
                 VALUES ($1, $2, $3, $4)",
            )
            .bind(id)
            .bind(form_id)
            .bind(org_id)
            .bind(total.as_deref())
            .execute(&mut *tx)
            .await?;
        }
        let detail = json!({
            "year": c.year,
            "percent": c.percent,
            "seed": c.seed,
            "stratified": c.stratified,
            "by_hand": c.by_hand,
            "forms": c.items.iter().map(|i| i.0).collect::<Vec<_>>(),
        });
        log::append(&mut tx, now, by, "spot_check", id, "draw", &detail).await?;
        tx.commit().await?;
        Ok(id)
    }

    /// The spot checks, newest first.
    pub async fn spot_checks(&self) -> Result<Vec<SpotCheckRow>, StoreError> {
        let sql = format!("SELECT {CHECK_COLUMNS} FROM spot_checks ORDER BY id DESC");
        Ok(sqlx::query_as(&sql).fetch_all(&self.pool).await?)
    }

    /// One spot check.
    pub async fn spot_check(&self, id: i64) -> Result<SpotCheckRow, StoreError> {
        let sql = format!("SELECT {CHECK_COLUMNS} FROM spot_checks WHERE id = $1");
        sqlx::query_as(&sql)
            .bind(id)
            .fetch_optional(&self.pool)
            .await?
            .ok_or_else(|| StoreError::NotFound(format!("抽评 {id}")))
    }

    /// The items of a spot check, in the order drawn.
    pub async fn spot_items(&self, spot_check_id: i64) -> Result<Vec<SpotItemRow>, StoreError> {
        let sql = format!(
            "SELECT {ITEM_COLUMNS} FROM spot_check_items WHERE spot_check_id = $1 ORDER BY id"
        );
        Ok(sqlx::query_as(&sql)
            .bind(spot_check_id)
            .fetch_all(&self.pool)
            .await?)
    }

    /// One item.
    pub async fn spot_item(&self, id: i64) -> Result<SpotItemRow, StoreError> {
        let sql = format!("SELECT {ITEM_COLUMNS} FROM spot_check_items WHERE id = $1");
        sqlx::query_as(&sql)
            .bind(id)
            .fetch_optional(&self.pool)
            .await?
            .ok_or_else(|| StoreError::NotFound(format!("抽评表单 {id}")))
    }

    /// Keeps the reviewer's scores of an item.
    pub async fn review_spot_item(
        &self,
        id: i64,
        r: &ItemReview<'_>,
        by: &Author,
    ) -> Result<(), StoreError> {
        let review = StoreError::json("复核评分", r.review)?;
        let now = self.clock.now_ms();
        let mut tx = self.pool.begin().await?;
        log::lock(&mut tx).await?;
        let n = sqlx::query(
            "UPDATE spot_check_items SET review = $1, reviewed_total = $2, gap = $3, \
             reviewed_by = $4, reviewed_at = $5 WHERE id = $6",
        )
        .bind(r.review)
        .bind(r.total)
        .bind(r.gap)
        .bind(&by.username)
        .bind(now)
        .bind(id)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if n == 0 {
            return Err(StoreError::NotFound(format!("抽评表单 {id}")));
        }
        let detail = json!({"item": id, "review": review, "total": r.total, "gap": r.gap});
        log::append(&mut tx, now, by, "spot_check_item", id, "review", &detail).await?;
        tx.commit().await?;
        Ok(())
    }
}
