//! No secret survives the gate: the named vectors of `tests/vectors/sanitize/` (issue 14's
//! reproductions among them) and a property test that places any secret of the corpus
//! (`corpus.json`) at any key or value position of a bundle, in any encoding, with any text
//! around it, and scans everything the gate outputs (result, decision, snapshots, runs,
//! redactions, or the errors) for the secret's bytes: whole, as any 12-byte window (partial
//! leaks count), decoded and in the encoding it was placed in.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use proptest::prelude::*;
use serde_json::{Value, json};
use std::path::PathBuf;
use std::sync::OnceLock;
use worldgate::bundle::gate::{GateOptions, gate};
use worldgate::bundle::sanitize::sanitize_field;
use worldgate::policy::Policy;

fn dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/vectors/sanitize")
}

struct Secret {
    name: String,
    text: String,
    body: Vec<String>,
}

fn corpus() -> &'static (Vec<Secret>, usize) {
    static CORPUS: OnceLock<(Vec<Secret>, usize)> = OnceLock::new();
    CORPUS.get_or_init(|| {
        let doc: Value =
            serde_json::from_str(&std::fs::read_to_string(dir().join("corpus.json")).unwrap())
                .unwrap();
        let secrets = doc["secrets"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| Secret {
                name: s["name"].as_str().unwrap().to_string(),
                text: s["text"].as_str().unwrap().to_string(),
                body: s["body"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|b| b.as_str().unwrap().to_string())
                    .collect(),
            })
            .collect();
        (secrets, doc["window"].as_u64().unwrap() as usize)
    })
}

/// Every string and key of a JSON document, decoded.
fn strings(v: &Value, out: &mut Vec<String>) {
    match v {
        Value::String(s) => out.push(s.clone()),
        Value::Array(a) => a.iter().for_each(|x| strings(x, out)),
        Value::Object(m) => {
            for (k, x) in m {
                out.push(k.clone());
                strings(x, out);
            }
        }
        _ => {}
    }
}

/// The windows of `body` that must not appear: the whole body and each `window`-byte slice with
/// a letter in it (all-digit slices can occur in numbers).
fn windows(body: &str, window: usize) -> Vec<String> {
    let b = body.as_bytes();
    let mut out = vec![body.to_string()];
    if b.len() > window {
        for w in b.windows(window) {
            if w.iter().any(u8::is_ascii_alphabetic)
                && let Ok(s) = std::str::from_utf8(w)
            {
                out.push(s.to_string());
            }
        }
    }
    out
}

/// Panics naming the leak when any window of `bodies` (or `encoded`, verbatim) is in `output`
/// (a JSON text) or in any of its decoded strings and keys.
fn assert_no_leak(output: &str, bodies: &[String], encoded: &[String], what: &str) {
    let (_, window) = corpus();
    let parsed: Value = serde_json::from_str(output).unwrap();
    let mut texts = vec![output.to_string()];
    strings(&parsed, &mut texts);
    for body in bodies {
        for w in windows(body, *window) {
            if let Some(t) = texts.iter().find(|t| t.contains(&w)) {
                let at = t.find(&w).unwrap_or(0);
                let near: String = t
                    .char_indices()
                    .filter(|(i, _)| i + 150 >= at && *i <= at + 150)
                    .map(|(_, c)| c)
                    .collect();
                panic!("{what}: `{w}` (of `{body}`) survived in …{near}…");
            }
        }
    }
    for e in encoded {
        assert!(
            !output.contains(e.as_str()),
            "{what}: encoded `{e}` survived"
        );
    }
}

/// The gate's whole output (the result, or the errors) as JSON text.
fn gate_output(bytes: &[u8]) -> String {
    static POLICY: OnceLock<Policy> = OnceLock::new();
    let policy = POLICY.get_or_init(|| Policy::preset("sandbox").unwrap());
    match gate(bytes, policy, &GateOptions::default()) {
        Ok(r) => serde_json::to_string(&r).unwrap(),
        Err(e) => serde_json::to_string(&e).unwrap(),
    }
}

