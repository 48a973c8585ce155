//! 项目绩效目标申报表 and 部门整体支出绩效目标申报表.
//!
//! Declarations write several indicators in one cell (`指标1：…⏎指标2：…` against
//! `1、…⏎2、…`); they are split when names and values pair up one to one.

use jixiao_core::form::cell::parse_number;
use jixiao_core::form::{
    CostColumn, CostItem, DeclaredIndicator, DepartmentTarget, Field, Form, ProjectTarget, Task,
    TaskBudget,
};
use jixiao_core::indicator::{Layout, Level1, Level2};
use jixiao_core::money::{Amount, MoneyUnit};

use super::{Found, Line, LineCell, Trail, label, preceding_titles, year_in};

/// The indicator header: 一级指标 | 二级指标 | 三级指标, or a two-level one with a value column
/// (一级指标 | 二级指标 | 绩效标准 | 当年预期实现值, Hubei); never one with actual values.
fn is_indicator_header(line: &Line) -> bool {
    line.has("一级指标")
        && line.has("二级指标")
        && (line.has("三级指标") || line.cells.iter().any(|c| is_value_header(&c.key)))
        && !line.has("实际完成")
}

/// A declared value column: 指标值, 目标值, (当年)预期实现值.
fn is_value_header(k: &str) -> bool {
    k.contains("指标值") || k.starts_with("目标值") || k.contains("预期实现值")
}

/// The amount after `label：` in a cell such as `资金总额：476.66万元` or `其中：财政拨款：12.8`.
fn labelled_amount(text: &str, label: &str) -> Option<Result<(Amount, String), String>> {
    for line in text.lines() {
        let k = super::key(line);
        let Some(pos) = k.find(label) else { continue };
        let rest = &k[pos + label.len()..];
        let rest = rest.trim_start_matches([':', '：']);
        // Nothing after the label, or the label goes on (财政拨款小计): the amount, if any,
        // is in the next cell.
        if !rest.starts_with(|c: char| c.is_ascii_digit()) {
            return None;
        }
        // The amount is the number and unit at the start; the rest is a note.
        let end = rest
            .char_indices()
            .find(|(_, c)| !(c.is_ascii_digit() || matches!(c, '.' | ',' | '万' | '亿' | '元')))
            .map_or(rest.len(), |(i, _)| i);
        let (amount, note) = rest.split_at(end);
        return Some(
            Amount::parse(amount, Some(MoneyUnit::Wan))
                .map(|a| (a, note.trim_matches(['（', '）', '(', ')']).to_string()))
                .map_err(|e| e.to_string()),
        );
    }
    None
}

/// Reads labelled amounts from a cell, recording provenance and warnings.
fn amount_in(
    trail: &mut Trail,
    cell: &LineCell,
    label: &str,
    path: &str,
    fields: &mut Vec<Field>,
) -> Option<Amount> {
    match labelled_amount(&cell.text, label)? {
        Ok((a, note)) => {
            trail.at(path, cell);
            if !note.is_empty() {
                fields.push(Field {
                    label: format!("{label}说明"),
                    value: note,
                });
            }
            Some(a)
        }
        Err(e) => {
            trail.warn(cell, label, e);
            None
        }
    }
}

/// The amount a cell starts with, before any note (`854万(高标准农田建设400万元,…)` → 854万元).
fn leading_amount(text: &str) -> Option<Amount> {
    let t = text.trim();
    let end = t
        .char_indices()
        .find(|(_, c)| !(c.is_ascii_digit() || matches!(c, '.' | ',' | '万' | '亿' | '元')))
        .map_or(t.len(), |(i, _)| i);
    let head = &t[..end];
    if head.is_empty() {
        return None;
    }
    let head = match head.strip_suffix('万') {
        Some(h) => format!("{h}万元"),
        None => head.to_string(),
    };
    Amount::parse(&head, Some(MoneyUnit::Wan)).ok()
}

/// Fills each still-empty amount slot whose label the cell names: the amount in the cell
/// (`资金总额：10000万元`), else in the next cell when the cell is only the label
/// (`资金总额 | 10000万元`).
fn fill_amounts<const N: usize>(
    trail: &mut Trail,
    cell: &LineCell,
    next: Option<&LineCell>,
    slots: [(&str, &str, &mut Option<Amount>); N],
    fields: &mut Vec<Field>,
) {
    for (label, path, slot) in slots {
        if slot.is_none() && cell.key.contains(label) {
            *slot = amount_in(trail, cell, label, path, fields);
            if slot.is_none()
                && labelled_amount(&cell.text, label).is_none()
                && let Some(v) = next
                && let Some(a) = leading_amount(&v.text)
            {
                trail.at(path, v);
                *slot = Some(a);
            }
        }
    }
}

