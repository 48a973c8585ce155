//! Imports that run in the background: scans, which OCR reads at seconds a page, are queued as
//! jobs ([`jixiao_store::jobs`]) instead of holding the request. A worker ([`App::start_workers`],
//! `uploads.import_jobs` of them per instance) claims a job, reads the file on a blocking thread
//! while it reports progress and renews its lease, then files the forms exactly as a synchronous
//! upload does ([`App::file_forms_with`]). A filing that needs the user's answer (forms already
//! filed, a file naming another unit or year) ends the job with that question and the forms
//! read, so the answer files them without reading the file again ([`App::answer_job`]).
//!
//! A job is its owner's alone: anyone else is told it does not exist, as for a missing id.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use jixiao_core::form::Form;
use jixiao_store::jobs::{JobRow, NewJob};
use serde::{Deserialize, Serialize};

use crate::access::{self, Actor, Operation};
use crate::files;
use crate::filing::{ImportChoice, OnDuplicate};
use crate::readings::Incoming;
use crate::service::{ImportOutcome, describe_unrecognized, outcome_of, read_upload};
use crate::{App, AppError};

/// The kind of an import job.
pub const IMPORT: &str = "import";

/// How long a claim holds without a report: a worker reports every [`HEARTBEAT`], so only an
/// instance that died (or hangs) loses its jobs to another.
const LEASE_MS: i64 = 60_000;

/// How often a running job's progress is written and its lease renewed.
const HEARTBEAT: Duration = Duration::from_secs(2);

/// How often an idle worker looks for work.
const POLL: Duration = Duration::from_millis(500);

/// What a job is called in "not found" messages.
const WHAT: &str = "导入任务";

/// Image extensions that are always scans.
pub const IMAGE_EXTENSIONS: [&str; 5] = ["png", "jpg", "jpeg", "tif", "tiff"];

/// True when an upload is a scan, to be read in the background: an image (by extension), or
/// a PDF of images without a text layer. The PDF check is cheap and conservative, on the raw
/// bytes: a PDF that names a font (`/Font`) has text; one that holds no image (`/Image`: image
/// streams are never inside compressed object streams) is not a scan, and a damaged one is
/// refused at once. A wrong guess costs only time: a text PDF run as a job is read by the same
/// importer, a scan read at once only holds its request longer.
pub fn is_scan(file_name: &str, bytes: &[u8]) -> bool {
    let ext = file_name
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    if IMAGE_EXTENSIONS.contains(&ext.as_str()) {
        return true;
    }
    if ext != "pdf" {
        return false;
    }
    let has = |needle: &[u8]| bytes.windows(needle.len()).any(|w| w == needle);
    !has(b"/Font") && has(b"/Image")
}

/// What an import job was asked: the year and the user's answers.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct ImportParams {
    year: u16,
    on_duplicate: String,
    confirmed: bool,
}

fn code_of(choice: OnDuplicate) -> &'static str {
    match choice {
        OnDuplicate::Ask => "ask",
        OnDuplicate::Replace => "replace",
        OnDuplicate::Separate => "separate",
    }
}

/// A question the filing raised, as the upload page asks it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct JobQuestion {
    /// `duplicate` (forms already filed) or `confirm` (the file names another unit or year).
    pub code: String,
    /// The question in full.
    pub message: String,
    /// Forms already filed: (id, description).
    pub existing: Vec<(i64, String)>,
    /// Differences to confirm, in words.
    pub differences: Vec<String>,
    /// True when the forms already filed may be replaced.
    pub can_replace: bool,
}

/// What an import job produced: what the synchronous upload shows, or its question.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct JobResult {
    /// Forms filed or replaced: (id, kind name, name).
    pub forms: Vec<(i64, String, String)>,
    /// Values recognized.
    pub recognized_fields: usize,
    /// Content no recognizer understood.
    pub unrecognized: Vec<String>,
    /// Reader warnings and unreadable values.
    pub warnings: Vec<String>,
    /// Forms of kinds the system does not keep.
    pub skipped: Vec<String>,
    /// Forms whose content was replaced: (id, version before, version after).
    pub replaced: Vec<(i64, i64, i64)>,
    /// Differences the user confirmed, in words.
    pub confirmed: Vec<String>,
    /// The question to answer before anything is filed.
    pub question: Option<JobQuestion>,
    /// The forms read (form JSON), kept until the question is answered; never shown.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub pending: Vec<String>,
    /// The values of each pending form read uncertainly from the scan, kept with them.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub pending_readings: Vec<Vec<jixiao_core::source::Uncertain>>,
}

