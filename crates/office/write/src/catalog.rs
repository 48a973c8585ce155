//! The documents around the forms laid out as filed: 绩效自评项目清单 (序号 | 项目名称 | 全年预算数,
//! 合计), 部门整体支出绩效评价指标表 (一级/二级 with their 分值 merged over their runs, 三级,
//! 分值, 评价标准, 指标说明, 得分) and 部门整体支出绩效评价基础数据表 (填报单位, a block per
//! section: its column headers, then one row per label; text blocks; 说明 lines). What is
//! written imports back as the same typed form.

use jixiao_core::form::{BaseData, EvaluationTable, ProjectList};
use rust_decimal::Decimal;

use super::sheet::{Sheet, Style, amount};

fn points(v: Option<Decimal>) -> String {
    v.map(|v| v.to_string()).unwrap_or_default()
}

/// 绩效自评项目清单 as a sheet.
pub fn project_list_sheet(form: &ProjectList, sheet_name: &str) -> Sheet {
    let mut s = Sheet::new(sheet_name);
    for (c, w) in [(0, 60), (1, 300), (2, 120)] {
        s.width(c, w);
    }
    s.set(0, 0, &form.title, Style::Title).merge(0, 0, 0, 2);
    for (c, h) in ["序号", "项目名称", "全年预算数"].iter().enumerate() {
        s.set(1, c, *h, Style::CellCenter);
    }
    let mut r = 2;
    for item in &form.items {
        s.set(r, 0, &item.number, Style::CellCenter)
            .set(r, 1, &item.name, Style::Cell)
            .set(r, 2, amount(item.budget), Style::CellCenter);
        r += 1;
    }
    if let Some(total) = form.stated_total {
        s.set(r, 0, "合计", Style::CellCenter)
            .merge(r, 0, r, 1)
            .set(r, 2, amount(Some(total)), Style::CellCenter);
    }
    s
}

/// 部门整体支出绩效评价指标表 as a sheet.
pub fn evaluation_table_sheet(form: &EvaluationTable, sheet_name: &str) -> Sheet {
    const COLS: usize = 9;
    let mut s = Sheet::new(sheet_name);
    for (c, w) in [
        (0, 60),
        (1, 40),
        (2, 80),
        (3, 40),
        (4, 120),
        (5, 40),
        (6, 260),
        (7, 220),
        (8, 40),
    ] {
        s.width(c, w);
    }
    s.set(0, 0, &form.title, Style::Title)
        .merge(0, 0, 0, COLS - 1);
    for (c, h) in [
        "一级指标",
        "分值",
        "二级指标",
        "分值",
        "三级指标",
        "分值",
        "评价标准",
        "指标说明",
        "得分",
    ]
    .iter()
    .enumerate()
    {
        s.set(1, c, *h, Style::CellCenter);
    }
    s.header(1, 1);
    let first = 2;
    let rows = &form.indicators;
    for (k, i) in rows.iter().enumerate() {
        let r = first + k;
        s.set(r, 4, &i.name, Style::Cell)
            .set(r, 5, points(i.points), Style::CellCenter)
            .set(r, 6, &i.criteria, Style::Cell)
            .set(r, 7, &i.explanation, Style::Cell)
            .set(r, 8, points(i.stated_score), Style::CellCenter);
    }
    // Group cells with their points, merged over runs of the same group.
    let runs = |key: &dyn Fn(usize) -> (String, String)| {
        let mut out = Vec::new();
        let mut k = 0;
        while k < rows.len() {
            let end = (k..rows.len())
                .take_while(|&j| key(j) == key(k))
                .last()
                .unwrap_or(k);
            out.push((k, end));
            k = end + 1;
        }
        out
    };
    // A group is its name and its points: the same name with other points is another group
    // (seed 004 has 履职效益 worth 10 and, below it, 履职效益 worth 12).
    let level1 = |j: usize| (rows[j].level1.clone(), points(rows[j].level1_points));
    let level2 = |j: usize| {
        (
            format!("{}|{}", rows[j].level1, points(rows[j].level1_points)),
            format!("{}|{}", rows[j].level2, points(rows[j].level2_points)),
        )
    };
    for (col, key, pick) in [
        (0, &level1 as &dyn Fn(usize) -> (String, String), 1),
        (2, &level2, 2),
    ] {
        for (a, b) in runs(key) {
            let i = &rows[a];
            let (name, pts) = if pick == 1 {
                (&i.level1, i.level1_points)
            } else {
                (&i.level2, i.level2_points)
            };
            s.set(first + a, col, name, Style::CellCenter)
                .merge(first + a, col, first + b, col)
                .set(first + a, col + 1, points(pts), Style::CellCenter)
                .merge(first + a, col + 1, first + b, col + 1);
        }
    }
    s
}

/// 部门整体支出绩效评价基础数据表 as a sheet.
pub fn base_data_sheet(form: &BaseData, sheet_name: &str) -> Sheet {
    let mut s = Sheet::new(sheet_name);
    // Blocks in order, each with its columns and labels, empty rows included.
    let layout = form.layout();
    let sections: Vec<(&str, Vec<&str>, Vec<&str>)> = layout
        .iter()
        .map(|b| {
            (
                b.name.as_str(),
                b.columns.iter().map(String::as_str).collect(),
                b.labels.iter().map(String::as_str).collect(),
            )
        })
        .collect();
    let cols = 1 + sections
        .iter()
        .map(|(_, c, _)| c.len())
        .max()
        .unwrap_or(1)
        .max(2);
    s.width(0, 220);
    for c in 1..cols {
        s.width(c, 110);
    }
    let title = if form.title.is_empty() {
        "部门整体支出绩效评价基础数据表"
    } else {
        form.title.as_str()
    };
    s.set(0, 0, title, Style::Title).merge(0, 0, 0, cols - 1);
    s.set(
        1,
        0,
        format!("填报单位：{}", form.unit.clone().unwrap_or_default()),
        Style::Plain,
    )
    .merge(1, 0, 1, cols - 1);
    let mut r = 2;
    for (section, columns, labels) in &sections {
        let value = |label: &str, column: &str| {
            form.items
                .iter()
                .find(|i| i.section == *section && i.label == label && i.column == column)
                .map_or("", |i| i.value.as_str())
        };
        if columns.as_slice() == [""] {
            // A text block: the section and its text.
            s.field_row(r, *section, value("", ""), cols);
            r += 1;
            continue;
        }
        let top = r;
        s.set(r, 0, *section, Style::CellCenter);
        for (c, column) in columns.iter().enumerate() {
            s.set(r, 1 + c, *column, Style::CellCenter);
        }
        s.header(r, r);
        r += 1;
        for label in labels {
            if label.is_empty() && labels.len() == 1 {
                // The section's own cell runs down over its only, unlabelled row.
                s.merge(top, 0, r, 0);
            } else {
                s.set(r, 0, *label, Style::Cell);
            }
            for (c, column) in columns.iter().enumerate() {
                s.set(r, 1 + c, value(label, column), Style::CellCenter);
            }
            r += 1;
        }
    }
    for note in &form.notes {
        s.set(r, 0, note, Style::Plain).merge(r, 0, r, cols - 1);
        r += 1;
    }
    s
}
