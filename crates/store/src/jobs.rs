//! Background jobs: work too slow for a request (an import read by OCR takes seconds a page),
//! queued in the database so that any instance sharing it may run them.
//!
//! A job is `queued` when enqueued; a worker claims it ([`Store::claim_job`]) and it is
//! `running` under a lease (`claimed_by`, `lease_until`) that every progress report renews
//! ([`Store::job_progress`]); it ends `done` with a result ([`Store::finish_job`]) or `failed`
//! with a message ([`Store::fail_job`]). A running job whose lease ran out (its instance died)
//! is claimed again, at most [`MAX_ATTEMPTS`] times in all. The claim is one statement: on
//! PostgreSQL its subquery takes the row `FOR UPDATE SKIP LOCKED`, so concurrent claimers pass
//! over each other's rows; SQLite runs one writer at a time, so the statement is atomic there.
//! Jobs are not written to the change log: what a job files is, by the use case it runs.

use serde::Serialize;

use crate::db::Backend;
use crate::{Store, StoreError};

/// Claims of one job at most: a file that kills its instance every time is failed after this
/// many, instead of taking every instance down in turn.
pub const MAX_ATTEMPTS: i64 = 3;

/// A job as stored (without the uploaded bytes).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct JobRow {
    /// Id.
    pub id: i64,
    /// What it does (`import`).
    pub kind: String,
    /// `queued`, `running`, `done` or `failed`.
    pub state: String,
    /// The user who enqueued it, the only one who sees it.
    pub owner_id: i64,
    /// Their organisation when they enqueued it.
    pub org_id: i64,
    /// The uploaded file's name.
    pub file_name: String,
    /// Parameters as JSON (the year, the user's answers).
    pub params: String,
    /// Steps (pages) done.
    pub progress_done: i64,
    /// Steps (pages) in all; 0 while unknown.
    pub progress_total: i64,
    /// What it is doing, in words (`正在识别第3页`).
    pub message: String,
    /// What it produced (JSON), once done.
    pub result: Option<String>,
    /// Why it failed, once failed.
    pub error: Option<String>,
    /// How many times it was claimed.
    pub attempts: i64,
    /// The worker holding it.
    pub claimed_by: Option<String>,
    /// Until when the worker's claim holds (Unix ms).
    pub lease_until: Option<i64>,
    /// When it was enqueued (Unix ms).
    pub created_at: i64,
    /// When it was first claimed.
    pub started_at: Option<i64>,
    /// When it ended.
    pub finished_at: Option<i64>,
}

/// A claimed job with its uploaded bytes.
#[derive(Debug, Clone)]
pub struct ClaimedJob {
    /// The job.
    pub row: JobRow,
    /// The uploaded file.
    pub bytes: Vec<u8>,
}

/// A job to enqueue.
#[derive(Debug, Clone, Copy)]
pub struct NewJob<'a> {
    /// What it does (`import`).
    pub kind: &'a str,
    /// Who enqueues it.
    pub owner_id: i64,
    /// Their organisation.
    pub org_id: i64,
    /// The uploaded file's name.
    pub file_name: &'a str,
    /// The uploaded file.
    pub bytes: &'a [u8],
    /// Parameters as JSON.
    pub params: &'a str,
}

const COLUMNS: &str = "id, kind, state, owner_id, org_id, file_name, params, progress_done, \
     progress_total, message, result, error, attempts, claimed_by, lease_until, created_at, \
     started_at, finished_at";

/// The jobs a claim may take at `$1` (now): queued ones, and running ones whose lease ran out
/// and that may be tried again.
const CLAIMABLE: &str =
    "(state = 'queued' OR (state = 'running' AND lease_until < $1 AND attempts < $2))";

