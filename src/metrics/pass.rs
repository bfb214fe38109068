//! The fused pass: one sweep over the series, in blocks of [`BLOCK`] samples, that validates
//! it and gathers everything the metric blocks need.
//!
//! Per block, two short loops: the [`Gather`]er's, which gives the block's range and NaN count
//! and, for the returns block, accumulates the moment sums and collects the VaR window
//! ([`Returns`]: two samples per step, one per lane of [`LaneSums`], vectorised); then the
//! compounded curve (drawdown and growth, two dependency chains: [`Hot::run_clean`] four
//! periods per step of the chains for a block of finite returns within ±½, [`Hot::try_step`]
//! one period at a time for the rest). Each gatherer accumulates a block in plain local state
//! (kept in registers) that it folds into its compensated totals at the block's end; the growth
//! is folded into its log sum once per block too.
//!
//! Validation stays exact: the range is checked after every block, and a block holding an
//! infinity or a return below −1 is rescanned for its first offending sample, so the error is
//! the one a sample-by-sample check gives (what the pass computed before it is dropped).
//!
//! The series may come in chunks ([`full_chunked`]: a JS `Float64Array` copied into one
//! buffer a chunk at a time): every chunk but the last a whole number of blocks, so the blocks,
//! and every number, are those of the pass over the whole series.

use super::drawdown::{Curve, CurveStats, Hot};
use super::lanes::F2;
use super::returns::{LaneSums, MomentSums, Range};
use super::tail::{BLOCK, Deferred, Picker, Window};
use crate::error::Error;

/// Per-block work of the pass beside the curve: each gatherer accumulates a block in plain
/// local state (kept in registers) and folds it into its totals at the block's end.
pub(crate) trait Gather {
    /// One block of at most [`BLOCK`] samples: gathers it and gives its lowest and highest
    /// non-NaN sample (±∞ when it has none) and its NaN count.
    fn block(&mut self, block: &[f64]) -> (f64, f64, u32);
}

/// Nothing to gather but the range.
impl Gather for () {
    #[inline(always)]
    fn block(&mut self, block: &[f64]) -> (f64, f64, u32) {
        block_range(block)
    }
}

/// The returns block's gatherer: the moment sums and the VaR window, in one loop with the
/// block's range (two samples per step, one per lane of [`LaneSums`]).
struct Returns {
    sums: MomentSums,
    window: Window,
}

impl Gather for Returns {
    #[inline(always)]
    fn block(&mut self, block: &[f64]) -> (f64, f64, u32) {
        let mut lanes = self.sums.lanes();
        let mut pick = self.window.picker();
        let last = pairs(block, &mut lanes, &mut pick);
        let len = pick.len;
        self.window.keep(len);
        self.sums.fold(lanes, block, last)
    }
}

/// The loop of [`Returns`]: the block's samples two at a time into `lanes` and `pick`; gives
/// the last sample of an odd-length block, left out of `lanes` (but picked). Its own function,
/// the lanes read and written through `lanes`: LLVM's vectoriser pairs the two lanes of each
/// sum into one register starting from those stores.
///
/// Two pairs per step (the second one skipped by the block's last step when it has fewer
/// than four samples, the pairs in the same order): the loop's own work per sample halves
/// (its counter, a wasm engine's interrupt check and the two accumulators V8 keeps in memory
/// for lack of registers), −4.5 % for the whole `returns` + `pnl` computation in wasm, the
/// same natively (where LLVM unrolls the loop anyway). One copy of the pair's step per half
/// of the group, not a remainder loop beside the group loop: +334 B of raw wasm (+36 B
/// gzipped), not +634 (+161).
#[inline(never)]
fn pairs(block: &[f64], lanes: &mut LaneSums, pick: &mut Picker) -> Option<f64> {
    let mut l = *lanes;
    // A local picker: its count stays in a register (through `pick` it would be stored after
    // every sample, as the writes to the buffer might reach it).
    let mut p = pick.reborrow();
    for quad in block.chunks(4) {
        if let &[r0, r1, ..] = quad {
            l.add(F2::new(r0, r1));
            p.add(r0);
            p.add(r1);
        }
        if let &[_, _, r2, r3] = quad {
            l.add(F2::new(r2, r3));
            p.add(r2);
            p.add(r3);
        }
    }
    *lanes = l;
    let last = block.last().copied().filter(|_| block.len() % 2 == 1);
    if let Some(r) = last {
        p.add(r);
    }
    pick.len = p.len;
    last
}

