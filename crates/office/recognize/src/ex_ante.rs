//! 事前绩效评估表: recognized by its aspects table (评估内容 with 分值 and 得分, rows naming
//! 立项必要性, 投入经济性 …) under a title naming 事前 or with a 评估结论 row; read by meaning:
//! the header's label and value pairs, one row per aspect, 合计 (总分), 评估结论 and 评估意见及
//! 建议. A label the form prints without a field of ours is kept as an other field.

use jixiao_core::form::Field;
use jixiao_core::form::Form;
use jixiao_core::form::cell::parse_number;
use jixiao_core::form::ex_ante::{Aspect, AspectRow, Conclusion, ExAnteAssessment};
use jixiao_core::money::{Amount, MoneyUnit};

use super::{Found, Line, LineCell, Trail, label, preceding_titles, year_in};

/// The header of the aspects table: an aspect column with 分值 and 得分.
fn is_aspect_header(line: &Line) -> bool {
    (line.has("评估内容") || line.has("评估项目") || line.has("评估指标") || line.has("评估要点"))
        && line.has("分值")
        && line.has("得分")
}

/// The anchored non-empty cells of a line, left to right.
fn cells(line: &Line) -> Vec<&LineCell> {
    line.filled().filter(|c| c.anchored).collect()
}

/// Recognizes an ex-ante assessment whose table starts at line `i`.
pub(super) fn recognize(lines: &[Line], i: usize, used: &[bool]) -> Option<Found> {
    let first = &lines[i];
    let table = first.table?;
    if i > 0 && lines[i - 1].table == Some(table) && !used[i - 1] {
        return None;
    }
    let rows: Vec<usize> = (i..lines.len())
        .take_while(|&k| lines[k].table == Some(table) && !used[k])
        .collect();
    let head = *rows.iter().find(|&&k| is_aspect_header(&lines[k]))?;
    let aspects = rows
        .iter()
        .filter(|&&k| k > head)
        .filter(|&&k| {
            cells(&lines[k])
                .first()
                .is_some_and(|c| Aspect::parse(&c.key).is_some())
        })
        .count();
    let titles = preceding_titles(lines, i, used, 3);
    // The title may be a paragraph above the table or (a workbook) the table's first rows.
    let titled = titles
        .iter()
        .chain(rows.iter().take_while(|&&k| k < head))
        .any(|&k| lines[k].key().contains("事前"));
    let concluded = rows.iter().any(|&k| lines[k].has("评估结论"));
    if aspects < 3 || !(titled || concluded) {
        return None;
    }
    let mut trail = Trail::default();
    let mut form = ExAnteAssessment {
        aspects: Vec::new(),
        ..ExAnteAssessment::blank(titles.iter().find_map(|&k| year_in(&lines[k].text())))
    };
    let mut used_lines: Vec<usize> = titles.clone();
    for &k in rows.iter().take_while(|&&k| k < head) {
        used_lines.push(k);
        header_pairs(&lines[k], &mut form, &mut trail);
    }
    used_lines.push(head);
    let columns = Columns::of(&lines[head]);
    for &k in rows.iter().filter(|&&k| k > head) {
        used_lines.push(k);
        body_row(&lines[k], &columns, &mut form, &mut trail);
    }
    Some(Found {
        location: first.location(),
        form: Form::ExAnteAssessment(form),
        provenance: trail.provenance(),
        used: used_lines,
        warnings: trail.warnings,
    })
}

/// The label and value pairs of a header row (a row of one cell is a title or the year).
fn header_pairs(line: &Line, form: &mut ExAnteAssessment, trail: &mut Trail) {
    let cells = cells(line);
    if cells.len() == 1 {
        if let Some(y) = year_in(&cells[0].text) {
            form.year = Some(y);
        }
        return;
    }
    let mut k = 0;
    while k < cells.len() {
        let (key, value) = (&cells[k], cells.get(k + 1));
        k += 2;
        let Some(value) = value else {
            break;
        };
        let text = label(&value.text);
        let name = key.key.as_str();
        if name.starts_with("项目名称") {
            form.project_name = text;
            trail.at("project_name", value);
        } else if name.contains("年度") {
            form.year = year_in(&text).or(form.year);
            trail.at("year", value);
        } else if name.contains("主管部门") {
            form.department = Some(text);
            trail.at("department", value);
        } else if name.contains("单位") && !name.contains("评估") {
            form.unit = text;
            trail.at("unit", value);
        } else if name.contains("资金") || name.contains("金额") {
            match Amount::parse(&value.text, Some(MoneyUnit::Wan)) {
                Ok(a) => {
                    form.funds = Some(a);
                    trail.at("funds", value);
                }
                Err(e) => trail.warn(value, "申请资金", e),
            }
        } else if name.contains("评估机构") || name.contains("评估单位") || name.contains("评估人")
        {
            form.assessor = Some(text);
            trail.at("assessor", value);
        } else {
            trail.at(
                format!("other_fields[{}].value", form.other_fields.len()),
                value,
            );
            form.other_fields.push(Field {
                label: label(&key.text),
                value: text,
            });
        }
    }
}

