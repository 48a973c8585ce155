//! 支付数据: the payment system's exports the finance bureau uploads, the rows matched to
//! projects' monitoring forms, and the rows that matched none (kept with their upload). An
//! upload is one transaction, logged in the hash chain.

use serde::Serialize;
use serde_json::json;

use crate::log::{self, Author};
use crate::{Store, StoreError};

/// An upload as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct PaymentUploadRow {
    /// Id.
    pub id: i64,
    /// The organisation that uploaded it (a finance bureau).
    pub org_id: i64,
    /// The budget year.
    pub year: i64,
    /// The file's name.
    pub file_name: String,
    /// Payment rows read (matched or not).
    pub rows_read: i64,
    /// The rows that matched no project or could not be read (JSON list).
    pub problems: String,
    /// Who uploaded it.
    pub created_by: String,
    /// When (Unix ms).
    pub created_at: i64,
}

/// A payment matched to a form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct PaymentRow {
    /// Id.
    pub id: i64,
    /// The upload it came with.
    pub upload_id: i64,
    /// The monitoring form.
    pub form_id: i64,
    /// The month (1–12).
    pub month: i64,
    /// The amount in 万元 (exact decimal text).
    pub amount: String,
    /// The sheet it was on.
    pub sheet: String,
    /// Its row in the file (1-based).
    pub line: i64,
}

/// A payment to keep.
#[derive(Debug, Clone)]
pub struct NewPayment {
    /// The monitoring form it matched.
    pub form_id: i64,
    /// The month.
    pub month: i64,
    /// The amount in 万元 (exact decimal text).
    pub amount: String,
    /// The sheet.
    pub sheet: String,
    /// The row.
    pub line: i64,
}

/// An upload to keep.
#[derive(Debug, Clone)]
pub struct NewPaymentUpload<'a> {
    /// The uploading organisation.
    pub org_id: i64,
    /// The budget year.
    pub year: i64,
    /// The file's name.
    pub file_name: &'a str,
    /// Rows read.
    pub rows_read: i64,
    /// The problems (JSON list).
    pub problems: &'a str,
}

const UPLOAD: &str = "id, org_id, year, file_name, rows_read, problems, created_by, created_at";
const PAYMENT: &str = "id, upload_id, form_id, month, amount, sheet, line";

impl Store {
    /// Keeps an upload and its matched payments in one transaction; returns the upload's id.
    pub async fn record_payments(
        &self,
        upload: &NewPaymentUpload<'_>,
        payments: &[NewPayment],
        by: &Author,
    ) -> Result<i64, StoreError> {
        StoreError::json("未匹配的支付数据", upload.problems)?;
        let now = self.clock.now_ms();
        let mut tx = self.pool.begin().await?;
        log::lock(&mut tx).await?;
        let (id,): (i64,) = sqlx::query_as(
            "INSERT INTO payment_uploads (org_id, year, file_name, rows_read, problems, \
             created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
        )
        .bind(upload.org_id)
        .bind(upload.year)
        .bind(upload.file_name)
        .bind(upload.rows_read)
        .bind(upload.problems)
        .bind(&by.username)
        .bind(now)
        .fetch_one(&mut *tx)
        .await?;
        for p in payments {
            sqlx::query(
                "INSERT INTO payments (upload_id, form_id, month, amount, sheet, line) \
                 VALUES ($1, $2, $3, $4, $5, $6)",
            )
            .bind(id)
            .bind(p.form_id)
            .bind(p.month)
            .bind(&p.amount)
            .bind(&p.sheet)
            .bind(p.line)
            .execute(&mut *tx)
            .await?;
        }
        let mut forms: Vec<i64> = payments.iter().map(|p| p.form_id).collect();
        forms.sort_unstable();
        forms.dedup();
        let detail = json!({
            "year": upload.year,
            "file": upload.file_name,
            "rows": upload.rows_read,
            "matched": payments.len(),
            "forms": forms,
        });
        log::append(&mut tx, now, by, "payment_upload", id, "upload", &detail).await?;
        tx.commit().await?;
        Ok(id)
    }

    /// The uploads of some organisations, newest first.
    pub async fn payment_uploads(
        &self,
        org_ids: &[i64],
    ) -> Result<Vec<PaymentUploadRow>, StoreError> {
        if org_ids.is_empty() {
            return Ok(Vec::new());
        }
        // Ids are integers: formatting them cannot inject anything.
        let list: Vec<String> = org_ids.iter().map(i64::to_string).collect();
        Ok(sqlx::query_as(&format!(
            "SELECT {UPLOAD} FROM payment_uploads WHERE org_id IN ({}) ORDER BY id DESC",
            list.join(", ")
        ))
        .fetch_all(&self.pool)
        .await?)
    }

    /// One upload.
    pub async fn payment_upload(&self, id: i64) -> Result<PaymentUploadRow, StoreError> {
        sqlx::query_as(&format!(
            "SELECT {UPLOAD} FROM payment_uploads WHERE id = $1"
        ))
        .bind(id)
        .fetch_optional(&self.pool)
        .await?
        .ok_or_else(|| StoreError::NotFound(format!("支付数据上传记录 {id}")))
    }

    /// The payments an upload matched, in file order.
    pub async fn payments_of_upload(&self, id: i64) -> Result<Vec<PaymentRow>, StoreError> {
        Ok(sqlx::query_as(&format!(
            "SELECT {PAYMENT} FROM payments WHERE upload_id = $1 ORDER BY id"
        ))
        .bind(id)
        .fetch_all(&self.pool)
        .await?)
    }

    /// The payments matched to a form, by month and upload.
    pub async fn payments_of_form(&self, form_id: i64) -> Result<Vec<PaymentRow>, StoreError> {
        Ok(sqlx::query_as(&format!(
            "SELECT {PAYMENT} FROM payments WHERE form_id = $1 ORDER BY month, upload_id, id"
        ))
        .bind(form_id)
        .fetch_all(&self.pool)
        .await?)
    }
}
