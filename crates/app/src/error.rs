//! The application's errors: what a user is told, and what a front end maps to a status.

use jixiao_store::StoreError;

use crate::filing::{Difference, Existing};
use crate::validate::{self, Problem};

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
    Taken(String),
    /// The user may not do this.
    #[error("无权操作：{0}")]
    Forbidden(String),
    /// No such thing (or not visible to the user: the two are not told apart).
    #[error("{0}不存在或无权查看")]
    NotFound(String),
    /// The input is not acceptable; the message says what and where.
    #[error("{0}")]
    Invalid(String),
    /// Values that cannot be true, each at its field.
    #[error("填写有误：{}", validate::describe(.0))]
    Refused(Vec<Problem>),
    /// The upload (or new form) would file again forms that are already filed.
    #[error("已有相同的表单：{}。可以替换其内容（生成新版本，原版本可恢复），或确认另行建表", describe_existing(.0))]
    Duplicate(Vec<Existing>),
    /// The file names another unit, year or project than where it goes: the user must confirm
    /// (and, when some of its forms are already filed, say what to do with them).
    #[error(
        "文件内容与归档位置不一致：{}。请核对后确认{}",
        describe_differences(differences),
        also_existing(existing)
    )]
    Unconfirmed {
        /// What differs.
        differences: Vec<Difference>,
        /// Forms of the file already filed, when the upload did not say what to do with them.
        existing: Vec<Existing>,
    },
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

fn describe_existing(existing: &[Existing]) -> String {
    existing
        .iter()
        .map(Existing::describe)
        .collect::<Vec<_>>()
        .join("；")
}

fn also_existing(existing: &[Existing]) -> String {
    if existing.is_empty() {
        String::new()
    } else {
        format!("；另有已有的表单：{}", describe_existing(existing))
    }
}

fn describe_differences(differences: &[Difference]) -> String {
    differences
        .iter()
        .map(Difference::describe)
        .collect::<Vec<_>>()
        .join("；")
}

impl AppError {
    /// [`AppError::Unwritable`]: `what` could not be written as JSON, for `reason`.
    pub fn unwritable(what: &str, reason: impl std::fmt::Display) -> AppError {
        AppError::Unwritable(format!("{what}无法写成 JSON：{reason}"))
    }
}

impl From<jixiao_record::access::Refusal> for AppError {
    fn from(r: jixiao_record::access::Refusal) -> AppError {
        match r {
            jixiao_record::access::Refusal::NotFound(what) => AppError::NotFound(what),
            jixiao_record::access::Refusal::Forbidden(why) => AppError::Forbidden(why),
        }
    }
}

impl From<jixiao_record::account::AccountError> for AppError {
    fn from(e: jixiao_record::account::AccountError) -> AppError {
        AppError::Invalid(e.0)
    }
}

impl From<jixiao_record::settings::SettingsError> for AppError {
    fn from(e: jixiao_record::settings::SettingsError) -> AppError {
        match e {
            jixiao_record::settings::SettingsError::Invalid(m) => AppError::Invalid(m),
            jixiao_record::settings::SettingsError::Unwritable(m) => AppError::Unwritable(m),
        }
    }
}

impl From<jixiao_files::FileError> for AppError {
    fn from(e: jixiao_files::FileError) -> AppError {
        match e {
            jixiao_files::FileError::Invalid(m) => AppError::Invalid(m),
            jixiao_files::FileError::Unwritable(m) => AppError::Unwritable(m),
        }
    }
}

impl From<StoreError> for AppError {
    fn from(e: StoreError) -> AppError {
        match e {
            // The store names what it did not find by kind and id (`表单 7`, `表单 7 第3版`);
            // the user is told the kind alone, as `access::authorize` tells them of a thing
            // they may not see, so that a missing id and another unit's read the same.
            StoreError::NotFound(what) => AppError::NotFound(match what.split_once(' ') {
                Some((kind, _)) => kind.to_string(),
                None => what,
            }),
            other => AppError::Store(other),
        }
    }
}