/// What the pass gathered.
#[derive(Debug)]
pub(crate) struct Scan {
    pub range: Range,
    pub curve: CurveStats,
    pub sums: MomentSums,
    pub window: Window,
}

/// The curve and the domain check alone (the `pnl` block).
///
/// # Errors
/// The errors of [`Range::of`].
pub(crate) fn curve(returns: &[f64]) -> Result<CurveStats, Error> {
    run(returns, &mut ()).map(|(_, curve)| curve)
}

/// Everything: range, curve, moment sums (with `rf_pp`) and the VaR window at `level`.
///
/// # Errors
/// The errors of [`Range::of`].
pub(crate) fn full(returns: &[f64], rf_pp: f64, level: f64) -> Result<Scan, Error> {
    let mut g = Returns {
        sums: MomentSums::new(returns, rf_pp),
        window: Window::estimate(returns, level),
    };
    let (range, curve) = run(returns, &mut g)?;
    Ok(Scan {
        range,
        curve,
        sums: g.sums,
        window: g.window,
    })
}

fn run(returns: &[f64], g: &mut impl Gather) -> Result<(Range, CurveStats), Error> {
    let mut pass = Pass::default();
    pass.feed(returns, g)?;
    Ok(pass.finish())
}

/// The pass's state between the chunks of a series ([`Pass::feed`]).
struct Pass {
    range: Range,
    curve: Curve,
    hot: Hot,
    nan: u64,
    /// Samples fed so far.
    seen: usize,
}

impl Default for Pass {
    fn default() -> Self {
        Pass {
            range: Range::EMPTY,
            curve: Curve::default(),
            hot: Hot::default(),
            nan: 0,
            seen: 0,
        }
    }
}

impl Pass {
    /// The next `chunk` of the series; every chunk but the last must be a whole number of
    /// blocks, so the blocks (and every sum) are those of one pass over the whole series.
    ///
    /// # Errors
    /// The errors of [`Range::of`], at the sample's index in the series.
    fn feed(&mut self, chunk: &[f64], g: &mut impl Gather) -> Result<(), Error> {
        for (i, block) in chunk.chunks(BLOCK).enumerate() {
            let (lo, hi, nans) = gather(block, g);
            self.range.widen(lo, hi);
            self.nan += u64::from(nans);
            let clean = nans == 0 && lo >= -0.5 && hi <= 0.5;
            walk(block, clean, &mut self.hot, &mut self.curve);
            self.curve.end_block(&mut self.hot, block.len());
            if !self.range.in_domain()
                && let Some(e) = Range::first_error(block, self.seen + i * BLOCK)
            {
                return Err(e);
            }
        }
        self.seen += chunk.len();
        Ok(())
    }

    fn finish(mut self) -> (Range, CurveStats) {
        self.range.n = self.seen as u64 - self.nan;
        (self.range, self.curve.finish(self.hot))
    }
}

/// Samples per chunk of [`full_chunked`]: 256 KiB, which stay in a CPU's L2 cache between
/// being copied in and being read by the pass.
pub(crate) const CHUNK: usize = 1 << 15;

