//! Spreadsheets read by calamine: Excel (.xlsx/.xlsm, .xlsb, legacy .xls and WPS .et) and
//! OpenDocument (.ods), without LibreOffice. One table per worksheet, in workbook order; merged
//! ranges become spans (.xlsx, .xls); numbers are shown the way the workbook displays them
//! where it says how (the cell formats of .xlsx, dates everywhere), see [`number_format`].
//!
//! What an untrusted workbook may cost is bounded before calamine sees it (the declared sizes
//! of a zip-based workbook's parts are within the limits, and the zip crate inflates no part
//! past its declared size) and while its cells are read
//! (rows, columns, cells, text); a panic inside calamine is this file's error, not the
//! process's.
//!
//! [`number_format`]: super::number_format

use std::collections::{BTreeMap, HashSet};
use std::io::Cursor;
use std::panic::{AssertUnwindSafe, catch_unwind};

use calamine::{Data, DataRef, Dimensions, Ods, Reader, SheetType, Xls, Xlsb, Xlsx};

use super::number_format::{builtin_format, display_number};
use super::package::Package;
use jixiao_grid::error::{ErrorKind, ImportError};
use jixiao_grid::limits::Limits;
use jixiao_grid::{Block, Cell, Document, Format, Table};

/// Which spreadsheet format a file holds, as its content says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Workbook {
    /// Excel 2007+ (.xlsx, .xlsm): a zip with `xl/workbook.xml`.
    Xlsx,
    /// Excel binary workbook (.xlsb): a zip with `xl/workbook.bin`.
    Xlsb,
    /// Excel 97–2003 (.xls) or WPS (.et): an OLE compound file with a `Workbook` stream.
    Xls,
    /// OpenDocument spreadsheet (.ods): a zip whose mimetype says so.
    Ods,
}

impl Workbook {
    /// The format's name in messages.
    fn name(self) -> &'static str {
        match self {
            Workbook::Xlsx => "Excel 工作簿",
            Workbook::Xlsb => "Excel 二进制工作簿（.xlsb）",
            Workbook::Xls => "Excel 97-2003 工作簿（.xls）",
            Workbook::Ods => "OpenDocument 电子表格（.ods）",
        }
    }
}

/// Reads every worksheet of a workbook. `package` is the opened zip of a zip-based workbook
/// (its declared sizes checked here before calamine reads it); `None` for .xls.
pub(super) fn read(
    file: &str,
    bytes: &[u8],
    kind: Workbook,
    package: Option<&mut Package<'_>>,
    limits: &Limits,
) -> Result<Document, ImportError> {
    let fail = |kind| ImportError {
        file: file.to_string(),
        kind,
    };
    if let Some(package) = package {
        package.check_declared(kind.name())?;
    }
    let tables = catch_unwind(AssertUnwindSafe(|| match kind {
        Workbook::Xlsx => xlsx(bytes, limits),
        Workbook::Xlsb => xlsb(bytes, limits),
        Workbook::Xls => ranged(Xls::new(Cursor::new(bytes)), kind, limits),
        Workbook::Ods => ranged(Ods::new(Cursor::new(bytes)), kind, limits),
    }))
    .unwrap_or_else(|_| {
        Err(ErrorKind::Corrupt {
            format: kind.name(),
            reason: "读取时出错，文件可能已损坏".into(),
        })
    })
    .map_err(fail)?;
    // Every workbook has a worksheet: none means a directory part calamine could not read
    // (a damaged workbook.xml ends its list quietly), never an empty form.
    if tables.is_empty() {
        return Err(fail(ErrorKind::Corrupt {
            format: kind.name(),
            reason: "工作簿中没有可读的工作表（工作簿目录可能已损坏）".into(),
        }));
    }
    Ok(Document {
        file: file.into(),
        format: Format::Xlsx,
        blocks: tables.into_iter().map(Block::Table).collect(),
        warnings: Vec::new(),
    })
}

/// A calamine error as a damaged-file error of this format.
fn corrupt(kind: Workbook, e: impl std::fmt::Display) -> ErrorKind {
    ErrorKind::Corrupt {
        format: kind.name(),
        reason: e.to_string(),
    }
}

/// .xlsx: cells streamed with their styles, so each number is shown under its format, and
/// positions are bounded before anything is allocated for them.
fn xlsx(bytes: &[u8], limits: &Limits) -> Result<Vec<Table>, ErrorKind> {
    let kind = Workbook::Xlsx;
    let mut book: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).map_err(|e| corrupt(kind, e))?;
    let mut total = 0;
    let mut tables = Vec::new();
    for (index, name) in worksheets(&book).into_iter().enumerate() {
        let merges = book
            .merge_cells_by_sheet_name(&name)
            .map_err(|e| corrupt(kind, e))?;
        let mut sheet = SheetGrid::new(&name, index, limits, &mut total);
        sheet.merges(&merges)?;
        let mut cells = book
            .worksheet_cells_reader(&name)
            .map_err(|e| corrupt(kind, e))?;
        let codes: Vec<String> = cells
            .styles()
            .iter()
            .map(|style| match &style.number_format {
                Some(f) => match f.format_id {
                    Some(id) if id < 164 => builtin_format(id).to_string(),
                    _ => f.format_code.clone(),
                },
                None => "General".to_string(),
            })
            .collect();
        while let Some((cell, style)) = cells
            .next_cell_with_style_id()
            .map_err(|e| corrupt(kind, e))?
        {
            let (row, col) = cell.get_position();
            let code = codes.get(style).map_or("General", String::as_str);
            sheet.put(row, col, shown_ref(cell.get_value(), code))?;
        }
        tables.push(sheet.table()?);
    }
    Ok(tables)
}

