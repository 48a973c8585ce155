//! Arithmetic in prose: a report's paragraphs and a form's free-text cells (年度总体目标,
//! 实际完成情况, 偏差原因, 存在问题), read as sentences.
//!
//! The figure checks of [`super::report`] (其中 sums, balances, percentages) run on every
//! piece of prose; this module adds what prose states without a table:
//!
//! - **parallel parts** (R01): `省级下拨40万元；市级下拨20万元；全年应执行70万元` — two or
//!   more amounts in a row whose labels end alike (`…下拨`), next to an amount whose label
//!   names a total (合计, 共计, 总计, 应执行, 总额 …): the total must equal their sum, with
//!   元, 万元 and 亿元 converted exactly before comparing;
//! - **grades** (R05): `得分91.8分，评价等级为优秀` — the grade the sentence states against
//!   the grade bands of the scoring policy (优 90, 良 80, 中 60 by default);
//! - **products** (R06): `200万元×30%=60万元` — the base times the percentage against the
//!   stated result, in the result's unit;
//! - **impossible compound units** (Q06): `5000元亩`, `3万元吨` — an amount of money glued to
//!   a unit of measure, where `元/亩` was meant.

use rust_decimal::Decimal;

use super::catalog::{Q06, R01, R05, R06};
use super::forms::parts_agree;
use super::precision::agrees;
use super::report::{At, Placed, money, named};
use super::{Finding, Input};
use crate::form::Form;
use crate::grade::{Grade, GradeBands};
use crate::money::{Amount, MoneyUnit};
use crate::numeral::{arabic_at, fold_width};

/// One piece of prose: a report's paragraph or a form's text cell, with its field path (for
/// the cell a finding sits on) and the (section, paragraph) its figures are placed by.
#[derive(Debug, Clone)]
pub(super) struct Prose<'a> {
    /// The field path (`overall_target.actual`, `sections[2].paragraphs[0]`).
    pub(super) path: String,
    /// A report's section; for a form, the cell's number.
    pub(super) section: usize,
    /// The paragraph in the section; 0 for a form's cell.
    pub(super) paragraph: usize,
    /// The text.
    pub(super) text: &'a str,
}

/// The free-text cells of a form, each with its field path; blank cells are left out. A
/// report's paragraphs are [`super::report::prose`].
pub(super) fn cells(form: &Form) -> Vec<Prose<'_>> {
    let mut out: Vec<Prose<'_>> = Vec::new();
    let mut push = |path: String, text| push_cell(&mut out, path, text);
    match form {
        Form::ProjectSelfEvaluation(f) | Form::DepartmentSelfEvaluation(f) => {
            push("overall_target.expected".into(), &f.overall_target.expected);
            push("overall_target.actual".into(), &f.overall_target.actual);
            for (k, row) in f.indicators.iter().enumerate() {
                if let Some(r) = &row.deviation_reason {
                    push(format!("indicators[{k}].deviation_reason"), r);
                }
            }
        }
        Form::TransferPayment(f) => {
            push("overall_target.expected".into(), &f.overall_target.expected);
            push("overall_target.actual".into(), &f.overall_target.actual);
        }
        Form::Monitoring(f) => {
            push("overall_target.target".into(), &f.overall_target.target);
            push("overall_target.progress".into(), &f.overall_target.progress);
            if let Some(p) = &f.problems {
                push("problems".into(), p);
            }
            for (k, row) in f.indicators.iter().enumerate() {
                if let Some(r) = &row.deviation_reason {
                    push(format!("indicators[{k}].deviation_reason"), r);
                }
            }
        }
        Form::ProjectTarget(f) => push("annual_target".into(), &f.annual_target),
        Form::DepartmentTarget(f) => push("annual_target".into(), &f.annual_target),
        // An assessment's reasoning is the assessor's, checked by its own rules (X05).
        Form::ProjectList(_)
        | Form::EvaluationTable(_)
        | Form::BaseData(_)
        | Form::Report(_)
        | Form::ExAnteAssessment(_) => {}
    }
    out
}

