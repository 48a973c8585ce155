//! 绩效目标调整: during the year a unit asks to change the targets of a declaration it has
//! handed over, with its reason; the finance bureau approves or refuses it with its own. An
//! approved request becomes the declaration's next version (the change log names the request,
//! so the targets stay versioned), and the project's self-evaluation still being filled takes
//! the adjusted targets, so it is judged against them.

use jixiao_core::form::Form;
use jixiao_core::indicator::Level2;
use jixiao_core::library::key;
use jixiao_store::forms::FormFilter;
use serde::Serialize;

use crate::access::{self, Actor, Operation};
use crate::diff::{self, Change};
use crate::error::AppError;
use crate::kind::FormKind;
use crate::row::{FormRow, stage_of};
use crate::service::{App, author, parse_form};
use crate::validate;
use crate::workflow::Stage;

/// A request as its declaration's page shows it.
#[derive(Debug, Clone, Serialize)]
pub struct Adjustment {
    /// Id.
    pub id: i64,
    /// 待审核 / 已批准 / 未批准.
    pub status: &'static str,
    /// True while the bureau has not decided.
    pub pending: bool,
    /// The version it was asked against.
    pub based_on: i64,
    /// Why the unit asks.
    pub reason: String,
    /// Who asked.
    pub requested_by: String,
    /// Who decided, and why.
    pub decided_by: Option<String>,
    /// The decision's reason.
    pub decision: Option<String>,
    /// What it changes, field by field.
    pub changes: Vec<Change>,
}

/// The name of a stored status.
fn status_name(code: &str) -> &'static str {
    match code {
        "approved" => "已批准",
        "refused" => "未批准",
        _ => "待审核",
    }
}

impl App {
    /// A unit asks to change the targets of its handed-over declaration `form_id` (seen at
    /// version `based_on`) to `proposed`, for `reason`.
    pub async fn request_adjustment(
        &self,
        actor: &Actor,
        form_id: i64,
        based_on: i64,
        proposed: Form,
        reason: &str,
    ) -> Result<i64, AppError> {
        let row = self.store.form(form_id).await?;
        self.authorize_form(actor, Operation::RequestAdjustment, &row.head)
            .await?;
        let kind = crate::row::kind_of(&row.head)?;
        if !matches!(kind, FormKind::ProjectTarget | FormKind::DepartmentTarget) {
            return Err(AppError::Invalid(
                "只有绩效目标申报表可以申请调整目标".into(),
            ));
        }
        let stage = stage_of(&row.head)?;
        if !stage.submitted() {
            return Err(AppError::Workflow(format!(
                "申报表当前为“{}”，尚未提交：直接修改即可，无须申请调整",
                stage.name()
            )));
        }
        if row.head.version != based_on {
            return Err(AppError::Invalid(format!(
                "申报表已是第{}版，请在最新版本上申请调整",
                row.head.version
            )));
        }
        self.check_kind(&row.head, &proposed)?;
        let problems = validate::check(&proposed);
        if !problems.is_empty() {
            return Err(AppError::Refused(problems));
        }
        let reason = reason.trim();
        if reason.is_empty() {
            return Err(AppError::Invalid("请写明调整目标的理由".into()));
        }
        let data = crate::files::form_json(&proposed)?;
        let old: serde_json::Value =
            serde_json::from_str(&row.data).map_err(|e| AppError::unwritable("申报表", e))?;
        let new: serde_json::Value =
            serde_json::from_str(&data).map_err(|e| AppError::unwritable("申报表", e))?;
        if diff::changes(&old, &new).is_empty() {
            return Err(AppError::Invalid("调整后的目标与现行目标相同".into()));
        }
        if self
            .store
            .adjustments_of(form_id)
            .await?
            .iter()
            .any(|a| a.status == "pending")
        {
            return Err(AppError::Invalid(
                "已有一项目标调整申请待财政部门审核，审核后才能再次申请".into(),
            ));
        }
        Ok(self
            .store
            .request_adjustment(
                form_id,
                row.head.org_id,
                based_on,
                &data,
                reason,
                &author(actor),
            )
            .await?)
    }

    /// The target adjustments of a declaration, oldest first.
    pub async fn adjustments(
        &self,
        actor: &Actor,
        form_id: i64,
    ) -> Result<Vec<Adjustment>, AppError> {
        let head = self.store.form_head(form_id).await?;
        self.authorize_form(actor, Operation::View, &head).await?;
        let mut out = Vec::new();
        let mut names = std::collections::HashMap::new();
        for a in self.store.adjustments_of(form_id).await? {
            let proposed: serde_json::Value = serde_json::from_str(&a.proposed)
                .map_err(|e| AppError::unwritable("调整后的申报表", e))?;
            let asked_against = self.store.form_version(form_id, a.based_on).await?;
            let old: serde_json::Value = serde_json::from_str(&asked_against)
                .map_err(|e| AppError::unwritable("申报表", e))?;
            let requested_by = self.display_name(&mut names, a.requested_by).await?;
            let decided_by = match a.decided_by {
                Some(who) => Some(self.display_name(&mut names, who).await?),
                None => None,
            };
            out.push(Adjustment {
                id: a.id,
                status: status_name(&a.status),
                pending: a.status == "pending",
                based_on: a.based_on,
                reason: a.reason,
                requested_by,
                decided_by,
                decision: a.decision,
                changes: diff::changes(&old, &proposed),
            });
        }
        Ok(out)
    }

