//! The HTTP client of the web tests: a browser (or API client) with its own cookie jar, sending
//! requests through the real router, and the demo region it signs into.
//!
//! Shared by `web.rs` and `access.rs`.

use std::sync::Arc;

use axum::Router;
use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header, request};
use jixiao_demo as demo;
pub use jixiao_demo::Account;
use jixiao_web::{AppState, router};
use serde_json::Value;
use tower::ServiceExt;

use crate::common::Db;

/// A browser (or API client) with its own cookie jar.
pub struct Client {
    pub router: Router,
    pub cookie: Option<String>,
    pub csrf: String,
}

/// A response: status, headers, body as text (and as it came, for downloads).
pub struct Reply {
    pub status: StatusCode,
    pub headers: axum::http::HeaderMap,
    pub body: String,
    /// The body as sent (downloads: .xlsx, .pdf).
    pub bytes: Vec<u8>,
}

impl Reply {
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }
}

pub const HOST: &str = "jixiao.test";

impl Client {
    pub fn new(db: &Db) -> Client {
        let state = AppState {
            app: Arc::new(db.app.clone()),
            secure_cookies: false,
        };
        Client {
            router: router(state),
            cookie: None,
            csrf: String::new(),
        }
    }

    pub async fn send(&mut self, req: axum::http::request::Builder, body: Body) -> Reply {
        let mut req = req.header(header::HOST, HOST);
        if let Some(c) = &self.cookie {
            req = req.header(header::COOKIE, c.clone());
        }
        let resp = self
            .router
            .clone()
            .oneshot(req.body(body).expect("request"))
            .await
            .expect("infallible");
        let status = resp.status();
        let headers = resp.headers().clone();
        if let Some(set) = headers
            .get(header::SET_COOKIE)
            .and_then(|v| v.to_str().ok())
        {
            let pair = set.split(';').next().unwrap_or_default().to_string();
            self.cookie = if pair.ends_with('=') {
                None
            } else {
                Some(pair)
            };
        }
        let bytes = axum::body::to_bytes(resp.into_body(), 64 * 1024 * 1024)
            .await
            .expect("body");
        Reply {
            status,
            headers,
            body: String::from_utf8_lossy(&bytes).into_owned(),
            bytes: bytes.to_vec(),
        }
    }

    pub async fn get(&mut self, path: &str) -> Reply {
        self.send(Request::get(path), Body::empty()).await
    }

    /// A form post; `_csrf` is added unless the fields name it.
    pub async fn post(&mut self, path: &str, fields: &[(&str, &str)]) -> Reply {
        let mut pairs: Vec<(String, String)> = fields
            .iter()
            .map(|(k, v)| ((*k).to_string(), (*v).to_string()))
            .collect();
        if !fields.iter().any(|(k, _)| *k == "_csrf") {
            pairs.push(("_csrf".into(), self.csrf.clone()));
        }
        let body = serde_urlencoded(&pairs);
        let req = Request::post(path)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(header::ORIGIN, format!("http://{HOST}"));
        self.send(req, Body::from(body)).await
    }

    pub async fn api(&mut self, method: &str, path: &str, body: Option<Value>) -> Reply {
        let req = Request::builder()
            .method(method)
            .uri(path)
            .header(header::CONTENT_TYPE, "application/json")
            .header("x-csrf-token", self.csrf.clone());
        let body = body.map_or_else(Body::empty, |b| Body::from(b.to_string()));
        self.send(req, body).await
    }

    pub async fn multipart(
        &mut self,
        path: &str,
        fields: &[(&str, &str)],
        file: (&str, &[u8]),
    ) -> Reply {
        self.multipart_files(path, fields, &[("file", file.0, file.1)])
            .await
    }

    /// A multipart post with several files: (field, file name, bytes).
    pub async fn multipart_files(
        &mut self,
        path: &str,
        fields: &[(&str, &str)],
        files: &[(&str, &str, &[u8])],
    ) -> Reply {
        let mut all: Vec<(String, String)> = fields
            .iter()
            .map(|(k, v)| ((*k).to_string(), (*v).to_string()))
            .collect();
        all.push(("_csrf".into(), self.csrf.clone()));
        let (kind, body) = multipart_body(&all, files);
        let req = Request::post(path)
            .header(header::CONTENT_TYPE, kind)
            .header(header::ORIGIN, format!("http://{HOST}"));
        self.send(req, Body::from(body)).await
    }

