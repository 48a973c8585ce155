//! 第三方评审 pages and API: the bureau's registers of 中介机构 and 专家, a form's assignments
//! (its panel on the form page), and the expert's own pages: their assignments, the declaration
//! of no conflict of interest, their opinion and scores.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use jixiao_app::AppError;
use jixiao_app::access::Rights;
use jixiao_app::expert::{AssignmentView, NO_CONFLICT, NewExpert, NewInstitution};
use jixiao_app::service::Session;
use jixiao_core::spot_check::Review;
use serde::Deserialize;
use serde_json::json;

use crate::AppState;
use crate::auth::{ApiUser, PageUser};
use crate::edit::Fields;
use crate::error::{WebError, on_form};
use crate::posted::{ApiPost, FormPost, PagePost, Posted, to_form};
use crate::spot_check::{rescore_lines, review_of};
use crate::views::{self, Nav, render};

type PageResult = Result<Response, WebError>;

/// An assignment as a line of a list.
fn line(a: &AssignmentView) -> views::AssignmentLine {
    views::AssignmentLine {
        id: a.row.id,
        form_id: a.row.form_id,
        form: format!("{}年度{}：{}", a.year, a.kind_name, a.form_name),
        expert: a.expert.clone(),
        period: format!("{} 至 {}", a.row.starts, a.row.ends),
        status: a.status_name,
        running: a.running,
        opinion: a.row.opinion.clone().unwrap_or_default(),
        total: a.row.reviewed_total.clone().unwrap_or_default(),
    }
}

/// The registers page, with `message` (a new expert's one-time password).
async fn registers(state: &AppState, s: &Session, message: Option<String>) -> PageResult {
    let app = &state.app;
    let institutions = app.institutions(&s.actor).await.map_err(WebError::page)?;
    let experts = app.experts(&s.actor).await.map_err(WebError::page)?;
    Ok(render(&views::ExpertsPage {
        nav: Nav::of(s),
        csrf: s.csrf.clone(),
        message,
        institutions: institutions
            .iter()
            .map(|i| views::InstitutionLine {
                id: i.row.id,
                name: i.row.name.clone(),
                nature: i.row.nature.clone(),
                credit_rating: i.row.credit_rating.clone(),
                contact: i.row.contact.clone(),
                assignments: i.assignments,
            })
            .collect(),
        experts: experts
            .iter()
            .map(|e| views::ExpertLine {
                name: e.row.display_name.clone(),
                username: e.row.username.clone(),
                field: e.row.field.clone(),
                title: e.row.title.clone(),
                rating: e.row.rating.clone(),
                institution: e.institution.clone().unwrap_or_default(),
                assignments: e.assignments,
            })
            .collect(),
    })
    .into_response())
}

/// `GET /experts`: the registers.
pub async fn page(State(state): State<AppState>, PageUser(s): PageUser) -> PageResult {
    registers(&state, &s, None).await
}

/// The text of field `k`.
fn text(f: &Fields, k: &str) -> String {
    f.get(k).map(|v| v.trim().to_string()).unwrap_or_default()
}

/// `POST /experts/institutions`: registers an institution.
pub async fn add_institution(
    State(state): State<AppState>,
    Posted(s, f, ..): PagePost,
) -> PageResult {
    let new = NewInstitution {
        name: text(&f, "name"),
        nature: text(&f, "nature"),
        credit_rating: text(&f, "credit_rating"),
        contact: text(&f, "contact"),
    };
    state
        .app
        .register_institution(&s.actor, &new)
        .await
        .map_err(WebError::page)?;
    Ok(Redirect::to("/experts").into_response())
}

/// The institution chosen in a form (blank: none).
fn institution_of(f: &Fields) -> Result<Option<i64>, AppError> {
    match text(f, "institution_id").as_str() {
        "" => Ok(None),
        id => id
            .parse()
            .map(Some)
            .map_err(|_| AppError::Invalid(format!("所属机构“{id}”无效"))),
    }
}

/// `POST /experts`: registers an expert and shows their one-time password once.
pub async fn add_expert(State(state): State<AppState>, Posted(s, f, ..): PagePost) -> PageResult {
    let new = NewExpert {
        username: text(&f, "username"),
        display_name: text(&f, "display_name"),
        field: text(&f, "field"),
        title: text(&f, "title"),
        rating: text(&f, "rating"),
        institution_id: institution_of(&f).map_err(WebError::page)?,
    };
    let (_, password) = state
        .app
        .register_expert(&s.actor, &new)
        .await
        .map_err(WebError::page)?;
    let message = format!(
        "已登记专家{}，账号 {}，初始密码 {}（只显示这一次，请转交专家本人；首次登录须修改密码）",
        new.display_name.trim(),
        new.username.trim(),
        password
    );
    registers(&state, &s, Some(message)).await
}

