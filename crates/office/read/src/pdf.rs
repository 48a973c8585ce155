//! PDF files with a text layer: glyphs with their positions → tables and paragraphs.
//!
//! `pdf-extract` (on `lopdf`) interprets each page's content stream and hands every glyph
//! with its text matrix, size and advance, and every stroked or filled path, to an
//! [`OutputDev`]; [`Collector`] keeps them as integer boxes (1/100 pt, top-down). The layout
//! is rebuilt per page:
//!
//! 1. **Ruled tables.** Horizontal and vertical rules (stroked lines, stroked rectangles and
//!    thin filled rectangles) that touch each other form a table. Their distinct x and y
//!    positions are the grid; a grid line missing between two positions merges them into a
//!    spanned cell. Each glyph goes to the cell that contains its centre, so multi-line cells
//!    stay one cell.
//! 2. **Lines.** The other glyphs are grouped into lines by baseline and into words by gaps.
//!    Consecutive lines with several words far apart and aligned starts are a table without
//!    rules (columns from the word starts shared across rows); the rest are paragraphs,
//!    wrapped lines joined.
//!
//! Coordinates are geometry, read as floats from the PDF and rounded to integers at once in
//! [`Collector`]; every figure stays text, exactly as printed.
//!
//! Hostile files: the raw bytes are scanned for compressed streams and each is inflated
//! within the limits before `lopdf` sees them (a flate bomb stops there); pages, objects,
//! glyphs and time are bounded; nested form XObjects that refer back to themselves are
//! refused (the interpreter would recurse without end); and the parse runs on a thread of
//! its own with `catch_unwind`, because `pdf-extract` panics on many malformed inputs
//! (unknown encodings, missing widths): a panic becomes a Chinese error naming the file.

use std::collections::{BTreeMap, BTreeSet};
use std::io::Read;
use std::time::Instant;

use pdf_extract::{ColorSpace, MediaBox, Object, OutputDev, OutputError, Path, PathOp, Transform};

use jixiao_grid::error::{ErrorKind, ImportError};
use jixiao_grid::limits::Limits;
use jixiao_grid::{Block, Cell, Document, Format, Paragraph, Table};

const FORMAT: &str = "PDF 文件";

/// The name of the thread the PDF library runs on: panics there are contained and reported
/// as errors (a binary may keep their English message off its users' screens).
pub const THREAD: &str = "jixiao-pdf";

/// Whether `bytes` are a PDF: `%PDF-` at the start, or within the first kilobyte (readers
/// allow a little junk before it) of a file that ends with `%%EOF`.
pub(crate) fn is_pdf(bytes: &[u8]) -> bool {
    if bytes.starts_with(b"%PDF-") {
        return true;
    }
    let head = &bytes[..bytes.len().min(1024)];
    let tail = &bytes[bytes.len().saturating_sub(64)..];
    head.windows(5).any(|w| w == b"%PDF-") && tail.windows(5).any(|w| w == b"%%EOF")
}

/// Reads a PDF into a document: ruled tables as tables, other text as paragraphs.
pub(crate) fn read(file: &str, bytes: &[u8], limits: &Limits) -> Result<Document, ImportError> {
    let fail = |kind| ImportError {
        file: file.to_string(),
        kind,
    };
    check_inflation(bytes, limits).map_err(fail)?;
    // `pdf-extract` panics on much malformed input, and recursion in its interpreter needs
    // stack: it runs on a thread of its own with a large stack, and a panic there is an error.
    let pages = std::thread::scope(|s| {
        std::thread::Builder::new()
            .name(THREAD.into())
            .stack_size(64 << 20)
            .spawn_scoped(s, || {
                std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| extract(bytes, limits)))
            })
            .map_err(|_| ErrorKind::Corrupt {
                format: FORMAT,
                reason: "无法启动读取线程".into(),
            })
            .and_then(|h| {
                h.join()
                    .unwrap_or_else(Err)
                    .unwrap_or_else(|_| {
                        Err(ErrorKind::Corrupt {
                            format: FORMAT,
                            reason: "文件结构异常，PDF 解析库无法处理（可能已损坏），请用 PDF 阅读器另存或导出为 Word 后再导入".into(),
                        })
                    })
            })
    })
    .map_err(fail)?;
    if pages
        .iter()
        .all(|p| p.glyphs.iter().all(|g| g.text.trim().is_empty()))
    {
        return Err(fail(ErrorKind::NoTextLayer));
    }
    let mut blocks = Vec::new();
    let started = Instant::now();
    for page in &pages {
        if started.elapsed() > limits.pdf_timeout {
            return Err(fail(ErrorKind::TooSlow {
                seconds: limits.pdf_timeout.as_secs(),
            }));
        }
        layout(page, limits, &mut blocks).map_err(fail)?;
    }
    Ok(number(file, join_pages(blocks)))
}

/// Numbers tables and paragraphs in document order.
fn number(file: &str, slots: Vec<Block>) -> Document {
    let mut doc = Document::from_slots(
        file.to_string(),
        Format::Pdf,
        slots.into_iter().map(Some).collect(),
        Vec::new(),
    );
    let mut index = 0;
    for b in &mut doc.blocks {
        if let Block::Paragraph(p) = b {
            p.index = index;
            index += 1;
        }
    }
    doc
}

// ---------------------------------------------------------------------------------------
// Limits on the raw file.

