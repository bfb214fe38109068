//! The policy engine's Rust API: parsing in both formats and dialects, the ruleset hash,
//! gating for the metric bundle, and evaluation at benchmark scale.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use indexmap::IndexMap;
use serde_json::json;
use worldgate::Code;
use worldgate::policy::{Dialect, EvaluationInput, Policy, Previous};
use worldgate::schema::{EvaluationMetrics, Verdict};

#[test]
fn yaml_and_json_of_the_same_policy_hash_alike() {
    let yaml = "top_k:\n  metric: sharpe\n  k: 2\nthresholds:\n  s: {metric: sharpe, min: 1}\n";
    let json = r#"{"thresholds": {"s": {"min": 1.0, "metric": "sharpe"}}, "selection": {"top_k": {"k": 2, "metric": "sharpe"}}}"#;
    let a = Policy::parse(yaml, Dialect::Strict).unwrap();
    let b = Policy::parse(json, Dialect::Strict).unwrap();
    assert_eq!(a.ruleset_hash(), b.ruleset_hash());
    assert!(a.ruleset_hash().starts_with("sha256:"));
    // The dialect is part of the resolved policy, so it changes the hash.
    let q = Policy::parse(yaml, Dialect::Qmtl).unwrap();
    assert_ne!(a.ruleset_hash(), q.ruleset_hash());
    // A different bound changes it too.
    let c = Policy::parse(&yaml.replace("min: 1", "min: 1.1"), Dialect::Strict).unwrap();
    assert_ne!(a.ruleset_hash(), c.ruleset_hash());
    // The decision carries the policy's hash.
    let d = a.evaluate(&EvaluationInput::default());
    assert_eq!(d.ruleset_hash, a.ruleset_hash());
}

#[test]
fn errors_are_collected_with_paths() {
    let errs = Policy::parse(
        "{\"top_k\": {\"metric\": \"s\"}, \"hysteresis\": {\"metric\": \"s\", \"enter\": 1}, \"weighting\": {\"method\": \"score\"}}",
        Dialect::Strict,
    )
    .unwrap_err();
    let paths: Vec<&str> = errs.iter().map(|e| e.path.as_str()).collect();
    // The invalid top-k leaves score weighting without a metric, which is reported too.
    assert_eq!(paths, ["/top_k/k", "/hysteresis/exit", "/weighting/metric"]);
    assert!(errs.iter().all(|e| e.code == Code::PolicyInvalid));
    let e = Policy::parse("{\"top_k\": ", Dialect::Strict).unwrap_err();
    assert_eq!(e[0].code, Code::Parse);
    let e = Policy::parse("   ", Dialect::Strict).unwrap_err();
    assert_eq!(e[0].code, Code::Parse);
    // Strict: score weighting needs a metric when there is no top-k.
    let e = Policy::from_value(&json!({"weighting": {"method": "score"}}), Dialect::Strict)
        .unwrap_err();
    assert_eq!(e[0].path, "/weighting/metric");
    // Strict: a stage mapped to an unknown profile.
    let e = Policy::from_value(
        &json!({"validation_profiles": {"paper": {}}, "default_profile_by_stage": {"paper_only": "papr"}}),
        Dialect::Strict,
    )
    .unwrap_err();
    assert_eq!(
        (e[0].path.as_str(), e[0].help.as_deref()),
        (
            "/default_profile_by_stage/paper_only",
            Some("did you mean `paper`?")
        )
    );
    // YAML duplicate keys: an error in strict, last one wins in qmtl.
    let dup = "top_k: {metric: s, k: 1}\ntop_k: {metric: s, k: 2}\n";
    assert_eq!(
        Policy::parse(dup, Dialect::Strict).unwrap_err()[0].code,
        Code::DuplicateKey
    );
    assert_eq!(
        Policy::parse(dup, Dialect::Qmtl)
            .unwrap()
            .document()
            .top_k
            .as_ref()
            .unwrap()
            .k,
        2
    );
}

#[test]
fn gating_is_filled_from_the_decision() {
    let p = Policy::from_value(
        &json!({"thresholds": {"s": {"metric": "sharpe", "min": 1}, "n": {"metric": "n_trades_total", "min": 1}},
                "top_k": {"metric": "sharpe", "k": 1},
                "hysteresis": {"metric": "sharpe", "enter": 1, "exit": 0.5, "promote_after": 2, "demote_after": 3}}),
        Dialect::Strict,
    )
    .unwrap();
    let input = EvaluationInput::from_value(&json!({
        "metrics": {"a": {"returns": {"sharpe": 1.5}, "custom": {"n_trades_total": 10}},
                    "b": {"returns": {"sharpe": 0.5}, "custom": {"n_trades_total": 10}}},
        "previous": ["a"],
    }))
    .unwrap();
    let d = p.evaluate(&input);
    assert_eq!(d.selected, ["a"]);
    let mut bundle = EvaluationMetrics::default();
    assert!(p.fill_gating(&mut bundle, &d, "a"));
    let g = bundle.gating.unwrap();
    assert_eq!(g.verdict, Verdict::Valid);
    assert_eq!(g.rank, Some(1));
    assert_eq!(g.weight.unwrap().0, 1.0);
    assert_eq!(g.ruleset_hash.as_deref(), Some(p.ruleset_hash()));
    assert_eq!(g.hysteresis.unwrap().demote_after, 3);
    let gb = p.gating(&d, "b").unwrap();
    assert_eq!(gb.verdict, Verdict::Invalid);
    assert_eq!(gb.violations[0].code, "threshold_min");
    assert_eq!(gb.violations[0].rule, "thresholds.s");
    assert_eq!(gb.violations[0].bound.unwrap().0, 1.0);
    assert!(p.gating(&d, "zzz").is_none());
}

