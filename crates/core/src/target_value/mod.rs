//! 指标值: target and actual values as written in real forms, parsed into typed values.
//!
//! A value such as `≥90%`, `55.5万人`, `不超过12万`, `满意率90%以上`,
//! `报账资料交齐后50个工作日内`, `80%-90%`, `逐年提高` or a blank cell becomes a
//! [`TargetValue`]: the raw text, what kind of value it is ([`ValueKind`]) and what is
//! questionable about it ([`Flag`]). Parsing never fails: a value that cannot be measured is
//! qualitative and says so. [`compare`] pairs an actual with a target and says met / not met /
//! not comparable, and why.

mod compare;
mod qualitative;
mod scan;
mod unit;

use std::fmt;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

pub use compare::{Comparison, MatchError, Outcome, TermMatch, compare, match_terms};
pub use qualitative::QualitativeClass;
pub use unit::{Compatibility, Dimension, Unit};

use crate::numeral::fold_width;

/// A comparison operator of a 指标值.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Operator {
    /// ≥ (不低于, 不少于, 至少, 以上, 达到): 正向, higher is better.
    #[serde(rename = "≥")]
    Ge,
    /// \> (超过, 大于, 高于).
    #[serde(rename = ">")]
    Gt,
    /// ≤ (不超过, 不高于, 以内, 以下): 反向, lower is better.
    #[serde(rename = "≤")]
    Le,
    /// < (低于, 少于, 小于).
    #[serde(rename = "<")]
    Lt,
    /// = (等于, 为).
    #[serde(rename = "=")]
    Eq,
}

impl Operator {
    /// The symbol: `≥`, `>`, `≤`, `<`, `=`.
    pub fn symbol(self) -> &'static str {
        match self {
            Operator::Ge => "≥",
            Operator::Gt => ">",
            Operator::Le => "≤",
            Operator::Lt => "<",
            Operator::Eq => "=",
        }
    }

    /// True for ≤ and <, the reverse (lower is better) operators.
    pub fn is_reverse(self) -> bool {
        matches!(self, Operator::Le | Operator::Lt)
    }

    /// Whether `actual` satisfies `actual OP target` (values already in one unit).
    /// `=` with a positive target counts as reached at or above the target, as production
    /// systems score it (rules.md §2.2); `=` with a target of 0 is reached at or below 0.
    pub fn is_met(self, actual: Decimal, target: Decimal) -> bool {
        match self {
            Operator::Ge => actual >= target,
            Operator::Gt => actual > target,
            Operator::Le => actual <= target,
            Operator::Lt => actual < target,
            Operator::Eq if target.is_zero() => actual <= Decimal::ZERO,
            Operator::Eq if target > Decimal::ZERO => actual >= target,
            Operator::Eq => actual == target,
        }
    }
}

impl fmt::Display for Operator {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.symbol())
    }
}

/// A number and its unit, as written (`55.5` `万人`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Quantity {
    /// The number as written (before the unit's scale).
    pub value: Decimal,
    /// The unit as written.
    pub unit: Unit,
}

impl Quantity {
    /// The value in the dimension's base unit (`55.5万人` → 555000), `None` on overflow.
    pub fn base_value(&self) -> Option<Decimal> {
        self.value.checked_mul(self.unit.scale())
    }
}

impl fmt::Display for Quantity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}{}", self.value.normalize(), self.unit)
    }
}

/// The bound a term sets: one quantity, or a range.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Bound {
    /// A single quantity (`90%`).
    Single(Quantity),
    /// An inclusive range (`80%-90%`).
    Range {
        /// Lower end.
        low: Quantity,
        /// Upper end.
        high: Quantity,
    },
}

impl Bound {
    /// The unit of the bound (of the upper end, for a range).
    pub fn unit(&self) -> &Unit {
        match self {
            Bound::Single(q) => &q.unit,
            Bound::Range { high, .. } => &high.unit,
        }
    }
}

impl fmt::Display for Bound {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Bound::Single(q) => write!(f, "{q}"),
            Bound::Range { low, high } => write!(f, "{low}-{high}"),
        }
    }
}

/// The operator a term states, and the words that state it (`不超过`, `以上`, `≧`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WrittenOperator {
    /// The operator.
    pub operator: Operator,
    /// The word or symbol as written.
    pub word: String,
}

/// One measurable statement inside a value: an optional written operator and a bound.
/// `满意率90%以上` is one term (≥ 90%); `12702人，25775万元` is two.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Term {
    /// The operator as written, if any; when absent the scoring policy decides.
    pub operator: Option<WrittenOperator>,
    /// The quantity or range.
    pub bound: Bound,
}

