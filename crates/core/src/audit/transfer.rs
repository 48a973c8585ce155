//! Checks of a 转移支付区域绩效自评表's own arithmetic: the rows by level add up to their
//! 年度资金总额 (in the whole and in each part), the parts add up to the whole, and each
//! printed 执行率 is 全年执行数 ÷ 全年预算数 to the precision it is printed with; each 一级
//! group's weights add up to the points its label states (产出指标(40分), A09).

use rust_decimal::Decimal;

use super::catalog::{A01, A06, A09, A13};
use super::forms::points;
use super::precision::sum_agrees;
use super::{Finding, Input};
use crate::form::transfer::{FundLevel, TransferFunds, TransferPayment};
use crate::indicator::stated_points;
use crate::money::{Amount, round};

/// A column of the funds block: its name, field and getter.
type Column = (
    &'static str,
    &'static str,
    fn(&TransferFunds) -> Option<Amount>,
);

const COLUMNS: [Column; 3] = [
    ("全年预算数", "budget", |r| r.budget),
    ("全年到位资金", "received", |r| r.received),
    ("全年执行数", "executed", |r| r.executed),
];

/// Checks one transfer-payment form.
pub(super) fn check(input: &Input<'_>, f: &TransferPayment, out: &mut Vec<Finding>) {
    let mut parts: Vec<Option<&str>> = Vec::new();
    for row in &f.funds {
        if !parts.contains(&row.part.as_deref()) {
            parts.push(row.part.as_deref());
        }
    }
    for part in &parts {
        levels_add_up(input, f, *part, out);
    }
    parts_add_up(input, f, &parts, out);
    for (index, row) in f.funds.iter().enumerate() {
        rate(input, index, row, out);
    }
    group_points(input, f, out);
}

/// A09: the weights of each 一级 group against the points its label states. A group whose
/// rows state no weight, or the last group of a form cut off before its 总分, cannot be
/// checked (it may be incomplete).
fn group_points(input: &Input<'_>, f: &TransferPayment, out: &mut Vec<Finding>) {
    let mut labels: Vec<&str> = Vec::new();
    for row in &f.indicators {
        if !labels.contains(&row.level1.as_str()) {
            labels.push(&row.level1);
        }
    }
    for (g, label) in labels.iter().enumerate() {
        let Some(stated) = stated_points(label) else {
            continue;
        };
        let rows: Vec<usize> = (0..f.indicators.len())
            .filter(|&k| f.indicators[k].level1 == *label)
            .collect();
        let at = input.at(&format!("indicators[{}].level1", rows[0]));
        let weights: Vec<Decimal> = rows
            .iter()
            .filter_map(|&k| f.indicators[k].weight)
            .collect();
        let sum: Decimal = weights.iter().sum();
        let cut = f.stated_total.is_none() && g + 1 == labels.len();
        if weights.len() < rows.len() || cut && sum < stated {
            let why = if weights.is_empty() {
                "所含指标未逐项列出分值"
            } else if cut {
                "表格在此组之后截断，指标可能不全"
            } else {
                "部分指标未列分值"
            };
            out.push(
                Finding::cannot_check(
                    &A09,
                    input,
                    at,
                    format!("{label}：标注{}分，{why}，无法核对", points(stated)),
                )
                .values(Some(points(stated)), Some(points(sum))),
            );
            continue;
        }
        if sum_agrees(stated, &weights) == Some(false) {
            let arithmetic = weights
                .iter()
                .map(|w| points(*w))
                .collect::<Vec<_>>()
                .join(" + ");
            out.push(
                Finding::new(
                    &A09,
                    input,
                    at,
                    format!(
                        "{label}：标注{}分，所含指标分值合计{}分",
                        points(stated),
                        points(sum)
                    ),
                )
                .values(Some(points(stated)), Some(points(sum)))
                .evidence(format!("{arithmetic} = {}", points(sum))),
            );
        }
    }
}

/// The name of a row for messages: its part and label.
fn row_name(row: &TransferFunds) -> String {
    let label = row.label.as_deref().unwrap_or(row.level.label());
    match &row.part {
        Some(p) => format!("{p}的{label}"),
        None => label.to_string(),
    }
}