/// A form's 第三方评审 panel, for those who assign experts.
pub async fn panel(
    state: &AppState,
    s: &Session,
    form_id: i64,
    rights: &Rights,
) -> Result<Option<views::AssignmentsPanel>, WebError> {
    if !rights.manage_experts {
        return Ok(None);
    }
    let app = &state.app;
    let items = on_form(form_id, app.assignments_of_form(&s.actor, form_id).await)?;
    let experts = on_form(form_id, app.experts(&s.actor).await)?;
    Ok(Some(views::AssignmentsPanel {
        items: items.iter().map(line).collect(),
        experts: experts
            .iter()
            .map(|e| {
                (
                    e.row.user_id,
                    format!("{}（{}，{}）", e.row.display_name, e.row.field, e.row.title),
                )
            })
            .collect(),
        starts: app.today(),
        ends: app.clock().in_days(30),
    }))
}

/// `POST /forms/{id}/assignments`: assigns the form to an expert for a period.
pub async fn assign(
    State(state): State<AppState>,
    Posted(s, f, Path(id), ..): FormPost,
) -> PageResult {
    // No expert chosen is answered after the access check (as one not in the register).
    let user_id: i64 = text(&f, "user_id").parse().unwrap_or(0);
    let (starts, ends) = (text(&f, "starts"), text(&f, "ends"));
    on_form(
        id,
        state
            .app
            .assign_expert(&s.actor, id, user_id, Some(&starts), Some(&ends))
            .await,
    )?;
    Ok(to_form(id, "#assignments"))
}

/// `GET /assignments`: the expert's assignments.
pub async fn mine(State(state): State<AppState>, PageUser(s): PageUser) -> PageResult {
    let items = state
        .app
        .my_assignments(&s.actor)
        .await
        .map_err(WebError::page)?;
    Ok(render(&views::AssignmentsPage {
        nav: Nav::of(&s),
        items: items.iter().map(line).collect(),
    })
    .into_response())
}

/// `GET /assignments/{id}`: the declaration until it is made, then the form and the scores.
pub async fn show(
    State(state): State<AppState>,
    PageUser(s): PageUser,
    Path(id): Path<i64>,
) -> PageResult {
    let app = &state.app;
    let a = app
        .my_assignment(&s.actor, id)
        .await
        .map_err(WebError::page)?;
    let declare = a.row.status == "assigned" && a.running;
    let scoring = matches!(a.row.status.as_str(), "declared" | "scored") && a.running;
    let lines = if scoring {
        let (_, _, scored, review) = app
            .expert_item(&s.actor, id)
            .await
            .map_err(WebError::page)?;
        scored
            .map(|sc| rescore_lines(&sc, &review))
            .unwrap_or_default()
    } else {
        Vec::new()
    };
    Ok(render(&views::AssignmentPage {
        nav: Nav::of(&s),
        csrf: s.csrf.clone(),
        line: line(&a),
        declare,
        no_conflict: NO_CONFLICT,
        declaration: a.row.declaration.clone().unwrap_or_default(),
        scoring,
        opinion: a.row.opinion.clone().unwrap_or_default(),
        score_word: "专家评分",
        lines,
    })
    .into_response())
}

/// `POST /assignments/{id}/declaration` (`no_conflict` 1 or 0, `words` for a conflict).
pub async fn declare(
    State(state): State<AppState>,
    Posted(s, f, Path(id), ..): PagePost<Fields, Path<i64>>,
) -> PageResult {
    let no_conflict = text(&f, "no_conflict") == "1";
    state
        .app
        .declare(&s.actor, id, no_conflict, &text(&f, "words"))
        .await
        .map_err(WebError::page)?;
    Ok(Redirect::to(&format!("/assignments/{id}")).into_response())
}

/// `POST /assignments/{id}/score`: the expert's opinion and scores.
pub async fn score(
    State(state): State<AppState>,
    Posted(s, f, Path(id), ..): PagePost<Fields, Path<i64>>,
) -> PageResult {
    let review = review_of(&f)?;
    state
        .app
        .score_assignment(&s.actor, id, &text(&f, "opinion"), &review)
        .await
        .map_err(WebError::page)?;
    Ok(Redirect::to(&format!("/assignments/{id}")).into_response())
}

// ── API ─────────────────────────────────────────────────────────────────────────────────

/// `GET /api/v1/institutions`.
pub async fn api_institutions(
    State(state): State<AppState>,
    ApiUser(s): ApiUser,
) -> Result<Response, WebError> {
    let list = state
        .app
        .institutions(&s.actor)
        .await
        .map_err(WebError::api)?;
    Ok(Json(list).into_response())
}

/// `POST /api/v1/institutions` → `201 {"id"}`.
pub async fn api_add_institution(
    State(state): State<AppState>,
    Posted(s, Json(b), ..): ApiPost<Json<NewInstitution>>,
) -> Result<Response, WebError> {
    let id = state
        .app
        .register_institution(&s.actor, &b)
        .await
        .map_err(WebError::api)?;
    Ok((StatusCode::CREATED, Json(json!({"id": id}))).into_response())
}

