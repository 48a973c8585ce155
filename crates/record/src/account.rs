//! Organisations and accounts as the administration checks them, pure: the kinds of
//! organisation and which roles fit them, the rules for names, login names, roles and new
//! passwords, and what the administration pages and the API show of organisations, accounts and
//! a directory import.

use serde::{Deserialize, Serialize};

use crate::role::Role;

/// Input the administration refuses, in words.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct AccountError(pub String);

/// The three kinds of organisation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum OrgKind {
    /// 财政局: the root of the region.
    Finance,
    /// 主管部门.
    Department,
    /// 预算单位.
    Unit,
}

impl OrgKind {
    /// The stored code.
    pub fn code(self) -> &'static str {
        match self {
            OrgKind::Finance => "finance",
            OrgKind::Department => "department",
            OrgKind::Unit => "unit",
        }
    }

    /// The Chinese name.
    pub fn name(self) -> &'static str {
        match self {
            OrgKind::Finance => "财政局",
            OrgKind::Department => "主管部门",
            OrgKind::Unit => "预算单位",
        }
    }

    /// The kind of a code or of its Chinese name.
    pub fn parse(text: &str) -> Option<OrgKind> {
        let t = text.trim();
        [OrgKind::Finance, OrgKind::Department, OrgKind::Unit]
            .into_iter()
            .find(|k| k.code() == t || k.name() == t)
    }

    /// The kind of organisation a role belongs to.
    pub fn of_role(role: Role) -> OrgKind {
        match role {
            Role::Filer | Role::UnitHead => OrgKind::Unit,
            Role::Supervisor => OrgKind::Department,
            Role::Finance | Role::Admin | Role::Expert => OrgKind::Finance,
        }
    }
}

/// An organisation as the administration pages and the API show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OrgView {
    /// Id.
    pub id: i64,
    /// Name.
    pub name: String,
    /// Kind.
    pub kind: OrgKind,
    /// The kind's Chinese name.
    pub kind_name: &'static str,
    /// The organisation above.
    pub parent_id: Option<i64>,
    /// Its name.
    pub parent_name: Option<String>,
    /// False once deactivated.
    pub active: bool,
    /// Levels below the administrator's own organisation (0 for it), for the tree.
    pub depth: usize,
}

/// A user account as the administration pages and the API show it (never its hash).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UserView {
    /// Id.
    pub id: i64,
    /// Login name.
    pub username: String,
    /// Name shown.
    pub display_name: String,
    /// Role (its code in JSON).
    pub role: Role,
    /// The role's Chinese name.
    pub role_name: &'static str,
    /// The organisation.
    pub org_id: i64,
    /// Its name.
    pub org_name: String,
    /// True when disabled.
    pub disabled: bool,
    /// True while the one-time password has not been changed.
    pub must_change_password: bool,
}

/// An organisation to create (`POST /api/v1/orgs`).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct NewOrg {
    /// Name.
    pub name: String,
    /// `department` or `unit`.
    pub kind: String,
    /// The organisation above (the administrator's own when absent).
    #[serde(default)]
    pub parent_id: Option<i64>,
}

/// An account to create (`POST /api/v1/users`).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct NewAccount {
    /// Login name.
    pub username: String,
    /// Role code.
    pub role: String,
    /// The organisation.
    pub org_id: i64,
    /// Name shown (the login name when absent).
    #[serde(default)]
    pub display_name: Option<String>,
}

/// An account and its one-time password, shown once.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OneTimePassword {
    /// The user's id.
    pub id: i64,
    /// Login name.
    pub username: String,
    /// The one-time password.
    pub password: String,
}

/// What an import of units and users created.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct DirectoryImport {
    /// The organisations, in the order of the sheet.
    pub orgs: Vec<OrgView>,
    /// The accounts with their one-time passwords (shown once), with their role and unit.
    pub users: Vec<ImportedAccount>,
}

