//! QMTL conformance: the 44 cases of `tests/conformance/qmtl-policy-cases.json` (QMTL
//! WorldService's own tests, presets and docs, with the outputs QMTL's engine gives) run
//! through the `qmtl` dialect. Asserted per case: the ordered `selected` list, `profile`,
//! `recommended_stage`, and for every strategy and rule: `status`, `severity`, `owner`,
//! `reason_code`, `reason`, `tags` (as a set: QMTL builds one tag list from a Python set) and
//! `details` (numbers compared as numbers, so `3` equals `3.0`). QMTL's `ruleset_hash` is a
//! blake3 over QMTL's own payload and is not reproduced.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;
use serde_json::Value;
use worldgate::policy::{Correlations, Dialect, EvaluationInput, Policy, Previous};

fn cases() -> Vec<Value> {
    let text = include_str!("conformance/qmtl-policy-cases.json");
    let v: Value = serde_json::from_str(text).unwrap();
    v["cases"].as_array().unwrap().clone()
}

/// JSON equality with numbers compared as f64 and Num strings ("nan", "+inf") as numbers.
fn same(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x.as_f64() == y.as_f64(),
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(p, q)| same(p, q))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| same(v, w)))
        }
        _ => a == b,
    }
}

fn run_case(case: &Value) -> (Vec<String>, Vec<String>) {
    let name = case["name"].as_str().unwrap();
    let policy = match (&case["policy"], case["policy_yaml"].as_str()) {
        (_, Some(yaml)) => Policy::parse(yaml, Dialect::Qmtl),
        (p, None) => Policy::from_value(p, Dialect::Qmtl),
    }
    .unwrap_or_else(|e| panic!("{name}: policy does not parse: {e:?}"));
    let inputs = &case["inputs"];
    let mut input = EvaluationInput::default();
    for (id, m) in inputs["metrics"].as_object().unwrap() {
        input.metrics.insert(id.clone(), m.clone());
    }
    if let Some(prev) = inputs["prev_active"].as_array() {
        input.previous = Some(Previous::Active(
            prev.iter()
                .map(|x| x.as_str().unwrap().to_string())
                .collect(),
        ));
    }
    if !inputs["correlations"].is_null() {
        input.correlations = Some(Correlations::from_value(&inputs["correlations"]).unwrap());
    }
    input.stage = inputs["stage"].as_str().map(str::to_string);
    input.profile = inputs["profile"].as_str().map(str::to_string);
    let d = policy.evaluate(&input);
    let e = &case["expected"];
    assert_eq!(
        common::summary_differs(&policy, &input, &serde_json::to_value(&d).unwrap()),
        None,
        "{}",
        case["name"]
    );
    assert_eq!(
        common::verdicts_differ(&policy, &input, &serde_json::to_value(&d).unwrap()),
        None,
        "{}",
        case["name"]
    );

    let mut selection = Vec::new();
    let mut rules = Vec::new();
    let selected: Vec<&str> = e["selected"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_str().unwrap())
        .collect();
    if d.selected != selected {
        selection.push(format!(
            "{name}: selected {:?}, expected {selected:?}",
            d.selected
        ));
    }
    if d.profile.as_deref() != e["profile"].as_str() {
        selection.push(format!(
            "{name}: profile {:?}, expected {}",
            d.profile, e["profile"]
        ));
    }
    if d.recommended_stage.as_deref() != e["recommended_stage"].as_str() {
        selection.push(format!(
            "{name}: recommended_stage {:?}, expected {}",
            d.recommended_stage, e["recommended_stage"]
        ));
    }
    let ours = serde_json::to_value(&d).unwrap();
    for (sid, expected_rules) in e["rule_results"].as_object().unwrap() {
        let got = &ours["strategies"][sid]["rule_results"];
        for (rule, exp) in expected_rules.as_object().unwrap() {
            let g = &got[rule];
            for field in ["status", "severity", "owner", "reason_code", "reason"] {
                if g[field] != exp[field] {
                    rules.push(format!(
                        "{name}/{sid}/{rule}.{field}: {} vs expected {}",
                        g[field], exp[field]
                    ));
                }
            }
            let mut gt: Vec<&str> = g["tags"]
                .as_array()
                .map(|a| a.iter().filter_map(Value::as_str).collect())
                .unwrap_or_default();
            let mut et: Vec<&str> = exp["tags"]
                .as_array()
                .unwrap()
                .iter()
                .map(|x| x.as_str().unwrap())
                .collect();
            gt.sort_unstable();
            et.sort_unstable();
            if gt != et {
                rules.push(format!(
                    "{name}/{sid}/{rule}.tags: {gt:?} vs expected {et:?}"
                ));
            }
            if !same(&g["details"], &exp["details"]) {
                rules.push(format!(
                    "{name}/{sid}/{rule}.details: {} vs expected {}",
                    g["details"], exp["details"]
                ));
            }
        }
        let ours_rules: Vec<&String> = got.as_object().unwrap().keys().collect();
        if ours_rules.len() != expected_rules.as_object().unwrap().len() {
            rules.push(format!(
                "{name}/{sid}: rules {ours_rules:?} vs expected {:?}",
                expected_rules
                    .as_object()
                    .unwrap()
                    .keys()
                    .collect::<Vec<_>>()
            ));
        }
    }
    (selection, rules)
}

#[test]
fn all_qmtl_conformance_cases_match() {
    let cases = cases();
    assert_eq!(cases.len(), 44);
    let mut failures = Vec::new();
    let mut full = 0;
    for case in &cases {
        let (sel, rules) = run_case(case);
        if sel.is_empty() && rules.is_empty() {
            full += 1;
        }
        failures.extend(sel);
        failures.extend(rules);
    }
    for f in failures.iter().take(60) {
        eprintln!("{f}");
    }
    eprintln!("{full}/{} cases match fully", cases.len());
    assert!(failures.is_empty(), "{} mismatches", failures.len());
}
