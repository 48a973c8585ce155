//! Reliability of the real `jixiao` binary, on SQLite and on PostgreSQL: `jixiao backup` and
//! `jixiao restore` give back identical data (every table compared row by row), also when the
//! backup is taken while writers keep saving; a database made by the first release (migration
//! 0001 only, testdata/db/v0001.db) upgrades to the current schema with every row intact.

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
            !a.rows.is_empty() || a.name == "login_failures",
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
    let accounts = jixiao_app::demo::load(&app).await.expect("demo passwords");
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
    assert_eq!(second.head.stage, "confirmed");
    let (events, _) = app.history(&filer, forms[1].id).await.expect("history");
    assert_eq!(events.len(), 2);
    // And it goes on working: a save on top of the old versions.
    let v = save_note(&app, &filer, forms[0].id, "升级后的修改").await;
    assert_eq!(v, 4);
    app.store.close().await;
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
