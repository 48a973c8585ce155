//! Legacy binary Office files (.doc, .xls, .wps, .et) and encrypted OOXML, which share the
//! OLE compound-file container. Workbooks (.xls, .et) are read by calamine; documents (.doc,
//! .wps) are converted by LibreOffice when it is installed; encrypted files are refused with a
//! clear message.

use std::path::PathBuf;
use std::process::{Command, Stdio};

use super::ooxml;
use super::workbook::{self, Workbook};
use jixiao_grid::Document;
use jixiao_grid::error::{ErrorKind, ImportError};
use jixiao_grid::limits::Limits;

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

/// Reads a legacy file: a workbook (it carries a `Workbook` or `Book` stream) by calamine,
/// anything else as a document converted by LibreOffice.
pub(super) fn read(file: &str, bytes: &[u8], limits: &Limits) -> Result<Document, ImportError> {
    let stream =
        |name: &str| -> Vec<u8> { name.encode_utf16().flat_map(u16::to_le_bytes).collect() };
    let (workbook, book) = (stream("Workbook"), stream("Book\0"));
    let is_sheet = bytes
        .windows(workbook.len())
        .any(|w| w == workbook.as_slice())
        || bytes.windows(book.len()).any(|w| w == book.as_slice());
    if is_sheet {
        workbook::read(file, bytes, Workbook::Xls, None, limits)
    } else {
        convert_document(file, bytes, limits)
    }
}

/// Converts a legacy document with LibreOffice to .docx and reads that. The
/// conversion runs in a private temporary folder (removed afterwards, also on failure) with
/// its own LibreOffice profile, and is killed when it takes longer than
/// [`Limits::convert_timeout`].
fn convert_document(file: &str, bytes: &[u8], limits: &Limits) -> Result<Document, ImportError> {
    let fail = |kind| ImportError {
        file: file.to_string(),
        kind,
    };
    let Some(soffice) = soffice().filter(|_| limits.convert_legacy) else {
        return Err(fail(ErrorKind::NeedsLibreOffice));
    };
    let (ext, target) = ("doc", "docx");
    let io = |e: std::io::Error| ImportError {
        file: file.to_string(),
        kind: ErrorKind::Io {
            reason: jixiao_grid::error::io_reason(&e),
        },
    };
    // Private (0700), unique, and removed when dropped.
    let dir = tempfile::Builder::new()
        .prefix("jixiao-convert-")
        .tempdir()
        .map_err(io)?;
    let input = dir.path().join(format!("input.{ext}"));
    std::fs::write(&input, bytes).map_err(io)?;
    let log = std::fs::File::create(dir.path().join("soffice.log")).map_err(io)?;
    let mut child = Command::new(soffice)
        .arg("--headless")
        .arg("--norestore")
        .arg(format!(
            "-env:UserInstallation=file://{}",
            dir.path().join("profile").display()
        ))
        .args(["--convert-to", target, "--outdir"])
        .arg(dir.path())
        .arg(&input)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(log)
        .spawn()
        .map_err(|e| {
            fail(ErrorKind::ConversionFailed {
                reason: format!(
                    "无法启动 LibreOffice：{}",
                    jixiao_grid::error::io_reason(&e)
                ),
            })
        })?;
    let status = wait(&mut child, limits.convert_timeout).map_err(io)?;
    let Some(status) = status else {
        return Err(fail(ErrorKind::ConversionFailed {
            reason: format!(
                "超过{}秒未完成，已终止转换；请在 Office/WPS 中另存为 .{target} 后导入",
                limits.convert_timeout.as_secs()
            ),
        }));
    };
    let converted = dir.path().join(format!("input.{target}"));
    if !converted.is_file() {
        let log = std::fs::read_to_string(dir.path().join("soffice.log")).unwrap_or_default();
        return Err(fail(ErrorKind::ConversionFailed {
            reason: format!(
                "LibreOffice 未生成 .{target}（退出状态 {}）{}",
                status.code().map_or("—".into(), |c| c.to_string()),
                log.lines()
                    .last()
                    .map(|l| format!("：{l}"))
                    .unwrap_or_default()
            ),
        }));
    }
    let b = std::fs::read(&converted).map_err(io)?;
    let mut doc = ooxml::read(file, &b, limits)?;
    doc.warnings.push(format!(
        "旧版二进制文件（.{ext} 类），已经 LibreOffice 转换为 .{target} 后读取"
    ));
    Ok(doc)
}

/// Waits for `child` at most `timeout`; past it the process is killed and reaped, and `None`
/// is returned.
fn wait(
    child: &mut std::process::Child,
    timeout: std::time::Duration,
) -> std::io::Result<Option<std::process::ExitStatus>> {
    let start = std::time::Instant::now();
    loop {
        if let Some(status) = child.try_wait()? {
            return Ok(Some(status));
        }
        if start.elapsed() >= timeout {
            // Already gone between the two calls is fine; it is reaped either way.
            let _ = child.kill();
            child.wait()?;
            return Ok(None);
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_process_past_its_time_is_killed() {
        let mut child = Command::new("sleep").arg("30").spawn().unwrap();
        let start = std::time::Instant::now();
        let status = wait(&mut child, std::time::Duration::from_millis(200)).unwrap();
        assert!(status.is_none());
        assert!(start.elapsed() < std::time::Duration::from_secs(5));
        // Killed and reaped: nothing left to wait for.
        assert!(child.try_wait().unwrap().is_some());
        let mut quick = Command::new("true").spawn().unwrap();
        let status = wait(&mut quick, std::time::Duration::from_secs(10)).unwrap();
        assert!(status.is_some_and(|s| s.success()));
    }
}
