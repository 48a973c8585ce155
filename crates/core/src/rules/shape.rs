//! The shapes of scoring rules (rules.md §6) and how each turns a measure or an evaluator's
//! input into points, with the arithmetic written out: the rule types and their descriptions
//! here, the scoring by each shape (and why it can fail, [`ShapeError`]) in the `score`
//! submodule.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::pts;
use crate::form::cell::{decimal, opt_decimal};
use crate::scoring::ReverseFormula;

/// Which side of the target loses points.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Side {
    /// Above the target (控制率 ≤ 100%).
    Above,
    /// Below the target (完成率 100%).
    Below,
    /// Either way (每超过（降低）5%扣2分).
    Both,
}

/// One band of a banded table: `[min, max]` with each end in or out, and its points.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Band {
    /// Lower end; none means unbounded.
    #[serde(default, with = "opt_decimal", skip_serializing_if = "Option::is_none")]
    pub min: Option<Decimal>,
    /// Whether `min` belongs to the band.
    #[serde(default = "yes")]
    pub min_inclusive: bool,
    /// Upper end; none means unbounded.
    #[serde(default, with = "opt_decimal", skip_serializing_if = "Option::is_none")]
    pub max: Option<Decimal>,
    /// Whether `max` belongs to the band.
    #[serde(default)]
    pub max_inclusive: bool,
    /// Points in this band.
    #[serde(with = "decimal")]
    pub points: Decimal,
}

fn yes() -> bool {
    true
}

impl Band {
    /// Whether `x` lies in the band.
    pub fn contains(&self, x: Decimal) -> bool {
        let above = self
            .min
            .is_none_or(|m| x > m || (self.min_inclusive && x == m));
        let below = self
            .max
            .is_none_or(|m| x < m || (self.max_inclusive && x == m));
        above && below
    }

    /// The band as text: `(0, 10]`, `≥90`, `=0`.
    pub fn describe(&self) -> String {
        match (self.min, self.max) {
            (Some(a), Some(b)) if a == b => format!("={}", pts(a)),
            (Some(a), Some(b)) => format!(
                "{}{}, {}{}",
                if self.min_inclusive { "[" } else { "(" },
                pts(a),
                pts(b),
                if self.max_inclusive { "]" } else { ")" }
            ),
            (Some(a), None) => format!("{}{}", if self.min_inclusive { "≥" } else { ">" }, pts(a)),
            (None, Some(b)) => format!("{}{}", if self.max_inclusive { "≤" } else { "<" }, pts(b)),
            (None, None) => "任意值".into(),
        }
    }
}

/// An item of a checklist and its points.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Item {
    /// What must hold.
    pub text: String,
    /// Its points.
    #[serde(with = "decimal")]
    pub points: Decimal,
}

/// A tier the evaluator picks: its label and score band (or fixed points when min = max).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Tier {
    /// The label (`较好`, `达成年度指标`).
    pub label: String,
    /// Lowest score of the tier.
    #[serde(with = "decimal")]
    pub min: Decimal,
    /// Highest score of the tier.
    #[serde(with = "decimal")]
    pub max: Decimal,
}

/// A scoring rule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum Rule {
    /// Full points at the target; `deduct` per `step` percentage points beyond it, down to 0
    /// (shapes 1–4 and 17: "每超过一个百分点扣0.5分，扣完为止", "每低于5个百分点扣2分").
    DeductPerStep {
        /// The target (in the measure's unit, e.g. 100 for 100%).
        #[serde(with = "decimal")]
        target: Decimal,
        /// Which side loses points.
        side: Side,
        /// Size of a step (1 for "每个百分点", 5 for "每超出5%").
        #[serde(default = "one", with = "decimal")]
        step: Decimal,
        /// Points lost per step.
        #[serde(with = "decimal")]
        deduct: Decimal,
        /// Count whole steps only ("每超出5%扣2分": 7% over is one step).
        #[serde(default)]
        whole_steps: bool,
    },
    /// A banded table: the band holding the measure gives the points (shapes 5, 6, 18).
    Bands {
        /// The bands.
        bands: Vec<Band>,
    },
    /// Points for each item that holds (shapes 9, 10); the evaluator ticks the items.
    Checklist {
        /// The items.
        items: Vec<Item>,
    },
    /// `deduct` for each occurrence the evaluator counts, down to 0 (shapes 7, 8).
    PerOccurrence {
        /// Points lost per occurrence.
        #[serde(with = "decimal")]
        deduct: Decimal,
    },
    /// points × measure ÷ `full` (shapes 12, 13), capped at the points when `cap`.
    Proportional {
        /// The measure that earns full points (100 for a percentage).
        #[serde(default = "hundred", with = "decimal")]
        full: Decimal,
        /// Cap at the points.
        #[serde(default = "yes")]
        cap: bool,
    },
    /// The evaluator picks a tier, and a score inside it (shapes 11, 16, fixed tiers).
    Tiers {
        /// The tiers.
        tiers: Vec<Tier>,
    },
    /// A base share of the points ± per percentage point of the measure against the target,
    /// capped (shape 19).
    BaseShare {
        /// The target.
        #[serde(with = "decimal")]
        target: Decimal,
        /// Share of the points when the target is met exactly (0.8).
        #[serde(with = "decimal")]
        base: Decimal,
        /// Points per percentage point above or below.
        #[serde(with = "decimal")]
        per_point: Decimal,
        /// Cap as a multiple of the points.
        #[serde(with = "decimal")]
        cap_multiple: Decimal,
    },
    /// points × actual ÷ target, capped (shape 14); for a lower-is-better measure the reverse,
    /// by either formula of rules.md §9.2 (shape 15).
    RatioToTarget {
        /// The target.
        #[serde(with = "decimal")]
        target: Decimal,
        /// `higher` is better (≥), or `lower` (≤).
        #[serde(default = "higher")]
        better: Better,
        /// For `lower`: `deviation` (1 − (a − t)/t) or `ratio` (t / a).
        #[serde(default = "deviation")]
        reverse: ReverseFormula,
    },
    /// Full points at the target, plus `plus` per unit above and minus `minus` per unit below,
    /// within 0 and `cap_multiple` × points (shape 20).
    PerUnit {
        /// The target.
        #[serde(with = "decimal")]
        target: Decimal,
        /// Points added per unit above.
        #[serde(with = "decimal")]
        plus: Decimal,
        /// Points taken per unit below.
        #[serde(with = "decimal")]
        minus: Decimal,
        /// Cap as a multiple of the points.
        #[serde(default = "one", with = "decimal")]
        cap_multiple: Decimal,
    },
    /// The evaluator enters the score, with a reason.
    Manual,
}

