//! Metrics against independent values: a naive second formulation (plain f64 two-pass sums,
//! direct products, full sort, std's `powf`/`exp_m1`), closed forms and edge cases, plus
//! property checks. Hand-worked vectors live in `tests/vectors/metrics/` (`metrics_vectors.rs`).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
use proptest::prelude::*;
use worldgate::Code;
use worldgate::metrics::{
    MetricsOptions, ReturnKind, compute, drawdown_curve, equity_curve, pnl_metrics,
    returns_from_equity, returns_from_prices, returns_metrics, validate_returns,
};
use worldgate::schema::{EvaluationMetrics, Num, ReturnsMetrics};

fn opts() -> MetricsOptions {
    MetricsOptions::default()
}

fn get(v: Option<Num>) -> f64 {
    v.expect("metric is null").get()
}

#[track_caller]
fn close(actual: f64, expected: f64, tol: f64) {
    let ok = if expected == 0.0 {
        actual.abs() <= tol
    } else {
        ((actual - expected) / expected).abs() <= tol
    };
    assert!(ok, "expected {expected:e}, got {actual:e}");
}

/// The naive reference: straightforward f64 arithmetic, written independently of the crate.
struct Naive {
    sharpe: f64,
    volatility: f64,
    sortino: f64,
    max_drawdown: f64,
    win_rate: f64,
    profit_factor: f64,
    total_return: f64,
    cagr: f64,
    var: f64,
    cvar: f64,
    time_under_water: f64,
    longest: u64,
    pnl_total: f64,
    pnl_max_drawdown: f64,
    pnl_peak: f64,
}

fn naive(r: &[f64], p: f64, rf: f64, alpha: f64, v0: f64) -> Naive {
    let fin: Vec<f64> = r.iter().copied().filter(|x| !x.is_nan()).collect();
    let n = fin.len() as f64;
    let rf_pp = (1.0 + rf).powf(1.0 / p) - 1.0;
    let mean = fin.iter().sum::<f64>() / n;
    let var = fin.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1.0);
    let down = (fin
        .iter()
        .map(|x| (x - rf_pp).min(0.0).powi(2))
        .sum::<f64>()
        / n)
        .sqrt();
    let (mut eq, mut peak, mut mdd, mut uw, mut run, mut longest) =
        (1.0f64, 1.0f64, 0.0f64, 0, 0, 0);
    let (mut v, mut vpeak, mut vdd) = (v0, v0, 0.0f64);
    for &x in r {
        if !x.is_nan() {
            eq *= 1.0 + x;
            v *= 1.0 + x;
        }
        peak = peak.max(eq);
        vpeak = vpeak.max(v);
        mdd = mdd.min(eq / peak - 1.0);
        vdd = vdd.min(v - vpeak);
        if eq < peak {
            uw += 1;
            run += 1;
            longest = longest.max(run);
        } else {
            run = 0;
        }
    }
    let mut sorted = fin.clone();
    sorted.sort_by(|a, b| a.partial_cmp(b).unwrap());
    let h = (n - 1.0) * (1.0 - alpha);
    let i = h.floor() as usize;
    let j = (i + 1).min(sorted.len() - 1);
    let var_q = sorted[i] + (h - h.floor()) * (sorted[j] - sorted[i]);
    let tail: Vec<f64> = sorted.iter().copied().filter(|&x| x <= var_q).collect();
    let gains: f64 = fin.iter().filter(|&&x| x >= 0.0).sum();
    let losses: f64 = fin.iter().filter(|&&x| x < 0.0).sum();
    Naive {
        sharpe: (mean - rf_pp) / var.sqrt() * p.sqrt(),
        volatility: var.sqrt() * p.sqrt(),
        sortino: (mean - rf_pp) / down * p.sqrt(),
        max_drawdown: mdd,
        win_rate: fin.iter().filter(|&&x| x > 0.0).count() as f64
            / fin.iter().filter(|&&x| x != 0.0).count() as f64,
        profit_factor: gains / losses.abs(),
        total_return: eq - 1.0,
        cagr: eq.powf(p / n) - 1.0,
        var: var_q,
        cvar: tail.iter().sum::<f64>() / tail.len() as f64,
        time_under_water: f64::from(uw) / r.len() as f64,
        longest,
        pnl_total: v - v0,
        pnl_max_drawdown: vdd,
        pnl_peak: vpeak,
    }
}

