//! Reading and recognizing any text (plain or HTML) must never panic.
#![no_main]

use jixiao_recognize::{Limits, import};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let limits = Limits {
        convert_legacy: false,
        ..Limits::default()
    };
    let _ = import("fuzz.txt", data, &limits);
});
