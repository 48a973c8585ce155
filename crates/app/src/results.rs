//! 结果应用 (rules.md §7.3): each evaluated form's grade turned into the year's configured
//! budget consequence, the rectifications (整改) the bureau requires — written by hand or taken
//! from the audit's errors — with deadlines and the units' answers, and the results page the
//! bureau chooses to publish. Also the year's settings, and a declaration copied into the next
//! year.

use jixiao_core::form::Form;
use jixiao_core::grade::Grade;
use jixiao_store::StoreError;
use jixiao_store::forms::FormFilter;

use crate::row::FormRow;
use jixiao_store::log::Author;
use jixiao_store::results::{NewRectification, RectificationRow};
use serde::Serialize;

use crate::access::{self, Actor, Operation};
use crate::kind::{self, FormKind};
use crate::service::is_date;
use crate::settings::YearSettings;
use crate::workflow::Stage;
use crate::{App, AppError};

/// Where a rectification (整改) stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FixStatus {
    /// Required, not answered yet (待整改).
    Open,
    /// The unit has answered (已答复).
    Answered,
    /// The bureau has accepted the answer (已办结).
    Closed,
}

impl FixStatus {
    /// The code the store keeps.
    pub fn code(self) -> &'static str {
        match self {
            FixStatus::Open => "open",
            FixStatus::Answered => "answered",
            FixStatus::Closed => "closed",
        }
    }

    /// The status as users know it.
    pub fn name(self) -> &'static str {
        match self {
            FixStatus::Open => "待整改",
            FixStatus::Answered => "已答复",
            FixStatus::Closed => "已办结",
        }
    }

    /// The status of a stored code.
    pub fn from_code(code: &str) -> Option<FixStatus> {
        [FixStatus::Open, FixStatus::Answered, FixStatus::Closed]
            .into_iter()
            .find(|s| s.code() == code)
    }
}

/// A rectification as the pages and the API show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Fix {
    /// Id.
    pub id: i64,
    /// The form it concerns.
    pub form_id: i64,
    /// The unit that must act.
    pub org_id: i64,
    /// The year.
    pub year: i64,
    /// The audit check it comes from, if any.
    pub code: Option<String>,
    /// What must be fixed.
    pub description: String,
    /// By when (`2026-12-31`).
    pub deadline: String,
    /// Where it stands.
    pub status: FixStatus,
    /// The unit's answer.
    pub answer: Option<String>,
    /// When it answered (Unix ms).
    pub answered_at: Option<i64>,
    /// Created (Unix ms).
    pub created_at: i64,
}

impl Fix {
    /// The typed rectification of a stored one; an unknown status is a corrupt row.
    fn of(row: RectificationRow) -> Result<Fix, AppError> {
        let status = FixStatus::from_code(&row.status).ok_or_else(|| {
            AppError::Store(StoreError::Corrupt(format!(
                "整改事项 {} 的状态“{}”无法识别",
                row.id, row.status
            )))
        })?;
        Ok(Fix {
            id: row.id,
            form_id: row.form_id,
            org_id: row.org_id,
            year: row.year,
            code: row.code,
            description: row.description,
            deadline: row.deadline,
            status,
            answer: row.answer,
            answered_at: row.answered_at,
            created_at: row.created_at,
        })
    }

    /// Typed rectifications of stored ones, in order.
    fn all(rows: Vec<RectificationRow>) -> Result<Vec<Fix>, AppError> {
        rows.into_iter().map(Fix::of).collect()
    }
}

/// An evaluated form and what follows from it.
#[derive(Debug, Clone, Serialize)]
pub struct ResultRow {
    /// The form.
    pub form: FormRow,
    /// Its unit.
    pub unit: String,
    /// The budget consequence of its grade.
    pub consequence: Option<String>,
    /// Its rectifications.
    pub fixes: Vec<Fix>,
}

/// The public results page of a year.
#[derive(Debug, Clone, Serialize)]
pub struct PublicResults {
    /// The published self-evaluations.
    pub rows: Vec<PublicRow>,
    /// Who publishes them: the finance bureaus above the listed units.
    pub authority: Vec<String>,
    /// When the page was published (`2026-12-07`).
    pub published_on: Option<String>,
}