fn compare(m: &EvaluationMetrics, e: &Naive, tol: f64) {
    let r = m.returns.as_ref().unwrap();
    let p = m.pnl.as_ref().unwrap();
    close(get(r.sharpe), e.sharpe, tol);
    close(get(r.volatility), e.volatility, tol);
    close(get(r.sortino), e.sortino, tol);
    close(get(r.max_drawdown), e.max_drawdown, tol);
    close(get(r.win_rate), e.win_rate, tol);
    close(get(r.profit_factor), e.profit_factor, tol);
    close(get(r.total_return), e.total_return, tol);
    close(get(r.cagr), e.cagr, tol);
    close(get(r.var), e.var, tol);
    close(get(r.cvar), e.cvar, tol);
    close(get(r.time_under_water), e.time_under_water, tol);
    assert_eq!(r.longest_drawdown, Some(e.longest));
    close(get(p.pnl_total), e.pnl_total, tol);
    close(get(p.pnl_max_drawdown), e.pnl_max_drawdown, tol);
    close(get(p.pnl_equity_peak), e.pnl_peak, tol);
}

/// Deterministic pseudo-random returns (64-bit LCG, top 53 bits → [0, 1)).
fn series(n: usize, seed: u64, mean: f64, spread: f64) -> Vec<f64> {
    let mut s = seed;
    (0..n)
        .map(|_| {
            s = s
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            let u = (s >> 11) as f64 / (1u64 << 53) as f64;
            mean + spread * (u - 0.5)
        })
        .collect()
}

#[test]
fn agrees_with_the_naive_formulation_on_a_random_series() {
    let r = series(1000, 7, 0.0004, 0.04);
    let o = MetricsOptions {
        risk_free: 0.03,
        var_level: 0.99,
        initial_capital: 2500.0,
        ..opts()
    };
    let m = compute(&r, &o).unwrap();
    compare(&m, &naive(&r, 252.0, 0.03, 0.99, 2500.0), 1e-9);
}

#[test]
fn one_million_samples_agree_with_the_naive_formulation() {
    let mut r = series(1_000_000, 42, 0.0002, 0.02);
    // A few NaN periods and one deep crash.
    for i in (0..r.len()).step_by(99_991) {
        r[i] = f64::NAN;
    }
    r[500_000] = -0.6;
    let m = compute(&r, &opts()).unwrap();
    // The naive f64 reference carries ~1e-12 of rounding on 1e6 terms (its products and sums
    // are uncompensated), so the tolerance is looser than the 1e-9 of short series.
    compare(&m, &naive(&r, 252.0, 0.0, 0.95, 10_000.0), 1e-8);
    let rm = m.returns.unwrap();
    assert_eq!(rm.sample_count, 1_000_000 - 11);
    assert_eq!(rm.nan_count, Some(11));
}

#[test]
fn constant_returns_closed_form() {
    // c = 0.002 for n = 250: vol 0, total (1+c)^n − 1, cagr (1+c)^252 − 1, no drawdown.
    let c = 0.002;
    let r = vec![c; 250];
    let m = compute(&r, &opts()).unwrap();
    let rm = m.returns.unwrap();
    assert_eq!(rm.volatility, Some(Num(0.0)));
    assert_eq!(rm.sharpe, None);
    assert!(rm.reasons["sharpe"].contains("zero standard deviation"));
    close(get(rm.total_return), (1.0f64 + c).powi(250) - 1.0, 1e-12);
    close(get(rm.cagr), (1.0f64 + c).powi(252) - 1.0, 1e-12);
    assert_eq!(rm.max_drawdown, Some(Num(0.0)));
    assert_eq!(rm.calmar, None);
    assert_eq!(rm.sortino, Some(Num(f64::INFINITY)));
    assert_eq!(rm.profit_factor, Some(Num(f64::INFINITY)));
    assert_eq!(rm.win_rate, Some(Num(1.0)));
    assert_eq!((rm.var, rm.cvar), (Some(Num(c)), Some(Num(c))));
    let p = m.pnl.unwrap();
    close(
        get(p.final_equity),
        10_000.0 * (1.0f64 + c).powi(250),
        1e-12,
    );
    assert_eq!(p.pnl_equity_peak, p.final_equity);
    assert_eq!(p.pnl_max_drawdown, Some(Num(0.0)));
}

