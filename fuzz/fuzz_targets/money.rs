//! Money parsing must never panic, and what parses must convert and display.
#![no_main]

use jixiao_core::money::{Amount, MoneyUnit};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let _ = MoneyUnit::from_header(text);
    for default in [None, Some(MoneyUnit::Yuan), Some(MoneyUnit::Wan), Some(MoneyUnit::Yi)] {
        if let Ok(amount) = Amount::parse(text, default) {
            let _ = amount.to_string();
            for unit in [MoneyUnit::Yuan, MoneyUnit::Wan, MoneyUnit::Yi] {
                if let Some(converted) = amount.to_unit(unit) {
                    assert_eq!(converted, amount, "conversion changed the value of {text:?}");
                }
            }
        }
    }
});
