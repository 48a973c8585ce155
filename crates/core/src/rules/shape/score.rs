//! Scoring by a rule's shape: [`Rule::score`] hands one [`Scoring`] (the points, the measure,
//! the evaluator's judgement) to the function of the rule's shape, which gives a [`Scored`]
//! (the points and the steps that explain them) or a [`ShapeError`] (what is missing or wrong).

use rust_decimal::Decimal;

use super::{Band, Better, Item, Judgement, Rule, Side, Tier};
use crate::money::round2;
use crate::rules::pts;
use crate::scoring::ReverseFormula;

impl Rule {
    /// The points earned, and the steps that explain them, from a measure (when the rule reads
    /// one) and the evaluator's judgement (when it needs one). `Err` says what is missing or
    /// wrong.
    pub fn score(
        &self,
        points: Decimal,
        measure: Option<Decimal>,
        judgement: Option<&Judgement>,
    ) -> Result<Scored, ShapeError> {
        let cx = Scoring {
            points,
            measure,
            judgement,
        };
        match self {
            Rule::DeductPerStep {
                target,
                side,
                step,
                deduct,
                whole_steps,
            } => deduct_per_step(&cx, *target, *side, *step, *deduct, *whole_steps),
            Rule::Bands { bands } => banded(&cx, bands),
            Rule::Checklist { items } => checklist(&cx, items),
            Rule::PerOccurrence { deduct } => per_occurrence(&cx, *deduct),
            Rule::Proportional { full, cap } => proportional(&cx, *full, *cap),
            Rule::Tiers { tiers } => tiered(&cx, tiers),
            Rule::BaseShare {
                target,
                base,
                per_point,
                cap_multiple,
            } => base_share(&cx, *target, *base, *per_point, *cap_multiple),
            Rule::RatioToTarget {
                target,
                better,
                reverse,
            } => ratio_to_target(&cx, *target, *better, *reverse),
            Rule::PerUnit {
                target,
                plus,
                minus,
                cap_multiple,
            } => per_unit(&cx, *target, *plus, *minus, *cap_multiple),
            Rule::Manual => manual(&cx),
        }
    }
}

/// The points a rule gives an indicator, and the steps that explain them: the inputs, the
/// arithmetic and the result, in Chinese.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scored {
    /// The points earned.
    pub score: Decimal,
    /// How they were reached, one line a step.
    pub steps: Vec<String>,
}

impl Scored {
    /// A score explained in one line.
    fn one(score: Decimal, step: String) -> Scored {
        Scored {
            score,
            steps: vec![step],
        }
    }
}

/// Why a rule cannot score an indicator: what is missing (a measure, the evaluator's
/// judgement), or what is wrong with it or with the rule. The message is the reason the
/// evaluation shows, in Chinese.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ShapeError {
    /// The rule reads a measure and there is none.
    #[error("缺少计算所需的数据")]
    MissingMeasure,
    /// A [`Rule::DeductPerStep`] whose step is 0.
    #[error("档距不能为0")]
    ZeroStep,
    /// A [`Rule::Proportional`] whose full-points measure is 0.
    #[error("满分基数不能为0")]
    ZeroFull,
    /// A [`Rule::RatioToTarget`] whose target is 0 (and not met).
    #[error("目标值不能为0")]
    ZeroTarget,
    /// A lower-is-better [`Rule::RatioToTarget`] by the ratio formula whose actual value is 0.
    #[error("实际值不能为0")]
    ZeroActual,
    /// The measure lies in no band of a [`Rule::Bands`].
    #[error("{}不在任何档次内", pts(*.value))]
    OutsideBands {
        /// The measure, rounded to 2 decimals.
        value: Decimal,
    },
    /// A [`Rule::Checklist`] without the evaluator's ticks.
    #[error("需评价人逐项判断（共{items}项）")]
    ChecklistNeeded {
        /// How many items the checklist has.
        items: usize,
    },
    /// A [`Rule::Checklist`] with more or fewer ticks than items.
    #[error("逐项判断应有{items}项，给出了{ticks}项")]
    ChecklistLength {
        /// How many items the checklist has.
        items: usize,
        /// How many ticks the evaluator gave.
        ticks: usize,
    },
    /// A [`Rule::PerOccurrence`] without the evaluator's count.
    #[error("需评价人给出不符合要求的例数")]
    OccurrencesNeeded,
    /// A [`Rule::Tiers`] without the evaluator's pick.
    #[error("需评价人选择档次（{}）", .labels.join("/"))]
    TierNeeded {
        /// The tiers' labels, in order.
        labels: Vec<String>,
    },
    /// The evaluator picked a tier the rule does not have.
    #[error("没有“{label}”这一档")]
    UnknownTier {
        /// The label picked.
        label: String,
    },
    /// The evaluator picked a tier with a band and gave no score in it.
    #[error("“{label}”档须在{}～{}分之间给分", pts(*.min), pts(*.max))]
    TierScoreNeeded {
        /// The tier's label.
        label: String,
        /// Its lowest score.
        min: Decimal,
        /// Its highest score.
        max: Decimal,
    },
    /// The evaluator's score lies outside the band of the tier picked.
    #[error("{}分不在“{label}”档{}～{}分之间", pts(*.score), pts(*.min), pts(*.max))]
    OutsideTier {
        /// The tier's label.
        label: String,
        /// The score given.
        score: Decimal,
        /// The tier's lowest score.
        min: Decimal,
        /// The tier's highest score.
        max: Decimal,
    },
    /// A [`Rule::Manual`] without the evaluator's score.
    #[error("需评价人评定")]
    ScoreNeeded,
    /// A [`Rule::Manual`] score below 0 or above the indicator's points.
    #[error("评定分{}不在0～{}分之间", pts(*.score), pts(*.points))]
    ScoreOutsidePoints {
        /// The score given.
        score: Decimal,
        /// The indicator's points.
        points: Decimal,
    },
}

