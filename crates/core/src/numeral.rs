//! Number syntax as written in Chinese forms.
//!
//! Owns the lexical side of numbers: Arabic digits (half- or full-width, thousands separators,
//! decimals) and Chinese numerals (一二三…十百千万亿, 两, 〇/零, the financial capitals 壹贰叁…,
//! and 点 for decimals). Units and operators are the business of [`crate::target_value`] and
//! [`crate::money`]; this module only turns characters into exact [`Decimal`]s.

use rust_decimal::Decimal;

/// The most significant digits a written number may have; rust_decimal holds 28.
const MAX_DIGITS: usize = 28;

/// Folds full-width ASCII forms (`０-９`, `．`, `％`, `＞`, `（` …) to ASCII, the ideographic space
/// to a space, and the compatibility comparison signs `≧`/`≦` to `≥`/`≤`.
pub fn fold_width(text: &str) -> String {
    text.chars().map(fold_char).collect()
}

/// One character of [`fold_width`].
pub fn fold_char(c: char) -> char {
    match c {
        '\u{3000}' | '\u{00A0}' => ' ',
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        '≧' => '≥',
        '≦' => '≤',
        '\u{2212}' => '-',
        _ => c,
    }
}

/// A number found in text: its exact value and the char positions it spans (`end` exclusive).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Numeral {
    /// The exact value.
    pub value: Decimal,
    /// Index of the first char.
    pub start: usize,
    /// Index one past the last char.
    pub end: usize,
    /// Whether the number was written in Chinese numerals (一千五百) rather than digits.
    pub chinese: bool,
}

/// Reads an Arabic number starting exactly at `chars[start]`: digits with optional `,`
/// thousands groups and an optional decimal part. A `.` not followed by a digit is left alone
/// (it is list numbering, as in `1.实行`). Returns `None` when there is no digit at `start` or
/// the number has more digits than an exact decimal can hold.
pub fn arabic_at(chars: &[char], start: usize) -> Option<Numeral> {
    let mut digits = String::new();
    let mut i = start;
    while i < chars.len() {
        let c = chars[i];
        if c.is_ascii_digit() {
            digits.push(c);
            i += 1;
        } else if c == ',' && !digits.is_empty() && is_thousands_group(chars, i + 1) {
            i += 1; // a thousands separator: skip it, the group's digits follow
        } else {
            break;
        }
    }
    if digits.is_empty() {
        return None;
    }
    if i + 1 < chars.len() && chars[i] == '.' && chars[i + 1].is_ascii_digit() {
        digits.push('.');
        i += 1;
        while i < chars.len() && chars[i].is_ascii_digit() {
            digits.push(chars[i]);
            i += 1;
        }
    }
    if digits.chars().filter(char::is_ascii_digit).count() > MAX_DIGITS {
        return None;
    }
    let value = Decimal::from_str_exact(&digits).ok()?;
    Some(Numeral {
        value,
        start,
        end: i,
        chinese: false,
    })
}

/// True when exactly three digits start at `at` and no fourth digit follows them.
fn is_thousands_group(chars: &[char], at: usize) -> bool {
    at + 3 <= chars.len()
        && chars[at..at + 3].iter().all(char::is_ascii_digit)
        && chars.get(at + 3).is_none_or(|c| !c.is_ascii_digit())
}

/// The value of a Chinese digit character, if it is one.
fn chinese_digit(c: char) -> Option<u32> {
    Some(match c {
        '零' | '〇' => 0,
        '一' | '壹' | '幺' => 1,
        '二' | '两' | '贰' => 2,
        '三' | '叁' => 3,
        '四' | '肆' => 4,
        '五' | '伍' => 5,
        '六' | '陆' => 6,
        '七' | '柒' => 7,
        '八' | '捌' => 8,
        '九' | '玖' => 9,
        _ => return None,
    })
}

/// The power of ten of a Chinese small-unit character (十百千).
fn chinese_small_unit(c: char) -> Option<u32> {
    Some(match c {
        '十' | '拾' => 1,
        '百' | '佰' => 2,
        '千' | '仟' => 3,
        _ => return None,
    })
}

/// True for every character that can be part of a Chinese numeral.
pub fn is_chinese_numeral_char(c: char) -> bool {
    chinese_digit(c).is_some() || chinese_small_unit(c).is_some() || matches!(c, '万' | '亿')
}

