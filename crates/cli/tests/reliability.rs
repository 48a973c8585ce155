//! Reliability of the real `jixiao` binary, on SQLite and on PostgreSQL: `jixiao backup` and
//! `jixiao restore` give back identical data (every table compared row by row), also when the
//! backup is taken while writers keep saving; a database made by the first release (migration
//! 0001 only, testdata/db/v0001.db) upgrades to the current schema with every row intact; and
//! `jixiao serve` killed with SIGKILL at random moments during saves, workflow steps and imports
//! restarts on a consistent database that holds every acknowledged write.

#[allow(dead_code)]
#[path = "../../app/tests/common/mod.rs"]
mod common;
#[allow(dead_code)]
mod support;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::Db;
use jixiao_store::backup::dump_tables;
use support::{consistency, drop_pg_database, fresh_pg_url, populate, save_note, temp_path};

fn jixiao(args: &[&str]) -> (bool, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_jixiao"))
        .args(args)
        .env_remove("DATABASE_URL")
        .output()
        .expect("run jixiao");
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn path_str(p: &Path) -> String {
    p.display().to_string()
}

/// What a restore target is: a new SQLite file, or a PostgreSQL database not created yet.
enum Target {
    Sqlite(PathBuf),
    Postgres(String),
}

impl Target {
    fn like(db: &Db, name: &str) -> Target {
        if db.url.starts_with("sqlite:") {
            Target::Sqlite(temp_path(name, "db"))
        } else {
            Target::Postgres(fresh_pg_url(name).expect("a PostgreSQL URL"))
        }
    }

    fn url(&self) -> String {
        match self {
            Target::Sqlite(p) => format!("sqlite:{}", p.display()),
            Target::Postgres(u) => u.clone(),
        }
    }

    async fn remove(self) {
        match self {
            Target::Sqlite(p) => support::remove_sqlite(&p),
            Target::Postgres(u) => drop_pg_database(&u).await,
        }
    }
}

async fn backup_then_restore_gives_identical_data(db: &Db) {
    populate(&db.app).await;
    let file = temp_path("backup", "bak");
    let (ok, out, err) = jixiao(&["backup", &path_str(&file), "--database", &db.url]);
    assert!(ok, "backup failed: {out}{err}");
    assert!(out.contains("已备份") && out.contains("表单"), "{out}");
    // The password of a PostgreSQL URL is never printed.
    if let Some(pw) = support::password_of(&db.url) {
        assert!(!out.contains(&pw) && !err.contains(&pw), "password printed");
    }

    let target = Target::like(db, "restored");
    let url = target.url();
    let (ok, out, err) = jixiao(&["restore", &path_str(&file), "--database", &url]);
    assert!(ok, "restore failed: {out}{err}");
    assert!(out.contains("变更日志完整"), "{out}");

    let original = dump_tables(&db.url).await.expect("dump original");
    let restored = dump_tables(&url).await.expect("dump restored");
    let names: Vec<&str> = original.iter().map(|t| t.name.as_str()).collect();
    for must in [
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
        "_sqlx_migrations",
    ] {
        assert!(names.contains(&must), "table {must} missing: {names:?}");
    }
    assert_eq!(
        original.iter().map(|t| &t.name).collect::<Vec<_>>(),
        restored.iter().map(|t| &t.name).collect::<Vec<_>>()
    );
    for (a, b) in original.iter().zip(&restored) {
        assert!(
            !a.rows.is_empty()
                || matches!(
                    a.name.as_str(),
                    // Not filled by this scenario (the demo has no failed login, no
                    // rectification and no department evaluation): compared all the same.
                    "login_failures" | "rectifications" | "evaluations"
                ),
            "{} is empty",
            a.name
        );
        assert_eq!(a.columns, b.columns, "columns of {}", a.name);
        assert_eq!(a.rows.len(), b.rows.len(), "rows of {}", a.name);
        for (k, (ra, rb)) in a.rows.iter().zip(&b.rows).enumerate() {
            assert_eq!(ra, rb, "{} row {k}", a.name);
        }
    }
    let c = consistency(&url)
        .await
        .expect("restored database consistent");
    assert!(c.forms > 0 && c.versions > c.forms, "{c:?}");

    // A second restore over it is refused (it holds data now) and changes nothing.
    let (ok, _, err) = jixiao(&["restore", &path_str(&file), "--database", &url]);
    assert!(!ok);
    assert!(err.contains("已有数据"), "{err}");
    // A backup of the other backend, or a file that is no backup, is refused clearly.
    let junk = temp_path("junk", "bak");
    std::fs::write(&junk, b"not a backup at all").expect("write junk");
    let (ok, _, err) = jixiao(&["restore", &path_str(&junk), "--database", &url]);
    assert!(!ok && err.contains("不是绩效系统的备份文件"), "{err}");
    let _ = std::fs::remove_file(&junk);
    let _ = std::fs::remove_file(&file);
    target.remove().await;
}

/// A backup taken while a writer keeps saving is a consistent snapshot: its restore verifies
/// and holds a prefix of the saves.
async fn backup_while_saving_is_consistent(db: &Db) {
    let region = populate(&db.app).await;
    let app = db.app.clone();
    let (actor, id) = (region.filer.clone(), region.form_id);
    let writer = tokio::spawn(async move {
        let mut saves = 0;
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
        while saves < 60 && std::time::Instant::now() < deadline {
            save_note(&app, &actor, id, &format!("并发保存{saves}")).await;
            saves += 1;
        }
        saves
    });
    let file = temp_path("online", "bak");
    let f = path_str(&file);
    let url = db.url.clone();
    let (ok, out, err) = tokio::task::spawn_blocking(move || {
        std::thread::sleep(std::time::Duration::from_millis(200));
        jixiao(&["backup", &f, "--database", &url])
    })
    .await
    .expect("join");
    let saves = writer.await.expect("writer");
    assert!(ok, "{out}{err}");
    let target = Target::like(db, "online");
    let url = target.url();
    let (ok, out, err) = jixiao(&["restore", &path_str(&file), "--database", &url]);
    assert!(ok && out.contains("变更日志完整"), "{out}{err}");
    let c = consistency(&url).await.expect("consistent snapshot");
    let live = consistency(&db.url)
        .await
        .expect("live database consistent");
    assert!(c.versions <= live.versions, "{c:?} vs {live:?}");
    assert!(saves > 0);
    let _ = std::fs::remove_file(&file);
    target.remove().await;
}

on_both_databases!(
    backup_then_restore_gives_identical_data,
    backup_while_saving_is_consistent,
);

// ── upgrades ────────────────────────────────────────────────────────────────────────────────

/// The fixture made by scripts/make-upgrade-fixture.sh with the release whose schema is
/// migration 0001 only.
fn fixture() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../testdata/db/v0001.db")
}