/// `GET /api/v1/experts`.
pub async fn api_experts(
    State(state): State<AppState>,
    ApiUser(s): ApiUser,
) -> Result<Response, WebError> {
    let list = state.app.experts(&s.actor).await.map_err(WebError::api)?;
    Ok(Json(list).into_response())
}

/// `POST /api/v1/experts` → `201 {"id", "user_id", "password"}` (the one-time password, once).
pub async fn api_add_expert(
    State(state): State<AppState>,
    Posted(s, Json(b), ..): ApiPost<Json<NewExpert>>,
) -> Result<Response, WebError> {
    let app = &state.app;
    let (id, password) = app
        .register_expert(&s.actor, &b)
        .await
        .map_err(WebError::api)?;
    let user_id = app
        .experts(&s.actor)
        .await
        .map_err(WebError::api)?
        .iter()
        .find(|e| e.row.id == id)
        .map(|e| e.row.user_id);
    Ok((
        StatusCode::CREATED,
        Json(json!({"id": id, "user_id": user_id, "password": password})),
    )
        .into_response())
}

/// The body of `POST /api/v1/forms/{id}/assignments`.
#[derive(Debug, Deserialize)]
pub struct AssignBody {
    /// The expert's account.
    user_id: i64,
    /// First day (today when absent).
    #[serde(default)]
    starts: Option<String>,
    /// Last day (30 days on when absent).
    #[serde(default)]
    ends: Option<String>,
}

/// `POST /api/v1/forms/{id}/assignments` → `201 {"id"}`.
pub async fn api_assign(
    State(state): State<AppState>,
    Posted(s, Json(b), Path(id), ..): ApiPost<Json<AssignBody>, Path<i64>>,
) -> Result<Response, WebError> {
    let assignment = state
        .app
        .assign_expert(
            &s.actor,
            id,
            b.user_id,
            b.starts.as_deref(),
            b.ends.as_deref(),
        )
        .await
        .map_err(WebError::api)?;
    Ok((StatusCode::CREATED, Json(json!({"id": assignment}))).into_response())
}

/// `GET /api/v1/forms/{id}/assignments`.
pub async fn api_of_form(
    State(state): State<AppState>,
    ApiUser(s): ApiUser,
    Path(id): Path<i64>,
) -> Result<Response, WebError> {
    let list = state
        .app
        .assignments_of_form(&s.actor, id)
        .await
        .map_err(WebError::api)?;
    Ok(Json(list).into_response())
}

/// `GET /api/v1/assignments`: the expert's own.
pub async fn api_mine(
    State(state): State<AppState>,
    ApiUser(s): ApiUser,
) -> Result<Response, WebError> {
    let list = state
        .app
        .my_assignments(&s.actor)
        .await
        .map_err(WebError::api)?;
    Ok(Json(list).into_response())
}

/// The body of `POST /api/v1/assignments/{id}/declaration`.
#[derive(Debug, Deserialize)]
pub struct DeclarationBody {
    /// True: no conflict of interest.
    no_conflict: bool,
    /// The conflict, when there is one.
    #[serde(default)]
    words: String,
}

/// `POST /api/v1/assignments/{id}/declaration` → `{"status"}`.
pub async fn api_declare(
    State(state): State<AppState>,
    Posted(s, Json(b), Path(id), ..): ApiPost<Json<DeclarationBody>, Path<i64>>,
) -> Result<Response, WebError> {
    let app = &state.app;
    app.declare(&s.actor, id, b.no_conflict, &b.words)
        .await
        .map_err(WebError::api)?;
    let a = app
        .my_assignment(&s.actor, id)
        .await
        .map_err(WebError::api)?;
    Ok(Json(json!({"status": a.row.status})).into_response())
}

/// The body of `POST /api/v1/assignments/{id}/score`.
#[derive(Debug, Deserialize)]
pub struct ScoreBody {
    /// The opinion.
    opinion: String,
    /// The scores (as a spot check's review), on a self-evaluation.
    #[serde(default)]
    review: Review,
}

/// `POST /api/v1/assignments/{id}/score` → `{"status", "reviewed_total"}`.
pub async fn api_score(
    State(state): State<AppState>,
    Posted(s, Json(b), Path(id), ..): ApiPost<Json<ScoreBody>, Path<i64>>,
) -> Result<Response, WebError> {
    let app = &state.app;
    app.score_assignment(&s.actor, id, &b.opinion, &b.review)
        .await
        .map_err(WebError::api)?;
    let a = app
        .my_assignment(&s.actor, id)
        .await
        .map_err(WebError::api)?;
    Ok(
        Json(json!({"status": a.row.status, "reviewed_total": a.row.reviewed_total}))
            .into_response(),
    )
}
