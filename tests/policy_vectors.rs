//! Replays every policy vector under `tests/vectors/policy/` (data only; the JS tests replay
//! the same files through the npm package).
//!
//! A vector: `{description, dialects: ["strict"|"qmtl", ...], policy | policy_yaml | preset,
//! input: {metrics, previous, correlations, returns, stage, profile}, expected}`.
//! `expected` holds either `errors: [{code, path, help?, message_contains?}]` (the policy must
//! not parse) or any of: `selected` (ordered), `profile`, `recommended_stage`, `ruleset_hash`,
//! `notes` (codes,
//! in order), `state` (compared in full), and `strategies.<id>` with any of `status`,
//! `verdict`, `selected`, `rank`, `weight` (±1e-12), `rules` (`{rule: reason_code}` or
//! `{rule: {status, severity, owner, reason_code}}`), `violations` (codes, in order),
//! `explanations` (`[{rule, code, outcome}]`, each must occur). Values not listed are not
//! checked. A top-level `canonical` is the RFC 8785 text of the normalized policy.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;
use serde_json::Value;
use worldgate::policy::{Dialect, EvaluationInput, Policy};

fn dialect(s: &str) -> Dialect {
    match s {
        "qmtl" => Dialect::Qmtl,
        _ => Dialect::Strict,
    }
}

fn check(name: &str, d_name: &str, v: &Value) -> Vec<String> {
    let mut out = Vec::new();
    let tag = format!("{name} [{d_name}]");
    let dia = dialect(d_name);
    let expected = &v["expected"];
    let parsed = if let Some(p) = v["preset"].as_str() {
        Ok(Policy::preset_in(p, dia).unwrap())
    } else if let Some(y) = v["policy_yaml"].as_str() {
        Policy::parse(y, dia)
    } else if let Some(t) = v["policy_text"].as_str() {
        Policy::parse(t, dia)
    } else {
        Policy::from_value(&v["policy"], dia)
    };
    if let Some(errs) = expected["errors"].as_array() {
        match parsed {
            Ok(_) => out.push(format!("{tag}: policy parsed, expected errors")),
            Err(got) => {
                for want in errs {
                    let hit = got.iter().any(|e| {
                        serde_json::to_value(e.code).unwrap() == want["code"]
                            && want["path"].as_str().is_none_or(|p| e.path == p)
                            && want["help"]
                                .as_str()
                                .is_none_or(|h| e.help.as_deref() == Some(h))
                            && want["message_contains"]
                                .as_str()
                                .is_none_or(|m| e.message.contains(m))
                    });
                    if !hit {
                        out.push(format!("{tag}: no error like {want}; got {got:?}"));
                    }
                }
            }
        }
        return out;
    }
    let policy = match parsed {
        Ok(p) => p,
        Err(e) => return vec![format!("{tag}: policy does not parse: {e:?}")],
    };
    let input = EvaluationInput::from_value(&v["input"])
        .unwrap_or_else(|e| panic!("{tag}: bad input {e:?}"));
    let d = policy.evaluate(&input);
    let got = serde_json::to_value(&d).unwrap();
    if let Some(e) = common::summary_differs(&policy, &input, &got) {
        out.push(format!("{tag}: {e}"));
    }
    if let Some(e) = common::verdicts_differ(&policy, &input, &got) {
        out.push(format!("{tag}: {e}"));
    }
    if let Some(want) = v["canonical"].as_str() {
        let text = worldgate::json::canonical::to_canonical_string(&policy.to_value());
        if text != want {
            out.push(format!("{tag}: canonical {text}, expected {want}"));
        }
    }
    for key in [
        "selected",
        "profile",
        "recommended_stage",
        "state",
        "ruleset_hash",
    ] {
        if let Some(want) = expected.get(key)
            && got[key] != *want
        {
            out.push(format!("{tag}: {key} = {}, expected {want}", got[key]));
        }
    }
    if let Some(want) = expected.get("notes") {
        let codes: Vec<&Value> = got["notes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|n| &n["code"])
            .collect();
        if serde_json::to_value(&codes).unwrap() != *want {
            out.push(format!("{tag}: notes {codes:?}, expected {want}"));
        }
    }
    for (id, want) in expected["strategies"].as_object().into_iter().flatten() {
        let g = &got["strategies"][id];
        if g.is_null() {
            out.push(format!("{tag}: no strategy {id}"));
            continue;
        }
        for key in ["status", "verdict", "selected", "rank"] {
            if let Some(w) = want.get(key)
                && g[key] != *w
            {
                out.push(format!("{tag}/{id}: {key} = {}, expected {w}", g[key]));
            }
        }
        if let Some(w) = want.get("weight") {
            let ok = match (g["weight"].as_f64(), w.as_f64()) {
                (Some(a), Some(b)) => (a - b).abs() < 1e-12,
                _ => g["weight"] == *w,
            };
            if !ok {
                out.push(format!(
                    "{tag}/{id}: weight = {}, expected {w}",
                    g["weight"]
                ));
            }
        }
        for (rule, w) in want["rules"].as_object().into_iter().flatten() {
            let r = &g["rule_results"][rule];
            match w {
                Value::String(code) => {
                    if r["reason_code"] != *code {
                        out.push(format!(
                            "{tag}/{id}/{rule}: {} expected {code}",
                            r["reason_code"]
                        ));
                    }
                }
                Value::Object(fields) => {
                    for (f, fv) in fields {
                        if r[f] != *fv {
                            out.push(format!("{tag}/{id}/{rule}.{f}: {} expected {fv}", r[f]));
                        }
                    }
                }
                _ => panic!("{tag}: bad rules entry"),
            }
        }
        if let Some(w) = want.get("violations") {
            let codes: Vec<&Value> = g["violations"]
                .as_array()
                .unwrap()
                .iter()
                .map(|x| &x["code"])
                .collect();
            if serde_json::to_value(&codes).unwrap() != *w {
                out.push(format!("{tag}/{id}: violations {codes:?}, expected {w}"));
            }
        }
        for w in want["explanations"].as_array().into_iter().flatten() {
            let hit = g["explanations"]
                .as_array()
                .unwrap()
                .iter()
                .any(|e| w.as_object().unwrap().iter().all(|(k, x)| e[k] == *x));
            if !hit {
                out.push(format!(
                    "{tag}/{id}: no explanation like {w}; got {}",
                    g["explanations"]
                ));
            }
        }
    }
    out
}

#[test]
fn policy_vectors() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/vectors/policy");
    let mut names: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    names.sort();
    assert!(
        names.len() >= 20,
        "expected the policy vectors, found {}",
        names.len()
    );
    let mut failures = Vec::new();
    for path in &names {
        let v: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
        let name = path.file_stem().unwrap().to_string_lossy().to_string();
        let dialects: Vec<String> = v["dialects"]
            .as_array()
            .map(|a| a.iter().map(|x| x.as_str().unwrap().to_string()).collect())
            .unwrap_or_else(|| vec!["strict".into()]);
        for d in &dialects {
            failures.extend(check(&name, d, &v));
        }
    }
    for f in &failures {
        eprintln!("{f}");
    }
    assert!(failures.is_empty(), "{} vector mismatches", failures.len());
}

