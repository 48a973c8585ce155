//! Reading, validating and evaluating any rule file must never panic.
#![no_main]

use jixiao_core::rules::{Assessment, RuleSet, evaluate};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    if let Ok(rules) = RuleSet::from_toml(text) {
        let _ = rules.validate(text);
        let _ = evaluate(&rules, &Assessment::default());
        let _ = rules.to_toml();
    }
});
