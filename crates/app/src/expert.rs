//! Third-party institutions and experts (第三方机构和专家): the finance bureau keeps a register of
//! 中介机构 (nature, credit rating, the assignments of their experts) and of 专家 (field, title,
//! rating; each with an account of role `expert`), and assigns forms to experts for a period.
//!
//! An expert sees and scores only what is assigned to them, while the assignment runs: every
//! route that shows a form asks `App::expert_access` (through `authorize_form`), and lists
//! show only the assigned forms. Before the first view the expert declares that they have no
//! conflict of interest (or declares one, which ends the assignment); every view and every score
//! is in the change log.

use jixiao_core::form::Form;
use jixiao_core::scoring::{ScoredForm, score};
use jixiao_core::spot_check::{Review, check, reviewed};
use jixiao_store::experts::{
    AssignmentRow, ExpertRow, InstitutionRow, NewExpert as StoreExpert,
    NewInstitution as StoreInstitution,
};
use jixiao_store::forms::FormListRow;
use jixiao_store::users::NewUser;
use serde::{Deserialize, Serialize};

use crate::access::{self, Actor, Operation};
use crate::error::AppError;
use crate::role::Role;
use crate::service::{App, author, is_date, parse_form};
use crate::{kind, password};

/// The words an expert's declaration of no conflict of interest stands for.
pub const NO_CONFLICT: &str = "本人与被评价单位及项目不存在利害关系，未参与该项目的申报、实施和管理，\
与被评价单位负责人及经办人员无近亲属关系，保证独立、客观、公正地开展评审，并对评审中知悉的信息保密。";

/// An institution to register.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct NewInstitution {
    /// Name.
    pub name: String,
    /// 性质 (会计师事务所, 资产评估机构, 咨询机构, 高校科研院所, 其他).
    pub nature: String,
    /// 信用等级 (A, B, C, D).
    pub credit_rating: String,
    /// 联系人及电话.
    #[serde(default)]
    pub contact: String,
}

/// An expert to register.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct NewExpert {
    /// Their login name.
    pub username: String,
    /// Their name.
    pub display_name: String,
    /// 专业领域.
    pub field: String,
    /// 职称.
    pub title: String,
    /// 评价等级 (优秀, 良好, 合格, 不合格; 未评价 when blank).
    #[serde(default)]
    pub rating: String,
    /// Their institution, if any.
    #[serde(default)]
    pub institution_id: Option<i64>,
}

/// An institution in the register, with the assignments of its experts.
#[derive(Debug, Clone, Serialize)]
pub struct InstitutionView {
    /// As stored.
    #[serde(flatten)]
    pub row: InstitutionRow,
    /// Forms its experts were assigned.
    pub assignments: i64,
}

/// An expert in the register.
#[derive(Debug, Clone, Serialize)]
pub struct ExpertView {
    /// As stored.
    #[serde(flatten)]
    pub row: ExpertRow,
    /// Their institution's name.
    pub institution: Option<String>,
    /// Forms they were assigned.
    pub assignments: usize,
}

/// An assignment as its pages show it.
#[derive(Debug, Clone, Serialize)]
pub struct AssignmentView {
    /// As stored.
    #[serde(flatten)]
    pub row: AssignmentRow,
    /// 待声明 / 已声明无利益冲突 / 已回避 / 已评审.
    pub status_name: &'static str,
    /// The form's name, kind and unit.
    pub form_name: String,
    /// The form's kind, in words.
    pub kind_name: &'static str,
    /// The form's year.
    pub year: i64,
    /// The expert's name.
    pub expert: String,
    /// True while today is within the period.
    pub running: bool,
}

/// The name of a stored status.
fn status_name(code: &str) -> &'static str {
    match code {
        "declared" => "已声明无利益冲突",
        "recused" => "已回避（存在利益冲突）",
        "scored" => "已评审",
        _ => "待声明利益冲突",
    }
}

/// A field that must not be blank.
fn required(value: &str, what: &str) -> Result<String, AppError> {
    let v = value.trim();
    if v.is_empty() {
        return Err(AppError::Invalid(format!("请填写{what}")));
    }
    if v.chars().count() > 100 {
        return Err(AppError::Invalid(format!("{what}不能超过100个字")));
    }
    Ok(v.to_string())
}

impl App {
    /// The bureau's organisation ids the actor keeps registers for (refused to everyone else).
    async fn registers(&self, actor: &Actor) -> Result<Vec<i64>, AppError> {
        let chain = self.chain(actor.org_id).await?;
        access::authorize(actor, Operation::ManageExperts, &chain)?;
        Ok(self
            .visible_orgs(actor)
            .await?
            .iter()
            .filter(|o| o.kind == "finance")
            .map(|o| o.id)
            .collect())
    }

