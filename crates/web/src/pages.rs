//! The HTML pages: login, 待办 home, form lists with filters, each form in its paper layout
//! with live scoring and findings, workflow buttons, import, export, evidence files, history and
//! the fiscal years. Every state change is a POST carrying the session's CSRF token.

use std::collections::HashMap;

use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use jixiao_app::AppError;
use jixiao_app::files::Format;
use jixiao_app::kind::FormKind;
use jixiao_app::rows::YearRow;
use jixiao_app::rows::{FormFilter, PageRequest};
use jixiao_app::service::{FormView, Session, StepInput};
use jixiao_app::time as clock;
use jixiao_app::workflow::{Action, Stage};
use jixiao_core::audit::counts;
use jixiao_core::form::Form;
use jixiao_core::monitor::Light;
use serde::Deserialize;

use crate::AppState;
use crate::auth::{self, PageUser};
use crate::edit::{self, FieldError, Fields, RowOp};
use crate::error::{WebError, on_form, page};
use crate::posted::{FormPost, PagePost, Posted, Upload, to_form, version};
use crate::routing::{Routes, get, post};
use crate::views::{self, FindingView, Nav, render};
use jixiao_core::audit::targets::is_review;

type PageResult = Result<Response, WebError>;

/// The page routes.
pub fn routes() -> Routes {
    Routes::new()
        .route("/", get(home))
        .route("/login", get(login_page).post(login))
        .route("/logout", post(logout))
        .route("/forms", get(list).post(create))
        .route("/forms/upload", post(upload))
        .route("/forms/{id}", get(show).post(save))
        .route("/forms/{id}/preview", post(preview))
        .route("/forms/{id}/act", post(act))
        .route("/forms/{id}/import", post(import_into))
        .route("/forms/{id}/delete", post(delete_draft))
        .route("/forms/{id}/restore", post(restore))
        .route("/forms/{id}/export/{format}", get(export))
        .route("/forms/{id}/template/{format}", get(template))
        .route("/forms/{id}/history", get(history))
        .route("/forms/{id}/attachments", post(attach))
        .route("/forms/{id}/readings/confirm", post(confirm_readings))
        .route("/attachments/{id}", get(attachment))
        .route("/years", get(years).post(put_year))
        .route("/years/{year}/settings", post(put_settings))
}

fn see_other(to: &str) -> Response {
    Redirect::to(to).into_response()
}

// ── login ───────────────────────────────────────────────────────────────────────────────

async fn login_page() -> Response {
    render(&views::Login {
        nav: None,
        error: None,
        username: String::new(),
    })
    .into_response()
}

async fn login(
    State(state): State<AppState>,
    headers: HeaderMap,
    axum::Form(form): axum::Form<Vec<(String, String)>>,
) -> Response {
    let f: Fields = form.into_iter().collect();
    let username = f.get("username").cloned().unwrap_or_default();
    let password = f.get("password").cloned().unwrap_or_default();
    if let Err(e) = auth::check_origin(&headers) {
        return WebError::page(e).into_response();
    }
    match state.app.login(&username, &password).await {
        Ok(session) => {
            // A session cookie sent before login is ended: a new token every login.
            if let Some(old) = auth::token(&headers)
                && let Err(e) = state.app.logout(&old).await
            {
                return WebError::page(e).into_response();
            }
            (
                StatusCode::SEE_OTHER,
                [
                    (
                        header::SET_COOKIE,
                        auth::set_cookie(
                            &session.token,
                            state.secure_cookies,
                            state.app.settings().session_ttl_ms(),
                        ),
                    ),
                    (header::LOCATION, "/".to_string()),
                ],
            )
                .into_response()
        }
        Err(e) => {
            let status = crate::error::status(&e);
            let page = render(&views::Login {
                nav: None,
                error: Some(crate::error::message(&e)),
                username,
            });
            page.with_status(status)
        }
    }
}

async fn logout(State(state): State<AppState>, Posted(s, ..): PagePost) -> PageResult {
    page(state.app.logout(&s.token).await)?;
    Ok((
        StatusCode::SEE_OTHER,
        [
            (header::SET_COOKIE, auth::clear_cookie()),
            (header::LOCATION, "/login".to_string()),
        ],
    )
        .into_response())
}

// ── home ────────────────────────────────────────────────────────────────────────────────

async fn home(State(state): State<AppState>, PageUser(s): PageUser) -> PageResult {
    // An expert's work is their assignments.
    if s.actor.role == jixiao_app::role::Role::Expert && !s.must_change_password {
        return Ok(see_other("/assignments"));
    }
    let app = &state.app;
    let todo = page(app.todo(&s.actor).await)?;
    let years = page(app.years().await)?;
    let projects = page(app.projects(&s.actor).await)?;
    let can_create = page(app.rights(&s.actor).await)?.create;
    let deadlines = years
        .iter()
        .filter(|y| y.is_open == 1)
        .take(2)
        .map(|y| {
            format!(
                "{}年度：目标申报截止 {}，绩效自评截止 {}",
                y.year,
                y.declaration_deadline.as_deref().unwrap_or("未定"),
                y.self_evaluation_deadline.as_deref().unwrap_or("未定")
            )
        })
        .collect();
    let view = views::Home {
        nav: Nav::of(&s),
        csrf: s.csrf.clone(),
        todo_total: todo.total,
        fixes: todo.fixes.into_iter().map(views::TodoRow::of).collect(),
        todo: todo.items.into_iter().map(views::TodoRow::of).collect(),
        deadlines,
        can_create,
        kinds: FormKind::ALL.iter().map(|k| (k.code(), k.name())).collect(),
        projects: projects.into_iter().map(|p| p.name).collect(),
        year: app.this_year().to_string(),
    };
    Ok(render(&view).into_response())
}

// ── lists ───────────────────────────────────────────────────────────────────────────────

#[derive(Debug, Default, Deserialize)]
struct ListQuery {
    #[serde(default)]
    unit: String,
    #[serde(default)]
    year: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    stage: String,
    #[serde(default)]
    q: String,
    #[serde(default)]
    light: String,
    #[serde(default)]
    page: String,
    /// A fragment of the unit's name, where the units are too many for a drop-down.
    #[serde(default)]
    unit_name: String,
}

/// Forms on one page of a list.
const PER_PAGE: u32 = 50;

/// Units listed in the filter's drop-down at most; a region with more gets a name field.
const UNITS_IN_MENU: usize = 300;

