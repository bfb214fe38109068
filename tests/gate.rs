//! The bundle gate end to end: verdicts, recomputation and claims, sanitizing, digests,
//! snapshots and run records, determinism.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use serde_json::{Value, json};
use worldgate::Code;
use worldgate::bundle::gate::{GateOptions, gate};
use worldgate::policy::{Dialect, Policy};
use worldgate::schema::{MetricSource, RunState, Verdict};

fn policy() -> Policy {
    Policy::parse(
        r#"{"thresholds": {"sharpe": {"metric": "sharpe", "min": 0.5}}, "top_k": {"metric": "sharpe", "k": 5}}"#,
        Dialect::Strict,
    )
    .unwrap()
}

/// s1 gains steadily (high Sharpe), s2 loses (negative Sharpe).
fn bundle() -> Value {
    json!({
        "bundle_version": 1,
        "world_id": "alpha_world",
        "submissions": [
            {"strategy_id": "s1", "returns": [0.01, 0.012, -0.002, 0.011, 0.009, 0.01], "stage": "backtest",
             "meta": {"owner": "quant", "token": "abc123"}, "storage_refs": {"full": "s3://b/s1.parquet"}},
            {"strategy_id": "s2", "returns": [-0.01, 0.002, -0.012, -0.003, 0.001, -0.008], "stage": "backtest"}
        ]
    })
}

fn bytes(v: &Value) -> Vec<u8> {
    serde_json::to_vec(v).unwrap()
}

#[test]
fn verdicts_snapshots_and_runs() {
    let r = gate(&bytes(&bundle()), &policy(), &GateOptions::default()).unwrap();
    assert_eq!(r.selected, ["s1"]);
    assert_eq!(r.rejected, ["s2"]);
    let s1 = &r.strategies[0];
    // `warn`, not `valid`: the strict dialect notes that no sample metrics were given.
    assert_eq!(
        (s1.verdict, s1.selected, s1.metrics_source),
        (Verdict::Warn, true, MetricSource::Returns)
    );
    assert_eq!(r.strategies[1].verdict, Verdict::Invalid);
    assert!(!r.strategies[1].violations.is_empty());
    // Run ids are minted from the input digest.
    assert_eq!(
        s1.run_id,
        worldgate::run::mint_run_id(&r.input_digest, "s1")
    );
    assert_eq!(
        s1.snapshot_file,
        format!(".qmtl_snapshots/alpha_world-s1-{}.json", s1.run_id)
    );
    // Snapshots: seed §3.3 envelope with heads and provenance.
    let snap = &r.snapshots[0];
    assert_eq!(snap.created_at, "1970-01-01T00:00:00Z");
    assert_eq!(snap.series_heads.returns.len(), 6);
    // equity head: 10000 · 1.01 = 10100, · 1.012 = 10221.2
    assert!((snap.series_heads.equity[1].0 - 10221.2).abs() < 1e-9);
    assert!((snap.series_heads.pnl[0].0 - 100.0).abs() < 1e-9);
    let prov = snap.provenance.as_ref().unwrap();
    assert_eq!(prov.input_digest.as_deref(), Some(r.input_digest.as_str()));
    assert_eq!(
        prov.result_digest.as_deref(),
        Some(r.result_digest.as_str())
    );
    assert_eq!(snap.metrics.gating.as_ref().unwrap().verdict, Verdict::Warn);
    assert_eq!(snap.meta["token"], "[REDACTED:secret_field]");
    // Runs: evaluated, immutable, with history.
    let run = &r.runs[0];
    assert_eq!(run.status.status, RunState::Evaluated);
    assert_eq!(run.history.len(), 4);
    assert_eq!(
        run.status.input_digest.as_deref(),
        Some(r.input_digest.as_str())
    );
    let other = worldgate::schema::Gating::default();
    let e = worldgate::run::record_result(run, run.metrics.clone().unwrap(), other).unwrap_err();
    assert_eq!(e.code, Code::RunImmutable);
    assert!(
        r.redactions
            .iter()
            .any(|x| x.path == "/submissions/0/meta/token")
    );
    // Options: head length and timestamp.
    let opts = GateOptions {
        series_head_len: 2,
        created_at: "2025-12-02T10:00:00Z".into(),
        ..GateOptions::default()
    };
    let r2 = gate(&bytes(&bundle()), &policy(), &opts).unwrap();
    assert_eq!(r2.snapshots[0].series_heads.returns.len(), 2);
    assert_eq!(r2.runs[0].status.created_at, "2025-12-02T10:00:00Z");
    assert_eq!(r2.input_digest, r.input_digest);
}

