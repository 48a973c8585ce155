//! The project list (项目清单), the evaluation table (评价指标表) and the base-data table
//! (基础数据表).

use jixiao_core::form::cell::parse_number;
use jixiao_core::form::{
    BaseData, BaseDataItem, BaseDataSection, EvaluationIndicator, EvaluationTable, Form,
    ProjectList, ProjectListItem,
};
use jixiao_core::money::{Amount, MoneyUnit};

use super::{Found, Line, LineCell, Trail, clean, label, preceding_titles};

/// A group label with the layout spaces of a tall merged cell removed (`过    程` → `过程`).
fn compact(text: &str) -> String {
    text.split_whitespace().collect()
}

fn title(lines: &[Line], titles: &[usize]) -> String {
    titles
        .iter()
        .rev()
        .map(|&k| {
            label(
                &lines[k]
                    .cells
                    .iter()
                    .map(|c| c.text.as_str())
                    .collect::<String>(),
            )
        })
        .filter(|t| !t.starts_with("附件"))
        .collect::<Vec<_>>()
        .join("")
}

/// 绩效自评项目清单: a 序号 | 项目名称 | 全年预算数 header.
pub(super) fn recognize_project_list(lines: &[Line], i: usize, used: &[bool]) -> Option<Found> {
    let head = &lines[i];
    let c_no = head.find(|k| k == "序号")?.col;
    let c_name = head.find(|k| k.starts_with("项目名称"))?.col;
    let c_budget = head
        .find(|k| k.contains("预算数") || k.contains("金额") || k.contains("资金"))?
        .col;
    if head.has("年初预算数") || head.has("一级指标") {
        return None;
    }
    let mut trail = Trail::default();
    let titles = preceding_titles(lines, i, used, 3);
    let mut used_lines = titles.clone();
    used_lines.push(i);
    let mut form = ProjectList {
        title: title(lines, &titles),
        items: Vec::new(),
        stated_total: None,
    };
    let mut k = i + 1;
    while let Some(line) = lines.get(k) {
        if line.is_paragraph() || line.table != head.table && line.filled().count() > 3 {
            break;
        }
        let total = line
            .filled()
            .next()
            .is_some_and(|c| c.key.starts_with("合计"));
        let name = line.own(c_name).filter(|c| !c.key.is_empty());
        let budget_cell = line.own(c_budget).filter(|c| !c.key.is_empty());
        let budget = budget_cell.and_then(|c| match Amount::parse(&c.text, Some(MoneyUnit::Wan)) {
            Ok(a) => Some(a),
            Err(e) => {
                trail.warn(c, "金额", e);
                None
            }
        });
        if total {
            form.stated_total = budget;
            if let Some(c) = budget_cell {
                trail.at("stated_total", c);
            }
            used_lines.push(k);
            break;
        }
        if let Some(n) = name {
            let index = form.items.len();
            trail.at(format!("items[{index}].name"), n);
            if let Some(c) = budget_cell {
                trail.at(format!("items[{index}].budget"), c);
            }
            form.items.push(ProjectListItem {
                number: line.own(c_no).map(|c| c.text.clone()).unwrap_or_default(),
                name: label(&n.text),
                budget,
            });
        } else if !line.is_empty() {
            break;
        }
        used_lines.push(k);
        k += 1;
    }
    Some(Found {
        location: head.cells[0].location.clone(),
        form: Form::ProjectList(form),
        provenance: trail.provenance(),
        used: used_lines,
        warnings: trail.warnings,
    })
}

