//! Backup and restore, one call each, with each database's own means:
//!
//! - **SQLite**: `VACUUM INTO` writes a consistent copy of the live database while the server
//!   keeps running (WAL readers and writers are not blocked). A restore copies such a file into
//!   place (never over a database in use: the target must be new or empty, unless replacing is
//!   asked for explicitly, with the server stopped).
//! - **PostgreSQL**: `pg_dump -Fc` and `pg_restore` from Debian's `/usr/lib/postgresql/*/bin`
//!   (the newest installed), or the folder the caller names (an instance's settings), or `PATH`. The URL's password goes to the
//!   tools through `PGPASSWORD` only; it never appears on a command line or in a message.
//!
//! Backups are written to a temporary file beside the target and renamed into place, so a
//! backup that fails half-way never leaves a truncated file under the requested name.
//!
//! [`dump_tables`] reads every table row by row as text, which is how the tests show that a
//! restored database holds exactly the data of the original.

use std::path::{Path, PathBuf};
use std::process::Command;

use sqlx::{AnyConnection, Connection, Row};

use crate::db::redact;
use crate::log::Verification;
use crate::{Backend, Store, StoreError};

/// Why a backup or restore did not go through.
#[derive(Debug, thiserror::Error)]
pub enum BackupError {
    /// The database failed (connecting, reading, migrating).
    #[error(transparent)]
    Store(#[from] StoreError),
    /// A file could not be read or written.
    #[error("文件 {path}：{source}")]
    Io {
        /// The file.
        path: String,
        /// What the system said.
        source: std::io::Error,
    },
    /// The backup file is not what the target database can take.
    #[error("{0}")]
    Unusable(String),
    /// The target database already holds data.
    #[error(
        "目标数据库 {0} 中已有数据：为免覆盖，只能恢复到新的空数据库（确需覆盖时先停止服务，再加 --replace）"
    )]
    NotEmpty(String),
    /// A PostgreSQL tool is missing.
    #[error(
        "找不到 PostgreSQL 的 {0}：请安装 postgresql-client（Debian 的 postgresql 软件包），或用 JIXIAO_PG_BIN（配置项 postgres.bin）指明其所在目录"
    )]
    ToolMissing(&'static str),
    /// A PostgreSQL tool failed (its own message, which never holds the password).
    #[error("{tool} 失败：{message}")]
    Tool {
        /// `pg_dump` or `pg_restore`.
        tool: &'static str,
        /// What it printed.
        message: String,
    },
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> BackupError + '_ {
    move |source| BackupError::Io {
        path: path.display().to_string(),
        source,
    }
}

/// What a backup wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BackupInfo {
    /// The backend it came from.
    pub backend: Backend,
    /// Size of the backup file.
    pub bytes: u64,
    /// Rows per table at the time of the backup (read from the backup for SQLite, from the
    /// database just before the dump for PostgreSQL).
    pub tables: Vec<(String, i64)>,
}

/// What a restore put back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RestoreInfo {
    /// The backend restored into.
    pub backend: Backend,
    /// Rows per table after the restore (and any migration to the current schema).
    pub tables: Vec<(String, i64)>,
    /// The change log's check after the restore.
    pub log: Verification,
}

/// The file path of a `sqlite:` URL (`sqlite:a.db`, `sqlite://a.db`, `sqlite:///abs/a.db`).
pub fn sqlite_path(url: &str) -> Result<PathBuf, BackupError> {
    let rest = url.strip_prefix("sqlite:").unwrap_or(url);
    let rest = rest.strip_prefix("//").unwrap_or(rest);
    let path = rest.split('?').next().unwrap_or_default();
    if path.is_empty() || path == ":memory:" {
        return Err(BackupError::Unusable(format!(
            "数据库地址 {url} 不是 SQLite 文件，无法备份或恢复"
        )));
    }
    Ok(PathBuf::from(path))
}

/// A name beside `target` for writing before the rename.
fn temporary_beside(target: &Path) -> PathBuf {
    let mut name = target
        .file_name()
        .map(|n| n.to_os_string())
        .unwrap_or_default();
    name.push(format!(".partial-{}", std::process::id()));
    target.with_file_name(name)
}

