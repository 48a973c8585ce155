//! The declarations (项目支出绩效目标申报表, 部门整体支出绩效目标申报表): their paper layout and
//! the reading of their posted fields; an indicator added from the library, and last year's
//! values noted under the targets.

use jixiao_core::form::{DeclaredIndicator, DepartmentTarget, Form, ProjectTarget, Task};
use jixiao_core::library::LastYear;

use super::read::{Reader, RowOp, edit_rows};
use super::{Builder, Cell, Table, label, money, opt, span, year};

/// The project declaration's head and its indicators.
pub(super) fn project_layout(b: &Builder<'_>, d: &ProjectTarget) -> Vec<Table> {
    let head = Table {
        widths: vec![14, 20, 14, 20, 12, 20],
        rows: vec![
            name_and_year(b, "project_name", &d.project_name, "项目名称", d.year),
            vec![
                label("预算单位"),
                span(b.input("unit", d.unit.clone(), "预算单位", false), 5),
            ],
            b.money_cells([
                ("资金总额（万元）", "funds_total", d.funds_total.as_ref()),
                ("其中：财政拨款", "funds_fiscal", d.funds_fiscal.as_ref()),
                ("其他资金", "funds_other", d.funds_other.as_ref()),
            ]),
            vec![
                label("中期目标"),
                span(
                    b.input(
                        "medium_term_target",
                        opt(d.medium_term_target.as_ref()),
                        "中期目标",
                        true,
                    ),
                    5,
                ),
            ],
            vec![
                label("年度目标"),
                span(
                    b.input("annual_target", d.annual_target.clone(), "年度目标", true),
                    5,
                ),
            ],
        ],
    };
    vec![head, declared_indicators(b, &d.indicators)]
}

/// The department declaration's head, its tasks and its indicators.
pub(super) fn department_layout(b: &Builder<'_>, d: &DepartmentTarget) -> Vec<Table> {
    let mut head = Table {
        widths: vec![14, 20, 14, 20, 12, 20],
        rows: vec![
            name_and_year(b, "department", &d.department, "部门名称", d.year),
            b.money_cells([
                ("资金总额（万元）", "funds_total", d.funds_total.as_ref()),
                ("公共财政拨款", "funds_fiscal", d.funds_fiscal.as_ref()),
                ("其他资金", "funds_other", d.funds_other.as_ref()),
            ]),
            vec![
                label("基本支出"),
                b.input(
                    "basic_expenditure",
                    money(d.basic_expenditure.as_ref()),
                    "基本支出",
                    false,
                ),
                label("项目支出"),
                b.input(
                    "project_expenditure",
                    money(d.project_expenditure.as_ref()),
                    "项目支出",
                    false,
                ),
                span(label(""), 2),
            ],
            vec![
                label("部门职能职责概述"),
                span(
                    b.input("duties", d.duties.clone(), "部门职能职责概述", true),
                    5,
                ),
            ],
            vec![
                label("年度主要任务"),
                label("任务名称"),
                span(label("主要内容"), 3),
                label("预算金额（万元）"),
            ],
        ],
    };
    for (k, t) in d.tasks.iter().enumerate() {
        head.rows.push(vec![
            label(format!("任务{}", k + 1)),
            b.input(
                &format!("tasks[{k}].name"),
                t.name.clone(),
                "任务名称",
                false,
            ),
            span(
                b.input(
                    &format!("tasks[{k}].content"),
                    t.content.clone(),
                    "主要内容",
                    true,
                ),
                3,
            ),
            b.input(
                &format!("tasks[{k}].budget.total"),
                money(t.budget.total.as_ref()),
                "预算金额",
                false,
            ),
        ]);
    }
    head.rows.push(vec![
        label("年度总体目标"),
        span(
            b.input(
                "annual_target",
                d.annual_target.clone(),
                "年度总体目标",
                true,
            ),
            5,
        ),
    ]);
    vec![head, declared_indicators(b, &d.indicators)]
}

/// The first row of a declaration: its name over three columns, then its year.
fn name_and_year(
    b: &Builder<'_>,
    field: &str,
    name: &str,
    caption: &str,
    y: Option<u16>,
) -> Vec<Cell> {
    vec![
        label(caption),
        span(b.input(field, name.to_string(), caption, false), 3),
        label("年度"),
        b.input("year", year(y), "年度", false),
    ]
}

/// The indicator table of a declaration: 一级/二级/三级指标 and 指标值.
fn declared_indicators(b: &Builder<'_>, rows: &[DeclaredIndicator]) -> Table {
    let mut t = Table {
        widths: vec![12, 14, 30, 44],
        rows: vec![vec![
            label("一级指标"),
            label("二级指标"),
            label("三级指标"),
            label("指标值"),
        ]],
    };
    for (k, d) in rows.iter().enumerate() {
        t.rows.push(b.row_inputs(
            &format!("indicators[{k}]"),
            [
                ("level1", d.level1.clone(), "一级指标", false),
                ("level2", d.level2.clone(), "二级指标", false),
                ("name", d.name.clone(), "三级指标", false),
                ("target", d.target.clone(), "指标值", false),
            ],
        ));
    }
    t
}

