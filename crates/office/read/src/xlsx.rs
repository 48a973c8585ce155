//! Excel workbooks (.xlsx, also as written by WPS): one table per sheet, merged ranges as
//! spans, and numbers shown as Excel displays them (`0.843` with format `0.0%` is `84.3%`),
//! computed with exact decimals.

use std::collections::{BTreeMap, HashMap};

use jixiao_core::money::round;
use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};
use rust_decimal::Decimal;

use super::package::Package;
use super::xml::{attr, attr_str, malformed, opened, reference};
use jixiao_grid::error::{ErrorKind, ImportError};
use jixiao_grid::limits::{Limits, within};
use jixiao_grid::{Block, Cell, Document, Format, Table};

const FORMAT: &str = "Excel 工作簿";

/// Reads every sheet of the workbook, in workbook order.
pub(super) fn read(package: &mut Package<'_>, limits: &Limits) -> Result<Document, ImportError> {
    let workbook = package.part("xl/workbook.xml", FORMAT)?.unwrap_or_default();
    let rels = package
        .part("xl/_rels/workbook.xml.rels", FORMAT)?
        .unwrap_or_default();
    let targets = relationships(&rels).map_err(|k| package.error(k))?;
    let shared = match package.part("xl/sharedStrings.xml", FORMAT)? {
        Some(xml) => shared_strings(&xml, limits).map_err(|k| package.error(k))?,
        None => Vec::new(),
    };
    let styles = package
        .part("xl/styles.xml", FORMAT)?
        .map(|xml| cell_formats(&xml))
        .transpose()
        .map_err(|k| package.error(k))?
        .unwrap_or_default();

    let mut blocks = Vec::new();
    let mut cells_total = 0;
    let sheets = sheets(&workbook).map_err(|k| package.error(k))?;
    for (index, (name, rid)) in sheets.into_iter().enumerate() {
        let Some(target) = targets.get(&rid) else {
            continue;
        };
        let path = match target.strip_prefix('/') {
            Some(abs) => abs.to_string(),
            None => format!("xl/{target}"),
        };
        let Some(xml) = package.part(&path, FORMAT)? else {
            return Err(package.error(ErrorKind::Corrupt {
                format: FORMAT,
                reason: format!("缺少工作表“{name}”（{path}）"),
            }));
        };
        let context = SheetContext {
            name: &name,
            index,
            shared: &shared,
            styles: &styles,
            limits,
        };
        let sheet = read_sheet(&xml, context, &mut cells_total).map_err(|k| package.error(k))?;
        blocks.push(Block::Table(sheet));
    }
    Ok(Document {
        file: package.file().into(),
        format: Format::Xlsx,
        blocks,
        warnings: Vec::new(),
    })
}

/// `(sheet name, relationship id)` in workbook order.
fn sheets(xml: &str) -> Result<Vec<(String, String)>, ErrorKind> {
    let mut out = Vec::new();
    let mut reader = Reader::from_str(xml);
    loop {
        match reader.read_event() {
            Ok(Event::Start(e)) | Ok(Event::Empty(e)) if e.local_name().as_ref() == b"sheet" => {
                if let (Some(name), Some(id)) = (attr(&e, b"name"), attr(&e, b"id")) {
                    out.push((name, id));
                }
            }
            Ok(Event::Eof) => break,
            Err(e) => return Err(malformed(FORMAT, "xl/workbook.xml", &reader, &e)),
            _ => {}
        }
    }
    Ok(out)
}

/// Relationship id → target path.
fn relationships(xml: &str) -> Result<HashMap<String, String>, ErrorKind> {
    let mut out = HashMap::new();
    let mut reader = Reader::from_str(xml);
    loop {
        match reader.read_event() {
            Ok(Event::Start(e)) | Ok(Event::Empty(e))
                if e.local_name().as_ref() == b"Relationship" =>
            {
                if let (Some(id), Some(target)) = (attr(&e, b"Id"), attr(&e, b"Target")) {
                    out.insert(id, target);
                }
            }
            Ok(Event::Eof) => break,
            Err(e) => return Err(malformed(FORMAT, "xl/_rels/workbook.xml.rels", &reader, &e)),
            _ => {}
        }
    }
    Ok(out)
}

