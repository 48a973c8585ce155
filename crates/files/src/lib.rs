//! # jixiao-files
//!
//! Files in and out, the same for the web, the CLI and the benchmarks: the forms a file holds
//! (form JSON as in docs/forms.md — one form or an array — or any document the importer
//! reads), and forms or the self-evaluation report written as .docx, .xlsx, .html, PDF or JSON.
//! [`batch`] audits many files in parallel, one result per file; [`table`] reads a spreadsheet's
//! tables as rows of text (the payment system's export). No storage here: the app files
//! what these functions read.

pub mod batch;
pub mod table;

use jixiao_core::form::Form;
use jixiao_core::scoring::ScoringPolicy;
use jixiao_core::self_report::{Draft, ReportData, compose};
use jixiao_recognize::{Import, Limits};
use jixiao_write as write;
use serde::Serialize;

/// A file that could not be read or written.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FileError {
    /// The input is not what it should be (the message says what and where).
    #[error("{0}")]
    Invalid(String),
    /// The server could not write a file (its fault, never the input's).
    #[error("{0}")]
    Unwritable(String),
}

impl FileError {
    /// [`FileError::Unwritable`]: `what` could not be written as JSON, for `reason`.
    fn unwritable(what: &str, reason: impl std::fmt::Display) -> FileError {
        FileError::Unwritable(format!("{what}无法写成 JSON：{reason}"))
    }
}

/// An output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Format {
    /// Word.
    Docx,
    /// Excel.
    Xlsx,
    /// Web page.
    Html,
    /// PDF (rendered natively with embedded CJK fonts).
    Pdf,
    /// The forms' JSON (docs/forms.md).
    Json,
}

impl Format {
    /// The format of an extension or name, any case (`PDF`, `docx`).
    pub fn parse(text: &str) -> Option<Format> {
        match text.to_ascii_lowercase().as_str() {
            "docx" => Some(Format::Docx),
            "xlsx" => Some(Format::Xlsx),
            "html" | "htm" => Some(Format::Html),
            "pdf" => Some(Format::Pdf),
            "json" => Some(Format::Json),
            _ => None,
        }
    }

    /// The file extension.
    pub fn ext(self) -> &'static str {
        match self {
            Format::Docx => "docx",
            Format::Xlsx => "xlsx",
            Format::Html => "html",
            Format::Pdf => "pdf",
            Format::Json => "json",
        }
    }

    /// The MIME type.
    pub fn content_type(self) -> &'static str {
        match self {
            Format::Docx => {
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
            }
            Format::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            Format::Html => "text/html; charset=utf-8",
            Format::Pdf => "application/pdf",
            Format::Json => "application/json",
        }
    }
}

/// True when `name` is a form JSON file.
pub fn is_json(name: &str) -> bool {
    jixiao_recognize::json::is_json(name)
}

/// The forms of a form JSON text: one form, an array of forms, or what `jixiao import --json`
/// printed (files, each with its recognized forms). Errors name the file and the form.
pub fn forms_from_json(name: &str, text: &str) -> Result<Vec<Form>, FileError> {
    jixiao_recognize::json::forms(name, text.as_bytes())
        .map_err(|e| FileError::Invalid(e.to_string()))
}

/// Imports a document (Word, Excel, web page, text) within `limits`.
pub fn import(name: &str, bytes: &[u8], limits: &Limits) -> Result<Import, FileError> {
    jixiao_recognize::import(name, bytes, limits).map_err(|e| FileError::Invalid(e.to_string()))
}

/// The forms a file holds: its JSON, else whatever the importer recognizes.
pub fn forms_in(name: &str, bytes: &[u8], limits: &Limits) -> Result<Vec<Form>, FileError> {
    if is_json(name) {
        return jixiao_recognize::json::forms(name, bytes)
            .map_err(|e| FileError::Invalid(e.to_string()));
    }
    Ok(import(name, bytes, limits)?
        .forms
        .into_iter()
        .map(|r| r.form)
        .collect())
}

/// A written file.
#[derive(Debug, Clone)]
pub struct Written {
    /// The content.
    pub bytes: Vec<u8>,
    /// Characters no installed font has (PDF only): they show as empty boxes.
    pub missing_chars: Vec<char>,
}

