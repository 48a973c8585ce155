//! `jixiao serve --demo` and `jixiao log verify` as a user runs them: the demo accounts printed
//! once each, pages served from the embedded SQLite file, and a change log whose tampered row is
//! named.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};

struct Server {
    child: Child,
    addr: String,
    accounts: Vec<(String, String, String)>,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn db_path(name: &str) -> std::path::PathBuf {
    let p = std::env::temp_dir().join(format!("jixiao-cli-{name}-{}.db", std::process::id()));
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", p.display()));
    }
    p
}

/// Starts `jixiao serve --demo` on a free port and reads the accounts it prints.
fn serve(db: &std::path::Path) -> Server {
    let mut child = Command::new(env!("CARGO_BIN_EXE_jixiao"))
        .args(["serve", "--demo", "--addr", "127.0.0.1:0", "--database"])
        .arg(format!("sqlite:{}", db.display()))
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start jixiao serve");
    let out = child.stdout.take().expect("stdout");
    let mut accounts = Vec::new();
    let mut addr = String::new();
    for line in BufReader::new(out).lines() {
        let line = line.expect("utf-8 line");
        let words: Vec<&str> = line.split(' ').collect();
        if let ["账号", name, "密码", pw, "角色", role] = words[..] {
            accounts.push((name.to_string(), pw.to_string(), role.to_string()));
        }
        if let Some(url) = line.strip_prefix("绩效系统已启动：http://") {
            addr = url.trim_end_matches('/').to_string();
            break;
        }
    }
    assert!(!addr.is_empty(), "the server did not start");
    Server {
        child,
        addr,
        accounts,
    }
}

/// One HTTP/1.1 request; returns the status line, the headers and the body.
fn http(addr: &str, request: &str) -> (String, String, String) {
    let mut s = TcpStream::connect(addr).expect("connect");
    s.write_all(request.as_bytes()).expect("send");
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).expect("read");
    let text = String::from_utf8_lossy(&raw).into_owned();
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let (status, headers) = head.split_once("\r\n").unwrap_or((head, ""));
    (status.to_string(), headers.to_string(), body.to_string())
}

fn get(addr: &str, path: &str, cookie: &str) -> (String, String, String) {
    http(
        addr,
        &format!(
            "GET {path} HTTP/1.1\r\nHost: {addr}\r\nCookie: {cookie}\r\nConnection: close\r\n\r\n"
        ),
    )
}

fn login(addr: &str, name: &str, password: &str) -> Option<String> {
    let body = format!("username={name}&password={password}");
    let (status, headers, _) = http(
        addr,
        &format!(
            "POST /login HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
            body.len()
        ),
    );
    if !status.contains("303") {
        return None;
    }
    headers
        .lines()
        .find_map(|l| l.strip_prefix("set-cookie: "))
        .and_then(|c| c.split(';').next())
        .map(str::to_string)
}

#[test]
fn serve_demo_prints_each_account_once_and_shows_real_forms() {
    let db = db_path("serve");
    let server = serve(&db);
    let roles: Vec<&str> = server.accounts.iter().map(|a| a.2.as_str()).collect();
    for role in ["填报人", "单位负责人", "主管部门审核", "财政审核", "管理员"]
    {
        assert!(roles.contains(&role), "no {role} account: {roles:?}");
    }
    let mut names: Vec<String> = server.accounts.iter().map(|a| a.0.clone()).collect();
    names.sort_unstable();
    names.dedup();
    assert_eq!(names.len(), server.accounts.len(), "each account once");
    let (status, _, body) = get(&server.addr, "/login", "");
    assert!(status.contains("200"), "{status}");
    assert!(body.contains("登录"));
    // Every printed account signs in; the filer of 淮北 sees the seed forms waiting.
    for (name, pw, _) in &server.accounts {
        assert!(
            login(&server.addr, name, pw).is_some(),
            "{name} cannot sign in"
        );
    }
    let (name, pw, _) = server
        .accounts
        .iter()
        .find(|a| a.0 == "tianbao2")
        .expect("tianbao2");
    let cookie = login(&server.addr, name, pw).expect("session");
    let (status, _, home) = get(&server.addr, "/", &cookie);
    assert!(status.contains("200"));
    assert!(
        home.contains("待办事项")
            && home.contains("日常运转经费")
            && home.contains("工伤稽核专项经费")
    );
    let (_, _, list) = get(&server.addr, "/forms", &cookie);
    assert!(list.contains("项目支出绩效自评表"));
    drop(server);
    // A second start on the same file prints working accounts again (new passwords).
    let again = serve(&db);
    assert_eq!(again.accounts.len(), names.len());
    let (name, pw, _) = &again.accounts[0];
    assert!(login(&again.addr, name, pw).is_some());
}

#[test]
fn log_verify_names_the_first_tampered_row() {
    let db = db_path("log");
    drop(serve(&db));
    let url = format!("sqlite:{}", db.display());
    let verify = || {
        Command::new(env!("CARGO_BIN_EXE_jixiao"))
            .args(["log", "verify", "--database", &url])
            .output()
            .expect("run jixiao log verify")
    };
    let ok = verify();
    let out = String::from_utf8_lossy(&ok.stdout).into_owned();
    assert!(ok.status.success(), "{out}");
    assert!(out.contains("变更日志完整"), "{out}");
    // Someone with access to the file edits row 7.
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    rt.block_on(async {
        use sqlx::Connection;
        sqlx::any::install_default_drivers();
        let mut conn = sqlx::AnyConnection::connect(&url).await.expect("connect");
        sqlx::query("UPDATE change_log SET detail = '{\"role\":\"admin\"}' WHERE id = 7")
            .execute(&mut conn)
            .await
            .expect("tamper");
        conn.close().await.ok();
    });
    let broken = verify();
    let out = String::from_utf8_lossy(&broken.stdout).into_owned();
    assert!(!broken.status.success());
    assert!(
        out.contains("第7条记录处断开") && out.contains("此前6条校验通过"),
        "{out}"
    );
}
