//! `load`: a bounded load generator for `jixiao serve`, on loopback only.
//!
//! ```text
//! cargo build --release -p jixiao -p jixiao-bench
//! target/release/load --database sqlite:/tmp/load.db --units 2000 --forms 20 --users 200 --seconds 60
//! target/release/load --database postgres://… --units 2000 --forms 20 --users 200 --instances 2
//! ```
//!
//! 1. Fills an empty database directly through jixiao-store ([`jixiao_bench::fill`]): a finance
//!    bureau, one 主管部门 per 100 units, `--units` units with a filer each, `--forms` forms per
//!    unit made from the real seed forms of testdata/forms (their JSON as transcribed, figures
//!    computed by the app), every one a draft (with `--stage-mix`, most handed over).
//! 2. Starts `--instances` `jixiao serve` processes (release build) on 127.0.0.1 on that database.
//! 3. Runs `--users` simulated users for `--seconds` (at most `--max-requests` requests), each
//!    signed in with its own session on one instance (sign-ins spread over `--ramp` seconds
//!    before the measured window), with a think time between actions (`--think` milliseconds,
//!    mean; 0 for a closed loop): form pages, list pages, the home page, live
//!    scoring previews, saves through the API, uploads of a seed document, and for the bureau's
//!    users the dashboard.
//! 4. Prints, per kind of request, the count, errors, p50, p99 and max, and the throughput.
//!
//! Every address it connects to is 127.0.0.1; every loop is bounded in time and count.

// Timings are measurements, not money or scores: floating point is right here.
#![allow(clippy::float_arithmetic)]

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use jixiao_bench::fill::{self, PASSWORD, Region, StageMix};
use serde_json::{Value, json};
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpStream;
use tokio::sync::Mutex;

const SEED_DOCX: &[u8] = include_bytes!("../../../testdata/fixtures/seed001.docx");

#[derive(Debug, Clone)]
struct Options {
    database: String,
    units: usize,
    forms: usize,
    users: usize,
    bureau_users: usize,
    seconds: u64,
    max_requests: u64,
    think_ms: u64,
    ramp: u64,
    instances: usize,
    jixiao: PathBuf,
    skip_fill: bool,
    stage_mix: bool,
}

fn options() -> Options {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let get = |name: &str| {
        args.iter()
            .position(|a| a == name)
            .and_then(|i| args.get(i + 1))
            .cloned()
    };
    let num = |name: &str, default: u64| get(name).and_then(|v| v.parse().ok()).unwrap_or(default);
    let database = get("--database").unwrap_or_else(|| {
        eprintln!(
            "需要 --database sqlite:FILE 或 postgres://…（空数据库，或加 --skip-fill 用已填好的）"
        );
        std::process::exit(2);
    });
    for url in [database.as_str()] {
        if url.starts_with("postgres") {
            let host = url
                .split('@')
                .nth(1)
                .unwrap_or(url)
                .split(['/', ':'])
                .next()
                .unwrap_or_default();
            assert!(
                host == "127.0.0.1" || host == "localhost",
                "load runs against loopback only, not {host}"
            );
        }
    }
    Options {
        database,
        units: num("--units", 2000) as usize,
        forms: num("--forms", 20) as usize,
        users: num("--users", 200) as usize,
        bureau_users: num("--bureau-users", 4) as usize,
        seconds: num("--seconds", 60).min(900),
        max_requests: num("--max-requests", 2_000_000),
        think_ms: num("--think", 1000),
        ramp: num("--ramp", 15).min(120),
        instances: num("--instances", 1).clamp(1, 8) as usize,
        jixiao: get("--jixiao").map_or_else(
            || PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target/release/jixiao"),
            PathBuf::from,
        ),
        skip_fill: args.iter().any(|a| a == "--skip-fill"),
        stage_mix: args.iter().any(|a| a == "--stage-mix"),
    }
}

// ── the servers ────────────────────────────────────────────────────────────────────────────

struct Instance {
    child: std::process::Child,
    addr: String,
}

