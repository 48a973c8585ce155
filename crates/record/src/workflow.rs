//! The workflow of a form: its stages and the actions between them. Pure: which stage follows
//! which, who may take each step and whether a reason is required; the store makes each step
//! atomic, `jixiao_app::access` decides who may act on which form.
//!
//! ```text
//! 草稿 ─送确认→ 待确认 ─确认→ 已确认 ─提交→ 已提交 ─审核通过→ 主管部门已审核 ─审定→ 已审定 ─公开→ 已公开
//!   ↑             │退回修改          │             │退回                   │退回
//!   └─────────────┘ (撤回: 待确认/已确认 → 草稿)  主管部门退回 ─送确认→…    财政退回 ─送确认→…
//!
//! 作废: the finance bureau voids a form at any stage, with a reason → 已作废 (it leaves every
//! list, figure and export; its history stays).
//! ```

use serde::Serialize;

use crate::role::Role;

/// Where a form is in its workflow.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    /// 草稿: the filer is working on it.
    Draft,
    /// 待确认: waiting for the unit head.
    AwaitingConfirmation,
    /// 已确认: confirmed by the unit head, ready to submit.
    Confirmed,
    /// 已提交: with the 主管部门.
    Submitted,
    /// 主管部门退回: returned by the 主管部门 with a reason.
    SupervisorReturned,
    /// 主管部门已审核: with the finance bureau.
    SupervisorApproved,
    /// 财政退回: returned by the finance bureau with a reason.
    FinanceReturned,
    /// 已审定: approved by the finance bureau.
    FinanceApproved,
    /// 已公开: published.
    Published,
    /// 已作废: voided by the finance bureau; kept for its history, counted nowhere.
    Voided,
}

impl Stage {
    /// Every stage, in workflow order.
    pub const ALL: [Stage; 10] = [
        Stage::Draft,
        Stage::AwaitingConfirmation,
        Stage::Confirmed,
        Stage::Submitted,
        Stage::SupervisorReturned,
        Stage::SupervisorApproved,
        Stage::FinanceReturned,
        Stage::FinanceApproved,
        Stage::Published,
        Stage::Voided,
    ];

    /// The stages a form can be in while it counts (every stage but [`Stage::Voided`]).
    pub const LIVE: [Stage; 9] = [
        Stage::Draft,
        Stage::AwaitingConfirmation,
        Stage::Confirmed,
        Stage::Submitted,
        Stage::SupervisorReturned,
        Stage::SupervisorApproved,
        Stage::FinanceReturned,
        Stage::FinanceApproved,
        Stage::Published,
    ];

    /// The code stored in the database.
    pub fn code(self) -> &'static str {
        match self {
            Stage::Draft => "draft",
            Stage::AwaitingConfirmation => "awaiting_confirmation",
            Stage::Confirmed => "confirmed",
            Stage::Submitted => "submitted",
            Stage::SupervisorReturned => "supervisor_returned",
            Stage::SupervisorApproved => "supervisor_approved",
            Stage::FinanceReturned => "finance_returned",
            Stage::FinanceApproved => "finance_approved",
            Stage::Published => "published",
            // The store leaves this code out of lists (`jixiao_store::forms::VOIDED`; the app's
            // tests hold the two equal).
            Stage::Voided => "voided",
        }
    }

    /// The stage's name as users know it.
    pub fn name(self) -> &'static str {
        match self {
            Stage::Draft => "草稿",
            Stage::AwaitingConfirmation => "待确认",
            Stage::Confirmed => "已确认",
            Stage::Submitted => "已提交",
            Stage::SupervisorReturned => "主管部门退回",
            Stage::SupervisorApproved => "主管部门已审核",
            Stage::FinanceReturned => "财政退回",
            Stage::FinanceApproved => "已审定",
            Stage::Published => "已公开",
            Stage::Voided => "已作废",
        }
    }

    /// The stage of a stored code.
    pub fn from_code(code: &str) -> Option<Stage> {
        Stage::ALL.into_iter().find(|s| s.code() == code)
    }

    /// True when the filer may change the form's content in this stage.
    pub fn editable(self) -> bool {
        matches!(
            self,
            Stage::Draft | Stage::SupervisorReturned | Stage::FinanceReturned
        )
    }

    /// True for a form sent back with a reason.
    pub fn returned(self) -> bool {
        matches!(self, Stage::SupervisorReturned | Stage::FinanceReturned)
    }

    /// True once the unit has handed the form over (no longer the unit's to change).
    pub fn submitted(self) -> bool {
        matches!(
            self,
            Stage::Submitted
                | Stage::SupervisorApproved
                | Stage::FinanceApproved
                | Stage::Published
        )
    }

    /// True once the finance bureau has approved the form (已审定 or 已公开): what 结果应用 and
    /// the public results page count.
    pub fn approved(self) -> bool {
        matches!(self, Stage::FinanceApproved | Stage::Published)
    }
}