/// 部门整体支出绩效评价指标表: 一级指标 | 分值 | 二级指标 | 分值 | 三级指标 | 分值 | 评价标准 | 指标说明 | 得分.
pub(super) fn recognize_evaluation_table(lines: &[Line], i: usize, used: &[bool]) -> Option<Found> {
    let head = &lines[i];
    if !(head.has("一级指标") && head.has("评价标准") && head.has("三级")) {
        return None;
    }
    let cells: Vec<&LineCell> = head.cells.iter().filter(|c| c.anchored).collect();
    let find = |pred: &dyn Fn(&str) -> bool| cells.iter().position(|c| pred(&c.key));
    let p1 = find(&|k| k.starts_with("一级指标"))?;
    let p2 = find(&|k| k.starts_with("二级指标"))?;
    let p3 = find(&|k| k.starts_with("三级"))?;
    // The points column of a level is the 分值 right after it.
    let points_after = |p: usize| {
        cells
            .get(p + 1)
            .filter(|c| c.key.starts_with("分值"))
            .map(|c| c.col)
    };
    let col = |p: usize| cells[p].col;
    let (c1, c1p, c2, c2p, c3, c3p) = (
        col(p1),
        points_after(p1),
        col(p2),
        points_after(p2),
        col(p3),
        points_after(p3),
    );
    let c_criteria = find(&|k| k.starts_with("评价标准")).map(col);
    let c_explain = find(&|k| k.starts_with("指标说明") || k.starts_with("指标解释")).map(col);
    let c_score = find(&|k| k.starts_with("得分")).map(col);

    let mut trail = Trail::default();
    let titles = preceding_titles(lines, i, used, 3);
    let mut used_lines = titles.clone();
    used_lines.push(i);
    let mut form = EvaluationTable {
        title: title(lines, &titles),
        indicators: Vec::new(),
    };
    let mut carry: [String; 2] = Default::default();
    let mut carry_points: [Option<rust_decimal::Decimal>; 2] = [None, None];
    let mut k = i + 1;
    while let Some(line) = lines.get(k) {
        if line.is_paragraph() || line.table != head.table {
            break;
        }
        used_lines.push(k);
        let line = &super::aligned(line, |l| {
            let has =
                |c: Option<usize>| c.and_then(|c| l.own(c)).is_some_and(|c| !c.key.is_empty());
            // The points column holds a number whenever the name column holds a name.
            !has(Some(c3))
                || c3p.is_none_or(|p| {
                    l.own(p)
                        .is_some_and(|c| parse_number(&c.text, &['分']).is_ok())
                })
        });
        let index = form.indicators.len();
        let carried = |c: usize| line.at(c).filter(|c| !c.key.is_empty());
        let own = |c: Option<usize>| c.and_then(|c| line.own(c)).filter(|c| !c.key.is_empty());
        let number = |trail: &mut Trail, cell: Option<&LineCell>, path: &str| {
            let c = cell?;
            match parse_number(&c.text, &['分']) {
                Ok(v) => {
                    trail.at(format!("indicators[{index}].{path}"), c);
                    v
                }
                Err(e) => {
                    trail.warn(c, "分值", e);
                    None
                }
            }
        };
        if let Some(c) = carried(c1) {
            // A group label repeated after a page break keeps its points.
            if compact(&c.text) != carry[0] {
                carry_points[0] = None;
            }
            carry[0] = compact(&c.text);
        }
        if let Some(p) = c1p.and_then(&carried) {
            carry_points[0] = number(&mut trail, Some(p), "level1_points");
        }
        if let Some(c) = carried(c2) {
            carry[1] = compact(&c.text);
        }
        if let Some(p) = c2p.and_then(&carried) {
            carry_points[1] = number(&mut trail, Some(p), "level2_points");
        }
        let Some(name) = carried(c3) else {
            k += 1;
            continue;
        };
        trail.at(format!("indicators[{index}].name"), name);
        let criteria = own(c_criteria);
        // A criterion spanning both text columns is the criterion, not the explanation.
        let explanation = own(c_explain).filter(|e| criteria.is_none_or(|c| c.col != e.col));
        for (path, c) in [("criteria", criteria), ("explanation", explanation)] {
            if let Some(c) = c {
                trail.at(format!("indicators[{index}].{path}"), c);
            }
        }
        let points = number(&mut trail, own(c3p), "points");
        let stated_score = number(&mut trail, own(c_score), "stated_score");
        form.indicators.push(EvaluationIndicator {
            level1: carry[0].clone(),
            level1_points: carry_points[0],
            level2: carry[1].clone(),
            level2_points: carry_points[1],
            name: label(&name.text),
            points,
            criteria: criteria.map(|c| c.text.clone()).unwrap_or_default(),
            explanation: explanation.map(|c| c.text.clone()).unwrap_or_default(),
            stated_score,
        });
        k += 1;
    }
    Some(Found {
        location: head.cells[0].location.clone(),
        form: Form::EvaluationTable(form),
        provenance: trail.provenance(),
        used: used_lines,
        warnings: trail.warnings,
    })
}

/// True for a value cell: a number, a percentage, a dash or nothing.
fn is_value(text: &str) -> bool {
    let t: String = text.split_whitespace().collect();
    t.is_empty()
        || t.chars().all(|c| matches!(c, '-' | '—' | '/' | '…'))
        || parse_number(&t, &['%', '分']).is_ok()
        || Amount::parse(&t, Some(MoneyUnit::Wan)).is_ok()
}

/// 部门整体支出绩效评价基础数据表: blocks of a section label with column headers, then rows.
pub(super) fn recognize_base_data(lines: &[Line], i: usize, used: &[bool]) -> Option<Found> {
    let head = &lines[i];
    let titles = preceding_titles(lines, i, used, 4);
    let title_text = title(lines, &titles);
    let first = head.filled().next()?;
    if !(title_text.contains("基础数据") || first.key.starts_with("财政供养人员情况"))
        || head.is_paragraph()
    {
        return None;
    }
    let mut trail = Trail::default();
    let mut used_lines = titles.clone();
    let mut form = BaseData {
        title: titles
            .iter()
            .rev()
            .map(|&k| lines[k].key())
            .find(|t| t.contains("基础数据"))
            .unwrap_or_default()
            .to_string(),
        unit: None,
        sections: Vec::new(),
        items: Vec::new(),
        notes: Vec::new(),
    };
    for &t in &titles {
        let text = &lines[t].cells[0].text;
        if let Some(rest) = text.strip_prefix("填报单位") {
            let unit = rest.trim_start_matches(['：', ':']).trim();
            form.unit = (!unit.is_empty()).then(|| unit.to_string());
        }
    }
    let mut block = BaseDataBlock {
        label_col: head.cells.first().map_or(0, |c| c.col),
        section: String::new(),
        columns: Vec::new(),
    };
    let mut k = i;
    while let Some(line) = lines.get(k) {
        if line.is_paragraph() || line.table != head.table {
            break;
        }
        if line.filled().count() == 1 && line.filled().any(|c| c.key.starts_with("说明")) {
            break;
        }
        used_lines.push(k);
        block.read_row(line, &mut form, &mut trail);
        k += 1;
    }
    read_base_data_notes(lines, k, &mut form.notes, &mut used_lines);
    Some(Found {
        location: head.cells[0].location.clone(),
        form: Form::BaseData(form),
        provenance: trail.provenance(),
        used: used_lines,
        warnings: trail.warnings,
    })
}

