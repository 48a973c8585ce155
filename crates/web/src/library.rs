//! The indicator library over HTTP: `GET /api/v1/indicators?q=&level1=&level2=&field=&project=&year=&limit=`
//! → `{"indicators": [...]}`, the suggestions a unit sees while declaring its targets; and the
//! library page (`/library`): browsing, a unit's proposal (入库申请), the bureau's curation.

use axum::Json;
use axum::extract::{Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Redirect, Response};
use jixiao_app::AppError;
use jixiao_core::indicator::{Level1, Level2};
use jixiao_core::library::{Field, Request};
use serde::Deserialize;

use jixiao_app::curation::{Browse, NewProposal};
use jixiao_core::library::Decision;

use crate::AppState;
use crate::auth::{ApiUser, PageUser};
use crate::error::WebError;
use crate::posted::{PagePost, Posted};
use crate::views::{self, Nav, render};

/// The query string, as sent.
#[derive(Debug, Default, Deserialize)]
pub struct IndicatorParams {
    #[serde(default)]
    q: Option<String>,
    #[serde(default)]
    level1: Option<String>,
    #[serde(default)]
    level2: Option<String>,
    #[serde(default)]
    field: Option<String>,
    #[serde(default)]
    project: Option<String>,
    #[serde(default)]
    year: Option<String>,
    #[serde(default)]
    limit: Option<String>,
}

/// A parameter's value, when one is given.
fn given(v: &Option<String>) -> Option<&str> {
    v.as_deref().map(str::trim).filter(|v| !v.is_empty())
}

impl IndicatorParams {
    /// The query, each parameter read or refused with what was wrong.
    fn query(&self) -> Result<Request, AppError> {
        let level1 = given(&self.level1)
            .map(|l| {
                Level1::parse(l)
                    .ok_or_else(|| AppError::Invalid(format!("无法识别的一级指标“{l}”")))
            })
            .transpose()?;
        let level2 = given(&self.level2)
            .map(|l| {
                Level2::parse(l)
                    .ok_or_else(|| AppError::Invalid(format!("无法识别的二级指标“{l}”")))
            })
            .transpose()?;
        let field = given(&self.field)
            .map(|f| {
                Field::parse(f).ok_or_else(|| {
                    AppError::Invalid(format!(
                        "无法识别的行业领域“{f}”（可用：{}）",
                        Field::ALL.map(Field::name).join("、")
                    ))
                })
            })
            .transpose()?;
        let number = |name: &str, v: &Option<String>| {
            given(v)
                .map(|n| {
                    n.parse::<i64>()
                        .map_err(|_| AppError::Invalid(format!("参数 {name} 应为整数，收到“{n}”")))
                })
                .transpose()
        };
        let year = number("year", &self.year)?;
        let limit = number("limit", &self.limit)?.unwrap_or(20);
        let project = given(&self.project).map(str::to_string);
        // The project's name searches too, when no words are given.
        let text = given(&self.q)
            .map(str::to_string)
            .or_else(|| project.clone())
            .unwrap_or_default();
        Ok(Request {
            text,
            level1,
            level2,
            field,
            project,
            year,
            limit: usize::try_from(limit).unwrap_or(1),
        })
    }
}

/// `GET /api/v1/indicators`.
pub async fn api(
    State(state): State<AppState>,
    ApiUser(s): ApiUser,
    Query(params): Query<IndicatorParams>,
) -> Result<Response, WebError> {
    let query = params.query().map_err(WebError::api)?;
    let found = state
        .app
        .suggest_indicators(&s.actor, &query)
        .await
        .map_err(WebError::api)?;
    Ok((
        [(header::CACHE_CONTROL, "no-store")],
        Json(serde_json::json!({ "indicators": found })),
    )
        .into_response())
}

/// The library page's query.
#[derive(Debug, Default, Deserialize)]
pub struct LibraryQuery {
    #[serde(default)]
    q: String,
    #[serde(default)]
    level2: String,
    #[serde(default)]
    msg: String,
}