#[test]
fn constant_negative_returns_with_risk_free_rate() {
    // Constant −1 %: zero deviation even with rf; drawdown (0.99)^n − 1; every period under water.
    let r = vec![-0.01; 30];
    let o = MetricsOptions {
        risk_free: 0.04,
        ..opts()
    };
    let rm = returns_metrics(&r, &o).unwrap();
    assert_eq!(rm.sharpe, None);
    close(get(rm.max_drawdown), 0.99f64.powi(30) - 1.0, 1e-12);
    assert_eq!(rm.time_under_water, Some(Num(1.0)));
    assert_eq!(rm.longest_drawdown, Some(30));
    // Sortino: every excess r − rf_pp is the same negative number e: mean e / √(e²) · √P = −√P.
    close(get(rm.sortino), -(252f64.sqrt()), 1e-12);
}

#[test]
fn alternating_returns_closed_form() {
    // ±a for n = 2m: mean 0, std = a·√(n/(n−1)); max drawdown (1−a²)^m/(1+a) − 1.
    let (a, m) = (0.05, 500);
    let r: Vec<f64> = (0..2 * m)
        .map(|i| if i % 2 == 0 { a } else { -a })
        .collect();
    let n = (2 * m) as f64;
    let rm = returns_metrics(&r, &opts()).unwrap();
    assert_eq!(rm.sharpe, Some(Num(0.0)));
    close(
        get(rm.volatility),
        a * (n / (n - 1.0)).sqrt() * 252f64.sqrt(),
        1e-12,
    );
    close(
        get(rm.max_drawdown),
        (1.0 - a * a).powi(m) / (1.0 + a) - 1.0,
        1e-12,
    );
    close(get(rm.total_return), (1.0 - a * a).powi(m) - 1.0, 1e-12);
    close(get(rm.time_under_water), (n - 1.0) / n, 1e-15);
    assert_eq!(rm.longest_drawdown, Some(2 * m as u64 - 1));
    assert_eq!(rm.win_rate, Some(Num(0.5)));
    assert_eq!(rm.profit_factor, Some(Num(1.0)));
}

#[test]
fn geometric_equity_gives_constant_returns() {
    // Equity 100·1.5^t is exact in binary for t ≤ 20: every return is exactly 0.5.
    let eq: Vec<f64> = (0..21).map(|t| 100.0 * 1.5f64.powi(t)).collect();
    let r = returns_from_equity(&eq).unwrap();
    assert_eq!(r, vec![0.5; 20]);
    let o = MetricsOptions {
        initial_capital: 100.0,
        ..opts()
    };
    let m = compute(&r, &o).unwrap();
    close(
        get(m.returns.unwrap().total_return),
        1.5f64.powi(20) - 1.0,
        1e-13,
    );
    close(get(m.pnl.unwrap().final_equity), eq[20], 1e-13);
    // And the equity curve reproduces the levels exactly (each step 0.5·V is exact).
    assert_eq!(equity_curve(&r, 100.0).unwrap(), eq);
    // Log returns of the same levels: ln 1.5 each.
    let lr = returns_from_prices(&eq, ReturnKind::Log).unwrap();
    for x in lr {
        close(x, 1.5f64.ln(), 1e-15);
    }
}

