//! Checks within one form: self-evaluations (on top of scoring), declarations and project
//! lists (amounts that must add up).

use rust_decimal::Decimal;

use super::catalog::*;
use super::{Finding, Input};
use crate::form::{
    DeclaredIndicator, DepartmentTarget, Form, FundSource, ProjectList, ProjectTarget,
    SelfEvaluation,
};
use crate::indicator::Level1;
use crate::money::Amount;
use crate::scoring::{DiscrepancyKind, Method, ScoredForm, ScoringPolicy, Subject, score};
use crate::target_value::{Flag, Outcome, ValueKind};

/// Checks one form; a self-evaluation is scored here, and its score returned.
pub(super) fn check(
    input: &Input<'_>,
    policy: &ScoringPolicy,
    out: &mut Vec<Finding>,
) -> Option<ScoredForm> {
    match input.form {
        Form::ProjectSelfEvaluation(f) | Form::DepartmentSelfEvaluation(f) => {
            let scored = score(f, policy);
            self_evaluation(input, f, &scored, out);
            return Some(scored);
        }
        Form::ProjectTarget(f) => project_target(input, f, out),
        Form::DepartmentTarget(f) => department_target(input, f, out),
        Form::ProjectList(f) => project_list(input, f, out),
        _ => {}
    }
    None
}

fn points(v: Decimal) -> String {
    v.normalize().to_string()
}

/// The checks of a self-evaluation, in order: practice (met below full, unmet at full), the
/// scoring's discrepancies, the required groups, each row's target and actual, the funds.
fn self_evaluation(
    input: &Input<'_>,
    f: &SelfEvaluation,
    scored: &ScoredForm,
    out: &mut Vec<Finding>,
) {
    let explained = practice(input, f, scored, out);
    discrepancies(input, scored, &explained, out);
    required_groups(input, f, scored, out);
    row_quality(input, f, scored, out);
    funds_rows(input, f, out);
}

/// P01/P02 and the like: scores that contradict whether the target was met. Returns the rows
/// they explain, where the bare arithmetic (A03) stays quiet.
fn practice(
    input: &Input<'_>,
    f: &SelfEvaluation,
    scored: &ScoredForm,
    out: &mut Vec<Finding>,
) -> Vec<usize> {
    let row_at = |row: usize, field: &str| input.at(&format!("indicators[{row}].{field}"));
    // Practice first: a met target below full, an unmet one at full. These explain a score
    // difference better than the bare arithmetic, so A03 stays quiet on those rows.
    let mut explained = Vec::new();
    for s in &scored.indicators {
        let (Some(stated), Some(weight)) = (s.stated, s.weight) else {
            continue;
        };
        let row = &f.indicators[s.row];
        if s.method == Method::Formula
            && s.outcome == Outcome::Met
            && stated < weight
            && row.deviation_reason().is_none()
        {
            explained.push(s.row);
            out.push(
                Finding::new(
                    &P01,
                    input,
                    row_at(s.row, "score"),
                    format!(
                        "“{}”已达成目标（{}），得分{}分低于分值{}分，且未说明原因",
                        s.name,
                        s.explanation.steps.first().cloned().unwrap_or_default(),
                        points(stated),
                        points(weight)
                    ),
                )
                .values(Some(points(stated)), s.computed.map(points))
                .evidence(s.explanation.to_string()),
            );
        }
        if s.outcome == Outcome::NotMet && stated >= weight && s.method != Method::ManualOverride {
            explained.push(s.row);
            out.push(
                Finding::new(
                    &P02,
                    input,
                    row_at(s.row, "score"),
                    format!(
                        "“{}”未达成目标，却得满分{}分；按规则应为{}分",
                        s.name,
                        points(stated),
                        s.computed.map(points).unwrap_or_else(|| "—".into())
                    ),
                )
                .values(Some(points(stated)), s.computed.map(points))
                .evidence(s.explanation.to_string()),
            );
        }
        // Completeness: a score below the weight needs a reason.
        if stated < weight && row.deviation_reason().is_none() && !explained.contains(&s.row) {
            out.push(
                Finding::new(
                    &C01,
                    input,
                    row_at(s.row, "score"),
                    format!(
                        "“{}”得分{}分低于分值{}分，未填写偏差原因分析及改进措施",
                        s.name,
                        points(stated),
                        points(weight)
                    ),
                )
                .values(Some(points(stated)), Some(points(weight))),
            );
        }
    }
    explained
}

