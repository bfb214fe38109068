//! The quant's report on 1,000,000 samples, native: `cargo bench --bench report` (run by
//! `scripts/bench-report.sh`, which generates the inputs first). Prints JSON lines (area
//! `report`): the timing of [`worldgate::api::report::report_stamped`] with every block (three
//! rolling windows 63 / 126 / 252, the top 10 drawdowns, a benchmark, both series timestamped
//! as epoch milliseconds, as the JS API takes them), of the metrics and the report together
//! (what quantstats' `reports.metrics(mode="full")` plus its rolling functions cover), and
//! diagnostic rows that tell where the time goes (the report without the rolling windows,
//! without the benchmark, without timestamps; the JSON text of the report, which the wasm shim
//! builds).

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

#[path = "common/timing.rs"]
mod timing;

use std::hint::black_box;
use worldgate::api::report::{report, report_stamped};
use worldgate::metrics::{MetricsOptions, compute};
use worldgate::schema::{Num, ReportOptions};
use worldgate::time::Stamps;

fn main() {
    let dir = timing::data_dir();
    let returns = timing::read_f64(&dir.join("returns-1m.f64"));
    let bench = timing::read_f64(&dir.join("benchmark-1m.f64"));
    let opts = ReportOptions {
        periods_per_year: 252.0,
        risk_free: 0.02,
        benchmark: Some(bench.iter().map(|&x| Some(Num(x))).collect()),
        ..ReportOptions::default()
    };
    // quantstats' axis (benches/py/report.py): hourly from 1990-01-01T00:00Z, in epoch
    // milliseconds (631,152,000,000 ms is 1990-01-01), for both series: the `calendar` block,
    // dated episodes, the benchmark aligned by date. Each call gets its own copies, as a caller
    // handing over its vectors would (the wasm shim copies the `Float64Array`s in).
    let hours: Vec<f64> = (0..returns.len())
        .map(|i| 631_152_000_000.0 + i as f64 * 3_600_000.0)
        .collect();
    let stamped = |opts: &ReportOptions, bench: bool| {
        let axis = || Some(Stamps::EpochMs(hours.clone()));
        report_stamped(
            black_box(&returns),
            opts.clone(),
            axis(),
            if bench { axis() } else { None },
        )
        .unwrap()
    };
    let mopts = MetricsOptions {
        periods_per_year: Some(252.0),
        risk_free: 0.02,
        var_level: 0.95,
        initial_capital: 10_000.0,
        ..MetricsOptions::default()
    };
    let full = stamped(&opts, true);
    let values = serde_json::json!({
        "distribution": full.distribution, "relative": full.relative, "calendar": full.calendar,
        "drawdowns": full.drawdowns.episodes.iter()
            .map(|e| serde_json::json!([e.depth, e.peak_at, e.trough_at, e.end_at]))
            .collect::<Vec<_>>(),
        "returns": compute(&returns, &mopts).unwrap().returns,
    });
    let emit =
        |case: &str, label: &str, t: serde_json::Value, values: Option<&serde_json::Value>| {
            let mut line = serde_json::json!({
                "area": "report", "case": case, "contender": "native", "label": label, "timing": t,
            });
            if let Some(v) = values {
                line["values"] = v.clone();
            }
            println!("{line}");
        };
    if timing::wanted("report") {
        let t = timing::measure(|| {
            black_box(stamped(&opts, true));
        });
        emit(
            "report",
            "Rust native (api::report::report_stamped)",
            t,
            Some(&values),
        );
    }
    if timing::wanted("metrics+report") {
        let t = timing::measure(|| {
            black_box(compute(black_box(&returns), &mopts).unwrap());
            black_box(stamped(&opts, true));
        });
        emit(
            "metrics+report",
            "Rust native (metrics::compute + report)",
            t,
            None,
        );
    }
    // diagnostics: without the rolling windows, without the benchmark, the JSON text
    let no_rolling = ReportOptions {
        rolling_windows: Vec::new(),
        ..opts.clone()
    };
    if timing::wanted("report-no-rolling") {
        let t = timing::measure(|| {
            black_box(stamped(&no_rolling, true));
        });
        emit(
            "report-no-rolling",
            "report without rolling windows",
            t,
            None,
        );
    }
    let no_bench = ReportOptions {
        benchmark: None,
        ..opts.clone()
    };
    if timing::wanted("report-no-benchmark") {
        let t = timing::measure(|| {
            black_box(stamped(&no_bench, false));
        });
        emit("report-no-benchmark", "report without a benchmark", t, None);
    }
    if timing::wanted("report-no-timestamps") {
        let t = timing::measure(|| {
            black_box(report(black_box(&returns), &opts).unwrap());
        });
        emit("report-no-timestamps", "report without timestamps", t, None);
    }
    if timing::wanted("report-json") {
        let t = timing::measure(|| {
            black_box(serde_json::to_string(black_box(&full)).unwrap());
        });
        emit(
            "report-json",
            "serde_json::to_string of the report",
            t,
            None,
        );
    }
}