/// Inflates every zlib stream that follows a `stream` keyword, counting bytes and stopping
/// past the limits, before `lopdf` inflates them without bounds (object streams are inflated
/// while the file is loaded). Streams that are not zlib are left to the parser.
fn check_inflation(bytes: &[u8], limits: &Limits) -> Result<(), ErrorKind> {
    let mut total: u64 = 0;
    let mut at = 0;
    while let Some(found) = find(&bytes[at..], b"stream") {
        let mut start = at + found + b"stream".len();
        at = start;
        // The keyword opens data only when an end of line follows (not in `endstream`).
        match bytes.get(start) {
            Some(b'\r') if bytes.get(start + 1) == Some(&b'\n') => start += 2,
            Some(b'\n') | Some(b'\r') => start += 1,
            _ => continue,
        }
        let data = &bytes[start..];
        // A zlib header: deflate method, header checksum.
        if data.len() < 2
            || data[0] & 0x0F != 8
            || (u16::from(data[0]) << 8 | u16::from(data[1])) % 31 != 0
        {
            continue;
        }
        let budget = limits
            .max_part_bytes
            .min(limits.max_total_bytes - total.min(limits.max_total_bytes));
        let mut decoder = flate2::read::ZlibDecoder::new(data).take(budget + 1);
        // A damaged stream counts as far as it inflated.
        let _ = std::io::copy(&mut decoder, &mut std::io::sink());
        let n = budget + 1 - decoder.limit();
        // The next search starts after this stream's data, so each byte is inflated once.
        let consumed = usize::try_from(decoder.into_inner().total_in()).unwrap_or(usize::MAX);
        at = start.saturating_add(consumed).min(bytes.len());
        if n > budget {
            return Err(ErrorKind::InflatesTooMuch {
                limit: if budget == limits.max_part_bytes {
                    limits.max_part_bytes
                } else {
                    limits.max_total_bytes
                },
            });
        }
        total += n;
    }
    Ok(())
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

// ---------------------------------------------------------------------------------------
// Parsing and interpreting (on the reading thread).

/// A glyph: its text and box in 1/100 pt, y growing downwards from the top of the page.
#[derive(Debug, Clone)]
struct Glyph {
    text: String,
    x0: i32,
    x1: i32,
    /// Baseline.
    y: i32,
    /// Font size on the page.
    size: i32,
}

/// A horizontal (`horizontal`) or vertical rule from `a` to `b` at `at`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Rule {
    horizontal: bool,
    at: i32,
    a: i32,
    b: i32,
}

/// What one page holds.
#[derive(Debug, Default)]
struct Page {
    number: usize,
    glyphs: Vec<Glyph>,
    rules: Vec<Rule>,
}

fn corrupt(reason: impl Into<String>) -> ErrorKind {
    ErrorKind::Corrupt {
        format: FORMAT,
        reason: reason.into(),
    }
}

/// Loads the file, applies the limits and collects every page's glyphs and rules.
fn extract(bytes: &[u8], limits: &Limits) -> Result<Vec<Page>, ErrorKind> {
    let started = Instant::now();
    let mut doc = pdf_extract::Document::load_mem(bytes).map_err(|e| load_error(&e))?;
    if doc.is_encrypted() {
        // Many PDFs are encrypted only to restrict printing or copying, with an empty
        // password to open them; those are read. A real opening password is refused.
        if doc.decrypt("").is_err() {
            return Err(ErrorKind::PdfEncrypted);
        }
    }
    if doc.objects.len() > limits.max_pdf_objects {
        return Err(ErrorKind::TooBig {
            what: "PDF 的对象数".into(),
            limit: limits.max_pdf_objects,
        });
    }
    let pages = doc.get_pages();
    if pages.is_empty() {
        return Err(corrupt("没有页面"));
    }
    if pages.len() > limits.max_pdf_pages {
        return Err(ErrorKind::TooBig {
            what: "PDF 的页数".into(),
            limit: limits.max_pdf_pages,
        });
    }
    inflate_streams(&mut doc, limits)?;
    check_forms(&doc)?;
    let mut collector = Collector {
        pages: Vec::new(),
        page_height: 0.0,
        glyphs: 0,
        started,
        limits: *limits,
        stop: None,
    };
    let result = pdf_extract::output_doc(&doc, &mut collector);
    if let Some(kind) = collector.stop {
        return Err(kind);
    }
    result.map_err(|_| corrupt("页面内容无法解析（可能已损坏）"))?;
    Ok(collector.pages)
}

fn load_error(e: &pdf_extract::Error) -> ErrorKind {
    use pdf_extract::Error as E;
    match e {
        E::Decryption(_) | E::AlreadyEncrypted | E::InvalidPassword => ErrorKind::PdfEncrypted,
        E::Xref(_)
        | E::Parse(_)
        | E::InvalidOffset(_)
        | E::MissingXrefEntry
        | E::ObjectNotFound(_) => corrupt("文件结构损坏或不完整（可能下载未完成）"),
        _ => corrupt("文件无法解析（可能已损坏，或使用了不支持的 PDF 特性）"),
    }
}

/// The filters of a stream, by name.
fn filters(stream: &pdf_extract::Stream) -> Vec<Vec<u8>> {
    match stream.dict.get(b"Filter") {
        Ok(Object::Name(n)) => vec![n.clone()],
        Ok(Object::Array(a)) => a
            .iter()
            .filter_map(|o| o.as_name().ok().map(<[u8]>::to_vec))
            .collect(),
        _ => Vec::new(),
    }
}

/// Inflates every flate-compressed stream the interpreter may read (content, forms, fonts,
/// character maps), within the limits, and stores it inflated; images are never decoded
/// for text and are left alone. Filters that cannot be bounded here are refused.
fn inflate_streams(doc: &mut pdf_extract::Document, limits: &Limits) -> Result<(), ErrorKind> {
    let mut total: u64 = 0;
    for object in doc.objects.values_mut() {
        let Object::Stream(stream) = object else {
            continue;
        };
        if stream.dict.get(b"Subtype").and_then(Object::as_name).ok() == Some(b"Image") {
            continue;
        }
        let filters = filters(stream);
        if filters.is_empty() {
            continue;
        }
        let simple = filters.iter().all(|f| f == b"FlateDecode" || f == b"Fl")
            && stream.dict.get(b"DecodeParms").is_err();
        if !simple {
            if filters
                .iter()
                .any(|f| matches!(f.as_slice(), b"FlateDecode" | b"Fl" | b"LZWDecode" | b"LZW"))
            {
                let names: Vec<String> = filters
                    .iter()
                    .map(|f| String::from_utf8_lossy(f).into_owned())
                    .collect();
                return Err(corrupt(format!(
                    "使用了不支持的压缩方式（{}）",
                    names.join("+")
                )));
            }
            continue;
        }
        let mut data = std::mem::take(&mut stream.content);
        for _ in &filters {
            let budget = limits
                .max_part_bytes
                .min(limits.max_total_bytes.saturating_sub(total));
            let mut out = Vec::new();
            let mut decoder = flate2::read::ZlibDecoder::new(data.as_slice()).take(budget + 1);
            // A damaged stream keeps what inflated, as PDF readers do.
            let _ = decoder.read_to_end(&mut out);
            if out.len() as u64 > budget {
                return Err(ErrorKind::InflatesTooMuch {
                    limit: limits.max_part_bytes.min(limits.max_total_bytes),
                });
            }
            total += out.len() as u64;
            data = out;
        }
        stream.content = data;
        stream.dict.remove(b"Filter");
        stream.dict.remove(b"DecodeParms");
        stream.dict.set("Length", data_len(&stream.content));
    }
    Ok(())
}