/// .xlsb: cells streamed (its number formats are not read: dates are shown as dates, other
/// numbers as Excel's General format shows them).
fn xlsb(bytes: &[u8], limits: &Limits) -> Result<Vec<Table>, ErrorKind> {
    let kind = Workbook::Xlsb;
    let mut book: Xlsb<_> = Xlsb::new(Cursor::new(bytes)).map_err(|e| corrupt(kind, e))?;
    let mut total = 0;
    let mut tables = Vec::new();
    for (index, name) in worksheets(&book).into_iter().enumerate() {
        let mut sheet = SheetGrid::new(&name, index, limits, &mut total);
        let mut cells = book
            .worksheet_cells_reader(&name)
            .map_err(|e| corrupt(kind, e))?;
        while let Some(cell) = cells.next_cell().map_err(|e| corrupt(kind, e))? {
            let (row, col) = cell.get_position();
            sheet.put(row, col, shown_ref(cell.get_value(), "General"))?;
        }
        tables.push(sheet.table()?);
    }
    Ok(tables)
}

/// The merged ranges of a range-based workbook's worksheet.
trait Merges {
    /// The merged ranges of worksheet `name` (none where the reader does not say).
    fn merges(&self, name: &str) -> Vec<Dimensions>;
}

impl<RS: std::io::Read + std::io::Seek> Merges for Xls<RS> {
    fn merges(&self, name: &str) -> Vec<Dimensions> {
        self.merge_cells_by_sheet_name(name).unwrap_or_default()
    }
}

impl<RS: std::io::Read + std::io::Seek> Merges for Ods<RS> {
    fn merges(&self, _: &str) -> Vec<Dimensions> {
        // calamine does not report an .ods file's merged cells: the anchor keeps its text
        // and the covered cells are empty.
        Vec::new()
    }
}

/// .xls and .ods: calamine reads each worksheet as a range (bounded by the format itself:
/// 65,536 × 256 cells for .xls; the file size for .ods), whose cells are checked here.
fn ranged<'b, R>(
    opened: Result<R, R::Error>,
    kind: Workbook,
    limits: &Limits,
) -> Result<Vec<Table>, ErrorKind>
where
    R: Reader<Cursor<&'b [u8]>> + Merges,
    R::Error: std::fmt::Display,
{
    let mut book = opened.map_err(|e| corrupt(kind, e))?;
    let mut total = 0;
    let mut tables = Vec::new();
    for (index, name) in worksheets(&book).into_iter().enumerate() {
        let range = book.worksheet_range(&name).map_err(|e| corrupt(kind, e))?;
        let merges = book.merges(&name);
        let mut sheet = SheetGrid::new(&name, index, limits, &mut total);
        sheet.merges(&merges)?;
        let (top, left) = range.start().unwrap_or((0, 0));
        for (r, c, value) in range.used_cells() {
            let row = top.saturating_add(u32::try_from(r).unwrap_or(u32::MAX));
            let col = left.saturating_add(u32::try_from(c).unwrap_or(u32::MAX));
            sheet.put(row, col, shown(value))?;
        }
        tables.push(sheet.table()?);
    }
    Ok(tables)
}

/// The worksheets (not chart, dialog or macro sheets), in workbook order.
fn worksheets<RS, R>(book: &R) -> Vec<String>
where
    RS: std::io::Read + std::io::Seek,
    R: Reader<RS>,
{
    book.sheets_metadata()
        .iter()
        .filter(|s| s.typ == SheetType::WorkSheet)
        .map(|s| s.name.clone())
        .collect()
}

/// A streamed cell as the workbook shows it under format `code`.
fn shown_ref(value: &DataRef<'_>, code: &str) -> String {
    match value {
        DataRef::SharedString(s) => (*s).to_string(),
        DataRef::String(s) | DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => s.clone(),
        DataRef::Int(i) => display_number(&i.to_string(), code),
        DataRef::Float(f) => display_number(&f.to_string(), code),
        DataRef::Bool(b) => if *b { "TRUE" } else { "FALSE" }.to_string(),
        DataRef::DateTime(d) => {
            let date_code = if is_date_code(code) { code } else { "yyyy/m/d" };
            display_number(&d.as_f64().to_string(), date_code)
        }
        DataRef::Error(e) => e.to_string(),
        DataRef::Empty => String::new(),
    }
}