const FIXTURE_EVIDENCE: &[u8] = b"evidence \x00\x01\x02\xff of the upgrade fixture\n";

fn migration_files(backend: &str) -> usize {
    std::fs::read_dir(
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(format!("../store/migrations/{backend}")),
    )
    .expect("migrations")
    .filter(|e| {
        e.as_ref()
            .is_ok_and(|e| e.file_name().to_string_lossy().ends_with(".sql"))
    })
    .count()
}

/// `dump` without the columns `drop`.
fn without(
    dump: &jixiao_store::backup::TableDump,
    drop: &[&str],
) -> jixiao_store::backup::TableDump {
    let keep: Vec<usize> = (0..dump.columns.len())
        .filter(|&i| !drop.contains(&dump.columns[i].as_str()))
        .collect();
    let mut out = dump.clone();
    out.columns = keep.iter().map(|&i| dump.columns[i].clone()).collect();
    out.rows = dump
        .rows
        .iter()
        .map(|r| keep.iter().map(|&i| r[i].clone()).collect())
        .collect();
    out
}

/// The rows of `after` restricted to the columns of `before`, sorted.
fn projected(
    before: &jixiao_store::backup::TableDump,
    after: &jixiao_store::backup::TableDump,
) -> Vec<Vec<String>> {
    let idx: Vec<usize> = before
        .columns
        .iter()
        .map(|c| {
            after
                .columns
                .iter()
                .position(|a| a == c)
                .unwrap_or_else(|| panic!("column {}.{c} lost in the upgrade", before.name))
        })
        .collect();
    let mut rows: Vec<Vec<String>> = after
        .rows
        .iter()
        .map(|r| idx.iter().map(|&i| r[i].clone()).collect())
        .collect();
    rows.sort();
    rows
}