/// `GET /library?q=&level2=`.
pub async fn page(
    State(state): State<AppState>,
    PageUser(s): PageUser,
    Query(q): Query<LibraryQuery>,
) -> Result<Response, WebError> {
    let app = &state.app;
    let rights = app.rights(&s.actor).await.map_err(WebError::page)?;
    let level2 = Level2::parse(q.level2.trim());
    let browse = Browse {
        text: q.q.trim().to_string(),
        level2,
        pending_only: false,
        limit: 200,
    };
    let found = app
        .library_entries(&s.actor, &browse)
        .await
        .map_err(WebError::page)?;
    let proposals = match rights.curate_library {
        true => app.proposals(&s.actor).await.map_err(WebError::page)?,
        false => Vec::new(),
    };
    // Merged only within one 二级指标, into an entry in use.
    let entries = found
        .iter()
        .filter(|e| !e.pending || !rights.curate_library)
        .map(|e| views::LibraryRow {
            merge_into: found
                .iter()
                .filter(|o| o.key != e.key && o.level2 == e.level2 && !o.pending && !o.retired)
                .map(|o| (o.key.clone(), o.name.clone()))
                .collect(),
            e: e.clone(),
        })
        .collect();
    let message = match q.msg.as_str() {
        "proposed" => Some("已提交入库申请，请等待财政部门审核。".to_string()),
        "approve" => Some("已批准，该指标将推荐给各单位。".to_string()),
        "retire" => Some("已停用（或不予入库），不再推荐。".to_string()),
        "fix" => Some("已更新固化设置。".to_string()),
        "merge" => Some("已合并，原指标的使用情况计入所选指标。".to_string()),
        _ => None,
    };
    Ok(render(&views::LibraryPage {
        nav: Nav::of(&s),
        csrf: s.csrf.clone(),
        message,
        q: browse.text,
        level2: level2.map(|l| l.name().to_string()).unwrap_or_default(),
        level2s: Level2::ALL.iter().map(|l| l.name()).collect(),
        fields: Field::ALL.iter().map(|f| f.name()).collect(),
        proposals,
        entries,
        can_curate: rights.curate_library,
        can_propose: rights.propose_indicator,
    })
    .into_response())
}

/// `POST /library/propose`: a unit's 入库申请.
pub async fn propose(
    State(state): State<AppState>,
    Posted(s, f, ..): PagePost,
) -> Result<Response, WebError> {
    let text = |k: &str| f.get(k).cloned().unwrap_or_default();
    let proposal = NewProposal {
        level2: text("level2"),
        name: text("name"),
        typical: text("typical"),
        field: text("field"),
        reason: text("reason"),
    };
    state
        .app
        .propose_indicator(&s.actor, &proposal)
        .await
        .map_err(WebError::page)?;
    Ok(Redirect::to("/library?msg=proposed").into_response())
}

/// `POST /library/decide`: the bureau's decision on an entry.
pub async fn decide(
    State(state): State<AppState>,
    Posted(s, f, ..): PagePost,
) -> Result<Response, WebError> {
    let text = |k: &str| f.get(k).map(|v| v.trim().to_string()).unwrap_or_default();
    let key = text("key");
    let code = text("decision");
    let decision = match code.as_str() {
        "approve" => Decision::Approve,
        "retire" => Decision::Retire,
        "fix" => {
            let field = text("field");
            match field.as_str() {
                "" => Decision::Fix(Vec::new()),
                name => Decision::Fix(vec![Field::parse(name).ok_or_else(|| {
                    WebError::page(AppError::Invalid(format!("无法识别的行业领域“{name}”")))
                })?]),
            }
        }
        "merge" => Decision::Merge(text("into")),
        other => {
            return Err(WebError::page(AppError::Invalid(format!(
                "未知的指标库操作“{other}”"
            ))));
        }
    };
    let note = text("note");
    state
        .app
        .curate(&s.actor, &key, &decision, Some(&note))
        .await
        .map_err(WebError::page)?;
    Ok(Redirect::to(&format!("/library?msg={code}")).into_response())
}
