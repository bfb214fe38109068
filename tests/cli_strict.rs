//! Issue 15 through the built binary: strict returns input, the policy lint, CI-grade
//! behaviour (no input, globs, broken pipes, negative rates, snapshot times, every error, the
//! JSON envelope, gate reports in every format, completions, examples in `--help`).
#![cfg(feature = "cli")]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use common::cli::{bin, run, tempdir};
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::Stdio;

fn json(out: &str) -> serde_json::Value {
    serde_json::from_str(out).unwrap_or_else(|e| panic!("{e}: {out}"))
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// `metrics --format json` of stdin: exit code, the envelope, stderr.
fn metrics(args: &[&str], input: &str) -> (i32, serde_json::Value, String) {
    let mut a = vec!["--format", "json", "metrics"];
    a.extend_from_slice(args);
    a.push("-");
    let (code, out, err) = run(&a, Some(input));
    (code, json(&out), err)
}

fn total_return(rs: &[f64]) -> f64 {
    rs.iter().fold(1.0, |acc, r| acc * (1.0 + r)) - 1.0
}

fn close(a: &serde_json::Value, b: f64) {
    let a = a.as_f64().unwrap_or_else(|| panic!("not a number: {a}"));
    assert!((a - b).abs() < 1e-12, "{a} vs {b}");
}

// ---- 1. input that silently became other data

#[test]
fn a_csv_with_several_columns_reads_the_return_column_or_asks() {
    // main read the last column (volume): Sharpe 39.9.
    let csv =
        "date,return,volume\n2022-01-03,0.01,1000\n2022-01-04,-0.02,1500\n2022-01-05,0.005,900\n";
    let (code, v, _) = metrics(&[], csv);
    assert_eq!(code, 0, "{v}");
    close(
        &v["value"]["returns"]["total_return"],
        total_return(&[0.01, -0.02, 0.005]),
    );
    assert_eq!(v["value"]["input"]["column"], "return");
    // no column named return: an error that names the columns, exit 2
    let csv = "date,ret,volume\n2022-01-03,0.01,1000\n2022-01-04,-0.02,1500\n";
    let (code, v, _) = metrics(&[], csv);
    assert_eq!(code, 2);
    assert_eq!(v["type"], "failure");
    let e = &v["errors"][0];
    assert!(
        e["message"].as_str().unwrap().contains("date, ret, volume"),
        "{e}"
    );
    assert!(e["help"].as_str().unwrap().contains("--column"), "{e}");
    for pick in ["ret", "2"] {
        let (code, v, _) = metrics(&["--column", pick], csv);
        assert_eq!(code, 0, "{v}");
        close(
            &v["value"]["returns"]["total_return"],
            total_return(&[0.01, -0.02]),
        );
    }
    let (code, v, _) = metrics(&["--column", "rett"], csv);
    assert_eq!(code, 2);
    assert!(
        v["errors"][0]["help"]
            .as_str()
            .unwrap()
            .contains("did you mean `ret`?")
    );
}

#[test]
fn percentages_quotes_and_empty_input() {
    // main: `1.2%` rows gave sample_count 0, every metric null, exit 0
    let (code, v, _) = metrics(&[], "1.2%\n-0.5%\n");
    assert_eq!(code, 2, "{v}");
    let e = &v["errors"][0];
    assert_eq!(
        (e["code"].as_str(), e["line"].as_u64()),
        (Some("E_PARSE"), Some(1))
    );
    assert!(e["help"].as_str().unwrap().contains("--percent"));
    let (code, v, _) = metrics(&["--percent"], "1.2%\n-0.5\n");
    assert_eq!(code, 0);
    close(
        &v["value"]["returns"]["total_return"],
        total_return(&[0.012, -0.005]),
    );
    // quoted fields are read
    let (code, v, _) = metrics(&[], "\"0.01\"\n\"0.02\"\n");
    assert_eq!(code, 0, "{v}");
    assert_eq!(v["value"]["returns"]["sample_count"], 2);
    // an empty file: zero samples is an error
    let (code, v, _) = metrics(&[], "");
    assert_eq!(code, 2);
    assert_eq!(v["errors"][0]["code"], "E_INVALID_VALUE");
}

#[test]
fn a_semicolon_file_with_decimal_commas_is_not_read_as_thousands() {
    // main: split on the comma, read as 123: volatility 100327
    let csv = "2022-01-03;0,0123\n2022-01-04;-0,0040\n";
    let (code, v, _) = metrics(&[], csv);
    assert_eq!(code, 2, "{v}");
    let e = &v["errors"][0];
    assert_eq!(
        (e["line"].as_u64(), e["column"].as_u64()),
        (Some(1), Some(2))
    );
    assert!(
        e["help"].as_str().unwrap().contains("--decimal-comma"),
        "{e}"
    );
    let (code, v, _) = metrics(&["--decimal-comma"], csv);
    assert_eq!(code, 0, "{v}");
    close(
        &v["value"]["returns"]["total_return"],
        total_return(&[0.0123, -0.004]),
    );
    let (code, _, _) = metrics(&["--decimal-comma", "--delimiter", ";"], csv);
    assert_eq!(code, 0);
    let (code, v, _) = metrics(&["--decimal-comma", "--delimiter", ","], csv);
    assert_eq!(code, 2, "{v}");
}

#[test]
fn only_line_1_is_a_header_and_empty_fields_are_missing_periods() {
    // main: `N/A` on the first data row was taken as a second header
    let (code, v, _) = metrics(&[], "ret\nN/A\n0.1\n0.2\n");
    assert_eq!(code, 2, "{v}");
    let e = &v["errors"][0];
    assert_eq!(
        (e["code"].as_str(), e["line"].as_u64(), e["column"].as_u64()),
        (Some("E_PARSE"), Some(2), Some(1))
    );
    // main dropped the empty field; it is a missing period, counted as the engine counts NaN
    let csv = "date,r\n2024-01-01,0.1\n2024-01-02,\n2024-01-03,0.2\n";
    let (code, v, _) = metrics(&[], csv);
    assert_eq!(code, 0, "{v}");
    assert_eq!(v["value"]["returns"]["nan_count"], 1);
    assert_eq!(v["value"]["returns"]["sample_count"], 2);
    assert_eq!(v["value"]["input"]["periods"], 3);
    // the dates are the series' timestamps and its window
    assert_eq!(v["value"]["returns"]["window"], "2024-01-01/2024-01-03");
    assert_eq!(v["value"]["input"]["timestamps"][2], "2024-01-03");
    // main reported an `inf` at `/2`, not at its line
    let (code, v, _) = metrics(&[], "r\n0.1\n0.2\ninf\n");
    assert_eq!(code, 2);
    let e = &v["errors"][0];
    assert_eq!(
        (e["code"].as_str(), e["line"].as_u64()),
        (Some("E_NOT_FINITE"), Some(4))
    );
    // human errors name the line, on stderr
    let (code, out, err) = run(&["metrics", "-"], Some("r\n0.1\nN/A\n"));
    assert_eq!(code, 2);
    assert!(out.is_empty(), "{out}");
    assert!(err.contains("E_PARSE at line 3, column 1"), "{err}");
}

#[test]
fn the_size_limit_is_an_option_for_json_and_csv() {
    let d = tempdir("limit");
    let f = d.join("r.json");
    std::fs::write(&f, "[0.01, 0.02, -0.01, 0.03]").unwrap();
    let (code, out, _) = run(
        &["--format", "json", "metrics", "--max-bytes", "10", s(&f)],
        None,
    );
    assert_eq!(code, 2);
    let v = json(&out);
    assert_eq!(v["errors"][0]["code"], "E_TOO_LARGE");
    // the help names an option that exists
    assert!(
        v["errors"][0]["help"]
            .as_str()
            .unwrap()
            .contains("--max-bytes")
    );
    let (code, _, _) = run(&["metrics", "--max-bytes", "100", s(&f)], None);
    assert_eq!(code, 0);
    let (code, _, _) = metrics(&["--max-bytes", "5"], "0.01\n0.02\n0.03\n");
    assert_eq!(code, 2);
}

#[test]
fn returns_above_one_are_warned_about() {
    let (code, out, err) = run(&["metrics", "-"], Some("100\n101\n99.5\n"));
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("sample_count"), "{out}");
    assert!(err.contains("W_LARGE_RETURN"), "{err}");
    assert!(err.contains("prices"), "{err}");
    let (_, v, _) = metrics(&[], "0.01\n1.5\n");
    assert_eq!(v["value"]["input"]["warnings"][0]["line"], 2);
}