/// One account of an import.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ImportedAccount {
    /// The user's id.
    pub id: i64,
    /// Login name.
    pub username: String,
    /// The one-time password.
    pub password: String,
    /// The role's Chinese name.
    pub role_name: &'static str,
    /// The organisation's name.
    pub org_name: String,
}

/// The longest name of an organisation, in characters.
pub const MAX_ORG_NAME: usize = 100;

/// A checked organisation name: trimmed, 2 to [`MAX_ORG_NAME`] characters, no control
/// characters.
pub fn checked_org_name(name: &str) -> Result<String, AccountError> {
    let name = name.trim();
    let n = name.chars().count();
    if !(2..=MAX_ORG_NAME).contains(&n) {
        return Err(AccountError(format!("单位名称须为2至{MAX_ORG_NAME}个字符")));
    }
    if name.chars().any(char::is_control) {
        return Err(AccountError("单位名称不能含控制字符或换行".into()));
    }
    Ok(name.to_string())
}

/// A checked login name: 2 to 32 letters, digits, `_`, `.` or `-`.
pub fn checked_username(name: &str) -> Result<String, AccountError> {
    let name = name.trim();
    let ok = (2..=32).contains(&name.len())
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-'));
    if ok {
        Ok(name.to_string())
    } else {
        Err(AccountError(format!(
            "用户名“{name}”无效：须为2至32位字母、数字、下划线、点或连字符"
        )))
    }
}

/// The role of a code or of its Chinese name.
pub fn parse_role(text: &str) -> Result<Role, AccountError> {
    let t = text.trim();
    Role::ADMINISTERED
        .into_iter()
        .find(|r| r.code() == t || r.name() == t)
        .ok_or_else(|| {
            AccountError(format!(
                "未知的角色“{t}”：可用 {}",
                Role::ADMINISTERED
                    .iter()
                    .map(|r| format!("{}（{}）", r.name(), r.code()))
                    .collect::<Vec<_>>()
                    .join("、")
            ))
        })
}

/// Checks a new password against the rules: at least 8 characters, at most 128, not the old
/// one, not the user name.
pub fn check_new_password(username: &str, old: &str, new: &str) -> Result<(), AccountError> {
    let n = new.chars().count();
    if n < 8 {
        return Err(AccountError("新密码至少8个字符".into()));
    }
    if n > 128 {
        return Err(AccountError("新密码不能超过128个字符".into()));
    }
    if new == old {
        return Err(AccountError("新密码不能与原密码相同".into()));
    }
    if new.eq_ignore_ascii_case(username) {
        return Err(AccountError("新密码不能与用户名相同".into()));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn password_rules_name_what_is_wrong() {
        assert!(check_new_password("zhang", "old-secret", "short").is_err());
        assert!(check_new_password("zhang", "old-secret", "old-secret").is_err());
        assert!(check_new_password("zhangsan1", "old-secret", "ZHANGSAN1").is_err());
        assert!(check_new_password("zhang", "old-secret", "新的密码很长很长").is_ok());
    }

    #[test]
    fn names_roles_and_kinds_are_checked() {
        assert!(checked_username("a").is_err());
        assert!(checked_username("张三").is_err());
        assert_eq!(
            checked_username(" li.si-2 ").ok().as_deref(),
            Some("li.si-2")
        );
        assert!(checked_org_name("甲").is_err());
        assert!(checked_org_name("某某\n单位").is_err());
        assert_eq!(parse_role("填报人").ok(), Some(Role::Filer));
        assert_eq!(parse_role("unit_head").ok(), Some(Role::UnitHead));
        assert!(parse_role("root").is_err());
        assert_eq!(OrgKind::parse("预算单位"), Some(OrgKind::Unit));
        assert_eq!(OrgKind::parse("department"), Some(OrgKind::Department));
        assert_eq!(OrgKind::of_role(Role::Admin), OrgKind::Finance);
    }
}
