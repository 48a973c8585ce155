//! `jixiao serve` and `jixiao log verify`: the web application and the change log's check.

use std::net::SocketAddr;
use std::sync::Arc;

use anyhow::{Context, Result};
use jixiao_app::{App, Clock, Settings};
use jixiao_store::log::Verification;

/// `settings` with the database the `--database` flag names, when it names one (the flag
/// wins over the file and `DATABASE_URL`).
pub fn with_database(settings: Settings, flag: Option<String>) -> Settings {
    match flag.filter(|u| !u.trim().is_empty()) {
        Some(database) => Settings {
            database,
            ..settings
        },
        None => settings,
    }
}

fn runtime() -> Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("无法启动异步运行时")
}

/// The app on the database `url` of `settings`; an error names the database (password hidden).
async fn open(settings: Settings, url: &str) -> Result<App> {
    App::open_with(settings, Clock::system())
        .await
        .with_context(|| format!("无法打开数据库 {}", jixiao_store::db::redact(url)))
}

fn init_tracing() {
    let filter = tracing_subscriber::EnvFilter::try_from_env("JIXIAO_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info,sqlx=warn"));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .try_init();
}

/// `jixiao serve [--addr A] [--database URL] [--demo] [--secure-cookies]`, as `settings` say.
pub fn serve(settings: Settings, demo: bool, json: bool) -> Result<()> {
    init_tracing();
    let url = settings.database.clone();
    let addr: SocketAddr = settings.listen;
    let secure = settings.secure_cookies;
    runtime()?.block_on(async move {
        let app = open(settings, &url).await?;
        if demo {
            let accounts = jixiao_demo::load(&app).await.context("无法载入演示数据")?;
            if json {
                sayln!(
                    "{}",
                    serde_json::json!({
                        "demo": jixiao_demo::FINANCE,
                        "accounts": accounts,
                        "listen": addr.to_string(),
                    })
                );
            } else {
                sayln!(
                    "演示区域：{}（{}）",
                    jixiao_demo::FINANCE,
                    jixiao_demo::DEPARTMENT
                );
                for a in &accounts {
                    sayln!("{}", a.line());
                }
            }
        }
        // Background imports (scans), `uploads.import_jobs` of them on this instance.
        let workers = app.start_workers();
        let state = jixiao_web::AppState {
            app: Arc::new(app),
            secure_cookies: secure,
        };
        let served = jixiao_web::serve(state, addr)
            .await
            .with_context(|| format!("无法在 {addr} 上提供服务（端口是否已被占用？）"));
        // A job a worker held when the server stopped is taken again once its lease runs out.
        for w in workers {
            w.abort();
        }
        served
    })
}

/// `jixiao log verify [--database URL]`: exits non-zero naming the first broken entry.
pub fn verify(settings: &Settings, json: bool) -> Result<bool> {
    let url = settings.database.clone();
    let settings = settings.clone();
    runtime()?.block_on(async move {
        let app = open(settings, &url).await?;
        let result = app.verify_log().await?;
        app.close().await;
        sayln!("{}", crate::backup::verification(&result, json));
        Ok(matches!(result, Verification::Intact { .. }))
    })
}

/// `jixiao init --bureau NAME [--username U]`: a new installation's finance bureau and its
/// administrator, whose one-time password is printed once.
pub fn init(settings: &Settings, bureau: &str, username: &str, json: bool) -> Result<()> {
    let url = settings.database.clone();
    let settings = settings.clone();
    runtime()?.block_on(async move {
        let app = open(settings, &url).await?;
        let password = app.seed().first_admin(bureau, username).await;
        app.close().await;
        let password = password?;
        if json {
            sayln!(
                "{}",
                serde_json::json!({"bureau": bureau, "username": username, "password": password})
            );
        } else {
            sayln!("已建立 {bureau} 和管理员账号");
            sayln!("账号 {username} 密码 {password}（一次性密码：首次登录须修改，只显示这一次）");
        }
        Ok(())
    })
}
