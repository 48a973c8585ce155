//! Units of measure written after a number in 指标值: what they measure and how they scale.
//!
//! `55.5万人` and `555000人` measure the same dimension (people) at different scales and
//! compare; `人` and `人次` (person-visits) do not. A magnitude word alone (`12万`) is a
//! dimensionless number that takes the other side's unit when compared, with a flag.

use std::fmt;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// What a unit measures. Two quantities compare only within one dimension.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Dimension {
    /// A bare number, possibly with a magnitude (`12万`): compatible with anything, flagged.
    Number,
    /// Percent and per mille.
    Ratio,
    /// Money (元, 万元, 亿元).
    Money,
    /// People (人, 万人).
    Person,
    /// Person-visits (人次): not convertible to people.
    PersonTime,
    /// Times / occurrences (次).
    Times,
    /// Organisations (家, 户, 所).
    Organization,
    /// Calendar days (天, 日).
    Day,
    /// Working days (个工作日, 工作日).
    WorkingDay,
    /// Hours.
    Hour,
    /// Minutes.
    Minute,
    /// Weeks.
    Week,
    /// Months.
    Month,
    /// Years.
    Year,
    /// Area in square metres.
    Area,
    /// Length in metres.
    Length,
    /// Mass in kilograms.
    Mass,
    /// A counter word (场, 份, 个, 件 …): compatible only with the same counter.
    Counter(String),
}

impl Dimension {
    /// Chinese name of the dimension, for messages.
    pub fn name(&self) -> String {
        match self {
            Dimension::Number => "无单位数值".into(),
            Dimension::Ratio => "比率".into(),
            Dimension::Money => "金额".into(),
            Dimension::Person => "人数".into(),
            Dimension::PersonTime => "人次".into(),
            Dimension::Times => "次数".into(),
            Dimension::Organization => "单位数".into(),
            Dimension::Day => "天数".into(),
            Dimension::WorkingDay => "工作日".into(),
            Dimension::Hour => "小时".into(),
            Dimension::Minute => "分钟".into(),
            Dimension::Week => "周数".into(),
            Dimension::Month => "月数".into(),
            Dimension::Year => "年数".into(),
            Dimension::Area => "面积".into(),
            Dimension::Length => "长度".into(),
            Dimension::Mass => "重量".into(),
            Dimension::Counter(c) => format!("数量（{c}）"),
        }
    }
}

/// A unit as written (`万人`, `%`, `个工作日`) with its dimension and scale to the base unit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Unit {
    symbol: String,
    dimension: Dimension,
    scale: Decimal,
}

/// Base units: symbol as written, dimension, scale (as a decimal string).
/// Longer symbols come first so that `个工作日` wins over `个` and `人次` over `人`.
/// A base unit: symbol, dimension, scale.
type BaseUnit = (&'static str, fn() -> Dimension, &'static str);

const BASE_UNITS: &[BaseUnit] = &[
    ("个工作日", || Dimension::WorkingDay, "1"),
    ("平方公里", || Dimension::Area, "1000000"),
    ("平方米", || Dimension::Area, "1"),
    ("工作日", || Dimension::WorkingDay, "1"),
    ("个月", || Dimension::Month, "1"),
    ("人次", || Dimension::PersonTime, "1"),
    ("户次", || Dimension::Times, "1"),
    ("公里", || Dimension::Length, "1000"),
    ("千米", || Dimension::Length, "1000"),
    ("公斤", || Dimension::Mass, "1"),
    ("千克", || Dimension::Mass, "1"),
    ("小时", || Dimension::Hour, "1"),
    ("分钟", || Dimension::Minute, "1"),
    ("平米", || Dimension::Area, "1"),
    ("m²", || Dimension::Area, "1"),
    ("m2", || Dimension::Area, "1"),
    ("km", || Dimension::Length, "1000"),
    ("%", || Dimension::Ratio, "0.01"),
    ("‰", || Dimension::Ratio, "0.001"),
    ("㎡", || Dimension::Area, "1"),
    ("元", || Dimension::Money, "1"),
    ("人", || Dimension::Person, "1"),
    ("名", || Dimension::Person, "1"),
    ("次", || Dimension::Times, "1"),
    ("家", || Dimension::Organization, "1"),
    ("户", || Dimension::Organization, "1"),
    ("所", || Dimension::Organization, "1"),
    ("天", || Dimension::Day, "1"),
    ("日", || Dimension::Day, "1"),
    ("周", || Dimension::Week, "1"),
    ("月", || Dimension::Month, "1"),
    ("年", || Dimension::Year, "1"),
    ("米", || Dimension::Length, "1"),
    ("吨", || Dimension::Mass, "1000"),
];

/// Counter words: each is its own dimension.
const COUNTERS: &[&str] = &[
    "场", "期", "批", "届", "份", "册", "本", "篇", "套", "部", "个", "件", "项", "条", "台", "辆",
    "张", "块", "座", "处", "宗", "笔", "例", "起", "幅", "枚", "亩", "床", "课时", "课", "班",
    "分",
];

/// Magnitude words that may stand between a number and its unit (`55.5万人`, `1.5亿元`).
const MAGNITUDES: &[(&str, &str)] = &[
    ("百万", "1000000"),
    ("千万", "10000000"),
    ("十万", "100000"),
    ("万", "10000"),
    ("亿", "100000000"),
    ("千", "1000"),
];

fn starts_with(chars: &[char], symbol: &str) -> bool {
    let mut n = 0;
    for (i, s) in symbol.chars().enumerate() {
        if chars.get(i) != Some(&s) {
            return false;
        }
        n += 1;
    }
    n > 0
}