#[test]
fn sigma_1e_12_still_gives_the_exact_sharpe() {
    // r = m ± δ with m = 2⁻¹⁰, δ = 2⁻⁴⁰ ≈ 9.1e-13 (exact in binary), n = 10 000:
    // mean m, deviations ±δ, std = δ·√(n/(n−1)), Sharpe = m/std·√252 ≈ 5.3e10.
    let (m, d) = (2f64.powi(-10), 2f64.powi(-40));
    let n = 10_000;
    let r: Vec<f64> = (0..n)
        .map(|i| if i % 2 == 0 { m + d } else { m - d })
        .collect();
    let nf = n as f64;
    let std = d * (nf / (nf - 1.0)).sqrt();
    let rm = returns_metrics(&r, &opts()).unwrap();
    close(get(rm.sharpe), m / std * 252f64.sqrt(), 1e-12);
    close(get(rm.volatility), std * 252f64.sqrt(), 1e-12);
    // With a 2 % risk-free rate the excess mean is m − rf_pp.
    let o = MetricsOptions {
        risk_free: 0.02,
        ..opts()
    };
    let rf_pp = 1.02f64.powf(1.0 / 252.0) - 1.0;
    let rm = returns_metrics(&r, &o).unwrap();
    close(get(rm.sharpe), (m - rf_pp) / std * 252f64.sqrt(), 1e-9);
    // Pure noise at 1e-12 around 0: alternating ±1e-12 starting with + has mean 0 exactly.
    let r: Vec<f64> = (0..n)
        .map(|i| if i % 2 == 0 { 1e-12 } else { -1e-12 })
        .collect();
    let rm = returns_metrics(&r, &opts()).unwrap();
    close(
        get(rm.volatility),
        1e-12 * (nf / (nf - 1.0)).sqrt() * 252f64.sqrt(),
        1e-12,
    );
    // Drawdown of m = 5000 pairs +δ, −δ: the peak is 1 + δ (first period), the trough the
    // end, (1 − δ²)^m / (1 + δ) − 1 = −δ − (m − 1)·δ² + O(mδ³) = −1e-12 − 4999e-24. Forming
    // 1 + r in f64 would lose the δ² term entirely.
    let d = 1e-12;
    close(get(rm.max_drawdown), -d - 4999.0 * d * d, 1e-12);
}

#[test]
fn tiny_returns_keep_their_precision_in_totals_and_drawdowns() {
    // 1000 returns of −1e-15: total = (1 − 1e-15)^1000 − 1 ≈ −1e-12 + 5e-25 (binomial), which
    // (1 + r) products would get wrong by ~10 % (1 − 1e-15 rounds to 1 − 1.0000000000000000e-15
    // ± 1.1e-16).
    let r = vec![-1e-15; 1000];
    let rm = returns_metrics(&r, &opts()).unwrap();
    let exact = -1000.0 * 1e-15 + 1000.0 * 999.0 / 2.0 * 1e-30;
    close(get(rm.total_return), exact, 1e-12);
    close(get(rm.max_drawdown), exact, 1e-12);
    let dd = drawdown_curve(&r).unwrap();
    close(dd[1000], exact, 1e-12);
}

#[test]
fn growth_stays_exact_through_a_near_total_loss_and_recovery() {
    // 1 + r is exact for r ∈ [−1, −½] and 1.5^k is exact: the growth is (1 + r)·1.5³⁰ up to
    // one rounding. Recovery ratio 1.5³⁰ ≈ 191751 times a 1e-6 stake ≈ 0.19.
    let r0 = -0.999_999;
    let mut r = vec![r0];
    r.extend([0.5; 30]);
    let growth = (1.0 + r0) * 1.5f64.powi(30);
    let m = compute(&r, &opts()).unwrap();
    let rm = m.returns.unwrap();
    close(get(rm.total_return), growth - 1.0, 1e-13);
    close(get(rm.max_drawdown), r0, 1e-15);
    close(get(m.pnl.unwrap().final_equity), 10_000.0 * growth, 1e-13);
    // The drawdown curve tracks the same equity: (1 + r0)·1.5^k − 1 after k gains.
    let dd = drawdown_curve(&r).unwrap();
    close(dd[31], growth - 1.0, 1e-12);
}

