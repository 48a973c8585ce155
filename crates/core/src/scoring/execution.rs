//! The budget execution rate (预算执行率) and its score: weight × rate, capped at the weight.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::discrepancy::{Discrepancy, DiscrepancyKind, Subject};
use super::explanation::Explanation;
use super::indicator::{percent, points};
use super::policy::{ExecutionDenominator, ScoringPolicy};
use crate::form::Funds;
use crate::money::Amount;

/// The execution-rate component of a self-evaluation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ExecutionScore {
    /// 分值 (the form's, else the policy's).
    pub weight: Decimal,
    /// 全年执行数.
    pub executed: Option<Amount>,
    /// The denominator used.
    pub denominator: ExecutionDenominator,
    /// Its amount.
    pub budget: Option<Amount>,
    /// The exact rate (executed ÷ budget), `None` if not computable.
    pub rate: Option<Decimal>,
    /// The score, `None` if not computable.
    pub score: Option<Decimal>,
    /// 执行率 as stated, in percent.
    pub stated_rate: Option<Decimal>,
    /// 得分 as stated.
    pub stated_score: Option<Decimal>,
    /// Inputs, rule and arithmetic.
    pub explanation: Explanation,
}

/// Computes the execution rate and its score from the funds block.
pub(super) fn score_execution(
    funds: &Funds,
    policy: &ScoringPolicy,
    findings: &mut Vec<Discrepancy>,
) -> ExecutionScore {
    let weight = funds.weight.unwrap_or(policy.execution_weight);
    let total = funds.total();
    let executed = total.and_then(|r| r.executed);
    let denominator = policy.execution_denominator;
    let budget = total.and_then(|r| match denominator {
        ExecutionDenominator::FullYearBudget => r.full_year_budget,
        ExecutionDenominator::InitialBudget => r.initial_budget,
    });
    let mut explanation = Explanation::rule(format!(
        "执行率 = 全年执行数 ÷ {}；得分 = 分值 × 执行率，最高不超过分值",
        denominator.label()
    ))
    .input("全年执行数", opt(executed))
    .input(denominator.label(), opt(budget))
    .input("分值", points(weight));

    let rate = match (executed, budget) {
        (Some(e), Some(b)) if !b.is_zero() => e.ratio_to(&b),
        _ => None,
    };
    let score = rate.map(|rate| {
        // An absurd rate overflows the product; it is capped at the weight all the same.
        let raw = weight.checked_mul(rate).unwrap_or(Decimal::MAX);
        let score = policy.round(raw.min(weight));
        explanation.step(format!(
            "{} ÷ {} = {}",
            opt(executed),
            opt(budget),
            percent(rate)
        ));
        if raw > weight {
            explanation.step(format!(
                "{} × {} 超过分值，取{}分",
                points(weight),
                percent(rate),
                points(score)
            ));
        } else {
            explanation.step(format!(
                "{} × {} = {}分",
                points(weight),
                percent(rate),
                points(score)
            ));
        }
        score
    });
    if rate.is_none() {
        explanation.step(format!(
            "缺少全年执行数或{}（或其为0），无法计算执行率",
            denominator.label()
        ));
        findings.push(Discrepancy {
            kind: DiscrepancyKind::NotComputable,
            subject: Subject::ExecutionRate,
            stated: funds.stated_rate.map(|r| format!("{r}%")),
            computed: None,
            message: format!("缺少全年执行数或{}，无法计算执行率", denominator.label()),
        });
    }

    if let (Some(stated), Some(rate)) = (funds.stated_rate, rate) {
        // Compare at the precision the form printed: 84.3% matches 84.3049…%.
        let computed = crate::money::round(rate * Decimal::ONE_HUNDRED, stated.scale());
        if computed != stated {
            findings.push(Discrepancy {
                kind: DiscrepancyKind::RateDiffers,
                subject: Subject::ExecutionRate,
                stated: Some(format!("{stated}%")),
                computed: Some(percent(rate)),
                message: format!(
                    "填报执行率{stated}%，按 {} ÷ {} 应为{}",
                    opt(executed),
                    opt(budget),
                    percent(rate)
                ),
            });
        }
    }
    if let (Some(stated), Some(score)) = (funds.stated_score, score)
        && policy.round(stated) != score
    {
        findings.push(Discrepancy {
            kind: DiscrepancyKind::ExecutionScoreDiffers,
            subject: Subject::ExecutionScore,
            stated: Some(points(stated)),
            computed: Some(points(score)),
            message: format!(
                "填报执行率得分{}分，按 {} × {} 应为{}分",
                points(stated),
                points(weight),
                rate.map(percent).unwrap_or_default(),
                points(score)
            ),
        });
    }
    ExecutionScore {
        weight,
        executed,
        denominator,
        budget,
        rate,
        score,
        stated_rate: funds.stated_rate,
        stated_score: funds.stated_score,
        explanation,
    }
}

fn opt(amount: Option<Amount>) -> String {
    amount.map_or_else(|| "（空）".into(), |a| a.to_string())
}