fn dec(s: &str) -> Decimal {
    // The tables above hold valid literals; a failure here is a programming error caught by tests.
    Decimal::from_str_exact(s).unwrap_or(Decimal::ONE)
}

impl Unit {
    /// The dimensionless unit (a bare number).
    pub fn none() -> Unit {
        Unit {
            symbol: String::new(),
            dimension: Dimension::Number,
            scale: Decimal::ONE,
        }
    }

    /// Percent.
    pub fn percent() -> Unit {
        Unit {
            symbol: "%".into(),
            dimension: Dimension::Ratio,
            scale: dec("0.01"),
        }
    }

    /// Reads a unit at the start of `chars` (an optional magnitude, then a base unit or counter).
    /// Returns the unit and the chars it took; a bare number yields [`Unit::none`] and 0.
    pub fn read(chars: &[char]) -> (Unit, usize) {
        if let Some((unit, len)) = Self::base(chars) {
            return (unit, len);
        }
        for (word, factor) in MAGNITUDES {
            if starts_with(chars, word) {
                let len = word.chars().count();
                let (base, base_len) =
                    Self::base(&chars[len..]).unwrap_or_else(|| (Unit::none(), 0));
                let scale = base.scale.checked_mul(dec(factor)).unwrap_or(base.scale);
                return (
                    Unit {
                        symbol: format!("{word}{}", base.symbol),
                        dimension: base.dimension,
                        scale,
                    },
                    len + base_len,
                );
            }
        }
        (Unit::none(), 0)
    }

    fn base(chars: &[char]) -> Option<(Unit, usize)> {
        for (symbol, dimension, scale) in BASE_UNITS {
            if starts_with(chars, symbol) {
                let unit = Unit {
                    symbol: (*symbol).into(),
                    dimension: dimension(),
                    scale: dec(scale),
                };
                return Some((unit, symbol.chars().count()));
            }
        }
        for counter in COUNTERS {
            if starts_with(chars, counter) {
                let unit = Unit {
                    symbol: (*counter).into(),
                    dimension: Dimension::Counter((*counter).into()),
                    scale: Decimal::ONE,
                };
                return Some((unit, counter.chars().count()));
            }
        }
        None
    }

    /// The unit as written (`万人`); empty for a bare number.
    pub fn symbol(&self) -> &str {
        &self.symbol
    }

    /// What the unit measures.
    pub fn dimension(&self) -> &Dimension {
        &self.dimension
    }

    /// The factor to the dimension's base unit (`万人` → 10000, `%` → 0.01).
    pub fn scale(&self) -> Decimal {
        self.scale
    }

    /// True for a bare number, possibly with a magnitude (`12万`).
    pub fn is_dimensionless(&self) -> bool {
        self.dimension == Dimension::Number
    }

    /// How two units relate when their quantities are compared.
    pub fn compatibility(&self, other: &Unit) -> Compatibility {
        if self.dimension == other.dimension {
            Compatibility::Same
        } else if self.is_dimensionless() || other.is_dimensionless() {
            Compatibility::Assumed
        } else {
            Compatibility::Incompatible
        }
    }
}

impl fmt::Display for Unit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.symbol)
    }
}

/// Whether two quantities can be compared.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Compatibility {
    /// Same dimension (possibly different scales: `万人` and `人`).
    Same,
    /// One side has no unit and is taken to be in the other's.
    Assumed,
    /// Different dimensions (`人` and `人次`): not comparable.
    Incompatible,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(s: &str) -> (Unit, usize) {
        Unit::read(&s.chars().collect::<Vec<_>>())
    }

    #[test]
    fn every_table_scale_is_a_valid_decimal() {
        for (_, _, scale) in BASE_UNITS {
            assert!(Decimal::from_str_exact(scale).is_ok(), "{scale}");
        }
        for (_, factor) in MAGNITUDES {
            assert!(Decimal::from_str_exact(factor).is_ok(), "{factor}");
        }
    }

    #[test]
    fn reads_units_longest_first() {
        assert_eq!(read("个工作日内").0.dimension(), &Dimension::WorkingDay);
        assert_eq!(read("个工作日内").1, 4);
        assert_eq!(read("人次").0.dimension(), &Dimension::PersonTime);
        assert_eq!(read("人").0.dimension(), &Dimension::Person);
        assert_eq!(read("万人").0.scale(), Decimal::from(10_000));
        assert_eq!(read("万人").0.symbol(), "万人");
        assert_eq!(read("亿元").0.dimension(), &Dimension::Money);
        assert_eq!(
            read("千米").0.dimension(),
            &Dimension::Length,
            "千米 is km, not 千 + 米"
        );
        assert_eq!(read("万").0.dimension(), &Dimension::Number);
        assert_eq!(read("万").0.scale(), Decimal::from(10_000));
        assert_eq!(read("场").0.dimension(), &Dimension::Counter("场".into()));
        assert_eq!(read("的").1, 0);
    }

    #[test]
    fn people_and_person_visits_do_not_compare() {
        let person = read("人").0;
        let wan_person = read("万人").0;
        let visits = read("人次").0;
        assert_eq!(person.compatibility(&wan_person), Compatibility::Same);
        assert_eq!(person.compatibility(&visits), Compatibility::Incompatible);
        assert_eq!(person.compatibility(&Unit::none()), Compatibility::Assumed);
        assert_eq!(
            read("场").0.compatibility(&read("份").0),
            Compatibility::Incompatible
        );
    }
}
