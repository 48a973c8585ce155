//! Word documents (.docx): body paragraphs and tables in order, with gridSpan, vMerge,
//! gridBefore, nested tables (placed after their parent), line breaks and tabs inside cells,
//! and heading levels from paragraph styles.

use std::collections::HashMap;

use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};

use super::package::Package;
use super::xml::{attr_str, malformed, opened, reference};
use jixiao_grid::error::{ErrorKind, ImportError};
use jixiao_grid::limits::{Limits, within};
use jixiao_grid::{Block, Document, Format, Paragraph, TableBuilder};

const FORMAT: &str = "Word 文档";

/// A table being read.
struct OpenTable {
    builder: TableBuilder,
    slot: usize,
    /// The current cell: text so far, gridSpan, vMerge continuation.
    cell: Option<CellState>,
    /// gridBefore of the current row.
    grid_before: usize,
}

#[derive(Default)]
struct CellState {
    text: String,
    span: usize,
    merge_continue: bool,
    paragraphs: usize,
}

/// Maps paragraph style ids to heading levels using styles.xml (`heading 1`, `标题 1`).
fn heading_styles(styles: Option<&[u8]>) -> Result<HashMap<String, u8>, ErrorKind> {
    let mut map = HashMap::new();
    let Some(xml) = styles else { return Ok(map) };
    let mut reader = Reader::from_reader(xml);
    // The id of the style being read; its buffer is reused from style to style.
    let mut current = String::new();
    let mut in_style = false;
    loop {
        match reader.read_event() {
            Ok(Event::Start(e)) | Ok(Event::Empty(e)) => match e.local_name().as_ref() {
                "style" => {
                    current.clear();
                    match attr_str(&e, "styleId") {
                        Some(id) => {
                            current.push_str(&id);
                            in_style = true;
                        }
                        None => in_style = false,
                    }
                }
                "name" if in_style => {
                    if let Some(level) = attr_str(&e, "val").and_then(|n| heading_level(&n)) {
                        map.insert(current.clone(), level);
                    }
                }
                "outlineLvl" if in_style => {
                    // Outline level 9 is Word's "body text", not a heading.
                    if let Some(v) = attr_str(&e, "val")
                        && let Ok(level) = v.parse::<u8>()
                        && level < 9
                        && !map.contains_key(current.as_str())
                    {
                        map.insert(current.clone(), level + 1);
                    }
                }
                _ => {}
            },
            Ok(Event::Eof) => break,
            Err(e) => return Err(malformed(FORMAT, "word/styles.xml", &reader, &e)),
            _ => {}
        }
    }
    Ok(map)
}

/// The heading level a style name stands for: `Title` → 1, `heading 2`/`标题 2` → 2 (case
/// does not matter).
fn heading_level(name: &str) -> Option<u8> {
    // Lower-casing only matters for ASCII names; others take the general path.
    let ascii_prefix = |prefix: &str| {
        name.get(..prefix.len())
            .filter(|head| head.eq_ignore_ascii_case(prefix))
            .map(|_| &name[prefix.len()..])
    };
    if name.is_ascii() {
        if name.eq_ignore_ascii_case("title") {
            return Some(1);
        }
        return ascii_prefix("heading ").and_then(|n| n.trim().parse::<u8>().ok());
    }
    let lower = name.to_lowercase();
    if lower == "title" {
        return Some(1);
    }
    lower
        .strip_prefix("heading ")
        .or_else(|| lower.strip_prefix("标题 "))
        .and_then(|n| n.trim().parse::<u8>().ok())
}

/// Reads word/document.xml.
pub(super) fn read(package: &mut Package<'_>, limits: &Limits) -> Result<Document, ImportError> {
    // The parts are handed to quick-xml as bytes: it checks each piece it reads is UTF-8.
    let styles = package.part_bytes("word/styles.xml", FORMAT)?;
    let headings = heading_styles(styles.as_deref()).map_err(|k| package.error(k))?;
    let xml = package
        .part_bytes("word/document.xml", FORMAT)?
        .unwrap_or_default();
    let mut walker = Walker::new(&headings, limits);
    walker.walk(&xml).map_err(|k| package.error(k))?;
    Ok(walker.finish(package.file().to_string()))
}

/// The state of one pass over document.xml: the blocks so far, the tables open (innermost
/// last), the body paragraph being read and the counters the limits bound.
struct Walker<'a> {
    headings: &'a HashMap<String, u8>,
    limits: &'a Limits,
    /// Blocks in document order; a table's slot is reserved when it opens (nested tables
    /// follow their parent) and filled when it closes.
    blocks: Vec<Option<Block>>,
    stack: Vec<OpenTable>,
    /// The body paragraph being read (text outside tables) and its heading level.
    paragraph: String,
    heading: Option<u8>,
    in_paragraph: bool,
    in_text: bool,
    paragraphs: usize,
    cells: usize,
}

