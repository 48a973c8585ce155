//! Checks on prose: figures that must add up (其中, and parallel parts before or after their
//! total, [`super::prose`]), balance (收入 − 支出 = 结余; 金额 − 实际支出 = 结余结转) and
//! percentages stated in the text, each at the precision the text prints its figures with.
//!
//! The prose is a report's paragraphs or a form's free-text cells (年度总体目标, 实际完成情况,
//! 偏差原因): the same checks run on both, and a finding sits on the paragraph or cell it reads.

use rust_decimal::Decimal;

use super::catalog::{R01, R02, R03};
use super::forms::parts_agree;
use super::precision::agrees;
use super::prose::Prose;
use super::{Finding, Input};
use crate::form::report::{Figure, FigureValue, Report, figures};
use crate::grade::GradeBands;
use crate::money::Amount;

/// A figure with the paragraph it sits in (section, paragraph) and its sentence number.
pub(super) struct Placed {
    /// The figure.
    pub(super) figure: Figure,
    /// Its section.
    pub(super) section: usize,
    /// Its paragraph in the section.
    pub(super) paragraph: usize,
    /// Its sentence, counted through the whole report.
    pub(super) sentence: usize,
}

/// The amount a figure states, `None` for a percentage.
pub(super) fn money(f: &Figure) -> Option<Amount> {
    match f.value {
        FigureValue::Money(a) => Some(a),
        FigureValue::Percent(_) => None,
    }
}

/// A report's paragraphs as prose, each with its field path (`sections[1].paragraphs[0]`).
pub(super) fn prose(report: &Report) -> Vec<Prose<'_>> {
    let mut out = Vec::new();
    for (s, section) in report.sections.iter().enumerate() {
        for (p, text) in section.paragraphs.iter().enumerate() {
            out.push(Prose {
                path: format!("sections[{s}].paragraphs[{p}]"),
                section: s,
                paragraph: p,
                text,
            });
        }
    }
    out
}

/// Every figure of the prose, in order, found once per form for both the checks here and
/// those against the attached forms ([`super::cross`]). A paragraph's figures are its
/// sentences' figures in turn: [`figures`] splits clauses at every sentence break, so reading
/// sentence by sentence finds the same figures.
pub(super) fn placed(prose: &[Prose<'_>]) -> Vec<Placed> {
    let mut out = Vec::new();
    let mut sentence = 0;
    for unit in prose {
        for part in unit.text.split(['。', '；', ';']) {
            for figure in figures(part) {
                out.push(Placed {
                    figure,
                    section: unit.section,
                    paragraph: unit.paragraph,
                    sentence,
                });
            }
            sentence += 1;
        }
    }
    out
}

/// Where a placed figure is: the cell of its paragraph or text cell (the form's own location
/// when the cell has none).
pub(super) fn at(input: &Input<'_>, prose: &[Prose<'_>], p: &Placed) -> crate::source::Location {
    prose
        .iter()
        .find(|t| (t.section, t.paragraph) == (p.section, p.paragraph))
        .map_or_else(|| input.location.clone(), |t| input.at(&t.path))
}

