//! Region audit runs are kept whole and read back filtered, on SQLite and on PostgreSQL.
//!
//! PostgreSQL comes from `JIXIAO_TEST_PG_URL` (`eval "$(bash scripts/pg.sh start)"`); without it
//! the PostgreSQL variant is skipped with a note, unless `JIXIAO_REQUIRE_PG=1`, where it fails.

use jixiao_store::Store;
use jixiao_store::log::{Author, Verification};
use jixiao_store::region_runs::{NewRegionRun, RunFileRow, RunFindingFilter, RunFindingRow};
use jixiao_store::users::NewUser;
use sqlx::{AnyConnection, Connection};

fn unique(prefix: &str) -> String {
    format!(
        "jx_{prefix}_{}_{}",
        std::process::id(),
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.subsec_nanos())
    )
}

fn file(file: &str, unit: Option<&str>, org: Option<i64>, status: &str, forms: i64) -> RunFileRow {
    RunFileRow {
        file: file.into(),
        unit: unit.map(str::to_string),
        org_id: org,
        status: status.into(),
        reason: (status != "forms").then(|| format!("{file}：没有可识别的表格")),
        forms,
        errors: 0,
        warnings: 0,
    }
}

fn finding(
    unit: &str,
    org: Option<i64>,
    code: &str,
    severity: &str,
    message: &str,
) -> RunFindingRow {
    RunFindingRow {
        file: format!("{unit}/自评表.docx"),
        form: "项目支出绩效自评表：日常运转经费".into(),
        unit: unit.into(),
        org_id: org,
        form_id: None,
        code: code.into(),
        severity: severity.into(),
        message: message.into(),
        location: "表格1 第3行".into(),
    }
}

/// Stores two runs and reads them back: newest first, files in order, findings filtered by
/// unit, severity, check and text (wildcards taken literally); the run is logged.
async fn runs_are_kept_and_filtered(store: &Store) {
    let by = Author::system();
    let bureau = store
        .create_org("财政局", "finance", None, &by)
        .await
        .expect("org");
    let unit = store
        .create_org("淮北市工伤保险管理服务中心", "unit", Some(bureau), &by)
        .await
        .expect("unit");
    let user = store
        .create_account(
            &NewUser {
                username: "caizheng",
                display_name: "蔡正",
                password_hash: "x",
                role: "finance",
                org_id: bureau,
                must_change_password: false,
            },
            &by,
        )
        .await
        .expect("user");
    let me = Author {
        user_id: Some(user),
        username: "caizheng".into(),
    };
    let first = store
        .create_region_run(
            &NewRegionRun {
                org_id: bureau,
                year: 2022,
                archive: "旧.zip".into(),
                files: 0,
                units: 0,
                file_rows: vec![],
                findings: vec![],
            },
            &me,
        )
        .await
        .expect("first run");
    let new = NewRegionRun {
        org_id: bureau,
        year: 2022,
        archive: "各单位.zip".into(),
        files: 3,
        units: 2,
        file_rows: vec![
            file(
                "淮北/自评表.docx",
                Some("淮北市工伤保险管理服务中心"),
                Some(unit),
                "forms",
                2,
            ),
            file(
                "其他/明朗中学.html",
                Some("永德县明朗中学"),
                None,
                "unassigned",
                1,
            ),
            file("淮北/会议纪要.html", None, None, "empty", 0),
        ],
        findings: vec![
            finding(
                "淮北市工伤保险管理服务中心",
                Some(unit),
                "A02",
                "错误",
                "执行率得分应为8.43",
            ),
            finding(
                "淮北市工伤保险管理服务中心",
                Some(unit),
                "Q01",
                "提示",
                "指标值含糊：100%_完成",
            ),
            finding("永德县明朗中学", None, "A02", "错误", "执行率得分应为9.28"),
        ],
    };
    let id = store.create_region_run(&new, &me).await.expect("run");
    let runs = store.region_runs(&[bureau]).await.expect("runs");
    assert_eq!(runs.iter().map(|r| r.id).collect::<Vec<_>>(), [id, first]);
    assert_eq!(runs[0].created_by_name, "蔡正");
    assert_eq!((runs[0].files, runs[0].units, runs[0].findings), (3, 2, 3));
    assert!(store.region_runs(&[unit]).await.expect("none").is_empty());
    assert!(store.region_runs(&[]).await.expect("none").is_empty());
    assert_eq!(
        store.region_run(id).await.expect("run").archive,
        "各单位.zip"
    );
    assert!(matches!(
        store.region_run(987_654_321).await,
        Err(jixiao_store::StoreError::NotFound(_))
    ));
    assert_eq!(
        store.region_run_files(id).await.expect("files"),
        new.file_rows
    );

    let codes = |rows: Vec<RunFindingRow>| rows.into_iter().map(|f| f.message).collect::<Vec<_>>();
    let all = store
        .region_run_findings(id, &RunFindingFilter::default())
        .await
        .expect("all");
    assert_eq!(all, new.findings);
    let by_unit = RunFindingFilter {
        unit: Some("永德县明朗中学".into()),
        ..RunFindingFilter::default()
    };
    assert_eq!(
        codes(store.region_run_findings(id, &by_unit).await.expect("unit")),
        ["执行率得分应为9.28"]
    );
    let notes = RunFindingFilter {
        severity: Some("提示".into()),
        ..RunFindingFilter::default()
    };
    assert_eq!(
        codes(
            store
                .region_run_findings(id, &notes)
                .await
                .expect("severity")
        ),
        ["指标值含糊：100%_完成"]
    );
    let both = RunFindingFilter {
        unit: Some("淮北市工伤保险管理服务中心".into()),
        code: Some("A02".into()),
        ..RunFindingFilter::default()
    };
    assert_eq!(
        codes(store.region_run_findings(id, &both).await.expect("both")),
        ["执行率得分应为8.43"]
    );
    for (text, n) in [
        ("执行率", 2),
        ("%_", 1),
        ("_", 1),
        ("%", 1),
        ("表格1", 3),
        ("无此字", 0),
    ] {
        let f = RunFindingFilter {
            text: Some(text.into()),
            ..RunFindingFilter::default()
        };
        assert_eq!(
            store.region_run_findings(id, &f).await.expect("text").len(),
            n,
            "{text}"
        );
    }
    // Another run's findings never show.
    assert!(
        store
            .region_run_findings(first, &RunFindingFilter::default())
            .await
            .expect("first")
            .is_empty()
    );
    let entries = store.log_of("region_run", id).await.expect("log");
    assert_eq!(entries.len(), 1, "the run is in the change log");
    assert_eq!(entries[0].username, "caizheng");
    assert!(matches!(
        store.verify_log().await.expect("verify"),
        Verification::Intact { .. }
    ));
}

