//! What several test files of the office crate share.

use jixiao_core::form::Form;
use jixiao_recognize::{Limits, import};
use jixiao_write as write;

/// Writes `form` as .xlsx, .docx and .html in its standard layout and reads each back: the
/// same typed form, with where its executed amount was read kept (`{stem}.xlsx` …).
#[allow(dead_code, reason = "each test file uses the helpers it needs")]
pub fn round_trips_through_every_format(form: &Form, stem: &str) {
    round_trips_keeping(form, stem, "funds[0].executed");
}

/// [`round_trips_through_every_format`], checking that where `path` was read is kept.
#[allow(dead_code, reason = "each test file uses the helpers it needs")]
pub fn round_trips_keeping(form: &Form, stem: &str, path: &str) {
    let forms = [form.clone()];
    let files = [
        (
            format!("{stem}.xlsx"),
            write::forms_xlsx(&forms).expect("xlsx").expect("a sheet"),
        ),
        (
            format!("{stem}.docx"),
            write::forms_docx(&forms).expect("docx").expect("a table"),
        ),
        (
            format!("{stem}.html"),
            write::forms_html(&write::form_sheets(&forms)).into_bytes(),
        ),
    ];
    for (name, bytes) in files {
        let imported = import(&name, &bytes, &Limits::default()).expect(&name);
        assert_eq!(
            imported.forms.len(),
            1,
            "{name}: {:?}",
            imported.unrecognized
        );
        assert_eq!(&imported.forms[0].form, form, "{name}");
        assert!(
            imported.forms[0].provenance.contains_key(path),
            "{name} keeps where {path} was read"
        );
    }
}
