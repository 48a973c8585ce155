//! How stated cells are written in a form's JSON: numbers as text (`"8.5"`, `"10分"`,
//! `"84.3%"`), blanks and dashes as absent.
//!
//! Fractional JSON numbers are refused, because they would pass through binary floating point;
//! integers are accepted as they are exact.

use rust_decimal::Decimal;
use serde::de::{self, Visitor};
use serde::{Deserializer, Serializer};

use crate::numeral::{arabic_at, fold_char};

/// Reads a JSON string, or an integer as its decimal text.
pub fn text_or_integer<'de, D: Deserializer<'de>>(deserializer: D) -> Result<String, D::Error> {
    struct TextVisitor;
    impl Visitor<'_> for TextVisitor {
        type Value = String;
        fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("文本（如 \"8.5\"）或整数")
        }
        fn visit_str<E: de::Error>(self, v: &str) -> Result<String, E> {
            Ok(v.to_string())
        }
        fn visit_i64<E: de::Error>(self, v: i64) -> Result<String, E> {
            Ok(v.to_string())
        }
        fn visit_u64<E: de::Error>(self, v: u64) -> Result<String, E> {
            Ok(v.to_string())
        }
        // Serde hands floats over as f64 already; refusing them is the point.
        #[allow(clippy::float_arithmetic)]
        fn visit_f64<E: de::Error>(self, v: f64) -> Result<String, E> {
            Err(E::custom(format!(
                "小数 {v} 请写成文本（如 \"{v}\"），以免经过二进制浮点数而失真"
            )))
        }
    }
    deserializer.deserialize_any(TextVisitor)
}

/// True for a cell that states nothing: blank, `—`, `-`, `/`.
pub fn is_blank(text: &str) -> bool {
    text.chars()
        .all(|c| c.is_whitespace() || matches!(c, '-' | '—' | '/' | '－' | '　'))
}

/// The largest magnitude a stated score, weight or rate may have. Forms work in points out
/// of 100 and rates in percent; anything beyond this is a typing error, and bounding it keeps
/// all scoring arithmetic far from overflow.
pub const MAX_STATED: i64 = 1_000_000;

/// Why a cell is not a stated number.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NumberError {
    /// No number at all.
    #[error("“{0}”不是数字")]
    NotANumber(String),
    /// A number followed by something that is not an allowed suffix.
    #[error("“{text}”不是数字：多出“{rest}”")]
    Trailing {
        /// The cell.
        text: String,
        /// What follows the number.
        rest: String,
    },
    /// Beyond [`MAX_STATED`].
    #[error("“{0}”超出合理范围（绝对值不超过{MAX_STATED}）")]
    OutOfRange(String),
}

/// Parses a stated number such as `8.5`, `10分`, `100`, optionally followed by `分` or `%`
/// (returned as written: `84.3%` → 84.3). `Ok(None)` for a blank cell.
pub fn parse_number(text: &str, suffixes: &[char]) -> Result<Option<Decimal>, NumberError> {
    if is_blank(text) {
        return Ok(None);
    }
    // Folded to half width, whitespace dropped, in one pass.
    let chars: Vec<char> = text
        .chars()
        .map(fold_char)
        .filter(|c| !c.is_whitespace())
        .collect();
    let negative = chars.first() == Some(&'-');
    let start = usize::from(negative);
    let n = arabic_at(&chars, start).ok_or_else(|| NumberError::NotANumber(text.to_string()))?;
    let rest = &chars[n.end..];
    if !(rest.is_empty() || rest.len() == 1 && suffixes.contains(&rest[0])) {
        return Err(NumberError::Trailing {
            text: text.to_string(),
            rest: rest.iter().collect(),
        });
    }
    if n.value > Decimal::from(MAX_STATED) {
        return Err(NumberError::OutOfRange(text.to_string()));
    }
    Ok(Some(if negative { -n.value } else { n.value }))
}

/// `Option<Decimal>` written as text (`"8.5"`, `"10分"`, `""` for none) or an integer.
pub mod opt_decimal {
    use super::*;

    /// Deserializes a stated score or weight.
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Decimal>, D::Error> {
        let text: Option<Text> = serde::Deserialize::deserialize(d)?;
        match text {
            None => Ok(None),
            Some(t) => parse_number(&t.0, &['分']).map_err(de::Error::custom),
        }
    }

    /// Serializes as text, keeping the written scale.
    pub fn serialize<S: Serializer>(v: &Option<Decimal>, s: S) -> Result<S::Ok, S::Error> {
        match v {
            Some(v) => s.collect_str(v),
            None => s.serialize_none(),
        }
    }
}

/// `Option<Decimal>` percent written as `"84.3%"` (the value is 84.3).
pub mod opt_percent {
    use super::*;

    /// Deserializes a stated rate.
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Decimal>, D::Error> {
        let text: Option<Text> = serde::Deserialize::deserialize(d)?;
        match text {
            None => Ok(None),
            Some(t) => parse_number(&t.0, &['%']).map_err(de::Error::custom),
        }
    }

    /// Serializes as `"84.3%"`.
    pub fn serialize<S: Serializer>(v: &Option<Decimal>, s: S) -> Result<S::Ok, S::Error> {
        match v {
            Some(v) => s.collect_str(&format_args!("{v}%")),
            None => s.serialize_none(),
        }
    }
}

/// A required `Decimal` written as text (`"0.5"`) or an integer; fractional numbers refused.
pub mod decimal {
    use super::*;

    /// Deserializes a decimal.
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Decimal, D::Error> {
        let text = text_or_integer(d)?;
        match parse_number(&text, &['分', '%']) {
            Ok(Some(v)) => Ok(v),
            Ok(None) => Err(de::Error::custom("数值为空")),
            Err(e) => Err(de::Error::custom(e)),
        }
    }

    /// Serializes as text.
    pub fn serialize<S: Serializer>(v: &Decimal, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(v)
    }
}

/// A cell's text, accepting integers too.
pub(crate) struct Text(pub String);

impl<'de> serde::Deserialize<'de> for Text {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Text, D::Error> {
        text_or_integer(d).map(Text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Decimal {
        Decimal::from_str_exact(s).unwrap()
    }

    #[test]
    fn stated_numbers() {
        assert_eq!(parse_number("8.5", &['分']), Ok(Some(d("8.5"))));
        assert_eq!(parse_number("10分", &['分']), Ok(Some(d("10"))));
        assert_eq!(parse_number(" — ", &['分']), Ok(None));
        assert_eq!(parse_number("84.3%", &['%']), Ok(Some(d("84.3"))));
        assert!(parse_number("十分", &['分']).is_err());
        assert!(parse_number("8.5分左右", &['分']).is_err());
        assert!(parse_number("10000000", &['分']).is_err());
    }
}
