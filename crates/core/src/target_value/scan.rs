//! The lexer of 指标值: finds the measurable terms in a (width-folded, space-free) text.
//!
//! A term is a number (Arabic or Chinese), an optional range end, a unit, and the operator
//! words around it (`不超过…`, `…以上`). Numbers that are not quantities are skipped: dates
//! (`2021年1月1日`), list numbering (`1、`, `1.`), labels (`指标1`), document numbers
//! (`〔2020〕55号`), and Chinese numerals with no unit (`一是`, `统一`).

use rust_decimal::Decimal;

use super::unit::Unit;
use super::{Bound, Operator, Quantity, Term, WrittenOperator};
use crate::numeral::{Numeral, arabic_at, chinese_at, is_chinese_numeral_char};

/// Operator words written before a number, longest first within each operator's neighbours
/// so that `不超过` wins over `超过`.
const PREFIXES: &[(&str, Operator)] = &[
    ("大于或等于", Operator::Ge),
    ("小于或等于", Operator::Le),
    ("大于等于", Operator::Ge),
    ("小于等于", Operator::Le),
    ("不低于", Operator::Ge),
    ("不少于", Operator::Ge),
    ("不小于", Operator::Ge),
    ("不超过", Operator::Le),
    ("不超出", Operator::Le),
    ("不高于", Operator::Le),
    ("不多于", Operator::Le),
    ("不大于", Operator::Le),
    ("控制在", Operator::Le),
    ("至少", Operator::Ge),
    ("最少", Operator::Ge),
    ("达到", Operator::Ge),
    ("至多", Operator::Le),
    ("最多", Operator::Le),
    ("超过", Operator::Gt),
    ("大于", Operator::Gt),
    ("多于", Operator::Gt),
    ("高于", Operator::Gt),
    ("低于", Operator::Lt),
    ("少于", Operator::Lt),
    ("小于", Operator::Lt),
    ("等于", Operator::Eq),
    (">=", Operator::Ge),
    ("<=", Operator::Le),
    ("≥", Operator::Ge),
    ("≤", Operator::Le),
    (">", Operator::Gt),
    ("<", Operator::Lt),
    ("=", Operator::Eq),
    ("达", Operator::Ge),
    ("为", Operator::Eq),
];

/// Operator words written after a quantity.
const SUFFIXES: &[(&str, Operator)] = &[
    ("及以上", Operator::Ge),
    ("或以上", Operator::Ge),
    ("以上", Operator::Ge),
    ("及以下", Operator::Le),
    ("或以下", Operator::Le),
    ("以下", Operator::Le),
    ("以内", Operator::Le),
    ("之内", Operator::Le),
    ("内", Operator::Le),
];

/// Characters that join the two ends of a range.
const RANGE_SEPARATORS: &[char] = &['-', '~', '—', '至', '到'];

/// The most terms read from one value; the rest of a huge text is ignored.
const MAX_TERMS: usize = 64;

fn ends_with_at(chars: &[char], end: usize, word: &str) -> bool {
    let len = word.chars().count();
    end >= len && chars[end - len..end].iter().copied().eq(word.chars())
}

fn starts_with_at(chars: &[char], start: usize, word: &str) -> bool {
    let len = word.chars().count();
    start + len <= chars.len() && chars[start..start + len].iter().copied().eq(word.chars())
}

/// Reads the number at `i`, Arabic or (when `chinese` is allowed) Chinese.
fn number_at(chars: &[char], i: usize, chinese: bool) -> Option<Numeral> {
    let c = *chars.get(i)?;
    if c.is_ascii_digit() {
        arabic_at(chars, i)
    } else if chinese && is_chinese_numeral_char(c) {
        chinese_at(chars, i)
    } else {
        None
    }
}

/// Finds every measurable term in `chars`.
pub(super) fn terms(chars: &[char]) -> Vec<Term> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() && out.len() < MAX_TERMS {
        match term_at(chars, i) {
            Some((term, end)) => {
                out.extend(term);
                i = end.max(i + 1);
            }
            None => i += 1,
        }
    }
    out
}

