//! What the reliability tests share: scratch files and databases, a populated demo region, and
//! the consistency check run after every backup, restore, upgrade and crash.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU32, Ordering};

use jixiao_app::workflow::Action;
use jixiao_app::{Actor, App, AppError};
use jixiao_core::form::Form;
use jixiao_demo as demo;
use jixiao_store::forms::FormFilter;
use jixiao_store::log::Verification;
use sqlx::{AnyConnection, Connection};

pub mod http;
pub mod zip;

/// A name no other test of any run uses.
pub fn unique(name: &str) -> String {
    static NEXT: AtomicU32 = AtomicU32::new(0);
    let n = NEXT.fetch_add(1, Ordering::Relaxed);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or_default();
    format!("jx_rel_{name}_{}_{n}_{nanos:x}", std::process::id())
}

/// A path in the temporary directory that does not exist yet.
pub fn temp_path(name: &str, ext: &str) -> PathBuf {
    let p = std::env::temp_dir().join(format!("{}.{ext}", unique(name)));
    let _ = std::fs::remove_file(&p);
    p
}

/// Removes a SQLite file and its WAL and shared-memory files.
pub fn remove_sqlite(path: &Path) {
    for suffix in ["", "-wal", "-shm", "-journal"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
    }
}

/// The URL of a PostgreSQL database that does not exist yet, on the test server.
pub fn fresh_pg_url(name: &str) -> Option<String> {
    let admin = std::env::var("JIXIAO_TEST_PG_URL")
        .ok()
        .filter(|u| !u.trim().is_empty())?;
    Some(jixiao_store::db::with_database(&admin, &unique(name)))
}

/// A new, empty PostgreSQL database on the test server; its URL.
pub async fn create_pg_database(name: &str) -> Option<String> {
    let admin = std::env::var("JIXIAO_TEST_PG_URL")
        .ok()
        .filter(|u| !u.trim().is_empty())?;
    sqlx::any::install_default_drivers();
    let db = unique(name);
    let mut conn = AnyConnection::connect(&admin).await.expect("connect admin");
    sqlx::raw_sql(&format!("CREATE DATABASE \"{db}\""))
        .execute(&mut conn)
        .await
        .expect("create database");
    conn.close().await.ok();
    Some(jixiao_store::db::with_database(&admin, &db))
}

