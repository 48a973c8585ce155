//! The finance bureau's dashboard page, its Excel export and its JSON (`/api/v1/dashboard`),
//! all from [`jixiao_app::App::dashboard`] so they show the same figures.

use std::sync::Arc;

use axum::Json;
use axum::extract::{Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use jixiao_app::AppError;
use jixiao_app::dashboard::{self, Dashboard};
use jixiao_app::service::Session;
use jixiao_core::audit::CHECKS;
use serde::Deserialize;

use crate::AppState;
use crate::auth::{ApiUser, PageUser};
use crate::charts;
use crate::error::WebError;
use crate::views::{self, Nav, render};

/// `?year=` (an empty or unreadable year means the newest).
#[derive(Debug, Default, Deserialize)]
pub struct YearQuery {
    #[serde(default)]
    year: Option<String>,
}

impl YearQuery {
    /// The year asked for, if any.
    pub fn year(&self) -> Option<i64> {
        self.year.as_deref().and_then(|y| y.trim().parse().ok())
    }

    /// The years the system has, newest first, and the one to show: the year asked for, else
    /// the newest.
    pub async fn among(&self, app: &jixiao_app::App) -> Result<(i64, Vec<i64>), AppError> {
        let years: Vec<i64> = app.years().await?.iter().map(|y| y.year).collect();
        let year = self
            .year()
            .or_else(|| years.first().copied())
            .unwrap_or(2026);
        Ok((year, years))
    }
}

async fn figures(
    state: &AppState,
    s: &Session,
    q: &YearQuery,
) -> Result<(Arc<Dashboard>, Vec<i64>), AppError> {
    let (year, years) = q.among(&state.app).await?;
    Ok((state.app.dashboard(&s.actor, year).await?, years))
}

/// `GET /dashboard`.
pub async fn page(
    State(state): State<AppState>,
    PageUser(s): PageUser,
    Query(q): Query<YearQuery>,
) -> Result<Response, WebError> {
    let (d, years) = figures(&state, &s, &q).await.map_err(WebError::page)?;
    // Totals as the forms state them: two decimals (`100.00`), the same text as the form page,
    // the API and the public page.
    let text = |v: Option<rust_decimal::Decimal>| v.map(|d| format!("{d:.2}")).unwrap_or_default();
    let mut error_units: Vec<(String, i64)> = d
        .units
        .iter()
        .filter(|u| u.errors > 0)
        .map(|u| (u.name.clone(), u.errors))
        .collect();
    error_units.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    error_units.truncate(10);
    let trend_years: Vec<i64> = d
        .trend
        .first()
        .map(|(_, v)| v.iter().map(|(y, _)| *y).collect())
        .unwrap_or_default();
    let view = views::DashboardPage {
        nav: Nav::of(&s),
        region: s.actor.org_name.clone(),
        year: d.year,
        years,
        deadline: d.deadline.clone().unwrap_or_else(|| "未设定".into()),
        stages: d
            .stages
            .iter()
            .map(|(st, n)| (st.code(), st.name(), *n))
            .collect(),
        overdue: d
            .units
            .iter()
            .filter(|u| u.overdue)
            .map(|u| (u.org_id, u.name.clone()))
            .collect(),
        lights: d
            .lights
            .iter()
            .zip(["red", "yellow", "blue", "green"])
            .map(|((word, n), code)| (word.clone(), code, *n))
            .collect(),
        grade_chart: charts::bars("自评等级分布", &d.grades),
        band_chart: charts::bars("自评得分分布", &d.score_bands),
        scatter: charts::scatter(
            "预算执行率与得分",
            &d.points
                .iter()
                .map(|p| (p.form_id, format!("{} {}", p.unit, p.name), p.rate, p.total))
                .collect::<Vec<_>>(),
        ),
        units: d
            .units
            .iter()
            .map(|u| views::UnitView {
                id: u.org_id,
                name: u.name.clone(),
                department: u.department.clone(),
                forms: u.forms,
                submitted: u.submitted,
                stage: u
                    .stage
                    .map_or_else(|| "未填报".to_string(), |st| st.name().to_string()),
                overdue: u.overdue,
                total: text(u.total),
                errors: u.errors,
                red: u.red_lights,
            })
            .collect(),
        checks: d
            .checks
            .iter()
            .take(10)
            .map(|(code, n)| {
                let title = CHECKS
                    .iter()
                    .find(|c| c.code == code)
                    .map_or("", |c| c.title);
                (code.clone(), title, *n)
            })
            .collect(),
        error_units,
        ranking: d
            .ranking
            .iter()
            .enumerate()
            .map(|(k, (n, t))| (k + 1, n.clone(), format!("{t:.2}")))
            .collect(),
        trend_years,
        trend: d
            .trend
            .iter()
            .map(|(n, v)| (n.clone(), v.iter().map(|(_, t)| text(*t)).collect()))
            .collect(),
        d,
    };
    Ok(render(&view).into_response())
}

/// `GET /dashboard.xlsx`.
pub async fn xlsx(
    State(state): State<AppState>,
    PageUser(s): PageUser,
    Query(q): Query<YearQuery>,
) -> Result<Response, WebError> {
    let (d, _) = figures(&state, &s, &q).await.map_err(WebError::page)?;
    let bytes = dashboard::xlsx(&d)
        .map_err(|e| WebError::page(AppError::Unwritable(format!("导出失败：{e}"))))?;
    Ok(crate::pages::download(jixiao_app::service::Download {
        name: format!("{}年度汇总分析.xlsx", d.year),
        content_type: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        bytes,
    }))
}

/// `GET /api/v1/dashboard?year=`.
pub async fn api(
    State(state): State<AppState>,
    ApiUser(s): ApiUser,
    Query(q): Query<YearQuery>,
) -> Result<Response, WebError> {
    let (d, _) = figures(&state, &s, &q).await.map_err(WebError::api)?;
    Ok(([(header::CACHE_CONTROL, "no-store")], Json(d)).into_response())
}