/// A SQLite string literal.
fn sql_literal(text: &str) -> String {
    format!("'{}'", text.replace('\'', "''"))
}

const SQLITE_MAGIC: &[u8] = b"SQLite format 3\0";
const PGDUMP_MAGIC: &[u8] = b"PGDMP";

/// What kind of backup a file is, by its first bytes.
fn kind_of(path: &Path) -> Result<Option<Backend>, BackupError> {
    use std::io::Read;
    let mut head = [0u8; 16];
    let mut f = std::fs::File::open(path).map_err(io(path))?;
    let n = f.read(&mut head).map_err(io(path))?;
    Ok(if head[..n].starts_with(SQLITE_MAGIC) {
        Some(Backend::Sqlite)
    } else if head[..n].starts_with(PGDUMP_MAGIC) {
        Some(Backend::Postgres)
    } else {
        None
    })
}

/// Backs up the database at `url` into the file `to` (replaced if it exists); `pg_bin` is the
/// folder of PostgreSQL's programs when set.
pub async fn backup(
    url: &str,
    to: &Path,
    pg_bin: Option<&Path>,
) -> Result<BackupInfo, BackupError> {
    sqlx::any::install_default_drivers();
    let partial = temporary_beside(to);
    let _ = std::fs::remove_file(&partial);
    let result = match Backend::of(url)? {
        Backend::Sqlite => backup_sqlite(url, &partial).await,
        Backend::Postgres => backup_postgres(url, &partial, pg_bin).await,
    };
    let info = match result {
        Ok(info) => info,
        Err(e) => {
            let _ = std::fs::remove_file(&partial);
            return Err(e);
        }
    };
    std::fs::rename(&partial, to).map_err(io(to))?;
    let bytes = std::fs::metadata(to).map_err(io(to))?.len();
    Ok(BackupInfo { bytes, ..info })
}

async fn backup_sqlite(url: &str, partial: &Path) -> Result<BackupInfo, BackupError> {
    let source = sqlite_path(url)?;
    if !source.is_file() {
        return Err(BackupError::Unusable(format!(
            "数据库文件 {} 不存在",
            source.display()
        )));
    }
    let mut conn = AnyConnection::connect(&format!("sqlite:{}", source.display()))
        .await
        .map_err(StoreError::from)?;
    sqlx::raw_sql("PRAGMA busy_timeout = 10000")
        .execute(&mut conn)
        .await
        .map_err(StoreError::from)?;
    // One statement, one read transaction: a consistent snapshot while writers go on.
    let vacuum = format!(
        "VACUUM INTO {}",
        sql_literal(&partial.display().to_string())
    );
    sqlx::raw_sql(&vacuum)
        .execute(&mut conn)
        .await
        .map_err(StoreError::from)?;
    conn.close().await.map_err(StoreError::from)?;
    // Count from the copy: that is what the backup holds.
    let mut copy = AnyConnection::connect(&format!("sqlite:{}?mode=ro", partial.display()))
        .await
        .map_err(StoreError::from)?;
    let tables = counts(&mut copy, Backend::Sqlite).await?;
    copy.close().await.map_err(StoreError::from)?;
    Ok(BackupInfo {
        backend: Backend::Sqlite,
        bytes: 0,
        tables,
    })
}

async fn backup_postgres(
    url: &str,
    partial: &Path,
    pg_bin: Option<&Path>,
) -> Result<BackupInfo, BackupError> {
    let mut conn = AnyConnection::connect(url)
        .await
        .map_err(StoreError::from)?;
    let tables = counts(&mut conn, Backend::Postgres).await?;
    conn.close().await.map_err(StoreError::from)?;
    let target = PgTarget::of(url)?;
    // pg_dump reads one snapshot (a repeatable-read transaction): consistent while the
    // server keeps writing.
    let mut cmd = Command::new(pg_tool("pg_dump", pg_bin)?);
    cmd.args(["--format=custom", "--no-owner", "--no-privileges", "--file"])
        .arg(partial)
        .arg("--dbname")
        .arg(&target.url);
    run(cmd, &target, "pg_dump")?;
    Ok(BackupInfo {
        backend: Backend::Postgres,
        bytes: 0,
        tables,
    })
}

