//! The application's use cases end to end, on SQLite and on PostgreSQL (each scenario runs as
//! `sqlite::NAME` and `postgres::NAME`; see `common` for how each test gets its own database).
//!
//! Every scenario works on the real seed documents: the Word fixtures in `testdata/fixtures` and
//! the transcribed forms in `testdata/forms`.

mod common;

use std::collections::BTreeSet;
use std::str::FromStr;

use common::Db;
use jixiao_app::access::{self, Operation, PERMISSIONS, Reach};
use jixiao_app::files::Format;
use jixiao_app::filing::{ImportChoice, OnDuplicate};
use jixiao_app::kind::FormKind;
use jixiao_app::role::Role;
use jixiao_app::service::Todo;
use jixiao_app::workflow::{Action, Stage};
use jixiao_app::{Actor, App, AppError};
use jixiao_core::form::Form;
use jixiao_demo as demo;
use jixiao_store::StoreError;
use jixiao_store::forms::FormFilter;
use jixiao_store::log::{Author, Verification};
use jixiao_store::orgs::YearRow;
use rust_decimal::Decimal;

on_both_databases!(
    demo_accounts_log_in_and_failures_lock,
    two_saves_on_one_version_one_wins,
    access_matrix_follows_roles_and_the_org_tree,
    workflow_end_to_end,
    two_reviewers_racing_one_wins,
    change_log_names_the_tampered_entry,
    self_evaluation_starts_from_the_declaration,
    an_upload_files_all_its_forms_or_none,
    lists_come_in_pages_and_the_dashboard_follows_every_change,
    failures_are_never_taken_for_something_else,
    one_form_per_thing,
    an_yitihua_zip_is_uploaded_like_the_documents_it_came_from,
    drafts_are_deleted_and_forms_voided_in_the_log,
    figures_count_what_was_submitted,
    one_total_from_the_form_page_to_the_public_page,
    impossible_input_is_refused_by_field,
    sending_on_needs_content_and_explanations,
    target_review_findings_are_answered_before_sending_on,
    the_bureau_curates_the_library,
    a_declaration_goes_on_with_a_supporting_ex_ante_assessment,
    spot_checks_are_drawn_from_a_seed_and_reviewed,
    targets_are_adjusted_on_request_and_the_self_evaluation_follows,
    payments_feed_monitoring_and_unmatched_rows_are_listed,
    an_expert_sees_and_scores_only_assigned_forms,
    the_demo_never_touches_a_real_database,
    todo_leads_with_what_is_urgent,
    administration_imports_all_or_nothing_and_keeps_the_tree_sound,
);

// ── fixtures ────────────────────────────────────────────────────────────────────────────────

fn testdata(path: &str) -> Vec<u8> {
    let full = format!("{}/../../testdata/{path}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&full).unwrap_or_else(|e| panic!("{full}: {e}"))
}

fn seed_form(name: &str) -> Form {
    let text = String::from_utf8(testdata(&format!("forms/{name}"))).expect("UTF-8");
    Form::from_json(&text).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn dec(text: &str) -> Decimal {
    Decimal::from_str(text).expect("decimal")
}

fn self_evaluation(form: &mut Form) -> &mut jixiao_core::form::SelfEvaluation {
    match form {
        Form::ProjectSelfEvaluation(s) | Form::DepartmentSelfEvaluation(s) => s,
        other => panic!("not a self-evaluation: {}", other.title()),
    }
}

/// What a call came to, for comparing with what is expected.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Outcome {
    Ok,
    NotFound,
    Forbidden,
    Workflow,
    Conflict,
    Invalid,
    Other,
}

fn outcome<T>(result: &Result<T, AppError>) -> Outcome {
    match result {
        Ok(_) => Outcome::Ok,
        Err(AppError::NotFound(_)) => Outcome::NotFound,
        Err(AppError::Forbidden(_)) => Outcome::Forbidden,
        Err(AppError::Workflow(_)) => Outcome::Workflow,
        Err(AppError::Conflict { .. }) => Outcome::Conflict,
        Err(AppError::Invalid(_)) => Outcome::Invalid,
        Err(_) => Outcome::Other,
    }
}

#[track_caller]
fn expect_outcome<T: std::fmt::Debug>(result: Result<T, AppError>, expected: Outcome, what: &str) {
    let got = outcome(&result);
    assert_eq!(got, expected, "{what}: {result:?}");
}

// ── the region the scenarios work in ────────────────────────────────────────────────────────

/// The four units of the test region and where they sit:
///
/// ```text
/// 甲市财政局 ─┬─ 甲市人力资源和社会保障局 ─┬─ A 甲市工伤保险服务中心
///             │                            └─ B 甲市社会保险事业管理中心
///             └─ 甲市卫生健康委员会 ──────── C 甲市疾病预防控制中心
/// 乙市财政局 ─── 乙市人力资源和社会保障局 ─── E 乙市工伤保险服务中心
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Unit {
    A,
    B,
    C,
    E,
}

const UNITS: [Unit; 4] = [Unit::A, Unit::B, Unit::C, Unit::E];

const FINANCE_1: &str = "甲市财政局";
const FINANCE_2: &str = "乙市财政局";
const DEPT_1: &str = "甲市人力资源和社会保障局";
const DEPT_2: &str = "甲市卫生健康委员会";
const DEPT_3: &str = "乙市人力资源和社会保障局";

impl Unit {
    fn name(self) -> &'static str {
        match self {
            Unit::A => "甲市工伤保险服务中心",
            Unit::B => "甲市社会保险事业管理中心",
            Unit::C => "甲市疾病预防控制中心",
            Unit::E => "乙市工伤保险服务中心",
        }
    }

    /// Its 主管部门.
    fn department(self) -> &'static str {
        match self {
            Unit::A | Unit::B => DEPT_1,
            Unit::C => DEPT_2,
            Unit::E => DEPT_3,
        }
    }

    /// Its finance bureau.
    fn region(self) -> &'static str {
        match self {
            Unit::A | Unit::B | Unit::C => FINANCE_1,
            Unit::E => FINANCE_2,
        }
    }
}

/// Where a user works.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Place {
    Unit(Unit),
    Department(&'static str),
    Finance(&'static str),
}

struct Person {
    actor: Actor,
    place: Place,
}

struct Region {
    org_of_unit: Vec<(Unit, i64)>,
    filer_a: Actor,
    /// A second filer of unit A (another browser tab, a colleague).
    filer_a2: Actor,
    head_a: Actor,
    filer_b: Actor,
    supervisor: Actor,
    /// A second reviewer at the same 主管部门.
    supervisor2: Actor,
    supervisor_d2: Actor,
    finance: Actor,
    admin: Actor,
    /// Everyone, with where they work (for the access matrix).
    people: Vec<Person>,
}

impl Region {
    async fn build(db: &Db) -> Region {
        let system = Author::system();
        let org = |name: &'static str, kind: &'static str, parent: Option<i64>| {
            let system = system.clone();
            async move {
                db.store
                    .create_org(name, kind, parent, &system)
                    .await
                    .unwrap_or_else(|e| panic!("org {name}: {e}"))
            }
        };
        let f1 = org(FINANCE_1, "finance", None).await;
        let f2 = org(FINANCE_2, "finance", None).await;
        let d1 = org(DEPT_1, "department", Some(f1)).await;
        let d2 = org(DEPT_2, "department", Some(f1)).await;
        let d3 = org(DEPT_3, "department", Some(f2)).await;
        let mut org_of_unit = Vec::new();
        for u in UNITS {
            let parent = match u.department() {
                DEPT_1 => d1,
                DEPT_2 => d2,
                _ => d3,
            };
            org_of_unit.push((u, org(u.name(), "unit", Some(parent)).await));
        }
        let unit_org = |u: Unit| org_of_unit.iter().find(|(x, _)| *x == u).map(|p| p.1);
        let mut people = Vec::new();
        let mut person = async |username: &str, role: Role, place: Place| {
            let (org_id, org_name) = match place {
                Place::Unit(u) => (unit_org(u).expect("unit"), u.name()),
                Place::Department(d) => (
                    [(DEPT_1, d1), (DEPT_2, d2), (DEPT_3, d3)]
                        .iter()
                        .find(|(n, _)| *n == d)
                        .expect("department")
                        .1,
                    d,
                ),
                Place::Finance(f) => (if f == FINANCE_1 { f1 } else { f2 }, f),
            };
            let display = format!("{org_name}{}{username}", role.name());
            // These users never log in here (the demo scenario does): no argon2 cost.
            let user_id = db
                .store
                .create_user(username, &display, "未设置", role.code(), org_id, &system)
                .await
                .unwrap_or_else(|e| panic!("user {username}: {e}"));
            let actor = Actor {
                user_id,
                username: username.to_string(),
                display_name: display,
                role,
                org_id,
                org_name: org_name.to_string(),
            };
            people.push(Person {
                actor: actor.clone(),
                place,
            });
            actor
        };
        let filer_a = person("filer_a", Role::Filer, Place::Unit(Unit::A)).await;
        let filer_a2 = person("filer_a2", Role::Filer, Place::Unit(Unit::A)).await;
        let head_a = person("head_a", Role::UnitHead, Place::Unit(Unit::A)).await;
        let filer_b = person("filer_b", Role::Filer, Place::Unit(Unit::B)).await;
        person("head_b", Role::UnitHead, Place::Unit(Unit::B)).await;
        person("filer_c", Role::Filer, Place::Unit(Unit::C)).await;
        person("filer_e", Role::Filer, Place::Unit(Unit::E)).await;
        person("head_e", Role::UnitHead, Place::Unit(Unit::E)).await;
        let supervisor = person("supervisor", Role::Supervisor, Place::Department(DEPT_1)).await;
        let supervisor2 = person("supervisor2", Role::Supervisor, Place::Department(DEPT_1)).await;
        let supervisor_d2 =
            person("supervisor_d2", Role::Supervisor, Place::Department(DEPT_2)).await;
        person("supervisor_d3", Role::Supervisor, Place::Department(DEPT_3)).await;
        let finance = person("finance", Role::Finance, Place::Finance(FINANCE_1)).await;
        let admin = person("admin", Role::Admin, Place::Finance(FINANCE_1)).await;
        person("finance_2", Role::Finance, Place::Finance(FINANCE_2)).await;
        person("admin_2", Role::Admin, Place::Finance(FINANCE_2)).await;
        db.store
            .put_year(
                &YearRow {
                    year: 2022,
                    is_open: 1,
                    declaration_deadline: Some("2022-03-31".to_string()),
                    monitoring_deadline: Some("2022-08-31".to_string()),
                    self_evaluation_deadline: Some("2023-03-31".to_string()),
                },
                &system,
            )
            .await
            .expect("year");
        Region {
            org_of_unit,
            filer_a,
            filer_a2,
            head_a,
            filer_b,
            supervisor,
            supervisor2,
            supervisor_d2,
            finance,
            admin,
            people,
        }
    }

    fn org(&self, unit: Unit) -> i64 {
        self.org_of_unit
            .iter()
            .find(|(u, _)| *u == unit)
            .map(|p| p.1)
            .expect("unit")
    }

    /// The filer of `unit` (the first one).
    fn filer_of(&self, unit: Unit) -> &Actor {
        &self
            .people
            .iter()
            .find(|p| p.place == Place::Unit(unit) && p.actor.role == Role::Filer)
            .expect("filer")
            .actor
    }
}

/// Filing a file that names another unit (the seed documents name their own), confirmed.
const CONFIRMED: ImportChoice = ImportChoice {
    on_duplicate: OnDuplicate::Ask,
    confirmed: true,
};

/// Imports seed001.docx (two 项目支出绩效自评表 of 2022) as `actor`, confirming that the file
/// names 淮北市工伤保险管理服务中心; returns the two form ids (日常运转经费, 工伤稽核专项经费).
async fn import_seed001(app: &App, actor: &Actor) -> (i64, i64) {
    import_seed001_as(app, actor, CONFIRMED).await
}

/// [`import_seed001`] with `choice` (filing it again on purpose, replacing …).
async fn import_seed001_as(app: &App, actor: &Actor, choice: ImportChoice) -> (i64, i64) {
    let out = app
        .import_new_with(
            actor,
            "seed001.docx",
            &testdata("fixtures/seed001.docx"),
            2022,
            choice,
        )
        .await
        .expect("import seed001.docx");
    assert!(
        out.confirmed
            .iter()
            .any(|d| d.field == "单位" && d.in_file.contains("淮北")),
        "{out:?}"
    );
    let names: Vec<&str> = out.forms.iter().map(|f| f.2.as_str()).collect();
    assert_eq!(names, ["日常运转经费", "工伤稽核专项经费"], "{out:?}");
    assert!(
        out.forms.iter().all(|f| f.1 == "项目支出绩效自评表"),
        "{out:?}"
    );
    assert_eq!(out.skipped, ["绩效自评项目清单"]);
    assert!(out.recognized_fields > 50, "{out:?}");
    (out.forms[0].0, out.forms[1].0)
}

async fn version(db: &Db, id: i64) -> i64 {
    db.store.form_head(id).await.expect("form").version
}

async fn stage(db: &Db, id: i64) -> Stage {
    Stage::from_code(&db.store.form_head(id).await.expect("form").stage).expect("stage")
}

/// Takes a step that must go through, on the current version.
#[track_caller]
fn step<'a>(
    app: &'a App,
    actor: &'a Actor,
    id: i64,
    action: Action,
    reason: Option<&'a str>,
) -> impl Future<Output = Stage> + 'a {
    let caller = std::panic::Location::caller();
    async move {
        let v = app
            .form(actor, id)
            .await
            .expect("the actor sees the form")
            .head
            .version;
        // The seed forms have audit errors: sending them on takes one explanation for all.
        let reason = match (action, reason) {
            (Action::RequestConfirmation, None) => Some(EXPLAINED),
            _ => reason,
        };
        app.act(actor, id, v, action, reason)
            .await
            .unwrap_or_else(|e| panic!("{} {action:?} ({caller}): {e}", actor.username))
    }
}

/// The explanation of a seed form's audit errors when a test sends it on.
const EXPLAINED: &str = "原表如此，已核对：总分与分值设置按原表填报";

/// The 待办 of `actor` for form `id`, if any.
async fn todo_for(app: &App, actor: &Actor, id: i64) -> Option<Todo> {
    app.todo(actor)
        .await
        .expect("todo")
        .items
        .into_iter()
        .find(|t| t.form.id == id)
}

// ── 1. the demo region and signing in ───────────────────────────────────────────────────────

async fn demo_accounts_log_in_and_failures_lock(db: &Db) {
    let app = &db.app;
    let accounts = demo::load(app).await.expect("demo loads");
    let mut roles: Vec<Role> = accounts.iter().map(|a| a.role).collect();
    roles.sort();
    assert_eq!(
        roles,
        [
            Role::Filer,
            Role::Filer,
            Role::Filer,
            Role::UnitHead,
            Role::UnitHead,
            Role::UnitHead,
            Role::Supervisor,
            Role::Finance,
            Role::Admin,
            Role::Expert
        ]
    );
    for a in &accounts {
        assert_eq!(
            a.line(),
            format!(
                "账号 {} 密码 {} 角色 {}",
                a.username,
                a.password,
                a.role.name()
            )
        );
        assert!(a.password.len() >= 12, "{}", a.line());
    }

    // Every printed account signs in, as its role at its organisation.
    let mut filer = None;
    let mut finance = None;
    for a in &accounts {
        let session = app
            .login(&a.username, &a.password)
            .await
            .unwrap_or_else(|e| panic!("{}: {e}", a.line()));
        assert_eq!(session.actor.username, a.username);
        assert_eq!(session.actor.role, a.role);
        assert_eq!(session.actor.org_name, a.org);
        assert_ne!(session.token, session.csrf);
        let again = app.session(&session.token).await.expect("session");
        assert_eq!(again.actor, session.actor);
        assert_eq!(again.csrf, session.csrf);
        if a.username == "tianbao2" {
            filer = Some(session.actor.clone());
        }
        if a.role == Role::Finance {
            finance = Some(session);
        }
    }
    let filer = filer.expect("tianbao2");
    let finance_session = finance.expect("finance account");
    let finance = finance_session.actor.clone();

    // The demo's forms are the seed documents': the filer of seed 001's unit sees its two forms.
    let own = app
        .list_forms(&filer, &FormFilter::default())
        .await
        .expect("list");
    let names: BTreeSet<&str> = own.iter().map(|f| f.name.as_str()).collect();
    assert_eq!(names, BTreeSet::from(["工伤稽核专项经费", "日常运转经费"]));
    assert_eq!(filer.org_name, "淮北市工伤保险管理服务中心");
    let all = app
        .list_forms(&finance, &FormFilter::default())
        .await
        .expect("list");
    let units: BTreeSet<i64> = all.iter().map(|f| f.org_id).collect();
    assert_eq!(units.len(), 3, "the finance bureau sees the three units");
    assert!(all.len() > own.len());
    let daily = own.iter().find(|f| f.name == "日常运转经费").expect("form");
    // The one total is the unit's stated one (85) until review; the computed 89.48 is shown
    // beside it on the form page.
    assert_eq!(daily.total.as_deref(), Some("85.00"), "the stated total");
    let view = app.form(&filer, daily.id).await.expect("form");
    let computed = view.assessment.scored.as_ref().expect("scored").total;
    assert_eq!(computed.to_string(), "89.48", "rescored on import");
    let explained = view.total_explained.join("");
    assert!(
        explained.contains("85.00") && explained.contains("89.48") && explained.contains("折算"),
        "{explained}"
    );

    // Signing out ends the session.
    let s = finance_session;
    app.logout(&s.token).await.expect("logout");
    assert!(matches!(
        app.session(&s.token).await,
        Err(AppError::Unauthenticated)
    ));
    assert!(matches!(
        app.session("no-such-token").await,
        Err(AppError::Unauthenticated)
    ));

    // A wrong password is refused without saying which part was wrong; five failures lock the
    // name, and then even the right password is refused.
    let victim = accounts
        .iter()
        .find(|a| a.username == "tianbao1")
        .expect("tianbao1");
    for k in 1..=5 {
        let r = app.login(&victim.username, "wrong-password").await;
        assert!(
            matches!(r, Err(AppError::BadCredentials)),
            "failure {k}: {r:?}"
        );
    }
    match app.login(&victim.username, &victim.password).await {
        Err(AppError::LockedOut { minutes }) => assert!((1..=15).contains(&minutes), "{minutes}"),
        other => panic!("expected the name to be locked: {other:?}"),
    }
    // The lock is per name: others still sign in.
    let head = accounts
        .iter()
        .find(|a| a.username == "fuzeren1")
        .expect("fuzeren1");
    app.login(&head.username, &head.password)
        .await
        .expect("another name is not locked");

    // Unknown names fail the same way and lock the same way.
    for k in 1..=5 {
        let r = app.login("nobody", "whatever").await;
        assert!(
            matches!(r, Err(AppError::BadCredentials)),
            "failure {k}: {r:?}"
        );
    }
    assert!(matches!(
        app.login("nobody", "whatever").await,
        Err(AppError::LockedOut { .. })
    ));
    // Surrounding spaces do not make a new name.
    assert!(matches!(
        app.login(" nobody ", "whatever").await,
        Err(AppError::LockedOut { .. })
    ));
}

