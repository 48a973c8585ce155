//! # jixiao-ocr
//!
//! Scans → [`Document`]: an image (.png, .jpg) or a PDF whose pages are only images is read
//! by optical character recognition, and the tables of the page are rebuilt from its ruling
//! lines, so that the recognizers read a scanned form as they read a Word file.
//!
//! For each page: the image is decoded in gray (a PDF page rasterised by poppler's `pdftoppm`
//! at 150 dpi), its skew (up to 3°) is measured from the rows of ink and straightened, the
//! horizontal and vertical ruling lines are found as runs of dark pixels, and [`rebuild`]
//! makes tables of them. Each table cell is cropped inside its rules and every crop of the
//! page, with the rest of the page (tables painted out), goes to one tesseract run
//! (`-l chi_sim`, TSV output) that recognizes the words with their boxes and confidences.
//! Each word goes back to the cell holding its centre; every cell keeps its page, its box and
//! its mean word confidence ([`jixiao_grid::Scanned`]), and a cell read with a confidence
//! below 60 needs confirmation.
//!
//! Every external program runs in a private temporary folder and is killed past
//! [`Limits::ocr_page_timeout`]; pages ([`Limits::max_ocr_pages`]) and pixels
//! ([`Limits::max_ocr_pixels`]) are bounded; without tesseract, its Chinese data or poppler
//! the error says what to install ([`ErrorKind::NeedsOcr`]).
//!
//! - [`page`] — the gray page image: decoding, skew, straightening, rules, erasing them.
//! - [`engine`] — tesseract, pdfinfo and pdftoppm as bounded subprocesses.
//! - [`rebuild`] — rules and words → tables and paragraphs (pure, fuzzed).
//! - [`vocabulary`] — the recognizer's usual slips in labels and figures repaired, figures
//!   marked for confirmation.

// Page geometry (skew angles, pixel positions, word confidences) is measured in floating
// point; no amount passes through this crate: figures leave it as the text that was read.
#![allow(clippy::float_arithmetic)]

pub mod engine;
pub mod page;
pub mod rebuild;
pub mod vocabulary;

use jixiao_grid::{Block, Document, ErrorKind, Format, ImportError, Limits};

use page::PageImage;
use rebuild::{Bounds, PageContent};

/// The resolution PDF pages are rasterised at.
pub const PDF_DPI: u32 = 150;

/// The largest skew corrected, in degrees.
pub const MAX_SKEW_DEGREES: f32 = 3.0;

/// True when `bytes` start like a PNG or a JPEG file.
pub fn is_image(bytes: &[u8]) -> bool {
    bytes.starts_with(b"\x89PNG\r\n\x1a\n") || bytes.starts_with(&[0xFF, 0xD8, 0xFF])
}

/// Reads an image file (PNG or JPEG) of one page.
pub fn read_image(file: &str, bytes: &[u8], limits: &Limits) -> Result<Document, ImportError> {
    let fail = |kind| ImportError {
        file: file.to_string(),
        kind,
    };
    if !limits.ocr {
        return Err(fail(ErrorKind::OcrOff));
    }
    let image = PageImage::decode(bytes, limits.max_ocr_pixels).map_err(|reason| {
        fail(ErrorKind::Corrupt {
            format: "图片",
            reason,
        })
    })?;
    // A scan's resolution is not known: taken from its width as if it were an A4 page.
    let dpi = (image.width.min(image.height) as f32 / 8.27).round() as u32;
    let dpi = dpi.clamp(72, 600);
    let dir = scratch().map_err(fail)?;
    let blocks = read_page(1, image, dpi, dir.path(), limits).map_err(fail)?;
    jixiao_grid::progress::page_done(1, 1);
    Ok(document(file, vec![blocks]))
}

/// Reads a PDF whose pages hold no text: each page rasterised and recognized.
pub fn read_pdf(file: &str, bytes: &[u8], limits: &Limits) -> Result<Document, ImportError> {
    let fail = |kind| ImportError {
        file: file.to_string(),
        kind,
    };
    if !limits.ocr {
        return Err(fail(ErrorKind::OcrOff));
    }
    let dir = scratch().map_err(fail)?;
    let pdf = dir.path().join("scan.pdf");
    std::fs::write(&pdf, bytes).map_err(|e| {
        fail(ErrorKind::Io {
            reason: jixiao_grid::io_reason(&e),
        })
    })?;
    let sizes = engine::page_sizes(&pdf, limits.max_ocr_pages + 1, limits.ocr_page_timeout)
        .map_err(fail)?;
    if sizes.is_empty() {
        return Err(fail(ErrorKind::OcrFailed {
            reason: "PDF 中没有可读取的页面".into(),
        }));
    }
    jixiao_grid::within(sizes.len(), limits.max_ocr_pages, "扫描件的页数").map_err(fail)?;
    let mut pages = Vec::new();
    for (i, &(w, h)) in sizes.iter().enumerate() {
        let number = i + 1;
        let pixels = (w / 72.0 * PDF_DPI as f32) as u64 * (h / 72.0 * PDF_DPI as f32) as u64;
        if pixels > limits.max_ocr_pixels {
            return Err(fail(ErrorKind::OcrFailed {
                reason: format!(
                    "第{number}页过大（{w}×{h} 磅，按 {PDF_DPI} dpi 为 {pixels} 像素，上限 {}）",
                    limits.max_ocr_pixels
                ),
            }));
        }
        let path = engine::rasterize(&pdf, number, PDF_DPI, dir.path(), limits.ocr_page_timeout)
            .map_err(fail)?;
        let bytes = std::fs::read(&path).map_err(|e| {
            fail(ErrorKind::Io {
                reason: jixiao_grid::io_reason(&e),
            })
        })?;
        let _ = std::fs::remove_file(&path);
        let image = PageImage::from_pgm(&bytes, limits.max_ocr_pixels).map_err(|reason| {
            fail(ErrorKind::OcrFailed {
                reason: format!("第{number}页：{reason}"),
            })
        })?;
        pages.push(read_page(number, image, PDF_DPI, dir.path(), limits).map_err(fail)?);
        jixiao_grid::progress::page_done(number, sizes.len());
    }
    Ok(document(file, pages))
}