impl Drop for Instance {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start(o: &Options) -> Instance {
    use std::io::BufRead;
    let mut child = std::process::Command::new(&o.jixiao)
        .args(["serve", "--addr", "127.0.0.1:0", "--database", &o.database])
        .env("JIXIAO_LOG", "warn")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::inherit())
        .spawn()
        .unwrap_or_else(|e| {
            panic!(
                "start {}: {e} (cargo build --release -p jixiao)",
                o.jixiao.display()
            )
        });
    let out = child.stdout.take().expect("stdout");
    let mut addr = String::new();
    for line in std::io::BufReader::new(out).lines() {
        let Ok(line) = line else { break };
        if let Some(url) = line.strip_prefix("绩效系统已启动：http://") {
            addr = url.trim_end_matches('/').to_string();
            break;
        }
    }
    assert!(addr.starts_with("127.0.0.1:"), "the server did not start");
    Instance { child, addr }
}

// ── a keep-alive HTTP/1.1 client ───────────────────────────────────────────────────────────

struct Conn {
    addr: String,
    stream: Option<BufReader<TcpStream>>,
    cookie: String,
    csrf: String,
}

struct Answer {
    status: u16,
    body: Vec<u8>,
    set_cookie: Option<String>,
}

impl Conn {
    fn new(addr: &str) -> Conn {
        Conn {
            addr: addr.to_string(),
            stream: None,
            cookie: String::new(),
            csrf: String::new(),
        }
    }

    async fn send(
        &mut self,
        method: &str,
        path: &str,
        content_type: Option<&str>,
        body: &[u8],
    ) -> std::io::Result<Answer> {
        // One retry on a connection the server closed while idle.
        for attempt in 0..2 {
            if self.stream.is_none() {
                let stream = TcpStream::connect(&self.addr).await?;
                // A request goes out as one write, without waiting for delayed ACKs.
                stream.set_nodelay(true)?;
                self.stream = Some(BufReader::new(stream));
            }
            match self.exchange(method, path, content_type, body).await {
                Ok(a) => return Ok(a),
                Err(_) if attempt == 0 => self.stream = None,
                Err(e) => return Err(e),
            }
        }
        Err(std::io::Error::other("unreachable"))
    }

    async fn exchange(
        &mut self,
        method: &str,
        path: &str,
        content_type: Option<&str>,
        body: &[u8],
    ) -> std::io::Result<Answer> {
        let s = self.stream.as_mut().expect("connected");
        let mut head = format!(
            "{method} {path} HTTP/1.1\r\nHost: {}\r\nContent-Length: {}\r\n",
            self.addr,
            body.len()
        );
        if let Some(ct) = content_type {
            head.push_str(&format!("Content-Type: {ct}\r\n"));
        }
        if !self.cookie.is_empty() {
            head.push_str(&format!("Cookie: {}\r\n", self.cookie));
        }
        if !self.csrf.is_empty() {
            head.push_str(&format!("X-CSRF-Token: {}\r\n", self.csrf));
        }
        head.push_str("\r\n");
        let mut request = head.into_bytes();
        request.extend_from_slice(body);
        s.get_mut().write_all(&request).await?;
        let mut line = String::new();
        if s.read_line(&mut line).await? == 0 {
            return Err(std::io::Error::new(
                std::io::ErrorKind::UnexpectedEof,
                "closed",
            ));
        }
        let status: u16 = line
            .split(' ')
            .nth(1)
            .and_then(|v| v.parse().ok())
            .ok_or_else(|| std::io::Error::other(format!("bad status line {line:?}")))?;
        let mut length = None;
        let mut chunked = false;
        let mut close = false;
        let mut set_cookie = None;
        loop {
            line.clear();
            s.read_line(&mut line).await?;
            let l = line.trim_end();
            if l.is_empty() {
                break;
            }
            let (k, v) = l.split_once(':').unwrap_or((l, ""));
            let (k, v) = (k.to_ascii_lowercase(), v.trim());
            match k.as_str() {
                "content-length" => length = v.parse().ok(),
                "transfer-encoding" => chunked = v.eq_ignore_ascii_case("chunked"),
                "connection" => close = v.eq_ignore_ascii_case("close"),
                "set-cookie" => set_cookie = v.split(';').next().map(str::to_string),
                _ => {}
            }
        }
        let mut body = Vec::new();
        if let Some(n) = length {
            body.resize(n, 0);
            s.read_exact(&mut body).await?;
        } else if chunked {
            loop {
                line.clear();
                s.read_line(&mut line).await?;
                let n = usize::from_str_radix(line.trim().split(';').next().unwrap_or("0"), 16)
                    .map_err(|_| std::io::Error::other("chunk size"))?;
                let mut chunk = vec![0; n + 2];
                s.read_exact(&mut chunk).await?;
                if n == 0 {
                    break;
                }
                body.extend_from_slice(&chunk[..n]);
            }
        } else {
            s.read_to_end(&mut body).await?;
            close = true;
        }
        if close {
            self.stream = None;
        }
        Ok(Answer {
            status,
            body,
            set_cookie,
        })
    }

