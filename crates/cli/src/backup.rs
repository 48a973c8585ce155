//! `jixiao backup FILE` and `jixiao restore FILE`: one command each, online for SQLite
//! (`VACUUM INTO`), through PostgreSQL's own pg_dump / pg_restore for PostgreSQL.

use std::path::Path;

use anyhow::{Context, Result};
use jixiao_store::backup::{self, BackupInfo, RestoreInfo};
use jixiao_store::db::redact;
use jixiao_store::log::Verification;

use jixiao_app::Settings;

fn runtime() -> Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("无法启动异步运行时")
}

fn rows(tables: &[(String, i64)], name: &str) -> i64 {
    tables
        .iter()
        .find(|(t, _)| t == name)
        .map_or(0, |(_, n)| *n)
}

fn summary(tables: &[(String, i64)]) -> String {
    format!(
        "单位{}个、用户{}个、表单{}张（历史版本{}个）、流程记录{}条、附件{}个、变更日志{}条",
        rows(tables, "orgs"),
        rows(tables, "users"),
        rows(tables, "forms"),
        rows(tables, "form_versions"),
        rows(tables, "workflow_events"),
        rows(tables, "attachments"),
        rows(tables, "change_log"),
    )
}

/// The tables' row counts as JSON (`{"forms": 12, …}`).
fn tables_json(tables: &[(String, i64)]) -> serde_json::Value {
    tables
        .iter()
        .map(|(t, n)| (t.clone(), serde_json::Value::from(*n)))
        .collect::<serde_json::Map<_, _>>()
        .into()
}

/// The change log's check as a sentence, or as JSON.
pub fn verification(log: &Verification, json: bool) -> String {
    match (log, json) {
        (Verification::Intact { entries }, false) => {
            format!("变更日志完整：共{entries}条记录，哈希链逐条校验通过")
        }
        (Verification::Broken { id, intact, reason }, false) => {
            format!("变更日志在第{id}条记录处断开：{reason}（此前{intact}条校验通过）")
        }
        (Verification::Intact { entries }, true) => {
            serde_json::json!({"intact": true, "entries": entries}).to_string()
        }
        (Verification::Broken { id, intact, reason }, true) => serde_json::json!({
            "intact": false, "broken_at": id, "intact_before": intact, "reason": reason
        })
        .to_string(),
    }
}

/// `jixiao backup FILE [--database URL]`.
pub fn backup(file: &Path, settings: &Settings, json: bool) -> Result<()> {
    let url = &settings.database;
    let info: BackupInfo = runtime()?
        .block_on(backup::backup(url, file, settings.postgres.bin.as_deref()))
        .with_context(|| format!("备份 {} 失败", redact(url)))?;
    if json {
        sayln!(
            "{}",
            serde_json::json!({
                "database": redact(url),
                "file": file.display().to_string(),
                "format": match info.backend {
                    jixiao_store::Backend::Sqlite => "sqlite",
                    jixiao_store::Backend::Postgres => "pg_dump",
                },
                "bytes": info.bytes,
                "tables": tables_json(&info.tables),
            })
        );
        return Ok(());
    }
    sayln!(
        "已备份 {} 到 {}（{}，{} 字节）：{}",
        redact(url),
        file.display(),
        match info.backend {
            jixiao_store::Backend::Sqlite => "SQLite 数据库文件",
            jixiao_store::Backend::Postgres => "pg_dump 自定义格式",
        },
        info.bytes,
        summary(&info.tables)
    );
    Ok(())
}

/// `jixiao restore FILE [--database URL] [--replace]`; false when the restored change log
/// does not verify.
pub fn restore(file: &Path, settings: &Settings, replace: bool, json: bool) -> Result<bool> {
    let url = &settings.database;
    let info: RestoreInfo = runtime()?
        .block_on(backup::restore(
            url,
            file,
            replace,
            settings.postgres.bin.as_deref(),
        ))
        .with_context(|| format!("从 {} 恢复失败", file.display()))?;
    let intact = matches!(info.log, Verification::Intact { .. });
    if json {
        let log: serde_json::Value =
            serde_json::from_str(&verification(&info.log, true)).unwrap_or_default();
        sayln!(
            "{}",
            serde_json::json!({
                "file": file.display().to_string(),
                "database": redact(url),
                "tables": tables_json(&info.tables),
                "log": log,
            })
        );
    } else {
        sayln!(
            "已从 {} 恢复到 {}：{}",
            file.display(),
            redact(url),
            summary(&info.tables)
        );
        sayln!("{}", verification(&info.log, false));
    }
    Ok(intact)
}
