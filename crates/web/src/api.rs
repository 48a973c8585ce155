//! The JSON API under `/api/v1` (docs/api.md), with the same authorisation as the pages: a
//! session cookie from `POST /api/v1/session`, and the session's CSRF token in the
//! `X-CSRF-Token` header of every state change.

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use jixiao_app::AppError;
use jixiao_app::files::Format;
use jixiao_app::kind::FormKind;
use jixiao_app::rows::{FormFilter, PageRequest};
use jixiao_app::workflow::{Action, Stage};
use jixiao_core::form::Form;
use serde::Deserialize;
use serde_json::{Value, json};

use crate::AppState;
use crate::auth::{self, ApiUser};
use crate::error::WebError;
use crate::pages::download;
use crate::posted::{ApiPost, Posted, Upload};
use crate::routing::{Routes, get, post};
use jixiao_app::filing::{ImportChoice, OnDuplicate};
use jixiao_app::service::StepInput;

type ApiResult = Result<Response, WebError>;

fn api<T>(r: Result<T, AppError>) -> Result<T, WebError> {
    r.map_err(WebError::api)
}

/// The API routes (under `/api/v1`).
pub fn routes() -> Routes {
    Routes::new()
        .route("/session", post(login).delete(logout).get(me))
        .route("/forms", get(list).post(create))
        .route("/imports", post(import_new))
        .route("/forms/{id}", get(show).put(save).delete(delete_draft))
        .route("/forms/{id}/actions/{action}", post(act))
        .route("/forms/{id}/import", post(import_into))
        .route("/forms/{id}/versions/{version}/restore", post(restore))
        .route("/forms/{id}/export", get(export))
        .route("/forms/{id}/history", get(history))
        .route("/forms/{id}/readings/confirm", post(confirm_readings))
        .route("/todo", get(todo))
}

#[derive(Debug, Deserialize)]
struct Credentials {
    username: String,
    password: String,
}

async fn login(
    State(state): State<AppState>,
    headers: HeaderMap,
    Json(c): Json<Credentials>,
) -> ApiResult {
    api(auth::check_origin(&headers))?;
    let s = api(state.app.login(&c.username, &c.password).await)?;
    if let Some(old) = auth::token(&headers) {
        // The old session must end: a login that cannot end it fails instead.
        api(state.app.logout(&old).await)?;
    }
    Ok((
        [(
            header::SET_COOKIE,
            auth::set_cookie(
                &s.token,
                state.secure_cookies,
                state.app.settings().session_ttl_ms(),
            ),
        )],
        Json(json!({
            "csrf_token": s.csrf,
            "user": s.actor,
            "must_change_password": s.must_change_password,
        })),
    )
        .into_response())
}

async fn me(ApiUser(s): ApiUser) -> ApiResult {
    Ok(Json(json!({
        "csrf_token": s.csrf,
        "user": s.actor,
        "must_change_password": s.must_change_password,
    }))
    .into_response())
}

async fn logout(State(state): State<AppState>, Posted(s, ..): ApiPost) -> ApiResult {
    api(state.app.logout(&s.token).await)?;
    Ok((
        [(header::SET_COOKIE, auth::clear_cookie())],
        StatusCode::NO_CONTENT,
    )
        .into_response())
}

#[derive(Debug, Default, Deserialize)]
struct ListQuery {
    unit: Option<i64>,
    year: Option<i64>,
    kind: Option<String>,
    stage: Option<String>,
    q: Option<String>,
    light: Option<String>,
    /// Page from 1 (default 1).
    page: Option<u32>,
    /// Forms per page (default and most: [`MAX_PER_PAGE`]).
    per_page: Option<u32>,
}

/// The most forms one answer of the list carries.
const MAX_PER_PAGE: u32 = 500;

fn row_json(r: &jixiao_app::FormRow) -> Value {
    json!({
        "id": r.id, "unit_id": r.org_id, "year": r.year, "project_id": r.project_id,
        "kind": r.kind.code(), "name": r.name, "stage": r.stage.code(),
        "stage_name": r.stage.name(),
        "version": r.version, "total": r.total.map(|t| t.to_string()),
        "grade": r.grade.map(|g| g.name()),
        "errors": r.errors, "warnings": r.warnings, "light": r.light.map(|l| l.code()),
        "updated_at": r.updated_at,
    })
}

async fn list(
    State(state): State<AppState>,
    ApiUser(s): ApiUser,
    Query(q): Query<ListQuery>,
) -> ApiResult {
    if let Some(k) = &q.kind
        && FormKind::from_code(k).is_none()
    {
        return Err(WebError::api(AppError::Invalid(format!(
            "未知的表单类型“{k}”"
        ))));
    }
    if let Some(st) = &q.stage
        && Stage::from_code(st).is_none()
    {
        return Err(WebError::api(AppError::Invalid(format!(
            "未知的状态“{st}”"
        ))));
    }
    let filter = FormFilter {
        org_ids: q.unit.map(|u| vec![u]),
        year: q.year,
        kind: q.kind,
        stages: q.stage.map(|st| vec![st]),
        name_contains: q.q,
        light: q.light,
        ids: None,
    };
    let per_page = q.per_page.unwrap_or(MAX_PER_PAGE).clamp(1, MAX_PER_PAGE);
    let page = q.page.unwrap_or(1).max(1);
    let request = PageRequest {
        offset: (page - 1).saturating_mul(per_page),
        limit: per_page,
    };
    let found = api(state.app.list_page(&s.actor, &filter, request).await)?;
    Ok(Json(json!({
        "forms": found.rows.iter().map(row_json).collect::<Vec<_>>(),
        "total": found.total,
        "page": page,
        "per_page": per_page,
    }))
    .into_response())
}