impl<'a> Walker<'a> {
    fn new(headings: &'a HashMap<String, u8>, limits: &'a Limits) -> Self {
        Walker {
            headings,
            limits,
            blocks: Vec::new(),
            stack: Vec::new(),
            paragraph: String::new(),
            heading: None,
            in_paragraph: false,
            in_text: false,
            paragraphs: 0,
            cells: 0,
        }
    }

    /// Reads every event of `xml`; malformed XML is an error, never the end of the text.
    fn walk(&mut self, xml: &[u8]) -> Result<(), ErrorKind> {
        let mut reader = Reader::from_reader(xml);
        loop {
            let event = reader.read_event().map_err(|e| ErrorKind::Corrupt {
                format: FORMAT,
                reason: format!(
                    "document.xml 第{}字节处格式错误：{e}",
                    reader.buffer_position()
                ),
            })?;
            if let Some((e, empty)) = opened(&event) {
                self.open(e, empty)?;
                continue;
            }
            match event {
                Event::Text(t) if self.in_text => self.text(&t.xml10_content())?,
                Event::GeneralRef(r) if self.in_text => {
                    if let Some(c) = reference(&r) {
                        self.push(c.encode_utf8(&mut [0; 4]));
                    }
                }
                Event::End(e) => self.close(e.local_name().as_ref()),
                Event::Eof => return Ok(()),
                _ => {}
            }
        }
    }

    /// An element opens (`empty`: and closes at once, `<w:br/>`).
    fn open(&mut self, e: &BytesStart<'_>, empty: bool) -> Result<(), ErrorKind> {
        let name = e.local_name();
        match name.as_ref() {
            "tbl" => self.open_table()?,
            "tr" => self.open_row()?,
            "gridBefore" => {
                if let Some(t) = self.stack.last_mut() {
                    let n: usize = attr_str(e, "val").and_then(|v| v.parse().ok()).unwrap_or(0);
                    t.grid_before = n.min(self.limits.max_span);
                    t.builder.skip(t.grid_before);
                }
            }
            "tc" => self.open_cell()?,
            "gridSpan" => {
                let max_span = self.limits.max_span;
                if let Some(c) = self.cell() {
                    let n: usize = attr_str(e, "val").and_then(|v| v.parse().ok()).unwrap_or(1);
                    c.span = n.clamp(1, max_span);
                }
            }
            "vMerge" => {
                if let Some(c) = self.cell() {
                    // No val, or val="continue": this cell continues the one above.
                    c.merge_continue = attr_str(e, "val").is_none_or(|v| v == "continue");
                }
            }
            "p" => self.open_paragraph(),
            "pStyle" if self.stack.is_empty() => {
                self.heading =
                    attr_str(e, "val").and_then(|v| self.headings.get(v.as_ref()).copied());
            }
            "t" => self.in_text = true,
            "br" | "cr" if self.in_paragraph => self.push("\n"),
            "tab" if self.in_paragraph => self.push("\t"),
            _ => {}
        }
        if empty {
            match name.as_ref() {
                "t" => self.in_text = false,
                "p" => self.in_paragraph = false,
                _ => {}
            }
        }
        Ok(())
    }

    fn open_table(&mut self) -> Result<(), ErrorKind> {
        within(
            self.stack.len() + 1,
            self.limits.max_nesting,
            "表格嵌套层数",
        )?;
        self.blocks.push(None);
        self.stack.push(OpenTable {
            builder: TableBuilder::default(),
            slot: self.blocks.len() - 1,
            cell: None,
            grid_before: 0,
        });
        Ok(())
    }

    fn open_row(&mut self) -> Result<(), ErrorKind> {
        if let Some(t) = self.stack.last_mut() {
            t.builder.start_row();
            t.grid_before = 0;
            within(t.builder.rows(), self.limits.max_rows, "表格的行数")?;
        }
        Ok(())
    }

    fn open_cell(&mut self) -> Result<(), ErrorKind> {
        if let Some(t) = self.stack.last_mut() {
            t.cell = Some(CellState {
                span: 1,
                ..CellState::default()
            });
            self.cells += 1;
            within(self.cells, self.limits.max_cells, "单元格总数")?;
        }
        Ok(())
    }

