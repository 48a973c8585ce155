//! The funds grid on a report's cover (财政支出项目绩效评价自评报告, Hunan and Zhejiang kinds):
//! columns 计划安排 / 实际到位 / 实际支出 / 结余, each with its total and its amounts by source
//! (中央, 省, 市, 区/县, 其它).
//!
//! The grid is read as a stream of words, so it reads the same from a table (a .docx, a web
//! page) and from a paragraph whose table was flattened (`计划安排资金(万元) | 1088.00 |
//! 实际到位资金(万元) | 1020.02 | 其中:中央财政 | 其中:中央财政 | … `):
//!
//! - a column label (计划安排资金(万元)) opens a column, and the amount after it is the
//!   column's total; labels that follow each other (with their totals) form one group;
//! - a source label (其中:中央财政, 省, 其它) belongs to the group's columns by its
//!   occurrence: printed once per column (as text extraction repeats a merged label), its
//!   n-th occurrence is the n-th column; printed once with several amounts after it (a
//!   source per row, a column per 计划安排 / 实际到位 / … header), the amounts fill the
//!   columns in turn — by the header's grid column when the row is a table row;
//! - 合计 / 小计 rows give the totals the same way;
//! - the grid ends at the first word that is none of these (二、项目支出明细情况).

use std::collections::HashMap;

use jixiao_core::form::report::{FundsColumn, FundsColumnKind, ReportFunds, SourceAmount};
use jixiao_core::money::{Amount, MoneyUnit};

use super::{Line, LineCell, Trail, label};

/// A funds grid read from some lines: the grid, where each value came from, and the lines
/// it took.
pub(super) struct Grid {
    /// The grid.
    pub funds: ReportFunds,
    /// Field path (`funds.columns[0].total`) → its cell.
    pub notes: Vec<(String, LineCell)>,
    /// The lines the grid was read from.
    pub lines: Vec<usize>,
}

/// A word of the stream, with its line and, for a table cell, its grid column.
struct Word {
    cell: LineCell,
    line: usize,
    col: Option<usize>,
}

/// What a word is to the grid.
enum Kind {
    Head(FundsColumnKind),
    Source(String),
    Total,
    Amount,
    Skip,
    Other,
}

/// A column label as a grid reads it: a label of [`FundsColumnKind`] without figures.
fn head(key: &str) -> Option<FundsColumnKind> {
    if key.chars().any(|c| c.is_ascii_digit()) {
        return None;
    }
    FundsColumnKind::of_label(key)
}

/// A source label (`其中:中央财政`, `省财政`, `区`, `其它`), without its `其中:`.
fn source(text: &str, key: &str) -> Option<String> {
    let k = key
        .trim_start_matches("其中")
        .trim_start_matches([':', '：']);
    if k.is_empty() || k.chars().count() > 12 || k.chars().any(|c| c.is_ascii_digit()) {
        return None;
    }
    let levels = [
        "中央",
        "省",
        "市",
        "州",
        "县",
        "区",
        "乡",
        "镇",
        "旗",
        "本级",
        "其它",
        "其他",
        "自筹",
        "社会",
        "单位自有",
    ];
    if !levels.iter().any(|w| k.starts_with(w)) {
        return None;
    }
    let printed = label(text);
    let printed = printed
        .trim_start_matches("其中")
        .trim_start_matches([':', '：'])
        .trim()
        .to_string();
    Some(printed)
}

fn kind(word: &LineCell) -> Kind {
    let k = word.key.as_str();
    if k.is_empty() {
        return Kind::Skip;
    }
    if let Some(h) = head(k) {
        return Kind::Head(h);
    }
    if ["合计", "小计", "总计", "资金合计"].contains(&k) {
        return Kind::Total;
    }
    if let Some(s) = source(&word.text, k) {
        return Kind::Source(s);
    }
    if k.starts_with(|c: char| c.is_ascii_digit() || c == '-') && !k.ends_with('%') {
        return Kind::Amount;
    }
    if [
        "其中",
        "其中:",
        "资金来源",
        "来源",
        "项目",
        "资金(万元)",
        "项目资金(万元)",
    ]
    .contains(&k)
        || k.starts_with("单位:")
        || k.starts_with("金额单位")
    {
        return Kind::Skip;
    }
    Kind::Other
}