impl JobResult {
    fn of(outcome: &ImportOutcome) -> JobResult {
        JobResult {
            forms: outcome.forms.clone(),
            recognized_fields: outcome.recognized_fields,
            unrecognized: outcome.unrecognized.clone(),
            warnings: outcome.warnings.clone(),
            skipped: outcome.skipped.clone(),
            replaced: outcome.replaced.clone(),
            confirmed: outcome.confirmed.iter().map(|d| d.describe()).collect(),
            question: None,
            pending: Vec::new(),
            pending_readings: Vec::new(),
        }
    }
}

/// The question of a filing refused until the user answers, or `None` for any other error.
pub fn question_of(error: &AppError) -> Option<JobQuestion> {
    let (code, existing, differences) = match error {
        AppError::Duplicate(existing) => ("duplicate", existing, &Vec::new()),
        AppError::Unconfirmed {
            differences,
            existing,
        } => ("confirm", existing, differences),
        _ => return None,
    };
    Some(JobQuestion {
        code: code.to_string(),
        message: error.to_string(),
        existing: existing.iter().map(|e| (e.id, e.describe())).collect(),
        differences: differences.iter().map(|d| d.describe()).collect(),
        can_replace: existing.iter().all(|e| e.stage.editable()),
    })
}

/// A job as its owner sees it.
#[derive(Debug, Clone, Serialize)]
pub struct JobView {
    /// Id.
    pub id: i64,
    /// `queued`, `running`, `done` or `failed`.
    pub state: String,
    /// The state in words (排队中, 处理中, 已完成, 失败).
    pub state_name: &'static str,
    /// The uploaded file's name.
    pub file: String,
    /// Progress: steps (pages) done and in all (0 while unknown), percent, and what it is doing.
    pub progress: Progress,
    /// What it produced, once done.
    pub result: Option<JobResult>,
    /// Why it failed, once failed.
    pub error: Option<String>,
}

/// A job's progress.
#[derive(Debug, Clone, Serialize)]
pub struct Progress {
    /// Steps (pages) done.
    pub done: i64,
    /// Steps (pages) in all; 0 while unknown.
    pub total: i64,
    /// Percent done (0–100).
    pub percent: i64,
    /// What it is doing, in words.
    pub message: String,
}

impl JobView {
    /// True while the job has not ended (the page keeps polling).
    pub fn pending(&self) -> bool {
        matches!(self.state.as_str(), "queued" | "running")
    }

    fn of(row: JobRow) -> Result<JobView, AppError> {
        let result = match &row.result {
            Some(text) => {
                let mut r: JobResult = serde_json::from_str(text).map_err(|e| {
                    AppError::Store(jixiao_store::StoreError::Corrupt(format!(
                        "导入任务 {}：{e}",
                        row.id
                    )))
                })?;
                r.pending.clear();
                r.pending_readings.clear();
                Some(r)
            }
            None => None,
        };
        let percent = match (row.state.as_str(), row.progress_total) {
            ("done" | "failed", _) => 100,
            (_, t) if t > 0 => (row.progress_done * 100 / t).clamp(0, 99),
            _ => 0,
        };
        Ok(JobView {
            id: row.id,
            state_name: match row.state.as_str() {
                "queued" => "排队中",
                "running" => "处理中",
                "done" => "已完成",
                _ => "失败",
            },
            state: row.state,
            file: row.file_name,
            progress: Progress {
                done: row.progress_done,
                total: row.progress_total,
                percent,
                message: row.message,
            },
            result,
            error: row.error,
        })
    }
}

/// The progress a blocking read reports, written by the worker at each heartbeat.
#[derive(Debug, Clone, Default)]
pub struct Reporter(Arc<Mutex<(i64, i64, String)>>);

impl Reporter {
    /// `done` of `total` steps, doing `message`.
    pub fn set(&self, done: i64, total: i64, message: &str) {
        let mut p = self
            .0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        *p = (done, total, message.to_string());
    }

    fn get(&self) -> (i64, i64, String) {
        self.0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clone()
    }
}