#[test]
fn empty_and_all_nan_series_are_null_with_reasons() {
    for r in [vec![], vec![f64::NAN; 3]] {
        let m = compute(&r, &opts()).unwrap();
        let rm = m.returns.unwrap();
        assert_eq!(rm.sample_count, 0);
        assert_eq!(rm.nan_count, Some(r.len() as u64));
        for (name, v) in [
            ("sharpe", rm.sharpe),
            ("volatility", rm.volatility),
            ("max_drawdown", rm.max_drawdown),
            ("win_rate", rm.win_rate),
            ("profit_factor", rm.profit_factor),
            ("sortino", rm.sortino),
            ("calmar", rm.calmar),
            ("cagr", rm.cagr),
            ("total_return", rm.total_return),
            ("var", rm.var),
            ("cvar", rm.cvar),
            ("time_under_water", rm.time_under_water),
        ] {
            assert_eq!(v, None, "{name}");
            assert!(rm.reasons.contains_key(name), "{name} has no reason");
        }
        assert_eq!(rm.longest_drawdown, None);
        let p = m.pnl.unwrap();
        assert_eq!(p.sample_count, r.len() as u64);
        assert_eq!(p.pnl_total, Some(Num(0.0)));
        assert_eq!(p.final_equity, Some(Num(10_000.0)));
        assert_eq!(p.pnl_equity_peak, Some(Num(10_000.0)));
    }
}

#[test]
fn nan_samples_are_dropped_from_statistics_and_flat_in_the_curve() {
    let with = [0.03, f64::NAN, -0.01, 0.02, f64::NAN, -0.03];
    let without = [0.03, -0.01, 0.02, -0.03];
    let a = returns_metrics(&with, &opts()).unwrap();
    let b = returns_metrics(&without, &opts()).unwrap();
    for (x, y) in [
        (a.sharpe, b.sharpe),
        (a.volatility, b.volatility),
        (a.sortino, b.sortino),
        (a.win_rate, b.win_rate),
        (a.profit_factor, b.profit_factor),
        (a.total_return, b.total_return),
        (a.cagr, b.cagr),
        (a.max_drawdown, b.max_drawdown),
        (a.var, b.var),
        (a.cvar, b.cvar),
    ] {
        // Equal up to the order of rounding (the NaN gaps shift samples between partial sums).
        close(get(x), get(y), 1e-14);
    }
    assert_eq!((a.sample_count, a.nan_count), (4, Some(2)));
    // Curve 1, 1.03, 1.03, 1.0197, 1.040094, 1.040094, 1.00889…: under water after the −1 %
    // (t = 3), then again at t = 6: 2 of 6 periods (b: 2 of 4).
    close(get(a.time_under_water), 2.0 / 6.0, 1e-15);
    close(get(b.time_under_water), 2.0 / 4.0, 1e-15);
    assert_eq!(a.conventions.unwrap().nan_policy, "dropped");
    assert_eq!(
        equity_curve(&with, 1.0).unwrap()[1..3],
        [1.03, 1.03],
        "a NaN period is flat"
    );
    // A NaN while under water extends the drawdown run.
    let r = [0.1, -0.1, f64::NAN, f64::NAN, 0.5];
    let rm = returns_metrics(&r, &opts()).unwrap();
    assert_eq!(rm.longest_drawdown, Some(3));
    assert_eq!(pnl_metrics(&r, &opts()).unwrap().sample_count, 5);
}

#[test]
fn a_total_loss_ends_the_account() {
    let r = [0.2, -1.0, 0.5, f64::NAN, 0.1];
    assert_eq!(
        equity_curve(&r, 100.0).unwrap(),
        vec![100.0, 120.0, 0.0, 0.0, 0.0, 0.0]
    );
    assert_eq!(
        drawdown_curve(&r).unwrap(),
        vec![0.0, 0.0, -1.0, -1.0, -1.0, -1.0]
    );
    let m = compute(&r, &opts()).unwrap();
    let rm = m.returns.unwrap();
    assert_eq!(rm.max_drawdown, Some(Num(-1.0)));
    assert_eq!(rm.total_return, Some(Num(-1.0)));
    assert_eq!(rm.cagr, Some(Num(-1.0)));
    assert_eq!(rm.calmar, Some(Num(-1.0)));
    close(get(rm.time_under_water), 4.0 / 5.0, 1e-15);
    assert_eq!(rm.longest_drawdown, Some(4));
    let p = m.pnl.unwrap();
    assert_eq!(p.final_equity, Some(Num(0.0)));
    assert_eq!(p.pnl_total, Some(Num(-10_000.0)));
    close(get(p.pnl_equity_peak), 12_000.0, 1e-15);
    close(get(p.pnl_max_drawdown), -12_000.0, 1e-15);
}