fn data_len(content: &[u8]) -> i64 {
    i64::try_from(content.len()).unwrap_or(i64::MAX)
}

/// Form XObjects (content drawn by `Do`) must not draw themselves again, directly or
/// through others, and may nest only so deep: the interpreter follows them recursively.
fn check_forms(doc: &pdf_extract::Document) -> Result<(), ErrorKind> {
    const MAX_DEPTH: usize = 24;
    let mut edges: BTreeMap<(u32, u16), Vec<(u32, u16)>> = BTreeMap::new();
    let forms: BTreeSet<(u32, u16)> = doc
        .objects
        .iter()
        .filter(|(_, o)| matches!(o, Object::Stream(s) if s.dict.get(b"Subtype").and_then(Object::as_name).ok() == Some(b"Form")))
        .map(|(id, _)| *id)
        .collect();
    if forms.is_empty() {
        return Ok(());
    }
    for id in &forms {
        let Ok(Object::Stream(s)) = doc.get_object(*id) else {
            continue;
        };
        let draws = s.content.windows(2).any(|w| w == b"Do");
        if !draws {
            continue;
        }
        let own = s
            .dict
            .get(b"Resources")
            .ok()
            .and_then(|r| deref(doc, r).as_dict().ok())
            .and_then(|r| r.get(b"XObject").ok())
            .and_then(|x| deref(doc, x).as_dict().ok());
        let targets: Vec<(u32, u16)> = match own {
            Some(x) => x
                .iter()
                .filter_map(|(_, v)| v.as_reference().ok())
                .filter(|t| forms.contains(t))
                .collect(),
            // Without resources of its own a form uses its page's: it may draw any form.
            None => forms.iter().copied().collect(),
        };
        edges.insert(*id, targets);
    }
    // Longest path by depth-first search; a form met again on the path is a cycle.
    fn depth(
        id: (u32, u16),
        edges: &BTreeMap<(u32, u16), Vec<(u32, u16)>>,
        path: &mut Vec<(u32, u16)>,
        done: &mut BTreeMap<(u32, u16), usize>,
    ) -> Option<usize> {
        if let Some(d) = done.get(&id) {
            return Some(*d);
        }
        if path.contains(&id) || path.len() > 64 {
            return None;
        }
        path.push(id);
        let mut d = 1;
        for t in edges.get(&id).into_iter().flatten() {
            d = d.max(1 + depth(*t, edges, path, done)?);
        }
        path.pop();
        done.insert(id, d);
        Some(d)
    }
    let mut done = BTreeMap::new();
    for id in &forms {
        match depth(*id, &edges, &mut Vec::new(), &mut done) {
            Some(d) if d <= MAX_DEPTH => {}
            _ => {
                return Err(corrupt(
                    "页面中的表单对象（Form XObject）循环引用或嵌套过深",
                ));
            }
        }
    }
    Ok(())
}

fn deref<'a>(doc: &'a pdf_extract::Document, o: &'a Object) -> &'a Object {
    match o {
        Object::Reference(id) => doc.get_object(*id).unwrap_or(o),
        _ => o,
    }
}

/// Receives glyphs and paths from the interpreter, page by page, within the limits.
struct Collector {
    pages: Vec<Page>,
    page_height: f64,
    glyphs: usize,
    started: Instant,
    limits: Limits,
    /// Why the collection stopped early.
    stop: Option<ErrorKind>,
}

/// Stops the interpreter: the reason is in [`Collector::stop`].
fn halt() -> OutputError {
    OutputError::FormatError(std::fmt::Error)
}

impl Collector {
    fn check_time(&mut self) -> Result<(), OutputError> {
        if self.started.elapsed() > self.limits.pdf_timeout {
            self.stop = Some(ErrorKind::TooSlow {
                seconds: self.limits.pdf_timeout.as_secs(),
            });
            return Err(halt());
        }
        Ok(())
    }

    fn page(&mut self) -> Result<&mut Page, OutputError> {
        self.pages.last_mut().ok_or_else(halt)
    }

    /// A rule from `(x0, y0)` to `(x1, y1)` in PDF space (y up), if it is horizontal or vertical.
    #[allow(clippy::float_arithmetic)]
    fn rule(&mut self, (x0, y0): (f64, f64), (x1, y1): (f64, f64)) -> Result<(), OutputError> {
        let h = self.page_height;
        let (x0, y0, x1, y1) = (
            hundredths(x0),
            hundredths(h - y0),
            hundredths(x1),
            hundredths(h - y1),
        );
        let rule = if (y0 - y1).abs() <= 50 && (x0 - x1).abs() > 50 {
            Rule {
                horizontal: true,
                at: (y0 + y1) / 2,
                a: x0.min(x1),
                b: x0.max(x1),
            }
        } else if (x0 - x1).abs() <= 50 && (y0 - y1).abs() > 50 {
            Rule {
                horizontal: false,
                at: (x0 + x1) / 2,
                a: y0.min(y1),
                b: y0.max(y1),
            }
        } else {
            return Ok(());
        };
        let page = self.page()?;
        // Real forms draw a few hundred rules a page; more are drawings, not tables.
        if page.rules.len() >= MAX_RULES {
            return Ok(());
        }
        page.rules.push(rule);
        Ok(())
    }

