//! Checks within one form: self-evaluations (on top of scoring), declarations and project
//! lists (amounts that must add up).

use rust_decimal::Decimal;

use super::catalog::*;
use super::{Finding, Input};
use crate::form::{
    CostColumn, DeclaredIndicator, DepartmentTarget, Form, FundSource, ProjectList, ProjectTarget,
    SelfEvaluation,
};
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
            self_evaluation(input, f, &scored, policy, out);
            return Some(scored);
        }
        Form::ProjectTarget(f) => project_target(input, f, out),
        Form::DepartmentTarget(f) => department_target(input, f, out),
        Form::ProjectList(f) => project_list(input, f, out),
        Form::BaseData(f) => super::base_data::check(input, f, out),
        Form::Monitoring(f) => monitoring_funds(input, f, out),
        _ => {}
    }
    None
}

pub(super) fn points(v: Decimal) -> String {
    v.normalize().to_string()
}

/// The checks of a self-evaluation, in order: practice (met below full, unmet at full), the
/// scoring's discrepancies on rows, the form's own arithmetic (rate, execution score, total,
/// grade, weights, groups), each row's target and actual, the funds.
fn self_evaluation(
    input: &Input<'_>,
    f: &SelfEvaluation,
    scored: &ScoredForm,
    policy: &ScoringPolicy,
    out: &mut Vec<Finding>,
) {
    let explained = practice(input, f, scored, out);
    discrepancies(input, scored, &explained, out);
    super::totals::check(input, f, scored, policy, out);
    row_quality(input, f, scored, out);
    super::weighting::check(input, f, out);
    funds_rows(input, f, out);
}

/// Words that name a rate where less is better, or which may pass 100% (控制率, 下降率,
/// 发生率 …): for these a bare 100% target may be a ceiling.
const CEILING_WORDS: &[&str] = &[
    "控制", "下降", "降低", "减少", "发生", "差错", "投诉", "事故", "变动", "超", "偏差", "误差",
];

/// True when the comparison of a row does not depend on a direction the form leaves open:
/// every target term states its operator (≥, ≤, =, a range); for a met target, the actual
/// equals the target; for an unmet one, the target is a bare 100% of a rate that cannot pass
/// it (执行率, 合格率 … — not a 控制率, whose 100% may be a ceiling).
fn certain(s: &crate::scoring::IndicatorScore) -> bool {
    let terms = s.target.terms();
    let explicit = !terms.is_empty()
        && terms.iter().all(|t| {
            t.operator.is_some() || matches!(t.bound, crate::target_value::Bound::Range { .. })
        });
    let equal = s.outcome == Outcome::Met
        && crate::target_value::match_terms(&s.target, &s.actual).is_ok_and(|ms| {
            !ms.is_empty()
                && ms.iter().all(|m| {
                    m.target_base()
                        .is_some_and(|(lo, hi)| lo == hi && hi == m.actual_base)
                })
        });
    let full_rate = s.outcome == Outcome::NotMet
        && s.name.ends_with('率')
        && !CEILING_WORDS.iter().any(|w| s.name.contains(w))
        && matches!(terms, [t] if matches!(&t.bound,
            crate::target_value::Bound::Single(q)
                if q.value == Decimal::ONE_HUNDRED && q.unit.symbol() == "%"));
    explicit || equal || full_rate
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
                    if certain(s) { &P07 } else { &P01 },
                    input,
                    row_at(s.row, "score"),
                    format!(
                        "“{}”已达成目标（{}），得分{}分低于分值{}分，且未说明原因",
                        indicator_name(s),
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
                    if certain(s) { &P08 } else { &P02 },
                    input,
                    row_at(s.row, "score"),
                    format!(
                        "“{}”未达成目标，却得满分{}分；按规则应为{}分",
                        indicator_name(s),
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
                        indicator_name(s),
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
                    // The label that is not in the catalog, or the 二级 label misplaced.
                    DiscrepancyKind::UnknownIndicatorGroup
                        if scored
                            .indicators
                            .get(*row)
                            .is_some_and(|s| s.level1.is_none()) =>
                    {
                        "level1"
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
            // The form's own arithmetic is checked on its stated numbers (`totals`), at the
            // precision it prints; the scoring's rescoring of these is not an error of the form.
            DiscrepancyKind::RateDiffers
            | DiscrepancyKind::ExecutionScoreDiffers
            | DiscrepancyKind::TotalDiffers
            | DiscrepancyKind::GradeDiffers
            | DiscrepancyKind::GroupLabelDiffers
            | DiscrepancyKind::Level1WeightDiffers
            | DiscrepancyKind::WeightTotalDiffers => continue,
            // A missing budget or execution figure: A01/A02 say they cannot check.
            DiscrepancyKind::NotComputable if row.is_none() => continue,
            DiscrepancyKind::ScoreDiffers if row.is_some_and(|r| explained.contains(&r)) => {
                continue;
            }
            DiscrepancyKind::ScoreDiffers => &A03,
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
                row_at(s.row, "actual"),
                format!("“{}”未填写实际完成值", indicator_name(s)),
            ));
        }
        if let Some(f) = unmeasurable_finding(
            input,
            || row_at(s.row, "target"),
            &indicator_name(s),
            &s.target,
        ) {
            out.push(f);
        }
        for flag in s.target.flags() {
            if let Flag::UnitMissing { quantity } = flag {
                out.push(Finding::new(
                    &Q05,
                    input,
                    row_at(s.row, "target"),
                    format!("“{}”的指标值中“{quantity}”没有计量单位", indicator_name(s)),
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
                        indicator_name(s),
                        row.actual.trim()
                    ),
                )
                .values(Some(row.actual.trim().to_string()), None),
            );
        }
    }
}