/// The words of lines `from..to`: a table row's cells that start in it; a paragraph cut at
/// `|` and spaces (a flattened table).
fn words(lines: &[Line], from: usize, to: usize) -> Vec<Word> {
    let mut out = Vec::new();
    for (n, line) in lines.iter().enumerate().take(to).skip(from) {
        if line.is_paragraph() {
            for c in line.filled() {
                for piece in c.text.split(['|', ' ', '\t', '\n']) {
                    let piece = piece.trim();
                    if piece.is_empty() {
                        continue;
                    }
                    out.push(Word {
                        cell: LineCell {
                            text: piece.to_string(),
                            key: super::key(piece),
                            ..c.clone()
                        },
                        line: n,
                        col: None,
                    });
                }
            }
        } else {
            for c in line.filled().filter(|c| c.anchored) {
                out.push(Word {
                    cell: c.clone(),
                    line: n,
                    col: Some(c.col),
                });
            }
        }
    }
    out
}

/// True when the paragraph at `line` opens with a column label: a flattened funds grid.
pub(super) fn opens_grid(line: &Line) -> bool {
    line.is_paragraph()
        && line
            .filled()
            .next()
            .and_then(|c| {
                c.text
                    .split(['|', ' ', '\t'])
                    .find(|p| !p.trim().is_empty())
            })
            .is_some_and(|first| head(&super::key(first)).is_some())
}

/// Where the next amount goes.
#[derive(Clone, Copy)]
enum Target {
    /// A column's total, from its label.
    HeadTotal(usize),
    /// The group's `pos`-th column, for a source (by name index) or the totals row (`None`).
    Row { pos: usize, source: Option<usize> },
}