/// [`full`] of a series of `len` samples that `read(start, out)` copies in, chunk by chunk
/// (`out` the samples `start..start + out.len()`), into one buffer of [`CHUNK`] samples: each
/// chunk is gathered while it is in cache, and the series is never copied whole. The scan is
/// the one [`full`] gives, to the bit (the same blocks, the VaR window resolved as
/// [`Deferred`] says); `None` when the shortcut does not apply (a series of at most one chunk,
/// fewer than 64 finite samples in the first chunk, or the deferred window unresolved): then
/// the caller reads the whole series and calls [`full`].
///
/// # Errors
/// The errors of [`Range::of`] (the first offending sample, as [`full`]).
pub(crate) fn full_chunked(
    len: usize,
    read: &mut dyn FnMut(usize, &mut [f64]),
    rf_pp: f64,
    level: f64,
) -> Result<Option<Scan>, Error> {
    if len <= CHUNK {
        return Ok(None);
    }
    let mut buf = vec![0.0; CHUNK];
    read(0, &mut buf);
    // The shift of the sums is the mean of the first 64 finite samples: all in this chunk.
    if buf.iter().filter(|r| !r.is_nan()).take(64).count() < 64 {
        return Ok(None);
    }
    let Some((mut deferred, window)) = Deferred::new(&buf, len, level) else {
        return Ok(None);
    };
    let mut g = Returns {
        sums: MomentSums::new(&buf, rf_pp),
        window,
    };
    let mut pass = Pass::default();
    let mut start = 0;
    while start < len {
        let chunk = buf.get_mut(..CHUNK.min(len - start)).unwrap_or_default();
        if start > 0 {
            read(start, chunk);
        }
        deferred.see(chunk, start);
        pass.feed(chunk, &mut g)?;
        start += CHUNK;
    }
    let (range, curve) = pass.finish();
    Ok(deferred.resolve(g.window).map(|window| Scan {
        range,
        curve,
        sums: g.sums,
        window,
    }))
}

/// A block's range, NaN count and gathered sums (see [`walk`]).
#[inline(never)]
fn gather(block: &[f64], g: &mut impl Gather) -> (f64, f64, u32) {
    g.block(block)
}

/// A block's curve. The gathering and the walk of a block are separate functions so each gets
/// the registers to itself: together they hold more accumulators than a CPU (or a wasm engine)
/// has registers, and spilling one on a dependency chain costs more than reading the block (in
/// L1) twice. State is copied into locals and back, so it stays in registers although `curve`
/// escapes into the cold paths.
///
/// A `clean` block (no NaN and every return within ±½, the usual one) walks the curve with
/// [`Hot::run_clean`], which leaves out the per-period checks of the return; any other block,
/// and every period `run_clean` declines, takes [`Hot::try_step`]. New peaks in a row in a
/// clean block (a rising curve: about 3 % of the periods of `returns-1m.f64` are new peaks,
/// half of them right after another) are taken by [`Hot::peak_run`] first, the same steps
/// without a group of `run_clean` attempted and abandoned for each.
#[inline(never)]
fn walk(block: &[f64], clean: bool, hot: &mut Hot, curve: &mut Curve) {
    let mut h = *hot;
    let mut samples = block;
    loop {
        if clean {
            let peaks = h.peak_run(samples, curve);
            let taken = peaks + h.run_clean(samples.get(peaks..).unwrap_or_default());
            samples = samples.get(taken..).unwrap_or_default();
        }
        // The inner loop has no call (a call makes the compiler, or a wasm engine, keep the
        // loop's state in memory); a period it cannot finish leaves it for the cold path and
        // comes back. A clean block steps the group of four `run_clean` declined here (up to
        // the first period that needs the cold path) and goes back to `run_clean`.
        let mut pending = None;
        let mut stepped = false;
        let mut rest = samples.iter();
        let mut quad = 0u32;
        for &r in rest.by_ref() {
            if !h.try_step(r, &mut stepped) {
                pending = Some(r);
                break;
            }
            quad += 1;
            if clean && quad == 4 {
                break;
            }
        }
        samples = rest.as_slice();
        if let Some(r) = pending {
            if !h.try_peak(curve, stepped) {
                h = h.settle(curve, r, stepped);
            }
        } else if samples.is_empty() {
            break;
        }
    }
    *hot = h;
}