fn sum(amounts: &[Amount]) -> Option<Amount> {
    let first = amounts.first()?;
    amounts
        .iter()
        .try_fold(Amount::zero(first.unit()), |acc, a| acc.checked_add(a))
}

/// In the whole (or one part), the rows by level add up to the 年度资金总额 row.
fn levels_add_up(
    input: &Input<'_>,
    f: &TransferPayment,
    part: Option<&str>,
    out: &mut Vec<Finding>,
) {
    let rows: Vec<(usize, &TransferFunds)> = f
        .funds
        .iter()
        .enumerate()
        .filter(|(_, r)| r.part.as_deref() == part)
        .collect();
    let Some(&(total_index, total)) = rows.iter().find(|(_, r)| r.level == FundLevel::Total) else {
        return;
    };
    for (name, field, get) in COLUMNS {
        let Some(stated) = get(total) else { continue };
        let items: Vec<(String, Amount)> = rows
            .iter()
            .filter(|(_, r)| r.level != FundLevel::Total)
            .filter_map(|(_, r)| get(r).map(|a| (row_name(r), a)))
            .collect();
        let amounts: Vec<Amount> = items.iter().map(|i| i.1).collect();
        let Some(total_of_items) = sum(&amounts) else {
            continue;
        };
        if total_of_items != stated {
            let terms: Vec<String> = items.iter().map(|(n, a)| format!("{n}{a}")).collect();
            out.push(
                Finding::new(
                    &A06,
                    input,
                    input.at(&format!("funds[{total_index}].{field}")),
                    format!(
                        "{}{name}：各级资金合计{total_of_items}，年度资金总额{stated}",
                        part.map(|p| format!("{p}：")).unwrap_or_default()
                    ),
                )
                .values(Some(stated.to_string()), Some(total_of_items.to_string()))
                .evidence(format!("{} = {total_of_items}", terms.join(" + "))),
            );
        }
    }
}

/// When the form splits the transfer into parts, each row of the whole (总额, 中央补助,
/// 市级资金 …) is the sum of the same row of the parts.
fn parts_add_up(
    input: &Input<'_>,
    f: &TransferPayment,
    parts: &[Option<&str>],
    out: &mut Vec<Finding>,
) {
    let named: Vec<&str> = parts.iter().filter_map(|p| *p).collect();
    if named.len() < 2 {
        return;
    }
    for (index, whole) in f.funds.iter().enumerate().filter(|(_, r)| r.part.is_none()) {
        for (name, field, get) in COLUMNS {
            let Some(stated) = get(whole) else { continue };
            let same = |r: &&TransferFunds| {
                r.part.is_some() && r.level == whole.level && r.label == whole.label
            };
            let items: Vec<(&str, Amount)> = f
                .funds
                .iter()
                .filter(same)
                .filter_map(|r| Some((r.part.as_deref()?, get(r)?)))
                .collect();
            // Only when every part states the row: a part without it is not a zero.
            if items.len() != named.len() {
                continue;
            }
            let amounts: Vec<Amount> = items.iter().map(|i| i.1).collect();
            let Some(total_of_parts) = sum(&amounts) else {
                continue;
            };
            if total_of_parts != stated {
                let terms: Vec<String> = items.iter().map(|(p, a)| format!("{p}{a}")).collect();
                out.push(
                    Finding::new(
                        &A06,
                        input,
                        input.at(&format!("funds[{index}].{field}")),
                        format!(
                            "{}{name}：各部分合计{total_of_parts}，总体为{stated}",
                            row_name(whole)
                        ),
                    )
                    .values(Some(stated.to_string()), Some(total_of_parts.to_string()))
                    .evidence(format!("{} = {total_of_parts}", terms.join(" + "))),
                );
            }
        }
    }
}

