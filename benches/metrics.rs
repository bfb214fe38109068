//! Metrics on 1,000,000 samples, native: `cargo bench --bench metrics` (run by
//! `scripts/bench.sh`, which generates the input first). Prints one JSON line: the timing of
//! `worldgate::metrics::compute` and the computed values (for the cross-check against the other
//! contenders).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

#[path = "common/timing.rs"]
mod timing;

use std::hint::black_box;
use worldgate::metrics::{
    MetricsOptions, V15Options, compute, compute_v15, pnl_metrics, returns_metrics,
    validate_returns,
};
use worldgate::schema::MetricsProfile;

fn main() {
    let returns = timing::read_f64(&timing::data_dir().join("returns-1m.f64"));
    let opts = MetricsOptions {
        periods_per_year: Some(252.0),
        risk_free: 0.02,
        var_level: 0.95,
        initial_capital: 10_000.0,
        ..MetricsOptions::default()
    };
    let values = serde_json::to_value(compute(&returns, &opts).unwrap()).unwrap();
    if timing::wanted("1M") {
        let t = timing::measure(|| {
            black_box(compute(black_box(&returns), &opts).unwrap());
        });
        let line = serde_json::json!({
            "area": "metrics", "case": "1M", "contender": "native",
            "label": "Rust native (compute)", "timing": t, "values": values,
        });
        println!("{line}");
    }
    // QMTL's v1.5 set, both profiles (P = 252, rf 0, T = 20)
    for (name, profile) in [
        ("qmtl", MetricsProfile::Qmtl),
        ("strict", MetricsProfile::Strict),
    ] {
        if !timing::wanted(name) {
            continue;
        }
        let o = V15Options {
            profile,
            search_intensity: 20,
            ..V15Options::default()
        };
        let values = serde_json::to_value(compute_v15(&returns, &o).unwrap()).unwrap();
        let t = timing::measure(|| {
            black_box(compute_v15(black_box(&returns), &o).unwrap());
        });
        let line = serde_json::json!({
            "area": "metrics-v15", "case": name, "contender": "native",
            "label": format!("Rust native (compute_v15, {name})"), "timing": t, "values": values,
        });
        println!("{line}");
    }
    // where the time goes (diagnostic rows): the domain check, the returns block, the pnl block
    let parts: [(&str, &dyn Fn()); 3] = [
        ("validate_returns", &|| {
            assert!(black_box(validate_returns(black_box(&returns)).is_ok()));
        }),
        ("returns_metrics", &|| {
            black_box(returns_metrics(black_box(&returns), &opts).unwrap());
        }),
        ("pnl_metrics", &|| {
            black_box(pnl_metrics(black_box(&returns), &opts).unwrap());
        }),
    ];
    for (name, f) in parts {
        if !timing::wanted(name) {
            continue;
        }
        let t = timing::measure(f);
        let line = serde_json::json!({
            "area": "metrics-parts", "case": name, "contender": "native", "timing": t,
        });
        println!("{line}");
    }
}