impl Written {
    fn plain(bytes: Vec<u8>) -> Written {
        Written {
            bytes,
            missing_chars: Vec::new(),
        }
    }
}

/// A file the server writes in memory (a zip package) that could not be written: the
/// server's fault, never the input's.
fn io(e: std::io::Error) -> FileError {
    FileError::Unwritable(format!("写出文件失败：{e}"))
}

/// A form's JSON (docs/forms.md); a form that cannot be written is an error, never `""`.
pub fn form_json(form: &Form) -> Result<String, FileError> {
    form.to_json()
        .map_err(|e| FileError::Unwritable(e.to_string()))
}

/// An offline template (离线填报模板) of `form`, prefilled with what it holds: Excel (inputs
/// validated, rates and scores as formulas, 填报说明) or Word. Refused for other formats and
/// for forms no template is made of.
pub fn write_template(form: &Form, format: Format) -> Result<Written, FileError> {
    let written = match format {
        Format::Xlsx => write::template_xlsx(form).map_err(io)?,
        Format::Docx => write::template_docx(form).map_err(io)?,
        _ => {
            return Err(FileError::Invalid(
                "离线填报模板只有 Excel（xlsx）和 Word（docx）两种".into(),
            ));
        }
    };
    written
        .map(Written::plain)
        .ok_or_else(|| FileError::Invalid("只有申报表、监控表和自评表有离线填报模板".into()))
}

/// Forms in their standard layouts. Refused when none of them is a form type with a layout.
pub fn write_forms(forms: &[Form], format: Format) -> Result<Written, FileError> {
    if format == Format::Json {
        let text = match forms {
            [one] => form_json(one)?,
            many => {
                let values = many
                    .iter()
                    .map(serde_json::to_value)
                    .collect::<Result<Vec<_>, _>>()
                    .map_err(|e| FileError::unwritable("表单", e))?;
                serde_json::to_string_pretty(&values)
                    .map_err(|e| FileError::unwritable("表单", e))?
            }
        };
        return Ok(Written::plain(text.into_bytes()));
    }
    let sheets = write::form_sheets(forms);
    let nothing = || {
        FileError::Invalid(
            "没有可导出的表单（可导出：申报表、自评表、项目清单、评价指标表、基础数据表）".into(),
        )
    };
    if sheets.is_empty() {
        return Err(nothing());
    }
    Ok(match format {
        Format::Docx => Written::plain(write::forms_docx(forms).map_err(io)?.ok_or_else(nothing)?),
        Format::Xlsx => Written::plain(write::forms_xlsx(forms).map_err(io)?.ok_or_else(nothing)?),
        Format::Html => Written::plain(write::forms_html(&sheets).into_bytes()),
        Format::Pdf | Format::Json => pdf(&write::forms_document(forms))?,
    })
}

/// The form kinds that have a 一体化 规范表, for messages.
pub const YITIHUA_KINDS: &str = jixiao_yitihua::EXCHANGEABLE;

/// Forms written as the 一体化 规范表 (CSV in a zip, docs/yitihua.md): the kinds that have a
/// 规范表 are written, the others listed in [`jixiao_yitihua::Exported::refused`] for a warning.
/// `mof_div_code` is the 财政区划 code to write (the forms state none; default `000000`).
/// Refused, naming the forms, when none of them has a 规范表.
pub fn write_yitihua(
    forms: &[Form],
    mof_div_code: Option<String>,
) -> Result<jixiao_yitihua::Exported, FileError> {
    let mut options = jixiao_yitihua::Options::default();
    if let Some(code) = mof_div_code {
        options.mof_div_code = code;
    }
    jixiao_yitihua::write(forms, &options).map_err(|e| match e {
        jixiao_yitihua::WriteError::NothingToExchange { .. } => FileError::Invalid(e.to_string()),
        jixiao_yitihua::WriteError::Io { .. } => FileError::Unwritable(e.to_string()),
    })
}

