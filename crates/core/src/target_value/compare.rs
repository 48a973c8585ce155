//! Comparing an actual value (实际完成值) with its target (指标值).
//!
//! Each target term is paired with the first actual term of the same dimension (`15.2%` in
//! `审核费用3104万元，审核扣除率为15.2%` pairs with the target `15%`), falling back to a
//! unit-less number. A target term left unpaired makes the whole comparison "not comparable",
//! with the reason (`目标为“人”，实际为“人次”`).

use std::fmt;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::{
    Bound, Compatibility, Operator, QualitativeClass, Quantity, TargetValue, Term, ValueKind,
};

/// The verdict of a comparison.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// The target was reached.
    Met,
    /// The target was not reached.
    NotMet,
    /// The two values cannot be compared (blank, qualitative, units differ).
    NotComparable,
}

impl fmt::Display for Outcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Outcome::Met => "达成",
            Outcome::NotMet => "未达成",
            Outcome::NotComparable => "无法比较",
        })
    }
}

/// One target term paired with the actual quantity that answers it, both in one base unit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TermMatch {
    /// The target term.
    pub target: Term,
    /// The actual quantity used (for an actual written as a bound, the bound itself).
    pub actual: Quantity,
    /// The operator the actual was written with (`≥95%` as an actual is a lower bound).
    pub actual_operator: Option<Operator>,
    /// How the units relate.
    pub compatibility: Compatibility,
    /// The actual in the target's base unit.
    pub actual_base: Decimal,
}

impl TermMatch {
    /// The target's lower and upper ends in the base unit (equal for a single quantity).
    pub fn target_base(&self) -> Option<(Decimal, Decimal)> {
        match &self.target.bound {
            Bound::Single(q) => {
                let v = base_against(q, &self.actual)?;
                Some((v, v))
            }
            Bound::Range { low, high } => Some((
                base_against(low, &self.actual)?,
                base_against(high, &self.actual)?,
            )),
        }
    }
}

/// The base value of `q`, reading a bare number (no unit, no magnitude) in `other`'s unit,
/// so that an actual `100` answers a target `95%` as 100%.
fn base_against(q: &Quantity, other: &Quantity) -> Option<Decimal> {
    if q.unit.is_dimensionless() && q.unit.scale() == Decimal::ONE && !other.unit.is_dimensionless()
    {
        q.value.checked_mul(other.unit.scale())
    } else {
        q.base_value()
    }
}

/// The result of comparing an actual with a target.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Comparison {
    /// Met, not met, or not comparable.
    pub outcome: Outcome,
    /// The term pairs (empty unless both values are quantitative and every term paired).
    pub matches: Vec<TermMatch>,
    /// Why, in Chinese.
    pub reason: String,
}

impl Comparison {
    fn not_comparable(reason: impl Into<String>) -> Comparison {
        Comparison {
            outcome: Outcome::NotComparable,
            matches: Vec::new(),
            reason: reason.into(),
        }
    }
}

/// Why a target's figures found no answer in the actual value.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MatchError {
    /// 实际完成值 is blank.
    #[error("实际完成值未填写")]
    ActualBlank,
    /// 实际完成值 holds no figure.
    #[error("实际完成值“{0}”没有可计量的数值")]
    NoFigure(String),
    /// No figure of the actual answers a target term.
    #[error("实际完成值中没有与目标“{0}”对应的数值")]
    NoCounterpart(String),
    /// The figures are in units that do not compare.
    #[error(
        "单位不一致：目标“{term}”的单位为“{unit}”（{dimension}），实际完成值的单位为“{actual}”"
    )]
    UnitMismatch {
        /// The target term.
        term: String,
        /// Its unit.
        unit: String,
        /// Its dimension's name.
        dimension: String,
        /// The actual's units, joined as written (`人次”“万元`).
        actual: String,
    },
    /// An actual figure too large to compute with.
    #[error("实际完成值“{0}”超出可计算范围")]
    OutOfRange(String),
}

