//! 绩效目标调整 pages and API: a unit asks to change the targets of a declaration it has
//! handed over (the declaration's fields, editable, and a reason), the finance bureau approves
//! or refuses on the declaration's page; the requests are listed there with what they change.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use jixiao_app::AppError;
use jixiao_app::access::Rights;
use jixiao_app::kind::FormKind;
use jixiao_app::service::{FormView, Session};
use jixiao_core::form::Form;
use serde::Deserialize;
use serde_json::{Value, json};

use crate::AppState;
use crate::auth::{ApiUser, PageUser};
use crate::edit::{self, FieldError, Fields, RowOp};
use crate::error::{WebError, on_form};
use crate::posted::{ApiPost, FormPost, PagePost, Posted, to_form, version};
use crate::views::{self, Nav, render};

type PageResult = Result<Response, WebError>;

/// True for the kinds whose targets are adjusted by request.
fn adjustable(kind: FormKind) -> bool {
    matches!(kind, FormKind::ProjectTarget | FormKind::DepartmentTarget)
}

/// The declaration page's 绩效目标调整 panel: shown once the declaration is handed over (or
/// when it has requests), with the request link for the unit and the decision for the bureau.
pub async fn panel(
    state: &AppState,
    s: &Session,
    view: &FormView,
    rights: &Rights,
) -> Result<Option<views::AdjustmentPanel>, WebError> {
    if !adjustable(view.kind) {
        return Ok(None);
    }
    let list = on_form(
        view.head.id,
        state.app.adjustments(&s.actor, view.head.id).await,
    )?;
    if list.is_empty() && !view.stage.submitted() {
        return Ok(None);
    }
    let pending = list.iter().any(|a| a.pending);
    Ok(Some(views::AdjustmentPanel {
        can_request: rights.request_adjustment && view.stage.submitted() && !pending,
        can_decide: rights.decide_adjustment,
        items: list
            .into_iter()
            .map(|a| views::AdjustmentLine {
                id: a.id,
                status: a.status,
                pending: a.pending,
                based_on: a.based_on,
                changes: jixiao_app::diff::sentences(&a.changes, 12),
                decision: a.decided_by.map(|who| match a.decision.as_deref() {
                    Some(d) if !d.is_empty() => format!("{who}审核：{}，意见：{d}", a.status),
                    _ => format!("{who}审核：{}", a.status),
                }),
                reason: a.reason,
                requested_by: a.requested_by,
            })
            .collect(),
    }))
}

/// The request page for `form` as stored, or as typed (`raw`) when it is shown again.
fn request_page(
    s: &Session,
    view: &FormView,
    form: &Form,
    raw: Option<&Fields>,
    errors: Vec<FieldError>,
    message: Option<String>,
) -> views::Page {
    let (grid, _) = edit::layout(form, &view.assessment, raw);
    let (has_rows, row_ops) = crate::pages::row_ops(form);
    let reason = raw
        .and_then(|f| f.get("reason"))
        .cloned()
        .unwrap_or_default();
    render(&views::AdjustPage {
        nav: Nav::of(s),
        csrf: s.csrf.clone(),
        id: view.head.id,
        kind: view.kind.name(),
        name: view.head.name.clone(),
        org: view.org_name.clone(),
        year: view.head.year,
        version: view.head.version,
        grid,
        editable: true,
        has_rows,
        row_ops,
        reason,
        errors,
        message,
    })
}

/// `GET /forms/{id}/adjust`: the declaration's fields to adjust and the reason.
pub async fn page(
    State(state): State<AppState>,
    PageUser(s): PageUser,
    Path(id): Path<i64>,
) -> PageResult {
    let view = on_form(id, state.app.form(&s.actor, id).await)?;
    if !adjustable(view.kind) {
        return Err(WebError::on_form(
            id,
            AppError::Invalid("只有绩效目标申报表可以申请调整目标".into()),
        ));
    }
    let form = view.form.clone();
    Ok(request_page(&s, &view, &form, None, Vec::new(), None).into_response())
}