/// Restores the backup `from` into the database at `url`. The target must be new or empty
/// unless `replace` is set (then the server must be stopped). The restored database is
/// migrated to the current schema and its change log checked. `pg_bin` is the folder of
/// PostgreSQL's programs when set.
pub async fn restore(
    url: &str,
    from: &Path,
    replace: bool,
    pg_bin: Option<&Path>,
) -> Result<RestoreInfo, BackupError> {
    sqlx::any::install_default_drivers();
    let backend = Backend::of(url)?;
    if !from.is_file() {
        return Err(BackupError::Unusable(format!(
            "备份文件 {} 不存在",
            from.display()
        )));
    }
    match (kind_of(from)?, backend) {
        (Some(Backend::Sqlite), Backend::Sqlite) => restore_sqlite(url, from, replace).await?,
        (Some(Backend::Postgres), Backend::Postgres) => {
            restore_postgres(url, from, replace, pg_bin).await?
        }
        (Some(Backend::Sqlite), Backend::Postgres) => {
            return Err(BackupError::Unusable(format!(
                "{} 是 SQLite 数据库的备份，不能恢复到 PostgreSQL",
                from.display()
            )));
        }
        (Some(Backend::Postgres), Backend::Sqlite) => {
            return Err(BackupError::Unusable(format!(
                "{} 是 PostgreSQL 的备份（pg_dump），不能恢复到 SQLite",
                from.display()
            )));
        }
        (None, _) => {
            return Err(BackupError::Unusable(format!(
                "{} 不是绩效系统的备份文件（既不是 SQLite 数据库，也不是 pg_dump 备份）",
                from.display()
            )));
        }
    }
    // Opening migrates a backup of an earlier release to the current schema.
    let store = Store::open(url).await?;
    let log = store.verify_log().await?;
    let tables = {
        let mut conn = store.pool.acquire().await.map_err(StoreError::from)?;
        counts(&mut conn, backend).await?
    };
    store.close().await;
    Ok(RestoreInfo {
        backend,
        tables,
        log,
    })
}

async fn restore_sqlite(url: &str, from: &Path, replace: bool) -> Result<(), BackupError> {
    let target = sqlite_path(url)?;
    if target.exists() && !replace && !sqlite_is_empty(&target).await? {
        return Err(BackupError::NotEmpty(target.display().to_string()));
    }
    // Check the backup is a whole database before anything is touched.
    {
        let mut conn = AnyConnection::connect(&format!("sqlite:{}?mode=ro", from.display()))
            .await
            .map_err(StoreError::from)?;
        let (check,): (String,) = sqlx::query_as("PRAGMA quick_check")
            .fetch_one(&mut conn)
            .await
            .map_err(StoreError::from)?;
        let has_log: Option<(String,)> = sqlx::query_as(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'change_log'",
        )
        .fetch_optional(&mut conn)
        .await
        .map_err(StoreError::from)?;
        conn.close().await.map_err(StoreError::from)?;
        if check != "ok" {
            return Err(BackupError::Unusable(format!(
                "备份文件 {} 已损坏：{check}",
                from.display()
            )));
        }
        if has_log.is_none() {
            return Err(BackupError::Unusable(format!(
                "{} 是 SQLite 数据库，但不是绩效系统的数据库（没有变更日志表）",
                from.display()
            )));
        }
    }
    let partial = temporary_beside(&target);
    std::fs::copy(from, &partial).map_err(io(&partial))?;
    // A WAL or shared-memory file of the old database must not be applied to the new one.
    for suffix in ["-wal", "-shm", "-journal"] {
        let mut side = target.clone().into_os_string();
        side.push(suffix);
        let side = PathBuf::from(side);
        if side.exists() {
            std::fs::remove_file(&side).map_err(io(&side))?;
        }
    }
    std::fs::rename(&partial, &target).map_err(io(&target))?;
    Ok(())
}

