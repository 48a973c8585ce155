//! Web pages (.html, Word's "save as web page"): tables with rowspan/colspan, paragraphs and
//! headings between them. A small tolerant tokenizer: real pages have unclosed `<td>`, `<p>`
//! and `<col>`, entities, comments, scripts and styles.

use crate::error::{ErrorKind, ImportError};
use crate::grid::{Block, Document, Format, Paragraph, TableBuilder};
use crate::limits::{Limits, within};

/// A token of HTML.
#[derive(Debug, PartialEq, Eq)]
enum Token<'a> {
    Start {
        name: String,
        attrs: Vec<(String, String)>,
    },
    End {
        name: String,
    },
    Text(&'a str),
}

/// Splits HTML into tokens. Never fails: what is not a tag is text.
fn tokenize<'a>(src: &'a str) -> Vec<Token<'a>> {
    let mut out = Vec::new();
    let bytes = src.as_bytes();
    let mut i = 0;
    let mut text_start = 0;
    while i < bytes.len() {
        if bytes[i] != b'<' {
            i += 1;
            continue;
        }
        let rest = &src[i..];
        let flush = |out: &mut Vec<Token<'a>>, end: usize| {
            if end > text_start {
                out.push(Token::Text(&src[text_start..end]));
            }
        };
        if rest.starts_with("<!--") {
            flush(&mut out, i);
            i = rest.find("-->").map_or(bytes.len(), |e| i + e + 3);
            text_start = i;
        } else if rest.starts_with("<!") || rest.starts_with("<?") {
            flush(&mut out, i);
            i = rest.find('>').map_or(bytes.len(), |e| i + e + 1);
            text_start = i;
        } else if let Some(after) = rest.strip_prefix("</") {
            let name: String = after
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric())
                .collect::<String>()
                .to_ascii_lowercase();
            if name.is_empty() {
                i += 1;
                continue;
            }
            flush(&mut out, i);
            i = rest.find('>').map_or(bytes.len(), |e| i + e + 1);
            text_start = i;
            out.push(Token::End { name });
        } else if rest[1..].starts_with(|c: char| c.is_ascii_alphabetic()) {
            flush(&mut out, i);
            let (token, len) = start_tag(rest);
            i += len;
            // Script and style bodies are raw text: skip to their end tag.
            if let Token::Start { name, .. } = &token
                && matches!(name.as_str(), "script" | "style" | "title")
            {
                i = end_tag(&src[i..], name).map_or(bytes.len(), |e| i + e);
                text_start = i;
                continue;
            }
            out.push(token);
            text_start = i;
        } else {
            i += 1;
        }
    }
    if text_start < bytes.len() {
        out.push(Token::Text(&src[text_start..]));
    }
    out
}

/// Where `</name` first appears in `s`, in any letter case, without copying `s`.
fn end_tag(s: &str, name: &str) -> Option<usize> {
    s.match_indices("</").map(|(p, _)| p).find(|&p| {
        s.as_bytes()[p + 2..]
            .get(..name.len())
            .is_some_and(|n| n.eq_ignore_ascii_case(name.as_bytes()))
    })
}

