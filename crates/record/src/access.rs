//! Who may do what, decided in one place.
//!
//! [`PERMISSIONS`] lists, per role, each [`Operation`] it may perform and how far it reaches:
//! its own organisation only, or everything below it (a 主管部门 its units, the 财政局 its
//! region). [`authorize`] is the only function that grants access; every page and API call of
//! the web application goes through it (via `jixiao-app`'s `App`). A form the user may not see is
//! reported as not found, so ids cannot be probed.

use serde::Serialize;

use crate::role::Role;
use crate::workflow::Action;

/// The signed-in user, as every use case sees them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Actor {
    /// User id.
    pub user_id: i64,
    /// Login name.
    pub username: String,
    /// Name shown.
    pub display_name: String,
    /// Role.
    pub role: Role,
    /// The user's organisation.
    pub org_id: i64,
    /// Its name.
    pub org_name: String,
}

/// Something a user does to a form or to the system.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub enum Operation {
    /// Open a form, its history, findings and attachments.
    View,
    /// Create a form (or a project) for a unit.
    Create,
    /// Change a form's content: save, import into it, attach evidence.
    Edit,
    /// Export a form or report as a file.
    Export,
    /// Take a workflow step.
    Act(Action),
    /// Open and set up fiscal years and deadlines.
    ManageYears,
    /// See the organisations and users.
    ManageUsers,
    /// Check the change log's hash chain.
    VerifyLog,
    /// See the bureau's dashboard of the region (all units' figures).
    Dashboard,
    /// Require, and close, rectifications (整改).
    Rectify,
    /// Answer a rectification of one's unit.
    AnswerRectification,
    /// Publish the year's results page.
    PublishResults,
    /// Evaluate a unit (部门整体支出绩效评价): rules, base data, judgements.
    Evaluate,
    /// Audit many units' files at once (区域审核), and reopen, filter and export the runs kept.
    RegionAudit,
    /// Curate the indicator library (指标库): approve proposals, merge, 固化, retire.
    CurateLibrary,
    /// Propose an indicator for the library (入库申请).
    ProposeIndicator,
    /// Draw and review spot checks of self-evaluations (抽评).
    SpotCheck,
    /// Ask to change the targets of a handed-over declaration (绩效目标调整).
    RequestAdjustment,
    /// Approve or refuse a unit's target adjustment.
    DecideAdjustment,
    /// Upload the payment system's export that feeds monitoring (支付数据).
    FeedPayments,
    /// Keep the registers of 中介机构 and 专家 and assign forms to experts.
    ManageExperts,
}

/// How far an operation reaches from the user's organisation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Reach {
    /// Only the user's own organisation.
    Own,
    /// The user's organisation and everything below it.
    Below,
}

/// One grant: a role may perform an operation within a reach.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Permission {
    /// The role.
    pub role: Role,
    /// The operation.
    pub operation: Operation,
    /// How far.
    pub reach: Reach,
}

const fn grant(role: Role, operation: Operation, reach: Reach) -> Permission {
    Permission {
        role,
        operation,
        reach,
    }
}

use Operation::*;
use Reach::*;
use Role::*;

/// Every grant. Anything not listed is refused.
pub const PERMISSIONS: &[Permission] = &[
    grant(Filer, View, Own),
    grant(Filer, Create, Own),
    grant(Filer, Edit, Own),
    grant(Filer, Export, Own),
    grant(Filer, Act(Action::RequestConfirmation), Own),
    grant(Filer, Act(Action::Withdraw), Own),
    grant(Filer, Act(Action::Submit), Own),
    grant(Filer, AnswerRectification, Own),
    grant(Filer, ProposeIndicator, Own),
    grant(Filer, RequestAdjustment, Own),
    grant(UnitHead, View, Own),
    grant(UnitHead, Export, Own),
    grant(UnitHead, Act(Action::Confirm), Own),
    grant(UnitHead, Act(Action::RejectConfirmation), Own),
    grant(Supervisor, View, Below),
    grant(Supervisor, Export, Below),
    grant(Supervisor, Act(Action::SupervisorApprove), Below),
    grant(Supervisor, Act(Action::SupervisorReturn), Below),
    grant(Finance, View, Below),
    grant(Finance, Export, Below),
    grant(Finance, Act(Action::FinanceApprove), Below),
    grant(Finance, Act(Action::FinanceReturn), Below),
    grant(Finance, Act(Action::Publish), Below),
    grant(Finance, Act(Action::Void), Below),
    grant(Finance, Dashboard, Below),
    grant(Finance, Rectify, Below),
    grant(Finance, PublishResults, Below),
    grant(Finance, Evaluate, Below),
    grant(Finance, RegionAudit, Below),
    grant(Finance, CurateLibrary, Below),
    grant(Finance, SpotCheck, Below),
    grant(Finance, DecideAdjustment, Below),
    grant(Finance, FeedPayments, Below),
    grant(Finance, ManageExperts, Below),
    grant(Admin, View, Below),
    grant(Admin, Export, Below),
    grant(Admin, ManageYears, Below),
    grant(Admin, ManageUsers, Below),
    grant(Admin, VerifyLog, Below),
    grant(Admin, Dashboard, Below),
    grant(Admin, RegionAudit, Below),
];