// ---- 2. policies whose meaning was not what they said

#[test]
fn a_drawdown_min_or_negative_bound_is_rejected_with_the_fix() {
    for (policy, at) in [
        (
            "thresholds:\n  dd: {metric: max_drawdown, min: -0.25}\n",
            "/thresholds/dd/min",
        ),
        (
            "thresholds:\n  dd: {metric: max_drawdown, max: -0.25}\n",
            "/thresholds/dd/max",
        ),
    ] {
        let (code, _, err) = run(&["policy", "check", "-"], Some(policy));
        assert_eq!(code, 2, "{err}");
        assert!(err.contains(at), "{err}");
        assert!(err.contains("max: 0.25"), "{err}");
    }
    let (code, _, _) = run(
        &["policy", "check", "-"],
        Some("thresholds:\n  dd: {metric: max_drawdown, max: 0.25}\n"),
    );
    assert_eq!(code, 0);
    // the qmtl dialect keeps QMTL's meaning: a warning
    let (code, _, err) = run(
        &["policy", "check", "--dialect", "qmtl", "-"],
        Some("thresholds:\n  dd: {metric: max_drawdown, min: -0.25}\n"),
    );
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("warning"), "{err}");
}

#[test]
fn unknown_metric_names_are_errors_with_a_did_you_mean() {
    let (code, out, _) = run(
        &["--format", "json", "policy", "check", "-"],
        Some(
            "thresholds:\n  dd: {metric: max_drawdwn, max: 0.2}\ntop_k: {metric: sharpe_ratio, k: 3}\n",
        ),
    );
    assert_eq!(code, 2, "{out}");
    let v = json(&out);
    assert_eq!(v["type"], "failure");
    let errors = v["errors"].as_array().unwrap();
    assert_eq!(errors.len(), 2, "{v}");
    assert_eq!(errors[0]["path"], "/thresholds/dd/metric");
    assert!(
        errors[0]["help"]
            .as_str()
            .unwrap()
            .starts_with("did you mean `max_drawdown`?")
    );
    assert_eq!(errors[1]["path"], "/top_k/metric");
    // declared custom, under `custom.`, or carried by the given metrics files: accepted
    let policy = "thresholds:\n  a: {metric: alpha_score, min: 0.1}\n";
    let (code, _, _) = run(
        &["policy", "check", "-", "--custom", "alpha_score"],
        Some(policy),
    );
    assert_eq!(code, 0);
    let (code, _, _) = run(
        &["policy", "check", "-"],
        Some("thresholds:\n  a: {metric: custom.alpha_score, min: 0.1}\n"),
    );
    assert_eq!(code, 0);
    let d = tempdir("against");
    let b = d.join("b.json");
    std::fs::write(
        &b,
        r#"{"bundle_version":1,"world_id":"w","submissions":[{"strategy_id":"s","returns":[0.1,0.2],"metrics":{"custom":{"alpha_score":0.5}}}]}"#,
    )
    .unwrap();
    let (code, _, err) = run(&["policy", "check", "-", "--against", s(&b)], Some(policy));
    assert_eq!(code, 0, "{err}");
    let (code, _, _) = run(&["policy", "check", "-"], Some(policy));
    assert_eq!(code, 2);
}

