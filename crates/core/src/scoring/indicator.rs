//! Scoring one indicator row: quantitative by operator, qualitative by tier, overrides and
//! not-applicable marks, each with its explanation and the discrepancies it reveals.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::discrepancy::{Discrepancy, DiscrepancyKind, Subject};
use super::explanation::Explanation;
use super::policy::{QualitativeTier, ReverseFormula, ScoringPolicy};
use crate::form::IndicatorRow;
use crate::indicator::{Layout, Level1, Level2};
use crate::target_value::{
    Bound, Dimension, Operator, Outcome, QualitativeClass, TargetValue, Term, TermMatch, ValueKind,
    compare,
};

/// How an indicator's score was obtained.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "method")]
pub enum Method {
    /// Computed from target and actual by the operator's formula.
    Formula,
    /// A qualitative tier: the evaluator's score inside the band, or the band's default point.
    QualitativeTier {
        /// The tier.
        tier: QualitativeTier,
    },
    /// Not computable automatically: the evaluator's stated score is kept, to be confirmed.
    EvaluatorJudgement,
    /// A manual override with its reason.
    ManualOverride,
    /// Marked not applicable: dropped from the total.
    NotApplicable,
    /// No score could be computed and none was stated.
    NotComputable,
}

/// The score of one indicator row.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IndicatorScore {
    /// Row index in the form (0-based).
    pub row: usize,
    /// 一级指标, if the label is in the catalog.
    pub level1: Option<Level1>,
    /// 二级指标, if the label is in the catalog.
    pub level2: Option<Level2>,
    /// 三级指标.
    pub name: String,
    /// The parsed target.
    pub target: TargetValue,
    /// The parsed actual.
    pub actual: TargetValue,
    /// 分值.
    pub weight: Option<Decimal>,
    /// 得分 as stated.
    pub stated: Option<Decimal>,
    /// The score the rules give, before any override.
    pub computed: Option<Decimal>,
    /// The score used in the total.
    pub score: Option<Decimal>,
    /// How the score was obtained.
    #[serde(flatten)]
    pub method: Method,
    /// Whether the target was met.
    pub outcome: Outcome,
    /// Inputs, rule and arithmetic.
    pub explanation: Explanation,
}

/// Formats a fraction as a percentage with 2 decimals: 0.84305 → `84.31%`.
pub fn percent(fraction: Decimal) -> String {
    match fraction.checked_mul(Decimal::ONE_HUNDRED) {
        Some(p) => {
            let p = crate::money::round2(p);
            format!("{p:.2}%")
        }
        None => "超出可表示范围的百分比".into(),
    }
}

/// Shows a score without trailing zeros: 9.00 → `9`, 7.97 → `7.97`.
pub(super) fn points(value: Decimal) -> String {
    value.normalize().to_string()
}

