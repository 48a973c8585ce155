//! Checks across forms: indicators copied between forms, the project list against the
//! projects' self-evaluations, and the report against its attached forms.

use super::catalog::{A10, Q04, R04};
use super::forms::parts_agree;
use super::precision::half_unit;
use super::report::Placed;
use super::{Finding, Input};
use crate::form::report::FigureValue;
use crate::form::{Form, FundSource};
use crate::money::Amount;

/// `figures[k]` is [`placed`] of input `k` when it is a report (empty otherwise).
pub(super) fn check(inputs: &[Input<'_>], figures: &[Vec<Placed>], out: &mut Vec<Finding>) {
    copies(inputs, out);
    project_list(inputs, out);
    report(inputs, figures, out);
}

/// The (name, target) pairs of a form's indicators.
fn indicators(form: &Form) -> Vec<(String, String)> {
    let key = |s: &str| s.split_whitespace().collect::<String>();
    match form {
        Form::ProjectSelfEvaluation(f) | Form::DepartmentSelfEvaluation(f) => f
            .indicators
            .iter()
            .map(|i| (key(&i.name), key(&i.target)))
            .collect(),
        Form::ProjectTarget(f) => f
            .indicators
            .iter()
            .map(|i| (key(&i.name), key(&i.target)))
            .collect(),
        Form::DepartmentTarget(f) => f
            .indicators
            .iter()
            .map(|i| (key(&i.name), key(&i.target)))
            .collect(),
        _ => Vec::new(),
    }
}

/// Q04: a form whose indicators repeat another form's, name and value, for the most part.
fn copies(inputs: &[Input<'_>], out: &mut Vec<Finding>) {
    let all: Vec<Vec<(String, String)>> = inputs.iter().map(|i| indicators(i.form)).collect();
    for j in 0..inputs.len() {
        for i in 0..j {
            let (a, b) = (&all[i], &all[j]);
            if a.is_empty() || b.is_empty() {
                continue;
            }
            let same = b
                .iter()
                .filter(|x| !x.0.is_empty() && a.contains(x))
                .count();
            if same >= 3 && same * 2 >= a.len().min(b.len()) {
                out.push(
                    Finding::new(
                        &Q04,
                        &inputs[j],
                        inputs[j].at("indicators[0].name"),
                        format!(
                            "{}项指标中有{same}项（名称和指标值）与“{}”完全相同",
                            b.len(),
                            inputs[i].label()
                        ),
                    )
                    .values(None, Some(format!("{same}/{}", b.len()))),
                );
            }
        }
    }
}

/// True when two statements of one amount agree at their printed precision: the finer rounds
/// to the coarser, within half a unit of its last digit (18.6 and 18.60, 11.15 and 11.148, 11.2
/// and 11.15; not 12 and 11.15).
fn same(a: Amount, b: Amount) -> bool {
    let Some(b) = b.to_unit(a.unit()) else {
        return a == b;
    };
    let (x, y) = (a.value(), b.value());
    let coarser = if x.scale() <= y.scale() { x } else { y };
    (x - y).abs() <= half_unit(coarser)
}

/// A10: each project's budget in the list equals its self-evaluation's 全年预算数.
fn project_list(inputs: &[Input<'_>], out: &mut Vec<Finding>) {
    for list in inputs {
        let Form::ProjectList(l) = list.form else {
            continue;
        };
        for (k, item) in l.items.iter().enumerate() {
            let Some(budget) = item.budget else { continue };
            let form = inputs.iter().find_map(|i| match i.form {
                Form::ProjectSelfEvaluation(f) if f.name == item.name => Some(f),
                _ => None,
            });
            let Some(full) = form
                .and_then(|f| f.funds.row(FundSource::Total))
                .and_then(|r| r.full_year_budget)
            else {
                continue;
            };
            if !same(budget, full) {
                out.push(
                    Finding::new(
                        &A10,
                        list,
                        list.at(&format!("items[{k}].budget")),
                        format!("清单中“{}”全年预算数{budget}，其自评表为{full}", item.name),
                    )
                    .values(Some(budget.to_string()), Some(full.to_string())),
                );
            }
        }
    }
}

/// R04: the report's figures against the attached forms.
fn report(inputs: &[Input<'_>], figures: &[Vec<Placed>], out: &mut Vec<Finding>) {
    for (input, placed) in inputs.iter().zip(figures) {
        // A monitoring report states mid-year figures: not checked against the year's forms.
        let Form::Report(r) = input.form else {
            continue;
        };
        if !r.kind.is_self_evaluation() {
            continue;
        }
        let projects: Vec<_> = inputs
            .iter()
            .filter_map(|i| match i.form {
                Form::ProjectSelfEvaluation(f) => Some(f),
                _ => None,
            })
            .collect();
        let departments: Vec<_> = inputs
            .iter()
            .filter_map(|i| match i.form {
                Form::DepartmentSelfEvaluation(f) => Some(f),
                _ => None,
            })
            .collect();
        for (s, section) in r.sections.iter().enumerate() {
            let mut amounts: Vec<Amount> = Vec::new();
            for p in placed.iter().filter(|p| p.section == s) {
                let f = &p.figure;
                let FigureValue::Money(a) = f.value else {
                    continue;
                };
                if f.label == "金额" {
                    amounts.push(a);
                }
                // The initial budget stated in the report against the department form.
                if f.label.ends_with("年初预算")
                    && let [d] = departments.as_slice()
                    && let Some(initial) = d
                        .funds
                        .row(FundSource::Total)
                        .and_then(|t| t.initial_budget)
                    && !same(a, initial)
                {
                    out.push(
                        Finding::new(
                            &R04,
                            input,
                            input.at(&format!("sections[{s}].paragraphs[{}]", p.paragraph)),
                            format!(
                                "报告所述{}{a}，部门整体支出绩效自评表年初预算数为{initial}",
                                f.label
                            ),
                        )
                        .values(Some(a.to_string()), Some(initial.to_string())),
                    );
                }
            }
            // Itemized project amounts against the project form's full-year budget.
            if amounts.len() >= 2
                && let [p] = projects.as_slice()
                && let Some(full) = p
                    .funds
                    .row(FundSource::Total)
                    .and_then(|t| t.full_year_budget)
                && let Some((sum, false)) = parts_agree(full, &amounts, true)
            {
                let terms: Vec<String> = amounts.iter().map(Amount::to_string).collect();
                out.push(
                    Finding::new(
                        &R04,
                        input,
                        input.at(&format!("sections[{s}].heading")),
                        format!(
                            "“{}”所列项目金额合计{sum}，项目支出绩效自评表全年预算数为{full}",
                            section.heading
                        ),
                    )
                    .values(Some(sum.to_string()), Some(full.to_string()))
                    .evidence(format!("{} = {sum}", terms.join(" + "))),
                );
            }
        }
    }
}