#[test]
fn same_document_in_any_spelling_gives_the_same_digests_and_decision() {
    let a = gate(&bytes(&bundle()), &policy(), &GateOptions::default()).unwrap();
    let pretty = serde_json::to_string_pretty(&bundle())
        .unwrap()
        .replace("0.01,", "1.0e-2,");
    let b = gate(pretty.as_bytes(), &policy(), &GateOptions::default()).unwrap();
    assert_eq!(a.input_digest, b.input_digest);
    assert_eq!(a.result_digest, b.result_digest);
    assert_eq!(a, b);
    // A different series is a different input.
    let mut changed = bundle();
    changed["submissions"][0]["returns"][0] = json!(0.0101);
    let c = gate(&bytes(&changed), &policy(), &GateOptions::default()).unwrap();
    assert_ne!(c.input_digest, a.input_digest);
}

#[test]
fn claims_are_checked_against_the_series() {
    let computed = worldgate::metrics::compute(
        &[0.01, 0.012, -0.002, 0.011, 0.009, 0.01],
        &worldgate::metrics::MetricsOptions::default(),
    )
    .unwrap();
    let sharpe = computed.returns.as_ref().unwrap().sharpe.unwrap().0;
    let mut honest = bundle();
    honest["submissions"][0]["metrics"] = json!({"returns": {"sample_count": 6, "sharpe": sharpe * (1.0 + 1e-12)},
        "risk": {"turnover_proxy": 0.8}, "custom": {"dsr": 0.4}});
    let r = gate(&bytes(&honest), &policy(), &GateOptions::default()).unwrap();
    let m = &r.snapshots[0].metrics;
    assert_eq!(m.risk.as_ref().unwrap().turnover_proxy.unwrap().0, 0.8);
    assert_eq!(m.custom["dsr"].0, 0.4);

    let mut liar = bundle();
    liar["submissions"][1]["metrics"] =
        json!({"returns": {"sample_count": 6, "sharpe": 2.5, "max_drawdown": -0.001}});
    let errors = gate(&bytes(&liar), &policy(), &GateOptions::default()).unwrap_err();
    let got: Vec<_> = errors.iter().map(|e| (e.code, e.path.as_str())).collect();
    assert_eq!(
        got,
        [
            (
                Code::MetricsMismatch,
                "/submissions/1/metrics/returns/sharpe"
            ),
            (
                Code::MetricsMismatch,
                "/submissions/1/metrics/returns/max_drawdown"
            ),
        ]
    );
    assert!(
        errors[0]
            .message
            .contains("claimed `sharpe` 2.5 disagrees with"),
        "{}",
        errors[0].message
    );
}

#[test]
fn claimed_metrics_without_a_series_are_marked_claimed() {
    let doc = json!({"bundle_version": 1, "world_id": "w", "submissions": [
        {"strategy_id": "c1", "metrics": {"returns": {"sample_count": 300, "sharpe": 1.4}}}]});
    let r = gate(&bytes(&doc), &policy(), &GateOptions::default()).unwrap();
    assert_eq!(r.strategies[0].metrics_source, MetricSource::Claimed);
    assert_eq!(
        r.snapshots[0].metrics.returns.as_ref().unwrap().source,
        MetricSource::Claimed
    );
    assert_eq!(r.selected, ["c1"]);
    assert!(r.snapshots[0].series_heads.returns.is_empty());
}

