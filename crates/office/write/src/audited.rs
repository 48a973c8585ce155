//! What the audit report writers (HTML page, Excel workbook) take for each file.

use jixiao_core::audit::Finding;

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
    pub summaries: &'a [jixiao_core::audit::FormSummary],
}