/// Adds a text cell to `out` unless it holds no figure (every prose check reads numbers: a
/// cell without a digit has nothing to check); each cell is a section of its own.
fn push_cell<'a>(out: &mut Vec<Prose<'a>>, path: String, text: &'a str) {
    if has_digit(text) {
        let section = out.len();
        out.push(Prose {
            path,
            section,
            paragraph: 0,
            text,
        });
    }
}

/// True when `text` holds a digit (ASCII or full-width).
fn has_digit(text: &str) -> bool {
    text.chars()
        .any(|c| c.is_ascii_digit() || ('０'..='９').contains(&c))
}

/// The indicator value cells of a form (指标值 and 实际完成值), for the unit check only: they
/// hold one value each, not sentences.
fn value_cells<'a>(form: &'a Form) -> Vec<(String, &'a str)> {
    let mut out = Vec::new();
    // Only cells with a figure: the path is written for those alone.
    let mut push = |k: usize, field: &str, text: &'a str| {
        if text.chars().any(|c| c.is_ascii_digit()) {
            out.push((format!("indicators[{k}].{field}"), text));
        }
    };
    match form {
        Form::ProjectSelfEvaluation(f) | Form::DepartmentSelfEvaluation(f) => {
            for (k, row) in f.indicators.iter().enumerate() {
                push(k, "target", &row.target);
                push(k, "actual", &row.actual);
            }
        }
        Form::ProjectTarget(f) => {
            for (k, row) in f.indicators.iter().enumerate() {
                push(k, "target", &row.target);
            }
        }
        Form::DepartmentTarget(f) => {
            for (k, row) in f.indicators.iter().enumerate() {
                push(k, "target", &row.target);
            }
        }
        _ => {}
    }
    out
}

