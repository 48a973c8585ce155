//! Exact money amounts with their unit (元 / 万元 / 亿元).
//!
//! Forms keep money in 万元 with 2 decimals, but cells say `12.8`, `476.66万元`, `9,400元`,
//! `1.5亿元` or `１２．８`, and a bare number takes its unit from the table header (`（万元）`).
//! [`Amount`] is the one money type: an exact [`Decimal`] plus its [`MoneyUnit`], converted
//! between units exactly and rounded half away from zero (四舍五入) when shown.

use std::cmp::Ordering;
use std::fmt;
use std::str::FromStr;

use rust_decimal::{Decimal, RoundingStrategy};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::numeral::{arabic_at, chinese_at, fold_width};

/// The unit a money amount is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum MoneyUnit {
    /// 元.
    #[serde(rename = "元")]
    Yuan,
    /// 万元 (10⁴ 元): the unit of performance forms.
    #[serde(rename = "万元")]
    Wan,
    /// 亿元 (10⁸ 元).
    #[serde(rename = "亿元")]
    Yi,
}

impl MoneyUnit {
    /// How many 元 one of this unit is.
    pub fn in_yuan(self) -> Decimal {
        match self {
            MoneyUnit::Yuan => Decimal::ONE,
            MoneyUnit::Wan => Decimal::from(10_000),
            MoneyUnit::Yi => Decimal::from(100_000_000),
        }
    }

    /// The unit as written: `元`, `万元`, `亿元`.
    pub fn symbol(self) -> &'static str {
        match self {
            MoneyUnit::Yuan => "元",
            MoneyUnit::Wan => "万元",
            MoneyUnit::Yi => "亿元",
        }
    }

    /// Finds the money unit a table header or caption declares: `项目资金（万元）`,
    /// `金额单位：万元`, `预算投资(元)`. Returns `None` when the text declares none.
    pub fn from_header(text: &str) -> Option<MoneyUnit> {
        let folded: String = fold_width(text).split_whitespace().collect();
        // Longest first, so that 万元 is not read as 元.
        for (pattern, unit) in [
            ("(亿元)", MoneyUnit::Yi),
            ("(万元)", MoneyUnit::Wan),
            ("(元)", MoneyUnit::Yuan),
            ("单位:亿元", MoneyUnit::Yi),
            ("单位:万元", MoneyUnit::Wan),
            ("单位:元", MoneyUnit::Yuan),
        ] {
            if folded.contains(pattern) {
                return Some(unit);
            }
        }
        None
    }

    /// Reads a unit suffix at the start of `rest`: `亿元`/`亿`, `万元`/`万`, `元`.
    /// Returns the unit and how many chars it took.
    fn suffix(rest: &[char]) -> Option<(MoneyUnit, usize)> {
        let starts = |s: &str| {
            let s: Vec<char> = s.chars().collect();
            rest.len() >= s.len() && rest[..s.len()] == s[..]
        };
        if starts("亿元") {
            Some((MoneyUnit::Yi, 2))
        } else if starts("万元") {
            Some((MoneyUnit::Wan, 2))
        } else if starts("亿") {
            Some((MoneyUnit::Yi, 1))
        } else if starts("万") {
            Some((MoneyUnit::Wan, 1))
        } else if starts("元") {
            Some((MoneyUnit::Yuan, 1))
        } else {
            None
        }
    }
}

impl fmt::Display for MoneyUnit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.symbol())
    }
}

/// Why a text is not a money amount.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MoneyError {
    /// The cell is blank (or only a dash).
    #[error("金额为空")]
    Empty,
    /// The text has no number where the amount should be.
    #[error("“{text}”不是金额：找不到数字")]
    NoNumber {
        /// The text as given.
        text: String,
    },
    /// There is text after the amount that is neither a unit nor `整`.
    #[error("“{text}”不是金额：数字后有无法识别的内容“{rest}”")]
    TrailingText {
        /// The text as given.
        text: String,
        /// What follows the number.
        rest: String,
    },
    /// The amount has no unit and none was given by the header.
    #[error("“{text}”没有金额单位，表头也未注明（元/万元/亿元）")]
    NoUnit {
        /// The text as given.
        text: String,
    },
    /// Converting the amount would overflow an exact decimal.
    #[error("金额“{text}”超出可精确表示的范围")]
    Overflow {
        /// The text as given.
        text: String,
    },
}