/// The block of a base-data table being read: its section label and columns.
struct BaseDataBlock {
    /// The column of the row labels (the section's own merged cell sits there too).
    label_col: usize,
    section: String,
    columns: Vec<(usize, String)>,
}

impl BaseDataBlock {
    /// One row: a section header, a text block, or a data row under the section's columns.
    fn read_row(&mut self, line: &Line, form: &mut BaseData, trail: &mut Trail) {
        let anchored: Vec<&LineCell> = line.cells.iter().filter(|c| c.anchored).collect();
        let Some(first) = anchored.first() else {
            // A row with no values under the section's own merged cell: the block's single,
            // unlabelled row, kept as part of the table.
            if line
                .at(self.label_col)
                .is_some_and(|c| label(&c.text) == self.section)
                && let Some(block) = form.sections.last_mut().filter(|b| b.name == self.section)
                && block.labels.is_empty()
            {
                block.labels.push(String::new());
            }
            return;
        };
        let rest: Vec<&&LineCell> = anchored
            .iter()
            .skip(1)
            .filter(|c| !c.key.is_empty())
            .collect();
        let is_header = rest.len() >= 2
            && rest
                .iter()
                .all(|c| !is_value(&c.text) && c.key.chars().count() <= 24);
        if is_header {
            self.section = label(&first.text);
            self.columns = anchored
                .iter()
                .skip(1)
                .map(|c| (c.col, label(&c.text)))
                .filter(|c| !c.1.is_empty())
                .collect();
            form.sections.push(BaseDataSection {
                name: self.section.clone(),
                columns: self.columns.iter().map(|c| c.1.clone()).collect(),
                labels: Vec::new(),
            });
        } else if rest.is_empty()
            && anchored.len() == 2
            && anchored[1].colspan > 1
            && !first.key.is_empty()
        {
            // A text block left empty: its label and one blank cell across the row.
            form.sections.push(BaseDataSection {
                name: label(&first.text),
                columns: vec![String::new()],
                labels: vec![String::new()],
            });
        } else if rest.len() == 1 && !is_value(&rest[0].text) {
            // A labelled text block (厉行节约保障措施).
            let index = form.items.len();
            trail.at(format!("items[{index}].value"), rest[0]);
            form.sections.push(BaseDataSection {
                name: label(&first.text),
                columns: vec![String::new()],
                labels: vec![String::new()],
            });
            form.items.push(BaseDataItem {
                section: label(&first.text),
                label: String::new(),
                column: String::new(),
                value: rest[0].text.clone(),
            });
        } else {
            self.read_data_row(line, form, trail);
        }
    }

    /// A data row: its label (empty when the cell in the label column is the section's own
    /// merged cell) and its values under the section's columns.
    fn read_data_row(&self, line: &Line, form: &mut BaseData, trail: &mut Trail) {
        let section = &self.section;
        let label_cell = line
            .at(self.label_col)
            .filter(|c| c.anchored && label(&c.text) != *section);
        let row_label = label_cell.map(|c| label(&c.text)).unwrap_or_default();
        // The row is part of the table whether or not it holds values.
        if let Some(block) = form.sections.last_mut().filter(|b| b.name == *section)
            && !block.labels.contains(&row_label)
        {
            block.labels.push(row_label.clone());
        }
        for (col, column) in &self.columns {
            let Some(c) = line.own(*col).filter(|c| !c.key.is_empty()) else {
                continue;
            };
            if label_cell.is_some_and(|l| l.col == c.col) {
                continue;
            }
            let index = form.items.len();
            trail.at(format!("items[{index}].value"), c);
            form.items.push(BaseDataItem {
                section: section.clone(),
                label: row_label.clone(),
                column: column.clone(),
                value: c.text.clone(),
            });
        }
    }
}

/// 说明 lines after a base-data table (empty table rows between them are part of it).
fn read_base_data_notes(
    lines: &[Line],
    mut k: usize,
    notes: &mut Vec<String>,
    used: &mut Vec<usize>,
) {
    while let Some(line) = lines.get(k) {
        let Some(cell) = line.filled().next() else {
            if line.table.is_some() {
                used.push(k);
                k += 1;
                continue;
            }
            break;
        };
        if line.filled().count() != 1 || !cell.key.starts_with("说明") {
            break;
        }
        used.push(k);
        notes.push(clean(&cell.text));
        k += 1;
    }
}