/// Time is passed in: a lockout ends and a session expires when the clock says so, without
/// the test waiting for either.
#[tokio::test]
async fn lockouts_end_and_sessions_expire_on_the_clock() {
    // 2026-03-01 09:00 in Beijing.
    let clock = jixiao_app::Clock::fixed(1_772_326_800_000);
    let db = Db::sqlite_on("clock", clock.clone()).await;
    let app = &db.app;
    assert_eq!(app.today(), "2026-03-01");
    let accounts = demo::load(app).await.expect("demo loads");
    let user = accounts
        .iter()
        .find(|a| a.username == "tianbao1")
        .expect("tianbao1");
    for _ in 0..5 {
        assert!(app.login(&user.username, "wrong").await.is_err());
    }
    match app.login(&user.username, &user.password).await {
        Err(AppError::LockedOut { minutes }) => assert_eq!(minutes, 15),
        other => panic!("expected a lockout: {other:?}"),
    }
    clock.advance(14 * 60 * 1000);
    match app.login(&user.username, &user.password).await {
        Err(AppError::LockedOut { minutes }) => assert_eq!(minutes, 1),
        other => panic!("still locked a minute before the end: {other:?}"),
    }
    clock.advance(60 * 1000 + 1);
    let session = app
        .login(&user.username, &user.password)
        .await
        .expect("the lock has ended");
    // A session lives eight hours.
    clock.advance(8 * 60 * 60 * 1000 - 1000);
    app.session(&session.token).await.expect("still signed in");
    clock.advance(2000);
    assert!(matches!(
        app.session(&session.token).await,
        Err(AppError::Unauthenticated)
    ));
    // The next day is the clock's.
    clock.advance(24 * 60 * 60 * 1000);
    assert_eq!(app.today(), "2026-03-02");
    db.finish().await;
}

// ── 2. no lost edits ────────────────────────────────────────────────────────────────────────

async fn two_saves_on_one_version_one_wins(db: &Db) {
    let app = &db.app;
    let r = Region::build(db).await;
    let (id, _) = import_seed001(app, &r.filer_a).await;
    let original = app.form(&r.filer_a, id).await.expect("form");
    assert_eq!(original.head.version, 1);
    assert_eq!(original.form, seed_form("seed001-daily-operations.json"));

    // Two people open version 1. The first changes an actual value, the second the stated
    // execution-rate score.
    let mut first = original.form.clone();
    self_evaluation(&mut first).indicators[0].actual = "完成案件稽核26件".to_string();
    let mut second = original.form.clone();
    self_evaluation(&mut second).funds.stated_score = Some(dec("8.43"));

    assert_eq!(
        app.save(&r.filer_a, id, 1, first.clone())
            .await
            .expect("first save"),
        2
    );
    let refused = app.save(&r.filer_a2, id, 1, second.clone()).await;
    let Err(AppError::Conflict {
        based_on,
        current,
        ref by,
        ref changes,
    }) = refused
    else {
        panic!("the second save must be refused: {refused:?}");
    };
    assert_eq!((based_on, current), (1, 2));
    assert_eq!(by, "filer_a");
    assert!(
        changes.contains("第1项指标的实际完成值") && changes.contains("完成案件稽核26件"),
        "{changes}"
    );
    let message = refused.expect_err("conflict").to_string();
    for part in [
        "第1版",
        "第2版",
        "filer_a",
        "第1项指标的实际完成值",
        "完成案件稽核26件",
    ] {
        assert!(message.contains(part), "{part} not in {message}");
    }

    // Nothing is lost: the winner's data is the form, and both versions are kept.
    let now = app.form(&r.filer_a, id).await.expect("form");
    assert_eq!(now.head.version, 2);
    assert_eq!(now.form, first);
    let v1 = db.store.form_version(id, 1).await.expect("version 1");
    let v2 = db.store.form_version(id, 2).await.expect("version 2");
    assert_eq!(Form::from_json(&v1).expect("v1"), original.form);
    assert_eq!(Form::from_json(&v2).expect("v2"), first);
    assert!(
        db.store.form_version(id, 3).await.is_err(),
        "the refused save left no version"
    );
    let versions = format!("SELECT COUNT(*) FROM form_versions WHERE form_id = {id}");
    assert_eq!(db.scalar(&versions).await, 2);

    // The second person redoes the change on version 2: both changes are kept.
    let mut redo = now.form.clone();
    self_evaluation(&mut redo).funds.stated_score = Some(dec("8.43"));
    assert_eq!(
        app.save(&r.filer_a2, id, 2, redo.clone())
            .await
            .expect("redo"),
        3
    );
    let merged = app.form(&r.filer_a, id).await.expect("form");
    assert_eq!(
        self_evaluation(&mut merged.form.clone()).indicators[0].actual,
        "完成案件稽核26件"
    );
    assert!(
        !merged.assessment.findings.iter().any(|f| f.code == "A02"),
        "the execution-rate score is fixed"
    );

    // Both at once, on the same version: exactly one wins.
    let mut x = redo.clone();
    self_evaluation(&mut x).indicators[1].actual = "甲方案".to_string();
    let mut y = redo.clone();
    self_evaluation(&mut y).indicators[1].actual = "乙方案".to_string();
    let (rx, ry) = tokio::join!(
        app.save(&r.filer_a, id, 3, x.clone()),
        app.save(&r.filer_a2, id, 3, y.clone())
    );
    let (winner, loser) = match (&rx, &ry) {
        (Ok(4), Err(AppError::Conflict { .. })) => (&x, &ry),
        (Err(AppError::Conflict { .. }), Ok(4)) => (&y, &rx),
        _ => panic!("exactly one save must win: {rx:?} / {ry:?}"),
    };
    let Err(AppError::Conflict {
        based_on, current, ..
    }) = loser
    else {
        unreachable!()
    };
    assert_eq!((*based_on, *current), (3, 4));
    assert_eq!(&app.form(&r.filer_a, id).await.expect("form").form, winner);
    assert_eq!(db.scalar(&versions).await, 4);

    // The change log has the three winning saves, each with what it changed (old → new).
    let saves: Vec<_> = db
        .store
        .log_of("form", id)
        .await
        .expect("log")
        .into_iter()
        .filter(|e| e.action == "save")
        .collect();
    assert_eq!(saves.len(), 3);
    assert_eq!(saves[0].username, "filer_a");
    assert!(
        saves[0].detail.contains("indicators[0].actual"),
        "{}",
        saves[0].detail
    );
    assert!(
        saves[0].detail.contains("完成案件稽核26件"),
        "{}",
        saves[0].detail
    );
    assert!(
        saves[1].detail.contains("funds.stated_score"),
        "{}",
        saves[1].detail
    );

    // A save on a version that never existed is refused too, and so is one on a form of
    // another kind's content.
    assert!(matches!(
        app.save(&r.filer_a, id, 99, winner.clone()).await,
        Err(AppError::Conflict { .. })
    ));
    let declaration = seed_form("seed000-project-target.json");
    assert!(matches!(
        app.save(&r.filer_a, id, 4, declaration).await,
        Err(AppError::Invalid(_))
    ));
    assert_eq!(version(db, id).await, 4);
}

// ── 3. role × resource × action ─────────────────────────────────────────────────────────────
//
// What each role may do, stated from the issue's description of the people involved and
// independently of `access::PERMISSIONS`: the table is then checked against these facts
// through the use cases, on real forms of units at every distance from the user.

/// Whose forms a user sees: a unit's staff their unit's; a 主管部门's reviewer the forms of
/// the units under that department; the finance bureau (its reviewers and administrators) the
/// forms of its region.
fn sees(place: Place, unit: Unit) -> bool {
    match place {
        Place::Unit(u) => u == unit,
        Place::Department(d) => unit.department() == d,
        Place::Finance(f) => unit.region() == f,
    }
}

/// The workflow steps each role takes: the filer sends a form for confirmation, withdraws it
/// and submits it; the unit head confirms it or sends it back; the 主管部门 approves or returns
/// it; the finance bureau approves, returns and publishes it. Administrators and experts take
/// none.
fn takes(role: Role, action: Action) -> bool {
    use Action::*;
    match role {
        Role::Filer => matches!(action, RequestConfirmation | Withdraw | Submit),
        Role::UnitHead => matches!(action, Confirm | RejectConfirmation),
        Role::Supervisor => matches!(action, SupervisorApprove | SupervisorReturn),
        Role::Finance => matches!(action, FinanceApprove | FinanceReturn | Publish | Void),
        Role::Admin | Role::Expert => false,
    }
}

/// A reason for the steps that send a form back.
fn reason_for(action: Action) -> Option<&'static str> {
    matches!(
        action,
        Action::RejectConfirmation
            | Action::SupervisorReturn
            | Action::FinanceReturn
            | Action::Void
            // Sending on explains the seed form's audit errors, all at once.
            | Action::RequestConfirmation
    )
    .then_some("矩阵测试：请补充佐证材料")
}

/// What an operation on a form of `unit` by a user at `place` must come to.
fn expected(place: Place, role: Role, op: Operation, unit: Unit) -> Outcome {
    let seen = sees(place, unit);
    let allowed = match op {
        // Whoever may see a form may export it.
        Operation::View | Operation::Export => seen,
        // Only the unit's filer changes a form's content.
        Operation::Edit => seen && role == Role::Filer,
        Operation::Act(a) => seen && takes(role, a),
        // The finance bureau requires rectifications (整改) of its region's units …
        Operation::Rectify => seen && role == Role::Finance,
        // … and the unit's filer answers them.
        Operation::AnswerRectification => seen && role == Role::Filer,
        // The finance bureau evaluates its region's units.
        Operation::Evaluate => seen && role == Role::Finance,
        // A unit's filer asks to adjust its targets (绩效目标调整), the finance bureau decides.
        Operation::RequestAdjustment => seen && role == Role::Filer,
        Operation::DecideAdjustment => seen && role == Role::Finance,
        other => panic!("{other:?} is not an operation on a form"),
    };
    if allowed {
        Outcome::Ok
    } else if seen {
        Outcome::Forbidden
    } else {
        // Forms one may not see are "not found": ids cannot be probed.
        Outcome::NotFound
    }
}

/// Puts a form in `stage` directly in the database (the matrix tests access, not the workflow).
async fn force_stage(db: &Db, id: i64, to: Stage) {
    if stage(db, id).await != to {
        let n = db
            .execute(&format!(
                "UPDATE forms SET stage = '{}' WHERE id = {id}",
                to.code()
            ))
            .await;
        assert_eq!(n, 1);
    }
}

/// What the matrix found.
#[derive(Default)]
struct Tally {
    /// Decisions that differ from the expectation.
    failures: Vec<String>,
    /// (role, operation, on a unit other than the user's own organisation) that went through.
    granted: BTreeSet<(Role, Operation, bool)>,
    /// Operations tried.
    exercised: BTreeSet<Operation>,
}

impl Tally {
    #[allow(clippy::too_many_arguments)]
    fn check(
        &mut self,
        r: &Region,
        who: &Person,
        op: Operation,
        what: &str,
        got: Outcome,
        want: Outcome,
        unit: Option<Unit>,
    ) {
        self.exercised.insert(op);
        if got != want {
            self.failures.push(format!(
                "{} ({:?}) {what} [{op:?}] on {unit:?}: got {got:?}, expected {want:?}",
                who.actor.username, who.actor.role
            ));
        } else if got == Outcome::Ok {
            let elsewhere = unit.is_some_and(|u| r.org(u) != who.actor.org_id);
            self.granted.insert((who.actor.role, op, elsewhere));
        }
    }
}