/// Every operation (for the access matrix).
pub fn operations() -> Vec<Operation> {
    let mut ops = vec![
        View,
        Create,
        Edit,
        Export,
        ManageYears,
        ManageUsers,
        VerifyLog,
        Dashboard,
        Rectify,
        AnswerRectification,
        PublishResults,
        Evaluate,
        RegionAudit,
        CurateLibrary,
        ProposeIndicator,
        SpotCheck,
        RequestAdjustment,
        DecideAdjustment,
        FeedPayments,
        ManageExperts,
    ];
    ops.extend(Action::ALL.into_iter().map(Act));
    ops
}

/// The grant for `role` and `operation`, if any.
pub fn grant_of(role: Role, operation: Operation) -> Option<&'static Permission> {
    PERMISSIONS
        .iter()
        .find(|p| p.role == role && p.operation == operation)
}

/// What an actor may do from their own organisation, decided here and handed to the pages
/// (which buttons, links and menus to show): a page never decides a right itself.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Rights {
    /// Create forms and projects for the unit.
    pub create: bool,
    /// Evaluate units (部门整体支出绩效评价).
    pub evaluate: bool,
    /// Publish the year's results page.
    pub publish_results: bool,
    /// Require and close rectifications (整改).
    pub rectify: bool,
    /// Answer the unit's rectifications.
    pub answer_rectification: bool,
    /// Open years and set their deadlines and policies.
    pub manage_years: bool,
    /// See the region's dashboard and audit the region.
    pub dashboard: bool,
    /// Administer the organisations and user accounts below (系统管理).
    pub manage_users: bool,
    /// Curate the indicator library (指标库).
    pub curate_library: bool,
    /// Propose indicators for the library (入库申请).
    pub propose_indicator: bool,
    /// Draw and review spot checks (抽评).
    pub spot_check: bool,
    /// Ask to adjust the targets of a handed-over declaration (绩效目标调整).
    pub request_adjustment: bool,
    /// Approve or refuse target adjustments.
    pub decide_adjustment: bool,
    /// Upload payment data (支付数据).
    pub feed_payments: bool,
    /// Keep the registers of institutions and experts, assign forms to experts.
    pub manage_experts: bool,
}

impl Rights {
    /// The rights of `actor` at their own organisation, whose chain is `chain`.
    pub fn of(actor: &Actor, chain: &[i64]) -> Rights {
        let may = |op| allows(actor, op, chain);
        Rights {
            create: may(Operation::Create),
            evaluate: may(Operation::Evaluate),
            publish_results: may(Operation::PublishResults),
            rectify: may(Operation::Rectify),
            answer_rectification: may(Operation::AnswerRectification),
            manage_years: may(Operation::ManageYears),
            dashboard: may(Operation::Dashboard),
            manage_users: may(Operation::ManageUsers),
            curate_library: may(Operation::CurateLibrary),
            propose_indicator: may(Operation::ProposeIndicator),
            spot_check: may(Operation::SpotCheck),
            request_adjustment: may(Operation::RequestAdjustment),
            decide_adjustment: may(Operation::DecideAdjustment),
            feed_payments: may(Operation::FeedPayments),
            manage_experts: may(Operation::ManageExperts),
        }
    }
}

impl Actor {
    /// True for the finance bureau's roles, whose menu leads to the region (dashboard,
    /// evaluations, results).
    pub fn is_bureau(&self) -> bool {
        grant_of(self.role, Operation::Dashboard).is_some()
    }

    /// True for the roles whose menu leads to 系统管理 (units and users).
    pub fn administers(&self) -> bool {
        grant_of(self.role, Operation::ManageUsers).is_some()
    }
}

/// May `actor` perform `operation` on something belonging to the organisation whose chain is
/// `chain` (the organisation itself first, then its parent, up to the root)?
pub fn allows(actor: &Actor, operation: Operation, chain: &[i64]) -> bool {
    match grant_of(actor.role, operation) {
        None => false,
        Some(p) => match p.reach {
            Own => chain.first() == Some(&actor.org_id),
            Below => chain.contains(&actor.org_id),
        },
    }
}

