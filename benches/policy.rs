//! Policy evaluation, native: `cargo bench --bench policy` (run by `scripts/bench.sh`, which
//! generates the input first). For 10 / 100 / 1,000 / 5,000 strategies with 1,440-sample series
//! (correlation computed from the series), two policies: thresholds + top-k 50 + correlation,
//! and the same without top-k (every threshold passer goes through the correlation pass).
//! Prints one JSON line per case.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

#[path = "common/timing.rs"]
mod timing;

use indexmap::IndexMap;
use serde_json::{Value, json};
use std::hint::black_box;
use worldgate::policy::{Dialect, EvaluationInput, Policy};

/// The two policies, as in `benches/js/policy.mjs`.
pub fn policies() -> Vec<(&'static str, Value)> {
    let thresholds = json!({
        "sharpe": {"metric": "sharpe", "min": 0.0},
        "dd": {"metric": "max_drawdown", "max": 0.5},
    });
    vec![
        (
            "top_k 50",
            json!({"thresholds": thresholds, "top_k": {"metric": "sharpe", "k": 50},
                   "correlation": {"max": 0.25}}),
        ),
        (
            "no top_k",
            json!({"thresholds": thresholds, "correlation": {"max": 0.25}}),
        ),
    ]
}

/// sha256 (hex) of the selected ids joined by newlines, as `benches/js/policy.mjs` computes it.
fn digest(ids: &[String]) -> String {
    use sha2::Digest;
    let h = sha2::Sha256::digest(ids.join("\n").as_bytes());
    h.iter().map(|b| format!("{b:02x}")).collect()
}

fn main() {
    let dir = timing::data_dir();
    let series = timing::read_f64(&dir.join("policy-series.f64"));
    let metrics: Vec<Value> =
        serde_json::from_slice(&std::fs::read(dir.join("policy-metrics.json")).unwrap()).unwrap();
    let sizes: Vec<usize> = std::env::var("WG_BENCH_POLICY_SIZES")
        .unwrap_or_else(|_| "10,100,1000,5000".into())
        .split(',')
        .map(|s| s.trim().parse().unwrap())
        .collect();
    // `WG_BENCH_POLICY=<name>` runs one policy (e.g. `top_k 50`), for profiling.
    let only = std::env::var("WG_BENCH_POLICY").ok();
    for (name, doc) in policies() {
        if only.as_deref().is_some_and(|o| o != name) {
            continue;
        }
        let policy = Policy::from_value(&doc, Dialect::Strict).unwrap();
        for &n in &sizes {
            bench_case(name, &policy, &input(&metrics, &series, n), n);
        }
    }
}

/// The input of `n` strategies: three metrics each and its 1,440-sample series.
fn input(metrics: &[Value], series: &[f64], n: usize) -> EvaluationInput {
    const LEN: usize = 1440;
    let mut m = IndexMap::new();
    let mut r = IndexMap::new();
    for (i, s) in metrics.iter().take(n).enumerate() {
        let id = s["id"].as_str().unwrap().to_string();
        m.insert(
            id.clone(),
            json!({"sharpe": s["sharpe"], "max_drawdown": s["max_drawdown"],
                   "win_rate": s["win_rate"]}),
        );
        r.insert(id, series[i * LEN..(i + 1) * LEN].to_vec());
    }
    EvaluationInput {
        returns: Some(r),
        ..EvaluationInput::new(m)
    }
}

/// One JSON line per contender for the policy `name` over `input` (`n` strategies).
fn bench_case(name: &str, policy: &Policy, input: &EvaluationInput, n: usize) {
    let case = format!("{name} × {n}");
    let line = |contender: &str, label: &str, timing: Value| {
        json!({
            "area": "policy", "case": case, "policy": name, "strategies": n,
            "contender": contender, "label": label, "timing": timing,
        })
    };
    let d = policy.evaluate(input);
    let t = timing::measure(|| {
        black_box(policy.evaluate(black_box(input)));
    });
    // The evaluation written as wire text: whole (`evaluate_wire`: the decision's JSON text
    // with its layout, what wasm writes for a caller reading details) and as its summary
    // (`evaluate_summary_wire`: verdicts, ranks, weights; what the wasm package's `evaluate`
    // writes before its caller reads any detail); and the summary over the input prepared
    // beforehand (`PreparedInput`: its metrics viewed once, as the package's `StrategyBatch`
    // holds them), like for like with `verdicts(batch)`.
    use worldgate::policy::wire::{self, Wire};
    let prepared = worldgate::policy::PreparedInput::new(input.clone(), Dialect::Strict);
    let written = |write: &dyn Fn() -> Result<Wire, serde_json::Error>| {
        timing::measure(|| {
            black_box(write().and_then(Wire::finish).unwrap());
        })
    };
    let mut json_out = line(
        "native-json",
        "Rust native, evaluate straight to the decision's JSON text (policy::wire::evaluate_wire)",
        written(&|| wire::evaluate_wire(policy, black_box(input))),
    );
    json_out["bytes"] = json!(serde_json::to_string(&d).unwrap().len());
    println!("{json_out}");
    let summary = written(&|| wire::evaluate_summary_wire(policy, black_box(input)));
    println!(
        "{}",
        line(
            "native-summary",
            "Rust native, the decision's summary as JSON text (policy::wire::evaluate_summary_wire)",
            summary,
        )
    );
    let over_prepared =
        written(&|| wire::evaluate_summary_wire_prepared(policy, black_box(&prepared)));
    println!(
        "{}",
        line(
            "native-summary-prepared",
            "Rust native, the summary over a PreparedInput (policy::wire::evaluate_summary_wire_prepared)",
            over_prepared,
        )
    );
    let mut native = line("native", "Rust native (Policy::evaluate)", t);
    native["selected"] = json!(d.selected.len());
    native["first_selected"] = json!(d.selected.iter().take(5).collect::<Vec<_>>());
    native["ruleset_hash"] = json!(d.ruleset_hash);
    native["selected_digest"] = json!(digest(&d.selected));
    println!("{native}");
}