/// An exact money amount and the unit it is written in.
///
/// Equality and ordering compare the value in 元, so `1万元 == 10000元`.
#[derive(Debug, Clone, Copy)]
pub struct Amount {
    value: Decimal,
    unit: MoneyUnit,
}

impl Amount {
    /// An amount of `value` in `unit`.
    pub fn new(value: Decimal, unit: MoneyUnit) -> Amount {
        Amount { value, unit }
    }

    /// Zero in `unit`.
    pub fn zero(unit: MoneyUnit) -> Amount {
        Amount::new(Decimal::ZERO, unit)
    }

    /// Parses a money cell. `default_unit` is the unit the header declares; it applies when
    /// the text carries none. Accepts `12.8`, `12.8万元`, `1.5亿元`, `476.66万元`, `9,400元`,
    /// full-width digits, a leading `-`, Chinese numerals (`十二万元`) and a trailing `整`.
    pub fn parse(text: &str, default_unit: Option<MoneyUnit>) -> Result<Amount, MoneyError> {
        let folded: String = fold_width(text).split_whitespace().collect();
        if folded.is_empty() || folded.chars().all(|c| matches!(c, '-' | '—' | '/')) {
            return Err(MoneyError::Empty);
        }
        let chars: Vec<char> = folded.chars().collect();
        let negative = chars[0] == '-';
        let start = usize::from(negative);
        let numeral = arabic_at(&chars, start)
            .or_else(|| chinese_at(&chars, start).filter(|n| n.end > start))
            .ok_or_else(|| MoneyError::NoNumber {
                text: text.to_string(),
            })?;
        let mut rest = &chars[numeral.end..];
        let unit = match MoneyUnit::suffix(rest) {
            Some((unit, len)) => {
                rest = &rest[len..];
                unit
            }
            None => default_unit.ok_or_else(|| MoneyError::NoUnit {
                text: text.to_string(),
            })?,
        };
        if rest == ['整'] {
            rest = &[];
        }
        if !rest.is_empty() {
            return Err(MoneyError::TrailingText {
                text: text.to_string(),
                rest: rest.iter().collect(),
            });
        }
        let value = if negative {
            -numeral.value
        } else {
            numeral.value
        };
        Ok(Amount::new(value, unit))
    }

    /// The number as written, in [`Amount::unit`].
    pub fn value(&self) -> Decimal {
        self.value
    }

    /// The unit the amount is written in.
    pub fn unit(&self) -> MoneyUnit {
        self.unit
    }

    /// The amount as written, unrounded (`12.8万元`, `9.40万元`); `Display` rounds to 2 decimals.
    pub fn as_written(&self) -> String {
        format!("{}{}", self.value, self.unit)
    }

    /// The exact value in 元, or `None` if it would overflow.
    pub fn in_yuan(&self) -> Option<Decimal> {
        self.value.checked_mul(self.unit.in_yuan())
    }

    /// The same amount in another unit, exactly: units differ by powers of ten, so a
    /// conversion either is exact or is refused. `None` when the result would overflow or
    /// would need more than the 28 significant digits an exact decimal holds.
    pub fn to_unit(&self, unit: MoneyUnit) -> Option<Amount> {
        let yuan = self.in_yuan()?;
        let value = yuan.checked_div(unit.in_yuan())?;
        (value.checked_mul(unit.in_yuan())? == yuan).then_some(Amount::new(value, unit))
    }

    /// The amount rounded to 2 decimals, half away from zero (四舍五入), in its own unit.
    pub fn rounded(&self) -> Amount {
        Amount::new(round2(self.value), self.unit)
    }