    /// Signs in through the login page and learns the CSRF token from the API.
    pub async fn login(&mut self, account: &Account) {
        let r = self
            .post(
                "/login",
                &[
                    ("username", &account.username),
                    ("password", &account.password),
                ],
            )
            .await;
        assert_eq!(
            r.status,
            StatusCode::SEE_OTHER,
            "login {}: {}",
            account.username,
            r.body
        );
        let me = self.get("/api/v1/session").await;
        assert_eq!(me.status, StatusCode::OK);
        self.csrf = me.json()["csrf_token"].as_str().expect("csrf").to_string();
    }
}

/// A multipart body of `fields` and `files` (field, file name, bytes), and its content type.
pub fn multipart_body(
    fields: &[(String, String)],
    files: &[(&str, &str, &[u8])],
) -> (String, Vec<u8>) {
    let boundary = "----jixiaoboundary7MA4YWxkTrZu0gW";
    let mut body: Vec<u8> = Vec::new();
    for (k, v) in fields {
        body.extend(
            format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n{v}\r\n")
                .as_bytes(),
        );
    }
    for (field, name, bytes) in files {
        body.extend(
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"{field}\"; filename=\"{name}\"\r\nContent-Type: application/octet-stream\r\n\r\n"
            )
            .as_bytes(),
        );
        body.extend(*bytes);
        body.extend(b"\r\n");
    }
    body.extend(format!("--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

pub fn serde_urlencoded(pairs: &[(String, String)]) -> String {
    pairs
        .iter()
        .map(|(k, v)| format!("{}={}", enc(k), enc(v)))
        .collect::<Vec<_>>()
        .join("&")
}

pub fn enc(s: &str) -> String {
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

pub fn account<'a>(accounts: &'a [Account], name: &str) -> &'a Account {
    accounts
        .iter()
        .find(|a| a.username == name)
        .unwrap_or_else(|| panic!("no demo account {name}"))
}

/// The demo region, and the id of 淮北 (unit 2)'s 日常运转经费 self-evaluation (a draft) and of a
/// form of 株洲 (unit 3) its filer may change (its project self-evaluation, returned by the
/// bureau).
pub async fn region(db: &Db) -> (Vec<Account>, i64, i64) {
    let accounts = demo::load(&db.app).await.expect("demo loads");
    let mut c = Client::new(db);
    c.login(account(&accounts, "caizheng")).await;
    let forms = c.api("GET", "/api/v1/forms", None).await.json();
    let forms = forms["forms"].as_array().expect("forms").clone();
    let find = |name: &str| {
        forms
            .iter()
            .find(|f| f["name"] == name)
            .and_then(|f| f["id"].as_i64())
            .unwrap_or_else(|| panic!("no demo form {name}"))
    };
    let daily = find("日常运转经费");
    let other = forms
        .iter()
        .find(|f| f["kind"] == "project_self_evaluation" && f["stage"] == "finance_returned")
        .and_then(|f| f["id"].as_i64())
        .expect("株洲's project self-evaluation");
    (accounts, daily, other)
}

/// 淮北's 工伤稽核专项经费 handed over through the use cases (sent on with its audit errors
/// explained, confirmed, submitted): what needs a form the unit has handed over (the demo keeps
/// 淮北's two self-evaluations drafts).
pub async fn submitted_of(db: &Db, accounts: &[Account]) -> i64 {
    let actor = |name: &str| {
        let a = account(accounts, name);
        let app = db.app.clone();
        let (user, password) = (a.username.clone(), a.password.clone());
        async move { app.login(&user, &password).await.expect("login").actor }
    };
    let (filer, head) = (actor("tianbao2").await, actor("fuzeren2").await);
    let filter = jixiao_app::rows::FormFilter {
        name_contains: Some("工伤稽核专项经费".into()),
        ..Default::default()
    };
    let form = db.app.list_forms(&filer, &filter).await.expect("forms")[0].clone();
    let (id, v) = (form.id, form.version);
    use jixiao_app::workflow::Action;
    let explained = Some("原表如此，已核对：总分与分值设置按原表填报");
    db.app
        .act(&filer, id, v, Action::RequestConfirmation, explained)
        .await
        .expect("send on");
    db.app
        .act(&head, id, v, Action::Confirm, None)
        .await
        .expect("confirm");
    db.app
        .act(&filer, id, v, Action::Submit, None)
        .await
        .expect("submit");
    id
}

/// The body a state change's handler reads.
#[derive(Debug, Clone)]
pub enum Shape {
    /// Urlencoded fields, the token in `_csrf` (the pages' default).
    Fields,
    /// A multipart upload of one small file, the token in the `_csrf` field.
    Multipart,
    /// JSON, the token in `X-CSRF-Token` (the API's default, as `{}`).
    Json(Value),
    /// No body, the token in `X-CSRF-Token`.
    Empty,
}

/// A `method` request to `path` carrying `token` (none at all: no `_csrf` field, no
/// `X-CSRF-Token` header), sent from `origin`, its body shaped as the handler reads it. The
/// fields are enough for every handler to reach its access check: a version, a workflow step,
/// a year, a rectification's description, deadline and answer.
pub fn state_change(
    method: &Method,
    path: &str,
    shape: &Shape,
    token: Option<&str>,
    origin: &str,
) -> (request::Builder, Body) {
    let req = Request::builder()
        .method(method.clone())
        .uri(path)
        .header(header::ORIGIN, origin);
    let fields: Vec<(String, String)> = token
        .map(|t| ("_csrf", t))
        .into_iter()
        .chain([
            ("version", "1"),
            ("action", "submit"),
            ("year", "2026"),
            ("description", "补充会议纪要"),
            ("deadline", "2030-06-30"),
            ("answer", "已补充"),
        ])
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    let with_header = |req: request::Builder| match token {
        Some(t) => req.header("x-csrf-token", t),
        None => req,
    };
    match shape {
        Shape::Fields => (
            req.header(header::CONTENT_TYPE, "application/x-www-form-urlencoded"),
            Body::from(serde_urlencoded(&fields)),
        ),
        Shape::Multipart => {
            let (kind, body) = multipart_body(&fields, &[("file", "a.txt", b"x")]);
            (req.header(header::CONTENT_TYPE, kind), Body::from(body))
        }
        Shape::Json(v) => (
            with_header(req.header(header::CONTENT_TYPE, "application/json")),
            Body::from(v.to_string()),
        ),
        Shape::Empty => (with_header(req), Body::empty()),
    }
}

/// The body the handler of `method` `path` (a route pattern) reads: pages read urlencoded
/// fields and the API JSON (`{}`), except the uploads (multipart), the API's JSON bodies that
/// need fields (`form` is a form's JSON for `PUT /api/v1/forms/{id}`) and the API's sign-out
/// (no body).
pub fn shape_of(method: &Method, path: &str, form: &Value) -> Shape {
    match (method.as_str(), path) {
        (
            "POST",
            "/forms/upload"
            | "/forms/{id}/import"
            | "/forms/{id}/attachments"
            | "/audit"
            | "/evaluations"
            | "/api/v1/imports"
            | "/api/v1/forms/{id}/import"
            | "/admin/import"
            | "/payments"
            | "/api/v1/payments"
            | "/api/v1/directory",
        ) => Shape::Multipart,
        ("POST", "/api/v1/forms") => {
            Shape::Json(serde_json::json!({"kind": "project_target", "year": 2026}))
        }
        ("PUT", "/api/v1/forms/{id}") => {
            Shape::Json(serde_json::json!({"version": 1, "form": form}))
        }
        ("POST", "/api/v1/forms/{id}/actions/{action}") => {
            Shape::Json(serde_json::json!({"version": 1}))
        }
        ("POST", "/api/v1/forms/{id}/adjustments") => {
            Shape::Json(serde_json::json!({"version": 1, "form": form, "reason": "访问测试"}))
        }
        ("POST", "/api/v1/adjustments/{id}/decision") => {
            Shape::Json(serde_json::json!({"approve": false, "reason": "访问测试"}))
        }
        ("POST", "/api/v1/forms/{id}/assignments") => {
            Shape::Json(serde_json::json!({"user_id": 1}))
        }
        ("POST", "/api/v1/assignments/{id}/declaration") => {
            Shape::Json(serde_json::json!({"no_conflict": true}))
        }
        ("POST", "/api/v1/assignments/{id}/score") => {
            Shape::Json(serde_json::json!({"opinion": "访问测试"}))
        }
        ("DELETE", "/api/v1/session") => Shape::Empty,
        (_, p) if p.starts_with("/api/") => Shape::Json(serde_json::json!({})),
        _ => Shape::Fields,
    }
}

/// Path pattern `pattern` with each `{param}` replaced by the value `values` gives it after the
/// segment before it (`forms` `{id}` → a form's id).
pub fn instantiate(pattern: &str, values: &[(&str, &str, String)]) -> String {
    let segments: Vec<&str> = pattern.split('/').collect();
    let mut path = Vec::new();
    for (i, segment) in segments.iter().enumerate() {
        if !segment.starts_with('{') {
            path.push((*segment).to_string());
            continue;
        }
        let before = if i == 0 { "" } else { segments[i - 1] };
        let value = values
            .iter()
            .find(|(b, p, _)| *b == before && p == segment)
            .map(|(.., v)| v.clone())
            .unwrap_or_else(|| {
                panic!("{pattern}: the test has no value for {before}/{segment}; give it one")
            });
        path.push(value);
    }
    path.join("/")
}