#[derive(Debug, Deserialize)]
struct NewForm {
    kind: String,
    year: u16,
    #[serde(default)]
    project: String,
}

async fn create(
    State(state): State<AppState>,
    Posted(s, Json(n), ..): ApiPost<Json<NewForm>>,
) -> ApiResult {
    let kind = FormKind::from_code(&n.kind)
        .ok_or_else(|| WebError::api(AppError::Invalid(format!("未知的表单类型“{}”", n.kind))))?;
    let id = api(state
        .app
        .create_form(&s.actor, kind, n.year, &n.project)
        .await)?;
    Ok((StatusCode::CREATED, Json(json!({"id": id}))).into_response())
}

async fn show(
    State(state): State<AppState>,
    ApiUser(s): ApiUser,
    Path(id): Path<i64>,
) -> ApiResult {
    let v = api(state.app.form(&s.actor, id).await)?;
    let readings = api(state.app.readings(&s.actor, id).await)?;
    let form = serde_json::to_value(&v.form)
        .map_err(|e| WebError::api(AppError::unwritable("表单", e)))?;
    Ok(Json(json!({
        "id": v.head.id,
        "unit": {"id": v.head.org_id, "name": v.org_name},
        "year": v.head.year,
        "kind": v.kind,
        "stage": v.stage,
        "stage_name": v.stage.name(),
        "version": v.head.version,
        "editable": v.editable,
        "actions": v.actions,
        "deletable": v.deletable,
        "form": form,
        "total": v.head.total.map(|t| t.to_string()),
        "grade": v.head.grade.map(|g| g.name()),
        "total_basis": v.total_basis,
        "total_basis_name": v.total_basis.map(|b| b.name()),
        "total_explained": v.total_explained,
        "score": v.assessment.scored,
        "findings": v.assessment.findings,
        "notes": v.notes,
        "readings": readings,
    }))
    .into_response())
}

/// `POST /api/v1/forms/{id}/readings/confirm` → `{"confirmed": n}`: the scan's uncertain
/// readings agree with the paper.
async fn confirm_readings(
    State(state): State<AppState>,
    Posted(s, (), Path(id), ..): ApiPost<(), Path<i64>>,
) -> ApiResult {
    let n = api(state.app.confirm_readings(&s.actor, id).await)?;
    Ok(Json(json!({"id": id, "confirmed": n})).into_response())
}

#[derive(Debug, Deserialize)]
struct Save {
    version: i64,
    form: Value,
}

async fn save(
    State(state): State<AppState>,
    Posted(s, Json(body), Path(id), ..): ApiPost<Json<Save>, Path<i64>>,
) -> ApiResult {
    let form = Form::from_json(&body.form.to_string())
        .map_err(|e| WebError::api(AppError::Invalid(format!("表单 JSON 有误：{e}"))))?;
    let version = api(state.app.save(&s.actor, id, body.version, form).await)?;
    Ok(Json(json!({"id": id, "version": version})).into_response())
}

#[derive(Debug, Default, Deserialize)]
struct ActBody {
    version: i64,
    #[serde(default)]
    reason: Option<String>,
    /// At `finance_approve`: adopt the computed score as the form's total (with a reason).
    #[serde(default)]
    adopt_computed: bool,
    /// At `request_confirmation`: explanations of audit errors by finding key (`code@field`).
    #[serde(default)]
    notes: std::collections::BTreeMap<String, String>,
}

#[derive(Debug, Default, Deserialize)]
struct VersionQuery {
    /// The version the client saw; the current one when absent.
    version: Option<i64>,
}