/// A line of the public results page.
#[derive(Debug, Clone, Serialize)]
pub struct PublicRow {
    /// The form, whose document the page links to.
    pub form_id: i64,
    /// The unit.
    pub unit: String,
    /// The form's title.
    pub kind: String,
    /// Project or department.
    pub name: String,
    /// Total: the form's one total (the reviewed total of a published form).
    pub total: Option<String>,
    /// Grade.
    pub grade: Option<String>,
    /// What the total is (`单位自评总分`, `财政审定采用的系统计算得分` …).
    pub basis: Option<String>,
    /// The consequence.
    pub consequence: Option<String>,
}

fn author(actor: &Actor) -> Author {
    Author {
        user_id: Some(actor.user_id),
        username: actor.username.clone(),
    }
}

fn self_evaluation_kinds() -> Vec<String> {
    [
        FormKind::ProjectSelfEvaluation,
        FormKind::DepartmentSelfEvaluation,
    ]
    .iter()
    .map(|k| k.code().to_string())
    .collect()
}

impl App {
    /// Sets a year's settings (管理员).
    pub async fn set_year_settings(
        &self,
        actor: &Actor,
        year: i64,
        settings: &YearSettings,
    ) -> Result<(), AppError> {
        let chain = self.chain(actor.org_id).await?;
        access::authorize(actor, Operation::ManageYears, &chain)?;
        let text = settings.to_json()?;
        YearSettings::from_json(&text)?;
        Ok(self
            .store
            .set_year_settings(year, &text, &author(actor))
            .await?)
    }

    /// The year's approved (已审定 or 已公开) self-evaluations the actor may see, with their
    /// consequences and fixes: a form the bureau has not approved has no budget consequence.
    pub async fn results(&self, actor: &Actor, year: i64) -> Result<Vec<ResultRow>, AppError> {
        let settings = self.year_settings(year).await?;
        let orgs = self.visible_orgs(actor).await?;
        let ids: Vec<i64> = orgs.iter().map(|o| o.id).collect();
        let mut forms = Vec::new();
        for kind in self_evaluation_kinds() {
            forms.extend(
                self.store
                    .forms(&FormFilter {
                        org_ids: Some(ids.clone()),
                        year: Some(year),
                        kind: Some(kind),
                        stages: Some(
                            Stage::ALL
                                .iter()
                                .filter(|s| s.approved())
                                .map(|s| s.code().to_string())
                                .collect(),
                        ),
                        ..FormFilter::default()
                    })
                    .await?,
            );
        }
        let fixes = Fix::all(self.store.rectifications(&ids, Some(year), None).await?)?;
        forms
            .into_iter()
            .map(|f| -> Result<ResultRow, AppError> {
                Ok(ResultRow {
                    unit: orgs
                        .iter()
                        .find(|o| o.id == f.org_id)
                        .map(|o| o.name.clone())
                        .unwrap_or_default(),
                    consequence: f
                        .grade
                        .as_deref()
                        .and_then(Grade::parse)
                        .map(|g| settings.consequences.of(g).to_string()),
                    fixes: fixes
                        .iter()
                        .filter(|x| x.form_id == f.id)
                        .cloned()
                        .collect(),
                    form: FormRow::of(&f)?,
                })
            })
            .collect()
    }

    /// A form's rectifications (whoever may see the form).
    pub async fn fixes_of(&self, actor: &Actor, form_id: i64) -> Result<Vec<Fix>, AppError> {
        let head = self.store.form_head(form_id).await?;
        self.authorize_form(actor, Operation::View, &head).await?;
        Fix::all(
            self.store
                .rectifications(&[head.org_id], None, Some(form_id))
                .await?,
        )
    }

    /// Requires a rectification of a form's unit, by a deadline.
    pub async fn require_fix(
        &self,
        actor: &Actor,
        form_id: i64,
        description: &str,
        deadline: &str,
        code: Option<&str>,
    ) -> Result<i64, AppError> {
        let head = self.store.form_head(form_id).await?;
        let chain = self.chain(head.org_id).await?;
        access::authorize(actor, Operation::Rectify, &chain)?;
        let stage = crate::row::stage_of(&head)?;
        if !(stage.submitted() || stage.returned()) {
            return Err(AppError::Workflow(format!(
                "表单当前为“{}”，单位尚未提交，不能要求整改",
                stage.name()
            )));
        }
        let description = description.trim();
        if description.is_empty() {
            return Err(AppError::Invalid("请写明须整改的问题".into()));
        }
        if !is_date(deadline) {
            return Err(AppError::Invalid(format!(
                "整改期限“{deadline}”格式应为 2026-12-31"
            )));
        }
        let new = NewRectification {
            form_id,
            org_id: head.org_id,
            year: head.year,
            code,
            description,
            deadline,
        };
        Ok(self
            .store
            .create_rectification(&new, &author(actor))
            .await?)
    }

