//! 结果应用 pages: the year's results with their budget consequences and rectifications, the
//! bureau's publication of the results page, the public page itself, rectifications on a
//! form (required, answered, closed), and a declaration copied into the next year.

use axum::extract::{FromRequest, Path, Query, Request, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use jixiao_app::AppError;
use serde::Deserialize;

use crate::AppState;
use crate::auth::PageUser;
use crate::dashboard::YearQuery;
use crate::error::{WebError, on_form};
use crate::posted::{FormPost, PagePost, PostBody, Posted, Unread, Upload, to_form};
use crate::views::{self, Nav, render};

type PageResult = Result<Response, WebError>;

/// `GET /results?year=`.
pub async fn page(
    State(state): State<AppState>,
    PageUser(s): PageUser,
    Query(q): Query<YearQuery>,
) -> PageResult {
    let app = &state.app;
    let (year, years) = q.among(app).await.map_err(WebError::page)?;
    let rows = app.results(&s.actor, year).await.map_err(WebError::page)?;
    let settings = app.year_settings(year).await.map_err(WebError::page)?;
    let rights = app.rights(&s.actor).await.map_err(WebError::page)?;
    let view = views::ResultsPage {
        nav: Nav::of(&s),
        csrf: s.csrf.clone(),
        year,
        years,
        public: settings.results_public,
        can_publish: rights.publish_results,
        can_rectify: rights.rectify,
        default_deadline: app.clock().in_days(60),
        rows: rows
            .iter()
            .map(|r| {
                let open = r
                    .fixes
                    .iter()
                    .filter(|x| x.status == jixiao_app::results::FixStatus::Open)
                    .count();
                views::ResultView {
                    id: r.form.id,
                    unit: r.unit.clone(),
                    kind: r.form.kind.name().to_string(),
                    name: r.form.name.clone(),
                    stage: r.form.stage.name().to_string(),
                    total: r.form.total.map(|t| t.to_string()).unwrap_or_default(),
                    grade: r
                        .form
                        .grade
                        .map(|g| g.name().to_string())
                        .unwrap_or_default(),
                    consequence: r.consequence.clone().unwrap_or_default(),
                    fixes: if r.fixes.is_empty() {
                        String::new()
                    } else {
                        format!("{}项（未整改{open}项）", r.fixes.len())
                    },
                }
            })
            .collect(),
    };
    Ok(render(&view).into_response())
}

/// `POST /results/publish`.
pub async fn publish(State(state): State<AppState>, Posted(s, f, ..): PagePost) -> PageResult {
    let year: i64 = f
        .get("year")
        .and_then(|y| y.parse().ok())
        .ok_or_else(|| WebError::page(AppError::Invalid("缺少年度".into())))?;
    let public = f.get("public").map(String::as_str) == Some("1");
    state
        .app
        .publish_results(&s.actor, year, public)
        .await
        .map_err(WebError::page)?;
    Ok(Redirect::to(&format!("/results?year={year}")).into_response())
}

/// `GET /public/results/{year}`: no sign-in needed; 404 until the bureau publishes it.
pub async fn public(State(state): State<AppState>, Path(year): Path<i64>) -> PageResult {
    match state
        .app
        .public_results(year)
        .await
        .map_err(WebError::page)?
    {
        Some(results) => Ok(render(&views::PublicPage {
            nav: None,
            year,
            authority: results.authority.join("、"),
            published_on: results.published_on.unwrap_or_default(),
            rows: results.rows,
        })
        .into_response()),
        None => Ok(
            views::error_page("未公开", &format!("{year}年度的评价结果尚未公开"), "/login")
                .with_status(StatusCode::NOT_FOUND),
        ),
    }
}

/// The document of a published self-evaluation, for anyone (no session).
pub async fn public_form(
    State(state): State<AppState>,
    Path((year, id)): Path<(i64, i64)>,
) -> PageResult {
    Ok(crate::pages::download(
        state
            .app
            .public_form(year, id)
            .await
            .map_err(WebError::page)?,
    ))
}

/// The fields of the rectification forms.
#[derive(Debug, Deserialize)]
pub struct FixForm {
    #[serde(rename = "_csrf", default)]
    csrf: String,
    #[serde(default)]
    description: String,
    #[serde(default)]
    deadline: String,
    #[serde(default)]
    answer: String,
}

/// Read as an urlencoded form; its `_csrf` field (empty when not posted) is the token.
impl PostBody for FixForm {
    async fn read(req: Request, state: &AppState) -> Result<Self, Unread> {
        axum::Form::<FixForm>::from_request(req, state)
            .await
            .map(|axum::Form(f)| f)
            .map_err(|r| Unread::Rejected(r.into_response()))
    }

    fn csrf(&self) -> Option<&str> {
        Some(&self.csrf)
    }
}

/// `POST /forms/{id}/fixes`.
pub async fn require(
    State(state): State<AppState>,
    Posted(s, f, Path(id), ..): FormPost<FixForm>,
) -> PageResult {
    let app = &state.app;
    on_form(
        id,
        app.require_fix(&s.actor, id, &f.description, f.deadline.trim(), None)
            .await,
    )?;
    Ok(to_form(id, "#fixes"))
}

/// `POST /forms/{id}/fixes/from-findings`.
pub async fn from_findings(
    State(state): State<AppState>,
    Posted(s, f, Path(id), ..): FormPost<FixForm>,
) -> PageResult {
    let app = &state.app;
    on_form(
        id,
        app.fixes_from_findings(&s.actor, id, f.deadline.trim())
            .await,
    )?;
    Ok(to_form(id, "#fixes"))
}

/// A rectification's answer: the text, and the evidence files when posted as multipart (the
/// page's form); a plain urlencoded answer carries text only.
#[derive(Debug, Default)]
pub struct AnswerPost {
    csrf: String,
    answer: String,
    evidence: Vec<(String, String, Vec<u8>)>,
}

impl PostBody for AnswerPost {
    async fn read(req: Request, state: &AppState) -> Result<Self, Unread> {
        let multipart = req
            .headers()
            .get(axum::http::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("multipart/"));
        if multipart {
            let mut up = Upload::read(req, state).await?;
            Ok(AnswerPost {
                csrf: up.fields.remove("_csrf").unwrap_or_default(),
                answer: up.fields.remove("answer").unwrap_or_default(),
                evidence: up.files,
            })
        } else {
            let f = FixForm::read(req, state).await?;
            Ok(AnswerPost {
                csrf: f.csrf,
                answer: f.answer,
                evidence: Vec::new(),
            })
        }
    }

    fn csrf(&self) -> Option<&str> {
        Some(&self.csrf)
    }
}

/// `POST /fixes/{id}/answer`.
pub async fn answer(
    State(state): State<AppState>,
    Posted(s, f, Path(fix), ..): PagePost<AnswerPost, Path<i64>>,
) -> PageResult {
    let form = state
        .app
        .answer_fix(&s.actor, fix, &f.answer, &f.evidence)
        .await
        .map_err(WebError::page)?;
    Ok(to_form(form, "#fixes"))
}

/// `POST /fixes/{id}/close`.
pub async fn close(
    State(state): State<AppState>,
    Posted(s, _, Path(fix), ..): PagePost<FixForm, Path<i64>>,
) -> PageResult {
    let form = state
        .app
        .close_fix(&s.actor, fix)
        .await
        .map_err(WebError::page)?;
    Ok(to_form(form, "#fixes"))
}

/// `POST /forms/{id}/copy`: the declaration as next year's draft.
pub async fn copy(
    State(state): State<AppState>,
    Posted(s, _, Path(id), ..): FormPost<FixForm>,
) -> PageResult {
    let new = on_form(id, state.app.copy_to_next_year(&s.actor, id).await)?;
    Ok(to_form(new, "?msg=created"))
}
