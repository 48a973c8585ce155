//! # jixiao-recognize
//!
//! Recognition: a [`Document`]'s grid → the typed forms of `jixiao-core`; [`import`] reads a
//! file (through `jixiao-read`) or form JSON ([`json`]) and recognizes its forms.
//!
//! Tables are flattened into one stream of `Line`s (a table row, or a paragraph as a
//! one-cell line) so that a form reads the same whether its rows sit in one table, several
//! tables (a page break in a PDF extract) or a worksheet with title rows. Recognizers look for
//! their anchor rows by header *meaning* (`年度指标值`/`指标值`/`目标值`, units in headers, two-row
//! headers) and consume the lines they understand; every value keeps its [`Location`]. Lines
//! no recognizer consumed are listed as unrecognized, never dropped.

mod catalog;
mod declaration;
mod ex_ante;
mod import;
pub mod json;
mod monitoring;
mod report;
mod report_funds;
mod self_eval;
mod transfer;

use std::collections::BTreeMap;

use jixiao_core::form::Form;
use jixiao_core::source::{Location, Uncertain};
use serde::Serialize;

use jixiao_grid::{Block, Document, Format};

pub use import::import;
pub use jixiao_grid::{ErrorKind, ImportError, Limits};

/// A form recognized in a document, with where each of its values came from.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Recognized {
    /// The typed form.
    pub form: Form,
    /// Where the form starts.
    pub location: Location,
    /// Field path (`indicators[3].score`) → the cell it was read from.
    pub provenance: BTreeMap<String, Location>,
    /// The fields read from cells of a scan the character recognition was unsure of, to be
    /// confirmed against the paper before they count (empty for every other format).
    pub uncertain: Vec<Uncertain>,
}

impl Recognized {
    /// The form as the audit takes it: the form, where it starts, where its values came from.
    pub fn input(&self) -> jixiao_core::audit::Input<'_> {
        jixiao_core::audit::Input {
            form: &self.form,
            location: &self.location,
            provenance: &self.provenance,
        }
    }
}

/// Content no recognizer understood.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Unrecognized {
    /// Where.
    pub location: Location,
    /// The content, cells joined by ` | `.
    pub text: String,
}

/// The result of importing one document.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Import {
    /// The file name.
    pub file: String,
    /// The format it was read as.
    pub format: Format,
    /// The forms found, in document order.
    pub forms: Vec<Recognized>,
    /// Rows and paragraphs no recognizer used.
    pub unrecognized: Vec<Unrecognized>,
    /// Values that were present but could not be read (with where), and reader warnings.
    pub warnings: Vec<String>,
}

/// One cell of a line.
#[derive(Debug, Clone)]
pub(crate) struct LineCell {
    /// The text with each line trimmed, runs of spaces collapsed and blank lines dropped.
    pub text: String,
    /// The text without any whitespace, widths folded: what labels are matched on.
    pub key: String,
    /// First grid column.
    pub col: usize,
    /// Columns covered.
    pub colspan: usize,
    /// True when the cell starts in this row (false: carried down from a row span above).
    pub anchored: bool,
    /// Where it is.
    pub location: Location,
}

/// A table row, or a paragraph.
#[derive(Debug, Clone)]
pub(crate) struct Line {
    pub cells: Vec<LineCell>,
    /// Table number, for rows; `None` for paragraphs.
    pub table: Option<usize>,
    /// Heading level of a paragraph, if marked.
    pub heading: Option<u8>,
    /// All cells' keys joined, computed once: recognizers match on it again and again.
    joined: String,
}

impl Line {
    fn new(cells: Vec<LineCell>, table: Option<usize>, heading: Option<u8>) -> Line {
        let mut joined = String::with_capacity(cells.iter().map(|c| c.key.len()).sum());
        joined.extend(cells.iter().map(|c| c.key.as_str()));
        Line {
            cells,
            table,
            heading,
            joined,
        }
    }

    /// True for a paragraph (not a table row).
    pub fn is_paragraph(&self) -> bool {
        self.table.is_none()
    }

    /// The whole line's key (all cells' keys joined).
    pub fn key(&self) -> &str {
        &self.joined
    }

    /// The first cell whose key satisfies `pred`.
    pub fn find(&self, pred: impl Fn(&str) -> bool) -> Option<&LineCell> {
        self.cells.iter().find(|c| pred(&c.key))
    }