impl ListQuery {
    /// The query string without `page` (for the pager), URL-encoded.
    fn without_page(&self) -> String {
        let pairs = [
            ("unit", &self.unit),
            ("year", &self.year),
            ("kind", &self.kind),
            ("stage", &self.stage),
            ("q", &self.q),
            ("light", &self.light),
            ("unit_name", &self.unit_name),
        ];
        let set: Vec<(&str, &String)> = pairs.into_iter().filter(|(_, v)| !v.is_empty()).collect();
        serde_urlencoded::to_string(set).unwrap_or_default()
    }
}

async fn list(
    State(state): State<AppState>,
    PageUser(s): PageUser,
    Query(q): Query<ListQuery>,
) -> PageResult {
    let app = &state.app;
    let orgs = page(app.visible_orgs(&s.actor).await)?;
    let filter = FormFilter {
        org_ids: match (q.unit.parse::<i64>(), q.unit_name.trim()) {
            (Ok(id), _) => Some(vec![id]),
            (Err(_), "") => None,
            (Err(_), part) => Some(
                orgs.iter()
                    .filter(|o| o.kind == "unit" && o.name.contains(part))
                    .map(|o| o.id)
                    .collect(),
            ),
        },
        year: q.year.trim().parse().ok(),
        kind: FormKind::from_code(&q.kind).map(|k| k.code().to_string()),
        stages: Stage::from_code(&q.stage).map(|st| vec![st.code().to_string()]),
        name_contains: Some(q.q.trim().to_string()).filter(|t| !t.is_empty()),
        light: Light::from_code(&q.light).map(|l| l.code().to_string()),
        ids: None,
    };
    let wanted: u32 = q.page.trim().parse().unwrap_or(1).max(1);
    let request = |n: u32| PageRequest {
        offset: (n - 1).saturating_mul(PER_PAGE),
        limit: PER_PAGE,
    };
    let mut found = page(app.list_page(&s.actor, &filter, request(wanted)).await)?;
    let pages =
        u32::try_from((found.total.max(1) - 1) / i64::from(PER_PAGE) + 1).unwrap_or(u32::MAX);
    let at = wanted.min(pages);
    if at != wanted {
        found = page(app.list_page(&s.actor, &filter, request(at)).await)?;
    }
    let rows = found.rows;
    let names: HashMap<i64, &str> = orgs.iter().map(|o| (o.id, o.name.as_str())).collect();
    let org_name = |id: i64| names.get(&id).map(|n| (*n).to_string()).unwrap_or_default();
    let stage_counts = found.stages.iter().map(|(st, n)| (st.name(), *n)).collect();
    let view = views::FormList {
        nav: Nav::of(&s),
        rows: rows
            .iter()
            .map(|r| views::FormRowView {
                id: r.id,
                org: org_name(r.org_id),
                year: r.year,
                kind: r.kind.name().to_string(),
                name: r.name.clone(),
                stage: r.stage.name().to_string(),
                stage_code: r.stage.code().to_string(),
                version: r.version,
                total: r.total.map(|t| t.to_string()).unwrap_or_default(),
                grade: r.grade.map(|g| g.name().to_string()).unwrap_or_default(),
                errors: r.errors,
                warnings: r.warnings,
                light: r.light,
                updated: clock::minute(r.updated_at),
            })
            .collect(),
        units: if orgs.iter().filter(|o| o.kind == "unit").count() > UNITS_IN_MENU {
            Vec::new()
        } else {
            // Deactivated units leave the picker (their forms stay listed).
            orgs.iter()
                .filter(|o| o.kind == "unit" && o.active != 0)
                .map(|o| (o.id, o.name.clone(), q.unit == o.id.to_string()))
                .collect()
        },
        unit_name: q.unit_name.clone(),
        kinds: FormKind::ALL
            .iter()
            .map(|k| (k.code(), k.name(), q.kind == k.code()))
            .collect(),
        stages: Stage::ALL
            .iter()
            .map(|st| (st.code(), st.name(), q.stage == st.code()))
            .collect(),
        stage_counts,
        lights: [Light::Red, Light::Yellow, Light::Blue, Light::Green]
            .iter()
            .map(|l| (l.code(), l.name(), q.light == l.code()))
            .collect(),
        year: q.year.clone(),
        q: q.q.clone(),
        total: found.total,
        page: at,
        pages,
        query: q.without_page(),
    };
    Ok(render(&view).into_response())
}

async fn create(State(state): State<AppState>, Posted(s, f, ..): PagePost) -> PageResult {
    let kind = f
        .get("kind")
        .and_then(|k| FormKind::from_code(k))
        .ok_or_else(|| WebError::page(AppError::Invalid("请选择表单类型".into())))?;
    let year = parse_year(f.get("year"))?;
    let project = f.get("project").cloned().unwrap_or_default();
    let id = page(state.app.create_form(&s.actor, kind, year, &project).await)?;
    Ok(to_form(id, "?msg=created"))
}

fn parse_year(text: Option<&String>) -> Result<u16, WebError> {
    let t = text.map(|t| t.trim()).unwrap_or_default();
    t.parse::<u16>()
        .ok()
        .filter(|y| (2000..=2100).contains(y))
        .ok_or_else(|| WebError::page(AppError::Invalid(format!("年度“{t}”应为四位年份，如 2026"))))
}

async fn upload(
    State(state): State<AppState>,
    Posted(s, mut up, ..): PagePost<Upload>,
) -> PageResult {
    let (file, _, bytes) = up
        .files
        .pop()
        .ok_or_else(|| WebError::page(AppError::Invalid("请选择要上传的文件".into())))?;
    let year = parse_year(up.fields.get("year"))?;
    let choice = page(crate::api::choice_of(&up.fields))?;
    if jixiao_app::jobs::is_scan(&file, &bytes) {
        // A scan is read by OCR, seconds a page: in the background, its page shows progress.
        let id = page(
            state
                .app
                .enqueue_import(&s.actor, &file, &bytes, year, choice)
                .await,
        )?;
        return Ok(see_other(&format!("/jobs/{id}")));
    }
    match state
        .app
        .import_new_with(&s.actor, &file, &bytes, year, choice)
        .await
    {
        Ok(outcome) => Ok(render(&views::ImportPage {
            nav: Nav::of(&s),
            csrf: s.csrf.clone(),
            file,
            outcome,
            back: "/".to_string(),
            changes: Vec::new(),
            undo: None,
        })
        .into_response()),
        Err(e) => {
            let hidden = vec![
                ("year".to_string(), year.to_string()),
                (
                    "confirm".to_string(),
                    if choice.confirmed { "1" } else { "" }.to_string(),
                ),
            ];
            question(
                &s,
                "/forms/upload".to_string(),
                file,
                hidden,
                "/".to_string(),
                e,
            )
        }
    }
}