/// Why an operation was refused: the thing is not to be seen at all (so "not found", like a
/// missing one), or it may be seen but not changed this way.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Refusal {
    /// The actor may not see it: answered as a missing one of its kind.
    #[error("{0}不存在")]
    NotFound(String),
    /// The actor sees it but may not do this, in words.
    #[error("{0}")]
    Forbidden(String),
}

/// [`allows`] as a result: a form the actor may not even see is "not found"; one they may see
/// but not change is "forbidden", with what they tried.
pub fn authorize(actor: &Actor, operation: Operation, chain: &[i64]) -> Result<(), Refusal> {
    authorize_on(actor, operation, chain, "表单")
}

/// [`authorize`] on a thing of kind `kind` (`附件`, `整改事项`, `评价`): when the actor may not
/// see it, it is "not found" in the words a missing one of that kind is (ids cannot be probed
/// by the message either).
pub fn authorize_on(
    actor: &Actor,
    operation: Operation,
    chain: &[i64],
    kind: &str,
) -> Result<(), Refusal> {
    if allows(actor, operation, chain) {
        return Ok(());
    }
    if operation != View && allows(actor, View, chain) {
        return Err(Refusal::Forbidden(format!(
            "{}不能{}",
            actor.role.name(),
            describe(operation)
        )));
    }
    Err(Refusal::NotFound(kind.to_string()))
}

/// What an operation is, in words.
pub fn describe(operation: Operation) -> String {
    match operation {
        View => "查看".to_string(),
        Create => "新建表单".to_string(),
        Edit => "修改表单".to_string(),
        Export => "导出".to_string(),
        Act(a) => format!("执行“{}”", a.name()),
        ManageYears => "设置年度".to_string(),
        ManageUsers => "管理单位和用户".to_string(),
        VerifyLog => "校验变更日志".to_string(),
        Dashboard => "查看财政局的汇总分析".to_string(),
        Rectify => "下达或办结整改事项".to_string(),
        AnswerRectification => "答复整改事项".to_string(),
        PublishResults => "公开评价结果".to_string(),
        Evaluate => "开展部门整体支出绩效评价".to_string(),
        RegionAudit => "开展区域审核并查看审核记录".to_string(),
        CurateLibrary => "管理指标库".to_string(),
        ProposeIndicator => "提交指标入库申请".to_string(),
        SpotCheck => "开展抽评".to_string(),
        RequestAdjustment => "申请调整绩效目标".to_string(),
        DecideAdjustment => "审核绩效目标调整".to_string(),
        FeedPayments => "上传支付数据".to_string(),
        ManageExperts => "管理第三方机构和专家".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::workflow::STEPS;

    fn actor(role: Role, org_id: i64) -> Actor {
        Actor {
            user_id: 1,
            username: "u".into(),
            display_name: "u".into(),
            role,
            org_id,
            org_name: "o".into(),
        }
    }

    #[test]
    fn every_workflow_step_is_granted_to_its_role_only() {
        for step in STEPS {
            for role in Role::ALL {
                assert_eq!(
                    grant_of(role, Act(step.action)).is_some(),
                    role == step.role,
                    "{role:?} {:?}",
                    step.action
                );
            }
        }
    }

    #[test]
    fn reach_follows_the_organisation_tree() {
        // finance 1 → department 2 → unit 3; unit 4 under department 5.
        let unit3 = [3, 2, 1];
        let unit4 = [4, 5, 1];
        assert!(allows(&actor(Filer, 3), Edit, &unit3));
        assert!(!allows(&actor(Filer, 3), Edit, &unit4));
        assert!(!allows(&actor(Filer, 2), Edit, &unit3));
        assert!(allows(&actor(Supervisor, 2), View, &unit3));
        assert!(!allows(&actor(Supervisor, 2), View, &unit4));
        assert!(!allows(&actor(Supervisor, 2), Edit, &unit3));
        assert!(allows(&actor(Finance, 1), View, &unit4));
        assert!(allows(&actor(Finance, 1), Act(Action::Publish), &unit4));
        assert!(!allows(
            &actor(Finance, 1),
            Act(Action::SupervisorApprove),
            &unit4
        ));
    }

    #[test]
    fn unseen_is_not_found_and_seen_is_forbidden() {
        let unit3 = [3, 2, 1];
        assert!(matches!(
            authorize(&actor(Filer, 4), View, &unit3),
            Err(Refusal::NotFound(_))
        ));
        assert!(matches!(
            authorize(&actor(UnitHead, 3), Edit, &unit3),
            Err(Refusal::Forbidden(_))
        ));
    }
}
