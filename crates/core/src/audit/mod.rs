//! 智能审核: every form checked against its own numbers, the rules and good practice.
//!
//! [`audit`] takes the forms of one document (or a batch) with their provenance and returns
//! [`Finding`]s: a check from the [`catalog`] (stable code, severity, basis), where it is (the
//! cell, via provenance), and the evidence (stated vs computed, with the arithmetic). Correct
//! figures stay quiet: a check that cries wolf is a defect, and every check has a test that
//! fires and one that must not.
//!
//! Arithmetic checks compare the numbers the form states, at the precision it prints them
//! (`precision`); a check that needs a row the form does not have says it cannot check
//! ([`Severity::CannotCheck`]) rather than calling the form wrong.

mod base_data;
pub mod catalog;
mod cross;
mod ex_ante;
mod forms;
mod precision;
mod prose;
mod report;
mod report_funds;
mod summary;
pub mod targets;
mod totals;
mod transfer;
mod weighting;

use std::collections::BTreeMap;

use serde::Serialize;

pub use catalog::{CHECKS, Check, Severity};
pub use summary::FormSummary;

use crate::form::Form;
use crate::scoring::ScoringPolicy;
use crate::source::Location;

/// The fields of a row that mark where it is, in order of preference.
const ROW_FIELDS: [&str; 9] = [
    "name", "target", "actual", "weight", "score", "level2", "level1", "budget", "amount",
];

/// A form to audit, with where it and its values came from.
#[derive(Debug, Clone, Copy)]
pub struct Input<'a> {
    /// The form.
    pub form: &'a Form,
    /// Where the form starts.
    pub location: &'a Location,
    /// Field path → cell.
    pub provenance: &'a BTreeMap<String, Location>,
}

impl Input<'_> {
    /// The cell of `path`; when the value has none (a cell the reader did not see), a cell of
    /// the same row (`indicators[3].actual` → the row's name, target, weight, score or group
    /// label), so a finding about a row is marked on that row; the form's own location only
    /// when nothing of the row is known.
    pub fn at(&self, path: &str) -> Location {
        if let Some(at) = self.provenance.get(path) {
            return at.clone();
        }
        let row = path
            .rsplit_once('.')
            .map(|(row, _)| row)
            .filter(|row| row.ends_with(']'));
        row.and_then(|row| {
            ROW_FIELDS
                .iter()
                .find_map(|field| self.provenance.get(&format!("{row}.{field}")))
        })
        .cloned()
        .unwrap_or_else(|| self.location.clone())
    }

    /// `项目支出绩效自评表：日常运转经费`.
    pub fn label(&self) -> String {
        let name = match self.form {
            Form::ProjectSelfEvaluation(f) | Form::DepartmentSelfEvaluation(f) => f.name.clone(),
            Form::ProjectTarget(f) => f.project_name.clone(),
            Form::DepartmentTarget(f) => f.department.clone(),
            Form::ProjectList(f) => f.title.clone(),
            Form::EvaluationTable(f) => f.title.clone(),
            Form::BaseData(f) => f.title.clone(),
            Form::Report(r) => r.title.clone(),
            Form::Monitoring(f) => f.project_name.clone(),
            Form::TransferPayment(f) => f.name.clone(),
            Form::ExAnteAssessment(f) => f.project_name.clone(),
        };
        if name.is_empty() {
            self.form.title().to_string()
        } else {
            format!("{}：{name}", self.form.title())
        }
    }
}

/// One finding.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    /// The check's code.
    pub code: &'static str,
    /// Severity.
    pub severity: Severity,
    /// The check's title.
    pub title: &'static str,
    /// What the check rests on.
    pub basis: &'static str,
    /// Which form.
    pub form: String,
    /// Where.
    pub location: Location,
    /// What is wrong, in a sentence.
    pub message: String,
    /// The value as stated, when there is one.
    pub stated: Option<String>,
    /// The value as computed, when there is one.
    pub computed: Option<String>,
    /// The arithmetic or reasoning behind the finding.
    pub evidence: String,
}

impl Finding {
    /// A finding of `check` on `input` at `location`.
    pub(crate) fn new(
        check: &'static Check,
        input: &Input<'_>,
        location: Location,
        message: impl Into<String>,
    ) -> Finding {
        Finding {
            code: check.code,
            severity: check.severity,
            title: check.title,
            basis: check.basis,
            form: input.label(),
            location,
            message: no_empty_quotes(message.into()),
            stated: None,
            computed: None,
            evidence: String::new(),
        }
    }