/// Drops a database of the test server.
pub async fn drop_pg_database(url: &str) {
    let Ok(admin) = std::env::var("JIXIAO_TEST_PG_URL") else {
        return;
    };
    let name = url
        .rsplit('/')
        .next()
        .unwrap_or_default()
        .split('?')
        .next()
        .unwrap_or_default()
        .to_string();
    if let Ok(mut conn) = AnyConnection::connect(&admin).await {
        let _ = sqlx::raw_sql(&format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"))
            .execute(&mut conn)
            .await;
        conn.close().await.ok();
    }
}

/// A fresh database of each backend that the environment offers.
pub async fn databases(name: &str) -> Vec<(String, Option<std::path::PathBuf>)> {
    let path = temp_path(name, "db");
    let mut out = vec![(format!("sqlite:{}", path.display()), Some(path))];
    match create_pg_database(name).await {
        Some(url) => out.push((url, None)),
        None => {
            assert!(
                std::env::var("JIXIAO_REQUIRE_PG").map_or(true, |v| v != "1"),
                "JIXIAO_REQUIRE_PG=1 but JIXIAO_TEST_PG_URL is not set"
            );
            eprintln!("PostgreSQL variant skipped: JIXIAO_TEST_PG_URL is not set");
        }
    }
    out
}

pub async fn clean_up(url: &str, path: Option<std::path::PathBuf>) {
    match path {
        Some(p) => remove_sqlite(&p),
        None => drop_pg_database(url).await,
    }
}

/// The password in a URL, if any.
pub fn password_of(url: &str) -> Option<String> {
    let rest = url.split_once("://")?.1;
    let creds = rest.split_once('@')?.0;
    creds.split_once(':').map(|(_, p)| p.to_string())
}

/// The demo region with some history: saves, a workflow step, an evidence file, a session and
/// a failed login.
#[derive(Debug, Clone)]
pub struct Region {
    /// 淮北's filer.
    pub filer: Actor,
    /// A project self-evaluation of 淮北, still a draft.
    pub form_id: i64,
    /// The demo accounts.
    pub accounts: Vec<demo::Account>,
}

/// Signs a demo account in.
pub async fn actor(app: &App, accounts: &[demo::Account], name: &str) -> Actor {
    let a = accounts
        .iter()
        .find(|a| a.username == name)
        .unwrap_or_else(|| panic!("no demo account {name}"));
    app.login(&a.username, &a.password)
        .await
        .unwrap_or_else(|e| panic!("login {name}: {e}"))
        .actor
}

/// Loads the demo region and gives it a history.
pub async fn populate(app: &App) -> Region {
    let accounts = demo::load(app).await.expect("demo");
    let filer = actor(app, &accounts, "tianbao2").await;
    let head = actor(app, &accounts, "fuzeren2").await;
    let forms = app
        .list_forms(
            &filer,
            &FormFilter {
                kind: Some("project_self_evaluation".into()),
                ..FormFilter::default()
            },
        )
        .await
        .expect("forms");
    assert!(forms.len() >= 2, "淮北 has two project self-evaluations");
    let form_id = forms[0].id;
    for k in 0..3 {
        save_note(app, &filer, form_id, &format!("第{k}次修改")).await;
    }
    let evidence: Vec<u8> = (0..=255u8).cycle().take(3000).collect();
    app.attach(
        &filer,
        form_id,
        "佐证材料.pdf",
        "application/pdf",
        &evidence,
    )
    .await
    .expect("attach");
    let other = forms[1].id;
    let v = app.form(&filer, other).await.expect("form").head.version;
    app.act(
        &filer,
        other,
        v,
        Action::RequestConfirmation,
        Some("原表如此，已核对：总分与分值设置按原表填报"),
    )
    .await
    .expect("request confirmation");
    app.act(&head, other, v, Action::Confirm, None)
        .await
        .expect("confirm");
    let _ = app.login("tianbao2", "wrong password").await;
    // A region audit kept as a run (its files and findings are tables of their own).
    let bureau = actor(app, &accounts, "caizheng").await;
    app.region_audit_run(
        &bureau,
        2021,
        vec![(
            "seed003.docx".to_string(),
            include_bytes!("../../../../testdata/fixtures/seed003.docx").to_vec(),
        )],
    )
    .await
    .expect("a region audit run");
    // An upload waiting as a background import (a job with its file).
    app.enqueue_import(
        &filer,
        "seed003.xlsx",
        include_bytes!("../../../../testdata/fixtures/seed003.xlsx"),
        2021,
        jixiao_app::filing::ImportChoice::default(),
    )
    .await
    .expect("an import job");
    Region {
        filer,
        form_id,
        accounts,
    }
}

/// Saves a project self-evaluation with `note` as its 总体目标完成情况 over its current version;
/// the new version, or the error.
pub async fn try_save_note(app: &App, actor: &Actor, id: i64, note: &str) -> Result<i64, AppError> {
    let view = app.form(actor, id).await?;
    let mut form = view.form;
    set_note(&mut form, note);
    app.save(actor, id, view.head.version, form).await
}

/// [`try_save_note`] that must succeed.
pub async fn save_note(app: &App, actor: &Actor, id: i64, note: &str) -> i64 {
    try_save_note(app, actor, id, note)
        .await
        .unwrap_or_else(|e| panic!("save {id}: {e}"))
}

/// Writes `note` into a self-evaluation's 总体目标完成情况.
pub fn set_note(form: &mut Form, note: &str) {
    match form {
        Form::ProjectSelfEvaluation(s) | Form::DepartmentSelfEvaluation(s) => {
            s.overall_target.actual = note.to_string();
        }
        other => panic!("not a self-evaluation: {}", other.title()),
    }
}

/// What the consistency check counted.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Counts {
    /// Forms.
    pub forms: i64,
    /// Rows of form_versions.
    pub versions: i64,
    /// Workflow events.
    pub events: i64,
    /// Evidence files.
    pub attachments: i64,
    /// Change-log entries.
    pub log: i64,
}

async fn rows<T>(conn: &mut AnyConnection, sql: &str) -> Result<Vec<T>, String>
where
    T: for<'r> sqlx::FromRow<'r, sqlx::any::AnyRow> + Send + Unpin,
{
    sqlx::query_as(sql)
        .fetch_all(&mut *conn)
        .await
        .map_err(|e| format!("{sql}: {e}"))
}

/// A form's id and version, and the count, lowest and highest of its stored versions.
type VersionSpan = (i64, i64, i64, Option<i64>, Option<i64>);

