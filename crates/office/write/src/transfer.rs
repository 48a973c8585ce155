//! 转移支付区域（项目）绩效自评表 laid out as the national form: the header (名称, 中央/地方
//! 主管部门, 资金使用单位), 资金投入情况 by level (全年预算数(A), 全年到位资金 when stated,
//! 全年执行数(B), 预算执行率), 资金管理情况 with 情况说明 and 存在问题和改进措施, 总体目标完成情况
//! and the 绩效指标 rows. What is written imports back as the same typed form.

use super::sheet::{Sheet, Style, level_cells, number, wan_amount as amount};
use jixiao_core::form::transfer::TransferPayment;

const COLS: usize = 8;

/// 转移支付区域绩效自评表 as a sheet.
pub fn transfer_sheet(form: &TransferPayment, sheet_name: &str) -> Sheet {
    let mut s = Sheet::new(sheet_name);
    for (c, w) in [
        (0, 110),
        (1, 90),
        (2, 110),
        (3, 110),
        (4, 110),
        (5, 110),
        (6, 70),
        (7, 120),
    ] {
        s.width(c, w);
    }
    s.set(0, 0, "转移支付区域绩效自评表", Style::Title)
        .merge(0, 0, 0, COLS - 1);
    let mut r = 1;
    if let Some(y) = form.year {
        s.set(1, 0, format!("（{y}年度）"), Style::Caption)
            .merge(1, 0, 1, COLS - 1);
        r = 2;
    }
    s.field_row(r, "转移支付（项目）名称", &form.name, COLS);
    r += 1;
    s.set(r, 0, "中央主管部门", Style::CellCenter)
        .set(
            r,
            1,
            form.central_department.as_deref().unwrap_or(""),
            Style::Cell,
        )
        .merge(r, 1, r, 3)
        .set(r, 4, "地方主管部门", Style::CellCenter)
        .set(
            r,
            5,
            form.local_department.as_deref().unwrap_or(""),
            Style::Cell,
        )
        .merge(r, 5, r, COLS - 1);
    r += 1;
    s.field_row(
        r,
        "资金使用单位",
        form.implementing_unit.as_deref().unwrap_or(""),
        COLS,
    );
    r += 1;
    for f in &form.other_fields {
        s.field_row(r, &f.label, &f.value, COLS);
        r += 1;
    }
    r = funds(&mut s, form, r);
    r = management(&mut s, form, r);

    // 总体目标完成情况.
    s.set(r, 0, "总体目标完成情况", Style::CellCenter)
        .merge(r, 0, r + 1, 0)
        .set(r, 1, "总体目标", Style::CellCenter)
        .merge(r, 1, r, 3)
        .set(r, 4, "全年实际完成情况", Style::CellCenter)
        .merge(r, 4, r, COLS - 1)
        .set(r + 1, 1, &form.overall_target.expected, Style::Cell)
        .merge(r + 1, 1, r + 1, 3)
        .set(r + 1, 4, &form.overall_target.actual, Style::Cell)
        .merge(r + 1, 4, r + 1, COLS - 1);
    r += 2;

    // 绩效指标.
    let head = [
        "一级指标",
        "二级指标",
        "三级指标",
        "指标值",
        "全年实际完成值",
        "分值",
        "得分",
        "未完成原因分析",
    ];
    for (c, h) in head.iter().enumerate() {
        s.set(r, c, *h, Style::CellCenter);
    }
    s.header(r, r);
    r += 1;
    let first_row = r;
    for (k, i) in form.indicators.iter().enumerate() {
        let row = first_row + k;
        s.set(row, 2, &i.name, Style::Cell)
            .set(row, 3, &i.target, Style::Cell)
            .set(row, 4, &i.actual, Style::Cell)
            .set(row, 5, number(i.weight), Style::CellCenter)
            .set(row, 6, number(i.score), Style::CellCenter)
            .set(
                row,
                7,
                i.deviation_reason.as_deref().unwrap_or(""),
                Style::Cell,
            );
    }
    let levels: Vec<(&str, &str)> = form
        .indicators
        .iter()
        .map(|i| (i.level1.as_str(), i.level2.as_str()))
        .collect();
    level_cells(&mut s, first_row, 0, &levels);
    r = first_row + form.indicators.len();
    if let Some(total) = form.stated_total {
        s.set(r, 0, "总分", Style::CellCenter)
            .merge(r, 0, r, 5)
            .set(r, 6, number(Some(total)), Style::CellCenter)
            .set(r, 7, "", Style::Cell);
        r += 1;
    }
    for (i, note) in form.notes.iter().enumerate() {
        let text = if i == 0 {
            format!("备注：{note}")
        } else {
            note.clone()
        };
        s.set(r, 0, text, Style::Plain).merge(r, 0, r, COLS - 1);
        r += 1;
    }
    s
}

/// 资金投入情况: the header and a row per level. Returns the next row.
fn funds(s: &mut Sheet, form: &TransferPayment, mut r: usize) -> usize {
    s.set(r, 0, "资金投入情况（万元）", Style::CellCenter)
        .merge(r, 0, r, 1)
        .set(r, 2, "全年预算数（A）", Style::CellCenter)
        .set(r, 3, "全年到位资金", Style::CellCenter)
        .set(r, 4, "全年执行数（B）", Style::CellCenter)
        .set(r, 5, "预算执行率（B/A×100%）", Style::CellCenter)
        .merge(r, 5, r, COLS - 1);
    r += 1;
    let mut part = None;
    for row in &form.funds {
        if row.part.is_some() && row.part != part {
            // The part's own label row, its rows after it.
            part = row.part.clone();
            s.set(r, 0, part.clone().unwrap_or_default(), Style::Cell)
                .merge(r, 0, r, COLS - 1);
            r += 1;
        }
        let label = row
            .label
            .clone()
            .unwrap_or_else(|| row.level.label().to_string());
        s.set(r, 0, label, Style::Cell)
            .merge(r, 0, r, 1)
            .set(r, 2, amount(row.budget), Style::CellCenter)
            .set(r, 3, amount(row.received), Style::CellCenter)
            .set(r, 4, amount(row.executed), Style::CellCenter)
            .set(
                r,
                5,
                row.stated_rate.map(|v| format!("{v}%")).unwrap_or_default(),
                Style::CellCenter,
            )
            .merge(r, 5, r, COLS - 1);
        r += 1;
    }
    r
}

/// 资金管理情况: the header and a row per aspect. Returns the next row.
fn management(s: &mut Sheet, form: &TransferPayment, mut r: usize) -> usize {
    s.set(r, 0, "资金管理情况", Style::CellCenter)
        .merge(r, 0, r, 1)
        .set(r, 2, "情况说明", Style::CellCenter)
        .merge(r, 2, r, 4)
        .set(r, 5, "存在问题和改进措施", Style::CellCenter)
        .merge(r, 5, r, COLS - 1);
    r += 1;
    for m in &form.management {
        s.set(r, 0, &m.aspect, Style::Cell)
            .merge(r, 0, r, 1)
            .set(r, 2, &m.explanation, Style::Cell)
            .merge(r, 2, r, 4)
            .set(r, 5, m.problems.as_deref().unwrap_or(""), Style::Cell)
            .merge(r, 5, r, COLS - 1);
        r += 1;
    }
    r
}
