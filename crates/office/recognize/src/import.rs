//! Importing a file: form JSON is read as it is; a 一体化 zip (the 规范表 as CSV,
//! `jixiao-yitihua`) is read table by table, without the document recognizers; any other file is
//! read into a document (`jixiao-read`: Word, Excel, web pages, text, PDF; legacy formats through
//! LibreOffice) and its forms recognized. Untrusted files are bounded by [`Limits`]; every failure is an
//! [`ImportError`] naming the file and the problem.

use jixiao_grid::{ErrorKind, ImportError, Limits};

use crate::{Import, Recognized, json, recognize};

/// Reads `bytes` (the content of `file`) and recognizes the forms in it. Form JSON (a `.json`
/// file: a form, an array of forms, or an earlier import's JSON) is read as it is, and so is a
/// 一体化 zip (recognized by its CSV entries' names: `PM_PERF_GOAL_INFO.csv` …).
pub fn import(file: &str, bytes: &[u8], limits: &Limits) -> Result<Import, ImportError> {
    if json::is_json(file) {
        if bytes.len() as u64 > limits.max_file_bytes {
            return Err(ImportError {
                file: file.to_string(),
                kind: ErrorKind::FileTooLarge {
                    size: bytes.len() as u64,
                    limit: limits.max_file_bytes,
                },
            });
        }
        return Ok(as_they_are(
            file,
            jixiao_grid::Format::Json,
            json::forms(file, bytes)?,
        ));
    }
    // A .zip is only ever an exchange here: one that is not says so (no 规范表 in it), rather
    // than being read as a damaged Office file.
    let zip_name = file
        .rsplit_once('.')
        .is_some_and(|(_, ext)| ext.eq_ignore_ascii_case("zip"));
    if zip_name || jixiao_yitihua::is_exchange(bytes) {
        return yitihua(file, bytes, limits);
    }
    jixiao_read::read(file, bytes, limits).map(|doc| recognize(&doc))
}

/// The forms of a 一体化 zip, each located in the file.
fn yitihua(file: &str, bytes: &[u8], limits: &Limits) -> Result<Import, ImportError> {
    use jixiao_yitihua::ReadErrorKind as K;
    let forms = jixiao_yitihua::read(file, bytes, limits).map_err(|e| ImportError {
        file: file.to_string(),
        kind: match e.kind {
            K::FileTooLarge { size, limit } => ErrorKind::FileTooLarge { size, limit },
            K::InflatesTooMuch { limit, .. } => ErrorKind::InflatesTooMuch { limit },
            other => ErrorKind::Corrupt {
                format: "一体化规范表压缩包（.zip）",
                reason: other.to_string(),
            },
        },
    })?;
    Ok(as_they_are(file, jixiao_grid::Format::Yitihua, forms))
}

/// Forms read as they are (form JSON, a 一体化 zip): each located at the file, nothing
/// recognized around them.
fn as_they_are(
    file: &str,
    format: jixiao_grid::Format,
    forms: Vec<jixiao_core::form::Form>,
) -> Import {
    let location = jixiao_core::source::Location {
        file: file.into(),
        ..Default::default()
    };
    Import {
        file: file.to_string(),
        format,
        forms: forms
            .into_iter()
            .map(|form| Recognized {
                form,
                location: location.clone(),
                provenance: Default::default(),
                uncertain: Vec::new(),
            })
            .collect(),
        unrecognized: Vec::new(),
        warnings: Vec::new(),
    }
}