/// Checks a database the way an auditor would after a crash or a restore:
/// - no row points at a missing row (foreign keys; SQLite's own check too);
/// - every form's versions are 1..=version with none missing;
/// - every form's stage is where its workflow events lead, step after step;
/// - the change log has one `create` per form, one `save` per version after the first, one
///   entry per workflow step and per evidence file, and its hash chain verifies with nothing
///   missing at its end.
pub async fn consistency(url: &str) -> Result<Counts, String> {
    sqlx::any::install_default_drivers();
    let mut conn = AnyConnection::connect(url)
        .await
        .map_err(|e| format!("connect: {e}"))?;
    if url.starts_with("sqlite:") {
        let check: Vec<(String,)> = rows(&mut conn, "PRAGMA integrity_check").await?;
        if check.len() != 1 || check[0].0 != "ok" {
            return Err(format!("integrity_check: {check:?}"));
        }
        let fk: Vec<(String,)> =
            rows(&mut conn, "SELECT \"table\" FROM pragma_foreign_key_check").await?;
        if !fk.is_empty() {
            return Err(format!("foreign_key_check: {fk:?}"));
        }
    }
    for (what, sql) in [
        (
            "versions without a form",
            "SELECT COUNT(*) FROM form_versions v WHERE NOT EXISTS (SELECT 1 FROM forms f WHERE f.id = v.form_id)",
        ),
        (
            "events without a form",
            "SELECT COUNT(*) FROM workflow_events e WHERE NOT EXISTS (SELECT 1 FROM forms f WHERE f.id = e.form_id)",
        ),
        (
            "attachments without a form",
            "SELECT COUNT(*) FROM attachments a WHERE NOT EXISTS (SELECT 1 FROM forms f WHERE f.id = a.form_id)",
        ),
        (
            "forms without a unit",
            "SELECT COUNT(*) FROM forms f WHERE NOT EXISTS (SELECT 1 FROM orgs o WHERE o.id = f.org_id)",
        ),
        (
            "forms without their project",
            "SELECT COUNT(*) FROM forms f WHERE f.project_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM projects p WHERE p.id = f.project_id)",
        ),
        (
            "users without an organisation",
            "SELECT COUNT(*) FROM users u WHERE NOT EXISTS (SELECT 1 FROM orgs o WHERE o.id = u.org_id)",
        ),
    ] {
        let n: Vec<(i64,)> = rows(&mut conn, sql).await?;
        if n[0].0 != 0 {
            return Err(format!("{what}: {}", n[0].0));
        }
    }
    let versions: Vec<VersionSpan> = rows(
        &mut conn,
        "SELECT f.id, f.version, COUNT(v.version), MIN(v.version), MAX(v.version)
         FROM forms f LEFT JOIN form_versions v ON v.form_id = f.id GROUP BY f.id, f.version",
    )
    .await?;
    for (id, version, n, min, max) in &versions {
        if *n != *version || *min != Some(1) || *max != Some(*version) {
            return Err(format!(
                "form {id} at version {version} has versions {min:?}..={max:?} ({n} rows)"
            ));
        }
    }
    let forms: Vec<(i64, String)> = rows(&mut conn, "SELECT id, stage FROM forms").await?;
    let events: Vec<(i64, String, String)> = rows(
        &mut conn,
        "SELECT form_id, from_stage, to_stage FROM workflow_events ORDER BY form_id, id",
    )
    .await?;
    for (id, stage) in &forms {
        let mut at = "draft".to_string();
        for (_, from, to) in events.iter().filter(|e| e.0 == *id) {
            if *from != at {
                return Err(format!("form {id}: a step from {from} while at {at}"));
            }
            at = to.clone();
        }
        if at != *stage {
            return Err(format!("form {id} is {stage}, its events lead to {at}"));
        }
    }
    let log: Vec<(i64, String, i64)> = rows(
        &mut conn,
        "SELECT entity_id, action, COUNT(*) FROM change_log WHERE entity = 'form' GROUP BY entity_id, action",
    )
    .await?;
    let count = |id: i64, pred: &dyn Fn(&str) -> bool| -> i64 {
        log.iter()
            .filter(|(e, a, _)| *e == id && pred(a))
            .map(|r| r.2)
            .sum()
    };
    let attachments: Vec<(i64, i64)> = rows(
        &mut conn,
        "SELECT form_id, COUNT(*) FROM attachments GROUP BY form_id",
    )
    .await?;
    for (id, version, ..) in &versions {
        let creates = count(*id, &|a| a == "create");
        let saves = count(*id, &|a| a == "save");
        let attaches = count(*id, &|a| a == "attach");
        // An expert's look at a form is logged under it, but changes nothing.
        let steps = count(*id, &|a| {
            !matches!(a, "create" | "save" | "attach" | "expert_view")
        });
        let n_events = events.iter().filter(|e| e.0 == *id).count() as i64;
        let n_attach = attachments.iter().find(|a| a.0 == *id).map_or(0, |a| a.1);
        if creates != 1 || saves != version - 1 || steps != n_events || attaches != n_attach {
            return Err(format!(
                "form {id}: log has {creates} create, {saves} save, {steps} steps, {attaches} attach; \
                 the form has version {version}, {n_events} events, {n_attach} attachments"
            ));
        }
    }
    let (recorded,): (i64,) = sqlx::query_as("SELECT entries FROM log_head WHERE id = 1")
        .fetch_one(&mut conn)
        .await
        .map_err(|e| e.to_string())?;
    let (present,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM change_log")
        .fetch_one(&mut conn)
        .await
        .map_err(|e| e.to_string())?;
    if recorded != present {
        return Err(format!(
            "log_head counts {recorded}, the log holds {present}"
        ));
    }
    let (n_versions,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM form_versions")
        .fetch_one(&mut conn)
        .await
        .map_err(|e| e.to_string())?;
    conn.close().await.ok();
    let store = jixiao_store::Store::open(url)
        .await
        .map_err(|e| format!("open: {e}"))?;
    let verified = store.verify_log().await.map_err(|e| e.to_string())?;
    store.close().await;
    match verified {
        Verification::Intact { .. } => {}
        broken => return Err(format!("log verify: {broken:?}")),
    }
    Ok(Counts {
        forms: forms.len() as i64,
        versions: n_versions,
        events: events.len() as i64,
        attachments: attachments.iter().map(|a| a.1).sum(),
        log: present,
    })
}

/// A value of a SQLite row as a PostgreSQL literal.
fn pg_literal(row: &sqlx::any::AnyRow, i: usize) -> String {
    use sqlx::Row;
    if let Ok(v) = row.try_get::<Option<i64>, _>(i) {
        return v.map_or_else(|| "NULL".to_string(), |v| v.to_string());
    }
    if let Ok(v) = row.try_get::<Option<String>, _>(i) {
        return v.map_or_else(
            || "NULL".to_string(),
            |s| format!("'{}'", s.replace('\'', "''")),
        );
    }
    if let Ok(v) = row.try_get::<Option<Vec<u8>>, _>(i) {
        return v.map_or_else(
            || "NULL".to_string(),
            |b| {
                let hex: String = b.iter().map(|x| format!("{x:02x}")).collect();
                format!("'\\x{hex}'::bytea")
            },
        );
    }
    panic!("unreadable value in column {i}")
}

/// Tables of the first schema in an order that satisfies their foreign keys.
const FIRST_SCHEMA_TABLES: &[&str] = &[
    "orgs",
    "users",
    "sessions",
    "login_failures",
    "fiscal_years",
    "projects",
    "forms",
    "form_versions",
    "workflow_events",
    "attachments",
    "log_head",
    "change_log",
];

/// Makes the PostgreSQL database at `url` what the first release would have made: migration
/// 0001 applied by sqlx's migrator (from a folder holding that file alone), then every row of
/// the SQLite database at `sqlite_file` (made by that release) inserted as it is.
pub async fn load_first_release_into_postgres(sqlite_file: &Path, url: &str) {
    use sqlx::{Column, Row};
    sqlx::any::install_default_drivers();
    let dir = std::env::temp_dir().join(unique("m0001"));
    std::fs::create_dir_all(&dir).expect("migration folder");
    let first = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../store/migrations/postgres/0001_initial.sql");
    std::fs::copy(&first, dir.join("0001_initial.sql")).expect("copy 0001");
    let migrator = sqlx::migrate::Migrator::new(dir.as_path())
        .await
        .expect("migrator");
    let mut pg = AnyConnection::connect(url).await.expect("connect");
    migrator.run(&mut pg).await.expect("apply 0001");
    let _ = std::fs::remove_dir_all(&dir);

    let mut lite = AnyConnection::connect(&format!("sqlite:{}?mode=ro", sqlite_file.display()))
        .await
        .expect("open the fixture");
    sqlx::raw_sql("DELETE FROM log_head")
        .execute(&mut pg)
        .await
        .expect("clear log_head");
    for table in FIRST_SCHEMA_TABLES {
        let rows = sqlx::query(&format!("SELECT * FROM {table}"))
            .fetch_all(&mut lite)
            .await
            .expect("read fixture");
        for row in &rows {
            let columns: Vec<String> = row.columns().iter().map(|c| c.name().to_string()).collect();
            let values: Vec<String> = (0..columns.len()).map(|i| pg_literal(row, i)).collect();
            let sql = format!(
                "INSERT INTO {table} ({}) VALUES ({})",
                columns.join(", "),
                values.join(", ")
            );
            sqlx::raw_sql(&sql)
                .execute(&mut pg)
                .await
                .unwrap_or_else(|e| panic!("{table}: {e}"));
        }
        let has_identity: Vec<(String,)> = sqlx::query_as(
            "SELECT column_name::text FROM information_schema.columns
             WHERE table_name = $1 AND column_name = 'id' AND is_identity = 'YES'",
        )
        .bind(*table)
        .fetch_all(&mut pg)
        .await
        .expect("identity");
        if !has_identity.is_empty() {
            sqlx::raw_sql(&format!(
                "SELECT setval(pg_get_serial_sequence('{table}', 'id'), COALESCE((SELECT MAX(id) FROM {table}), 0) + 1, false)"
            ))
            .execute(&mut pg)
            .await
            .expect("sequence");
        }
    }
    lite.close().await.ok();
    pg.close().await.ok();
}