#[test]
fn previous_state_and_correlations_reach_the_policy() {
    let p = Policy::parse(
        "thresholds:\n  s: {metric: sharpe, min: -100}\ntop_k: {metric: sharpe, k: 5}\ncorrelation: {max: 0.5}\n",
        Dialect::Strict,
    )
    .unwrap();
    let mut b = bundle();
    b["correlations"] = json!([["s1", "s2", 0.9]]);
    let r = gate(&bytes(&b), &p, &GateOptions::default()).unwrap();
    assert_eq!(r.selected, ["s1"], "s2 is too correlated with s1");
    b["correlations"] = json!("nope");
    let e = gate(&bytes(&b), &p, &GateOptions::default()).unwrap_err();
    assert!(e[0].path.starts_with("/correlations"), "{:?}", e);
}

#[test]
fn nothing_secret_survives_in_the_gate_result() {
    let mut b = bundle();
    b["submissions"][0]["meta"]["ci"] = json!(
        "curl -H 'Authorization: Bearer ghp_16C7e42F292c6912E7710c838347Ae178B4a' https://x.s3.amazonaws.com/a?X-Amz-Signature=deadbeefcafe0123"
    );
    b["submissions"][0]["storage_refs"]["local"] = json!("/home/alice/runs/s1.parquet");
    b["meta"] = json!({"uploader": "password=hunter2"});
    let r = gate(&bytes(&b), &policy(), &GateOptions::default()).unwrap();
    let out = serde_json::to_string(&r).unwrap();
    for secret in [
        "ghp_16C7e42F292c6912E7710c838347Ae178B4a",
        "deadbeefcafe0123",
        "alice",
        "hunter2",
        "abc123",
    ] {
        assert!(!out.contains(secret), "`{secret}` leaked");
    }
}

/// QMTL's validation profile over a bundle with returns only: the gate computes the v1.5 set
/// (`qmtl` profile for a `qmtl`-dialect policy), so every profile metric is found.
mod v15 {
    use super::*;

