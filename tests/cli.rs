//! Runs the built `worldgate` binary: exit codes, human and JSON output, stdin, directories.
#![cfg(feature = "cli")]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::io::Write;
use std::process::{Command, Stdio};

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_worldgate"))
}

fn run(args: &[&str], stdin: Option<&str>) -> (i32, String, String) {
    let mut child = bin()
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    if let Some(input) = stdin {
        child
            .stdin
            .take()
            .unwrap()
            .write_all(input.as_bytes())
            .unwrap();
    } else {
        drop(child.stdin.take());
    }
    let out = child.wait_with_output().unwrap();
    (
        out.status.code().unwrap(),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

const GOOD: &str = r#"{"bundle_version":1,"world_id":"w","submissions":[{"strategy_id":"s1","returns":[0.01,-0.02,0.015]}]}"#;

fn tempdir(name: &str) -> std::path::PathBuf {
    let d = std::env::temp_dir().join(format!("worldgate-cli-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

#[test]
fn validate_reads_stdin_and_sets_exit_codes() {
    let (code, out, _) = run(&["validate", "-"], Some(GOOD));
    assert_eq!(code, 0, "{out}");
    assert!(out.starts_with("ok"));
    let (code, out, _) = run(
        &["validate", "-"],
        Some(r#"{"bundle_version":1,"world_id":"a/b","submissions":[]}"#),
    );
    assert_eq!(code, 2);
    assert!(out.contains("E_ID_INVALID at `/world_id`"), "{out}");
    let (code, out, _) = run(&["validate", "--format", "json", "-"], Some("[1,"));
    assert_eq!(code, 2);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v[0]["errors"][0]["code"], "E_PARSE");
    assert_eq!(v[0]["ok"], false);
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
    let (code, out, _) = run(
        &[
            "diff",
            d.join("a.json").to_str().unwrap(),
            d.join("c.json").to_str().unwrap(),
        ],
        None,
    );
    assert_eq!(code, 2);
    assert!(out.contains("E_NOT_COMPARABLE"), "{out}");
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