    /// One rectification per audit error of a form that has none for that check yet; returns
    /// how many were added.
    pub async fn fixes_from_findings(
        &self,
        actor: &Actor,
        form_id: i64,
        deadline: &str,
    ) -> Result<usize, AppError> {
        let view = self.form(actor, form_id).await?;
        let chain = self.chain(view.head.org_id).await?;
        access::authorize(actor, Operation::Rectify, &chain)?;
        let existing = self.fixes_of(actor, form_id).await?;
        let mut added = 0;
        for f in view
            .assessment
            .findings
            .iter()
            .filter(|f| f.severity == jixiao_core::audit::Severity::Error)
        {
            if existing.iter().any(|x| x.code.as_deref() == Some(f.code)) {
                continue;
            }
            let text = format!("{}：{}", f.title, f.message);
            self.require_fix(actor, form_id, &text, deadline, Some(f.code))
                .await?;
            added += 1;
        }
        Ok(added)
    }

    /// The unit answers a rectification: what it did, with evidence files (name, content type,
    /// bytes) — at any stage of the form, published ones included. Every file is checked
    /// before anything is stored. The id of the form it concerns.
    pub async fn answer_fix(
        &self,
        actor: &Actor,
        fix_id: i64,
        answer: &str,
        evidence: &[(String, String, Vec<u8>)],
    ) -> Result<i64, AppError> {
        let fix = self.store.rectification(fix_id).await?;
        let chain = self.chain(fix.org_id).await?;
        access::authorize_on(actor, Operation::AnswerRectification, &chain, "整改事项")?;
        let answer = answer.trim();
        if answer.is_empty() {
            return Err(AppError::Invalid("请写明整改情况".into()));
        }
        let files = evidence
            .iter()
            .map(|(name, kind, bytes)| self.evidence(name, kind, bytes, Some(fix_id)))
            .collect::<Result<Vec<_>, _>>()?;
        match self
            .store
            .set_rectification(fix_id, "open", "answered", Some(answer), &author(actor))
            .await
        {
            Err(StoreError::Conflict { .. }) => {
                return Err(AppError::Workflow(
                    "该整改事项已答复或已办结，不能再次答复".into(),
                ));
            }
            Err(e) => return Err(e.into()),
            Ok(()) => {}
        }
        for file in &files {
            self.store
                .add_attachment(fix.form_id, file, &author(actor))
                .await?;
        }
        Ok(fix.form_id)
    }

    /// The bureau accepts an answered rectification; the id of the form it concerns.
    pub async fn close_fix(&self, actor: &Actor, fix_id: i64) -> Result<i64, AppError> {
        let fix = self.store.rectification(fix_id).await?;
        let chain = self.chain(fix.org_id).await?;
        access::authorize_on(actor, Operation::Rectify, &chain, "整改事项")?;
        match self
            .store
            .set_rectification(fix_id, "answered", "closed", None, &author(actor))
            .await
        {
            Err(StoreError::Conflict { .. }) => Err(AppError::Workflow(
                "只有单位已答复的整改事项才能办结".into(),
            )),
            Err(e) => Err(e.into()),
            Ok(()) => Ok(fix.form_id),
        }
    }

    /// Publishes (or withdraws) the year's results page.
    pub async fn publish_results(
        &self,
        actor: &Actor,
        year: i64,
        public: bool,
    ) -> Result<(), AppError> {
        let chain = self.chain(actor.org_id).await?;
        access::authorize(actor, Operation::PublishResults, &chain)?;
        let mut settings = self.year_settings(year).await?;
        settings.results_public = public;
        settings.published_on = public.then(|| self.today());
        Ok(self
            .store
            .set_year_settings(year, &settings.to_json()?, &author(actor))
            .await?)
    }