#[test]
fn presets_can_be_checked_and_shown() {
    let (code, out, err) = run(&["policy", "check", "preset:conservative"], None);
    assert_eq!(code, 0, "{err}");
    assert!(
        out.starts_with("ok preset:conservative (strict, sha256:"),
        "{out}"
    );
    let (code, out, _) = run(
        &["--format", "json", "policy", "show", "preset:moderate"],
        None,
    );
    assert_eq!(code, 0);
    let v = json(&out);
    assert_eq!(v["value"]["thresholds"]["max_drawdown"]["max"], 0.25);
    let (code, out, _) = run(&["policy", "show", "preset:aggressive"], None);
    assert_eq!(code, 0);
    assert!(out.contains("\"top_k\""), "{out}");
    let (code, _, err) = run(&["policy", "show", "preset:conservativ"], None);
    assert_eq!(code, 2);
    assert!(err.contains("did you mean `conservative`?"), "{err}");
}

// ---- 3. CI-grade behaviour

const GOOD: &str = r#"{"bundle_version":1,"world_id":"w","submissions":[{"strategy_id":"s1","returns":[0.01,-0.02,0.015]}]}"#;

#[test]
fn no_input_is_an_error_directories_recurse_and_globs_expand() {
    let d = tempdir("noinput");
    std::fs::create_dir_all(d.join("only/sub")).unwrap();
    std::fs::create_dir_all(d.join("empty")).unwrap();
    let (code, out, err) = run(&["validate", s(&d.join("only"))], None);
    assert_eq!(code, 2, "{out}");
    assert!(err.contains("E_NOT_FOUND"), "{err}");
    let (code, _, err) = run(
        &["gate", "--policy", "preset:sandbox", s(&d.join("empty"))],
        None,
    );
    assert_eq!(code, 2);
    assert!(err.contains("no *.json file"), "{err}");
    std::fs::write(d.join("only/sub/a.json"), GOOD).unwrap();
    std::fs::write(d.join("only/b.json"), GOOD).unwrap();
    let (code, out, _) = run(&["validate", s(&d.join("only"))], None);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("2 valid, 0 invalid"), "{out}");
    let pattern = format!("{}/*.json", s(&d.join("only")));
    let (code, out, _) = run(&["validate", &pattern], None);
    assert_eq!(code, 0);
    assert_eq!(
        out.lines().filter(|l| l.starts_with("ok ")).count(),
        1,
        "{out}"
    );
    let (code, _, err) = run(&["validate", &format!("{}/*.nope", s(&d))], None);
    assert_eq!(code, 2);
    assert!(err.contains("matches no file"), "{err}");
}