/// The shared string table (rich-text runs joined, phonetic runs skipped).
fn shared_strings(xml: &str, limits: &Limits) -> Result<Vec<String>, ErrorKind> {
    let mut out = Vec::new();
    let mut reader = Reader::from_str(xml);
    let mut current = String::new();
    let mut in_t = false;
    let mut in_phonetic = false;
    loop {
        match reader.read_event() {
            Ok(Event::Start(e)) => match e.local_name().as_ref() {
                b"si" => current.clear(),
                b"t" => in_t = !in_phonetic,
                b"rPh" => in_phonetic = true,
                _ => {}
            },
            Ok(Event::Empty(e)) if e.local_name().as_ref() == b"si" => out.push(String::new()),
            Ok(Event::Text(t)) if in_t => current.push_str(&t.decode().unwrap_or_default()),
            Ok(Event::GeneralRef(r)) if in_t => {
                if let Some(c) = reference(&r.decode().unwrap_or_default()) {
                    current.push(c);
                }
            }
            Ok(Event::End(e)) => match e.local_name().as_ref() {
                b"t" => in_t = false,
                b"rPh" => in_phonetic = false,
                b"si" => {
                    out.push(std::mem::take(&mut current));
                    within(out.len(), limits.max_cells, "共享字符串数量")?;
                }
                _ => {}
            },
            Ok(Event::Eof) => break,
            Err(e) => {
                return Err(ErrorKind::Corrupt {
                    format: FORMAT,
                    reason: format!("sharedStrings.xml 格式错误：{e}"),
                });
            }
            _ => {}
        }
    }
    Ok(out)
}

/// The number format code of each cell style (`cellXfs` index → format code).
fn cell_formats(xml: &str) -> Result<Vec<String>, ErrorKind> {
    let mut custom: HashMap<u32, String> = HashMap::new();
    let mut ids = Vec::new();
    let mut in_xfs = false;
    let mut reader = Reader::from_str(xml);
    loop {
        match reader.read_event() {
            Ok(Event::Start(e)) | Ok(Event::Empty(e)) => match e.local_name().as_ref() {
                b"numFmt" => {
                    if let (Some(id), Some(code)) = (attr(&e, b"numFmtId"), attr(&e, b"formatCode"))
                        && let Ok(id) = id.parse()
                    {
                        custom.insert(id, code);
                    }
                }
                b"cellXfs" => in_xfs = true,
                b"xf" if in_xfs => {
                    ids.push(
                        attr(&e, b"numFmtId")
                            .and_then(|v| v.parse().ok())
                            .unwrap_or(0u32),
                    );
                }
                _ => {}
            },
            Ok(Event::End(e)) if e.local_name().as_ref() == b"cellXfs" => in_xfs = false,
            Ok(Event::Eof) => break,
            Err(e) => return Err(malformed(FORMAT, "xl/styles.xml", &reader, &e)),
            _ => {}
        }
    }
    Ok(ids
        .into_iter()
        .map(|id| {
            custom
                .get(&id)
                .cloned()
                .unwrap_or_else(|| builtin_format(id).to_string())
        })
        .collect())
}

/// Excel's built-in number formats (as shown in a Chinese locale for dates).
fn builtin_format(id: u32) -> &'static str {
    match id {
        1 => "0",
        2 => "0.00",
        3 => "#,##0",
        4 => "#,##0.00",
        9 => "0%",
        10 => "0.00%",
        11 => "0.00E+00",
        14..=17 | 27..=31 | 50..=58 => "yyyy/m/d",
        22 => "yyyy/m/d h:mm",
        37 | 38 => "#,##0",
        39 | 40 => "#,##0.00",
        49 => "@",
        _ => "General",
    }
}

/// `B7` → (row 6, col 1), 0-based.
fn cell_ref(r: &str) -> Option<(usize, usize)> {
    let letters: String = r.chars().take_while(|c| c.is_ascii_alphabetic()).collect();
    let digits = &r[letters.len()..];
    if letters.is_empty() || letters.len() > 3 {
        return None;
    }
    let col = letters.chars().fold(0usize, |acc, c| {
        acc * 26 + (c.to_ascii_uppercase() as usize - 'A' as usize + 1)
    });
    let row: usize = digits.parse().ok()?;
    (row >= 1).then(|| (row - 1, col - 1))
}