/// Splits a cell's lines, dropping `指标1：` and `1、` numbering.
fn items(text: &str) -> Vec<String> {
    text.lines()
        .map(|l| {
            let l = l.trim();
            let l = match l.strip_prefix("指标") {
                Some(rest) => rest
                    .trim_start_matches(|c: char| c.is_ascii_digit())
                    .trim_start_matches(['：', ':']),
                None => l,
            };
            let digits = l.chars().take_while(char::is_ascii_digit).count();
            let after = &l[digits..];
            match after.strip_prefix('、').or_else(|| after.strip_prefix('.')) {
                Some(rest) if digits > 0 && !rest.starts_with(|c: char| c.is_ascii_digit()) => {
                    rest.trim().to_string()
                }
                _ => l.to_string(),
            }
        })
        .filter(|l| !l.is_empty())
        .collect()
}

/// Reads the indicator rows after `head` until the review row or a paragraph; returns the
/// indicators and the index after them.
fn indicators(lines: &[Line], head: usize, trail: &mut Trail, used: &mut Vec<usize>) -> Indicators {
    let header = &lines[head];
    let col = |pred: &dyn Fn(&str) -> bool| {
        header
            .cells
            .iter()
            .find(|c| c.anchored && pred(&c.key))
            .map(|c| c.col)
    };
    // A form with long-term and annual columns (二级指标(长期) … 指标值(年度)) declares the
    // year's indicators in the annual ones.
    let annual = |word: &'static str| move |k: &str| k.contains(word) && k.contains("(年度)");
    let c1 = col(&|k| k.starts_with("一级指标"));
    let c2 = col(&annual("二级指标")).or_else(|| col(&|k| k.starts_with("二级指标")));
    let c3 = col(&annual("三级指标")).or_else(|| col(&|k| k.starts_with("三级指标")));
    let cv = col(&annual("指标值")).or_else(|| col(&|k| is_value_header(k)));
    // A weight column (分值, 权重, 指标分值) some provinces add after the value.
    let cw = col(&|k| k.starts_with("分值") || k.starts_with("权重") || k.starts_with("指标分值"));
    // A two-level table (一级指标 | 二级指标 | 绩效标准 | 当年预期实现值) names its indicators
    // in the 二级 column and groups them in the 一级 one.
    let (c1, c2, c3) = match c3 {
        Some(_) => (c1, c2, c3),
        None => (c1, None, c2),
    };
    let mut out = Vec::new();
    let mut stated_total_weight = None;
    let (mut level1, mut level2) = (String::new(), String::new());
    let mut k = head + 1;
    while k < lines.len() {
        let line = &lines[k];
        if line.is_paragraph() || line.has("审核意见") {
            break;
        }
        used.push(k);
        // 分值合计 / 总分 under a weight column ends the indicators.
        if let Some(cw) = cw
            && line.filled().next().is_some_and(|c| {
                c.key.starts_with("总分")
                    || c.key.starts_with("合计")
                    || c.key.starts_with("分值合计")
            })
        {
            stated_total_weight = weight_at(line, cw, trail, "stated_total_weight");
            k += 1;
            break;
        }
        if let Some(c) = c1.and_then(|c| line.at(c)).filter(|c| !c.key.is_empty()) {
            let text = label(&c.text);
            // A 二级 label (数量指标) in the 一级 column of a two-level table is the 二级.
            if c2.is_none() && Level1::parse(&text).is_none() && Level2::parse(&text).is_some() {
                level2 = text;
            } else {
                level1 = text;
            }
        }
        if let Some(c) = c2.and_then(|c| line.at(c)).filter(|c| !c.key.is_empty()) {
            level2 = label(&c.text);
        }
        let mut name = c3.and_then(|c| line.own(c)).filter(|c| !c.key.is_empty());
        let mut value = cv.and_then(|c| line.own(c)).filter(|c| !c.key.is_empty());
        // A cell that starts under 三级指标 and spans the value column is the value: the
        // form left the indicator unnamed.
        if value.is_none()
            && let (Some(n), Some(v)) = (name, cv)
            && n.col + n.colspan > v
        {
            value = name.take();
        }
        if name.is_none() && value.is_none() {
            k += 1;
            continue;
        }
        let names = name.map(|c| items(&c.text)).unwrap_or_default();
        let values = value.map(|c| items(&c.text)).unwrap_or_default();
        let pairs: Vec<(String, String)> = if names.len() > 1 && names.len() == values.len() {
            names.into_iter().zip(values).collect()
        } else {
            if names.len() > 1
                && let Some(c) = name
            {
                trail.warnings.push(format!(
                    "{}：一格中有{}个指标名称但指标值不能一一对应，按一个指标导入",
                    c.location,
                    names.len()
                ));
            }
            vec![(
                name.map(|c| label(&c.text)).unwrap_or_default(),
                value.map(|c| c.text.clone()).unwrap_or_default(),
            )]
        };
        let single = pairs.len() == 1;
        for (n, v) in pairs {
            let index = out.len();
            if let Some(c) = name {
                trail.at(format!("indicators[{index}].name"), c);
            }
            if let Some(c) = value {
                trail.at(format!("indicators[{index}].target"), c);
            }
            // A weight belongs to one indicator: a cell listing several shares none.
            let weight = cw
                .filter(|_| single)
                .and_then(|cw| weight_at(line, cw, trail, &format!("indicators[{index}].weight")));
            out.push(DeclaredIndicator {
                level1: level1.clone(),
                level2: level2.clone(),
                name: n,
                target: v,
                weight,
            });
        }
        k += 1;
    }
    Indicators {
        rows: out,
        next: k,
        stated_total_weight,
    }
}