    /// A finding that `check` could not be made on `input`: its severity is
    /// [`Severity::CannotCheck`], the message says what the form lacks.
    pub(crate) fn cannot_check(
        check: &'static Check,
        input: &Input<'_>,
        location: Location,
        message: impl Into<String>,
    ) -> Finding {
        Finding {
            severity: Severity::CannotCheck,
            ..Finding::new(check, input, location, message)
        }
    }

    /// Adds the stated and computed values.
    pub(crate) fn values(mut self, stated: Option<String>, computed: Option<String>) -> Finding {
        self.stated = stated;
        self.computed = computed;
        self
    }

    /// Adds the evidence.
    pub(crate) fn evidence(mut self, evidence: impl Into<String>) -> Finding {
        self.evidence = evidence.into();
        self
    }
}

/// A message never quotes an empty value: `“”` (a blank cell quoted) reads （空白）. The checks
/// name blank cells themselves where they can (第3项指标, 合计); this is the net under them.
fn no_empty_quotes(message: String) -> String {
    if message.contains("“”") {
        message.replace("“”", "（空白）")
    } else {
        message
    }
}

/// Audits the forms of one document (or a batch), in order. Findings come per form in form
/// order, then the checks across forms.
pub fn audit(inputs: &[Input<'_>], policy: &ScoringPolicy) -> Vec<Finding> {
    audit_scored(inputs, policy).0
}

/// [`audit`], also giving each input's score (self-evaluations; `None` for other forms), so
/// a caller that shows the totals does not score the forms again.
pub fn audit_scored(
    inputs: &[Input<'_>],
    policy: &ScoringPolicy,
) -> (Vec<Finding>, Vec<Option<crate::scoring::ScoredForm>>) {
    let mut out = Vec::new();
    let mut scores = Vec::with_capacity(inputs.len());
    // The narrative's figures, found once per report for its own checks and the cross checks.
    let mut figures = Vec::with_capacity(inputs.len());
    for input in inputs {
        scores.push(forms::check(input, policy, &mut out));
        // The prose: a report's paragraphs, or a form's free-text cells (年度总体目标 …).
        let prose = match input.form {
            Form::Report(r) => report::prose(r),
            form => prose::cells(form),
        };
        let placed = report::placed(&prose);
        report::check(input, &prose, &placed, &policy.grade_bands, &mut out);
        figures.push(if matches!(input.form, Form::Report(_)) {
            placed
        } else {
            Vec::new()
        });
        if let Form::TransferPayment(t) = input.form {
            transfer::check(input, t, &mut out);
        }
        if let Form::ExAnteAssessment(a) = input.form {
            ex_ante::check(input, a, &policy.ex_ante, &mut out);
        }
        if let Form::Report(r) = input.form
            && let Some(funds) = &r.funds
        {
            report_funds::check(input, funds, &mut out);
        }
    }
    cross::check(inputs, &figures, &mut out);
    (out, scores)
}

/// Findings from an evaluation of a filled-in evaluation table (`input`): stated scores the
/// rules contradict (E01) or cannot verify (E02), each at its 得分 cell.
pub fn evaluation_findings(
    input: &Input<'_>,
    evaluation: &crate::rules::Evaluation,
) -> Vec<Finding> {
    let Form::EvaluationTable(table) = input.form else {
        return Vec::new();
    };
    evaluation
        .differences()
        .into_iter()
        .map(|d| {
            let row = table
                .indicators
                .iter()
                .position(|r| d.name.split('、').any(|n| n == r.name) && r.stated_score.is_some());
            let location = row.map_or_else(
                || input.location.clone(),
                |k| input.at(&format!("indicators[{k}].stated_score")),
            );
            let check = if d.computed.is_some() {
                &catalog::E01
            } else {
                &catalog::E02
            };
            let evidence = evaluation
                .indicators
                .iter()
                .find(|r| r.name == d.name)
                .map(|r| r.explanation.clone())
                .unwrap_or_default();
            Finding::new(
                check,
                input,
                location,
                format!("“{}”：{}", d.name, d.message),
            )
            .values(
                Some(d.stated.normalize().to_string()),
                d.computed.map(|c| c.normalize().to_string()),
            )
            .evidence(evidence)
        })
        .collect()
}

/// Counts findings by severity: (错误, 警告, 提示). Checks that could not be made are
/// counted apart ([`count`] with [`Severity::CannotCheck`]).
pub fn counts(findings: &[Finding]) -> (usize, usize, usize) {
    (
        count(findings, Severity::Error),
        count(findings, Severity::Warning),
        count(findings, Severity::Info),
    )
}

/// How many findings have `severity`.
pub fn count(findings: &[Finding], severity: Severity) -> usize {
    findings.iter().filter(|f| f.severity == severity).count()
}

#[cfg(test)]
mod tests;