/// The checks on the text itself (grades, products, compound units) over every piece of
/// prose, and the unit check over the form's value cells.
pub(super) fn check(
    input: &Input<'_>,
    prose: &[Prose<'_>],
    bands: &GradeBands,
    out: &mut Vec<Finding>,
) {
    for unit in prose {
        // Nothing to read in a paragraph without a digit.
        if !has_digit(unit.text) {
            continue;
        }
        let text = fold_width(unit.text);
        // Each check looks for its words first (a substring search), the character walk only
        // where they are.
        let (grade, product, money) = (
            text.contains("得分"),
            text.contains(['×', '*', 'x', 'X', '✕']) || text.contains("乘以"),
            text.contains('元'),
        );
        if !(grade || product || money) {
            continue;
        }
        let chars: Vec<char> = text.chars().collect();
        if grade {
            grades(input, &unit.path, &chars, bands, out);
        }
        if product {
            products(input, &unit.path, &chars, out);
        }
        if money {
            compound_units(input, &unit.path, &chars, out);
        }
    }
    for (path, text) in value_cells(input.form) {
        let text = fold_width(text);
        if text.contains('元') {
            let chars: Vec<char> = text.chars().collect();
            compound_units(input, &path, &chars, out);
        }
    }
}

/// Words that make an amount the total of the parts beside it.
const TOTAL_WORDS: &[&str] = &[
    "合计",
    "共计",
    "总计",
    "总额",
    "应执行",
    "累计",
    "总共",
    "总投资",
    "共下达",
    "共拨付",
];

/// True when two labels name parallel parts: they end alike (at least two characters) and
/// differ before that (`省级下拨`, `市级下拨`).
fn parallel(a: &str, b: &str) -> bool {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    let common = a
        .iter()
        .rev()
        .zip(b.iter().rev())
        .take_while(|(x, y)| x == y)
        .count();
    common >= 2 && common < a.len() && common < b.len() && a.len() <= 12 && b.len() <= 12
}

/// R01 without 其中: a run of at least two amounts with parallel labels, in one paragraph or
/// cell, next to (just before or just after) an amount whose label names a total. Runs
/// that a 其中 opens are [`super::report`]'s.
pub(super) fn parallel_parts(
    input: &Input<'_>,
    all: &[Placed],
    at: &At<'_>,
    out: &mut Vec<Finding>,
) {
    let amounts: Vec<&Placed> = all.iter().filter(|p| money(&p.figure).is_some()).collect();
    // 合计 and 共计 open the clause rather than the label (`合计1.5亿元`).
    let is_total = |p: &Placed| {
        TOTAL_WORDS
            .iter()
            .any(|w| p.figure.label.contains(w) || p.figure.clause.starts_with(w))
    };
    let same_unit = |a: &Placed, b: &Placed| (a.section, a.paragraph) == (b.section, b.paragraph);
    let mut k = 0;
    while k < amounts.len() {
        // The longest run of parallel labels from k.
        let mut end = k + 1;
        while end < amounts.len()
            && same_unit(amounts[k], amounts[end])
            && !is_total(amounts[end])
            && parallel(&amounts[end - 1].figure.label, &amounts[end].figure.label)
        {
            end += 1;
        }
        if end - k < 2 || is_total(amounts[k]) {
            k += 1;
            continue;
        }
        let run = &amounts[k..end];
        let of_which = run.iter().any(|p| p.figure.clause.contains("其中"));
        let after = amounts
            .get(end)
            .copied()
            .filter(|t| same_unit(t, amounts[k]) && is_total(t));
        let before = k
            .checked_sub(1)
            .map(|b| amounts[b])
            .filter(|t| same_unit(t, amounts[k]) && is_total(t));
        if let Some(total) = after.or(before)
            && !of_which
            && let Some(stated) = money(&total.figure)
        {
            let parts: Vec<Amount> = run.iter().filter_map(|p| money(&p.figure)).collect();
            if let Some((sum, false)) = parts_agree(stated, &parts, true) {
                // The sum as exact as its parts, without the zeros a conversion leaves.
                let sum = Amount::new(sum.value().normalize(), sum.unit());
                let terms: Vec<String> = run
                    .iter()
                    .map(|p| {
                        let a = money(&p.figure).map(|a| a.as_written()).unwrap_or_default();
                        format!("{}{a}", named(&p.figure))
                    })
                    .collect();
                out.push(
                    Finding::new(
                        &R01,
                        input,
                        at(total),
                        format!(
                            "“{}”{}，而{}合计为{sum}",
                            named(&total.figure),
                            stated.as_written(),
                            run.iter()
                                .map(|p| format!("“{}”", named(&p.figure)))
                                .collect::<Vec<_>>()
                                .join("与")
                        ),
                    )
                    .values(Some(stated.as_written()), Some(sum.as_written()))
                    .evidence(format!(
                        "{} = {sum}（元、万元、亿元已换算为{}）",
                        terms.join(" + "),
                        stated.unit()
                    )),
                );
            }
        }
        k = end;
    }
}

/// A number written at `i` (`91.8`), with where it ends.
fn number_at(chars: &[char], i: usize) -> Option<(Decimal, usize)> {
    if !chars.get(i)?.is_ascii_digit()
        || (i > 0 && (chars[i - 1].is_ascii_digit() || chars[i - 1] == '.'))
    {
        return None;
    }
    arabic_at(chars, i).map(|n| (n.value, n.end))
}

/// True when `word` is written at `i`.
fn word_at(chars: &[char], i: usize, word: &str) -> bool {
    (i..)
        .zip(word.chars())
        .all(|(k, c)| chars.get(k) == Some(&c))
}

/// Skips spaces and the little words between a name and its value (为, 是, ：).
fn skip_joiners(chars: &[char], mut i: usize) -> usize {
    while chars
        .get(i)
        .is_some_and(|c| matches!(c, ' ' | '为' | '是' | ':' | '：' | '达' | '了'))
    {
        i += 1;
    }
    i
}

/// The grade words a sentence may state, longest first, with the grade each names.
const GRADE_WORDS: &[(&str, Grade)] = &[
    ("优秀", Grade::Excellent),
    ("良好", Grade::Good),
    ("中等", Grade::Fair),
    ("较差", Grade::Poor),
    ("优", Grade::Excellent),
    ("良", Grade::Good),
    ("中", Grade::Fair),
    ("差", Grade::Poor),
];

/// R05: `得分X分，评级为Y` (also 评价等级为, 等级：, 评定为) against the grade bands. A band
/// (`得分60分以下为差`) is not a statement; a score above 100 is on another scale and is
/// left alone.
fn grades(
    input: &Input<'_>,
    path: &str,
    chars: &[char],
    bands: &GradeBands,
    out: &mut Vec<Finding>,
) {
    let mut i = 0;
    while i + 2 < chars.len() {
        if !word_at(chars, i, "得分") {
            i += 1;
            continue;
        }
        let start = skip_joiners(chars, i + 2);
        let Some((score, end)) = number_at(chars, start) else {
            i += 2;
            continue;
        };
        i = end;
        if chars.get(end) != Some(&'分') {
            continue;
        }
        let rest: String = chars[end + 1..chars.len().min(end + 6)].iter().collect();
        if [
            "以上",
            "以下",
            "及以上",
            "(含)",
            "（含）",
            "-",
            "—",
            "至",
            "~",
            "到",
            "为优",
            "为良",
            "为中",
            "为差",
        ]
        .iter()
        .any(|w| rest.starts_with(w))
            || score > Decimal::ONE_HUNDRED
        {
            continue;
        }
        // The grade in the same sentence, within a few words.
        let mut j = end + 1;
        let limit = chars.len().min(end + 24);
        let mut stated = None;
        while j < limit && !matches!(chars[j], '。' | ';' | '；' | '\n') {
            if word_at(chars, j, "得分") {
                break;
            }
            let key = ["评价等级", "评定等级", "等级", "评级", "评定", "评为"]
                .iter()
                .find(|w| word_at(chars, j, w));
            if let Some(key) = key {
                let mut g = skip_joiners(chars, j + key.chars().count());
                for w in ["评定为", "确定为", "定为", "评为"] {
                    if word_at(chars, g, w) {
                        g = skip_joiners(chars, g + w.chars().count());
                    }
                }
                stated = GRADE_WORDS
                    .iter()
                    .find(|(w, _)| word_at(chars, g, w))
                    .map(|(w, grade)| (*w, *grade));
                break;
            }
            j += 1;
        }
        let Some((word, grade)) = stated else {
            continue;
        };
        let computed = bands.grade(score);
        if computed != grade {
            out.push(
                Finding::new(
                    &R05,
                    input,
                    input.at(path),
                    format!(
                        "文字写得分{}分、等级“{word}”，按等级标准{}分应为“{}”",
                        score.normalize(),
                        score.normalize(),
                        computed.name()
                    ),
                )
                .values(
                    Some(grade.name().to_string()),
                    Some(computed.name().to_string()),
                )
                .evidence(format!(
                    "得分{}分；{}",
                    score.normalize(),
                    bands.describe()
                )),
            );
        }
    }
}

/// A unit written after a number: money (元, 万元, 亿元), a percentage, another unit of up to
/// two characters (亩, 公里), or none.
#[derive(Debug, Clone, PartialEq)]
enum Unit {
    /// 元, 万元, 亿元.
    Money(MoneyUnit),
    /// `%`.
    Percent,
    /// Another unit, as written.
    Other(String),
    /// No unit.
    None,
}

impl Unit {
    fn written(&self) -> String {
        match self {
            Unit::Money(u) => u.to_string(),
            Unit::Percent => "%".into(),
            Unit::Other(u) => u.clone(),
            Unit::None => String::new(),
        }
    }
}

/// The unit written at `i`, and where it ends.
fn unit_at(chars: &[char], i: usize) -> (Unit, usize) {
    let i = skip_spaces(chars, i);
    if word_at(chars, i, "万元") {
        (Unit::Money(MoneyUnit::Wan), i + 2)
    } else if word_at(chars, i, "亿元") {
        (Unit::Money(MoneyUnit::Yi), i + 2)
    } else if word_at(chars, i, "元") {
        (Unit::Money(MoneyUnit::Yuan), i + 1)
    } else if chars.get(i) == Some(&'%') {
        (Unit::Percent, i + 1)
    } else {
        // The two-character measure first (公里 before 公…), then one character; no text is
        // built unless a measure is there.
        let cjk = chars[i.min(chars.len())..]
            .iter()
            .take_while(|c| is_cjk(**c))
            .take(2)
            .count();
        let measure = [cjk.min(2), 1]
            .into_iter()
            .filter(|&n| n >= 1 && n <= cjk)
            .find_map(|n| {
                MEASURES
                    .iter()
                    .find(|m| {
                        m.chars().count() == n && m.chars().eq(chars[i..i + n].iter().copied())
                    })
                    .map(|m| (*m, n))
            });
        match measure {
            Some((m, n)) => (Unit::Other(m.to_string()), i + n),
            None => (Unit::None, i),
        }
    }
}

fn skip_spaces(chars: &[char], mut i: usize) -> usize {
    while chars.get(i) == Some(&' ') {
        i += 1;
    }
    i
}

fn is_cjk(c: char) -> bool {
    ('\u{4e00}'..='\u{9fff}').contains(&c)
}

/// Units of measure that never follow 元 directly (`元/亩` is meant).
const MEASURES: &[&str] = &[
    "亩",
    "吨",
    "公里",
    "平方米",
    "立方米",
    "公斤",
    "千克",
    "公顷",
    "人次",
    "株",
    "辆",
    "户",
];

/// A number and its unit that end at `end` (exclusive), read backwards: `200万元` before `×`.
fn operand_before(chars: &[char], end: usize) -> Option<(Decimal, Unit)> {
    let mut e = end;
    while e > 0 && chars[e - 1] == ' ' {
        e -= 1;
    }
    // The unit: the longest known suffix.
    let mut start_of_unit = e;
    while start_of_unit > 0
        && e - start_of_unit < 3
        && (is_cjk(chars[start_of_unit - 1]) || chars[start_of_unit - 1] == '%')
    {
        start_of_unit -= 1;
    }
    for u in start_of_unit..=e {
        let mut n = u;
        while n > 0 && chars[n - 1] == ' ' {
            n -= 1;
        }
        let mut s = n;
        while s > 0 && (chars[s - 1].is_ascii_digit() || chars[s - 1] == '.' || chars[s - 1] == ',')
        {
            s -= 1;
        }
        if s == n {
            continue;
        }
        let Some((value, num_end)) = number_at(chars, s) else {
            continue;
        };
        if num_end != n {
            continue;
        }
        let (unit, unit_end) = unit_at(chars, n);
        if unit_end == e {
            return Some((value, unit));
        }
    }
    None
}

/// A number and its unit that start at `i`: `30%` after `×`.
fn operand_after(chars: &[char], i: usize) -> Option<(Decimal, Unit, usize)> {
    let i = skip_spaces(chars, i);
    let (value, end) = number_at(chars, i)?;
    let (unit, end) = unit_at(chars, end);
    Some((value, unit, end))
}

/// R06: `200万元×30%=60万元` (also `30%×200万元`, `乘以`): base × percentage against the
/// stated result, converted to the result's unit when both are money; a result in another
/// unit than its base is flagged too.
fn products(input: &Input<'_>, path: &str, chars: &[char], out: &mut Vec<Finding>) {
    let mut i = 0;
    while i < chars.len() {
        let sign_len = if matches!(chars[i], '×' | '*' | 'x' | 'X' | '✕') {
            1
        } else if word_at(chars, i, "乘以") {
            2
        } else {
            i += 1;
            continue;
        };
        let left = operand_before(chars, i);
        let right = operand_after(chars, i + sign_len);
        i += sign_len;
        let (Some((a, ua)), Some((b, ub, end))) = (left, right) else {
            continue;
        };
        let ((base, base_unit), percent) = match (&ua, &ub) {
            (Unit::Percent, u) if *u != Unit::Percent => ((b, ub.clone()), a),
            (u, Unit::Percent) if *u != Unit::Percent => ((a, ua.clone()), b),
            _ => continue,
        };
        let eq = skip_spaces(chars, end);
        if !matches!(chars.get(eq), Some('=') | Some('＝')) {
            continue;
        }
        let Some((result, result_unit, _)) = operand_after(chars, eq + 1) else {
            continue;
        };
        let Some(product) = base
            .checked_mul(percent)
            .and_then(|v| v.checked_div(Decimal::ONE_HUNDRED))
        else {
            continue;
        };
        let expression = format!(
            "{}{} × {}% = {}{}",
            base.normalize(),
            base_unit.written(),
            percent.normalize(),
            result.normalize(),
            result_unit.written()
        );
        // The product in the result's unit, or why the units do not go together.
        let (computed, unit_problem) = match (&base_unit, &result_unit) {
            (Unit::Money(bu), Unit::Money(ru)) => match Amount::new(product, *bu).to_unit(*ru) {
                Some(a) => (a.value(), false),
                None => continue,
            },
            (_, Unit::None) => (product, false),
            (x, y) if x == y => (product, false),
            (Unit::None, _) => (product, false),
            _ => (product, true),
        };
        if unit_problem {
            out.push(
                Finding::new(
                    &R06,
                    input,
                    input.at(path),
                    format!(
                        "“{expression}”：以{}为基数乘以百分比，结果应以{}计，文字写作{}",
                        base_unit.written(),
                        base_unit.written(),
                        result_unit.written()
                    ),
                )
                .values(
                    Some(format!("{}{}", result.normalize(), result_unit.written())),
                    Some(format!(
                        "{}{}",
                        crate::money::round2(product).normalize(),
                        base_unit.written()
                    )),
                )
                .evidence(format!(
                    "{}{} × {}% = {}{}",
                    base.normalize(),
                    base_unit.written(),
                    percent.normalize(),
                    product.normalize(),
                    base_unit.written()
                )),
            );
        } else if !agrees(result, computed) {
            let unit = if result_unit == Unit::None {
                base_unit.written()
            } else {
                result_unit.written()
            };
            out.push(
                Finding::new(
                    &R06,
                    input,
                    input.at(path),
                    format!(
                        "“{expression}”：按基数与百分比计算应为{}{unit}",
                        crate::money::round2(computed).normalize()
                    ),
                )
                .values(
                    Some(format!("{}{unit}", result.normalize())),
                    Some(format!(
                        "{}{unit}",
                        crate::money::round2(computed).normalize()
                    )),
                )
                .evidence(format!(
                    "{}{} × {}% = {}{unit}",
                    base.normalize(),
                    base_unit.written(),
                    percent.normalize(),
                    computed.normalize()
                )),
            );
        }
    }
}

/// Q06: an amount glued to a unit of measure (`5000元亩`, `3万元吨`): money per 亩 is written
/// `元/亩`; as printed the unit is none that exists.
fn compound_units(input: &Input<'_>, path: &str, chars: &[char], out: &mut Vec<Finding>) {
    let mut i = 0;
    while i < chars.len() {
        let Some((value, end)) = number_at(chars, i) else {
            i += 1;
            continue;
        };
        i = end;
        let (unit, after) = unit_at(chars, end);
        let Unit::Money(money_unit) = unit else {
            continue;
        };
        let (measure, measure_end) = unit_at(chars, after);
        let Unit::Other(measure) = measure else {
            continue;
        };
        // Spaces between 元 and the measure, or a word that goes on (户籍), are not a unit.
        if after < chars.len() && chars[after] == ' ' {
            continue;
        }
        if measure == "户"
            && chars
                .get(measure_end)
                .is_some_and(|c| matches!(c, '籍' | '口' | '外' | '主' | '型'))
        {
            continue;
        }
        let written = format!("{money_unit}{measure}");
        out.push(
            Finding::new(
                &Q06,
                input,
                input.at(path),
                format!(
                    "“{}{written}”的计量单位“{written}”不成立，应为“{money_unit}/{measure}”或分开表述",
                    value.normalize()
                ),
            )
            .values(Some(written.clone()), Some(format!("{money_unit}/{measure}")))
            .evidence(format!(
                "金额单位“{money_unit}”后紧接计量单位“{measure}”，两者相乘没有意义"
            )),
        );
    }
}

#[cfg(test)]
mod tests;