#[test]
fn named_vectors() {
    let mut n = 0;
    for entry in std::fs::read_dir(dir()).unwrap() {
        let path = entry.unwrap().path();
        let v: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        let Some(kind) = v["kind"].as_str() else {
            continue; // the corpus
        };
        let name = v["name"].as_str().unwrap();
        let bodies: Vec<String> = v["must_not_contain"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s.as_str().unwrap().to_string())
            .collect();
        let expected = v["redactions"].as_array().unwrap();
        let (output, redactions) = match kind {
            "bundle" => {
                let out = gate_output(&serde_json::to_vec(&v["bundle"]).unwrap());
                let parsed: Value = serde_json::from_str(&out).unwrap();
                let red = parsed
                    .get("redactions")
                    .cloned()
                    .unwrap_or_else(|| json!([]));
                (out, red)
            }
            "text" => {
                let out = sanitize_field(v["text"].as_str().unwrap(), v["path"].as_str().unwrap());
                assert_eq!(out.text, v["expected_text"].as_str().unwrap(), "{name}");
                let red = serde_json::to_value(&out.redactions).unwrap();
                (serde_json::to_string(&out).unwrap(), red)
            }
            other => panic!("{name}: unknown kind {other}"),
        };
        assert_no_leak(&output, &bodies, &[], name);
        for r in expected {
            assert!(
                redactions.as_array().unwrap().contains(r),
                "{name}: expected redaction {r} in {redactions}"
            );
        }
        if expected.is_empty() && kind == "text" {
            assert_eq!(redactions, json!([]), "{name}");
        }
        n += 1;
    }
    assert!(n >= 14, "only {n} vectors");
}

/// The custom metric renamed from a secret is the name the decision, snapshot and run use.
#[test]
fn renamed_custom_metric_flows_into_derived_outputs() {
    let v: Value = serde_json::from_str(
        &std::fs::read_to_string(dir().join("secret_in_custom_metric_name.json")).unwrap(),
    )
    .unwrap();
    let policy = Policy::preset("sandbox").unwrap();
    let r = gate(
        &serde_json::to_vec(&v["bundle"]).unwrap(),
        &policy,
        &GateOptions::default(),
    )
    .unwrap();
    let name = "n_[REDACTED:aws_access_key_id]";
    assert_eq!(r.snapshots[0].metrics.custom[name].0, 1.5);
    assert!(
        r.runs[0]
            .metrics
            .as_ref()
            .unwrap()
            .custom
            .contains_key(name)
    );
    let decision = serde_json::to_string(&r.decision).unwrap();
    assert!(decision.contains(name), "{decision}");
}

// ---------------------------------------------------------------------------------------------
// The property test.

