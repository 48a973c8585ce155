//! The review of declared targets (绩效目标审核): a project's or a department's targets against
//! the indicator library, last year's self-evaluation of the same project and the declaration's
//! own funds. Findings name the indicator, what it was compared with, and the basis:
//!
//! - T01 a target below last year's actual for the same indicator (above it, for a reverse
//!   indicator);
//! - T02 a target below most units' targets for the same indicator (the library's lower
//!   quartile, from at least three targets);
//! - T03 a 固化 indicator of the project's field missing;
//! - T04 a qualitative target where the library holds a quantitative one;
//! - T05 an indicator filed under another 二级指标 than the library knows it by;
//! - T06 a cost target (an amount) above the declaration's funds;
//! - T07 a 满意度 target below the usual floor;
//! - T08 the same indicator twice.

use std::collections::BTreeMap;

use rust_decimal::Decimal;

use super::catalog::{T01, T02, T03, T04, T05, T06, T07, T08};
use super::{Finding, Input};
use crate::form::{DeclaredIndicator, Form};
use crate::indicator::Level2;
use crate::library::{Direction, Field, Library, direction, key, number};
use crate::money::Amount;
use crate::target_value::{Dimension, TargetValue};

/// The review's checks: a unit answers each of their findings before sending a declaration on.
pub const CHECKS: [&super::Check; 8] = [&T01, &T02, &T03, &T04, &T05, &T06, &T07, &T08];

/// True when `code` is one of the review's checks.
pub fn is_review(code: &str) -> bool {
    CHECKS.iter().any(|c| c.code == code)
}

/// True for a unit of money (an amount is compared with the funds, T06, not with others).
fn is_money(unit: &str) -> bool {
    matches!(unit, "元" | "千元" | "万元" | "亿元")
}

/// What the review compares with, besides the library.
#[derive(Debug, Clone, Copy, Default)]
pub struct Context<'a> {
    /// Last year's self-evaluation of the same project (or department), if there is one.
    pub last_year: Option<&'a Form>,
    /// The lowest 满意度 target taken as normal, in percent (85 when `None`).
    pub satisfaction_floor: Option<Decimal>,
}

/// The review of `input`'s targets (declarations only; other forms give nothing).
pub fn review(input: &Input<'_>, library: &Library, context: &Context<'_>) -> Vec<Finding> {
    let (indicators, name, funds, annual) = match input.form {
        Form::ProjectTarget(f) => (
            &f.indicators,
            f.project_name.as_str(),
            f.funds_total,
            f.annual_target.as_str(),
        ),
        Form::DepartmentTarget(f) => (
            &f.indicators,
            f.department.as_str(),
            f.funds_total,
            f.annual_target.as_str(),
        ),
        _ => return Vec::new(),
    };
    let mut out = Vec::new();
    let last: BTreeMap<String, String> = last_actuals(context.last_year);
    let floor = context.satisfaction_floor.unwrap_or(Decimal::from(85));
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    for (k, row) in indicators.iter().enumerate() {
        let Some(level2) = Level2::parse(&row.level2) else {
            continue;
        };
        let row_key = key(level2, &row.name);
        let at = |field: &str| input.at(&format!("indicators[{k}].{field}"));
        if let Some(&first) = seen.get(&row_key) {
            out.push(
                Finding::new(
                    &T08,
                    input,
                    at("name"),
                    format!("第{}项指标“{}”与第{}项重复", k + 1, row.name, first + 1),
                )
                .evidence(format!(
                    "两项的二级指标和三级指标相同：{} / {}",
                    level2.name(),
                    row.name
                )),
            );
            continue;
        }
        seen.insert(row_key.clone(), k);
        below_last_year(input, k, row, last.get(&row_key), &mut out);
        let entry = library.get(&row_key);
        if let Some(e) = entry
            && let Some(spread) = &e.spread
            && spread.count >= 3
            && let Some((value, unit)) = number(&row.target)
            && unit == spread.unit
            // An amount follows the project's size, not other units' choices.
            && !is_money(&unit)
        {
            let low = match e.direction {
                Direction::Reverse => value > spread.q3,
                _ => value < spread.q1,
            };
            if low {
                out.push(
                    Finding::new(
                        &T02,
                        input,
                        at("target"),
                        format!(
                            "“{}”的目标值{}低于多数单位的设定",
                            row.name,
                            row.target.trim()
                        ),
                    )
                    .values(
                        Some(row.target.trim().to_string()),
                        Some(format!("{}{}", spread.median.normalize(), spread.unit)),
                    )
                    .evidence(format!(
                        "指标库中{}个目标值：下四分位数{}{}，中位数{}，上四分位数{}{}",
                        spread.count,
                        spread.q1.normalize(),
                        spread.unit,
                        spread.median.normalize(),
                        spread.q3.normalize(),
                        spread.unit
                    )),
                );
            }
        }
        if let Some(e) = entry
            && TargetValue::parse(&row.target).terms().is_empty()
            && !TargetValue::parse(&row.target).is_blank()
            && e.direction != Direction::Qualitative
            && number(&e.typical).is_some()
        {
            out.push(
                Finding::new(
                    &T04,
                    input,
                    at("target"),
                    format!(
                        "“{}”的目标值“{}”是定性表述，指标库中常用定量值“{}”",
                        row.name,
                        row.target.trim(),
                        e.typical
                    ),
                )
                .evidence(format!(
                    "指标库中该指标的常用值为“{}”（{}个目标值）",
                    e.typical,
                    e.uses.len()
                )),
            );
        }
        if entry.is_none()
            && let Some(usual) = usual_group(library, &row.name, level2)
        {
            out.push(
                Finding::new(
                    &T05,
                    input,
                    at("level2"),
                    format!(
                        "“{}”归入{}，指标库中通常归入{}",
                        row.name,
                        level2.name(),
                        usual.name()
                    ),
                )
                .evidence(format!(
                    "指标库中“{}”在{}下，未见在{}下",
                    row.name,
                    usual.name(),
                    level2.name()
                )),
            );
        }
        if matches!(level2, Level2::Cost | Level2::EconomicCost)
            && let Some(funds) = funds
            && let Some(over) = cost_over_funds(&row.target, &funds)
        {
            out.push(
                Finding::new(
                    &T06,
                    input,
                    at("target"),
                    format!(
                        "成本指标“{}”的目标值{}高于项目资金{}",
                        row.name,
                        row.target.trim(),
                        funds.as_written()
                    ),
                )
                .values(
                    Some(row.target.trim().to_string()),
                    Some(funds.as_written()),
                )
                .evidence(over),
            );
        }
        if level2 == Level2::Satisfaction
            && direction(&row.target) == Direction::Positive
            && let Some((value, unit)) = number(&row.target)
            && unit == "%"
            && value < floor
        {
            out.push(
                Finding::new(
                    &T07,
                    input,
                    at("target"),
                    format!(
                        "满意度目标{}低于常用下限{}%",
                        row.target.trim(),
                        floor.normalize()
                    ),
                )
                .values(
                    Some(row.target.trim().to_string()),
                    Some(format!("≥{}%", floor.normalize())),
                ),
            );
        }
    }
    // One finding for all the field's missing 固化 indicators: one answer covers them.
    if let Some(field) = Field::of_project(name, annual) {
        let missing: Vec<_> = library
            .fixed(field)
            .filter(|fixed| !seen.contains_key(&fixed.key))
            .collect();
        if !missing.is_empty() {
            let names = missing
                .iter()
                .map(|f| format!("“{}”（{}）", f.name, f.level2.name()))
                .collect::<Vec<_>>()
                .join("、");
            let values = missing
                .iter()
                .map(|f| format!("{}常用值“{}”", f.name, f.typical))
                .collect::<Vec<_>>()
                .join("；");
            out.push(
                Finding::new(
                    &T03,
                    input,
                    input.location.clone(),
                    format!("{}领域固化的指标{names}未填报", field.name()),
                )
                .evidence(format!(
                    "项目归入{}领域（按名称和年度目标中的用词）；该领域固化指标{}项：{values}",
                    field.name(),
                    missing.len()
                )),
            );
        }
    }
    out
}

