//! Runs the built `worldgate` binary: exit codes, human and JSON output, stdin, directories.
#![cfg(feature = "cli")]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use common::cli::{bin, output, run, tempdir};
use std::io::Write;

const GOOD: &str = r#"{"bundle_version":1,"world_id":"w","submissions":[{"strategy_id":"s1","returns":[0.01,-0.02,0.015]}]}"#;

#[test]
fn validate_reads_stdin_and_sets_exit_codes() {
    let (code, out, _) = run(&["validate", "-"], Some(GOOD));
    assert_eq!(code, 0, "{out}");
    assert!(out.starts_with("ok"));
    let (code, _, err) = run(
        &["validate", "-"],
        Some(r#"{"bundle_version":1,"world_id":"a/b","submissions":[]}"#),
    );
    assert_eq!(code, 2);
    assert!(err.contains("E_ID_INVALID at `/world_id`"), "{err}");
    let (code, out, _) = run(&["validate", "--format", "json", "-"], Some("[1,"));
    assert_eq!(code, 2);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["type"], "success");
    let file = &v["value"]["files"][0];
    assert_eq!(file["errors"][0]["code"], "E_PARSE");
    assert_eq!(file["errors"][0]["line"], 1);
    assert_eq!(file["ok"], false);
    assert_eq!(v["value"]["summary"]["invalid"], 1);
}

#[test]
fn validate_expands_directories() {
    let d = tempdir("dir");
    std::fs::write(d.join("a.json"), GOOD).unwrap();
    std::fs::write(d.join("b.json"), "{").unwrap();
    std::fs::write(d.join("ignored.txt"), "x").unwrap();
    let (code, out, _) = run(&["validate", d.to_str().unwrap()], None);
    assert_eq!(code, 2);
    assert!(out.contains("1 valid, 1 invalid"), "{out}");
    let (code, _, _) = run(&["validate", "/nonexistent/file.json"], None);
    assert_eq!(code, 2);
}

#[test]
fn digest_is_canonical() {
    let (code, out, _) = run(
        &["digest", "--canonical", "-"],
        Some(r#"{"b": 1.0, "a": [1e21]}"#),
    );
    assert_eq!(code, 0);
    assert_eq!(out.trim(), r#"{"a":[1e+21],"b":1}"#);
    // printf '%s' '{"a":"x","b":[1,2]}' | sha256sum
    let (_, out, _) = run(&["digest", "-"], Some(r#"{"b":[1,2.0],"a":"x"}"#));
    assert!(
        out.starts_with("sha256:721ef82f2d6c0997bffb7a8ab3f40f8fb45b0b52ce2af3afa6b0f05efbdc317f"),
        "{out}"
    );
}

#[test]
fn schema_prints_and_suggests() {
    let (code, out, _) = run(&["schema", "bundle"], None);
    assert_eq!(code, 0);
    assert!(out.contains("\"title\": \"Bundle\""));
    let (code, _, err) = run(&["schema", "bundel"], None);
    assert_eq!(code, 2);
    assert!(err.contains("did you mean `bundle`?"), "{err}");
}

#[test]
fn diff_refuses_across_worlds() {
    let d = tempdir("diff");
    let snap = |w: &str, s: f64| {
        format!(
            r#"{{"snapshot_id":"x","world_id":"{w}","strategy_id":"s","run_id":"r","created_at":"t","metrics":{{"returns":{{"sample_count":3,"sharpe":{s}}}}}}}"#
        )
    };
    std::fs::write(d.join("a.json"), snap("w", 1.0)).unwrap();
    std::fs::write(d.join("b.json"), snap("w", 1.5)).unwrap();
    std::fs::write(d.join("c.json"), snap("v", 1.5)).unwrap();
    let (code, out, _) = run(
        &[
            "diff",
            d.join("a.json").to_str().unwrap(),
            d.join("b.json").to_str().unwrap(),
        ],
        None,
    );
    assert_eq!(code, 0);
    assert!(out.contains("returns.sharpe"), "{out}");
    let (code, out, err) = run(
        &[
            "diff",
            d.join("a.json").to_str().unwrap(),
            d.join("c.json").to_str().unwrap(),
        ],
        None,
    );
    assert_eq!(code, 2);
    assert!(out.is_empty(), "{out}");
    assert!(err.contains("E_NOT_COMPARABLE"), "{err}");
    let (code, _, _) = run(
        &[
            "diff",
            "--allow-cross-world",
            d.join("a.json").to_str().unwrap(),
            d.join("c.json").to_str().unwrap(),
        ],
        None,
    );
    assert_eq!(code, 0);
}

const TWO: &str = r#"{"bundle_version":1,"world_id":"alpha_world","submissions":[
  {"strategy_id":"s1","returns":[0.01,0.012,-0.002,0.011,0.009,0.01],"meta":{"token":"abc123"}},
  {"strategy_id":"s2","returns":[-0.01,0.002,-0.012,-0.003,0.001,-0.008]}]}"#;

const POLICY: &str =
    "thresholds:\n  sharpe: {metric: sharpe, min: 0.5}\ntop_k: {metric: sharpe, k: 5}\n";

#[test]
fn gate_exit_codes_distinguish_rejection_from_invalid_input() {
    let d = tempdir("gate");
    std::fs::write(d.join("policy.yaml"), POLICY).unwrap();
    let policy = d.join("policy.yaml");
    let p = policy.to_str().unwrap();
    let (code, out, _) = run(&["gate", "--policy", p, "-"], Some(TWO));
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("selected [s1]"), "{out}");
    assert!(
        out.contains("redacted secret_field at /submissions/0/meta/token"),
        "{out}"
    );
    assert!(!out.contains("abc123"));
    let one = r#"{"bundle_version":1,"world_id":"w","submissions":[{"strategy_id":"s1","returns":[0.01,0.012,-0.002,0.011]}]}"#;
    let (code, _, _) = run(&["gate", "--policy", p, "-"], Some(one));
    assert_eq!(code, 0);
    let (code, out, _) = run(
        &[
            "gate",
            "--format",
            "json",
            "--policy",
            "preset:sandbox",
            "-",
        ],
        Some("{"),
    );
    assert_eq!(code, 2);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["value"]["files"][0]["type"], "failure");
    assert_eq!(v["value"]["files"][0]["errors"][0]["code"], "E_PARSE");
    let (code, _, _) = run(&["gate", "--policy", "preset:nope", "-"], Some(one));
    assert_eq!(code, 2);
    std::fs::write(d.join("bad.yaml"), "top_k: {metric: sharpe, k: 0}\n").unwrap();
    let (code, _, err) = run(
        &[
            "gate",
            "--policy",
            d.join("bad.yaml").to_str().unwrap(),
            "-",
        ],
        Some(one),
    );
    assert_eq!(code, 2);
    assert!(err.contains("E_POLICY_INVALID"), "{err}");
}

