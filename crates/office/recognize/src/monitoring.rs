//! 项目支出绩效目标执行监控表: recognized by its own columns (完成目标可能性, 全年预计完成情况,
//! 1—N月执行数) or a title naming 监控, read by header meaning: the project header, the funds
//! rows by source, the overall target and its progress, the indicator rows, and the closing
//! cause and measures.

use jixiao_core::form::monitoring::{
    DeviationCause, Likelihood, MonitoredIndicator, Monitoring, MonitoringFunds, TargetProgress,
};
use jixiao_core::form::{Form, FundSource};
use jixiao_core::indicator::Layout;
use jixiao_core::money::{Amount, MoneyUnit};

use super::{Found, Line, LineCell, Trail, label, preceding_titles, year_in};

/// The month a column header names as the end of its period (`1-7月执行数` → 7).
fn period_month(key: &str) -> Option<u8> {
    let chars: Vec<char> = key.chars().collect();
    let yue = chars.iter().position(|&c| c == '月')?;
    let digits: String = chars[..yue]
        .iter()
        .rev()
        .take_while(|c| c.is_ascii_digit())
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    digits.parse().ok().filter(|m| (1..=12).contains(m))
}

/// The indicator header: 三级指标 (or 指标名称, the Hubei form's) with a progress column.
fn is_indicator_header(line: &Line) -> bool {
    (line.has("三级指标") || line.has("指标名称"))
        && (line.has("执行情况") || line.has("完成情况") || line.has("可能性"))
}

/// Column of the first cell of `line` whose key satisfies `pred`.
fn column(line: &Line, pred: impl Fn(&str) -> bool) -> Option<usize> {
    line.filled().find(|c| pred(&c.key)).map(|c| c.col)
}

/// The value cell right of the cell labelled `word` in `line`.
fn value_after<'a>(line: &'a Line, word: &str) -> Option<(&'a LineCell, &'a LineCell)> {
    let cells: Vec<&LineCell> = line.filled().filter(|c| c.anchored).collect();
    let k = cells.iter().position(|c| c.key.starts_with(word))?;
    Some((cells[k], cells.get(k + 1)?))
}

fn text_at(line: &Line, col: Option<usize>) -> Option<&LineCell> {
    line.own(col?).filter(|c| !c.key.is_empty())
}

/// Recognizes a monitoring form whose table starts at line `i`.
pub(super) fn recognize(lines: &[Line], i: usize, used: &[bool]) -> Option<Found> {
    let first = &lines[i];
    let table = first.table?;
    if !first.filled().next()?.key.starts_with("项目名称") {
        return None;
    }
    let rows: Vec<usize> = (i..lines.len())
        .take_while(|&k| lines[k].table == Some(table) && !used[k])
        .collect();
    let titles = preceding_titles(lines, i, used, 3);
    let titled = titles.iter().any(|&k| lines[k].key().contains("监控"));
    let own_columns = rows
        .iter()
        .any(|&k| lines[k].has("完成目标可能性") || lines[k].has("全年预计完成"));
    if !(titled || own_columns) {
        return None;
    }
    let head = *rows.iter().find(|&&k| is_indicator_header(&lines[k]))?;
    let mut trail = Trail::default();
    let year = titles.iter().find_map(|&k| year_in(&lines[k].text()));
    let mut form = Monitoring {
        year,
        project_name: String::new(),
        competent_department: None,
        implementing_unit: None,
        layout: Layout::default(),
        other_fields: Vec::new(),
        period_end_month: 7,
        funds: Vec::new(),
        overall_target: TargetProgress::default(),
        indicators: Vec::new(),
        problems: None,
        measures: None,
    };
    let mut used_lines: Vec<usize> = titles.clone();
    header(lines, &rows, head, &mut form, &mut trail, &mut used_lines);
    let after = indicators(lines, &rows, head, &mut form, &mut trail, &mut used_lines);
    closing(lines, &rows, after, &mut form, &mut trail, &mut used_lines);
    Some(Found {
        location: first.location(),
        form: Form::Monitoring(form),
        provenance: trail.provenance(),
        used: used_lines,
        warnings: trail.warnings,
    })
}