/// The question an upload raised (forms already filed, a file naming another unit, year or
/// project), asked on a page with the answers; any other error is the error page.
fn question(
    s: &Session,
    action: String,
    file: String,
    hidden: Vec<(String, String)>,
    back: String,
    error: AppError,
) -> PageResult {
    let (existing, differences) = match error {
        AppError::Duplicate(existing) => (existing, Vec::new()),
        AppError::Unconfirmed {
            differences,
            existing,
        } => (existing, differences),
        other => return Err(WebError::page(other)),
    };
    let can_replace = existing.iter().all(|e| e.stage.editable());
    let message = match (differences.is_empty(), existing.is_empty()) {
        (true, _) => "文件中的表单已经归档，不会重复归档。请选择如何处理后重新上传。",
        (false, true) => "文件内容与归档位置不一致，请核对后确认。",
        (false, false) => {
            "文件内容与归档位置不一致，且文件中的表单已经归档。请核对并选择如何处理。"
        }
    }
    .to_string();
    let hidden = hidden.into_iter().filter(|(_, v)| !v.is_empty()).collect();
    Ok(render(&views::UploadQuestion {
        nav: Nav::of(s),
        csrf: s.csrf.clone(),
        action,
        file,
        message,
        existing: existing.iter().map(|e| (e.id, e.describe())).collect(),
        differences: differences.iter().map(|d| d.describe()).collect(),
        hidden,
        can_replace,
        back,
        file_again: true,
    })
    .with_status(StatusCode::CONFLICT))
}

// ── a form ──────────────────────────────────────────────────────────────────────────────

#[derive(Debug, Default, Deserialize)]
struct ShowQuery {
    #[serde(default)]
    msg: String,
    /// The workflow step just taken (`msg=acted`).
    #[serde(default)]
    action: String,
    /// Words to search the indicator library with (a declaration's suggestions).
    #[serde(default)]
    q: String,
}

/// What a workflow step did, in the words of the notice (`已送单位负责人确认。`).
fn acted(action: Action) -> &'static str {
    match action {
        Action::RequestConfirmation => "已送单位负责人确认。",
        Action::Withdraw => "已撤回，可以继续修改。",
        Action::Confirm => "已确认，填报人可以提交。",
        Action::RejectConfirmation => "已退回填报人修改。",
        Action::Submit => "已提交主管部门。",
        Action::SupervisorApprove => "已审核通过，送财政部门审定。",
        Action::SupervisorReturn | Action::FinanceReturn => "已退回单位修改。",
        Action::FinanceApprove => "已审定。",
        Action::Publish => "已公开。",
        Action::Void => "已作废。",
    }
}

fn message_of(code: &str, action: &str) -> Option<String> {
    if code == "acted"
        && let Some(a) = Action::from_code(action)
    {
        return Some(acted(a).to_string());
    }
    Some(
        match code {
            "created" => "已新建草稿。",
            "saved" => "已保存。",
            "added" => "已从指标库添加指标，并保存了填写的内容；请核对指标值。",
            "acted" => "已完成操作。",
            "imported" => "已导入文件内容。",
            "attached" => "已上传佐证材料。",
            "restored" => "已恢复为所选版本（作为新版本保存，之前的版本仍可恢复）。",
            "readings" => "已确认扫描识别结果与原件一致，现可送单位负责人确认。",
            "adjustment_requested" => "已提交绩效目标调整申请，待财政部门审核。",
            "adjustment_approved" => "已批准目标调整：调整后的目标已保存为申报表的新版本。",
            "adjustment_refused" => "已不予批准目标调整，现行目标不变。",
            _ => return None,
        }
        .to_string(),
    )
}

async fn show(
    State(state): State<AppState>,
    PageUser(s): PageUser,
    Path(id): Path<i64>,
    Query(q): Query<ShowQuery>,
) -> PageResult {
    // An expert declares no conflict of interest before the first look.
    if s.actor.role == jixiao_app::role::Role::Expert
        && let Some(due) = page(state.app.declaration_due(&s.actor, id).await)?
    {
        return Ok(see_other(&format!("/assignments/{due}")));
    }
    let view = page(state.app.form(&s.actor, id).await)?;
    let words = q.q.trim().to_string();
    let mut page_view = form_page_view(
        &state,
        &s,
        view.clone(),
        message_of(&q.msg, &q.action),
        Vec::new(),
        None,
    )
    .await?;
    if !words.is_empty() && page_view.suggestions.is_some() {
        page_view.suggestions = Some(suggest_panel(&state, &s, &view, &words).await?);
    }
    Ok(render(&page_view).into_response())
}

async fn form_page(
    state: &AppState,
    s: &Session,
    view: FormView,
    message: Option<String>,
    errors: Vec<FieldError>,
    raw: Option<&Fields>,
) -> Result<views::Page, WebError> {
    let page_view = form_page_view(state, s, view, message, errors, raw).await?;
    Ok(render(&page_view))
}

