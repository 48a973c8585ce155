//! A form's computed figures: its score (self-evaluations), grade and audit findings, by the
//! core's scoring engine and audit under the year's policy.
//!
//! Forms kept in the database have no file cells, so each finding's location names the form
//! *field* instead: `location.file` is the field path (`indicators[3].score`), which the pages
//! use to put the finding next to its input.

use std::collections::BTreeMap;

use jixiao_core::audit::{self, Finding, Input, Severity};
use jixiao_core::form::Form;
use jixiao_core::monitor::{MonitorResult, MonitoringPolicy, monitor};
use jixiao_core::scoring::{ScoredForm, ScoringPolicy, score};
use jixiao_core::source::Location;
use jixiao_store::forms::Summary;
use serde::Serialize;

/// What Jixiao computes for a form.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Assessment {
    /// The score, for self-evaluations.
    pub scored: Option<ScoredForm>,
    /// The warnings, for monitoring forms.
    pub monitor: Option<MonitorResult>,
    /// The total and conclusion, for ex-ante assessments (事前绩效评估).
    pub ex_ante: Option<jixiao_core::ex_ante::ExAnteResult>,
    /// Audit findings, errors first.
    pub findings: Vec<Finding>,
}

impl Assessment {
    /// The figures a list shows, with the form's total before review
    /// ([`jixiao_record::total::before_review`]: the stated total, else the computed one).
    pub fn summary(&self, form: &Form, policy: &ScoringPolicy) -> Summary {
        let (errors, warnings, _) = audit::counts(&self.findings);
        let official = self
            .scored
            .as_ref()
            .map(|s| jixiao_record::total::before_review(form, s, policy));
        // An ex-ante assessment's total is its aspects' scores added (it has no grade).
        let ex_ante_total = self
            .ex_ante
            .as_ref()
            .map(|r| r.total.normalize().to_string());
        Summary {
            total: official.map(|o| o.total.to_string()).or(ex_ante_total),
            grade: official.map(|o| o.grade.name().to_string()),
            total_basis: official.map(|o| o.basis.code().to_string()),
            errors: i64::try_from(errors).unwrap_or(i64::MAX),
            warnings: i64::try_from(warnings).unwrap_or(i64::MAX),
            light: self
                .monitor
                .as_ref()
                .and_then(|m| m.light)
                .map(|l| l.code().to_string()),
            rate: self
                .scored
                .as_ref()
                .and_then(|s| s.execution.rate)
                .map(|r| r.normalize().to_string()),
            codes: {
                let mut codes: Vec<&str> = Vec::new();
                for f in self
                    .findings
                    .iter()
                    .filter(|f| matches!(f.severity, Severity::Error | Severity::Warning))
                {
                    if !codes.contains(&f.code) {
                        codes.push(f.code);
                    }
                }
                (!codes.is_empty()).then(|| codes.join(","))
            },
        }
    }

    /// Findings at one field path.
    pub fn at<'a>(&'a self, path: &'a str) -> impl Iterator<Item = &'a Finding> + 'a {
        self.findings
            .iter()
            .filter(move |f| &*f.location.file == path)
    }
}

/// The field paths a form's findings may point at, each mapped to itself.
fn field_paths(form: &Form) -> BTreeMap<String, Location> {
    let mut paths: Vec<String> = [
        "funds.stated_rate",
        "funds.stated_score",
        "funds.weight",
        "stated_grade",
        "stated_total",
        "stated_total_weight",
    ]
    .into_iter()
    .map(str::to_string)
    .collect();
    if let Some(s) = form.self_evaluation() {
        for k in 0..s.funds.rows.len() {
            for f in ["initial_budget", "full_year_budget", "executed"] {
                paths.push(format!("funds.rows[{k}].{f}"));
            }
        }
        for k in 0..s.indicators.len() {
            for f in [
                "level1",
                "level2",
                "name",
                "target",
                "actual",
                "weight",
                "score",
                "stated_score",
                "deviation_reason",
            ] {
                paths.push(format!("indicators[{k}].{f}"));
            }
        }
    }
    if let Form::ProjectTarget(_) | Form::DepartmentTarget(_) = form {
        let n = match form {
            Form::ProjectTarget(d) => d.indicators.len(),
            Form::DepartmentTarget(d) => d.indicators.len(),
            _ => 0,
        };
        for k in 0..n {
            for f in ["name", "target"] {
                paths.push(format!("indicators[{k}].{f}"));
            }
        }
    }
    if let Form::Monitoring(m) = form {
        for k in 0..m.indicators.len() {
            for f in [
                "name",
                "target",
                "progress",
                "expected_year_end",
                "likelihood",
                "deviation_reason",
            ] {
                paths.push(format!("indicators[{k}].{f}"));
            }
        }
    }
    if let Form::ExAnteAssessment(a) = form {
        paths.push("conclusion".to_string());
        for k in 0..a.aspects.len() {
            for f in ["name", "points", "score", "reasoning"] {
                paths.push(format!("aspects[{k}].{f}"));
            }
        }
    }
    if let Form::Report(r) = form {
        for (s, section) in r.sections.iter().enumerate() {
            paths.push(format!("sections[{s}].heading"));
            for p in 0..section.paragraphs.len() {
                paths.push(format!("sections[{s}].paragraphs[{p}]"));
            }
        }
    }
    paths
        .into_iter()
        .map(|p| {
            let at = Location {
                file: p.as_str().into(),
                ..Location::default()
            };
            (p, at)
        })
        .collect()
}

