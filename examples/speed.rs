//! Native counterpart of `benches/js/speed.mjs`: `metrics::compute` on 1M samples and a policy
//! evaluation of 1,000 strategies, median of N runs in ms.
//!   cargo run --release --example speed
#![allow(clippy::unwrap_used, clippy::expect_used)]

use indexmap::IndexMap;
use serde_json::json;
use std::time::Instant;
use worldgate::metrics::{self, MetricsOptions};
use worldgate::policy::{Dialect, EvaluationInput, Policy};

fn median(label: &str, runs: usize, mut f: impl FnMut()) {
    f();
    let mut ts: Vec<f64> = (0..runs)
        .map(|_| {
            let t = Instant::now();
            f();
            t.elapsed().as_secs_f64() * 1e3
        })
        .collect();
    ts.sort_by(f64::total_cmp);
    let m = ts.get(ts.len() / 2).copied().unwrap_or(f64::NAN);
    println!("{label}: median {m:.1} ms over {runs} runs");
}

fn main() {
    let mut s: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut next = move || {
        s ^= s << 13;
        s ^= s >> 7;
        s ^= s << 17;
        (s >> 11) as f64 / (1u64 << 53) as f64 - 0.5
    };
    let returns: Vec<f64> = (0..1_000_000).map(|_| next() * 0.02).collect();
    let opts = MetricsOptions::default();
    median("metrics::compute 1M samples", 15, || {
        std::hint::black_box(metrics::compute(&returns, &opts).unwrap());
    });

    let mut input = EvaluationInput::default();
    let mut series = IndexMap::new();
    for i in 0..1000 {
        let id = format!("s{i:04}");
        let r: Vec<f64> = (0..1440).map(|_| next() * 0.01).collect();
        input.metrics.insert(
            id.clone(),
            json!({"sharpe": next() * 4.0, "max_drawdown": -next().abs()}),
        );
        series.insert(id, r);
    }
    let metrics_only = input.clone();
    input.returns = Some(series);
    let p = Policy::from_value(
        &json!({"thresholds": {"dd": {"metric": "max_drawdown", "max": 0.45}},
                "top_k": {"metric": "sharpe", "k": 50}, "correlation": {"max": 0.2}}),
        Dialect::Strict,
    )
    .unwrap();
    median(
        "policy evaluate 1000 strategies (returns 1440 each)",
        9,
        || {
            std::hint::black_box(p.evaluate(&input));
        },
    );
    median("policy evaluate 1000 strategies (metrics only)", 15, || {
        std::hint::black_box(p.evaluate(&metrics_only));
    });
    // the work of the wasm package's `evaluate` before JS reads anything: the decision's
    // summary (verdicts, ranks, weights; details written when first read)
    median(
        "policy summary 1000 strategies (returns 1440 each)",
        9,
        || {
            std::hint::black_box(
                worldgate::policy::wire::evaluate_summary_wire(&p, &input).unwrap(),
            );
        },
    );
    median("policy summary 1000 strategies (metrics only)", 15, || {
        std::hint::black_box(
            worldgate::policy::wire::evaluate_summary_wire(&p, &metrics_only).unwrap(),
        );
    });
}