    async fn login(&mut self, username: &str) -> std::io::Result<()> {
        let body = json!({"username": username, "password": PASSWORD}).to_string();
        let a = self
            .send(
                "POST",
                "/api/v1/session",
                Some("application/json"),
                body.as_bytes(),
            )
            .await?;
        if a.status != 200 {
            return Err(std::io::Error::other(format!(
                "login {username}: {}",
                a.status
            )));
        }
        self.cookie = a.set_cookie.unwrap_or_default();
        let v: Value = serde_json::from_slice(&a.body).unwrap_or(Value::Null);
        self.csrf = v["csrf_token"].as_str().unwrap_or_default().to_string();
        Ok(())
    }
}

// ── the users ──────────────────────────────────────────────────────────────────────────────

#[derive(Default)]
struct Stats {
    by_kind: BTreeMap<&'static str, Vec<Duration>>,
    errors: BTreeMap<&'static str, Vec<String>>,
    conflicts: u64,
}

struct Rng(u64);

impl Rng {
    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n.max(1)
    }
}

fn url_encode(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
                char::from(b).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

#[allow(clippy::too_many_arguments)]
async fn user(
    k: usize,
    addr: String,
    bureau: bool,
    from: Instant,
    deadline: Instant,
    think_ms: u64,
    budget: Arc<AtomicU64>,
    max_requests: u64,
    stats: Arc<Mutex<Stats>>,
) {
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15 ^ (k as u64 + 1).wrapping_mul(0x2545_F491_4F6C_DD1D));
    let mut c = Conn::new(&addr);
    let name = if bureau {
        format!("caizheng{k}")
    } else {
        format!("tianbao{k}")
    };
    // Sign-ins are spread over the ramp before the measured window (200 argon2 checks at once
    // would otherwise be what the first seconds measure).
    let ramp = from.saturating_duration_since(Instant::now()).as_millis() as u64;
    tokio::time::sleep(Duration::from_millis(rng.below(ramp.max(1) * 8 / 10))).await;
    if let Err(e) = c.login(&name).await {
        stats
            .lock()
            .await
            .errors
            .entry("login")
            .or_default()
            .push(e.to_string());
        return;
    }
    // The user's forms (a filer: its unit's; the bureau: the first page of the region).
    let ids: Vec<i64> = match c.send("GET", "/api/v1/forms", None, b"").await {
        Ok(a) if a.status == 200 => serde_json::from_slice::<Value>(&a.body)
            .ok()
            .and_then(|v| {
                v["forms"]
                    .as_array()
                    .map(|a| a.iter().filter_map(|f| f["id"].as_i64()).take(50).collect())
            })
            .unwrap_or_default(),
        _ => Vec::new(),
    };
    if ids.is_empty() {
        stats
            .lock()
            .await
            .errors
            .entry("list")
            .or_default()
            .push(format!("{name}: no forms"));
        return;
    }
    let mut local = Stats::default();
    tokio::time::sleep_until(tokio::time::Instant::from_std(from)).await;
    // Users start out of step, as people do.
    tokio::time::sleep(Duration::from_millis(rng.below(think_ms.max(1)))).await;
    while Instant::now() < deadline && budget.fetch_add(1, Ordering::Relaxed) < max_requests {
        let id = ids[rng.below(ids.len() as u64) as usize];
        let roll = rng.below(100);
        let mut t = Instant::now();
        let (kind, result) = if bureau {
            bureau_action(&mut c, &mut rng, roll, id).await
        } else {
            filer_action(&mut c, &mut rng, roll, id, &mut local, &mut t).await
        };
        record(&mut local, kind, result, t.elapsed());
        if think_ms > 0 {
            let pause = think_ms / 2 + rng.below(think_ms);
            tokio::time::sleep(Duration::from_millis(pause)).await;
        }
    }
    let mut s = stats.lock().await;
    for (k, v) in local.by_kind {
        s.by_kind.entry(k).or_default().extend(v);
    }
    for (k, v) in local.errors {
        s.errors.entry(k).or_default().extend(v);
    }
    s.conflicts += local.conflicts;
}