async fn delete_draft(
    State(state): State<AppState>,
    Query(q): Query<VersionQuery>,
    Posted(s, (), Path(id), ..): ApiPost<(), Path<i64>>,
) -> ApiResult {
    let version = match q.version {
        Some(v) => v,
        None => api(state.app.form(&s.actor, id).await)?.head.version,
    };
    api(state.app.delete_draft(&s.actor, id, version).await)?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

#[derive(Debug, Default, Deserialize)]
struct RestoreBody {
    /// The form's current version, as the client saw it; the current one when absent.
    #[serde(default)]
    version: Option<i64>,
}

async fn restore(
    State(state): State<AppState>,
    Posted(s, Json(body), Path((id, old)), ..): ApiPost<Json<RestoreBody>, Path<(i64, i64)>>,
) -> ApiResult {
    let based_on = match body.version {
        Some(v) => v,
        None => api(state.app.form(&s.actor, id).await)?.head.version,
    };
    let version = api(state.app.restore(&s.actor, id, based_on, old).await)?;
    Ok(Json(json!({"id": id, "version": version, "restored_from": old})).into_response())
}

async fn act(
    State(state): State<AppState>,
    Posted(s, Json(body), Path((id, action)), ..): ApiPost<Json<ActBody>, Path<(i64, String)>>,
) -> ApiResult {
    let action = Action::from_code(&action)
        .ok_or_else(|| WebError::api(AppError::Invalid(format!("未知的操作“{action}”"))))?;
    let input = StepInput {
        reason: body.reason,
        adopt_computed: body.adopt_computed,
        notes: body.notes.into_iter().collect(),
    };
    let stage = api(state
        .app
        .act_with(&s.actor, id, body.version, action, &input)
        .await)?;
    Ok(Json(json!({"id": id, "stage": stage, "stage_name": stage.name()})).into_response())
}

async fn import_new(
    State(state): State<AppState>,
    Posted(s, mut up, ..): ApiPost<Upload>,
) -> ApiResult {
    let (file, _, bytes) = up
        .files
        .pop()
        .ok_or_else(|| WebError::api(AppError::Invalid("缺少文件字段 file".into())))?;
    let year = up
        .fields
        .get("year")
        .and_then(|y| y.parse().ok())
        .unwrap_or_else(|| u16::try_from(state.app.this_year()).unwrap_or(2026));
    let choice = api(choice_of(&up.fields))?;
    // Scans (and any file asked for with `background=1`) are read in the background.
    if jixiao_app::jobs::is_scan(&file, &bytes) || confirmed_flag(&up.fields, "background") {
        let id = api(state
            .app
            .enqueue_import(&s.actor, &file, &bytes, year, choice)
            .await)?;
        return Ok(crate::jobs::accepted(id));
    }
    let outcome = api(state
        .app
        .import_new_with(&s.actor, &file, &bytes, year, choice)
        .await)?;
    Ok((StatusCode::CREATED, Json(outcome)).into_response())
}

/// The answers an upload carries: `on_duplicate` (`ask`, `replace`, `separate`) and `confirm`
/// (`1`/`true`: the differences between the file and where it goes were seen).
pub(crate) fn choice_of(fields: &crate::edit::Fields) -> Result<ImportChoice, AppError> {
    let code = fields.get("on_duplicate").map(String::as_str).unwrap_or("");
    let on_duplicate = OnDuplicate::from_code(code).ok_or_else(|| {
        AppError::Invalid(format!(
            "on_duplicate 应为 ask、replace 或 separate，收到“{code}”"
        ))
    })?;
    Ok(ImportChoice {
        on_duplicate,
        confirmed: confirmed(fields),
    })
}

/// True when the request confirms what the user was shown (`confirm=1`, `true`, `on`).
pub(crate) fn confirmed(fields: &crate::edit::Fields) -> bool {
    confirmed_flag(fields, "confirm")
}

/// True when the field `name` is set (`1`, `true`, `on`).
fn confirmed_flag(fields: &crate::edit::Fields, name: &str) -> bool {
    matches!(
        fields.get(name).map(String::as_str),
        Some("1" | "true" | "on")
    )
}

async fn import_into(
    State(state): State<AppState>,
    Posted(s, mut up, Path(id), ..): ApiPost<Upload, Path<i64>>,
) -> ApiResult {
    let version: i64 = up
        .fields
        .get("version")
        .and_then(|v| v.parse().ok())
        .ok_or_else(|| WebError::api(AppError::Invalid("缺少字段 version".into())))?;
    let (file, _, bytes) = up
        .files
        .pop()
        .ok_or_else(|| WebError::api(AppError::Invalid("缺少文件字段 file".into())))?;
    let outcome = api(state
        .app
        .import_into_with(&s.actor, id, version, &file, &bytes, confirmed(&up.fields))
        .await)?;
    Ok(Json(outcome).into_response())
}

#[derive(Debug, Deserialize)]
struct ExportQuery {
    to: String,
}

async fn export(
    State(state): State<AppState>,
    ApiUser(s): ApiUser,
    Path(id): Path<i64>,
    Query(q): Query<ExportQuery>,
) -> ApiResult {
    let format = Format::parse(&q.to).ok_or_else(|| {
        WebError::api(AppError::Invalid(format!(
            "不支持导出为“{}”：可用 docx、xlsx、pdf、html、json",
            q.to
        )))
    })?;
    Ok(download(api(state.app.export(&s.actor, id, format).await)?))
}

async fn history(
    State(state): State<AppState>,
    ApiUser(s): ApiUser,
    Path(id): Path<i64>,
) -> ApiResult {
    let (events, entries) = api(state.app.history(&s.actor, id).await)?;
    Ok(Json(json!({"events": events, "changes": entries})).into_response())
}

async fn todo(State(state): State<AppState>, ApiUser(s): ApiUser) -> ApiResult {
    let list = api(state.app.todo(&s.actor).await)?;
    Ok(
        Json(json!({"rectifications": list.fixes, "todo": list.items, "total": list.total}))
            .into_response(),
    )
}