/// Reads a term whose number starts at `i`; returns it (or `None` for a number that is not a
/// quantity, such as a date) and the index after it. `None` overall: no number starts at `i`.
fn term_at(chars: &[char], i: usize) -> Option<(Option<Term>, usize)> {
    // 百分之九十 = 90%.
    if starts_with_at(chars, i, "百分之") {
        let n = number_at(chars, i + 3, true)?;
        let quantity = Quantity {
            value: n.value,
            unit: Unit::percent(),
        };
        let (operator, end) = operators(chars, i, n.end);
        return Some((
            Some(Term {
                operator,
                bound: Bound::Single(quantity),
            }),
            end,
        ));
    }
    let c = chars[i];
    let chinese = !c.is_ascii_digit();
    if chinese && (!is_chinese_numeral_char(c) || i > 0 && is_chinese_numeral_char(chars[i - 1])) {
        return None;
    }
    if !chinese && i > 0 && (chars[i - 1].is_ascii_digit() || chars[i - 1] == '.') {
        return None;
    }
    let n = number_at(chars, i, true)?;
    let (unit, unit_len) = Unit::read(&chars[n.end..]);
    let mut end = skip_inclusive(chars, n.end + unit_len);
    if chinese && (unit_len == 0 || unit.is_dimensionless()) {
        return None; // 一是, 统一, 三公: a Chinese numeral counts only with a real unit
    }
    if is_not_a_quantity(chars, &n, &unit, end) {
        return Some((None, end));
    }
    let negative =
        i > 0 && chars[i - 1] == '-' && (i == 1 || "≤≥<>=(:：为是约".contains(chars[i - 2]));
    let value = if negative { -n.value } else { n.value };
    let mut bound = Bound::Single(Quantity { value, unit });

    // A range: 80%-90%, 80-90%, 3至5个工作日.
    if let Some(&sep) = chars.get(end)
        && RANGE_SEPARATORS.contains(&sep)
        && let Some(high) = chars
            .get(end + 1)
            .and_then(|_| number_at(chars, end + 1, sep != '-'))
    {
        let (high_unit, high_len) = Unit::read(&chars[high.end..]);
        let Bound::Single(low) = &bound else {
            unreachable!("bound is single here")
        };
        let low_unit = if low.unit.is_dimensionless() {
            high_unit.clone()
        } else {
            low.unit.clone()
        };
        let high_unit = if high_len == 0 {
            low_unit.clone()
        } else {
            high_unit
        };
        let month_period = low_unit.symbol() == "月"
            && [low.value, high.value]
                .iter()
                .all(|v| v.is_integer() && *v >= Decimal::ONE && *v <= Decimal::from(12));
        if month_period {
            return Some((None, high.end + high_len)); // 1-6月 is a period, not a quantity
        }
        if low_unit.compatibility(&high_unit) != super::Compatibility::Incompatible
            && high.value >= low.value
        {
            bound = Bound::Range {
                low: Quantity {
                    value: low.value,
                    unit: low_unit,
                },
                high: Quantity {
                    value: high.value,
                    unit: high_unit,
                },
            };
            end = skip_inclusive(chars, high.end + high_len);
        }
    }
    let start = if negative { i - 1 } else { i };
    let (operator, end) = operators(chars, start, end);
    Some((Some(Term { operator, bound }), end))
}

/// Skips an inclusive mark `(含)` written after a bound (`90%（含）以上`).
fn skip_inclusive(chars: &[char], end: usize) -> usize {
    if starts_with_at(chars, end, "(含)") {
        end + 3
    } else {
        end
    }
}

/// Dates, list numbers, labels and document numbers are numbers but not quantities.
fn is_not_a_quantity(chars: &[char], n: &Numeral, unit: &Unit, end: usize) -> bool {
    let before = n.start.checked_sub(1).map(|j| chars[j]);
    let after = chars.get(n.end).copied();
    let symbol = unit.symbol();
    // 2021年, 2021.02.22, 〔2020〕
    let year_like = n.value.is_integer()
        && n.value >= Decimal::from(1900)
        && n.value <= Decimal::from(2100)
        && !n.chinese;
    if year_like && (symbol == "年" || matches!(after, Some('.' | '-' | '〕' | ']' | ')'))) {
        return true;
    }
    // 1月1日, 12月底: a month followed by a day or by 底/初/份, a day after a month.
    if symbol == "月"
        && chars
            .get(end)
            .is_some_and(|c| c.is_ascii_digit() || "底初份末中".contains(*c))
    {
        return true;
    }
    if symbol == "日" && before.is_some_and(|c| c == '月') {
        return true;
    }
    if symbol == "月" && before.is_some_and(|c| c == '年') {
        return true;
    }
    // 1、 1. (list numbering), (1) （一）
    if unit.symbol().is_empty()
        && matches!(after, Some('、' | '.' | ')' | '）' | '．'))
        && before.is_none_or(|c| !c.is_ascii_digit())
    {
        return true;
    }
    // 指标1, 任务2, 目标3, 第3, 附件1, 〔2020〕55号
    for label in ["指标", "任务", "目标", "第", "附件", "附"] {
        if ends_with_at(chars, n.start, label) {
            return true;
        }
    }
    if after == Some('号') || before == Some('〔') {
        return true;
    }
    false
}

/// Finds the operator words before `start` and after `end`; returns the operator and the
/// index after any suffix.
fn operators(chars: &[char], start: usize, end: usize) -> (Option<WrittenOperator>, usize) {
    for (word, op) in SUFFIXES {
        if starts_with_at(chars, end, word) {
            // 以内/内 after a date-like context (交齐后50个工作日内) is ≤; after 以上 the
            // prefix (达到) must agree, which it always does in practice.
            return (
                Some(WrittenOperator {
                    operator: *op,
                    word: (*word).into(),
                }),
                end + word.chars().count(),
            );
        }
    }
    for (word, op) in PREFIXES {
        if ends_with_at(chars, start, word) {
            return (
                Some(WrittenOperator {
                    operator: *op,
                    word: (*word).into(),
                }),
                end,
            );
        }
    }
    (None, end)
}
