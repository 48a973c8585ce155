//! Access over HTTP, through the real router, on SQLite and on PostgreSQL: the attacks of
//! RELIABILITY.md's “Access” section that `web.rs` (and `crates/app/tests/app.rs`,
//! `crates/cli/tests/hostile.rs`) do not already try — another unit's ids on every id-taking
//! route, one role taking another's workflow step, state changes without a token or with another
//! session's, a session replayed after sign-out, NUL and path names for evidence, oversize
//! evidence — and the check that the document's role × operation matrix is `PERMISSIONS`.

#[allow(dead_code)]
#[path = "../../app/tests/common/mod.rs"]
mod common;
#[allow(dead_code)]
mod support;

use std::fmt::Write as _;

use axum::http::{StatusCode, header};
use jixiao_app::access::{self, PERMISSIONS, Reach};
use jixiao_app::role::Role;
use jixiao_app::workflow::{Action, Stage};
use jixiao_web::routing::Route;
use serde_json::{Value, json};

use common::Db;
use support::{
    Client, HOST, Reply, account, instantiate, region, shape_of, state_change, submitted_of,
};

on_both_databases!(
    another_units_ids_answer_as_missing_on_every_route,
    an_expert_sees_exactly_the_assigned_forms_on_every_route,
    a_role_cannot_take_another_roles_step,
    state_changes_refuse_no_token_and_another_sessions_token,
    signing_out_ends_the_session_on_the_server,
    evidence_names_are_base_names_and_nul_is_refused,
    oversize_evidence_is_refused_and_nothing_stored,
);

// ── the matrix in RELIABILITY.md ────────────────────────────────────────────────────────────

const MATRIX_BEGIN: &str = "<!-- access-matrix:begin -->";
const MATRIX_END: &str = "<!-- access-matrix:end -->";

/// The role × operation matrix of `access::PERMISSIONS`, as a markdown table: one row per
/// operation, one column per role, each cell the grant's reach (本单位: the user's own
/// organisation; 本单位及下级: it and everything below it) or — (refused).
fn matrix_markdown() -> String {
    let mut out = String::from("| operation |");
    for role in Role::ALL {
        write!(out, " {} |", role.name()).expect("write");
    }
    out.push_str("\n|---|");
    for _ in Role::ALL {
        out.push_str("---|");
    }
    out.push('\n');
    for op in access::operations() {
        write!(out, "| {} `{op:?}` |", access::describe(op)).expect("write");
        for role in Role::ALL {
            let cell = match access::grant_of(role, op).map(|p| p.reach) {
                Some(Reach::Own) => "本单位",
                Some(Reach::Below) => "本单位及下级",
                None => "—",
            };
            write!(out, " {cell} |").expect("write");
        }
        out.push('\n');
    }
    out
}

/// RELIABILITY.md shows `PERMISSIONS` as it is: the table between the markers is the one
/// [`matrix_markdown`] renders. `UPDATE_ACCESS_MATRIX=1` rewrites it.
#[test]
fn reliability_md_shows_the_permissions_as_they_are() {
    // Every grant is in the matrix, once: an operation missing from `operations()` or a role
    // granted one operation twice (only the first would count) would not show.
    let ops = access::operations();
    for p in PERMISSIONS {
        assert!(ops.contains(&p.operation), "{p:?}: not in operations()");
        assert_eq!(
            access::grant_of(p.role, p.operation),
            Some(p),
            "{p:?}: granted twice"
        );
    }
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../RELIABILITY.md");
    let doc = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let start = doc
        .find(MATRIX_BEGIN)
        .unwrap_or_else(|| panic!("{path}: no {MATRIX_BEGIN}"))
        + MATRIX_BEGIN.len();
    let end = start
        + doc[start..]
            .find(MATRIX_END)
            .unwrap_or_else(|| panic!("{path}: no {MATRIX_END} after {MATRIX_BEGIN}"));
    let want = format!("\n{}", matrix_markdown());
    if std::env::var("UPDATE_ACCESS_MATRIX").is_ok_and(|v| v == "1") {
        let updated = format!("{}{want}{}", &doc[..start], &doc[end..]);
        std::fs::write(path, updated).unwrap_or_else(|e| panic!("{path}: {e}"));
        return;
    }
    assert!(
        doc[start..end] == want,
        "RELIABILITY.md's access matrix differs from access::PERMISSIONS; rewrite it with \
         `UPDATE_ACCESS_MATRIX=1 cargo test -p jixiao-web --test access reliability_md`.\n\
         in the document:\n{}\nfrom PERMISSIONS:\n{want}",
        &doc[start..end]
    );
}

// ── ids changed by hand ─────────────────────────────────────────────────────────────────────

/// An id no row has.
const MISSING: i64 = 987_654_321;