#[test]
fn gate_json_is_deterministic_and_snapshot_writes_files() {
    let d = tempdir("snap");
    std::fs::write(d.join("b.json"), TWO).unwrap();
    let b = d.join("b.json");
    let args = [
        "--format",
        "json",
        "gate",
        "--policy",
        "preset:sandbox",
        b.to_str().unwrap(),
    ];
    let (_, a, _) = run(&args, None);
    let (_, again, _) = run(&args, None);
    assert_eq!(a, again);
    let out_dir = d.join("out");
    let (code, out, _) = run(
        &[
            "snapshot",
            b.to_str().unwrap(),
            "--policy",
            "preset:sandbox",
            "--out-dir",
            out_dir.to_str().unwrap(),
            "--created-at",
            "2025-12-02T10:00:00Z",
        ],
        None,
    );
    assert_eq!(code, 0, "{out}");
    let files: Vec<_> = std::fs::read_dir(out_dir.join(".qmtl_snapshots"))
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    assert_eq!(files.len(), 2);
    assert!(
        files
            .iter()
            .all(|f| f.starts_with("alpha_world-s") && f.ends_with(".json"))
    );
    let snap: serde_json::Value = serde_json::from_slice(
        &std::fs::read(out_dir.join(".qmtl_snapshots").join(&files[0])).unwrap(),
    )
    .unwrap();
    assert_eq!(snap["created_at"], "2025-12-02T10:00:00Z");
    assert!(worldgate::schema::validate_snapshot(&serde_json::to_vec(&snap).unwrap()).ok);
}