/// Pairs each target term with an actual term. `Err` says why a target term found no answer.
pub fn match_terms(
    target: &TargetValue,
    actual: &TargetValue,
) -> Result<Vec<TermMatch>, MatchError> {
    let actual_terms = actual.terms();
    if actual_terms.is_empty() {
        return Err(if actual.is_blank() {
            MatchError::ActualBlank
        } else {
            MatchError::NoFigure(actual.normalized_text().to_string())
        });
    }
    let mut used = vec![false; actual_terms.len()];
    let mut matches = Vec::new();
    for term in target.terms() {
        let target_unit = term.bound.unit();
        let pick = |wanted: Compatibility, used: &[bool]| {
            actual_terms
                .iter()
                .enumerate()
                .position(|(k, a)| !used[k] && target_unit.compatibility(a.bound.unit()) == wanted)
        };
        let found = pick(Compatibility::Same, &used).or_else(|| {
            // A unit-less number answers only when nothing of the right dimension is there
            // and either side is the only candidate, so dates and counts are not picked up.
            let k = pick(Compatibility::Assumed, &used)?;
            (target_unit.is_dimensionless() || actual_terms.len() == 1).then_some(k)
        });
        let Some(k) = found else {
            let units: Vec<String> = actual_terms
                .iter()
                .map(|a| a.bound.unit().symbol().to_string())
                .filter(|s| !s.is_empty())
                .collect();
            return Err(if units.is_empty() {
                MatchError::NoCounterpart(term.to_string())
            } else {
                MatchError::UnitMismatch {
                    term: term.to_string(),
                    unit: target_unit.symbol().to_string(),
                    dimension: target_unit.dimension().name().to_string(),
                    actual: units.join("”“"),
                }
            });
        };
        used[k] = true;
        let actual_term = &actual_terms[k];
        let (quantity, actual_operator) = actual_point(actual_term);
        let compatibility = target_unit.compatibility(&quantity.unit);
        let reference = match &term.bound {
            Bound::Single(q) => q,
            Bound::Range { high, .. } => high,
        };
        let actual_base = base_against(&quantity, reference)
            .ok_or_else(|| MatchError::OutOfRange(quantity.to_string()))?;
        matches.push(TermMatch {
            target: term.clone(),
            actual: quantity,
            actual_operator,
            compatibility,
            actual_base,
        });
    }
    Ok(matches)
}

/// The point an actual term stands for: its quantity, or the lower end of a range.
fn actual_point(term: &Term) -> (Quantity, Option<Operator>) {
    let operator = term.operator.as_ref().map(|w| w.operator);
    match &term.bound {
        Bound::Single(q) => (q.clone(), operator),
        Bound::Range { low, .. } => (low.clone(), Some(Operator::Ge)),
    }
}

/// Compares `actual` with `target`. `operator_of` resolves each target term's operator (the
/// written one, or the scoring policy's implied one for a bare number).
pub fn compare(
    target: &TargetValue,
    actual: &TargetValue,
    operator_of: impl Fn(&Term) -> Operator,
) -> Comparison {
    match target.kind() {
        ValueKind::Blank => Comparison::not_comparable("指标值未填写"),
        ValueKind::Qualitative { .. } => compare_qualitative(target, actual),
        ValueKind::Quantitative { .. } => match match_terms(target, actual) {
            Err(reason) => Comparison::not_comparable(reason.to_string()),
            Ok(matches) => {
                let mut outcome = Outcome::Met;
                let mut reasons = Vec::new();
                for m in &matches {
                    let Some((low, high)) = m.target_base() else {
                        return Comparison::not_comparable("数值超出可计算范围");
                    };
                    let met = match &m.target.bound {
                        Bound::Range { .. } => m.actual_base >= low && m.actual_base <= high,
                        Bound::Single(_) => operator_of(&m.target).is_met(m.actual_base, low),
                    };
                    let op = match &m.target.bound {
                        Bound::Range { .. } => "∈".to_string(),
                        Bound::Single(_) => operator_of(&m.target).to_string(),
                    };
                    reasons.push(format!(
                        "实际{}，目标{}{}：{}",
                        m.actual,
                        op,
                        m.target.bound,
                        if met { "达成" } else { "未达成" }
                    ));
                    if !met {
                        outcome = Outcome::NotMet;
                    }
                }
                Comparison {
                    outcome,
                    matches,
                    reason: reasons.join("；"),
                }
            }
        },
    }
}

fn compare_qualitative(target: &TargetValue, actual: &TargetValue) -> Comparison {
    if actual.is_blank() {
        return Comparison::not_comparable("实际完成值未填写");
    }
    let same_words = actual.normalized_text() == target.normalized_text();
    let class = match actual.kind() {
        ValueKind::Qualitative { class } => *class,
        _ => QualitativeClass::of(&actual.normalized_text()),
    };
    let (outcome, reason) = match class {
        _ if same_words => (
            Outcome::Met,
            "实际完成情况与目标表述一致（视为达成）".to_string(),
        ),
        QualitativeClass::Achieved => (Outcome::Met, "实际完成情况表述为达成".to_string()),
        QualitativeClass::NotAchieved => (Outcome::NotMet, "实际完成情况表述为未达成".to_string()),
        QualitativeClass::Partial => (Outcome::NotMet, "实际完成情况表述为部分达成".to_string()),
        _ => (
            Outcome::NotComparable,
            "定性指标，实际完成情况需评价人判断".to_string(),
        ),
    };
    Comparison {
        outcome,
        matches: Vec::new(),
        reason,
    }
}