    /// Rules from a path: its straight horizontal and vertical segments, and rectangles'
    /// edges (stroked) or the rectangle itself when it is a thin bar (filled).
    #[allow(clippy::float_arithmetic)]
    fn path(&mut self, ctm: &Transform, path: &Path, filled: bool) -> Result<(), OutputError> {
        self.check_time()?;
        let t = |x: f64, y: f64| {
            (
                x * ctm.m11 + y * ctm.m21 + ctm.m31,
                x * ctm.m12 + y * ctm.m22 + ctm.m32,
            )
        };
        let mut current = None;
        let mut start = None;
        for op in &path.ops {
            match *op {
                PathOp::MoveTo(x, y) => {
                    current = Some(t(x, y));
                    start = current;
                }
                PathOp::LineTo(x, y) => {
                    let p = t(x, y);
                    if let (Some(c), false) = (current, filled) {
                        self.rule(c, p)?;
                    }
                    current = Some(p);
                }
                PathOp::CurveTo(.., x, y) => current = Some(t(x, y)),
                PathOp::Rect(x, y, w, h) => {
                    let corners = [t(x, y), t(x + w, y), t(x + w, y + h), t(x, y + h)];
                    if filled {
                        let (a, c) = (corners[0], corners[2]);
                        let (width, height) = ((c.0 - a.0).abs(), (c.1 - a.1).abs());
                        if height <= 2.0 && width > height {
                            self.rule((a.0, (a.1 + c.1) / 2.0), (c.0, (a.1 + c.1) / 2.0))?;
                        } else if width <= 2.0 && height > width {
                            self.rule(((a.0 + c.0) / 2.0, a.1), ((a.0 + c.0) / 2.0, c.1))?;
                        }
                    } else {
                        for i in 0..4 {
                            self.rule(corners[i], corners[(i + 1) % 4])?;
                        }
                    }
                }
                PathOp::Close => {
                    if let (Some(c), Some(s), false) = (current, start, filled) {
                        self.rule(c, s)?;
                    }
                    current = start;
                }
            }
        }
        Ok(())
    }
}

/// A coordinate in 1/100 pt (the `as` cast saturates; NaN becomes 0).
#[allow(clippy::float_arithmetic)]
fn hundredths(v: f64) -> i32 {
    (v * 100.0).round() as i32
}

impl OutputDev for Collector {
    fn begin_page(
        &mut self,
        page_num: u32,
        media_box: &MediaBox,
        _: Option<(f64, f64, f64, f64)>,
    ) -> Result<(), OutputError> {
        self.check_time()?;
        self.page_height = media_box.ury;
        self.pages.push(Page {
            number: page_num as usize,
            ..Page::default()
        });
        Ok(())
    }

    fn end_page(&mut self) -> Result<(), OutputError> {
        Ok(())
    }

    #[allow(clippy::float_arithmetic)]
    fn output_character(
        &mut self,
        trm: &Transform,
        width: f64,
        _spacing: f64,
        font_size: f64,
        char: &str,
    ) -> Result<(), OutputError> {
        self.glyphs += 1;
        if self.glyphs > self.limits.max_pdf_glyphs {
            self.stop = Some(ErrorKind::TooBig {
                what: "PDF 的文字数".into(),
                limit: self.limits.max_pdf_glyphs,
            });
            return Err(halt());
        }
        if self.glyphs.is_multiple_of(4096) {
            self.check_time()?;
        }
        // Upright text only: rotated glyphs (stamps, watermarks) are not table text.
        if trm.m12.abs() > 1e-3 || trm.m21.abs() > 1e-3 || trm.m11 <= 0.0 {
            return Ok(());
        }
        let size = font_size * trm.m22.abs();
        let x0 = trm.m31;
        let x1 = x0 + width * font_size * trm.m11;
        let y = self.page_height - trm.m32;
        let glyph = Glyph {
            text: char.to_string(),
            x0: hundredths(x0),
            x1: hundredths(x1),
            y: hundredths(y),
            size: hundredths(size).max(1),
        };
        self.page()?.glyphs.push(glyph);
        Ok(())
    }

    fn begin_word(&mut self) -> Result<(), OutputError> {
        Ok(())
    }

    fn end_word(&mut self) -> Result<(), OutputError> {
        Ok(())
    }

    fn end_line(&mut self) -> Result<(), OutputError> {
        Ok(())
    }

    fn stroke(
        &mut self,
        ctm: &Transform,
        _: &ColorSpace,
        _: &[f64],
        path: &Path,
    ) -> Result<(), OutputError> {
        self.path(ctm, path, false)
    }

    fn fill(
        &mut self,
        ctm: &Transform,
        _: &ColorSpace,
        _: &[f64],
        path: &Path,
    ) -> Result<(), OutputError> {
        self.path(ctm, path, true)
    }
}

// ---------------------------------------------------------------------------------------
// Layout: glyphs and rules → tables and paragraphs.

/// Rules kept per page (grouping them into tables compares each horizontal with each
/// vertical rule).
const MAX_RULES: usize = 4_000;

/// Positions closer than this (1/100 pt) are one grid line.
const SNAP: i32 = 200;

/// Distinct positions of `values`, each run closer than [`SNAP`] replaced by its mean.
fn cluster(mut values: Vec<i32>) -> Vec<i32> {
    values.sort_unstable();
    let mut out: Vec<(i64, i64, i32)> = Vec::new(); // (sum, count, last)
    for v in values {
        match out.last_mut() {
            Some((sum, n, last)) if v - *last <= SNAP => {
                *sum += i64::from(v);
                *n += 1;
                *last = v;
            }
            _ => out.push((i64::from(v), 1, v)),
        }
    }
    out.into_iter()
        .map(|(s, n, _)| i32::try_from(s / n).unwrap_or(0))
        .collect()
}