/// Every difference the scoring found between the form and the rules, at its cell.
fn discrepancies(
    input: &Input<'_>,
    scored: &ScoredForm,
    explained: &[usize],
    out: &mut Vec<Finding>,
) {
    let row_at = |row: usize, field: &str| input.at(&format!("indicators[{row}].{field}"));
    for d in &scored.discrepancies {
        let (location, row) = match &d.subject {
            Subject::Indicator { row, .. } => {
                let field = match d.kind {
                    DiscrepancyKind::OvershootUnexplained | DiscrepancyKind::NotComparable => {
                        "actual"
                    }
                    DiscrepancyKind::UnknownIndicatorGroup => "level2",
                    _ => "score",
                };
                (row_at(*row, field), Some(*row))
            }
            Subject::ExecutionRate => (input.at("funds.stated_rate"), None),
            Subject::ExecutionScore => (input.at("funds.stated_score"), None),
            Subject::Total => (input.at("stated_total"), None),
            Subject::Grade => (input.at("stated_grade"), None),
            Subject::Weights => (input.at("stated_total_weight"), None),
            Subject::Group { level1 } => {
                let first = scored
                    .indicators
                    .iter()
                    .find(|s| s.level1 == Some(*level1))
                    .map_or(0, |s| s.row);
                (row_at(first, "level1"), None)
            }
        };
        let check = match d.kind {
            DiscrepancyKind::RateDiffers => &A01,
            DiscrepancyKind::ExecutionScoreDiffers => &A02,
            DiscrepancyKind::ScoreDiffers if row.is_some_and(|r| explained.contains(&r)) => {
                continue;
            }
            DiscrepancyKind::ScoreDiffers => &A03,
            DiscrepancyKind::TotalDiffers => &A04,
            DiscrepancyKind::GradeDiffers => &A05,
            DiscrepancyKind::GroupLabelDiffers => &A09,
            DiscrepancyKind::Level1WeightDiffers => &S01,
            DiscrepancyKind::WeightTotalDiffers => &S02,
            DiscrepancyKind::UnknownIndicatorGroup => &S04,
            DiscrepancyKind::ScoreAboveWeight => &P03,
            DiscrepancyKind::QualitativeOutOfBand => &P04,
            DiscrepancyKind::OvershootUnexplained => &P05,
            DiscrepancyKind::InvalidOverride => &P06,
            DiscrepancyKind::NotComparable if d.message.contains("单位不一致") => &Q02,
            DiscrepancyKind::NotComparable => &C03,
            DiscrepancyKind::NotComputable => &C04,
        };
        let evidence = match row {
            Some(r) => scored.indicators[r].explanation.to_string(),
            None if matches!(d.subject, Subject::ExecutionRate | Subject::ExecutionScore) => {
                scored.execution.explanation.to_string()
            }
            None if matches!(
                d.subject,
                Subject::Total | Subject::Grade | Subject::Weights
            ) =>
            {
                scored.total_explanation.to_string()
            }
            None => String::new(),
        };
        out.push(
            Finding::new(
                check,
                input,
                location,
                format!("{}：{}", d.subject, d.message),
            )
            .values(d.stated.clone(), d.computed.clone())
            .evidence(evidence),
        );
    }
}

/// S03: the 一级 groups every self-evaluation must have.
fn required_groups(
    input: &Input<'_>,
    f: &SelfEvaluation,
    scored: &ScoredForm,
    out: &mut Vec<Finding>,
) {
    // Required groups.
    let present: Vec<Level1> = scored.indicators.iter().filter_map(|s| s.level1).collect();
    for required in [Level1::Output, Level1::Benefit, Level1::Satisfaction] {
        if !f.indicators.is_empty() && !present.contains(&required) {
            out.push(Finding::new(
                &S03,
                input,
                input.location.clone(),
                format!("没有“{required}”"),
            ));
        }
    }
}

