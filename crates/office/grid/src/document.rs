//! The neutral grid model every reader produces: a document is paragraphs and tables in
//! document order; a table is anchored cells with row and column spans.

use std::sync::Arc;

use serde::{Deserialize, Serialize};

use jixiao_core::source::Location;

/// The format a document was read from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Format {
    /// Word 2007+ (.docx).
    Docx,
    /// Excel 2007+ (.xlsx).
    Xlsx,
    /// A web page (.html, .htm, Word's "save as web page").
    Html,
    /// Plain text extracted from Word or PDF (.txt).
    Text,
    /// Form JSON (docs/forms.md), or what `jixiao import --json` printed.
    Json,
    /// A PDF with a text layer (tables rebuilt from glyph positions).
    Pdf,
    /// A scan (an image, or a PDF whose pages are images) read by optical character
    /// recognition: tables rebuilt from the ruling lines of the page image.
    Scan,
    /// A 预算管理一体化 exchange: the 规范表 as CSV in a zip (`jixiao-yitihua`).
    Yitihua,
}

impl Format {
    /// The format's name for messages.
    pub fn name(self) -> &'static str {
        match self {
            Format::Docx => "Word 文档（.docx）",
            Format::Xlsx => "Excel 工作簿（.xlsx）",
            Format::Html => "网页（.html）",
            Format::Text => "文本（.txt）",
            Format::Json => "表单 JSON（.json）",
            Format::Pdf => "PDF 文件（.pdf）",
            Format::Scan => "扫描件（图片或无文字层的 PDF，经文字识别）",
            Format::Yitihua => "一体化规范表（.zip）",
        }
    }
}

/// A document read into the grid model.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Document {
    /// The file name as given (shared with every [`Location`] in it).
    pub file: Arc<str>,
    /// The format it was read as.
    pub format: Format,
    /// Paragraphs and tables in document order.
    pub blocks: Vec<Block>,
    /// Things the reader noticed but could handle (wrong extension, skipped parts).
    pub warnings: Vec<String>,
}

impl Document {
    /// A document from blocks in reading order, with slots left empty where a nested table
    /// was taken out; the tables are numbered in that order.
    pub fn from_slots(
        file: impl Into<Arc<str>>,
        format: Format,
        slots: Vec<Option<Block>>,
        warnings: Vec<String>,
    ) -> Document {
        let mut blocks: Vec<Block> = slots.into_iter().flatten().collect();
        let mut index = 0;
        for b in &mut blocks {
            if let Block::Table(t) = b {
                t.index = index;
                index += 1;
            }
        }
        Document {
            file: file.into(),
            format,
            blocks,
            warnings,
        }
    }

    /// The tables, in order.
    pub fn tables(&self) -> impl Iterator<Item = &Table> {
        self.blocks.iter().filter_map(|b| match b {
            Block::Table(t) => Some(t),
            Block::Paragraph(_) => None,
        })
    }

    /// Where table `table` (0-based index into [`Document::tables`]) cell `(row, col)` is.
    pub fn cell_location(&self, table: &Table, row: usize, col: usize) -> Location {
        Location {
            file: self.file.clone(),
            table: table.sheet.is_none().then_some(table.index + 1),
            sheet: table.sheet.clone(),
            row: Some(row + 1),
            col: Some(col + 1),
            paragraph: None,
            source: None,
            page: match self.format {
                // PDF and scan cells are row-major by anchor, so the cell is found by bisection.
                Format::Pdf | Format::Scan => table
                    .cells
                    .binary_search_by_key(&(row, col), |c| (c.row, c.col))
                    .ok()
                    .and_then(|i| table.cells[i].page),
                _ => None,
            },
        }
    }

    /// Where paragraph number `index` (0-based) is.
    pub fn paragraph_location(&self, index: usize) -> Location {
        Location {
            file: self.file.clone(),
            paragraph: Some(index + 1),
            ..Location::default()
        }
    }
}

/// A paragraph or a table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "block")]
pub enum Block {
    /// A paragraph between tables.
    Paragraph(Paragraph),
    /// A table (or a worksheet).
    Table(Table),
}

/// A paragraph of text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Paragraph {
    /// 0-based paragraph number in document order.
    pub index: usize,
    /// The text.
    pub text: String,
    /// Heading level (1 = top) when the document marks it as a heading.
    pub heading: Option<u8>,
}

