//! A state change, checked once. Every POST (and the API's PUT and DELETE) names its handler's
//! body through one of three extractors — [`PagePost`], [`FormPost`] and [`ApiPost`] — which, in
//! the order the handlers used to spell out themselves:
//!
//! 1. find the signed-in user (without a session: the page redirects to /login, the API says
//!    401), before anything else touches the database;
//! 2. read the path parameters the handler asks for;
//! 3. read the body ([`PostBody`]: the posted fields, a multipart upload, a typed form or JSON);
//! 4. check the Origin header and the session's CSRF token ([`auth::check_csrf`]).
//!
//! Only then does the handler run, with the session and the body it was given. A refusal is
//! rendered where the request came from: an error page (leading back to the form for
//! [`FormPost`]) or the API's JSON.

use std::future::Future;

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
}

/// No body at all (the API's logout): the token is in the header.
impl PostBody for () {
    async fn read(_req: Request, _state: &AppState) -> Result<Self, Unread> {
        Ok(())
    }

    fn csrf(&self) -> Option<&str> {
        None
    }
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

impl PostBody for Upload {
    async fn read(req: Request, state: &AppState) -> Result<Self, Unread> {
        let multipart = Multipart::from_request(req, state)
            .await
            .map_err(|r| Unread::Rejected(r.into_response()))?;
        Upload::read_all(multipart).await.map_err(Unread::Invalid)
    }

    fn csrf(&self) -> Option<&str> {
        self.fields.get("_csrf").map(String::as_str)
    }
}

/// The four steps of the module comment; `signed_out` renders a missing session, `refuse` every
/// later error (knowing the path parameters).
async fn accept<B, P>(
    req: Request,
    state: &AppState,
    signed_out: fn(AppError) -> WebError,
    refuse: impl Fn(&P, AppError) -> WebError,
) -> Result<(Session, P, B), Response>
where
    B: PostBody,
    P: FromRequestParts<AppState>,
    P::Rejection: IntoResponse,
{
    let (mut parts, body) = req.into_parts();
    let session = auth::session_of(&parts, state)
        .await
        .map_err(|e| signed_out(e).into_response())?;
    let path = P::from_request_parts(&mut parts, state)
        .await
        .map_err(IntoResponse::into_response)?;
    let headers = parts.headers.clone();
    let posted = match B::read(Request::from_parts(parts, body), state).await {
        Ok(posted) => posted,
        Err(Unread::Rejected(r)) => return Err(r),
        Err(Unread::Invalid(e)) => return Err(refuse(&path, e).into_response()),
    };
    check_csrf(&session, &headers, posted.csrf()).map_err(|e| refuse(&path, e).into_response())?;
    Ok((session, path, posted))
}

/// A page's state change that passed the checks; errors are error pages leading to `/`.
/// `P` is the path's extractor (e.g. `Path<i64>`), `()` when the handler needs none.
#[derive(Debug)]
pub struct PagePost<B = Fields, P = ()> {
    /// The signed-in user.
    pub session: Session,
    /// The path parameters.
    pub path: P,
    /// The body.
    pub body: B,
}

impl<B, P> FromRequest<AppState> for PagePost<B, P>
where
    B: PostBody,
    P: FromRequestParts<AppState> + Send,
    P::Rejection: IntoResponse,
{
    type Rejection = Response;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, Self::Rejection> {
        let (session, path, body) =
            accept(req, state, WebError::page, |_, e| WebError::page(e)).await?;
        Ok(PagePost {
            session,
            path,
            body,
        })
    }
}

/// A state change on form `{id}` (`/forms/{id}/…`) that passed the checks; its errors are error
/// pages whose 返回 link leads back to the form.
#[derive(Debug)]
pub struct FormPost<B = Fields> {
    /// The form's id, from the path.
    pub id: i64,
    /// The signed-in user.
    pub session: Session,
    /// The body.
    pub body: B,
}

impl<B: PostBody> FromRequest<AppState> for FormPost<B> {
    type Rejection = Response;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, Self::Rejection> {
        let (session, Path(id), body) = accept(req, state, WebError::page, |Path(id), e| {
            WebError::on_form(*id, e)
        })
        .await?;
        Ok(FormPost { id, session, body })
    }
}

/// An API state change that passed the checks; errors are JSON.
#[derive(Debug)]
pub struct ApiPost<B = (), P = ()> {
    /// The signed-in user.
    pub session: Session,
    /// The path parameters.
    pub path: P,
    /// The body.
    pub body: B,
}

impl<B, P> FromRequest<AppState> for ApiPost<B, P>
where
    B: PostBody,
    P: FromRequestParts<AppState> + Send,
    P::Rejection: IntoResponse,
{
    type Rejection = Response;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, Self::Rejection> {
        let (session, path, body) =
            accept(req, state, WebError::api, |_, e| WebError::api(e)).await?;
        Ok(ApiPost {
            session,
            path,
            body,
        })
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
