//! One line per audited form: who it is for, the totals it states and Jixiao computes, the
//! grade, and how many errors and warnings the audit found on it.

use rust_decimal::Decimal;
use serde::Serialize;

use super::{Finding, Input, Severity};
use crate::form::Form;
use crate::scoring::{ScoredForm, ScoringPolicy, score};

/// One form of an audited file in a line: who, the totals and the grade, how many findings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FormSummary {
    /// The form (`项目支出绩效自评表：日常运转经费`).
    pub form: String,
    /// The unit the form is for (部门名称, 实施单位, 预算单位), when it names one.
    pub unit: Option<String>,
    /// The total the form states (self-evaluations).
    pub stated_total: Option<Decimal>,
    /// The total Jixiao computes (self-evaluations).
    pub computed_total: Option<Decimal>,
    /// The grade of the computed total; `None` when items could not be scored (暂定).
    pub grade: Option<String>,
    /// True when every scored item could be computed.
    pub complete: bool,
    /// Errors found on this form.
    pub errors: usize,
    /// Warnings found on this form.
    pub warnings: usize,
}

impl FormSummary {
    /// The summary of `input`, counting the `findings` that name it.
    pub fn of(
        input: &Input<'_>,
        findings: &[Finding],
        scored: Option<&ScoredForm>,
        policy: &ScoringPolicy,
    ) -> FormSummary {
        let label = input.label();
        let mine = findings.iter().filter(|f| f.form == label);
        let errors = mine
            .clone()
            .filter(|f| f.severity == Severity::Error)
            .count();
        let warnings = mine.filter(|f| f.severity == Severity::Warning).count();
        let some = |s: &str| Some(s.to_string()).filter(|s| !s.trim().is_empty());
        let mut summary = FormSummary {
            form: label,
            unit: None,
            stated_total: None,
            computed_total: None,
            grade: None,
            complete: true,
            errors,
            warnings,
        };
        match input.form {
            Form::DepartmentSelfEvaluation(f) | Form::ProjectSelfEvaluation(f) => {
                let scored = match scored {
                    Some(s) => std::borrow::Cow::Borrowed(s),
                    None => std::borrow::Cow::Owned(score(f, policy)),
                };
                summary.unit = match input.form {
                    Form::DepartmentSelfEvaluation(_) => some(&f.name),
                    _ => f
                        .implementing_unit
                        .as_deref()
                        .or(f.competent_department.as_deref())
                        .and_then(some)
                        .or_else(|| {
                            f.other_fields
                                .iter()
                                .find(|x| x.label.contains("单位") || x.label.contains("部门名称"))
                                .and_then(|x| some(&x.value))
                        }),
                };
                summary.stated_total = f.stated_total;
                summary.computed_total = Some(scored.total);
                summary.complete = scored.complete;
                summary.grade = scored.complete.then(|| scored.grade.to_string());
            }
            Form::ProjectTarget(f) => summary.unit = some(&f.unit),
            Form::DepartmentTarget(f) => summary.unit = some(&f.department),
            Form::BaseData(f) => summary.unit = f.unit.as_deref().and_then(some),
            _ => {}
        }
        summary
    }
}
