//! Concurrency through the real server over HTTP, on SQLite and on PostgreSQL: 50 writers on one
//! form (every conflicting save refused with a clear message, none lost: the versions account
//! for every acknowledged save), and reviewers racing on one form (approve and return at once:
//! exactly one goes through).

#[allow(dead_code)]
mod support;

use std::sync::{Arc, Barrier};

use serde_json::{Value, json};
use support::http::{ApiClient, Server};
use support::{clean_up, databases};

const WRITERS: usize = 50;

fn form(c: &ApiClient, id: i64) -> Value {
    let r = c
        .call("GET", &format!("/api/v1/forms/{id}"), None)
        .expect("form");
    assert_eq!(r.status, 200, "{}", r.text());
    r.json()
}

fn put_note(c: &ApiClient, id: i64, shown: &Value, note: &str) -> support::http::Reply {
    let mut f = shown["form"].clone();
    f["overall_target"]["actual"] = Value::String(note.to_string());
    c.call(
        "PUT",
        &format!("/api/v1/forms/{id}"),
        Some(&json!({"version": shown["version"], "form": f})),
    )
    .expect("an answer")
}

async fn fifty_writers_on_one_form(url: &str) {
    let server = Server::start(url, true);
    let pw = server.password("tianbao2");
    // Fifty signed-in writers (fifty sessions of the form's filer: fifty browser tabs).
    let clients: Vec<ApiClient> = (0..WRITERS)
        .map(|_| ApiClient::login(&server.addr, "tianbao2", &pw).expect("login"))
        .collect();
    // 淮北's draft (日常运转经费; the demo has handed its other form over).
    let list = clients[0]
        .call(
            "GET",
            "/api/v1/forms?kind=project_self_evaluation&stage=draft",
            None,
        )
        .expect("list")
        .json();
    let id = list["forms"][0]["id"].as_i64().expect("id");
    let start_version = form(&clients[0], id)["version"].as_i64().expect("version");

    // Round one: all fifty save over the same version at the same moment.
    let barrier = Arc::new(Barrier::new(WRITERS));
    let shown = Arc::new(form(&clients[0], id));
    let first: Vec<(u16, Value)> = clients
        .iter()
        .cloned()
        .enumerate()
        .map(|(w, c)| {
            let (barrier, shown) = (barrier.clone(), shown.clone());
            std::thread::spawn(move || {
                barrier.wait();
                let r = put_note(&c, id, &shown, &format!("写入者{w}"));
                (r.status, r.json())
            })
        })
        .collect::<Vec<_>>()
        .into_iter()
        .map(|t| t.join().expect("writer"))
        .collect();
    let won = first.iter().filter(|r| r.0 == 200).count();
    let refused: Vec<&Value> = first.iter().filter(|r| r.0 == 409).map(|r| &r.1).collect();
    assert_eq!(
        won, 1,
        "exactly one save over version {start_version} wins: {first:?}"
    );
    assert_eq!(refused.len(), WRITERS - 1, "{first:?}");
    for body in &refused {
        let message = body["message"].as_str().unwrap_or_default();
        assert_eq!(body["error"], "conflict");
        assert_eq!(body["current_version"].as_i64(), Some(start_version + 1));
        assert!(
            message.contains("保存未生效")
                && message.contains(&format!("您基于第{start_version}版修改"))
                && message.contains("tianbao2")
                && message.contains("年度总体目标（实际完成情况）"),
            "{message}"
        );
    }

    // Then each refused writer reloads and tries again until its save goes through, all at
    // once: every save is either acknowledged or refused with the message, and none is lost.
    let barrier = Arc::new(Barrier::new(WRITERS));
    let results: Vec<(usize, Vec<i64>, usize)> = clients
        .iter()
        .cloned()
        .enumerate()
        .map(|(w, c)| {
            let barrier = barrier.clone();
            let already = first[w].0 == 200;
            std::thread::spawn(move || {
                barrier.wait();
                let mut acked = Vec::new();
                let mut refusals = 0;
                if !already {
                    for _ in 0..500 {
                        let shown = form(&c, id);
                        let r = put_note(&c, id, &shown, &format!("写入者{w}"));
                        match r.status {
                            200 => {
                                acked.push(r.json()["version"].as_i64().expect("version"));
                                break;
                            }
                            409 => {
                                let m =
                                    r.json()["message"].as_str().unwrap_or_default().to_string();
                                assert!(m.contains("保存未生效"), "{m}");
                                refusals += 1;
                                // Back off a little, as a person reading the message would.
                                let pause = 5 + (w as u64 * 13 + refusals as u64 * 7) % 60;
                                std::thread::sleep(std::time::Duration::from_millis(pause));
                            }
                            other => panic!("writer {w}: {other} {}", r.text()),
                        }
                    }
                    assert_eq!(acked.len(), 1, "writer {w} never got through");
                }
                (w, acked, refusals)
            })
        })
        .collect::<Vec<_>>()
        .into_iter()
        .map(|t| t.join().expect("writer"))
        .collect();
    let refusals: usize = results.iter().map(|r| r.2).sum::<usize>() + refused.len();
    let mut versions: Vec<i64> = results.iter().flat_map(|r| r.1.clone()).collect();
    versions.push(
        first.iter().find(|r| r.0 == 200).expect("winner").1["version"]
            .as_i64()
            .expect("v"),
    );
    versions.sort_unstable();
    let expected: Vec<i64> = (start_version + 1..=start_version + WRITERS as i64).collect();
    assert_eq!(
        versions, expected,
        "every acknowledged save is one version, none twice"
    );

    // The version chain accounts for every writer's save, exactly once, in the version it was
    // acknowledged as.
    use sqlx::Connection;
    sqlx::any::install_default_drivers();
    let mut conn = sqlx::AnyConnection::connect(url).await.expect("connect");
    let rows: Vec<(i64, String)> = sqlx::query_as(
        "SELECT version, data FROM form_versions WHERE form_id = $1 AND version > $2 ORDER BY version",
    )
    .bind(id)
    .bind(start_version)
    .fetch_all(&mut conn)
    .await
    .expect("versions");
    conn.close().await.ok();
    assert_eq!(rows.len(), WRITERS);
    for w in 0..WRITERS {
        let note = format!("\"写入者{w}\"");
        let holding: Vec<i64> = rows
            .iter()
            .filter(|r| r.1.contains(&note))
            .map(|r| r.0)
            .collect();
        assert_eq!(
            holding.len(),
            1,
            "writer {w}'s save is in exactly one version: {holding:?}"
        );
    }
    let c = support::consistency(url).await.expect("consistent");
    eprintln!(
        "{}: {WRITERS} writers on form {id}: {WRITERS} saves acknowledged (versions {}..={}), {refusals} conflicting saves refused with the message, none lost; {c:?}",
        if url.starts_with("sqlite") {
            "sqlite"
        } else {
            "postgres"
        },
        start_version + 1,
        start_version + WRITERS as i64
    );
    server.kill();
}

