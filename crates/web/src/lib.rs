//! # jixiao-web
//!
//! The web application people log into (`jixiao serve`): pages in Chinese rendered on the server
//! (askama; htmx for live scoring, and every page works as plain HTML forms without JavaScript)
//! and the JSON API under `/api/v1` (docs/api.md). This crate only maps HTTP to the use cases of
//! `jixiao-app`; who may do what is decided there, in one place.
//!
//! - [`auth`] — the session cookie, the signed-in user, CSRF tokens and the Origin check.
//! - [`error`] — one error type, rendered as a page or as JSON.
//! - [`posted`] — every state change's session, CSRF and Origin checks, done once by an extractor.
//! - [`edit`] — the forms laid out as their paper forms, and posted fields read back
//!   (`jixiao-edit`).
//! - [`pages`] — the HTML pages.
//! - [`evaluation`] — the bureau's department evaluation pages.
//! - [`jobs`] — background imports (scans): the job page with its progress, its JSON, answers.
//! - [`region`] — the region-wide audit: upload, the runs kept, a run filtered and exported.
//! - [`results`] — 结果应用: consequences, rectifications, the public results page.
//! - [`dashboard`] — the finance bureau's dashboard (page, Excel, JSON).
//! - [`library`] — 指标库: suggestions (JSON), the library page, proposals and curation.
//! - [`spot_check`] — 抽评: draws, the bureau's own scores, gaps (pages and API).
//! - [`adjustment`] — 绩效目标调整: a unit's request, the bureau's decision (pages and API).
//! - [`payment`] — 支付数据: the payment system's exports feeding monitoring (pages and API).
//! - [`expert`] — 第三方评审: the registers, assignments, the expert's declaration and scores.
//! - [`admin`] — 系统管理 (units, users, the Excel import) and 修改密码, pages and API.
//! - [`api`] — the JSON API.
//! - [`year_form`] — a year's settings as form fields with Chinese labels.
//! - [`routing`] — the route table: what the router serves, listed where it is declared.
//!
//! Instances keep no state of their own: sessions, lockouts and forms live in the database, so
//! several can run behind a proxy on one PostgreSQL.

pub mod adjustment;
pub mod admin;
pub mod api;
pub mod auth;
mod charts;
pub mod dashboard;
pub mod error;
pub mod evaluation;
pub mod expert;
pub mod jobs;
pub mod library;
pub mod pages;
pub mod payment;
pub mod posted;
pub mod region;
pub mod results;
pub mod routing;
pub mod spot_check;
mod views;
pub mod year_form;

/// The forms as the browser edits them ([`jixiao_edit`]).
pub use jixiao_edit as edit;

use std::net::SocketAddr;
use std::sync::Arc;

use axum::Router;
use axum::http::{HeaderValue, header};
use axum::response::IntoResponse;
use jixiao_app::App;
use routing::{Route, Routes, get, post};
use tower_http::set_header::SetResponseHeaderLayer;

/// What every handler shares.
#[derive(Debug, Clone)]
pub struct AppState {
    /// The use cases.
    pub app: Arc<App>,
    /// Mark cookies `Secure` (behind HTTPS).
    pub secure_cookies: bool,
}

/// Room for a multipart request's own fields and boundaries around the uploaded file.
const MULTIPART_OVERHEAD: usize = 64 * 1024;

/// The largest request body: the importer's file limit (the same one every reader enforces)
/// plus the multipart overhead.
pub fn upload_limit(app: &App) -> usize {
    usize::try_from(app.limits().max_file_bytes)
        .unwrap_or(usize::MAX)
        .saturating_add(MULTIPART_OVERHEAD)
}

const CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
                   object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'";