/// A workflow step.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    /// 送单位负责人确认.
    RequestConfirmation,
    /// 撤回 to draft before submission.
    Withdraw,
    /// 单位负责人确认.
    Confirm,
    /// 单位负责人退回修改.
    RejectConfirmation,
    /// 提交 to the 主管部门.
    Submit,
    /// 主管部门审核通过.
    SupervisorApprove,
    /// 主管部门退回.
    SupervisorReturn,
    /// 财政审定.
    FinanceApprove,
    /// 财政退回.
    FinanceReturn,
    /// 公开.
    Publish,
    /// 作废 by the finance bureau, with a reason.
    Void,
}

/// One edge of the workflow.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Step {
    /// The action.
    pub action: Action,
    /// Stages it can be taken from.
    pub from: &'static [Stage],
    /// The stage it leads to.
    pub to: Stage,
    /// The role that takes it.
    pub role: Role,
    /// True when a reason must be given.
    pub needs_reason: bool,
}

/// The whole workflow.
pub const STEPS: &[Step] = &[
    Step {
        action: Action::RequestConfirmation,
        from: &[
            Stage::Draft,
            Stage::SupervisorReturned,
            Stage::FinanceReturned,
        ],
        to: Stage::AwaitingConfirmation,
        role: Role::Filer,
        needs_reason: false,
    },
    Step {
        action: Action::Withdraw,
        from: &[Stage::AwaitingConfirmation, Stage::Confirmed],
        to: Stage::Draft,
        role: Role::Filer,
        needs_reason: false,
    },
    Step {
        action: Action::Confirm,
        from: &[Stage::AwaitingConfirmation],
        to: Stage::Confirmed,
        role: Role::UnitHead,
        needs_reason: false,
    },
    Step {
        action: Action::RejectConfirmation,
        from: &[Stage::AwaitingConfirmation],
        to: Stage::Draft,
        role: Role::UnitHead,
        needs_reason: true,
    },
    Step {
        action: Action::Submit,
        from: &[Stage::Confirmed],
        to: Stage::Submitted,
        role: Role::Filer,
        needs_reason: false,
    },
    Step {
        action: Action::SupervisorApprove,
        from: &[Stage::Submitted],
        to: Stage::SupervisorApproved,
        role: Role::Supervisor,
        needs_reason: false,
    },
    Step {
        action: Action::SupervisorReturn,
        from: &[Stage::Submitted],
        to: Stage::SupervisorReturned,
        role: Role::Supervisor,
        needs_reason: true,
    },
    Step {
        action: Action::FinanceApprove,
        from: &[Stage::SupervisorApproved],
        to: Stage::FinanceApproved,
        role: Role::Finance,
        needs_reason: false,
    },
    Step {
        action: Action::FinanceReturn,
        from: &[Stage::SupervisorApproved],
        to: Stage::FinanceReturned,
        role: Role::Finance,
        needs_reason: true,
    },
    Step {
        action: Action::Publish,
        from: &[Stage::FinanceApproved],
        to: Stage::Published,
        role: Role::Finance,
        needs_reason: false,
    },
    Step {
        action: Action::Void,
        from: &Stage::LIVE,
        to: Stage::Voided,
        role: Role::Finance,
        needs_reason: true,
    },
];

impl Action {
    /// Every action.
    pub const ALL: [Action; 11] = [
        Action::RequestConfirmation,
        Action::Withdraw,
        Action::Confirm,
        Action::RejectConfirmation,
        Action::Submit,
        Action::SupervisorApprove,
        Action::SupervisorReturn,
        Action::FinanceApprove,
        Action::FinanceReturn,
        Action::Publish,
        Action::Void,
    ];

