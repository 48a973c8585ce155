//! Plain text extracted from Word or PDF (like the seed files): tables come in two shapes.
//!
//! - One cell per line, each starting with a tab; rows separated by blank lines; a cell's
//!   further lines follow without a tab (Word's "save as text").
//! - One row per line, cells separated by tabs (copied from PDF or Excel).
//!
//! Merged cells appear as empty cells; spans are not known. Lines outside tables are
//! paragraphs. Text is UTF-8 (with or without BOM), UTF-16 with BOM, or GB18030/GBK.

use jixiao_grid::error::{ErrorKind, ImportError};
use jixiao_grid::limits::{Limits, within};
use jixiao_grid::{Block, Document, Format, Paragraph, TableBuilder};

/// Decodes text bytes: BOM first, then UTF-8, else GB18030 (a superset of GBK and GB2312).
pub(crate) fn decode(bytes: &[u8]) -> String {
    if let Some((encoding, bom)) = encoding_rs::Encoding::for_bom(bytes) {
        return encoding
            .decode_without_bom_handling(&bytes[bom..])
            .0
            .into_owned();
    }
    match std::str::from_utf8(bytes) {
        Ok(s) => s.to_string(),
        Err(_) => encoding_rs::GB18030
            .decode_without_bom_handling(bytes)
            .0
            .into_owned(),
    }
}

/// True when the line after `i` is a one-cell line (starts with a tab, has no other).
fn next_is_cell(lines: &[&str], i: usize) -> bool {
    lines
        .get(i + 1)
        .is_some_and(|n| n.starts_with('\t') && !n[1..].contains('\t'))
}

/// Rows being collected for one table.
#[derive(Default)]
struct Rows {
    rows: Vec<Vec<String>>,
}

impl Rows {
    fn push_row(&mut self, row: Vec<String>) {
        self.rows.push(row);
    }
}

/// Reads a text file.
pub(super) fn read(file: &str, text: &str, limits: &Limits) -> Result<Document, ImportError> {
    let fail = |kind| ImportError {
        file: file.to_string(),
        kind,
    };
    let mut blocks = Vec::new();
    let mut table: Option<Rows> = None;
    let mut row: Vec<String> = Vec::new();
    let mut blanks = 0usize;
    // Whether the last cell got lines without a tab, and the previous row's cell count:
    // together they tell a blank line inside a multi-line cell from a row boundary.
    let mut multiline = false;
    let mut prev_row_len = 0usize;
    let mut paragraphs = 0usize;
    let mut tables = 0usize;
    let mut cells = 0usize;

    let mut close_table =
        |table: &mut Option<Rows>, row: &mut Vec<String>, blocks: &mut Vec<Block>| {
            if let Some(mut rows) = table.take() {
                if !row.is_empty() {
                    rows.push_row(std::mem::take(row));
                }
                let mut builder = TableBuilder::default();
                for r in rows.rows {
                    builder.start_row();
                    for c in r {
                        builder.cell(c.trim_end().to_string(), 1, 1);
                    }
                }
                blocks.push(Block::Table(builder.finish(tables, None)));
                tables += 1;
            }
        };

    let lines: Vec<&str> = text.lines().collect();
    for (i, line) in lines.iter().copied().enumerate() {
        within(line.chars().count(), limits.max_text_chars, "一行文字").map_err(fail)?;
        if line.trim().is_empty() && !line.contains('\t') {
            blanks += 1;
            continue;
        }
        let cell_line = line.starts_with('\t') && !line[1..].contains('\t');
        let row_line = !cell_line && line.contains('\t');
        if cell_line || row_line {
            let rows = table.get_or_insert_with(Rows::default);
            if row_line {
                if !row.is_empty() {
                    rows.push_row(std::mem::take(&mut row));
                }
                let r: Vec<String> = line.split('\t').map(str::to_string).collect();
                cells += r.len();
                rows.push_row(r);
            } else {
                // Word exports one blank line between rows; more blank lines, or lines without a
                // tab before, are empty paragraphs inside a cell of a row not yet complete.
                let row_continues = (multiline || blanks >= 2) && row.len() < prev_row_len;
                if blanks > 0 && !row.is_empty() && !row_continues {
                    prev_row_len = row.len();
                    rows.push_row(std::mem::take(&mut row));
                }
                row.push(line[1..].to_string());
                multiline = false;
                cells += 1;
            }
            if rows.rows.len() > limits.max_rows {
                return Err(fail(ErrorKind::TooBig {
                    what: format!("表格{}的行数", tables + 1),
                    limit: limits.max_rows,
                }));
            }
            within(cells, limits.max_cells, "单元格总数").map_err(fail)?;
        } else {
            // A line without tabs: the next line of the current cell, or a paragraph.
            let continues = blanks <= 1 && row.last().is_some_and(|c| !c.trim().is_empty());
            if table.is_some() && continues {
                if let Some(last) = row.last_mut() {
                    last.push('\n');
                    last.push_str(line);
                }
                multiline = true;
            } else if table.is_some() && blanks <= 1 && next_is_cell(&lines, i) {
                // A first cell written without its tab (合计), the rest of its row follows.
                if let Some(rows) = table.as_mut()
                    && !row.is_empty()
                {
                    prev_row_len = row.len();
                    rows.push_row(std::mem::take(&mut row));
                }
                row.push(line.to_string());
                multiline = false;
            } else {
                close_table(&mut table, &mut row, &mut blocks);
                prev_row_len = 0;
                let text = line.trim().replace("**", "");
                // A long paragraph cut mid-sentence (a page break in a PDF extract) goes on.
                if let Some(Block::Paragraph(prev)) = blocks.last_mut()
                    && prev.text.chars().count() > 40
                    && !prev
                        .text
                        .ends_with(['。', '！', '？', '；', '：', '”', '）', ')', '.'])
                    && jixiao_core::form::report::heading_level(&text).is_none()
                {
                    prev.text.push_str(&text);
                } else {
                    blocks.push(Block::Paragraph(Paragraph {
                        index: paragraphs,
                        text,
                        heading: None,
                    }));
                    paragraphs += 1;
                }
            }
        }
        blanks = 0;
    }
    close_table(&mut table, &mut row, &mut blocks);
    Ok(Document {
        file: file.into(),
        format: Format::Text,
        blocks,
        warnings: Vec::new(),
    })
}
