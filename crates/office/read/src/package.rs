//! Office Open XML packages (.docx) read part by part through the one bounded zip reader
//! ([`jixiao_grid::BoundedZip`]), so a zip bomb stops early with a clear error.

use jixiao_grid::error::{ErrorKind, ImportError};
use jixiao_grid::limits::Limits;
use jixiao_grid::{BoundedZip, ZipFault};

/// The most entries an Office package may have: far above any real one.
const MAX_ENTRIES: usize = 10_000;

/// An opened package with a running budget of inflated bytes.
pub(super) struct Package<'a> {
    file: &'a str,
    zip: BoundedZip<'a>,
    limits: &'a Limits,
}

/// What a bounded-zip fault means for an imported file.
pub(super) fn fault(format: &'static str, limits: &Limits, fault: ZipFault) -> ErrorKind {
    match fault {
        ZipFault::Encrypted { .. } => ErrorKind::Encrypted,
        ZipFault::EntryTooLarge { .. } | ZipFault::TotalTooLarge { .. } => {
            ErrorKind::InflatesTooMuch {
                limit: limits.max_part_bytes.min(limits.max_total_bytes),
            }
        }
        other => ErrorKind::Corrupt {
            format,
            reason: other.to_string(),
        },
    }
}

impl<'a> Package<'a> {
    /// Opens `bytes` as a package (only its directory is read).
    pub(super) fn open(
        file: &'a str,
        bytes: &'a [u8],
        limits: &'a Limits,
    ) -> Result<Package<'a>, ImportError> {
        let zip = BoundedZip::open(
            bytes,
            MAX_ENTRIES,
            limits.max_part_bytes,
            limits.max_total_bytes,
        )
        .map_err(|f| ImportError {
            file: file.to_string(),
            kind: fault("Office 文件（zip 压缩包）", limits, f),
        })?;
        Ok(Package { file, zip, limits })
    }

    /// The file name, for errors.
    pub(super) fn file(&self) -> &str {
        self.file
    }

    /// An error about this package.
    pub(super) fn error(&self, kind: ErrorKind) -> ImportError {
        ImportError {
            file: self.file.to_string(),
            kind,
        }
    }

    /// True when the package has a part of this name.
    pub(super) fn has(&self, name: &str) -> bool {
        self.zip.index_of(name).is_some()
    }

    /// Checks the parts' declared sizes against the limits before calamine reads the package
    /// itself (the zip crate never inflates a part past its declared size).
    pub(super) fn check_declared(&mut self, format: &'static str) -> Result<(), ImportError> {
        let limits = self.limits;
        self.zip
            .check_declared()
            .map_err(|f| self.error(fault(format, limits, f)))
    }

    /// Reads a part's bytes, or `None` if absent. Stops at the part and total limits.
    pub(super) fn part_bytes(
        &mut self,
        name: &str,
        format: &'static str,
    ) -> Result<Option<Vec<u8>>, ImportError> {
        let limits = self.limits;
        self.zip
            .read_named(name)
            .map_err(|f| self.error(fault(format, limits, f)))
    }

    /// Reads a part as UTF-8 text, or `None` if absent. Stops at the part and total limits.
    pub(super) fn part(
        &mut self,
        name: &str,
        format: &'static str,
    ) -> Result<Option<String>, ImportError> {
        let Some(bytes) = self.part_bytes(name, format)? else {
            return Ok(None);
        };
        String::from_utf8(bytes).map(Some).map_err(|_| {
            self.error(ErrorKind::Corrupt {
                format,
                reason: format!("“{name}”不是 UTF-8 文本"),
            })
        })
    }
}