/// The index of the grid line nearest `v`, if within [`SNAP`].
fn line_of(lines: &[i32], v: i32) -> Option<usize> {
    let i = lines.partition_point(|&l| l < v);
    [i.checked_sub(1), Some(i)]
        .into_iter()
        .flatten()
        .filter(|&j| j < lines.len())
        .min_by_key(|&j| (lines[j] - v).abs())
        .filter(|&j| (lines[j] - v).abs() <= SNAP)
}

/// Rules that touch (within [`SNAP`]) grouped together: one group per ruled table.
fn groups(rules: &[Rule]) -> Vec<Vec<Rule>> {
    let n = rules.len();
    let mut parent: Vec<usize> = (0..n).collect();
    fn root(p: &mut [usize], mut i: usize) -> usize {
        while p[i] != i {
            p[i] = p[p[i]];
            i = p[i];
        }
        i
    }
    let touches = |h: &Rule, v: &Rule| {
        v.at >= h.a - SNAP && v.at <= h.b + SNAP && h.at >= v.a - SNAP && h.at <= v.b + SNAP
    };
    // Horizontal against vertical only: n_h × n_v comparisons, bounded by the rules kept.
    let (hs, vs): (Vec<usize>, Vec<usize>) = (0..n).partition(|&i| rules[i].horizontal);
    for &h in &hs {
        for &v in &vs {
            if touches(&rules[h], &rules[v]) {
                let (a, b) = (root(&mut parent, h), root(&mut parent, v));
                parent[a] = b;
            }
        }
    }
    let mut by_root: BTreeMap<usize, Vec<Rule>> = BTreeMap::new();
    for (i, rule) in rules.iter().enumerate() {
        let r = root(&mut parent, i);
        by_root.entry(r).or_default().push(*rule);
    }
    by_root.into_values().collect()
}

/// A ruled table on a page: its grid lines and which unit borders are drawn.
struct Ruled {
    xs: Vec<i32>,
    ys: Vec<i32>,
    /// `vertical[r][c]`: a rule at `xs[c]` across row band `r`.
    vertical: Vec<Vec<bool>>,
    /// `horizontal[r][c]`: a rule at `ys[r]` across column band `c`.
    horizontal: Vec<Vec<bool>>,
}

impl Ruled {
    fn new(rules: &[Rule]) -> Option<Ruled> {
        let xs = cluster(
            rules
                .iter()
                .filter(|r| !r.horizontal)
                .map(|r| r.at)
                .collect(),
        );
        let ys = cluster(
            rules
                .iter()
                .filter(|r| r.horizontal)
                .map(|r| r.at)
                .collect(),
        );
        // A table has at least one cell: two lines each way.
        if xs.len() < 2 || ys.len() < 2 {
            return None;
        }
        let mut vertical = vec![vec![false; xs.len()]; ys.len() - 1];
        let mut horizontal = vec![vec![false; xs.len() - 1]; ys.len()];
        for r in rules {
            if r.horizontal {
                let Some(row) = line_of(&ys, r.at) else {
                    continue;
                };
                for (c, w) in xs.windows(2).enumerate() {
                    let mid = (w[0] + w[1]) / 2;
                    if r.a - SNAP <= mid && mid <= r.b + SNAP {
                        horizontal[row][c] = true;
                    }
                }
            } else {
                let Some(col) = line_of(&xs, r.at) else {
                    continue;
                };
                for (row, w) in ys.windows(2).enumerate() {
                    let mid = (w[0] + w[1]) / 2;
                    if r.a - SNAP <= mid && mid <= r.b + SNAP {
                        vertical[row][col] = true;
                    }
                }
            }
        }
        Some(Ruled {
            xs,
            ys,
            vertical,
            horizontal,
        })
    }

    fn contains(&self, x: i32, y: i32) -> bool {
        let (Some(&x0), Some(&x1), Some(&y0), Some(&y1)) = (
            self.xs.first(),
            self.xs.last(),
            self.ys.first(),
            self.ys.last(),
        ) else {
            return false;
        };
        x0 <= x && x <= x1 && y0 <= y && y <= y1
    }

    /// The spanned cells: grid units joined where no rule separates them, as rectangles
    /// `(row, col, rowspan, colspan)`, row-major.
    fn cells(&self) -> Vec<(usize, usize, usize, usize)> {
        let (rows, cols) = (self.ys.len() - 1, self.xs.len() - 1);
        let mut taken = vec![vec![false; cols]; rows];
        let mut out = Vec::new();
        for r in 0..rows {
            for c in 0..cols {
                if taken[r][c] {
                    continue;
                }
                // Extend right while no vertical rule, then down while no horizontal rule
                // under the whole width.
                let mut w = 1;
                while c + w < cols && !self.vertical[r][c + w] && !taken[r][c + w] {
                    w += 1;
                }
                let mut h = 1;
                while r + h < rows
                    && (c..c + w).all(|cc| !self.horizontal[r + h][cc] && !taken[r + h][cc])
                {
                    h += 1;
                }
                for row in taken.iter_mut().skip(r).take(h) {
                    for t in row.iter_mut().skip(c).take(w) {
                        *t = true;
                    }
                }
                out.push((r, c, h, w));
            }
        }
        out
    }
}

/// Glyphs grouped into lines (by baseline), each line's glyphs left to right.
fn lines(mut glyphs: Vec<&Glyph>) -> Vec<Vec<&Glyph>> {
    glyphs.sort_by_key(|g| (g.y, g.x0));
    let mut out: Vec<Vec<&Glyph>> = Vec::new();
    for g in glyphs {
        match out.last_mut() {
            Some(line) if (g.y - line[0].y).abs() * 2 < line[0].size.max(g.size) => line.push(g),
            _ => out.push(vec![g]),
        }
    }
    for line in &mut out {
        line.sort_by_key(|g| g.x0);
    }
    out
}