    /// Registers a 中介机构 with the actor's bureau.
    pub async fn register_institution(
        &self,
        actor: &Actor,
        new: &NewInstitution,
    ) -> Result<i64, AppError> {
        self.registers(actor).await?;
        let name = required(&new.name, "机构名称")?;
        let nature = required(&new.nature, "机构性质")?;
        let rating = required(&new.credit_rating, "信用等级")?;
        self.store
            .create_institution(
                &StoreInstitution {
                    org_id: actor.org_id,
                    name: &name,
                    nature: &nature,
                    credit_rating: &rating,
                    contact: new.contact.trim(),
                },
                &author(actor),
            )
            .await
            .map_err(|e| match e {
                jixiao_store::StoreError::Duplicate(_) => {
                    AppError::Invalid(format!("机构“{name}”已在名录中"))
                }
                other => other.into(),
            })
    }

    /// The register of institutions.
    pub async fn institutions(&self, actor: &Actor) -> Result<Vec<InstitutionView>, AppError> {
        let orgs = self.registers(actor).await?;
        let counts = self.store.institution_assignments().await?;
        Ok(self
            .store
            .institutions(&orgs)
            .await?
            .into_iter()
            .map(|row| InstitutionView {
                assignments: counts
                    .iter()
                    .find(|(id, _)| *id == row.id)
                    .map_or(0, |(_, n)| *n),
                row,
            })
            .collect())
    }

    /// Registers an expert and creates their account with a one-time password (returned once,
    /// to hand over). Returns the expert's id and the password.
    pub async fn register_expert(
        &self,
        actor: &Actor,
        new: &NewExpert,
    ) -> Result<(i64, String), AppError> {
        let orgs = self.registers(actor).await?;
        let username = crate::admin::checked_username(&new.username)?;
        let display_name = required(&new.display_name, "专家姓名")?;
        let field = required(&new.field, "专业领域")?;
        let title = required(&new.title, "职称")?;
        let rating = match new.rating.trim() {
            "" => "未评价".to_string(),
            r => required(r, "评价等级")?,
        };
        if let Some(i) = new.institution_id
            && !self
                .store
                .institutions(&orgs)
                .await?
                .iter()
                .any(|r| r.id == i)
        {
            return Err(AppError::Invalid(
                "所选机构不在本单位的中介机构名录中".into(),
            ));
        }
        let pw = password::random_password()?;
        let hash = password::hash(&pw)?;
        let id = self
            .store
            .create_expert(
                &StoreExpert {
                    user: NewUser {
                        username: &username,
                        display_name: &display_name,
                        password_hash: &hash,
                        role: Role::Expert.code(),
                        org_id: actor.org_id,
                        must_change_password: true,
                    },
                    field: &field,
                    title: &title,
                    rating: &rating,
                    institution_id: new.institution_id,
                },
                &author(actor),
            )
            .await
            .map_err(|e| match e {
                jixiao_store::StoreError::Duplicate(_) => {
                    AppError::Taken(format!("用户名“{username}”已被使用"))
                }
                other => other.into(),
            })?;
        Ok((id, pw))
    }

    /// The register of experts.
    pub async fn experts(&self, actor: &Actor) -> Result<Vec<ExpertView>, AppError> {
        let orgs = self.registers(actor).await?;
        let institutions = self.store.institutions(&orgs).await?;
        let mut out = Vec::new();
        for row in self.store.experts(&orgs).await? {
            let assignments = self.store.assignments_of_expert(row.id).await?.len();
            out.push(ExpertView {
                institution: row.institution_id.and_then(|i| {
                    institutions
                        .iter()
                        .find(|r| r.id == i)
                        .map(|r| r.name.clone())
                }),
                assignments,
                row,
            });
        }
        Ok(out)
    }