    const PROFILE_POLICY: &str = r#"{
        "validation_profiles": {"backtest": {
            "sample": {"min_effective_years": 0.2, "min_trades_total": 50},
            "performance": {"sharpe_min": 0.05, "max_dd_max": 0.2, "gain_to_pain_min": 0.1},
            "robustness": {"dsr_min": 0.5, "cv_sharpe_gap_max": 1.0}}},
        "validation": {"on_missing_metric": "fail"}
    }"#;

    /// `mean + 0.004·((37i mod 11) − 5)/5`: a deterministic noisy series.
    fn series(n: usize, mean: f64) -> Vec<f64> {
        (0..n)
            .map(|i| mean + 0.004 * (((i * 37) % 11) as f64 - 5.0) / 5.0)
            .collect()
    }

    fn bundle() -> Value {
        json!({
            "bundle_version": 1,
            "world_id": "qmtl_world",
            "submissions": [
                {"strategy_id": "steady", "returns": series(120, 0.002), "stage": "backtest"},
                {"strategy_id": "losing", "returns": series(120, -0.002), "stage": "backtest"},
                {"strategy_id": "short", "returns": series(20, 0.002), "stage": "backtest"}
            ]
        })
    }

    fn rules(r: &worldgate::bundle::gate::GateResult, id: &str) -> Value {
        let d = serde_json::to_value(&r.decision).unwrap();
        d["strategies"][id]["rule_results"].clone()
    }

    #[test]
    fn qmtl_profile_metrics_are_computed_and_gate_the_strategies() {
        let policy = Policy::parse(PROFILE_POLICY, Dialect::Qmtl).unwrap();
        let r = gate(&bytes(&bundle()), &policy, &GateOptions::default()).unwrap();
        assert_eq!(r.selected, ["steady"], "{:?}", r.strategies);
        let steady = rules(&r, "steady");
        for rule in ["sample", "performance", "robustness"] {
            assert_eq!(steady[rule]["status"], "pass", "{rule}: {steady}");
        }
        let losing = rules(&r, "losing");
        assert_eq!(losing["performance"]["status"], "fail", "{losing}");
        let short = rules(&r, "short");
        assert_eq!(short["sample"]["status"], "fail", "{short}");
        // The v1.5 set is stored with the run and snapshot.
        let v15 = r.snapshots[0].metrics.v15.as_ref().unwrap();
        assert_eq!(v15["sample"]["n_trades_total"], 120);
        assert_eq!(v15["diagnostics"]["metrics_profile"], "qmtl");
    }

    #[test]
    fn without_the_v15_set_the_profile_metrics_are_missing() {
        // A strict-dialect gate computes no v1.5 set unless asked: the same profile fails on
        // missing metrics; asked for it, it finds them.
        let policy = Policy::parse(PROFILE_POLICY, Dialect::Strict).unwrap();
        let r = gate(&bytes(&bundle()), &policy, &GateOptions::default()).unwrap();
        assert!(r.snapshots[0].metrics.v15.is_none());
        assert_eq!(rules(&r, "steady")["sample"]["status"], "fail");
        let opts = GateOptions {
            metrics_profile: Some(worldgate::schema::MetricsProfile::Strict),
            ..GateOptions::default()
        };
        let r = gate(&bytes(&bundle()), &policy, &opts).unwrap();
        assert_eq!(rules(&r, "steady")["sample"]["status"], "pass");
        assert_eq!(rules(&r, "short")["sample"]["status"], "fail");
    }

    #[test]
    fn claimed_v15_values_are_checked_against_the_recomputed_ones() {
        let policy = Policy::parse(PROFILE_POLICY, Dialect::Qmtl).unwrap();
        let mut b = bundle();
        b["submissions"][0]["metrics"] = json!({"v15": {"returns": {"sharpe": 3.0}}});
        let errors = gate(&bytes(&b), &policy, &GateOptions::default()).unwrap_err();
        assert_eq!(errors[0].code, Code::MetricsMismatch);
        assert_eq!(errors[0].path, "/submissions/0/metrics/v15/returns/sharpe");
        // The true value passes.
        let r = gate(&bytes(&bundle()), &policy, &GateOptions::default()).unwrap();
        let sharpe = r.snapshots[0].metrics.v15.as_ref().unwrap()["returns"]["sharpe"].clone();
        b["submissions"][0]["metrics"] = json!({"v15": {"returns": {"sharpe": sharpe}}});
        assert!(gate(&bytes(&b), &policy, &GateOptions::default()).is_ok());
        // A claim that is not a v1.5 document is a schema error at its place, with or without
        // a series.
        b["submissions"][0]["metrics"] = json!({"v15": {"returns": {"sharp": 1.0}}});
        let errors = gate(&bytes(&b), &policy, &GateOptions::default()).unwrap_err();
        assert_eq!(errors[0].code, Code::Schema);
        assert_eq!(errors[0].path, "/submissions/0/metrics/v15/returns/sharp");
        b["submissions"][0]
            .as_object_mut()
            .unwrap()
            .remove("returns");
        let errors = gate(&bytes(&b), &policy, &GateOptions::default()).unwrap_err();
        assert_eq!(errors[0].path, "/submissions/0/metrics/v15/returns/sharp");
    }
}