/// A line's words: glyphs separated by less than `wide` percent of their size. Inside a
/// word a space is kept where the PDF drew one, or where a gap of more than half a
/// character shows one (LibreOffice's spacing of up to a quarter character between Chinese
/// and Latin text is no space).
/// Returns `(x0, x1, text)`.
fn words(line: &[&Glyph], wide: i32) -> Vec<(i32, i32, String)> {
    let mut out: Vec<(i32, i32, String)> = Vec::new();
    let mut blank = false;
    for g in line {
        if g.text.trim().is_empty() {
            blank = true;
            continue;
        }
        match out.last_mut() {
            Some((_, x1, text)) if g.x0 - *x1 < g.size * wide / 100 => {
                if blank || g.x0 - *x1 > g.size * 60 / 100 {
                    text.push(' ');
                }
                text.push_str(&g.text);
                *x1 = (*x1).max(g.x1);
            }
            _ => out.push((g.x0, g.x1, g.text.clone())),
        }
        blank = false;
    }
    out
}

/// Whether a line starts an item of a list (`指标2：`, `2、`, `2.`, `（2）`, `②`), so a
/// break before it is real even when the line before filled its cell.
fn starts_item(text: &str) -> bool {
    let t = text.trim_start_matches(['指', '标', '(', '（', ' ']);
    let digits = t.chars().take_while(char::is_ascii_digit).count();
    if text.starts_with(|c: char| ('①'..='⑳').contains(&c)) {
        return true;
    }
    let mut rest = t[digits..].chars();
    digits > 0
        && matches!(
            rest.next(),
            Some('、' | '.' | '．' | '：' | ':' | ')' | '）')
        )
        && !rest.next().is_some_and(|c| c.is_ascii_digit())
}

/// The text of a line: its words with a space between them, and a space at the end when
/// the PDF drew one there (the space a line was wrapped at).
fn line_text(line: &[&Glyph]) -> String {
    let mut text = words(line, 10_000)
        .into_iter()
        .map(|w| w.2)
        .collect::<Vec<_>>()
        .join(" ");
    if !text.is_empty() && line.last().is_some_and(|g| g.text.trim().is_empty()) {
        text.push(' ');
    }
    text
}

/// The text of a cell's glyphs in reading order. A line that reaches the cell's right edge
/// (`right`, within two characters) was wrapped by the layout and continues on the next
/// line without a break; other lines end with `\n`.
fn cell_text(glyphs: Vec<&Glyph>, left: i32, right: i32) -> String {
    // The cell's inner margin, as far as its text shows it (the same on both sides).
    let pad = glyphs.iter().map(|g| g.x0 - left).min().unwrap_or(0).max(0);
    // Each line: its text, where its ink ends, its size, and the width of its leading run
    // of Latin text (a number is not broken, so a line ends early when one follows).
    let lines: Vec<(String, i32, i32, i32)> = lines(glyphs)
        .iter()
        .map(|line| {
            let ink = || line.iter().filter(|g| !g.text.trim().is_empty());
            let (end, size) = ink().fold((0, 0), |(e, s), g| (e.max(g.x1), s.max(g.size)));
            let lead: Vec<&&Glyph> = ink()
                .take_while(|g| g.text.chars().all(|c| c.is_ascii_graphic()))
                .collect();
            let lead = match (lead.first(), lead.last()) {
                (Some(a), Some(b)) => b.x1 - a.x0,
                _ => 0,
            };
            (line_text(line), end, size, lead)
        })
        .filter(|l| !l.0.trim().is_empty())
        .collect();
    let mut out = String::new();
    for (k, (text, end, size, _)) in lines.iter().enumerate() {
        out.push_str(text);
        let Some((next, _, _, lead)) = lines.get(k + 1) else {
            break;
        };
        let room = right - pad.min(2 * size) - end;
        // Wrapped by the layout: the line reached the edge, or what starts the next line
        // would not have fitted; a line that ends a sentence or a next line that starts an
        // item is a real break.
        let wrapped = (room <= 2 * size || room <= lead + size / 4)
            && !text.trim_end().ends_with(['。', '；', ';', '！', '？'])
            && !starts_item(next);
        if !wrapped {
            out.truncate(out.trim_end().len());
            out.push('\n');
        }
    }
    out.truncate(out.trim_end().len());
    out
}

/// A block laid out on a page; a ruled table keeps its column lines.
struct Laid {
    block: Block,
    columns: Option<Vec<i32>>,
    page: usize,
    /// A paragraph whose last line reached the right margin.
    open: bool,
    /// A paragraph whose first line starts at the left margin.
    continues: bool,
}

/// Whether a paragraph is page furniture between a table and its continuation: a page
/// number (`3`, `- 3 -`, `第3页`, `第 3 页 共 9 页`).
fn furniture(text: &str) -> bool {
    text.chars()
        .all(|c| c.is_ascii_digit() || " -—第页共/".contains(c))
}

/// Joins a paragraph that fills its last line to one that starts the next page at the
/// left margin, and a ruled table that ends a page to the one that starts the next page with the same
/// columns: the continuation's rows are appended, and a merged cell the page break cut (its
/// continuation empty, or repeating the label, in the first row) is one cell again.
fn join_pages(laid: Vec<Laid>) -> Vec<Block> {
    let mut out: Vec<Laid> = Vec::new();
    for item in laid {
        // A paragraph going on from the page before (past its page number).
        if let (Block::Paragraph(next), true) = (&item.block, item.continues) {
            let furniture_after = out
                .iter()
                .rev()
                .take_while(|l| matches!(&l.block, Block::Paragraph(p) if furniture(&p.text)))
                .count();
            if let Some(i) = out.len().checked_sub(furniture_after + 1) {
                let prev = &mut out[i];
                let goes_on = prev.open && prev.page + 1 == item.page;
                if let (Block::Paragraph(p), true) = (&mut prev.block, goes_on)
                    && !p.text.ends_with(['。', '；', '！', '？', '：', ':'])
                {
                    p.text.push_str(&next.text);
                    prev.open = item.open;
                    prev.page = item.page;
                    continue;
                }
            }
        }
        if let (Block::Table(next), Some(cols)) = (&item.block, &item.columns) {
            // The previous table, past page numbers, if it ends the page before.
            let furniture_after = out
                .iter()
                .rev()
                .take_while(|l| matches!(&l.block, Block::Paragraph(p) if furniture(&p.text)))
                .count();
            let at = out.len().checked_sub(furniture_after + 1);
            let same = at.and_then(|i| out.get(i)).is_some_and(|prev| {
                prev.page + 1 == item.page
                    && out[at.unwrap_or(0) + 1..].iter().all(|l| l.page == prev.page || l.page == item.page)
                    && prev.columns.as_ref().is_some_and(|c| {
                        c.len() == cols.len() && c.iter().zip(cols).all(|(a, b)| (a - b).abs() <= SNAP)
                    })
                    // Nothing of the next page comes before the continuation.
                    && !out[at.unwrap_or(0) + 1..].iter().any(|l| l.page == item.page)
            });
            if let (true, Some(i)) = (same, at)
                && let Block::Table(prev) = &mut out[i].block
            {
                append(prev, next);
                out[i].page = item.page;
                continue;
            }
        }
        out.push(item);
    }
    out.into_iter().map(|l| l.block).collect()
}