/// The indicator rows of a declaration and what follows them.
struct Indicators {
    /// The declared indicators.
    rows: Vec<DeclaredIndicator>,
    /// The line after them.
    next: usize,
    /// The 分值合计/总分 row's weight, when the table has a weight column.
    stated_total_weight: Option<rust_decimal::Decimal>,
}

/// The weight in column `col` of `line` (`20`, `20分`), recorded at `path`; a cell that is not
/// a number is a warning, not a weight.
fn weight_at(
    line: &Line,
    col: usize,
    trail: &mut Trail,
    path: &str,
) -> Option<rust_decimal::Decimal> {
    let c = line.own(col).filter(|c| !c.key.is_empty())?;
    match parse_number(&c.text, &['分']) {
        Ok(v) => {
            trail.at(path, c);
            v
        }
        Err(e) => {
            trail.warn(c, "分值", e);
            None
        }
    }
}

/// The rows after the indicators, to the end of their table: the review rows (审核意见, kept
/// with their text) and, in a spreadsheet, single-cell `填报人：…` rows; then the signature
/// paragraphs below the table.
fn closing_rows(lines: &[Line], mut k: usize, used: &mut Vec<usize>, fields: &mut Vec<Field>) {
    let table = k.checked_sub(1).and_then(|h| lines[h].table);
    while let Some(line) = lines.get(k)
        && !line.is_paragraph()
        && line.table == table
    {
        let filled: Vec<&LineCell> = line.filled().filter(|c| c.anchored).collect();
        match filled.as_slice() {
            [c, rest @ ..] if c.key.contains("审核意见") => fields.push(Field {
                label: label(&c.text),
                value: rest.first().map(|v| v.text.clone()).unwrap_or_default(),
            }),
            [c] if c.text.contains(['：', ':']) => {
                fields.extend(
                    signature_pairs(&c.text)
                        .into_iter()
                        .map(|(l, v)| Field { label: l, value: v }),
                );
            }
            _ => {}
        }
        used.push(k);
        k += 1;
    }
    signature_fields(lines, k, used, fields);
}

/// `填报人：詹智   联系电话：8867084` → label/value pairs; a word without a colon belongs to
/// the value before it.
fn signature_pairs(text: &str) -> Vec<(String, String)> {
    let mut pairs: Vec<(String, String)> = Vec::new();
    for word in text.split_whitespace() {
        match word.split_once(['：', ':']) {
            Some((l, v)) => pairs.push((l.to_string(), v.to_string())),
            None => match pairs.last_mut() {
                Some((_, v)) => {
                    if !v.is_empty() {
                        v.push(' ');
                    }
                    v.push_str(word);
                }
                None => pairs.push((word.to_string(), String::new())),
            },
        }
    }
    pairs
}

/// Signature paragraphs (`填报人：詹智   联系电话：8867084`); a label with no value takes the
/// next line when that line is only a value (a date).
fn signature_fields(lines: &[Line], mut k: usize, used: &mut Vec<usize>, fields: &mut Vec<Field>) {
    while let Some(line) = lines.get(k) {
        if !line.is_paragraph() || line.is_empty() {
            break;
        }
        let text = &line.cells[0].text;
        if !(text.contains('：') || text.contains(':')) {
            break;
        }
        used.push(k);
        for (l, v) in signature_pairs(text) {
            let mut value = v;
            if value.is_empty()
                && let Some(next) = lines.get(k + 1)
                && next.is_paragraph()
                && !next.cells[0].text.contains(['：', ':'])
                && next.cells[0]
                    .text
                    .chars()
                    .next()
                    .is_some_and(|c| c.is_ascii_digit())
            {
                value = next.cells[0].text.clone();
                used.push(k + 1);
                k += 1;
            }
            fields.push(Field { label: l, value });
        }
        k += 1;
    }
}

/// What both declarations end with: the indicator rows under the header at `head`, then the
/// review rows and signature lines (into `fields`).
fn rest(
    lines: &[Line],
    head: usize,
    trail: &mut Trail,
    used: &mut Vec<usize>,
    fields: &mut Vec<Field>,
) -> Indicators {
    used.push(head);
    let found = indicators(lines, head, trail, used);
    closing_rows(lines, found.next, used, fields);
    found
}

