//! The region-wide audit pages: the bureau uploads many units' forms (a .zip), and each audit is
//! kept as a run it can reopen (`/region/runs/{id}`), filter by unit, severity, check and text,
//! and export to Excel; files that hold no form are listed with why.

use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use jixiao_app::AppError;
use jixiao_app::region::RunFindingFilter;
use jixiao_core::audit::Severity;
use serde::Deserialize;

use crate::AppState;
use crate::auth::PageUser;
use crate::error::WebError;
use crate::posted::{PagePost, Posted, Upload};
use crate::views::{self, Nav, render};

/// `GET /audit`: the upload form and the runs kept.
pub async fn page(
    State(state): State<AppState>,
    PageUser(s): PageUser,
) -> Result<Response, WebError> {
    let runs = state
        .app
        .region_runs(&s.actor)
        .await
        .map_err(WebError::page)?;
    let years: Vec<i64> = state
        .app
        .years()
        .await
        .map_err(WebError::page)?
        .iter()
        .map(|y| y.year)
        .collect();
    Ok(render(&views::RegionPage {
        nav: Nav::of(&s),
        csrf: s.csrf.clone(),
        runs: runs
            .into_iter()
            .map(|r| (jixiao_app::time::minute(r.created_at), r))
            .collect(),
        years,
    })
    .into_response())
}

/// `POST /audit` (multipart `file`, `folder`, `year`): audits, keeps the run and shows it.
pub async fn run(
    State(state): State<AppState>,
    Posted(s, up, ..): PagePost<Upload>,
) -> Result<Response, WebError> {
    let year = match up.fields.get("year").map(|y| y.trim()) {
        None | Some("") => state
            .app
            .years()
            .await
            .map_err(WebError::page)?
            .first()
            .map_or(2026, |y| y.year),
        Some(y) => y
            .parse()
            .map_err(|_| WebError::page(AppError::Invalid(format!("年度“{y}”不是年份"))))?,
    };
    let files: Vec<(String, Vec<u8>)> = up.files.into_iter().map(|(n, _, b)| (n, b)).collect();
    if files.is_empty() {
        return Err(WebError::page(AppError::Invalid(
            "请选择要审核的文件或文件夹".into(),
        )));
    }
    let id = state
        .app
        .region_audit_run(&s.actor, year, files)
        .await
        .map_err(WebError::page)?;
    Ok(Redirect::to(&format!("/region/runs/{id}")).into_response())
}

/// `?unit=&severity=&code=&q=`: which findings of a run to show (empty means any).
#[derive(Debug, Default, Deserialize)]
pub struct RunQuery {
    unit: Option<String>,
    severity: Option<String>,
    code: Option<String>,
    q: Option<String>,
}

impl RunQuery {
    /// The filter this query asks for.
    fn filter(&self) -> RunFindingFilter {
        let some = |v: &Option<String>| {
            v.as_deref()
                .map(str::trim)
                .filter(|v| !v.is_empty())
                .map(str::to_string)
        };
        RunFindingFilter {
            unit: some(&self.unit),
            severity: some(&self.severity),
            code: some(&self.code),
            text: some(&self.q),
        }
    }

    /// The query again, for the export link (`?unit=…`), empty when nothing is asked.
    fn again(&self) -> String {
        let f = self.filter();
        let pairs: Vec<(&str, String)> = [
            ("unit", f.unit),
            ("severity", f.severity),
            ("code", f.code),
            ("q", f.text),
        ]
        .into_iter()
        .filter_map(|(k, v)| v.map(|v| (k, v)))
        .collect();
        if pairs.is_empty() {
            return String::new();
        }
        let encoded: Vec<String> = pairs
            .iter()
            .map(|(k, v)| format!("{k}={}", percent(v)))
            .collect();
        format!("?{}", encoded.join("&"))
    }
}

/// `text` percent-encoded for a query value.
fn percent(text: &str) -> String {
    text.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

/// `GET /region/runs/{id}`: a kept run, filtered.
pub async fn show(
    State(state): State<AppState>,
    PageUser(s): PageUser,
    Path(id): Path<i64>,
    Query(q): Query<RunQuery>,
) -> Result<Response, WebError> {
    let filter = q.filter();
    let view = state
        .app
        .region_run(&s.actor, id, &filter)
        .await
        .map_err(WebError::page)?;
    Ok(render(&views::RegionRunPage {
        nav: Nav::of(&s),
        export: format!("/region/runs/{id}/export.xlsx{}", q.again()),
        severities: Severity::ALL.iter().map(|s| s.name()).collect(),
        filtered: filter != RunFindingFilter::default(),
        filter,
        view,
    })
    .into_response())
}

/// `GET /region/runs/{id}/export.xlsx`: the run (its findings filtered as the page) in Excel.
pub async fn export(
    State(state): State<AppState>,
    PageUser(s): PageUser,
    Path(id): Path<i64>,
    Query(q): Query<RunQuery>,
) -> Result<Response, WebError> {
    let d = state
        .app
        .region_run_xlsx(&s.actor, id, &q.filter())
        .await
        .map_err(WebError::page)?;
    Ok(crate::pages::download(d))
}