/// The ids a route's path parameters take: a form, an evidence file, a rectification, an
/// evaluation, a region audit run and a background import job.
#[derive(Debug, Clone, Copy)]
struct Ids {
    form: i64,
    attachment: i64,
    fix: i64,
    evaluation: i64,
    run: i64,
    job: i64,
    adjustment: i64,
}

/// The values of a route's path parameters: the things of `ids`; a workflow step, an export
/// format, a year, a static file.
fn values(ids: Ids) -> Vec<(&'static str, &'static str, String)> {
    let Ids {
        form,
        attachment,
        fix,
        evaluation,
        run,
        job,
        adjustment,
    } = ids;
    vec![
        ("jobs", "{id}", job.to_string()),
        ("runs", "{id}", run.to_string()),
        ("forms", "{id}", form.to_string()),
        ("attachments", "{id}", attachment.to_string()),
        ("fixes", "{id}", fix.to_string()),
        ("evaluations", "{id}", evaluation.to_string()),
        ("actions", "{action}", "submit".to_string()),
        ("versions", "{version}", "1".to_string()),
        ("export", "{format}", "json".to_string()),
        ("template", "{format}", "xlsx".to_string()),
        ("years", "{year}", "2026".to_string()),
        ("results", "{year}", "2022".to_string()),
        ("static", "{file}", "app.css".to_string()),
        // Spot checks are the bureau's alone, refused whatever the id.
        ("spot-checks", "{id}", "1".to_string()),
        ("spot_checks", "{id}", "1".to_string()),
        // So are payment uploads (支付数据).
        ("payments", "{id}", "1".to_string()),
        // An expert's assignments are theirs alone.
        ("assignments", "{id}", "1".to_string()),
        ("adjustments", "{id}", adjustment.to_string()),
        ("items", "{id}", "1".to_string()),
    ]
}

/// Sends `route` with its `{…}` filled from `values`, as `c` would from our own page: GETs as
/// they are (the API's export asks for JSON), state changes with `c`'s token and our Origin.
async fn send_route(
    c: &mut Client,
    route: &Route,
    values: &[(&str, &str, String)],
    form: &Value,
) -> Reply {
    let mut path = instantiate(&route.path, values);
    if route.path == "/api/v1/forms/{id}/export" {
        path.push_str("?to=json");
    }
    if route.changes_state() {
        let shape = shape_of(&route.method, &route.path, form);
        let token = c.csrf.clone();
        let (req, body) = state_change(
            &route.method,
            &path,
            &shape,
            Some(&token),
            &format!("http://{HOST}"),
        );
        c.send(req, body).await
    } else {
        let req = axum::http::Request::builder()
            .method(route.method.clone())
            .uri(&path);
        c.send(req, axum::body::Body::empty()).await
    }
}

/// `body` with the ids of `ids` in links (`/forms/7`) written as `ID`, so that the answers about
/// two ids can be compared.
fn without_ids(body: &str, ids: &[i64]) -> String {
    let mut body = body.to_string();
    // Longest first: an id that begins another (9 and 987654321) must not eat its start.
    let mut ids = ids.to_vec();
    ids.sort_by_key(|id| std::cmp::Reverse(id.to_string().len()));
    for id in ids {
        for kind in [
            "forms",
            "attachments",
            "fixes",
            "adjustments",
            "evaluations",
            "runs",
            "jobs",
        ] {
            body = body.replace(&format!("/{kind}/{id}"), &format!("/{kind}/ID"));
        }
    }
    body
}