/// Scores row `index` of a self-evaluation form.
pub(super) fn score_row(
    index: usize,
    row: &IndicatorRow,
    layout: Layout,
    policy: &ScoringPolicy,
    findings: &mut Vec<Discrepancy>,
) -> IndicatorScore {
    let subject = Subject::Indicator {
        row: index,
        name: row.name.split_whitespace().collect(),
    };
    let mut report = |kind, stated: Option<String>, computed: Option<String>, message: String| {
        findings.push(Discrepancy {
            kind,
            subject: subject.clone(),
            stated,
            computed,
            message,
        });
    };

    let (level1, level2) = check_group(row, layout, &mut report);
    let target = TargetValue::parse(&row.target);
    let actual = TargetValue::parse(&row.actual);
    let mut result = IndicatorScore {
        row: index,
        level1,
        level2,
        name: row.name.split_whitespace().collect(),
        target: target.clone(),
        actual: actual.clone(),
        weight: row.weight,
        stated: row.score,
        computed: None,
        score: None,
        method: Method::NotComputable,
        outcome: Outcome::NotComparable,
        explanation: Explanation::default(),
    };

    if let Some(reason) = &row.not_applicable {
        result.method = Method::NotApplicable;
        result.explanation = Explanation::rule("本年度不适用，不计分，总分按适用指标分值折算")
            .input("不适用理由", reason);
        return result;
    }
    let Some(weight) = row.weight else {
        result.explanation = Explanation::rule("缺少分值，无法计分");
        report(
            DiscrepancyKind::NotComputable,
            None,
            None,
            "未填写分值，无法计分".into(),
        );
        return result;
    };
    if let Some(stated) = row.score
        && stated > weight
    {
        report(
            DiscrepancyKind::ScoreAboveWeight,
            Some(points(stated)),
            Some(points(weight)),
            format!("填报得分{}分超过分值{}分", points(stated), points(weight)),
        );
    }

    let is_cost = level2.is_some_and(|l| {
        matches!(
            l,
            Level2::Cost | Level2::EconomicCost | Level2::SocialCost | Level2::EcologicalCost
        )
    }) || level1 == Some(Level1::Cost);
    let operator_of = |term: &Term| -> Operator {
        match &term.operator {
            Some(w) => w.operator,
            None if is_cost && term.bound.unit().dimension() == &Dimension::Money => {
                policy.implied_operator.cost_money
            }
            None => policy.implied_operator.default,
        }
    };
    let comparison = compare(&target, &actual, operator_of);
    result.outcome = comparison.outcome;

    let mut explanation = Explanation::rule(String::new())
        .input("目标", &target)
        .input("实际", &actual)
        .input("分值", points(weight));

    match target.kind() {
        ValueKind::Quantitative { .. } if !comparison.matches.is_empty() => score_quantitative(
            row,
            weight,
            &comparison,
            &operator_of,
            policy,
            &mut explanation,
            &mut result,
            &mut report,
        ),
        ValueKind::Qualitative { .. } => score_qualitative(
            row,
            &actual,
            weight,
            &comparison,
            policy,
            &mut explanation,
            &mut result,
            &mut report,
        ),
        _ => {
            explanation.rule = "目标与实际无法自动比较".into();
            explanation.step(comparison.reason.clone());
            keep_stated(
                weight,
                row.score,
                policy,
                &comparison.reason,
                &mut explanation,
                &mut result,
                &mut report,
            );
        }
    }

    apply_override(
        row,
        weight,
        policy,
        &mut explanation,
        &mut result,
        &mut report,
    );
    result.explanation = explanation;
    result
}

/// The row's 一级/二级 labels against the indicator tree of `layout`; an unknown or misplaced
/// group is reported.
fn check_group(
    row: &IndicatorRow,
    layout: Layout,
    report: &mut impl FnMut(DiscrepancyKind, Option<String>, Option<String>, String),
) -> (Option<Level1>, Option<Level2>) {
    let level1 = Level1::parse(&row.level1);
    let level2 = Level2::parse(&row.level2);
    match (level1, level2) {
        (Some(l1), Some(l2)) => {
            if let Err(e) = layout.check(l1, l2) {
                report(
                    DiscrepancyKind::UnknownIndicatorGroup,
                    None,
                    None,
                    e.to_string(),
                );
            }
        }
        _ => report(
            DiscrepancyKind::UnknownIndicatorGroup,
            Some(format!("{} / {}", row.level1.trim(), row.level2.trim())),
            None,
            format!(
                "指标层级“{} / {}”不在指标体系中",
                row.level1.split_whitespace().collect::<String>(),
                row.level2.split_whitespace().collect::<String>()
            ),
        ),
    }
    (level1, level2)
}

