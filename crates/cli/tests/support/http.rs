//! A small blocking HTTP/1.1 client for the real server on loopback, and `jixiao serve` started
//! and killed as a child process.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use serde_json::Value;

/// A reply: status, headers (lower-case names), body.
#[derive(Debug, Clone)]
pub struct Reply {
    /// Status code.
    pub status: u16,
    /// Header lines as sent.
    pub headers: String,
    /// Body.
    pub body: Vec<u8>,
}

impl Reply {
    /// The body as JSON (`Null` when it is not).
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap_or(Value::Null)
    }

    /// The body as text.
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

/// One request on a new connection (`Connection: close`). An error is a request whose answer
/// never arrived (refused, reset, cut short): it was not acknowledged.
pub fn request(
    addr: &str,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &[u8],
) -> std::io::Result<Reply> {
    let mut s = TcpStream::connect(addr)?;
    s.set_read_timeout(Some(Duration::from_secs(60)))?;
    s.set_write_timeout(Some(Duration::from_secs(60)))?;
    let mut head = format!(
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\nContent-Length: {}\r\n",
        body.len()
    );
    for (k, v) in headers {
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    head.push_str("\r\n");
    s.write_all(head.as_bytes())?;
    s.write_all(body)?;
    let mut raw = Vec::new();
    s.read_to_end(&mut raw)?;
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .ok_or_else(|| std::io::Error::new(std::io::ErrorKind::UnexpectedEof, "no header"))?;
    let head = String::from_utf8_lossy(&raw[..split]).into_owned();
    let status: u16 = head
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| std::io::Error::new(std::io::ErrorKind::InvalidData, "no status"))?;
    let mut body = raw[split + 4..].to_vec();
    let lower = head.to_ascii_lowercase();
    let headers = head.clone();
    if let Some(len) = lower
        .lines()
        .find_map(|l| l.strip_prefix("content-length:"))
        .and_then(|v| v.trim().parse::<usize>().ok())
    {
        if body.len() < len {
            return Err(std::io::Error::new(
                std::io::ErrorKind::UnexpectedEof,
                "body cut short",
            ));
        }
        body.truncate(len);
    } else if lower.contains("transfer-encoding: chunked") {
        body = dechunk(&body)?;
    }
    Ok(Reply {
        status,
        headers,
        body,
    })
}

fn dechunk(mut raw: &[u8]) -> std::io::Result<Vec<u8>> {
    let mut out = Vec::new();
    loop {
        let line_end = raw
            .windows(2)
            .position(|w| w == b"\r\n")
            .ok_or_else(|| std::io::Error::new(std::io::ErrorKind::UnexpectedEof, "chunk"))?;
        let size = usize::from_str_radix(
            String::from_utf8_lossy(&raw[..line_end])
                .split(';')
                .next()
                .unwrap_or("0")
                .trim(),
            16,
        )
        .map_err(|_| std::io::Error::new(std::io::ErrorKind::InvalidData, "chunk size"))?;
        raw = &raw[line_end + 2..];
        if size == 0 {
            return Ok(out);
        }
        if raw.len() < size + 2 {
            return Err(std::io::Error::new(
                std::io::ErrorKind::UnexpectedEof,
                "chunk cut short",
            ));
        }
        out.extend_from_slice(&raw[..size]);
        raw = &raw[size + 2..];
    }
}

/// A signed-in API client: the session cookie and the CSRF token.
#[derive(Debug, Clone)]
pub struct ApiClient {
    /// host:port.
    pub addr: String,
    /// `jixiao_session=…`.
    pub cookie: String,
    /// The session's CSRF token.
    pub csrf: String,
}

impl ApiClient {
    /// Signs in through `POST /api/v1/session`.
    pub fn login(addr: &str, username: &str, password: &str) -> std::io::Result<ApiClient> {
        let body = serde_json::json!({"username": username, "password": password}).to_string();
        let r = request(
            addr,
            "POST",
            "/api/v1/session",
            &[("Content-Type", "application/json")],
            body.as_bytes(),
        )?;
        if r.status != 200 {
            return Err(std::io::Error::other(format!(
                "login {username}: {} {}",
                r.status,
                r.text()
            )));
        }
        let cookie = r
            .headers
            .lines()
            .find(|l| l.to_ascii_lowercase().starts_with("set-cookie:"))
            .and_then(|l| l.split_once(':'))
            .and_then(|(_, c)| c.trim().split(';').next())
            .unwrap_or_default()
            .to_string();
        let csrf = r.json()["csrf_token"]
            .as_str()
            .unwrap_or_default()
            .to_string();
        Ok(ApiClient {
            addr: addr.to_string(),
            cookie,
            csrf,
        })
    }

    /// A JSON call.
    pub fn call(&self, method: &str, path: &str, body: Option<&Value>) -> std::io::Result<Reply> {
        let text = body.map(Value::to_string).unwrap_or_default();
        request(
            &self.addr,
            method,
            path,
            &[
                ("Content-Type", "application/json"),
                ("Cookie", &self.cookie),
                ("X-CSRF-Token", &self.csrf),
            ],
            text.as_bytes(),
        )
    }

    /// A multipart upload of one file with extra fields (the CSRF token is added).
    pub fn upload(
        &self,
        path: &str,
        fields: &[(&str, &str)],
        file_name: &str,
        bytes: &[u8],
    ) -> std::io::Result<Reply> {
        let (content_type, body) = multipart(fields, &self.csrf, file_name, bytes);
        request(
            &self.addr,
            "POST",
            path,
            &[("Content-Type", &content_type), ("Cookie", &self.cookie)],
            &body,
        )
    }
}

/// A multipart body: the fields, `_csrf`, and the file as `file`.
pub fn multipart(
    fields: &[(&str, &str)],
    csrf: &str,
    file_name: &str,
    bytes: &[u8],
) -> (String, Vec<u8>) {
    let boundary = "----jixiaoreliability9f8e7d6c5b4a";
    let mut body = Vec::new();
    for (k, v) in fields.iter().chain(std::iter::once(&("_csrf", csrf))) {
        body.extend(
            format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n{v}\r\n")
                .as_bytes(),
        );
    }
    body.extend(
        format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{file_name}\"\r\nContent-Type: application/octet-stream\r\n\r\n"
        )
        .as_bytes(),
    );
    body.extend(bytes);
    body.extend(format!("\r\n--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

/// A running `jixiao serve`.
pub struct Server {
    /// The process.
    pub child: Child,
    /// host:port it listens on.
    pub addr: String,
    /// Demo accounts printed (with `--demo`): (name, password, role).
    pub accounts: Vec<(String, String, String)>,
}

impl Server {
    /// Starts `jixiao serve` on a free loopback port; with `demo`, loads the demo region.
    pub fn start(url: &str, demo: bool) -> Server {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_jixiao"));
        cmd.args(["serve", "--addr", "127.0.0.1:0", "--database", url]);
        if demo {
            cmd.arg("--demo");
        }
        let mut child = cmd
            .env_remove("DATABASE_URL")
            .env("JIXIAO_LOG", "error")
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("start jixiao serve");
        let out = child.stdout.take().expect("stdout");
        let mut accounts = Vec::new();
        let mut addr = String::new();
        for line in BufReader::new(out).lines() {
            let Ok(line) = line else { break };
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

    /// The password of a demo account.
    pub fn password(&self, name: &str) -> String {
        self.accounts
            .iter()
            .find(|a| a.0 == name)
            .map(|a| a.1.clone())
            .unwrap_or_else(|| panic!("no account {name}"))
    }

    /// SIGKILL: no shutdown, no flush, nothing.
    pub fn kill(mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