/// Where the aspects table keeps its columns.
struct Columns {
    points: Option<usize>,
    score: Option<usize>,
    reasoning: Option<usize>,
}

impl Columns {
    fn of(head: &Line) -> Columns {
        let col = |pred: &dyn Fn(&str) -> bool| head.filled().find(|c| pred(&c.key)).map(|c| c.col);
        Columns {
            points: col(&|k| k.starts_with("分值")),
            score: col(&|k| k.starts_with("得分")),
            reasoning: col(&|k| k.contains("意见") || k.contains("说明") || k.contains("理由")),
        }
    }
}

/// One row below the header: an aspect, 合计/总分, 评估结论 or 评估意见及建议.
fn body_row(line: &Line, columns: &Columns, form: &mut ExAnteAssessment, trail: &mut Trail) {
    let cells = cells(line);
    let Some(first) = cells.first() else {
        return;
    };
    let rest = || cells.iter().skip(1).copied();
    let number = |col: Option<usize>, trail: &mut Trail, what: &str| {
        let cell = line.own(col?).filter(|c| !c.key.is_empty())?;
        match parse_number(&cell.text, &['分']) {
            Ok(v) => v.map(|v| (v, cell)),
            Err(e) => {
                trail.warn(cell, what, e);
                None
            }
        }
    };
    let key = first.key.as_str();
    if key.starts_with("评估结论") || key == "结论" {
        let text: String = rest().map(|c| c.text.clone()).collect::<Vec<_>>().join(" ");
        match Conclusion::parse(&text) {
            Some(c) => {
                form.conclusion = Some(c);
                if let Some(cell) = rest().next() {
                    trail.at("conclusion", cell);
                }
            }
            None if text.trim().is_empty() => {}
            None => {
                if let Some(cell) = rest().next() {
                    trail.warn(
                        cell,
                        "评估结论",
                        "应为予以支持、调整完善后予以支持或不予支持",
                    );
                }
            }
        }
    } else if key.contains("意见") || key.contains("建议") {
        form.opinion = rest()
            .map(|c| c.text.clone())
            .collect::<Vec<_>>()
            .join("\n");
        if let Some(cell) = rest().next() {
            trail.at("opinion", cell);
        }
    } else if key.starts_with("合计") || key.starts_with("总分") || key.starts_with("总计") {
        // The score column, else the last number of the row.
        let stated = number(columns.score, trail, "总分").or_else(|| {
            rest().rev().find_map(|c| {
                parse_number(&c.text, &['分'])
                    .ok()
                    .flatten()
                    .map(|v| (v, c))
            })
        });
        if let Some((v, cell)) = stated {
            form.stated_total = Some(v);
            trail.at("stated_total", cell);
        }
    } else {
        let k = form.aspects.len();
        let mut row = AspectRow {
            name: label(&first.text),
            points: None,
            score: None,
            reasoning: String::new(),
        };
        trail.at(format!("aspects[{k}].name"), first);
        if let Some((v, cell)) = number(columns.points, trail, "分值") {
            row.points = Some(v);
            trail.at(format!("aspects[{k}].points"), cell);
        }
        if let Some((v, cell)) = number(columns.score, trail, "得分") {
            row.score = Some(v);
            trail.at(format!("aspects[{k}].score"), cell);
        }
        if let Some(cell) = columns
            .reasoning
            .and_then(|c| line.own(c))
            .filter(|c| !c.key.is_empty())
        {
            row.reasoning = cell.text.clone();
            trail.at(format!("aspects[{k}].reasoning"), cell);
        }
        form.aspects.push(row);
    }
}