/// Every route of the application, declared once: [`router`] serves them and [`routes`] lists
/// them.
fn declared() -> Routes {
    Routes::new()
        .merge(pages::routes())
        .merge(admin::routes())
        .nest("/api/v1", api::routes())
        .merge(jobs::routes())
        .nest("/api/v1", jobs::api_routes())
        .route("/static/{file}", get(static_file))
        .route("/dashboard", get(dashboard::page))
        .route("/dashboard.xlsx", get(dashboard::xlsx))
        .route(
            "/evaluations",
            get(evaluation::list).post(evaluation::start),
        )
        .route("/evaluations/{id}", get(evaluation::show))
        .route("/evaluations/{id}/judge", post(evaluation::judge))
        .route("/evaluations/{id}/export/{format}", get(evaluation::export))
        .route("/audit", get(region::page).post(region::run))
        .route("/region/runs/{id}", get(region::show))
        .route("/region/runs/{id}/export.xlsx", get(region::export))
        .route("/results", get(results::page))
        .route("/results/publish", post(results::publish))
        .route("/public/results/{year}", get(results::public))
        .route(
            "/public/results/{year}/forms/{id}",
            get(results::public_form),
        )
        .route("/forms/{id}/fixes", post(results::require))
        .route(
            "/forms/{id}/fixes/from-findings",
            post(results::from_findings),
        )
        .route("/forms/{id}/copy", post(results::copy))
        .route("/fixes/{id}/answer", post(results::answer))
        .route("/fixes/{id}/close", post(results::close))
        .route("/api/v1/dashboard", get(dashboard::api))
        .route("/api/v1/indicators", get(library::api))
        .route("/library", get(library::page))
        .route("/library/propose", post(library::propose))
        .route("/library/decide", post(library::decide))
        .route("/spot-checks", get(spot_check::page).post(spot_check::draw))
        .route("/spot-checks/{id}", get(spot_check::show))
        .route(
            "/spot-checks/items/{id}",
            get(spot_check::item).post(spot_check::review),
        )
        .route("/api/v1/spot_checks", post(spot_check::api_draw))
        .route("/api/v1/spot_checks/{id}", get(spot_check::api_show))
        .route(
            "/forms/{id}/adjust",
            get(adjustment::page).post(adjustment::request),
        )
        .route("/adjustments/{id}/decision", post(adjustment::decide))
        .route(
            "/api/v1/forms/{id}/adjustments",
            get(adjustment::api_list).post(adjustment::api_request),
        )
        .route(
            "/api/v1/adjustments/{id}/decision",
            post(adjustment::api_decide),
        )
        .route("/payments", get(payment::page).post(payment::create))
        .route("/payments/{id}", get(payment::show))
        .route("/api/v1/payments", post(payment::api_create))
        .route("/api/v1/payments/{id}", get(payment::api_show))
        .route("/api/v1/forms/{id}/payments", get(payment::api_form))
        .route("/experts", get(expert::page).post(expert::add_expert))
        .route("/experts/institutions", post(expert::add_institution))
        .route("/forms/{id}/assignments", post(expert::assign))
        .route("/assignments", get(expert::mine))
        .route("/assignments/{id}", get(expert::show))
        .route("/assignments/{id}/declaration", post(expert::declare))
        .route("/assignments/{id}/score", post(expert::score))
        .route(
            "/api/v1/institutions",
            get(expert::api_institutions).post(expert::api_add_institution),
        )
        .route(
            "/api/v1/experts",
            get(expert::api_experts).post(expert::api_add_expert),
        )
        .route(
            "/api/v1/forms/{id}/assignments",
            get(expert::api_of_form).post(expert::api_assign),
        )
        .route("/api/v1/assignments", get(expert::api_mine))
        .route(
            "/api/v1/assignments/{id}/declaration",
            post(expert::api_declare),
        )
        .route("/api/v1/assignments/{id}/score", post(expert::api_score))
}

/// Every (method, path pattern) [`router`] serves, in the order declared.
pub fn routes() -> Vec<Route> {
    declared().into_table()
}

/// The whole application: pages, API, static files and security headers.
pub fn router(state: AppState) -> Router {
    let limit = upload_limit(&state.app);
    declared()
        .into_router()
        .layer(axum::extract::DefaultBodyLimit::max(limit))
        .layer(SetResponseHeaderLayer::overriding(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(CSP),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::X_FRAME_OPTIONS,
            HeaderValue::from_static("DENY"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::REFERRER_POLICY,
            HeaderValue::from_static("same-origin"),
        ))
        .with_state(state)
}

async fn static_file(
    axum::extract::Path(file): axum::extract::Path<String>,
) -> axum::response::Response {
    let (body, kind): (&'static [u8], &str) = match file.as_str() {
        "htmx.min.js" => (
            include_bytes!("../static/htmx.min.js"),
            "text/javascript; charset=utf-8",
        ),
        "app.css" => (
            include_bytes!("../static/app.css"),
            "text/css; charset=utf-8",
        ),
        _ => return (axum::http::StatusCode::NOT_FOUND, "没有这个文件").into_response(),
    };
    (
        [
            (header::CONTENT_TYPE, kind),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        body,
    )
        .into_response()
}

/// Serves the application on `addr` until Ctrl-C / SIGTERM.
pub async fn serve(state: AppState, addr: SocketAddr) -> std::io::Result<()> {
    let listener = tokio::net::TcpListener::bind(addr).await?;
    let local = listener.local_addr()?;
    tracing::info!(%local, "listening");
    println!("绩效系统已启动：http://{local}/");
    axum::serve(listener, router(state))
        .with_graceful_shutdown(shutdown())
        .await
}

async fn shutdown() {
    let ctrl_c = async {
        if let Err(e) = tokio::signal::ctrl_c().await {
            // Without the handler the server runs until it is terminated, never stops at once.
            tracing::error!(error = %e, "无法监听 Ctrl-C 信号");
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let term = async {
        if let Ok(mut s) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        {
            s.recv().await;
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = term => {},
    }
}
