//! 指标值 parsing and comparison must never panic.
#![no_main]

use jixiao_core::target_value::{Operator, TargetValue, compare};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let (target, actual) = text.split_once('\t').unwrap_or((text, text));
    let target = TargetValue::parse(target);
    let actual = TargetValue::parse(actual);
    let _ = target.to_string();
    let _ = target.flags().iter().map(|f| f.message()).count();
    for op in [Operator::Ge, Operator::Le, Operator::Eq] {
        let _ = compare(&target, &actual, |_| op);
    }
});