/// The self-evaluation report composed from `forms` (the department self-evaluation, project
/// self-evaluations, the unit's narrative), as .docx or PDF, with the draft's notes.
pub fn write_report(
    forms: &[Form],
    policy: &ScoringPolicy,
    format: Format,
) -> Result<(Written, Draft), FileError> {
    let data = ReportData::from_forms(forms).map_err(|e| FileError::Invalid(e.to_string()))?;
    let draft = compose(&data, policy);
    let doc = write::report_document(&draft);
    let written = match format {
        Format::Pdf => pdf(&doc)?,
        Format::Docx => Written::plain(doc.to_bytes().map_err(io)?),
        other => {
            return Err(FileError::Invalid(format!(
                "自评报告可导出为 docx 或 pdf，不能导出为 {}",
                other.ext()
            )));
        }
    };
    Ok((written, draft))
}

/// The font folders of this process's settings ([`use_font_dirs`]).
static FONT_DIRS: std::sync::OnceLock<Vec<std::path::PathBuf>> = std::sync::OnceLock::new();

/// Makes the PDF writer look in `dirs` first (the instance's settings, `fonts.dirs`). The
/// fonts are found once per process, so the first call decides; later ones change nothing
/// and say so (false).
pub fn use_font_dirs(dirs: &[std::path::PathBuf]) -> bool {
    FONT_DIRS.set(dirs.to_vec()).is_ok()
}

/// The fonts, found once per process (scanning the font folders takes tens of milliseconds;
/// a failed search is tried again next time, so fonts installed later are found).
fn fonts() -> Result<std::sync::Arc<jixiao_pdf::Fonts>, FileError> {
    static FONTS: std::sync::Mutex<Option<std::sync::Arc<jixiao_pdf::Fonts>>> =
        std::sync::Mutex::new(None);
    let mut found = FONTS
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    if let Some(f) = found.as_ref() {
        return Ok(f.clone());
    }
    let fonts = std::sync::Arc::new(
        jixiao_pdf::Fonts::from_dirs(FONT_DIRS.get().map_or(&[], Vec::as_slice))
            .map_err(|e| FileError::Invalid(format!("无法生成 PDF：{e}")))?,
    );
    *found = Some(fonts.clone());
    Ok(fonts)
}

/// A document laid out on paper (an evaluation, a list) as PDF, in the fonts found once.
pub fn paper_pdf(doc: &write::Paper) -> Result<Written, FileError> {
    pdf(doc)
}

fn pdf(doc: &write::Paper) -> Result<Written, FileError> {
    let fonts = fonts()?;
    let pdf = jixiao_pdf::render(doc, &fonts)
        .map_err(|e| FileError::Invalid(format!("无法生成 PDF：{e}")))?;
    Ok(Written {
        bytes: pdf.bytes,
        missing_chars: pdf.missing.into_iter().collect(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_files_hold_one_form_or_an_array() {
        let one = include_str!("../../../testdata/forms/seed003-project.json");
        assert_eq!(
            forms_from_json("a.json", one).map(|f| f.len()).ok(),
            Some(1)
        );
        let two = format!("[{one}, {one}]");
        assert_eq!(
            forms_from_json("b.json", &two).map(|f| f.len()).ok(),
            Some(2)
        );
        let bad = forms_from_json("c.json", "[{\"form\": \"nope\"}]").expect_err("bad tag");
        assert!(
            bad.to_string().contains("c.json：表单 JSON 无效：第1张表"),
            "{bad}"
        );
        assert!(is_json("X.JSON") && !is_json("x.docx"));
        assert_eq!(Format::parse("PDF"), Some(Format::Pdf));
    }

    #[test]
    fn forms_written_as_json_and_docx_read_back() {
        let text = include_str!("../../../testdata/forms/seed001-daily-operations.json");
        let forms = forms_from_json("f.json", text).expect("seed");
        let json = write_forms(&forms, Format::Json).expect("json");
        let back = forms_in("f.json", &json.bytes, &Limits::default()).expect("reads");
        assert_eq!(back, forms);
        let docx = write_forms(&forms, Format::Docx).expect("docx");
        let back = forms_in("f.docx", &docx.bytes, &Limits::default()).expect("imports");
        assert_eq!(back, forms);
    }
}