/// A quantitative target: each figure's completion fraction (the lowest counts), the score by
/// the formula, an overshoot without reason reported, and a stated score that differs.
#[allow(clippy::too_many_arguments)]
fn score_quantitative(
    row: &IndicatorRow,
    weight: Decimal,
    comparison: &crate::target_value::Comparison,
    operator_of: &dyn Fn(&Term) -> Operator,
    policy: &ScoringPolicy,
    explanation: &mut Explanation,
    result: &mut IndicatorScore,
    report: &mut impl FnMut(DiscrepancyKind, Option<String>, Option<String>, String),
) {
    let mut fraction = Decimal::ONE;
    let mut rules = Vec::new();
    for m in &comparison.matches {
        let op = operator_of(&m.target);
        let (f, rule) = term_fraction(m, op, policy, explanation);
        rules.push(rule);
        fraction = fraction.min(f);
        if let Some(threshold) = policy.overshoot_threshold
            && !op.is_reverse()
            && let Some((low, _)) = m.target_base()
            && low > Decimal::ZERO
            && let Some(ratio) = m.actual_base.checked_div(low)
            && ratio >= threshold
            && row.deviation_reason().is_none()
        {
            report(
                DiscrepancyKind::OvershootUnexplained,
                None,
                Some(percent(ratio)),
                format!(
                    "实际完成值{}为目标{}的{}，超过{}，须说明原因（目标是否明显偏低）",
                    m.actual,
                    m.target.bound,
                    percent(ratio),
                    percent(threshold)
                ),
            );
        }
    }
    rules.dedup();
    explanation.rule = rules.join("；");
    if comparison.matches.len() > 1 {
        explanation.step(format!("多个数值取最低完成比例{}", percent(fraction)));
    }
    let score = policy.round(weight * fraction);
    explanation.step(format!(
        "{} × {} = {}分",
        points(weight),
        percent(fraction),
        points(score)
    ));
    result.computed = Some(score);
    result.score = Some(score);
    result.method = Method::Formula;
    if let Some(stated) = row.score
        && policy.round(stated) != score
    {
        report(
            DiscrepancyKind::ScoreDiffers,
            Some(points(stated)),
            Some(points(score)),
            format!(
                "填报得分{}分，按规则应为{}分（{}）",
                points(stated),
                points(score),
                comparison.reason
            ),
        );
    }
}

/// A qualitative target: the tier its outcome falls in, scored within the tier's band; a
/// pair that cannot be compared keeps the stated score.
#[allow(clippy::too_many_arguments)]
fn score_qualitative(
    row: &IndicatorRow,
    actual: &TargetValue,
    weight: Decimal,
    comparison: &crate::target_value::Comparison,
    policy: &ScoringPolicy,
    explanation: &mut Explanation,
    result: &mut IndicatorScore,
    report: &mut impl FnMut(DiscrepancyKind, Option<String>, Option<String>, String),
) {
    let tier = match comparison.outcome {
        Outcome::Met => Some(QualitativeTier::Achieved),
        Outcome::NotMet => Some(match actual.kind() {
            ValueKind::Qualitative {
                class: QualitativeClass::Partial,
            } => QualitativeTier::Partial,
            _ => QualitativeTier::NotAchieved,
        }),
        Outcome::NotComparable => None,
    };
    explanation.rule = "定性指标分三档，评价人在档次分值区间内评定".into();
    explanation.step(comparison.reason.clone());
    match tier {
        Some(tier) => score_in_tier(tier, weight, row.score, policy, explanation, result, report),
        None => keep_stated(
            weight,
            row.score,
            policy,
            &comparison.reason,
            explanation,
            result,
            report,
        ),
    }
}

/// A manual override within 0 and the weight replaces the score (with its reason); one
/// outside is reported and not used.
fn apply_override(
    row: &IndicatorRow,
    weight: Decimal,
    policy: &ScoringPolicy,
    explanation: &mut Explanation,
    result: &mut IndicatorScore,
    report: &mut impl FnMut(DiscrepancyKind, Option<String>, Option<String>, String),
) {
    if let Some(over) = &row.manual_override {
        if over.score < Decimal::ZERO || over.score > weight {
            report(
                DiscrepancyKind::InvalidOverride,
                Some(points(over.score)),
                Some(points(weight)),
                format!(
                    "人工调整得分{}分不在0至分值{}分之间，未采用",
                    points(over.score),
                    points(weight)
                ),
            );
        } else {
            let score = policy.round(over.score);
            explanation.step(format!(
                "人工调整为{}分（理由：{}）",
                points(score),
                over.reason
            ));
            result.score = Some(score);
            result.method = Method::ManualOverride;
        }
    }
}