    /// Assigns form `form_id` to the expert whose account is `user_id`, from `starts` (today
    /// when blank) to `ends` (30 days on when blank).
    pub async fn assign_expert(
        &self,
        actor: &Actor,
        form_id: i64,
        user_id: i64,
        starts: Option<&str>,
        ends: Option<&str>,
    ) -> Result<i64, AppError> {
        let head = self.store.form_head(form_id).await?;
        self.authorize_form(actor, Operation::ManageExperts, &head)
            .await?;
        let orgs = self.registers(actor).await?;
        let expert = self
            .store
            .expert_of_user(user_id)
            .await?
            .filter(|e| orgs.contains(&e.org_id))
            .ok_or_else(|| AppError::Invalid("所选用户不在本单位的专家名录中".into()))?;
        let pick = |v: Option<&str>, default: String, what: &str| match v
            .map(str::trim)
            .filter(|v| !v.is_empty())
        {
            None => Ok(default),
            Some(d) if is_date(d) => Ok(d.to_string()),
            Some(d) => Err(AppError::Invalid(format!(
                "{what}“{d}”应为日期（如 2026-03-31）"
            ))),
        };
        let starts = pick(starts, self.today(), "开始日期")?;
        let ends = pick(ends, self.clock().in_days(30), "结束日期")?;
        if ends < starts {
            return Err(AppError::Invalid(format!(
                "结束日期 {ends} 早于开始日期 {starts}"
            )));
        }
        let current = self.store.assignments_of_expert(expert.id).await?;
        if current
            .iter()
            .any(|a| a.form_id == form_id && a.status != "recused" && a.ends >= self.today())
        {
            return Err(AppError::Invalid(format!(
                "该表单已分配给{}，评审期尚未结束",
                expert.display_name
            )));
        }
        Ok(self
            .store
            .assign(form_id, expert.id, (&starts, &ends), &author(actor))
            .await?)
    }

    /// The view of an assignment.
    async fn assignment_view(&self, row: AssignmentRow) -> Result<AssignmentView, AppError> {
        let head = self.store.form_head(row.form_id).await?;
        let expert = self.store.expert(row.expert_id).await?;
        let today = self.today();
        Ok(AssignmentView {
            status_name: status_name(&row.status),
            form_name: head.name.clone(),
            kind_name: kind::FormKind::from_code(&head.kind).map_or("表单", |k| k.name()),
            year: head.year,
            expert: expert.display_name,
            running: row.starts <= today && today <= row.ends,
            row,
        })
    }

    /// The experts a form was assigned to (for the bureau, on the form's page).
    pub async fn assignments_of_form(
        &self,
        actor: &Actor,
        form_id: i64,
    ) -> Result<Vec<AssignmentView>, AppError> {
        let head = self.store.form_head(form_id).await?;
        self.authorize_form(actor, Operation::ManageExperts, &head)
            .await?;
        let mut out = Vec::new();
        for row in self.store.assignments_of_form(form_id).await? {
            out.push(self.assignment_view(row).await?);
        }
        Ok(out)
    }

    /// An expert's own assignments, newest first (empty for anyone else).
    pub async fn my_assignments(&self, actor: &Actor) -> Result<Vec<AssignmentView>, AppError> {
        if actor.role != Role::Expert {
            return Ok(Vec::new());
        }
        let Some(expert) = self.store.expert_of_user(actor.user_id).await? else {
            return Ok(Vec::new());
        };
        let mut out = Vec::new();
        for row in self.store.assignments_of_expert(expert.id).await? {
            out.push(self.assignment_view(row).await?);
        }
        Ok(out)
    }

    /// The expert's own assignment `id` (anyone else's is not found).
    pub async fn my_assignment(&self, actor: &Actor, id: i64) -> Result<AssignmentView, AppError> {
        self.my_assignments(actor)
            .await?
            .into_iter()
            .find(|a| a.row.id == id)
            .ok_or_else(|| AppError::NotFound("评审任务".into()))
    }

    /// The expert declares, on their assignment `id`, that they have no conflict of interest
    /// (`no_conflict`), or that they have one (which ends the assignment) with `words`.
    pub async fn declare(
        &self,
        actor: &Actor,
        id: i64,
        no_conflict: bool,
        words: &str,
    ) -> Result<(), AppError> {
        let a = self.my_assignment(actor, id).await?;
        if a.row.status != "assigned" {
            return Err(AppError::Workflow(format!("该评审任务{}", a.status_name)));
        }
        if !a.running {
            return Err(AppError::Workflow(format!(
                "评审期为 {} 至 {}，当前不在评审期内",
                a.row.starts, a.row.ends
            )));
        }
        let text = if no_conflict {
            NO_CONFLICT.to_string()
        } else {
            required(words, "利益冲突情况")?
        };
        Ok(self
            .store
            .declare(id, no_conflict, &text, &author(actor))
            .await?)
    }

    /// The assignment the expert has of form `form_id` while it runs and they have not
    /// recused themselves.
    async fn running_assignment(
        &self,
        actor: &Actor,
        form_id: i64,
    ) -> Result<Option<AssignmentView>, AppError> {
        Ok(self
            .my_assignments(actor)
            .await?
            .into_iter()
            .find(|a| a.row.form_id == form_id && a.running && a.row.status != "recused"))
    }

