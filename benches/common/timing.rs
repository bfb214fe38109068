//! The timing protocol shared by every benchmark contender (the same in `benches/js/timing.mjs`
//! and `benches/py/timing.py`): warm up, pick a repetition count so one sample lasts at least
//! `WG_BENCH_SAMPLE_MS` (default 20 ms), take `WG_BENCH_SAMPLES` samples (default 11; fewer when
//! the per-case budget `WG_BENCH_BUDGET_S`, default 3 s, runs out, never fewer than 5), and
//! report CPU time per operation (this process; robust to other load on a shared machine) and
//! wall time, as median, quartiles, min and max in milliseconds.

#![allow(dead_code)] // each bench uses a subset of these helpers

use std::time::Instant;

/// CPU time of this (single-threaded) process in seconds: the main thread's run time from
/// `/proc/self/schedstat` (nanoseconds); `None` off Linux.
fn cpu_now() -> Option<f64> {
    let s = std::fs::read_to_string("/proc/self/schedstat").ok()?;
    let ns: f64 = s.split_whitespace().next()?.parse().ok()?;
    Some(ns / 1e9)
}

fn env_f64(name: &str, default: f64) -> f64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// Median, quartiles and extremes of a sample (ms).
pub fn summary(mut xs: Vec<f64>) -> serde_json::Value {
    xs.sort_by(f64::total_cmp);
    let q = |p: f64| {
        let h = (xs.len() - 1) as f64 * p;
        let lo = h.floor() as usize;
        let hi = h.ceil() as usize;
        xs[lo] + (h - lo as f64) * (xs[hi] - xs[lo])
    };
    serde_json::json!({
        "median": q(0.5), "q1": q(0.25), "q3": q(0.75),
        "min": xs[0], "max": xs[xs.len() - 1], "n": xs.len(),
    })
}

/// Times `f` by the protocol above; returns `{cpu_ms: {...}, wall_ms: {...}, reps, samples}`.
pub fn measure<F: FnMut()>(mut f: F) -> serde_json::Value {
    let sample_s = env_f64("WG_BENCH_SAMPLE_MS", 20.0) / 1e3;
    let want = env_f64("WG_BENCH_SAMPLES", 11.0) as usize;
    let budget = env_f64("WG_BENCH_BUDGET_S", 3.0);
    let start = Instant::now();
    // warm-up: at least one run and 0.3 s
    let mut runs = 0u32;
    let t0 = Instant::now();
    while runs < 1 || t0.elapsed().as_secs_f64() < 0.3 {
        f();
        runs += 1;
    }
    let one = t0.elapsed().as_secs_f64() / f64::from(runs);
    let reps = ((sample_s / one).ceil() as usize).max(1);
    let (mut cpu, mut wall) = (Vec::new(), Vec::new());
    while cpu.len() < want && (cpu.len() < 5 || start.elapsed().as_secs_f64() < budget) {
        let c0 = cpu_now();
        let w0 = Instant::now();
        for _ in 0..reps {
            f();
        }
        let w = w0.elapsed().as_secs_f64();
        let c = match (c0, cpu_now()) {
            (Some(a), Some(b)) => b - a,
            _ => w,
        };
        cpu.push(c * 1e3 / reps as f64);
        wall.push(w * 1e3 / reps as f64);
    }
    serde_json::json!({
        "cpu_ms": summary(cpu), "wall_ms": summary(wall), "reps": reps,
    })
}

/// Where the generated inputs are (`WG_BENCH_DATA`, default `target/bench-data`).
pub fn data_dir() -> std::path::PathBuf {
    std::env::var_os("WG_BENCH_DATA")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| std::path::PathBuf::from("target/bench-data"))
}

/// A little-endian float64 file.
pub fn read_f64(path: &std::path::Path) -> Vec<f64> {
    let bytes = std::fs::read(path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e} (run scripts/bench.sh)", path.display()));
    bytes
        .chunks_exact(8)
        .map(|c| f64::from_le_bytes(c.try_into().unwrap()))
        .collect()
}