impl App {
    /// Queues an upload to be read and filed in the background (as [`App::import_new_with`]
    /// would) → the job's id.
    pub async fn enqueue_import(
        &self,
        actor: &Actor,
        file_name: &str,
        bytes: &[u8],
        year: u16,
        choice: ImportChoice,
    ) -> Result<i64, AppError> {
        let chain = self.chain(actor.org_id).await?;
        access::authorize(actor, Operation::Create, &chain)?;
        crate::service::check_upload_name(file_name)?;
        let params = serde_json::to_string(&ImportParams {
            year,
            on_duplicate: code_of(choice.on_duplicate).to_string(),
            confirmed: choice.confirmed,
        })
        .map_err(|e| AppError::unwritable("任务参数", e))?;
        let base = file_name.rsplit(['/', '\\']).next().unwrap_or(file_name);
        let id = self
            .store
            .enqueue_job(&NewJob {
                kind: IMPORT,
                owner_id: actor.user_id,
                org_id: actor.org_id,
                file_name: base,
                bytes,
                params: &params,
            })
            .await?;
        tracing::info!(job = id, "import queued");
        Ok(id)
    }

    /// A job of `actor`'s; anyone else's is "not found", like a missing one.
    pub async fn job(&self, actor: &Actor, id: i64) -> Result<JobView, AppError> {
        JobView::of(self.own_job(actor, id).await?)
    }

    async fn own_job(&self, actor: &Actor, id: i64) -> Result<JobRow, AppError> {
        let row = self.store.job(id).await?;
        if row.owner_id != actor.user_id {
            return Err(AppError::NotFound(WHAT.to_string()));
        }
        Ok(row)
    }

    /// Answers the question a job ended with: files the forms it read with `choice`, and keeps
    /// what was filed as the job's result. A question raised again is the error.
    pub async fn answer_job(
        &self,
        actor: &Actor,
        id: i64,
        choice: ImportChoice,
    ) -> Result<JobView, AppError> {
        let row = self.own_job(actor, id).await?;
        let params = params_of(&row)?;
        let stored = match (&row.state[..], &row.result) {
            ("done", Some(text)) => serde_json::from_str::<JobResult>(text).ok(),
            _ => None,
        };
        let Some(stored) = stored.filter(|r| r.question.is_some()) else {
            return Err(AppError::Workflow("该导入任务没有待确认的问题".to_string()));
        };
        let mut readings = stored.pending_readings.clone().into_iter();
        let forms = stored
            .pending
            .iter()
            .map(|f| {
                Form::from_json(f).map(|form| Incoming {
                    form,
                    uncertain: readings.next().unwrap_or_default(),
                })
            })
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| AppError::Store(jixiao_store::StoreError::Corrupt(e.to_string())))?;
        let mut outcome = ImportOutcome {
            recognized_fields: stored.recognized_fields,
            unrecognized: stored.unrecognized.clone(),
            warnings: stored.warnings.clone(),
            ..ImportOutcome::default()
        };
        self.file_forms_with(actor, forms, params.year, &mut outcome, choice)
            .await?;
        let result = serde_json::to_string(&JobResult::of(&outcome))
            .map_err(|e| AppError::unwritable("任务结果", e))?;
        self.store.set_job_result(id, &result, "已完成").await?;
        self.job(actor, id).await
    }

    /// Starts this instance's workers (`uploads.import_jobs` of them) on the current Tokio
    /// runtime; each claims and runs jobs until the runtime ends.
    pub fn start_workers(&self) -> Vec<tokio::task::JoinHandle<()>> {
        let tag = crate::password::random_hex(4).unwrap_or_default();
        (0..self.settings().uploads.import_jobs)
            .map(|n| {
                let app = self.clone();
                let worker = format!("{}-{tag}-{n}", std::process::id());
                tokio::spawn(async move {
                    loop {
                        match app.run_next_job(&worker).await {
                            Ok(true) => {}
                            Ok(false) => tokio::time::sleep(POLL).await,
                            Err(e) => {
                                tracing::error!(error = %e, worker, "job worker");
                                tokio::time::sleep(POLL * 4).await;
                            }
                        }
                    }
                })
            })
            .collect()
    }

    /// Claims one job as `worker` and runs it to its end → false when none was waiting.
    pub async fn run_next_job(&self, worker: &str) -> Result<bool, AppError> {
        let Some(claimed) = self.store.claim_job(worker, LEASE_MS).await? else {
            return Ok(false);
        };
        let id = claimed.row.id;
        tracing::info!(job = id, worker, "job claimed");
        match self.run_import(worker, claimed.row, claimed.bytes).await {
            Ok(result) => {
                let message = if result.question.is_some() {
                    "已识别，需要您确认后归档"
                } else {
                    "已完成"
                };
                let text = serde_json::to_string(&result)
                    .map_err(|e| AppError::unwritable("任务结果", e))?;
                self.store.finish_job(id, worker, &text, message).await?;
            }
            Err(e) => {
                let message = match &e {
                    AppError::Store(inner) => {
                        tracing::error!(job = id, error = %inner, "job failed in the store");
                        "服务器内部错误，请稍后重新上传".to_string()
                    }
                    other => other.to_string(),
                };
                self.store.fail_job(id, worker, &message).await?;
            }
        }
        Ok(true)
    }

    async fn run_import(
        &self,
        worker: &str,
        row: JobRow,
        bytes: Vec<u8>,
    ) -> Result<JobResult, AppError> {
        let params = params_of(&row)?;
        let choice = ImportChoice {
            on_duplicate: OnDuplicate::from_code(&params.on_duplicate).unwrap_or_default(),
            confirmed: params.confirmed,
        };
        let actor = self.actor_of(row.owner_id).await?;
        let reporter = Reporter::default();
        reporter.set(0, 1, "正在识别文件内容");
        let heartbeat = |reporter: Reporter| async move {
            let (done, total, message) = reporter.get();
            let held = self
                .store
                .job_progress(row.id, worker, (done, total), &message, LEASE_MS)
                .await?;
            if held {
                Ok(())
            } else {
                Err(AppError::Workflow("导入任务已由其他进程接手".to_string()))
            }
        };
        heartbeat(reporter.clone()).await?;
        let (name, limits, progress) = (row.file_name.clone(), self.limits(), reporter.clone());
        // Character recognition reports each page as it is read.
        let mut read = tokio::task::spawn_blocking(move || {
            let pages = progress.clone();
            let read = jixiao_grid::progress::reporting(
                move |done, total| {
                    pages.set(
                        done as i64,
                        total as i64,
                        &format!("正在文字识别：已识别第{done}页，共{total}页"),
                    );
                },
                || read_upload(&name, &bytes, &limits),
            );
            let (_, total, _) = progress.get();
            progress.set(total.max(1), total.max(1), "识别完成，正在归档");
            read
        });
        let imported = loop {
            tokio::select! {
                done = &mut read => {
                    break done.map_err(|e| AppError::Invalid(format!("读取中断：{e}")))??;
                }
                () = tokio::time::sleep(HEARTBEAT) => heartbeat(reporter.clone()).await?,
            }
        };
        heartbeat(reporter.clone()).await?;
        let mut outcome = outcome_of(&imported);
        if imported.forms.is_empty() {
            return Err(AppError::Invalid(format!(
                "{} 中没有识别出表单。{}",
                row.file_name,
                describe_unrecognized(&outcome)
            )));
        }
        let forms: Vec<Incoming> = imported.forms.into_iter().map(Incoming::from).collect();
        let pending = forms
            .iter()
            .map(|f| files::form_json(&f.form))
            .collect::<Result<Vec<_>, _>>()?;
        let pending_readings = forms.iter().map(|f| f.uncertain.clone()).collect();
        match self
            .file_forms_with(&actor, forms, params.year, &mut outcome, choice)
            .await
        {
            Ok(()) => Ok(JobResult::of(&outcome)),
            Err(e) => match question_of(&e) {
                Some(question) => Ok(JobResult {
                    question: Some(question),
                    pending,
                    pending_readings,
                    ..JobResult::of(&outcome)
                }),
                None => Err(e),
            },
        }
    }
}

