//! Web pages (.html, Word's "save as web page"): tables with rowspan/colspan, paragraphs and
//! headings between them. A small tolerant tokenizer: real pages have unclosed `<td>`, `<p>`
//! and `<col>`, entities, comments, scripts and styles.

use jixiao_grid::error::{ErrorKind, ImportError};
use jixiao_grid::limits::{Limits, within};
use jixiao_grid::{Block, Document, Format, Paragraph, TableBuilder};

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
    let mut walker = Walker::new(limits);
    for token in tokenize(src) {
        let step = match token {
            Token::Text(t) => walker.text(t),
            Token::Start { name, attrs } => walker.start(&name, &attrs),
            Token::End { name } => {
                walker.end(&name);
                Ok(())
            }
        };
        step.map_err(|kind| ImportError {
            file: file.to_string(),
            kind,
        })?;
    }
    Ok(walker.finish(file.to_string()))
}

/// The state of one pass over a page's tokens: the blocks so far, the tables open (innermost
/// last), the paragraph being read outside tables, the counters the limits bound and the
/// warnings to report.
struct Walker<'a> {
    limits: &'a Limits,
    /// Blocks in page order; a table's slot is reserved when it opens (nested tables follow
    /// their parent) and filled when it closes.
    blocks: Vec<Option<Block>>,
    stack: Vec<OpenTable>,
    paragraph: String,
    heading: Option<u8>,
    paragraphs: usize,
    tables: usize,
    cells: usize,
    warnings: Vec<String>,
}

impl<'a> Walker<'a> {
    fn new(limits: &'a Limits) -> Self {
        Walker {
            limits,
            blocks: Vec::new(),
            stack: Vec::new(),
            paragraph: String::new(),
            heading: None,
            paragraphs: 0,
            tables: 0,
            cells: 0,
            warnings: Vec::new(),
        }
    }

    /// The cell being filled in the innermost open table.
    fn cell(&mut self) -> Option<&mut String> {
        self.stack
            .last_mut()
            .and_then(|t| t.cell.as_mut())
            .map(|(text, _, _)| text)
    }

    /// Text goes to the open cell, or to the paragraph outside tables; text between cells is
    /// layout whitespace.
    fn text(&mut self, raw: &str) -> Result<(), ErrorKind> {
        let text = decode_entities(&raw.replace(['\n', '\r'], " "));
        let limit = self.limits.max_text_chars;
        let outside = self.stack.is_empty();
        if let Some(cell) = self.cell() {
            within(
                cell.chars().count() + text.chars().count(),
                limit,
                "单元格文字",
            )?;
            cell.push_str(&text);
        } else if outside {
            if self.paragraph.len() + text.len() > limit * 4 {
                return Err(ErrorKind::TooBig {
                    what: "段落文字".into(),
                    limit,
                });
            }
            self.paragraph.push_str(&text);
        }
        Ok(())
    }

    /// A start tag.
    fn start(&mut self, name: &str, attrs: &[(String, String)]) -> Result<(), ErrorKind> {
        match name {
            "table" => self.open_table()?,
            "tr" => self.open_row()?,
            "td" | "th" => self.open_cell(attrs)?,
            "br" => match self.cell() {
                Some(cell) => cell.push('\n'),
                None => self.flush(),
            },
            "p" | "div" | "li" | "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => {
                self.open_block(name);
            }
            _ => {}
        }
        Ok(())
    }

    fn open_table(&mut self) -> Result<(), ErrorKind> {
        if self.stack.is_empty() {
            self.flush();
        }
        within(
            self.stack.len() + 1,
            self.limits.max_nesting,
            "表格嵌套层数",
        )?;
        self.blocks.push(None);
        self.stack.push(OpenTable {
            builder: TableBuilder::default(),
            cell: None,
            slot: self.blocks.len() - 1,
        });
        Ok(())
    }

    fn open_row(&mut self) -> Result<(), ErrorKind> {
        let depth = self.stack.len();
        if let Some(t) = self.stack.last_mut() {
            t.close_cell();
            t.builder.start_row();
            if t.builder.rows() > self.limits.max_rows {
                return Err(ErrorKind::TooBig {
                    what: format!("表格{}的行数", self.tables + depth),
                    limit: self.limits.max_rows,
                });
            }
        }
        Ok(())
    }

    /// A `<td>`/`<th>` closes the open cell (they are often left unclosed) and opens another
    /// with its spans, bounded by the limits.
    fn open_cell(&mut self, attrs: &[(String, String)]) -> Result<(), ErrorKind> {
        let max_span = self.limits.max_span;
        let warnings = &mut self.warnings;
        let Some(t) = self.stack.last_mut() else {
            return Ok(());
        };
        t.close_cell();
        if t.builder.rows() == 0 {
            t.builder.start_row();
        }
        let mut span = |key| {
            let v = attr(attrs, key).unwrap_or(1).max(1);
            if v > max_span {
                warnings.push(format!("单元格跨度{v}超过上限，按{max_span}处理"));
            }
            v.min(max_span)
        };
        let rowspan = span("rowspan");
        let colspan = span("colspan");
        t.cell = Some((String::new(), rowspan, colspan));
        self.cells += 1;
        within(self.cells, self.limits.max_cells, "单元格总数")
    }

    /// A block element opens: a new line inside a cell that has text, a new paragraph (with
    /// its heading level for `<hN>`) outside tables.
    fn open_block(&mut self, name: &str) {
        let outside = self.stack.is_empty();
        match self.cell() {
            Some(cell) if !cell.is_empty() => cell.push('\n'),
            Some(_) => {}
            None if outside => {
                self.flush();
                if let Some(level) = name.strip_prefix('h') {
                    self.heading = level.parse().ok();
                }
            }
            None => {}
        }
    }

    /// An end tag.
    fn end(&mut self, name: &str) {
        match name {
            "table" => {
                if let Some(mut t) = self.stack.pop() {
                    t.close_cell();
                    let table = t.builder.finish(0, None);
                    self.blocks[t.slot] = Some(Block::Table(table));
                    self.tables += 1;
                }
            }
            "td" | "th" | "tr" => {
                if let Some(t) = self.stack.last_mut() {
                    t.close_cell();
                }
            }
            "p" | "div" | "li" | "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => {
                let outside = self.stack.is_empty();
                if let Some(cell) = self.cell() {
                    cell.push('\n');
                } else if outside {
                    self.flush();
                }
            }
            _ => {}
        }
    }

    /// The paragraph read so far becomes a block when it has text.
    fn flush(&mut self) {
        let text = clean(&self.paragraph);
        if !text.is_empty() {
            self.blocks.push(Some(Block::Paragraph(Paragraph {
                index: self.paragraphs,
                text,
                heading: self.heading,
            })));
            self.paragraphs += 1;
        }
        self.paragraph.clear();
        self.heading = None;
    }

    /// The document: unclosed tables at the end of the page are kept, and the last paragraph.
    fn finish(mut self, file: String) -> Document {
        while let Some(mut t) = self.stack.pop() {
            t.close_cell();
            self.blocks[t.slot] = Some(Block::Table(t.builder.finish(0, None)));
        }
        self.flush();
        Document::from_slots(file, Format::Html, self.blocks, self.warnings)
    }
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
