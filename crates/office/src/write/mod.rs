//! Writers: forms as Excel and Word in their standard layouts, official documents in the
//! GB/T 9704 layout, the audit report and evaluations as HTML pages and an Excel list.

mod catalog;
mod declaration;
mod docx;
mod form;
mod html;
mod monitoring;
mod pdf;
mod report;
mod xlsx;

use jixiao_core::audit::Finding;

pub use catalog::{base_data_sheet, evaluation_table_sheet, project_list_sheet};
pub use declaration::{department_target_sheet, project_target_sheet};
pub use docx::{Align, Block, Docx, Font, Grid, Page, size};
pub use form::{form_sheets, forms_document, forms_docx, forms_xlsx, self_evaluation_sheet};
pub use html::{audit_html, evaluation_html, forms_html};
pub use monitoring::monitoring_sheet;
pub use pdf::{
    Font as PdfFont, FontError, Fonts, Pdf, Role as FontRole, database as font_database, font_dirs,
    render as pdf,
};
pub use report::{report_document, report_docx};
pub use xlsx::{Sheet, Style, Workbook, audit_xlsx};

/// An Office Open XML package (.docx, .xlsx): the named parts, deflated, in order.
fn package(parts: &[(String, String)]) -> Result<Vec<u8>, std::io::Error> {
    use std::io::Write;
    let mut cursor = std::io::Cursor::new(Vec::new());
    let mut zip = zip::ZipWriter::new(&mut cursor);
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    let io = |e: zip::result::ZipError| std::io::Error::other(e.to_string());
    for (name, body) in parts {
        zip.start_file(name.as_str(), options).map_err(io)?;
        zip.write_all(body.as_bytes())?;
    }
    zip.finish().map_err(io)?;
    Ok(cursor.into_inner())
}

/// One audited file, as the report writers take it.
#[derive(Debug, Clone, Copy)]
pub struct AuditedFile<'a> {
    /// The file.
    pub file: &'a str,
    /// Forms recognized.
    pub forms: usize,
    /// Findings.
    pub findings: &'a [Finding],
    /// Unrecognized content and import warnings.
    pub notes: &'a [String],
    /// The import error, if the file could not be read.
    pub error: Option<&'a str>,
    /// One line per form.
    pub summaries: &'a [crate::batch::FormSummary],
}
