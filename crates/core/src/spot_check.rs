//! 抽评: the finance bureau's own scoring of a sampled self-evaluation. The reviewer gives a
//! score (with the reason) to each indicator and to budget execution; what is left unscored
//! counts as Jixiao's computed score. The reviewed total is set beside the unit's total, and
//! the gap between them says how far the unit scored itself up (or down).

use std::collections::BTreeMap;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::money::round2;
use crate::scoring::ScoredForm;

/// One score the reviewer gave, with why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rescore {
    /// The score.
    #[serde(with = "rust_decimal::serde::str")]
    pub score: Decimal,
    /// Why (required when it differs from the unit's).
    #[serde(default)]
    pub reason: String,
}

/// The reviewer's scores of one self-evaluation.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Review {
    /// 预算执行率's score.
    pub execution: Option<Rescore>,
    /// Each indicator's, by its row in the form.
    pub indicators: BTreeMap<usize, Rescore>,
}

/// A reviewed total and how it compares with the unit's.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Reviewed {
    /// The reviewer's total.
    pub total: Decimal,
    /// The unit's total minus the reviewer's (positive: the unit scored itself higher).
    pub gap: Option<Decimal>,
    /// How the total was reached, in sentences.
    pub explanation: Vec<String>,
}

/// Why a review cannot be kept: a score outside its weight, or a changed score without reason.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct ReviewError(pub String);

/// Checks `review` against the scored form: each score between 0 and its weight, a reason
/// wherever the reviewer departs from the unit's stated score.
pub fn check(review: &Review, scored: &ScoredForm) -> Result<(), ReviewError> {
    let execution = review.execution.iter().map(|r| {
        (
            "预算执行率".to_string(),
            r,
            Some(scored.execution.weight),
            scored.execution.stated_score,
        )
    });
    let indicators = review.indicators.iter().map(|(k, r)| {
        let row = scored.indicators.iter().find(|i| i.row == *k);
        (
            row.map_or_else(|| format!("第{}项指标", k + 1), |i| i.name.clone()),
            r,
            row.and_then(|i| i.weight),
            row.and_then(|i| i.stated),
        )
    });
    for (name, r, weight, stated) in execution.chain(indicators) {
        if r.score < Decimal::ZERO || weight.is_some_and(|w| r.score > w) {
            return Err(ReviewError(format!(
                "“{name}”的复核得分{}不在0至分值{}之间",
                r.score.normalize(),
                weight.map_or_else(|| "—".into(), |w| w.normalize().to_string())
            )));
        }
        if stated != Some(r.score) && r.reason.trim().is_empty() {
            return Err(ReviewError(format!(
                "“{name}”的复核得分{}与单位自评得分不同，请写明理由",
                r.score.normalize()
            )));
        }
    }
    Ok(())
}

/// The reviewed total of `scored` under `review`, against the unit's total `unit`.
pub fn reviewed(review: &Review, scored: &ScoredForm, unit: Option<Decimal>) -> Reviewed {
    let mut total = Decimal::ZERO;
    let mut taken = 0usize;
    let mut kept = 0usize;
    let execution = match &review.execution {
        Some(r) => {
            taken += 1;
            Some(r.score)
        }
        None => {
            kept += 1;
            scored.execution.score
        }
    };
    total += execution.unwrap_or_default();
    for i in &scored.indicators {
        match review.indicators.get(&i.row) {
            Some(r) => {
                taken += 1;
                total += r.score;
            }
            None => {
                kept += 1;
                total += i.score.unwrap_or_default();
            }
        }
    }
    let total = round2(total);
    let mut explanation = vec![format!(
        "复核总分{}：复核评分{}项，其余{}项采用系统计算得分",
        total.normalize(),
        taken,
        kept
    )];
    let gap = unit.map(|u| round2(u - total));
    if let (Some(u), Some(g)) = (unit, gap) {
        explanation.push(format!(
            "单位自评总分{}，与复核总分相差{}{}",
            u.normalize(),
            g.abs().normalize(),
            match g.cmp(&Decimal::ZERO) {
                std::cmp::Ordering::Greater => "（自评偏高）",
                std::cmp::Ordering::Less => "（自评偏低）",
                std::cmp::Ordering::Equal => "",
            }
        ));
    }
    Reviewed {
        total,
        gap,
        explanation,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::form::Form;
    use crate::scoring::{ScoringPolicy, score};

    fn scored() -> ScoredForm {
        let form = Form::from_json(include_str!("../../../testdata/forms/seed003-project.json"))
            .expect("seed 003");
        score(
            form.self_evaluation().expect("a self-evaluation"),
            &ScoringPolicy::default(),
        )
    }

    #[test]
    fn unscored_items_keep_the_computed_score_and_the_gap_is_the_units_excess() {
        let s = scored();
        let untouched = reviewed(&Review::default(), &s, Some(s.total));
        let parts: Decimal = s.execution.score.unwrap_or_default()
            + s.indicators.iter().filter_map(|i| i.score).sum::<Decimal>();
        assert_eq!(untouched.total, round2(parts));
        // Two points off the first weighted indicator, with a reason.
        let first = s
            .indicators
            .iter()
            .find(|i| i.weight.is_some() && i.score.is_some())
            .expect("a scored indicator");
        let mut review = Review::default();
        review.indicators.insert(
            first.row,
            Rescore {
                score: first.score.unwrap_or_default() - Decimal::from(2),
                reason: "佐证材料不足".into(),
            },
        );
        check(&review, &s).expect("a valid review");
        let r = reviewed(&review, &s, Some(untouched.total));
        assert_eq!(r.total, untouched.total - Decimal::from(2));
        assert_eq!(r.gap, Some(Decimal::from(2)));
        assert!(r.explanation[1].contains("自评偏高"), "{r:?}");
        // A changed score needs its reason; a score above the weight is refused.
        review
            .indicators
            .get_mut(&first.row)
            .expect("row")
            .reason
            .clear();
        assert!(check(&review, &s).is_err());
        review.indicators.insert(
            first.row,
            Rescore {
                score: first.weight.unwrap_or_default() + Decimal::ONE,
                reason: "多给".into(),
            },
        );
        assert!(check(&review, &s).unwrap_err().0.contains("不在0至分值"));
    }
}
