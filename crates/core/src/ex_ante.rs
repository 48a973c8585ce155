//! The figures of an ex-ante assessment (事前绩效评估): its total (the aspects' scores added),
//! the conclusion the total calls for under the year's bands, and both in words, so every
//! computed figure explains itself.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::form::ex_ante::{Conclusion, ExAnteAssessment};

/// The bands of the conclusion, in percent of the full points: at or above `support_from`
/// 予以支持, at or above `revise_from` 调整完善后予以支持, else 不予支持. The provinces' 办法 set
/// them (80 and 60 are the most common), so they are configurable per year.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ExAntePolicy {
    /// 予以支持 from this percentage (80).
    pub support_from: Decimal,
    /// 调整完善后予以支持 from this percentage (60).
    pub revise_from: Decimal,
}

impl Default for ExAntePolicy {
    fn default() -> ExAntePolicy {
        ExAntePolicy {
            support_from: Decimal::from(80),
            revise_from: Decimal::from(60),
        }
    }
}

impl ExAntePolicy {
    /// The conclusion a percentage calls for.
    pub fn conclusion(&self, percent: Decimal) -> Conclusion {
        if percent >= self.support_from {
            Conclusion::Support
        } else if percent >= self.revise_from {
            Conclusion::SupportAfterRevision
        } else {
            Conclusion::NotSupported
        }
    }

    /// The bands in words.
    pub fn describe(&self) -> String {
        format!(
            "得分率{}%及以上予以支持，{}%及以上调整完善后予以支持，其余不予支持",
            self.support_from.normalize(),
            self.revise_from.normalize()
        )
    }
}

/// What Jixiao computes for an ex-ante assessment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ExAnteResult {
    /// The aspects' scores added.
    pub total: Decimal,
    /// Their points added (the full score).
    pub points: Decimal,
    /// False when some aspect has no score: the total is then provisional.
    pub complete: bool,
    /// The conclusion the total calls for (none while incomplete or without points).
    pub conclusion: Option<Conclusion>,
    /// How the total and conclusion were reached, in sentences.
    pub explanation: Vec<String>,
}

/// The total and conclusion of `a` under `policy`.
pub fn assess(a: &ExAnteAssessment, policy: &ExAntePolicy) -> ExAnteResult {
    let total: Decimal = a.aspects.iter().filter_map(|r| r.score).sum();
    let points: Decimal = a.aspects.iter().filter_map(|r| r.points).sum();
    let missing: Vec<&str> = a
        .aspects
        .iter()
        .filter(|r| r.score.is_none())
        .map(|r| r.name.as_str())
        .collect();
    let complete = missing.is_empty() && !a.aspects.is_empty();
    let terms: Vec<String> = a
        .aspects
        .iter()
        .map(|r| {
            format!(
                "{}{}",
                r.name,
                r.score
                    .map(|s| s.normalize().to_string())
                    .unwrap_or_else(|| "（未评分）".into())
            )
        })
        .collect();
    let mut explanation = vec![format!(
        "总分 = {} = {}（满分{}）",
        terms.join(" + "),
        total.normalize(),
        points.normalize()
    )];
    let conclusion = match (complete, points > Decimal::ZERO) {
        (true, true) => {
            let percent = crate::money::round2(total * Decimal::from(100) / points);
            let c = policy.conclusion(percent);
            explanation.push(format!(
                "得分率{}%：{}（{}）",
                percent.normalize(),
                c.name(),
                policy.describe()
            ));
            Some(c)
        }
        (false, _) => {
            explanation.push(format!(
                "{}尚未评分，总分为暂定，暂不能得出结论",
                missing.join("、")
            ));
            None
        }
        (true, false) => {
            explanation.push("各项未写分值，无法计算得分率".to_string());
            None
        }
    };
    ExAnteResult {
        total,
        points,
        complete,
        conclusion,
        explanation,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::form::ex_ante::AspectRow;

    fn filled(scores: [Option<i64>; 5]) -> ExAnteAssessment {
        let mut a = ExAnteAssessment::blank(Some(2025));
        for (row, s) in a.aspects.iter_mut().zip(scores) {
            row.score = s.map(Decimal::from);
        }
        a
    }

    #[test]
    fn the_total_calls_for_a_conclusion_by_the_bands() {
        let policy = ExAntePolicy::default();
        let r = assess(
            &filled([Some(18), Some(16), Some(17), Some(15), Some(20)]),
            &policy,
        );
        assert_eq!((r.total, r.points), (Decimal::from(86), Decimal::from(100)));
        assert_eq!(r.conclusion, Some(Conclusion::Support));
        assert!(
            r.explanation[0].contains("立项必要性18 + 投入经济性16"),
            "{r:?}"
        );
        let r = assess(
            &filled([Some(16), Some(16), Some(16), Some(16), Some(16)]),
            &policy,
        );
        assert_eq!(r.conclusion, Some(Conclusion::Support), "80 is 予以支持");
        let r = assess(
            &filled([Some(16), Some(16), Some(16), Some(15), Some(15)]),
            &policy,
        );
        assert_eq!(r.conclusion, Some(Conclusion::SupportAfterRevision));
        let r = assess(
            &filled([Some(10), Some(10), Some(10), Some(10), Some(19)]),
            &policy,
        );
        assert_eq!(r.conclusion, Some(Conclusion::NotSupported));
        // Unscored: provisional, no conclusion.
        let r = assess(
            &filled([Some(18), None, Some(17), Some(15), Some(20)]),
            &policy,
        );
        assert!(!r.complete && r.conclusion.is_none());
        assert!(r.explanation[1].contains("投入经济性尚未评分"));
        // Other points: the rate decides (45 of 50 is 90%).
        let mut a = filled([Some(9), Some(9), Some(9), Some(9), Some(9)]);
        for row in &mut a.aspects {
            row.points = Some(Decimal::from(10));
        }
        a.aspects.push(AspectRow {
            name: "其他".into(),
            points: Some(Decimal::ZERO),
            score: Some(Decimal::ZERO),
            reasoning: String::new(),
        });
        assert_eq!(assess(&a, &policy).conclusion, Some(Conclusion::Support));
    }
}