/// What one scoring reads besides the rule: the indicator's points, the measure when one was
/// computed, and the evaluator's judgement when one was given.
struct Scoring<'a> {
    /// The indicator's points.
    points: Decimal,
    /// The measure, unrounded.
    measure: Option<Decimal>,
    /// The evaluator's judgement.
    judgement: Option<&'a Judgement>,
}

impl Scoring<'_> {
    /// The measure, which the rule needs.
    fn measure(&self) -> Result<Decimal, ShapeError> {
        self.measure.ok_or(ShapeError::MissingMeasure)
    }

    /// `v` within 0 and the points.
    fn clamp(&self, v: Decimal) -> Decimal {
        within(v, self.points)
    }

    /// `v` within 0 and `multiple` × the points.
    fn clamp_to_multiple(&self, v: Decimal, multiple: Decimal) -> Decimal {
        within(v, self.points * multiple)
    }
}

/// `v` within 0 and `top`; 0 when `top` is below 0 (negative points or a negative cap in a
/// rule file that was not validated), where `Decimal::clamp` would panic.
fn within(v: Decimal, top: Decimal) -> Decimal {
    v.max(Decimal::ZERO).min(top.max(Decimal::ZERO))
}

impl Side {
    /// How far `x` lies from `target` on the side that loses points (0 on the other side).
    fn gap(self, x: Decimal, target: Decimal) -> Decimal {
        match self {
            Side::Above => (x - target).max(Decimal::ZERO),
            Side::Below => (target - x).max(Decimal::ZERO),
            Side::Both => (x - target).abs(),
        }
    }

    /// How a measure that loses nothing stands to the target: `未超过`, `不低于`, `等于`.
    fn within(self) -> &'static str {
        match self {
            Side::Above => "未超过",
            Side::Below => "不低于",
            Side::Both => "等于",
        }
    }
}

/// The score by [`Rule::DeductPerStep`].
fn deduct_per_step(
    cx: &Scoring,
    target: Decimal,
    side: Side,
    step: Decimal,
    deduct: Decimal,
    whole_steps: bool,
) -> Result<Scored, ShapeError> {
    let x = cx.measure()?;
    let gap = side.gap(x, target);
    if gap.is_zero() {
        return Ok(Scored::one(
            cx.points,
            format!(
                "{}{}标准{}，得满分{}分",
                pts(round2(x)),
                side.within(),
                pts(target),
                pts(cx.points)
            ),
        ));
    }
    let steps = gap.checked_div(step).ok_or(ShapeError::ZeroStep)?;
    let steps = if whole_steps { steps.floor() } else { steps };
    let lost = steps * deduct;
    let s = round2(cx.clamp(cx.points - lost));
    Ok(Scored::one(
        s,
        format!(
            "偏离标准{}个百分点（{} 与 {}），扣{} × {} = {}分，{} − {} = {}分",
            pts(round2(gap)),
            pts(round2(x)),
            pts(target),
            pts(round2(steps)),
            pts(deduct),
            pts(round2(lost)),
            pts(cx.points),
            pts(round2(lost)),
            pts(s)
        ),
    ))
}

