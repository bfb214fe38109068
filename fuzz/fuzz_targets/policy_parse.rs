//! Fuzzes the policy parser (JSON and YAML text, both dialects): never a panic, and a parsed
//! policy evaluates an empty batch and re-parses from its normalized form to the same hash.
#![no_main]

use libfuzzer_sys::fuzz_target;
use worldgate::policy::{Dialect, EvaluationInput, Policy};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if text.len() > 64 * 1024 {
        return;
    }
    for dialect in [Dialect::Strict, Dialect::Qmtl] {
        if let Ok(p) = Policy::parse(text, dialect) {
            let _ = p.evaluate(&EvaluationInput::default());
            if let Ok(q) = Policy::from_value(&p.to_value(), p.dialect()) {
                assert_eq!(p.ruleset_hash(), q.ruleset_hash(), "hash not stable under normalization");
            }
        }
    }
});
