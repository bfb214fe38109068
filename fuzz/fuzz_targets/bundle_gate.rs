//! Fuzzes the bundle gate from raw bytes: reading, sanitizing, recomputing, digesting and
//! evaluating must never panic, and canonical JSON must be a fixed point.
#![no_main]

use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;
use worldgate::bundle::{Limits, gate};
use worldgate::json;
use worldgate::policy::{Dialect, Policy};

fn policies() -> &'static [Policy] {
    static P: OnceLock<Vec<Policy>> = OnceLock::new();
    P.get_or_init(|| {
        let mut v: Vec<Policy> = ["sandbox", "conservative"]
            .iter()
            .filter_map(|n| Policy::preset(n))
            .collect();
        if let Some(q) = Policy::preset_in("moderate", Dialect::Qmtl) {
            v.push(q);
        }
        v
    })
}

fuzz_target!(|data: &[u8]| {
    let limits = Limits {
        max_bytes: 1 << 20,
        ..Limits::default()
    };
    // The reader alone, and canonical JSON as a fixed point.
    if let Ok(v) = json::parse(data, &limits) {
        let c1 = json::canonical::to_canonical_string(&v);
        let v2 = json::parse(c1.as_bytes(), &Limits::default()).expect("canonical json parses");
        let c2 = json::canonical::to_canonical_string(&v2);
        assert_eq!(c1, c2, "canonical json is not a fixed point");
    }
    let opts = gate::GateOptions {
        limits,
        ..gate::GateOptions::default()
    };
    let first = data.first().copied().unwrap_or(0) as usize;
    let policy = &policies()[first % policies().len()];
    let a = gate::gate(data, policy, &opts);
    // Determinism: the same bytes give the same digests.
    if let Ok(a) = &a {
        let b = gate::gate(data, policy, &opts).expect("second run agrees");
        assert_eq!(a.input_digest, b.input_digest);
        assert_eq!(a.result_digest, b.result_digest);
    }
});