/// Reads a Chinese numeral starting exactly at `chars[start]` (`一千五百`, `十二`, `三万五千`,
/// `一亿五千万`, `三点五`). The caller decides whether a numeral standing alone is a number at
/// all (`一是`, `统一` are not); this function only reads.
pub fn chinese_at(chars: &[char], start: usize) -> Option<Numeral> {
    let mut total = Decimal::ZERO; // completed 亿/万 sections
    let mut section = Decimal::ZERO; // below 万
    let mut number: Option<Decimal> = None; // pending digit
    let mut i = start;
    let mut seen_any = false;
    while i < chars.len() {
        let c = chars[i];
        if let Some(d) = chinese_digit(c) {
            // Two digits in a row with no unit (一二) are not a numeral we understand.
            if number.is_some_and(|n| !n.is_zero()) {
                break;
            }
            number = Some(Decimal::from(d));
        } else if let Some(p) = chinese_small_unit(c) {
            let n = number.unwrap_or(Decimal::ONE);
            section += n * Decimal::from(10u32.pow(p));
            number = None;
        } else if c == '万' && seen_any {
            let n = number.take().unwrap_or(Decimal::ZERO);
            total += (section + n).checked_mul(Decimal::from(10_000))?;
            section = Decimal::ZERO;
        } else if c == '亿' && seen_any {
            let n = number.take().unwrap_or(Decimal::ZERO);
            total = (total + section + n).checked_mul(Decimal::from(100_000_000))?;
            section = Decimal::ZERO;
        } else {
            break;
        }
        seen_any = true;
        i += 1;
    }
    if !seen_any {
        return None;
    }
    let mut value = total + section + number.unwrap_or(Decimal::ZERO);
    // 三点五 = 3.5: digits after 点 are read one by one.
    if i + 1 < chars.len() && chars[i] == '点' && chinese_digit(chars[i + 1]).is_some() {
        let mut frac = String::from("0.");
        i += 1;
        while let Some(d) = chars.get(i).and_then(|&c| chinese_digit(c)) {
            frac.push(char::from_digit(d, 10).unwrap_or('0'));
            i += 1;
        }
        value += Decimal::from_str_exact(&frac).ok()?;
    }
    Some(Numeral {
        value,
        start,
        end: i,
        chinese: true,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chars(s: &str) -> Vec<char> {
        s.chars().collect()
    }

    fn arabic(s: &str) -> Option<String> {
        arabic_at(&chars(s), 0).map(|n| n.value.to_string())
    }

    fn chinese(s: &str) -> Option<String> {
        chinese_at(&chars(s), 0).map(|n| n.value.normalize().to_string())
    }

    #[test]
    fn arabic_numbers_keep_their_written_scale() {
        assert_eq!(arabic("9.40").as_deref(), Some("9.40"));
        assert_eq!(arabic("9,400元").as_deref(), Some("9400"));
        assert_eq!(arabic("1,234,567.5").as_deref(), Some("1234567.5"));
        assert_eq!(
            arabic("12,34").as_deref(),
            Some("12"),
            "not a thousands group"
        );
        assert_eq!(
            arabic("1.实行").as_deref(),
            Some("1"),
            "list numbering keeps its dot"
        );
        assert_eq!(arabic("元"), None);
        assert_eq!(
            arabic(&"9".repeat(40)),
            None,
            "too many digits is not a number"
        );
    }

    #[test]
    fn full_width_folds_to_ascii() {
        assert_eq!(fold_width("５５．５％"), "55.5%");
        assert_eq!(fold_width("≧10次　≦"), "≥10次 ≤");
        assert_eq!(fold_width("＞98%"), ">98%");
    }

    #[test]
    fn chinese_numerals() {
        assert_eq!(chinese("一").as_deref(), Some("1"));
        assert_eq!(chinese("十二").as_deref(), Some("12"));
        assert_eq!(chinese("二十").as_deref(), Some("20"));
        assert_eq!(chinese("两").as_deref(), Some("2"));
        assert_eq!(chinese("一百零五").as_deref(), Some("105"));
        assert_eq!(chinese("一千五百").as_deref(), Some("1500"));
        assert_eq!(chinese("三万五千").as_deref(), Some("35000"));
        assert_eq!(chinese("一亿五千万").as_deref(), Some("150000000"));
        assert_eq!(chinese("壹拾贰").as_deref(), Some("12"));
        assert_eq!(chinese("三点五").as_deref(), Some("3.5"));
        assert_eq!(chinese("〇").as_deref(), Some("0"));
        assert_eq!(chinese("万"), None, "a bare 万 is not a number");
    }
}
