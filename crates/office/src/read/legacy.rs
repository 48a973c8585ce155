//! Legacy binary Office files (.doc, .xls, .wps, .et) and encrypted OOXML, which share the
//! OLE compound-file container. Legacy files are converted by LibreOffice when it is
//! installed; encrypted ones are refused with a clear message.

use std::path::PathBuf;
use std::process::Command;

use super::package;
use crate::error::{ErrorKind, ImportError};
use crate::grid::Document;
use crate::limits::Limits;

/// True for an OLE container holding an encrypted OOXML package (a password-protected .xlsx
/// or .docx): its directory names the `EncryptionInfo` stream (in UTF-16).
pub(super) fn is_encrypted_ooxml(bytes: &[u8]) -> bool {
    let needle: Vec<u8> = "EncryptionInfo"
        .encode_utf16()
        .flat_map(|u| u.to_le_bytes())
        .collect();
    bytes.windows(needle.len()).any(|w| w == needle.as_slice())
}

fn soffice() -> Option<PathBuf> {
    ["soffice", "libreoffice"].iter().find_map(|name| {
        std::env::var_os("PATH")?
            .to_str()?
            .split(':')
            .map(|dir| PathBuf::from(dir).join(name))
            .find(|p| p.is_file())
    })
}

/// Converts a legacy file with LibreOffice (to .docx or .xlsx by its kind) and reads that.
pub(super) fn convert_and_read(
    file: &str,
    bytes: &[u8],
    limits: &Limits,
) -> Result<Document, ImportError> {
    let fail = |kind| ImportError {
        file: file.to_string(),
        kind,
    };
    let Some(soffice) = soffice().filter(|_| limits.convert_legacy) else {
        return Err(fail(ErrorKind::NeedsLibreOffice));
    };
    // Workbooks carry a "Workbook"/"Book" stream; everything else is taken as a document.
    let workbook_stream: Vec<u8> = "Workbook"
        .encode_utf16()
        .flat_map(|u| u.to_le_bytes())
        .collect();
    let is_sheet = bytes
        .windows(workbook_stream.len())
        .any(|w| w == workbook_stream.as_slice());
    let (ext, target) = if is_sheet {
        ("xls", "xlsx")
    } else {
        ("doc", "docx")
    };
    let dir = std::env::temp_dir().join(format!(
        "jixiao-convert-{}-{}",
        std::process::id(),
        unique()
    ));
    let io = |e: std::io::Error| ImportError {
        file: file.to_string(),
        kind: ErrorKind::Io {
            reason: e.to_string(),
        },
    };
    std::fs::create_dir_all(&dir).map_err(io)?;
    let input = dir.join(format!("input.{ext}"));
    std::fs::write(&input, bytes).map_err(io)?;
    let output = Command::new(soffice)
        .arg("--headless")
        .arg(format!(
            "-env:UserInstallation=file://{}",
            dir.join("profile").display()
        ))
        .args(["--convert-to", target, "--outdir"])
        .arg(&dir)
        .arg(&input)
        .output();
    let converted = dir.join(format!("input.{target}"));
    let result = match output {
        Ok(_) if converted.is_file() => std::fs::read(&converted)
            .map_err(io)
            .and_then(|b| package::read(file, &b, limits))
            .map(|mut doc| {
                doc.warnings.push(format!(
                    "旧版二进制文件（.{ext} 类），已经 LibreOffice 转换为 .{target} 后读取"
                ));
                doc
            }),
        Ok(o) => Err(fail(ErrorKind::ConversionFailed {
            reason: String::from_utf8_lossy(&o.stderr).trim().to_string(),
        })),
        Err(e) => Err(fail(ErrorKind::ConversionFailed {
            reason: e.to_string(),
        })),
    };
    let _ = std::fs::remove_dir_all(&dir);
    result
}

fn unique() -> u64 {
    use std::sync::atomic::{AtomicU64, Ordering};
    static NEXT: AtomicU64 = AtomicU64::new(0);
    NEXT.fetch_add(1, Ordering::Relaxed)
}