/// Appends `next`'s rows to `table` (same columns).
fn append(table: &mut Table, next: &Table) {
    let offset = table.rows;
    for cell in &next.cells {
        if cell.row == 0 {
            let above = table.cells.iter_mut().find(|c| {
                c.col == cell.col && c.colspan == cell.colspan && c.row + c.rowspan == offset
            });
            if let Some(above) = above {
                // Only a merged cell (several rows) is cut by a page break; a one-row cell
                // above with the same figure is another value.
                if above.rowspan > 1 && (cell.text.is_empty() || cell.text == above.text) {
                    above.rowspan += cell.rowspan;
                    continue;
                }
            }
        }
        let mut cell = cell.clone();
        cell.row += offset;
        table.cells.push(cell);
    }
    table.rows += next.rows;
    table.cells.sort_by_key(|c| (c.row, c.col));
}

/// Lays out one page into blocks: ruled tables and, between them, lines of text.
fn layout(page: &Page, limits: &Limits, out: &mut Vec<Laid>) -> Result<(), ErrorKind> {
    let mut tables: Vec<Ruled> = groups(&page.rules)
        .iter()
        .filter_map(|g| Ruled::new(g))
        .collect();
    tables.sort_by_key(|t| t.ys[0]);
    let mut inside: Vec<Vec<&Glyph>> = vec![Vec::new(); tables.len()];
    let mut loose: Vec<&Glyph> = Vec::new();
    for g in &page.glyphs {
        let (cx, cy) = ((g.x0 + g.x1) / 2, g.y - g.size / 3);
        match tables.iter().position(|t| t.contains(cx, cy)) {
            Some(i) => inside[i].push(g),
            None => loose.push(g),
        }
    }
    // Text lines and tables in order of their top on the page.
    let mut items: Vec<(i32, Laid)> = Vec::new();
    for (t, glyphs) in tables.iter().zip(inside) {
        if glyphs.is_empty() {
            continue;
        }
        let table = ruled_table(t, glyphs, page.number, limits)?;
        let columns = Some(t.xs.clone());
        let block = Block::Table(table);
        items.push((
            t.ys[0],
            Laid {
                block,
                columns,
                page: page.number,
                open: false,
                continues: false,
            },
        ));
    }
    for (top, block, open, continues) in text_blocks(lines(loose), page.number) {
        items.push((
            top,
            Laid {
                block,
                columns: None,
                page: page.number,
                open,
                continues,
            },
        ));
    }
    items.sort_by_key(|(top, _)| *top);
    out.extend(items.into_iter().map(|(_, b)| b));
    Ok(())
}

fn ruled_table(
    t: &Ruled,
    glyphs: Vec<&Glyph>,
    page: usize,
    limits: &Limits,
) -> Result<Table, ErrorKind> {
    let (rows, cols) = (t.ys.len() - 1, t.xs.len() - 1);
    jixiao_grid::limits::within(rows, limits.max_rows, "PDF 表格的行数")?;
    jixiao_grid::limits::within(cols, limits.max_cols, "PDF 表格的列数")?;
    jixiao_grid::limits::within(
        rows.saturating_mul(cols),
        limits.max_grid,
        "PDF 表格的行数×列数",
    )?;
    let rects = t.cells();
    jixiao_grid::limits::within(rects.len(), limits.max_cells, "PDF 表格的单元格数")?;
    let mut texts: Vec<Vec<&Glyph>> = vec![Vec::new(); rects.len()];
    let mut owner = vec![vec![0usize; t.xs.len() - 1]; t.ys.len() - 1];
    for (i, &(r, c, h, w)) in rects.iter().enumerate() {
        for row in owner.iter_mut().skip(r).take(h) {
            for o in row.iter_mut().skip(c).take(w) {
                *o = i;
            }
        }
    }
    for g in glyphs {
        let (cx, cy) = ((g.x0 + g.x1) / 2, g.y - g.size / 3);
        let r =
            t.ys.partition_point(|&y| y <= cy)
                .saturating_sub(1)
                .min(t.ys.len() - 2);
        let c =
            t.xs.partition_point(|&x| x <= cx)
                .saturating_sub(1)
                .min(t.xs.len() - 2);
        texts[owner[r][c]].push(g);
    }
    // Grid columns and rows that hold no cell boundary of their own are kept: spans
    // reproduce the merged cells, as Word's grid does.
    let cells = rects
        .into_iter()
        .zip(texts)
        .map(|((row, col, rowspan, colspan), glyphs)| Cell {
            page: Some(page),
            ..Cell::new(
                row,
                col,
                rowspan,
                colspan,
                cell_text(glyphs, t.xs[col], t.xs[col + colspan]),
            )
        })
        .collect();
    Ok(Table {
        index: 0,
        sheet: None,
        rows: t.ys.len() - 1,
        cols: t.xs.len() - 1,
        cells,
    })
}