/// Scores and audits a form under `policy` (and a monitoring form's warnings under the default
/// monitoring bands).
pub fn assess(form: &Form, policy: &ScoringPolicy) -> Assessment {
    assess_with(form, policy, &MonitoringPolicy::default())
}

/// Scores, audits and (for monitoring forms) lights a form.
pub fn assess_with(
    form: &Form,
    policy: &ScoringPolicy,
    monitoring: &MonitoringPolicy,
) -> Assessment {
    let scored = form.self_evaluation().map(|s| score(s, policy));
    let monitor = match form {
        Form::Monitoring(m) => Some(monitor(m, monitoring)),
        _ => None,
    };
    let ex_ante = match form {
        Form::ExAnteAssessment(a) => Some(jixiao_core::ex_ante::assess(a, &policy.ex_ante)),
        _ => None,
    };
    let provenance = field_paths(form);
    let whole = Location::default();
    let input = Input {
        form,
        location: &whole,
        provenance: &provenance,
    };
    let mut findings = audit::audit(&[input], policy);
    findings.sort_by_key(|f| match f.severity {
        Severity::Error => 0,
        Severity::Warning => 1,
        Severity::Info => 2,
        Severity::CannotCheck => 3,
    });
    Assessment {
        scored,
        monitor,
        ex_ante,
        findings,
    }
}

/// The review of a declaration's targets (T01–T08) against the library and last year's
/// self-evaluation of the same project; nothing for other forms.
pub fn review_targets(
    form: &Form,
    library: &jixiao_core::library::Library,
    last_year: Option<&Form>,
) -> Vec<jixiao_core::audit::Finding> {
    if !matches!(form, Form::ProjectTarget(_) | Form::DepartmentTarget(_)) {
        return Vec::new();
    }
    let provenance = field_paths(form);
    let whole = Location::default();
    let input = Input {
        form,
        location: &whole,
        provenance: &provenance,
    };
    let context = jixiao_core::audit::targets::Context {
        last_year: last_year.filter(|f| f.self_evaluation().is_some()),
        satisfaction_floor: None,
    };
    jixiao_core::audit::targets::review(&input, library, &context)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seed_forms_are_scored_and_their_findings_point_at_fields() {
        let text = include_str!("../../../testdata/forms/seed001-daily-operations.json");
        let form = Form::from_json(text).expect("seed form");
        let a = assess(&form, &ScoringPolicy::default());
        let scored = a.scored.as_ref().expect("a self-evaluation is scored");
        assert!(scored.total > rust_decimal::Decimal::ZERO);
        assert!(!a.findings.is_empty(), "seed 001 has known errors");
        for f in &a.findings {
            assert!(
                f.location.file.is_empty() || provenance_known(&form, &f.location.file),
                "finding at unknown field {}",
                f.location.file
            );
        }
        let s = a.summary(&form, &ScoringPolicy::default());
        let stated = form.self_evaluation().and_then(|s| s.stated_total);
        assert_eq!(s.total, stated.map(|t| format!("{t:.2}")));
        assert_eq!(s.total_basis.as_deref(), Some("stated"));
        assert!(s.errors + s.warnings > 0);
    }

    fn provenance_known(form: &Form, path: &str) -> bool {
        field_paths(form).contains_key(path)
    }
}
