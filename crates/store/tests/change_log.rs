//! The change log records what was written, never a stand-in: JSON the store is given to keep
//! (a year's settings, an evaluator's judgements) is logged as it is, and text that is not JSON
//! is refused before anything is written.

use jixiao_store::log::{Author, Verification};
use jixiao_store::orgs::YearRow;
use jixiao_store::{Store, StoreError};

/// A migrated store in a temporary SQLite file (removed on drop).
struct Temp {
    store: Store,
    path: std::path::PathBuf,
}

impl Temp {
    async fn new(name: &str) -> Temp {
        let path = std::env::temp_dir().join(format!(
            "jx_store_{name}_{}_{}.db",
            std::process::id(),
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.subsec_nanos())
        ));
        let store = Store::open(&format!("sqlite:{}", path.display()))
            .await
            .expect("open");
        Temp { store, path }
    }
}

impl Drop for Temp {
    fn drop(&mut self) {
        for suffix in ["", "-wal", "-shm"] {
            let mut p = self.path.clone().into_os_string();
            p.push(suffix);
            let _ = std::fs::remove_file(p);
        }
    }
}

async fn year(store: &Store, year: i64) {
    let row = YearRow {
        year,
        is_open: 1,
        declaration_deadline: None,
        monitoring_deadline: None,
        self_evaluation_deadline: None,
    };
    store.put_year(&row, &Author::system()).await.expect("year");
}

#[tokio::test]
async fn settings_that_are_not_json_are_refused_and_nothing_is_logged() {
    let t = Temp::new("settings").await;
    let by = Author::system();
    year(&t.store, 2026).await;
    t.store
        .set_year_settings(2026, r#"{"results_public":true}"#, &by)
        .await
        .expect("settings");
    let entries = t.store.change_count().await.expect("count");

    let refused = t
        .store
        .set_year_settings(2026, "{results_public: yes", &by)
        .await;
    assert!(
        matches!(
            refused,
            Err(StoreError::InvalidJson {
                what: "年度设置",
                ..
            })
        ),
        "{refused:?}"
    );
    let message = refused.err().map(|e| e.to_string()).unwrap_or_default();
    assert!(message.contains("年度设置不是有效的 JSON"), "{message}");
    assert_eq!(t.store.change_count().await.expect("count"), entries);
    assert_eq!(
        t.store
            .year_settings(2026)
            .await
            .expect("settings")
            .as_deref(),
        Some(r#"{"results_public":true}"#),
        "the settings are unchanged"
    );

    let log = t.store.log_of("year", 2026).await.expect("log");
    let last = log.last().expect("entries");
    assert_eq!(last.action, "settings");
    assert_eq!(last.detail, r#"{"results_public":true}"#);
    assert!(matches!(
        t.store.verify_log().await.expect("verify"),
        Verification::Intact { .. }
    ));
}

#[tokio::test]
async fn judgements_that_are_not_json_are_refused_and_nothing_is_logged() {
    let t = Temp::new("judgements").await;
    let by = Author::system();
    let org = t
        .store
        .create_org("测试单位", "unit", None, &by)
        .await
        .expect("org");
    let id = t
        .store
        .create_evaluation(
            &jixiao_store::evaluations::NewEvaluation {
                org_id: org,
                year: 2026,
                rule_source: "内置：测试",
                rules: "",
                binding: None,
                base_data: None,
                stated: None,
            },
            &by,
        )
        .await
        .expect("evaluation");
    let judged = r#"{"A1":{"score":"3","reason":"依据充分"}}"#;
    t.store
        .update_evaluation(id, judged, Some("3"), Some("暂定"), false, &by)
        .await
        .expect("judge");
    let entries = t.store.change_count().await.expect("count");

    let refused = t
        .store
        .update_evaluation(id, "{\"A1\": ", Some("0"), None, true, &by)
        .await;
    assert!(
        matches!(
            refused,
            Err(StoreError::InvalidJson {
                what: "评价判断",
                ..
            })
        ),
        "{refused:?}"
    );
    assert_eq!(t.store.change_count().await.expect("count"), entries);
    let row = t.store.evaluation(id).await.expect("row");
    assert_eq!(
        (row.judgements.as_str(), row.total.as_deref()),
        (judged, Some("3"))
    );

    let log = t.store.log_of("evaluation", id).await.expect("log");
    let detail: serde_json::Value =
        serde_json::from_str(&log.last().expect("entries").detail).expect("detail");
    assert_eq!(
        detail,
        serde_json::json!({"judgements": {"A1": {"score": "3", "reason": "依据充分"}}, "total": "3"})
    );
}