/// The fraction of the weight one term earns, and the rule applied (rules.md §2.2).
fn term_fraction(
    m: &TermMatch,
    op: Operator,
    policy: &ScoringPolicy,
    explanation: &mut Explanation,
) -> (Decimal, String) {
    let Some((low, high)) = m.target_base() else {
        explanation.step("数值超出可计算范围，按0计");
        return (Decimal::ZERO, "数值超出范围".into());
    };
    let a = m.actual_base;
    let shown_actual = match m.actual_operator {
        Some(o @ (Operator::Ge | Operator::Gt)) => format!("{}{}（按下限计）", o, m.actual),
        Some(o @ (Operator::Le | Operator::Lt)) => format!("{}{}（按上限计）", o, m.actual),
        _ => m.actual.to_string(),
    };
    let written = match &m.target.operator {
        Some(_) => String::new(),
        None => format!("（未写比较符号，按“{op}”）"),
    };
    let ratio_step = |explanation: &mut Explanation, num: Decimal, den: Decimal, text: &str| {
        let f = num.checked_div(den).unwrap_or(Decimal::ZERO);
        explanation.step(format!("{text} = {}", percent(f)));
        f
    };
    if let Bound::Range { low: lq, high: hq } = &m.target.bound {
        let rule = "区间指标：区间内得满分，低于下限按实际/下限，高于上限按反向公式".to_string();
        if a >= low && a <= high {
            explanation.step(format!("实际{shown_actual}在区间{}-{}内，达成", lq, hq));
            return (Decimal::ONE, rule);
        }
        if a < low {
            if low <= Decimal::ZERO {
                return (Decimal::ZERO, rule);
            }
            let f = ratio_step(explanation, a, low, &format!("{shown_actual} ÷ {lq}"));
            return (f.clamp(Decimal::ZERO, Decimal::ONE), rule);
        }
        return (
            reverse(a, high, policy, explanation, &shown_actual, &hq.to_string()),
            rule,
        );
    }
    let target_shown = m.target.bound.to_string();
    let met = op.is_met(a, low);
    if op.is_reverse() {
        let rule = format!(
            "反向指标（{op}）{written}：达成得满分，超出按{}",
            policy.reverse_formula.describe()
        );
        if met {
            explanation.step(format!("实际{shown_actual} {op} 目标{target_shown}，达成"));
            return (Decimal::ONE, rule);
        }
        if low <= Decimal::ZERO {
            explanation.step(format!(
                "目标为{target_shown}，实际{shown_actual}超出，不得分"
            ));
            return (Decimal::ZERO, rule);
        }
        return (
            reverse(a, low, policy, explanation, &shown_actual, &target_shown),
            rule,
        );
    }
    if op == Operator::Eq && low <= Decimal::ZERO {
        let rule = "等于型指标，目标值为0：实际≤0得满分，否则0分".to_string();
        explanation.step(format!(
            "实际{shown_actual}，{}",
            if met { "达成" } else { "未达成" }
        ));
        return (if met { Decimal::ONE } else { Decimal::ZERO }, rule);
    }
    let rule = format!("正向指标（{op}）{written}：达成得满分，未达成按 实际/目标×分值");
    if met {
        explanation.step(format!("实际{shown_actual} {op} 目标{target_shown}，达成"));
        return (Decimal::ONE, rule);
    }
    if low <= Decimal::ZERO {
        explanation.step(format!("实际{shown_actual}未达到目标{target_shown}"));
        return (Decimal::ZERO, rule);
    }
    let f = ratio_step(
        explanation,
        a,
        low,
        &format!("实际{shown_actual} ÷ 目标{target_shown}"),
    );
    (f.clamp(Decimal::ZERO, Decimal::ONE), rule)
}

