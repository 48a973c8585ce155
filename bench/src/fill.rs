//! Fills an empty database with a region through jixiao-store: a finance bureau with its
//! accounts, one 主管部门 per 100 units, units with their forms made from the real seed forms of
//! testdata/forms (their JSON as transcribed, figures computed by the app), and the fiscal years
//! 2019–2026. Used by the load generator (`load`) and the dashboard benchmark (`dashboard`).

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

use jixiao_app::assess::assess;
use jixiao_app::kind::{self, FormKind};
use jixiao_core::form::Form;
use jixiao_core::scoring::ScoringPolicy;
use jixiao_store::Store;
use jixiao_store::forms::NewForm;
use jixiao_store::log::Author;
use jixiao_store::orgs::YearRow;

/// The password of every account the fill creates.
pub const PASSWORD: &str = "load-test-password-2026";

/// The stages the forms are filed in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StageMix {
    /// Every form a draft (what the load generator has always filled).
    Drafts,
    /// A region at work: most forms handed over (已提交 and later), some drafts and forms in
    /// the unit's own steps, a few returned or voided — [`StageMix::stage`].
    Realistic,
}

impl StageMix {
    /// The stage code of unit `u`'s form `f`: with [`StageMix::Realistic`], out of every 20
    /// forms 14 are handed over (5 已提交, 4 主管部门已审核, 3 已审定, 2 已公开), 3 are drafts,
    /// one is 待确认, one 主管部门退回 and one 已作废 (spread over the units, so some units
    /// have all their self-evaluations handed over and others not).
    pub fn stage(self, u: usize, f: usize) -> &'static str {
        const CYCLE: [&str; 20] = [
            "submitted",
            "supervisor_approved",
            "finance_approved",
            "published",
            "draft",
            "submitted",
            "supervisor_approved",
            "awaiting_confirmation",
            "submitted",
            "finance_approved",
            "published",
            "draft",
            "submitted",
            "supervisor_approved",
            "voided",
            "finance_approved",
            "submitted",
            "supervisor_returned",
            "supervisor_approved",
            "draft",
        ];
        match self {
            StageMix::Drafts => "draft",
            StageMix::Realistic => CYCLE[(u * 7 + f) % CYCLE.len()],
        }
    }
}

/// What to fill.
#[derive(Debug, Clone)]
pub struct Region {
    /// The database URL (an empty database).
    pub database: String,
    /// Units.
    pub units: usize,
    /// Forms per unit.
    pub forms: usize,
    /// Units whose filer gets an account (`tianbao{u}`), the first ones.
    pub filers: usize,
    /// The finance bureau's accounts (`caizheng{k}`), at least one.
    pub bureau_users: usize,
    /// The forms' stages.
    pub stages: StageMix,
}

/// The seed forms with what the store keeps of them.
pub fn seed_forms() -> Vec<(Form, NewForm)> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../testdata/forms");
    let mut paths: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("testdata/forms")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    paths.sort();
    let policy = ScoringPolicy::default();
    paths
        .iter()
        .filter_map(|p| {
            let form = Form::from_json(&std::fs::read_to_string(p).ok()?).ok()?;
            let kind = FormKind::of(&form)?;
            let new = NewForm {
                org_id: 0,
                year: i64::from(kind::year_of(&form).unwrap_or(2022)),
                project_id: None,
                kind: kind.code().to_string(),
                name: kind::name_of(&form),
                stage: "draft".to_string(),
                data: form.to_json().expect("a seed form writes as JSON"),
                summary: assess(&form, &policy).summary(&form, &policy),
            };
            Some((form, new))
        })
        .collect()
}

/// Fills the empty database of `r.database`; panics on any failure (a benchmark's setup).
pub async fn fill(r: &Region) {
    let started = Instant::now();
    let store = Store::open(&r.database).await.expect("open the database");
    let system = Author::system();
    let existing = store.orgs().await.expect("orgs");
    assert!(
        existing.is_empty(),
        "the database is not empty: use a new one, or --skip-fill"
    );
    let hash = jixiao_app::password::hash(PASSWORD).expect("hash");
    let finance = store
        .create_org("负载测试市财政局", "finance", None, &system)
        .await
        .expect("finance");
    for k in 0..r.bureau_users.max(1) {
        store
            .create_user(
                &format!("caizheng{k}"),
                &format!("财政审核{k}"),
                &hash,
                "finance",
                finance,
                &system,
            )
            .await
            .expect("finance user");
    }
    for year in 2019..=2026 {
        let row = YearRow {
            year,
            is_open: 1,
            declaration_deadline: Some(format!("{year}-03-31")),
            monitoring_deadline: Some(format!("{year}-08-31")),
            self_evaluation_deadline: Some(format!("{}-03-31", year + 1)),
        };
        store.put_year(&row, &system).await.expect("year");
    }
    let seeds = seed_forms();
    assert!(!seeds.is_empty(), "no seed forms in testdata/forms");
    let store = Arc::new(store);
    let mut departments = Vec::new();
    for d in 0..r.units.div_ceil(100) {
        departments.push(
            store
                .create_org(
                    &format!("负载测试主管部门{d}"),
                    "department",
                    Some(finance),
                    &system,
                )
                .await
                .expect("department"),
        );
    }
    // Units in parallel where the backend takes it (PostgreSQL); SQLite serialises writers anyway.
    let parallel = if r.database.starts_with("sqlite") {
        1
    } else {
        8
    };
    let next = Arc::new(AtomicU64::new(0));
    let seeds = Arc::new(seeds);
    let hash = Arc::new(hash);
    let departments = Arc::new(departments);
    let mut tasks = Vec::new();
    for _ in 0..parallel {
        let (store, next, seeds, hash, departments, r) = (
            store.clone(),
            next.clone(),
            seeds.clone(),
            hash.clone(),
            departments.clone(),
            r.clone(),
        );
        tasks.push(tokio::spawn(async move {
            let system = Author::system();
            loop {
                let u = next.fetch_add(1, Ordering::Relaxed) as usize;
                if u >= r.units {
                    break;
                }
                let org = store
                    .create_org(
                        &format!("负载测试单位{u:05}"),
                        "unit",
                        Some(departments[u / 100]),
                        &system,
                    )
                    .await
                    .expect("unit");
                // Accounts only for the units whose filers take part.
                let by = if u < r.filers {
                    let id = store
                        .create_user(
                            &format!("tianbao{u}"),
                            &format!("填报人{u}"),
                            &hash,
                            "filer",
                            org,
                            &system,
                        )
                        .await
                        .expect("filer");
                    Author {
                        user_id: Some(id),
                        username: format!("tianbao{u}"),
                    }
                } else {
                    system.clone()
                };
                for f in 0..r.forms {
                    let (_, seed) = &seeds[(u + f) % seeds.len()];
                    let new = NewForm {
                        org_id: org,
                        // Several years, so a unit's forms are not all of one year.
                        year: 2026 - (f / seeds.len()) as i64,
                        stage: r.stages.stage(u, f).to_string(),
                        ..seed.clone()
                    };
                    store.create_form(&new, &by).await.expect("form");
                }
                if u % 500 == 499 {
                    eprintln!("  {} units filled", u + 1);
                }
            }
        }));
    }
    for t in tasks {
        t.await.expect("fill task");
    }
    store.close().await;
    eprintln!(
        "filled {} units × {} forms ({} forms) in {:.1?}",
        r.units,
        r.forms,
        r.units * r.forms,
        started.elapsed()
    );
}