impl Store {
    /// Enqueues a job → its id.
    pub async fn enqueue_job(&self, new: &NewJob<'_>) -> Result<i64, StoreError> {
        StoreError::json("任务参数", new.params)?;
        let (id,): (i64,) = sqlx::query_as(
            "INSERT INTO jobs (kind, state, owner_id, org_id, file_name, bytes, params,
                 progress_done, progress_total, message, attempts, created_at)
             VALUES ($1, 'queued', $2, $3, $4, $5, $6, 0, 0, '排队等待处理', 0, $7) RETURNING id",
        )
        .bind(new.kind)
        .bind(new.owner_id)
        .bind(new.org_id)
        .bind(new.file_name)
        .bind(new.bytes)
        .bind(new.params)
        .bind(self.clock.now_ms())
        .fetch_one(&self.pool)
        .await?;
        Ok(id)
    }

    /// Claims the oldest claimable job for `worker` for `lease_ms`, or `None` when there is
    /// none. Never gives one job to two claimers whose leases both hold. Running jobs whose
    /// lease ran out after [`MAX_ATTEMPTS`] claims are failed first.
    pub async fn claim_job(
        &self,
        worker: &str,
        lease_ms: i64,
    ) -> Result<Option<ClaimedJob>, StoreError> {
        let now = self.clock.now_ms();
        sqlx::query(
            "UPDATE jobs SET state = 'failed', bytes = $3, claimed_by = NULL, lease_until = NULL,
                 finished_at = $1,
                 error = '处理多次中断（服务器重启或文件导致处理程序退出），未能完成，请检查文件后重新上传'
             WHERE state = 'running' AND lease_until < $1 AND attempts >= $2",
        )
        .bind(now)
        .bind(MAX_ATTEMPTS)
        .bind(Vec::<u8>::new())
        .execute(&self.pool)
        .await?;
        let lock = match self.backend() {
            Backend::Postgres => " FOR UPDATE SKIP LOCKED",
            Backend::Sqlite => "",
        };
        let sql = format!(
            "UPDATE jobs SET state = 'running', claimed_by = $3, lease_until = $4,
                 started_at = COALESCE(started_at, $1), attempts = attempts + 1,
                 message = '正在处理'
             WHERE id = (SELECT id FROM jobs WHERE {CLAIMABLE} ORDER BY id LIMIT 1{lock})
               AND {CLAIMABLE}
             RETURNING {COLUMNS}, bytes"
        );
        let row = sqlx::query(&sql)
            .bind(now)
            .bind(MAX_ATTEMPTS)
            .bind(worker)
            .bind(now.saturating_add(lease_ms))
            .fetch_optional(&self.pool)
            .await?;
        let Some(row) = row else {
            return Ok(None);
        };
        use sqlx::{FromRow, Row};
        Ok(Some(ClaimedJob {
            row: JobRow::from_row(&row)?,
            bytes: row.try_get("bytes")?,
        }))
    }

    /// Reports progress on a job `worker` holds and renews its lease for `lease_ms` → false when
    /// the worker no longer holds it (its lease ran out and another took it, or it ended).
    pub async fn job_progress(
        &self,
        id: i64,
        worker: &str,
        (done, total): (i64, i64),
        message: &str,
        lease_ms: i64,
    ) -> Result<bool, StoreError> {
        let r = sqlx::query(
            "UPDATE jobs SET progress_done = $3, progress_total = $4, message = $5, lease_until = $6
             WHERE id = $1 AND claimed_by = $2 AND state = 'running'",
        )
        .bind(id)
        .bind(worker)
        .bind(done)
        .bind(total)
        .bind(message)
        .bind(self.clock.now_ms().saturating_add(lease_ms))
        .execute(&self.pool)
        .await?;
        Ok(r.rows_affected() == 1)
    }

    /// Ends a job `worker` holds as done with `result` (JSON); the upload is let go → false
    /// when the worker no longer holds it.
    pub async fn finish_job(
        &self,
        id: i64,
        worker: &str,
        result: &str,
        message: &str,
    ) -> Result<bool, StoreError> {
        StoreError::json("任务结果", result)?;
        self.end_job(id, worker, "done", Some(result), None, message)
            .await
    }

    /// Ends a job `worker` holds as failed with `error` (in Chinese) → false when the worker
    /// no longer holds it.
    pub async fn fail_job(&self, id: i64, worker: &str, error: &str) -> Result<bool, StoreError> {
        self.end_job(id, worker, "failed", None, Some(error), "处理失败")
            .await
    }

    /// Replaces a done job's result (its question answered: what was filed then).
    pub async fn set_job_result(
        &self,
        id: i64,
        result: &str,
        message: &str,
    ) -> Result<(), StoreError> {
        StoreError::json("任务结果", result)?;
        let r = sqlx::query(
            "UPDATE jobs SET result = $2, message = $3 WHERE id = $1 AND state = 'done'",
        )
        .bind(id)
        .bind(result)
        .bind(message)
        .execute(&self.pool)
        .await?;
        if r.rows_affected() == 1 {
            Ok(())
        } else {
            Err(StoreError::NotFound(format!("导入任务 {id}")))
        }
    }

    async fn end_job(
        &self,
        id: i64,
        worker: &str,
        state: &str,
        result: Option<&str>,
        error: Option<&str>,
        message: &str,
    ) -> Result<bool, StoreError> {
        let r = sqlx::query(
            "UPDATE jobs SET state = $3, result = $4, error = $5, message = $6, finished_at = $7,
                 bytes = $8, claimed_by = NULL, lease_until = NULL,
                 progress_done = CASE WHEN progress_total > 0 AND $3 = 'done'
                                      THEN progress_total ELSE progress_done END
             WHERE id = $1 AND claimed_by = $2 AND state = 'running'",
        )
        .bind(id)
        .bind(worker)
        .bind(state)
        .bind(result)
        .bind(error)
        .bind(message)
        .bind(self.clock.now_ms())
        .bind(Vec::<u8>::new())
        .execute(&self.pool)
        .await?;
        Ok(r.rows_affected() == 1)
    }

    /// One job.
    pub async fn job(&self, id: i64) -> Result<JobRow, StoreError> {
        sqlx::query_as(&format!("SELECT {COLUMNS} FROM jobs WHERE id = $1"))
            .bind(id)
            .fetch_optional(&self.pool)
            .await?
            .ok_or_else(|| StoreError::NotFound(format!("导入任务 {id}")))
    }

    /// A user's most recent jobs, newest first.
    pub async fn jobs_of(&self, owner_id: i64, limit: i64) -> Result<Vec<JobRow>, StoreError> {
        Ok(sqlx::query_as(&format!(
            "SELECT {COLUMNS} FROM jobs WHERE owner_id = $1 ORDER BY id DESC LIMIT $2"
        ))
        .bind(owner_id)
        .bind(limit)
        .fetch_all(&self.pool)
        .await?)
    }
}