async fn access_matrix_follows_roles_and_the_org_tree(db: &Db) {
    let app = &db.app;
    let r = Region::build(db).await;
    let seed = testdata("fixtures/seed001.docx");
    let evidence = b"%PDF-1.4\n% evidence\n".to_vec();

    // One form (seed 001's 日常运转经费) with one evidence file in every unit, and one handed-over
    // declaration whose targets may be adjusted.
    let mut form_of = Vec::new();
    let mut declaration_of = Vec::new();
    for u in UNITS {
        let filer = r.filer_of(u).clone();
        let (id, _) = import_seed001(app, &filer).await;
        let att = app
            .attach(&filer, id, "佐证材料.pdf", "application/pdf", &evidence)
            .await
            .expect("attach");
        let fix = db
            .store
            .create_rectification(
                &jixiao_store::results::NewRectification {
                    form_id: id,
                    org_id: r.org(u),
                    year: 2022,
                    code: None,
                    description: "矩阵测试：补充佐证材料",
                    deadline: "2030-01-01",
                },
                &jixiao_store::log::Author::system(),
            )
            .await
            .expect("rectification");
        form_of.push((u, id, att, fix));
        let declaration = app
            .create_form(&filer, FormKind::ProjectTarget, 2022, "矩阵测试申报项目")
            .await
            .expect("declaration");
        change_json(app, &filer, declaration, |j| {
            j["annual_target"] = "完成年度任务".into();
            j["indicators"] = serde_json::json!([
                {"level1": "产出指标", "level2": "数量指标", "name": "服务人次", "target": "≥100人次"}
            ]);
        })
        .await;
        force_stage(db, declaration, Stage::Submitted).await;
        declaration_of.push(declaration);
    }
    let mut asked = 0;
    let content = app.form(&r.filer_a, form_of[0].1).await.expect("form").form;

    let mut tally = Tally::default();
    for who in &r.people {
        let actor = &who.actor;
        for (&(unit, id, att, fix), &declaration) in form_of.iter().zip(&declaration_of) {
            // 绩效目标调整: the unit's filer asks (always for a target not asked before), the
            // finance bureau decides (here: refuses, so the declaration stays as it is).
            db.execute(&format!(
                "UPDATE target_adjustments SET status = 'refused' WHERE form_id = {declaration}"
            ))
            .await;
            let current = app
                .form(r.filer_of(unit), declaration)
                .await
                .expect("declaration");
            let mut proposed = current.form.clone();
            asked += 1;
            if let jixiao_core::form::Form::ProjectTarget(d) = &mut proposed {
                d.indicators[0].target = format!("≥{asked}人次");
            }
            let want = expected(who.place, actor.role, Operation::RequestAdjustment, unit);
            let requested = app
                .request_adjustment(
                    actor,
                    declaration,
                    current.head.version,
                    proposed.clone(),
                    "矩阵测试：调整目标",
                )
                .await;
            tally.check(
                &r,
                who,
                Operation::RequestAdjustment,
                "request_adjustment",
                outcome(&requested),
                want,
                Some(unit),
            );
            let request = match requested {
                Ok(request) => request,
                Err(_) => app
                    .request_adjustment(
                        r.filer_of(unit),
                        declaration,
                        current.head.version,
                        proposed,
                        "矩阵测试：调整目标",
                    )
                    .await
                    .expect("the unit's filer asks"),
            };
            let want = expected(who.place, actor.role, Operation::DecideAdjustment, unit);
            let got = outcome(
                &app.decide_adjustment(actor, request, false, "矩阵测试：不予调整")
                    .await,
            );
            tally.check(
                &r,
                who,
                Operation::DecideAdjustment,
                "decide_adjustment",
                got,
                want,
                Some(unit),
            );
            // Rectifications: required by the finance bureau (of a form the unit has handed
            // over), answered by the unit's filer.
            force_stage(db, id, Stage::Submitted).await;
            let want = expected(who.place, actor.role, Operation::Rectify, unit);
            let got = outcome(
                &app.require_fix(actor, id, "矩阵测试：说明偏差原因", "2030-01-01", None)
                    .await,
            );
            tally.check(
                &r,
                who,
                Operation::Rectify,
                "require_fix",
                got,
                want,
                Some(unit),
            );
            db.execute(&format!(
                "UPDATE rectifications SET status = 'open' WHERE id = {fix}"
            ))
            .await;
            let want = expected(who.place, actor.role, Operation::Evaluate, unit);
            let got = outcome(
                &app.start_evaluation(
                    actor,
                    r.org(unit),
                    2022,
                    jixiao_app::evaluation::RuleSource::BuiltIn("hunan-department"),
                    None,
                )
                .await,
            );
            tally.check(
                &r,
                who,
                Operation::Evaluate,
                "start_evaluation",
                got,
                want,
                Some(unit),
            );
            let want = expected(who.place, actor.role, Operation::AnswerRectification, unit);
            let got = outcome(&app.answer_fix(actor, fix, "已补充", &[]).await);
            tally.check(
                &r,
                who,
                Operation::AnswerRectification,
                "answer_fix",
                got,
                want,
                Some(unit),
            );
            // View: the form, its history, its evidence list, one evidence file by id.
            let want = expected(who.place, actor.role, Operation::View, unit);
            let ops: [(&str, Outcome); 4] = [
                ("form", outcome(&app.form(actor, id).await)),
                ("history", outcome(&app.history(actor, id).await)),
                ("attachments", outcome(&app.attachments(actor, id).await)),
                ("attachment", outcome(&app.attachment(actor, att).await)),
            ];
            for (what, got) in ops {
                tally.check(&r, who, Operation::View, what, got, want, Some(unit));
            }

            // Export.
            let want = expected(who.place, actor.role, Operation::Export, unit);
            let got = outcome(&app.export(actor, id, Format::Json).await);
            tally.check(&r, who, Operation::Export, "export", got, want, Some(unit));

            // Edit, while the form is a draft: save, live preview, import into, attach.
            force_stage(db, id, Stage::Draft).await;
            let want = expected(who.place, actor.role, Operation::Edit, unit);
            let v = version(db, id).await;
            let got = outcome(&app.save(actor, id, v, content.clone()).await);
            tally.check(&r, who, Operation::Edit, "save", got, want, Some(unit));
            let got = outcome(&app.preview(actor, id, content.clone()).await);
            tally.check(&r, who, Operation::Edit, "preview", got, want, Some(unit));
            let v = version(db, id).await;
            let got = outcome(&app.import_into(actor, id, v, "seed001.docx", &seed).await);
            tally.check(
                &r,
                who,
                Operation::Edit,
                "import_into",
                got,
                want,
                Some(unit),
            );
            let got = outcome(
                &app.attach(actor, id, "补充.pdf", "application/pdf", &evidence)
                    .await,
            );
            tally.check(&r, who, Operation::Edit, "attach", got, want, Some(unit));

            // Once submitted, the content is nobody's to change: whoever may edit a draft is
            // told why (workflow), the others are refused as before.
            force_stage(db, id, Stage::Submitted).await;
            let locked = match want {
                Outcome::Ok => Outcome::Workflow,
                other => other,
            };
            let v = version(db, id).await;
            let got = outcome(&app.save(actor, id, v, content.clone()).await);
            tally.check(
                &r,
                who,
                Operation::Edit,
                "save (submitted)",
                got,
                locked,
                Some(unit),
            );
            let got = outcome(&app.import_into(actor, id, v, "seed001.docx", &seed).await);
            tally.check(
                &r,
                who,
                Operation::Edit,
                "import_into (submitted)",
                got,
                locked,
                Some(unit),
            );
            let got = outcome(
                &app.attach(actor, id, "补充.pdf", "application/pdf", &evidence)
                    .await,
            );
            tally.check(
                &r,
                who,
                Operation::Edit,
                "attach (submitted)",
                got,
                locked,
                Some(unit),
            );

            // Every workflow step, from a stage where the step is possible.
            for action in Action::ALL {
                force_stage(db, id, action.step().from[0]).await;
                let op = Operation::Act(action);
                let want = expected(who.place, actor.role, op, unit);
                let v = version(db, id).await;
                let got = outcome(&app.act(actor, id, v, action, reason_for(action)).await);
                tally.check(&r, who, op, action.code(), got, want, Some(unit));
            }
            // The last step may have voided the form: the next person finds it a draft.
            force_stage(db, id, Stage::Draft).await;
        }

        // An id that does not exist is "not found" to everyone, whatever the operation.
        let missing = 987_654;
        for (what, got) in [
            ("form", outcome(&app.form(actor, missing).await)),
            (
                "export",
                outcome(&app.export(actor, missing, Format::Json).await),
            ),
            (
                "save",
                outcome(&app.save(actor, missing, 1, content.clone()).await),
            ),
            (
                "act",
                outcome(&app.act(actor, missing, 1, Action::Submit, None).await),
            ),
            (
                "attach",
                outcome(
                    &app.attach(actor, missing, "x.pdf", "application/pdf", &evidence)
                        .await,
                ),
            ),
            ("attachment", outcome(&app.attachment(actor, missing).await)),
            (
                "decide_adjustment",
                outcome(&app.decide_adjustment(actor, missing, false, "x").await),
            ),
        ] {
            if got != Outcome::NotFound {
                tally.failures.push(format!(
                    "{} {what} on a missing id: {got:?}",
                    actor.username
                ));
            }
        }

        // Lists show exactly the forms of the units the user sees, and a filter cannot widen
        // them.
        let listed: BTreeSet<i64> = app
            .list_forms(actor, &FormFilter::default())
            .await
            .expect("list")
            .iter()
            .map(|f| f.org_id)
            .collect();
        let want: BTreeSet<i64> = UNITS
            .into_iter()
            .filter(|u| sees(who.place, *u))
            .map(|u| r.org(u))
            .collect();
        if listed != want {
            tally.failures.push(format!(
                "{} lists units {listed:?}, expected {want:?}",
                actor.username
            ));
        }
        let asked = FormFilter {
            org_ids: Some(UNITS.iter().map(|u| r.org(*u)).collect()),
            ..FormFilter::default()
        };
        let narrowed: BTreeSet<i64> = app
            .list_forms(actor, &asked)
            .await
            .expect("list")
            .iter()
            .map(|f| f.org_id)
            .collect();
        if narrowed != want {
            tally.failures.push(format!(
                "{} asking for every unit gets {narrowed:?}, expected {want:?}",
                actor.username
            ));
        }
        for t in app.todo(actor).await.expect("todo").items {
            if !want.contains(&t.form.org_id) {
                tally.failures.push(format!(
                    "{} has a 待办 of unit {}",
                    actor.username, t.form.org_id
                ));
            }
        }

        // Create: only filers, and always for their own unit.
        let want = if actor.role == Role::Filer {
            Outcome::Ok
        } else {
            Outcome::Forbidden
        };
        // One project per person: a unit has one form per project, so a colleague's second
        // form of the same project would be a duplicate.
        let project = format!("矩阵测试项目（{}）", actor.username);
        let created = app
            .create_form(actor, FormKind::ProjectSelfEvaluation, 2022, &project)
            .await;
        if let Ok(new_id) = created {
            let head = db.store.form_head(new_id).await.expect("created");
            assert_eq!(head.org_id, actor.org_id, "created for the user's own unit");
        }
        tally.check(
            &r,
            who,
            Operation::Create,
            "create_form",
            outcome(&created),
            want,
            None,
        );
        let choice = ImportChoice {
            on_duplicate: OnDuplicate::Separate,
            confirmed: true,
        };
        let got = outcome(
            &app.import_new_with(actor, "seed001.docx", &seed, 2022, choice)
                .await,
        );
        tally.check(&r, who, Operation::Create, "import_new", got, want, None);

        // Administration: years (a use case), users and the log (decided by the same table).
        let want = if actor.role == Role::Admin {
            Outcome::Ok
        } else {
            Outcome::Forbidden
        };
        let year = YearRow {
            year: 2023,
            is_open: 1,
            declaration_deadline: Some("2023-03-31".to_string()),
            monitoring_deadline: None,
            self_evaluation_deadline: Some("2024-03-31".to_string()),
        };
        let got = outcome(&app.put_year(actor, &year).await);
        tally.check(&r, who, Operation::ManageYears, "put_year", got, want, None);
        // The bureau's dashboard: its two roles, over their own region.
        let want_dashboard = if matches!(actor.role, Role::Admin | Role::Finance) {
            Outcome::Ok
        } else {
            Outcome::Forbidden
        };
        let got = outcome(&app.dashboard(actor, 2022).await);
        tally.check(
            &r,
            who,
            Operation::Dashboard,
            "dashboard",
            got,
            want_dashboard,
            None,
        );
        // The region audit's runs: the same two roles.
        let got = outcome(&app.region_runs(actor).await);
        tally.check(
            &r,
            who,
            Operation::RegionAudit,
            "region_runs",
            got,
            want_dashboard,
            None,
        );
        // Publishing the year's results: the finance bureau only.
        let want_publish = if actor.role == Role::Finance {
            Outcome::Ok
        } else {
            Outcome::Forbidden
        };
        let got = outcome(&app.publish_results(actor, 2022, false).await);
        tally.check(
            &r,
            who,
            Operation::PublishResults,
            "publish_results",
            got,
            want_publish,
            None,
        );
        // 指标库: the finance bureau curates (its list of proposals), a unit's filer proposes.
        let want_curate = if actor.role == Role::Finance {
            Outcome::Ok
        } else {
            Outcome::Forbidden
        };
        let got = outcome(&app.proposals(actor).await);
        tally.check(
            &r,
            who,
            Operation::CurateLibrary,
            "proposals",
            got,
            want_curate,
            None,
        );
        let want_propose = if actor.role == Role::Filer {
            Outcome::Ok
        } else {
            Outcome::Forbidden
        };
        let proposal = jixiao_app::curation::NewProposal {
            level2: "数量指标".into(),
            name: format!("矩阵测试指标{}", actor.username),
            typical: "≥1次".into(),
            field: String::new(),
            reason: "访问矩阵".into(),
        };
        let got = outcome(&app.propose_indicator(actor, &proposal).await);
        tally.check(
            &r,
            who,
            Operation::ProposeIndicator,
            "propose_indicator",
            got,
            want_propose,
            None,
        );
        // 抽评: the finance bureau.
        let got = outcome(&app.spot_checks(actor).await);
        tally.check(
            &r,
            who,
            Operation::SpotCheck,
            "spot_checks",
            got,
            want_curate,
            None,
        );
        // 支付数据: the finance bureau uploads the payment system's exports.
        let got = outcome(&app.payment_uploads(actor).await);
        tally.check(
            &r,
            who,
            Operation::FeedPayments,
            "payment_uploads",
            got,
            want_curate,
            None,
        );
        // 第三方机构和专家: the finance bureau keeps the registers.
        let got = outcome(&app.institutions(actor).await);
        tally.check(
            &r,
            who,
            Operation::ManageExperts,
            "institutions",
            got,
            want_curate,
            None,
        );
        // 系统管理: the organisations and accounts, through their use cases.
        let got = outcome(&app.admin_users(actor).await);
        tally.check(
            &r,
            who,
            Operation::ManageUsers,
            "admin_users",
            got,
            want,
            None,
        );
        let got = outcome(&app.admin_orgs(actor).await);
        tally.check(
            &r,
            who,
            Operation::ManageUsers,
            "admin_orgs",
            got,
            want,
            None,
        );
        let chain = app.chain(actor.org_id).await.expect("chain");
        let got = outcome(
            &access::authorize(actor, Operation::VerifyLog, &chain).map_err(AppError::from),
        );
        tally.check(&r, who, Operation::VerifyLog, "authorize", got, want, None);
    }
    let Tally {
        failures,
        granted,
        exercised,
    } = tally;
    assert!(
        failures.is_empty(),
        "{} access decisions differ from the roles and the org tree:\n{}",
        failures.len(),
        failures.join("\n")
    );
    // Every operation was tried, and every grant of the table was used, at its reach.
    for op in access::operations() {
        assert!(exercised.contains(&op), "{op:?} was not exercised");
    }
    for p in PERMISSIONS {
        let used_here = granted.contains(&(p.role, p.operation, false));
        let used_below = granted.contains(&(p.role, p.operation, true));
        assert!(used_here || used_below, "grant {p:?} was never exercised");
        if p.reach == Reach::Below
            && matches!(
                p.operation,
                Operation::View | Operation::Export | Operation::Act(_)
            )
        {
            assert!(
                used_below,
                "grant {p:?} was not exercised below the user's organisation"
            );
        }
    }
}

// ── 4. the workflow ─────────────────────────────────────────────────────────────────────────

async fn workflow_end_to_end(db: &Db) {
    let r = Region::build(db).await;
    run_workflow(db, &r).await;
}

/// The whole cycle of seed 001's 日常运转经费, with a return by the 主管部门; returns the
/// form's id.
async fn run_workflow(db: &Db, r: &Region) -> i64 {
    let app = &db.app;
    let (id, other) = import_seed001(app, &r.filer_a).await;

    let view = app.form(&r.filer_a, id).await.expect("form");
    assert_eq!(view.stage, Stage::Draft);
    assert_eq!(view.head.version, 1);
    assert!(view.editable);
    assert_eq!(view.actions, [Action::RequestConfirmation]);
    assert_eq!(view.org_name, Unit::A.name());
    // The audit finding the filer sees: 8.5 stated where 10 × 84.30% gives 8.43.
    let a02 = view
        .assessment
        .findings
        .iter()
        .find(|f| f.code == "A02")
        .expect("execution-rate finding");
    assert_eq!(&*a02.location.file, "funds.stated_score");
    assert_eq!(
        (a02.stated.as_deref(), a02.computed.as_deref()),
        (Some("8.5"), Some("8.43"))
    );
    let errors_before = view.head.errors;
    // Reviewers see the draft but have nothing to do with it; the unit head neither.
    let sv = app.form(&r.supervisor, id).await.expect("supervisor sees");
    assert!(sv.actions.is_empty() && !sv.editable);
    let todo = todo_for(app, &r.filer_a, id).await.expect("filer's 待办");
    assert_eq!(todo.what, "填写");
    assert_eq!(todo.deadline.as_deref(), Some("2023-03-31"));
    assert!(todo.reason.is_none());
    assert!(todo_for(app, &r.filer_a, other).await.is_some());
    for reviewer in [&r.head_a, &r.supervisor, &r.finance, &r.admin] {
        assert!(
            todo_for(app, reviewer, id).await.is_none(),
            "{}",
            reviewer.username
        );
    }

    // Out of order or by the wrong role: refused, and the form does not move.
    let refused = [
        (
            app.act(&r.filer_a, id, 1, Action::Submit, None).await,
            Outcome::Workflow,
        ),
        (
            app.act(&r.head_a, id, 1, Action::Confirm, None).await,
            Outcome::Workflow,
        ),
        (
            app.act(&r.supervisor, id, 1, Action::SupervisorApprove, None)
                .await,
            Outcome::Workflow,
        ),
        (
            app.act(&r.filer_a, id, 1, Action::SupervisorApprove, None)
                .await,
            Outcome::Forbidden,
        ),
        (
            app.act(&r.head_a, id, 1, Action::RequestConfirmation, None)
                .await,
            Outcome::Forbidden,
        ),
        (
            app.act(&r.filer_b, id, 1, Action::RequestConfirmation, None)
                .await,
            Outcome::NotFound,
        ),
    ];
    for (k, (result, want)) in refused.into_iter().enumerate() {
        expect_outcome(result, want, &format!("refusal {k} in draft"));
    }
    assert_eq!(stage(db, id).await, Stage::Draft);

    // The filer fixes the finding; the score and findings follow.
    let mut fixed = view.form.clone();
    self_evaluation(&mut fixed).funds.stated_score = Some(dec("8.43"));
    let preview = app
        .preview(&r.filer_a, id, fixed.clone())
        .await
        .expect("preview");
    assert!(!preview.assessment.findings.iter().any(|f| f.code == "A02"));
    assert_eq!(version(db, id).await, 1, "a preview saves nothing");
    assert_eq!(app.save(&r.filer_a, id, 1, fixed).await.expect("save"), 2);
    let view = app.form(&r.filer_a, id).await.expect("form");
    assert!(!view.assessment.findings.iter().any(|f| f.code == "A02"));
    assert_eq!(view.head.errors, errors_before - 1);

    // A step on a version the actor did not see is refused.
    expect_outcome(
        app.act(&r.filer_a, id, 1, Action::RequestConfirmation, None)
            .await,
        Outcome::Conflict,
        "step on version 1",
    );
    assert_eq!(
        step(app, &r.filer_a, id, Action::RequestConfirmation, None).await,
        Stage::AwaitingConfirmation
    );
    expect_outcome(
        app.save(&r.filer_a, id, 2, view.form.clone()).await,
        Outcome::Workflow,
        "save while awaiting confirmation",
    );
    assert!(todo_for(app, &r.filer_a, id).await.is_none());
    assert_eq!(
        todo_for(app, &r.head_a, id).await.expect("head").what,
        "确认"
    );
    let hv = app.form(&r.head_a, id).await.expect("head sees");
    assert_eq!(hv.actions, [Action::Confirm, Action::RejectConfirmation]);

    assert_eq!(
        step(app, &r.head_a, id, Action::Confirm, None).await,
        Stage::Confirmed
    );
    assert!(todo_for(app, &r.head_a, id).await.is_none());
    assert_eq!(
        todo_for(app, &r.filer_a, id).await.expect("filer").what,
        "提交"
    );
    assert_eq!(
        step(app, &r.filer_a, id, Action::Submit, None).await,
        Stage::Submitted
    );
    assert!(todo_for(app, &r.filer_a, id).await.is_none());
    assert_eq!(
        todo_for(app, &r.supervisor, id)
            .await
            .expect("supervisor")
            .what,
        "审核"
    );
    assert!(
        todo_for(app, &r.supervisor_d2, id).await.is_none(),
        "another department's"
    );
    assert!(todo_for(app, &r.finance, id).await.is_none());
    expect_outcome(
        app.save(&r.filer_a, id, 2, view.form.clone()).await,
        Outcome::Workflow,
        "save after submission",
    );
    expect_outcome(
        app.act(&r.finance, id, 2, Action::FinanceApprove, None)
            .await,
        Outcome::Workflow,
        "finance before the 主管部门",
    );
    expect_outcome(
        app.act(&r.filer_a, id, 2, Action::Withdraw, None).await,
        Outcome::Workflow,
        "withdraw after submission",
    );

    // A return needs a reason.
    for blank in [None, Some(""), Some("  ")] {
        expect_outcome(
            app.act(&r.supervisor, id, 2, Action::SupervisorReturn, blank)
                .await,
            Outcome::Invalid,
            "return without a reason",
        );
    }
    assert_eq!(stage(db, id).await, Stage::Submitted);
    let reason = "第6项指标“实际支出超出预算比例”已达成，得分应在8～10分之间，请核实";
    assert_eq!(
        step(
            app,
            &r.supervisor,
            id,
            Action::SupervisorReturn,
            Some(reason)
        )
        .await,
        Stage::SupervisorReturned
    );
    assert!(todo_for(app, &r.supervisor, id).await.is_none());
    let returned = todo_for(app, &r.filer_a, id)
        .await
        .expect("returned to the filer");
    assert_eq!(returned.what, "修改（主管部门退回）");
    assert_eq!(returned.reason.as_deref(), Some(reason));
    let view = app.form(&r.filer_a, id).await.expect("form");
    assert!(view.editable);
    assert_eq!(view.actions, [Action::RequestConfirmation]);
    // The other form, never returned, shows no reason.
    assert!(
        todo_for(app, &r.filer_a, other)
            .await
            .expect("other")
            .reason
            .is_none()
    );

    // The filer fixes what was asked, and the form goes through confirmation again.
    let p04_before = view
        .assessment
        .findings
        .iter()
        .filter(|f| f.code == "P04")
        .count();
    assert_eq!(p04_before, 1);
    let mut fixed = view.form.clone();
    self_evaluation(&mut fixed).indicators[5].score = Some(dec("10"));
    assert_eq!(app.save(&r.filer_a, id, 2, fixed).await.expect("fix"), 3);
    let view = app.form(&r.filer_a, id).await.expect("form");
    assert!(!view.assessment.findings.iter().any(|f| f.code == "P04"));
    expect_outcome(
        app.act(&r.filer_a, id, 3, Action::Submit, None).await,
        Outcome::Workflow,
        "resubmit without confirmation",
    );
    step(app, &r.filer_a, id, Action::RequestConfirmation, None).await;
    step(app, &r.head_a, id, Action::Confirm, None).await;
    assert_eq!(
        step(app, &r.filer_a, id, Action::Submit, None).await,
        Stage::Submitted
    );
    assert!(todo_for(app, &r.filer_a, id).await.is_none());

    assert_eq!(
        step(app, &r.supervisor, id, Action::SupervisorApprove, None).await,
        Stage::SupervisorApproved
    );
    expect_outcome(
        app.act(
            &r.supervisor,
            id,
            3,
            Action::SupervisorReturn,
            Some("再看看"),
        )
        .await,
        Outcome::Workflow,
        "return after approving",
    );
    assert_eq!(
        todo_for(app, &r.finance, id).await.expect("finance").what,
        "审定"
    );
    assert_eq!(
        step(app, &r.finance, id, Action::FinanceApprove, None).await,
        Stage::FinanceApproved
    );
    assert_eq!(
        todo_for(app, &r.finance, id).await.expect("finance").what,
        "公开"
    );
    for (who, want) in [
        (&r.supervisor, Outcome::Forbidden),
        (&r.admin, Outcome::Forbidden),
    ] {
        expect_outcome(
            app.act(who, id, 3, Action::Publish, None).await,
            want,
            &format!("{} publishes", who.username),
        );
    }
    assert_eq!(
        step(app, &r.finance, id, Action::Publish, None).await,
        Stage::Published
    );
    for who in [&r.filer_a, &r.head_a, &r.supervisor, &r.finance, &r.admin] {
        assert!(todo_for(app, who, id).await.is_none(), "{}", who.username);
    }
    expect_outcome(
        app.act(&r.finance, id, 3, Action::FinanceReturn, Some("晚了"))
            .await,
        Outcome::Workflow,
        "return after publishing",
    );
    expect_outcome(
        app.save(&r.filer_a, id, 3, view.form.clone()).await,
        Outcome::Workflow,
        "save after publishing",
    );

    // The full history, as anyone who sees the form reads it.
    let (events, log) = app.history(&r.supervisor, id).await.expect("history");
    let steps: Vec<(&str, &str, &str)> = events
        .iter()
        .map(|e| {
            (
                e.action.as_str(),
                e.from_stage.as_str(),
                e.to_stage.as_str(),
            )
        })
        .collect();
    assert_eq!(
        steps,
        [
            ("request_confirmation", "draft", "awaiting_confirmation"),
            ("confirm", "awaiting_confirmation", "confirmed"),
            ("submit", "confirmed", "submitted"),
            ("supervisor_return", "submitted", "supervisor_returned"),
            (
                "request_confirmation",
                "supervisor_returned",
                "awaiting_confirmation"
            ),
            ("confirm", "awaiting_confirmation", "confirmed"),
            ("submit", "confirmed", "submitted"),
            ("supervisor_approve", "submitted", "supervisor_approved"),
            ("finance_approve", "supervisor_approved", "finance_approved"),
            ("publish", "finance_approved", "published"),
        ]
    );
    let who: Vec<i64> = events.iter().map(|e| e.user_id).collect();
    let (f, h, s, fin) = (
        r.filer_a.user_id,
        r.head_a.user_id,
        r.supervisor.user_id,
        r.finance.user_id,
    );
    assert_eq!(who, [f, h, f, s, f, h, f, s, fin, fin]);
    assert_eq!(events[3].reason.as_deref(), Some(reason));
    assert_eq!(events[3].display_name, r.supervisor.display_name);
    // Reasons: the return's, and the explanation of the audit errors each time the form was
    // sent on; no other step carries one.
    for (k, e) in events.iter().enumerate() {
        let want = match (k, e.action.as_str()) {
            (3, _) => Some(reason),
            (_, "request_confirmation") => Some(EXPLAINED),
            _ => None,
        };
        assert_eq!(e.reason.as_deref(), want, "event {k} ({})", e.action);
    }
    let actions: Vec<&str> = log.iter().map(|e| e.action.as_str()).collect();
    assert_eq!(
        actions,
        [
            "create",
            "save",
            "request_confirmation",
            "confirm",
            "submit",
            "supervisor_return",
            "save",
            "request_confirmation",
            "confirm",
            "submit",
            "supervisor_approve",
            "finance_approve",
            "publish"
        ]
    );

    // The published form exports as Word and as its JSON, which reads back as the form.
    let docx = app
        .export(&r.finance, id, Format::Docx)
        .await
        .expect("docx");
    assert!(docx.bytes.starts_with(b"PK"), "a zip package");
    assert_eq!(docx.name, "日常运转经费-项目支出绩效自评表.docx");
    let json = app
        .export(&r.supervisor, id, Format::Json)
        .await
        .expect("json");
    let exported = Form::from_json(std::str::from_utf8(&json.bytes).expect("UTF-8")).expect("form");
    assert_eq!(exported, view.form);
    id
}

