//! Background jobs on SQLite and on PostgreSQL: concurrent claimers never take one job twice,
//! an expired lease is taken again (and a job that keeps dying is failed), progress and results
//! round-trip, a worker that lost its lease cannot end the job.
//!
//! PostgreSQL comes from `JIXIAO_TEST_PG_URL` (`eval "$(bash scripts/pg.sh start)"`); without it
//! the PostgreSQL variant is skipped with a note, unless `JIXIAO_REQUIRE_PG=1`, where it fails.

use std::collections::HashSet;

use jixiao_store::Store;
use jixiao_store::clock::Clock;
use jixiao_store::jobs::{MAX_ATTEMPTS, NewJob};
use jixiao_store::log::Author;
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

const LEASE: i64 = 60_000;

/// An organisation and two users of it.
async fn owners(store: &Store) -> (i64, i64, i64) {
    let by = Author::system();
    let org = store
        .create_org("财政局", "finance", None, &by)
        .await
        .expect("org");
    let mut users = Vec::new();
    for name in ["tianbao", "other"] {
        users.push(
            store
                .create_account(
                    &NewUser {
                        username: name,
                        display_name: name,
                        password_hash: "x",
                        role: "filer",
                        org_id: org,
                        must_change_password: false,
                    },
                    &by,
                )
                .await
                .expect("user"),
        );
    }
    (org, users[0], users[1])
}