/// Runs a command, reads a little of its output, closes the pipe: a clean exit, no panic.
fn close_early(args: &[&str]) {
    let mut child = bin()
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdout = child.stdout.take().unwrap();
    let mut buf = [0u8; 20];
    stdout.read_exact(&mut buf).unwrap();
    drop(stdout);
    let mut err = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut err)
        .unwrap();
    let status = child.wait().unwrap();
    assert_eq!(status.code(), Some(0), "{args:?}: {err}");
    assert!(!err.contains("panicked"), "{err}");
    assert!(!err.contains("Broken pipe"), "{err}");
}

#[test]
fn a_closed_stdout_ends_quietly() {
    let d = tempdir("pipe");
    let csv: String = (0..200_000)
        .map(|i| format!("{}\n", (i % 7) as f64 * 0.001 - 0.003))
        .collect();
    std::fs::write(d.join("r.csv"), &csv).unwrap();
    let big: Vec<f64> = (0..400_000).map(|i| i as f64 * 1e-6).collect();
    std::fs::write(d.join("big.json"), serde_json::to_vec(&big).unwrap()).unwrap();
    for _ in 0..3 {
        close_early(&["metrics", s(&d.join("r.csv"))]);
        close_early(&["digest", "--canonical", s(&d.join("big.json"))]);
    }
}

#[test]
fn risk_free_rates_may_be_negative_but_must_be_plausible() {
    let series = "0.01\n-0.02\n0.015\n0.003\n";
    let (code, v, err) = metrics(&["--risk-free", "-0.005"], series);
    assert_eq!(code, 0, "{err}");
    assert!(v["value"]["returns"]["sharpe"].is_number());
    let (code, v, _) = metrics(&["--risk-free", "4"], series);
    assert_eq!(code, 2);
    assert_eq!(v["errors"][0]["code"], "E_INVALID_VALUE");
    assert!(v["errors"][0]["help"].as_str().unwrap().contains("0.04"));
}

#[test]
fn snapshot_times_and_writes_are_honest() {
    let d = tempdir("snaptime");
    let b = d.join("b.json");
    std::fs::write(
        &b,
        r#"{"bundle_version":1,"world_id":"w","created_at":"2025-03-04T05:06:07Z","submissions":[{"strategy_id":"s1","returns":[0.01,-0.02,0.015]}]}"#,
    )
    .unwrap();
    let out_dir = d.join("out");
    let (code, out, err) = run(
        &[
            "snapshot",
            s(&b),
            "--policy",
            "preset:sandbox",
            "--out-dir",
            s(&out_dir),
        ],
        None,
    );
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("wrote "), "{out}");
    let f = std::fs::read_dir(out_dir.join(".qmtl_snapshots"))
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path();
    let snap = json(&std::fs::read_to_string(f).unwrap());
    assert_eq!(snap["created_at"], "2025-03-04T05:06:07Z");
    let (code, _, err) = run(
        &[
            "snapshot",
            s(&b),
            "--policy",
            "preset:sandbox",
            "--created-at",
            "yesterday",
        ],
        None,
    );
    assert_eq!(code, 2);
    assert!(err.contains("RFC 3339"), "{err}");
    // an out-dir that is a file: the write fails, nothing claims it was written
    let blocker = d.join("file");
    std::fs::write(&blocker, "x").unwrap();
    let (code, out, err) = run(
        &[
            "snapshot",
            s(&b),
            "--policy",
            "preset:sandbox",
            "--out-dir",
            s(&blocker),
        ],
        None,
    );
    assert_eq!(code, 2, "{out}");
    assert!(!out.contains("wrote"), "{out}");
    assert!(err.contains("E_IO"), "{err}");
}

