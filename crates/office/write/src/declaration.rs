//! 绩效目标申报表 laid out as filed: 项目支出绩效目标申报表 (项目名称, 预算单位, 项目资金 with
//! 资金总额 and 其中, 中期/年度目标, the indicator tree, 审核意见, the 填报人 lines) and
//! 部门整体支出绩效目标申报表 (年度预算申请 by source and by nature, 职能职责, the 年度主要任务
//! table with 金额合计, 年度总体目标, the indicator tree). What is written imports back, through
//! the recognizer, as the same typed form.

use jixiao_core::form::{DeclaredIndicator, DepartmentTarget, Field, ProjectTarget};
use jixiao_core::money::Amount;
use rust_decimal::Decimal;

use super::sheet::{Sheet, Style, amount, level_cells};

/// `label：amount（note）`, the note taken from the `label说明` field.
fn labelled(label: &str, a: Option<Amount>, fields: &[Field]) -> String {
    let note = fields
        .iter()
        .find(|f| f.label == format!("{label}说明"))
        .map(|f| format!("（{}）", f.value))
        .unwrap_or_default();
    format!("{label}：{}{note}", amount(a))
}

/// Title and year rows; returns the next row.
fn heading(s: &mut Sheet, title: &str, year: Option<u16>, cols: usize) -> usize {
    s.set(0, 0, title, Style::Title).merge(0, 0, 0, cols - 1);
    match year {
        Some(y) => {
            s.set(1, 0, format!("（{y}年度）"), Style::Caption)
                .merge(1, 0, 1, cols - 1);
            2
        }
        None => 1,
    }
}

/// The indicator header and rows from `r` with the label `label` merged down column 0;
/// returns the next row. Weighted indicators (a form that printed 分值) get a 分值 column in
/// the last one, and a stated total weight its 分值合计 row.
fn indicator_rows(
    s: &mut Sheet,
    mut r: usize,
    label: &str,
    indicators: &[DeclaredIndicator],
    total_weight: Option<Decimal>,
    cols: usize,
) -> usize {
    let top = r;
    let weighted = total_weight.is_some() || indicators.iter().any(|i| i.weight.is_some());
    let value_end = if weighted { cols - 2 } else { cols - 1 };
    s.set(r, 0, label, Style::CellCenter)
        .set(r, 1, "一级指标", Style::CellCenter)
        .set(r, 2, "二级指标", Style::CellCenter)
        .set(r, 3, "三级指标", Style::CellCenter)
        .set(r, 4, "指标值（包含数字及文字描述）", Style::CellCenter)
        .merge(r, 4, r, value_end)
        .header(r, r);
    if weighted {
        s.set(r, cols - 1, "分值", Style::CellCenter);
    }
    r += 1;
    for (k, i) in indicators.iter().enumerate() {
        s.set(r + k, 3, &i.name, Style::Cell)
            .set(r + k, 4, &i.target, Style::Cell)
            .merge(r + k, 4, r + k, value_end);
        if let Some(w) = i.weight {
            s.set(
                r + k,
                cols - 1,
                w.normalize().to_string(),
                Style::CellCenter,
            );
        }
    }
    let levels: Vec<(&str, &str)> = indicators
        .iter()
        .map(|i| (i.level1.as_str(), i.level2.as_str()))
        .collect();
    level_cells(s, r, 1, &levels);
    r += indicators.len();
    s.merge(top, 0, r - 1, 0);
    if let Some(w) = total_weight {
        s.set(r, 0, "分值合计", Style::CellCenter)
            .merge(r, 0, r, cols - 2)
            .set(r, cols - 1, w.normalize().to_string(), Style::CellCenter);
        r += 1;
    }
    r
}

/// 审核意见 rows, then every other field (bar the amount notes) as `label：value` lines.
fn closing(s: &mut Sheet, mut r: usize, fields: &[Field], cols: usize) -> usize {
    for f in fields.iter().filter(|f| f.label.contains("审核意见")) {
        s.field_row(r, &f.label, &f.value, cols);
        r += 1;
    }
    for f in fields
        .iter()
        .filter(|f| !f.label.contains("审核意见") && !f.label.ends_with("说明"))
    {
        s.set(r, 0, format!("{}：{}", f.label, f.value), Style::Plain)
            .merge(r, 0, r, cols - 1);
        r += 1;
    }
    r
}