/// The sum of `parts` in `total`'s unit and whether it agrees with `total` at the printed
/// precision ([`super::precision::sum_agrees`]): equal when the parts are the whole
/// (`whole`), not above it when they are 其中 items. `None` when a unit cannot be converted
/// or the sum overflows.
pub(super) fn parts_agree(total: Amount, parts: &[Amount], whole: bool) -> Option<(Amount, bool)> {
    let values: Vec<Decimal> = parts
        .iter()
        .map(|a| a.to_unit(total.unit()).map(|a| a.value()))
        .collect::<Option<_>>()?;
    let sum = values
        .iter()
        .try_fold(Decimal::ZERO, |acc, v| acc.checked_add(*v))?;
    let tolerance = super::precision::sum_tolerance(total.value(), &values);
    let ok = if whole {
        (total.value() - sum).abs() <= tolerance
    } else {
        sum <= total.value() + tolerance
    };
    Some((Amount::new(sum, total.unit()), ok))
}

/// A06: the source rows of each funds column against the total row, at the printed
/// precision. With an 其他资金 row the sources are the whole and must add up to the total;
/// without it they are 其中 items and must not exceed it. Without a total row it cannot check.
fn funds_rows(input: &Input<'_>, f: &SelfEvaluation, out: &mut Vec<Finding>) {
    type Column = fn(&crate::form::FundsRow) -> Option<Amount>;
    let columns: [(&str, &str, Column); 3] = [
        ("年初预算数", "initial_budget", |r| r.initial_budget),
        ("全年预算数", "full_year_budget", |r| {
            r.full_year_budget
        }),
        ("全年执行数", "executed", |r| r.executed),
    ];
    let rows: Vec<(FundSource, [Option<Amount>; 3])> = f
        .funds
        .rows
        .iter()
        .map(|r| (r.source, columns.map(|(_, _, get)| get(r))))
        .collect();
    let names = columns.map(|(name, field, _)| (name, field));
    source_rows(input, "funds.rows", "年度资金总额", &names, &rows, out);
}

/// A06 on a monitoring form's 项目资金 rows: 其中 rows against 年度资金总额.
fn monitoring_funds(
    input: &Input<'_>,
    f: &crate::form::monitoring::Monitoring,
    out: &mut Vec<Finding>,
) {
    let names = [
        ("年初预算数", "initial_budget"),
        ("调整后预算数", "adjusted_budget"),
        ("执行数", "executed"),
        ("全年预计执行数", "expected_year_end"),
    ];
    let rows: Vec<(FundSource, [Option<Amount>; 4])> = f
        .funds
        .iter()
        .map(|r| {
            (
                r.source,
                [
                    r.initial_budget,
                    r.adjusted_budget,
                    r.executed,
                    r.expected_year_end,
                ],
            )
        })
        .collect();
    source_rows(input, "funds", "年度资金总额", &names, &rows, out);
}

