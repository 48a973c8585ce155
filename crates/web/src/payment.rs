//! 支付数据 pages and API: the finance bureau uploads the payment system's export (CSV or Excel),
//! sees the projects it fed and the rows that matched none; a monitoring form shows its
//! executed amount and execution rate by month with the file each came from.

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use jixiao_app::AppError;
use jixiao_app::payment::{Feed, PaymentUpload};
use jixiao_app::service::Session;
use jixiao_core::money::MoneyUnit;
use rust_decimal::Decimal;

use crate::AppState;
use crate::auth::{ApiUser, PageUser};
use crate::dashboard::YearQuery;
use crate::error::{WebError, on_form};
use crate::posted::{ApiPost, PagePost, Posted, Upload};
use crate::views::{self, Nav, render};

type PageResult = Result<Response, WebError>;

/// An amount in 万元 as the pages show it (2 decimals).
fn wan(d: Decimal) -> String {
    format!("{:.2}", jixiao_core::money::round2(d))
}

/// The amount unit chosen on upload: `元`, `万元`, or none (the header must say).
fn unit_of(text: Option<&String>) -> Result<Option<MoneyUnit>, AppError> {
    match text.map(|t| t.trim()).unwrap_or_default() {
        "" | "header" => Ok(None),
        "yuan" | "元" => Ok(Some(MoneyUnit::Yuan)),
        "wan" | "万元" => Ok(Some(MoneyUnit::Wan)),
        other => Err(AppError::Invalid(format!(
            "金额单位“{other}”应为“元”或“万元”"
        ))),
    }
}

/// Reads the upload's file, year and amount unit, and uploads it.
async fn upload(state: &AppState, s: &Session, up: Upload) -> Result<PaymentUpload, AppError> {
    let year: i64 = match up.fields.get("year").map(|y| y.trim()) {
        None | Some("") => return Err(AppError::Invalid("请选择年度".into())),
        Some(y) => y
            .parse()
            .map_err(|_| AppError::Invalid(format!("年度“{y}”不是年份")))?,
    };
    let unit = unit_of(up.fields.get("unit"))?;
    let Some((name, _, bytes)) = up.files.into_iter().last() else {
        return Err(AppError::Invalid(
            "请选择支付数据文件（CSV 或 Excel）".into(),
        ));
    };
    state
        .app
        .upload_payments(&s.actor, year, &name, &bytes, unit)
        .await
}

/// `GET /payments?year=`: the upload form and the uploads kept.
pub async fn page(
    State(state): State<AppState>,
    PageUser(s): PageUser,
    Query(q): Query<YearQuery>,
) -> PageResult {
    let (year, years) = q.among(&state.app).await.map_err(WebError::page)?;
    let uploads = state
        .app
        .payment_uploads(&s.actor)
        .await
        .map_err(WebError::page)?;
    Ok(render(&views::PaymentsPage {
        nav: Nav::of(&s),
        csrf: s.csrf.clone(),
        year,
        years,
        uploads: uploads
            .iter()
            .map(|u| {
                let unmatched = serde_json::from_str::<Vec<serde_json::Value>>(&u.problems)
                    .map_or(0, |v| v.len());
                views::PaymentUploadLine {
                    id: u.id,
                    year: u.year,
                    file_name: u.file_name.clone(),
                    rows: u.rows_read,
                    unmatched,
                    at: jixiao_app::time::minute(u.created_at),
                    by: u.created_by.clone(),
                }
            })
            .collect(),
    })
    .into_response())
}

/// `POST /payments` (multipart `file`, `year`, `unit`): uploads and shows what was matched.
pub async fn create(
    State(state): State<AppState>,
    Posted(s, up, ..): PagePost<Upload>,
) -> PageResult {
    let done = upload(&state, &s, up).await.map_err(WebError::page)?;
    Ok(Redirect::to(&format!("/payments/{}", done.id)).into_response())
}