    /// A paragraph opens; inside a cell, paragraphs after the first start a new line.
    fn open_paragraph(&mut self) {
        self.in_paragraph = true;
        if let Some(c) = self.cell() {
            if c.paragraphs > 0 {
                c.text.push('\n');
            }
            c.paragraphs += 1;
        }
    }

    /// Text of a `<w:t>` run, bounded by the limits.
    fn text(&mut self, text: &str) -> Result<(), ErrorKind> {
        self.push(text);
        let len = match self.stack.last() {
            Some(t) => t
                .cell
                .as_ref()
                .map_or(self.paragraph.len(), |c| c.text.len()),
            None => self.paragraph.len(),
        };
        if len > self.limits.max_text_chars * 4 {
            return Err(ErrorKind::TooBig {
                what: "单元格或段落文字".into(),
                limit: self.limits.max_text_chars,
            });
        }
        Ok(())
    }

    /// An element closes.
    fn close(&mut self, name: &str) {
        match name {
            "t" => self.in_text = false,
            "p" => self.close_paragraph(),
            "tc" => self.close_cell(),
            "tbl" => {
                if let Some(t) = self.stack.pop() {
                    self.blocks[t.slot] = Some(Block::Table(t.builder.finish(0, None)));
                }
            }
            _ => {}
        }
    }

    /// A body paragraph with text becomes a block; paragraphs inside cells stay in the cell.
    fn close_paragraph(&mut self) {
        self.in_paragraph = false;
        if !self.stack.is_empty() {
            return;
        }
        let text = self.paragraph.trim();
        if !text.is_empty() {
            self.blocks.push(Some(Block::Paragraph(Paragraph {
                index: self.paragraphs,
                text: text.to_string(),
                heading: self.heading,
            })));
            self.paragraphs += 1;
        }
        self.paragraph.clear();
        self.heading = None;
    }

    /// The cell joins its table, or extends the cell above (vMerge continue).
    fn close_cell(&mut self) {
        if let Some(t) = self.stack.last_mut()
            && let Some(c) = t.cell.take()
        {
            let mut text = c.text;
            text.truncate(text.trim_end().len());
            if !(c.merge_continue && t.builder.extend_from_above(c.span)) {
                t.builder.cell(text, 1, c.span);
            }
        }
    }

    /// The cell being read in the innermost open table.
    fn cell(&mut self) -> Option<&mut CellState> {
        self.stack.last_mut().and_then(|t| t.cell.as_mut())
    }

    /// Appends text to the innermost open cell, or to the body paragraph.
    fn push(&mut self, text: &str) {
        match self.stack.last_mut() {
            Some(t) => {
                if let Some(c) = t.cell.as_mut() {
                    // Most cells are short: one allocation instead of a few growing ones.
                    if c.text.capacity() == 0 {
                        c.text.reserve(text.len().max(32));
                    }
                    c.text.push_str(text);
                }
            }
            None => self.paragraph.push_str(text),
        }
    }

    /// The document, with tables left open at the end closed.
    fn finish(mut self, file: String) -> Document {
        while let Some(t) = self.stack.pop() {
            self.blocks[t.slot] = Some(Block::Table(t.builder.finish(0, None)));
        }
        Document::from_slots(file, Format::Docx, self.blocks, Vec::new())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn style_names_give_heading_levels() {
        assert_eq!(heading_level("Title"), Some(1));
        assert_eq!(heading_level("TITLE"), Some(1));
        assert_eq!(heading_level("heading 2"), Some(2));
        assert_eq!(heading_level("Heading 3"), Some(3));
        assert_eq!(heading_level("标题 1"), Some(1));
        assert_eq!(heading_level("Normal"), None);
        assert_eq!(heading_level("heading"), None);
        assert_eq!(heading_level("标题"), None);
        let styles = r#"<w:styles xmlns:w="w"><w:style w:styleId="1"><w:name w:val="heading 1"/></w:style>
            <w:style w:styleId="a"><w:name w:val="Normal"/></w:style>
            <w:style w:styleId="x"><w:name w:val="My style"/><w:pPr><w:outlineLvl w:val="1"/></w:pPr></w:style>
            <w:style w:styleId="b"><w:name w:val="Body"/><w:pPr><w:outlineLvl w:val="9"/></w:pPr></w:style>
            </w:styles>"#;
        let map = heading_styles(Some(styles.as_bytes())).unwrap();
        assert_eq!(map.get("1"), Some(&1));
        assert_eq!(map.get("x"), Some(&2));
        assert_eq!(map.get("a"), None);
        assert_eq!(map.get("b"), None);
    }
}
