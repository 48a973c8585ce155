//! Office Open XML packages (.docx, .xlsx): a zip archive read with bounds on every part and
//! on the total inflated size, so a zip bomb stops early with a clear error.

use std::io::{Cursor, Read};

use zip::ZipArchive;

use jixiao_grid::error::{ErrorKind, ImportError};
use jixiao_grid::limits::Limits;

/// An opened package with a running budget of inflated bytes.
pub(super) struct Package<'a> {
    file: &'a str,
    archive: ZipArchive<Cursor<&'a [u8]>>,
    limits: &'a Limits,
    inflated: u64,
}

impl<'a> Package<'a> {
    pub(super) fn open(
        file: &'a str,
        bytes: &'a [u8],
        limits: &'a Limits,
    ) -> Result<Package<'a>, ImportError> {
        let archive = ZipArchive::new(Cursor::new(bytes)).map_err(|e| ImportError {
            file: file.to_string(),
            kind: ErrorKind::Corrupt {
                format: "Office 文件（zip 压缩包）",
                reason: zip_reason(&e),
            },
        })?;
        Ok(Package {
            file,
            archive,
            limits,
            inflated: 0,
        })
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
        self.archive.index_for_name(name).is_some()
    }

    /// Reads a part as UTF-8 text, or `None` if absent. Stops at the part and total limits.
    pub(super) fn part(
        &mut self,
        name: &str,
        format: &'static str,
    ) -> Result<Option<String>, ImportError> {
        let Some(index) = self.archive.index_for_name(name) else {
            return Ok(None);
        };
        let limit = self
            .limits
            .max_part_bytes
            .min(self.limits.max_total_bytes.saturating_sub(self.inflated));
        let file = self.file;
        let entry = self.archive.by_index(index).map_err(|e| ImportError {
            file: file.to_string(),
            kind: ErrorKind::Corrupt {
                format,
                reason: format!("无法读取“{name}”：{}", zip_reason(&e)),
            },
        })?;
        if entry.encrypted() {
            return Err(ImportError {
                file: file.to_string(),
                kind: ErrorKind::Encrypted,
            });
        }
        // The declared size is only a hint (a hostile file may lie): the read below is bounded
        // by the limit whatever it says, and the reservation by 16 MiB; reserving spares the
        // copies of a growing buffer.
        let hint = entry.size().min(limit + 1).min(1 << 24);
        let mut bytes = Vec::with_capacity(usize::try_from(hint).unwrap_or(0));
        let read = entry
            .take(limit + 1)
            .read_to_end(&mut bytes)
            .map_err(|e| ImportError {
                file: file.to_string(),
                kind: ErrorKind::Corrupt {
                    format,
                    reason: format!("“{name}”已损坏：{e}"),
                },
            })?;
        if read as u64 > limit {
            return Err(self.error(ErrorKind::InflatesTooMuch {
                limit: self.limits.max_part_bytes.min(self.limits.max_total_bytes),
            }));
        }
        self.inflated += read as u64;
        String::from_utf8(bytes).map(Some).map_err(|_| ImportError {
            file: self.file.to_string(),
            kind: ErrorKind::Corrupt {
                format,
                reason: format!("“{name}”不是 UTF-8 文本"),
            },
        })
    }
}

fn zip_reason(e: &zip::result::ZipError) -> String {
    match e {
        zip::result::ZipError::InvalidArchive(_) | zip::result::ZipError::Io(_) => {
            format!("压缩包损坏或不完整（{e}）")
        }
        zip::result::ZipError::UnsupportedArchive(_) => format!("不支持的压缩方式（{e}）"),
        _ => e.to_string(),
    }
}