/// What both declarations start with: a trail, the lines from the anchor to the indicator
/// header and the title lines above, and the year in those titles.
fn preamble(
    lines: &[Line],
    i: usize,
    head: usize,
    used: &[bool],
) -> (Trail, Vec<usize>, Option<u16>) {
    let titles = preceding_titles(lines, i, used, 6);
    let title_text = titles
        .iter()
        .rev()
        .map(|&k| lines[k].key())
        .collect::<Vec<_>>()
        .join("|");
    let mut used_lines: Vec<usize> = (i..head).collect();
    used_lines.extend(&titles);
    (Trail::default(), used_lines, year_in(&title_text))
}

/// 项目绩效目标申报表: a 项目名称 row followed by 项目资金 rows with 资金总额.
pub(super) fn recognize_project(lines: &[Line], i: usize, used: &[bool]) -> Option<Found> {
    let first = lines[i].filled().next()?;
    if !first.key.starts_with("项目名称") {
        return None;
    }
    // Funds as 资金总额 rows, or as a cost build-up (项目预算成本构成 | 金额, Hubei).
    let window = &lines[i..(i + 6).min(lines.len())];
    if !window
        .iter()
        .any(|l| l.has("资金总额") || CostTable::is_header(l))
        || window.iter().any(|l| l.has("全年执行数"))
    {
        return None;
    }
    let head = (i..lines.len())
        .take(40)
        .find(|&k| is_indicator_header(&lines[k]))?;
    let (mut trail, mut used_lines, year) = preamble(lines, i, head, used);
    let mut form = ProjectTarget::blank(year);
    let mut costs = CostTable::default();
    let mut sources = Vec::new();
    for (k, line) in lines[i..head].iter().enumerate() {
        if costs.read(line, &mut form, &mut trail) {
            continue;
        }
        if let Some(source) = top_level_source(line) {
            sources.push(source);
        }
        let cells: Vec<&LineCell> = line.filled().filter(|c| c.anchored).collect();
        for (n, c) in cells.iter().enumerate() {
            let next = cells.get(n + 1);
            if c.key.starts_with("项目名称") {
                if let Some(v) = next {
                    form.project_name = label(&v.text);
                    trail.at("project_name", v);
                }
            } else if c.key.starts_with("预算单位")
                || c.key.starts_with("主管部门")
                || c.key.starts_with("实施单位")
            {
                if let Some(v) = next {
                    form.unit = label(&v.text);
                    trail.at("unit", v);
                }
            } else if (c.key.starts_with("绩效目标") || c.key.starts_with("年度绩效目标"))
                && form.annual_target.is_empty()
                && let Some(v) = next
            {
                // 绩效目标 | text on one line.
                form.annual_target = v.text.clone();
                trail.at("annual_target", v);
            } else if c.key.starts_with("年度目标") || c.key.starts_with("中期目标") {
                // The targets sit under these headers on the next line, or after the header
                // in its own line when flattened text ran them together.
                let target_line = lines.get(i + k + 1);
                let beside = next.copied().filter(|v| {
                    !v.key.is_empty()
                        && !v.key.starts_with("年度目标")
                        && !v.key.starts_with("中期目标")
                });
                if let Some(v) = beside.or_else(|| {
                    target_line
                        .and_then(|l| l.own(c.col))
                        .filter(|v| !v.key.is_empty())
                }) {
                    if c.key.starts_with("年度目标") {
                        form.annual_target = v.text.clone();
                        trail.at("annual_target", v);
                    } else {
                        form.medium_term_target = Some(v.text.clone());
                        trail.at("medium_term_target", v);
                    }
                }
            } else {
                fill_amounts(
                    &mut trail,
                    c,
                    next.copied(),
                    [
                        ("资金总额", "funds_total", &mut form.funds_total),
                        ("财政拨款", "funds_fiscal", &mut form.funds_fiscal),
                        ("其他资金", "funds_other", &mut form.funds_other),
                    ],
                    &mut form.other_fields,
                );
            }
        }
    }
    if form.funds_total.is_none() {
        form.funds_total = sum_of_sources(&sources, &mut trail);
    }
    let found = rest(
        lines,
        head,
        &mut trail,
        &mut used_lines,
        &mut form.other_fields,
    );
    form.indicators = found.rows;
    form.stated_total_weight = found.stated_total_weight;
    Some(Found {
        location: lines[i].cells[0].location.clone(),
        form: Form::ProjectTarget(form),
        provenance: trail.provenance(),
        used: used_lines,
        warnings: trail.warnings,
    })
}

