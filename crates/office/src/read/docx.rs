//! Word documents (.docx): body paragraphs and tables in order, with gridSpan, vMerge,
//! gridBefore, nested tables (placed after their parent), line breaks and tabs inside cells,
//! and heading levels from paragraph styles.

use std::collections::HashMap;

use quick_xml::Reader;
use quick_xml::events::Event;

use super::package::Package;
use super::xml::{attr, malformed, opened, reference};
use crate::error::{ErrorKind, ImportError};
use crate::grid::{Block, Document, Format, Paragraph, TableBuilder};
use crate::limits::{Limits, within};

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
fn heading_styles(styles: Option<&str>) -> Result<HashMap<String, u8>, ErrorKind> {
    let mut map = HashMap::new();
    let Some(xml) = styles else { return Ok(map) };
    let mut reader = Reader::from_str(xml);
    let mut current: Option<String> = None;
    loop {
        match reader.read_event() {
            Ok(Event::Start(e)) | Ok(Event::Empty(e)) => match e.local_name().as_ref() {
                b"style" => current = attr(&e, b"styleId"),
                b"name" => {
                    if let (Some(id), Some(name)) = (&current, attr(&e, b"val")) {
                        let lower = name.to_lowercase();
                        let level = if lower == "title" {
                            Some(1)
                        } else {
                            lower
                                .strip_prefix("heading ")
                                .or_else(|| lower.strip_prefix("标题 "))
                                .and_then(|n| n.trim().parse::<u8>().ok())
                        };
                        if let Some(level) = level {
                            map.insert(id.clone(), level);
                        }
                    }
                }
                b"outlineLvl" => {
                    // Outline level 9 is Word's "body text", not a heading.
                    if let (Some(id), Some(v)) = (&current, attr(&e, b"val"))
                        && let Ok(level) = v.parse::<u8>()
                        && level < 9
                    {
                        map.entry(id.clone()).or_insert(level + 1);
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

/// Reads word/document.xml.
pub(super) fn read(package: &mut Package<'_>, limits: &Limits) -> Result<Document, ImportError> {
    let styles = package.part("word/styles.xml", FORMAT)?;
    let headings = heading_styles(styles.as_deref()).map_err(|k| package.error(k))?;
    let xml = package
        .part("word/document.xml", FORMAT)?
        .unwrap_or_default();
    let file = package.file().to_string();
    let fail = |kind| ImportError {
        file: file.clone(),
        kind,
    };
    let mut reader = Reader::from_str(&xml);
    let mut blocks: Vec<Option<Block>> = Vec::new();
    let mut stack: Vec<OpenTable> = Vec::new();
    let mut paragraph = String::new();
    let mut heading: Option<u8> = None;
    let mut in_paragraph = false;
    let mut in_text = false;
    let mut paragraphs = 0;
    let mut cells = 0;

    loop {
        let event = reader.read_event().map_err(|e| {
            fail(ErrorKind::Corrupt {
                format: FORMAT,
                reason: format!(
                    "document.xml 第{}字节处格式错误：{e}",
                    reader.buffer_position()
                ),
            })
        })?;
        if let Some((e, empty)) = opened(&event) {
            match e.local_name().as_ref() {
                b"tbl" => {
                    within(stack.len() + 1, limits.max_nesting, "表格嵌套层数").map_err(fail)?;
                    blocks.push(None);
                    stack.push(OpenTable {
                        builder: TableBuilder::default(),
                        slot: blocks.len() - 1,
                        cell: None,
                        grid_before: 0,
                    });
                }
                b"tr" => {
                    if let Some(t) = stack.last_mut() {
                        t.builder.start_row();
                        t.grid_before = 0;
                        within(t.builder.rows(), limits.max_rows, "表格的行数").map_err(fail)?;
                    }
                }
                b"gridBefore" => {
                    if let Some(t) = stack.last_mut() {
                        let n: usize = attr(e, b"val").and_then(|v| v.parse().ok()).unwrap_or(0);
                        t.grid_before = n.min(limits.max_span);
                        t.builder.skip(t.grid_before);
                    }
                }
                b"tc" => {
                    if let Some(t) = stack.last_mut() {
                        t.cell = Some(CellState {
                            span: 1,
                            ..CellState::default()
                        });
                        cells += 1;
                        within(cells, limits.max_cells, "单元格总数").map_err(fail)?;
                    }
                }
                b"gridSpan" => {
                    if let Some(c) = stack.last_mut().and_then(|t| t.cell.as_mut()) {
                        let n: usize = attr(e, b"val").and_then(|v| v.parse().ok()).unwrap_or(1);
                        c.span = n.clamp(1, limits.max_span);
                    }
                }
                b"vMerge" => {
                    if let Some(c) = stack.last_mut().and_then(|t| t.cell.as_mut()) {
                        // No val, or val="continue": this cell continues the one above.
                        c.merge_continue = attr(e, b"val").is_none_or(|v| v == "continue");
                    }
                }
                b"p" => {
                    in_paragraph = true;
                    if let Some(c) = stack.last_mut().and_then(|t| t.cell.as_mut()) {
                        if c.paragraphs > 0 {
                            c.text.push('\n');
                        }
                        c.paragraphs += 1;
                    }
                }
                b"pStyle" if stack.is_empty() => {
                    heading = attr(e, b"val").and_then(|v| headings.get(&v).copied());
                }
                b"t" => in_text = true,
                b"br" | b"cr" if in_paragraph => push(&mut stack, &mut paragraph, "\n"),
                b"tab" if in_paragraph => push(&mut stack, &mut paragraph, "\t"),
                _ => {}
            }
            if empty {
                match e.local_name().as_ref() {
                    b"t" => in_text = false,
                    b"p" => in_paragraph = false,
                    _ => {}
                }
            }
            continue;
        }
        match event {
            Event::Text(t) if in_text => {
                let text = t.decode().map_err(|e| {
                    fail(ErrorKind::Corrupt {
                        format: FORMAT,
                        reason: format!("文字编码错误：{e}"),
                    })
                })?;
                push(&mut stack, &mut paragraph, &text);
                check_len(&stack, &paragraph, limits).map_err(fail)?;
            }
            Event::GeneralRef(r) if in_text => {
                let name = r.decode().unwrap_or_default();
                if let Some(c) = reference(&name) {
                    push(&mut stack, &mut paragraph, c.encode_utf8(&mut [0; 4]));
                }
            }
            Event::End(e) => match e.local_name().as_ref() {
                b"t" => in_text = false,
                b"p" => {
                    in_paragraph = false;
                    if stack.is_empty() {
                        let text = paragraph.trim().to_string();
                        if !text.trim().is_empty() {
                            blocks.push(Some(Block::Paragraph(Paragraph {
                                index: paragraphs,
                                text,
                                heading,
                            })));
                            paragraphs += 1;
                        }
                        paragraph.clear();
                        heading = None;
                    }
                }
                b"tc" => {
                    if let Some(t) = stack.last_mut()
                        && let Some(c) = t.cell.take()
                    {
                        let text = c.text.trim_end().to_string();
                        if !(c.merge_continue && t.builder.extend_from_above(c.span)) {
                            t.builder.cell(text, 1, c.span);
                        }
                    }
                }
                b"tbl" => {
                    if let Some(t) = stack.pop() {
                        blocks[t.slot] = Some(Block::Table(t.builder.finish(0, None)));
                    }
                }
                _ => {}
            },
            Event::Eof => break,
            _ => {}
        }
    }
    while let Some(t) = stack.pop() {
        blocks[t.slot] = Some(Block::Table(t.builder.finish(0, None)));
    }
    Ok(Document::from_slots(file, Format::Docx, blocks, Vec::new()))
}

/// Appends text to the innermost open cell, or to the body paragraph.
fn push(stack: &mut [OpenTable], paragraph: &mut String, text: &str) {
    let outside = stack.is_empty();
    match stack.last_mut().and_then(|t| t.cell.as_mut()) {
        Some(c) => c.text.push_str(text),
        None if outside => paragraph.push_str(text),
        None => {}
    }
}

fn check_len(stack: &[OpenTable], paragraph: &str, limits: &Limits) -> Result<(), ErrorKind> {
    let len = stack
        .last()
        .and_then(|t| t.cell.as_ref())
        .map_or(paragraph.len(), |c| c.text.len());
    if len > limits.max_text_chars * 4 {
        Err(ErrorKind::TooBig {
            what: "单元格或段落文字".into(),
            limit: limits.max_text_chars,
        })
    } else {
        Ok(())
    }
}
