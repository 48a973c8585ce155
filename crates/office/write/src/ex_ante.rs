//! 事前绩效评估表 laid out as the provinces print it: the header (项目名称, 项目单位, 主管部门,
//! 申请资金, 评估机构), one row per aspect (评估内容, 分值, 得分, 评估意见), 合计, 评估结论 and
//! 评估意见及建议. What is written imports back as the same typed form.

use jixiao_core::form::ex_ante::ExAnteAssessment;
use rust_decimal::Decimal;

use super::sheet::{Sheet, Style, number, wan_amount as amount};

const COLS: usize = 6;

/// 事前绩效评估表 as a sheet.
pub fn ex_ante_sheet(form: &ExAnteAssessment, sheet_name: &str) -> Sheet {
    let mut s = Sheet::new(sheet_name);
    for (c, w) in [(0, 130), (1, 70), (2, 70), (3, 120), (4, 120), (5, 120)] {
        s.width(c, w);
    }
    s.set(0, 0, "事前绩效评估表", Style::Title)
        .merge(0, 0, 0, COLS - 1);
    let mut r = 1;
    if let Some(y) = form.year {
        s.set(1, 0, format!("（{y}年度）"), Style::Caption)
            .merge(1, 0, 1, COLS - 1);
        r = 2;
    }
    s.field_row(r, "项目名称", &form.project_name, COLS);
    r += 1;
    s.set(r, 0, "项目单位", Style::CellCenter)
        .set(r, 1, &form.unit, Style::Cell)
        .merge(r, 1, r, 3)
        .set(r, 4, "主管部门", Style::CellCenter)
        .set(r, 5, form.department.as_deref().unwrap_or(""), Style::Cell);
    r += 1;
    s.set(r, 0, "申请资金（万元）", Style::CellCenter)
        .set(r, 1, amount(form.funds), Style::Cell)
        .merge(r, 1, r, 3)
        .set(r, 4, "评估机构", Style::CellCenter)
        .set(r, 5, form.assessor.as_deref().unwrap_or(""), Style::Cell);
    r += 1;
    for f in &form.other_fields {
        s.field_row(r, &f.label, &f.value, COLS);
        r += 1;
    }
    s.set(r, 0, "评估内容", Style::CellCenter)
        .set(r, 1, "分值", Style::CellCenter)
        .set(r, 2, "得分", Style::CellCenter)
        .set(r, 3, "评估意见", Style::CellCenter)
        .merge(r, 3, r, COLS - 1);
    r += 1;
    for row in &form.aspects {
        s.set(r, 0, &row.name, Style::CellCenter)
            .set(r, 1, number(row.points), Style::CellCenter)
            .set(r, 2, number(row.score), Style::CellCenter)
            .set(r, 3, &row.reasoning, Style::Cell)
            .merge(r, 3, r, COLS - 1);
        r += 1;
    }
    let points: Option<Decimal> = form
        .aspects
        .iter()
        .map(|row| row.points)
        .sum::<Option<Decimal>>();
    s.set(r, 0, "合计", Style::CellCenter)
        .set(r, 1, number(points), Style::CellCenter)
        .set(r, 2, number(form.stated_total), Style::CellCenter)
        .set(r, 3, "", Style::Cell)
        .merge(r, 3, r, COLS - 1);
    r += 1;
    s.field_row(
        r,
        "评估结论",
        form.conclusion.map(|c| c.name()).unwrap_or(""),
        COLS,
    );
    r += 1;
    s.field_row(r, "评估意见及建议", &form.opinion, COLS);
    s
}
