//! Bundle throughput: `cargo bench --bench bundle` (plain timing loop, no harness).
//! Prints MB/s for reading (strict parse), validating (parse + decode + checks), digesting and
//! gating bundles of about 10 KB, 1 MB and 10 MB, with `serde_json` as a reference.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::hint::black_box;
use std::time::Instant;

/// A bundle of `subs` submissions with `n` returns each (deterministic pseudo-random values).
pub fn make_bundle(subs: usize, n: usize) -> Vec<u8> {
    let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut next = || {
        seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((seed >> 11) as f64 / (1u64 << 53) as f64 - 0.5) * 0.04
    };
    let mut s = String::from(r#"{"bundle_version":1,"world_id":"bench_world","submissions":["#);
    for i in 0..subs {
        if i > 0 {
            s.push(',');
        }
        s.push_str(&format!(
            r#"{{"strategy_id":"s{i}","stage":"backtest","meta":{{"note":"strategy {i}","owner":"quant"}},"storage_refs":{{"full":"s3://b/s{i}.parquet"}},"returns":["#
        ));
        for j in 0..n {
            if j > 0 {
                s.push(',');
            }
            s.push_str(&format!("{:.8}", next()));
        }
        s.push_str("]}");
    }
    s.push_str("]}");
    s.into_bytes()
}

#[path = "common/timing.rs"]
mod timing;

/// CPU time of this process in seconds (`timing::cpu_seconds`: `CLOCK_PROCESS_CPUTIME_ID`, fine
/// grained), so the numbers hold on a loaded machine; wall time where that clock is missing.
fn cpu_now(start: Instant) -> f64 {
    timing::cpu_seconds().unwrap_or_else(|| start.elapsed().as_secs_f64())
}

/// Throughput (MB/s) and time per run (ms), in CPU time.
pub fn time<F: FnMut()>(bytes: usize, mut f: F) -> (f64, f64) {
    f();
    let wall = Instant::now();
    let c0 = cpu_now(wall);
    let mut iters = 0u32;
    while cpu_now(wall) - c0 < 0.5 || iters < 3 {
        f();
        iters += 1;
    }
    let per = (cpu_now(wall) - c0) / f64::from(iters);
    (bytes as f64 / per / 1e6, per * 1e3)
}

/// Prints one row unless filtered out by `BENCH_SIZE` (e.g. `1MB`) or `BENCH_ONLY` (a
/// substring of the row name).
fn row<F: FnMut()>(label: &str, size: usize, name: &str, f: F) {
    let size_ok = std::env::var("BENCH_SIZE").map_or(true, |s| s == label.replace(' ', ""));
    let only_ok = std::env::var("BENCH_ONLY").map_or(true, |o| name.contains(&o));
    if size_ok && only_ok {
        let (mbs, ms) = time(size, f);
        println!("{label:>6} ({size:>9} B) {name:<28} {mbs:8.1} MB/s {ms:9.3} ms");
    }
}

fn main() {
    let limits = worldgate::bundle::Limits::default();
    for (label, subs, n) in [
        ("10 KB", 2, 450),
        ("1 MB", 20, 4_500),
        ("10 MB", 100, 9_000),
    ] {
        let b = make_bundle(subs, n);
        let size = b.len();
        row(label, size, "strict parse (generic)", || {
            black_box(worldgate::json::parse(black_box(&b), &limits).unwrap());
        });
        row(label, size, "serde_json::Value", || {
            black_box(serde_json::from_slice::<serde_json::Value>(black_box(&b)).unwrap());
        });
        row(label, size, "parse_bundle (series)", || {
            black_box(worldgate::bundle::parse_bundle(black_box(&b), &limits).unwrap());
        });
        row(label, size, "validate (read_bundle)", || {
            black_box(worldgate::bundle::read_bundle(black_box(&b), &limits).unwrap());
        });
        row(label, size, "validate via generic tree", || {
            let v = worldgate::json::parse(black_box(&b), &limits).unwrap();
            let bundle: worldgate::schema::Bundle = worldgate::schema::from_value(&v).unwrap();
            black_box(worldgate::schema::check_bundle(&bundle, &limits));
        });
        let (value, series) = worldgate::bundle::parse_bundle(&b, &limits).unwrap();
        row(label, size, "digest (canonical+sha256)", || {
            let text = worldgate::bundle::bundle_canonical_text(black_box(&value), &series);
            black_box(worldgate::digest::sha256_bytes(text.as_bytes()));
        });
        row(label, size, "digest, streamed (the gate's)", || {
            black_box(worldgate::bundle::bundle_digest(black_box(&value), &series));
        });
        row(label, size, "sanitize (the gate's pass)", || {
            let mut v = value.clone();
            black_box(worldgate::bundle::sanitize::sanitize_bundle_value(
                black_box(&mut v),
            ));
        });
        row(label, size, "clone of the tree (baseline)", || {
            black_box(value.clone());
        });
        let opts = worldgate::bundle::gate::GateOptions::default();
        let sandbox = worldgate::policy::Policy::preset("sandbox").unwrap();
        row(label, size, "gate (sandbox policy)", || {
            black_box(worldgate::bundle::gate::gate(black_box(&b), &sandbox, &opts).unwrap());
        });
        let conservative = worldgate::policy::Policy::preset("conservative").unwrap();
        row(label, size, "gate (conservative, corr.)", || {
            black_box(worldgate::bundle::gate::gate(black_box(&b), &conservative, &opts).unwrap());
        });
        let generic = worldgate::json::parse(&b, &limits).unwrap();
        row(label, size, "digest of a generic tree", || {
            black_box(worldgate::digest::digest_value(black_box(&generic)));
        });
    }
}