    /// The public results page of a year: the published (已公开) self-evaluations with their
    /// grades and consequences, who publishes them and when; `None` until the bureau publishes
    /// the page.
    pub async fn public_results(&self, year: i64) -> Result<Option<PublicResults>, AppError> {
        let settings = self.year_settings(year).await?;
        if !settings.results_public {
            return Ok(None);
        }
        let orgs = self.store.orgs().await?;
        let mut rows = Vec::new();
        for kind in self_evaluation_kinds() {
            let forms = self
                .store
                .forms(&FormFilter {
                    year: Some(year),
                    kind: Some(kind),
                    stages: Some(vec![Stage::Published.code().to_string()]),
                    ..FormFilter::default()
                })
                .await?;
            let ids: Vec<i64> = forms.iter().map(|f| f.id).collect();
            let bases: std::collections::HashMap<i64, String> = self
                .store
                .total_bases(&ids)
                .await?
                .into_iter()
                .filter_map(|(id, b)| {
                    Some((
                        id,
                        crate::total::TotalBasis::from_code(&b?)?.name().to_string(),
                    ))
                })
                .collect();
            rows.extend(forms.into_iter().map(|f| {
                PublicRow {
                    form_id: f.id,
                    basis: bases.get(&f.id).cloned(),
                    unit: orgs
                        .iter()
                        .find(|o| o.id == f.org_id)
                        .map(|o| o.name.clone())
                        .unwrap_or_default(),
                    kind: FormKind::from_code(&f.kind)
                        .map_or("", FormKind::name)
                        .to_string(),
                    consequence: f
                        .grade
                        .as_deref()
                        .and_then(Grade::parse)
                        .map(|g| settings.consequences.of(g).to_string()),
                    name: f.name,
                    total: f.total,
                    grade: f.grade,
                }
            }));
        }
        // The finance bureaus above the listed units publish them.
        let mut authority: Vec<String> = Vec::new();
        for r in &rows {
            let Some(org) = orgs.iter().find(|o| o.name == r.unit) else {
                continue;
            };
            let root = self.chain(org.id).await?.last().copied().unwrap_or(org.id);
            if let Some(o) = orgs.iter().find(|o| o.id == root && o.kind == "finance")
                && !authority.contains(&o.name)
            {
                authority.push(o.name.clone());
            }
        }
        Ok(Some(PublicResults {
            rows,
            authority,
            published_on: settings.published_on.clone(),
        }))
    }

    /// The document of a published self-evaluation on a public results page, as a web page
    /// anyone may download; anything else (another year, a form not published, a page not
    /// public) is not found.
    pub async fn public_form(
        &self,
        year: i64,
        id: i64,
    ) -> Result<crate::service::Download, AppError> {
        let missing = || AppError::NotFound("公开的评价结果".to_string());
        if !self.year_settings(year).await?.results_public {
            return Err(missing());
        }
        let row = match self.store.form(id).await {
            Ok(row) => row,
            Err(StoreError::NotFound(_)) => return Err(missing()),
            Err(e) => return Err(e.into()),
        };
        let published = row.head.year == year
            && row.head.stage == Stage::Published.code()
            && self_evaluation_kinds().contains(&row.head.kind);
        if !published {
            return Err(missing());
        }
        self.export_row(row, crate::files::Format::Html).await
    }

    /// Copies a declaration into a new draft for the next year (the targets carried over, to
    /// be revised), filed under the same project name.
    pub async fn copy_to_next_year(&self, actor: &Actor, form_id: i64) -> Result<i64, AppError> {
        let row = self.store.form(form_id).await?;
        let chain = self.chain(row.head.org_id).await?;
        access::authorize(actor, Operation::View, &chain)?;
        access::authorize(actor, Operation::Create, &chain)?;
        let mut form = Form::from_json(&row.data)
            .map_err(|e| AppError::Store(StoreError::Corrupt(format!("表单 {form_id}：{e}"))))?;
        let next = u16::try_from(row.head.year + 1)
            .map_err(|_| AppError::Invalid(format!("年度 {} 无效", row.head.year)))?;
        match &mut form {
            Form::ProjectTarget(d) => d.year = Some(next),
            Form::DepartmentTarget(d) => d.year = Some(next),
            _ => {
                return Err(AppError::Invalid(
                    "只有绩效目标申报表可以复制为下一年度".into(),
                ));
            }
        }
        let mut outcome = crate::service::ImportOutcome::default();
        self.file_forms(actor, vec![form], next, &mut outcome)
            .await?;
        let name = kind::name_of(
            &Form::from_json(&row.data).map_err(|e| AppError::Invalid(e.to_string()))?,
        );
        outcome
            .forms
            .first()
            .map(|(id, _, _)| *id)
            .ok_or_else(|| AppError::Invalid(format!("“{name}”未能复制")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deadlines_are_dates() {
        assert!(is_date("2026-12-31"));
        assert!(!is_date("2026/12/31"));
        assert!(!is_date("明年"));
    }
}
