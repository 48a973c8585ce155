//! The indicator library over HTTP: `GET /api/v1/indicators?q=&level1=&level2=&field=&project=&year=&limit=`
//! → `{"indicators": [...]}`, the suggestions a unit sees while declaring its targets.

use axum::Json;
use axum::extract::{Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use jixiao_app::AppError;
use jixiao_core::indicator::{Level1, Level2};
use jixiao_core::library::{Field, Request};
use serde::Deserialize;

use crate::AppState;
use crate::auth::ApiUser;
use crate::error::WebError;

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
