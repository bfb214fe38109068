//! QMTL's v1.5 metrics: the `qmtl` profile against QMTL's own outputs
//! (`tests/conformance/qmtl-metric-cases.json`, from QMTL `fc06bd8` run under Python 3.11.7),
//! and the `strict` profile against independent values, one test per difference from QMTL
//! (README "QMTL v1.5 metrics: qmtl vs strict").
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use serde_json::Value;
use worldgate::Code;
use worldgate::metrics::{V15Options, compute_v15};
use worldgate::schema::MetricsProfile;

fn decode(v: &Value) -> f64 {
    match v {
        Value::String(s) if s == "nan" => f64::NAN,
        Value::String(s) if s == "+inf" => f64::INFINITY,
        Value::String(s) if s == "-inf" => f64::NEG_INFINITY,
        _ => v.as_f64().unwrap(),
    }
}

/// Every leaf QMTL gives is reproduced: 1e-12 relative (exact for integers and exact values),
/// `null` (or absent, which QMTL's augmentation leaves out for an empty series) for `None`.
fn compare(path: &str, expected: &Value, got: &Value, failures: &mut Vec<String>) {
    match expected {
        Value::Object(map) => {
            for (k, e) in map {
                let g = got.get(k).unwrap_or(&Value::Null);
                compare(&format!("{path}.{k}"), e, g, failures);
            }
        }
        Value::Null => {
            if !got.is_null() {
                failures.push(format!("{path}: expected null, got {got}"));
            }
        }
        Value::Number(n) if n.is_u64() => {
            if got.as_u64() != n.as_u64() && got.as_f64() != n.as_f64() {
                failures.push(format!("{path}: expected {n}, got {got}"));
            }
        }
        Value::Number(n) => {
            let e = n.as_f64().unwrap();
            let Some(g) = got.as_f64() else {
                failures.push(format!("{path}: expected {e}, got {got}"));
                return;
            };
            if (g - e).abs() > 1e-12 * e.abs() {
                failures.push(format!("{path}: expected {e:e}, got {g:e}"));
            }
        }
        other => failures.push(format!("{path}: unexpected expected value {other}")),
    }
}