/// Last year's actual of each indicator of a self-evaluation, by library key.
fn last_actuals(form: Option<&Form>) -> BTreeMap<String, String> {
    let Some(f) = form.and_then(Form::self_evaluation) else {
        return BTreeMap::new();
    };
    f.indicators
        .iter()
        .filter_map(|r| {
            let level2 = Level2::parse(&r.level2)?;
            (!r.actual.trim().is_empty())
                .then(|| (key(level2, &r.name), r.actual.trim().to_string()))
        })
        .collect()
}

/// T01: the target below last year's actual (above it, for a reverse indicator).
fn below_last_year(
    input: &Input<'_>,
    k: usize,
    row: &DeclaredIndicator,
    actual: Option<&String>,
    out: &mut Vec<Finding>,
) {
    let Some(actual) = actual else {
        return;
    };
    let (Some((target, unit)), Some((done, done_unit))) = (number(&row.target), number(actual))
    else {
        return;
    };
    if unit != done_unit {
        return;
    }
    let easier = match direction(&row.target) {
        Direction::Reverse => target > done,
        _ => target < done,
    };
    if easier {
        out.push(
            Finding::new(
                &T01,
                input,
                input.at(&format!("indicators[{k}].target")),
                format!(
                    "“{}”的目标值{}低于上年实际完成值{}",
                    row.name,
                    row.target.trim(),
                    actual
                ),
            )
            .values(Some(row.target.trim().to_string()), Some(actual.clone()))
            .evidence(format!(
                "上年自评表同一指标的实际完成值为{actual}；目标宜不低于已达到的水平"
            )),
        );
    }
}

/// The one other 二级指标 the library knows an indicator named `name` under.
fn usual_group(library: &Library, name: &str, filed: Level2) -> Option<Level2> {
    let mut groups: Vec<Level2> = Level2::ALL
        .into_iter()
        .filter(|&l| {
            l != filed
                && library
                    .get(&key(l, name))
                    .is_some_and(|e| e.uses.len() >= 2)
        })
        .collect();
    groups.dedup();
    match groups.as_slice() {
        [one] => Some(*one),
        _ => None,
    }
}

/// Why a cost target exceeds the funds, when it is an amount above them.
fn cost_over_funds(target: &str, funds: &Amount) -> Option<String> {
    let value = TargetValue::parse(target);
    let [term] = value.terms() else {
        return None;
    };
    let crate::target_value::Bound::Single(q) = &term.bound else {
        return None;
    };
    if *q.unit.dimension() != Dimension::Money {
        return None;
    }
    let target_yuan = q.base_value()?;
    let funds_yuan = funds.in_yuan()?;
    (target_yuan > funds_yuan).then(|| {
        format!(
            "目标值折合{}元，项目资金折合{}元",
            target_yuan.normalize(),
            funds_yuan.normalize()
        )
    })
}

#[cfg(test)]
mod tests;