/// The lowest and highest non-NaN return of a block (±∞ when it has none) and its NaN count,
/// accumulated in [`LANES`] independent lanes. The lanes also sum the block (the sum only
/// serves as a NaN detector: it is NaN, or infinite, only when a sample is NaN or infinite,
/// or the sum overflows): only a block whose sum is not finite has its NaNs counted, in a
/// second loop.
#[inline(always)]
fn block_range(block: &[f64]) -> (f64, f64, u32) {
    // Comparisons, not `f64::min`: which zero a tie keeps must not depend on the target. A
    // new extreme is rare after a block's first samples, so a branch here predicts well.
    let lower = |lo: f64, r: f64| if r < lo { r } else { lo };
    let higher = |hi: f64, r: f64| if r > hi { r } else { hi };
    // Four lanes as plain locals (not arrays: wasm at opt-level "s" keeps arrays in memory).
    let (mut l0, mut l1, mut l2, mut l3) =
        (f64::INFINITY, f64::INFINITY, f64::INFINITY, f64::INFINITY);
    let (mut h0, mut h1, mut h2, mut h3) = (
        -f64::INFINITY,
        -f64::INFINITY,
        -f64::INFINITY,
        -f64::INFINITY,
    );
    let (mut s0, mut s1, mut s2, mut s3) = (0.0, 0.0, 0.0, 0.0);
    let mut chunks = block.chunks_exact(LANES);
    for chunk in chunks.by_ref() {
        let &[r0, r1, r2, r3] = chunk else { continue };
        (l0, l1, l2, l3) = (lower(l0, r0), lower(l1, r1), lower(l2, r2), lower(l3, r3));
        (h0, h1, h2, h3) = (
            higher(h0, r0),
            higher(h1, r1),
            higher(h2, r2),
            higher(h3, r3),
        );
        (s0, s1, s2, s3) = (s0 + r0, s1 + r1, s2 + r2, s3 + r3);
    }
    let (mut l, mut h, mut s) = (lower(l0, l1), higher(h0, h1), s0 + s1);
    (l, h, s) = (
        lower(l, lower(l2, l3)),
        higher(h, higher(h2, h3)),
        s + (s2 + s3),
    );
    for &r in chunks.remainder() {
        (l, h, s) = (lower(l, r), higher(h, r), s + r);
    }
    let nans = if s.is_finite() {
        0
    } else {
        // At most BLOCK NaNs.
        block.iter().filter(|r| r.is_nan()).count() as u32
    };
    (l, h, nans)
}