/// A table: anchored cells with spans on a `rows × cols` grid.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Table {
    /// 0-based table number in document order.
    pub index: usize,
    /// The worksheet name, for Excel.
    pub sheet: Option<String>,
    /// Number of grid rows.
    pub rows: usize,
    /// Number of grid columns.
    pub cols: usize,
    /// Cells, row-major by anchor.
    pub cells: Vec<Cell>,
}

/// A cell anchored at `(row, col)` covering `rowspan × colspan` grid positions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Cell {
    /// 0-based anchor row.
    pub row: usize,
    /// 0-based anchor column.
    pub col: usize,
    /// Rows covered (≥ 1).
    pub rowspan: usize,
    /// Columns covered (≥ 1).
    pub colspan: usize,
    /// The text; paragraphs and line breaks inside the cell are `\n`.
    pub text: String,
    /// Where the text starts in the source (1-based line and character column), for tables
    /// rebuilt from flattened text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub origin: Option<(usize, usize)>,
    /// The 1-based page the cell was read from, for PDFs and scans.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub page: Option<usize>,
    /// For a cell of a scan: where on the page image it is and how sure the character
    /// recognition was of its text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    /// Boxed: few cells come from scans, and every cell of every file carries the field.
    pub scan: Option<Box<Scanned>>,
}

impl Cell {
    /// A cell read from no particular page and no scan: its anchor, spans and text.
    pub fn new(row: usize, col: usize, rowspan: usize, colspan: usize, text: String) -> Cell {
        Cell {
            row,
            col,
            rowspan,
            colspan,
            text,
            origin: None,
            page: None,
            scan: None,
        }
    }
}

/// Where a cell of a scan was read and how sure the character recognition was: the cell's box
/// on the page image (pixels at the resolution the page was read at, after the page was
/// straightened) and the mean confidence of its words.
///
/// A cell whose confidence is below [`Scanned::CONFIRM_BELOW`] (or that holds text and no
/// confident word) [`needs confirmation`](Scanned::needs_confirmation): its text is a
/// reading to be checked against the paper by the user before it counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Scanned {
    /// The cell's box on the page image: left, top, right, bottom, in pixels.
    pub bbox: [u32; 4],
    /// The resolution of the page image, in dots per inch (boxes convert to points by 72/dpi).
    pub dpi: u32,
    /// Mean confidence of the cell's words, 0–100 (100 for a cell without words: nothing was
    /// guessed).
    pub confidence: u8,
}

impl Scanned {
    /// Cells read with a mean word confidence below this need confirmation.
    pub const CONFIRM_BELOW: u8 = 60;

    /// True when the cell's reading is uncertain and must be confirmed before it counts.
    pub fn needs_confirmation(&self) -> bool {
        self.confidence < Self::CONFIRM_BELOW
    }
}

impl Table {
    /// Checks the table's size against the limits.
    pub fn check(&self, limits: &crate::Limits) -> Result<(), crate::ErrorKind> {
        let name = match &self.sheet {
            Some(s) => format!("工作表“{s}”"),
            None => format!("表格{}", self.index + 1),
        };
        let too_big = |what: &str, limit| crate::ErrorKind::TooBig {
            what: format!("{name}的{what}"),
            limit,
        };
        if self.rows > limits.max_rows {
            return Err(too_big("行数", limits.max_rows));
        }
        if self.cols > limits.max_cols {
            return Err(too_big("列数", limits.max_cols));
        }
        if self.rows.saturating_mul(self.cols) > limits.max_grid {
            return Err(too_big("行数×列数", limits.max_grid));
        }
        Ok(())
    }

    /// A map from grid position to the index of the cell covering it.
    pub fn coverage(&self) -> Vec<Vec<Option<usize>>> {
        let mut grid = vec![vec![None; self.cols]; self.rows];
        for (i, c) in self.cells.iter().enumerate() {
            for row in grid.iter_mut().skip(c.row).take(c.rowspan) {
                for slot in row.iter_mut().skip(c.col).take(c.colspan) {
                    slot.get_or_insert(i);
                }
            }
        }
        grid
    }

    /// The rows as lists of the distinct cells they touch, left to right (a merged cell
    /// appears in every row it covers).
    pub fn row_cells(&self) -> Vec<Vec<&Cell>> {
        self.row_indices()
            .into_iter()
            .map(|row| row.into_iter().map(|i| &self.cells[i]).collect())
            .collect()
    }