/// True when a SQLite file has no tables (or no bytes).
async fn sqlite_is_empty(path: &Path) -> Result<bool, BackupError> {
    if std::fs::metadata(path).map_err(io(path))?.len() == 0 {
        return Ok(true);
    }
    let mut conn = AnyConnection::connect(&format!("sqlite:{}?mode=ro", path.display()))
        .await
        .map_err(StoreError::from)?;
    let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM sqlite_master WHERE type = 'table'")
        .fetch_one(&mut conn)
        .await
        .map_err(StoreError::from)?;
    conn.close().await.map_err(StoreError::from)?;
    Ok(n == 0)
}

async fn restore_postgres(
    url: &str,
    from: &Path,
    replace: bool,
    pg_bin: Option<&Path>,
) -> Result<(), BackupError> {
    let target = PgTarget::of(url)?;
    let mut conn = match AnyConnection::connect(url).await {
        Ok(c) => c,
        Err(e) if is_missing_database(&e) => {
            create_database(url, &target).await?;
            AnyConnection::connect(url)
                .await
                .map_err(StoreError::from)?
        }
        Err(e) => return Err(StoreError::from(e).into()),
    };
    let (n,): (i64,) = sqlx::query_as(
        "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = 'public'",
    )
    .fetch_one(&mut conn)
    .await
    .map_err(StoreError::from)?;
    conn.close().await.map_err(StoreError::from)?;
    if n > 0 && !replace {
        return Err(BackupError::NotEmpty(redact(url)));
    }
    let mut cmd = Command::new(pg_tool("pg_restore", pg_bin)?);
    cmd.args(["--no-owner", "--no-privileges", "--exit-on-error"]);
    if n > 0 {
        cmd.args(["--clean", "--if-exists"]);
    }
    // All or nothing: a failed restore leaves the target as it was.
    cmd.arg("--single-transaction")
        .arg("--dbname")
        .arg(&target.url)
        .arg(from);
    run(cmd, &target, "pg_restore")?;
    Ok(())
}

fn is_missing_database(e: &sqlx::Error) -> bool {
    matches!(e, sqlx::Error::Database(db) if db.code().as_deref() == Some("3D000"))
}

/// Creates the database a URL names, through the server's `postgres` database.
async fn create_database(url: &str, target: &PgTarget) -> Result<(), BackupError> {
    let admin_url = crate::db::with_database(url, "postgres");
    let mut admin = AnyConnection::connect(&admin_url)
        .await
        .map_err(StoreError::from)?;
    let name = target.database.replace('"', "\"\"");
    sqlx::raw_sql(&format!("CREATE DATABASE \"{name}\""))
        .execute(&mut admin)
        .await
        .map_err(StoreError::from)?;
    admin.close().await.map_err(StoreError::from)?;
    Ok(())
}

/// A PostgreSQL URL as the tools take it: the URL without its password, and the password.
struct PgTarget {
    /// The URL with the password removed.
    url: String,
    /// The password, percent-decoded (for `PGPASSWORD`).
    password: Option<String>,
    /// The database name.
    database: String,
}

impl PgTarget {
    fn of(url: &str) -> Result<PgTarget, BackupError> {
        let scheme_end = url
            .find("://")
            .ok_or_else(|| BackupError::Unusable(format!("数据库地址 {} 无效", redact(url))))?
            + 3;
        let authority_end = url[scheme_end..]
            .find(['/', '?'])
            .map_or(url.len(), |i| scheme_end + i);
        let authority = &url[scheme_end..authority_end];
        let (password, url_without) = match authority.rfind('@') {
            Some(at) => {
                let credentials = &authority[..at];
                match credentials.split_once(':') {
                    Some((user, password)) => (
                        Some(percent_decode(password)),
                        format!(
                            "{}{user}{}{}",
                            &url[..scheme_end],
                            &authority[at..],
                            &url[authority_end..]
                        ),
                    ),
                    None => (None, url.to_string()),
                }
            }
            None => (None, url.to_string()),
        };
        let path = &url[authority_end..];
        let database = path
            .strip_prefix('/')
            .unwrap_or_default()
            .split('?')
            .next()
            .unwrap_or_default();
        Ok(PgTarget {
            url: url_without,
            password,
            database: percent_decode(database),
        })
    }
}

fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && let Some(hex) = text.get(i + 1..i + 3)
            && let Ok(b) = u8::from_str_radix(hex, 16)
        {
            out.push(b);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Runs a PostgreSQL tool with the password in its environment only.
fn run(mut cmd: Command, target: &PgTarget, tool: &'static str) -> Result<(), BackupError> {
    cmd.env_remove("PGPASSWORD");
    if let Some(pw) = &target.password {
        cmd.env("PGPASSWORD", pw);
    }
    // Never wait for a password on a terminal.
    cmd.arg("--no-password");
    cmd.stdin(std::process::Stdio::null());
    let out = cmd.output().map_err(|e| BackupError::Tool {
        tool,
        message: e.to_string(),
    })?;
    if out.status.success() {
        return Ok(());
    }
    let mut message = String::from_utf8_lossy(&out.stderr).trim().to_string();
    if let Some(pw) = target.password.as_deref().filter(|p| !p.is_empty()) {
        message = message.replace(pw, "***");
    }
    Err(BackupError::Tool { tool, message })
}

/// The path of a PostgreSQL program: in `bin` when set, else the newest
/// `/usr/lib/postgresql/*/bin`, else on `PATH`.
pub fn pg_tool(name: &'static str, bin: Option<&Path>) -> Result<PathBuf, BackupError> {
    if let Some(dir) = bin {
        let p = dir.join(name);
        if p.is_file() {
            return Ok(p);
        }
    }
    let mut versions: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|e| {
            let v: u32 = e.file_name().to_str()?.parse().ok()?;
            let p = e.path().join("bin").join(name);
            p.is_file().then_some((v, p))
        })
        .collect();
    versions.sort();
    if let Some((_, p)) = versions.pop() {
        return Ok(p);
    }
    std::env::var_os("PATH")
        .map(|paths| std::env::split_paths(&paths).collect::<Vec<_>>())
        .unwrap_or_default()
        .into_iter()
        .map(|d| d.join(name))
        .find(|p| p.is_file())
        .ok_or(BackupError::ToolMissing(name))
}

/// The application's tables (with sqlx's migration table), by name.
async fn tables(conn: &mut AnyConnection, backend: Backend) -> Result<Vec<String>, StoreError> {
    let sql = match backend {
        Backend::Sqlite => {
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
        }
        Backend::Postgres => {
            "SELECT table_name::text FROM information_schema.tables
             WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY table_name"
        }
    };
    let rows: Vec<(String,)> = sqlx::query_as(sql).fetch_all(&mut *conn).await?;
    Ok(rows.into_iter().map(|r| r.0).collect())
}

fn quoted(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

async fn counts(
    conn: &mut AnyConnection,
    backend: Backend,
) -> Result<Vec<(String, i64)>, StoreError> {
    let mut out = Vec::new();
    for t in tables(conn, backend).await? {
        let (n,): (i64,) = sqlx::query_as(&format!("SELECT COUNT(*) FROM {}", quoted(&t)))
            .fetch_one(&mut *conn)
            .await?;
        out.push((t, n));
    }
    Ok(out)
}

/// One table's rows as text, in a stable order (by every column).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableDump {
    /// Table name.
    pub name: String,
    /// Column names.
    pub columns: Vec<String>,
    /// Rows, each value as text (`NULL` for null, `x'…'` for bytes).
    pub rows: Vec<Vec<String>>,
}