/// `GET /payments/{id}`: the projects an upload fed and the rows it could not place.
pub async fn show(
    State(state): State<AppState>,
    PageUser(s): PageUser,
    Path(id): Path<i64>,
) -> PageResult {
    let up = state
        .app
        .payment_upload(&s.actor, id)
        .await
        .map_err(WebError::page)?;
    Ok(render(&views::PaymentUploadPage {
        nav: Nav::of(&s),
        id,
        year: up.year,
        file_name: up.file_name.clone(),
        rows: up.rows,
        at: jixiao_app::time::minute(up.created_at),
        by: up.created_by.clone(),
        matched: up
            .matched
            .iter()
            .map(|m| views::MatchedLine {
                form_id: m.form_id,
                project: m.project.clone(),
                unit: m.unit.clone(),
                months: m
                    .months
                    .iter()
                    .map(|m| format!("{m}月"))
                    .collect::<Vec<_>>()
                    .join("、"),
                rows: m.rows,
                amount: wan(m.amount),
            })
            .collect(),
        unmatched: up
            .unmatched
            .iter()
            .map(|p| (p.sheet.clone(), p.line, p.text.clone(), p.reason.clone()))
            .collect(),
    })
    .into_response())
}

/// A monitoring form's 支付数据 panel, when payments were fed to it.
pub async fn panel(
    state: &AppState,
    s: &Session,
    form_id: i64,
) -> Result<Option<views::PaymentsPanel>, WebError> {
    let feed = on_form(form_id, state.app.payments_of(&s.actor, form_id).await)?;
    Ok(feed.map(|f: Feed| {
        // Each upload once, by its number; a month says which upload and which rows.
        let mut sources: Vec<String> = Vec::new();
        for src in f.months.iter().filter_map(|m| m.source.as_ref()) {
            let line = format!(
                "上传{}：{}（{}上传）",
                src.upload_id,
                src.file_name,
                jixiao_app::time::minute(src.at)
            );
            if !sources.contains(&line) {
                sources.push(line);
            }
        }
        views::PaymentsPanel {
            budget: f.budget.map(wan),
            differs: f.differs,
            sources,
            months: f
                .months
                .iter()
                .map(|m| views::PaidMonth {
                    month: m.line.month,
                    paid: wan(m.line.paid),
                    cumulative: wan(m.line.cumulative),
                    rate: m
                        .line
                        .rate
                        .map(|r| format!("{:.2}%", r))
                        .unwrap_or_else(|| "—".into()),
                    source: m
                        .source
                        .as_ref()
                        .map(|src| {
                            let lines: Vec<String> =
                                src.lines.iter().map(|(_, l)| l.to_string()).collect();
                            format!("上传{} 第{}行", src.upload_id, lines.join("、"))
                        })
                        .unwrap_or_else(|| "当月无支付".into()),
                })
                .collect(),
        }
    }))
}

/// `POST /api/v1/payments` (multipart `file`, `year`, `unit`) → `201` with what was matched.
pub async fn api_create(
    State(state): State<AppState>,
    Posted(s, up, ..): ApiPost<Upload>,
) -> Result<Response, WebError> {
    let done = upload(&state, &s, up).await.map_err(WebError::api)?;
    Ok((StatusCode::CREATED, Json(done)).into_response())
}

/// `GET /api/v1/payments/{id}`.
pub async fn api_show(
    State(state): State<AppState>,
    ApiUser(s): ApiUser,
    Path(id): Path<i64>,
) -> Result<Response, WebError> {
    let up = state
        .app
        .payment_upload(&s.actor, id)
        .await
        .map_err(WebError::api)?;
    Ok(Json(up).into_response())
}

/// `GET /api/v1/forms/{id}/payments` → the feed by month, or `null`.
pub async fn api_form(
    State(state): State<AppState>,
    ApiUser(s): ApiUser,
    Path(id): Path<i64>,
) -> Result<Response, WebError> {
    let feed = state
        .app
        .payments_of(&s.actor, id)
        .await
        .map_err(WebError::api)?;
    Ok(Json(feed).into_response())
}