    /// The display name of the account `username` (kept as it is when the account is gone),
    /// remembered in `names`.
    pub(crate) async fn display_name(
        &self,
        names: &mut std::collections::HashMap<String, String>,
        username: String,
    ) -> Result<String, AppError> {
        if let Some(name) = names.get(&username) {
            return Ok(name.clone());
        }
        let name = match self.store.user_by_name(&username).await? {
            Some(user) => user.display_name,
            None => username.clone(),
        };
        names.insert(username, name.clone());
        Ok(name)
    }

    /// The bureau decides on a request: approved, the declaration takes the adjusted targets as
    /// its next version and the project's self-evaluation still being filled takes them too;
    /// refused, with the reason (required). Returns the declaration's id.
    pub async fn decide_adjustment(
        &self,
        actor: &Actor,
        id: i64,
        approve: bool,
        reason: &str,
    ) -> Result<i64, AppError> {
        let a = self.store.adjustment(id).await?;
        let chain = self.chain(a.org_id).await?;
        access::authorize_on(actor, Operation::DecideAdjustment, &chain, "目标调整申请")?;
        if a.status != "pending" {
            return Err(AppError::Workflow(format!(
                "该申请已{}，不能再次审核",
                status_name(&a.status)
            )));
        }
        let reason = reason.trim();
        if !approve && reason.is_empty() {
            return Err(AppError::Invalid("不予批准须写明理由".into()));
        }
        if approve {
            let row = self.store.form(a.form_id).await?;
            if row.head.version != a.based_on {
                return Err(AppError::Invalid(format!(
                    "申报表在申请后已改为第{}版，请单位在最新版本上重新申请",
                    row.head.version
                )));
            }
            let proposed = parse_form(a.form_id, &a.proposed)?;
            self.write_version(actor, &row, a.based_on, &proposed, Some(("adjustment", id)))
                .await?;
            self.adjust_self_evaluation(actor, &FormRow::of(&row.head)?, &proposed, id)
                .await?;
        }
        let status = if approve { "approved" } else { "refused" };
        self.store
            .decide_adjustment(id, status, reason, &author(actor))
            .await?;
        Ok(a.form_id)
    }

    /// The project's (or department's) self-evaluation of the same year, while its unit still
    /// fills it, takes the adjusted targets of `declared`, indicator by indicator.
    async fn adjust_self_evaluation(
        &self,
        actor: &Actor,
        head: &FormRow,
        declared: &Form,
        adjustment: i64,
    ) -> Result<(), AppError> {
        let (kind, rows) = match declared {
            Form::ProjectTarget(d) => (FormKind::ProjectSelfEvaluation, &d.indicators),
            Form::DepartmentTarget(d) => (FormKind::DepartmentSelfEvaluation, &d.indicators),
            _ => return Ok(()),
        };
        let targets: Vec<(String, &str)> = rows
            .iter()
            .filter_map(|r| Some((key(Level2::parse(&r.level2)?, &r.name), r.target.as_str())))
            .collect();
        let found = self
            .store
            .forms(&FormFilter {
                org_ids: Some(vec![head.org_id]),
                year: Some(head.year),
                kind: Some(kind.code().to_string()),
                ..FormFilter::default()
            })
            .await?;
        for r in found.iter().filter(|r| r.name == head.name) {
            if !Stage::from_code(&r.stage).is_some_and(Stage::editable) {
                continue;
            }
            let stored = self.store.form(r.id).await?;
            let mut form = parse_form(r.id, &stored.data)?;
            let Some(s) = (match &mut form {
                Form::ProjectSelfEvaluation(s) | Form::DepartmentSelfEvaluation(s) => Some(s),
                _ => None,
            }) else {
                continue;
            };
            let mut changed = false;
            for row in &mut s.indicators {
                let Some(level2) = Level2::parse(&row.level2) else {
                    continue;
                };
                let k = key(level2, &row.name);
                if let Some((_, target)) = targets.iter().find(|(t, _)| *t == k)
                    && row.target != *target
                {
                    row.target = (*target).to_string();
                    changed = true;
                }
            }
            if changed {
                self.write_version(
                    actor,
                    &stored,
                    stored.head.version,
                    &form,
                    Some(("adjustment", adjustment)),
                )
                .await?;
            }
        }
        Ok(())
    }
}