/// Every table of the database at `url`, row by row, as text.
pub async fn dump_tables(url: &str) -> Result<Vec<TableDump>, StoreError> {
    sqlx::any::install_default_drivers();
    let backend = Backend::of(url)?;
    let mut conn = AnyConnection::connect(url).await?;
    let mut out = Vec::new();
    for name in tables(&mut conn, backend).await? {
        let typed = columns_of(&mut conn, backend, &name).await?;
        let columns: Vec<String> = typed.iter().map(|c| c.0.clone()).collect();
        // Times (sqlx's own table) are read as text and SQLite's booleans as integers: the Any
        // driver reads neither.
        let select: Vec<String> = typed
            .iter()
            .map(|(c, t)| {
                let t = t.to_ascii_lowercase();
                if t.contains("time") || t.contains("date") {
                    format!("CAST({} AS TEXT)", quoted(c))
                } else if t.contains("bool") && backend == Backend::Sqlite {
                    format!("CAST({} AS INTEGER)", quoted(c))
                } else {
                    quoted(c)
                }
            })
            .collect();
        let mut rows = Vec::new();
        if !columns.is_empty() {
            // Ordered by every column: a total order, the same on both sides.
            let order: Vec<String> = (1..=columns.len()).map(|i| i.to_string()).collect();
            let all = sqlx::query(&format!(
                "SELECT {} FROM {} ORDER BY {}",
                select.join(", "),
                quoted(&name),
                order.join(", ")
            ))
            .fetch_all(&mut conn)
            .await?;
            for row in &all {
                rows.push((0..columns.len()).map(|i| text_of(row, i)).collect());
            }
        }
        out.push(TableDump {
            name,
            columns,
            rows,
        });
    }
    conn.close().await?;
    Ok(out)
}

/// A table's columns and their declared types, in order.
async fn columns_of(
    conn: &mut AnyConnection,
    backend: Backend,
    table: &str,
) -> Result<Vec<(String, String)>, StoreError> {
    let sql = match backend {
        Backend::Sqlite => "SELECT name, type FROM pragma_table_info($1) ORDER BY cid",
        Backend::Postgres => {
            "SELECT column_name::text, data_type::text FROM information_schema.columns
             WHERE table_schema = 'public' AND table_name = $1 ORDER BY ordinal_position"
        }
    };
    Ok(sqlx::query_as(sql)
        .bind(table)
        .fetch_all(&mut *conn)
        .await?)
}

/// A value as text, whatever its type.
fn text_of(row: &sqlx::any::AnyRow, i: usize) -> String {
    if let Ok(v) = row.try_get::<Option<i64>, _>(i) {
        return v.map_or_else(|| "NULL".to_string(), |v| v.to_string());
    }
    if let Ok(v) = row.try_get::<Option<String>, _>(i) {
        return v.unwrap_or_else(|| "NULL".to_string());
    }
    if let Ok(v) = row.try_get::<Option<Vec<u8>>, _>(i) {
        return v.map_or_else(
            || "NULL".to_string(),
            |b| {
                let hex: String = b.iter().map(|x| format!("{x:02x}")).collect();
                format!("x'{hex}'")
            },
        );
    }
    if let Ok(v) = row.try_get::<Option<bool>, _>(i) {
        return v.map_or_else(|| "NULL".to_string(), |v| v.to_string());
    }
    if let Ok(v) = row.try_get::<Option<f64>, _>(i) {
        return v.map_or_else(|| "NULL".to_string(), |v| format!("{v:?}"));
    }
    "<unreadable>".to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sqlite_urls_name_their_files() {
        assert_eq!(sqlite_path("sqlite:a.db").ok(), Some(PathBuf::from("a.db")));
        assert_eq!(
            sqlite_path("sqlite:///tmp/a.db?mode=rwc").ok(),
            Some(PathBuf::from("/tmp/a.db"))
        );
        assert!(sqlite_path("sqlite::memory:").is_err());
    }

    #[test]
    fn the_password_leaves_the_url() {
        let t = PgTarget::of("postgres://jx:p%40ss%3Aw@127.0.0.1:5433/db1?sslmode=disable")
            .expect("parsed");
        assert_eq!(t.url, "postgres://jx@127.0.0.1:5433/db1?sslmode=disable");
        assert_eq!(t.password.as_deref(), Some("p@ss:w"));
        assert_eq!(t.database, "db1");
        let none = PgTarget::of("postgres://127.0.0.1/db2").expect("parsed");
        assert_eq!(none.url, "postgres://127.0.0.1/db2");
        assert_eq!(none.password, None);
        assert_eq!(
            crate::db::with_database("postgres://u:p@h:1/a?x=1", "postgres"),
            "postgres://u:p@h:1/postgres?x=1"
        );
    }

    #[test]
    fn literals_are_quoted() {
        assert_eq!(sql_literal("it's"), "'it''s'");
    }
}