/// Parses a start tag at the beginning of `s`; returns it and its length in bytes.
fn start_tag(s: &str) -> (Token<'_>, usize) {
    let b = s.as_bytes();
    let mut i = 1;
    while i < b.len() && (b[i].is_ascii_alphanumeric() || b[i] == b':' || b[i] == b'-') {
        i += 1;
    }
    let name = s[1..i].to_ascii_lowercase();
    let mut attrs = Vec::new();
    loop {
        while i < b.len() && (b[i].is_ascii_whitespace() || b[i] == b'/') {
            i += 1;
        }
        if i >= b.len() {
            break;
        }
        if b[i] == b'>' {
            i += 1;
            break;
        }
        let key_start = i;
        while i < b.len() && !b[i].is_ascii_whitespace() && !matches!(b[i], b'=' | b'>' | b'/') {
            i += 1;
        }
        let key = s[key_start..i].to_ascii_lowercase();
        while i < b.len() && b[i].is_ascii_whitespace() {
            i += 1;
        }
        let mut value = String::new();
        if i < b.len() && b[i] == b'=' {
            i += 1;
            while i < b.len() && b[i].is_ascii_whitespace() {
                i += 1;
            }
            if i < b.len() && (b[i] == b'"' || b[i] == b'\'') {
                let quote = b[i];
                let start = i + 1;
                i = start;
                while i < b.len() && b[i] != quote {
                    i += 1;
                }
                value = s[start..i.min(b.len())].to_string();
                i = (i + 1).min(b.len());
            } else {
                let start = i;
                while i < b.len() && !b[i].is_ascii_whitespace() && b[i] != b'>' {
                    i += 1;
                }
                value = s[start..i].to_string();
            }
        }
        if key.is_empty() {
            // `="…"` without a name: dropped. Every step above stops on an ASCII
            // byte, so `i` is on a character boundary and nothing more is skipped.
            if i == key_start {
                i += s[i..].chars().next().map_or(1, char::len_utf8);
            }
        } else {
            attrs.push((key, decode_entities(&value)));
        }
    }
    (Token::Start { name, attrs }, i.min(s.len()))
}

