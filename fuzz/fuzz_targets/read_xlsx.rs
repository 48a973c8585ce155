//! Reading and recognizing any bytes as a .xlsx must never panic, and must stay within limits.
#![no_main]

use jixiao_recognize::{Limits, import};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let limits = Limits {
        max_part_bytes: 8 << 20,
        max_total_bytes: 16 << 20,
        convert_legacy: false,
        ..Limits::default()
    };
    let _ = import("fuzz.xlsx", data, &limits);
});
