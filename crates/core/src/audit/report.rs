//! Checks on the narrative report: figures that must add up (其中), balance (收入 − 支出 =
//! 结余; 金额 − 实际支出 = 结余结转) and percentages stated in the text, each at the precision
//! the text prints its figures with.

use rust_decimal::Decimal;

use super::catalog::{R01, R02, R03};
use super::forms::parts_agree;
use super::precision::agrees;
use super::{Finding, Input};
use crate::form::report::{Figure, FigureValue, Report, figures};
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
    sentence: usize,
}

fn money(f: &Figure) -> Option<Amount> {
    match f.value {
        FigureValue::Money(a) => Some(a),
        FigureValue::Percent(_) => None,
    }
}

/// Every figure of the report's paragraphs, in order, found once per report for both the
/// checks here and those against the attached forms ([`super::cross`]). A paragraph's
/// figures are its sentences' figures in turn: [`figures`] splits clauses at every
/// sentence break, so reading sentence by sentence finds the same figures.
pub(super) fn placed(report: &Report) -> Vec<Placed> {
    let mut out = Vec::new();
    let mut sentence = 0;
    for (s, section) in report.sections.iter().enumerate() {
        for (p, text) in section.paragraphs.iter().enumerate() {
            for part in text.split(['。', '；', ';']) {
                for figure in figures(part) {
                    out.push(Placed {
                        figure,
                        section: s,
                        paragraph: p,
                        sentence,
                    });
                }
                sentence += 1;
            }
        }
    }
    out
}

/// Where a placed figure is: its paragraph's field path.
fn at(input: &Input<'_>, p: &Placed) -> crate::source::Location {
    input.at(&format!(
        "sections[{}].paragraphs[{}]",
        p.section, p.paragraph
    ))
}

/// Every check on the report, in order: 其中 sums (R01), balances per section and per item
/// (R02), percentages (R03).
/// `all` is [`placed`] of `report`.
pub(super) fn check(input: &Input<'_>, report: &Report, all: &[Placed], out: &mut Vec<Finding>) {
    of_which(input, all, out);
    section_balance(input, report, all, out);
    item_balance(input, all, out);
    percentages(input, all, out);
}

/// R01: "X 万元，其中 A 万元，B 万元" → X = A + B, at the printed precision.
fn of_which(input: &Input<'_>, all: &[Placed], out: &mut Vec<Finding>) {
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
                            p.figure.label,
                            money(&p.figure).map(|a| a.to_string()).unwrap_or_default()
                        )
                    })
                    .collect();
                out.push(
                    Finding::new(
                        &R01,
                        input,
                        at(input, total),
                        format!("“{}”{}，其中各项合计{sum}", total.figure.label, stated),
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
fn section_balance(input: &Input<'_>, report: &Report, all: &[Placed], out: &mut Vec<Finding>) {
    // R02: income − spending = surplus, per section.
    for s in 0..report.sections.len() {
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
                        at(input, su),
                        format!(
                            "“{}”{a}减“{}”{b}为{diff}，报告所述“{}”为{c}",
                            i.figure.label, sp.figure.label, su.figure.label
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
fn item_balance(input: &Input<'_>, all: &[Placed], out: &mut Vec<Finding>) {
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
                    at(input, p),
                    format!("金额{a}，实际支出{s}，结余结转应为{diff}，报告写作{c}"),
                )
                .values(Some(c.to_string()), Some(diff.to_string()))
                .evidence(format!("{a} − {s} = {diff}")),
            );
        }
    }
}

/// R03: "完成年初预算的 113.24%", "占年初预算的91%": the percentage at its printed precision.
fn percentages(input: &Input<'_>, all: &[Placed], out: &mut Vec<Finding>) {
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
                    at(input, p),
                    format!("“{label}{stated}%”：{numerator} ÷ {denominator} = {exact}%"),
                )
                .values(Some(format!("{stated}%")), Some(format!("{exact}%")))
                .evidence(format!("{numerator} ÷ {denominator} = {exact}%")),
            );
        }
    }
}