/// Project header, funds and overall target: the rows before the indicator header.
fn header(
    lines: &[Line],
    rows: &[usize],
    head: usize,
    form: &mut Monitoring,
    trail: &mut Trail,
    used: &mut Vec<usize>,
) {
    let mut funds_cols: Option<[Option<usize>; 4]> = None;
    let mut target_cols: Option<(usize, usize)> = None;
    for &k in rows.iter().take_while(|&&k| k < head) {
        let line = &lines[k];
        used.push(k);
        for (word, path) in [
            ("项目名称", "project_name"),
            ("主管部门", "competent_department"),
            ("实施单位", "implementing_unit"),
        ] {
            if let Some((_, v)) = value_after(line, word) {
                let text = label(&v.text);
                match path {
                    "project_name" => form.project_name = text,
                    "competent_department" => form.competent_department = Some(text),
                    _ => form.implementing_unit = Some(text),
                }
                trail.at(path, v);
            }
        }
        if line.has("年初预算") && line.has("执行数") {
            let exec = column(line, |c| c.contains("执行数") && !c.contains("预计"));
            if let Some(m) = line
                .find(|c| c.contains("执行数") && !c.contains("预计"))
                .and_then(|c| period_month(&c.key))
            {
                form.period_end_month = m;
            }
            funds_cols = Some([
                column(line, |c| c.contains("年初预算")),
                column(line, |c| c.contains("调整")),
                exec,
                column(line, |c| c.contains("预计") && c.contains("执行")),
            ]);
            continue;
        }
        if line.has("年初设定目标") || (line.has("总体目标") && line.has("完成情况"))
        {
            let t = column(line, |c| {
                c.contains("设定目标") || (c.ends_with("目标") && !c.contains("总体"))
            });
            let p = column(line, |c| c.contains("完成情况"));
            if let (Some(t), Some(p)) = (t, p) {
                target_cols = Some((t, p));
            }
            continue;
        }
        if let Some(cols) = funds_cols
            && let Some(source) = funds_source(line)
        {
            let mut row = MonitoringFunds {
                source,
                initial_budget: None,
                adjusted_budget: None,
                executed: None,
                expected_year_end: None,
            };
            let n = form.funds.len();
            let slots: [(&str, &mut Option<Amount>); 4] = [
                ("initial_budget", &mut row.initial_budget),
                ("adjusted_budget", &mut row.adjusted_budget),
                ("executed", &mut row.executed),
                ("expected_year_end", &mut row.expected_year_end),
            ];
            for (col, (field, slot)) in cols.iter().zip(slots) {
                if let Some(cell) = text_at(line, *col) {
                    match Amount::parse(&cell.text, Some(MoneyUnit::Wan)) {
                        Ok(a) => {
                            *slot = Some(a);
                            trail.at(format!("funds[{n}].{field}"), cell);
                        }
                        Err(e) => trail.warn(cell, "金额", e),
                    }
                }
            }
            form.funds.push(row);
            continue;
        }
        if let Some((t, p)) = target_cols {
            if let Some(cell) = text_at(line, Some(t)) {
                form.overall_target.target = cell.text.clone();
                trail.at("overall_target.target", cell);
            }
            if let Some(cell) = text_at(line, Some(p)) {
                form.overall_target.progress = cell.text.clone();
                trail.at("overall_target.progress", cell);
            }
            target_cols = None;
        }
    }
}

fn funds_source(line: &Line) -> Option<FundSource> {
    let first = line
        .filled()
        .find(|c| c.anchored && !c.key.starts_with("项目资金"))?;
    let k = first.key.as_str();
    if k.contains("总额") || k.contains("合计") || k.contains("总计") {
        Some(FundSource::Total)
    } else if k.contains("财政拨款") || k.contains("财政资金") {
        Some(FundSource::CurrentFiscal)
    } else if k.contains("结转") {
        Some(FundSource::CarryOver)
    } else if k.contains("其他资金") {
        Some(FundSource::Other)
    } else {
        None
    }
}

