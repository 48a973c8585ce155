//! A state change, checked once. Every POST (and the API's PUT and DELETE) names its handler's
//! body through one extractor, [`Posted`] (named as [`PagePost`], [`FormPost`] or [`ApiPost`]),
//! which, in the order the handlers used to spell out themselves:
//!
//! 1. find the signed-in user (without a session: the page redirects to /login, the API says
//!    401) — the only database read before the checks;
//! 2. read the path parameters the handler asks for;
//! 3. read the body ([`PostBody`]: the posted fields, a multipart upload, a typed form or JSON);
//! 4. check the Origin header and the session's CSRF token ([`auth::check_csrf`]).
//!
//! Only then does the handler run, with the session and the body it was given. A refusal is
//! rendered where the request came from: an error page (leading back to the form for
//! [`FormPost`]) or the API's JSON.
//!
//! The two sign-ins (`POST /login`, `POST /api/v1/session`) have no session yet: they check
//! the Origin themselves ([`auth::check_origin`]).

use std::future::Future;
use std::marker::PhantomData;

use axum::Json;
use axum::extract::{FromRequest, FromRequestParts, Multipart, Path, Request};
use axum::response::{IntoResponse, Redirect, Response};
use jixiao_app::AppError;
use jixiao_app::service::Session;
use serde::de::DeserializeOwned;

use crate::AppState;
use crate::auth::{self, check_csrf};
use crate::edit::Fields;
use crate::error::WebError;

/// Why a body could not be read.
#[derive(Debug)]
pub enum Unread {
    /// The extractor's own rejection (wrong content type, malformed body), sent as it is.
    Rejected(Response),
    /// An error shown on the surface of the request (an upload cut short, a file too large).
    Invalid(AppError),
}

/// The body of a state change: how it is read, and the CSRF token it carries.
pub trait PostBody: Sized + Send {
    /// Reads the body from the request (its head included).
    fn read(req: Request, state: &AppState) -> impl Future<Output = Result<Self, Unread>> + Send;

    /// The token posted in the body; `None` lets the `X-CSRF-Token` header speak for it.
    fn csrf(&self) -> Option<&str>;

    /// True when the token can only be in the header (JSON, no body): it is then checked
    /// before the body is read, so a forged request is refused as forged, not as malformed.
    const TOKEN_IN_HEADER: bool = false;
}

/// The posted fields of an urlencoded form, the last value of a repeated name winning.
impl PostBody for Fields {
    async fn read(req: Request, state: &AppState) -> Result<Self, Unread> {
        let axum::Form(pairs) = axum::Form::<Vec<(String, String)>>::from_request(req, state)
            .await
            .map_err(|r| Unread::Rejected(r.into_response()))?;
        Ok(pairs.into_iter().collect())
    }

    fn csrf(&self) -> Option<&str> {
        self.get("_csrf").map(String::as_str)
    }
}

/// A JSON body (the API): its token is in the header.
impl<T: DeserializeOwned + Send> PostBody for Json<T> {
    async fn read(req: Request, state: &AppState) -> Result<Self, Unread> {
        Json::<T>::from_request(req, state)
            .await
            .map_err(|r| Unread::Rejected(r.into_response()))
    }

    fn csrf(&self) -> Option<&str> {
        None
    }

    const TOKEN_IN_HEADER: bool = true;
}

/// No body at all (the API's logout): the token is in the header.
impl PostBody for () {
    async fn read(_req: Request, _state: &AppState) -> Result<Self, Unread> {
        Ok(())
    }

    fn csrf(&self) -> Option<&str> {
        None
    }

    const TOKEN_IN_HEADER: bool = true;
}

/// The fields and the files of a multipart upload.
#[derive(Debug, Default)]
pub struct Upload {
    /// The text fields.
    pub fields: Fields,
    /// Every file, in order (name, content type, bytes); forms that take one use the last.
    pub files: Vec<(String, String, Vec<u8>)>,
}

impl Upload {
    /// Reads every part; a file part without a file name is dropped.
    pub async fn read_all(mut m: Multipart) -> Result<Upload, AppError> {
        let mut up = Upload::default();
        let bad = |e: axum::extract::multipart::MultipartError| {
            AppError::Invalid(format!(
                "上传未完成或文件过大（超过导入文件的大小上限）：{e}"
            ))
        };
        while let Some(field) = m.next_field().await.map_err(bad)? {
            let name = field.name().unwrap_or_default().to_string();
            if let Some(file_name) = field.file_name().map(str::to_string) {
                let content_type = field.content_type().unwrap_or_default().to_string();
                let bytes = field.bytes().await.map_err(bad)?;
                if !file_name.is_empty() {
                    up.files.push((file_name, content_type, bytes.to_vec()));
                }
            } else {
                let text = field.text().await.map_err(bad)?;
                up.fields.insert(name, text);
            }
        }
        Ok(up)
    }
}