/// A cell of a range as the workbook shows it (numbers under Excel's General format).
fn shown(value: &Data) -> String {
    match value {
        Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
        Data::Int(i) => display_number(&i.to_string(), "General"),
        Data::Float(f) => display_number(&f.to_string(), "General"),
        Data::Bool(b) => if *b { "TRUE" } else { "FALSE" }.to_string(),
        Data::DateTime(d) => display_number(&d.as_f64().to_string(), "yyyy/m/d"),
        Data::Error(e) => e.to_string(),
        Data::Empty => String::new(),
    }
}

/// True for a format code that shows a date (`yyyy/m/d`, `yyyy"年"m"月"d"日"`).
fn is_date_code(code: &str) -> bool {
    let lower = code.to_ascii_lowercase();
    lower.contains('y') || lower.contains('d')
}

/// One worksheet being read: its values and merged ranges so far, bounded by the limits.
struct SheetGrid<'a> {
    name: &'a str,
    index: usize,
    limits: &'a Limits,
    /// Cells of the whole workbook so far.
    total: &'a mut usize,
    values: BTreeMap<(usize, usize), String>,
    merges: Vec<(usize, usize, usize, usize)>,
}

impl<'a> SheetGrid<'a> {
    fn new(name: &'a str, index: usize, limits: &'a Limits, total: &'a mut usize) -> Self {
        SheetGrid {
            name,
            index,
            limits,
            total,
            values: BTreeMap::new(),
            merges: Vec::new(),
        }
    }

    fn too_big(&self, what: &str, limit: usize) -> ErrorKind {
        ErrorKind::TooBig {
            what: format!("工作表“{}”的{what}", self.name),
            limit,
        }
    }

    /// A position within the row and column limits.
    fn position(&self, row: u32, col: u32) -> Result<(usize, usize), ErrorKind> {
        let (row, col) = (row as usize, col as usize);
        if row >= self.limits.max_rows {
            return Err(self.too_big("行数", self.limits.max_rows));
        }
        if col >= self.limits.max_cols {
            return Err(self.too_big("列数", self.limits.max_cols));
        }
        Ok((row, col))
    }

    /// The merged ranges, each within the limits.
    fn merges(&mut self, merges: &[Dimensions]) -> Result<(), ErrorKind> {
        for m in merges {
            let (r1, c1) = self
                .position(m.start.0, m.start.1)
                .map_err(|_| self.too_big("合并区域", self.limits.max_cols))?;
            let (r2, c2) = self
                .position(m.end.0, m.end.1)
                .map_err(|_| self.too_big("合并区域", self.limits.max_cols))?;
            let (r1, r2, c1, c2) = (r1.min(r2), r1.max(r2), c1.min(c2), c1.max(c2));
            if (r2 - r1 + 1) * (c2 - c1 + 1) > self.limits.max_cells {
                return Err(self.too_big("合并区域", self.limits.max_cells));
            }
            self.merges.push((r1, c1, r2, c2));
        }
        Ok(())
    }

    /// A cell's text; empty text is not kept.
    fn put(&mut self, row: u32, col: u32, text: String) -> Result<(), ErrorKind> {
        let pos = self.position(row, col)?;
        *self.total += 1;
        if *self.total > self.limits.max_cells {
            return Err(ErrorKind::TooBig {
                what: "单元格总数".into(),
                limit: self.limits.max_cells,
            });
        }
        if text.len() > self.limits.max_text_chars
            && text.chars().count() > self.limits.max_text_chars
        {
            return Err(ErrorKind::TooBig {
                what: format!("工作表“{}”中单元格的文字", self.name),
                limit: self.limits.max_text_chars,
            });
        }
        if !text.is_empty() {
            self.values.insert(pos, text);
        }
        Ok(())
    }

    /// The table: anchor cells of merged ranges (with the anchor's text) and every other
    /// non-empty cell, in reading order.
    fn table(self) -> Result<Table, ErrorKind> {
        let mut covered: HashSet<(usize, usize)> = HashSet::new();
        let mut anchors: HashSet<(usize, usize)> = HashSet::new();
        let mut cells = Vec::new();
        for &(r1, c1, r2, c2) in &self.merges {
            if !anchors.insert((r1, c1)) {
                continue;
            }
            for r in r1..=r2 {
                for c in c1..=c2 {
                    if (r, c) != (r1, c1) {
                        covered.insert((r, c));
                    }
                }
            }
            let text = self.values.get(&(r1, c1)).cloned().unwrap_or_default();
            cells.push(Cell::new(r1, c1, r2 - r1 + 1, c2 - c1 + 1, text));
        }
        for (&(r, c), text) in &self.values {
            if !covered.contains(&(r, c)) && !anchors.contains(&(r, c)) {
                cells.push(Cell::new(r, c, 1, 1, text.clone()));
            }
        }
        cells.sort_by_key(|c| (c.row, c.col));
        let rows = cells.iter().map(|c| c.row + c.rowspan).max().unwrap_or(0);
        let cols = cells.iter().map(|c| c.col + c.colspan).max().unwrap_or(0);
        Ok(Table {
            index: self.index,
            sheet: Some(self.name.to_string()),
            rows,
            cols,
            cells,
        })
    }
}
