//! Self-evaluation scoring (绩效自评计分) under a configurable [`ScoringPolicy`].
//!
//! [`score`] reads a [`SelfEvaluation`] as stated and computes, independently of what it
//! printed: every indicator's score with its explanation, the execution rate and its score,
//! group sums, the total and the grade. Where the form's numbers differ from the computation,
//! or a rule needs something the form lacks, a [`Discrepancy`] says so with the evidence.

mod discrepancy;
mod execution;
mod explanation;
mod indicator;
mod policy;

use std::collections::BTreeMap;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

pub use discrepancy::{Discrepancy, DiscrepancyKind, Subject};
pub use execution::ExecutionScore;
pub use explanation::Explanation;
pub use indicator::{IndicatorScore, Method, percent};
pub use policy::{
    ExecutionDenominator, ImpliedOperator, QualitativeTier, QualitativeTiers, ReverseFormula,
    ScoringPolicy, TierBand, TotalBasis,
};

use crate::form::SelfEvaluation;
use crate::grade::Grade;
use crate::indicator::{Level1, stated_points};
use indicator::points;

/// The weight and score of one first-level group.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GroupSum {
    /// The group.
    pub level1: Level1,
    /// Σ weights of its applicable indicators.
    pub weight: Decimal,
    /// Σ scores (of the indicators that have one).
    pub score: Decimal,
    /// The points the group's label states (`产出指标 (50分)`), if any.
    pub stated_weight: Option<Decimal>,
}

/// A self-evaluation as Jixiao computes it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScoredForm {
    /// 项目名称 / 部门名称.
    pub name: String,
    /// Per indicator, in form order.
    pub indicators: Vec<IndicatorScore>,
    /// The execution-rate component.
    pub execution: ExecutionScore,
    /// Per first-level group, in catalog order.
    pub groups: Vec<GroupSum>,
    /// Σ applicable weights, execution rate included.
    pub weight_total: Decimal,
    /// Σ scores, execution rate included.
    pub raw_total: Decimal,
    /// The total under the policy's [`TotalBasis`].
    pub total: Decimal,
    /// The grade of the total.
    pub grade: Grade,
    /// False when some score could not be computed: the total is then provisional.
    pub complete: bool,
    /// How the total was obtained.
    pub total_explanation: Explanation,
    /// Every difference between the form and the computation.
    pub discrepancies: Vec<Discrepancy>,
}