fn params_of(row: &JobRow) -> Result<ImportParams, AppError> {
    serde_json::from_str(&row.params).map_err(|e| {
        AppError::Store(jixiao_store::StoreError::Corrupt(format!(
            "导入任务 {} 的参数：{e}",
            row.id
        )))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scans_are_images_and_pdfs_without_text() {
        assert!(is_scan("扫描件.PNG", b"\x89PNG"));
        assert!(is_scan("a.jpeg", b""));
        assert!(is_scan("a.tif", b""));
        assert!(!is_scan("a.docx", b"PK"));
        let text = b"%PDF-1.4\n1 0 obj << /Type /Font /Subtype /Type0 >> endobj";
        assert!(!is_scan("a.pdf", text));
        let image = b"%PDF-1.4\n1 0 obj << /Type /XObject /Subtype /Image >> stream";
        assert!(is_scan("a.pdf", image));
        // Compressed objects hide the fonts: text unless the file holds images.
        assert!(!is_scan("a.pdf", b"%PDF-1.7 << /Type /ObjStm >>"));
        // Neither fonts nor images: damaged, refused at once rather than queued.
        assert!(!is_scan("a.pdf", b"%PDF-1.7\n\x00\x13garbage"));
        assert!(is_scan(
            "a.pdf",
            b"%PDF-1.7 << /Type /ObjStm >> << /Subtype /Image >>"
        ));
    }
}
