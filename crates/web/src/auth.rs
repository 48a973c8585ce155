//! Sessions in the browser: the HttpOnly, SameSite cookie; the signed-in user as an extractor;
//! CSRF tokens (one per session, in every form and in htmx's header) and the Origin check on
//! every state change.

use axum::extract::{FromRequestParts, OriginalUri};
use axum::http::request::Parts;
use axum::http::{HeaderMap, header};
use jixiao_app::AppError;
use jixiao_app::service::Session;

use crate::AppState;
use crate::error::WebError;

/// The session cookie's name.
pub const COOKIE: &str = "jixiao_session";

/// The session token in the request's cookies.
pub fn token(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == COOKIE)
        .map(|(_, v)| v.to_string())
        .filter(|v| !v.is_empty())
}

/// The `Set-Cookie` value that starts a session living `ttl_ms` milliseconds.
pub fn set_cookie(token: &str, secure: bool, ttl_ms: i64) -> String {
    let max_age = ttl_ms / 1000;
    format!(
        "{COOKIE}={token}; Path=/; HttpOnly; SameSite=Lax; Max-Age={max_age}{}",
        if secure { "; Secure" } else { "" }
    )
}

/// The `Set-Cookie` value that ends it.
pub fn clear_cookie() -> String {
    format!("{COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0")
}

/// True when two tokens are equal, compared in constant time.
pub fn same_token(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

/// Refuses a state change whose `Origin` (or `Referer`) names another site.
pub fn check_origin(headers: &HeaderMap) -> Result<(), AppError> {
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or_default();
    let from = headers
        .get(header::ORIGIN)
        .or_else(|| headers.get(header::REFERER))
        .and_then(|h| h.to_str().ok());
    match from {
        None => Ok(()),
        Some(origin) => {
            let rest = origin.split_once("://").map_or(origin, |(_, rest)| rest);
            let origin_host = rest.split('/').next().unwrap_or_default();
            if origin_host == host {
                Ok(())
            } else {
                Err(AppError::Forbidden(
                    "请求来自其他网站（Origin 不符），已拒绝".to_string(),
                ))
            }
        }
    }
}

/// Checks a state change: same origin and the session's CSRF token.
pub fn check_csrf(
    session: &Session,
    headers: &HeaderMap,
    posted: Option<&str>,
) -> Result<(), AppError> {
    check_origin(headers)?;
    let sent = posted.map(str::to_string).or_else(|| {
        headers
            .get("x-csrf-token")
            .and_then(|v| v.to_str().ok())
            .map(str::to_string)
    });
    match sent {
        Some(t) if same_token(&t, &session.csrf) => Ok(()),
        _ => Err(AppError::Forbidden(
            "表单已过期或来源不明（缺少有效的 CSRF 令牌），请刷新页面后重试".to_string(),
        )),
    }
}

/// The signed-in user of a page request; without a session the page redirects to /login.
#[derive(Debug, Clone)]
pub struct PageUser(pub Session);

/// The signed-in user of an API request; without a session: 401 JSON.
#[derive(Debug, Clone)]
pub struct ApiUser(pub Session);

/// What a user who must change a one-time password may still reach: the change itself (page
/// and API), their session (read it, end it) and logout. Everything else is
/// [`AppError::PasswordChangeRequired`]: pages redirect to `/password`, the API answers 403.
pub const OPEN_BEFORE_PASSWORD_CHANGE: &[&str] = &[
    "/password",
    "/logout",
    "/api/v1/session",
    "/api/v1/session/password",
];

/// The session named by the request's cookie; a session that must first change its one-time
/// password reaches only [`OPEN_BEFORE_PASSWORD_CHANGE`].
pub(crate) async fn session_of(parts: &Parts, state: &AppState) -> Result<Session, AppError> {
    let token = token(&parts.headers).ok_or(AppError::Unauthenticated)?;
    let session = state.app.session(&token).await?;
    if session.must_change_password {
        // Nested routers see their path without the prefix; the original one is kept.
        let path = parts
            .extensions
            .get::<OriginalUri>()
            .map_or_else(|| parts.uri.path(), |u| u.0.path());
        if !OPEN_BEFORE_PASSWORD_CHANGE.contains(&path) {
            return Err(AppError::PasswordChangeRequired);
        }
    }
    Ok(session)
}

impl FromRequestParts<AppState> for PageUser {
    type Rejection = WebError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        session_of(parts, state)
            .await
            .map(PageUser)
            .map_err(WebError::page)
    }
}

impl FromRequestParts<AppState> for ApiUser {
    type Rejection = WebError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        session_of(parts, state)
            .await
            .map(ApiUser)
            .map_err(WebError::api)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    #[test]
    fn the_cookie_is_found_among_others() {
        let mut h = HeaderMap::new();
        h.insert(
            header::COOKIE,
            HeaderValue::from_static("a=1; jixiao_session=abc; b=2"),
        );
        assert_eq!(token(&h).as_deref(), Some("abc"));
        assert!(set_cookie("t", false, 3_600_000).contains("HttpOnly; SameSite=Lax; Max-Age=3600"));
        assert!(set_cookie("t", true, 3_600_000).ends_with("; Secure"));
    }

    #[test]
    fn other_origins_are_refused() {
        let mut h = HeaderMap::new();
        h.insert(header::HOST, HeaderValue::from_static("127.0.0.1:8080"));
        assert!(check_origin(&h).is_ok());
        h.insert(
            header::ORIGIN,
            HeaderValue::from_static("http://127.0.0.1:8080"),
        );
        assert!(check_origin(&h).is_ok());
        h.insert(
            header::ORIGIN,
            HeaderValue::from_static("http://evil.example"),
        );
        assert!(check_origin(&h).is_err());
        assert!(same_token("abc", "abc"));
        assert!(!same_token("abc", "abd"));
        assert!(!same_token("abc", "ab"));
    }
}