/// The fraction of a reverse indicator that was exceeded (`a > t > 0`).
fn reverse(
    a: Decimal,
    t: Decimal,
    policy: &ScoringPolicy,
    explanation: &mut Explanation,
    actual: &str,
    target: &str,
) -> Decimal {
    let f = match policy.reverse_formula {
        ReverseFormula::Deviation => {
            let over = (a - t).checked_div(t).unwrap_or(Decimal::ONE);
            let f = (Decimal::ONE - over).max(Decimal::ZERO);
            explanation.step(format!(
                "实际{actual}超出目标{target}，超出比例 (实际−目标)/目标 = {}，完成比例 1 − {} = {}",
                percent(over),
                percent(over),
                percent(f)
            ));
            f
        }
        ReverseFormula::Ratio => {
            let f = t.checked_div(a).unwrap_or(Decimal::ZERO);
            explanation.step(format!("目标{target} ÷ 实际{actual} = {}", percent(f)));
            f
        }
    };
    f.clamp(Decimal::ZERO, Decimal::ONE)
}

/// A qualitative indicator whose tier is known: keep the evaluator's score if it lies in
/// the band, else use the band's default point and report the difference.
fn score_in_tier(
    tier: QualitativeTier,
    weight: Decimal,
    stated: Option<Decimal>,
    policy: &ScoringPolicy,
    explanation: &mut Explanation,
    result: &mut IndicatorScore,
    report: &mut impl FnMut(DiscrepancyKind, Option<String>, Option<String>, String),
) {
    let band = policy.qualitative.band(tier);
    let band_text = format!(
        "{}～{}分{}",
        points(policy.round(weight * band.low)),
        points(policy.round(weight * band.high)),
        if band.high_inclusive {
            ""
        } else {
            "（不含上限）"
        }
    );
    explanation.step(format!("档次“{}”，区间{band_text}", tier.label()));
    result.method = Method::QualitativeTier { tier };
    let in_band = stated.filter(|s| {
        weight > Decimal::ZERO && s.checked_div(weight).is_some_and(|f| band.contains(f))
    });
    let score = match in_band {
        Some(s) => {
            explanation.step(format!("填报得分{}分在区间内，采用", points(s)));
            policy.round(s)
        }
        None => {
            let s = policy.round(weight * band.default_point);
            explanation.step(format!(
                "按档次默认取 {} × {} = {}分",
                points(weight),
                percent(band.default_point),
                points(s)
            ));
            if let Some(stated) = stated {
                report(
                    DiscrepancyKind::QualitativeOutOfBand,
                    Some(points(stated)),
                    Some(points(s)),
                    format!(
                        "填报得分{}分不在档次“{}”的区间{band_text}内",
                        points(stated),
                        tier.label()
                    ),
                );
            }
            s
        }
    };
    result.computed = Some(score);
    result.score = Some(score);
}

/// No rule can decide: keep the stated score (flagged for confirmation) or give up.
fn keep_stated(
    weight: Decimal,
    stated: Option<Decimal>,
    policy: &ScoringPolicy,
    reason: &str,
    explanation: &mut Explanation,
    result: &mut IndicatorScore,
    report: &mut impl FnMut(DiscrepancyKind, Option<String>, Option<String>, String),
) {
    match stated {
        Some(s) if s >= Decimal::ZERO && s <= weight => {
            let tier = s
                .checked_div(weight)
                .and_then(|f| policy.qualitative.tier_of(f));
            explanation.step(format!(
                "无法自动计算，采用填报得分{}分{}，需评价人确认",
                points(s),
                tier.map(|t| format!("（相当于“{}”档）", t.label()))
                    .unwrap_or_default()
            ));
            result.score = Some(policy.round(s));
            result.method = Method::EvaluatorJudgement;
            report(
                DiscrepancyKind::NotComparable,
                Some(points(s)),
                None,
                format!("{reason}；无法自动计分，沿用填报得分，需评价人确认"),
            );
        }
        _ => {
            explanation.step("无法自动计算，且无有效的填报得分");
            report(
                DiscrepancyKind::NotComputable,
                stated.map(points),
                None,
                format!("{reason}；无法计分"),
            );
        }
    }
}
