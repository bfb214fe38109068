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

fn time<F: FnMut()>(bytes: usize, mut f: F) -> (f64, f64) {
    f();
    let start = Instant::now();
    let mut iters = 0u32;
    while start.elapsed().as_secs_f64() < 1.0 || iters < 3 {
        f();
        iters += 1;
    }
    let per = start.elapsed().as_secs_f64() / f64::from(iters);
    (bytes as f64 / per / 1e6, per * 1e3)
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
        let (mbs, ms) = time(size, || {
            black_box(worldgate::bundle::parse(black_box(&b), &limits).unwrap());
        });
        println!("{label:>6} ({size:>9} B) strict parse          {mbs:8.1} MB/s {ms:9.3} ms");
        let (mbs, ms) = time(size, || {
            black_box(serde_json::from_slice::<serde_json::Value>(black_box(&b)).unwrap());
        });
        println!("{label:>6} ({size:>9} B) serde_json Value      {mbs:8.1} MB/s {ms:9.3} ms");
        let (mbs, ms) = time(size, || {
            black_box(worldgate::bundle::read_bundle(black_box(&b), &limits).unwrap());
        });
        println!("{label:>6} ({size:>9} B) validate (read_bundle) {mbs:8.1} MB/s {ms:9.3} ms");
        let value = worldgate::bundle::parse(&b, &limits).unwrap();
        let (mbs, ms) = time(size, || {
            black_box(worldgate::bundle::digest::digest_value(black_box(&value)));
        });
        println!("{label:>6} ({size:>9} B) digest (canonical+sha) {mbs:8.1} MB/s {ms:9.3} ms");
        let (mbs, ms) = time(size, || {
            black_box(worldgate::bundle::canonical::to_canonical_string(
                black_box(&value),
            ));
        });
        println!("{label:>6} ({size:>9} B) canonical text only    {mbs:8.1} MB/s {ms:9.3} ms");
        let (mbs, ms) = time(size, || {
            black_box(worldgate::bundle::digest::sha256_bytes(black_box(&b)));
        });
        println!("{label:>6} ({size:>9} B) sha256 only            {mbs:8.1} MB/s {ms:9.3} ms");
    }
}