    /// True when some cell's key contains `word`.
    pub fn has(&self, word: &str) -> bool {
        self.cells.iter().any(|c| c.key.contains(word))
    }

    /// The cell covering column `col`, if any.
    pub fn at(&self, col: usize) -> Option<&LineCell> {
        self.cells
            .iter()
            .find(|c| c.col <= col && col < c.col + c.colspan)
    }

    /// The cell covering `col` only if it starts in this row and at this column.
    pub fn own(&self, col: usize) -> Option<&LineCell> {
        self.at(col).filter(|c| c.anchored && c.col == col)
    }

    /// The non-empty cells.
    pub fn filled(&self) -> impl Iterator<Item = &LineCell> {
        self.cells.iter().filter(|c| !c.key.is_empty())
    }

    /// True when no cell has text.
    pub fn is_empty(&self) -> bool {
        self.filled().next().is_none()
    }

    /// The line as text, for listings.
    pub fn text(&self) -> String {
        self.filled()
            .map(|c| c.text.replace('\n', " "))
            .collect::<Vec<_>>()
            .join(" | ")
    }

    /// Where the line is (its first cell).
    pub fn location(&self) -> Location {
        self.cells
            .first()
            .map(|c| {
                let mut l = c.location.clone();
                l.col = None;
                l
            })
            .unwrap_or_default()
    }
}

/// Cells of `line` placed under `head`'s columns. A row from a table without spans may have
/// lost leading merged cells (text extracted from a PDF): it is shifted by the smallest
/// offset for which `fits` accepts it. Rows with spans, and rows that already fit, are kept.
pub(crate) fn aligned<'a>(
    line: &'a Line,
    fits: impl Fn(&Line) -> bool,
) -> std::borrow::Cow<'a, Line> {
    use std::borrow::Cow;
    let plain = line.cells.iter().all(|c| c.anchored && c.colspan == 1);
    if !plain || fits(line) {
        return Cow::Borrowed(line);
    }
    for shift in [1isize, 2, 3, -1, -2] {
        let mut shifted = line.clone();
        let mut ok = true;
        for c in &mut shifted.cells {
            match c.col.checked_add_signed(shift) {
                Some(col) => c.col = col,
                None if c.key.is_empty() => c.col = usize::MAX / 2,
                None => ok = false,
            }
        }
        if ok && fits(&shifted) {
            return Cow::Owned(shifted);
        }
    }
    Cow::Borrowed(line)
}

/// Cleans cell text: trims each line, collapses runs of spaces, drops blank lines.
pub(crate) fn clean(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for line in text.lines() {
        let mut words = line.split_whitespace();
        let Some(first) = words.next() else { continue };
        if !out.is_empty() {
            out.push('\n');
        }
        out.push_str(first);
        for w in words {
            out.push(' ');
            out.push_str(w);
        }
    }
    out
}

/// [`clean`] and [`key`] of `text` in one pass: both keep the same characters (every one that
/// is not whitespace), the key folded, the cleaned text with single spaces and line breaks
/// between its words and lines.
fn clean_and_key(text: &str) -> (String, String) {
    let mut cleaned = String::with_capacity(text.len());
    let mut keyed = String::with_capacity(text.len());
    // A space or a line break is written only before the next word, so none trails.
    let (mut space, mut newline, mut in_line) = (false, false, false);
    for c in text.chars() {
        if c == '\n' {
            in_line = false;
            space = false;
            newline = !cleaned.is_empty();
        } else if c.is_whitespace() {
            space = in_line;
        } else {
            if newline {
                cleaned.push('\n');
            } else if space {
                cleaned.push(' ');
            }
            (space, newline, in_line) = (false, false, true);
            cleaned.push(c);
            keyed.push(jixiao_core::numeral::fold_char(c));
        }
    }
    (cleaned, keyed)
}

/// The matching key of a text: widths folded, all whitespace removed.
pub(crate) fn key(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    // Runs of characters that stay as they are are copied whole.
    let mut run = 0;
    for (i, c) in text.char_indices() {
        let folded = jixiao_core::numeral::fold_char(c);
        if folded == c && !c.is_whitespace() {
            continue;
        }
        out.push_str(&text[run..i]);
        if !folded.is_whitespace() {
            out.push(folded);
        }
        run = i + c.len_utf8();
    }
    out.push_str(&text[run..]);
    out
}