/// 项目支出绩效目标申报表 as a sheet.
pub fn project_target_sheet(form: &ProjectTarget, sheet_name: &str) -> Sheet {
    const COLS: usize = 6;
    let mut s = Sheet::new(sheet_name);
    for (c, w) in [(0, 110), (1, 100), (2, 110), (3, 200), (4, 200), (5, 120)] {
        s.width(c, w);
    }
    let mut r = heading(&mut s, "项目支出绩效目标申报表", form.year, COLS);
    for (label, value) in [("项目名称", &form.project_name), ("预算单位", &form.unit)] {
        s.field_row(r, label, value, COLS);
        r += 1;
    }
    let funds = [
        labelled("资金总额", form.funds_total, &form.other_fields),
        labelled("其中：财政拨款", form.funds_fiscal, &form.other_fields),
        labelled("其他资金", form.funds_other, &form.other_fields),
    ];
    s.set(r, 0, "项目资金（万元）", Style::CellCenter);
    for (k, text) in funds.into_iter().enumerate() {
        s.set(r + k, 1, text, Style::Cell)
            .merge(r + k, 1, r + k, COLS - 1);
    }
    s.merge(r, 0, r + 2, 0);
    r += 3;
    s.set(r, 0, "总体目标", Style::CellCenter);
    match &form.medium_term_target {
        Some(medium) => {
            s.set(r, 1, "中期目标", Style::CellCenter)
                .merge(r, 1, r, 3)
                .set(r, 4, "年度目标", Style::CellCenter)
                .merge(r, 4, r, COLS - 1)
                .set(r + 1, 1, medium, Style::Cell)
                .merge(r + 1, 1, r + 1, 3)
                .set(r + 1, 4, &form.annual_target, Style::Cell)
                .merge(r + 1, 4, r + 1, COLS - 1);
        }
        None => {
            s.set(r, 1, "年度目标", Style::CellCenter)
                .merge(r, 1, r, COLS - 1)
                .set(r + 1, 1, &form.annual_target, Style::Cell)
                .merge(r + 1, 1, r + 1, COLS - 1);
        }
    }
    s.merge(r, 0, r + 1, 0);
    r += 2;
    r = indicator_rows(
        &mut s,
        r,
        "绩效指标",
        &form.indicators,
        form.stated_total_weight,
        COLS,
    );
    closing(&mut s, r, &form.other_fields, COLS);
    s
}

/// 部门整体支出绩效目标申报表 as a sheet.
pub fn department_target_sheet(form: &DepartmentTarget, sheet_name: &str) -> Sheet {
    const COLS: usize = 6;
    let mut s = Sheet::new(sheet_name);
    for (c, w) in [(0, 110), (1, 100), (2, 110), (3, 200), (4, 100), (5, 100)] {
        s.width(c, w);
    }
    let fields = &form.other_fields;
    let mut r = heading(&mut s, "部门整体支出绩效目标申报表", form.year, COLS);
    s.field_row(r, "部门名称", &form.department, COLS);
    r += 1;
    s.set(r, 0, "年度预算申请（万元）", Style::CellCenter)
        .set(
            r,
            1,
            labelled("资金总额", form.funds_total, fields),
            Style::Cell,
        )
        .merge(r, 1, r, COLS - 1)
        .set(r + 1, 1, "按收入性质分", Style::CellCenter)
        .merge(r + 1, 1, r + 1, 3)
        .set(r + 1, 4, "按支出性质分", Style::CellCenter)
        .merge(r + 1, 4, r + 1, COLS - 1)
        .set(
            r + 2,
            1,
            format!(
                "其中：{}\n{}",
                labelled("财政拨款", form.funds_fiscal, fields),
                labelled("其他资金", form.funds_other, fields)
            ),
            Style::Cell,
        )
        .merge(r + 2, 1, r + 2, 3)
        .set(
            r + 2,
            4,
            format!(
                "其中：{}\n{}",
                labelled("基本支出", form.basic_expenditure, fields),
                labelled("项目支出", form.project_expenditure, fields)
            ),
            Style::Cell,
        )
        .merge(r + 2, 4, r + 2, COLS - 1)
        .merge(r, 0, r + 2, 0);
    r += 3;
    s.field_row(r, "部门职能职责概述", &form.duties, COLS);
    r += 1;
    // 年度主要任务: 任务名称 | 主要内容 | 预算金额 over 总额 | 财政拨款 | 其他资金.
    let top = r;
    s.set(r, 0, "年度主要任务", Style::CellCenter)
        .set(r, 1, "任务名称", Style::CellCenter)
        .merge(r, 1, r + 1, 1)
        .set(r, 2, "主要内容", Style::CellCenter)
        .merge(r, 2, r + 1, 2)
        .set(r, 3, "预算金额", Style::CellCenter)
        .merge(r, 3, r, COLS - 1)
        .set(r + 1, 3, "总额", Style::CellCenter)
        .set(r + 1, 4, "财政拨款", Style::CellCenter)
        .set(r + 1, 5, "其他资金", Style::CellCenter);
    r += 2;
    for task in &form.tasks {
        s.set(r, 1, &task.name, Style::Cell)
            .set(r, 2, &task.content, Style::Cell)
            .set(r, 3, amount(task.budget.total), Style::CellCenter)
            .set(r, 4, amount(task.budget.fiscal), Style::CellCenter)
            .set(r, 5, amount(task.budget.other), Style::CellCenter);
        r += 1;
    }
    if let Some(total) = &form.stated_tasks_total {
        s.set(r, 1, "金额合计", Style::CellCenter)
            .merge(r, 1, r, 2)
            .set(r, 3, amount(total.total), Style::CellCenter)
            .set(r, 4, amount(total.fiscal), Style::CellCenter)
            .set(r, 5, amount(total.other), Style::CellCenter);
        r += 1;
    }
    s.merge(top, 0, r - 1, 0);
    s.field_row(r, "年度总体目标", &form.annual_target, COLS);
    r += 1;
    r = indicator_rows(
        &mut s,
        r,
        "部门整体支出年度绩效指标",
        &form.indicators,
        None,
        COLS,
    );
    closing(&mut s, r, fields, COLS);
    s
}
