//! Arithmetic in prose (issue 23): any text, read as a report or a form and audited, never
//! panics — the parts-and-total sums, unit conversions (元/万元/亿元), stated grades and
//! `base × p% = amount` checks run on whatever numbers the text holds — and every finding it
//! gives has a message.
#![no_main]

use jixiao_core::audit::{Input, audit};
use jixiao_core::scoring::ScoringPolicy;
use jixiao_recognize::{Limits, import};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(found) = import("fuzz.txt", data, &Limits::default()) else {
        return;
    };
    let inputs: Vec<Input<'_>> = found.forms.iter().map(|f| f.input()).collect();
    for finding in audit(&inputs, &ScoringPolicy::default()) {
        assert!(!finding.message.is_empty(), "{finding:?}");
    }
});
