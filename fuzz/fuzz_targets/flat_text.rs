//! The flattened-text parser (tables lost by extraction rebuilt from tokens) must never
//! panic, and every cell it rebuilds must point into the text it came from.
#![no_main]

use jixiao_recognize::Limits;
use jixiao_flat as flat;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let lines = text.lines().count();
    for t in flat::tokens(&text) {
        assert!(t.line >= 1 && t.line <= lines.max(1));
        assert!(t.column >= 1);
    }
    if let Ok(Some(doc)) = flat::read("fuzz.txt", &text, &Limits::default()) {
        let _ = jixiao_recognize::recognize(&doc);
    }
});