/// Reads one worksheet into a table: its cells as Excel displays them, merged ranges as spans.
fn read_sheet(
    xml: &str,
    sheet: SheetContext<'_>,
    cells_total: &mut usize,
) -> Result<Table, ErrorKind> {
    let mut walker = SheetWalker {
        sheet,
        cells_total,
        values: BTreeMap::new(),
        merges: Vec::new(),
        cell: None,
        raw: String::new(),
        in_value: false,
        next_col: 0,
        current_row: 0,
        seen_row: false,
    };
    walker.walk(xml)?;
    walker.table()
}

/// What a sheet is read against: its name and place in the workbook, the workbook's shared
/// strings and cell formats, and the limits.
#[derive(Clone, Copy)]
struct SheetContext<'a> {
    name: &'a str,
    index: usize,
    shared: &'a [String],
    styles: &'a [String],
    limits: &'a Limits,
}

impl SheetContext<'_> {
    fn too_big(&self, what: &str, limit: usize) -> ErrorKind {
        ErrorKind::TooBig {
            what: format!("工作表“{}”的{what}", self.name),
            limit,
        }
    }
}

/// The state of one pass over a worksheet: the values and merged ranges so far, the cell
/// being read (position, type, style) with its raw value, and where the next cell goes.
struct SheetWalker<'a, 'c> {
    sheet: SheetContext<'a>,
    /// Cells of the whole workbook so far, bounded by the limits.
    cells_total: &'c mut usize,
    values: BTreeMap<(usize, usize), String>,
    merges: Vec<(usize, usize, usize, usize)>,
    cell: Option<((usize, usize), String, usize)>,
    raw: String,
    in_value: bool,
    next_col: usize,
    current_row: usize,
    seen_row: bool,
}

impl SheetWalker<'_, '_> {
    /// Reads every event of the sheet; malformed XML is an error.
    fn walk(&mut self, xml: &str) -> Result<(), ErrorKind> {
        let mut reader = Reader::from_str(xml);
        loop {
            let event = reader.read_event().map_err(|e| ErrorKind::Corrupt {
                format: FORMAT,
                reason: format!("工作表“{}”格式错误：{e}", self.sheet.name),
            })?;
            if let Some((e, empty)) = opened(&event) {
                match e.local_name().as_ref() {
                    b"row" => self.open_row(e)?,
                    b"c" => self.open_cell(e, empty)?,
                    b"v" | b"t" if self.cell.is_some() => self.in_value = !empty,
                    b"mergeCell" => self.merge(e)?,
                    _ => {}
                }
                continue;
            }
            match event {
                Event::Text(t) if self.in_value => {
                    self.raw.push_str(&t.decode().unwrap_or_default());
                    let limit = self.sheet.limits.max_text_chars;
                    if self.raw.len() > limit * 4 {
                        return Err(ErrorKind::TooBig {
                            what: "单元格文字".into(),
                            limit,
                        });
                    }
                }
                Event::GeneralRef(r) if self.in_value => {
                    if let Some(c) = reference(&r.decode().unwrap_or_default()) {
                        self.raw.push(c);
                    }
                }
                Event::End(e) => match e.local_name().as_ref() {
                    b"v" | b"t" => self.in_value = false,
                    b"c" => self.close_cell(),
                    _ => {}
                },
                Event::Eof => return Ok(()),
                _ => {}
            }
        }
    }

    /// A `<row>`: its number (`r`), or the one after the last.
    fn open_row(&mut self, e: &BytesStart<'_>) -> Result<(), ErrorKind> {
        let next = if self.seen_row {
            self.current_row + 1
        } else {
            0
        };
        self.current_row = attr_str(e, b"r")
            .and_then(|r| r.parse::<usize>().ok())
            .map_or(next, |r| r.max(1) - 1);
        self.seen_row = true;
        self.next_col = 0;
        let max_rows = self.sheet.limits.max_rows;
        if self.current_row >= max_rows {
            return Err(self.sheet.too_big("行数", max_rows));
        }
        Ok(())
    }

    /// A `<c>`: its position (`r`, or the one after the last), type and style.
    fn open_cell(&mut self, e: &BytesStart<'_>, empty: bool) -> Result<(), ErrorKind> {
        let limits = self.sheet.limits;
        let pos = attr_str(e, b"r")
            .and_then(|r| cell_ref(&r))
            .unwrap_or((self.current_row, self.next_col));
        if pos.0 >= limits.max_rows {
            return Err(self.sheet.too_big("行数", limits.max_rows));
        }
        if pos.1 >= limits.max_cols {
            return Err(self.sheet.too_big("列数", limits.max_cols));
        }
        self.next_col = pos.1 + 1;
        let kind = attr(e, b"t").unwrap_or_default();
        let style = attr_str(e, b"s").and_then(|s| s.parse().ok()).unwrap_or(0);
        self.raw.clear();
        self.cell = (!empty).then_some((pos, kind, style));
        *self.cells_total += 1;
        if *self.cells_total > limits.max_cells {
            return Err(ErrorKind::TooBig {
                what: "单元格总数".into(),
                limit: limits.max_cells,
            });
        }
        Ok(())
    }