/// A dated submission, an undated one, and one with claimed metrics only.
fn report_bundle() -> Value {
    let r = |k: f64| -> Vec<f64> {
        (0..40)
            .map(|i| 0.01 * ((i as f64) * 0.9 + k).sin() + 0.001)
            .collect()
    };
    let ts: Vec<String> = (0..40)
        .map(|i| worldgate::time::format(19_723.875 + 7.0 * i as f64))
        .collect();
    json!({
        "bundle_version": 1,
        "world_id": "alpha_world",
        "submissions": [
            {"strategy_id": "dated", "returns": r(1.0), "timestamps": ts, "risk_free": 0.02},
            {"strategy_id": "undated", "returns": r(2.0), "periods_per_year": 12},
            {"strategy_id": "indexed", "returns": r(3.0), "index": {"start": "2024-01-31T00:00:00Z", "frequency": "1M"}},
            {"strategy_id": "claimed", "metrics": {"returns": {"sample_count": 40, "sharpe": 1.25}}}
        ]
    })
}

#[test]
fn the_gate_reports_each_submission_as_compute_report_does() {
    use worldgate::schema::{ReportOptions, ReportRequest};
    let doc = report_bundle();
    let request = ReportRequest {
        rolling_windows: vec![4],
        top_drawdowns: 3,
        ..ReportRequest::default()
    };
    let opts = GateOptions {
        report: Some(request.clone()),
        ..GateOptions::default()
    };
    let result = gate(&bytes(&doc), &policy(), &opts).unwrap();
    let reports = result.reports.as_ref().unwrap();
    let ids: Vec<&str> = reports.iter().map(|r| r.strategy_id.as_str()).collect();
    assert_eq!(ids, ["dated", "undated", "indexed", "claimed"]);
    let returns = |i: usize| -> Vec<f64> {
        doc["submissions"][i]["returns"]
            .as_array()
            .unwrap()
            .iter()
            .map(|x| x.as_f64().unwrap())
            .collect()
    };
    let timestamps: Vec<String> =
        serde_json::from_value(doc["submissions"][0]["timestamps"].clone()).unwrap();
    // The dated one: weekly timestamps imply P = 52; its risk-free rate; its dates.
    let expected = worldgate::api::report::report(
        &returns(0),
        &ReportOptions {
            timestamps: Some(timestamps),
            ..request.options(52.0, 0.02, None)
        },
    )
    .unwrap();
    assert_eq!(reports[0].report.as_ref(), Some(&expected));
    assert!(expected.calendar.is_some());
    assert_eq!(expected.conventions.time, "days");
    // The undated one: its own P, no calendar.
    let expected =
        worldgate::api::report::report(&returns(1), &request.options(12.0, 0.0, None)).unwrap();
    assert_eq!(reports[1].report.as_ref(), Some(&expected));
    assert!(expected.calendar.is_none());
    // An index is expanded to its dates (month ends), P = 12.
    let got = reports[2].report.as_ref().unwrap();
    assert_eq!(got.conventions.periods_per_year, 12.0);
    assert_eq!(got.calendar.as_ref().unwrap().months.len(), 40);
    assert_eq!(reports[3].report, None);
    // Without the option: no reports, and the rest of the result is the same.
    let plain = gate(&bytes(&doc), &policy(), &GateOptions::default()).unwrap();
    assert!(plain.reports.is_none());
    assert_eq!(plain.decision, result.decision);
    assert_eq!(plain.snapshots, result.snapshots);
}

#[test]
fn a_bad_report_request_is_an_error_at_the_option() {
    let doc = report_bundle();
    for (request, path) in [
        (
            json!({"rolling_windows": [63, 0]}),
            "/options/report/rolling_windows/1",
        ),
        (
            json!({"omega_required_return": -2}),
            "/options/report/omega_required_return",
        ),
        (
            json!({"benchmark": [0.01, 0.02]}),
            "/options/report/benchmark",
        ),
    ] {
        let opts = GateOptions {
            report: Some(serde_json::from_value(request).unwrap()),
            ..GateOptions::default()
        };
        let e = gate(&bytes(&doc), &policy(), &opts).unwrap_err();
        assert_eq!((e[0].code, e[0].path.as_str()), (Code::InvalidValue, path));
    }
}