#[test]
fn state_round_trips_through_json_and_absent_incumbents_are_noted() {
    let p = Policy::from_value(
        &json!({"hysteresis": {"metric": "s", "enter": 0.6, "exit": 0.4}}),
        Dialect::Strict,
    )
    .unwrap();
    let first = p.evaluate(
        &EvaluationInput::from_value(&json!({"metrics": {"a": {"s": 0.7}, "b": {"s": 0.5}}}))
            .unwrap(),
    );
    assert_eq!(first.selected, ["a"]);
    let state = serde_json::to_value(&first.state).unwrap();
    assert_eq!(state["epoch"], 1);
    // Next evaluation: a dips to 0.45 (≥ exit, stays); b rises to 0.55 (< enter).
    let second = p.evaluate(
        &EvaluationInput::from_value(
            &json!({"metrics": {"a": {"s": 0.45}, "b": {"s": 0.55}}, "previous": state}),
        )
        .unwrap(),
    );
    assert_eq!(second.selected, ["a"]);
    assert_eq!(second.state.epoch, 2);
    assert_eq!(second.state.strategies["a"].since, Some(1));
    // Then a has no metrics at all: it leaves, with a note; b enters at 0.9.
    let third = p.evaluate(&EvaluationInput {
        metrics: [("b".to_string(), json!({"s": 0.9}))].into_iter().collect(),
        previous: Some(Previous::State(second.state.clone())),
        ..EvaluationInput::default()
    });
    assert_eq!(third.selected, ["b"]);
    assert_eq!(third.notes[0].code, "incumbent_absent");
    assert_eq!(third.notes[0].strategy_id.as_deref(), Some("a"));
}

#[test]
fn presets_exist_in_both_dialects() {
    for name in worldgate::policy::PRESET_NAMES {
        for d in [Dialect::Strict, Dialect::Qmtl] {
            let p = Policy::preset_in(name, d).unwrap();
            assert_eq!(p.dialect(), d);
            // A preset round-trips through its own JSON.
            let again = Policy::from_value(&p.to_value(), d).unwrap();
            assert_eq!(again.ruleset_hash(), p.ruleset_hash());
        }
    }
    assert!(Policy::preset("yolo").is_none());
    let c = Policy::preset("Conservative").unwrap();
    assert_eq!(c.document().top_k.as_ref().unwrap().k, 3);
}

/// The benchmark's workload through the public API: 1,000 strategies, 1,440-sample series,
/// correlation computed lazily. Asserts the result is sane, not the time.
#[test]
fn thousand_strategies_with_computed_correlation() {
    let n = 1000;
    let mut input = EvaluationInput::default();
    let mut returns = IndexMap::new();
    let mut seed: u64 = 42;
    let mut next = move || {
        seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((seed >> 11) as f64 / (1u64 << 53) as f64) - 0.5
    };
    for i in 0..n {
        let id = format!("strat-{i:04}");
        let series: Vec<f64> = (0..1440).map(|_| next() * 0.01).collect();
        input.metrics.insert(
            id.clone(),
            json!({"sharpe": next() * 4.0, "max_drawdown": -next().abs()}),
        );
        returns.insert(id, series);
    }
    input.returns = Some(returns);
    let p = Policy::from_value(
        &json!({"thresholds": {"dd": {"metric": "max_drawdown", "max": 0.45}},
                "top_k": {"metric": "sharpe", "k": 50}, "correlation": {"max": 0.2}}),
        Dialect::Strict,
    )
    .unwrap();
    let d = p.evaluate(&input);
    assert!(!d.selected.is_empty() && d.selected.len() <= 50);
    assert_eq!(d.strategies.len(), n);
}

#[test]
fn a_null_rule_in_a_map_is_an_error_not_a_missing_rule() {
    // The policy schema has objects there, no null (found by the edge's OpenAPI fuzzer).
    for (doc, path) in [
        (
            "stress:\n  scenarios:\n    crash: null\n",
            "/stress/scenarios/crash",
        ),
        ("thresholds:\n  sharpe: null\n", "/thresholds/sharpe"),
        (
            "validation_profiles:\n  paper: null\n",
            "/validation_profiles/paper",
        ),
    ] {
        for dialect in [Dialect::Strict, Dialect::Qmtl] {
            let errs = Policy::parse(doc, dialect).unwrap_err();
            assert_eq!(errs[0].code, Code::PolicyInvalid, "{doc}");
            assert_eq!(errs[0].path, path, "{doc}");
            assert!(
                errs[0]
                    .message
                    .starts_with("expected an object, found null")
            );
        }
    }
}
