//! Checks of a report's funds grid (the cover of a 财政支出项目绩效评价自评报告: 计划安排 /
//! 实际到位 / 实际支出 / 结余 by source): each column's total is the sum of its sources (R07),
//! and 结余 is 实际到位 − 实际支出, in total and for each source (R08). Each figure is taken
//! at the precision it is printed with; every finding names the cells it read.

use super::catalog::{R07, R08};
use super::forms::parts_agree;
use super::{Finding, Input};
use crate::form::report::{FundsColumn, FundsColumnKind, ReportFunds};
use crate::money::Amount;
use crate::source::Location;

/// A cell as a finding names it: `第3行第2列`, `原文第12行第1字`, or the paragraph.
fn cell(location: &Location) -> String {
    if let Some((line, col)) = location.source {
        return format!("原文第{line}行第{col}字");
    }
    let mut out = String::new();
    if let Some(t) = location.table {
        out.push_str(&format!("表格{t}"));
    }
    match (location.row, location.col) {
        (Some(r), Some(c)) => out.push_str(&format!("第{r}行第{c}列")),
        (Some(r), None) => out.push_str(&format!("第{r}行")),
        _ => {}
    }
    if let Some(p) = location.paragraph {
        out.push_str(&format!("第{p}段"));
    }
    if out.is_empty() {
        "资金表".to_string()
    } else {
        out
    }
}

/// Checks the funds grid of a report.
pub(super) fn check(input: &Input<'_>, funds: &ReportFunds, out: &mut Vec<Finding>) {
    for (index, column) in funds.columns.iter().enumerate() {
        column_total(input, index, column, out);
    }
    balance(input, funds, out);
}

/// `label 49.34（第8行第2列）`.
fn term(input: &Input<'_>, name: &str, amount: Amount, path: &str) -> String {
    format!("{name}{amount}（{}）", cell(&input.at(path)))
}

/// R07: the sources of one column add up to its total.
fn column_total(input: &Input<'_>, index: usize, column: &FundsColumn, out: &mut Vec<Finding>) {
    let Some(total) = column.total else { return };
    let items: Vec<(usize, &str, Amount)> = column
        .sources
        .iter()
        .enumerate()
        .filter_map(|(s, src)| Some((s, src.source.as_str(), src.amount?)))
        .collect();
    if items.is_empty() {
        return;
    }
    let amounts: Vec<Amount> = items.iter().map(|i| i.2).collect();
    let Some((sum, ok)) = parts_agree(total, &amounts, true) else {
        return;
    };
    if ok {
        return;
    }
    let total_path = format!("funds.columns[{index}].total");
    let terms: Vec<String> = items
        .iter()
        .map(|(s, name, a)| {
            term(
                input,
                name,
                *a,
                &format!("funds.columns[{index}].sources[{s}].amount"),
            )
        })
        .collect();
    let name = column.kind.name();
    out.push(
        Finding::new(
            &R07,
            input,
            input.at(&total_path),
            format!("资金表“{name}”栏：各来源合计{sum}，合计栏填报{total}"),
        )
        .values(Some(total.to_string()), Some(sum.to_string()))
        .evidence(format!(
            "{} = {sum}；合计{}",
            terms.join(" + "),
            term(input, "", total, &total_path)
        )),
    );
}

/// R08: 结余 = 实际到位 − 实际支出, for the totals and for each source printed in all three.
fn balance(input: &Input<'_>, funds: &ReportFunds, out: &mut Vec<Finding>) {
    let Some((b, balance)) = funds.column(FundsColumnKind::Balance) else {
        return;
    };
    let (Some((r, received)), Some((s, spent))) = (
        funds.column(FundsColumnKind::Received),
        funds.column(FundsColumnKind::Spent),
    ) else {
        if balance.total.is_some() {
            out.push(Finding::cannot_check(
                &R08,
                input,
                input.at(&format!("funds.columns[{b}].total")),
                "资金表列有结余，但缺少实际到位或实际支出栏，无法核对结余",
            ));
        }
        return;
    };
    // The totals, then each source the three columns all print.
    let mut rows: Vec<(String, [String; 3], [Option<Amount>; 3])> = vec![(
        "合计".to_string(),
        [
            format!("funds.columns[{r}].total"),
            format!("funds.columns[{s}].total"),
            format!("funds.columns[{b}].total"),
        ],
        [received.total, spent.total, balance.total],
    )];
    for (bi, source) in balance.sources.iter().enumerate() {
        let key = source.key();
        let find = |c: &FundsColumn| c.sources.iter().position(|x| x.key() == key);
        let (Some(ri), Some(si)) = (find(received), find(spent)) else {
            continue;
        };
        rows.push((
            source.source.clone(),
            [
                format!("funds.columns[{r}].sources[{ri}].amount"),
                format!("funds.columns[{s}].sources[{si}].amount"),
                format!("funds.columns[{b}].sources[{bi}].amount"),
            ],
            [
                received.sources[ri].amount,
                spent.sources[si].amount,
                source.amount,
            ],
        ));
    }
    for (name, paths, amounts) in rows {
        let [Some(got), Some(paid), Some(left)] = amounts else {
            continue;
        };
        let Some(diff) = got.checked_sub(&paid) else {
            continue;
        };
        if parts_agree(got, &[paid, left], true).is_none_or(|(_, ok)| ok) {
            continue;
        }
        out.push(
            Finding::new(
                &R08,
                input,
                input.at(&paths[2]),
                format!("资金表“{name}”：实际到位{got}减实际支出{paid}为{diff}，结余填报{left}"),
            )
            .values(Some(left.to_string()), Some(diff.to_string()))
            .evidence(format!(
                "{} − {} = {diff}；结余{}",
                term(input, "实际到位", got, &paths[0]),
                term(input, "实际支出", paid, &paths[1]),
                term(input, "", left, &paths[2]),
            )),
        );
    }
}