/// Each row's target and actual: measurable, filled in, consistent.
fn row_quality(input: &Input<'_>, f: &SelfEvaluation, scored: &ScoredForm, out: &mut Vec<Finding>) {
    let row_at = |row: usize, field: &str| input.at(&format!("indicators[{row}].{field}"));
    // Target quality and completeness per row.
    for s in &scored.indicators {
        let row = &f.indicators[s.row];
        if s.method == Method::NotApplicable {
            continue;
        }
        if s.actual.is_blank() {
            out.push(Finding::new(
                &C02,
                input,
                row_at(s.row, "name"),
                format!("“{}”未填写实际完成值", s.name),
            ));
        }
        if let Some(f) = unmeasurable_finding(input, row_at(s.row, "target"), &s.name, &s.target) {
            out.push(f);
        }
        for flag in s.target.flags() {
            if let Flag::UnitMissing { quantity } = flag {
                out.push(Finding::new(
                    &Q05,
                    input,
                    row_at(s.row, "target"),
                    format!("“{}”的指标值中“{quantity}”没有计量单位", s.name),
                ));
            }
        }
        let copied_bound = s.actual.terms().iter().any(|t| t.operator.is_some());
        let qualitative = matches!(s.target.kind(), ValueKind::Qualitative { .. });
        if !s.actual.is_blank()
            && s.actual.normalized_text() == s.target.normalized_text()
            && (qualitative || copied_bound)
        {
            out.push(
                Finding::new(
                    &Q03,
                    input,
                    row_at(s.row, "actual"),
                    format!(
                        "“{}”的实际完成值“{}”与指标值相同，未写明实际完成情况",
                        s.name,
                        row.actual.trim()
                    ),
                )
                .values(Some(row.actual.trim().to_string()), None),
            );
        }
    }
}

/// A06: the source rows of each funds column add up to the total row.
fn funds_rows(input: &Input<'_>, f: &SelfEvaluation, out: &mut Vec<Finding>) {
    let Some(total) = f.funds.total() else { return };
    let total_index = f
        .funds
        .rows
        .iter()
        .position(|r| r.source == FundSource::Total)
        .unwrap_or(0);
    type Column = fn(&crate::form::FundsRow) -> Option<Amount>;
    let columns: [(&str, &str, Column); 3] = [
        ("年初预算数", "initial_budget", |r| r.initial_budget),
        ("全年预算数", "full_year_budget", |r| {
            r.full_year_budget
        }),
        ("全年执行数", "executed", |r| r.executed),
    ];
    for (name, field, get) in columns {
        let Some(stated) = get(total) else { continue };
        let parts: Vec<Amount> = f
            .funds
            .rows
            .iter()
            .filter(|r| r.source != FundSource::Total)
            .filter_map(get)
            .collect();
        if parts.is_empty() {
            continue;
        }
        let Some(sum) = parts
            .iter()
            .try_fold(Amount::zero(stated.unit()), |acc, a| acc.checked_add(a))
        else {
            continue;
        };
        if sum != stated {
            let terms: Vec<String> = parts.iter().map(Amount::to_string).collect();
            out.push(
                Finding::new(
                    &A06,
                    input,
                    input.at(&format!("funds.rows[{total_index}].{field}")),
                    format!("{name}：各资金来源合计{sum}，年度资金总额{stated}"),
                )
                .values(Some(stated.to_string()), Some(sum.to_string()))
                .evidence(format!("{} = {sum}", terms.join(" + "))),
            );
        }
    }
}

/// Checks `parts` add up to `total`; reports with `check` at `path`.
#[allow(clippy::too_many_arguments)]
fn adds_up(
    input: &Input<'_>,
    check: &'static Check,
    path: &str,
    what: &str,
    total: Option<Amount>,
    parts: &[(&str, Option<Amount>)],
    out: &mut Vec<Finding>,
) {
    let Some(total) = total else { return };
    let present: Vec<(&str, Amount)> = parts
        .iter()
        .filter_map(|(n, a)| a.map(|a| (*n, a)))
        .collect();
    if present.is_empty() {
        return;
    }
    let Some(sum) = present
        .iter()
        .try_fold(Amount::zero(total.unit()), |acc, (_, a)| acc.checked_add(a))
    else {
        return;
    };
    if sum != total {
        let terms: Vec<String> = present.iter().map(|(n, a)| format!("{n}{a}")).collect();
        out.push(
            Finding::new(
                check,
                input,
                input.at(path),
                format!(
                    "{what}：{}合计{sum}，与{total}不符",
                    present
                        .iter()
                        .map(|(n, _)| *n)
                        .collect::<Vec<_>>()
                        .join("、")
                ),
            )
            .values(Some(total.to_string()), Some(sum.to_string()))
            .evidence(format!("{} = {sum}", terms.join(" + "))),
        );
    }
}