/// The ρ the `correlation_rho_bits_length_*` vectors pin to the bit (what the engine gives on
/// every platform) agrees with Pearson's ρ computed here the textbook way, independently of the
/// engine: two passes, `Σ(x − x̄)(y − ȳ) / √(Σ(x − x̄)² · Σ(y − ȳ)²)`, to 1e-12.
#[test]
fn pinned_rho_agrees_with_a_textbook_pearson() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/vectors/policy");
    let mut seen = 0;
    for n in 21..=24 {
        let path = dir.join(format!("correlation_rho_bits_length_{n}.json"));
        let v: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
        let series = |id: &str| -> Vec<f64> {
            let r = v["input"]["returns"][id].as_array().unwrap();
            r.iter().map(|x| x.as_f64().unwrap()).collect()
        };
        let (x, y) = (series("a"), series("b"));
        assert_eq!((x.len(), y.len()), (n, n));
        let mean = |s: &[f64]| s.iter().sum::<f64>() / s.len() as f64;
        let (mx, my) = (mean(&x), mean(&y));
        let sxy: f64 = x.iter().zip(&y).map(|(a, b)| (a - mx) * (b - my)).sum();
        let sxx: f64 = x.iter().map(|a| (a - mx) * (a - mx)).sum();
        let syy: f64 = y.iter().map(|b| (b - my) * (b - my)).sum();
        let textbook = sxy / (sxx * syy).sqrt();
        let explanations = v["expected"]["strategies"]["b"]["explanations"]
            .as_array()
            .unwrap();
        let pinned = explanations[0]["observed"].as_f64().unwrap();
        assert!(
            (pinned - textbook).abs() <= 1e-12 * textbook.abs(),
            "n = {n}: pinned {pinned}, textbook {textbook}"
        );
        seen += 1;
    }
    assert_eq!(seen, 4);
}