/// Opens a database at migration 0001 with the current code and checks that every row it held
/// is still there, that it verifies, and that the application works on it.
async fn check_upgrade(url: &str, backend: &str) {
    let before = dump_tables(url).await.expect("dump before");
    let migrations = before
        .iter()
        .find(|t| t.name == "_sqlx_migrations")
        .expect("migration table");
    assert_eq!(migrations.rows.len(), 1, "the fixture is at migration 0001");
    let app = jixiao_app::App::open(url).await.expect("open and migrate");
    let after = dump_tables(url).await.expect("dump after");
    for b in before.iter().filter(|t| t.name != "_sqlx_migrations") {
        let a = after
            .iter()
            .find(|t| t.name == b.name)
            .unwrap_or_else(|| panic!("table {} lost", b.name));
        // A form's total and grade are figures the application derives from its data: since
        // issue 21 they are its one total (the stated one until review), given at start to the
        // rows saved before; everything else is as it was.
        let (b, a) = if b.name == "forms" {
            (
                &without(b, &["total", "grade"]),
                &without(a, &["total", "grade"]),
            )
        } else {
            (b, a)
        };
        let mut old = b.rows.clone();
        old.sort();
        assert_eq!(old, projected(b, a), "rows of {} changed", b.name);
    }
    let applied = after
        .iter()
        .find(|t| t.name == "_sqlx_migrations")
        .map_or(0, |t| t.rows.len());
    assert_eq!(applied, migration_files(backend), "every migration applied");
    let c = consistency(url)
        .await
        .expect("upgraded database consistent");
    assert!(c.forms >= 4 && c.events >= 2 && c.attachments >= 1, "{c:?}");

    // What users did with the old release reads back through the current application.
    let accounts = jixiao_demo::load(&app).await.expect("demo passwords");
    let filer = support::actor(&app, &accounts, "tianbao2").await;
    let forms = app
        .list_forms(
            &filer,
            &jixiao_store::forms::FormFilter {
                kind: Some("project_self_evaluation".into()),
                ..Default::default()
            },
        )
        .await
        .expect("forms");
    let first = app.form(&filer, forms[0].id).await.expect("first form");
    assert_eq!(first.head.version, 3);
    match &first.form {
        jixiao_core::form::Form::ProjectSelfEvaluation(s) => {
            assert_eq!(s.overall_target.actual, "升级前的第二次修改");
        }
        other => panic!("{}", other.title()),
    }
    let files = app
        .attachments(&filer, forms[0].id)
        .await
        .expect("attachments");
    assert_eq!(files.len(), 1);
    let (_, bytes) = app.attachment(&filer, files[0].id).await.expect("bytes");
    assert_eq!(bytes, FIXTURE_EVIDENCE);
    let second = app.form(&filer, forms[1].id).await.expect("second form");
    assert_eq!(second.head.stage, jixiao_app::workflow::Stage::Confirmed);
    let (events, _) = app.history(&filer, forms[1].id).await.expect("history");
    assert_eq!(events.len(), 2);
    // And it goes on working: a save on top of the old versions.
    let v = save_note(&app, &filer, forms[0].id, "升级后的修改").await;
    assert_eq!(v, 4);
    app.close().await;
    consistency(url).await.expect("consistent after new work");
    let (ok, out, err) = jixiao(&["log", "verify", "--database", url]);
    assert!(ok && out.contains("变更日志完整"), "{out}{err}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_database_of_the_first_release_upgrades() {
    let path = temp_path("upgrade", "db");
    std::fs::copy(fixture(), &path).expect("copy the fixture");
    check_upgrade(&format!("sqlite:{}", path.display()), "sqlite").await;
    support::remove_sqlite(&path);
}

/// PostgreSQL at migration 0001: the first schema applied by sqlx's migrator from that one file,
/// then every row of the SQLite fixture copied in as it is.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_database_of_the_first_release_upgrades() {
    let Some(url) = support::create_pg_database("upgrade").await else {
        assert!(
            std::env::var("JIXIAO_REQUIRE_PG").map_or(true, |v| v != "1"),
            "JIXIAO_REQUIRE_PG=1 but JIXIAO_TEST_PG_URL is not set"
        );
        eprintln!("PostgreSQL upgrade test skipped: JIXIAO_TEST_PG_URL is not set");
        return;
    };
    support::load_first_release_into_postgres(&fixture(), &url).await;
    check_upgrade(&url, "postgres").await;
    drop_pg_database(&url).await;
}