async fn two_reviewers_racing_one_wins(db: &Db) {
    let app = &db.app;
    let r = Region::build(db).await;
    let (first, second) = import_seed001(app, &r.filer_a).await;
    for id in [first, second] {
        step(app, &r.filer_a, id, Action::RequestConfirmation, None).await;
        step(app, &r.head_a, id, Action::Confirm, None).await;
        step(app, &r.filer_a, id, Action::Submit, None).await;
    }

    // Approve and return on the same version at once: exactly one goes through.
    let v = version(db, first).await;
    let (approve, ret) = tokio::join!(
        app.act(&r.supervisor, first, v, Action::SupervisorApprove, None),
        app.act(
            &r.supervisor2,
            first,
            v,
            Action::SupervisorReturn,
            Some("材料不全")
        ),
    );
    let now = stage(db, first).await;
    match (&approve, &ret) {
        (Ok(s), Err(AppError::Workflow(_) | AppError::Conflict { .. })) => {
            assert_eq!(
                (*s, now),
                (Stage::SupervisorApproved, Stage::SupervisorApproved)
            );
        }
        (Err(AppError::Workflow(_) | AppError::Conflict { .. }), Ok(s)) => {
            assert_eq!(
                (*s, now),
                (Stage::SupervisorReturned, Stage::SupervisorReturned)
            );
        }
        _ => panic!("exactly one reviewer must win: {approve:?} / {ret:?}"),
    }
    let events = app.history(&r.supervisor, first).await.expect("history").0;
    assert_eq!(events.len(), 4, "one review event: {events:?}");

    // Two approvals at once: one event, not two.
    let v = version(db, second).await;
    let (a, b) = tokio::join!(
        app.act(&r.supervisor, second, v, Action::SupervisorApprove, None),
        app.act(&r.supervisor2, second, v, Action::SupervisorApprove, None),
    );
    assert_eq!(
        [&a, &b].iter().filter(|x| x.is_ok()).count(),
        1,
        "{a:?} / {b:?}"
    );
    let events = app.history(&r.supervisor, second).await.expect("history").0;
    assert_eq!(events.len(), 4, "one approval event: {events:?}");
    assert_eq!(stage(db, second).await, Stage::SupervisorApproved);
    assert_eq!(app.verify_log().await.expect("verify"), intact(db).await);
}

// ── 5. the change log ───────────────────────────────────────────────────────────────────────

/// The verification of an untouched log of this database.
async fn intact(db: &Db) -> Verification {
    let n = db.scalar("SELECT COUNT(*) FROM change_log").await;
    Verification::Intact {
        entries: usize::try_from(n).expect("count"),
    }
}

async fn change_log_names_the_tampered_entry(db: &Db) {
    let app = &db.app;
    let r = Region::build(db).await;
    let id = run_workflow(db, &r).await;
    let entries = db.scalar("SELECT COUNT(*) FROM change_log").await;
    assert!(entries > 20, "{entries}");
    assert_eq!(app.verify_log().await.expect("verify"), intact(db).await);

    // Change what the 主管部门's return said.
    let (_, log) = app.history(&r.filer_a, id).await.expect("history");
    let k = log
        .iter()
        .find(|e| e.action == "supervisor_return")
        .expect("return entry")
        .id;
    let original = log
        .iter()
        .find(|e| e.id == k)
        .expect("entry")
        .detail
        .clone();
    let forged = original.replace("请核实", "无需修改");
    assert_ne!(forged, original);
    let n = db
        .execute(&format!(
            "UPDATE change_log SET detail = '{}' WHERE id = {k}",
            forged.replace('\'', "''")
        ))
        .await;
    assert_eq!(n, 1);
    match app.verify_log().await.expect("verify") {
        Verification::Broken { id, intact, reason } => {
            assert_eq!(id, k, "{reason}");
            assert_eq!(
                i64::try_from(intact).expect("count"),
                db.scalar(&format!("SELECT COUNT(*) FROM change_log WHERE id < {k}"))
                    .await
            );
            assert!(reason.contains("改动"), "{reason}");
        }
        other => panic!("tampering not detected: {other:?}"),
    }

    // Put it back: the chain holds again.
    db.execute(&format!(
        "UPDATE change_log SET detail = '{}' WHERE id = {k}",
        original.replace('\'', "''")
    ))
    .await;
    assert_eq!(app.verify_log().await.expect("verify"), intact(db).await);

    // Any other field counts too: who did it.
    db.execute(&format!(
        "UPDATE change_log SET username = 'admin' WHERE id = {k}"
    ))
    .await;
    assert!(matches!(
        app.verify_log().await.expect("verify"),
        Verification::Broken { id, .. } if id == k
    ));
    db.execute(&format!(
        "UPDATE change_log SET username = 'supervisor' WHERE id = {k}"
    ))
    .await;
    assert_eq!(app.verify_log().await.expect("verify"), intact(db).await);

    // Deleting the newest entry, which no later entry points back to, is detected.
    let last = db.scalar("SELECT MAX(id) FROM change_log").await;
    assert_eq!(
        db.execute(&format!("DELETE FROM change_log WHERE id = {last}"))
            .await,
        1
    );
    assert!(
        matches!(
            app.verify_log().await.expect("verify"),
            Verification::Broken { .. }
        ),
        "deleting the newest entry is not detected"
    );

    // Deleting an entry in the middle is detected at the entry after it.
    let next = db
        .scalar(&format!("SELECT MIN(id) FROM change_log WHERE id > {k}"))
        .await;
    assert_eq!(
        db.execute(&format!("DELETE FROM change_log WHERE id = {k}"))
            .await,
        1
    );
    match app.verify_log().await.expect("verify") {
        Verification::Broken { id, reason, .. } => {
            assert_eq!(id, next, "{reason}");
            assert!(reason.contains("删除"), "{reason}");
        }
        other => panic!("deletion not detected: {other:?}"),
    }
}

// ── 6. self-evaluations start from the declaration ─────────────────────────────────────────

async fn self_evaluation_starts_from_the_declaration(db: &Db) {
    let app = &db.app;
    let r = Region::build(db).await;
    let out = app
        .import_new_with(
            &r.filer_a,
            "seed000.docx",
            &testdata("fixtures/seed000.docx"),
            2021,
            CONFIRMED,
        )
        .await
        .expect("import seed000.docx");
    let kinds: Vec<&str> = out.forms.iter().map(|f| f.1.as_str()).collect();
    assert_eq!(
        kinds,
        ["项目支出绩效目标申报表", "部门整体支出绩效目标申报表"],
        "{out:?}"
    );
    let declaration = app
        .form(&r.filer_a, out.forms[0].0)
        .await
        .expect("declaration");
    assert_eq!(declaration.head.year, 2021);
    let Form::ProjectTarget(declared) = seed_form("seed000-project-target.json") else {
        panic!("seed000-project-target.json is a project declaration")
    };
    let Form::DepartmentTarget(declared_dept) = seed_form("seed000-department-target.json") else {
        panic!("seed000-department-target.json is a department declaration")
    };
    assert_eq!(declared.project_name, "老工伤工作经费");
    assert_eq!(declaration.form, Form::ProjectTarget(declared.clone()));

    // The project's self-evaluation: the declared tree and targets, the declared funds as the
    // budget and the annual target as 预期目标; nothing for the filer to retype.
    let id = app
        .create_form(
            &r.filer_a,
            FormKind::ProjectSelfEvaluation,
            2021,
            " 老工伤工作经费 ",
        )
        .await
        .expect("create");
    let view = app.form(&r.filer_a, id).await.expect("form");
    assert_eq!(view.kind, FormKind::ProjectSelfEvaluation);
    assert_eq!(
        (view.stage, view.head.version, view.head.year),
        (Stage::Draft, 1, 2021)
    );
    assert_eq!(
        view.head.project_id, declaration.head.project_id,
        "the same project"
    );
    assert!(view.head.project_id.is_some());
    let mut form = view.form.clone();
    let s = self_evaluation(&mut form);
    assert_eq!(s.name, declared.project_name);
    assert_eq!(s.year, Some(2021));
    let rows: Vec<(&str, &str, &str, &str)> = s
        .indicators
        .iter()
        .map(|i| {
            (
                i.level1.as_str(),
                i.level2.as_str(),
                i.name.as_str(),
                i.target.as_str(),
            )
        })
        .collect();
    let want: Vec<(&str, &str, &str, &str)> = declared
        .indicators
        .iter()
        .map(|i| {
            (
                i.level1.as_str(),
                i.level2.as_str(),
                i.name.as_str(),
                i.target.as_str(),
            )
        })
        .collect();
    assert_eq!(rows, want);
    assert!(rows.len() >= 5, "{rows:?}");
    assert!(
        s.indicators
            .iter()
            .all(|i| i.actual.is_empty() && i.score.is_none())
    );
    assert_eq!(
        s.funds.total().and_then(|t| t.full_year_budget),
        declared.funds_total
    );
    assert!(declared.funds_total.is_some());
    assert_eq!(s.overall_target.expected, declared.annual_target);
    assert!(!declared.annual_target.is_empty());

    // The department's self-evaluation starts from the department declaration.
    let dept = app
        .create_form(&r.filer_a, FormKind::DepartmentSelfEvaluation, 2021, "")
        .await
        .expect("create");
    let mut form = app.form(&r.filer_a, dept).await.expect("form").form;
    let s = self_evaluation(&mut form);
    let rows: Vec<(&str, &str)> = s
        .indicators
        .iter()
        .map(|i| (i.name.as_str(), i.target.as_str()))
        .collect();
    let want: Vec<(&str, &str)> = declared_dept
        .indicators
        .iter()
        .map(|i| (i.name.as_str(), i.target.as_str()))
        .collect();
    assert_eq!(rows, want);
    assert_eq!(s.name, declared_dept.department);
    assert_eq!(s.overall_target.expected, declared_dept.annual_target);

    // Without a declaration (another project, another year, another unit's project of the same
    // name) the form starts from the blank standard tree.
    for (who, year, project) in [
        (&r.filer_a, 2021, "未申报的项目"),
        (&r.filer_a, 2022, "老工伤工作经费"),
        (&r.filer_b, 2021, "老工伤工作经费"),
    ] {
        let id = app
            .create_form(who, FormKind::ProjectSelfEvaluation, year, project)
            .await
            .expect("create");
        let mut form = app.form(who, id).await.expect("form").form;
        let s = self_evaluation(&mut form);
        assert_eq!(s.name, project);
        assert_eq!(s.indicators.len(), 6, "{} {year} {project}", who.username);
        assert!(
            s.indicators
                .iter()
                .all(|i| i.name.is_empty() && i.target.is_empty()),
            "{} {year} {project}: {:?}",
            who.username,
            s.indicators
        );
        assert_eq!(s.overall_target.expected, "");
    }
    expect_outcome(
        app.create_form(&r.filer_a, FormKind::ProjectSelfEvaluation, 2021, "  ")
            .await,
        Outcome::Invalid,
        "a project form needs its project",
    );

    // The 项目库: each unit sees its own projects.
    let own: BTreeSet<(i64, String)> = app
        .projects(&r.filer_a)
        .await
        .expect("projects")
        .into_iter()
        .map(|p| (p.year, p.name))
        .collect();
    assert!(
        own.contains(&(2021, "老工伤工作经费".to_string())),
        "{own:?}"
    );
    assert!(own.contains(&(2021, "未申报的项目".to_string())), "{own:?}");
    let b: Vec<_> = app.projects(&r.filer_b).await.expect("projects");
    assert!(b.iter().all(|p| p.org_id == r.org(Unit::B)), "{b:?}");
    assert_eq!(b.len(), 1);
}

// ── 8. uploads are one transaction; lists in pages; the dashboard's figures ─────────────────

async fn an_upload_files_all_its_forms_or_none(db: &Db) {
    let app = &db.app;
    let r = Region::build(db).await;
    let tables = "(SELECT COUNT(*) FROM forms) * 1000000 + (SELECT COUNT(*) FROM form_versions) * 10000 + (SELECT COUNT(*) FROM projects) * 100 + (SELECT COUNT(*) FROM change_log)";
    let before = db.scalar(&format!("SELECT {tables}")).await;
    // Two forms of one file, the second of which cannot be stored (its unit does not exist):
    // the first, filed under a new project, must not stay behind either.
    let form = seed_form("seed001-daily-operations.json");
    let new = |org_id: i64| jixiao_store::forms::NewForm {
        org_id,
        year: 2022,
        project_id: None,
        kind: "project_self_evaluation".into(),
        name: "原子性测试项目".into(),
        stage: "draft".into(),
        data: form.to_json().expect("written"),
        summary: jixiao_store::forms::Summary::default(),
    };
    let unit_a = r.filer_a.org_id;
    let filings = [
        jixiao_store::forms::Filing {
            form: new(unit_a),
            project: Some("原子性测试项目".into()),
            readings: None,
        },
        jixiao_store::forms::Filing {
            form: new(999_999),
            project: None,
            readings: None,
        },
    ];
    let by = Author::system();
    assert!(db.store.create_forms(&filings, &by).await.is_err());
    assert_eq!(
        db.scalar(&format!("SELECT {tables}")).await,
        before,
        "a failed upload left forms, versions, projects or log entries behind"
    );
    assert_eq!(app.verify_log().await.expect("verify"), intact(db).await);

    // Both storable: both are filed, under one new project, with one log entry each.
    let ids = db
        .store
        .create_forms(&[filings[0].clone(), filings[0].clone()], &by)
        .await
        .expect("file both");
    assert_eq!(ids.len(), 2);
    let heads = [
        db.store.form_head(ids[0]).await.expect("first"),
        db.store.form_head(ids[1]).await.expect("second"),
    ];
    assert!(heads[0].project_id.is_some());
    assert_eq!(heads[0].project_id, heads[1].project_id);
    assert!(matches!(
        app.verify_log().await.expect("verify"),
        Verification::Intact { .. }
    ));
    // Deleting the newest of those entries still shows (the count is kept per entry, not per
    // transaction).
    let last = db.scalar("SELECT MAX(id) FROM change_log").await;
    db.execute(&format!("DELETE FROM change_log WHERE id = {last}"))
        .await;
    assert!(matches!(
        app.verify_log().await.expect("verify"),
        Verification::Broken { .. }
    ));
}

async fn lists_come_in_pages_and_the_dashboard_follows_every_change(db: &Db) {
    let app = &db.app;
    let r = Region::build(db).await;
    let mut ids = Vec::new();
    let again = ImportChoice {
        on_duplicate: OnDuplicate::Separate,
        confirmed: true,
    };
    for _ in 0..3 {
        let (a, b) = import_seed001_as(app, &r.filer_a, again).await;
        ids.extend([a, b]);
    }
    let all = app
        .list_forms(&r.finance, &FormFilter::default())
        .await
        .expect("all");
    assert_eq!(all.len(), 6);
    // Pages of 4: the first four rows, then the last two, in the list's order; the totals
    // and stage counts are those of every page.
    let page = |offset, limit| jixiao_store::forms::PageRequest { offset, limit };
    let first = app
        .list_page(&r.finance, &FormFilter::default(), page(0, 4))
        .await
        .expect("page 1");
    let second = app
        .list_page(&r.finance, &FormFilter::default(), page(4, 4))
        .await
        .expect("page 2");
    let paged: Vec<i64> = first
        .rows
        .iter()
        .chain(&second.rows)
        .map(|f| f.id)
        .collect();
    assert_eq!(paged, all.iter().map(|f| f.id).collect::<Vec<_>>());
    assert_eq!((first.total, second.total), (6, 6));
    assert_eq!(first.stages, vec![(Stage::Draft, 6)]);
    // A unit sees only its own, in pages too.
    let theirs = app
        .list_page(&r.filer_b, &FormFilter::default(), page(0, 50))
        .await
        .expect("unit B");
    assert_eq!((theirs.total, theirs.rows.len()), (0, 0));

    // The dashboard is computed once per change: the same figures until something changes,
    // and new figures right after any change (here: a form submitted for confirmation).
    let d1 = app.dashboard(&r.finance, 2022).await.expect("dashboard");
    let d2 = app.dashboard(&r.finance, 2022).await.expect("dashboard");
    assert!(
        std::sync::Arc::ptr_eq(&d1, &d2),
        "recomputed without a change"
    );
    let drafts = |d: &jixiao_app::dashboard::Dashboard| {
        d.stages
            .iter()
            .find(|(st, _)| *st == Stage::Draft)
            .map(|(_, n)| *n)
    };
    assert_eq!(drafts(&d1), Some(6));
    step(app, &r.filer_a, ids[0], Action::RequestConfirmation, None).await;
    let d3 = app.dashboard(&r.finance, 2022).await.expect("dashboard");
    assert_eq!(drafts(&d3), Some(5), "the dashboard missed a change");

    // The 待办 lists the first 200 and counts all: 5 drafts and 200 more.
    let row = db.store.form(ids[1]).await.expect("form");
    let copy = jixiao_store::forms::Filing {
        form: jixiao_store::forms::NewForm {
            org_id: row.head.org_id,
            year: 2023,
            project_id: None,
            kind: row.head.kind.clone(),
            name: "待办上限".into(),
            stage: "draft".into(),
            data: row.data.clone(),
            summary: Default::default(),
        },
        project: Some("待办上限".into()),
        readings: None,
    };
    db.store
        .create_forms(&vec![copy; 200], &Author::system())
        .await
        .expect("200 drafts");
    let todo = app.todo(&r.filer_a).await.expect("todo");
    assert_eq!((todo.items.len(), todo.total), (200, 205));
}

