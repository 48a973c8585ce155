//! One error type for every handler: an [`AppError`] (or a refused request) rendered as a page
//! for the browser or as JSON for the API. Database and internal errors are logged and shown as
//! a generic message.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use jixiao_app::AppError;
use serde_json::json;

use crate::views;

/// Where the error is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Surface {
    /// An HTML page.
    Page,
    /// The JSON API.
    Api,
}

/// A request that did not go through.
#[derive(Debug)]
pub struct WebError {
    /// Why.
    pub error: AppError,
    /// Page or API.
    pub surface: Surface,
    /// Where the page's 返回 link leads (the form the user was on); `/` when unset.
    pub back: Option<String>,
}

impl WebError {
    /// An error for a page.
    pub fn page(error: AppError) -> WebError {
        WebError {
            error,
            surface: Surface::Page,
            back: None,
        }
    }

    /// An error for a page about form `id`: its 返回 link leads back to the form.
    pub fn on_form(id: i64, error: AppError) -> WebError {
        WebError {
            error,
            surface: Surface::Page,
            back: Some(format!("/forms/{id}")),
        }
    }

    /// An error for the API.
    pub fn api(error: AppError) -> WebError {
        WebError {
            error,
            surface: Surface::Api,
            back: None,
        }
    }
}

/// `r`, its error shown as an error page whose 返回 link leads to `/`.
pub(crate) fn page<T>(r: Result<T, AppError>) -> Result<T, WebError> {
    r.map_err(WebError::page)
}

/// `r`, its error shown as an error page whose 返回 link leads back to form `id`.
pub(crate) fn on_form<T>(id: i64, r: Result<T, AppError>) -> Result<T, WebError> {
    r.map_err(|e| WebError::on_form(id, e))
}

/// What a user is told of a failure of the server (the failure itself is logged).
pub const INTERNAL: &str = "系统内部错误，请稍后重试；如仍出现请联系管理员";

/// The status of an application error.
pub fn status(error: &AppError) -> StatusCode {
    match error {
        AppError::Unauthenticated | AppError::BadCredentials => StatusCode::UNAUTHORIZED,
        AppError::LockedOut { .. } => StatusCode::TOO_MANY_REQUESTS,
        AppError::Forbidden(_) | AppError::AccountDisabled | AppError::PasswordChangeRequired => {
            StatusCode::FORBIDDEN
        }
        AppError::Taken(_) => StatusCode::CONFLICT,
        AppError::NotFound(_) => StatusCode::NOT_FOUND,
        AppError::Invalid(_) | AppError::Refused(_) => StatusCode::UNPROCESSABLE_ENTITY,
        AppError::Conflict { .. }
        | AppError::Workflow(_)
        | AppError::Duplicate(_)
        | AppError::Unconfirmed { .. } => StatusCode::CONFLICT,
        AppError::Busy => StatusCode::SERVICE_UNAVAILABLE,
        AppError::Store(_) | AppError::Unwritable(_) => StatusCode::INTERNAL_SERVER_ERROR,
    }
}

/// The message a user sees: internal errors are not described.
pub fn message(error: &AppError) -> String {
    match error {
        AppError::Store(_) | AppError::Unwritable(_) => {
            tracing::error!(error = %error, "internal error");
            INTERNAL.to_string()
        }
        other => other.to_string(),
    }
}

/// Forms already filed, as the API names them.
fn existing_json(existing: &[jixiao_app::filing::Existing]) -> serde_json::Value {
    existing
        .iter()
        .map(|e| {
            json!({"id": e.id, "kind": e.kind.code(), "kind_name": e.kind.name(),
                   "name": e.name, "year": e.year, "stage": e.stage.code(),
                   "stage_name": e.stage.name()})
        })
        .collect()
}

impl IntoResponse for WebError {
    fn into_response(self) -> Response {
        let status = status(&self.error);
        match self.surface {
            Surface::Page if matches!(self.error, AppError::Unauthenticated) => {
                Redirect::to("/login").into_response()
            }
            Surface::Page if matches!(self.error, AppError::PasswordChangeRequired) => {
                Redirect::to("/password").into_response()
            }
            Surface::Page => {
                let title = match status {
                    StatusCode::NOT_FOUND => "未找到",
                    StatusCode::FORBIDDEN => "无权操作",
                    StatusCode::CONFLICT => "操作未生效",
                    StatusCode::UNPROCESSABLE_ENTITY => "内容有误",
                    StatusCode::TOO_MANY_REQUESTS => "请稍后再试",
                    _ => "出错了",
                };
                let back = self.back.as_deref().unwrap_or("/");
                views::error_page(title, &message(&self.error), back).with_status(status)
            }
            Surface::Api => {
                let code = match &self.error {
                    AppError::Unauthenticated => "unauthenticated",
                    AppError::BadCredentials => "bad_credentials",
                    AppError::LockedOut { .. } => "locked_out",
                    AppError::Forbidden(_) => "forbidden",
                    AppError::AccountDisabled => "account_disabled",
                    AppError::PasswordChangeRequired => "password_change_required",
                    AppError::Taken(_) => "taken",
                    AppError::NotFound(_) => "not_found",
                    AppError::Invalid(_) | AppError::Refused(_) => "invalid",
                    AppError::Duplicate(_) => "duplicate",
                    AppError::Unconfirmed { .. } => "confirm",
                    AppError::Conflict { .. } => "conflict",
                    AppError::Workflow(_) => "workflow",
                    AppError::Busy => "busy",
                    AppError::Store(_) | AppError::Unwritable(_) => "internal",
                };
                let mut body = json!({"error": code, "message": message(&self.error)});
                match &self.error {
                    AppError::Conflict { current, .. } => body["current_version"] = json!(current),
                    AppError::Refused(problems) => body["problems"] = json!(problems),
                    AppError::Duplicate(existing) => body["existing"] = existing_json(existing),
                    AppError::Unconfirmed {
                        differences,
                        existing,
                    } => {
                        body["differences"] = json!(differences);
                        body["existing"] = existing_json(existing);
                    }
                    _ => {}
                }
                (status, Json(body)).into_response()
            }
        }
    }
}
