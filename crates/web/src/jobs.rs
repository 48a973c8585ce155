//! Background imports (scans read by OCR): the job page `/jobs/{id}` that shows the progress
//! (refreshing itself every second, no script) and then what the upload filed, or the question
//! to answer; the JSON `GET /api/v1/jobs/{id}`; and the answers to a job's question. A job is
//! its owner's alone: anyone else's id is "not found", like a missing one.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use jixiao_app::AppError;
use jixiao_app::filing::{ImportChoice, OnDuplicate};
use jixiao_app::jobs::{JobQuestion, question_of};
use jixiao_app::service::Session;
use serde::Deserialize;
use serde_json::json;

use crate::AppState;
use crate::auth::{ApiUser, PageUser};
use crate::error::WebError;
use crate::posted::{ApiPost, PagePost, Posted};
use crate::routing::{Routes, get, post};
use crate::views::{self, Nav, render};

/// The job pages.
pub fn routes() -> Routes {
    Routes::new()
        .route("/jobs/{id}", get(page))
        .route("/jobs/{id}/answer", post(answer))
}

/// The job API (under `/api/v1`).
pub fn api_routes() -> Routes {
    Routes::new()
        .route("/jobs/{id}", get(api_show))
        .route("/jobs/{id}/answer", post(api_answer))
}

/// `GET /jobs/{id}`: progress while the job runs, then its result or its question.
async fn page(
    State(state): State<AppState>,
    PageUser(s): PageUser,
    Path(id): Path<i64>,
) -> Result<Response, WebError> {
    let job = state.app.job(&s.actor, id).await.map_err(WebError::page)?;
    if let Some(q) = job.result.as_ref().and_then(|r| r.question.clone()) {
        return Ok(ask(&s, id, &job.file, &q));
    }
    Ok(render(&views::JobPage {
        nav: Nav::of(&s),
        job,
    })
    .into_response())
}

/// The question a job ended with, asked as the synchronous upload asks it; the answer goes to
/// `/jobs/{id}/answer` and needs no file (the forms read are kept).
fn ask(s: &Session, id: i64, file: &str, q: &JobQuestion) -> Response {
    render(&views::UploadQuestion {
        nav: Nav::of(s),
        csrf: s.csrf.clone(),
        action: format!("/jobs/{id}/answer"),
        file: file.to_string(),
        message: if q.code == "duplicate" {
            "文件中的表单已经归档，不会重复归档。请选择如何处理。".to_string()
        } else {
            "文件内容与归档位置不一致，请核对后确认。".to_string()
        },
        existing: q.existing.clone(),
        differences: q.differences.clone(),
        hidden: Vec::new(),
        can_replace: q.can_replace,
        back: "/".to_string(),
        file_again: false,
    })
    .with_status(StatusCode::CONFLICT)
}

/// `POST /jobs/{id}/answer` (`on_duplicate`, `confirm`): files the job's forms as answered,
/// then shows the job; a question raised again is asked again.
async fn answer(
    State(state): State<AppState>,
    Posted(s, f, Path(id), ..): PagePost<crate::edit::Fields, Path<i64>>,
) -> Result<Response, WebError> {
    let choice = crate::api::choice_of(&f).map_err(WebError::page)?;
    match state.app.answer_job(&s.actor, id, choice).await {
        Ok(_) => Ok(Redirect::to(&format!("/jobs/{id}")).into_response()),
        Err(e) => match question_of(&e) {
            Some(q) => {
                let file = state
                    .app
                    .job(&s.actor, id)
                    .await
                    .map_err(WebError::page)?
                    .file;
                Ok(ask(&s, id, &file, &q))
            }
            None => Err(WebError::page(e)),
        },
    }
}

/// `GET /api/v1/jobs/{id}` → `{"id", "state", "progress", "result"|"error"}`.
async fn api_show(
    State(state): State<AppState>,
    ApiUser(s): ApiUser,
    Path(id): Path<i64>,
) -> Result<Response, WebError> {
    let job = state.app.job(&s.actor, id).await.map_err(WebError::api)?;
    Ok(Json(job).into_response())
}

/// An answer to a job's question.
#[derive(Debug, Default, Deserialize)]
struct Answer {
    #[serde(default)]
    on_duplicate: String,
    #[serde(default)]
    confirm: bool,
}

/// `POST /api/v1/jobs/{id}/answer` `{"on_duplicate", "confirm"}` → the job, its forms filed.
async fn api_answer(
    State(state): State<AppState>,
    Posted(s, Json(a), Path(id), ..): ApiPost<Json<Answer>, Path<i64>>,
) -> Result<Response, WebError> {
    let on_duplicate = OnDuplicate::from_code(&a.on_duplicate).ok_or_else(|| {
        WebError::api(AppError::Invalid(format!(
            "on_duplicate 应为 ask、replace 或 separate，收到“{}”",
            a.on_duplicate
        )))
    })?;
    let choice = ImportChoice {
        on_duplicate,
        confirmed: a.confirm,
    };
    let job = state
        .app
        .answer_job(&s.actor, id, choice)
        .await
        .map_err(WebError::api)?;
    Ok(Json(job).into_response())
}

/// The answer to a scan's upload over the API: `202 {"job": id}`.
pub(crate) fn accepted(id: i64) -> Response {
    (StatusCode::ACCEPTED, Json(json!({"job": id}))).into_response()
}