/// A top-level funds source row of a declaration (`（一）财政拨款小计 | 6.30`): its number
/// (1 for （一）), its label cell, and its amount cell and amount when the next cell holds one.
type Source<'a> = (usize, &'a LineCell, Option<(&'a LineCell, Amount)>);

/// The top-level source a line states, if its label carries a `（一）` number.
fn top_level_source(line: &Line) -> Option<Source<'_>> {
    let cells: Vec<&LineCell> = line.filled().filter(|c| c.anchored).collect();
    cells.iter().enumerate().find_map(|(n, l)| {
        let (number, _) = l
            .key
            .strip_prefix(['(', '（'])
            .and_then(|r| r.split_once([')', '）']))?;
        let ordinal = chinese_ordinal(number)?;
        let amount = cells
            .get(n + 1)
            .and_then(|v| Some((*v, Amount::parse(&v.text, Some(MoneyUnit::Wan)).ok()?)));
        Some((ordinal, *l, amount))
    })
}

/// 一 … 十 → 1 … 10.
fn chinese_ordinal(text: &str) -> Option<usize> {
    let mut chars = text.chars();
    let c = chars.next()?;
    if chars.next().is_some() {
        return None;
    }
    "一二三四五六七八九十"
        .chars()
        .position(|d| d == c)
        .map(|p| p + 1)
}

