//! A zip-based office file read as what it holds: a Word document, an Excel workbook (.xlsx,
//! .xlsb) or an OpenDocument spreadsheet (.ods).

use super::docx;
use super::package::Package;
use super::workbook::{self, Workbook};
use jixiao_grid::Document;
use jixiao_grid::error::{ErrorKind, ImportError};
use jixiao_grid::limits::Limits;

/// Reads a .docx, .xlsx, .xlsb or .ods package.
pub(super) fn read(file: &str, bytes: &[u8], limits: &Limits) -> Result<Document, ImportError> {
    let mut package = Package::open(file, bytes, limits)?;
    let sheet = |kind, package| workbook::read(file, bytes, kind, Some(package), limits);
    if package.has("word/document.xml") {
        docx::read(&mut package, limits)
    } else if package.has("xl/workbook.xml") {
        sheet(Workbook::Xlsx, &mut package)
    } else if package.has("xl/workbook.bin") {
        sheet(Workbook::Xlsb, &mut package)
    } else if package.has("content.xml") && is_ods(&mut package)? {
        sheet(Workbook::Ods, &mut package)
    } else if package.has("EncryptedPackage") {
        Err(package.error(ErrorKind::Encrypted))
    } else {
        Err(package.error(ErrorKind::Corrupt {
            format: "Office 文件",
            reason:
                "压缩包中既没有 word/document.xml，也没有 xl/workbook.xml 或 OpenDocument 电子表格"
                    .into(),
        }))
    }
}

/// True when the package's `mimetype` names an OpenDocument spreadsheet.
fn is_ods(package: &mut Package<'_>) -> Result<bool, ImportError> {
    Ok(package
        .part("mimetype", "OpenDocument 文件")?
        .is_some_and(|m| m.trim() == "application/vnd.oasis.opendocument.spreadsheet"))
}
