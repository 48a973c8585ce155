//! # jixiao-write
//!
//! Writers: forms as Excel, Word and HTML (PDF: `jixiao-pdf`, from the same `Paper`) in their standard layouts, official documents
//! in the GB/T 9704 layout, the audit report and evaluations as HTML pages and Excel lists.
//!
//! Layers, each using only those above it (no cycles): `markup` (escaping, OOXML zip),
//! `breaks` (where a line may break) and `sheet` (a form's layout as cells) → `columns`
//! (column widths from content) → `paper` (the document model: page and blocks) →
//! the form layouts (`declaration`, `catalog`, `monitoring`, `form`), the report
//! (`report`) and the department evaluation (`evaluation`) → the renderers (`xlsx`, `docx`, `html`; `jixiao-pdf` renders `Paper` too); `audited` is what the audit
//! report writers take.

mod audited;
mod breaks;
mod catalog;
mod columns;
mod declaration;
mod docx;
mod evaluation;
mod ex_ante;
mod form;
mod html;
mod markup;
mod monitoring;
mod paper;
mod report;
mod sheet;
mod template;
mod transfer;
mod xlsx;

pub use audited::AuditedFile;
pub use breaks::{
    NO_LINE_END, NO_LINE_START, SIGNS, UNIT_CHARS, latin, may_break_before, widest_piece,
};
pub use catalog::{base_data_sheet, evaluation_table_sheet, project_list_sheet};
pub use columns::{em_width, fit_columns};
pub use declaration::{department_target_sheet, project_target_sheet};
pub use evaluation::EvaluationDocument;
pub use form::{form_sheets, forms_document, forms_docx, forms_xlsx, self_evaluation_sheet};
pub use html::{audit_html, evaluation_html, forms_html};
pub use monitoring::monitoring_sheet;
pub use paper::{Align, Block, Font, Grid, Page, Paper, loose_style, mm, signature_indents, size};
pub use report::{report_document, report_docx};
pub use sheet::{Input, Loose, Regions, Sheet, Style};
pub use template::{template_docx, template_sheet, template_xlsx};
pub use xlsx::{Workbook, audit_xlsx};