/// One action of a bureau user: the dashboard, the home page, a page of the region's list, or
/// a form.
async fn bureau_action(
    c: &mut Conn,
    rng: &mut Rng,
    roll: u64,
    id: i64,
) -> (&'static str, std::io::Result<Answer>) {
    if roll < 20 {
        ("dashboard", c.send("GET", "/dashboard", None, b"").await)
    } else if roll < 30 {
        ("bureau home page", c.send("GET", "/", None, b"").await)
    } else if roll < 60 {
        // The region's list, browsed a page at a time, sometimes narrowed to a stage.
        let page = 1 + rng.below(100);
        let path = if rng.below(3) == 0 {
            format!("/forms?stage=submitted&page={page}")
        } else {
            format!("/forms?page={page}")
        };
        ("bureau list page", c.send("GET", &path, None, b"").await)
    } else {
        (
            "form page",
            c.send("GET", &format!("/forms/{id}"), None, b"").await,
        )
    }
}

/// One action of a filer: a form page, the list, the home page, a live preview, a read and
/// save (the read is recorded apart and `t` restarted for the save), or an upload.
async fn filer_action(
    c: &mut Conn,
    rng: &mut Rng,
    roll: u64,
    id: i64,
    local: &mut Stats,
    t: &mut Instant,
) -> (&'static str, std::io::Result<Answer>) {
    if roll < 35 {
        (
            "form page",
            c.send("GET", &format!("/forms/{id}"), None, b"").await,
        )
    } else if roll < 50 {
        ("list page", c.send("GET", "/forms", None, b"").await)
    } else if roll < 58 {
        ("home page", c.send("GET", "/", None, b"").await)
    } else if roll < 75 {
        // Live scoring: one field typed, the figures recomputed.
        let body = format!(
            "_csrf={}&indicators%5B0%5D.actual={}",
            c.csrf,
            url_encode(&format!("完成{}项", rng.below(1000)))
        );
        (
            "live preview",
            c.send(
                "POST",
                &format!("/forms/{id}/preview"),
                Some("application/x-www-form-urlencoded"),
                body.as_bytes(),
            )
            .await,
        )
    } else if roll < 97 {
        // A save: read the form (API), change one figure, save over its version.
        let t0 = Instant::now();
        match c
            .send("GET", &format!("/api/v1/forms/{id}"), None, b"")
            .await
        {
            Ok(a) if a.status == 200 => {
                local
                    .by_kind
                    .entry("form (API)")
                    .or_default()
                    .push(t0.elapsed());
                let mut v: Value = serde_json::from_slice(&a.body).unwrap_or(Value::Null);
                let figure = format!("完成{}项", rng.below(100_000));
                if let Some(ind) = v["form"]["indicators"].get_mut(0) {
                    let field = if ind.get("actual").is_some() {
                        "actual"
                    } else {
                        "target"
                    };
                    ind[field] = Value::String(figure);
                }
                let body = json!({"version": v["version"], "form": v["form"]}).to_string();
                *t = Instant::now();
                let r = c
                    .send(
                        "PUT",
                        &format!("/api/v1/forms/{id}"),
                        Some("application/json"),
                        body.as_bytes(),
                    )
                    .await;
                ("save", r)
            }
            other => ("form (API)", other),
        }
    } else {
        let (ct, body) = multipart(&c.csrf, "seed001.docx", SEED_DOCX);
        (
            "upload",
            c.send("POST", "/api/v1/imports", Some(&ct), &body).await,
        )
    }
}

/// Counts an answer: its time under its kind, a 409 as a conflict, anything else as an error.
fn record(local: &mut Stats, kind: &'static str, result: std::io::Result<Answer>, took: Duration) {
    match result {
        Ok(a) if a.status < 400 => local.by_kind.entry(kind).or_default().push(took),
        Ok(a) if a.status == 409 => {
            local.conflicts += 1;
            local.by_kind.entry(kind).or_default().push(took);
        }
        Ok(a) => local.errors.entry(kind).or_default().push(format!(
            "{} {}",
            a.status,
            String::from_utf8_lossy(&a.body)
                .chars()
                .take(200)
                .collect::<String>()
        )),
        Err(e) => local.errors.entry(kind).or_default().push(e.to_string()),
    }
}