/// `POST /forms/{id}/adjust`: a row operation shows the page again; the request is sent.
pub async fn request(
    State(state): State<AppState>,
    Posted(s, f, Path(id), ..): FormPost,
) -> PageResult {
    let based_on = version(id, &f)?;
    let view = on_form(id, state.app.form(&s.actor, id).await)?;
    let rows = f.contains_key("rows");
    let op = match rows {
        true => f.get("op").and_then(|o| RowOp::parse(o)),
        false => None,
    };
    let proposed = match edit::apply(&view.form, &f, op) {
        Ok(form) => form,
        Err(errors) => {
            let html = request_page(&s, &view, &view.form, Some(&f), errors, None);
            return Ok(html.with_status(StatusCode::UNPROCESSABLE_ENTITY));
        }
    };
    if rows {
        let mut kept = f.clone();
        kept.retain(|k, _| k == "reason");
        let html = request_page(&s, &view, &proposed, Some(&kept), Vec::new(), None);
        return Ok(html.into_response());
    }
    let reason = f.get("reason").map(String::as_str).unwrap_or_default();
    let refused = |errors: Vec<FieldError>| {
        request_page(&s, &view, &proposed, Some(&f), errors, None)
            .with_status(StatusCode::UNPROCESSABLE_ENTITY)
    };
    match state
        .app
        .request_adjustment(&s.actor, id, based_on, proposed.clone(), reason)
        .await
    {
        Ok(_) => Ok(to_form(id, "?msg=adjustment_requested#adjustments")),
        Err(AppError::Refused(problems)) => Ok(refused(
            problems
                .into_iter()
                .map(|p| FieldError {
                    path: p.path,
                    message: p.message,
                })
                .collect(),
        )),
        Err(AppError::Invalid(message)) => Ok(refused(vec![FieldError {
            path: String::new(),
            message,
        }])),
        Err(e) => Err(WebError::on_form(id, e)),
    }
}

/// `POST /adjustments/{id}/decision`: the bureau approves (`decision=approve`) or refuses.
pub async fn decide(
    State(state): State<AppState>,
    Posted(s, f, Path(id), ..): PagePost<Fields, Path<i64>>,
) -> PageResult {
    let approve = f.get("decision").map(String::as_str) == Some("approve");
    let reason = f.get("reason").map(String::as_str).unwrap_or_default();
    let form_id = state
        .app
        .decide_adjustment(&s.actor, id, approve, reason)
        .await
        .map_err(WebError::page)?;
    let msg = if approve {
        "adjustment_approved"
    } else {
        "adjustment_refused"
    };
    Ok(to_form(form_id, &format!("?msg={msg}#adjustments")))
}

/// `GET /api/v1/forms/{id}/adjustments`: the declaration's requests, oldest first.
pub async fn api_list(
    State(state): State<AppState>,
    ApiUser(s): ApiUser,
    Path(id): Path<i64>,
) -> Result<Response, WebError> {
    let list = state
        .app
        .adjustments(&s.actor, id)
        .await
        .map_err(WebError::api)?;
    Ok(Json(list).into_response())
}

/// The body of `POST /api/v1/forms/{id}/adjustments`.
#[derive(Debug, Deserialize)]
pub struct RequestBody {
    /// The version the unit adjusts.
    version: i64,
    /// The declaration with its adjusted targets.
    form: Value,
    /// Why.
    reason: String,
}

/// `POST /api/v1/forms/{id}/adjustments` → `201 {"id"}`.
pub async fn api_request(
    State(state): State<AppState>,
    Posted(s, Json(b), Path(id), ..): ApiPost<Json<RequestBody>, Path<i64>>,
) -> Result<Response, WebError> {
    let form = Form::from_json(&b.form.to_string())
        .map_err(|e| WebError::api(AppError::Invalid(format!("表单 JSON 有误：{e}"))))?;
    let request = state
        .app
        .request_adjustment(&s.actor, id, b.version, form, &b.reason)
        .await
        .map_err(WebError::api)?;
    Ok((StatusCode::CREATED, Json(json!({"id": request}))).into_response())
}

/// The body of `POST /api/v1/adjustments/{id}/decision`.
#[derive(Debug, Deserialize)]
pub struct DecisionBody {
    /// True to approve.
    approve: bool,
    /// The reason (required to refuse).
    #[serde(default)]
    reason: String,
}

/// `POST /api/v1/adjustments/{id}/decision` → `{"form_id", "status"}`.
pub async fn api_decide(
    State(state): State<AppState>,
    Posted(s, Json(b), Path(id), ..): ApiPost<Json<DecisionBody>, Path<i64>>,
) -> Result<Response, WebError> {
    let form_id = state
        .app
        .decide_adjustment(&s.actor, id, b.approve, &b.reason)
        .await
        .map_err(WebError::api)?;
    let status = if b.approve { "approved" } else { "refused" };
    Ok(Json(json!({"form_id": form_id, "status": status})).into_response())
}