/// The form page's view, before it is rendered (a refused step adds its message to it).
async fn form_page_view(
    state: &AppState,
    s: &Session,
    view: FormView,
    message: Option<String>,
    errors: Vec<FieldError>,
    raw: Option<&Fields>,
) -> Result<views::FormPage, WebError> {
    let (mut grid, _) = edit::layout(&view.form, &view.assessment, raw);
    let readings = state
        .app
        .readings(&s.actor, view.head.id)
        .await
        .map_err(WebError::page)?;
    grid.mark_readings(
        &readings
            .iter()
            .map(|r| (r.path.clone(), r.text.clone(), r.confidence))
            .collect::<Vec<_>>(),
    );
    let (n_errors, n_warnings, n_infos) = counts(&view.assessment.findings);
    let sending_on = view.actions.contains(&Action::RequestConfirmation);
    let to_note = |review: bool| -> Vec<(String, String, String)> {
        if !sending_on {
            return Vec::new();
        }
        view.assessment
            .findings
            .iter()
            .filter(|f| match review {
                true => is_review(f.code),
                false => f.severity == jixiao_core::audit::Severity::Error && !is_review(f.code),
            })
            .map(|f| {
                (
                    jixiao_app::service::finding_key(f),
                    format!("{} {}：{}", f.code, f.title, f.message),
                    String::new(),
                )
            })
            .collect()
    };
    let (to_explain, to_answer) = (to_note(false), to_note(true));
    if !view.last_year.is_empty() {
        edit::note_last_year(&mut grid, &view.last_year);
    }
    let ex_ante = ex_ante_panel(&view);
    let suggestions = match view.editable
        && matches!(
            view.kind,
            FormKind::ProjectTarget | FormKind::DepartmentTarget
        ) {
        true => Some(suggest_panel(state, s, &view, "").await?),
        false => None,
    };
    let can_adopt = view.actions.contains(&Action::FinanceApprove)
        && view
            .assessment
            .scored
            .as_ref()
            .is_some_and(|sc| Some(sc.total) != view.head.total);
    let return_reason = if view.stage.returned() || view.stage == Stage::Draft {
        page(state.app.history(&s.actor, view.head.id).await)?
            .0
            .last()
            .filter(|e| Stage::from_code(&e.to_stage) == Some(view.stage))
            .and_then(|e| e.reason.clone())
    } else {
        None
    };
    // Evidence sent with a rectification's answer is listed under that rectification.
    let (fix_evidence, attachments): (Vec<_>, Vec<_>) =
        page(state.app.attachments(&s.actor, view.head.id).await)?
            .into_iter()
            .partition(|a| a.fix_id.is_some());
    let attachments = attachments
        .into_iter()
        .map(|a| (a.id, a.name, size(a.size)))
        .collect();
    let (has_rows, row_ops) = row_ops(&view.form);
    let scored = view.assessment.scored.as_ref();
    let exports = if view.kind == FormKind::Report {
        vec![("docx", "自评报告 Word"), ("pdf", "自评报告 PDF")]
    } else {
        vec![
            ("docx", "Word"),
            ("xlsx", "Excel"),
            ("pdf", "PDF"),
            ("html", "网页"),
        ]
    };
    // Declarations, monitoring forms and self-evaluations can be filled offline.
    let templates = matches!(
        view.kind,
        FormKind::ProjectTarget
            | FormKind::DepartmentTarget
            | FormKind::Monitoring
            | FormKind::ProjectSelfEvaluation
            | FormKind::DepartmentSelfEvaluation
    );
    let rights = page(state.app.rights_at(&s.actor, view.head.org_id).await)?;
    let adjustments = crate::adjustment::panel(state, s, &view, &rights).await?;
    let assignments = crate::expert::panel(state, s, view.head.id, &rights).await?;
    let payments = match view.kind {
        FormKind::Monitoring => crate::payment::panel(state, s, view.head.id).await?,
        _ => None,
    };
    let can_answer = rights.answer_rectification;
    let can_rectify = rights.rectify;
    let fixes = page(state.app.fixes_of(&s.actor, view.head.id).await)?
        .iter()
        .map(|x| {
            let mut view = views::FixView::of(x, can_answer, can_rectify);
            view.evidence = fix_evidence
                .iter()
                .filter(|a| a.fix_id == Some(x.id))
                .map(|a| (a.id, a.name.clone(), size(a.size)))
                .collect();
            view
        })
        .collect();
    let can_copy = matches!(
        view.kind,
        FormKind::ProjectTarget | FormKind::DepartmentTarget
    ) && rights.create;
    let (warnings, missing) = monitor_lines(view.assessment.monitor.as_ref());
    let page_view = views::FormPage {
        is_monitoring: view.assessment.monitor.is_some(),
        warnings,
        missing,
        fixes,
        can_rectify,
        can_copy,
        nav: Nav::of(s),
        csrf: s.csrf.clone(),
        id: view.head.id,
        kind: view.kind.name(),
        name: view.head.name.clone(),
        org: view.org_name.clone(),
        year: view.head.year,
        stage: view.stage.name(),
        stage_code: view.stage.code(),
        version: view.head.version,
        total: view.head.total.map(|t| t.to_string()),
        grade: view.head.grade.map(|g| g.name().to_string()),
        total_basis: view.total_basis.map(|b| b.name()),
        computed: scored.map(computed_text),
        total_explained: view.total_explained.clone(),
        deletable: view.deletable,
        can_adopt,
        message,
        errors,
        return_reason,
        deadline: view
            .deadline
            .as_ref()
            .map(|d| (d.date.clone(), d.overdue_days)),
        grid,
        editable: view.editable,
        has_rows,
        row_ops,
        findings: view
            .assessment
            .findings
            .iter()
            .map(|f| FindingView::with_notes(f, &view.notes))
            .collect(),
        oob: false,
        n_errors,
        n_warnings,
        n_infos,
        to_answer,
        suggestions,
        ex_ante,
        adjustments,
        payments,
        assignments,
        needs_reason: view.actions.iter().any(|a| a.step().needs_reason)
            || !to_explain.is_empty()
            || can_adopt,
        to_explain,
        action_error: None,
        typed_reason: String::new(),
        adopt_checked: false,
        actions: view.actions.iter().map(|a| (a.code(), a.name())).collect(),
        exports,
        templates,
        attachments,
        readings,
    };
    Ok(page_view)
}

/// The row operations a form's editor offers (insert after, delete), and whether it has rows.
pub(crate) fn row_ops(form: &Form) -> (bool, Vec<(String, String)>) {
    let rows = match form {
        Form::ProjectSelfEvaluation(f) | Form::DepartmentSelfEvaluation(f) => f.indicators.len(),
        Form::ProjectTarget(f) => f.indicators.len(),
        Form::DepartmentTarget(f) => f.indicators.len(),
        Form::Report(r) => r.sections.len(),
        Form::TransferPayment(t) => t.indicators.len(),
        Form::ExAnteAssessment(a) => a.aspects.len(),
        _ => 0,
    };
    let what = match form {
        Form::Report(_) => "章节",
        Form::ExAnteAssessment(_) => "评估内容",
        _ => "指标行",
    };
    let ops = (0..rows)
        .flat_map(|k| {
            [
                (
                    format!("add:{k}"),
                    format!(
                        "在第{}{what}后插入一{}",
                        k + 1,
                        if what == "章节" { "节" } else { "行" }
                    ),
                ),
                (format!("delete:{k}"), format!("删除第{}{what}", k + 1)),
            ]
        })
        .collect();
    (rows > 0, ops)
}