/// A label as printed with its line breaks removed (`社会效益\n指标` → `社会效益指标`).
pub(crate) fn label(text: &str) -> String {
    text.lines().map(str::trim).collect::<String>()
}

/// Flattens a document into lines.
pub(crate) fn lines(doc: &Document) -> Vec<Line> {
    let mut out = Vec::new();
    for block in &doc.blocks {
        match block {
            Block::Paragraph(p) => {
                let location = doc.paragraph_location(p.index);
                let (text, key) = clean_and_key(&p.text);
                out.push(Line::new(
                    vec![LineCell {
                        text,
                        key,
                        col: 0,
                        colspan: 1,
                        anchored: true,
                        location,
                    }],
                    None,
                    p.heading,
                ));
            }
            Block::Table(t) => table_lines(doc, t, &mut out),
        }
    }
    out
}

/// The rows of table `t` as lines. Each cell's text is cleaned and keyed once, however many
/// rows it covers; a cell carried down from a row above is a copy.
fn table_lines(doc: &Document, t: &jixiao_grid::Table, out: &mut Vec<Line>) {
    let mut done: Vec<Option<(String, String)>> = vec![None; t.cells.len()];
    for (r, row) in t.row_indices().into_iter().enumerate() {
        let cells = row
            .into_iter()
            .map(|i| {
                let c = &t.cells[i];
                let (text, key) = match &done[i] {
                    Some((text, key)) => (text.clone(), key.clone()),
                    None => {
                        let pair = clean_and_key(&c.text);
                        if c.rowspan > 1 {
                            done[i] = Some(pair.clone());
                        }
                        pair
                    }
                };
                LineCell {
                    text,
                    key,
                    col: c.col,
                    colspan: c.colspan,
                    anchored: c.row == r,
                    location: Location {
                        source: c.origin,
                        ..doc.cell_location(t, c.row, c.col)
                    },
                }
            })
            .collect();
        out.push(Line::new(cells, Some(t.index), None));
    }
}

/// What a recognizer returns: the form, the lines it used, and anything it could not read.
pub(crate) struct Found {
    pub form: Form,
    pub location: Location,
    pub provenance: BTreeMap<String, Location>,
    pub used: Vec<usize>,
    pub warnings: Vec<String>,
}

/// Records where fields came from while a recognizer reads them.
#[derive(Default)]
pub(crate) struct Trail {
    /// Field paths and where each was read, in the order they were noted; a later entry for
    /// a path replaces an earlier one when the map is made ([`Trail::provenance`]). A list,
    /// not a map, while reading: a form notes hundreds of paths, and building the map once
    /// from sorted entries costs less than inserting them one by one.
    entries: Vec<(String, Location)>,
    pub warnings: Vec<String>,
}

impl Trail {
    /// Notes that `path` was read from `cell`.
    pub fn at(&mut self, path: impl Into<String>, cell: &LineCell) {
        self.note(path.into(), cell.location.clone());
    }

    /// Notes that `path` was read at `location`.
    pub fn note(&mut self, path: String, location: Location) {
        self.entries.push((path, location));
    }

    /// Where each field was read, the last note of a path winning; the trail is left empty.
    pub fn provenance(&mut self) -> BTreeMap<String, Location> {
        let mut entries = std::mem::take(&mut self.entries);
        // Stable: the notes of one path stay in the order they were made.
        entries.sort_by(|a, b| a.0.cmp(&b.0));
        let mut last: Vec<(String, Location)> = Vec::with_capacity(entries.len());
        for entry in entries {
            match last.last_mut() {
                Some(prev) if prev.0 == entry.0 => *prev = entry,
                _ => last.push(entry),
            }
        }
        last.into_iter().collect()
    }

    /// Notes a value that could not be read.
    pub fn warn(&mut self, cell: &LineCell, what: &str, error: impl std::fmt::Display) {
        self.warnings.push(format!(
            "{}：{what}“{}”无法识别（{error}），未导入",
            cell.location, cell.text
        ));
    }
}

/// A recognizer: tries to read a form anchored at line `i`, given which lines are used.
type Recognizer = fn(&[Line], usize, &[bool]) -> Option<Found>;

