//! # jixiao-read
//!
//! Readers: bytes of a file → [`Document`]. The format is decided by content, not by the
//! file name; a name that disagrees is reported as a warning. Scans (images, PDFs without a
//! text layer) are read by character recognition (`jixiao-ocr`).

mod docx;
mod html;
mod legacy;
mod number_format;
mod ooxml;
mod package;
mod pdf;
mod text;
mod workbook;
mod xml;

pub use pdf::THREAD as PDF_THREAD;

use jixiao_grid::error::{ErrorKind, ImportError};
use jixiao_grid::limits::Limits;
use jixiao_grid::{Document, Format};

/// What the first bytes say a file is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Sniffed {
    Zip,
    Ole,
    Pdf,
    Image,
    Html,
    Text,
    Binary,
}

fn sniff(bytes: &[u8]) -> Sniffed {
    if bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(b"PK\x05\x06") {
        return Sniffed::Zip;
    }
    if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) {
        return Sniffed::Ole;
    }
    if pdf::is_pdf(bytes) {
        return Sniffed::Pdf;
    }
    if jixiao_ocr::is_image(bytes) {
        return Sniffed::Image;
    }
    let head = &bytes[..bytes.len().min(4096)];
    // Control characters other than tab, CR, LF, FF and ESC are not text.
    let controls = head
        .iter()
        .filter(|&&b| b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r' | 0x0C | 0x1B))
        .count();
    if controls > 0 {
        return Sniffed::Binary;
    }
    let lower: String = String::from_utf8_lossy(head).to_lowercase();
    if lower.contains("<html") || lower.contains("<table") || lower.contains("<!doctype html") {
        Sniffed::Html
    } else {
        Sniffed::Text
    }
}

/// The extension of `file`, lowercase, without the dot.
fn extension(file: &str) -> String {
    file.rsplit_once('.')
        .map(|(_, e)| e.to_lowercase())
        .unwrap_or_default()
}

/// Reads `bytes` (the content of `file`) into a document.
pub fn read(file: &str, bytes: &[u8], limits: &Limits) -> Result<Document, ImportError> {
    let fail = |kind| ImportError {
        file: file.to_string(),
        kind,
    };
    if bytes.is_empty() {
        return Err(fail(ErrorKind::Empty));
    }
    if bytes.len() as u64 > limits.max_file_bytes {
        return Err(fail(ErrorKind::FileTooLarge {
            size: bytes.len() as u64,
            limit: limits.max_file_bytes,
        }));
    }
    let ext = extension(file);
    let sniffed = sniff(bytes);
    // A legacy document is read from what LibreOffice made of it: its extension is expected.
    let converted = sniffed == Sniffed::Ole;
    let mut doc = match sniffed {
        Sniffed::Zip => ooxml::read(file, bytes, limits)?,
        Sniffed::Ole => {
            if legacy::is_encrypted_ooxml(bytes) {
                return Err(fail(ErrorKind::Encrypted));
            }
            legacy::read(file, bytes, limits)?
        }
        // A PDF whose pages are only images is a scan: read by character recognition.
        Sniffed::Pdf => match pdf::read(file, bytes, limits) {
            Err(ImportError {
                kind: ErrorKind::NoTextLayer,
                ..
            }) => jixiao_ocr::read_pdf(file, bytes, limits)?,
            other => other?,
        },
        Sniffed::Image => jixiao_ocr::read_image(file, bytes, limits)?,
        Sniffed::Html => html::read(file, &text::decode(bytes), limits)?,
        Sniffed::Text => {
            let text = text::decode(bytes);
            // Text without tabs may be a table flattened by extraction.
            match (!text.contains('\t'))
                .then(|| jixiao_flat::read(file, &text, limits))
                .transpose()?
                .flatten()
            {
                Some(doc) => doc,
                None => text::read(file, &text, limits)?,
            }
        }
        Sniffed::Binary => return Err(fail(ErrorKind::Unsupported)),
    };
    for table in doc.tables() {
        table.check(limits).map_err(|kind| ImportError {
            file: file.to_string(),
            kind,
        })?;
    }
    let expected: &[&str] = match doc.format {
        Format::Docx => &["docx", "docm", "dotx", "doc", "wps"],
        Format::Xlsx => &["xlsx", "xlsm", "xlsb", "xls", "et", "ods"],
        Format::Html => &["html", "htm", "xhtml", "mht"],
        Format::Text => &["txt", "text", "csv", "tsv", ""],
        Format::Json => &["json"],
        Format::Pdf => &["pdf"],
        Format::Scan => &["pdf", "png", "jpg", "jpeg"],
        Format::Yitihua => &["zip"],
    };
    if !converted && !expected.contains(&ext.as_str()) {
        doc.warnings.push(format!(
            "文件扩展名为“.{ext}”，但内容是{}，已按内容读取",
            doc.format.name()
        ));
    }
    Ok(doc)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sniffs_by_content() {
        assert_eq!(sniff(b"PK\x03\x04rest"), Sniffed::Zip);
        assert_eq!(sniff(b"<!DOCTYPE html><html>"), Sniffed::Html);
        assert_eq!(sniff("\t项目名称\n".as_bytes()), Sniffed::Text);
        assert_eq!(sniff(b"\x00\x01\x02garbage"), Sniffed::Binary);
        assert_eq!(sniff(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n"), Sniffed::Pdf);
        assert_eq!(sniff(b"\x89PNG\r\n\x1a\n\x00\x00"), Sniffed::Image);
        assert_eq!(sniff(b"\xff\xd8\xff\xe0\x00\x10JFIF"), Sniffed::Image);
        assert_eq!(extension("a/b/Seed.DOCX"), "docx");
    }
}
