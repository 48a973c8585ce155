//! [`ScoringPolicy`]: every choice the rules leave open, with defaults from rules.md §1.4/§2.2.
//!
//! Points marked [K] or in conflict in the rules digest are fields here, not constants:
//! level-1 weights, the execution-rate denominator, the reverse formula, the operator of a
//! bare number, the overshoot threshold, the qualitative tiers and their bands, how a total
//! whose weights do not add up to the full score is treated, grade bands and rounding.

use std::collections::BTreeMap;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::grade::GradeBands;
use crate::indicator::Level1;
use crate::target_value::Operator;

/// How a self-evaluation is scored.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ScoringPolicy {
    /// Expected weight of each first-level group (产出 50, 效益 30, 满意度 10 by default;
    /// "原则上", so a difference is reported, not refused).
    pub level1_weights: BTreeMap<Level1, Decimal>,
    /// Weight of the budget execution rate (10), used when the form states none.
    pub execution_weight: Decimal,
    /// The full score (100).
    pub full_score: Decimal,
    /// Which budget figure the execution rate divides by.
    pub execution_denominator: ExecutionDenominator,
    /// Formula for a ≤ indicator that was exceeded.
    pub reverse_formula: ReverseFormula,
    /// Operators for numbers written without one.
    pub implied_operator: ImpliedOperator,
    /// Actual ÷ target at or above which the unit must explain the overshoot (1.2 = 120%);
    /// `None` turns the check off.
    pub overshoot_threshold: Option<Decimal>,
    /// Qualitative tiers and their bands.
    pub qualitative: QualitativeTiers,
    /// What to do when the weights do not add up to the full score.
    pub total_basis: TotalBasis,
    /// Grade bands.
    pub grade_bands: GradeBands,
    /// Decimals of every score (2).
    pub decimals: u32,
    /// The conclusion bands of ex-ante assessments (事前绩效评估).
    pub ex_ante: crate::ex_ante::ExAntePolicy,
}

impl Default for ScoringPolicy {
    fn default() -> ScoringPolicy {
        ScoringPolicy {
            level1_weights: BTreeMap::from([
                (Level1::Output, Decimal::from(50)),
                (Level1::Benefit, Decimal::from(30)),
                (Level1::Satisfaction, Decimal::from(10)),
            ]),
            execution_weight: Decimal::from(10),
            full_score: Decimal::from(100),
            execution_denominator: ExecutionDenominator::FullYearBudget,
            reverse_formula: ReverseFormula::Deviation,
            implied_operator: ImpliedOperator::default(),
            overshoot_threshold: Some(Decimal::new(12, 1)),
            qualitative: QualitativeTiers::default(),
            total_basis: TotalBasis::RescaleToFullScore,
            grade_bands: GradeBands::default(),
            decimals: 2,
            ex_ante: crate::ex_ante::ExAntePolicy::default(),
        }
    }
}

impl ScoringPolicy {
    /// Reads a policy from JSON; absent fields keep their defaults.
    pub fn from_json(text: &str) -> Result<ScoringPolicy, crate::form::FormError> {
        let value: serde_json::Value =
            serde_json::from_str(text).map_err(|e| crate::form::FormError {
                path: String::new(),
                line: Some(e.line()),
                column: Some(e.column()),
                message: crate::form::json_error::message(&e),
            })?;
        let policy: ScoringPolicy = crate::form::typed(value)?;
        policy
            .validate()
            .map_err(|(path, message)| crate::form::FormError {
                path: path.into(),
                line: None,
                column: None,
                message,
            })?;
        Ok(policy)
    }

    /// Checks that every number is in its sensible range: weights and the full score in
    /// (0, 10000], band fractions in [0, 1] and ordered, the overshoot threshold above 1,
    /// at most 10 decimals. Returns the offending field and why.
    pub fn validate(&self) -> Result<(), (&'static str, String)> {
        let max = Decimal::from(10_000);
        let points = |v: Decimal| v >= Decimal::ZERO && v <= max;
        if !(points(self.full_score) && self.full_score > Decimal::ZERO) {
            return Err(("full_score", "满分须在0（不含）至10000之间".into()));
        }
        if !points(self.execution_weight) {
            return Err(("execution_weight", "执行率分值须在0至10000之间".into()));
        }
        if self.level1_weights.values().any(|w| !points(*w)) {
            return Err(("level1_weights", "一级指标分值须在0至10000之间".into()));
        }
        if self
            .overshoot_threshold
            .is_some_and(|t| t <= Decimal::ONE || t > max)
        {
            return Err((
                "overshoot_threshold",
                "超目标比例须大于1（如1.2表示120%）".into(),
            ));
        }
        for (name, band) in [
            ("qualitative.achieved", self.qualitative.achieved),
            ("qualitative.partial", self.qualitative.partial),
            ("qualitative.not_achieved", self.qualitative.not_achieved),
        ] {
            let unit = |v: Decimal| v >= Decimal::ZERO && v <= Decimal::ONE;
            if !(unit(band.low) && unit(band.high) && unit(band.default_point))
                || band.low > band.high
                || !band.contains(band.default_point)
            {
                return Err((
                    name,
                    "档次区间须在0至1之间、下限不大于上限，且默认取值在区间内".into(),
                ));
            }
        }
        let b = &self.grade_bands;
        if !(points(b.fair) && b.fair <= b.good && b.good <= b.excellent && points(b.excellent)) {
            return Err((
                "grade_bands",
                "等级分数线须满足 中 ≤ 良 ≤ 优，且在0至10000之间".into(),
            ));
        }
        if self.decimals > 10 {
            return Err(("decimals", "小数位数不超过10".into()));
        }
        Ok(())
    }

