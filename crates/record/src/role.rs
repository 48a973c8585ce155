//! The roles of the people in the performance cycle.

use serde::Serialize;

/// What a user does in the system. Each user has one role at one organisation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// 填报人: fills in the unit's forms.
    Filer,
    /// 单位负责人: confirms the unit's forms before they are submitted.
    UnitHead,
    /// 主管部门审核: reviews the forms of the department's units.
    Supervisor,
    /// 财政审核: reviews, approves and publishes for the region.
    Finance,
    /// 管理员: years, deadlines, units and users.
    Admin,
    /// 第三方/专家: an expert of the bureau's register (or of a 中介机构), who sees and scores
    /// only the forms assigned to them, for the assignment's period.
    Expert,
}

impl Role {
    /// Every role.
    pub const ALL: [Role; 6] = [
        Role::Filer,
        Role::UnitHead,
        Role::Supervisor,
        Role::Finance,
        Role::Admin,
        Role::Expert,
    ];

    /// The roles an administrator gives (an expert's account comes with their entry in the
    /// bureau's register of experts).
    pub const ADMINISTERED: [Role; 5] = [
        Role::Filer,
        Role::UnitHead,
        Role::Supervisor,
        Role::Finance,
        Role::Admin,
    ];

    /// The code stored in the database.
    pub fn code(self) -> &'static str {
        match self {
            Role::Filer => "filer",
            Role::UnitHead => "unit_head",
            Role::Supervisor => "supervisor",
            Role::Finance => "finance",
            Role::Admin => "admin",
            Role::Expert => "expert",
        }
    }

    /// The role's Chinese name.
    pub fn name(self) -> &'static str {
        match self {
            Role::Filer => "填报人",
            Role::UnitHead => "单位负责人",
            Role::Supervisor => "主管部门审核",
            Role::Finance => "财政审核",
            Role::Admin => "管理员",
            Role::Expert => "第三方/专家",
        }
    }

    /// The role of a stored code.
    pub fn from_code(code: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.code() == code)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip() {
        for r in Role::ALL {
            assert_eq!(Role::from_code(r.code()), Some(r));
        }
        assert_eq!(Role::from_code("root"), None);
    }
}
