//! 事前绩效评估 in the year's cycle: a project declaration finds the ex-ante assessment of the
//! same project (its page shows it), and, when the year requires it, goes on only with one that
//! has been handed over and whose total calls for 予以支持 or 调整完善后予以支持.

use jixiao_core::ex_ante::assess;
use jixiao_core::form::Form;
use jixiao_core::form::ex_ante::Conclusion;
use jixiao_store::forms::FormFilter;
use rust_decimal::Decimal;
use serde::Serialize;

use crate::error::AppError;
use crate::kind::FormKind;
use crate::row::FormRow;
use crate::service::App;
use crate::settings::YearSettings;
use crate::workflow::Stage;

/// The ex-ante assessment of a declaration's project, as the declaration shows it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ExAnteLink {
    /// The assessment form.
    pub id: i64,
    /// Its stage.
    pub stage: Stage,
    /// Its computed total.
    pub total: Decimal,
    /// The conclusion its total calls for under the year's bands (none while unscored).
    pub conclusion: Option<Conclusion>,
    /// The conclusion it states.
    pub stated: Option<Conclusion>,
}

impl ExAnteLink {
    /// True when the project may be declared on it: handed over, and supporting.
    pub fn admits(&self) -> bool {
        self.stage.submitted() && self.conclusion.is_some_and(Conclusion::supports)
    }
}

impl App {
    /// The ex-ante assessment of the project a declaration `head` is for (not voided; the
    /// most recent when there are several), with its figures under `settings`.
    pub(crate) async fn ex_ante_of(
        &self,
        head: &FormRow,
        settings: &YearSettings,
    ) -> Result<Option<ExAnteLink>, AppError> {
        if head.kind != FormKind::ProjectTarget {
            return Ok(None);
        }
        let rows = self
            .store
            .forms(&FormFilter {
                org_ids: Some(vec![head.org_id]),
                year: Some(head.year),
                kind: Some(FormKind::ExAnteAssessment.code().to_string()),
                ..FormFilter::default()
            })
            .await?;
        let same = rows
            .iter()
            .filter(|r| r.stage != Stage::Voided.code())
            .filter(|r| match (r.project_id, head.project_id) {
                (Some(a), Some(b)) => a == b,
                _ => r.name == head.name,
            })
            .max_by_key(|r| r.id);
        let Some(row) = same else {
            return Ok(None);
        };
        let Ok(Form::ExAnteAssessment(a)) = Form::from_json(&self.store.form(row.id).await?.data)
        else {
            return Ok(None);
        };
        let result = assess(&a, &settings.scoring.ex_ante);
        Ok(Some(ExAnteLink {
            id: row.id,
            stage: Stage::from_code(&row.stage).unwrap_or(Stage::Draft),
            total: result.total,
            conclusion: result.conclusion,
            stated: a.conclusion,
        }))
    }

    /// When the year requires it, a project declaration goes on only with an admitting
    /// ex-ante assessment; refused with what is missing.
    pub(crate) async fn ex_ante_gate(
        &self,
        head: &FormRow,
        settings: &YearSettings,
    ) -> Result<(), AppError> {
        if !settings.require_ex_ante || head.kind != FormKind::ProjectTarget {
            return Ok(());
        }
        let name = &head.name;
        match self.ex_ante_of(head, settings).await? {
            None => Err(AppError::Invalid(format!(
                "{}年度要求项目申报附事前绩效评估：未找到“{name}”的事前绩效评估表，请先填报并提交",
                head.year
            ))),
            Some(link) if !link.stage.submitted() => Err(AppError::Invalid(format!(
                "“{name}”的事前绩效评估表尚未提交（当前为“{}”），提交后才能送确认",
                link.stage.name()
            ))),
            Some(link) => match link.conclusion {
                Some(c) if c.supports() => Ok(()),
                Some(c) => Err(AppError::Invalid(format!(
                    "“{name}”的事前绩效评估总分{}，结论为“{}”，不能申报",
                    link.total.normalize(),
                    c.name()
                ))),
                None => Err(AppError::Invalid(format!(
                    "“{name}”的事前绩效评估尚未评完分，得不出结论，不能申报"
                ))),
            },
        }
    }
}