/// Every check on the prose, in order: 其中 sums and parallel parts (R01), balances per
/// section and per item (R02), percentages (R03), then the checks of [`super::prose`]: grades
/// against their scores (R05), products (R06) and impossible compound units (Q06).
/// `all` is [`placed`] of `prose`.
pub(super) fn check(
    input: &Input<'_>,
    prose: &[Prose<'_>],
    all: &[Placed],
    bands: &GradeBands,
    out: &mut Vec<Finding>,
) {
    let at = |p: &Placed| at(input, prose, p);
    of_which(input, all, &at, out);
    super::prose::parallel_parts(input, all, &at, out);
    section_balance(input, prose, all, &at, out);
    item_balance(input, all, &at, out);
    percentages(input, all, &at, out);
    super::prose::check(input, prose, bands, out);
}

/// What a figure is called in a finding: its label, or when the sentence gives none
/// (`合计331.61万元`, whose 合计 is not a label) the words of its clause before the number,
/// or 所述金额 — never an empty quotation.
pub(super) fn named(f: &Figure) -> String {
    if !f.label.is_empty() {
        return f.label.clone();
    }
    let before: String = f
        .clause
        .chars()
        .take_while(|c| !c.is_ascii_digit())
        .filter(|c| !c.is_whitespace())
        .collect();
    if before.is_empty() {
        "所述金额".to_string()
    } else {
        before
    }
}

/// Where a placed figure's finding goes.
pub(super) type At<'a> = dyn Fn(&Placed) -> crate::source::Location + 'a;

/// R01: "X 万元，其中 A 万元，B 万元" → X = A + B, at the printed precision.
fn of_which(input: &Input<'_>, all: &[Placed], at: &At<'_>, out: &mut Vec<Finding>) {
    // R01: "X 万元，其中 A 万元，B 万元" → X = A + B.
    let mut k = 0;
    while k < all.len() {
        let sentence = all[k].sentence;
        let end = all[k..]
            .iter()
            .position(|p| p.sentence != sentence)
            .map_or(all.len(), |n| k + n);
        let group = &all[k..end];
        if let Some(j) = group
            .iter()
            .position(|p| p.figure.clause.starts_with("其中") && money(&p.figure).is_some())
            && let Some(total) = group[..j].iter().rev().find(|p| money(&p.figure).is_some())
        {
            let parts: Vec<&Placed> = group[j..]
                .iter()
                .filter(|p| money(&p.figure).is_some())
                .collect();
            let stated = money(&total.figure).unwrap_or(Amount::zero(crate::money::MoneyUnit::Wan));
            let sum = parts
                .iter()
                .filter_map(|p| money(&p.figure))
                .try_fold(Amount::zero(stated.unit()), |acc, a| acc.checked_add(&a));
            let amounts: Vec<Amount> = parts.iter().filter_map(|p| money(&p.figure)).collect();
            if let Some(sum) = sum
                && parts.len() >= 2
                && parts_agree(stated, &amounts, true).is_some_and(|(_, ok)| !ok)
            {
                let terms: Vec<String> = parts
                    .iter()
                    .map(|p| {
                        format!(
                            "{}{}",
                            named(&p.figure),
                            money(&p.figure).map(|a| a.to_string()).unwrap_or_default()
                        )
                    })
                    .collect();
                out.push(
                    Finding::new(
                        &R01,
                        input,
                        at(total),
                        format!("“{}”{}，其中各项合计{sum}", named(&total.figure), stated),
                    )
                    .values(Some(stated.to_string()), Some(sum.to_string()))
                    .evidence(format!("{} = {sum}", terms.join(" + "))),
                );
            }
        }
        k = end;
    }
}

/// R02: income − spending = surplus, per section, at the printed precision.
fn section_balance(
    input: &Input<'_>,
    prose: &[Prose<'_>],
    all: &[Placed],
    at: &At<'_>,
    out: &mut Vec<Finding>,
) {
    // R02: income − spending = surplus, per section.
    let mut sections: Vec<usize> = prose.iter().map(|t| t.section).collect();
    sections.dedup();
    for s in sections {
        let in_section: Vec<&Placed> = all
            .iter()
            .filter(|p| p.section == s && money(&p.figure).is_some())
            .collect();
        let find = |pred: &dyn Fn(&str) -> bool| {
            in_section.iter().find(|p| pred(&p.figure.label)).copied()
        };
        let income = find(&|l| l.contains("收入") && (l.contains("预算") || l.contains("总")));
        let spending = find(&|l| l.contains("总支出") || l.ends_with("年支出") || l == "支出");
        let surplus = find(&|l| l.contains("结余") && !l.contains("三公") && !l.contains("率"));
        if let (Some(i), Some(sp), Some(su)) = (income, spending, surplus) {
            let (a, b, c) = (money(&i.figure), money(&sp.figure), money(&su.figure));
            if let (Some(a), Some(b), Some(c)) = (a, b, c)
                && let Some(diff) = a.checked_sub(&b)
                && parts_agree(a, &[b, c], true).is_some_and(|(_, ok)| !ok)
            {
                out.push(
                    Finding::new(
                        &R02,
                        input,
                        at(su),
                        format!(
                            "“{}”{a}减“{}”{b}为{diff}，报告所述“{}”为{c}",
                            named(&i.figure),
                            named(&sp.figure),
                            named(&su.figure)
                        ),
                    )
                    .values(Some(c.to_string()), Some(diff.to_string()))
                    .evidence(format!("{a} − {b} = {diff}")),
                );
            }
        }
    }
}

/// R02 per item: 金额 − 实际支出 = 结余结转, within one paragraph.
fn item_balance(input: &Input<'_>, all: &[Placed], at: &At<'_>, out: &mut Vec<Finding>) {
    // R02 per item: 金额 − 实际支出 = 结余结转, within one paragraph.
    let mut seen = Vec::new();
    for p in all {
        let key = (p.section, p.paragraph);
        if seen.contains(&key) {
            continue;
        }
        seen.push(key);
        let here: Vec<&Placed> = all
            .iter()
            .filter(|q| (q.section, q.paragraph) == key)
            .collect();
        let get = |pred: &dyn Fn(&str) -> bool| {
            here.iter()
                .find(|q| pred(&q.figure.label))
                .and_then(|q| money(&q.figure))
        };
        let amount = get(&|l| l == "金额" || l.ends_with("预算金额"));
        let spent = get(&|l| l == "实际支出");
        let carry = get(&|l| l == "结余结转" || l == "结转结余" || l == "结余");
        if let (Some(a), Some(s), Some(c)) = (amount, spent, carry)
            && let Some(diff) = a.checked_sub(&s)
            && parts_agree(a, &[s, c], true).is_some_and(|(_, ok)| !ok)
        {
            out.push(
                Finding::new(
                    &R02,
                    input,
                    at(p),
                    format!("金额{a}，实际支出{s}，结余结转应为{diff}，报告写作{c}"),
                )
                .values(Some(c.to_string()), Some(diff.to_string()))
                .evidence(format!("{a} − {s} = {diff}")),
            );
        }
    }
}

/// R03: "完成年初预算的 113.24%", "占年初预算的91%": the percentage at its printed precision.
fn percentages(input: &Input<'_>, all: &[Placed], at: &At<'_>, out: &mut Vec<Finding>) {
    // R03: "完成年初预算的 113.24%", "占年初预算的91%".
    for (n, p) in all.iter().enumerate() {
        let FigureValue::Percent(stated) = p.figure.value else {
            continue;
        };
        let label = p.figure.label.as_str();
        let Some(base) = label
            .strip_suffix('的')
            .and_then(|l| l.strip_prefix('占').or_else(|| l.strip_prefix("完成")))
        else {
            continue;
        };
        if base.chars().count() < 2 {
            continue;
        }
        let before = &all[..n];
        let Some(numerator) = before
            .iter()
            .rev()
            .take_while(|q| q.sentence == p.sentence)
            .find_map(|q| money(&q.figure))
        else {
            continue;
        };
        let Some(denominator) = before
            .iter()
            .rev()
            .filter(|q| q.section == p.section)
            .find(|q| q.figure.label.contains(base))
            .and_then(|q| money(&q.figure))
        else {
            continue;
        };
        let Some(ratio) = numerator.ratio_to(&denominator) else {
            continue;
        };
        let Some(computed) = ratio.checked_mul(Decimal::ONE_HUNDRED) else {
            continue;
        };
        if !agrees(stated, computed) {
            let exact = crate::money::round2(ratio * Decimal::ONE_HUNDRED);
            out.push(
                Finding::new(
                    &R03,
                    input,
                    at(p),
                    format!("“{label}{stated}%”：{numerator} ÷ {denominator} = {exact}%"),
                )
                .values(Some(format!("{stated}%")), Some(format!("{exact}%")))
                .evidence(format!("{numerator} ÷ {denominator} = {exact}%")),
            );
        }
    }
}