/// The multipart reader of a request, for a [`PostBody`] that is an upload.
pub async fn multipart(req: Request, state: &AppState) -> Result<Multipart, Unread> {
    Multipart::from_request(req, state)
        .await
        .map_err(|r| Unread::Rejected(r.into_response()))
}

impl PostBody for Upload {
    async fn read(req: Request, state: &AppState) -> Result<Self, Unread> {
        let parts = multipart(req, state).await?;
        Upload::read_all(parts).await.map_err(Unread::Invalid)
    }

    fn csrf(&self) -> Option<&str> {
        self.fields.get("_csrf").map(String::as_str)
    }
}

/// Where the refusals of a [`Posted`] are shown, knowing its path parameters `P`.
pub trait Surface<P>: Send {
    /// A request without a valid session.
    fn signed_out(error: AppError) -> WebError;

    /// A later refusal (body, Origin, CSRF).
    fn refuse(path: &P, error: AppError) -> WebError;
}

/// Error pages whose 返回 link leads to `/`.
#[derive(Debug, Clone, Copy)]
pub struct OnPage;

impl<P> Surface<P> for OnPage {
    fn signed_out(error: AppError) -> WebError {
        WebError::page(error)
    }

    fn refuse(_: &P, error: AppError) -> WebError {
        WebError::page(error)
    }
}

/// Error pages whose 返回 link leads back to form `{id}` of the path.
#[derive(Debug, Clone, Copy)]
pub struct OnForm;

impl Surface<Path<i64>> for OnForm {
    fn signed_out(error: AppError) -> WebError {
        WebError::page(error)
    }

    fn refuse(Path(id): &Path<i64>, error: AppError) -> WebError {
        WebError::on_form(*id, error)
    }
}

/// The API's JSON errors.
#[derive(Debug, Clone, Copy)]
pub struct OnApi;

impl<P> Surface<P> for OnApi {
    fn signed_out(error: AppError) -> WebError {
        WebError::api(error)
    }

    fn refuse(_: &P, error: AppError) -> WebError {
        WebError::api(error)
    }
}

/// A state change that passed the checks: the signed-in user's session, the body `B`, the path
/// parameters `P` (an extractor such as `Path<i64>`; `()` for none); its refusals are shown on
/// surface `S`. Handlers name it by one of the aliases [`PagePost`], [`FormPost`], [`ApiPost`].
#[derive(Debug)]
pub struct Posted<B, P, S>(pub Session, pub B, pub P, pub Checked<S>);

/// The mark that a [`Posted`]'s checks ran on surface `S`: only this module makes one, so a
/// `Posted` comes from the extractor alone.
#[derive(Debug)]
pub struct Checked<S>(PhantomData<S>);

/// A page's state change; refusals are error pages leading to `/`.
pub type PagePost<B = Fields, P = ()> = Posted<B, P, OnPage>;

/// A state change on form `{id}` (`/forms/{id}/…`); refusals lead back to the form.
pub type FormPost<B = Fields> = Posted<B, Path<i64>, OnForm>;

/// An API state change; refusals are JSON.
pub type ApiPost<B = (), P = ()> = Posted<B, P, OnApi>;

impl<B, P, S> FromRequest<AppState> for Posted<B, P, S>
where
    B: PostBody,
    P: FromRequestParts<AppState> + Send,
    P::Rejection: IntoResponse,
    S: Surface<P>,
{
    type Rejection = Response;

    /// The four steps of the module comment, in their order.
    async fn from_request(req: Request, state: &AppState) -> Result<Self, Self::Rejection> {
        let (mut parts, body) = req.into_parts();
        let session = auth::session_of(&parts, state)
            .await
            .map_err(|e| S::signed_out(e).into_response())?;
        let path = P::from_request_parts(&mut parts, state)
            .await
            .map_err(IntoResponse::into_response)?;
        let headers = parts.headers.clone();
        if B::TOKEN_IN_HEADER {
            check_csrf(&session, &headers, None)
                .map_err(|e| S::refuse(&path, e).into_response())?;
        }
        let posted = match B::read(Request::from_parts(parts, body), state).await {
            Ok(posted) => posted,
            Err(Unread::Rejected(r)) => return Err(r),
            Err(Unread::Invalid(e)) => return Err(S::refuse(&path, e).into_response()),
        };
        check_csrf(&session, &headers, posted.csrf())
            .map_err(|e| S::refuse(&path, e).into_response())?;
        Ok(Posted(session, posted, path, Checked(PhantomData)))
    }
}

/// The `version` a form posts with its fields (the version it was read at).
pub fn version(id: i64, fields: &Fields) -> Result<i64, WebError> {
    fields
        .get("version")
        .and_then(|v| v.parse().ok())
        .ok_or_else(|| WebError::on_form(id, AppError::Invalid("缺少版本号".into())))
}

/// Where a page's state change leads: form `id`'s page, with `rest` (`?msg=…` or `#anchor`).
pub fn to_form(id: i64, rest: &str) -> Response {
    Redirect::to(&format!("/forms/{id}{rest}")).into_response()
}
