//! An Office Open XML package read as what it holds: a Word document or an Excel workbook.

use super::package::Package;
use super::{docx, xlsx};
use jixiao_grid::Document;
use jixiao_grid::error::{ErrorKind, ImportError};
use jixiao_grid::limits::Limits;

/// Reads a .docx or .xlsx package.
pub(super) fn read(file: &str, bytes: &[u8], limits: &Limits) -> Result<Document, ImportError> {
    let mut package = Package::open(file, bytes, limits)?;
    if package.has("word/document.xml") {
        docx::read(&mut package, limits)
    } else if package.has("xl/workbook.xml") {
        xlsx::read(&mut package, limits)
    } else if package.has("EncryptedPackage") {
        Err(package.error(ErrorKind::Encrypted))
    } else {
        Err(package.error(ErrorKind::Corrupt {
            format: "Office 文件",
            reason: "压缩包中既没有 word/document.xml 也没有 xl/workbook.xml".into(),
        }))
    }
}