#[test]
fn every_error_of_a_bundle_is_reported_on_stderr_with_file_codes() {
    let bad = r#"{"bundle_version":1,"world_id":"w","submissions":[{"strategy_id":"s1","returns":[0.1],"bogus":1},{"strategy_id":"s2","returns":[0.1],"meta":5},{"strategy_id":"s3","returns":[0.1],"stage":7}],"extra":1}"#;
    for args in [
        vec!["validate", "-"],
        vec!["gate", "--policy", "preset:sandbox", "-"],
    ] {
        let (code, out, err) = run(&args, Some(bad));
        assert_eq!(code, 2);
        assert!(!out.contains("E_SCHEMA"), "{out}");
        assert_eq!(err.matches("E_SCHEMA").count(), 4, "{args:?}: {err}");
    }
    let (code, out, _) = run(
        &["--format", "json", "validate", "/nonexistent/x.json"],
        None,
    );
    assert_eq!(code, 2);
    assert_eq!(
        json(&out)["value"]["files"][0]["errors"][0]["code"],
        "E_NOT_FOUND"
    );
    // a directory where a file is expected: E_IO
    let d = tempdir("eio");
    let (code, out, _) = run(&["--format", "json", "metrics", s(&d)], None);
    assert_eq!(code, 2);
    assert_eq!(json(&out)["errors"][0]["code"], "E_IO");
}

const TWO: &str = r#"{"bundle_version":1,"world_id":"alpha_world","submissions":[
  {"strategy_id":"s1","returns":[0.01,0.012,-0.002,0.011,0.009,0.01]},
  {"strategy_id":"s2","returns":[-0.01,0.002,-0.012,-0.003,0.001,-0.008]}]}"#;

const POLICY: &str =
    "thresholds:\n  sharpe: {metric: sharpe, min: 0.5}\ntop_k: {metric: sharpe, k: 5}\n";

fn gate_dir(name: &str) -> (PathBuf, PathBuf) {
    let d = tempdir(name);
    std::fs::write(d.join("policy.yaml"), POLICY).unwrap();
    std::fs::create_dir_all(d.join("b")).unwrap();
    std::fs::write(d.join("b/two.json"), TWO).unwrap();
    std::fs::write(d.join("b/good.json"), GOOD).unwrap();
    (d.join("policy.yaml"), d.join("b"))
}

#[test]
fn the_gate_reports_for_people() {
    let (p, b) = gate_dir("human");
    let (code, out, _) = run(&["gate", "--policy", s(&p), s(&b)], None);
    assert_eq!(code, 1, "{out}");
    // the rule, the observed value and the bound
    assert!(out.contains("FAIL thresholds.sharpe: sharpe -"), "{out}");
    assert!(out.contains("(must be >= 0.5)"), "{out}");
    // why warn
    assert!(out.contains(" warn "), "{out}");
    assert!(out.contains("    warn sample: "), "{out}");
    assert!(out.contains("rank 1"), "{out}");
    assert!(
        out.lines().last().unwrap().starts_with(
            "summary: 2 bundles, 3 strategies: 0 valid (0.0 %), 2 warn (66.7 %), 1 rejected (33.3 %)"
        ),
        "{out}"
    );
    let (_, explained, _) = run(&["gate", "--policy", s(&p), s(&b), "--explain"], None);
    assert!(explained.contains("ok   thresholds.sharpe"), "{explained}");
    let (_, quiet, _) = run(&["gate", "--policy", s(&p), s(&b), "--quiet"], None);
    assert!(!quiet.contains("good.json"), "{quiet}");
    assert!(
        quiet.contains("s2                       rejected"),
        "{quiet}"
    );
    for (fail_on, expected) in [("none", 0), ("rejected", 1), ("warn", 1)] {
        let (code, _, _) = run(
            &["gate", "--policy", s(&p), s(&b), "--fail-on", fail_on],
            None,
        );
        assert_eq!(code, expected, "{fail_on}");
    }
    let good = b.join("good.json");
    let (code, _, _) = run(
        &["gate", "--policy", s(&p), s(&good), "--fail-on", "warn"],
        None,
    );
    assert_eq!(code, 1, "a warned strategy fails under --fail-on warn");
    let (code, _, _) = run(&["gate", "--policy", s(&p), s(&good)], None);
    assert_eq!(code, 0);
}