fn project_target(input: &Input<'_>, f: &ProjectTarget, out: &mut Vec<Finding>) {
    adds_up(
        input,
        &A07,
        "funds_total",
        "项目资金",
        f.funds_total,
        &[("财政拨款", f.funds_fiscal), ("其他资金", f.funds_other)],
        out,
    );
    declared_quality(input, &f.indicators, out);
}

fn department_target(input: &Input<'_>, f: &DepartmentTarget, out: &mut Vec<Finding>) {
    adds_up(
        input,
        &A07,
        "funds_total",
        "按收入性质分",
        f.funds_total,
        &[("财政拨款", f.funds_fiscal), ("其他资金", f.funds_other)],
        out,
    );
    adds_up(
        input,
        &A07,
        "funds_total",
        "按支出性质分",
        f.funds_total,
        &[
            ("基本支出", f.basic_expenditure),
            ("项目支出", f.project_expenditure),
        ],
        out,
    );
    for (i, t) in f.tasks.iter().enumerate() {
        adds_up(
            input,
            &A08,
            &format!("tasks[{i}].budget.total"),
            &format!("任务“{}”", t.name),
            t.budget.total,
            &[("财政拨款", t.budget.fiscal), ("其他资金", t.budget.other)],
            out,
        );
    }
    if let Some(stated) = &f.stated_tasks_total {
        type Get = fn(&crate::form::TaskBudget) -> Option<Amount>;
        let columns: [(&str, &str, Get); 3] = [
            ("总额", "total", |b| b.total),
            ("财政拨款", "fiscal", |b| b.fiscal),
            ("其他资金", "other", |b| b.other),
        ];
        for (name, field, get) in columns {
            let names: Vec<String> = f.tasks.iter().map(|t| format!("“{}”", t.name)).collect();
            let parts: Vec<(&str, Option<Amount>)> = f
                .tasks
                .iter()
                .zip(&names)
                .map(|(t, n)| (n.as_str(), get(&t.budget)))
                .collect();
            adds_up(
                input,
                &A08,
                &format!("stated_tasks_total.{field}"),
                &format!("金额合计（{name}）"),
                get(stated),
                &parts,
                out,
            );
        }
    }
    declared_quality(input, &f.indicators, out);
}

/// A target with no measurable quantity (vague words next to a number do not make it so).
fn unmeasurable(value: &crate::target_value::TargetValue) -> bool {
    matches!(value.kind(), ValueKind::Qualitative { .. })
}

/// Q01 for a target with no measurable quantity, naming the words that make it so.
fn unmeasurable_finding(
    input: &Input<'_>,
    at: crate::source::Location,
    name: &str,
    value: &crate::target_value::TargetValue,
) -> Option<Finding> {
    if !unmeasurable(value) {
        return None;
    }
    let why: Vec<String> = value
        .flags()
        .iter()
        .filter(|f| matches!(f, Flag::NoQuantity | Flag::VagueWording { .. }))
        .map(Flag::message)
        .collect();
    Some(
        Finding::new(
            &Q01,
            input,
            at,
            format!("“{name}”的指标值“{value}”不可衡量：{}", why.join("；")),
        )
        .values(Some(value.to_string()), None),
    )
}

/// Q01 on declared targets.
fn declared_quality(input: &Input<'_>, rows: &[DeclaredIndicator], out: &mut Vec<Finding>) {
    for (k, DeclaredIndicator { name, target, .. }) in rows.iter().enumerate() {
        let value = crate::target_value::TargetValue::parse(target);
        let at = input.at(&format!("indicators[{k}].target"));
        let label = if name.is_empty() {
            "（未命名指标）"
        } else {
            name
        };
        if value.is_blank() {
            out.push(Finding::new(
                &Q01,
                input,
                at,
                format!("“{label}”没有填写指标值"),
            ));
        } else if let Some(f) = unmeasurable_finding(input, at, label, &value) {
            out.push(f);
        }
    }
}

fn project_list(input: &Input<'_>, f: &ProjectList, out: &mut Vec<Finding>) {
    let names: Vec<String> = f.items.iter().map(|i| format!("“{}”", i.name)).collect();
    let parts: Vec<(&str, Option<Amount>)> = f
        .items
        .iter()
        .zip(&names)
        .map(|(i, n)| (n.as_str(), i.budget))
        .collect();
    adds_up(
        input,
        &A10,
        "stated_total",
        "项目清单合计",
        f.stated_total,
        &parts,
        out,
    );
}
