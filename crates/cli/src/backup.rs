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

/// `jixiao backup FILE [--database URL]`.
pub fn backup(file: &Path, settings: &Settings) -> Result<()> {
    let url = &settings.database;
    let info: BackupInfo = runtime()?
        .block_on(backup::backup(url, file, settings.postgres.bin.as_deref()))
        .with_context(|| format!("备份 {} 失败", redact(url)))?;
    println!(
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
pub fn restore(file: &Path, settings: &Settings, replace: bool) -> Result<bool> {
    let url = &settings.database;
    let info: RestoreInfo = runtime()?
        .block_on(backup::restore(
            url,
            file,
            replace,
            settings.postgres.bin.as_deref(),
        ))
        .with_context(|| format!("从 {} 恢复失败", file.display()))?;
    println!(
        "已从 {} 恢复到 {}：{}",
        file.display(),
        redact(url),
        summary(&info.tables)
    );
    Ok(match info.log {
        Verification::Intact { entries } => {
            println!("变更日志完整：共{entries}条记录，哈希链逐条校验通过");
            true
        }
        Verification::Broken { id, intact, reason } => {
            println!("变更日志在第{id}条记录处断开：{reason}（此前{intact}条校验通过）");
            false
        }
    })
}