impl fmt::Display for Term {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(op) = &self.operator {
            write!(f, "{}", op.operator)?;
        }
        write!(f, "{}", self.bound)
    }
}

/// What kind of value a 指标值 is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum ValueKind {
    /// Nothing written.
    Blank,
    /// One or more measurable terms.
    Quantitative {
        /// The terms in the order written (never empty).
        terms: Vec<Term>,
    },
    /// Text with no measurable quantity (`达成`, `满意`, `逐年提高`, `长期`).
    Qualitative {
        /// What the text says, roughly.
        class: QualitativeClass,
    },
}

/// Something questionable about a value, for review and audit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "flag")]
pub enum Flag {
    /// The cell is blank.
    Blank,
    /// No measurable quantity: the value is qualitative.
    NoQuantity,
    /// Words that typically make a value unmeasurable (进一步, 显著, 逐年提高 …).
    VagueWording {
        /// The words found.
        words: Vec<String>,
    },
    /// A number without a unit (`不超过12万`, `0`).
    UnitMissing {
        /// The quantity as written.
        quantity: String,
    },
    /// More than one quantity: each must be checked.
    SeveralQuantities {
        /// How many.
        count: usize,
    },
}

impl Flag {
    /// A Chinese description for reports.
    pub fn message(&self) -> String {
        match self {
            Flag::Blank => "未填写".into(),
            Flag::NoQuantity => "无可计量的数值（定性表述）".into(),
            Flag::VagueWording { words } => format!("表述模糊：含“{}”", words.join("”“")),
            Flag::UnitMissing { quantity } => format!("“{quantity}”缺少计量单位"),
            Flag::SeveralQuantities { count } => format!("含{count}个数值，需逐一核对"),
        }
    }
}

/// A parsed 指标值 (target) or 实际完成值 (actual).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TargetValue {
    raw: String,
    #[serde(flatten)]
    kind: ValueKind,
    flags: Vec<Flag>,
}

impl TargetValue {
    /// Parses a value as written. Never fails and never panics: what cannot be measured is
    /// qualitative, and every doubt is a [`Flag`].
    pub fn parse(raw: &str) -> TargetValue {
        let folded: String = fold_width(raw).split_whitespace().collect();
        let folded = folded.trim_matches(|c| matches!(c, '。' | '；' | ';' | ','));
        let mut flags = Vec::new();
        if folded.is_empty() || folded.chars().all(|c| matches!(c, '-' | '—' | '/' | '无')) {
            flags.push(Flag::Blank);
            return TargetValue {
                raw: raw.to_string(),
                kind: ValueKind::Blank,
                flags,
            };
        }
        let chars: Vec<char> = folded.chars().collect();
        let terms = scan::terms(&chars);
        let vague = qualitative::vague_words(folded);
        let kind = if terms.is_empty() {
            flags.push(Flag::NoQuantity);
            ValueKind::Qualitative {
                class: QualitativeClass::of(folded),
            }
        } else {
            for term in &terms {
                if term.bound.unit().is_dimensionless() {
                    flags.push(Flag::UnitMissing {
                        quantity: term.bound.to_string(),
                    });
                }
            }
            if terms.len() > 1 {
                flags.push(Flag::SeveralQuantities { count: terms.len() });
            }
            ValueKind::Quantitative { terms }
        };
        if !vague.is_empty() {
            flags.push(Flag::VagueWording { words: vague });
        }
        TargetValue {
            raw: raw.to_string(),
            kind,
            flags,
        }
    }

    /// The text as written.
    pub fn raw(&self) -> &str {
        &self.raw
    }

    /// What kind of value it is.
    pub fn kind(&self) -> &ValueKind {
        &self.kind
    }

    /// The measurable terms (empty for blank and qualitative values).
    pub fn terms(&self) -> &[Term] {
        match &self.kind {
            ValueKind::Quantitative { terms } => terms,
            _ => &[],
        }
    }

    /// Doubts about the value.
    pub fn flags(&self) -> &[Flag] {
        &self.flags
    }

    /// True when nothing is written.
    pub fn is_blank(&self) -> bool {
        matches!(self.kind, ValueKind::Blank)
    }

    /// True when the value has no measurable quantity or uses vague wording.
    pub fn is_vague(&self) -> bool {
        self.flags
            .iter()
            .any(|f| matches!(f, Flag::NoQuantity | Flag::VagueWording { .. }))
    }

    /// The text with whitespace removed and widths folded, for comparing two values' wording.
    pub fn normalized_text(&self) -> String {
        fold_width(&self.raw).split_whitespace().collect()
    }
}

impl fmt::Display for TargetValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.raw.trim())
    }
}

#[cfg(test)]
mod tests;