/// Reads a project declaration's posted fields.
pub(super) fn apply_project(r: &mut Reader<'_>, d: &mut ProjectTarget, op: Option<RowOp>) {
    r.set_text("project_name", &mut d.project_name);
    r.set_text("unit", &mut d.unit);
    r.set_year(&mut d.year);
    r.set_money("funds_total", &mut d.funds_total);
    r.set_money("funds_fiscal", &mut d.funds_fiscal);
    r.set_money("funds_other", &mut d.funds_other);
    r.set_opt_text("medium_term_target", &mut d.medium_term_target);
    r.set_text("annual_target", &mut d.annual_target);
    apply_indicators(r, &mut d.indicators, op);
}

/// Reads a department declaration's posted fields; tasks posted beyond the stored ones are added.
pub(super) fn apply_department(r: &mut Reader<'_>, d: &mut DepartmentTarget, op: Option<RowOp>) {
    r.set_text("department", &mut d.department);
    r.set_year(&mut d.year);
    r.set_money("funds_total", &mut d.funds_total);
    r.set_money("funds_fiscal", &mut d.funds_fiscal);
    r.set_money("funds_other", &mut d.funds_other);
    r.set_money("basic_expenditure", &mut d.basic_expenditure);
    r.set_money("project_expenditure", &mut d.project_expenditure);
    r.set_text("duties", &mut d.duties);
    r.set_text("annual_target", &mut d.annual_target);
    let n = r.rows("tasks");
    d.tasks.resize_with(n.max(d.tasks.len()), || Task {
        name: String::new(),
        content: String::new(),
        budget: Default::default(),
    });
    for (k, t) in d.tasks.iter_mut().enumerate() {
        r.set_text(&format!("tasks[{k}].name"), &mut t.name);
        r.set_text(&format!("tasks[{k}].content"), &mut t.content);
        r.set_money(&format!("tasks[{k}].budget.total"), &mut t.budget.total);
    }
    apply_indicators(r, &mut d.indicators, op);
}

/// Reads the indicator rows, then adds or deletes one (a new row keeps its neighbour's groups).
fn apply_indicators(r: &mut Reader<'_>, rows: &mut Vec<DeclaredIndicator>, op: Option<RowOp>) {
    for (k, d) in rows.iter_mut().enumerate() {
        r.set_text(&format!("indicators[{k}].level1"), &mut d.level1);
        r.set_text(&format!("indicators[{k}].level2"), &mut d.level2);
        r.set_text(&format!("indicators[{k}].name"), &mut d.name);
        r.set_text(&format!("indicators[{k}].target"), &mut d.target);
    }
    if let Some(op) = op {
        edit_rows(rows, op, |k: &DeclaredIndicator| DeclaredIndicator {
            level1: k.level1.clone(),
            level2: k.level2.clone(),
            name: String::new(),
            target: String::new(),
            weight: None,
        });
    }
}

/// Adds an indicator to a declaration with its 指标值, after the last row of the same 二级指标
/// (else of the same 一级指标, else at the end). Returns the new row's index, or `None` for
/// a form that is not a declaration.
pub fn add_indicator(
    form: &mut Form,
    level1: &str,
    level2: &str,
    name: &str,
    target: &str,
) -> Option<usize> {
    let rows = match form {
        Form::ProjectTarget(f) => &mut f.indicators,
        Form::DepartmentTarget(f) => &mut f.indicators,
        _ => return None,
    };
    let after = rows
        .iter()
        .rposition(|r| r.level2.trim() == level2)
        .or_else(|| rows.iter().rposition(|r| r.level1.trim() == level1));
    let at = after.map_or(rows.len(), |k| k + 1);
    rows.insert(
        at,
        DeclaredIndicator {
            level1: level1.to_string(),
            level2: level2.to_string(),
            name: name.to_string(),
            target: target.to_string(),
            weight: None,
        },
    );
    Some(at)
}

/// Last year's target and actual as a note under each indicator's 指标值.
pub fn note_last_year(grid: &mut super::Grid, last_year: &[Option<LastYear>]) {
    for (k, last) in last_year.iter().enumerate() {
        let Some(l) = last else { continue };
        let note = match &l.actual {
            Some(actual) => format!("{}年：目标{}，实际完成{}", l.year, l.target, actual),
            None => format!("{}年：目标{}", l.year, l.target),
        };
        grid.note(&format!("indicators[{k}].target"), note);
    }
}