    /// A `<mergeCell ref="A1:C2">`, bounded by the limits.
    fn merge(&mut self, e: &BytesStart<'_>) -> Result<(), ErrorKind> {
        let limits = self.sheet.limits;
        if let Some(range) = attr(e, b"ref")
            && let Some((a, b)) = range.split_once(':')
            && let (Some((r1, c1)), Some((r2, c2))) = (cell_ref(a), cell_ref(b))
        {
            if r2.max(r1) >= limits.max_rows || c2.max(c1) >= limits.max_cols {
                return Err(self.sheet.too_big("合并区域", limits.max_cols));
            }
            self.merges
                .push((r1.min(r2), c1.min(c2), r1.max(r2), c1.max(c2)));
        }
        Ok(())
    }

    /// The cell's value as Excel shows it: a shared string, inline text, a boolean or a
    /// number under its format. Empty values are not kept.
    fn close_cell(&mut self) {
        let Some((pos, kind, style)) = self.cell.take() else {
            return;
        };
        let raw = &self.raw;
        let text = match kind.as_str() {
            "s" => raw
                .trim()
                .parse::<usize>()
                .ok()
                .and_then(|i| self.sheet.shared.get(i).cloned())
                .unwrap_or_default(),
            "inlineStr" | "str" | "e" | "d" => raw.clone(),
            "b" => if raw.trim() == "1" { "TRUE" } else { "FALSE" }.to_string(),
            _ => display_number(
                raw.trim(),
                self.sheet
                    .styles
                    .get(style)
                    .map_or("General", String::as_str),
            ),
        };
        if !text.is_empty() {
            self.values.insert(pos, text);
        }
    }

    /// The table: anchor cells of merge ranges (with the anchor's text) and every other
    /// non-empty cell, in reading order.
    fn table(self) -> Result<Table, ErrorKind> {
        let limits = self.sheet.limits;
        let mut covered: HashMap<(usize, usize), ()> = HashMap::new();
        let mut cells = Vec::new();
        for &(r1, c1, r2, c2) in &self.merges {
            if (r2 - r1 + 1) * (c2 - c1 + 1) > limits.max_cells {
                return Err(self.sheet.too_big("合并区域", limits.max_cells));
            }
            for r in r1..=r2 {
                for c in c1..=c2 {
                    if (r, c) != (r1, c1) {
                        covered.insert((r, c), ());
                    }
                }
            }
            cells.push(Cell {
                row: r1,
                col: c1,
                rowspan: r2 - r1 + 1,
                colspan: c2 - c1 + 1,
                text: self.values.get(&(r1, c1)).cloned().unwrap_or_default(),
                origin: None,
                page: None,
                scan: None,
            });
        }
        for (&(r, c), text) in &self.values {
            if covered.contains_key(&(r, c)) || self.merges.iter().any(|m| (m.0, m.1) == (r, c)) {
                continue;
            }
            cells.push(Cell {
                row: r,
                col: c,
                rowspan: 1,
                colspan: 1,
                text: text.clone(),
                origin: None,
                page: None,
                scan: None,
            });
        }
        cells.sort_by_key(|c| (c.row, c.col));
        let rows = cells.iter().map(|c| c.row + c.rowspan).max().unwrap_or(0);
        let cols = cells.iter().map(|c| c.col + c.colspan).max().unwrap_or(0);
        Ok(Table {
            index: self.sheet.index,
            sheet: Some(self.sheet.name.to_string()),
            rows,
            cols,
            cells,
        })
    }
}

