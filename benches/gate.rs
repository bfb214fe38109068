//! Bundle gate throughput, native: `cargo bench --bench gate` (run by `scripts/bench.sh`, which
//! generates the bundles first). Times `worldgate::bundle::gate::gate` from bytes on the
//! 10 KB / 1 MB / 10 MB bundles of `target/bench-data/` with the policy of
//! `benches/js/gate.mjs`; prints one JSON line per bundle.
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
    // GATE_POLICY of benches/js/gate.mjs
    let policy = Policy::from_value(
        &json!({
            "thresholds": {"sharpe": {"metric": "sharpe", "min": -10},
                           "dd": {"metric": "max_drawdown", "max": 1.0}},
            "top_k": {"metric": "sharpe", "k": 10},
            "correlation": {"max": 0.9},
        }),
        Dialect::Strict,
    )
    .unwrap();
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