/// Independent accumulators of [`block_range`].
const LANES: usize = 4;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Code;

    /// The curve walked by the pass (four-period groups in clean blocks) against the
    /// one-period-at-a-time drawdown curve of `drawdowns_of`: a random walk through every mode
    /// (near the peak, below −½ and back, new peaks, tiny returns, a block with a NaN and one
    /// with a return beyond ½).
    #[test]
    fn clean_groups_walk_the_curve_as_single_periods_do() {
        let mut seed = 5u64;
        let mut next = || {
            seed = seed
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            (seed >> 11) as f64 / (1u64 << 53) as f64
        };
        let mut xs: Vec<f64> = Vec::new();
        for regime in 0..40 {
            let (drift, spread) = match regime % 5 {
                0 => (-0.02, 0.05),
                1 => (0.03, 0.05),
                2 => (0.0, 1e-12),
                3 => (-0.001, 0.4),
                _ => (0.0005, 0.01),
            };
            for _ in 0..(200 + regime * 37) {
                xs.push((drift + spread * (next() - 0.5)).clamp(-0.5, 0.5));
            }
        }
        xs[3000] = f64::NAN;
        xs[5000] = 0.9;
        let stats = curve(&xs).unwrap();
        let dd = crate::metrics::drawdown::drawdowns_of(&xs);
        let worst = dd.iter().copied().fold(0.0, f64::min);
        assert!(worst < -0.5, "the walk reaches the deep form: {worst}");
        assert!(
            (stats.max_drawdown - worst).abs() <= 1e-13 * worst.abs(),
            "{} vs {worst}",
            stats.max_drawdown
        );
        let under = dd.iter().skip(1).filter(|&&d| d < 0.0).count() as u64;
        let longest = (dd.iter().skip(1))
            .fold((0u64, 0u64), |(run, best), &d| {
                let run = if d < 0.0 { run + 1 } else { 0 };
                (run, best.max(run))
            })
            .1;
        assert_eq!(
            (stats.under_water, stats.longest_drawdown),
            (under, longest)
        );
        let log_growth: f64 = xs.iter().filter(|x| !x.is_nan()).map(|&x| x.ln_1p()).sum();
        assert!((stats.log_growth - log_growth).abs() <= 1e-10 * log_growth.abs().max(1.0));
    }

    /// New peaks in a row taken by `Hot::peak_run` are, to the bit, the one-period steps
    /// `try_step` + `try_peak` take: the same growth and the same peak mark (−0 and tiny gains
    /// included), the same stop (a loss, a growth leaving its flush range).
    #[test]
    fn peak_runs_are_single_steps_to_the_bit() {
        let runs: [&[f64]; 4] = [
            &[0.01, 0.02, -0.0, 0.0, 1e-17, 0.003, -0.001, 0.5],
            &[0.4, 0.45, 0.3, 0.2, 0.01],
            &[-0.01, 0.2],
            &[],
        ];
        for (i, xs) in runs.into_iter().enumerate() {
            let (mut fast, mut slow) = (Hot::default(), Hot::default());
            let (mut cf, mut cs) = (Curve::default(), Curve::default());
            let taken = fast.peak_run(xs, &mut cf);
            let mut stepped_periods = 0;
            for &r in xs {
                let mut stepped = false;
                let mut probe = slow;
                if probe.try_step(r, &mut stepped) || !probe.try_peak(&mut cs, stepped) {
                    break;
                }
                slow = probe;
                stepped_periods += 1;
            }
            assert_eq!(taken, stepped_periods, "run {i}");
            assert_eq!(
                format!("{fast:?} {cf:?}"),
                format!("{slow:?} {cs:?}"),
                "run {i}"
            );
        }
    }

    /// A seeded series of `n` returns: `spread(i)` scales the i-th uniform draw in ±½.
    fn series(n: usize, seed: u64, spread: impl Fn(usize) -> f64) -> Vec<f64> {
        let mut s = seed;
        (0..n)
            .map(|i| {
                s = s
                    .wrapping_mul(6_364_136_223_846_793_005)
                    .wrapping_add(1_442_695_040_888_963_407);
                ((s >> 11) as f64 / (1u64 << 53) as f64 - 0.5) * spread(i) + 0.0002
            })
            .collect()
    }

    /// `compute_chunked` with chunks read from `xs`, and whether the chunked pass itself
    /// resolved (no whole-series fallback).
    fn chunked(xs: &[f64], level: f64) -> (String, bool) {
        let mut read = |start: usize, out: &mut [f64]| {
            out.copy_from_slice(&xs[start..start + out.len()]);
        };
        let fast = full_chunked(xs.len(), &mut read, 0.0001, level)
            .map(|s| s.is_some())
            .unwrap_or(false);
        let opts = crate::metrics::MetricsOptions {
            var_level: level,
            ..Default::default()
        };
        let m = crate::metrics::compute_chunked(xs.len(), &mut read, &opts, None);
        (format!("{m:?}"), fast)
    }

    fn whole(xs: &[f64], level: f64) -> String {
        let opts = crate::metrics::MetricsOptions {
            var_level: level,
            ..Default::default()
        };
        format!("{:?}", crate::metrics::compute_on(xs, &opts, None))
    }

    /// The chunked pass gives what the pass over the whole series gives, to the bit (the
    /// `Debug` text prints every float exactly), on its own path for usual series and through
    /// the whole-series fallback for the others; errors name the same sample.
    #[test]
    fn chunked_pass_is_the_whole_pass_to_the_bit() {
        let n = 3 * CHUNK + 1234;
        let steady = series(n, 7, |_| 0.03);
        // A calmer first chunk: the provisional VaR bound is loose (more is collected, then
        // dropped); much calmer: the collection outgrows its cap (fallback).
        let calmer_start = series(n, 12, |i| if i < CHUNK { 0.025 } else { 0.03 });
        let calm_start = series(n, 8, |i| if i < CHUNK { 0.001 } else { 0.2 });
        // A wilder first chunk: the provisional bound is too low (fallback).
        let wild_start = series(n, 9, |i| if i < CHUNK { 0.4 } else { 0.01 });
        let mut gaps = series(n, 10, |_| 0.05);
        for i in (0..n).step_by(97) {
            gaps[i] = f64::NAN;
        }
        let mut sparse_start = series(n, 11, |_| 0.02);
        sparse_start[..CHUNK - 10].fill(f64::NAN);
        let cases = [
            (&steady, 0.95, true),
            (&steady, 0.99, true),
            // The median: the window outgrows its cap, the exact path reads the whole series.
            (&steady, 0.5, false),
            (&calmer_start, 0.95, true),
            (&calm_start, 0.95, false),
            (&wild_start, 0.95, false),
            (&gaps, 0.9, true),
            (&sparse_start, 0.95, false),
        ];
        for (i, (xs, level, fast)) in cases.into_iter().enumerate() {
            let (got, was_fast) = chunked(xs, level);
            assert_eq!(got, whole(xs, level), "case {i}");
            assert_eq!(was_fast, fast, "case {i}");
        }
        // Short series (one chunk) and exactly two chunks.
        for len in [0, 1, 300, CHUNK, 2 * CHUNK] {
            let xs = &steady[..len];
            assert_eq!(chunked(xs, 0.95).0, whole(xs, 0.95), "len {len}");
        }
        // The first offending sample, in a later chunk, wins over a later one.
        let mut bad = steady.clone();
        bad[2 * CHUNK + 5] = -1.5;
        bad[3 * CHUNK + 1] = f64::INFINITY;
        let (got, _) = chunked(&bad, 0.95);
        assert_eq!(got, whole(&bad, 0.95));
        assert!(got.contains(&format!("/{}", 2 * CHUNK + 5)), "{got}");
    }

    /// The pass's range is the non-NaN samples' lowest and highest, whichever lane and place a
    /// NaN takes in its block (the lanes' extremes are dropped for a block holding a NaN, and
    /// the block rescanned), and with signed zeros as the extremes.
    #[test]
    fn range_skips_nans_in_either_lane() {
        let base = series(3 * BLOCK + 7, 3, |_| 0.04);
        for at in [0, 1, 2, 254, 255, BLOCK + 128, 3 * BLOCK + 6] {
            for extra in [None, Some(at + 1), Some(at + 3)] {
                let mut xs = base.clone();
                xs[at] = f64::NAN;
                if let Some(e) = extra.filter(|&e| e < xs.len()) {
                    xs[e] = f64::NAN;
                }
                // The extremes right next to the NaN, in the other lane and in the same one.
                let n = xs.len();
                xs[(at + 2) % n] = -0.3;
                xs[(at + 4) % n] = 0.45;
                let want = Range::of(&xs).unwrap();
                let got = full(&xs, 0.0, 0.95).unwrap().range;
                assert_eq!(
                    (got.n, got.lo.to_bits(), got.hi.to_bits()),
                    (want.n, want.lo.to_bits(), want.hi.to_bits()),
                    "NaN at {at}, {extra:?}"
                );
            }
        }
        let zeros = vec![0.0, -0.0, 0.0, -0.0, f64::NAN, 0.0];
        let got = full(&zeros, 0.0, 0.95).unwrap().range;
        let want = Range::of(&zeros).unwrap();
        assert_eq!((got.lo, got.hi, got.n), (want.lo, want.hi, want.n));
    }

    #[test]
    fn errors_name_the_first_offending_sample_in_any_block() {
        let mut xs = vec![0.001; 1000];
        for (bad, at, code) in [
            (f64::INFINITY, 130, Code::NotFinite),
            (-1.5, 64, Code::InvalidValue),
            (f64::NEG_INFINITY, 63, Code::NotFinite),
            (-2.0, 999, Code::InvalidValue),
        ] {
            let mut ys = xs.clone();
            ys[at] = bad;
            // A later offender in the same or a later block does not win.
            ys[at.max(998) + 1 - usize::from(at == 999)] = -3.0;
            if at == 999 {
                ys[999] = bad;
            }
            for e in [curve(&ys).unwrap_err(), full(&ys, 0.0, 0.95).unwrap_err()] {
                assert_eq!((e.code, e.path.clone()), (code, format!("/{at}")));
            }
        }
        xs[500] = f64::NAN;
        xs[501] = -1.0;
        let scan = full(&xs, 0.0, 0.95).unwrap();
        assert_eq!(scan.range.n, 999);
        assert!(scan.curve.ruined);
    }
}