/// Decodes character references and the common named entities.
pub(super) fn decode_entities(s: &str) -> String {
    if !s.contains('&') {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        rest = &rest[amp..];
        // ';' is ASCII, so a byte search finds a char boundary.
        let end = rest.as_bytes()[..rest.len().min(12)]
            .iter()
            .position(|&b| b == b';');
        let decoded = end.and_then(|e| {
            let name = &rest[1..e];
            let c = if let Some(num) = name.strip_prefix("#x").or_else(|| name.strip_prefix("#X")) {
                u32::from_str_radix(num, 16).ok().and_then(char::from_u32)
            } else if let Some(num) = name.strip_prefix('#') {
                num.parse().ok().and_then(char::from_u32)
            } else {
                match name {
                    "nbsp" => Some('\u{a0}'),
                    "amp" => Some('&'),
                    "lt" => Some('<'),
                    "gt" => Some('>'),
                    "quot" => Some('"'),
                    "apos" => Some('\''),
                    "ldquo" => Some('“'),
                    "rdquo" => Some('”'),
                    "hellip" => Some('…'),
                    "mdash" => Some('—'),
                    "middot" => Some('·'),
                    "times" => Some('×'),
                    "ge" => Some('≥'),
                    "le" => Some('≤'),
                    _ => None,
                }
            };
            c.map(|c| (c, e + 1))
        });
        match decoded {
            Some((c, len)) => {
                out.push(c);
                rest = &rest[len..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

fn attr(attrs: &[(String, String)], key: &str) -> Option<usize> {
    attrs
        .iter()
        .find(|(k, _)| k == key)
        .and_then(|(_, v)| v.trim().parse().ok())
}

/// A table being read, with the cell being filled.
struct OpenTable {
    builder: TableBuilder,
    cell: Option<(String, usize, usize)>,
    /// Position of this table's block in the document (nested tables follow their parent).
    slot: usize,
}

impl OpenTable {
    fn close_cell(&mut self) {
        if let Some((text, rowspan, colspan)) = self.cell.take() {
            self.builder.cell(clean(&text), rowspan, colspan);
        }
    }
}

/// Collapses whitespace runs (not the ideographic space) and trims each line.
fn clean(text: &str) -> String {
    let lines: Vec<String> = text
        .split('\n')
        .map(|line| {
            let mut out = String::new();
            let mut space = false;
            for c in line.chars() {
                if c.is_ascii_whitespace() || c == '\u{a0}' {
                    space = true;
                } else {
                    if space && !out.is_empty() {
                        out.push(' ');
                    }
                    space = false;
                    out.push(c);
                }
            }
            out
        })
        .collect();
    let joined = lines.join("\n");
    joined.trim_matches('\n').to_string()
}

/// Reads an HTML page.
pub(super) fn read(file: &str, src: &str, limits: &Limits) -> Result<Document, ImportError> {
    let fail = |kind| ImportError {
        file: file.to_string(),
        kind,
    };
    let mut blocks: Vec<Option<Block>> = Vec::new();
    let mut stack: Vec<OpenTable> = Vec::new();
    let mut paragraph = String::new();
    let mut heading: Option<u8> = None;
    let mut paragraphs = 0;
    let mut tables = 0;
    let mut cells = 0;
    let mut warnings = Vec::new();

    let flush = |paragraph: &mut String,
                 heading: &mut Option<u8>,
                 blocks: &mut Vec<Option<Block>>,
                 paragraphs: &mut usize| {
        let text = clean(paragraph);
        if !text.is_empty() {
            blocks.push(Some(Block::Paragraph(Paragraph {
                index: *paragraphs,
                text,
                heading: *heading,
            })));
            *paragraphs += 1;
        }
        paragraph.clear();
        *heading = None;
    };

    for token in tokenize(src) {
        match token {
            Token::Text(t) => {
                let outside = stack.is_empty();
                let text = decode_entities(&t.replace(['\n', '\r'], " "));
                match stack.last_mut().and_then(|t| t.cell.as_mut()) {
                    Some((cell, _, _)) => {
                        within(
                            cell.chars().count() + text.chars().count(),
                            limits.max_text_chars,
                            "单元格文字",
                        )
                        .map_err(fail)?;
                        cell.push_str(&text);
                    }
                    None if outside => {
                        if paragraph.len() + text.len() > limits.max_text_chars * 4 {
                            return Err(fail(ErrorKind::TooBig {
                                what: "段落文字".into(),
                                limit: limits.max_text_chars,
                            }));
                        }
                        paragraph.push_str(&text);
                    }
                    None => {} // text between cells is layout whitespace
                }
            }
            Token::Start { name, attrs } => match name.as_str() {
                "table" => {
                    if stack.is_empty() {
                        flush(&mut paragraph, &mut heading, &mut blocks, &mut paragraphs);
                    }
                    within(stack.len() + 1, limits.max_nesting, "表格嵌套层数").map_err(fail)?;
                    blocks.push(None);
                    stack.push(OpenTable {
                        builder: TableBuilder::default(),
                        cell: None,
                        slot: blocks.len() - 1,
                    });
                }
                "tr" => {
                    if let Some(t) = stack.last_mut() {
                        t.close_cell();
                        t.builder.start_row();
                        if t.builder.rows() > limits.max_rows {
                            return Err(fail(ErrorKind::TooBig {
                                what: format!("表格{}的行数", tables + stack.len()),
                                limit: limits.max_rows,
                            }));
                        }
                    }
                }
                "td" | "th" => {
                    if let Some(t) = stack.last_mut() {
                        t.close_cell();
                        if t.builder.rows() == 0 {
                            t.builder.start_row();
                        }
                        let mut span = |key| {
                            let v = attr(&attrs, key).unwrap_or(1).max(1);
                            if v > limits.max_span {
                                warnings.push(format!(
                                    "单元格跨度{v}超过上限，按{}处理",
                                    limits.max_span
                                ));
                            }
                            v.min(limits.max_span)
                        };
                        let rowspan = span("rowspan");
                        let colspan = span("colspan");
                        t.cell = Some((String::new(), rowspan, colspan));
                        cells += 1;
                        within(cells, limits.max_cells, "单元格总数").map_err(fail)?;
                    }
                }
                "br" => match stack.last_mut().and_then(|t| t.cell.as_mut()) {
                    Some((cell, _, _)) => cell.push('\n'),
                    None => flush(&mut paragraph, &mut heading, &mut blocks, &mut paragraphs),
                },
                "p" | "div" | "li" | "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => {
                    let outside = stack.is_empty();
                    match stack.last_mut().and_then(|t| t.cell.as_mut()) {
                        Some((cell, _, _)) if !cell.is_empty() => cell.push('\n'),
                        Some(_) => {}
                        None if outside => {
                            flush(&mut paragraph, &mut heading, &mut blocks, &mut paragraphs);
                            if let Some(level) = name.strip_prefix('h') {
                                heading = level.parse().ok();
                            }
                        }
                        None => {}
                    }
                }
                _ => {}
            },
            Token::End { name } => match name.as_str() {
                "table" => {
                    if let Some(mut t) = stack.pop() {
                        t.close_cell();
                        let table = t.builder.finish(0, None);
                        blocks[t.slot] = Some(Block::Table(table));
                        tables += 1;
                    }
                }
                "td" | "th" => {
                    if let Some(t) = stack.last_mut() {
                        t.close_cell();
                    }
                }
                "tr" => {
                    if let Some(t) = stack.last_mut() {
                        t.close_cell();
                    }
                }
                "p" | "div" | "li" | "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => {
                    if let Some(Some((cell, _, _))) = stack.last_mut().map(|t| t.cell.as_mut()) {
                        cell.push('\n');
                    } else if stack.is_empty() {
                        flush(&mut paragraph, &mut heading, &mut blocks, &mut paragraphs);
                    }
                }
                _ => {}
            },
        }
    }
    // Unclosed tables at the end of the page are kept.
    while let Some(mut t) = stack.pop() {
        t.close_cell();
        blocks[t.slot] = Some(Block::Table(t.builder.finish(0, None)));
    }
    flush(&mut paragraph, &mut heading, &mut blocks, &mut paragraphs);
    Ok(Document::from_slots(
        file.to_string(),
        Format::Html,
        blocks,
        warnings,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_nameless_attribute_before_chinese_text_is_dropped_whole() {
        // Found by the read_docx fuzz target: `="m: "` followed by a multi-byte
        // character used to step into the middle of that character and panic.
        let (tag, len) = start_tag("<align=\"m: \"錳ddp class=\"c9\">保障");
        let Token::Start { name, attrs } = tag else {
            panic!("not a start tag: {tag:?}");
        };
        assert_eq!(name, "align");
        assert_eq!(
            attrs,
            vec![
                ("錳ddp".to_string(), String::new()),
                ("class".to_string(), "c9".to_string())
            ]
        );
        assert_eq!(len, "<align=\"m: \"錳ddp class=\"c9\">".len());
    }

    #[test]
    fn raw_text_ends_at_its_end_tag_in_any_case() {
        assert_eq!(end_tag("p { x: 1 } </p></STYLE>", "style"), Some(15));
        assert_eq!(end_tag("a</scrip", "script"), None);
        let t = tokenize("<Style>td { a: 1 }</STYLE><p>表</p>");
        assert!(
            matches!(&t[1], Token::Start { name, .. } if name == "p"),
            "{t:?}"
        );
    }

    #[test]
    fn tokenizes_messy_html() {
        let t = tokenize(
            "<p class=a>x &amp; y<br>z</p><!-- c --><script>if(a<b){}</script><col width=3>",
        );
        assert!(matches!(&t[0], Token::Start { name, .. } if name == "p"));
        assert_eq!(t[1], Token::Text("x &amp; y"));
        assert!(
            t.iter()
                .all(|x| !matches!(x, Token::Text(s) if s.contains("if(")))
        );
        assert_eq!(
            decode_entities("a&nbsp;b&#39033;&#x76EE;&bogus;"),
            "a\u{a0}b项目&bogus;"
        );
    }

    #[test]
    fn reads_spans_nesting_and_paragraphs() {
        let html = "<h2>一、标题</h2><p>正文</p><table><tr><td rowspan=2>A<td>B<p>B2</p></td>\
                    <tr><td>C<table><tr><td>内</td></tr></table></td></table><p>后</p>";
        let doc = read("t.html", html, &Limits::default()).unwrap();
        let kinds: Vec<String> = doc
            .blocks
            .iter()
            .map(|b| match b {
                Block::Paragraph(p) => format!("P{}:{}", p.heading.unwrap_or(0), p.text),
                Block::Table(t) => format!("T{}:{}x{}", t.index, t.rows, t.cols),
            })
            .collect();
        assert_eq!(
            kinds,
            ["P2:一、标题", "P0:正文", "T0:2x2", "T1:1x1", "P0:后"]
        );
        let Block::Table(t) = &doc.blocks[2] else {
            panic!()
        };
        assert_eq!(t.cells[1].text, "B\nB2");
        assert_eq!((t.cells[2].row, t.cells[2].col), (1, 1));
    }
}
