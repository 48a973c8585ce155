//! Base-data tables (基础数据表): each total against its items, column by column (A12), at
//! the printed precision.
//!
//! Within a block, rows are read in order: a plain row is a total; numbered rows after it
//! (`1、`, `2、`, `3、`) are its items and, being numbered, all of them — they must add up to it
//! (unless an elided `……` row shows the list is not complete, then they must not exceed it);
//! a `其中：` row is an item of the row just above it and must not exceed it, together with the
//! plain rows that follow it while it belongs to a numbered item (`其中：公车购置` /
//! `公车运行维护` under `1、公务用车购置和维护经费`, until the next numbered row). A row that ends
//! with `：` or names a figure of its own (…经费, …金额, …支出, …调整) starts a new total.

use rust_decimal::Decimal;

use super::catalog::A12;
use super::precision::sum_tolerance;
use super::{Finding, Input};
use crate::form::BaseData;
use crate::form::cell::parse_number;

/// How a row label places the row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// A total of its own.
    Plain,
    /// `1、…`: an item of the plain row above.
    Numbered,
    /// `其中：…`: an item of the row above.
    OfWhich,
    /// `……`: more items, not listed.
    Elided,
}

fn kind(label: &str) -> Kind {
    let t: String = label.split_whitespace().collect();
    let digits = t.chars().take_while(char::is_ascii_digit).count();
    if t.starts_with("其中") {
        Kind::OfWhich
    } else if t.chars().all(|c| matches!(c, '…' | '.' | '。' | '—')) && !t.is_empty() {
        Kind::Elided
    } else if digits > 0
        && t.chars()
            .nth(digits)
            .is_some_and(|c| matches!(c, '、' | '.' | '．' | ')' | '）'))
    {
        Kind::Numbered
    } else {
        Kind::Plain
    }
}

/// True for a plain label that starts a new total rather than continuing a 其中 list.
fn starts_total(label: &str) -> bool {
    let t = label.trim();
    t.ends_with('：')
        || t.ends_with(':')
        || ["经费", "金额", "支出", "调整", "合计"]
            .iter()
            .any(|w| t.ends_with(w))
}

/// One group to check: the total's row, its items' rows, and whether they are the whole.
struct Group {
    total: usize,
    items: Vec<usize>,
    whole: bool,
}

/// The groups of a block's rows, from their labels.
fn groups(labels: &[String]) -> Vec<Group> {
    let mut out = Vec::new();
    // The current plain total with its numbered items; the current 其中 list.
    let mut numbered: Option<Group> = None;
    let mut of_which: Option<(Group, bool)> = None;
    for (i, label) in labels.iter().enumerate() {
        match kind(label) {
            Kind::Numbered => {
                out.extend(of_which.take().map(|(g, _)| g));
                if let Some(g) = numbered.as_mut() {
                    g.items.push(i);
                }
            }
            Kind::OfWhich => {
                out.extend(of_which.take().map(|(g, _)| g));
                if i > 0 {
                    let under_numbered = kind(&labels[i - 1]) == Kind::Numbered;
                    let group = Group {
                        total: i - 1,
                        items: vec![i],
                        whole: false,
                    };
                    of_which = Some((group, under_numbered));
                }
            }
            Kind::Elided => {
                if let Some(g) = numbered.as_mut() {
                    g.whole = false;
                }
            }
            Kind::Plain => {
                if let Some((g, true)) = of_which.as_mut()
                    && !starts_total(label)
                {
                    g.items.push(i);
                    continue;
                }
                out.extend(of_which.take().map(|(g, _)| g));
                out.extend(numbered.take());
                numbered = Some(Group {
                    total: i,
                    items: Vec::new(),
                    whole: true,
                });
            }
        }
    }
    out.extend(of_which.map(|(g, _)| g));
    out.extend(numbered);
    out.retain(|g| !g.items.is_empty());
    out
}

/// A12 on every block and column of `f`.
pub(super) fn check(input: &Input<'_>, f: &BaseData, out: &mut Vec<Finding>) {
    for section in f.layout() {
        for column in &section.columns {
            // Each row's value in this column, with its item index for the cell.
            let cells: Vec<Option<(usize, Decimal)>> = section
                .labels
                .iter()
                .map(|label| {
                    f.items
                        .iter()
                        .enumerate()
                        .find(|(_, i)| {
                            i.section == section.name && &i.label == label && &i.column == column
                        })
                        .and_then(|(k, i)| Some((k, parse_number(&i.value, &[]).ok()??)))
                })
                .collect();
            for g in groups(&section.labels) {
                let Some((at, total)) = cells[g.total] else {
                    continue;
                };
                let items: Vec<(usize, Decimal)> = g
                    .items
                    .iter()
                    .filter_map(|&i| cells[i].map(|(_, v)| (i, v)))
                    .collect();
                if items.is_empty() {
                    continue;
                }
                let values: Vec<Decimal> = items.iter().map(|(_, v)| *v).collect();
                let sum: Decimal = values.iter().copied().sum();
                let tolerance = sum_tolerance(total, &values);
                let wrong = if g.whole {
                    (total - sum).abs() > tolerance
                } else {
                    sum > total + tolerance
                };
                if !wrong {
                    continue;
                }
                let names: Vec<String> = items
                    .iter()
                    .map(|(i, v)| format!("“{}”{}", section.labels[*i].trim(), v.normalize()))
                    .collect();
                let relation = if g.whole { "不等于" } else { "超过" };
                out.push(
                    Finding::new(
                        &A12,
                        input,
                        input.at(&format!("items[{at}].value")),
                        format!(
                            "{}（{column}）：{}合计{}，{relation}“{}”{}",
                            section.name,
                            names.join("、"),
                            sum.normalize(),
                            section.labels[g.total].trim(),
                            total.normalize()
                        ),
                    )
                    .values(
                        Some(total.normalize().to_string()),
                        Some(sum.normalize().to_string()),
                    )
                    .evidence(format!(
                        "{} = {}（按印刷精度核对，容差{}）",
                        values
                            .iter()
                            .map(|v| v.normalize().to_string())
                            .collect::<Vec<_>>()
                            .join(" + "),
                        sum.normalize(),
                        tolerance.normalize()
                    )),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn labels(l: &[&str]) -> Vec<String> {
        l.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn rows_group_by_their_labels() {
        let l = labels(&[
            "三公经费",
            "1、公务用车购置和维护经费",
            "其中：公车购置",
            "公车运行维护",
            "2、出国经费",
            "3、公务接待",
            "项目支出：",
            "1、业务工作专项",
            "……",
            "公用经费",
            "其中：办公经费",
            "水费、电费、差旅费",
        ]);
        let g = groups(&l);
        let shape: Vec<(usize, Vec<usize>, bool)> = g
            .iter()
            .map(|g| (g.total, g.items.clone(), g.whole))
            .collect();
        assert_eq!(
            shape,
            vec![
                (1, vec![2, 3], false),
                (0, vec![1, 4, 5], true),
                (6, vec![7], false),
                (9, vec![10], false),
            ]
        );
    }
}
