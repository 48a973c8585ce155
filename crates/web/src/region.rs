//! The region-wide audit page: the bureau uploads many units' forms (a .zip) and reads the
//! audit grouped by unit.

use axum::extract::State;
use axum::response::{IntoResponse, Response};
use jixiao_app::AppError;

use crate::AppState;
use crate::auth::PageUser;
use crate::error::WebError;
use crate::posted::{PagePost, Posted, Upload};
use crate::views::{self, Nav, render};

/// `GET /audit`.
pub async fn page(
    State(state): State<AppState>,
    PageUser(s): PageUser,
) -> Result<Response, WebError> {
    // Only the bureau's roles: the same check the audit itself makes.
    state
        .app
        .require(&s.actor, jixiao_app::Operation::Dashboard)
        .await
        .map_err(WebError::page)?;
    Ok(render(&views::RegionPage {
        nav: Nav::of(&s),
        csrf: s.csrf.clone(),
        result: None,
    })
    .into_response())
}

/// `POST /audit` (multipart `file`).
pub async fn run(
    State(state): State<AppState>,
    Posted(s, up, ..): PagePost<Upload>,
) -> Result<Response, WebError> {
    let files: Vec<(String, Vec<u8>)> = up.files.into_iter().map(|(n, _, b)| (n, b)).collect();
    if files.is_empty() {
        return Err(WebError::page(AppError::Invalid(
            "请选择要审核的文件或文件夹".into(),
        )));
    }
    let result = state
        .app
        .region_audit_files(&s.actor, files)
        .await
        .map_err(WebError::page)?;
    Ok(render(&views::RegionPage {
        nav: Nav::of(&s),
        csrf: s.csrf.clone(),
        result: Some(result),
    })
    .into_response())
}