#[tokio::test]
async fn runs_are_kept_and_filtered_on_sqlite() {
    let path = std::env::temp_dir().join(format!("{}.db", unique("runs")));
    let store = Store::open(&format!("sqlite:{}", path.display()))
        .await
        .expect("open");
    runs_are_kept_and_filtered(&store).await;
    store.close().await;
    for suffix in ["", "-wal", "-shm"] {
        let mut p = path.clone().into_os_string();
        p.push(suffix);
        let _ = std::fs::remove_file(p);
    }
}

#[tokio::test]
async fn runs_are_kept_and_filtered_on_postgres() {
    let Some(admin_url) = std::env::var("JIXIAO_TEST_PG_URL")
        .ok()
        .filter(|u| !u.trim().is_empty())
    else {
        assert!(
            std::env::var("JIXIAO_REQUIRE_PG").map_or(true, |v| v != "1"),
            "JIXIAO_REQUIRE_PG=1 but JIXIAO_TEST_PG_URL is not set"
        );
        eprintln!("PostgreSQL variant skipped: JIXIAO_TEST_PG_URL is not set");
        return;
    };
    sqlx::any::install_default_drivers();
    let name = unique("runs");
    let mut admin = AnyConnection::connect(&admin_url).await.expect("connect");
    sqlx::raw_sql(&format!("CREATE DATABASE \"{name}\""))
        .execute(&mut admin)
        .await
        .expect("create database");
    let url = jixiao_store::db::with_database(&admin_url, &name);
    let store = Store::open(&url).await.expect("open");
    runs_are_kept_and_filtered(&store).await;
    store.close().await;
    sqlx::raw_sql(&format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"))
        .execute(&mut admin)
        .await
        .expect("drop database");
    admin.close().await.ok();
}