/// A database that fails, or holds what it should not, is an error of its own: never a
/// conflict message with "他人" or "版本已不存在", never a change log with `null` for the old
/// data, never a form of another kind.
async fn failures_are_never_taken_for_something_else(db: &Db) {
    let app = &db.app;
    let r = Region::build(db).await;
    let (id, other) = import_seed001(app, &r.filer_a).await;
    let form = app.form(&r.filer_a, id).await.expect("form").form;
    let mut changed = form.clone();
    self_evaluation(&mut changed).indicators[0].actual = "完成案件稽核26件".to_string();
    assert_eq!(app.save(&r.filer_a, id, 1, changed).await.expect("save"), 2);

    // A stale save while the change log cannot be read: the database error, not "他人".
    db.execute("ALTER TABLE change_log RENAME TO change_log_away")
        .await;
    let stale = app.save(&r.filer_a2, id, 1, form.clone()).await;
    db.execute("ALTER TABLE change_log_away RENAME TO change_log")
        .await;
    assert!(
        matches!(stale, Err(AppError::Store(StoreError::Database(_)))),
        "{stale:?}"
    );

    // … while the kept versions cannot be read: the database error, not "版本已不存在".
    db.execute("ALTER TABLE form_versions RENAME TO form_versions_away")
        .await;
    let stale = app.save(&r.filer_a2, id, 1, form.clone()).await;
    db.execute("ALTER TABLE form_versions_away RENAME TO form_versions")
        .await;
    assert!(
        matches!(stale, Err(AppError::Store(StoreError::Database(_)))),
        "{stale:?}"
    );
    // With both readable again it is the conflict, by its author.
    let stale = app.save(&r.filer_a2, id, 1, form.clone()).await;
    assert!(
        matches!(&stale, Err(AppError::Conflict { by, .. }) if by == "filer_a"),
        "{stale:?}"
    );

    // … while a kept version is not JSON: that version is corrupt, not "everything changed".
    db.execute(&format!(
        "UPDATE form_versions SET data = '{{\"form\": ' WHERE form_id = {id} AND version = 1"
    ))
    .await;
    let stale = app.save(&r.filer_a2, id, 1, form.clone()).await;
    assert!(
        matches!(&stale, Err(AppError::Store(StoreError::Corrupt(what))) if what.contains(&id.to_string())),
        "{stale:?}"
    );

    // A save over stored data that is not JSON fails: the log would record `null` as the old
    // data.
    let entries = db.store.change_count().await.expect("count");
    db.execute(&format!(
        "UPDATE forms SET data = 'not json' WHERE id = {other}"
    ))
    .await;
    let over = app
        .save(
            &r.filer_a,
            other,
            1,
            seed_form("seed001-daily-operations.json"),
        )
        .await;
    assert!(
        matches!(&over, Err(AppError::Store(StoreError::Corrupt(_)))),
        "{over:?}"
    );
    assert_eq!(db.store.change_count().await.expect("count"), entries);

    // A stored kind the system does not know is an error naming it, not a report.
    db.execute(&format!(
        "UPDATE forms SET kind = 'annual_report' WHERE id = {id}"
    ))
    .await;
    for format in [Format::Docx, Format::Json] {
        let export = app.export(&r.filer_a, id, format).await;
        assert!(
            matches!(&export, Err(AppError::Store(StoreError::Corrupt(what))) if what.contains("annual_report")),
            "{export:?}"
        );
    }
}

// ── 9. a system of record (issue 21) ───────────────────────────────────────────────────────

/// Hands a form over: sent on (its audit errors explained at once), confirmed, submitted.
async fn hand_over(app: &App, r: &Region, id: i64) {
    step(app, &r.filer_a, id, Action::RequestConfirmation, None).await;
    step(app, &r.head_a, id, Action::Confirm, None).await;
    step(app, &r.filer_a, id, Action::Submit, None).await;
}

/// The change-log actions of form `id`.
async fn logged(db: &Db, id: i64) -> Vec<(String, serde_json::Value)> {
    db.store
        .log_of("form", id)
        .await
        .expect("log")
        .into_iter()
        .map(|e| {
            (
                e.action,
                serde_json::from_str(&e.detail).expect("detail is JSON"),
            )
        })
        .collect()
}

async fn log_holds(app: &App) {
    let verified = app.verify_log().await.expect("verify");
    assert!(
        matches!(verified, Verification::Intact { .. }),
        "{verified:?}"
    );
}

/// A 一体化 规范表 zip is an upload like any document: the same importer reads it, and the
/// forms filed are the ones the zip was written from.
async fn an_yitihua_zip_is_uploaded_like_the_documents_it_came_from(db: &Db) {
    let app = &db.app;
    let r = Region::build(db).await;
    let seed = testdata("fixtures/seed001.docx");
    let limits = jixiao_recognize::Limits::default();
    let forms = jixiao_app::files::forms_in("seed001.docx", &seed, &limits).expect("forms");
    let exported = jixiao_app::files::write_yitihua(&forms, None).expect("zip");
    assert_eq!(exported.refused.len(), 1, "the project list has no 规范表");
    let out = app
        .import_new_with(&r.filer_a, "一体化.zip", &exported.bytes, 2022, CONFIRMED)
        .await
        .expect("imported");
    let names: Vec<&str> = out.forms.iter().map(|f| f.2.as_str()).collect();
    assert_eq!(names, ["日常运转经费", "工伤稽核专项经费"], "{out:?}");
    let filed = app.form(&r.filer_a, out.forms[0].0).await.expect("form");
    let from_docx = forms
        .iter()
        .find(|f| matches!(f, Form::ProjectSelfEvaluation(s) if s.name == "日常运转经费"))
        .expect("in the docx");
    assert!(
        &filed.form == from_docx,
        "the filed form differs from the document's"
    );
}

async fn one_form_per_thing(db: &Db) {
    let app = &db.app;
    let r = Region::build(db).await;
    let seed = testdata("fixtures/seed001.docx");
    // A file naming another unit is not filed until the user confirms it.
    let unconfirmed = app
        .import_new(&r.filer_a, "seed001.docx", &seed, 2022)
        .await;
    match &unconfirmed {
        Err(AppError::Unconfirmed { differences: d, .. }) => {
            assert!(
                d.iter().any(|d| d.field == "单位"
                    && d.in_file == "淮北市工伤保险管理服务中心"
                    && d.here == Unit::A.name()),
                "{d:?}"
            );
        }
        other => panic!("filed without confirmation: {other:?}"),
    }
    let mine = FormFilter::default();
    assert!(
        app.list_forms(&r.filer_a, &mine)
            .await
            .expect("list")
            .is_empty()
    );

    let (a, b) = import_seed001(app, &r.filer_a).await;
    // The same file again: refused, naming both forms already filed; nothing filed.
    let again = app
        .import_new_with(&r.filer_a, "seed001.docx", &seed, 2022, CONFIRMED)
        .await;
    match &again {
        Err(AppError::Duplicate(existing)) => {
            let ids: Vec<i64> = existing.iter().map(|e| e.id).collect();
            assert_eq!(ids, [a, b]);
            let text = again.as_ref().expect_err("refused").to_string();
            assert!(
                text.contains("日常运转经费") && text.contains(&format!("编号 {a}")),
                "{text}"
            );
        }
        other => panic!("filed twice: {other:?}"),
    }
    assert_eq!(
        app.list_forms(&r.filer_a, &mine).await.expect("list").len(),
        2
    );
    // Replacing: the same two forms, each at a new version, the old one kept.
    let replace = ImportChoice {
        on_duplicate: OnDuplicate::Replace,
        confirmed: true,
    };
    let out = app
        .import_new_with(&r.filer_a, "seed001.docx", &seed, 2022, replace)
        .await
        .expect("replace");
    assert_eq!(out.replaced, [(a, 1, 2), (b, 1, 2)]);
    assert_eq!(
        app.list_forms(&r.filer_a, &mine).await.expect("list").len(),
        2
    );
    assert!(db.store.form_version(a, 1).await.is_ok(), "version 1 kept");
    // Filing separately on purpose: two more.
    let separate = ImportChoice {
        on_duplicate: OnDuplicate::Separate,
        confirmed: true,
    };
    app.import_new_with(&r.filer_a, "seed001.docx", &seed, 2022, separate)
        .await
        .expect("separate");
    assert_eq!(
        app.list_forms(&r.filer_a, &mine).await.expect("list").len(),
        4
    );
    // A new blank form of a project already filed is the same thing.
    let blank = app
        .create_form(
            &r.filer_a,
            FormKind::ProjectSelfEvaluation,
            2022,
            "日常运转经费",
        )
        .await;
    assert!(
        matches!(&blank, Err(AppError::Duplicate(e)) if e.len() == 2),
        "{blank:?}"
    );
    // Another unit filing the same file is not a duplicate of unit A's.
    app.import_new_with(&r.filer_b, "seed001.docx", &seed, 2022, CONFIRMED)
        .await
        .expect("unit B files its own");
    // A submitted form cannot be replaced.
    hand_over(app, &r, a).await;
    let locked = app
        .import_new_with(&r.filer_a, "seed001.docx", &seed, 2022, replace)
        .await;
    assert!(
        matches!(&locked, Err(AppError::Workflow(m)) if m.contains("已提交")),
        "{locked:?}"
    );

    // Importing into a form picks the file's form of the same project, without a question …
    let v = version(db, b).await;
    let into = app
        .import_into(&r.filer_a, b, v, "seed001.docx", &seed)
        .await
        .expect("same project: no question");
    assert!(into.confirmed.is_empty());
    // … but a file of another project (and year) is shown and must be confirmed; the fields
    // that changed are listed and the old version stays restorable.
    let v = version(db, b).await;
    let seed003 = testdata("fixtures/seed003.docx");
    let asked = app
        .import_into(&r.filer_a, b, v, "seed003.docx", &seed003)
        .await;
    match &asked {
        Err(AppError::Unconfirmed { differences: d, .. }) => {
            let fields: Vec<&str> = d.iter().map(|d| d.field).collect();
            assert_eq!(fields, ["项目名称", "年度"], "{d:?}");
        }
        other => panic!("replaced without asking: {other:?}"),
    }
    assert_eq!(version(db, b).await, v, "nothing saved before the answer");
    let out = app
        .import_into_with(&r.filer_a, b, v, "seed003.docx", &seed003, true)
        .await
        .expect("confirmed");
    assert_eq!(out.replaced, [(b, v, v + 1)]);
    assert!(
        out.changes.iter().any(|c| c.path == "name"),
        "{:?}",
        out.changes
    );
    let restored = app.restore(&r.filer_a, b, v + 1, v).await.expect("restore");
    assert_eq!(restored, v + 2);
    let back = app.form(&r.filer_a, b).await.expect("form");
    assert_eq!(back.head.name, "工伤稽核专项经费");
    let (action, detail) = logged(db, b).await.pop().expect("logged");
    assert_eq!(
        (action.as_str(), &detail["changes"]["restored_from"]),
        ("save", &serde_json::json!(v))
    );
    log_holds(app).await;
}

async fn drafts_are_deleted_and_forms_voided_in_the_log(db: &Db) {
    let app = &db.app;
    let r = Region::build(db).await;
    let (a, b) = import_seed001(app, &r.filer_a).await;
    // Only the unit deletes its draft: another unit does not find it.
    expect_outcome(
        app.delete_draft(&r.filer_b, a, 1).await,
        Outcome::NotFound,
        "unit B",
    );
    expect_outcome(
        app.delete_draft(&r.finance, a, 1).await,
        Outcome::Forbidden,
        "bureau",
    );
    // On a stale version, nothing is deleted.
    expect_outcome(
        app.delete_draft(&r.filer_a, a, 7).await,
        Outcome::Conflict,
        "stale",
    );
    app.delete_draft(&r.filer_a, a, 1).await.expect("delete");
    expect_outcome(app.form(&r.filer_a, a).await, Outcome::NotFound, "deleted");
    let log = logged(db, a).await;
    let (action, detail) = log.last().expect("logged");
    assert_eq!(action, "delete");
    assert_eq!(detail["name"], "日常运转经费");
    assert_eq!(
        detail["data"]["name"], "日常运转经费",
        "the content is kept in the log"
    );
    // A form handed over is not the unit's to delete.
    hand_over(app, &r, b).await;
    let v = version(db, b).await;
    expect_outcome(
        app.delete_draft(&r.filer_a, b, v).await,
        Outcome::Workflow,
        "submitted",
    );
    // The bureau voids it, with a reason; it leaves lists, figures and exports.
    expect_outcome(
        app.act(&r.finance, b, v, Action::Void, None).await,
        Outcome::Invalid,
        "void without a reason",
    );
    expect_outcome(
        app.act(&r.supervisor, b, v, Action::Void, Some("重复"))
            .await,
        Outcome::Forbidden,
        "the 主管部门 does not void",
    );
    let voided = app
        .act(&r.finance, b, v, Action::Void, Some("与另一张表重复申报"))
        .await
        .expect("void");
    assert_eq!(voided, Stage::Voided);
    assert!(
        app.list_forms(&r.finance, &FormFilter::default())
            .await
            .expect("list")
            .is_empty()
    );
    let d = app.dashboard(&r.finance, 2022).await.expect("dashboard");
    assert_eq!(d.self_evaluations, 0);
    assert!(d.stages.iter().all(|(_, n)| *n == 0), "{:?}", d.stages);
    expect_outcome(
        app.export(&r.finance, b, Format::Docx).await,
        Outcome::Workflow,
        "export",
    );
    // Still there for its history, listed when asked for by stage.
    let asked = FormFilter {
        stages: Some(vec![Stage::Voided.code().to_string()]),
        ..FormFilter::default()
    };
    assert_eq!(
        app.list_forms(&r.finance, &asked)
            .await
            .expect("voided")
            .len(),
        1
    );
    let (action, detail) = logged(db, b).await.pop().expect("logged");
    assert_eq!(
        (action.as_str(), detail["reason"].as_str()),
        ("void", Some("与另一张表重复申报"))
    );
    log_holds(app).await;
}

async fn figures_count_what_was_submitted(db: &Db) {
    let app = &db.app;
    let r = Region::build(db).await;
    let (a, _) = import_seed001(app, &r.filer_a).await;
    // Two drafts: nothing to rank, grade or chart; no rectification, no consequence.
    let d = app.dashboard(&r.finance, 2022).await.expect("dashboard");
    assert_eq!(
        (d.self_evaluations, d.ranking.len(), d.points.len()),
        (0, 0, 0)
    );
    assert!(d.grades.iter().all(|(_, n)| *n == 0));
    let unit_a = |d: &jixiao_app::dashboard::Dashboard| {
        d.units
            .iter()
            .find(|u| u.name == Unit::A.name())
            .expect("unit A")
            .clone()
    };
    assert_eq!(
        (unit_a(&d).forms, unit_a(&d).total),
        (2, None),
        "progress counts the drafts"
    );
    assert!(d.counted.contains("已提交"));
    expect_outcome(
        app.require_fix(&r.finance, a, "说明偏差原因", "2030-01-01", None)
            .await,
        Outcome::Workflow,
        "a draft gets no rectification",
    );
    assert!(
        app.results(&r.finance, 2022)
            .await
            .expect("results")
            .is_empty()
    );
    // Handed over: counted, with its one total (the stated 85.00).
    hand_over(app, &r, a).await;
    let d = app.dashboard(&r.finance, 2022).await.expect("dashboard");
    same_as_from_the_list(app, &r.finance, &d).await;
    assert_eq!(d.self_evaluations, 1);
    assert_eq!(d.ranking, vec![(Unit::A.name().to_string(), dec("85.00"))]);
    assert_eq!(unit_a(&d).total, Some(dec("85.00")));
    assert_eq!(d.points.len(), 1);
    app.require_fix(&r.finance, a, "说明偏差原因", "2030-01-01", None)
        .await
        .expect("a submitted form may be rectified");
    // 结果应用 waits for the bureau's approval.
    assert!(
        app.results(&r.finance, 2022)
            .await
            .expect("results")
            .is_empty()
    );
    step(app, &r.supervisor, a, Action::SupervisorApprove, None).await;
    step(app, &r.finance, a, Action::FinanceApprove, None).await;
    let results = app.results(&r.finance, 2022).await.expect("results");
    assert_eq!(results.len(), 1);
    assert_eq!(results[0].form.total, Some(dec("85.00")));
    assert!(results[0].consequence.is_some());
    let d = app.dashboard(&r.finance, 2022).await.expect("dashboard");
    same_as_from_the_list(app, &r.finance, &d).await;
}

/// The dashboard read through the store's figure queries is the one built from every list row
/// of the region.
async fn same_as_from_the_list(app: &App, actor: &Actor, d: &jixiao_app::dashboard::Dashboard) {
    let rows = app
        .list_forms(actor, &FormFilter::default())
        .await
        .expect("list");
    let orgs = app.visible_orgs(actor).await.expect("orgs");
    let years = app.years().await.expect("years");
    let from_list = jixiao_app::dashboard::build(d.year, &rows, &orgs, &years, &app.today());
    assert_eq!(*d, from_list);
}