fn scratch() -> Result<tempfile::TempDir, ErrorKind> {
    tempfile::Builder::new()
        .prefix("jixiao-ocr-")
        .tempdir()
        .map_err(|e| ErrorKind::Io {
            reason: jixiao_grid::io_reason(&e),
        })
}

/// One page image → its blocks: straightened, rules found and erased, words recognized.
fn read_page(
    number: usize,
    image: PageImage,
    dpi: u32,
    dir: &std::path::Path,
    limits: &Limits,
) -> Result<Vec<Block>, ErrorKind> {
    let skew = image.skew(MAX_SKEW_DEGREES);
    let plain = image.straightened(skew);
    let rules = plain.rules(dpi / 4);
    let bounds = Bounds {
        max_lines: limits.max_rows.min(limits.max_cols),
        ..Bounds::default()
    };
    // Below 300 dpi the words are read from the page enlarged, their boxes scaled back.
    let factor = if dpi < 250 { 2 } else { 1 };
    // Each table cell is read on its own (a line of one cell never runs into the next cell's),
    // the rest of the page with the tables painted out; all in one run of the recognizer.
    let (tables, cells) = rebuild::table_boxes(&rules, dpi, &bounds);
    // Outside the tables only long rules are erased (an underline, a table's stray edge): a
    // short "rule" there is the strokes of a line of characters run together.
    let mut rest = plain.clone();
    let long: Vec<rebuild::Rule> = rules
        .iter()
        .filter(|r| r.to - r.from >= dpi)
        .copied()
        .collect();
    rest.erase(&long);
    // A table is painted out with its outer rules' thickness and halo.
    let edge = dpi / 25;
    for &[l, t, r, b] in &tables {
        rest.whiten([
            l.saturating_sub(edge),
            t.saturating_sub(edge),
            r + edge,
            b + edge,
        ]);
    }
    let pad = dpi / 15;
    // Fewer ink pixels than a short stroke (a "1" has about 40 at 150 dpi) is a speck.
    let speck = dpi as usize / 6;
    let mut offsets: Vec<(u32, u32)> = vec![(0, 0)];
    let mut paths = vec![dir.join(format!("page{number}-rest.pgm"))];
    let mut images = vec![rest.enlarged(factor)];
    for cell in cells {
        let inner = plain.inside_rules(cell);
        if inner[0] >= inner[2] || inner[1] >= inner[3] || plain.ink(inner) < speck {
            continue;
        }
        offsets.push((inner[0].saturating_sub(pad), inner[1].saturating_sub(pad)));
        paths.push(dir.join(format!("page{number}-cell{}.pgm", paths.len())));
        images.push(plain.crop(inner, pad).enlarged(factor));
    }
    for (path, image) in paths.iter().zip(&images) {
        std::fs::write(path, image.to_pgm()).map_err(|e| ErrorKind::Io {
            reason: jixiao_grid::io_reason(&e),
        })?;
    }
    drop(images);
    let read = engine::recognize_each(&paths, dpi * factor, limits.ocr_page_timeout, number);
    for path in &paths {
        let _ = std::fs::remove_file(path);
    }
    let mut words = Vec::new();
    for (i, (image_words, (dx, dy))) in read?.into_iter().zip(offsets).enumerate() {
        for mut w in image_words {
            w.left = w.left / factor + dx;
            w.top = w.top / factor + dy;
            w.width /= factor;
            w.height /= factor;
            if i > 0 {
                // A cell's lines are its own, never joined with the page's paragraphs.
                w.line = (u32::MAX - i as u32, w.line.1, w.line.2);
            }
            words.push(w);
        }
    }
    let content = PageContent {
        page: number,
        width: image.width,
        height: image.height,
        dpi,
        rules,
        words,
    };
    Ok(rebuild::rebuild(&content, &bounds))
}

/// The pages' blocks as one document, paragraphs and tables numbered in order.
fn document(file: &str, pages: Vec<Vec<Block>>) -> Document {
    let mut paragraph = 0;
    let slots = pages
        .into_iter()
        .flatten()
        .map(|mut b| {
            if let Block::Paragraph(p) = &mut b {
                p.index = paragraph;
                paragraph += 1;
            }
            Some(b)
        })
        .collect();
    let mut doc = Document::from_slots(file, Format::Scan, slots, Vec::new());
    let uncertain = doc
        .tables()
        .flat_map(|t| &t.cells)
        .filter(|c| c.scan.as_deref().is_some_and(|s| s.needs_confirmation()))
        .count();
    doc.warnings.push(format!(
        "扫描件，已经文字识别（OCR）读取；识别结果请与原件核对{}",
        if uncertain > 0 {
            format!("，其中{uncertain}个单元格识别把握不大，需确认")
        } else {
            String::new()
        }
    ));
    doc
}