    /// Sum of two amounts, in this amount's unit. `None` on overflow.
    pub fn checked_add(&self, other: &Amount) -> Option<Amount> {
        let other = other.to_unit(self.unit)?;
        Some(Amount::new(self.value.checked_add(other.value)?, self.unit))
    }

    /// Difference of two amounts, in this amount's unit. `None` on overflow.
    pub fn checked_sub(&self, other: &Amount) -> Option<Amount> {
        let other = other.to_unit(self.unit)?;
        Some(Amount::new(self.value.checked_sub(other.value)?, self.unit))
    }

    /// `self / other` as an exact ratio (e.g. an execution rate), `None` if `other` is zero.
    pub fn ratio_to(&self, other: &Amount) -> Option<Decimal> {
        let other = other.to_unit(self.unit)?;
        self.value.checked_div(other.value)
    }

    /// True when the amount is zero.
    pub fn is_zero(&self) -> bool {
        self.value.is_zero()
    }
}

/// Rounds to `decimals` places, half away from zero (四舍五入): the one rounding of the core —
/// scores, rates and amounts all round here.
pub fn round(value: Decimal, decimals: u32) -> Decimal {
    value.round_dp_with_strategy(decimals, RoundingStrategy::MidpointAwayFromZero)
}

/// Rounds to 2 decimals, the rounding of every figure on a form.
pub fn round2(value: Decimal) -> Decimal {
    round(value, 2)
}

impl PartialEq for Amount {
    fn eq(&self, other: &Amount) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for Amount {}

impl PartialOrd for Amount {
    fn partial_cmp(&self, other: &Amount) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Amount {
    fn cmp(&self, other: &Amount) -> Ordering {
        // Compare in the smaller unit's terms so no multiplication can overflow needlessly.
        match (self.in_yuan(), other.in_yuan()) {
            (Some(a), Some(b)) => a.cmp(&b),
            _ => {
                let b = other.to_unit(self.unit).map(|b| b.value);
                match b {
                    Some(b) => self.value.cmp(&b),
                    None => self.unit.in_yuan().cmp(&other.unit.in_yuan()),
                }
            }
        }
    }
}

/// Shows the amount with 2 decimals and its unit: `12.80万元`.
impl fmt::Display for Amount {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:.2}{}", round2(self.value), self.unit)
    }
}

impl FromStr for Amount {
    type Err = MoneyError;

    /// Parses with 万元 as the default unit, the unit of every performance form.
    fn from_str(s: &str) -> Result<Amount, MoneyError> {
        Amount::parse(s, Some(MoneyUnit::Wan))
    }
}

/// Serialized as text with its unit (`"9.40万元"`), keeping the written scale.
impl Serialize for Amount {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(&format_args!("{}{}", self.value, self.unit))
    }
}

/// Deserialized from text such as `"9.40"` (万元 by default), `"9,400元"` or `"1.5亿元"`,
/// or from a JSON integer in 万元. Fractional JSON numbers are refused: they would pass
/// through binary floating point.
impl<'de> Deserialize<'de> for Amount {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Amount, D::Error> {
        let text = crate::form::cell::text_or_integer(deserializer)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn wan(text: &str) -> Amount {
        Amount::parse(text, Some(MoneyUnit::Wan)).unwrap()
    }

    fn d(s: &str) -> Decimal {
        Decimal::from_str_exact(s).unwrap()
    }

    #[test]
    fn parses_the_cells_of_real_forms() {
        assert_eq!(wan("12.8"), Amount::new(d("12.8"), MoneyUnit::Wan));
        assert_eq!(wan("12.8万元").unit(), MoneyUnit::Wan);
        assert_eq!(wan("476.66万元").value(), d("476.66"));
        assert_eq!(wan("1.5亿元"), Amount::new(d("15000"), MoneyUnit::Wan));
        assert_eq!(wan("1.5亿元").unit(), MoneyUnit::Yi);
        assert_eq!(wan("9,400元"), Amount::new(d("0.94"), MoneyUnit::Wan));
        assert_eq!(wan("１２．８").value(), d("12.8"));
        assert_eq!(wan(" 292.83 万元 ").value(), d("292.83"));
        assert_eq!(wan("十二万元"), wan("12"), "十二万元 reads as 120000元");
        assert_eq!(wan("-3.5").value(), d("-3.5"));
        assert_eq!(wan("100万元整").value(), d("100"));
        assert_eq!(wan("9.40").value().scale(), 2, "the written scale is kept");
    }