/// A line of text outside ruled tables.
struct TextLine {
    /// Top of the line (baseline less the font size).
    top: i32,
    /// Its words, `(x0, x1, text)`.
    words: Vec<(i32, i32, String)>,
    /// Font size of its first glyph.
    size: i32,
    /// Whether the PDF drew a space at its end (where a wrapped paragraph continues).
    blank_end: bool,
}

/// Lines outside ruled tables: runs of lines with several far-apart words become a table
/// without rules; the other lines are paragraphs, a wrapped line joined to the one before.
/// Each block comes with its top, and for a paragraph whether its last line reached the
/// right margin (it may go on, on the next page) and whether its first line starts at the
/// left margin (it may go on from the page before).
fn text_blocks(lines: Vec<Vec<&Glyph>>, page: usize) -> Vec<(i32, Block, bool, bool)> {
    let mut out = Vec::new();
    let rows: Vec<TextLine> = lines
        .iter()
        .map(|l| TextLine {
            top: l[0].y - l[0].size,
            words: words(l, 150),
            size: l[0].size,
            blank_end: l.last().is_some_and(|g| g.text.trim().is_empty()),
        })
        .filter(|l| !l.words.is_empty())
        .collect();
    let right = rows
        .iter()
        .filter_map(|r| r.words.last().map(|w| w.1))
        .max()
        .unwrap_or(0);
    let left = rows
        .iter()
        .filter_map(|r| r.words.first().map(|w| w.0))
        .min()
        .unwrap_or(0);
    let full = |l: &TextLine| l.words.last().map_or(0, |w| w.1) >= right - 2 * l.size;
    let at_left =
        |l: &TextLine, text: &str| l.words[0].0 <= left + l.size / 2 && !starts_item(text);
    // The paragraph being read: its top, text, its last line, and whether it starts at the
    // left margin.
    let mut paragraph: Option<(i32, String, &TextLine, bool)> = None;
    let flush = |p: &mut Option<(i32, String, &TextLine, bool)>,
                 out: &mut Vec<(i32, Block, bool, bool)>| {
        if let Some((top, text, last, continues)) = p.take() {
            let text = text.trim_end().to_string();
            out.push((
                top,
                Block::Paragraph(Paragraph {
                    index: 0,
                    text,
                    heading: None,
                }),
                full(last),
                continues,
            ));
        }
    };
    let mut i = 0;
    while i < rows.len() {
        // A run of at least two multi-word lines is a table without rules.
        let run = rows[i..].iter().take_while(|r| r.words.len() >= 2).count();
        if run >= 2 {
            flush(&mut paragraph, &mut out);
            out.push((
                rows[i].top,
                Block::Table(unruled_table(&rows[i..i + run], page)),
                false,
                false,
            ));
            i += run;
            continue;
        }
        let line = &rows[i];
        let text = line
            .words
            .iter()
            .map(|w| w.2.as_str())
            .collect::<Vec<_>>()
            .join(" ");
        match paragraph.as_mut() {
            // A wrapped line: the one before reached the right margin, this one starts at
            // the left margin, close below.
            Some((_, p, last, _))
                if full(last)
                    && at_left(line, &text)
                    && line.top - last.top <= line.size * 5 / 2 =>
            {
                if last.blank_end {
                    p.push(' ');
                }
                p.push_str(&text);
                *last = line;
            }
            _ => {
                flush(&mut paragraph, &mut out);
                let continues = at_left(line, &text);
                paragraph = Some((line.top, text, line, continues));
            }
        }
        i += 1;
    }
    flush(&mut paragraph, &mut out);
    out
}

/// Rows of words without rules: columns start where words start in several rows.
fn unruled_table(rows: &[TextLine], page: usize) -> Table {
    let starts = cluster(
        rows.iter()
            .flat_map(|r| r.words.iter().map(|w| w.0))
            .collect(),
    );
    let mut cells: Vec<Cell> = Vec::new();
    for (r, line) in rows.iter().enumerate() {
        let mut last: Option<usize> = None;
        for (x0, _, text) in &line.words {
            let c = starts
                .partition_point(|&s| s <= *x0 + SNAP)
                .saturating_sub(1);
            // Two words in one column: the second joins the first.
            if last == Some(c) {
                if let Some(cell) = cells.last_mut() {
                    cell.text.push(' ');
                    cell.text.push_str(text);
                }
                continue;
            }
            last = Some(c);
            cells.push(Cell {
                page: Some(page),
                ..Cell::new(r, c, 1, 1, text.clone())
            });
        }
    }
    Table {
        index: 0,
        sheet: None,
        rows: rows.len(),
        cols: starts.len().max(1),
        cells,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognizes_the_header() {
        assert!(is_pdf(b"%PDF-1.7\n"));
        assert!(is_pdf(b"\xef\xbb\xbf%PDF-1.4\n%%EOF\n"));
        assert!(!is_pdf("说明：%PDF- 是 PDF 文件的开头".as_bytes()));
        assert!(!is_pdf(b"PK\x03\x04"));
    }

    #[test]
    fn clusters_positions() {
        assert_eq!(
            cluster(vec![100, 150, 5000, 5100, 9000]),
            vec![125, 5050, 9000]
        );
        assert_eq!(line_of(&[125, 5050, 9000], 5200), Some(1));
        assert_eq!(line_of(&[125, 5050, 9000], 7000), None);
    }

    #[test]
    fn a_missing_rule_merges_cells() {
        // Two rows, two columns; the first row has no rule between its columns.
        let h = |at| Rule {
            horizontal: true,
            at,
            a: 0,
            b: 2000,
        };
        let v = |at, a, b| Rule {
            horizontal: false,
            at,
            a,
            b,
        };
        let rules = [
            h(0),
            h(1000),
            h(2000),
            v(0, 0, 2000),
            v(2000, 0, 2000),
            v(1000, 1000, 2000),
        ];
        let t = Ruled::new(&rules).unwrap();
        assert_eq!(t.cells(), vec![(0, 0, 1, 2), (1, 0, 1, 1), (1, 1, 1, 1)]);
    }
}