/// A project declaration's 事前绩效评估 panel: the assessment's figures, or what the year
/// requires and is missing.
fn ex_ante_panel(view: &FormView) -> Option<views::ExAntePanel> {
    match (&view.ex_ante, view.ex_ante_required) {
        (None, false) => None,
        (None, true) => Some(views::ExAntePanel {
            id: None,
            lines: vec![
                "本年度要求项目申报附事前绩效评估，尚未找到本项目的事前绩效评估表。".into(),
                "请先新建“事前绩效评估表”（项目名称与本表相同），评估并提交后再送确认。".into(),
            ],
            ok: false,
        }),
        (Some(link), required) => {
            let mut lines = vec![format!(
                "总分{}，按得分结论：{}（{}）",
                link.total.normalize(),
                link.conclusion.map_or("尚未评完分", |c| c.name()),
                link.stage.name()
            )];
            if let Some(stated) = link.stated
                && Some(stated) != link.conclusion
            {
                lines.push(format!("评估表填写的结论为“{}”，与得分不符", stated.name()));
            }
            if required && !link.admits() {
                lines.push(
                    "本年度要求申报项目的事前评估已提交且结论为予以支持或调整完善后予以支持，目前不满足，不能送确认。"
                        .into(),
                );
            }
            Some(views::ExAntePanel {
                id: Some(link.id),
                lines,
                ok: !required || link.admits(),
            })
        }
    }
}

/// The library's suggestions for a declaration, searched by `words`.
async fn suggest_panel(
    state: &AppState,
    s: &Session,
    view: &FormView,
    words: &str,
) -> Result<views::SuggestPanel, WebError> {
    let found = page(state.app.suggestions_for(&s.actor, view, words, 8).await)?;
    Ok(views::SuggestPanel {
        q: words.trim().to_string(),
        items: found.iter().map(views::SuggestItem::of).collect(),
    })
}

/// The computed score as the header shows it: `91.43（优）`, or provisional.
fn computed_text(sc: &jixiao_core::scoring::ScoredForm) -> String {
    let t = jixiao_core::money::round2(sc.total).normalize().to_string();
    if sc.complete {
        format!("{t}（{}）", sc.grade.name())
    } else {
        format!("{t}（暂定：有未能计算的得分）")
    }
}

/// A monitoring form's lights that are not green, and what it still has to state.
type MonitorLines = (
    Vec<(&'static str, &'static str, String, String)>,
    Vec<String>,
);

fn monitor_lines(m: Option<&jixiao_core::monitor::MonitorResult>) -> MonitorLines {
    let Some(m) = m else {
        return (Vec::new(), Vec::new());
    };
    let mut w = Vec::new();
    if let Some(l) = m.execution.light.filter(|l| *l != Light::Green) {
        w.push((
            l.name(),
            l.code(),
            "预算执行进度".to_string(),
            m.execution.explanation.to_string(),
        ));
    }
    for i in &m.indicators {
        if let Some(l) = i.light.filter(|l| *l != Light::Green) {
            w.push((
                l.name(),
                l.code(),
                i.name.clone(),
                i.explanation.to_string(),
            ));
        }
    }
    (w, m.missing.clone())
}

fn size(bytes: i64) -> String {
    if bytes >= 1024 * 1024 {
        format!(
            "{}.{} MB",
            bytes / 1024 / 1024,
            bytes * 10 / 1024 / 1024 % 10
        )
    } else if bytes >= 1024 {
        format!("{} KB", bytes / 1024)
    } else {
        format!("{bytes} 字节")
    }
}

async fn save(State(state): State<AppState>, Posted(s, f, Path(id), ..): FormPost) -> PageResult {
    let version = version(id, &f)?;
    let stored = on_form(id, state.app.form(&s.actor, id).await)?;
    let op = if f.get("save").map(String::as_str) == Some("rows") {
        f.get("op").and_then(|o| RowOp::parse(o))
    } else {
        None
    };
    // 添加 beside a suggestion: the typed fields are saved with the library's indicator.
    let adding = match f.get("add_indicator").map(|k| k.trim()) {
        Some(key) if !key.is_empty() => Some(on_form(
            id,
            state
                .app
                .suggestion(&s.actor, key, &stored.head.name, stored.head.year)
                .await,
        )?),
        _ => None,
    };
    let applied = edit::apply(&stored.form, &f, op).map(|mut new| {
        let added = adding
            .as_ref()
            .and_then(|a| edit::add_indicator(&mut new, a.level1, a.level2, &a.name, &a.typical));
        (new, added)
    });
    match applied.map(|(new, added)| (new, added.is_some())) {
        Err(errors) => {
            let html = form_page(&state, &s, stored, None, errors, Some(&f)).await?;
            Ok(html.with_status(StatusCode::UNPROCESSABLE_ENTITY))
        }
        Ok((new, added)) => match state.app.save(&s.actor, id, version, new).await {
            Ok(_) if added => Ok(to_form(id, "?msg=added")),
            Ok(_) => Ok(to_form(id, "?msg=saved")),
            Err(AppError::Refused(problems)) => {
                let errors = problems
                    .into_iter()
                    .map(|p| FieldError {
                        path: p.path,
                        message: p.message,
                    })
                    .collect();
                let html = form_page(&state, &s, stored, None, errors, Some(&f)).await?;
                Ok(html.with_status(StatusCode::UNPROCESSABLE_ENTITY))
            }
            Err(e @ AppError::Conflict { .. }) => {
                let msg = crate::error::message(&e);
                let current = on_form(id, state.app.form(&s.actor, id).await)?;
                let html = form_page(&state, &s, current, Some(msg), Vec::new(), None).await?;
                Ok(html.with_status(StatusCode::CONFLICT))
            }
            Err(e) => Err(WebError::on_form(id, e)),
        },
    }
}