#[test]
fn no_losses_and_all_losses() {
    let rm = returns_metrics(&[0.01, 0.0, 0.02], &opts()).unwrap();
    assert_eq!(rm.profit_factor, Some(Num(f64::INFINITY)));
    assert_eq!(rm.win_rate, Some(Num(1.0)));
    assert_eq!(rm.max_drawdown, Some(Num(0.0)));
    assert_eq!(rm.calmar, None);
    assert_eq!(rm.reasons["calmar"], "no drawdown");
    let rm = returns_metrics(&[-0.01, -0.03], &opts()).unwrap();
    assert_eq!(rm.profit_factor, Some(Num(0.0)));
    assert_eq!(rm.win_rate, Some(Num(0.0)));
    // 0.99·0.97 − 1 = −0.0397.
    close(get(rm.max_drawdown), -0.0397, 1e-13);
    // mean −0.02, std √((0.01² + 0.01²)/1) = 0.01·√2: Sharpe = −√2·√252.
    close(get(rm.sharpe), -(2f64.sqrt()) * 252f64.sqrt(), 1e-13);
}

#[test]
fn huge_moves() {
    // +1e6 % a period for 100 periods: growth 10001^100 ≈ 1e400 overflows f64, but with
    // P = 1 the CAGR (10001^100)^(1/100) − 1 = 10000 is finite.
    let r = vec![1e4; 100];
    let o = MetricsOptions {
        periods_per_year: Some(1.0),
        ..opts()
    };
    let m = compute(&r, &o).unwrap();
    let rm = m.returns.unwrap();
    close(get(rm.cagr), 1e4, 1e-12);
    assert_eq!(rm.total_return, Some(Num(f64::INFINITY)));
    assert_eq!(rm.max_drawdown, Some(Num(0.0)));
    assert_eq!(m.pnl.unwrap().pnl_total, Some(Num(f64::INFINITY)));
    // Returns of 1e300 and 1.5e300: squares overflow without scaling.
    // mean 1.25e300, std = 0.25e300·√2, Sharpe = 1.25/(0.25·√2)·√252.
    let rm = returns_metrics(&[1e300, 1.5e300], &opts()).unwrap();
    close(
        get(rm.sharpe),
        1.25 / (0.25 * 2f64.sqrt()) * 252f64.sqrt(),
        1e-13,
    );
    close(
        get(rm.volatility),
        0.25e300 * 2f64.sqrt() * 252f64.sqrt(),
        1e-13,
    );
    assert_eq!(rm.profit_factor, Some(Num(f64::INFINITY)));
    // Largest finite returns: still no overflow in the moments.
    let rm = returns_metrics(&[f64::MAX, f64::MAX / 2.0, 0.0], &opts()).unwrap();
    assert!(get(rm.sharpe).is_finite());
    // The drawdown after a 1e300 gain and a −50 % loss is exactly −0.5.
    let rm = returns_metrics(&[1e300, -0.5], &opts()).unwrap();
    assert_eq!(rm.max_drawdown, Some(Num(-0.5)));
}

#[test]
fn invalid_returns_are_errors_at_their_index() {
    let e = compute(&[0.1, f64::NEG_INFINITY], &opts()).unwrap_err();
    assert_eq!((e.code, e.path.as_str()), (Code::NotFinite, "/1"));
    let e = compute(&[0.1, 0.2, -1.0000001], &opts()).unwrap_err();
    assert_eq!((e.code, e.path.as_str()), (Code::InvalidValue, "/2"));
    let e = equity_curve(&[f64::INFINITY], 1.0).unwrap_err();
    assert_eq!(e.path, "/0");
    let e = drawdown_curve(&[-2.0]).unwrap_err();
    assert_eq!(e.code, Code::InvalidValue);
    assert_eq!(
        equity_curve(&[0.1], 0.0).unwrap_err().code,
        Code::InvalidValue
    );
    validate_returns(&[-1.0, f64::NAN, 0.0]).unwrap();
    let e = compute(
        &[0.1],
        &MetricsOptions {
            periods_per_year: Some(-1.0),
            ..opts()
        },
    )
    .unwrap_err();
    assert_eq!(e.path, "/periods_per_year");
}