    /// The code used in URLs and the log.
    pub fn code(self) -> &'static str {
        match self {
            Action::RequestConfirmation => "request_confirmation",
            Action::Withdraw => "withdraw",
            Action::Confirm => "confirm",
            Action::RejectConfirmation => "reject_confirmation",
            Action::Submit => "submit",
            Action::SupervisorApprove => "supervisor_approve",
            Action::SupervisorReturn => "supervisor_return",
            Action::FinanceApprove => "finance_approve",
            Action::FinanceReturn => "finance_return",
            Action::Publish => "publish",
            Action::Void => "void",
        }
    }

    /// The button's words.
    pub fn name(self) -> &'static str {
        match self {
            Action::RequestConfirmation => "送单位负责人确认",
            Action::Withdraw => "撤回修改",
            Action::Confirm => "确认",
            Action::RejectConfirmation => "退回修改",
            Action::Submit => "提交主管部门",
            Action::SupervisorApprove => "审核通过",
            Action::SupervisorReturn => "退回",
            Action::FinanceApprove => "审定",
            Action::FinanceReturn => "退回",
            Action::Publish => "公开",
            Action::Void => "作废",
        }
    }

    /// The action of a code.
    pub fn from_code(code: &str) -> Option<Action> {
        Action::ALL.into_iter().find(|a| a.code() == code)
    }

    /// Its edge in the workflow.
    pub fn step(self) -> &'static Step {
        STEPS.iter().find(|s| s.action == self).unwrap_or(&STEPS[0])
    }
}

/// The stage `action` leads to from `stage`, or why it cannot be taken there.
pub fn next(stage: Stage, action: Action) -> Result<Stage, String> {
    let step = action.step();
    if step.from.contains(&stage) {
        Ok(step.to)
    } else {
        Err(format!(
            "表单当前为“{}”，不能“{}”（只能在{}时进行）",
            stage.name(),
            action.name(),
            step.from
                .iter()
                .map(|s| format!("“{}”", s.name()))
                .collect::<Vec<_>>()
                .join("或")
        ))
    }
}

/// The actions a role can take on a form in `stage`.
pub fn available(stage: Stage, role: Role) -> Vec<Action> {
    STEPS
        .iter()
        .filter(|s| s.role == role && s.from.contains(&stage))
        .map(|s| s.action)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_action_has_one_step() {
        for a in Action::ALL {
            assert_eq!(STEPS.iter().filter(|s| s.action == a).count(), 1, "{a:?}");
            assert_eq!(Action::from_code(a.code()), Some(a));
        }
        for s in Stage::ALL {
            assert_eq!(Stage::from_code(s.code()), Some(s));
        }
    }

    #[test]
    fn the_happy_path_reaches_published() {
        let mut stage = Stage::Draft;
        for a in [
            Action::RequestConfirmation,
            Action::Confirm,
            Action::Submit,
            Action::SupervisorApprove,
            Action::FinanceApprove,
            Action::Publish,
        ] {
            stage = next(stage, a).expect("step allowed");
        }
        assert_eq!(stage, Stage::Published);
    }

    #[test]
    fn returns_go_back_to_the_filer_and_need_a_reason() {
        assert_eq!(
            next(Stage::Submitted, Action::SupervisorReturn),
            Ok(Stage::SupervisorReturned)
        );
        assert!(Stage::SupervisorReturned.editable());
        assert_eq!(
            next(Stage::SupervisorReturned, Action::RequestConfirmation),
            Ok(Stage::AwaitingConfirmation)
        );
        for s in STEPS {
            let is_return = matches!(
                s.action,
                Action::SupervisorReturn
                    | Action::FinanceReturn
                    | Action::RejectConfirmation
                    | Action::Void
            );
            assert_eq!(s.needs_reason, is_return, "{:?}", s.action);
        }
    }

    #[test]
    fn steps_out_of_order_are_refused_with_the_stage() {
        let err = next(Stage::Draft, Action::Submit).expect_err("submit needs confirmation");
        assert!(err.contains("草稿") && err.contains("已确认"), "{err}");
        assert!(next(Stage::Published, Action::FinanceReturn).is_err());
        assert!(next(Stage::SupervisorApproved, Action::SupervisorReturn).is_err());
    }

    #[test]
    fn only_the_right_role_has_buttons() {
        assert_eq!(
            available(Stage::Submitted, Role::Supervisor),
            vec![Action::SupervisorApprove, Action::SupervisorReturn]
        );
        assert!(available(Stage::Submitted, Role::Filer).is_empty());
        assert_eq!(available(Stage::Draft, Role::Finance), vec![Action::Void]);
        assert!(available(Stage::Voided, Role::Finance).is_empty());
    }

    #[test]
    fn the_bureau_voids_from_every_live_stage_and_a_void_is_final() {
        for s in Stage::LIVE {
            assert_eq!(next(s, Action::Void), Ok(Stage::Voided), "{s:?}");
        }
        for a in Action::ALL {
            assert!(next(Stage::Voided, a).is_err(), "{a:?} from 已作废");
        }
        assert!(!Stage::Voided.submitted() && !Stage::Voided.editable());
    }
}