async fn preview(
    State(state): State<AppState>,
    Posted(s, f, Path(id), ..): PagePost<Fields, Path<i64>>,
) -> PageResult {
    let stored = page(state.app.form(&s.actor, id).await)?;
    let new = match edit::apply(&stored.form, &f, None) {
        Ok(new) => new,
        Err(errors) => {
            let text = errors
                .iter()
                .map(|e| e.message.clone())
                .collect::<Vec<_>>()
                .join("；");
            return Ok(axum::response::Html(format!(
                "<span id=\"live-status\" class=\"bad\">{}</span>",
                escape(&format!("暂不能计算：{text}"))
            ))
            .into_response());
        }
    };
    let view = page(state.app.preview(&s.actor, id, new).await)?;
    let (grid, mut calcs) = edit::layout(&view.form, &view.assessment, None);
    // The header's computed score follows the typing too (the total itself is the stated one
    // until review, and changes only when saved).
    if let Some(sc) = view.assessment.scored.as_ref() {
        calcs.push(("computed-total".to_string(), computed_text(sc)));
    }
    let markers = grid
        .inputs()
        .map(|i| (i.marker.clone(), i.findings.clone()))
        .collect();
    let (n_errors, n_warnings, n_infos) = counts(&view.assessment.findings);
    let (warnings, missing) = monitor_lines(view.assessment.monitor.as_ref());
    Ok(render(&views::Preview {
        is_monitoring: view.assessment.monitor.is_some(),
        warnings,
        missing,
        calcs,
        markers,
        findings: view
            .assessment
            .findings
            .iter()
            .map(FindingView::of)
            .collect(),
        oob: true,
        n_errors,
        n_warnings,
        n_infos,
    })
    .into_response())
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

async fn act(State(state): State<AppState>, Posted(s, f, Path(id), ..): FormPost) -> PageResult {
    let action = f
        .get("action")
        .and_then(|a| Action::from_code(a))
        .ok_or_else(|| WebError::on_form(id, AppError::Invalid("未知的操作".into())))?;
    let version = version(id, &f)?;
    let input = StepInput {
        reason: f.get("reason").cloned(),
        adopt_computed: f.get("adopt_computed").map(String::as_str) == Some("1"),
        notes: f
            .iter()
            .filter_map(|(k, v)| Some((k.strip_prefix("note:")?.to_string(), v.clone())))
            .collect(),
    };
    match state
        .app
        .act_with(&s.actor, id, version, action, &input)
        .await
    {
        Ok(_) => Ok(to_form(id, &format!("?msg=acted&action={}", action.code()))),
        // Refused for what was (not) typed or for the form's stage: said on the form itself,
        // beside the buttons, with the reason and explanations as typed.
        Err(e @ (AppError::Invalid(_) | AppError::Workflow(_) | AppError::Conflict { .. })) => {
            let status = crate::error::status(&e);
            let current = on_form(id, state.app.form(&s.actor, id).await)?;
            let mut view = form_page_view(&state, &s, current, None, Vec::new(), None).await?;
            view.action_error = Some(crate::error::message(&e));
            view.typed_reason = input.reason.clone().unwrap_or_default();
            view.adopt_checked = input.adopt_computed;
            for (key, _, typed) in view.to_explain.iter_mut().chain(&mut view.to_answer) {
                if let Some((_, note)) = input.notes.iter().find(|(k, _)| k == key) {
                    typed.clone_from(note);
                }
            }
            Ok(render(&view).with_status(status))
        }
        Err(e) => Err(WebError::on_form(id, e)),
    }
}

async fn delete_draft(
    State(state): State<AppState>,
    Posted(s, f, Path(id), ..): FormPost,
) -> PageResult {
    let version = version(id, &f)?;
    if f.get("confirm").map(String::as_str) != Some("1") {
        let view = on_form(id, state.app.form(&s.actor, id).await)?;
        return Ok(render(&views::ConfirmDelete {
            nav: Nav::of(&s),
            csrf: s.csrf.clone(),
            id,
            version,
            kind: view.kind.name(),
            name: view.head.name,
            year: view.head.year,
        })
        .into_response());
    }
    on_form(id, state.app.delete_draft(&s.actor, id, version).await)?;
    Ok(see_other("/forms?msg=deleted"))
}

async fn restore(
    State(state): State<AppState>,
    Posted(s, f, Path(id), ..): FormPost,
) -> PageResult {
    // Whether the form is there for this user comes first, so another unit's id answers as a
    // missing one, whatever was posted.
    on_form(id, state.app.form(&s.actor, id).await)?;
    let version = version(id, &f)?;
    let from: i64 = f
        .get("from")
        .and_then(|v| v.parse().ok())
        .ok_or_else(|| WebError::on_form(id, AppError::Invalid("缺少要恢复的版本号".into())))?;
    on_form(id, state.app.restore(&s.actor, id, version, from).await)?;
    Ok(to_form(id, "?msg=restored"))
}

/// `POST /forms/{id}/readings/confirm`: the unit confirms the scan's uncertain readings.
async fn confirm_readings(
    State(state): State<AppState>,
    Posted(s, _, Path(id), ..): FormPost,
) -> PageResult {
    on_form(id, state.app.confirm_readings(&s.actor, id).await)?;
    Ok(to_form(id, "?msg=readings"))
}

async fn import_into(
    State(state): State<AppState>,
    Posted(s, mut up, Path(id), ..): FormPost<Upload>,
) -> PageResult {
    let version = version(id, &up.fields)?;
    let (file, _, bytes) = up
        .files
        .pop()
        .ok_or_else(|| WebError::on_form(id, AppError::Invalid("请选择要导入的文件".into())))?;
    let confirmed = crate::api::confirmed(&up.fields);
    let outcome = match state
        .app
        .import_into_with(&s.actor, id, version, &file, &bytes, confirmed)
        .await
    {
        Ok(outcome) => outcome,
        Err(e @ AppError::Unconfirmed { .. }) => {
            let hidden = vec![("version".to_string(), version.to_string())];
            let back = format!("/forms/{id}");
            return question(&s, format!("/forms/{id}/import"), file, hidden, back, e);
        }
        Err(e) => return Err(WebError::on_form(id, e)),
    };
    let changes = outcome
        .changes
        .iter()
        .take(200)
        .map(|c| jixiao_app::diff::describe(std::slice::from_ref(c), 1))
        .collect();
    let undo = outcome.replaced.first().copied();
    Ok(render(&views::ImportPage {
        nav: Nav::of(&s),
        csrf: s.csrf.clone(),
        file,
        outcome,
        back: format!("/forms/{id}"),
        changes,
        undo,
    })
    .into_response())
}

async fn export(
    State(state): State<AppState>,
    PageUser(s): PageUser,
    Path((id, format)): Path<(i64, String)>,
) -> PageResult {
    let format = Format::parse(&format).ok_or_else(|| {
        WebError::on_form(
            id,
            AppError::Invalid(format!(
                "不支持导出为“{format}”：可用 docx、xlsx、pdf、html、json"
            )),
        )
    })?;
    let d = on_form(id, state.app.export(&s.actor, id, format).await)?;
    Ok(download(d))
}

/// `GET /forms/{id}/template/{format}`: the form's offline template, `.xlsx` or `.docx`.
async fn template(
    State(state): State<AppState>,
    PageUser(s): PageUser,
    Path((id, format)): Path<(i64, String)>,
) -> PageResult {
    let format = Format::parse(&format)
        .filter(|f| matches!(f, Format::Xlsx | Format::Docx))
        .ok_or_else(|| {
            WebError::on_form(
                id,
                AppError::Invalid(format!("离线填报模板没有“{format}”格式：可用 xlsx、docx")),
            )
        })?;
    let d = on_form(id, state.app.template(&s.actor, id, format).await)?;
    Ok(download(d))
}

/// A file download with a safe, UTF-8 file name.
pub(crate) fn download(d: jixiao_app::service::Download) -> Response {
    let ascii: String = d
        .name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '.' || c == '-' {
                c
            } else {
                '_'
            }
        })
        .collect();
    let encoded: String = d
        .name
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
                char::from(b).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect();
    (
        [
            (header::CONTENT_TYPE, d.content_type.to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{ascii}\"; filename*=UTF-8''{encoded}"),
            ),
        ],
        d.bytes,
    )
        .into_response()
}

