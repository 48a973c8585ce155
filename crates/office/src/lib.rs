//! # jixiao-office
//!
//! Reads the forms people already have — Word (.docx), Excel (.xlsx, WPS too), web pages
//! (.html) and text extracted from Word or PDF (.txt); legacy .doc/.xls/.wps/.et through
//! LibreOffice when installed — into one neutral [`grid::Document`], then recognizes the
//! typed forms of `jixiao-core` in it, each value with the [`Location`] it came from.
//!
//! Untrusted files are bounded by [`Limits`]: file size, inflated size (zip bombs), rows,
//! columns, cells, text length and nesting. Every failure is an [`ImportError`] naming the
//! file and the problem; nothing panics and nothing is dropped silently.
//!
//! [`Location`]: jixiao_core::source::Location

pub mod batch;
pub mod error;
pub mod grid;
pub mod json;
pub mod limits;
pub mod read;
pub mod recognize;

pub use error::{ErrorKind, ImportError};
pub use limits::Limits;
pub use read::read;
pub use recognize::{Import, Recognized, Unrecognized, recognize};

/// Reads `bytes` (the content of `file`) and recognizes the forms in it. Form JSON (a `.json`
/// file: a form, an array of forms, or an earlier import's JSON) is read as it is.
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
        let location = jixiao_core::source::Location {
            file: file.into(),
            ..Default::default()
        };
        return Ok(Import {
            file: file.to_string(),
            format: grid::Format::Json,
            forms: json::forms(file, bytes)?
                .into_iter()
                .map(|form| Recognized {
                    form,
                    location: location.clone(),
                    provenance: Default::default(),
                })
                .collect(),
            unrecognized: Vec::new(),
            warnings: Vec::new(),
        });
    }
    read(file, bytes, limits).map(|doc| recognize(&doc))
}
pub mod write;