/// Shows a stored number the way Excel displays it under `code`. Exact decimal arithmetic;
/// a value that is not a number is returned as stored.
pub(crate) fn display_number(raw: &str, code: &str) -> String {
    let Some(value) = Decimal::from_str_exact(raw)
        .ok()
        .or_else(|| Decimal::from_scientific(raw).ok())
    else {
        return raw.to_string();
    };
    let section = code.split(';').next().unwrap_or("General");
    let lower = section.to_ascii_lowercase();
    if lower == "general" || lower == "@" || lower.is_empty() {
        return general(value);
    }
    if lower.contains('y') || lower.contains('d') || (lower.contains('m') && !lower.contains('0')) {
        return date(value, &lower).unwrap_or_else(|| general(value));
    }
    let percent = section.contains('%');
    let decimals = section.split_once('.').map_or(0, |(_, frac)| {
        frac.chars().take_while(|c| matches!(c, '0' | '#')).count()
    });
    let thousands = section.contains(',');
    let scaled = if percent {
        value.checked_mul(Decimal::ONE_HUNDRED).unwrap_or(value)
    } else {
        value
    };
    let rounded = round(scaled, decimals as u32);
    let mut text = format!("{rounded:.decimals$}");
    if thousands {
        text = group_thousands(&text);
    }
    if percent {
        text.push('%');
    }
    text
}

/// Excel's General format: at most 10 significant decimals, no trailing zeros.
fn general(value: Decimal) -> String {
    let digits = value
        .abs()
        .trunc()
        .to_string()
        .trim_start_matches('0')
        .len();
    let keep = 10u32.saturating_sub(digits as u32);
    round(value, keep).normalize().to_string()
}

fn group_thousands(text: &str) -> String {
    let (sign, rest) = text.strip_prefix('-').map_or(("", text), |r| ("-", r));
    let (int, frac) = rest
        .split_once('.')
        .map_or((rest, None), |(i, f)| (i, Some(f)));
    let mut grouped = String::new();
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(c);
    }
    match frac {
        Some(f) => format!("{sign}{grouped}.{f}"),
        None => format!("{sign}{grouped}"),
    }
}

/// A date serial (1900 system) under a date format: `yyyy/m/d`, `yyyy-mm-dd`, `yyyy年m月d日`.
fn date(serial: Decimal, code: &str) -> Option<String> {
    let days: i64 = serial.trunc().to_string().parse().ok()?;
    if !(1..=2_958_465).contains(&days) {
        return None;
    }
    // Excel counts 1900-02-29, which did not exist: serials from 61 on are one day ahead.
    let days = if days >= 61 { days - 1 } else { days };
    // Serial 1 is 1900-01-01, which is 25567 days before 1970-01-01.
    let (y, m, d) = civil_from_days(days - 1 - 25_567);
    let long_month = code.contains("mm");
    let long_day = code.contains("dd");
    let md = |v: u32, long: bool| {
        if long {
            format!("{v:02}")
        } else {
            v.to_string()
        }
    };
    let sep = if code.contains('年') {
        return Some(format!("{y}年{}月{}日", md(m, long_month), md(d, long_day)));
    } else if code.contains('-') {
        "-"
    } else if code.contains('.') {
        "."
    } else {
        "/"
    };
    Some(format!(
        "{y}{sep}{}{sep}{}",
        md(m, long_month),
        md(d, long_day)
    ))
}

/// Days since 1970-01-01 → (year, month, day), proleptic Gregorian.
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_show_as_excel_displays_them() {
        assert_eq!(display_number("0.843", "0.0%"), "84.3%");
        assert_eq!(display_number("0.92849", "0.0%"), "92.8%");
        assert_eq!(display_number("9.4", "0.00"), "9.40");
        assert_eq!(display_number("12", "0.00"), "12.00");
        assert_eq!(display_number("8.5", "0.0"), "8.5");
        assert_eq!(display_number("10", "0"), "10");
        assert_eq!(display_number("1", "0%"), "100%");
        assert_eq!(display_number("9400", "#,##0.00"), "9,400.00");
        assert_eq!(display_number("0.30000000000000004", "General"), "0.3");
        assert_eq!(display_number("1E-3", "General"), "0.001");
        assert_eq!(display_number("abc", "0.00"), "abc");
        assert_eq!(display_number("44249", "yyyy/m/d"), "2021/2/22");
        assert_eq!(display_number("44249", "yyyy-mm-dd"), "2021-02-22");
    }

    #[test]
    fn cell_references() {
        assert_eq!(cell_ref("A1"), Some((0, 0)));
        assert_eq!(cell_ref("B7"), Some((6, 1)));
        assert_eq!(cell_ref("AA10"), Some((9, 26)));
        assert_eq!(cell_ref("7"), None);
        assert_eq!(cell_ref("A0"), None);
    }
}