    /// The assignment whose declaration an expert still owes before seeing form `form_id`.
    pub async fn declaration_due(
        &self,
        actor: &Actor,
        form_id: i64,
    ) -> Result<Option<i64>, AppError> {
        Ok(self
            .running_assignment(actor, form_id)
            .await?
            .filter(|a| a.row.status == "assigned")
            .map(|a| a.row.id))
    }

    /// For an expert: may they do `op` on form `head`? Only viewing and exporting an assigned
    /// form, while the assignment runs, once they have declared no conflict of interest. `Ok(
    /// None)` when the form is not theirs (the caller answers as for anyone who may not see it).
    pub(crate) async fn expert_access(
        &self,
        actor: &Actor,
        op: Operation,
        head: &FormListRow,
    ) -> Result<Option<i64>, AppError> {
        let Some(a) = self.running_assignment(actor, head.id).await? else {
            return Ok(None);
        };
        if !matches!(op, Operation::View | Operation::Export) {
            return Err(AppError::Forbidden(format!(
                "{}不能{}",
                actor.role.name(),
                access::describe(op)
            )));
        }
        if a.row.status == "assigned" {
            return Err(AppError::Workflow(format!(
                "查看前请先在评审任务{}中声明与被评价单位和项目无利益冲突",
                a.row.id
            )));
        }
        Ok(Some(a.row.id))
    }

    /// The forms an expert may list: those of their running, not recused assignments.
    pub(crate) async fn assigned_forms(&self, actor: &Actor) -> Result<Vec<i64>, AppError> {
        Ok(self
            .my_assignments(actor)
            .await?
            .iter()
            .filter(|a| a.running && a.row.status != "recused")
            .map(|a| a.row.form_id)
            .collect())
    }

    /// Logs an expert's look at form `form_id` (`what`: 查看, 导出, 历史记录, 佐证材料).
    pub(crate) async fn log_view(
        &self,
        actor: &Actor,
        form_id: i64,
        what: &str,
    ) -> Result<(), AppError> {
        if actor.role != Role::Expert {
            return Ok(());
        }
        if let Some(a) = self.running_assignment(actor, form_id).await? {
            self.store
                .log_expert_view(form_id, a.row.id, what, &author(actor))
                .await?;
        }
        Ok(())
    }

    /// The expert's assignment with the form, Jixiao's scores of a self-evaluation (none for
    /// other kinds) and their review so far.
    pub async fn expert_item(
        &self,
        actor: &Actor,
        id: i64,
    ) -> Result<(AssignmentView, Form, Option<ScoredForm>, Review), AppError> {
        let a = self.my_assignment(actor, id).await?;
        let stored = self.store.form(a.row.form_id).await?;
        self.authorize_form(actor, Operation::View, &stored.head)
            .await?;
        let form = parse_form(stored.head.id, &stored.data)?;
        let year = self.year_settings(stored.head.year).await?;
        let scored = form.self_evaluation().map(|s| score(s, &year.scoring));
        let review = match a.row.review.as_deref() {
            Some(text) => serde_json::from_str(text).map_err(|e| {
                AppError::Store(jixiao_store::StoreError::Corrupt(format!(
                    "评审任务 {id}：{e}"
                )))
            })?,
            None => Review::default(),
        };
        Ok((a, form, scored, review))
    }

    /// Keeps the expert's opinion (required) and, on a self-evaluation, their scores.
    pub async fn score_assignment(
        &self,
        actor: &Actor,
        id: i64,
        opinion: &str,
        review: &Review,
    ) -> Result<(), AppError> {
        let (a, _, scored, _) = self.expert_item(actor, id).await?;
        let opinion = opinion.trim();
        if opinion.is_empty() {
            return Err(AppError::Invalid("请填写评审意见".into()));
        }
        let kept = match &scored {
            Some(scored) => {
                check(review, scored).map_err(|e| AppError::Invalid(e.0))?;
                let total = reviewed(review, scored, None).total;
                let text = serde_json::to_string(review)
                    .map_err(|e| AppError::unwritable("专家评分", e))?;
                Some((text, total.normalize().to_string()))
            }
            None => None,
        };
        Ok(self
            .store
            .score_assignment(
                a.row.id,
                opinion,
                kept.as_ref().map(|(t, s)| (t.as_str(), s.as_str())),
                &author(actor),
            )
            .await?)
    }
}