    #[test]
    fn header_declares_the_default_unit() {
        assert_eq!(
            MoneyUnit::from_header("项目资金（万元）"),
            Some(MoneyUnit::Wan)
        );
        assert_eq!(
            MoneyUnit::from_header("年度资金总额 (万元)"),
            Some(MoneyUnit::Wan)
        );
        assert_eq!(
            MoneyUnit::from_header("  金额单位：万元"),
            Some(MoneyUnit::Wan)
        );
        assert_eq!(
            MoneyUnit::from_header("预算投资（元）"),
            Some(MoneyUnit::Yuan)
        );
        assert_eq!(MoneyUnit::from_header("批复规模（㎡）"), None);
        let unit = MoneyUnit::from_header("全年预算数（元）");
        assert_eq!(Amount::parse("9400", unit).unwrap(), wan("0.94"));
    }

    #[test]
    fn bad_cells_say_what_is_wrong() {
        assert_eq!(
            Amount::parse("", Some(MoneyUnit::Wan)),
            Err(MoneyError::Empty)
        );
        assert_eq!(
            Amount::parse("—", Some(MoneyUnit::Wan)),
            Err(MoneyError::Empty)
        );
        assert!(matches!(
            Amount::parse("12.8", None),
            Err(MoneyError::NoUnit { .. })
        ));
        assert!(matches!(
            Amount::parse("约12万元", Some(MoneyUnit::Wan)),
            Err(MoneyError::NoNumber { .. })
        ));
        let err = Amount::parse("12.8万元左右", Some(MoneyUnit::Wan)).unwrap_err();
        assert_eq!(
            err.to_string(),
            "“12.8万元左右”不是金额：数字后有无法识别的内容“左右”"
        );
    }

    #[test]
    fn converts_exactly_between_units() {
        let a = wan("476.66");
        assert_eq!(a.to_unit(MoneyUnit::Yuan).unwrap().value(), d("4766600"));
        assert_eq!(a.to_unit(MoneyUnit::Yi).unwrap().value(), d("0.047666"));
        let back = a
            .to_unit(MoneyUnit::Yi)
            .unwrap()
            .to_unit(MoneyUnit::Wan)
            .unwrap();
        assert_eq!(back.value(), d("476.66"));
    }

    #[test]
    fn shows_two_decimals_rounding_half_away_from_zero() {
        assert_eq!(wan("12.8").to_string(), "12.80万元");
        assert_eq!(wan("0.125").to_string(), "0.13万元");
        assert_eq!(
            wan("0.135").to_string(),
            "0.14万元",
            "not banker's rounding"
        );
        assert_eq!(wan("-0.125").to_string(), "-0.13万元");
        assert_eq!(round2(d("84.305")), d("84.31"));
    }

    #[test]
    fn sums_and_ratios_are_exact() {
        let sum = wan("292.83").checked_add(&wan("38.78")).unwrap();
        assert_eq!(sum, wan("331.61"));
        let total = wan("289.86").checked_add(&wan("186.8")).unwrap();
        assert_eq!(total, wan("476.66万元"));
        assert_eq!(
            wan("9.40").ratio_to(&wan("11.15")).map(round2),
            Some(d("0.84"))
        );
        assert_eq!(wan("1").ratio_to(&wan("0")), None);
    }

    #[test]
    fn serde_keeps_unit_and_scale() {
        let a: Amount = serde_json::from_str("\"9.40\"").unwrap();
        assert_eq!(serde_json::to_string(&a).unwrap(), "\"9.40万元\"");
        let b: Amount = serde_json::from_str("12").unwrap();
        assert_eq!(b, wan("12"));
        assert!(serde_json::from_str::<Amount>("9.4").is_err());
    }
}
