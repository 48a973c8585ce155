//! Writing any form the JSON reader accepts — as Excel, Word, HTML and PDF, and as a report
//! when it is a department self-evaluation — must never panic.
#![no_main]

use std::sync::OnceLock;

use jixiao_core::form::Form;
use jixiao_core::scoring::ScoringPolicy;
use jixiao_core::self_report::{ReportData, compose};
use jixiao_office::write;
use libfuzzer_sys::fuzz_target;

fn fonts() -> Option<&'static write::Fonts> {
    static FONTS: OnceLock<Option<write::Fonts>> = OnceLock::new();
    FONTS.get_or_init(|| write::Fonts::from_system().ok()).as_ref()
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let Ok(form) = Form::from_json(text) else { return };
    let forms = [form];
    let _ = write::forms_xlsx(&forms);
    let _ = write::forms_docx(&forms);
    let _ = write::forms_html(&write::form_sheets(&forms));
    let doc = write::forms_document(&forms);
    if let Some(fonts) = fonts() {
        let _ = write::pdf(&doc, fonts);
    }
    if let Ok(data) = ReportData::from_forms(&forms) {
        let draft = compose(&data, &ScoringPolicy::default());
        let report = write::report_document(&draft);
        let _ = report.to_bytes();
        if let Some(fonts) = fonts() {
            let _ = write::pdf(&report, fonts);
        }
    }
});