/// A06 on funds rows by source, column by column: `rows` are (source, the columns' amounts),
/// `names` each column's (heading, field), `path` the rows' field path.
fn source_rows<const N: usize>(
    input: &Input<'_>,
    path: &str,
    total_name: &str,
    names: &[(&str, &str); N],
    rows: &[(FundSource, [Option<Amount>; N])],
    out: &mut Vec<Finding>,
) {
    let sources: Vec<&[Option<Amount>; N]> = rows
        .iter()
        .filter(|(s, _)| *s != FundSource::Total)
        .map(|(_, v)| v)
        .collect();
    let Some(total_index) = rows.iter().position(|(s, _)| *s == FundSource::Total) else {
        if sources.iter().any(|v| v.iter().any(Option::is_some)) {
            out.push(Finding::cannot_check(
                &A06,
                input,
                input.at(&format!("{path}[0]")),
                format!("表中没有{total_name}（合计）行，无法核对各资金来源之和"),
            ));
        }
        return;
    };
    let whole = rows.iter().any(|(s, _)| *s == FundSource::Other);
    for (k, (name, field)) in names.iter().enumerate() {
        let Some(stated) = rows[total_index].1[k] else {
            continue;
        };
        let parts: Vec<Amount> = sources.iter().filter_map(|v| v[k]).collect();
        if parts.is_empty() {
            continue;
        }
        let Some((sum, false)) = parts_agree(stated, &parts, whole) else {
            continue;
        };
        let terms: Vec<String> = parts.iter().map(Amount::to_string).collect();
        let message = if whole {
            format!("{name}：各资金来源合计{sum}，{total_name}{stated}")
        } else {
            format!("{name}：其中各项合计{sum}，超过{total_name}{stated}")
        };
        out.push(
            Finding::new(
                &A06,
                input,
                input.at(&format!("{path}[{total_index}].{field}")),
                message,
            )
            .values(Some(stated.to_string()), Some(sum.to_string()))
            .evidence(format!(
                "{} = {sum}（按表中数值的印刷精度核对，容差为末位一个单位）",
                terms.join(" + ")
            )),
        );
    }
}

/// Checks `parts` add up to `total` at the printed precision; reports with `check` at `path`.
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
    let amounts: Vec<Amount> = present.iter().map(|(_, a)| *a).collect();
    let Some((sum, false)) = parts_agree(total, &amounts, true) else {
        return;
    };
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
    cost_columns_add_up(input, &f.cost_columns, out);
    declared_quality(input, &f.indicators, out);
}

/// A07 on a cost build-up: each amount column's items add up to its 合计, checked only when
/// every item of the column was read.
fn cost_columns_add_up(input: &Input<'_>, columns: &[CostColumn], out: &mut Vec<Finding>) {
    for (c, column) in columns.iter().enumerate() {
        if column.items.is_empty() || column.items.iter().any(|i| i.amount.is_none()) {
            continue;
        }
        let names: Vec<String> = column
            .items
            .iter()
            .map(|i| format!("“{}”", i.name))
            .collect();
        let parts: Vec<(&str, Option<Amount>)> = column
            .items
            .iter()
            .zip(&names)
            .map(|(i, n)| (n.as_str(), i.amount))
            .collect();
        adds_up(
            input,
            &A07,
            &format!("cost_columns[{c}].total"),
            &format!("预算成本构成（{}）", column.label),
            column.total,
            &parts,
            out,
        );
    }
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

/// Q01 for a target with no measurable quantity, naming the words that make it so; `at`
/// gives the cell, looked up only when there is a finding.
fn unmeasurable_finding(
    input: &Input<'_>,
    at: impl FnOnce() -> crate::source::Location,
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
            at(),
            format!("“{name}”的指标值“{value}”不可衡量：{}", why.join("；")),
        )
        .values(Some(value.to_string()), None),
    )
}

/// Q01 on declared targets.
fn declared_quality(input: &Input<'_>, rows: &[DeclaredIndicator], out: &mut Vec<Finding>) {
    for (k, DeclaredIndicator { name, target, .. }) in rows.iter().enumerate() {
        let value = crate::target_value::TargetValue::parse(target);
        let at = || input.at(&format!("indicators[{k}].target"));
        let label = if name.is_empty() {
            "（未命名指标）"
        } else {
            name
        };
        if value.is_blank() {
            out.push(Finding::new(
                &Q01,
                input,
                at(),
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

/// The indicator's name for a message: as printed, or 第k项指标 when its name cell is blank
/// (a message never quotes an empty name).
fn indicator_name(s: &crate::scoring::IndicatorScore) -> String {
    if s.name.trim().is_empty() {
        format!("第{}项指标", s.row + 1)
    } else {
        s.name.clone()
    }
}