/// Indicator rows after the header `head`; returns the first row after them.
fn indicators(
    lines: &[Line],
    rows: &[usize],
    head: usize,
    form: &mut Monitoring,
    trail: &mut Trail,
    used: &mut Vec<usize>,
) -> usize {
    let h = &lines[head];
    used.push(head);
    let col = |pred: &dyn Fn(&str) -> bool| column(h, pred);
    let c1 = col(&|c| c.contains("一级"));
    let c2 = col(&|c| c.contains("二级"));
    // The Hubei form names its rows under 指标名称 (质量, 时效, 成本 …) and leaves the
    // unused ones empty: only rows with something filled in are indicators there.
    let c3_named = col(&|c| c.contains("三级"));
    let c3 = c3_named.or_else(|| col(&|c| c.starts_with("指标名称")));
    let target = col(&|c| c.contains("指标值"));
    let progress = col(&|c| c.contains("执行情况") || c.contains("月") && c.contains("完成"));
    let expected = col(&|c| c.contains("预计"));
    let likelihood = col(&|c| c.contains("可能性"));
    let category = col(&|c| c.contains("原因类别") || c.contains("原因分类"));
    let cause = col(&|c| {
        (c.contains("偏差原因") || c.contains("原因分析"))
            && !c.contains("类别")
            && !c.contains("分类")
    });
    let note = col(&|c| c.contains("备注"));
    let mut next = head + 1;
    for &k in rows.iter().filter(|&&k| k > head) {
        let line = &lines[k];
        if line.has("偏差或不能完成")
            || line.has("措施")
            || line.has("举措")
            || line.has("存在问题")
        {
            break;
        }
        next = k + 1;
        used.push(k);
        let Some(name) = text_at(line, c3) else {
            continue;
        };
        if c3_named.is_none()
            && [target, progress, expected, likelihood]
                .iter()
                .all(|c| text_at(line, *c).is_none())
        {
            continue;
        }
        let n = form.indicators.len();
        let carried = |c: Option<usize>| {
            c.and_then(|c| line.at(c))
                .map(|cell| label(&cell.text))
                .unwrap_or_default()
        };
        let mut row =
            MonitoredIndicator::new(carried(c1), carried(c2), label(&name.text), String::new());
        trail.at(format!("indicators[{n}].name"), name);
        for (c, field) in [
            (target, "target"),
            (progress, "progress"),
            (expected, "expected_year_end"),
        ] {
            if let Some(cell) = text_at(line, c) {
                let text = cell.text.clone();
                match field {
                    "target" => row.target = text,
                    "progress" => row.progress = text,
                    _ => row.expected_year_end = text,
                }
                trail.at(format!("indicators[{n}].{field}"), cell);
            }
        }
        if let Some(cell) = text_at(line, likelihood) {
            match Likelihood::parse(&cell.text) {
                Some(l) => {
                    row.likelihood = Some(l);
                    trail.at(format!("indicators[{n}].likelihood"), cell);
                }
                None => trail.warn(cell, "完成目标可能性", "应为 确定能、有可能 或 完全不可能"),
            }
        }
        if let Some(cell) = text_at(line, category) {
            match DeviationCause::parse(&cell.text) {
                Some(c) => {
                    row.cause = Some(c);
                    trail.at(format!("indicators[{n}].cause"), cell);
                }
                None => trail.warn(cell, "偏差原因类别", "不在可选项中"),
            }
        }
        if let Some(cell) = text_at(line, cause) {
            // Without a category column, a ticked category may stand in the reason column.
            match DeviationCause::parse(&cell.text).filter(|_| category.is_none()) {
                Some(c) => row.cause = Some(c),
                None => row.deviation_reason = Some(cell.text.clone()),
            }
            trail.at(format!("indicators[{n}].deviation_reason"), cell);
        }
        if let Some(cell) = text_at(line, note) {
            row.note = Some(cell.text.clone());
            trail.at(format!("indicators[{n}].note"), cell);
        }
        form.indicators.push(row);
    }
    next
}

/// 偏差或不能完成目标原因分析 and 措施 rows from `from` on.
fn closing(
    lines: &[Line],
    rows: &[usize],
    from: usize,
    form: &mut Monitoring,
    trail: &mut Trail,
    used: &mut Vec<usize>,
) {
    for &k in rows.iter().filter(|&&k| k >= from) {
        let line = &lines[k];
        let cells: Vec<&LineCell> = line.filled().collect();
        let (Some(first), Some(value)) = (cells.first(), cells.get(1)) else {
            continue;
        };
        if first.key.contains("原因") || first.key.contains("存在问题") {
            form.problems = Some(value.text.clone());
            trail.at("problems", value);
            used.push(k);
        } else if first.key.contains("措施") || first.key.contains("举措") {
            form.measures = Some(value.text.clone());
            trail.at("measures", value);
            used.push(k);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_period_comes_from_the_column() {
        assert_eq!(period_month("1-7月执行数"), Some(7));
        assert_eq!(period_month("1—6月执行数"), Some(6));
        assert_eq!(period_month("1至12月执行数"), Some(12));
        assert_eq!(period_month("执行数"), None);
    }
}
