//! The timing protocol shared by every benchmark contender (the same in `benches/js/timing.mjs`
//! and `benches/py/timing.py`): warm up, pick a repetition count so one sample lasts at least
//! `WG_BENCH_SAMPLE_MS` (default 20 ms), take `WG_BENCH_SAMPLES` samples (default 11; fewer when
//! the per-case budget `WG_BENCH_BUDGET_S`, default 3 s, runs out, never fewer than 5), and
//! report CPU time per operation (this process, `clock_gettime(CLOCK_PROCESS_CPUTIME_ID)`: robust
//! to other load on a shared machine; see [`cpu_seconds`]) and wall time, as median, quartiles,
//! min and max in milliseconds.

#![allow(dead_code)] // each bench uses a subset of these helpers

use std::time::Instant;

/// CPU time of this process in seconds (every thread; the benches run on one), from
/// `clock_gettime(CLOCK_PROCESS_CPUTIME_ID)` through rustix's safe wrapper (the crate forbids
/// `unsafe`, benches included); `None` where that clock is not available (wall time is used then).
///
/// Why this clock: it has nanosecond resolution (about 0.5 µs steps measured on the 2-core VM),
/// counts only this process's run time (robust to other load on a shared machine, like
/// `process.cpuUsage()` in `benches/js/timing.mjs` and `time.process_time()` in
/// `benches/py/timing.py`), and needs no extra repetitions. The `/proc/self/schedstat` counter
/// read before advances only at scheduler ticks on this kernel (4 ms), which turned every
/// median into a multiple of 4 ms / reps (8.00 ms, 40.0 ms, 56.0 ms in BENCHMARKS.md).
#[cfg(any(
    target_os = "linux",
    target_os = "android",
    target_os = "macos",
    target_os = "freebsd"
))]
pub fn cpu_seconds() -> Option<f64> {
    use rustix::time::{ClockId, clock_gettime};
    let t = clock_gettime(ClockId::ProcessCPUTime);
    // tv_sec/tv_nsec are i64 on 64-bit targets; exact in f64 below 2^53 ns (104 days of CPU).
    Some(t.tv_sec as f64 + t.tv_nsec as f64 / 1e9)
}

/// Elsewhere: no process CPU clock; callers fall back to wall time.
#[cfg(not(any(
    target_os = "linux",
    target_os = "android",
    target_os = "macos",
    target_os = "freebsd"
)))]
pub fn cpu_seconds() -> Option<f64> {
    None
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
        let c0 = cpu_seconds();
        let w0 = Instant::now();
        for _ in 0..reps {
            f();
        }
        let w = w0.elapsed().as_secs_f64();
        let c = match (c0, cpu_seconds()) {
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

/// Whether to run a case: every case unless `WG_BENCH_CASES` (a comma-separated list of case
/// names) is set, then only those (for profiling one case).
pub fn wanted(case: &str) -> bool {
    std::env::var("WG_BENCH_CASES")
        .map(|only| only.split(',').any(|c| c.trim() == case))
        .unwrap_or(true)
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