#[test]
fn the_gate_reports_for_machines() {
    let (p, b) = gate_dir("machine");
    let (_, out, _) = run(
        &["--format", "json", "gate", "--policy", s(&p), s(&b)],
        None,
    );
    let v = json(&out);
    assert_eq!(v["type"], "success");
    assert_eq!(v["value"]["files"].as_array().unwrap().len(), 2);
    assert_eq!(v["value"]["summary"]["rejected"], 1);
    let (_, out, _) = run(
        &["--format", "ndjson", "gate", "--policy", s(&p), s(&b)],
        None,
    );
    let lines: Vec<serde_json::Value> = out.lines().map(json).collect();
    assert_eq!(lines.len(), 3);
    assert_eq!(lines[0]["type"], "success");
    assert!(lines[0]["file"].as_str().unwrap().ends_with("good.json"));
    assert_eq!(lines[2]["type"], "summary");
    assert_eq!(lines[2]["strategies"], 3);
    let (_, out, _) = run(
        &["--format", "github", "gate", "--policy", s(&p), s(&b)],
        None,
    );
    assert!(
        out.lines()
            .any(|l| l.starts_with("::error file=") && l.contains("title=s2 rejected::")),
        "{out}"
    );
    assert!(
        out.lines().any(|l| l.starts_with("::warning file=")),
        "{out}"
    );
    // SARIF 2.1.0: version, one run, its tool, results with rule, level, message, location
    let (_, out, _) = run(
        &["--format", "sarif", "gate", "--policy", s(&p), s(&b)],
        None,
    );
    let v = json(&out);
    assert_eq!(v["version"], "2.1.0");
    assert!(v["$schema"].as_str().unwrap().contains("sarif-2.1.0"));
    let run0 = &v["runs"][0];
    assert_eq!(run0["tool"]["driver"]["name"], "worldgate");
    let results = run0["results"].as_array().unwrap();
    assert!(!results.is_empty());
    for r in results {
        assert!(r["ruleId"].is_string(), "{r}");
        assert!(["error", "warning", "note"].contains(&r["level"].as_str().unwrap()));
        assert!(r["message"]["text"].is_string());
        assert!(
            r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
                .as_str()
                .unwrap()
                .ends_with(".json")
        );
    }
    // a bad bundle in SARIF: a result with its line and column
    let (code, out, _) = run(
        &["--format", "sarif", "validate", "-"],
        Some("{\n  \"bundle_version\": 1,\n  \"world_id\": }"),
    );
    assert_eq!(code, 2);
    let v = json(&out);
    let r = &v["runs"][0]["results"][0];
    assert_eq!(r["ruleId"], "E_PARSE");
    assert_eq!(
        r["locations"][0]["physicalLocation"]["region"]["startLine"],
        3
    );
}

#[test]
fn completions_and_examples() {
    for shell in ["bash", "zsh", "fish"] {
        let (code, out, _) = run(&["completions", shell], None);
        assert_eq!(code, 0);
        assert!(out.contains("worldgate"), "{shell}");
        assert!(out.contains("snapshot"), "{shell}");
    }
    for cmd in [
        vec!["--help"],
        vec!["validate", "--help"],
        vec!["digest", "--help"],
        vec!["diff", "--help"],
        vec!["gate", "--help"],
        vec!["snapshot", "--help"],
        vec!["metrics", "--help"],
        vec!["submit", "--help"],
        vec!["status", "--help"],
        vec!["policy", "--help"],
        vec!["policy", "check", "--help"],
        vec!["policy", "show", "--help"],
        vec!["schema", "--help"],
        vec!["completions", "--help"],
    ] {
        let (code, out, _) = run(&cmd, None);
        assert_eq!(code, 0, "{cmd:?}");
        let examples = out.split("Examples:\n").nth(1).unwrap_or_default();
        assert!(examples.starts_with("  "), "{cmd:?}: {out}");
        assert!(examples.contains("worldgate "), "{cmd:?}: {out}");
    }
    // the drawdown sign convention is stated where the policy is checked
    let (_, out, _) = run(&["policy", "check", "--help"], None);
    assert!(out.contains("max: 0.25"), "{out}");
}