/// 资金总额 when the form prints none but states its sources (（一）财政拨款小计 6.30,
/// （二）自有资金小计 0.00, （三）其他收入 0.00): their sum, with a note naming each amount and
/// where it is. `None` unless the sources are numbered （一）, （二）, … without a gap and each
/// has an amount (a source not read would make the sum wrong), or when their units differ.
fn sum_of_sources(sources: &[Source<'_>], trail: &mut Trail) -> Option<Amount> {
    let complete = !sources.is_empty()
        && sources
            .iter()
            .enumerate()
            .all(|(n, s)| s.0 == n + 1 && s.2.is_some());
    if !complete {
        return None;
    }
    let amounts: Vec<(&LineCell, &LineCell, Amount)> = sources
        .iter()
        .filter_map(|(_, l, a)| a.map(|(v, a)| (*l, v, a)))
        .collect();
    let (first, rest) = amounts.split_first()?;
    let mut total = first.2;
    for s in rest {
        total = total.checked_add(&s.2)?;
    }
    let parts: Vec<String> = amounts
        .iter()
        .map(|(l, v, _)| format!("{}{}（{}）", label(&l.text), v.text, v.location))
        .collect();
    trail.at("funds_total", first.1);
    trail.warnings.push(format!(
        "{}：资金总额未填写金额，按各资金来源之和计为{}：{}",
        first.0.location,
        total,
        parts.join(" + ")
    ));
    Some(total)
}

/// A cost build-up table in place of 资金总额 rows (项目预算成本构成 | 金额 | 测算依据 | …):
/// each item is kept as a field, and its 合计 row is the 资金总额.
#[derive(Default)]
struct CostTable {
    /// The header's cells, once seen: (column, label) of each.
    header: Option<Vec<(usize, String)>>,
}

impl CostTable {
    /// 项目预算成本构成 (or 成本构成 / 预算构成) with a 金额 column.
    fn is_header(line: &Line) -> bool {
        line.filled().next().is_some_and(|c| c.key.contains("构成"))
            && line.cells.iter().any(|c| c.key.starts_with("金额"))
    }

    /// The header's amount columns (金额, 2020年实际执行数 …): (grid column, label).
    fn amount_columns(header: &[(usize, String)]) -> Vec<(usize, String)> {
        header
            .iter()
            .skip(1)
            .filter(|(_, h)| {
                let k = super::key(h);
                k.starts_with("金额") || k.contains("执行数") || k.contains("预算数")
            })
            .cloned()
            .collect()
    }

    /// Reads `line` if it belongs to the table; false when it does not.
    fn read(&mut self, line: &Line, form: &mut ProjectTarget, trail: &mut Trail) -> bool {
        if Self::is_header(line) {
            self.header = Some(
                line.filled()
                    .filter(|c| c.anchored)
                    .map(|c| (c.col, label(&c.text)))
                    .collect(),
            );
            return true;
        }
        let Some(header) = &self.header else {
            return false;
        };
        let Some(amount_col) = header
            .iter()
            .find(|(_, h)| h.starts_with("金额"))
            .map(|(c, _)| *c)
        else {
            return false;
        };
        let Some(name) = line.own(header[0].0).filter(|c| !c.key.is_empty()) else {
            return false;
        };
        let Some(amount) = line
            .own(amount_col)
            .filter(|c| Amount::parse(&c.text, Some(MoneyUnit::Wan)).is_ok())
        else {
            // Not an item row (绩效目标 …): the table has ended.
            self.header = None;
            return false;
        };
        let columns = Self::amount_columns(header);
        if form.cost_columns.is_empty() {
            form.cost_columns = columns
                .iter()
                .map(|(_, h)| CostColumn {
                    label: h.clone(),
                    items: Vec::new(),
                    total: None,
                })
                .collect();
        }
        let total_row = name.key == "合计" || name.key == "总计";
        for (n, (col, _)) in columns.iter().enumerate() {
            let cell = line.own(*col).filter(|c| !c.key.is_empty());
            let value = cell.and_then(|c| Amount::parse(&c.text, Some(MoneyUnit::Wan)).ok());
            let Some(column) = form.cost_columns.get_mut(n) else {
                continue;
            };
            let path = if total_row {
                column.total = value;
                format!("cost_columns[{n}].total")
            } else {
                column.items.push(CostItem {
                    name: label(&name.text),
                    amount: value,
                });
                format!("cost_columns[{n}].items[{}].amount", column.items.len() - 1)
            };
            if let Some(c) = cell {
                trail.at(path, c);
            }
        }
        if total_row {
            form.funds_total = Amount::parse(&amount.text, Some(MoneyUnit::Wan)).ok();
            trail.at("funds_total", amount);
            self.header = None;
            return true;
        }
        let details: Vec<String> = header
            .iter()
            .skip(1)
            .filter_map(|(c, h)| {
                let v = line.own(*c).filter(|v| !v.key.is_empty())?;
                Some(format!("{h}：{}", v.text))
            })
            .collect();
        trail.at(
            format!("other_fields[{}].value", form.other_fields.len()),
            amount,
        );
        form.other_fields.push(Field {
            label: format!("{}：{}", label(&header[0].1), label(&name.text)),
            value: details.join("；"),
        });
        true
    }
}

/// The columns of a weighted target table, by header meaning.
struct WeightedColumns {
    level1: Option<usize>,
    level2: Option<usize>,
    name: usize,
    explain: Option<usize>,
    target: usize,
    weight: usize,
}

impl WeightedColumns {
    /// 评价指标/一级指标, 评价内容/二级指标, 指标名称/三级指标, 指标说明, 目标值/指标值 and
    /// 分值/权重; `None` unless name, target and weight columns are there and nothing is
    /// actual or scored (实际/得分: that is a self-evaluation).
    fn of(head: &Line) -> Option<WeightedColumns> {
        if head.is_paragraph() || head.has("得分") || head.has("实际") || head.has("完成值")
        {
            return None;
        }
        let col = |pred: &dyn Fn(&str) -> bool| {
            head.cells
                .iter()
                .find(|c| c.anchored && pred(&c.key))
                .map(|c| c.col)
        };
        Some(WeightedColumns {
            level1: col(&|k| k.starts_with("评价指标") || k.starts_with("一级指标")),
            level2: col(&|k| k.starts_with("评价内容") || k.starts_with("二级指标")),
            name: col(&|k| k.starts_with("指标名称") || k.starts_with("三级指标"))?,
            explain: col(&|k| k.starts_with("指标说明") || k.starts_with("指标解释")),
            target: col(&|k| k.starts_with("目标值") || k.contains("指标值"))?,
            weight: col(&|k| k.starts_with("分值") || k.starts_with("权重"))?,
        })
    }
}

/// The project a weighted target table's title names: `2019年度宁晋县高中助学金项目绩效评价指标表`
/// → `宁晋县高中助学金` (the year and the table's own name removed).
fn project_in_title(title: &str) -> String {
    let t = label(title);
    let t = match t.find("年度").or_else(|| t.find('年')) {
        Some(p) if t[..p].chars().all(|c| c.is_ascii_digit()) && p > 0 => {
            let skip = if t[p..].starts_with("年度") {
                "年度".len()
            } else {
                '年'.len_utf8()
            };
            t[p + skip..].to_string()
        }
        _ => t,
    };
    let end = ["项目绩效", "绩效评价", "绩效目标", "指标表"]
        .iter()
        .filter_map(|w| t.find(w))
        .min()
        .unwrap_or(t.len());
    t[..end].to_string()
}

/// A declaration of weighted targets printed as an evaluation-indicator table (河北:
/// 评价指标 | 评价内容 | 指标名称 | 指标说明 | 目标值 | 分值, then 总分): a 项目绩效目标 with its
/// indicators, their weights and the stated total weight. No funds are printed; the project
/// is named by the title above the table.
pub(super) fn recognize_weighted_targets(lines: &[Line], i: usize, used: &[bool]) -> Option<Found> {
    let head = &lines[i];
    let columns = WeightedColumns::of(head)?;
    let titles = preceding_titles(lines, i, used, 3);
    let title = titles
        .iter()
        .map(|&k| &lines[k])
        .find(|l| l.key().contains("指标表") || l.key().contains("目标表"))?;
    let mut trail = Trail::default();
    let mut used_lines = titles.clone();
    used_lines.push(i);
    let mut form = ProjectTarget {
        project_name: project_in_title(&title.cells[0].text),
        ..ProjectTarget::blank(year_in(title.key()))
    };
    trail.at("project_name", &title.cells[0]);
    trail.warnings.push(format!(
        "{}：绩效评价指标表未列资金总额和单位，项目名称取自标题",
        head.location()
    ));
    let (mut level1, mut level2) = (String::new(), String::new());
    let mut k = i + 1;
    while let Some(line) = lines.get(k)
        && line.table == head.table
        && !used[k]
    {
        used_lines.push(k);
        k += 1;
        if line
            .filled()
            .next()
            .is_some_and(|c| c.key.starts_with("总分") || c.key == "合计")
        {
            form.stated_total_weight =
                weight_at(line, columns.weight, &mut trail, "stated_total_weight");
            break;
        }
        let carried = |c: Option<usize>| c.and_then(|c| line.at(c)).filter(|c| !c.key.is_empty());
        if let Some(c) = carried(columns.level1) {
            level1 = label(&c.text);
        }
        if let Some(c) = carried(columns.level2) {
            level2 = label(&c.text);
        }
        let Some(name) = line.own(columns.name).filter(|c| !c.key.is_empty()) else {
            continue;
        };
        let index = form.indicators.len();
        trail.at(format!("indicators[{index}].name"), name);
        // The 目标值, else the 指标说明 when the row states its target only in words.
        let target = line
            .own(columns.target)
            .filter(|c| !c.key.is_empty())
            .or_else(|| {
                columns
                    .explain
                    .and_then(|c| line.own(c))
                    .filter(|c| !c.key.is_empty())
            });
        if let Some(c) = target {
            trail.at(format!("indicators[{index}].target"), c);
        }
        form.indicators.push(DeclaredIndicator {
            level1: level1.clone(),
            level2: level2.clone(),
            name: label(&name.text),
            target: target.map(|c| c.text.clone()).unwrap_or_default(),
            weight: weight_at(
                line,
                columns.weight,
                &mut trail,
                &format!("indicators[{index}].weight"),
            ),
        });
    }
    if form.indicators.is_empty() {
        return None;
    }
    Some(Found {
        location: head.cells[0].location.clone(),
        form: Form::ProjectTarget(form),
        provenance: trail.provenance(),
        used: used_lines,
        warnings: trail.warnings,
    })
}

/// 部门整体支出绩效目标申报表: a 部门名称 row followed by 年度预算申请 or 年度主要任务.
pub(super) fn recognize_department(lines: &[Line], i: usize, used: &[bool]) -> Option<Found> {
    let first = lines[i].filled().next()?;
    if !first.key.starts_with("部门名称") && !first.key.starts_with("部门（单位）名称")
    {
        return None;
    }
    let window = &lines[i..(i + 8).min(lines.len())];
    if !window
        .iter()
        .any(|l| l.has("年度预算申请") || l.has("年度主要任务") || l.has("资金总额"))
        || window.iter().any(|l| l.has("全年执行数"))
    {
        return None;
    }
    let head = (i..lines.len())
        .take(60)
        .find(|&k| is_indicator_header(&lines[k]))?;
    let (mut trail, mut used_lines, year) = preamble(lines, i, head, used);
    let mut form = DepartmentTarget {
        year,
        department: String::new(),
        layout: Layout::default(),
        other_fields: Vec::new(),
        funds_total: None,
        funds_fiscal: None,
        funds_other: None,
        basic_expenditure: None,
        project_expenditure: None,
        duties: String::new(),
        tasks: Vec::new(),
        stated_tasks_total: None,
        annual_target: String::new(),
        indicators: Vec::new(),
    };
    let mut tasks = TaskTable::default();
    for line in &lines[i..head] {
        if tasks.read(line, &mut form, &mut trail) {
            continue;
        }
        read_department_fields(line, &mut form, &mut trail);
    }
    form.indicators = rest(
        lines,
        head,
        &mut trail,
        &mut used_lines,
        &mut form.other_fields,
    )
    .rows;
    Some(Found {
        location: lines[i].cells[0].location.clone(),
        form: Form::DepartmentTarget(form),
        provenance: trail.provenance(),
        used: used_lines,
        warnings: trail.warnings,
    })
}

/// The task table of a department declaration: 任务名称 | 主要内容 | 预算金额, then
/// 总额 | 财政拨款 | 其他资金, the task rows and their 金额合计 row.
#[derive(Default)]
struct TaskTable {
    /// 任务名称 and 主要内容 columns, once the header is seen.
    header: (Option<usize>, Option<usize>),
    /// Name, content, 总额, 财政拨款, 其他资金 columns, while task rows are read.
    cols: Option<(usize, usize, usize, usize, usize)>,
}

impl TaskTable {
    /// Reads `line` if it belongs to the task table; false when it does not.
    fn read(&mut self, line: &Line, form: &mut DepartmentTarget, trail: &mut Trail) -> bool {
        if line
            .cells
            .iter()
            .any(|c| c.anchored && c.key.starts_with("任务名称"))
        {
            self.header = (
                line.find(|k| k.starts_with("任务名称")).map(|c| c.col),
                line.find(|k| k.starts_with("主要内容")).map(|c| c.col),
            );
            return true;
        }
        if let (Some(cn), Some(cc)) = self.header
            && self.cols.is_none()
            && line.has("总额")
            && line.has("财政拨款")
        {
            let at = |w: &str| line.find(|k| k.starts_with(w)).map(|c| c.col);
            if let (Some(t), Some(f), Some(o)) = (at("总额"), at("财政拨款"), at("其他资金"))
            {
                self.cols = Some((cn, cc, t, f, o));
            }
            return true;
        }
        let Some((cn, cc, ct, cf, co)) = self.cols else {
            return false;
        };
        let Some(name) = line
            .own(cn)
            .filter(|c| !c.key.is_empty())
            .or_else(|| line.filled().find(|c| c.anchored && c.key.contains("合计")))
        else {
            return false;
        };
        if name.key.contains("合计") {
            // In the 金额合计 row the amounts start one column early (the label spans).
            let values: Vec<&LineCell> = line
                .filled()
                .filter(|c| c.anchored && !c.key.contains("合计"))
                .collect();
            let parse = |trail: &mut Trail, n: usize, path: &str| {
                let c = values.get(n)?;
                let a = Amount::parse(&c.text, Some(MoneyUnit::Wan)).ok()?;
                trail.at(path, c);
                Some(a)
            };
            form.stated_tasks_total = Some(TaskBudget {
                total: parse(trail, 0, "stated_tasks_total.total"),
                fiscal: parse(trail, 1, "stated_tasks_total.fiscal"),
                other: parse(trail, 2, "stated_tasks_total.other"),
            });
            self.cols = None;
            return true;
        }
        let money = |trail: &mut Trail, col: usize, path: String| {
            let c = line.own(col).filter(|c| !c.key.is_empty())?;
            match Amount::parse(&c.text, Some(MoneyUnit::Wan)) {
                Ok(a) => {
                    trail.at(path, c);
                    Some(a)
                }
                Err(e) => {
                    trail.warn(c, "金额", e);
                    None
                }
            }
        };
        let index = form.tasks.len();
        trail.at(format!("tasks[{index}].name"), name);
        let content = line.own(cc).map(|c| c.text.clone()).unwrap_or_default();
        form.tasks.push(Task {
            name: label(&name.text),
            content,
            budget: TaskBudget {
                total: money(trail, ct, format!("tasks[{index}].budget.total")),
                fiscal: money(trail, cf, format!("tasks[{index}].budget.fiscal")),
                other: money(trail, co, format!("tasks[{index}].budget.other")),
            },
        });
        true
    }
}

/// Label/value cells of a department declaration's header: 部门名称, 部门职能, 年度总体目标,
/// and the amounts (资金总额 …); anything else is kept as an other field.
fn read_department_fields(line: &Line, form: &mut DepartmentTarget, trail: &mut Trail) {
    let cells: Vec<&LineCell> = line.filled().filter(|c| c.anchored).collect();
    for (n, c) in cells.iter().enumerate() {
        let next = cells.get(n + 1);
        if c.key.starts_with("部门名称") || c.key.starts_with("部门（单位）名称") {
            if let Some(v) = next {
                form.department = label(&v.text);
                trail.at("department", v);
            }
        } else if c.key.starts_with("部门职能") {
            if let Some(v) = next {
                form.duties = v.text.clone();
                trail.at("duties", v);
            }
        } else if c.key.starts_with("年度总体目标") {
            if let Some(v) = next {
                form.annual_target = v.text.clone();
                trail.at("annual_target", v);
            }
        } else {
            fill_amounts(
                trail,
                c,
                next.copied(),
                [
                    ("资金总额", "funds_total", &mut form.funds_total),
                    ("财政拨款", "funds_fiscal", &mut form.funds_fiscal),
                    ("其他资金", "funds_other", &mut form.funds_other),
                    ("基本支出", "basic_expenditure", &mut form.basic_expenditure),
                    (
                        "项目支出",
                        "project_expenditure",
                        &mut form.project_expenditure,
                    ),
                ],
                &mut form.other_fields,
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_numbered_items() {
        assert_eq!(
            items("指标1：老工伤统筹管理人员\n指标2：老工伤待遇发放"),
            ["老工伤统筹管理人员", "老工伤待遇发放"]
        );
        assert_eq!(
            items("1、报账资料交齐后50个工作日内\n2、参保人员异动"),
            ["报账资料交齐后50个工作日内", "参保人员异动"]
        );
        assert_eq!(items("1.5万人"), ["1.5万人"]);
    }

    #[test]
    fn amounts_after_labels() {
        let (a, note) = labelled_amount("其中：公共财政拨款：302.66万元\n其他资金：174万元（工伤保险基金“三项费用”需要政府采购部分）", "其他资金").unwrap().unwrap();
        assert_eq!(a.value().to_string(), "174");
        assert_eq!(note, "工伤保险基金“三项费用”需要政府采购部分");
        assert!(labelled_amount("其他资金：", "其他资金").is_none());
    }
}
