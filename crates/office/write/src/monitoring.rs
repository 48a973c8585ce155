//! 项目支出绩效目标执行监控表 laid out as filed (rules.md §4.3): the project header, 项目资金 by
//! source (年初预算数, 调整后预算数, 1—N月执行数, 执行率, 全年预计执行数), 年度总体目标 and its
//! progress, the indicator rows with 完成目标可能性 and 偏差原因, then the cause and measures.
//! What is written imports back as the same typed form.

use jixiao_core::form::monitoring::Monitoring;
use jixiao_core::money::Amount;
use jixiao_core::scoring::percent;

use super::sheet::{Sheet, Style, level_cells};

const COLS: usize = 11;

fn amount(a: Option<Amount>) -> String {
    a.map(|a| a.as_written()).unwrap_or_default()
}

/// 项目支出绩效目标执行监控表 as a sheet.
pub fn monitoring_sheet(form: &Monitoring, sheet_name: &str) -> Sheet {
    let mut s = Sheet::new(sheet_name);
    for (c, w) in [
        (0, 80),
        (1, 80),
        (2, 90),
        (3, 120),
        (4, 120),
        (5, 120),
        (6, 120),
        (7, 80),
        (8, 80),
        (9, 140),
        (10, 80),
    ] {
        s.width(c, w);
    }
    let m = form.period_end_month;
    s.set(0, 0, "项目支出绩效目标执行监控表", Style::Title)
        .merge(0, 0, 0, COLS - 1);
    let mut r = 1;
    if let Some(y) = form.year {
        s.set(1, 0, format!("（{y}年度）"), Style::Caption)
            .merge(1, 0, 1, COLS - 1);
        r = 2;
    }
    s.set(r, 0, "项目名称", Style::CellCenter)
        .set(r, 1, &form.project_name, Style::Cell)
        .merge(r, 1, r, 4)
        .set(r, 5, "主管部门", Style::CellCenter)
        .set(
            r,
            6,
            form.competent_department.as_deref().unwrap_or(""),
            Style::Cell,
        )
        .merge(r, 6, r, 7)
        .set(r, 8, "实施单位", Style::CellCenter)
        .set(
            r,
            9,
            form.implementing_unit.as_deref().unwrap_or(""),
            Style::Cell,
        )
        .merge(r, 9, r, COLS - 1);
    r += 1;
    let top = r;
    s.set(r, 0, "项目资金（万元）", Style::CellCenter)
        .set(r, 1, "", Style::CellCenter)
        .merge(r, 1, r, 2)
        .set(r, 3, "年初预算数", Style::CellCenter)
        .set(r, 4, "调整后预算数", Style::CellCenter)
        .set(r, 5, format!("1-{m}月执行数"), Style::CellCenter)
        .set(r, 6, format!("1-{m}月执行率"), Style::CellCenter)
        .set(r, 7, "全年预计执行数", Style::CellCenter)
        .merge(r, 7, r, COLS - 1);
    r += 1;
    for row in &form.funds {
        let rate = match (row.executed, row.budget()) {
            (Some(x), Some(b)) if !b.is_zero() => x.ratio_to(b).map(percent).unwrap_or_default(),
            _ => String::new(),
        };
        s.set(r, 1, row.source.label(), Style::Cell)
            .merge(r, 1, r, 2)
            .set(r, 3, amount(row.initial_budget), Style::Cell)
            .set(r, 4, amount(row.adjusted_budget), Style::Cell)
            .set(r, 5, amount(row.executed), Style::Cell)
            .set(r, 6, rate, Style::Cell)
            .set(r, 7, amount(row.expected_year_end), Style::Cell)
            .merge(r, 7, r, COLS - 1);
        r += 1;
    }
    s.merge(top, 0, r - 1, 0);
    s.set(r, 0, "年度总体目标", Style::CellCenter)
        .set(r, 1, "年初设定目标", Style::CellCenter)
        .merge(r, 1, r, 5)
        .set(r, 6, format!("1-{m}月实际完成情况"), Style::CellCenter)
        .merge(r, 6, r, COLS - 1)
        .set(r + 1, 1, &form.overall_target.target, Style::Cell)
        .merge(r + 1, 1, r + 1, 5)
        .set(r + 1, 6, &form.overall_target.progress, Style::Cell)
        .merge(r + 1, 6, r + 1, COLS - 1)
        .merge(r, 0, r + 1, 0);
    r += 2;
    let head = r;
    for (c, text) in [
        (0, "绩效指标".to_string()),
        (1, "一级指标".to_string()),
        (2, "二级指标".to_string()),
        (3, "三级指标".to_string()),
        (4, "年度指标值".to_string()),
        (5, format!("1-{m}月执行情况")),
        (6, "全年预计完成情况".to_string()),
        (7, "完成目标可能性".to_string()),
        (8, "偏差原因类别".to_string()),
        (9, "偏差原因分析".to_string()),
        (10, "备注".to_string()),
    ] {
        s.set(r, c, text, Style::CellCenter);
    }
    r += 1;
    for (k, i) in form.indicators.iter().enumerate() {
        s.set(r + k, 3, &i.name, Style::Cell)
            .set(r + k, 4, &i.target, Style::Cell)
            .set(r + k, 5, &i.progress, Style::Cell)
            .set(r + k, 6, &i.expected_year_end, Style::Cell)
            .set(
                r + k,
                7,
                i.likelihood.map_or("", |l| l.name()),
                Style::CellCenter,
            )
            .set(
                r + k,
                8,
                i.cause.map_or("", |c| c.name()),
                Style::CellCenter,
            )
            .set(
                r + k,
                9,
                i.deviation_reason.as_deref().unwrap_or(""),
                Style::Cell,
            )
            .set(r + k, 10, i.note.as_deref().unwrap_or(""), Style::Cell);
    }
    let levels: Vec<(&str, &str)> = form
        .indicators
        .iter()
        .map(|i| (i.level1.as_str(), i.level2.as_str()))
        .collect();
    level_cells(&mut s, r, 1, &levels);
    r += form.indicators.len();
    s.merge(head, 0, r.max(head + 1) - 1, 0);
    for (label, value) in [
        ("偏差或不能完成目标原因分析", &form.problems),
        ("拟采取的措施", &form.measures),
    ] {
        s.set(r, 0, label, Style::CellCenter)
            .merge(r, 0, r, 2)
            .set(r, 3, value.as_deref().unwrap_or(""), Style::Cell)
            .merge(r, 3, r, COLS - 1);
        r += 1;
    }
    s
}