/// Drives a form back to 已提交 from wherever the race left it.
fn to_submitted(id: i64, filer: &ApiClient, head: &ApiClient, finance: &ApiClient) {
    for _ in 0..10 {
        let shown = form(filer, id);
        let v = shown["version"].clone();
        let (who, action) = match shown["stage"].as_str().unwrap_or_default() {
            "submitted" => return,
            "draft" | "supervisor_returned" | "finance_returned" => (filer, "request_confirmation"),
            "awaiting_confirmation" => (head, "confirm"),
            "confirmed" => (filer, "submit"),
            "supervisor_approved" => (finance, "finance_return"),
            other => panic!("stage {other}"),
        };
        let r = who
            .call(
                "POST",
                &format!("/api/v1/forms/{id}/actions/{action}"),
                Some(&json!({"version": v, "reason": "退回重审"})),
            )
            .expect("step");
        assert_eq!(r.status, 200, "{action}: {}", r.text());
    }
    panic!("form {id} did not get back to submitted");
}

async fn reviewers_race_and_one_wins(url: &str) {
    let server = Server::start(url, true);
    let login =
        |name: &str| ApiClient::login(&server.addr, name, &server.password(name)).expect("login");
    let (filer, head, finance) = (login("tianbao2"), login("fuzeren2"), login("caizheng"));
    // Ten supervisors' sessions (two people, five tabs each), half approving, half returning.
    let reviewers: Vec<ApiClient> = (0..10).map(|_| login("renshe")).collect();
    let list = filer
        .call("GET", "/api/v1/forms?kind=project_self_evaluation", None)
        .expect("list")
        .json();
    let id = list["forms"][1]["id"].as_i64().expect("id");
    let rounds = 10;
    for round in 0..rounds {
        to_submitted(id, &filer, &head, &finance);
        let events_before = events(url, id).await;
        let version = form(&filer, id)["version"].clone();
        let barrier = Arc::new(Barrier::new(reviewers.len()));
        let answers: Vec<(String, u16, Value)> = reviewers
            .iter()
            .cloned()
            .enumerate()
            .map(|(k, c)| {
                let (barrier, version) = (barrier.clone(), version.clone());
                std::thread::spawn(move || {
                    let action = if k % 2 == 0 {
                        "supervisor_approve"
                    } else {
                        "supervisor_return"
                    };
                    barrier.wait();
                    let r = c
                        .call(
                            "POST",
                            &format!("/api/v1/forms/{id}/actions/{action}"),
                            Some(&json!({"version": version, "reason": "指标值与实际不符"})),
                        )
                        .expect("answer");
                    (action.to_string(), r.status, r.json())
                })
            })
            .collect::<Vec<_>>()
            .into_iter()
            .map(|t| t.join().expect("reviewer"))
            .collect();
        let winners: Vec<&(String, u16, Value)> = answers.iter().filter(|a| a.1 == 200).collect();
        assert_eq!(winners.len(), 1, "round {round}: {answers:?}");
        for a in answers.iter().filter(|a| a.1 != 200) {
            assert_eq!(a.1, 409, "round {round}: {a:?}");
            let m = a.2["message"].as_str().unwrap_or_default();
            assert!(
                m.contains("操作未生效") || m.contains("不能"),
                "round {round}: {m}"
            );
        }
        let after = events(url, id).await;
        assert_eq!(
            after.len(),
            events_before.len() + 1,
            "round {round}: one step recorded"
        );
        let stage = form(&filer, id)["stage"]
            .as_str()
            .unwrap_or_default()
            .to_string();
        let expect = if winners[0].0 == "supervisor_approve" {
            "supervisor_approved"
        } else {
            "supervisor_returned"
        };
        assert_eq!(stage, expect);
        assert_eq!(after.last().map(String::as_str), Some(expect));
    }
    // Finance, too: approve and return at once, once.
    to_submitted(id, &filer, &head, &finance);
    let v = form(&filer, id)["version"].clone();
    let r = reviewers[0]
        .call(
            "POST",
            &format!("/api/v1/forms/{id}/actions/supervisor_approve"),
            Some(&json!({"version": v})),
        )
        .expect("approve");
    assert_eq!(r.status, 200);
    let finance2 = login("caizheng");
    let barrier = Arc::new(Barrier::new(2));
    let answers: Vec<u16> = [
        ("finance_approve", finance.clone()),
        ("finance_return", finance2),
    ]
    .into_iter()
    .map(|(action, c)| {
        let (barrier, v) = (barrier.clone(), v.clone());
        std::thread::spawn(move || {
            barrier.wait();
            c.call(
                "POST",
                &format!("/api/v1/forms/{id}/actions/{action}"),
                Some(&json!({"version": v, "reason": "预算执行率有误"})),
            )
            .expect("answer")
            .status
        })
    })
    .collect::<Vec<_>>()
    .into_iter()
    .map(|t| t.join().expect("finance"))
    .collect();
    let mut sorted = answers.clone();
    sorted.sort_unstable();
    assert_eq!(sorted, vec![200, 409], "{answers:?}");
    support::consistency(url).await.expect("consistent");
    eprintln!(
        "{}: {rounds} rounds of 10 reviewers approving and returning at once: one step each time",
        if url.starts_with("sqlite") {
            "sqlite"
        } else {
            "postgres"
        }
    );
    server.kill();
}

async fn events(url: &str, id: i64) -> Vec<String> {
    use sqlx::Connection;
    sqlx::any::install_default_drivers();
    let mut conn = sqlx::AnyConnection::connect(url).await.expect("connect");
    let rows: Vec<(String,)> =
        sqlx::query_as("SELECT to_stage FROM workflow_events WHERE form_id = $1 ORDER BY id")
            .bind(id)
            .fetch_all(&mut conn)
            .await
            .expect("events");
    conn.close().await.ok();
    rows.into_iter().map(|r| r.0).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fifty_writers_on_one_form_none_lost() {
    for (url, path) in databases("writers").await {
        fifty_writers_on_one_form(&url).await;
        clean_up(&url, path).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_workflow_cannot_be_raced() {
    for (url, path) in databases("race").await {
        reviewers_race_and_one_wins(&url).await;
        clean_up(&url, path).await;
    }
}