/// The recognizers of the forms (every one but the narrative report's), in the order they
/// are tried at each line.
const FORM_RECOGNIZERS: &[Recognizer] = &[
    ex_ante::recognize,
    monitoring::recognize,
    transfer::recognize,
    self_eval::recognize,
    declaration::recognize_project,
    declaration::recognize_department,
    declaration::recognize_weighted_targets,
    catalog::recognize_project_list,
    catalog::recognize_evaluation_table,
    catalog::recognize_base_data,
];

/// True when a form recognizer would read a form anchored in lines `from..to` (a table a
/// report must leave to it).
pub(crate) fn claimed_by_a_form(lines: &[Line], from: usize, to: usize, used: &[bool]) -> bool {
    (from..to.min(lines.len()))
        .filter(|&j| !used[j])
        .any(|j| FORM_RECOGNIZERS.iter().any(|r| r(lines, j, used).is_some()))
}

/// Recognizes every form in `doc`.
pub fn recognize(doc: &Document) -> Import {
    let lines = lines(doc);
    let mut used = vec![false; lines.len()];
    let mut forms = Vec::new();
    let mut warnings = doc.warnings.clone();
    let recognizers: Vec<Recognizer> = FORM_RECOGNIZERS
        .iter()
        .copied()
        .chain([report::recognize as Recognizer])
        .collect();
    let mut i = 0;
    while i < lines.len() {
        let found = if used[i] {
            None
        } else {
            recognizers.iter().find_map(|r| r(&lines, i, &used))
        };
        match found {
            Some(f) => {
                used[i] = true; // the anchor, even if a recognizer forgot it
                for &k in &f.used {
                    used[k] = true;
                }
                warnings.extend(f.warnings);
                let uncertain = uncertain(doc, &f.provenance);
                forms.push(Recognized {
                    form: f.form,
                    location: f.location,
                    provenance: f.provenance,
                    uncertain,
                });
            }
            None => i += 1,
        }
    }
    forms.sort_by_key(|f| position(&lines, &f.location));
    // A template's instructions sheet says how to fill the form: it is no content.
    let instructions = Some(jixiao_core::form::TEMPLATE_INSTRUCTIONS);
    let unrecognized = lines
        .iter()
        .zip(&used)
        .filter(|(l, u)| !**u && !l.is_empty() && l.location().sheet.as_deref() != instructions)
        .map(|(l, _)| Unrecognized {
            location: l.location(),
            text: l.text(),
        })
        .collect();
    Import {
        file: doc.file.to_string(),
        format: doc.format,
        forms,
        unrecognized,
        warnings,
    }
}

/// The fields of a scan's form read from cells the recognition was unsure of.
fn uncertain(doc: &Document, provenance: &BTreeMap<String, Location>) -> Vec<Uncertain> {
    if doc.format != Format::Scan {
        return Vec::new();
    }
    let tables: Vec<&jixiao_grid::Table> = doc.tables().collect();
    provenance
        .iter()
        .filter_map(|(path, location)| {
            let table = tables.get(location.table?.checked_sub(1)?)?;
            let (row, col) = (location.row?.checked_sub(1)?, location.col?.checked_sub(1)?);
            let cell = table.cells.iter().find(|c| {
                (c.row..c.row + c.rowspan.max(1)).contains(&row)
                    && (c.col..c.col + c.colspan.max(1)).contains(&col)
            })?;
            let scan = cell.scan.as_deref()?;
            (scan.needs_confirmation() && !cell.text.trim().is_empty()).then(|| Uncertain {
                path: path.clone(),
                text: cell.text.clone(),
                location: location.clone(),
                confidence: scan.confidence,
            })
        })
        .collect()
}

/// The index of the first line whose location matches, for ordering forms.
fn position(lines: &[Line], location: &Location) -> usize {
    lines
        .iter()
        .position(|l| l.cells.iter().any(|c| &c.location == location))
        .unwrap_or(usize::MAX)
}