/// The score by [`Rule::Bands`].
fn banded(cx: &Scoring, bands: &[Band]) -> Result<Scored, ShapeError> {
    let x = cx.measure()?;
    let band = bands
        .iter()
        .find(|b| b.contains(x))
        .ok_or(ShapeError::OutsideBands { value: round2(x) })?;
    Ok(Scored::one(
        cx.clamp(band.points),
        format!(
            "{}属于{}档，计{}分",
            pts(round2(x)),
            band.describe(),
            pts(band.points)
        ),
    ))
}

/// The score by [`Rule::Checklist`].
fn checklist(cx: &Scoring, items: &[Item]) -> Result<Scored, ShapeError> {
    let Some(Judgement::Checklist(ticks)) = cx.judgement else {
        return Err(ShapeError::ChecklistNeeded { items: items.len() });
    };
    if ticks.len() != items.len() {
        return Err(ShapeError::ChecklistLength {
            items: items.len(),
            ticks: ticks.len(),
        });
    }
    let mut steps = Vec::new();
    let mut total = Decimal::ZERO;
    for (item, ok) in items.iter().zip(ticks) {
        if *ok {
            total += item.points;
        }
        steps.push(format!(
            "{}：{}",
            item.text,
            if *ok {
                format!("符合，{}分", pts(item.points))
            } else {
                "不符合，0分".into()
            }
        ));
    }
    Ok(Scored {
        score: cx.clamp(total),
        steps,
    })
}

/// The score by [`Rule::PerOccurrence`].
fn per_occurrence(cx: &Scoring, deduct: Decimal) -> Result<Scored, ShapeError> {
    let Some(Judgement::Occurrences(n)) = cx.judgement else {
        return Err(ShapeError::OccurrencesNeeded);
    };
    let lost = Decimal::from(*n) * deduct;
    let s = cx.clamp(cx.points - lost);
    Ok(Scored::one(
        s,
        format!(
            "{}例 × {}分 = 扣{}分，{} − {} = {}分",
            n,
            pts(deduct),
            pts(lost),
            pts(cx.points),
            pts(lost),
            pts(s)
        ),
    ))
}

/// The score by [`Rule::Proportional`].
fn proportional(cx: &Scoring, full: Decimal, cap: bool) -> Result<Scored, ShapeError> {
    let x = cx.measure()?;
    let raw = (cx.points * x)
        .checked_div(full)
        .ok_or(ShapeError::ZeroFull)?;
    let s = round2(if cap {
        cx.clamp(raw)
    } else {
        raw.max(Decimal::ZERO)
    });
    Ok(Scored::one(
        s,
        format!(
            "{} × {} ÷ {} = {}分",
            pts(cx.points),
            pts(round2(x)),
            pts(full),
            pts(s)
        ),
    ))
}

/// The score by [`Rule::Tiers`].
fn tiered(cx: &Scoring, tiers: &[Tier]) -> Result<Scored, ShapeError> {
    let Some(Judgement::Tier {
        label,
        score,
        reason,
    }) = cx.judgement
    else {
        return Err(ShapeError::TierNeeded {
            labels: tiers.iter().map(|t| t.label.clone()).collect(),
        });
    };
    let tier = tiers
        .iter()
        .find(|t| &t.label == label)
        .ok_or_else(|| ShapeError::UnknownTier {
            label: label.clone(),
        })?;
    let s = tier_score(tier, *score)?;
    Ok(Scored::one(
        cx.clamp(s),
        format!("评价人评定为“{label}”，{}分（理由：{reason}）", pts(s)),
    ))
}