    /// [`Table::row_cells`] as indices into [`Table::cells`], so that a caller can work on
    /// each cell once however many rows it covers.
    pub fn row_indices(&self) -> Vec<Vec<usize>> {
        self.coverage()
            .iter()
            .map(|row| {
                let mut seen: Vec<usize> = Vec::new();
                for i in row.iter().flatten() {
                    if seen.last() != Some(i) && !seen.contains(i) {
                        seen.push(*i);
                    }
                }
                seen
            })
            .collect()
    }
}

/// Builds tables from rows of `(text, rowspan, colspan)` as HTML and Word describe them:
/// each row lists the cells that start in it, left to right, skipping positions covered by
/// row spans from above.
#[derive(Debug, Default)]
pub struct TableBuilder {
    cells: Vec<Cell>,
    occupied: Vec<Vec<bool>>,
    row: usize,
    col: usize,
    cols: usize,
    started: bool,
}

impl TableBuilder {
    /// Starts the next row.
    pub fn start_row(&mut self) {
        if self.started {
            self.row += 1;
        }
        self.started = true;
        self.col = 0;
    }

    fn taken(&self, r: usize, c: usize) -> bool {
        self.occupied
            .get(r)
            .and_then(|row| row.get(c))
            .copied()
            .unwrap_or(false)
    }

    fn mark(&mut self, r: usize, c: usize) {
        if self.occupied.len() <= r {
            self.occupied.resize(r + 1, Vec::new());
        }
        let row = &mut self.occupied[r];
        if row.len() <= c {
            row.resize(c + 1, false);
        }
        row[c] = true;
    }

    /// Adds a cell to the current row. Spans are at least 1; the caller bounds them.
    pub fn cell(&mut self, text: String, rowspan: usize, colspan: usize) {
        while self.taken(self.row, self.col) {
            self.col += 1;
        }
        let (rowspan, colspan) = (rowspan.max(1), colspan.max(1));
        for r in self.row..self.row + rowspan {
            for c in self.col..self.col + colspan {
                self.mark(r, c);
            }
        }
        self.cells
            .push(Cell::new(self.row, self.col, rowspan, colspan, text));
        self.col += colspan;
        self.cols = self.cols.max(self.col);
    }

    /// Records where the last cell added starts in the source text.
    pub fn origin(&mut self, line: usize, column: usize) {
        if let Some(c) = self.cells.last_mut() {
            c.origin = Some((line, column));
        }
    }

    /// Skips `n` grid columns in the current row (Word's gridBefore).
    pub fn skip(&mut self, n: usize) {
        self.col += n;
    }

    /// The anchor index of the cell covering `(row - 1, col)`, for Word's vertical merges.
    pub fn extend_from_above(&mut self, colspan: usize) -> bool {
        while self.taken(self.row, self.col) {
            self.col += 1;
        }
        let (row, col) = (self.row, self.col);
        let Some(i) = self
            .cells
            .iter()
            .rposition(|c| c.col == col && c.row + c.rowspan == row && c.colspan == colspan.max(1))
        else {
            return false;
        };
        self.cells[i].rowspan += 1;
        for c in col..col + colspan.max(1) {
            self.mark(row, c);
        }
        self.col += colspan.max(1);
        true
    }

    /// Rows so far.
    pub fn rows(&self) -> usize {
        if self.started { self.row + 1 } else { 0 }
    }

    /// The finished table; row spans reaching past the last row are cut to the table.
    pub fn finish(self, index: usize, sheet: Option<String>) -> Table {
        let rows = self.rows();
        let mut cells = self.cells;
        for c in &mut cells {
            c.rowspan = c.rowspan.min(rows - c.row);
        }
        Table {
            index,
            sheet,
            rows,
            cols: self.cols,
            cells,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builder_places_cells_around_row_spans() {
        let mut b = TableBuilder::default();
        b.start_row();
        b.cell("A".into(), 2, 1);
        b.cell("B".into(), 1, 2);
        b.start_row();
        b.cell("C".into(), 1, 1);
        b.cell("D".into(), 1, 1);
        let t = b.finish(0, None);
        assert_eq!((t.rows, t.cols), (2, 3));
        let c = &t.cells[2];
        assert_eq!((c.row, c.col, c.text.as_str()), (1, 1, "C"));
        let rows = t.row_cells();
        let texts: Vec<&str> = rows[1].iter().map(|c| c.text.as_str()).collect();
        assert_eq!(texts, ["A", "C", "D"]);
    }
}