/// Looks back from line `i` over up to `n` unused paragraph-like lines (paragraphs, or rows
/// with a single filled cell) and returns their indices, nearest first.
pub(crate) fn preceding_titles(lines: &[Line], i: usize, used: &[bool], n: usize) -> Vec<usize> {
    let mut out = Vec::new();
    let mut k = i;
    while k > 0 && out.len() < n {
        k -= 1;
        if used[k] {
            break;
        }
        let l = &lines[k];
        if l.filled().count() <= 1 && l.filled().all(|c| c.key.chars().count() <= 60) {
            if !l.is_empty() {
                out.push(k);
            }
        } else {
            break;
        }
    }
    out
}

/// The year in a title (`（2022年度）`, `2021 年度部门整体…`), if any.
pub(crate) fn year_in(text: &str) -> Option<u16> {
    let k = key(text);
    let chars: Vec<char> = k.chars().collect();
    (0..chars.len().saturating_sub(4)).find_map(|i| {
        let digits: String = chars[i..i + 4].iter().collect();
        let before_ok = i == 0 || !chars[i - 1].is_ascii_digit();
        (before_ok && digits.chars().all(|c| c.is_ascii_digit()) && chars.get(i + 4) == Some(&'年'))
            .then(|| digits.parse().ok())
            .flatten()
            .filter(|y| (1990..=2100).contains(y))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_later_note_of_a_path_replaces_the_earlier_one() {
        let at = |row| Location {
            file: "a.docx".into(),
            row: Some(row),
            ..Location::default()
        };
        let mut trail = Trail::default();
        trail.note("b".into(), at(1));
        trail.note("a".into(), at(2));
        trail.note("b".into(), at(3));
        trail.note("c".into(), at(4));
        trail.note("b".into(), at(5));
        let map = trail.provenance();
        let rows: Vec<(&str, Option<usize>)> =
            map.iter().map(|(k, v)| (k.as_str(), v.row)).collect();
        assert_eq!(rows, [("a", Some(2)), ("b", Some(5)), ("c", Some(4))]);
        assert!(trail.provenance().is_empty(), "the trail is left empty");
    }

    #[test]
    fn cleaning_and_keys() {
        assert_eq!(clean("  a  b \n\n c　"), "a b\nc");
        assert_eq!(key("产出指标 (50 分)"), "产出指标(50分)");
        assert_eq!(key("　ＡＢ　c\n１≧９０％ "), "AB c1≥90%".replace(' ', ""));
        assert_eq!(key("项目名称"), "项目名称");
        assert_eq!(key(" \t\n"), "");
        for text in [
            "  a  b \n\n c　",
            "产出指标 (50 分)",
            "\r\n 社会效益\r\n指标 \n",
            "　ＡＢ　c\n１≧９０％ ",
            "",
            " \t\n",
            "一\u{2028}二\u{a0}三",
        ] {
            assert_eq!(clean_and_key(text), (clean(text), key(text)), "{text:?}");
        }
        assert_eq!(label("社会效益\n指标"), "社会效益指标");
        assert_eq!(year_in("（   2022 年度）"), Some(2022));
        assert_eq!(year_in("2021 年度部门整体支出绩效自评表"), Some(2021));
        assert_eq!(year_in("项目支出绩效自评表"), None);
    }
}

/// A development aid: `DUMP=/abs/path cargo test -p jixiao-recognize --lib dump_lines -- --ignored
/// --nocapture` prints a file's lines (cell columns, `^` for carried cells) and the forms read.
#[cfg(test)]
mod dump {
    #[test]
    #[ignore = "prints the lines and forms of the file named by DUMP"]
    fn dump_lines() {
        let Some(path) = std::env::var_os("DUMP") else {
            return;
        };
        let bytes = std::fs::read(&path).unwrap();
        let doc = jixiao_read::read(
            &path.to_string_lossy(),
            &bytes,
            &jixiao_grid::Limits::default(),
        )
        .unwrap();
        for (n, l) in super::lines(&doc).iter().enumerate() {
            let cells: Vec<String> = l
                .cells
                .iter()
                .map(|c| {
                    format!(
                        "{}{}:{}",
                        if c.anchored { "" } else { "^" },
                        c.col,
                        c.text.replace('\n', "⏎")
                    )
                })
                .collect();
            eprintln!("{n:3} {:?} {}", l.table, cells.join(" | "));
        }
        let import = super::recognize(&doc);
        for f in &import.forms {
            eprintln!("{}", f.form.to_json().expect("form JSON"));
        }
    }
}