#[test]
fn remote_failures_are_envelopes_too() {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let url = format!("http://127.0.0.1:{port}");
    let (code, out, _) = run(
        &[
            "--format",
            "json",
            "status",
            "w",
            "s",
            "--url",
            &url,
            "--retries",
            "0",
        ],
        None,
    );
    assert_eq!(code, 3);
    let v = json(&out);
    assert_eq!(v["type"], "failure");
    assert_eq!(v["errors"][0]["code"], "E_UNAVAILABLE");
    // an invalid bundle: the engine's errors, each once, nothing sent
    let (code, out, _) = run(
        &["--format", "json", "submit", "-", "--url", &url],
        Some(r#"{"bundle_version":1,"world_id":"a/b","submissions":[]}"#),
    );
    assert_eq!(code, 2);
    let v = json(&out);
    let codes: Vec<&str> = v["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["code"].as_str().unwrap())
        .collect();
    assert_eq!(codes, ["E_ID_INVALID", "E_SCHEMA"]);
}

#[test]
fn a_dated_csv_is_the_series_time_axis() {
    // Trading days only (Mon–Fri): P = 252; every calendar day: P = 365 (issue 12's rule).
    let weekdays = "date,r\n2024-01-01,0.01\n2024-01-02,-0.02\n2024-01-03,0.01\n2024-01-04,0.0\n2024-01-05,0.01\n2024-01-08,0.01\n";
    let (code, v, _) = metrics(&[], weekdays);
    assert_eq!(code, 0, "{v}");
    assert_eq!(
        v["value"]["returns"]["conventions"]["periods_per_year"],
        252.0
    );
    let every_day = "date,r\n2024-01-05,0.01\n2024-01-06,-0.02\n2024-01-07,0.01\n2024-01-08,0.0\n";
    let (code, v, _) = metrics(&[], every_day);
    assert_eq!(code, 0, "{v}");
    assert_eq!(
        v["value"]["returns"]["conventions"]["periods_per_year"],
        365.0
    );
    // A P that contradicts the dates is an error, not a guess.
    let (code, v, _) = metrics(&["--periods-per-year", "12"], every_day);
    assert_eq!(code, 2, "{v}");
    assert_eq!(v["errors"][0]["path"], "/periods_per_year");
    // `report` on a dated CSV has the calendar block.
    let (code, out, _) = run(&["--format", "json", "report", "-"], Some(weekdays));
    assert_eq!(code, 0, "{out}");
    let v = json(&out);
    assert_eq!(
        v["value"]["calendar"]["months"][0]["period"], "2024-01",
        "{v}"
    );
    // `metrics --report`: the report beside the blocks, under the metrics' P.
    let (code, v, _) = metrics(&["--report"], every_day);
    assert_eq!(code, 0, "{v}");
    assert_eq!(
        v["value"]["report"]["conventions"]["periods_per_year"],
        365.0
    );
    assert_eq!(v["value"]["report"]["calendar"]["months"][0]["periods"], 4);
    assert!(v["value"]["returns"]["sharpe"].is_number());
    // The readable report dates a dated series' drawdown episodes: equity 1.01 on 5 January
    // (the peak), 0.9898 on the 6th (the trough), 0.999698 after: still open, three periods.
    let (code, out, _) = run(&["metrics", "--report", "-"], Some(every_day));
    assert_eq!(code, 0, "{out}");
    let table: Vec<&str> = out
        .lines()
        .skip_while(|l| !l.starts_with("drawdowns:"))
        .skip(1)
        .take(2)
        .map(str::trim)
        .collect();
    assert!(
        table[0].starts_with("peak") && table[0].ends_with("days"),
        "{out}"
    );
    let row: Vec<&str> = table[1].split_whitespace().collect();
    assert_eq!(
        (row[0], row[1], row[2], row[4]),
        ("2024-01-05", "2024-01-06", "open", "3"),
        "{out}"
    );
}