/// Scores a self-evaluation form.
pub fn score(form: &SelfEvaluation, policy: &ScoringPolicy) -> ScoredForm {
    let mut findings = Vec::new();
    let indicators: Vec<IndicatorScore> = form
        .indicators
        .iter()
        .enumerate()
        .map(|(i, row)| indicator::score_row(i, row, form.layout, policy, &mut findings))
        .collect();
    let execution = execution::score_execution(&form.funds, policy, &mut findings);

    let groups = group_sums(form, &indicators);
    check_groups(&groups, policy, &mut findings);

    let applicable = indicators
        .iter()
        .filter(|s| s.method != Method::NotApplicable);
    let indicator_weights: Decimal = applicable.clone().filter_map(|s| s.weight).sum();
    let indicator_scores: Decimal = applicable.clone().filter_map(|s| s.score).sum();
    let complete = applicable.clone().all(|s| s.score.is_some()) && execution.score.is_some();
    let weight_total = indicator_weights + execution.weight;
    let raw_total = indicator_scores + execution.score.unwrap_or(Decimal::ZERO);

    let printed_weights: Decimal = form
        .indicators
        .iter()
        .filter_map(|r| r.weight)
        .sum::<Decimal>()
        + execution.weight;
    if printed_weights != policy.full_score {
        findings.push(Discrepancy {
            kind: DiscrepancyKind::WeightTotalDiffers,
            subject: Subject::Weights,
            stated: Some(points(printed_weights)),
            computed: Some(points(policy.full_score)),
            message: format!(
                "指标分值合计{} + 执行率分值{} = {}，与满分{}不符",
                points(printed_weights - execution.weight),
                points(execution.weight),
                points(printed_weights),
                points(policy.full_score)
            ),
        });
    }

    let mut total_explanation = Explanation::rule(match policy.total_basis {
        TotalBasis::RescaleToFullScore => format!(
            "总分 = 各项得分之和；分值合计不等于{}分时按 得分之和 × {} ÷ 分值合计 折算",
            points(policy.full_score),
            points(policy.full_score)
        ),
        TotalBasis::RawSum => "总分 = 各项得分之和".to_string(),
    })
    .input("指标得分之和", points(indicator_scores))
    .input(
        "执行率得分",
        execution
            .score
            .map(points)
            .unwrap_or_else(|| "无法计算".into()),
    )
    .input("分值合计", points(weight_total));
    total_explanation.step(format!(
        "{} + {} = {}",
        points(indicator_scores),
        points(execution.score.unwrap_or(Decimal::ZERO)),
        points(raw_total)
    ));
    let mut arithmetic = total_explanation.steps[0].clone();
    let total = match policy.total_basis {
        TotalBasis::RescaleToFullScore
            if weight_total != policy.full_score && weight_total > Decimal::ZERO =>
        {
            let t = policy.round(raw_total * policy.full_score / weight_total);
            arithmetic = format!(
                "{} × {} ÷ {} = {}",
                points(raw_total),
                points(policy.full_score),
                points(weight_total),
                points(t)
            );
            total_explanation.step(arithmetic.clone());
            t
        }
        _ => policy.round(raw_total),
    };
    let grade = policy.grade_bands.grade(total);
    total_explanation.step(format!(
        "{}分，等级“{grade}”（{}）",
        points(total),
        policy.grade_bands.describe()
    ));
    if !complete {
        total_explanation.step("部分得分无法计算，总分为暂定值");
    }

    if let Some(stated) = form.stated_total
        && policy.round(stated) != total
    {
        findings.push(Discrepancy {
            kind: DiscrepancyKind::TotalDiffers,
            subject: Subject::Total,
            stated: Some(points(stated)),
            computed: Some(points(total)),
            message: format!(
                "填报总分{}分，重新计算为{}分（{arithmetic}）",
                points(stated),
                points(total)
            ),
        });
    }
    if let Some(stated) = form.stated_grade
        && stated != grade
    {
        findings.push(Discrepancy {
            kind: DiscrepancyKind::GradeDiffers,
            subject: Subject::Grade,
            stated: Some(stated.to_string()),
            computed: Some(grade.to_string()),
            message: format!("填报等级“{stated}”，按总分{}分应为“{grade}”", points(total)),
        });
    }

    ScoredForm {
        name: form.name.clone(),
        indicators,
        execution,
        groups,
        weight_total,
        raw_total,
        total,
        grade,
        complete,
        total_explanation,
        discrepancies: findings,
    }
}

/// Sums weights and scores per first-level group, with the points each group's label states.
fn group_sums(form: &SelfEvaluation, indicators: &[IndicatorScore]) -> Vec<GroupSum> {
    let mut groups: BTreeMap<Level1, GroupSum> = BTreeMap::new();
    for (row, s) in form.indicators.iter().zip(indicators) {
        let Some(level1) = s.level1 else { continue };
        let g = groups.entry(level1).or_insert(GroupSum {
            level1,
            weight: Decimal::ZERO,
            score: Decimal::ZERO,
            stated_weight: None,
        });
        if g.stated_weight.is_none() {
            g.stated_weight = stated_points(&row.level1);
        }
        if s.method != Method::NotApplicable {
            g.weight += s.weight.unwrap_or(Decimal::ZERO);
            g.score += s.score.unwrap_or(Decimal::ZERO);
        }
    }
    groups.into_values().collect()
}

/// Reports groups whose weights differ from their label or from the policy.
fn check_groups(groups: &[GroupSum], policy: &ScoringPolicy, findings: &mut Vec<Discrepancy>) {
    for g in groups {
        if let Some(stated) = g.stated_weight
            && stated != g.weight
        {
            findings.push(Discrepancy {
                kind: DiscrepancyKind::GroupLabelDiffers,
                subject: Subject::Group { level1: g.level1 },
                stated: Some(points(stated)),
                computed: Some(points(g.weight)),
                message: format!(
                    "标注{}分，所含指标分值合计{}分",
                    points(stated),
                    points(g.weight)
                ),
            });
        }
        if let Some(expected) = policy.level1_weights.get(&g.level1)
            && *expected != g.weight
        {
            findings.push(Discrepancy {
                kind: DiscrepancyKind::Level1WeightDiffers,
                subject: Subject::Group { level1: g.level1 },
                stated: Some(points(g.weight)),
                computed: Some(points(*expected)),
                message: format!(
                    "分值合计{}分，计分政策规定为{}分（财预〔2020〕10号：原则上产出50、效益30、满意度10、预算执行率10）",
                    points(g.weight),
                    points(*expected)
                ),
            });
        }
    }
}

#[cfg(test)]
mod tests;
