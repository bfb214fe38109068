//! Bundle gate throughput, native: `cargo bench --bench gate` (run by `scripts/bench.sh`, which
//! generates the bundles first). Times `worldgate::bundle::gate::gate` from bytes on the
//! 10 KB / 1 MB / 10 MB bundles of `target/bench-data/` with the policy of
//! `benches/gate-policy.json` (as `benches/js/gate.mjs`); prints one JSON line per bundle.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

#[path = "common/timing.rs"]
mod timing;

use serde_json::{Value, json};
use std::hint::black_box;
use worldgate::bundle::gate::{GateOptions, gate};
use worldgate::policy::{Dialect, Policy};

fn main() {
    let dir = timing::data_dir();
    let manifest: Value =
        serde_json::from_slice(&std::fs::read(dir.join("manifest.json")).unwrap()).unwrap();
    // The policy of benches/js/gate.mjs too.
    let policy_doc: Value = serde_json::from_slice(
        &std::fs::read(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/benches/gate-policy.json"
        ))
        .unwrap(),
    )
    .unwrap();
    let policy = Policy::from_value(&policy_doc, Dialect::Strict).unwrap();
    let opts = GateOptions::default();
    for label in manifest["bundles"].as_object().unwrap().keys() {
        let bytes = std::fs::read(dir.join(format!("bundle-{label}.json"))).unwrap();
        let first = gate(&bytes, &policy, &opts);
        let base = json!({
            "area": "gate", "case": label, "bytes": bytes.len(), "contender": "native",
            "label": "Rust native (bundle::gate::gate)",
        });
        let mut line = base.as_object().unwrap().clone();
        match first {
            Err(e) => {
                line.insert(
                    "error".into(),
                    json!(format!("the gate rejected the bench bundle: {e:?}")),
                );
            }
            Ok(r) => {
                line.insert("selected".into(), json!(r.selected.len()));
                line.insert("input_digest".into(), json!(r.input_digest));
                line.insert("result_digest".into(), json!(r.result_digest));
                let t = timing::measure(|| {
                    black_box(gate(black_box(&bytes), &policy, &opts).unwrap());
                });
                line.insert("timing".into(), t);
            }
        }
        println!("{}", Value::Object(line));
    }
}