/// Reads a funds grid from lines `from..to` (a table, or paragraphs): `None` when they hold
/// no column label with a figure.
pub(super) fn read(lines: &[Line], from: usize, to: usize) -> Option<Grid> {
    let words = words(lines, from, to);
    let start = words
        .iter()
        .position(|w| matches!(kind(&w.cell), Kind::Head(_)))?;
    let mut funds = ReportFunds::default();
    // Per column: its unit and its label's grid column.
    let mut units: Vec<MoneyUnit> = Vec::new();
    let mut head_cols: Vec<Option<(Option<usize>, usize)>> = Vec::new();
    let mut notes: Vec<(String, LineCell)> = Vec::new();
    let mut taken: Vec<usize> = Vec::new();
    let mut group: Vec<usize> = Vec::new();
    let mut heads_open = false;
    let mut seen: HashMap<String, usize> = HashMap::new();
    let mut names: Vec<String> = Vec::new();
    let mut target: Option<Target> = None;
    let mut figures = 0;
    for w in &words[start..] {
        let table = lines[w.line].table;
        match kind(&w.cell) {
            Kind::Skip => continue,
            Kind::Other => break,
            Kind::Head(k) => {
                if !heads_open {
                    group.clear();
                    seen.clear();
                }
                heads_open = true;
                let index = funds.columns.len();
                notes.push((format!("funds.columns[{index}].label"), w.cell.clone()));
                funds.columns.push(FundsColumn {
                    kind: k,
                    label: label(&w.cell.text),
                    total: None,
                    sources: Vec::new(),
                });
                units.push(MoneyUnit::from_header(&w.cell.text).unwrap_or(MoneyUnit::Wan));
                head_cols.push(w.col.map(|c| (table, c)));
                group.push(index);
                target = Some(Target::HeadTotal(index));
            }
            Kind::Source(_) | Kind::Total if group.is_empty() => break,
            Kind::Source(name) => {
                heads_open = false;
                let key = SourceAmount {
                    source: name.clone(),
                    amount: None,
                }
                .key();
                let n = seen.entry(key).or_insert(0);
                let pos = *n;
                *n += 1;
                if pos >= group.len() {
                    target = None;
                    continue;
                }
                let s = names.len();
                names.push(name);
                // Listed in every column of the group (printed once per row, the source is
                // every column's, whether or not its cell there holds a figure); its label
                // cell is noted where it stands.
                if pos == 0 {
                    for &c in &group[1..] {
                        source_slot(&mut funds, c, &names[s], &w.cell, &mut notes);
                    }
                }
                let at = source_slot(&mut funds, group[pos], &names[s], &w.cell, &mut notes);
                notes.push((
                    format!("funds.columns[{}].sources[{at}].source", group[pos]),
                    w.cell.clone(),
                ));
                target = Some(Target::Row {
                    pos,
                    source: Some(s),
                });
            }
            Kind::Total => {
                heads_open = false;
                let n = seen.entry("合计".to_string()).or_insert(0);
                let pos = *n;
                *n += 1;
                target = (pos < group.len()).then_some(Target::Row { pos, source: None });
            }
            Kind::Amount => {
                let Some(t) = target else { continue };
                // The column: the label's own; in a row, the header's grid column when the
                // row is a table row under it, else the row's next column in turn.
                let (column, pos) = match t {
                    Target::HeadTotal(c) => (c, None),
                    Target::Row { pos, .. } => {
                        let by_col = w.col.and_then(|col| {
                            group
                                .iter()
                                .position(|&c| head_cols[c] == Some((table, col)))
                        });
                        let p = by_col.unwrap_or(pos);
                        if p >= group.len() {
                            target = None;
                            continue;
                        }
                        (group[p], Some(p))
                    }
                };
                let Ok(amount) = Amount::parse(&w.cell.text, Some(units[column])) else {
                    break;
                };
                figures += 1;
                match (t, pos) {
                    (
                        Target::Row {
                            source: Some(s), ..
                        },
                        Some(p),
                    ) => {
                        let at = source_slot(&mut funds, column, &names[s], &w.cell, &mut notes);
                        funds.columns[column].sources[at].amount = Some(amount);
                        notes.push((
                            format!("funds.columns[{column}].sources[{at}].amount"),
                            w.cell.clone(),
                        ));
                        target = Some(Target::Row {
                            pos: p + 1,
                            source: Some(s),
                        });
                    }
                    (Target::Row { source: None, .. }, Some(p)) => {
                        funds.columns[column].total = Some(amount);
                        notes.push((format!("funds.columns[{column}].total"), w.cell.clone()));
                        target = Some(Target::Row {
                            pos: p + 1,
                            source: None,
                        });
                    }
                    _ => {
                        funds.columns[column].total = Some(amount);
                        notes.push((format!("funds.columns[{column}].total"), w.cell.clone()));
                        target = None;
                    }
                }
            }
        }
        if taken.last() != Some(&w.line) {
            taken.push(w.line);
        }
    }
    (figures > 0).then_some(Grid {
        funds,
        notes,
        lines: taken,
    })
}

/// The index of `name` among `column`'s sources, added (empty, its label noted) when the
/// column does not list it yet.
fn source_slot(
    funds: &mut ReportFunds,
    column: usize,
    name: &str,
    cell: &LineCell,
    notes: &mut Vec<(String, LineCell)>,
) -> usize {
    let wanted = SourceAmount {
        source: name.to_string(),
        amount: None,
    };
    let key = wanted.key();
    let sources = &mut funds.columns[column].sources;
    if let Some(at) = sources.iter().position(|s| s.key() == key) {
        return at;
    }
    sources.push(wanted);
    let at = sources.len() - 1;
    notes.push((
        format!("funds.columns[{column}].sources[{at}].source"),
        cell.clone(),
    ));
    at
}

/// Notes every value of `grid` on `trail`.
pub(super) fn note(trail: &mut Trail, grid: &Grid) {
    for (path, cell) in &grid.notes {
        trail.at(path.clone(), cell);
    }
}
