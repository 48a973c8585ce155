//! Reading and scoring any JSON must never panic.
#![no_main]

use jixiao_core::form::Form;
use jixiao_core::scoring::{ScoringPolicy, score};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    if let Ok(form) = Form::from_json(text) {
        form.to_json().expect("a form read from JSON writes back as JSON");
        if let Some(eval) = form.self_evaluation() {
            let _ = score(eval, &ScoringPolicy::default());
        }
    }
});