#[test]
fn every_qmtl_case_is_reproduced() {
    let text = include_str!("conformance/qmtl-metric-cases.json");
    let doc: Value = serde_json::from_str(text).unwrap();
    let cases = doc["cases"].as_array().unwrap();
    assert!(cases.len() >= 10);
    let mut failures = Vec::new();
    for case in cases {
        let name = case["name"].as_str().unwrap();
        let inputs = &case["inputs"];
        let returns: Vec<f64> = inputs["returns"]
            .as_array()
            .unwrap()
            .iter()
            .map(decode)
            .collect();
        let opts = V15Options {
            profile: MetricsProfile::Qmtl,
            periods_per_year: inputs["periods_per_year"].as_f64().unwrap(),
            search_intensity: inputs["search_intensity"].as_u64().unwrap(),
            ..V15Options::default()
        };
        let got = serde_json::to_value(compute_v15(&returns, &opts).unwrap()).unwrap();
        compare(name, &case["expected"]["metrics"], &got, &mut failures);
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

fn qmtl(r: &[f64]) -> worldgate::schema::V15Metrics {
    let o = V15Options {
        profile: MetricsProfile::Qmtl,
        ..V15Options::default()
    };
    compute_v15(r, &o).unwrap()
}

fn strict(r: &[f64]) -> worldgate::schema::V15Metrics {
    compute_v15(r, &V15Options::default()).unwrap()
}

fn close(a: Option<f64>, b: f64, rel: f64) {
    let a = a.unwrap_or_else(|| panic!("expected {b}, got null"));
    assert!((a - b).abs() <= rel * b.abs().max(1e-300), "{a} vs {b}");
}

#[test]
fn drawdown_is_compounded_not_additive() {
    // V: 1.1, 0.99, 0.891 → 1 − 0.891/1.1 = 0.19; the additive curve 0.1, 0, −0.1 gives 0.2.
    let r = [0.1, -0.1, -0.1];
    close(strict(&r).returns.max_drawdown, 0.19, 1e-15);
    close(qmtl(&r).returns.max_drawdown, 0.2, 1e-15);
    // After a −100 % period the compounded loss is 1 (everything); the additive one exceeds it.
    let w = [0.5, -1.0, -0.5];
    assert_eq!(strict(&w).returns.max_drawdown, Some(1.0));
    assert_eq!(qmtl(&w).returns.max_drawdown, Some(1.5));
}

#[test]
fn sharpe_annualised_and_per_period_are_named_apart() {
    // mean 0.005; Σd² = 5e-4: sample s = √(5e-4/3), population σ = √(5e-4/4).
    let r = [0.01, -0.01, 0.02, 0.0];
    let s = strict(&r);
    close(s.returns.sharpe_per_period, 0.15f64.sqrt(), 1e-14);
    close(s.returns.sharpe, (0.15f64 * 252.0).sqrt(), 1e-14);
    let q = qmtl(&r);
    close(q.returns.sharpe, 0.2f64.sqrt(), 1e-14);
    assert_eq!(q.returns.sharpe_per_period, None);
}

#[test]
fn constant_and_empty_series_give_null_and_a_reason_not_zero() {
    // QMTL: 0.0 for n = 0, n = 1 and all zeros; ten returns of 0.01 have a left-to-right mean of
    // 0.009999999999999998 and a σ of 1.7e-18, so a Sharpe ratio of 5.8e15 (Python 3.11:
    // `m = sum(x)/10; m / math.sqrt(sum((r - m)**2 for r in x)/10)`).
    let cases: [(&[f64], f64); 4] = [
        (&[0.01; 10], 5764607523034234.0),
        (&[0.0; 10], 0.0),
        (&[], 0.0),
        (&[0.02], 0.0),
    ];
    for (r, qmtl_sharpe) in cases {
        let q = qmtl(r);
        assert_eq!(q.returns.sharpe, Some(qmtl_sharpe));
        let s = strict(r);
        assert_eq!(s.returns.sharpe, None);
        assert!(s.diagnostics.reasons.contains_key("returns.sharpe"));
        assert_eq!(s.robustness.deflated_sharpe_ratio, None);
        assert!(
            s.diagnostics
                .reasons
                .contains_key("robustness.deflated_sharpe_ratio")
        );
    }
    let s = strict(&[]);
    assert_eq!(
        s.diagnostics.reasons["returns.max_drawdown"],
        "needs at least 1 finite samples, got 0"
    );
    assert_eq!(s.returns.max_drawdown, None);
    assert_eq!(qmtl(&[]).returns.max_drawdown, Some(0.0));
}

/// The second formulation: exact rational power sums → k-statistics (k₂, k₃, k₄), G₁ = k₃/k₂^1.5,
/// K = 3 + k₄/k₂², Φ by erfc and Φ⁻¹ by Python's `statistics.NormalDist` (Python 3.11.7,
/// `tests/…` values pasted).
#[test]
fn psr_and_dsr_use_per_period_sharpe_sample_moments_and_exact_inverse_normal() {
    let r = [
        0.012, -0.004, 0.007, -0.011, 0.003, 0.015, -0.002, 0.006, -0.008, 0.01,
    ];
    let s = strict(&r);
    close(s.returns.sharpe_per_period, 0.3198752657128231, 1e-13);
    close(
        s.robustness.probabilistic_sharpe_ratio,
        0.8195718639798609,
        1e-13,
    );
    close(
        s.robustness.deflated_sharpe_ratio,
        0.8195718639798609,
        1e-13,
    );
    let t50 = V15Options {
        search_intensity: 50,
        ..V15Options::default()
    };
    let s50 = compute_v15(&r, &t50).unwrap();
    close(
        s50.robustness.deflated_sharpe_ratio,
        0.08650928599769243,
        1e-12,
    );
    // n < 4: the sample kurtosis is undefined.
    let s3 = strict(&[0.01, -0.02, 0.03]);
    assert_eq!(s3.robustness.probabilistic_sharpe_ratio, None);
    assert_eq!(
        s3.diagnostics.reasons["robustness.probabilistic_sharpe_ratio"],
        "needs at least 4 finite samples, got 3"
    );
}

/// Python 3.11.7: `statistics.mean/stdev` of each fold's `mean/stdev·√252`, folds
/// [0, 32), [32, 64), [64, 96), [96, 130); the `qmtl` values with `fmean/pstdev`.
#[test]
fn cv_folds_use_sample_deviations() {
    let x: Vec<f64> = (0..130)
        .map(|i| ((i * 37) % 101 - 50) as f64 / 5000.0 + 0.0003)
        .collect();
    let s = strict(&x);
    assert_eq!(s.robustness.cv_folds, Some(4));
    close(s.robustness.cv_sharpe_mean, 0.5539642053845792, 1e-13);
    close(s.robustness.cv_sharpe_std, 0.5007019655543, 1e-13);
    let q = qmtl(&x);
    assert_eq!(q.robustness.cv_folds, Some(4));
    close(q.robustness.cv_sharpe_mean, 0.5628624737662951, 1e-13);
    close(q.robustness.cv_sharpe_std, 0.44050394103637047, 1e-13);
}

#[test]
fn time_under_water_in_calendar_days_from_timestamps() {
    // V: 1.1 (peak, Mon 1st), 1.045, 0.99275 (Fri 5th), 1.1913 (back above, Mon 8th: 7 days),
    // 1.07217 (Tue 9th: 1 day). Additive: 0.1, 0.05, 0.0, 0.2, 0.1 → 2 periods.
    let r = [0.1, -0.05, -0.05, 0.2, -0.1];
    let ts = ["01", "02", "05", "08", "09"]
        .map(|d| format!("2024-01-{d}T21:00:00Z"))
        .to_vec();
    let o = V15Options {
        timestamps: Some(ts),
        ..V15Options::default()
    };
    let s = compute_v15(&r, &o).unwrap();
    assert_eq!(s.returns.max_time_under_water_days, Some(7));
    assert_eq!(s.returns.max_time_under_water_periods, Some(2));
    assert_eq!(qmtl(&r).returns.max_time_under_water_days, Some(2));
    // Without timestamps: null and why.
    let s = strict(&r);
    assert_eq!(s.returns.max_time_under_water_days, None);
    assert!(s.diagnostics.reasons["returns.max_time_under_water_days"].contains("timestamps"));
    // A wrong count or order is an error at the timestamps.
    let bad = V15Options {
        timestamps: Some(vec!["2024-01-01T00:00:00Z".into()]),
        ..V15Options::default()
    };
    let e = compute_v15(&r, &bad).unwrap_err();
    assert_eq!(
        (e.code, e.path.as_str()),
        (Code::InvalidValue, "/timestamps")
    );
}

#[test]
fn infinite_returns_are_errors_not_dropped() {
    let r = [0.01, f64::INFINITY, -0.02];
    let e = compute_v15(&r, &V15Options::default()).unwrap_err();
    assert_eq!((e.code, e.path.as_str()), (Code::NotFinite, "/1"));
    let e = compute_v15(&[0.01, -1.5], &V15Options::default()).unwrap_err();
    assert_eq!((e.code, e.path.as_str()), (Code::InvalidValue, "/1"));
    // QMTL drops ±∞ like NaN.
    assert_eq!(qmtl(&r).sample.n_trades_total, Some(2));
}

#[test]
fn risk_free_is_yearly_under_strict_and_per_period_under_qmtl() {
    let r = [0.01, -0.01, 0.02, 0.0, 0.004];
    let rf = 0.05;
    let rf_pp = (1.0f64 + rf).powf(1.0 / 252.0) - 1.0;
    let shifted: Vec<f64> = r.iter().map(|x| x - rf_pp).collect();
    let with_rf = V15Options {
        risk_free: rf,
        ..V15Options::default()
    };
    let a = compute_v15(&r, &with_rf).unwrap().returns.sharpe.unwrap();
    close(strict(&shifted).returns.sharpe, a, 1e-12);
    let q = V15Options {
        profile: MetricsProfile::Qmtl,
        risk_free: 0.001,
        ..V15Options::default()
    };
    let shifted: Vec<f64> = r.iter().map(|x| x - 0.001).collect();
    close(
        compute_v15(&r, &q).unwrap().returns.sharpe,
        qmtl(&shifted).returns.sharpe.unwrap(),
        1e-12,
    );
}

#[test]
fn trades_per_year_is_p_not_a_rounded_quotient() {
    // Python: 65 / (65 / 252) = 251.99999999999997.
    let r = vec![0.001; 65];
    assert_eq!(qmtl(&r).sample.n_trades_per_year, Some(251.99999999999997));
    assert_eq!(strict(&r).sample.n_trades_per_year, Some(252.0));
}

#[test]
fn edge_cases_n_0_1_2_wipeout_and_nan() {
    let s0 = strict(&[]);
    assert_eq!(s0.sample.n_trades_total, None);
    assert_eq!(s0.returns.time_under_water_ratio, None);
    let s1 = strict(&[0.01]);
    assert_eq!(s1.sample.n_trades_total, Some(1));
    assert_eq!(s1.returns.var_p01, None);
    assert_eq!(s1.returns.max_drawdown, Some(0.0));
    assert_eq!(s1.robustness.sharpe_first_half, None);
    // n = 2: Sharpe defined, PSR not (n < 4); halves of one sample each are not.
    let s2 = strict(&[0.01, -0.03]);
    close(
        s2.returns.sharpe_per_period,
        -0.01 / (0.0008f64).sqrt(),
        1e-14,
    );
    assert_eq!(s2.robustness.probabilistic_sharpe_ratio, None);
    // −100 %: the account is gone and stays under water.
    let w = strict(&[0.1, -1.0, 0.1]);
    assert_eq!(w.returns.max_drawdown, Some(1.0));
    assert_eq!(w.returns.time_under_water_ratio, Some(2.0 / 3.0));
    // NaN is dropped under both profiles.
    let nan = [0.01, f64::NAN, -0.02, 0.03];
    assert_eq!(strict(&nan), strict(&[0.01, -0.02, 0.03]));
    assert_eq!(qmtl(&nan), qmtl(&[0.01, -0.02, 0.03]));
}

#[test]
fn shared_definitions_agree_between_profiles() {
    let x: Vec<f64> = (0..90)
        .map(|i| ((i * 53) % 97 - 48) as f64 / 4000.0)
        .collect();
    let (q, s) = (qmtl(&x), strict(&x));
    assert_eq!(q.returns.var_p01, s.returns.var_p01);
    assert_eq!(q.returns.es_p01, s.returns.es_p01);
    assert_eq!(q.sample.regime_coverage, s.sample.regime_coverage);
    assert_eq!(
        q.sample.effective_history_years,
        s.sample.effective_history_years
    );
    assert_eq!(q.diagnostics.strategy_complexity, Some(1.0 + 2f64.ln()));
}

#[test]
fn a_constant_series_is_constant_whatever_its_rounding() {
    // 0.1 + 0.2 repeated: no mean/σ rounding makes it a huge Sharpe ratio under strict.
    for k in [3usize, 7, 10, 1000] {
        let s = strict(&vec![0.30000000000000004; k]);
        assert_eq!(s.returns.sharpe, None, "{k}");
    }
}

#[test]
fn options_decode_with_errors_at_their_pointer() {
    let o: V15Options = worldgate::schema::from_slice(br#"{"profile": "qmtl"}"#).unwrap();
    assert_eq!(o.profile, MetricsProfile::Qmtl);
    assert_eq!(o.periods_per_year, 252.0);
    let d: V15Options = worldgate::schema::from_slice(b"{}").unwrap();
    assert_eq!(d.profile, MetricsProfile::Strict);
    for bad in [
        &br#"{"profile": "fast"}"#[..],
        br#"{"profile": null}"#,
        br#"{"profile": 1}"#,
    ] {
        // As the JS shim decodes: a JSON value, then the type.
        let v: Value = serde_json::from_slice(bad).unwrap();
        let e = worldgate::schema::from_value::<V15Options>(&v).unwrap_err();
        assert_eq!(
            (e.code, e.path.as_str()),
            (Code::Schema, "/profile"),
            "{e:?}"
        );
    }
    let e = worldgate::schema::from_slice::<V15Options>(br#"{"trials": 3}"#).unwrap_err();
    assert_eq!(e.code, Code::Schema);
    let e = compute_v15(
        &[0.01],
        &V15Options {
            periods_per_year: 0.0,
            ..V15Options::default()
        },
    )
    .unwrap_err();
    assert_eq!(
        (e.code, e.path.as_str()),
        (Code::InvalidValue, "/periods_per_year")
    );
}

#[test]
fn deflation_lowers_the_sharpe_probability_under_strict_but_not_under_qmtl() {
    // QMTL's Acklam tails have swapped signs: with T = 50 its DSR exceeds its PSR (its own
    // conformance case `rand_normal_252_daily__trials50`: 0.9995736468363416 vs
    // 0.8551524450658377). Strict deflates: DSR(T) < PSR for T > 1, decreasing in T.
    let text = include_str!("conformance/qmtl-metric-cases.json");
    let doc: Value = serde_json::from_str(text).unwrap();
    let case = doc["cases"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == "rand_normal_252_daily__trials50")
        .unwrap();
    let r: Vec<f64> = case["inputs"]["returns"]
        .as_array()
        .unwrap()
        .iter()
        .map(decode)
        .collect();
    let run = |profile, t| {
        let o = V15Options {
            profile,
            search_intensity: t,
            ..V15Options::default()
        };
        compute_v15(&r, &o).unwrap().robustness
    };
    let q = run(MetricsProfile::Qmtl, 50);
    assert!(q.deflated_sharpe_ratio > q.probabilistic_sharpe_ratio);
    let s1 = run(MetricsProfile::Strict, 1);
    let s10 = run(MetricsProfile::Strict, 10);
    let s50 = run(MetricsProfile::Strict, 50);
    assert_eq!(s1.deflated_sharpe_ratio, s1.probabilistic_sharpe_ratio);
    assert!(s10.deflated_sharpe_ratio < s1.deflated_sharpe_ratio);
    assert!(s50.deflated_sharpe_ratio < s10.deflated_sharpe_ratio);
}

/// `n` timestamps at 21:00 UTC, `step` days apart from `start` (`YYYY-MM-DD`).
fn dated(start: &str, step: f64, n: usize) -> Vec<String> {
    let first = worldgate::time::parse(&format!("{start}T21:00:00Z")).unwrap();
    (0..n)
        .map(|i| worldgate::time::format(first + step * i as f64))
        .collect()
}

fn with_timestamps(profile: MetricsProfile, ts: Vec<String>, p: f64) -> V15Options {
    V15Options {
        profile,
        periods_per_year: p,
        timestamps: Some(ts),
        ..V15Options::default()
    }
}

#[test]
fn a_weekly_series_takes_its_calendar_fields_from_the_dates() {
    // 53 Fridays, 2024-01-05 … 2025-01-03: 364 days, inside the year from 2024-01-05 to
    // 2025-01-05, which holds 29 February (366 days). Y = 364/366, so
    // effective_history_years = Y·53/52 = 364·53/(366·52) and n_trades_per_year = 52/Y = 366/7.
    // Returns 0.01 a week but −0.03, −0.01, +0.02 in weeks 10–12: the additive curve peaks at
    // 0.10 in week 9 (2024-03-08), is under it for weeks 10, 11, 12 and back above in week 13
    // (0.11, 2024-04-05): 3 periods, 28 days. The compounded curve recovers in week 13 too
    // (0.97·0.99·1.02·1.03 = 1.0089 > 1).
    let mut r = vec![0.01; 53];
    r[10] = -0.03;
    r[11] = -0.01;
    r[12] = 0.02;
    r[13] = 0.03;
    let ts = dated("2024-01-05", 7.0, 53);
    assert_eq!(ts[52], "2025-01-03T21:00:00Z");
    for profile in [MetricsProfile::Qmtl, MetricsProfile::Strict] {
        let m = compute_v15(&r, &with_timestamps(profile, ts.clone(), 52.0)).unwrap();
        close(
            m.sample.effective_history_years,
            364.0 * 53.0 / (366.0 * 52.0),
            1e-15,
        );
        close(m.sample.n_trades_per_year, 366.0 / 7.0, 1e-15);
        assert_eq!(m.sample.n_trades_total, Some(53));
        assert_eq!(m.returns.max_time_under_water_days, Some(28), "{profile:?}");
        assert_eq!(m.diagnostics.time_axis.as_deref(), Some("timestamps"));
    }
    // Undated, QMTL's numbers: n / P years, n / (n / P) a year, 3 periods under water.
    let q = compute_v15(
        &r,
        &V15Options {
            profile: MetricsProfile::Qmtl,
            periods_per_year: 52.0,
            ..V15Options::default()
        },
    )
    .unwrap();
    assert_eq!(q.sample.effective_history_years, Some(53.0 / 52.0));
    assert_eq!(q.sample.n_trades_per_year, Some(53.0 / (53.0 / 52.0)));
    assert_eq!(q.returns.max_time_under_water_days, Some(3));
    assert_eq!(q.diagnostics.time_axis, None);
}

#[test]
fn a_series_across_a_leap_day_counts_29_february() {
    // Daily 2024-02-27 … 2024-03-02 (5 returns, 4 days: the 29th is one of them). The year
    // from 2024-02-27 is 366 days: Y = 4/366, years = Y·5/4 = 5/366, per year (5 − 1)/Y = 366.
    // Additive curve 0.01 (peak, 27th), −0.01, −0.02, −0.015, +0.015 (back, 2 March): 3
    // periods, 4 days.
    let r = [0.01, -0.02, -0.01, 0.005, 0.03];
    let ts = dated("2024-02-27", 1.0, 5);
    assert_eq!(ts[2], "2024-02-29T21:00:00Z");
    let q = compute_v15(
        &r,
        &with_timestamps(MetricsProfile::Qmtl, ts.clone(), 365.0),
    )
    .unwrap();
    assert_eq!(q.sample.effective_history_years, Some(5.0 / 366.0));
    close(q.sample.n_trades_per_year, 366.0, 1e-15);
    assert_eq!(q.returns.max_time_under_water_days, Some(4));
    // The same returns a year earlier (2023-02-27 … 2023-03-03, no 29th): 4 days of a 365-day
    // year, and the recovery on 3 March is still 4 days after the peak.
    let ts23 = dated("2023-02-27", 1.0, 5);
    let q = compute_v15(&r, &with_timestamps(MetricsProfile::Qmtl, ts23, 365.0)).unwrap();
    assert_eq!(q.sample.effective_history_years, Some(5.0 / 365.0));
    assert_eq!(q.returns.max_time_under_water_days, Some(4));
    // A whole calendar year of daily returns is exactly one year, leap or not.
    for (start, n) in [("2024-01-01", 366), ("2023-01-01", 365)] {
        let r = vec![0.001; n];
        for profile in [MetricsProfile::Qmtl, MetricsProfile::Strict] {
            let o = with_timestamps(profile, dated(start, 1.0, n), 365.0);
            let m = compute_v15(&r, &o).unwrap();
            assert_eq!(m.sample.effective_history_years, Some(1.0), "{start}");
            assert_eq!(m.sample.n_trades_per_year, Some(n as f64), "{start}");
        }
    }
    // Twelve months from 29 February end on 28 February: 2024-02-29 … 2025-02-28 daily is one
    // whole calendar year (366 returns, 365 days), so Y = 1 and years = 366/365.
    let o = with_timestamps(MetricsProfile::Qmtl, dated("2024-02-29", 1.0, 366), 365.0);
    let m = compute_v15(&vec![0.001; 366], &o).unwrap();
    assert_eq!(m.sample.effective_history_years, Some(366.0 / 365.0));
}

#[test]
fn dropped_returns_take_their_timestamps_and_short_series_keep_qmtls_numbers() {
    // A NaN (and, under qmtl, an infinity) leaves with its date: 4 finite returns dated 1, 2,
    // 4, 5 January (the 3rd dropped) → 4 days of 2024's 366, years = (4/366)·4/3.
    let r = [0.01, -0.02, f64::NAN, 0.005, 0.03];
    let ts = dated("2024-01-01", 1.0, 5);
    let q = compute_v15(
        &r,
        &with_timestamps(MetricsProfile::Qmtl, ts.clone(), 252.0),
    )
    .unwrap();
    assert_eq!(q.sample.n_trades_total, Some(4));
    assert_eq!(q.sample.effective_history_years, Some(16.0 / (366.0 * 3.0)));
    // Under water from the peak on the 1st (0.01) through the 4th (−0.005), back on the 5th.
    assert_eq!(q.returns.max_time_under_water_days, Some(4));
    let s = compute_v15(&r, &with_timestamps(MetricsProfile::Strict, ts, 252.0)).unwrap();
    assert_eq!(s.sample.effective_history_years, Some(16.0 / (366.0 * 3.0)));
    // One dated return: no span, so QMTL's n / P and a count of periods.
    let one = with_timestamps(MetricsProfile::Qmtl, dated("2024-01-01", 1.0, 1), 252.0);
    let q = compute_v15(&[0.01], &one).unwrap();
    assert_eq!(q.sample.effective_history_years, Some(1.0 / 252.0));
    assert_eq!(q.sample.n_trades_per_year, Some(252.0));
    assert_eq!(q.returns.max_time_under_water_days, Some(0));
    // Bad timestamps are errors under qmtl too (QMTL has none to check).
    let bad = with_timestamps(MetricsProfile::Qmtl, dated("2024-01-01", -1.0, 5), 252.0);
    let e = compute_v15(&r, &bad).unwrap_err();
    assert_eq!(
        (e.code, e.path.as_str()),
        (Code::InvalidValue, "/timestamps/1")
    );
}