fn multipart(csrf: &str, name: &str, bytes: &[u8]) -> (String, Vec<u8>) {
    let boundary = "----jixiaoload5f4e3d2c1b";
    let mut body = Vec::new();
    for (k, v) in [("_csrf", csrf), ("year", "2022")] {
        body.extend(
            format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n{v}\r\n")
                .as_bytes(),
        );
    }
    body.extend(format!("--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\nContent-Type: application/octet-stream\r\n\r\n").as_bytes());
    body.extend(bytes);
    body.extend(format!("\r\n--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

fn ms(d: Duration) -> String {
    format!("{:.1}", d.as_secs_f64() * 1000.0)
}

#[tokio::main]
async fn main() {
    let o = options();
    if !o.skip_fill {
        fill::fill(&Region {
            database: o.database.clone(),
            units: o.units,
            forms: o.forms,
            filers: o.users,
            bureau_users: o.bureau_users,
            stages: if o.stage_mix {
                StageMix::Realistic
            } else {
                StageMix::Drafts
            },
        })
        .await;
    }
    let instances: Vec<Instance> = (0..o.instances).map(|_| start(&o)).collect();
    let addrs: Vec<String> = instances.iter().map(|i| i.addr.clone()).collect();
    eprintln!(
        "{} instance(s) on {}; {} users ({} of the bureau) for {} s, think time {} ms",
        o.instances,
        addrs.join(", "),
        o.users,
        o.bureau_users,
        o.seconds,
        o.think_ms
    );
    let stats = Arc::new(Mutex::new(Stats::default()));
    let budget = Arc::new(AtomicU64::new(0));
    // Sign-ins during the ramp; the measured window follows it.
    let from = Instant::now() + Duration::from_secs(o.ramp);
    let started = from;
    let deadline = from + Duration::from_secs(o.seconds);
    let mut tasks = Vec::new();
    for k in 0..o.users {
        let bureau = k < o.bureau_users;
        let addr = addrs[k % addrs.len()].clone();
        tasks.push(tokio::spawn(user(
            k,
            addr,
            bureau,
            from,
            deadline,
            o.think_ms,
            budget.clone(),
            o.max_requests,
            stats.clone(),
        )));
    }
    for t in tasks {
        let _ = t.await;
    }
    let elapsed = started.elapsed();
    drop(instances);
    let s = stats.lock().await;
    let total: usize = s.by_kind.values().map(Vec::len).sum();
    let errors: usize = s.errors.values().map(Vec::len).sum();
    println!(
        "database {} · {} · {} instance(s) · {} users ({} bureau) · think {} ms · {:.1} s",
        jixiao_store::db::redact(&o.database),
        if o.skip_fill {
            "filled before".to_string()
        } else {
            format!("{} units × {} forms", o.units, o.forms)
        },
        o.instances,
        o.users,
        o.bureau_users,
        o.think_ms,
        elapsed.as_secs_f64()
    );
    println!(
        "{:<22} {:>8} {:>8} {:>9} {:>9} {:>9}",
        "request", "count", "errors", "p50 ms", "p99 ms", "max ms"
    );
    for (kind, v) in &s.by_kind {
        let mut v = v.clone();
        v.sort();
        println!(
            "{:<22} {:>8} {:>8} {:>9} {:>9} {:>9}",
            kind,
            v.len(),
            s.errors.get(kind).map_or(0, Vec::len),
            ms(percentile(&v, 0.50)),
            ms(percentile(&v, 0.99)),
            ms(v.last().copied().unwrap_or_default())
        );
    }
    println!(
        "total {total} requests answered, {errors} errors, {} save conflicts (409), {:.0} requests/s",
        s.conflicts,
        total as f64 / elapsed.as_secs_f64()
    );
    for (kind, list) in &s.errors {
        for e in list.iter().take(3) {
            println!("  error in {kind}: {e}");
        }
    }
    if errors > 0 {
        std::process::exit(1);
    }
}