/// A printed 执行率 that is not 全年执行数 ÷ 全年预算数 at the precision printed (86% for
/// 85.75% is right; 31.00% for 31.08% is not).
fn rate(input: &Input<'_>, index: usize, row: &TransferFunds, out: &mut Vec<Finding>) {
    let (Some(stated), Some(budget), Some(executed)) = (row.stated_rate, row.budget, row.executed)
    else {
        return;
    };
    if budget.is_zero() {
        // 0 ÷ 0 printed as 100% (or any rate on a zero base): the rate says nothing.
        if !stated.is_zero() {
            out.push(
                Finding::new(
                    &A13,
                    input,
                    input.at(&format!("funds[{index}].stated_rate")),
                    format!(
                        "{}：全年预算数为0，执行率却填报为{}%（零基数上无执行率可言）",
                        row_name(row),
                        points(stated)
                    ),
                )
                .values(Some(format!("{}%", points(stated))), None)
                .evidence(format!(
                    "{executed} ÷ {budget}：分母为0，执行率无法计算，应填“—”或留空"
                )),
            );
        }
        return;
    }
    let Some(fraction) = executed.ratio_to(&budget) else {
        return;
    };
    let computed = round(fraction * Decimal::from(100), stated.scale());
    if computed != stated {
        out.push(
            Finding::new(
                &A01,
                input,
                input.at(&format!("funds[{index}].stated_rate")),
                format!(
                    "{}：执行率填报{stated}%，按{executed} ÷ {budget}计算为{computed}%",
                    row_name(row)
                ),
            )
            .values(Some(format!("{stated}%")), Some(format!("{computed}%")))
            .evidence(format!("{executed} ÷ {budget} = {fraction}")),
        );
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;
    use crate::audit::Severity;
    use crate::form::Form;
    use crate::source::Location;

    fn findings(json: &str) -> Vec<Finding> {
        let form = Form::from_json(json).expect("form");
        let location = Location::default();
        let provenance = BTreeMap::new();
        let input = Input {
            form: &form,
            location: &location,
            provenance: &provenance,
        };
        let Form::TransferPayment(t) = &form else {
            panic!("not a transfer form")
        };
        let mut out = Vec::new();
        check(&input, t, &mut out);
        out
    }

    #[test]
    fn rates_are_checked_to_the_printed_precision() {
        // 020: 692.98 / 808.1 = 85.75% printed 86%: right.
        let ok = findings(
            r#"{"form": "transfer_payment_self_evaluation", "name": "就业补助资金", "funds": [
                {"level": "total", "budget": "808.1", "executed": "692.98", "stated_rate": "86%"},
                {"level": "central", "budget": "808.1", "executed": "692.98", "stated_rate": "86%"}]}"#,
        );
        assert!(ok.is_empty(), "{ok:?}");
        // 045: 46 / 148 = 31.08% printed 31.00%.
        let wrong = findings(
            r#"{"form": "transfer_payment_self_evaluation", "name": "动物防疫", "funds": [
                {"level": "total", "budget": "148", "executed": "46", "stated_rate": "31.00%"},
                {"level": "central", "budget": "102", "executed": "0", "stated_rate": "0%"},
                {"level": "local", "budget": "46", "executed": "46", "stated_rate": "100%"}]}"#,
        );
        assert_eq!(wrong.len(), 1, "{wrong:?}");
        assert_eq!(wrong[0].code, "A01");
        assert!(wrong[0].message.contains("31.08%"), "{}", wrong[0].message);
    }

    #[test]
    fn a_rate_on_a_zero_base_is_flagged() {
        // 彩票公益金 0 of 0 printed as 100%: no rate can be computed.
        let found = findings(
            r#"{"form": "transfer_payment_self_evaluation", "name": "社会救助", "funds": [
                {"level": "total", "budget": "120", "executed": "120", "stated_rate": "100%"},
                {"level": "central", "budget": "120", "executed": "120", "stated_rate": "100%"},
                {"level": "other", "label": "彩票公益金", "budget": "0", "executed": "0", "stated_rate": "100%"}]}"#,
        );
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].code, "A13");
        assert_eq!(found[0].severity, Severity::Warning);
        assert!(
            found[0].message.contains("彩票公益金"),
            "{}",
            found[0].message
        );
        // A zero rate on a zero base, or no rate at all, is quiet.
        let quiet = findings(
            r#"{"form": "transfer_payment_self_evaluation", "name": "社会救助", "funds": [
                {"level": "total", "budget": "120", "executed": "120", "stated_rate": "100%"},
                {"level": "central", "budget": "120", "executed": "120", "stated_rate": "100%"},
                {"level": "other", "label": "彩票公益金", "budget": "0", "executed": "0", "stated_rate": "0%"},
                {"level": "local", "budget": "0", "executed": "0"}]}"#,
        );
        assert!(quiet.is_empty(), "{quiet:?}");
    }

    #[test]
    fn parts_and_levels_add_up() {
        // 029: the 特别扶助 part's levels add to 322.25, not 321.25; the parts' 市级资金 add
        // to 344, not 343. Everything else agrees.
        let found = findings(
            r#"{"form": "transfer_payment_self_evaluation", "name": "计划生育服务", "funds": [
                {"level": "total", "label": "合计", "budget": "1084.25"},
                {"level": "central", "label": "中央补助", "budget": "668.00"},
                {"level": "local", "label": "市级资金", "budget": "343.00"},
                {"level": "local", "label": "本级资金", "budget": "73.25"},
                {"level": "total", "part": "奖励扶助", "label": "合计", "budget": "763.00"},
                {"level": "central", "part": "奖励扶助", "label": "中央补助", "budget": "502.00"},
                {"level": "local", "part": "奖励扶助", "label": "市级资金", "budget": "208.00"},
                {"level": "local", "part": "奖励扶助", "label": "本级资金", "budget": "53.00"},
                {"level": "total", "part": "特别扶助", "label": "合计", "budget": "321.25"},
                {"level": "central", "part": "特别扶助", "label": "中央补助", "budget": "166.00"},
                {"level": "local", "part": "特别扶助", "label": "市级资金", "budget": "136.00"},
                {"level": "local", "part": "特别扶助", "label": "本级资金", "budget": "20.25"}]}"#,
        );
        let messages: Vec<&str> = found.iter().map(|f| f.message.as_str()).collect();
        assert_eq!(found.len(), 2, "{messages:?}");
        assert!(found.iter().all(|f| f.code == "A06"));
        assert!(messages[0].contains("特别扶助") && messages[0].contains("322.25"));
        assert!(messages[1].contains("市级资金") && messages[1].contains("344"));
    }

    /// A transfer form with `groups` of (label, weights), and a 总分 when `total` is given.
    fn with_groups(groups: &[(&str, &[&str])], total: Option<&str>) -> String {
        let rows: Vec<String> = groups
            .iter()
            .flat_map(|(label, weights)| {
                weights.iter().enumerate().map(move |(k, w)| {
                    format!(
                        r#"{{"level1": "{label}", "level2": "数量指标", "name": "指标{k}", "target": "1", "weight": "{w}"}}"#
                    )
                })
            })
            .collect();
        let total = total.map_or(String::new(), |t| format!(r#", "stated_total": "{t}""#));
        format!(
            r#"{{"form": "transfer_payment_self_evaluation", "name": "马铃薯", "indicators": [{}]{total}}}"#,
            rows.join(",")
        )
    }

    #[test]
    fn group_weights_add_up_to_their_label() {
        // 034: 产出指标(40分) over six rows of 8 points = 48.
        let found = findings(&with_groups(
            &[
                ("产出指标(40分)", &["8", "8", "8", "8", "8", "8"]),
                ("效益指标(60分)", &["30", "30"]),
            ],
            Some("99"),
        ));
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].code, "A09");
        assert_eq!(found[0].severity, Severity::Error);
        assert!(found[0].message.contains("48"), "{}", found[0].message);
        // Weights that agree: nothing.
        let fine = findings(&with_groups(
            &[
                ("产出指标(40分)", &["20", "20"]),
                ("效益指标(60分)", &["60"]),
            ],
            Some("100"),
        ));
        assert!(fine.is_empty(), "{fine:?}");
        // Cut off in its last group (no 总分): that group cannot be checked.
        let cut = findings(&with_groups(
            &[
                ("产出指标(40分)", &["20", "20"]),
                ("满意度指标(20分)", &["10"]),
            ],
            None,
        ));
        assert_eq!(cut.len(), 1, "{cut:?}");
        assert_eq!(cut[0].severity, Severity::CannotCheck);
    }
}