/// The score in `tier`: its points when it has no band, else the evaluator's `score`, which
/// must lie in the band.
fn tier_score(tier: &Tier, score: Option<Decimal>) -> Result<Decimal, ShapeError> {
    match score {
        None if tier.min == tier.max => Ok(tier.min),
        None => Err(ShapeError::TierScoreNeeded {
            label: tier.label.clone(),
            min: tier.min,
            max: tier.max,
        }),
        Some(s) if s < tier.min || s > tier.max => Err(ShapeError::OutsideTier {
            label: tier.label.clone(),
            score: s,
            min: tier.min,
            max: tier.max,
        }),
        Some(s) => Ok(s),
    }
}

/// The score by [`Rule::BaseShare`].
fn base_share(
    cx: &Scoring,
    target: Decimal,
    base: Decimal,
    per_point: Decimal,
    cap_multiple: Decimal,
) -> Result<Scored, ShapeError> {
    let x = cx.measure()?;
    let raw = cx.points * base + (x - target) * per_point;
    let s = round2(cx.clamp_to_multiple(raw, cap_multiple));
    Ok(Scored::one(
        s,
        format!(
            "{} × {} + ({} − {}) × {} = {}分",
            pts(cx.points),
            pts(base),
            pts(round2(x)),
            pts(target),
            pts(per_point),
            pts(s)
        ),
    ))
}

/// The score by [`Rule::RatioToTarget`].
fn ratio_to_target(
    cx: &Scoring,
    target: Decimal,
    better: Better,
    reverse: ReverseFormula,
) -> Result<Scored, ShapeError> {
    let a = cx.measure()?;
    let f = completion(a, target, better, reverse)?;
    let s = round2(cx.clamp(cx.points * f));
    let percent = pts(round2(f * Decimal::ONE_HUNDRED));
    Ok(Scored::one(
        s,
        format!(
            "实际{}，目标{}，完成比例{percent}%，{} × {percent}% = {}分",
            pts(round2(a)),
            pts(target),
            pts(cx.points),
            pts(s)
        ),
    ))
}

/// The share of the target that the actual value `a` achieves: 1 when the target `t` is met,
/// else `a ÷ t` when higher is better, and by the `reverse` formula when lower is.
fn completion(
    a: Decimal,
    t: Decimal,
    better: Better,
    reverse: ReverseFormula,
) -> Result<Decimal, ShapeError> {
    match better {
        Better::Higher if a >= t => Ok(Decimal::ONE),
        Better::Higher => a.checked_div(t).ok_or(ShapeError::ZeroTarget),
        Better::Lower if a <= t => Ok(Decimal::ONE),
        Better::Lower => match reverse {
            ReverseFormula::Deviation => (a - t)
                .checked_div(t)
                .map(|over| Decimal::ONE - over)
                .ok_or(ShapeError::ZeroTarget),
            ReverseFormula::Ratio => t.checked_div(a).ok_or(ShapeError::ZeroActual),
        },
    }
}

/// The score by [`Rule::PerUnit`].
fn per_unit(
    cx: &Scoring,
    target: Decimal,
    plus: Decimal,
    minus: Decimal,
    cap_multiple: Decimal,
) -> Result<Scored, ShapeError> {
    let a = cx.measure()?;
    let diff = a - target;
    let change = if diff >= Decimal::ZERO {
        diff * plus
    } else {
        diff * minus
    };
    let s = round2(cx.clamp_to_multiple(cx.points + change, cap_multiple));
    Ok(Scored::one(
        s,
        format!(
            "实际{}，目标{}，{} {} {} = {}分",
            pts(round2(a)),
            pts(target),
            pts(cx.points),
            if change >= Decimal::ZERO { "+" } else { "−" },
            pts(change.abs()),
            pts(s)
        ),
    ))
}

/// The score by [`Rule::Manual`]: the evaluator's, within 0 and the points.
fn manual(cx: &Scoring) -> Result<Scored, ShapeError> {
    match cx.judgement {
        Some(Judgement::Score { score, reason })
            if *score >= Decimal::ZERO && *score <= cx.points =>
        {
            Ok(Scored::one(
                *score,
                format!("评价人评定{}分（理由：{reason}）", pts(*score)),
            ))
        }
        Some(Judgement::Score { score, .. }) => Err(ShapeError::ScoreOutsidePoints {
            score: *score,
            points: cx.points,
        }),
        _ => Err(ShapeError::ScoreNeeded),
    }
}