#[test]
fn the_block_records_options_and_conventions_and_round_trips_as_json() {
    let o = MetricsOptions {
        window: Some("2024-01-01/2024-12-31".into()),
        reference_currency: "EUR".into(),
        var_level: 0.99,
        ..opts()
    };
    let m = compute(&[0.01, 0.02, 0.0], &o).unwrap();
    let rm: &ReturnsMetrics = m.returns.as_ref().unwrap();
    assert_eq!(rm.window.as_deref(), Some("2024-01-01/2024-12-31"));
    let c = rm.conventions.as_ref().unwrap();
    assert_eq!(
        (c.periods_per_year, c.risk_free, c.var_level, c.ddof),
        (252.0, 0.0, 0.99, 1)
    );
    assert_eq!(c.drawdown, "compounded");
    assert_eq!(m.pnl.as_ref().unwrap().reference_currency, "EUR");
    let json = serde_json::to_string(&m).unwrap();
    assert!(json.contains(r#""profit_factor":"+inf""#), "{json}");
    let back: EvaluationMetrics = worldgate::schema::from_slice(json.as_bytes()).unwrap();
    assert_eq!(back, m);
}

fn returns_strategy() -> impl Strategy<Value = Vec<f64>> {
    prop::collection::vec(
        prop_oneof![
            8 => -0.99f64..1.0,
            1 => Just(0.0),
            1 => Just(f64::NAN),
        ],
        0..120,
    )
}

fn finite_ratio(a: Option<Num>, b: Option<Num>, tol: f64) -> bool {
    match (a, b) {
        (None, None) => true,
        (Some(x), Some(y)) if x.get() == y.get() => true,
        (Some(x), Some(y)) => ((x.get() - y.get()) / y.get()).abs() <= tol,
        _ => false,
    }
}

proptest! {
    #[test]
    fn bounded_metrics_stay_in_range(r in returns_strategy()) {
        let m = compute(&r, &opts()).unwrap();
        let rm = m.returns.unwrap();
        if let Some(dd) = rm.max_drawdown {
            prop_assert!((-1.0..=0.0).contains(&dd.get()));
        }
        if let Some(t) = rm.time_under_water {
            prop_assert!((0.0..=1.0).contains(&t.get()));
        }
        if let Some(w) = rm.win_rate {
            prop_assert!((0.0..=1.0).contains(&w.get()));
        }
        prop_assert!(rm.longest_drawdown.unwrap_or(0) <= r.len() as u64);
        let p = m.pnl.unwrap();
        let peak = get(p.pnl_equity_peak);
        prop_assert!(get(p.pnl_max_drawdown) <= 0.0);
        prop_assert!(peak >= 10_000.0 && peak >= get(p.final_equity));
        let dd = drawdown_curve(&r).unwrap();
        prop_assert_eq!(dd.len(), r.len() + 1);
        prop_assert!(dd.iter().all(|d| (-1.0..=0.0).contains(d)));
        let min = dd.iter().copied().fold(0.0, f64::min);
        if let Some(mdd) = rm.max_drawdown {
            prop_assert_eq!(min, mdd.get());
        }
        // The equity curve agrees with the drawdown curve: V/peak − 1 ≈ d.
        let eq = equity_curve(&r, 1.0).unwrap();
        let mut peak = 0.0f64;
        for (v, d) in eq.iter().zip(&dd) {
            peak = peak.max(*v);
            prop_assert!((v / peak - 1.0 - d).abs() <= 1e-12);
        }
    }

    #[test]
    fn growth_matches_the_direct_product(r in prop::collection::vec(
        prop_oneof![4 => -0.99f64..1.0, 1 => -1.0f64..-0.5, 1 => 1.0f64..50.0, 1 => Just(f64::NAN)],
        1..300,
    )) {
        // Π(1 + r) directly (each 1 + r rounded; error ≲ n·ε relative) vs log1p blocks:
        // the final equity relative, the total return (which cannot hold a growth near 0
        // relatively: 1 + total cancels) absolutely.
        let direct: f64 = r.iter().filter(|x| !x.is_nan()).map(|x| 1.0 + x).product();
        let m = compute(&r, &opts()).unwrap();
        if let Some(total) = m.returns.unwrap().total_return {
            let t = total.get();
            prop_assert!((t - (direct - 1.0)).abs() <= 1e-12 * direct.max(1.0), "{t} vs {direct}");
        }
        let fin = get(m.pnl.unwrap().final_equity);
        prop_assert!((fin - 10_000.0 * direct).abs() <= 1e-12 * 10_000.0 * direct, "{fin} vs {direct}");
        // The drawdown curve's last value is the final equity over the peak, minus 1.
        let eq = equity_curve(&r, 1.0).unwrap();
        let peak = eq.iter().copied().fold(1.0, f64::max);
        let last = *drawdown_curve(&r).unwrap().last().unwrap();
        let want = eq[eq.len() - 1] / peak - 1.0;
        prop_assert!((last - want).abs() <= 1e-12, "{last} vs {want}");
    }

    #[test]
    fn statistics_do_not_depend_on_order(r in returns_strategy(), k in 0usize..120) {
        let a = returns_metrics(&r, &opts()).unwrap();
        let mut s = r.clone();
        s.reverse();
        if !s.is_empty() {
            let k = k % s.len();
            s.rotate_left(k);
        }
        let b = returns_metrics(&s, &opts()).unwrap();
        prop_assert!(finite_ratio(a.sharpe, b.sharpe, 1e-9), "{:?} {:?}", a.sharpe, b.sharpe);
        prop_assert!(finite_ratio(a.volatility, b.volatility, 1e-12));
        prop_assert!(finite_ratio(a.sortino, b.sortino, 1e-9));
        prop_assert_eq!(a.win_rate, b.win_rate);
        prop_assert!(finite_ratio(a.profit_factor, b.profit_factor, 1e-12));
        prop_assert!(finite_ratio(a.total_return, b.total_return, 1e-9));
        prop_assert_eq!(a.var, b.var);
    }

    #[test]
    fn negating_and_scaling_returns(r in returns_strategy(), k in 0.01f64..1.0) {
        let a = returns_metrics(&r, &opts()).unwrap();
        let neg: Vec<f64> = r.iter().map(|x| -x).collect();
        let b = returns_metrics(&neg, &opts()).unwrap();
        // rf = 0: sharpe(−r) = −sharpe(r), vol(−r) = vol(r), win(−r) = 1 − win(r),
        // pf(−r) = 1/pf(r).
        prop_assert!(finite_ratio(a.sharpe, b.sharpe.map(|x| Num(-x.get())), 1e-12));
        prop_assert_eq!(a.volatility, b.volatility);
        if let (Some(x), Some(y)) = (a.win_rate, b.win_rate) {
            prop_assert!((x.get() + y.get() - 1.0).abs() <= 1e-15);
        }
        if let (Some(x), Some(y)) = (a.profit_factor, b.profit_factor)
            && x.get() > 0.0
            && x.get().is_finite()
        {
            prop_assert!((x.get() * y.get() - 1.0).abs() <= 1e-12);
        }
        // Scaling by k > 0: Sharpe and win rate unchanged, volatility × k.
        let scaled: Vec<f64> = r.iter().map(|x| x * k).collect();
        let c = returns_metrics(&scaled, &opts()).unwrap();
        prop_assert!(finite_ratio(a.sharpe, c.sharpe, 1e-9));
        prop_assert!(finite_ratio(a.volatility.map(|v| Num(v.get() * k)), c.volatility, 1e-12));
        prop_assert!(finite_ratio(a.profit_factor, c.profit_factor, 1e-12));
    }
}