async fn one_total_from_the_form_page_to_the_public_page(db: &Db) {
    let app = &db.app;
    let r = Region::build(db).await;
    let (a, _) = import_seed001(app, &r.filer_a).await;
    let view = app.form(&r.filer_a, a).await.expect("form");
    assert_eq!(view.head.total, Some(dec("85.00")));
    assert_eq!(
        view.total_basis,
        Some(jixiao_app::total::TotalBasis::Stated)
    );
    let explained = view.total_explained.join("");
    assert!(
        explained.contains("89.48") && explained.contains("110"),
        "{explained}"
    );
    hand_over(app, &r, a).await;
    step(app, &r.supervisor, a, Action::SupervisorApprove, None).await;
    let v = version(db, a).await;
    let adopt = |reason: Option<&str>| jixiao_app::service::StepInput {
        reason: reason.map(str::to_string),
        adopt_computed: true,
        ..Default::default()
    };
    expect_outcome(
        app.act_with(&r.finance, a, v, Action::FinanceApprove, &adopt(None))
            .await,
        Outcome::Invalid,
        "adopting without a reason",
    );
    expect_outcome(
        app.act_with(&r.filer_a, a, v, Action::FinanceApprove, &adopt(Some("x")))
            .await,
        Outcome::Forbidden,
        "adopting is the bureau's",
    );
    app.act_with(
        &r.finance,
        a,
        v,
        Action::FinanceApprove,
        &adopt(Some("表中分值合计110分，按系统折算得分审定")),
    )
    .await
    .expect("approve adopting the computed score");
    step(app, &r.finance, a, Action::Publish, None).await;
    // The same 89.48 on the form page, the list, the dashboard, the public page and the exports.
    let view = app.form(&r.finance, a).await.expect("form");
    assert_eq!(view.head.total, Some(dec("89.48")));
    assert_eq!(
        view.total_basis,
        Some(jixiao_app::total::TotalBasis::Adopted)
    );
    let d = app.dashboard(&r.finance, 2022).await.expect("dashboard");
    assert_eq!(d.ranking, vec![(Unit::A.name().to_string(), dec("89.48"))]);
    app.publish_results(&r.finance, 2022, true)
        .await
        .expect("publish");
    let published = app
        .public_results(2022)
        .await
        .expect("public")
        .expect("published");
    let public = &published.rows;
    assert_eq!(public.len(), 1);
    assert_eq!(public[0].total.as_deref(), Some("89.48"));
    assert_eq!(
        public[0].basis.as_deref(),
        Some("财政审定采用的系统计算得分")
    );
    assert_eq!(published.authority, [FINANCE_1]);
    assert_eq!(published.published_on, Some(app.today()));
    // The document anyone may download shows the same total; a form not published is not there.
    let doc = app.public_form(2022, a).await.expect("public document");
    assert!(String::from_utf8_lossy(&doc.bytes).contains("89.48"));
    let again = ImportChoice {
        on_duplicate: OnDuplicate::Separate,
        confirmed: true,
    };
    let (draft, _) = import_seed001_as(app, &r.filer_a, again).await;
    expect_outcome(
        app.public_form(2022, draft).await,
        Outcome::NotFound,
        "a draft",
    );
    expect_outcome(
        app.public_form(2021, a).await,
        Outcome::NotFound,
        "another year",
    );
    let json = app.export(&r.finance, a, Format::Json).await.expect("json");
    let exported = Form::from_json(std::str::from_utf8(&json.bytes).expect("UTF-8")).expect("form");
    assert_eq!(
        exported.self_evaluation().and_then(|s| s.stated_total),
        Some(dec("89.48"))
    );
    let html = app.export(&r.finance, a, Format::Html).await.expect("html");
    assert!(String::from_utf8_lossy(&html.bytes).contains("89.48"));
    let (action, detail) = logged(db, a)
        .await
        .into_iter()
        .find(|(act, _)| act == "finance_approve")
        .expect("approval logged");
    assert_eq!(
        (action.as_str(), detail["total"].as_str()),
        ("finance_approve", Some("89.48"))
    );
    assert_eq!(detail["total_basis"], "adopted");
}

/// A change made to a self-evaluation before it is saved (the decimal is a huge value).
type Change = fn(&mut jixiao_core::form::SelfEvaluation, Decimal);

async fn impossible_input_is_refused_by_field(db: &Db) {
    let app = &db.app;
    let r = Region::build(db).await;
    let (a, _) = import_seed001(app, &r.filer_a).await;
    let huge = Decimal::from_str("99999999999999999999999").expect("decimal");
    let cases: [(&str, Change, &str); 3] = [
        (
            "funds.rows[0].executed",
            |s, _| {
                s.funds.rows[0].executed = Some(jixiao_core::money::Amount::new(
                    Decimal::from(-171),
                    jixiao_core::money::MoneyUnit::Wan,
                ));
            },
            "全年执行数不能为负数",
        ),
        (
            "funds.rows[0].full_year_budget",
            |s, huge| {
                s.funds.rows[0].full_year_budget = Some(jixiao_core::money::Amount::new(
                    huge,
                    jixiao_core::money::MoneyUnit::Wan,
                ));
            },
            "全年预算数",
        ),
        ("name", |s, _| s.name = " ".into(), "项目名称不能为空"),
    ];
    for (path, change, words) in cases {
        let mut form = seed_form("seed001-daily-operations.json");
        change(self_evaluation(&mut form), huge);
        let refused = app.save(&r.filer_a, a, 1, form).await;
        match &refused {
            Err(AppError::Refused(problems)) => {
                assert!(
                    problems
                        .iter()
                        .any(|p| p.path == path && p.message.contains(words)),
                    "{path}: {problems:?}"
                );
            }
            other => panic!("{path} saved: {other:?}"),
        }
    }
    assert_eq!(version(db, a).await, 1, "nothing was saved");
}

async fn sending_on_needs_content_and_explanations(db: &Db) {
    let app = &db.app;
    let r = Region::build(db).await;
    let blank = app
        .create_form(&r.filer_a, FormKind::ProjectSelfEvaluation, 2026, "新项目")
        .await
        .expect("create");
    let empty = app
        .act(&r.filer_a, blank, 1, Action::RequestConfirmation, None)
        .await;
    assert!(
        matches!(&empty, Err(AppError::Invalid(m)) if m.contains("空的")),
        "{empty:?}"
    );
    let (a, _) = import_seed001(app, &r.filer_a).await;
    let view = app.form(&r.filer_a, a).await.expect("form");
    let errors: Vec<String> = view
        .assessment
        .findings
        .iter()
        .filter(|f| f.severity == jixiao_core::audit::Severity::Error)
        .map(jixiao_app::service::finding_key)
        .collect();
    assert!(errors.len() >= 2, "seed 001 has errors: {errors:?}");
    let unexplained = app
        .act(&r.filer_a, a, 1, Action::RequestConfirmation, None)
        .await;
    assert!(
        matches!(&unexplained, Err(AppError::Invalid(m)) if m.contains("未作说明") && m.contains("A04")),
        "{unexplained:?}"
    );
    // One explanation short: still refused.
    let mut notes: Vec<(String, String)> = errors
        .iter()
        .map(|k| (k.clone(), format!("{k}：原表如此，已核对")))
        .collect();
    let last = notes.pop().expect("one");
    let input = |notes: Vec<(String, String)>| jixiao_app::service::StepInput {
        notes,
        ..Default::default()
    };
    expect_outcome(
        app.act_with(
            &r.filer_a,
            a,
            1,
            Action::RequestConfirmation,
            &input(notes.clone()),
        )
        .await,
        Outcome::Invalid,
        "one error unexplained",
    );
    notes.push(last);
    app.act_with(
        &r.filer_a,
        a,
        1,
        Action::RequestConfirmation,
        &input(notes.clone()),
    )
    .await
    .expect("every error explained");
    // The reviewers see each explanation with its finding.
    let view = app.form(&r.head_a, a).await.expect("form");
    let kept: Vec<(String, String)> = view
        .notes
        .iter()
        .map(|n| (n.finding.clone(), n.note.clone()))
        .collect();
    let mut want = notes;
    want.sort();
    assert_eq!(kept, want);
}

/// `id`'s form with `change` applied to its JSON, saved at `version`.
async fn change_json(app: &App, actor: &Actor, id: i64, change: impl Fn(&mut serde_json::Value)) {
    let view = app.form(actor, id).await.expect("form");
    let mut json: serde_json::Value =
        serde_json::from_str(&jixiao_app::files::form_json(&view.form).expect("json"))
            .expect("json");
    change(&mut json);
    let form = jixiao_core::form::Form::from_json(&json.to_string()).expect("a form");
    app.save(actor, id, view.head.version, form)
        .await
        .expect("saved");
}

async fn target_review_findings_are_answered_before_sending_on(db: &Db) {
    let app = &db.app;
    let r = Region::build(db).await;
    let project = "学生资助";
    // Last year: 资助学生人数 declared ≥800人 and 1000人 achieved.
    let declared = app
        .create_form(&r.filer_a, FormKind::ProjectTarget, 2025, project)
        .await
        .expect("create");
    change_json(app, &r.filer_a, declared, |j| {
        j["annual_target"] = "资助家庭经济困难学生".into();
        j["indicators"] = serde_json::json!([
            {"level1": "产出指标", "level2": "数量指标", "name": "资助学生人数", "target": "≥800人"}
        ]);
    })
    .await;
    let evaluated = app
        .create_form(&r.filer_a, FormKind::ProjectSelfEvaluation, 2025, project)
        .await
        .expect("create");
    change_json(app, &r.filer_a, evaluated, |j| {
        j["indicators"][0]["actual"] = "1000人".into();
    })
    .await;
    // This year starts from last year's declaration, with last year's values beside its rows.
    let id = app
        .create_form(&r.filer_a, FormKind::ProjectTarget, 2026, project)
        .await
        .expect("create");
    let view = app.form(&r.filer_a, id).await.expect("form");
    let last = view.last_year[0].as_ref().expect("last year's values");
    assert_eq!(
        (last.year, last.target.as_str(), last.actual.as_deref()),
        (2025, "≥800人", Some("1000人"))
    );
    let review = |view: &jixiao_app::service::FormView| -> Vec<String> {
        view.assessment
            .findings
            .iter()
            .filter(|f| jixiao_core::audit::targets::is_review(f.code))
            .map(jixiao_app::service::finding_key)
            .collect()
    };
    // ≥800人 is below last year's 1000: T01, beside the target.
    assert_eq!(review(&view), ["T01@indicators[0].target"]);
    let version = view.head.version;
    let refused = app
        .act(&r.filer_a, id, version, Action::RequestConfirmation, None)
        .await;
    assert!(
        matches!(&refused, Err(AppError::Invalid(m)) if m.contains("目标审核意见有1条未答复") && m.contains("T01")),
        "{refused:?}"
    );
    // One reason for everything does not answer it.
    let refused = app
        .act(
            &r.filer_a,
            id,
            version,
            Action::RequestConfirmation,
            Some("已核对"),
        )
        .await;
    assert!(
        matches!(&refused, Err(AppError::Invalid(m)) if m.contains("未答复")),
        "{refused:?}"
    );
    let answer = "上年为一次性扩招，本年按在校困难学生数设定".to_string();
    let input = jixiao_app::service::StepInput {
        notes: vec![("T01@indicators[0].target".into(), answer.clone())],
        ..Default::default()
    };
    app.act_with(&r.filer_a, id, version, Action::RequestConfirmation, &input)
        .await
        .expect("answered");
    // The unit's head (and later the reviewers) see the finding with its answer.
    let seen = app.form(&r.head_a, id).await.expect("form");
    assert_eq!(review(&seen), ["T01@indicators[0].target"]);
    assert!(
        seen.notes
            .iter()
            .any(|n| n.finding == "T01@indicators[0].target" && n.note == answer),
        "{:?}",
        seen.notes
    );
    // Its pair: a target at last year's actual is not reviewed, and goes on unanswered.
    let pair = app
        .create_form(
            &r.filer_a,
            FormKind::ProjectTarget,
            2026,
            "学生资助（二期）",
        )
        .await
        .expect("create");
    change_json(app, &r.filer_a, pair, |j| {
        j["project_name"] = "学生资助（二期）".into();
        j["annual_target"] = "资助家庭经济困难学生".into();
        j["indicators"] = serde_json::json!([
            {"level1": "产出指标", "level2": "数量指标", "name": "资助学生人数", "target": "≥1000人"}
        ]);
    })
    .await;
    let view = app.form(&r.filer_a, pair).await.expect("form");
    assert!(review(&view).is_empty(), "{:?}", view.assessment.findings);
    app.act(
        &r.filer_a,
        pair,
        view.head.version,
        Action::RequestConfirmation,
        None,
    )
    .await
    .expect("nothing to answer");
}

/// The names of the indicators suggested to `actor` for `words`.
async fn suggested(app: &App, actor: &Actor, words: &str) -> Vec<String> {
    let request = jixiao_core::library::Request {
        text: words.to_string(),
        limit: 50,
        ..Default::default()
    };
    app.suggest_indicators(actor, &request)
        .await
        .expect("suggestions")
        .into_iter()
        .map(|s| s.name)
        .collect()
}

async fn the_bureau_curates_the_library(db: &Db) {
    use jixiao_app::curation::{Browse, NewProposal};
    use jixiao_core::library::{Decision, Field};
    let app = &db.app;
    let r = Region::build(db).await;
    let proposal = |name: &str| NewProposal {
        level2: "数量指标".into(),
        name: name.into(),
        typical: "≥500人次".into(),
        field: "教育".into(),
        reason: "本单位每年组织教师培训，库中没有对应指标".into(),
    };
    let key = app
        .propose_indicator(&r.filer_a, &proposal("教师培训人次"))
        .await
        .expect("proposed");
    // The same proposal twice is refused with what stands in the way.
    let again = app
        .propose_indicator(&r.filer_a, &proposal("教师培训人次"))
        .await;
    assert!(
        matches!(&again, Err(AppError::Invalid(m)) if m.contains("等待财政部门审核")),
        "{again:?}"
    );
    // Waiting: not suggested to anyone, listed for the bureau with who asked and why.
    assert!(
        !suggested(app, &r.filer_b, "教师培训人次")
            .await
            .contains(&"教师培训人次".to_string())
    );
    let waiting = app.proposals(&r.finance).await.expect("proposals");
    let p = waiting
        .iter()
        .find(|e| e.key == key)
        .expect("the proposal is listed");
    assert_eq!(p.status, "待审核");
    assert_eq!(
        p.reason.as_deref(),
        Some("本单位每年组织教师培训，库中没有对应指标")
    );
    assert!(p.proposed_by.is_some(), "{p:?}");
    // Approved: suggested, as a 行业指标 of its field.
    app.curate(&r.finance, &key, &Decision::Approve, Some("同意入库"))
        .await
        .expect("approved");
    assert!(
        suggested(app, &r.filer_b, "教师培训人次")
            .await
            .contains(&"教师培训人次".to_string())
    );
    let listed = app
        .library_entries(
            &r.filer_b,
            &Browse {
                text: "教师培训人次".into(),
                limit: 10,
                ..Browse::default()
            },
        )
        .await
        .expect("entries");
    let e = listed.iter().find(|e| e.key == key).expect("listed");
    assert_eq!((e.origin, e.status), ("行业指标", "在用"));
    assert_eq!(e.decision.as_deref(), Some("同意入库"));
    // 固化 for education: a student-grant declaration without it is reviewed (T03).
    app.curate(
        &r.finance,
        &key,
        &Decision::Fix(vec![Field::Education]),
        None,
    )
    .await
    .expect("fixed");
    let id = app
        .create_form(&r.filer_a, FormKind::ProjectTarget, 2026, "学生资助")
        .await
        .expect("create");
    change_json(app, &r.filer_a, id, |j| {
        j["annual_target"] = "资助家庭经济困难学生，保障学校教育教学".into();
        j["indicators"] = serde_json::json!([
            {"level1": "产出指标", "level2": "数量指标", "name": "资助学生人数", "target": "≥800人"}
        ]);
    })
    .await;
    let view = app.form(&r.filer_a, id).await.expect("form");
    let t03: Vec<&str> = view
        .assessment
        .findings
        .iter()
        .filter(|f| f.code == "T03")
        .map(|f| f.message.as_str())
        .collect();
    assert!(t03.len() == 1 && t03[0].contains("教师培训人次"), "{t03:?}");
    // A duplicate merged into it is no longer listed; its uses count there.
    let dup = app
        .propose_indicator(&r.filer_b, &proposal("教师培训 人次数"))
        .await
        .expect("proposed");
    app.curate(&r.finance, &dup, &Decision::Approve, None)
        .await
        .expect("approved");
    let other_group = app
        .propose_indicator(
            &r.filer_b,
            &NewProposal {
                level2: "质量指标".into(),
                ..proposal("教师培训合格率")
            },
        )
        .await
        .expect("proposed");
    app.curate(&r.finance, &other_group, &Decision::Approve, None)
        .await
        .expect("approved");
    let refused = app
        .curate(
            &r.finance,
            &other_group,
            &Decision::Merge(key.clone()),
            None,
        )
        .await;
    assert!(
        matches!(&refused, Err(AppError::Invalid(m)) if m.contains("二级指标不同")),
        "{refused:?}"
    );
    app.curate(&r.finance, &dup, &Decision::Merge(key.clone()), None)
        .await
        .expect("merged");
    let all = app
        .library_entries(
            &r.finance,
            &Browse {
                text: "教师培训".into(),
                limit: 50,
                ..Browse::default()
            },
        )
        .await
        .expect("entries");
    assert!(all.iter().all(|e| e.key != dup), "{all:?}");
    // Retired: no longer suggested, still listed for the bureau.
    app.curate(
        &r.finance,
        &key,
        &Decision::Retire,
        Some("已由共性指标替代"),
    )
    .await
    .expect("retired");
    assert!(
        !suggested(app, &r.filer_b, "教师培训人次")
            .await
            .contains(&"教师培训人次".to_string())
    );
    let all = app
        .library_entries(
            &r.finance,
            &Browse {
                text: "教师培训人次".into(),
                limit: 50,
                ..Browse::default()
            },
        )
        .await
        .expect("entries");
    assert!(all.iter().any(|e| e.key == key && e.retired), "{all:?}");
    // Units cannot curate; every decision is in the change log.
    let forbidden = app.curate(&r.filer_a, &key, &Decision::Approve, None).await;
    assert!(
        matches!(forbidden, Err(AppError::Forbidden(_))),
        "{forbidden:?}"
    );
    assert!(matches!(
        db.store.verify_log().await.expect("verify"),
        jixiao_store::log::Verification::Intact { .. }
    ));
}

/// An ex-ante assessment of `project` in 2026 scored `scores` out of 20 each, explained.
async fn assessed(app: &App, r: &Region, project: &str, scores: [i64; 5]) -> i64 {
    let id = app
        .create_form(&r.filer_a, FormKind::ExAnteAssessment, 2026, project)
        .await
        .expect("create");
    change_json(app, &r.filer_a, id, |j| {
        for (k, s) in scores.iter().enumerate() {
            j["aspects"][k]["score"] = s.to_string().into();
            j["aspects"][k]["reasoning"] = "依据评估资料".into();
        }
    })
    .await;
    id
}