#[test]
fn metrics_from_json_and_csv() {
    // mean 0.01, std 0 → sharpe null; total return 1.01^3 − 1.
    let (code, out, _) = run(
        &["--format", "json", "metrics", "-"],
        Some("[0.01, 0.01, 0.01]"),
    );
    assert_eq!(code, 0, "{out}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let v = &v["value"];
    assert_eq!(v["returns"]["sample_count"], 3);
    assert!((v["returns"]["total_return"].as_f64().unwrap() - 0.030301).abs() < 1e-12);
    let csv = "date,ret\n2025-01-01,0.01\n2025-01-02,-0.02\n";
    let (code, out, _) = run(&["--format", "json", "metrics", "-"], Some(csv));
    assert_eq!(code, 0, "{out}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["value"]["returns"]["sample_count"], 2);
    let (code, _, _) = run(&["metrics", "-"], Some("[1, \"x\"]"));
    assert_eq!(code, 2);
}

#[test]
fn metrics_profile_prints_the_v15_set() {
    // QMTL's `known_5` case (tests/conformance/qmtl-metric-cases.json).
    let series = Some("[0.01, -0.02, 0.03, -0.01, 0.02]");
    let args = ["--format", "json", "metrics", "--profile", "qmtl", "-"];
    let (code, out, _) = run(&args, series);
    assert_eq!(code, 0, "{out}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let v = &v["value"];
    assert_eq!(v["returns"]["sharpe"], 0.3234983196103152);
    assert_eq!(v["returns"]["max_drawdown"], 0.02);
    assert_eq!(v["sample"]["n_trades_total"], 5);
    assert_eq!(v["diagnostics"]["metrics_profile"], "qmtl");
    let args = [
        "--format",
        "json",
        "metrics",
        "--profile",
        "strict",
        "--search-intensity",
        "10",
        "-",
    ];
    let (code, out, _) = run(&args, series);
    assert_eq!(code, 0, "{out}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let v = &v["value"];
    assert_eq!(v["diagnostics"]["search_intensity"], 10);
    assert!(v["returns"]["sharpe_per_period"].is_number());
    let (code, out, _) = run(&["metrics", "--profile", "qmtl", "-"], series);
    assert_eq!(code, 0);
    assert!(out.contains("deflated_sharpe_ratio"), "{out}");
    // An unknown profile is a usage error.
    let (code, _, err) = run(&["metrics", "--profile", "fast", "-"], series);
    assert_ne!(code, 0);
    assert!(err.contains("fast"), "{err}");
}

#[test]
fn policy_check_reports_hash_or_errors() {
    let (code, out, _) = run(&["policy", "check", "-"], Some(POLICY));
    assert_eq!(code, 0);
    assert!(out.contains("sha256:"), "{out}");
    let (code, _, err) = run(&["policy", "check", "-"], Some("treshold: {}\n"));
    assert_eq!(code, 2);
    assert!(err.contains("E_POLICY_INVALID at `/treshold`"), "{err}");
    let (code, _, _) = run(
        &["policy", "check", "--dialect", "qmtl", "-"],
        Some("treshold: {}\n"),
    );
    assert_eq!(code, 0);
}

#[test]
fn policy_verdicts_prints_the_api_s_verdicts_or_errors_with_paths() {
    let input = r#"{"metrics": {"a": {"sharpe": 1.4, "max_drawdown": 0.1}, "b": {"sharpe": -0.2}},
                    "previous": ["b"]}"#;
    let (code, out, err) = run(
        &[
            "policy",
            "verdicts",
            "preset:moderate",
            "-",
            "--format",
            "json",
        ],
        Some(input),
    );
    assert_eq!(code, 0, "{err}");
    let got: serde_json::Value = serde_json::from_str(&out).unwrap();
    let policy =
        worldgate::api::policy::preset("moderate", worldgate::policy::Dialect::Strict).unwrap();
    let evaluation =
        worldgate::policy::EvaluationInput::from_value(&serde_json::from_str(input).unwrap())
            .unwrap();
    let want: serde_json::Value =
        serde_json::from_str(&worldgate::api::policy::verdicts(&policy, &evaluation).unwrap())
            .unwrap();
    assert_eq!(got, serde_json::json!({"type": "success", "value": want}));
    assert!(
        want["strategies"]["a"].get("explanations").is_none(),
        "{want}"
    );
    let (code, _, err) = run(
        &["policy", "verdicts", "preset:moderate", "-"],
        Some(r#"{"metrics": {"a": "high"}}"#),
    );
    assert_eq!(code, 2);
    assert!(err.contains("E_SCHEMA at `/metrics/a`"), "{err}");
}

/// No secret of the sanitizer corpus reaches the CLI's output or the snapshot files it writes.
#[test]
fn secrets_never_reach_cli_output_or_files() {
    let corpus: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("tests/vectors/sanitize/corpus.json"),
        )
        .unwrap(),
    )
    .unwrap();
    let secrets = corpus["secrets"].as_array().unwrap();
    let d = tempdir("secrets");
    let mut subs = Vec::new();
    for (i, s) in secrets.iter().enumerate() {
        let t = s["text"].as_str().unwrap();
        subs.push(serde_json::json!({
            "strategy_id": format!("s{i}"),
            "returns": [0.01, -0.02, 0.015, 0.003],
            "meta": {"note": format!("xx{t}yy"), t: 1},
            "storage_refs": {"full": t},
            "metrics": {"custom": {format!("n_{t}"): 1.5}},
        }));
    }
    let bundle = serde_json::json!({"bundle_version": 1, "world_id": "w", "submissions": subs});
    let b = d.join("b.json");
    std::fs::write(&b, serde_json::to_vec(&bundle).unwrap()).unwrap();
    // an invalid one: the error quotes an unknown key holding a token
    let bad = d.join("bad.json");
    std::fs::write(
        &bad,
        r#"{"bundle_version":1,"world_id":"w","submissions":[{"strategy_id":"s","returns":[0.1],"ghp_16C7e42F292c6912E7710c838347Ae178B4a":1}]}"#,
    )
    .unwrap();
    let out_dir = d.join("out");
    let p = b.to_str().unwrap();
    let mut outputs = Vec::new();
    for args in [
        vec!["gate", "--policy", "preset:sandbox", p],
        vec!["--format", "json", "gate", "--policy", "preset:sandbox", p],
        vec!["validate", bad.to_str().unwrap()],
        vec!["--format", "json", "validate", bad.to_str().unwrap()],
        vec![
            "snapshot",
            p,
            "--policy",
            "preset:sandbox",
            "--out-dir",
            out_dir.to_str().unwrap(),
        ],
    ] {
        let (_, out, err) = run(&args, None);
        outputs.push(format!("{args:?}\n{out}\n{err}"));
    }
    for f in std::fs::read_dir(out_dir.join(".qmtl_snapshots")).unwrap() {
        outputs.push(std::fs::read_to_string(f.unwrap().path()).unwrap());
    }
    assert_eq!(outputs.len(), 5 + secrets.len());
    assert!(
        outputs[2].contains("[REDACTED:github_token]"),
        "{}",
        outputs[2]
    );
    let mut bodies: Vec<String> = vec!["16C7e42F292c6912E7710c838347Ae178B4a".into()];
    for s in secrets {
        bodies.extend(
            s["body"]
                .as_array()
                .unwrap()
                .iter()
                .map(|b| b.as_str().unwrap().to_string()),
        );
    }
    for out in &outputs {
        for body in &bodies {
            assert!(
                !out.contains(body.as_str()),
                "`{body}` in {}",
                &out[..out.len().min(300)]
            );
        }
    }
}

// ---- submit / status (HTTP): offline cases here; against the edge in workerd in
// edge/test/cli.test.mjs.

/// Runs the CLI with no `WORLDGATE_URL` / `WORLDGATE_TOKEN` from the environment.
fn run_remote(args: &[&str], stdin: Option<&str>) -> (i32, String, String) {
    let mut cmd = bin();
    cmd.args(args)
        .env_remove("WORLDGATE_URL")
        .env_remove("WORLDGATE_TOKEN");
    output(cmd, stdin)
}

/// A port nothing listens on (bound, then released).
fn closed_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// An HTTP server answering one connection per canned answer, in order; returns its base URL
/// and a handle yielding the request heads it read.
fn canned(answers: Vec<(u16, &'static str)>) -> (String, std::thread::JoinHandle<Vec<String>>) {
    use std::io::{BufRead, BufReader, Read};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let handle = std::thread::spawn(move || {
        let mut heads = Vec::new();
        for (status, body) in answers {
            let (stream, _) = listener.accept().unwrap();
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut head = String::new();
            let mut len = 0usize;
            loop {
                let mut line = String::new();
                reader.read_line(&mut line).unwrap();
                if let Some(v) = line.to_ascii_lowercase().strip_prefix("content-length:") {
                    len = v.trim().parse().unwrap();
                }
                if line == "\r\n" || line.is_empty() {
                    break;
                }
                head.push_str(&line);
            }
            let mut body_in = vec![0u8; len];
            reader.read_exact(&mut body_in).unwrap();
            heads.push(head);
            let mut s = stream;
            write!(
                s,
                "HTTP/1.1 {status} X\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                body.len()
            )
            .unwrap();
        }
        heads
    });
    (url, handle)
}

#[test]
fn submit_and_status_refuse_bad_input_before_sending() {
    let (code, _, err) = run_remote(&["submit", "-"], Some(GOOD));
    assert_eq!(code, 2);
    assert!(
        err.contains("no edge URL: pass --url or set WORLDGATE_URL"),
        "{err}"
    );
    let (code, _, err) = run_remote(&["submit", "-", "--url", "ftp://x"], Some(GOOD));
    assert_eq!(code, 2);
    assert!(err.contains("is not an http:// or https:// URL"), "{err}");
    // an invalid bundle: the engine's errors, nothing sent (the port is closed: a send would be exit 3)
    let url = format!("http://127.0.0.1:{}", closed_port());
    let bad = r#"{"bundle_version":1,"world_id":"w","submissions":[{"strategy_id":"s1","returns":[0.01,"x"]}]}"#;
    let (code, _, err) = run_remote(&["submit", "-", "--url", &url], Some(bad));
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("- is not a valid bundle"), "{err}");
    assert!(
        err.contains("E_SCHEMA at `/submissions/0/returns/1`"),
        "{err}"
    );
    let (code, _, err) = run_remote(&["status", "w", "s", "--run", "../x", "--url", &url], None);
    assert_eq!(code, 2);
    assert!(err.contains("E_ID_INVALID at `/run_id`"), "{err}");
}

#[test]
fn an_unreachable_edge_is_exit_3_after_the_retries() {
    let url = format!("http://127.0.0.1:{}", closed_port());
    let (code, _, err) = run_remote(&["status", "w", "s", "--url", &url, "--retries", "1"], None);
    assert_eq!(code, 3, "{err}");
    assert!(
        err.starts_with(&format!(
            "error: cannot reach the edge at {url}/worlds/w/strategies/s/runs/latest ("
        )),
        "{err}"
    );
    assert!(err.trim_end().ends_with("after 2 attempts"), "{err}");
}

#[test]
fn a_5xx_is_retried_and_a_4xx_error_document_is_exit_2() {
    let status = r#"{"world_id":"w","strategy_id":"s","run_id":"r-1","status":"evaluated","links":{"status":"/worlds/w/strategies/s/runs/r-1"}}"#;
    let (url, server) = canned(vec![(503, "<html>busy</html>"), (200, status)]);
    let (code, out, err) = run_remote(
        &["status", "w", "s", "--url", &url, "--token", "tok-1"],
        None,
    );
    assert_eq!(code, 0, "{err}");
    assert!(out.starts_with("w / s / r-1: evaluated\n"), "{out}");
    assert!(
        out.contains(&format!("status: {url}/worlds/w/strategies/s/runs/r-1")),
        "{out}"
    );
    let heads = server.join().unwrap();
    assert_eq!(heads.len(), 2);
    for h in &heads {
        assert!(
            h.starts_with("GET /worlds/w/strategies/s/runs/latest HTTP/1.1\r\n"),
            "{h}"
        );
        assert!(
            h.to_ascii_lowercase()
                .contains("authorization: bearer tok-1\r\n"),
            "{h}"
        );
    }

    let refusal = r#"{"code":"E_METRICS_MISMATCH","message":"claimed `sharpe` 9 differs from the recomputed 1.2","path":"/submissions/0/metrics/sharpe","help":"drop the claim or fix it"}"#;
    let (url, server) = canned(vec![(422, refusal)]);
    let (code, _, err) = run_remote(
        &[
            "submit",
            "-",
            "--url",
            &url,
            "--token",
            "tok-1",
            "--idempotency-key",
            "k-9",
        ],
        Some(GOOD),
    );
    assert_eq!(code, 2, "{err}");
    assert_eq!(
        err,
        "error: POST /worlds/w/runs: HTTP 422 E_METRICS_MISMATCH at `/submissions/0/metrics/sharpe`: claimed `sharpe` 9 differs from the recomputed 1.2\n  help: drop the claim or fix it\n"
    );
    let heads = server.join().unwrap();
    assert_eq!(heads.len(), 1, "a 4xx is not retried");
    assert!(heads[0].starts_with("POST /worlds/w/runs HTTP/1.1\r\n"));
    assert!(
        heads[0]
            .to_ascii_lowercase()
            .contains("idempotency-key: k-9\r\n")
    );
}