    /// Rounds a score to the policy's decimals, half away from zero (四舍五入).
    pub fn round(&self, value: Decimal) -> Decimal {
        crate::money::round(value, self.decimals)
    }
}

/// The denominator of 预算执行率 (rules.md §9.1: sources disagree).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ExecutionDenominator {
    /// 全年执行数 ÷ 全年预算数 (the self-evaluation form's own 备注; default).
    FullYearBudget,
    /// 全年执行数 ÷ 年初预算数.
    InitialBudget,
}

impl ExecutionDenominator {
    /// The column name.
    pub fn label(self) -> &'static str {
        match self {
            ExecutionDenominator::FullYearBudget => "全年预算数",
            ExecutionDenominator::InitialBudget => "年初预算数",
        }
    }
}

/// How a ≤ (reverse) indicator scores when the actual exceeds the target (rules.md §9.2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReverseFormula {
    /// w × (1 − (a − t) / t), 0 at a ≥ 2t (production systems).
    Deviation,
    /// w × t / a (a local form).
    Ratio,
}

impl ReverseFormula {
    /// The formula as text.
    pub fn describe(self) -> &'static str {
        match self {
            ReverseFormula::Deviation => "分值×(1−(实际−目标)/目标)，实际≥2倍目标得0分",
            ReverseFormula::Ratio => "分值×目标/实际",
        }
    }
}

/// Operators for a number written without one (`100%`, `292.83万元`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ImpliedOperator {
    /// For most indicators: reaching the value is the target (≥).
    pub default: Operator,
    /// For an amount of money under 成本指标: spending is capped by the value (≤).
    pub cost_money: Operator,
}

impl Default for ImpliedOperator {
    fn default() -> ImpliedOperator {
        ImpliedOperator {
            default: Operator::Ge,
            cost_money: Operator::Le,
        }
    }
}

/// The three qualitative tiers of 财预〔2020〕10号 (labels stored verbatim).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum QualitativeTier {
    /// 达成年度指标.
    #[serde(rename = "达成年度指标")]
    Achieved,
    /// 部分达成年度指标并具有一定效果.
    #[serde(rename = "部分达成年度指标并具有一定效果")]
    Partial,
    /// 未达成年度指标且效果较差.
    #[serde(rename = "未达成年度指标且效果较差")]
    NotAchieved,
}

impl QualitativeTier {
    /// The tier's label, verbatim.
    pub fn label(self) -> &'static str {
        match self {
            QualitativeTier::Achieved => "达成年度指标",
            QualitativeTier::Partial => "部分达成年度指标并具有一定效果",
            QualitativeTier::NotAchieved => "未达成年度指标且效果较差",
        }
    }
}

/// A tier's band as fractions of the weight, and the point used when no score is given.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TierBand {
    /// Lower end (inclusive).
    pub low: Decimal,
    /// Upper end.
    pub high: Decimal,
    /// Whether the upper end belongs to the band.
    pub high_inclusive: bool,
    /// The fraction used when the evaluator gave no score inside the band.
    pub default_point: Decimal,
}

impl TierBand {
    /// Whether `fraction` (score ÷ weight) lies in the band.
    pub fn contains(&self, fraction: Decimal) -> bool {
        fraction >= self.low
            && (fraction < self.high || self.high_inclusive && fraction == self.high)
    }
}

/// The bands of the three tiers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct QualitativeTiers {
    /// 达成: [80%, 100%], default 100%.
    pub achieved: TierBand,
    /// 部分达成: [60%, 80%), default 70%.
    pub partial: TierBand,
    /// 未达成: [0, 60%), default 30%.
    pub not_achieved: TierBand,
}

impl Default for QualitativeTiers {
    fn default() -> QualitativeTiers {
        let pct = |n: i64| Decimal::new(n, 2);
        QualitativeTiers {
            achieved: TierBand {
                low: pct(80),
                high: pct(100),
                high_inclusive: true,
                default_point: pct(100),
            },
            partial: TierBand {
                low: pct(60),
                high: pct(80),
                high_inclusive: false,
                default_point: pct(70),
            },
            not_achieved: TierBand {
                low: pct(0),
                high: pct(60),
                high_inclusive: false,
                default_point: pct(30),
            },
        }
    }
}

impl QualitativeTiers {
    /// The band of `tier`.
    pub fn band(&self, tier: QualitativeTier) -> TierBand {
        match tier {
            QualitativeTier::Achieved => self.achieved,
            QualitativeTier::Partial => self.partial,
            QualitativeTier::NotAchieved => self.not_achieved,
        }
    }

    /// The tier whose band holds `fraction`, if any.
    pub fn tier_of(&self, fraction: Decimal) -> Option<QualitativeTier> {
        [
            QualitativeTier::Achieved,
            QualitativeTier::Partial,
            QualitativeTier::NotAchieved,
        ]
        .into_iter()
        .find(|t| self.band(*t).contains(fraction))
    }
}

/// What the total is when the weights do not add up to the full score (a form whose
/// indicators are worth 100 with the execution rate's 10 on top, or indicators marked not
/// applicable).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TotalBasis {
    /// total = Σ scores × full score ÷ Σ weights (the not-applicable rule of rules.md §6.23).
    RescaleToFullScore,
    /// total = Σ scores, as printed.
    RawSum,
}
