//! Replays the operation vectors `tests/vectors/{gate,run,diff,lint,returns,time,calendar}/*.json` natively; the packed
//! package's checks (`tests/js/checks.mjs`) replay the same files in Node, Chromium and workerd.
//!
//! Format (see `tests/vectors/README.md`): `{ "cases": [{ "name", "call": { "fn", "args" },
//! "expected" | "expected_code" (+ "expected_path") }] }`. `fn` is the package's function name;
//! here each maps to the engine's operation. An expected value matches the answer partially, as
//! the JS runner's `partialMatch`: objects key by key (keys not listed are not checked), arrays
//! element by element with equal lengths, numbers within 1e-9 relative, `null` as null or
//! absent. An expected code matches the first error of a failure answer (`{type: "failure"}` or
//! `{ok: false}`) or of a thrown error.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
mod common;

use common::series;
use serde_json::{Value, json};
use std::path::PathBuf;
use worldgate::api;
use worldgate::api::policy::PolicySource;
use worldgate::schema::Answer;
use worldgate::time::Stamps;
use worldgate::{Error, bundle, run};

/// What a call gives: a value (an answer or a plain result), or a thrown error.
type Outcome = Result<Value, Error>;

fn text(v: &Value) -> Vec<u8> {
    match v {
        Value::String(s) => s.as_bytes().to_vec(),
        other => other.to_string().into_bytes(),
    }
}

fn answer<T: serde::Serialize>(r: Result<T, Vec<Error>>) -> Outcome {
    Ok(serde_json::to_value(Answer::of(r)).unwrap())
}

fn gate_bundle(args: &[Value]) -> Outcome {
    let mut opts = args.get(2).cloned().unwrap_or(json!({}));
    let dialect = opts.as_object_mut().and_then(|m| m.remove("dialect"));
    let dialect = api::policy::dialect(dialect.as_ref(), "/dialect")?;
    let opts: bundle::gate::GateOptions = worldgate::schema::from_value(&opts)?;
    let policy = api::policy::compile(PolicySource::Bytes(&text(&args[1])), dialect).map_err(|e| {
        e.into_iter()
            .map(|e| e.within("/policy"))
            .collect::<Vec<_>>()
    });
    answer(policy.and_then(|p| bundle::gate::gate(&text(&args[0]), &p, &opts)))
}

/// A time axis as the package takes it: strings (RFC 3339) or numbers (epoch milliseconds).
fn stamps(v: &Value) -> Stamps {
    let a = v.as_array().unwrap();
    if a.first().is_some_and(Value::is_number) {
        Stamps::EpochMs(series(v))
    } else {
        Stamps::Rfc3339(serde_json::from_value(v.clone()).unwrap())
    }
}

/// `obj[key]` taken out when it is an array of numbers (a numeric time axis).
fn take_numeric(obj: &mut Value, key: &str) -> Option<Stamps> {
    let numeric = obj
        .get(key)?
        .as_array()?
        .first()
        .is_some_and(Value::is_number);
    numeric.then(|| stamps(&obj.as_object_mut().unwrap().remove(key).unwrap()))
}

fn to_value<T: serde::Serialize>(r: Result<T, Error>) -> Outcome {
    r.map(|v| serde_json::to_value(v).unwrap())
}

fn call(f: &str, args: &[Value]) -> Outcome {
    let s = |i: usize| args[i].as_str().unwrap();
    match f {
        "gateBundle" => gate_bundle(args),
        "validateBundle" => Ok(serde_json::to_value(bundle::validate_bundle(
            &text(&args[0]),
            &worldgate::json::Limits::default(),
        ))
        .unwrap()),
        "validateSnapshot" => Ok(serde_json::to_value(worldgate::schema::validate_snapshot(
            &text(&args[0]),
        ))
        .unwrap()),
        "computeMetrics" => {
            // Numeric timestamps (epoch ms) are checked and read as their RFC 3339 text, as
            // the package's shim does.
            let mut opts = args.get(1).cloned().unwrap_or(json!({}));
            let ms = take_numeric(&mut opts, "timestamps");
            let bench_ms = opts
                .get_mut("report")
                .and_then(|r| take_numeric(r, "benchmark_timestamps"));
            let (opts, report) = api::report::split_report(Some(opts))?;
            let mut opts: worldgate::metrics::MetricsOptions =
                worldgate::schema::from_value(&opts.unwrap_or(json!({})))?;
            let returns = series(&args[0]);
            if let Some(ms) = ms {
                opts.timestamps = Some(ms.into_rfc3339(returns.len(), "/timestamps")?);
            }
            match report {
                Some(mut r) => {
                    if let Some(ms) = bench_ms {
                        let n = r.benchmark.as_ref().map_or(ms.len(), Vec::len);
                        r.benchmark_timestamps =
                            Some(ms.into_rfc3339(n, "/report/benchmark_timestamps")?);
                    }
                    to_value(api::report::metrics_with_report(&returns, &opts, &r))
                }
                None => to_value(worldgate::metrics::compute(&returns, &opts)),
            }
        }
        "computeReport" => {
            let mut opts = args.get(1).cloned().unwrap_or(json!({}));
            let ms = take_numeric(&mut opts, "timestamps");
            let bench_ms = take_numeric(&mut opts, "benchmark_timestamps");
            let opts = worldgate::schema::from_value(&opts)?;
            to_value(api::report::report_stamped(
                &series(&args[0]),
                opts,
                ms,
                bench_ms,
            ))
        }
        "computeCalendar" => {
            let ts = args.get(1).filter(|v| !v.is_null()).map(stamps);
            let opts = match args.get(2).filter(|v| !v.is_null()) {
                Some(v) => worldgate::schema::from_value(v)?,
                None => Default::default(),
            };
            to_value(api::calendar::calendar(
                &series(&args[0]),
                ts.as_ref(),
                &opts,
            ))
        }
        "transition" => answer(api::runs::transition(
            &text(&args[0]),
            s(1),
            args.get(2).and_then(Value::as_str),
        )),
        "diffSnapshots" => {
            let opts = worldgate::schema::from_value(args.get(2).unwrap_or(&json!({})))?;
            answer(api::runs::diff(&text(&args[0]), &text(&args[1]), &opts))
        }
        "mintRunId" => Ok(json!(run::mint_run_id(s(0), s(1)))),
        "lintPolicy" => {
            let options: worldgate::schema::LintOptions =
                worldgate::schema::from_value(args.get(1).unwrap_or(&json!({})))?;
            let policy = api::policy::compile(
                PolicySource::Bytes(&text(&args[0])),
                worldgate::policy::Dialect::Strict,
            )
            .map_err(|mut e| e.remove(0))?;
            Ok(serde_json::to_value(api::policy::lint(&policy, &options, &[])).unwrap())
        }
        // A Float64Array in JS: matched by index and `length`.
        "readReturns" => {
            let options: worldgate::schema::ReturnsOptions =
                worldgate::schema::from_value(args.get(1).unwrap_or(&json!({})))?;
            let t = api::returns_input::read_returns_table(&text(&args[0]), &options)
                .map_err(|mut e| e.remove(0))?;
            let mut m = serde_json::Map::new();
            m.insert("length".into(), json!(t.returns.len()));
            for (i, x) in t.returns.iter().enumerate() {
                m.insert(
                    i.to_string(),
                    if x.is_nan() { Value::Null } else { json!(x) },
                );
            }
            Ok(Value::Object(m))
        }
        "snapshotFileName" => run::snapshot_file_name(s(0), s(1), s(2)).map(|n| json!(n)),
        other => panic!("no native mapping for `{other}`: add one to tests/call_vectors.rs"),
    }
}