/// Where a placed text goes: `@@` in the template marks it (a key or a string's contents).
const POSITIONS: &[(&str, &str)] = &[
    ("meta value", r#"{"note":"@@","n":1}"#),
    ("meta key", r#"{"@@":1,"note":"ok"}"#),
    ("nested meta value", r#"{"nested":{"list":["a","@@"]}}"#),
    ("nested meta key", r#"{"nested":{"@@":{"x":"y"}}}"#),
];
const SUB_POSITIONS: &[(&str, &str)] = &[
    ("submission meta value", r#""meta":{"owner":"@@"}"#),
    ("submission meta key", r#""meta":{"@@":"q"}"#),
    ("storage ref", r#""storage_refs":{"full":"@@"}"#),
    ("storage ref key", r#""storage_refs":{"@@":"s3://b/k"}"#),
    ("custom metric name", r#""metrics":{"custom":{"n_@@":1.5}}"#),
    ("stage", r#""stage":"@@""#),
    ("window", r#""window":"@@""#),
    ("reference currency", r#""reference_currency":"@@""#),
];

/// How the placed text is written.
#[derive(Debug, Clone, Copy)]
enum Encoding {
    Plain,
    /// Every byte but ASCII letters and digits as `%XX`.
    Percent,
    /// Every byte as `%XX`.
    PercentAll,
    /// Spaces as `+` (form encoding), the rest as `%XX` when not a letter or digit.
    Form,
    /// Spaces as `+` only.
    Plus,
    /// The string's contents hold `\uXXXX` text for every character (JSON carried as text).
    UnicodeText,
    /// The bundle's JSON bytes write the string with `\uXXXX` escapes (the reader decodes them).
    UnicodeSource,
}

const ENCODINGS: &[Encoding] = &[
    Encoding::Plain,
    Encoding::Percent,
    Encoding::PercentAll,
    Encoding::Form,
    Encoding::Plus,
    Encoding::UnicodeText,
    Encoding::UnicodeSource,
];

fn percent(s: &str, keep: impl Fn(u8) -> bool) -> String {
    s.bytes()
        .map(|b| {
            if keep(b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

fn u_escapes(s: &str) -> String {
    s.encode_utf16().map(|u| format!("\\u{u:04x}")).collect()
}

impl Encoding {
    /// The string's contents after encoding.
    fn encode(self, s: &str) -> String {
        match self {
            Encoding::Plain | Encoding::UnicodeSource => s.to_string(),
            Encoding::Percent => percent(s, |b| b.is_ascii_alphanumeric()),
            Encoding::PercentAll => percent(s, |_| false),
            Encoding::Form => {
                percent(s, |b| b.is_ascii_alphanumeric() || b == b' ').replace(' ', "+")
            }
            Encoding::Plus => s.replace(' ', "+"),
            Encoding::UnicodeText => u_escapes(s),
        }
    }

    /// The contents as they go between the quotes of the bundle's JSON text.
    fn json_contents(self, s: &str) -> String {
        let encoded = self.encode(s);
        match self {
            Encoding::UnicodeSource => u_escapes(&encoded),
            _ => {
                let quoted = serde_json::to_string(&encoded).unwrap();
                quoted[1..quoted.len() - 1].to_string()
            }
        }
    }
}

fn bundle_text(position: usize, contents: &str) -> (String, &'static str) {
    let sub = |extra: &str| {
        format!(
            r#"{{"strategy_id":"s","returns":[0.01,-0.02,0.015,0.003,-0.004,0.007],"stage":"backtest"{extra}}}"#
        )
    };
    if let Some((what, meta)) = POSITIONS.get(position) {
        let meta = meta.replace("@@", contents);
        let text = format!(
            r#"{{"bundle_version":1,"world_id":"w","meta":{meta},"submissions":[{}]}}"#,
            sub("")
        );
        return (text, what);
    }
    let (what, field) = SUB_POSITIONS[position - POSITIONS.len()];
    let mut s = sub(&format!(",{}", field.replace("@@", contents)));
    if field.starts_with(r#""stage""#) {
        s = s.replacen(r#","stage":"backtest""#, "", 1);
    }
    let text = format!(r#"{{"bundle_version":1,"world_id":"w","submissions":[{s}]}}"#);
    (text, what)
}

/// Places `placed` (a secret, with any text around it) at `position` in encoding `enc`, gates the
/// bundle and scans every output for the secret's body, plain and encoded.
fn gate_and_scan(s: &Secret, position: usize, enc: Encoding, placed: &str) {
    let (text, what) = bundle_text(position, &enc.json_contents(placed));
    let output = gate_output(text.as_bytes());
    let encoded: Vec<String> = s
        .body
        .iter()
        .map(|b| enc.encode(b))
        .filter(|e| !s.body.contains(e))
        .collect();
    assert_no_leak(
        &output,
        &s.body,
        &encoded,
        &format!("{} at {what}, {enc:?}", s.name),
    );
}

const PREFIXES: &[&str] = &["", " ", "xx", "note: ", "key=", "a_", "(", "\n", "see "];
const SUFFIXES: &[&str] = &["", " ", "yy", ".", "_z", ";", "\n", ")"];

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn no_corpus_secret_survives_the_gate(
        secret in 0..corpus().0.len(),
        position in 0..POSITIONS.len() + SUB_POSITIONS.len(),
        encoding in 0..ENCODINGS.len(),
        prefix in 0..PREFIXES.len(),
        suffix in 0..SUFFIXES.len(),
    ) {
        let s = &corpus().0[secret];
        let enc = ENCODINGS[encoding];
        let placed = format!("{}{}{}", PREFIXES[prefix], s.text, SUFFIXES[suffix]);
        gate_and_scan(s, position, enc, &placed);
    }
}

/// Every secret at every position in every encoding, once (the property test adds the text
/// around it).
#[test]
fn every_secret_position_and_encoding() {
    let (secrets, _) = corpus();
    for s in secrets {
        for position in 0..POSITIONS.len() + SUB_POSITIONS.len() {
            for &enc in ENCODINGS {
                gate_and_scan(s, position, enc, &s.text);
            }
        }
    }
}

/// Bundles without secrets gate as before: the sanitizer reports nothing and changes nothing.
#[test]
fn clean_bundles_have_no_redactions() {
    for position in 0..POSITIONS.len() + SUB_POSITIONS.len() {
        for text in ["momentum 20d, 100%+ (a+b)", "2025-12-01/2025-12-31", "USD"] {
            let (bundle, what) = bundle_text(position, text);
            let out: Value = serde_json::from_str(&gate_output(bundle.as_bytes())).unwrap();
            if let Some(r) = out.get("redactions") {
                assert_eq!(r, &json!([]), "{what}: {text}");
            }
        }
    }
}