async fn jobs_are_claimed_once_and_leases_expire(store: &Store) {
    let (org, owner, other) = owners(store).await;
    let new = |name: &'static str, bytes: &'static [u8]| NewJob {
        kind: "import",
        owner_id: owner,
        org_id: org,
        file_name: name,
        bytes,
        params: r#"{"year":2022}"#,
    };
    // Nothing queued: nothing claimed.
    assert!(store.claim_job("w0", LEASE).await.expect("claim").is_none());
    let mut ids = Vec::new();
    for i in 0..12 {
        let bytes: &'static [u8] = if i == 0 { b"\x89PNG scan" } else { b"x" };
        ids.push(
            store
                .enqueue_job(&new("扫描件.png", bytes))
                .await
                .expect("enqueue"),
        );
    }
    assert!(
        store
            .enqueue_job(&NewJob {
                params: "{",
                ..new("a.png", b"x")
            })
            .await
            .is_err(),
        "parameters that are not JSON are refused"
    );
    let queued = store.job(ids[0]).await.expect("job");
    assert_eq!(
        (
            queued.state.as_str(),
            queued.owner_id,
            queued.file_name.as_str()
        ),
        ("queued", owner, "扫描件.png")
    );

    // Sixteen claimers at once over twelve jobs: every job once, four claimers empty-handed.
    let mut tasks = Vec::new();
    for w in 0..16 {
        let store = store.clone();
        tasks.push(tokio::spawn(async move {
            store
                .claim_job(&format!("w{w}"), LEASE)
                .await
                .expect("claim")
                .map(|c| (c.row.id, c.row.claimed_by, c.bytes))
        }));
    }
    let mut claimed = Vec::new();
    for t in tasks {
        if let Some(c) = t.await.expect("join") {
            claimed.push(c);
        }
    }
    let distinct: HashSet<i64> = claimed.iter().map(|c| c.0).collect();
    assert_eq!(claimed.len(), 12, "{claimed:?}");
    assert_eq!(distinct, ids.iter().copied().collect());
    let first = claimed.iter().find(|c| c.0 == ids[0]).expect("first job");
    assert_eq!(first.2, b"\x89PNG scan", "the claim carries the upload");
    let worker = first.1.clone().expect("claimed by");
    assert!(
        store
            .claim_job("late", LEASE)
            .await
            .expect("claim")
            .is_none()
    );

    // Progress round-trips and renews the lease; a worker that does not hold the job is told.
    assert!(
        store
            .job_progress(ids[0], &worker, (3, 7), "正在识别第4页", LEASE)
            .await
            .expect("progress")
    );
    assert!(
        !store
            .job_progress(ids[0], "someone-else", (4, 7), "x", LEASE)
            .await
            .expect("progress")
    );
    let j = store.job(ids[0]).await.expect("job");
    assert_eq!(
        (
            j.state.as_str(),
            j.progress_done,
            j.progress_total,
            j.message.as_str(),
            j.attempts
        ),
        ("running", 3, 7, "正在识别第4页", 1)
    );
    // The result round-trips; the job is done once.
    let result = r#"{"forms":[[5,"项目支出绩效自评表","日常运转经费"]]}"#;
    assert!(
        store
            .finish_job(ids[0], &worker, result, "已完成")
            .await
            .expect("finish")
    );
    assert!(!store.fail_job(ids[0], &worker, "late").await.expect("fail"));
    let j = store.job(ids[0]).await.expect("job");
    assert_eq!(
        (
            j.state.as_str(),
            j.result.as_deref(),
            j.error,
            j.progress_done
        ),
        ("done", Some(result), None, 7)
    );
    assert!(j.finished_at.is_some() && j.claimed_by.is_none());
    assert!(
        store.finish_job(ids[1], "w-none", "{", "x").await.is_err(),
        "a result that is not JSON is refused"
    );
    // A failure keeps its message.
    let second = claimed.iter().find(|c| c.0 == ids[1]).expect("second");
    let w2 = second.1.clone().expect("claimed by");
    assert!(
        store
            .fail_job(ids[1], &w2, "PDF中没有文字层")
            .await
            .expect("fail")
    );
    let j = store.job(ids[1]).await.expect("job");
    assert_eq!(
        (j.state.as_str(), j.error.as_deref()),
        ("failed", Some("PDF中没有文字层"))
    );

    // The instance holding the third job dies: once its lease runs out, another takes it, and
    // the dead one's late report is refused.
    let third = claimed.iter().find(|c| c.0 == ids[2]).expect("third");
    let dead = third.1.clone().expect("claimed by");
    // Every other running job keeps its lease fresh.
    store.clock().advance(LEASE / 2);
    for c in &claimed {
        if c.0 != ids[2] {
            let w = c.1.clone().expect("claimed by");
            store
                .job_progress(c.0, &w, (0, 1), "…", LEASE)
                .await
                .expect("progress");
        }
    }
    store.clock().advance(LEASE / 2 + 1);
    let again = store
        .claim_job("rescuer", LEASE)
        .await
        .expect("claim")
        .expect("expired job");
    assert_eq!((again.row.id, again.row.attempts), (ids[2], 2));
    assert_eq!(again.bytes, b"x");
    assert!(
        !store
            .job_progress(ids[2], &dead, (1, 1), "x", LEASE)
            .await
            .expect("progress")
    );
    assert!(
        store
            .claim_job("late", LEASE)
            .await
            .expect("claim")
            .is_none()
    );
    // It keeps dying: after the last attempt it is failed with a message, not claimed again.
    for n in 3..=MAX_ATTEMPTS {
        store.clock().advance(LEASE + 1);
        for c in &claimed {
            if c.0 != ids[2] {
                let w = c.1.clone().expect("claimed by");
                store
                    .job_progress(c.0, &w, (0, 1), "…", LEASE)
                    .await
                    .expect("progress");
            }
        }
        let j = store
            .claim_job("rescuer", LEASE)
            .await
            .expect("claim")
            .expect("again");
        assert_eq!((j.row.id, j.row.attempts), (ids[2], n));
    }
    store.clock().advance(LEASE + 1);
    for c in &claimed {
        if c.0 != ids[2] {
            let w = c.1.clone().expect("claimed by");
            store
                .job_progress(c.0, &w, (0, 1), "…", LEASE)
                .await
                .expect("progress");
        }
    }
    assert!(
        store
            .claim_job("rescuer", LEASE)
            .await
            .expect("claim")
            .is_none()
    );
    let j = store.job(ids[2]).await.expect("job");
    assert_eq!(j.state, "failed");
    assert!(
        j.error.as_deref().is_some_and(|e| e.contains("多次中断")),
        "{j:?}"
    );

    // A user's jobs, newest first; another user has none.
    let mine = store.jobs_of(owner, 5).await.expect("jobs");
    assert_eq!(
        mine.iter().map(|j| j.id).collect::<Vec<_>>(),
        ids.iter().rev().take(5).copied().collect::<Vec<_>>()
    );
    assert!(store.jobs_of(other, 5).await.expect("jobs").is_empty());
    assert!(matches!(
        store.job(987_654_321).await,
        Err(jixiao_store::StoreError::NotFound(_))
    ));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn jobs_are_claimed_once_and_leases_expire_on_sqlite() {
    let path = std::env::temp_dir().join(format!("{}.db", unique("jobs")));
    let store = Store::open_with_clock(
        &format!("sqlite:{}", path.display()),
        Clock::fixed(1_700_000_000_000),
    )
    .await
    .expect("open");
    jobs_are_claimed_once_and_leases_expire(&store).await;
    store.close().await;
    for suffix in ["", "-wal", "-shm"] {
        let mut p = path.clone().into_os_string();
        p.push(suffix);
        let _ = std::fs::remove_file(p);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn jobs_are_claimed_once_and_leases_expire_on_postgres() {
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
    let name = unique("jobs");
    let mut admin = AnyConnection::connect(&admin_url).await.expect("connect");
    sqlx::raw_sql(&format!("CREATE DATABASE \"{name}\""))
        .execute(&mut admin)
        .await
        .expect("create database");
    let url = jixiao_store::db::with_database(&admin_url, &name);
    let store = Store::open_with_clock(&url, Clock::fixed(1_700_000_000_000))
        .await
        .expect("open");
    jobs_are_claimed_once_and_leases_expire(&store).await;
    store.close().await;
    sqlx::raw_sql(&format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"))
        .execute(&mut admin)
        .await
        .expect("drop database");
    admin.close().await.ok();
}