async fn history(
    State(state): State<AppState>,
    PageUser(s): PageUser,
    Path(id): Path<i64>,
) -> PageResult {
    let view = page(state.app.form(&s.actor, id).await)?;
    let (events, entries) = page(state.app.history(&s.actor, id).await)?;
    let names = page(state.app.author_names(&s.actor, id, &entries).await)?;
    let name_of = |e: &jixiao_app::rows::LogEntry| {
        e.user_id
            .and_then(|u| names.get(&u).cloned())
            .unwrap_or_else(|| "系统".to_string())
    };
    let stage =
        |c: &str| Stage::from_code(c).map_or_else(|| c.to_string(), |st| st.name().to_string());
    let mut versions: Vec<(i64, String, String)> = entries
        .iter()
        .filter_map(|e| {
            let v: serde_json::Value = serde_json::from_str(&e.detail).ok()?;
            let n = match e.action.as_str() {
                "create" => 1,
                "save" => v.get("version")?.as_i64()?,
                _ => return None,
            };
            Some((n, clock::minute(e.at), name_of(e)))
        })
        .collect();
    versions.sort_by_key(|v| std::cmp::Reverse(v.0));
    let page_view = views::History {
        nav: Nav::of(&s),
        csrf: s.csrf.clone(),
        id,
        version: view.head.version,
        restorable: view.editable,
        versions,
        name: view.head.name,
        events: events
            .iter()
            .map(|e| {
                (
                    clock::minute(e.at),
                    e.display_name.clone(),
                    Action::from_code(&e.action)
                        .map_or_else(|| e.action.clone(), |a| a.name().to_string()),
                    stage(&e.from_stage),
                    stage(&e.to_stage),
                    e.reason.clone().unwrap_or_default(),
                )
            })
            .collect(),
        changes: entries
            .iter()
            .map(|e| {
                (
                    e.id,
                    sentence(&name_of(e), &clock::minute(e.at), &e.action, &e.detail),
                )
            })
            .collect(),
    };
    Ok(render(&page_view).into_response())
}

/// The changes a change-log entry lists (`[{path, old, new}]`).
fn change_list(changes: Option<&serde_json::Value>) -> Vec<jixiao_app::diff::Change> {
    changes
        .and_then(|c| c.as_array())
        .into_iter()
        .flatten()
        .filter_map(|c| {
            Some(jixiao_app::diff::Change {
                path: c.get("path")?.as_str()?.to_string(),
                old: c.get("old")?.clone(),
                new: c.get("new")?.clone(),
            })
        })
        .collect()
}

/// A change-log entry as a sentence: who, when, and what — the fields a save changed by
/// their names (「张三 于 2026-03-01 10:00 保存第3版：将「第1项指标的实际完成值」由“95%”改为
/// “100%”」), a workflow step by its name with the stages and the reason, what was created,
/// restored, deleted or attached.
fn sentence(who: &str, at: &str, action: &str, detail: &str) -> String {
    let v: serde_json::Value = serde_json::from_str(detail).unwrap_or_default();
    let text = |k: &str| v.get(k).and_then(|x| x.as_str()).map(str::to_string);
    let stage =
        |c: &str| Stage::from_code(c).map_or_else(|| c.to_string(), |st| st.name().to_string());
    let what = if let (Some(from), Some(to)) = (text("from"), text("to")) {
        let step = Action::from_code(action).map_or("变更状态", Action::name);
        let reason = text("reason")
            .map(|r| format!("，原因：{r}"))
            .unwrap_or_default();
        let total = text("total")
            .map(|t| format!("，审定总分{t}"))
            .unwrap_or_default();
        format!("{step}（{} → {}{reason}{total}）", stage(&from), stage(&to))
    } else if let Some(request) = v.get("changes").and_then(|c| c.get("adjustment")) {
        let changes = change_list(v.get("changes").and_then(|c| c.get("changes")));
        let version = v
            .get("version")
            .and_then(serde_json::Value::as_i64)
            .map(|n| format!("第{n}版"))
            .unwrap_or_default();
        format!(
            "按批准的绩效目标调整申请{request}保存{version}：{}",
            jixiao_app::diff::sentences(&changes, 12)
        )
    } else if let Some(restored) = v.get("changes").and_then(|c| c.get("restored_from")) {
        format!("将表单恢复为第{restored}版的内容")
    } else if action == "delete" {
        format!("删除草稿「{}」", text("name").unwrap_or_default())
    } else if action == "readings_confirmed" {
        let n = v
            .get("readings")
            .and_then(serde_json::Value::as_i64)
            .unwrap_or(0);
        let fields: Vec<&str> = v
            .get("fields")
            .and_then(|f| f.as_array())
            .map(|f| f.iter().filter_map(|x| x.as_str()).collect())
            .unwrap_or_default();
        format!("确认扫描识别结果与原件一致（{n}处：{}）", fields.join("、"))
    } else if action == "readings_set" {
        let n = v
            .get("readings")
            .and_then(serde_json::Value::as_i64)
            .unwrap_or(0);
        format!("导入扫描件，{n}处识别结果待核对")
    } else if let (Some(kind), Some(name)) = (text("kind"), text("name")) {
        let kind = FormKind::from_code(&kind).map_or(kind, |k| k.name().to_string());
        format!("新建{kind}「{name}」")
    } else if let Some(name) = text("name").filter(|_| v.get("attachment").is_some()) {
        if v.get("rectification").is_some() {
            format!("上传整改佐证材料「{name}」")
        } else {
            format!("上传佐证材料「{name}」")
        }
    } else if let Some(changes) = v.get("changes").filter(|c| c.is_array()) {
        let changes = change_list(Some(changes));
        let version = v
            .get("version")
            .and_then(serde_json::Value::as_i64)
            .map(|n| format!("保存第{n}版："))
            .unwrap_or_else(|| "保存修改：".to_string());
        format!("{version}{}", jixiao_app::diff::sentences(&changes, 12))
    } else {
        match action {
            "save" => "保存修改".to_string(),
            "create" => "新建表单".to_string(),
            "attach" => "上传佐证材料".to_string(),
            other => Action::from_code(other)
                .map_or_else(|| "其他操作".to_string(), |a| a.name().to_string()),
        }
    };
    format!("{who} 于 {at} {what}")
}

