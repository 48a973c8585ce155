//! The application's errors: what a user is told, and what a front end maps to a status.

use jixiao_store::StoreError;

/// Why a use case did not go through.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// Not signed in, or the session has expired.
    #[error("请先登录（会话不存在或已过期）")]
    Unauthenticated,
    /// Wrong user name or password.
    #[error("用户名或密码错误")]
    BadCredentials,
    /// Too many failed logins.
    #[error("登录失败次数过多，账号已暂时锁定，请{minutes}分钟后再试")]
    LockedOut {
        /// Minutes until the lock ends.
        minutes: i64,
    },
    /// The account is disabled (told only after the right password: a wrong one is
    /// [`AppError::BadCredentials`] as for any name).
    #[error("账号已停用，请联系系统管理员")]
    AccountDisabled,
    /// The user signed in with a one-time password and must change it before anything else.
    #[error("请先修改初始密码（管理员设置的一次性密码），修改后才能继续使用系统")]
    PasswordChangeRequired,
    /// The name is taken (a user name, an organisation's name).
    #[error("{0}")]
    Duplicate(String),
    /// The user may not do this.
    #[error("无权操作：{0}")]
    Forbidden(String),
    /// No such thing (or not visible to the user: the two are not told apart).
    #[error("{0}不存在或无权查看")]
    NotFound(String),
    /// The input is not acceptable; the message says what and where.
    #[error("{0}")]
    Invalid(String),
    /// A save based on an old version.
    #[error(
        "保存未生效：您基于第{based_on}版修改，此后表单已被{by}改为第{current}版。请查看以下变化后重新修改：{changes}"
    )]
    Conflict {
        /// The version the save was based on.
        based_on: i64,
        /// The current version.
        current: i64,
        /// Who made the current version.
        by: String,
        /// What changed since `based_on`, in words.
        changes: String,
    },
    /// The workflow step is not possible from the form's stage.
    #[error("{0}")]
    Workflow(String),
    /// Too many files are being read right now.
    #[error("服务器正忙：同时上传的文件过多，请稍后再试")]
    Busy,
    /// The store failed.
    #[error(transparent)]
    Store(StoreError),
    /// Something the server made (a form, settings, judgements as JSON; a document as a file)
    /// could not be written: a fault of the server, never of the input; nothing was saved or
    /// sent. The message says what and why (`表单无法写成 JSON：…`, `写出文件失败：…`).
    #[error("{0}")]
    Unwritable(String),
}

impl AppError {
    /// [`AppError::Unwritable`]: `what` could not be written as JSON, for `reason`.
    pub fn unwritable(what: &str, reason: impl std::fmt::Display) -> AppError {
        AppError::Unwritable(format!("{what}无法写成 JSON：{reason}"))
    }
}

impl From<StoreError> for AppError {
    fn from(e: StoreError) -> AppError {
        match e {
            StoreError::NotFound(what) => AppError::NotFound(what),
            other => AppError::Store(other),
        }
    }
}