fn matches(actual: &Value, expected: &Value, at: &str, out: &mut Vec<String>) {
    let mut fail =
        |why: String| out.push(format!("{}: {why}", if at.is_empty() { "/" } else { at }));
    match (expected, actual) {
        (Value::Null, a) if a.is_null() => {}
        (Value::Number(e), Value::Number(a)) => {
            let (e, a) = (e.as_f64().unwrap(), a.as_f64().unwrap());
            let good = if e == 0.0 {
                a == 0.0
            } else {
                ((a - e) / e).abs() <= 1e-9
            };
            if !good {
                fail(format!("expected {e}, got {a}"));
            }
        }
        (Value::Object(e), Value::Object(a)) => {
            for (k, v) in e {
                matches(
                    a.get(k).unwrap_or(&Value::Null),
                    v,
                    &format!("{at}/{k}"),
                    out,
                );
            }
        }
        (Value::Array(e), Value::Array(a)) if e.len() == a.len() => {
            for (i, (x, y)) in a.iter().zip(e).enumerate() {
                matches(x, y, &format!("{at}/{i}"), out);
            }
        }
        (e, a) if e == a => {}
        (e, a) => fail(format!("expected {e}, got {a}")),
    }
}

fn first_error(outcome: &Outcome) -> Option<(String, String)> {
    match outcome {
        Err(e) => Some((e.code.as_str().to_string(), e.path.clone())),
        Ok(v) if v["type"] == "failure" || v["ok"] == false => Some((
            v["errors"][0]["code"].as_str()?.to_string(),
            v["errors"][0]["path"]
                .as_str()
                .unwrap_or_default()
                .to_string(),
        )),
        Ok(_) => None,
    }
}

fn check(case: &Value) -> Vec<String> {
    let f = case["call"]["fn"].as_str().unwrap();
    let args = case["call"]["args"].as_array().cloned().unwrap_or_default();
    let outcome = call(f, &args);
    let mut out = Vec::new();
    if let Some(code) = case.get("expected_code").and_then(Value::as_str) {
        match first_error(&outcome) {
            Some((got, path)) => {
                if got != code {
                    out.push(format!("expected {code}, got {got}"));
                }
                if let Some(p) = case.get("expected_path").and_then(Value::as_str)
                    && p != path
                {
                    out.push(format!("expected path {p}, got {path}"));
                }
            }
            None => out.push(format!("expected {code}, got a result")),
        }
    } else {
        match &outcome {
            Ok(v) => matches(v, &case["expected"], "", &mut out),
            Err(e) => out.push(format!(
                "threw {} {}: {}",
                e.code.as_str(),
                e.path,
                e.message
            )),
        }
    }
    out
}

#[test]
fn operation_vectors_give_their_expected_answers() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/vectors");
    let mut ran = 0;
    let mut failures = Vec::new();
    for area in ["gate", "run", "diff", "lint", "returns", "time", "calendar"] {
        let mut files: Vec<_> = std::fs::read_dir(root.join(area))
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|e| e == "json"))
            .collect();
        files.sort();
        for file in files {
            let doc: Value = serde_json::from_slice(&std::fs::read(&file).unwrap()).unwrap();
            for case in doc["cases"].as_array().unwrap() {
                ran += 1;
                for why in check(case) {
                    failures.push(format!("{area}/{}: {why}", case["name"]));
                }
            }
        }
    }
    assert!(ran >= 15, "only {ran} operation vectors");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
