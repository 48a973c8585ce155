//! Writing any form the JSON reader accepts — as Excel, Word, HTML and PDF, and as a report
//! when it is a department self-evaluation — must never panic, and what is written as .xlsx,
//! .docx and .html must read back: well-formed XML whatever the text holds (control
//! characters included).
#![no_main]

use std::sync::OnceLock;

use jixiao_core::form::Form;
use jixiao_core::scoring::ScoringPolicy;
use jixiao_core::self_report::{ReportData, compose};
use jixiao_recognize::{ErrorKind, Limits, import};
use jixiao_write as write;
use libfuzzer_sys::fuzz_target;

fn fonts() -> Option<&'static jixiao_pdf::Fonts> {
    static FONTS: OnceLock<Option<jixiao_pdf::Fonts>> = OnceLock::new();
    FONTS
        .get_or_init(|| jixiao_pdf::Fonts::from_system().ok())
        .as_ref()
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(form) = Form::from_json(text) else {
        return;
    };
    let forms = [form];
    let reads_back = |name: &str, bytes: &[u8]| {
        if let Err(e) = import(name, bytes, &Limits::default())
            && matches!(e.kind, ErrorKind::Corrupt { .. })
        {
            panic!("{name} written unreadable: {e}");
        }
    };
    if let Ok(Some(bytes)) = write::forms_xlsx(&forms) {
        reads_back("written.xlsx", &bytes);
    }
    if let Ok(Some(bytes)) = write::forms_docx(&forms) {
        reads_back("written.docx", &bytes);
    }
    let sheets = write::form_sheets(&forms);
    if !sheets.is_empty() {
        reads_back("written.html", write::forms_html(&sheets).as_bytes());
    }
    let doc = write::forms_document(&forms);
    if let Some(fonts) = fonts() {
        let _ = jixiao_pdf::render(&doc, fonts);
    }
    if let Ok(data) = ReportData::from_forms(&forms) {
        let draft = compose(&data, &ScoringPolicy::default());
        let report = write::report_document(&draft);
        if let Ok(bytes) = report.to_bytes() {
            reads_back("report.docx", &bytes);
        }
        if let Some(fonts) = fonts() {
            let _ = jixiao_pdf::render(&report, fonts);
        }
    }
});