/// A filled project declaration of 2026.
async fn declared(app: &App, r: &Region, project: &str) -> i64 {
    let id = app
        .create_form(&r.filer_a, FormKind::ProjectTarget, 2026, project)
        .await
        .expect("create");
    change_json(app, &r.filer_a, id, |j| {
        j["annual_target"] = "完成年度任务".into();
        j["indicators"] = serde_json::json!([
            {"level1": "产出指标", "level2": "数量指标", "name": "服务人次", "target": "≥100人次"}
        ]);
    })
    .await;
    id
}

async fn a_declaration_goes_on_with_a_supporting_ex_ante_assessment(db: &Db) {
    let app = &db.app;
    let r = Region::build(db).await;
    let year = YearRow {
        year: 2026,
        is_open: 1,
        declaration_deadline: None,
        monitoring_deadline: None,
        self_evaluation_deadline: None,
    };
    app.put_year(&r.admin, &year).await.expect("year");
    // Not required: a declaration goes on without an assessment.
    let free = declared(app, &r, "不需评估的项目").await;
    let v = version(db, free).await;
    app.act(&r.filer_a, free, v, Action::RequestConfirmation, None)
        .await
        .expect("no assessment needed");
    let mut settings = app.year_settings(2026).await.expect("settings");
    settings.require_ex_ante = true;
    app.set_year_settings(&r.admin, 2026, &settings)
        .await
        .expect("set");
    let filer = &r.filer_a;
    let send = |id: i64| async move {
        let v = version(db, id).await;
        app.act(filer, id, v, Action::RequestConfirmation, None)
            .await
    };
    let refused = |result: Result<Stage, AppError>, words: &str| match result {
        Err(AppError::Invalid(m)) => assert!(m.contains(words), "{m}"),
        other => panic!("expected a refusal naming {words}: {other:?}"),
    };
    // No assessment: refused, naming what is missing.
    let id = declared(app, &r, "老工伤人员健康体检项目").await;
    refused(
        send(id).await,
        "未找到“老工伤人员健康体检项目”的事前绩效评估表",
    );
    // A supporting assessment still in its drafts: refused.
    let assessment = assessed(app, &r, "老工伤人员健康体检项目", [18, 15, 17, 16, 20]).await;
    refused(send(id).await, "尚未提交");
    let view = app.form(&r.filer_a, id).await.expect("form");
    let link = view
        .ex_ante
        .as_ref()
        .expect("the declaration finds its assessment");
    assert_eq!(
        (link.id, link.total, link.conclusion),
        (
            assessment,
            rust_decimal::Decimal::from(86),
            Some(jixiao_core::form::ex_ante::Conclusion::Support)
        )
    );
    assert!(view.ex_ante_required && !link.admits());
    // Handed over: the declaration goes on.
    hand_over(app, &r, assessment).await;
    send(id).await.expect("a supporting assessment admits it");
    // 50 of 100 is 不予支持: refused even when handed over.
    let weak = declared(app, &r, "宣传品印制项目").await;
    let assessment = assessed(app, &r, "宣传品印制项目", [10, 10, 10, 10, 10]).await;
    hand_over(app, &r, assessment).await;
    refused(send(weak).await, "不予支持");
}

async fn spot_checks_are_drawn_from_a_seed_and_reviewed(db: &Db) {
    use jixiao_app::spot_check::DrawRequest;
    use jixiao_core::spot_check::{Rescore, Review};
    use rust_decimal::Decimal;
    let app = &db.app;
    let r = Region::build(db).await;
    // Four handed-over self-evaluations of 2022 (seed 001 twice) and a draft that is no candidate.
    let (a, b) = import_seed001(app, &r.filer_a).await;
    let choice = ImportChoice {
        on_duplicate: OnDuplicate::Separate,
        confirmed: true,
    };
    let (c, d) = import_seed001_as(app, &r.filer_a, choice).await;
    for id in [a, b, c, d] {
        hand_over(app, &r, id).await;
    }
    let draft = app
        .create_form(
            &r.filer_a,
            FormKind::ProjectSelfEvaluation,
            2022,
            "草稿项目",
        )
        .await
        .expect("create");
    let request = |seed: i64, percent: i64| DrawRequest {
        year: 2022,
        percent: Decimal::from(percent),
        seed: Some(seed),
        ..DrawRequest::default()
    };
    let (first, drawn) = app
        .draw_spot_check(&r.finance, &request(2026, 50))
        .await
        .expect("drawn");
    assert_eq!(drawn.len(), 2, "half of four");
    // The same seed draws the same forms; the record keeps the seed.
    let (_, again) = app
        .draw_spot_check(&r.finance, &request(2026, 50))
        .await
        .expect("drawn");
    assert_eq!(again, drawn);
    let kept = app.spot_check(&r.finance, first).await.expect("kept");
    assert_eq!((kept.check.seed, kept.check.percent.as_str()), (2026, "50"));
    let mut seeds_differ = false;
    for seed in 1..20 {
        let (_, other) = app
            .draw_spot_check(&r.finance, &request(seed, 50))
            .await
            .expect("drawn");
        if other != drawn {
            seeds_differ = true;
            break;
        }
    }
    assert!(seeds_differ, "other seeds draw other samples");
    // All of them: never the draft.
    let (_, all) = app
        .draw_spot_check(&r.finance, &request(1, 100))
        .await
        .expect("drawn");
    let mut want = vec![a, b, c, d];
    want.sort_unstable();
    assert_eq!(all, want);
    assert!(!all.contains(&draft));
    // By hand, and what cannot be drawn.
    let (by_hand, forms) = app
        .draw_spot_check(
            &r.finance,
            &DrawRequest {
                year: 2022,
                forms: Some(vec![a]),
                ..DrawRequest::default()
            },
        )
        .await
        .expect("chosen");
    assert_eq!(forms, [a]);
    for (bad, words) in [
        (request(1, 0), "抽取比例"),
        (
            DrawRequest {
                year: 2022,
                forms: Some(vec![draft]),
                ..DrawRequest::default()
            },
            "不是2022年度可抽评",
        ),
        (
            DrawRequest {
                year: 2030,
                ..request(1, 50)
            },
            "没有已提交的自评表",
        ),
    ] {
        let refused = app.draw_spot_check(&r.finance, &bad).await;
        assert!(
            matches!(&refused, Err(AppError::Invalid(m)) if m.contains(words)),
            "{refused:?}"
        );
    }
    // The bureau's own score: two points off one indicator, with the reason.
    let item = app
        .spot_check(&r.finance, by_hand)
        .await
        .expect("kept")
        .items[0]
        .clone();
    let (_, _, scored, _) = app.spot_item(&r.finance, item.id).await.expect("item");
    let row = scored
        .indicators
        .iter()
        .find(|i| i.score.is_some_and(|s| s >= Decimal::from(2)))
        .expect("a scored indicator");
    let mut review = Review::default();
    review.indicators.insert(
        row.row,
        Rescore {
            score: row.score.unwrap_or_default() - Decimal::from(2),
            reason: "佐证材料不足".into(),
        },
    );
    let no_reason = Review {
        indicators: review
            .indicators
            .iter()
            .map(|(k, v)| {
                (
                    *k,
                    Rescore {
                        reason: String::new(),
                        ..v.clone()
                    },
                )
            })
            .collect(),
        ..Review::default()
    };
    let refused = app.review_spot_item(&r.finance, item.id, &no_reason).await;
    assert!(
        matches!(&refused, Err(AppError::Invalid(m)) if m.contains("理由")),
        "{refused:?}"
    );
    let result = app
        .review_spot_item(&r.finance, item.id, &review)
        .await
        .expect("reviewed");
    let unit_total = item.unit_total.expect("the unit's total");
    assert_eq!(result.gap, Some(unit_total - result.total));
    let item = app
        .spot_check(&r.finance, by_hand)
        .await
        .expect("kept")
        .items[0]
        .clone();
    assert_eq!(item.reviewed_total, Some(result.total));
    // The unit is listed with its gap.
    let gaps = app.unit_gaps(&r.finance, 2022).await.expect("gaps");
    assert_eq!(gaps.len(), 1);
    assert_eq!(gaps[0].mean_gap, result.gap.expect("gap"));
    // Units cannot draw, nor open an item, existing or not (ids cannot be probed).
    let forbidden = app.draw_spot_check(&r.filer_a, &request(1, 50)).await;
    assert!(
        matches!(forbidden, Err(AppError::Forbidden(_))),
        "{forbidden:?}"
    );
    for id in [item.id, 987_654_321] {
        let refused = app.spot_item(&r.filer_a, id).await;
        assert!(matches!(refused, Err(AppError::Forbidden(_))), "{id}");
        let refused = app.spot_check(&r.filer_a, id).await;
        assert!(matches!(refused, Err(AppError::Forbidden(_))), "{id}");
    }
}

async fn targets_are_adjusted_on_request_and_the_self_evaluation_follows(db: &Db) {
    let app = &db.app;
    let r = Region::build(db).await;
    let id = declared(app, &r, "老工伤人员健康体检项目").await;
    let with_target = |form: &jixiao_core::form::Form, target: &str| {
        let mut f = form.clone();
        if let jixiao_core::form::Form::ProjectTarget(d) = &mut f {
            d.indicators[0].target = target.into();
        }
        f
    };
    // A draft is changed directly, not adjusted.
    let view = app.form(&r.filer_a, id).await.expect("form");
    let refused = app
        .request_adjustment(
            &r.filer_a,
            id,
            view.head.version,
            with_target(&view.form, "≥80人次"),
            "试点范围缩小",
        )
        .await;
    assert!(
        matches!(&refused, Err(AppError::Workflow(m)) if m.contains("直接修改")),
        "{refused:?}"
    );
    hand_over(app, &r, id).await;
    // The self-evaluation the unit is filling, from the declaration.
    let evaluation = app
        .create_form(
            &r.filer_a,
            FormKind::ProjectSelfEvaluation,
            2026,
            "老工伤人员健康体检项目",
        )
        .await
        .expect("create");
    let view = app.form(&r.filer_a, id).await.expect("form");
    let version = view.head.version;
    // No reason, no change, another unit: refused.
    for (actor, target, reason, words) in [
        (&r.filer_a, "≥80人次", " ", "理由"),
        (&r.filer_a, "≥100人次", "同上", "相同"),
    ] {
        let refused = app
            .request_adjustment(actor, id, version, with_target(&view.form, target), reason)
            .await;
        assert!(
            matches!(&refused, Err(AppError::Invalid(m)) if m.contains(words)),
            "{refused:?}"
        );
    }
    let refused = app
        .request_adjustment(
            &r.filer_b,
            id,
            version,
            with_target(&view.form, "≥80人次"),
            "x",
        )
        .await;
    assert!(matches!(refused, Err(AppError::NotFound(_))), "{refused:?}");
    // Asked, refused with a reason (a reason is required), asked again, approved.
    let first = app
        .request_adjustment(
            &r.filer_a,
            id,
            version,
            with_target(&view.form, "≥60人次"),
            "经费压减",
        )
        .await
        .expect("requested");
    let twice = app
        .request_adjustment(
            &r.filer_a,
            id,
            version,
            with_target(&view.form, "≥70人次"),
            "再议",
        )
        .await;
    assert!(
        matches!(&twice, Err(AppError::Invalid(m)) if m.contains("待财政部门审核")),
        "{twice:?}"
    );
    let bare = app.decide_adjustment(&r.finance, first, false, "").await;
    assert!(
        matches!(&bare, Err(AppError::Invalid(m)) if m.contains("理由")),
        "{bare:?}"
    );
    let forbidden = app.decide_adjustment(&r.filer_a, first, true, "").await;
    assert!(
        matches!(forbidden, Err(AppError::Forbidden(_))),
        "{forbidden:?}"
    );
    app.decide_adjustment(&r.finance, first, false, "压减幅度过大")
        .await
        .expect("refused");
    let second = app
        .request_adjustment(
            &r.filer_a,
            id,
            version,
            with_target(&view.form, "≥80人次"),
            "试点范围缩小为两个区",
        )
        .await
        .expect("requested");
    app.decide_adjustment(&r.finance, second, true, "同意")
        .await
        .expect("approved");
    // The declaration's next version carries the adjusted target, the log names the request.
    let after = app.form(&r.filer_a, id).await.expect("form");
    assert_eq!(after.head.version, version + 1);
    let jixiao_core::form::Form::ProjectTarget(d) = &after.form else {
        panic!("a declaration")
    };
    assert_eq!(d.indicators[0].target, "≥80人次");
    assert!(
        logged(db, id)
            .await
            .iter()
            .any(|(_, detail)| detail["changes"]["adjustment"] == second),
        "{:?}",
        logged(db, id).await
    );
    // The self-evaluation being filled is judged against the adjusted target.
    let evaluated = app.form(&r.filer_a, evaluation).await.expect("form");
    let s = evaluated.form.self_evaluation().expect("a self-evaluation");
    assert_eq!(s.indicators[0].target, "≥80人次");
    let list = app.adjustments(&r.filer_a, id).await.expect("list");
    assert_eq!(
        list.iter().map(|a| a.status).collect::<Vec<_>>(),
        ["未批准", "已批准"]
    );
    assert!(
        list[1]
            .changes
            .iter()
            .any(|c| c.path == "indicators[0].target")
    );
    let again = app.decide_adjustment(&r.finance, second, true, "").await;
    assert!(matches!(again, Err(AppError::Workflow(_))), "{again:?}");
}

async fn the_demo_never_touches_a_real_database(db: &Db) {
    let app = &db.app;
    let accounts = demo::load(app).await.expect("demo loads");
    // Every stage holds a form, approved and published ones among them.
    let admin = accounts
        .iter()
        .find(|a| a.username == "caizheng")
        .expect("finance");
    let finance = app
        .login(&admin.username, &admin.password)
        .await
        .expect("login")
        .actor;
    let all = app
        .list_forms(&finance, &FormFilter::default())
        .await
        .expect("list");
    for stage in Stage::LIVE {
        assert!(
            all.iter().any(|f| f.stage == stage.code()),
            "no demo form at {}",
            stage.name()
        );
    }
    // A colleague added to the demo keeps their password when the demo is loaded again.
    let org = all[0].org_id;
    let hash = jixiao_app::password::hash("同事的密码123").expect("hash");
    let colleague = db
        .store
        .create_user("tongshi", "同事", &hash, "filer", org, &Author::system())
        .await
        .expect("user");
    let again = demo::load(app).await.expect("again");
    assert_eq!(again.len(), accounts.len(), "only the demo's accounts");
    assert!(again.iter().all(|a| a.username != "tongshi"));
    assert_eq!(
        db.store.user(colleague).await.expect("user").password_hash,
        hash
    );
    app.login(&again[0].username, &again[0].password)
        .await
        .expect("new password");
    // A database with another organisation is refused, and nothing changes.
    db.store
        .create_org("永德县明朗中学", "unit", None, &Author::system())
        .await
        .expect("org");
    let before = db.store.change_count().await.expect("count");
    let refused = demo::load(app).await;
    assert!(
        matches!(&refused, Err(AppError::Invalid(m)) if m.contains("永德县明朗中学") && m.contains("--demo")),
        "{refused:?}"
    );
    assert_eq!(db.store.change_count().await.expect("count"), before);
    log_holds(app).await;
}

// ── 系统管理 ─────────────────────────────────────────────────────────────────────────────────

fn sheet(rows: &[&[&str]]) -> Vec<Vec<String>> {
    rows.iter()
        .map(|r| r.iter().map(|c| (*c).to_string()).collect())
        .collect()
}

/// The Excel import of units and users creates everything or nothing, and its errors name the
/// row and column; the tree stays sound (no cycles, no deactivation under active users); every
/// change is logged and the log verifies.
async fn administration_imports_all_or_nothing_and_keeps_the_tree_sound(db: &Db) {
    let app = &db.app;
    let accounts = demo::load(app).await.expect("demo loads");
    let admin_account = accounts
        .iter()
        .find(|a| a.role == Role::Admin)
        .expect("admin");
    let admin = app
        .login(&admin_account.username, &admin_account.password)
        .await
        .expect("login")
        .actor;
    let orgs_before = db.scalar("SELECT COUNT(*) FROM orgs").await;
    let users_before = db.scalar("SELECT COUNT(*) FROM users").await;
    let dept = app
        .admin_orgs(&admin)
        .await
        .expect("orgs")
        .into_iter()
        .find(|o| o.kind == jixiao_app::admin::OrgKind::Department)
        .expect("department");

    // One bad row among good ones: nothing is created, and the row and column are named.
    let bad = jixiao_app::directory::workbook(&[
        (
            "单位",
            sheet(&[
                &["单位名称", "类型", "上级单位"],
                &["教育局", "主管部门", ""],
                &["第一中学", "预算单位", "教育局"],
            ]),
        ),
        (
            "用户",
            sheet(&[
                &["用户名", "姓名", "角色", "所属单位"],
                &["yizhong", "王老师", "填报人", "第一中学"],
                &["jiaoyu", "李科长", "校长", "教育局"],
            ]),
        ),
    ])
    .expect("workbook");
    let err = app
        .import_directory(&admin, "目录.xlsx", &bad)
        .await
        .expect_err("a bad role is refused");
    assert!(
        err.to_string().contains("工作表“用户”第3行“角色”列"),
        "{err}"
    );
    assert_eq!(db.scalar("SELECT COUNT(*) FROM orgs").await, orgs_before);
    assert_eq!(db.scalar("SELECT COUNT(*) FROM users").await, users_before);

    // The same sheet corrected: two organisations, two users with one-time passwords.
    let good = jixiao_app::directory::workbook(&[
        (
            "单位",
            sheet(&[
                &["单位名称", "类型", "上级单位"],
                &["教育局", "主管部门", ""],
                &["第一中学", "预算单位", "教育局"],
            ]),
        ),
        (
            "用户",
            sheet(&[
                &["用户名", "姓名", "角色", "所属单位"],
                &["yizhong", "王老师", "填报人", "第一中学"],
                &["jiaoyu", "李科长", "主管部门审核", "教育局"],
            ]),
        ),
    ])
    .expect("workbook");
    let done = app
        .import_directory(&admin, "目录.xlsx", &good)
        .await
        .expect("imported");
    assert_eq!(done.orgs.len(), 2);
    assert_eq!(done.orgs[1].parent_name.as_deref(), Some("教育局"));
    assert_eq!(done.users.len(), 2);
    let teacher = &done.users[0];
    assert_eq!(
        (teacher.role_name, teacher.org_name.as_str()),
        ("填报人", "第一中学")
    );
    let session = app
        .login(&teacher.username, &teacher.password)
        .await
        .expect("the one-time password signs in");
    assert!(session.must_change_password);
    // Importing it again changes nothing: every name is taken.
    let again = app.import_directory(&admin, "目录.xlsx", &good).await;
    assert!(matches!(again, Err(AppError::Invalid(_))), "{again:?}");
    assert_eq!(
        db.scalar("SELECT COUNT(*) FROM orgs").await,
        orgs_before + 2
    );

    // The tree: no cycles, parents of the right kind, deactivation only when empty.
    let edu = done.orgs[0].id;
    let school = done.orgs[1].id;
    let cycle = app.move_org(&admin, edu, school).await;
    assert!(matches!(cycle, Err(AppError::Invalid(_))), "{cycle:?}");
    let under_dept = app.move_org(&admin, edu, dept.id).await;
    assert!(
        matches!(under_dept, Err(AppError::Invalid(_))),
        "{under_dept:?}"
    );
    app.move_org(&admin, school, dept.id).await.expect("moved");
    let busy = app.deactivate_org(&admin, school).await;
    assert!(
        matches!(&busy, Err(AppError::Invalid(m)) if m.contains("在用账号")),
        "{busy:?}"
    );
    app.set_disabled(&admin, teacher.id, true)
        .await
        .expect("disabled");
    assert!(matches!(
        app.session(&session.token).await,
        Err(AppError::Unauthenticated)
    ));
    assert!(matches!(
        app.login(&teacher.username, &teacher.password).await,
        Err(AppError::AccountDisabled)
    ));
    app.deactivate_org(&admin, school)
        .await
        .expect("deactivated");
    let revived = app.set_disabled(&admin, teacher.id, false).await;
    assert!(matches!(revived, Err(AppError::Invalid(_))), "{revived:?}");
    assert!(
        app.admin_orgs(&admin)
            .await
            .expect("orgs")
            .iter()
            .any(|o| o.id == school && !o.active)
    );
    // Lockout protection.
    assert!(app.set_disabled(&admin, admin.user_id, true).await.is_err());
    assert!(
        app.set_role(&admin, admin.user_id, Role::Finance)
            .await
            .is_err()
    );
    assert_eq!(app.verify_log().await.expect("verify"), intact(db).await);
}