/// Which direction of a measure is better.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Better {
    /// Higher is better.
    Higher,
    /// Lower is better.
    Lower,
}

fn higher() -> Better {
    Better::Higher
}

fn deviation() -> ReverseFormula {
    ReverseFormula::Deviation
}

fn one() -> Decimal {
    Decimal::ONE
}

fn hundred() -> Decimal {
    Decimal::ONE_HUNDRED
}

/// What the evaluator supplies for rules that need judgement.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum Judgement {
    /// Which checklist items hold, in order.
    Checklist(Vec<bool>),
    /// How many occurrences.
    Occurrences(u32),
    /// The tier picked, the score in it for a tier with a band, and why.
    Tier {
        /// The tier's label.
        label: String,
        /// The score, required when the tier has a band.
        #[serde(default, with = "opt_decimal")]
        score: Option<Decimal>,
        /// Why this tier (the evaluator's reasons).
        reason: crate::form::Reason,
    },
    /// A score given by hand, with its reason.
    Score {
        /// The score.
        #[serde(with = "decimal")]
        score: Decimal,
        /// Why (required).
        reason: crate::form::Reason,
    },
}

impl Rule {
    /// Whether the rule reads a measure (as opposed to an evaluator's judgement).
    pub fn needs_measure(&self) -> bool {
        matches!(
            self,
            Rule::DeductPerStep { .. }
                | Rule::Bands { .. }
                | Rule::Proportional { .. }
                | Rule::BaseShare { .. }
                | Rule::RatioToTarget { .. }
                | Rule::PerUnit { .. }
        )
    }

    /// A short description of the rule in Chinese.
    pub fn describe(&self, points: Decimal) -> String {
        match self {
            Rule::DeductPerStep {
                target,
                side,
                step,
                deduct,
                whole_steps,
            } => {
                let dir = match side {
                    Side::Above => "超过",
                    Side::Below => "低于",
                    Side::Both => "偏离",
                };
                format!(
                    "{}{}得满分{}分，每{}{}{}个百分点扣{}分{}，扣完为止",
                    match side {
                        Side::Above => "不超过",
                        Side::Below => "达到",
                        Side::Both => "等于",
                    },
                    pts(*target),
                    pts(points),
                    dir,
                    if *whole_steps { "满" } else { "" },
                    pts(*step),
                    pts(*deduct),
                    if *whole_steps {
                        "（按整档计）"
                    } else {
                        ""
                    }
                )
            }
            Rule::Bands { bands } => bands
                .iter()
                .map(|b| format!("{}计{}分", b.describe(), pts(b.points)))
                .collect::<Vec<_>>()
                .join("；"),
            Rule::Checklist { items } => items
                .iter()
                .map(|i| format!("{}（{}分）", i.text, pts(i.points)))
                .collect::<Vec<_>>()
                .join("；"),
            Rule::PerOccurrence { deduct } => format!("每出现一例扣{}分，扣完为止", pts(*deduct)),
            Rule::Proportional { full, cap } => format!(
                "得分 = {} × 实际值 ÷ {}{}",
                pts(points),
                pts(*full),
                if *cap { "，最高不超过分值" } else { "" }
            ),
            Rule::Tiers { tiers } => tiers
                .iter()
                .map(|t| {
                    if t.min == t.max {
                        format!("{}{}分", t.label, pts(t.min))
                    } else {
                        format!("{}{}～{}分", t.label, pts(t.min), pts(t.max))
                    }
                })
                .collect::<Vec<_>>()
                .join("；"),
            Rule::BaseShare {
                target,
                base,
                per_point,
                cap_multiple,
            } => format!(
                "达到{}得{}×{}分，每高（低）一个百分点加（减）{}分，最高{}倍分值",
                pts(*target),
                pts(points),
                pts(*base),
                pts(*per_point),
                pts(*cap_multiple)
            ),
            Rule::RatioToTarget {
                target,
                better: Better::Higher,
                ..
            } => {
                format!(
                    "达到{}得满分，未达到按 实际 ÷ {} × {}分",
                    pts(*target),
                    pts(*target),
                    pts(points)
                )
            }
            Rule::RatioToTarget {
                target,
                better: Better::Lower,
                reverse,
            } => {
                format!("不超过{}得满分，超过按{}", pts(*target), reverse.describe())
            }
            Rule::PerUnit {
                target,
                plus,
                minus,
                cap_multiple,
            } => format!(
                "达到{}得{}分，每多一个单位加{}分，每少一个单位减{}分，最高{}倍分值",
                pts(*target),
                pts(points),
                pts(*plus),
                pts(*minus),
                pts(*cap_multiple)
            ),
            Rule::Manual => "由评价人评定".into(),
        }
    }
}

mod score;

pub use score::{Scored, ShapeError};

#[cfg(test)]
mod tests;