async fn attach(
    State(state): State<AppState>,
    Posted(s, mut up, Path(id), ..): FormPost<Upload>,
) -> PageResult {
    let (file, content_type, bytes) = up
        .files
        .pop()
        .ok_or_else(|| WebError::on_form(id, AppError::Invalid("请选择文件".into())))?;
    on_form(
        id,
        state
            .app
            .attach(&s.actor, id, &file, &content_type, &bytes)
            .await,
    )?;
    Ok(to_form(id, "?msg=attached"))
}

async fn attachment(
    State(state): State<AppState>,
    PageUser(s): PageUser,
    Path(id): Path<i64>,
) -> PageResult {
    let (row, bytes) = page(state.app.attachment(&s.actor, id).await)?;
    // Served as a download, never rendered in our origin.
    Ok(download(jixiao_app::service::Download {
        name: row.name,
        content_type: "application/octet-stream",
        bytes,
    }))
}

// ── years ───────────────────────────────────────────────────────────────────────────────

#[derive(Debug, Default, Deserialize)]
struct YearsQuery {
    /// `saved` after a year was opened or its deadlines changed, `settings` after its settings
    /// were saved; with the year.
    #[serde(default)]
    msg: String,
    #[serde(default)]
    year: String,
}

async fn years(
    State(state): State<AppState>,
    PageUser(s): PageUser,
    Query(q): Query<YearsQuery>,
) -> PageResult {
    let year = q
        .year
        .parse::<i64>()
        .ok()
        .filter(|y| (2000..=2100).contains(y));
    let notice = match (q.msg.as_str(), year) {
        ("saved", Some(y)) => Some(format!("已保存{y}年度的开放状态和截止日期。")),
        ("settings", Some(y)) => Some(format!("已保存{y}年度的计分、预警和结果应用设置。")),
        _ => None,
    };
    Ok(years_page(&state, &s, None, notice).await?.into_response())
}

/// The built-in evaluation rule sets: (code, title).
fn rule_sets() -> Vec<(&'static str, &'static str)> {
    jixiao_app::evaluation::BUILT_IN
        .iter()
        .map(|r| (r.code, r.title))
        .collect()
}

/// The years page; `refused` is a year whose settings form was refused, with what was typed
/// and why.
async fn years_page(
    state: &AppState,
    s: &Session,
    refused: Option<(i64, &Fields, Vec<String>)>,
    notice: Option<String>,
) -> Result<views::Page, WebError> {
    let years = page(state.app.years().await)?;
    let can_manage = page(state.app.rights(&s.actor).await)?.manage_years;
    let rules = rule_sets();
    let mut settings = Vec::new();
    if can_manage {
        for y in &years {
            let st = page(state.app.year_settings(y.year).await)?;
            let (typed, errors) = match &refused {
                Some((year, typed, errors)) if *year == y.year => (Some(*typed), errors.clone()),
                _ => (None, Vec::new()),
            };
            let fields = crate::year_form::fields(&st, &rules, typed);
            settings.push((y.year, views::SettingsView::of(fields, errors)));
        }
    }
    Ok(render(&views::Years {
        nav: Nav::of(s),
        csrf: s.csrf.clone(),
        years,
        can_manage,
        settings,
        notice,
    }))
}

async fn put_year(State(state): State<AppState>, Posted(s, f, ..): PagePost) -> PageResult {
    let year = parse_year(f.get("year"))?;
    let date = |k: &str| {
        f.get(k)
            .map(|v| v.trim().to_string())
            .filter(|v| !v.is_empty())
    };
    let row = YearRow {
        year: i64::from(year),
        is_open: i64::from(f.get("is_open").map(String::as_str) != Some("0")),
        declaration_deadline: date("declaration_deadline"),
        monitoring_deadline: date("monitoring_deadline"),
        self_evaluation_deadline: date("self_evaluation_deadline"),
    };
    page(state.app.put_year(&s.actor, &row).await)?;
    Ok(see_other(&format!("/years?msg=saved&year={year}")))
}

async fn put_settings(
    State(state): State<AppState>,
    Posted(s, f, Path(year), ..): PagePost<Fields, Path<i64>>,
) -> PageResult {
    let st = page(state.app.year_settings(year).await)?;
    match crate::year_form::apply(&st, &f, &rule_sets()) {
        Ok(st) => {
            page(state.app.set_year_settings(&s.actor, year, &st).await)?;
            Ok(see_other(&format!("/years?msg=settings&year={year}")))
        }
        Err(errors) => {
            // Only whoever may set the year sees the form again; others are refused as before.
            page(state.app.rights(&s.actor).await).and_then(|r| {
                if r.manage_years {
                    Ok(())
                } else {
                    Err(WebError::page(AppError::Forbidden(format!(
                        "{}不能设置年度",
                        s.actor.role.name()
                    ))))
                }
            })?;
            let html = years_page(&state, &s, Some((year, &f, errors)), None).await?;
            Ok(html.with_status(StatusCode::UNPROCESSABLE_ENTITY))
        }
    }
}