// ── crashes ─────────────────────────────────────────────────────────────────────────────────

/// How many times each crash test kills the server (`JIXIAO_CRASH_KILLS`, default 20).
fn kills() -> usize {
    std::env::var("JIXIAO_CRASH_KILLS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(20)
}

/// A small deterministic generator (xorshift), seeded from `JIXIAO_CRASH_SEED` or the clock.
struct Rng(u64);

impl Rng {
    fn new() -> Rng {
        let seed = std::env::var("JIXIAO_CRASH_SEED")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or_else(|| {
                std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .map_or(1, |d| d.as_nanos() as u64)
            })
            | 1;
        eprintln!("crash test seed: JIXIAO_CRASH_SEED={seed}");
        Rng(seed)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n
    }
}

/// What the clients saw acknowledged.
#[derive(Debug, Default)]
struct Ledger {
    /// (form, version, note) of every save answered 200.
    saves: Vec<(i64, i64, String)>,
    /// Stages reached by the workflow steps answered 200, per form, in order.
    steps: std::collections::BTreeMap<i64, Vec<String>>,
    /// Forms created by imports answered 201.
    imports: Vec<i64>,
    /// Requests answered with a status no client expected.
    unexpected: Vec<String>,
}

use support::http::{ApiClient, Server};

const SEED001_DOCX: &[u8] = include_bytes!("../../../testdata/fixtures/seed001.docx");

/// Saves `id` with new notes, one after the other, until the server dies or `stop`.
fn saver(
    c: &ApiClient,
    id: i64,
    tag: &str,
    stop: &std::sync::atomic::AtomicBool,
    ledger: &std::sync::Mutex<Ledger>,
) {
    use std::sync::atomic::Ordering;
    let Ok(r) = c.call("GET", &format!("/api/v1/forms/{id}"), None) else {
        return;
    };
    let mut shown = r.json();
    let mut version = shown["version"].as_i64().unwrap_or_default();
    for seq in 0..2000 {
        if stop.load(Ordering::Relaxed) {
            return;
        }
        let note = format!("{tag}-{seq}");
        shown["form"]["overall_target"]["actual"] = serde_json::Value::String(note.clone());
        let body = serde_json::json!({"version": version, "form": shown["form"]});
        match c.call("PUT", &format!("/api/v1/forms/{id}"), Some(&body)) {
            Ok(r) if r.status == 200 => {
                version = r.json()["version"].as_i64().unwrap_or_default();
                ledger
                    .lock()
                    .expect("ledger")
                    .saves
                    .push((id, version, note));
            }
            Ok(r) => {
                ledger.lock().expect("ledger").unexpected.push(format!(
                    "save {id}: {} {}",
                    r.status,
                    r.text()
                ));
                return;
            }
            Err(_) => return,
        }
    }
}

/// Moves `id` round draft → awaiting confirmation → confirmed → draft.
fn stepper(
    filer: &ApiClient,
    head: &ApiClient,
    id: i64,
    stop: &std::sync::atomic::AtomicBool,
    ledger: &std::sync::Mutex<Ledger>,
) {
    use std::sync::atomic::Ordering;
    let Ok(r) = filer.call("GET", &format!("/api/v1/forms/{id}"), None) else {
        return;
    };
    let shown = r.json();
    let version = shown["version"].as_i64().unwrap_or_default();
    let mut stage = shown["stage"].as_str().unwrap_or_default().to_string();
    for _ in 0..2000 {
        if stop.load(Ordering::Relaxed) {
            return;
        }
        let (who, action) = match stage.as_str() {
            "draft" => (filer, "request_confirmation"),
            "awaiting_confirmation" => (head, "confirm"),
            "confirmed" => (filer, "withdraw"),
            other => panic!("form {id} reached {other}"),
        };
        // Sending on explains the seed form's audit errors at once.
        let body = serde_json::json!({"version": version, "reason": "原表如此，已核对"});
        match who.call(
            "POST",
            &format!("/api/v1/forms/{id}/actions/{action}"),
            Some(&body),
        ) {
            Ok(r) if r.status == 200 => {
                stage = r.json()["stage"].as_str().unwrap_or_default().to_string();
                ledger
                    .lock()
                    .expect("ledger")
                    .steps
                    .entry(id)
                    .or_default()
                    .push(stage.clone());
            }
            Ok(r) => {
                ledger.lock().expect("ledger").unexpected.push(format!(
                    "{action} {id}: {} {}",
                    r.status,
                    r.text()
                ));
                return;
            }
            Err(_) => return,
        }
    }
}

/// Uploads seed001.docx again and again as new drafts (a region-wide import, one file at a time).
fn importer(
    c: &ApiClient,
    stop: &std::sync::atomic::AtomicBool,
    ledger: &std::sync::Mutex<Ledger>,
) {
    use std::sync::atomic::Ordering;
    for _ in 0..500 {
        if stop.load(Ordering::Relaxed) {
            return;
        }
        // The importer files the same document again and again on purpose, under a unit the
        // file does not name: both answered up front.
        match c.upload(
            "/api/v1/imports",
            &[
                ("year", "2022"),
                ("on_duplicate", "separate"),
                ("confirm", "1"),
            ],
            "seed001.docx",
            SEED001_DOCX,
        ) {
            Ok(r) if r.status == 201 => {
                let ids: Vec<i64> = r.json()["forms"]
                    .as_array()
                    .map(|a| a.iter().filter_map(|f| f[0].as_i64()).collect())
                    .unwrap_or_default();
                ledger.lock().expect("ledger").imports.extend(ids);
            }
            Ok(r) => {
                ledger.lock().expect("ledger").unexpected.push(format!(
                    "import: {} {}",
                    r.status,
                    r.text()
                ));
                return;
            }
            Err(_) => return,
        }
    }
}

/// Every acknowledged save, step and import is in the database; the steps ledger is brought in
/// line with the one step that may have committed without its answer arriving.
async fn check_ledger(url: &str, ledger: &mut Ledger) -> Result<(), String> {
    use sqlx::Connection;
    if !ledger.unexpected.is_empty() {
        return Err(format!("unexpected answers: {:?}", ledger.unexpected));
    }
    let mut conn = sqlx::AnyConnection::connect(url)
        .await
        .map_err(|e| e.to_string())?;
    let mut ids: Vec<i64> = ledger.saves.iter().map(|s| s.0).collect();
    ids.sort_unstable();
    ids.dedup();
    for id in ids {
        let rows: Vec<(i64, String)> =
            sqlx::query_as("SELECT version, data FROM form_versions WHERE form_id = $1")
                .bind(id)
                .fetch_all(&mut conn)
                .await
                .map_err(|e| e.to_string())?;
        let stored: std::collections::HashMap<i64, String> = rows.into_iter().collect();
        for (_, version, note) in ledger.saves.iter().filter(|s| s.0 == id) {
            match stored.get(version) {
                Some(data) if data.contains(&format!("\"{note}\"")) => {}
                Some(_) => return Err(format!("form {id} version {version} is not “{note}”")),
                None => {
                    return Err(format!(
                        "acknowledged save lost: form {id} version {version}"
                    ));
                }
            }
        }
    }
    for (id, acked) in &mut ledger.steps {
        let rows: Vec<(String,)> =
            sqlx::query_as("SELECT to_stage FROM workflow_events WHERE form_id = $1 ORDER BY id")
                .bind(*id)
                .fetch_all(&mut conn)
                .await
                .map_err(|e| e.to_string())?;
        let stored: Vec<String> = rows.into_iter().map(|r| r.0).collect();
        let prefix_ok = stored.len() >= acked.len() && stored[..acked.len()] == acked[..];
        if !prefix_ok || stored.len() > acked.len() + 1 {
            return Err(format!(
                "form {id}: acknowledged steps {acked:?}, stored {stored:?}"
            ));
        }
        *acked = stored;
    }
    for id in &ledger.imports {
        let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM forms WHERE id = $1")
            .bind(*id)
            .fetch_one(&mut conn)
            .await
            .map_err(|e| e.to_string())?;
        if n != 1 {
            return Err(format!("acknowledged import lost: form {id}"));
        }
    }
    // An upload is one transaction: seed001.docx holds both forms, so no kill can leave one
    // of them without the other (the demo region starts with one of each).
    let (daily, audit): (i64, i64) = sqlx::query_as(
        "SELECT (SELECT COUNT(*) FROM forms WHERE name = '日常运转经费'),
                (SELECT COUNT(*) FROM forms WHERE name = '工伤稽核专项经费')",
    )
    .fetch_one(&mut conn)
    .await
    .map_err(|e| e.to_string())?;
    if daily != audit {
        return Err(format!(
            "a partial import: {daily} 日常运转经费 but {audit} 工伤稽核专项经费"
        ));
    }
    conn.close().await.ok();
    Ok(())
}

/// Kills `jixiao serve` with SIGKILL at random moments while two filers save, a filer and a
/// unit head move a form through the workflow and a third filer imports files; after each
/// restart the database is consistent and holds everything acknowledged.
async fn kill_during_saves_steps_and_imports(url: &str, label: &str) {
    use std::sync::atomic::{AtomicBool, Ordering};
    use std::sync::{Arc, Mutex};
    let mut rng = Rng::new();
    let first = Server::start(url, true);
    let passwords: Vec<(String, String)> = first
        .accounts
        .iter()
        .map(|a| (a.0.clone(), a.1.clone()))
        .collect();
    let pw = |name: &str| {
        passwords
            .iter()
            .find(|a| a.0 == name)
            .map(|a| a.1.clone())
            .unwrap_or_else(|| panic!("no account {name}"))
    };
    let forms_of = |c: &ApiClient| -> Vec<i64> {
        c.call("GET", "/api/v1/forms?kind=project_self_evaluation", None)
            .expect("list")
            .json()["forms"]
            .as_array()
            .expect("forms")
            .iter()
            .filter_map(|f| f["id"].as_i64())
            .collect()
    };
    let huaibei =
        forms_of(&ApiClient::login(&first.addr, "tianbao2", &pw("tianbao2")).expect("login"));
    let zhuzhou =
        forms_of(&ApiClient::login(&first.addr, "tianbao3", &pw("tianbao3")).expect("login"));
    let (saved_a, stepped, saved_c) = (huaibei[0], huaibei[1], zhuzhou[0]);
    let ledger = Arc::new(Mutex::new(Ledger::default()));
    let mut server = Some(first);
    let started = std::time::Instant::now();
    let n = kills();
    for k in 0..n {
        let s = server.take().unwrap_or_else(|| Server::start(url, false));
        let addr = s.addr.clone();
        let stop = Arc::new(AtomicBool::new(false));
        let login = |name: &str| ApiClient::login(&addr, name, &pw(name)).expect("login");
        let (t2, h2, t3, t1) = (
            login("tianbao2"),
            login("fuzeren2"),
            login("tianbao3"),
            login("tianbao1"),
        );
        let mut threads = Vec::new();
        {
            let (stop, ledger, tag) = (stop.clone(), ledger.clone(), format!("{label}-a{k}"));
            threads.push(std::thread::spawn(move || {
                saver(&t2, saved_a, &tag, &stop, &ledger)
            }));
        }
        {
            let (stop, ledger, tag) = (stop.clone(), ledger.clone(), format!("{label}-c{k}"));
            threads.push(std::thread::spawn(move || {
                saver(&t3, saved_c, &tag, &stop, &ledger)
            }));
        }
        {
            let (stop, ledger, t2) = (stop.clone(), ledger.clone(), login("tianbao2"));
            threads.push(std::thread::spawn(move || {
                stepper(&t2, &h2, stepped, &stop, &ledger)
            }));
        }
        {
            let (stop, ledger) = (stop.clone(), ledger.clone());
            threads.push(std::thread::spawn(move || importer(&t1, &stop, &ledger)));
        }
        std::thread::sleep(std::time::Duration::from_millis(50 + rng.below(1200)));
        s.kill();
        stop.store(true, Ordering::Relaxed);
        for t in threads {
            t.join().expect("client thread");
        }
        let mut l = std::mem::take(&mut *ledger.lock().expect("ledger"));
        if let Err(e) = check_ledger(url, &mut l).await {
            panic!("{label}: after kill {} of {n}: {e}", k + 1);
        }
        if let Err(e) = consistency(url).await {
            panic!("{label}: after kill {} of {n}: inconsistent: {e}", k + 1);
        }
        *ledger.lock().expect("ledger") = l;
    }
    // The server starts once more and serves.
    let s = Server::start(url, false);
    let c = ApiClient::login(&s.addr, "tianbao2", &pw("tianbao2")).expect("login after crashes");
    assert_eq!(
        c.call("GET", "/api/v1/todo", None).expect("todo").status,
        200
    );
    s.kill();
    let l = ledger.lock().expect("ledger");
    let steps: usize = l.steps.values().map(Vec::len).sum();
    eprintln!(
        "{label}: {n} SIGKILLs in {:.1?}; acknowledged and found after restart: {} saves, {steps} workflow steps, {} imported forms",
        started.elapsed(),
        l.saves.len(),
        l.imports.len()
    );
    assert!(
        !l.saves.is_empty() && !l.imports.is_empty(),
        "the clients got work done"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_survives_sigkill_during_writes() {
    let path = temp_path("crash", "db");
    kill_during_saves_steps_and_imports(&format!("sqlite:{}", path.display()), "sqlite").await;
    support::remove_sqlite(&path);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_survives_sigkill_during_writes() {
    let Some(url) = support::create_pg_database("crash").await else {
        assert!(
            std::env::var("JIXIAO_REQUIRE_PG").map_or(true, |v| v != "1"),
            "JIXIAO_REQUIRE_PG=1 but JIXIAO_TEST_PG_URL is not set"
        );
        eprintln!("PostgreSQL crash test skipped: JIXIAO_TEST_PG_URL is not set");
        return;
    };
    kill_during_saves_steps_and_imports(&url, "postgres").await;
    drop_pg_database(&url).await;
}