/// Every route of the router that takes an id (read from `jixiao_web::routes()`: forms,
/// evidence files, rectifications, evaluations; pages and API; reads and state changes, the
/// latter with a valid token from our Origin) answers a user who may not see the thing exactly
/// as it answers for an id no row has: 404, the same body, nothing of the other unit in it. So
/// ids cannot be probed. 淮北 (unit 2)'s filer and unit head try 株洲 (unit 3)'s ids; the finance
/// bureau, who sees 株洲, is never told "not found" for the same requests (the 404s come from the
/// access check, not from a request the route cannot read).
async fn another_units_ids_answer_as_missing_on_every_route(db: &Db) {
    let (accounts, daily, other) = region(db).await;
    let unit3 = db.store.form_head(other).await.expect("form").org_id;
    // 株洲's evidence file, rectification and evaluation.
    let mut owner = Client::new(db);
    owner.login(account(&accounts, "tianbao3")).await;
    let r = owner
        .multipart(
            &format!("/forms/{other}/attachments"),
            &[],
            ("会议纪要.txt", "佐证".as_bytes()),
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let attachment = db.store.attachments(other).await.expect("attachments")[0].id;
    let mut bureau = Client::new(db);
    bureau.login(account(&accounts, "caizheng")).await;
    let r = bureau
        .post(
            &format!("/forms/{other}/fixes"),
            &[("description", "补充会议纪要"), ("deadline", "2030-06-30")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let fix = db
        .store
        .rectifications(&[unit3], None, Some(other))
        .await
        .expect("fixes")[0]
        .id;
    let r = bureau
        .multipart_files(
            "/evaluations",
            &[
                ("unit", &unit3.to_string()),
                ("year", "2022"),
                ("rules", "hunan-department"),
            ],
            &[],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let evaluation: i64 = r.headers[header::LOCATION]
        .to_str()
        .ok()
        .and_then(|l| l.strip_prefix("/evaluations/"))
        .and_then(|id| id.parse().ok())
        .expect("the new evaluation's id");

    // A region audit the bureau kept.
    let r = bureau
        .multipart(
            "/audit",
            &[],
            (
                "seed001.html",
                include_bytes!("../../../testdata/fixtures/seed001.html"),
            ),
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let run: i64 = r.headers[header::LOCATION]
        .to_str()
        .ok()
        .and_then(|l| l.strip_prefix("/region/runs/"))
        .and_then(|id| id.parse().ok())
        .expect("the new run's id");

    // A file 株洲's filer left to be read in the background (no worker runs here: it waits).
    let r = owner
        .multipart(
            "/api/v1/imports",
            &[("year", "2021"), ("background", "1")],
            (
                "seed003.xlsx",
                include_bytes!("../../../testdata/fixtures/seed003.xlsx"),
            ),
        )
        .await;
    assert_eq!(r.status, StatusCode::ACCEPTED, "{}", r.body);
    let job = r.json()["job"].as_i64().expect("the job's id");

    // A target adjustment 株洲 asked for (written as stored: the route is what is tested).
    let stored = db.store.form(other).await.expect("their form");
    let adjustment = db
        .store
        .request_adjustment(
            other,
            unit3,
            stored.head.version,
            &stored.data,
            "访问测试：调整目标",
            &jixiao_store::log::Author::system(),
        )
        .await
        .expect("an adjustment");

    let theirs = values(Ids {
        form: other,
        attachment,
        fix,
        evaluation,
        run,
        job,
        adjustment,
    });
    let missing = values(Ids {
        form: MISSING,
        attachment: MISSING,
        fix: MISSING,
        evaluation: MISSING,
        run: MISSING,
        job: MISSING,
        adjustment: MISSING,
    });
    // Organisations and accounts (系统管理) are the administrator's alone: anyone else is
    // refused the operation (403) whatever the id, so their ids cannot be probed either —
    // `web.rs`'s `administration_over_the_api_and_pages` tries them.
    let routes: Vec<Route> = jixiao_web::routes()
        .into_iter()
        .filter(|r| r.path.contains("{id}"))
        .filter(|r| !r.path.contains("/orgs/") && !r.path.contains("/users/"))
        // So are spot checks (抽评): the finance bureau's alone, refused whatever the id
        // (`app.rs::spot_checks_are_drawn_from_a_seed_and_reviewed`).
        .filter(|r| !r.path.contains("/spot-checks/") && !r.path.contains("/spot_checks/"))
        // And payment uploads (支付数据), the bureau's alone
        // (`app.rs::payments_feed_monitoring_and_unmatched_rows_are_listed`).
        .filter(|r| !r.path.starts_with("/payments/") && !r.path.starts_with("/api/v1/payments/"))
        // An expert's assignments are theirs alone, "not found" to everyone else
        // (`an_expert_sees_exactly_the_assigned_forms_on_every_route`).
        .filter(|r| {
            !r.path.starts_with("/assignments/") && !r.path.starts_with("/api/v1/assignments/")
        })
        // The public results page is anyone's, signed in or not: its documents are found by
        // being published, not by who asks (`web.rs::results_fixes_and_publication`).
        .filter(|r| !r.path.starts_with("/public/"))
        .collect();
    for kind in [
        "/forms/{id}",
        "/attachments/{id}",
        "/fixes/{id}",
        "/evaluations/{id}",
        "/region/runs/{id}",
        "/jobs/{id}",
    ] {
        assert!(
            routes.iter().any(|r| r.path.contains(kind)),
            "no route of {kind} found in the router: {routes:?}"
        );
    }
    // The 21 that the router served when this test was written: fewer means the walk is broken.
    assert!(
        routes.len() >= 21,
        "only {} id routes: {routes:?}",
        routes.len()
    );
    let before = db.scalar("SELECT COUNT(*) FROM change_log").await;
    let ids = [other, attachment, fix, evaluation, run, job, MISSING];
    let mut failures = Vec::new();
    for name in ["tianbao2", "fuzeren2"] {
        let mut c = Client::new(db);
        c.login(account(&accounts, name)).await;
        // A form of their own, for the bodies that carry one.
        let form = c
            .api("GET", &format!("/api/v1/forms/{daily}"), None)
            .await
            .json()["form"]
            .clone();
        for route in &routes {
            let what = format!("{name}: {} {}", route.method, route.path);
            let r = send_route(&mut c, route, &theirs, &form).await;
            let m = send_route(&mut c, route, &missing, &form).await;
            let api = route.path.starts_with("/api/");
            let ours = |x: &Reply| {
                x.status == StatusCode::NOT_FOUND
                    && if api {
                        x.json()["error"] == "not_found"
                    } else {
                        x.body.contains("不存在")
                    }
            };
            let message = |x: &Reply| {
                if api {
                    x.json()["message"].as_str().unwrap_or_default().to_string()
                } else {
                    x.body
                        .split("role=\"alert\">")
                        .nth(1)
                        .and_then(|t| t.split('<').next())
                        .unwrap_or_default()
                        .to_string()
                }
            };
            if !ours(&r) {
                failures.push(format!("{what}: {} {}", r.status, message(&r)));
            } else if !ours(&m) {
                failures.push(format!(
                    "{what} (a missing id): {} {}",
                    m.status,
                    message(&m)
                ));
            } else if without_ids(&r.body, &ids) != without_ids(&m.body, &ids) {
                failures.push(format!(
                    "{what}: another unit's id says “{}”, a missing one “{}”",
                    message(&r),
                    message(&m)
                ));
            }
            if r.body.contains("株洲") {
                failures.push(format!("{what} leaks the other unit: {}", r.body));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} answers tell another unit's ids from missing ones:\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert_eq!(
        db.scalar("SELECT COUNT(*) FROM change_log").await,
        before,
        "a refused request changed something"
    );
    // The same requests from someone who sees 株洲 are never "not found" — but for a job,
    // which is its owner's alone: the bureau is told it does not exist like anyone else.
    let form = bureau
        .api("GET", &format!("/api/v1/forms/{other}"), None)
        .await
        .json()["form"]
        .clone();
    for route in routes.iter().filter(|r| !r.path.contains("/jobs/")) {
        let r = send_route(&mut bureau, route, &theirs, &form).await;
        assert_ne!(
            r.status,
            StatusCode::NOT_FOUND,
            "caizheng: {} {}: {}",
            route.method,
            route.path,
            r.body
        );
    }
}

// ── one role taking another's step ──────────────────────────────────────────────────────────

/// The form's stage and version, as the finance bureau (who sees it) reads them.
async fn stage_and_version(c: &mut Client, id: i64) -> (String, i64) {
    let f = c
        .api("GET", &format!("/api/v1/forms/{id}"), None)
        .await
        .json();
    (
        f["stage"].as_str().expect("stage").to_string(),
        f["version"].as_i64().expect("version"),
    )
}

/// Takes workflow step `action` on form `id` over the API, at the form's current version.
async fn step(c: &mut Client, observer: &mut Client, id: i64, action: Action) -> Reply {
    let (_, version) = stage_and_version(observer, id).await;
    // Sending on explains the seed form's audit errors, all at once.
    let body = match action {
        Action::RequestConfirmation => {
            json!({"version": version, "reason": "原表如此，已核对：总分与分值设置按原表填报"})
        }
        _ => json!({"version": version}),
    };
    c.api(
        "POST",
        &format!("/api/v1/forms/{id}/actions/{}", action.code()),
        Some(body),
    )
    .await
}

/// Tries `action` on form `id` as `c`, over the API and from the form's page, at the stage
/// where the step is possible: both refused with 403 naming the role and the step (the user
/// sees the form, so "forbidden", not "not found"), and the form neither moves nor changes.
async fn refused_step(c: &mut Client, observer: &mut Client, id: i64, action: Action, role: Role) {
    let before = stage_and_version(observer, id).await;
    let said = format!("{}不能执行“{}”", role.name(), action.name());
    let r = step(c, observer, id, action).await;
    assert_eq!(
        r.status,
        StatusCode::FORBIDDEN,
        "API {action:?}: {}",
        r.body
    );
    assert_eq!(r.json()["error"], "forbidden");
    assert!(r.body.contains(&said), "API {action:?}: {}", r.body);
    let version = before.1.to_string();
    let r = c
        .post(
            &format!("/forms/{id}/act"),
            &[("version", &version), ("action", action.code())],
        )
        .await;
    assert_eq!(
        r.status,
        StatusCode::FORBIDDEN,
        "page {action:?}: {}",
        r.body
    );
    assert!(r.body.contains(&said), "page {action:?}: {}", r.body);
    assert_eq!(
        stage_and_version(observer, id).await,
        before,
        "{action:?} moved the form"
    );
}

/// Over HTTP, on a form that goes through its real workflow: the unit head cannot take the
/// filer's 提交主管部门 once the form is 已确认, and the 主管部门 cannot take the bureau's 审定
/// once it is 主管部门已审核 — 403, because each sees the form (authorize answers "forbidden"
/// to whoever may view it and "not found" to anyone else). The rightful role then takes the
/// same step at the same version: the refusal was the role's, not the stage's. (Every role ×
/// every step, at every distance in the org tree, is `crates/app/tests/app.rs`'s
/// `access_matrix_follows_roles_and_the_org_tree`.)
async fn a_role_cannot_take_another_roles_step(db: &Db) {
    let (accounts, daily, _) = region(db).await;
    let mut observer = Client::new(db);
    observer.login(account(&accounts, "caizheng")).await;
    let mut filer = Client::new(db);
    filer.login(account(&accounts, "tianbao2")).await;
    let mut head = Client::new(db);
    head.login(account(&accounts, "fuzeren2")).await;
    let mut supervisor = Client::new(db);
    supervisor.login(account(&accounts, "renshe")).await;
    let mut other_head = Client::new(db);
    other_head.login(account(&accounts, "fuzeren3")).await;

    assert_eq!(
        stage_and_version(&mut observer, daily).await.0,
        Stage::Draft.code()
    );
    let r = step(
        &mut filer,
        &mut observer,
        daily,
        Action::RequestConfirmation,
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    // Another unit's head does not even see it.
    let r = step(&mut other_head, &mut observer, daily, Action::Confirm).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND, "{}", r.body);
    let r = step(&mut head, &mut observer, daily, Action::Confirm).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(
        stage_and_version(&mut observer, daily).await.0,
        Stage::Confirmed.code()
    );

    refused_step(
        &mut head,
        &mut observer,
        daily,
        Action::Submit,
        Role::UnitHead,
    )
    .await;
    let r = step(&mut filer, &mut observer, daily, Action::Submit).await;
    assert_eq!(r.status, StatusCode::OK, "the filer submits: {}", r.body);

    let r = step(
        &mut supervisor,
        &mut observer,
        daily,
        Action::SupervisorApprove,
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(
        stage_and_version(&mut observer, daily).await.0,
        Stage::SupervisorApproved.code()
    );
    refused_step(
        &mut supervisor,
        &mut observer,
        daily,
        Action::FinanceApprove,
        Role::Supervisor,
    )
    .await;
    // The filer cannot approve their own form either.
    refused_step(
        &mut filer,
        &mut observer,
        daily,
        Action::FinanceApprove,
        Role::Filer,
    )
    .await;
    let (_, version) = stage_and_version(&mut observer, daily).await;
    let r = observer
        .api(
            "POST",
            &format!("/api/v1/forms/{daily}/actions/finance_approve"),
            Some(json!({"version": version})),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "the bureau approves: {}", r.body);
    assert_eq!(
        stage_and_version(&mut observer, daily).await.0,
        Stage::FinanceApproved.code()
    );
}

// ── CSRF: no token, another session's token ─────────────────────────────────────────────────

/// The state changes made without a session (hence without a token): the two sign-ins.
const SIGN_INS: [(&str, &str); 2] = [("POST", "/login"), ("POST", "/api/v1/session")];

/// Every state change the router serves (from `jixiao_web::routes()`), from our own Origin,
/// refuses a request that carries no token at all (no `_csrf` field, no `X-CSRF-Token` header)
/// and one that carries the genuine token of another live session (株洲's filer's), with 403
/// naming the CSRF token, and nothing changes: no change-log entry, the session lives. (A forged
/// token and a foreign Origin on every route are `web.rs`'s
/// `every_state_change_checks_token_and_origin_first`.)
async fn state_changes_refuse_no_token_and_another_sessions_token(db: &Db) {
    let (accounts, daily, _) = region(db).await;
    let unit = db.store.form_head(daily).await.expect("form").org_id;
    // A rectification is required of a form the unit has handed over.
    let handed = submitted_of(db, &accounts).await;
    let mut bureau = Client::new(db);
    bureau.login(account(&accounts, "caizheng")).await;
    let r = bureau
        .post(
            &format!("/forms/{handed}/fixes"),
            &[("description", "补充会议纪要"), ("deadline", "2030-06-30")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let fix = db
        .store
        .rectifications(&[unit], None, Some(handed))
        .await
        .expect("fixes")[0]
        .id;
    let r = bureau
        .multipart_files(
            "/evaluations",
            &[
                ("unit", &unit.to_string()),
                ("year", "2022"),
                ("rules", "hunan-department"),
            ],
            &[],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let evaluation: i64 = r.headers[header::LOCATION]
        .to_str()
        .ok()
        .and_then(|l| l.strip_prefix("/evaluations/"))
        .and_then(|id| id.parse().ok())
        .expect("the new evaluation's id");

    let mut c = Client::new(db);
    c.login(account(&accounts, "tianbao2")).await;
    let mut stranger = Client::new(db);
    stranger.login(account(&accounts, "tianbao3")).await;
    assert_ne!(stranger.csrf, c.csrf, "each session has its own token");
    let form = c
        .api("GET", &format!("/api/v1/forms/{daily}"), None)
        .await
        .json()["form"]
        .clone();
    let changes: Vec<Route> = jixiao_web::routes()
        .into_iter()
        .filter(|r| r.changes_state())
        .filter(|r| !SIGN_INS.contains(&(r.method.as_str(), r.path.as_str())))
        .collect();
    // The 24 that web.rs listed by hand before it read them from the router.
    assert!(
        changes.len() >= 24,
        "only {} state changes: {changes:?}",
        changes.len()
    );
    let mut values = values(Ids {
        form: daily,
        attachment: 0,
        fix,
        evaluation,
        run: 0,
        job: 0,
        adjustment: 0,
    });
    values.push(("orgs", "{id}", unit.to_string()));
    values.push(("users", "{id}", "1".to_string()));
    let ours = format!("http://{HOST}");
    let before = db.scalar("SELECT COUNT(*) FROM change_log").await;
    for route in &changes {
        let path = instantiate(&route.path, &values);
        let shape = shape_of(&route.method, &route.path, &form);
        let api = route.path.starts_with("/api/");
        for (how, token) in [
            ("no token", None),
            ("another session's token", Some(stranger.csrf.as_str())),
        ] {
            let what = format!("{} {path} with {how}", route.method);
            let (req, body) = state_change(&route.method, &path, &shape, token, &ours);
            let r = c.send(req, body).await;
            assert_eq!(r.status, StatusCode::FORBIDDEN, "{what}: {}", r.body);
            let message = if api {
                assert_eq!(r.json()["error"], "forbidden", "{what}: {}", r.body);
                r.json()["message"].as_str().unwrap_or_default().to_string()
            } else {
                r.body.clone()
            };
            assert!(
                message.contains("CSRF"),
                "{what} names the token: {}",
                r.body
            );
        }
    }
    assert_eq!(
        db.scalar("SELECT COUNT(*) FROM change_log").await,
        before,
        "a refused state change changed something"
    );
    assert_eq!(
        c.get("/api/v1/session").await.status,
        StatusCode::OK,
        "still signed in"
    );
    // The genuine request goes through.
    let r = c.post(&format!("/forms/{daily}/preview"), &[]).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
}

// ── sessions ────────────────────────────────────────────────────────────────────────────────

/// Signing out (the page's POST /logout and the API's DELETE /api/v1/session) ends the session
/// in the database, not only in the browser: the old cookie, replayed by someone who kept it,
/// is no session — the page sends to /login, the API says 401, a state change with the old
/// token is not made. (Fixation and expiry are `web.rs`'s
/// `sessions_are_new_at_each_login_httponly_and_expire`.)
async fn signing_out_ends_the_session_on_the_server(db: &Db) {
    let (accounts, daily, _) = region(db).await;
    let filer = account(&accounts, "tianbao2");
    for api in [false, true] {
        let mut c = Client::new(db);
        c.login(filer).await;
        let kept = c.cookie.clone().expect("cookie");
        let token = c.csrf.clone();
        let r = if api {
            c.api("DELETE", "/api/v1/session", None).await
        } else {
            c.post("/logout", &[]).await
        };
        let surface = if api { "API" } else { "page" };
        assert!(
            r.status.is_redirection() || r.status == StatusCode::NO_CONTENT,
            "{surface}: {}",
            r.body
        );
        assert_eq!(c.cookie, None, "{surface}: the browser's cookie is cleared");
        // Someone who kept the cookie.
        let mut replay = Client::new(db);
        replay.cookie = Some(kept.clone());
        replay.csrf = token;
        let r = replay.get("/").await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{surface}: {}", r.body);
        assert_eq!(r.headers[header::LOCATION], "/login");
        assert_eq!(
            replay.get("/api/v1/session").await.status,
            StatusCode::UNAUTHORIZED,
            "{surface}"
        );
        let before = db.scalar("SELECT COUNT(*) FROM change_log").await;
        let r = replay
            .post(
                &format!("/forms/{daily}/act"),
                &[("version", "1"), ("action", "request_confirmation")],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{surface}: {}", r.body);
        assert_eq!(r.headers[header::LOCATION], "/login");
        assert_eq!(db.scalar("SELECT COUNT(*) FROM change_log").await, before);
    }
}

// ── evidence file names and sizes ───────────────────────────────────────────────────────────

/// Evidence files are stored under their base name whatever path the browser sends — Unix or
/// Windows, relative or absolute — and a name that is nothing but a path, hidden, or carries a
/// NUL byte is refused with a 4xx (never a 500: PostgreSQL's text cannot hold NUL), nothing
/// stored. Paths in the URL reach no file: `/attachments/` takes only a number, `/static/`
/// only its two files. (Uploads under traversing names and download headers are
/// `crates/cli/tests/hostile.rs`'s `traversal_in_file_names_goes_nowhere`, against the binary.)
async fn evidence_names_are_base_names_and_nul_is_refused(db: &Db) {
    let (accounts, daily, _) = region(db).await;
    let mut c = Client::new(db);
    c.login(account(&accounts, "tianbao2")).await;
    for (name, stored) in [
        ("../../etc/passwd", Some("passwd")),
        ("..\\..\\windows\\system32\\evil.dll", Some("evil.dll")),
        ("C:\\Windows\\System32\\drivers\\etc\\hosts", Some("hosts")),
        ("/etc/shadow", Some("shadow")),
        ("..", None),
        ("../..", None),
        ("..\\", None),
        (".htaccess", None),
        ("a\0.txt", None),
        ("\0", None),
        ("../../etc/passwd\0.pdf", None),
    ] {
        let shown = name.replace('\0', "\\0");
        let before = db
            .store
            .attachments(daily)
            .await
            .expect("attachments")
            .len();
        let r = c
            .multipart(
                &format!("/forms/{daily}/attachments"),
                &[],
                (name, b"evidence"),
            )
            .await;
        let after = db.store.attachments(daily).await.expect("attachments");
        match stored {
            Some(base) => {
                assert_eq!(r.status, StatusCode::SEE_OTHER, "{shown}: {}", r.body);
                assert_eq!(after.len(), before + 1, "{shown}");
                assert_eq!(
                    after
                        .iter()
                        .map(|a| a.name.as_str())
                        .filter(|n| *n == base)
                        .count(),
                    1,
                    "{shown} stored as {base}"
                );
            }
            None => {
                assert!(
                    r.status.is_client_error(),
                    "{shown}: {} {}",
                    r.status,
                    r.body
                );
                assert_eq!(after.len(), before, "{shown} stored nothing");
            }
        }
        assert!(
            after.iter().all(|a| !a.name.contains(['/', '\\', '\0'])),
            "{shown}: {after:?}"
        );
    }
    // Paths in the URL.
    for path in [
        "/attachments/..%2F..%2Fetc%2Fpasswd",
        "/attachments/..",
        "/static/..%2F..%2FCargo.toml",
        "/static/%2Fetc%2Fpasswd",
        "/static/../../Cargo.toml",
    ] {
        let r = c.get(path).await;
        assert!(
            r.status.is_client_error(),
            "{path}: {} {}",
            r.status,
            r.body
        );
        assert!(
            !r.body.contains("root:") && !r.body.contains("[workspace]"),
            "{path}: {}",
            r.body
        );
    }
}

/// Evidence over the attachment limit (20 MiB) is refused with 422 naming the limit, and nothing
/// is stored. (A body over the request limit is `crates/cli/tests/hostile.rs`'s
/// `hostile_uploads_are_refused_clearly_and_leave_nothing_behind`.)
async fn oversize_evidence_is_refused_and_nothing_stored(db: &Db) {
    let (accounts, daily, _) = region(db).await;
    let mut c = Client::new(db);
    c.login(account(&accounts, "tianbao2")).await;
    let before = db.scalar("SELECT COUNT(*) FROM change_log").await;
    let big = vec![b'x'; (20 << 20) + 1];
    let r = c
        .multipart(
            &format!("/forms/{daily}/attachments"),
            &[],
            ("大.pdf", &big),
        )
        .await;
    assert_eq!(
        r.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        &r.body[..r.body.len().min(500)]
    );
    assert!(r.body.contains("附件“大.pdf”过大"), "{}", r.body);
    assert!(
        db.store
            .attachments(daily)
            .await
            .expect("attachments")
            .is_empty()
    );
    assert_eq!(db.scalar("SELECT COUNT(*) FROM change_log").await, before);
    // Just under the limit goes through.
    let fits = vec![b'x'; 20 << 20];
    let r = c
        .multipart(
            &format!("/forms/{daily}/attachments"),
            &[],
            ("大.pdf", &fits),
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
}

/// A 第三方/专家 sees exactly the forms assigned to them, on every route: the bureau registers
/// an expert and assigns them 淮北's form; before the declaration of no conflict of interest the
/// form page leads to it and the API refuses; after it, every route of a form (read from the
/// router) answers for 株洲's form exactly as for an id no row has, while the assigned form's
/// reads are answered; lists hold only the assigned form; the bureau's pages are refused; every
/// view is in the change log.
async fn an_expert_sees_exactly_the_assigned_forms_on_every_route(db: &Db) {
    let (accounts, daily, other) = region(db).await;
    let mut bureau = Client::new(db);
    bureau.login(account(&accounts, "caizheng")).await;
    let r = bureau
        .api(
            "POST",
            "/api/v1/experts",
            Some(json!({
                "username": "zhuanjia9",
                "display_name": "赵专家",
                "field": "社会保障",
                "title": "研究员",
            })),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let (user_id, password) = (
        r.json()["user_id"].as_i64().expect("user id"),
        r.json()["password"].as_str().expect("password").to_string(),
    );
    let r = bureau
        .api(
            "POST",
            &format!("/api/v1/forms/{daily}/assignments"),
            Some(json!({"user_id": user_id})),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let assignment = r.json()["id"].as_i64().expect("assignment");

    let mut expert = Client::new(db);
    let me = support::Account {
        username: "zhuanjia9".into(),
        password: password.clone(),
        role: Role::Expert,
        org: String::new(),
    };
    expert.login(&me).await;
    let r = expert
        .api(
            "PUT",
            "/api/v1/session/password",
            Some(json!({"old_password": password, "new_password": "专家新密码2026"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.body);
    // Before the declaration: the page leads to it, the API refuses.
    let r = expert.get(&format!("/forms/{daily}")).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(
        r.headers[header::LOCATION],
        format!("/assignments/{assignment}").as_str()
    );
    let r = expert
        .api("GET", &format!("/api/v1/forms/{daily}"), None)
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);
    let r = expert
        .api(
            "POST",
            &format!("/api/v1/assignments/{assignment}/declaration"),
            Some(json!({"no_conflict": true})),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.json()["status"], "declared");

    // Lists hold the assigned form alone.
    let listed: Vec<i64> = expert.api("GET", "/api/v1/forms", None).await.json()["forms"]
        .as_array()
        .expect("forms")
        .iter()
        .filter_map(|f| f["id"].as_i64())
        .collect();
    assert_eq!(listed, vec![daily]);
    let page = expert.get("/forms").await;
    assert!(
        page.body.contains(&format!("/forms/{daily}\"")),
        "{}",
        page.body
    );
    assert!(!page.body.contains(&format!("/forms/{other}\"")));

    // Every route of a form.
    let form = expert
        .api("GET", &format!("/api/v1/forms/{daily}"), None)
        .await
        .json()["form"]
        .clone();
    let ids = |form: i64| {
        values(Ids {
            form,
            attachment: MISSING,
            fix: MISSING,
            evaluation: MISSING,
            run: MISSING,
            job: MISSING,
            adjustment: MISSING,
        })
    };
    let routes: Vec<Route> = jixiao_web::routes()
        .into_iter()
        .filter(|r| r.path.starts_with("/forms/{id}") || r.path.starts_with("/api/v1/forms/{id}"))
        .collect();
    assert!(routes.len() >= 20, "only {} form routes", routes.len());
    let mut failures = Vec::new();
    for route in &routes {
        let what = format!("{} {}", route.method, route.path);
        let theirs = send_route(&mut expert, route, &ids(other), &form).await;
        let missing = send_route(&mut expert, route, &ids(MISSING), &form).await;
        if theirs.status != StatusCode::NOT_FOUND {
            failures.push(format!("{what} on 株洲's form: {}", theirs.status));
        } else if without_ids(&theirs.body, &[other, MISSING])
            != without_ids(&missing.body, &[other, MISSING])
        {
            failures.push(format!("{what}: 株洲's form answers unlike a missing one"));
        }
        if route.method == axum::http::Method::GET {
            let mine = send_route(&mut expert, route, &ids(daily), &form).await;
            if mine.status == StatusCode::NOT_FOUND {
                failures.push(format!("{what} on the assigned form: not found"));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    // The assigned form is read, not changed.
    let r = expert
        .api(
            "GET",
            &format!("/api/v1/forms/{daily}/export?to=json"),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
    let r = expert.get(&format!("/forms/{daily}")).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(!r.body.contains("name=\"save\""), "no 保存 for an expert");
    // The bureau's pages and the unit's work are refused.
    for path in [
        "/dashboard",
        "/audit",
        "/spot-checks",
        "/payments",
        "/experts",
        "/admin/users",
    ] {
        let r = expert.get(path).await;
        // Refused: an expert holds no right at any organisation, so some pages do not exist
        // for them at all.
        assert!(
            matches!(r.status, StatusCode::FORBIDDEN | StatusCode::NOT_FOUND),
            "{path}: {} {}",
            r.status,
            r.body
        );
    }
    let r = expert.get("/evaluations").await;
    assert!(
        !r.body.contains("/evaluations/"),
        "no evaluation listed: {}",
        r.body
    );
    let r = expert.get("/").await;
    assert_eq!(r.headers[header::LOCATION], "/assignments");
    let r = expert.get("/assignments").await;
    assert!(
        r.body.contains(&format!("评审任务{assignment}")),
        "{}",
        r.body
    );
    // Every view is in the change log, under the form.
    let views = db
        .scalar(&format!(
            "SELECT COUNT(*) FROM change_log WHERE entity = 'form' AND entity_id = {daily} \
             AND action = 'expert_view' AND user_id = {user_id}"
        ))
        .await;
    assert!(views >= 3, "{views} views logged");
    let theirs = db
        .scalar(&format!(
            "SELECT COUNT(*) FROM change_log WHERE entity = 'form' AND entity_id = {other} \
             AND action = 'expert_view' AND user_id = {user_id}"
        ))
        .await;
    assert_eq!(theirs, 0, "this expert never saw 株洲's form");
}