/// The 待办 leads (issue 22): returned forms first, then overdue ones with their days overdue;
/// rectifications in their own list, and the bureau's 待办 gains an answered one to close.
async fn todo_leads_with_what_is_urgent(db: &Db) {
    let app = &db.app;
    let r = Region::build(db).await;
    let year = YearRow {
        year: 2022,
        is_open: 1,
        declaration_deadline: Some("2022-03-31".into()),
        monitoring_deadline: None,
        self_evaluation_deadline: Some("2023-03-31".into()),
    };
    app.put_year(&r.admin, &year).await.expect("year");
    let (a, b) = import_seed001(app, &r.filer_a).await;
    // b goes through and comes back from the 主管部门.
    hand_over(app, &r, b).await;
    step(
        app,
        &r.supervisor,
        b,
        Action::SupervisorReturn,
        Some("请补充佐证"),
    )
    .await;
    let todo = app.todo(&r.filer_a).await.expect("todo");
    let ids: Vec<i64> = todo.items.iter().map(|t| t.form.id).collect();
    assert_eq!(ids, [b, a], "the returned form first");
    assert!(
        todo.items
            .iter()
            .all(|t| t.overdue_days.is_some_and(|d| d > 0)),
        "{:?}",
        todo.items
    );
    assert!(todo.fixes.is_empty());
    // A rectification of the submitted form: the unit's own list; answered, the bureau's.
    hand_over(app, &r, a).await;
    let fix = app
        .require_fix(&r.finance, a, "补充会议纪要", "2020-01-31", None)
        .await
        .expect("fix");
    let unit = app.todo(&r.filer_a).await.expect("todo");
    assert_eq!(unit.fixes.len(), 1);
    assert!(
        unit.fixes[0].overdue_days.is_some_and(|d| d > 0),
        "past its deadline"
    );
    assert!(
        unit.items.iter().all(|t| t.what != "答复整改"),
        "not among the forms"
    );
    assert!(app.todo(&r.finance).await.expect("todo").fixes.is_empty());
    app.answer_fix(&r.filer_a, fix, "已补充", &[])
        .await
        .expect("answer");
    let bureau = app.todo(&r.finance).await.expect("todo");
    assert_eq!(bureau.fixes.len(), 1);
    assert!(bureau.fixes[0].what.contains("办结"), "{:?}", bureau.fixes);
    assert!(app.todo(&r.filer_a).await.expect("todo").fixes.is_empty());
}

/// A unit's monitoring form of 2021 from testdata/forms/monitoring-example.json (老工伤工作经费:
/// budget 12.8万元, 1–7月执行数 2.1万元).
async fn monitored(app: &App, filer: &Actor) -> i64 {
    let mut forms = jixiao_app::files::forms_from_json(
        "monitoring-example.json",
        &String::from_utf8(testdata("forms/monitoring-example.json")).expect("utf-8"),
    )
    .expect("example");
    for form in &mut forms {
        if let Form::Monitoring(m) = form {
            m.implementing_unit = Some(filer.org_name.clone());
            m.competent_department = None;
        }
    }
    let mut outcome = jixiao_app::service::ImportOutcome::default();
    app.file_forms(filer, forms, 2021, &mut outcome)
        .await
        .expect("filed");
    outcome.forms[0].0
}

async fn payments_feed_monitoring_and_unmatched_rows_are_listed(db: &Db) {
    let app = &db.app;
    let r = Region::build(db).await;
    let a = monitored(app, &r.filer_a).await;
    let b = monitored(app, &r.filer_b).await;
    let (unit_a, unit_b) = (r.filer_a.org_name.clone(), r.filer_b.org_name.clone());
    let csv = format!(
        "某市国库集中支付明细（2021年）\n\
         预算单位,项目名称,支付月份,支付金额（元）\n\
         {unit_a},老工伤工作经费,2021-01,\"3,000.00\"\n\
         {unit_a},老工伤工作经费,2021年2月,5000\n\
         {unit_a},老工伤 工作经费,2021/02/20,2000\n\
         {unit_b},老工伤工作经费,2021-03,10000\n\
         ,老工伤工作经费,2021-03,100\n\
         {unit_a},不存在的项目,2021-04,100\n\
         {unit_a},老工伤工作经费,2020-12,100\n\
         合计,,,20300\n"
    );
    // Only the finance bureau uploads.
    for who in [&r.filer_a, &r.supervisor, &r.admin] {
        let refused = app
            .upload_payments(who, 2021, "支付.csv", csv.as_bytes(), None)
            .await;
        assert!(
            matches!(refused, Err(AppError::Forbidden(_))),
            "{refused:?}"
        );
    }
    let up = app
        .upload_payments(&r.finance, 2021, "支付.csv", csv.as_bytes(), None)
        .await
        .expect("uploaded");
    assert_eq!(up.rows, 7, "seven payment rows read (the total is not one)");
    let matched: Vec<(i64, Vec<u8>, usize, Decimal)> = up
        .matched
        .iter()
        .map(|m| (m.form_id, m.months.clone(), m.rows, m.amount))
        .collect();
    assert_eq!(
        matched,
        vec![
            (a, vec![1, 2], 3, Decimal::ONE),
            (b, vec![3], 1, Decimal::ONE),
        ]
    );
    let unmatched: Vec<(usize, &str)> = up
        .unmatched
        .iter()
        .map(|p| (p.line, p.reason.as_str()))
        .collect();
    assert_eq!(unmatched.len(), 3, "{unmatched:?}");
    assert_eq!(unmatched[0].0, 7);
    assert!(unmatched[0].1.contains("2个单位"), "{unmatched:?}");
    assert!(
        unmatched[1].1.contains("没有名为“不存在的项目”"),
        "{unmatched:?}"
    );
    assert!(unmatched[2].1.contains("不在2021年度"), "{unmatched:?}");

    // The monitoring form: by month, with the rate against 12.8万元 and the source.
    let feed = app
        .payments_of(&r.filer_a, a)
        .await
        .expect("feed")
        .expect("paid");
    let months: Vec<(u8, Decimal, Decimal, Option<Decimal>)> = feed
        .months
        .iter()
        .map(|m| (m.line.month, m.line.paid, m.line.cumulative, m.line.rate))
        .collect();
    assert_eq!(
        months,
        vec![
            (
                1,
                Decimal::new(3, 1),
                Decimal::new(3, 1),
                Some(Decimal::new(234, 2))
            ),
            (
                2,
                Decimal::new(7, 1),
                Decimal::ONE,
                Some(Decimal::new(781, 2))
            ),
        ]
    );
    let source = feed.months[1].source.as_ref().expect("source");
    assert_eq!(source.file_name, "支付.csv");
    assert_eq!(
        source.lines,
        vec![("支付.csv".to_string(), 4), ("支付.csv".to_string(), 5)]
    );
    let differs = feed.differs.expect("2.1 stated, 1 paid");
    assert!(
        differs.contains("2.10万元") && differs.contains("1.00万元"),
        "{differs}"
    );
    // Another unit's form is not found; a form nothing was paid to has no feed.
    let hidden = app.payments_of(&r.filer_b, a).await;
    assert!(matches!(hidden, Err(AppError::NotFound(_))), "{hidden:?}");

    // A later export (Excel, in 万元 as chosen) replaces February, keeps January.
    let rows = |r: &[&str]| r.iter().map(|c| c.to_string()).collect::<Vec<_>>();
    let xlsx = jixiao_app::directory::workbook(&[(
        "支付明细",
        vec![
            rows(&["项目名称", "预算单位", "月份", "金额"]),
            rows(&["老工伤工作经费", &unit_a, "2月", "0.5"]),
        ],
    )])
    .expect("workbook");
    let refused = app
        .upload_payments(&r.finance, 2021, "支付.xlsx", &xlsx, None)
        .await;
    assert!(
        matches!(&refused, Err(AppError::Invalid(m)) if m.contains("未注明单位")),
        "{refused:?}"
    );
    let second = app
        .upload_payments(
            &r.finance,
            2021,
            "支付.xlsx",
            &xlsx,
            Some(jixiao_core::money::MoneyUnit::Wan),
        )
        .await
        .expect("second");
    assert!(second.unmatched.is_empty(), "{:?}", second.unmatched);
    let feed = app
        .payments_of(&r.finance, a)
        .await
        .expect("feed")
        .expect("paid");
    assert_eq!(feed.months[0].line.paid, Decimal::new(3, 1));
    assert_eq!(feed.months[1].line.paid, Decimal::new(5, 1));
    assert_eq!(feed.months[1].line.cumulative, Decimal::new(8, 1));
    assert_eq!(
        feed.months[1].source.as_ref().map(|s| s.upload_id),
        Some(second.id)
    );
    let listed: Vec<i64> = app
        .payment_uploads(&r.finance)
        .await
        .expect("uploads")
        .iter()
        .map(|u| u.id)
        .collect();
    assert_eq!(listed, vec![second.id, up.id]);
    assert_eq!(
        db.scalar("SELECT COUNT(*) FROM change_log WHERE entity = 'payment_upload'")
            .await,
        2
    );
    log_holds(app).await;
}

async fn an_expert_sees_and_scores_only_assigned_forms(db: &Db) {
    use jixiao_app::expert::{NewExpert, NewInstitution};
    let app = &db.app;
    let r = Region::build(db).await;
    let (a, _) = import_seed001(app, &r.filer_a).await;
    let (b, _) = import_seed001(app, &r.filer_b).await;
    // The registers are the finance bureau's.
    let firm = NewInstitution {
        name: "湘衡会计师事务所".into(),
        nature: "会计师事务所".into(),
        credit_rating: "A".into(),
        contact: "李会计 0734-1234567".into(),
    };
    let refused = app.register_institution(&r.supervisor, &firm).await;
    assert!(
        matches!(refused, Err(AppError::Forbidden(_))),
        "{refused:?}"
    );
    let firm_id = app
        .register_institution(&r.finance, &firm)
        .await
        .expect("institution");
    let twice = app.register_institution(&r.finance, &firm).await;
    assert!(
        matches!(&twice, Err(AppError::Invalid(m)) if m.contains("已在名录中")),
        "{twice:?}"
    );
    let (_, password) = app
        .register_expert(
            &r.finance,
            &NewExpert {
                username: "zhuanjia1".into(),
                display_name: "王专家".into(),
                field: "社会保障".into(),
                title: "高级会计师".into(),
                rating: "优秀".into(),
                institution_id: Some(firm_id),
            },
        )
        .await
        .expect("expert");
    assert!(password.len() >= 8);
    let listed = app.experts(&r.finance).await.expect("experts");
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].institution.as_deref(), Some("湘衡会计师事务所"));
    let expert = app
        .seed()
        .actor(listed[0].row.user_id)
        .await
        .expect("actor");
    assert_eq!(expert.role, jixiao_app::role::Role::Expert);

    // Nothing assigned: nothing to see, on any route.
    assert!(
        app.list_forms(&expert, &FormFilter::default())
            .await
            .expect("list")
            .is_empty()
    );
    for id in [a, b] {
        assert!(matches!(
            app.form(&expert, id).await,
            Err(AppError::NotFound(_))
        ));
        assert!(matches!(
            app.history(&expert, id).await,
            Err(AppError::NotFound(_))
        ));
        assert!(matches!(
            app.export(&expert, id, Format::Json).await,
            Err(AppError::NotFound(_))
        ));
    }
    // Assigned form a (today for 10 days), b for a period that is over.
    let today = app.today();
    let refused = app
        .assign_expert(&r.supervisor, a, expert.user_id, None, None)
        .await;
    assert!(
        matches!(refused, Err(AppError::Forbidden(_))),
        "{refused:?}"
    );
    let on_a = app
        .assign_expert(
            &r.finance,
            a,
            expert.user_id,
            Some(&today),
            Some(&app.clock().in_days(10)),
        )
        .await
        .expect("assigned");
    app.assign_expert(
        &r.finance,
        b,
        expert.user_id,
        Some("2020-01-01"),
        Some("2020-12-31"),
    )
    .await
    .expect("assigned for a past period");
    let again = app
        .assign_expert(&r.finance, a, expert.user_id, None, None)
        .await;
    assert!(
        matches!(&again, Err(AppError::Invalid(m)) if m.contains("评审期尚未结束")),
        "{again:?}"
    );
    // Listed, but not shown before the declaration.
    let listed: Vec<i64> = app
        .list_forms(&expert, &FormFilter::default())
        .await
        .expect("list")
        .iter()
        .map(|f| f.id)
        .collect();
    assert_eq!(listed, vec![a]);
    let first = app.form(&expert, a).await;
    assert!(
        matches!(&first, Err(AppError::Workflow(m)) if m.contains("利益冲突")),
        "{first:?}"
    );
    assert_eq!(
        app.declaration_due(&expert, a).await.expect("due"),
        Some(on_a)
    );
    app.declare(&expert, on_a, true, "")
        .await
        .expect("declared");
    let twice = app.declare(&expert, on_a, true, "").await;
    assert!(matches!(twice, Err(AppError::Workflow(_))), "{twice:?}");
    // Now a, and only a, on every route; nothing may be changed.
    let view = app.form(&expert, a).await.expect("the assigned form");
    assert!(!view.editable && view.actions.is_empty());
    app.history(&expert, a).await.expect("history");
    app.export(&expert, a, Format::Json).await.expect("export");
    app.attachments(&expert, a).await.expect("evidence list");
    for (what, got) in [
        (
            "save",
            outcome(
                &app.save(&expert, a, view.head.version, view.form.clone())
                    .await,
            ),
        ),
        (
            "act",
            outcome(
                &app.act(&expert, a, view.head.version, Action::Submit, None)
                    .await,
            ),
        ),
        (
            "attach",
            outcome(
                &app.attach(&expert, a, "x.pdf", "application/pdf", b"%PDF-1.4")
                    .await,
            ),
        ),
    ] {
        assert_eq!(got, Outcome::Forbidden, "{what}");
    }
    for (what, got) in [
        ("form", outcome(&app.form(&expert, b).await)),
        ("history", outcome(&app.history(&expert, b).await)),
        (
            "export",
            outcome(&app.export(&expert, b, Format::Json).await),
        ),
        ("attachments", outcome(&app.attachments(&expert, b).await)),
    ] {
        assert_eq!(
            got,
            Outcome::NotFound,
            "{what} of a form whose period is over"
        );
    }
    assert!(matches!(
        app.dashboard(&expert, 2022).await,
        Err(AppError::Forbidden(_))
    ));
    assert!(app.todo(&expert).await.expect("todo").items.is_empty());
    // Every view is in the change log.
    let views: Vec<String> = logged(db, a)
        .await
        .into_iter()
        .filter(|(action, _)| action == "expert_view")
        .map(|(_, d)| d["what"].as_str().unwrap_or_default().to_string())
        .collect();
    assert_eq!(views, vec!["查看", "历史记录", "导出"], "{views:?}");

    // The expert scores the self-evaluation: a changed score needs its reason.
    let (_, _, scored, _) = app.expert_item(&expert, on_a).await.expect("item");
    let scored = scored.expect("a self-evaluation is scored");
    let first = scored
        .indicators
        .iter()
        .find(|i| i.score.is_some_and(|s| s >= Decimal::ONE))
        .expect("a scored indicator");
    let mut review = jixiao_core::spot_check::Review::default();
    review.indicators.insert(
        first.row,
        jixiao_core::spot_check::Rescore {
            score: first.score.unwrap_or_default() - Decimal::ONE,
            reason: String::new(),
        },
    );
    let refused = app
        .score_assignment(&expert, on_a, "总体规范", &review)
        .await;
    assert!(matches!(refused, Err(AppError::Invalid(_))), "{refused:?}");
    review.indicators.get_mut(&first.row).expect("line").reason = "佐证不足".into();
    let refused = app.score_assignment(&expert, on_a, " ", &review).await;
    assert!(
        matches!(&refused, Err(AppError::Invalid(m)) if m.contains("评审意见")),
        "{refused:?}"
    );
    app.score_assignment(&expert, on_a, "总体规范，个别指标佐证不足", &review)
        .await
        .expect("scored");
    let on_form = app
        .assignments_of_form(&r.finance, a)
        .await
        .expect("assignments");
    assert_eq!(on_form[0].row.status, "scored");
    assert!(on_form[0].row.reviewed_total.is_some());
    assert_eq!(
        db.scalar(&format!(
            "SELECT COUNT(*) FROM change_log WHERE entity = 'assignment' AND entity_id = {on_a} AND action = 'score'"
        ))
        .await,
        1
    );
    // A declared conflict ends the assignment.
    let (c, _) = import_seed001_as(
        app,
        &r.filer_a,
        ImportChoice {
            on_duplicate: OnDuplicate::Separate,
            confirmed: true,
        },
    )
    .await;
    let on_c = app
        .assign_expert(&r.finance, c, expert.user_id, None, None)
        .await
        .expect("assigned");
    let blank = app.declare(&expert, on_c, false, " ").await;
    assert!(matches!(blank, Err(AppError::Invalid(_))), "{blank:?}");
    app.declare(&expert, on_c, false, "本人曾参与该单位项目申报")
        .await
        .expect("recused");
    assert_eq!(outcome(&app.form(&expert, c).await), Outcome::NotFound);
    // Another expert's assignment is not found to this one.
    let other = app.my_assignment(&r.finance, on_a).await;
    assert!(matches!(other, Err(AppError::NotFound(_))), "{other:?}");
    log_holds(app).await;
}
