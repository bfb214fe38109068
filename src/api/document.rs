//! Which worldgate document a file is, and whether it is valid as that document.
//!
//! [`document_kind`] tells the kind from the top-level keys alone (a scan of the text, no
//! tree is built, so it is cheap on a 20 MB bundle); [`validate_document`] then decodes the
//! text with the kind's own typed reader and reports every error with its JSON pointer.
//!
//! Kinds and the keys that identify them (the first rule that matches wins):
//!
//! | kind | identified by |
//! |---|---|
//! | `gate-result` | `result_digest`, `rejected` or `snapshots` |
//! | `bundle` | `bundle_version` or `submissions` |
//! | `snapshot` | `snapshot_id`, `series_heads` or `provenance` |
//! | `run` | `history`, or `status` holding an object |
//! | `run-status` | `effective_mode`, `activation_state`, `links` or `updated_at` |
//! | `metrics-document` | `evaluation` |
//! | `policy` | a top-level policy key (`thresholds`, `top_k`, `selection`, …), JSON or YAML |
//! | `returns` | a JSON array of numbers, or CSV text, as [`super::returns_input`] reads them with its default options |
//! | `list` | a JSON array of objects (each element is validated as a document) |
//!
//! Anything else has no kind: `E_PARSE` when it is not JSON (nor a policy or a number list),
//! `E_SCHEMA` when it is JSON of no known kind. The names are those of [`crate::schema::DOCUMENTS`]
//! where the kind is published there.

use crate::bundle::{Limits, SeriesField, parse_bundle, validate_bundle};
use crate::error::{Code, Error};
use crate::schema::{
    Dialect, DocumentKind, DocumentValidation, MetricsDocument, RunStatus, Snapshot, Validation,
    from_slice,
};

/// The kind of a JSON object from its top-level keys (`status_is_object`: whether its `status`
/// member holds an object, which tells a run record from a status document).
pub fn kind_of_keys(keys: &[String], status_is_object: bool) -> Option<DocumentKind> {
    let has = |names: &[&str]| keys.iter().any(|k| names.contains(&k.as_str()));
    if has(&["result_digest", "rejected", "snapshots"]) {
        Some(DocumentKind::GateResult)
    } else if has(&["bundle_version", "submissions"]) {
        Some(DocumentKind::Bundle)
    } else if has(&["snapshot_id", "series_heads", "provenance"]) {
        Some(DocumentKind::Snapshot)
    } else if has(&["history"]) || status_is_object {
        Some(DocumentKind::Run)
    } else if has(&["effective_mode", "activation_state", "links", "updated_at"]) {
        Some(DocumentKind::RunStatus)
    } else if has(&["evaluation"]) {
        Some(DocumentKind::MetricsDocument)
    } else if keys
        .iter()
        .any(|k| k != "dialect" && crate::policy::POLICY_KEYS.contains(&k.as_str()))
    {
        Some(DocumentKind::Policy)
    } else {
        None
    }
}

/// The kind of a document's text, from its top-level keys (see the module table). Reads no
/// more than it must: an object's member values are skipped, not parsed.
pub fn document_kind(bytes: &[u8]) -> Option<DocumentKind> {
    let mut s = Scan { b: bytes, i: 0 };
    s.skip_bom();
    s.ws();
    match s.peek() {
        Some(b'{') => s.object_kind(),
        Some(b'[') => {
            s.i += 1;
            s.ws();
            match s.peek() {
                Some(b'{') => Some(DocumentKind::List),
                Some(_) => Some(DocumentKind::Returns),
                None => None,
            }
        }
        _ => text_kind(bytes),
    }
}

/// Kind of a text that is not a JSON object or array: a number list or a YAML policy.
fn text_kind(bytes: &[u8]) -> Option<DocumentKind> {
    let text = std::str::from_utf8(bytes).ok()?;
    if number_lines(text).is_some() {
        return Some(DocumentKind::Returns);
    }
    // YAML: top-level keys are the `key:` lines that start at column 0.
    let keys: Vec<String> = text
        .lines()
        .filter(|l| !l.starts_with([' ', '\t', '#', '-']))
        .filter_map(|l| {
            l.split_once(':')
                .map(|(k, _)| k.trim().trim_matches(['"', '\'']))
        })
        .map(str::to_string)
        .collect();
    kind_of_keys(&keys, false).filter(|k| *k == DocumentKind::Policy)
}

/// The string value of a top-level member of a JSON object (`created_at` of a bundle), read
/// by the same skipping scan as [`document_kind`]: no tree is built. `None` when the text is
/// not an object, has no such member, or the member is not a string without escapes.
pub fn top_level_string(bytes: &[u8], key: &str) -> Option<String> {
    let mut s = Scan { b: bytes, i: 0 };
    s.skip_bom();
    s.ws();
    if s.peek() != Some(b'{') {
        return None;
    }
    s.i += 1;
    loop {
        s.ws();
        if s.peek() != Some(b'"') {
            return None;
        }
        let k = s.string()?;
        let hit = k == key.as_bytes();
        s.ws();
        if s.peek() != Some(b':') {
            return None;
        }
        s.i += 1;
        s.ws();
        if hit {
            if s.peek() != Some(b'"') {
                return None;
            }
            let v = s.string()?;
            return (!v.contains(&b'\\'))
                .then(|| String::from_utf8(v.to_vec()).ok())
                .flatten();
        }
        s.value()?;
        s.ws();
        if s.peek() != Some(b',') {
            return None;
        }
        s.i += 1;
    }
}

/// Validates a document of any kind: detects the kind ([`document_kind`]) and decodes it with
/// that kind's reader. `dialect` applies to policies (a policy's own `dialect` key wins);
/// `limits` to bundles.
///
/// # Errors
/// Reported in the returned value, never raised: the reader's errors (`E_PARSE`, `E_SCHEMA`,
/// `E_POLICY_INVALID`, `E_TOO_LARGE`, …) with their paths; for a list, each element's errors
/// under `/<index>`; `E_SCHEMA` at the root for JSON of no known kind, `E_PARSE` for text that
/// is neither JSON, a number list nor a policy.
pub fn validate_document(bytes: &[u8], dialect: Dialect, limits: &Limits) -> DocumentValidation {
    let kind = document_kind(bytes);
    let errors = match kind {
        None => vec![unknown(bytes, limits)],
        Some(k) => check(k, bytes, dialect, limits),
    };
    DocumentValidation {
        kind,
        ok: errors.is_empty(),
        errors,
    }
}

fn check(kind: DocumentKind, bytes: &[u8], dialect: Dialect, limits: &Limits) -> Vec<Error> {
    let one = |r: Result<(), Error>| r.err().into_iter().collect::<Vec<_>>();
    match kind {
        DocumentKind::Bundle => validate_bundle(bytes, limits).errors,
        DocumentKind::Snapshot => Validation::of(from_slice::<Snapshot>(bytes)).errors,
        DocumentKind::MetricsDocument => one(from_slice::<MetricsDocument>(bytes).map(drop)),
        DocumentKind::RunStatus => one(from_slice::<RunStatus>(bytes).map(drop)),
        DocumentKind::Run => one(from_slice::<crate::run::Run>(bytes).map(drop)),
        DocumentKind::GateResult => {
            one(from_slice::<crate::bundle::gate::GateResult>(bytes).map(drop))
        }
        DocumentKind::Policy => match std::str::from_utf8(bytes) {
            Ok(text) => crate::policy::Policy::parse(text, dialect)
                .err()
                .unwrap_or_default(),
            Err(_) => vec![not_utf8()],
        },
        DocumentKind::Returns => one(read_returns(bytes).map(drop)),
        DocumentKind::List => check_list(bytes, dialect, limits),
    }
}

fn check_list(bytes: &[u8], dialect: Dialect, limits: &Limits) -> Vec<Error> {
    let items = match crate::json::parse(bytes, limits) {
        Ok(serde_json::Value::Array(items)) => items,
        Ok(_) => return vec![Error::new(Code::Schema, "", "expected an array")],
        Err(e) => return vec![e],
    };
    let mut errors = Vec::new();
    for (i, item) in items.iter().enumerate() {
        let text = serde_json::to_vec(item).unwrap_or_default();
        let base = format!("/{i}");
        let found = match document_kind(&text) {
            Some(DocumentKind::List) | None => vec![unknown(&text, limits)],
            Some(k) => check(k, &text, dialect, limits),
        };
        errors.extend(found.into_iter().map(|e| e.within(&base)));
    }
    errors
}

/// The error for a document of no known kind.
fn unknown(bytes: &[u8], limits: &Limits) -> Error {
    let text = String::from_utf8_lossy(bytes);
    let t = text.trim_start_matches('\u{feff}').trim_start();
    if t.starts_with(['{', '[']) {
        if let Err(e) = crate::json::parse(bytes, limits) {
            return e;
        }
        return Error::new(
            Code::Schema,
            "",
            "not a worldgate document: expected a snapshot, bundle, run, run status, metrics \
             document, gate result, policy or returns series",
        )
        .with_help("a snapshot has `snapshot_id`, a bundle `bundle_version` and `submissions`");
    }
    if let Some(e) = bad_number_line(&text) {
        return e;
    }
    Error::new(
        Code::Parse,
        "",
        "not json, a yaml policy, nor one number per line",
    )
}

/// For text that is mostly one number per line (a returns CSV with a bad value): the strict
/// returns reader's error, which names the line. `None` when fewer than half of the non-empty
/// lines after the first end in a number (the text is something else).
fn bad_number_line(text: &str) -> Option<Error> {
    let number = |f: &str| f.parse::<f64>().is_ok();
    let fields: Vec<&str> = text
        .lines()
        .map(|l| l.rsplit(',').next().unwrap_or_default().trim())
        .filter(|f| !f.is_empty())
        .collect();
    // The first line may be a header.
    let body = fields.get(1..)?;
    let numbers = body.iter().filter(|f| number(f)).count();
    if body.is_empty() || numbers * 2 < body.len() {
        return None;
    }
    // The message names the line too: a viewer shows the message, not the fields.
    super::returns_input::read_returns(text.as_bytes())
        .err()
        .map(|mut e| {
            if let Some(line) = e.line {
                e.message = format!("line {line}: {}", e.message);
            }
            e
        })
}

fn not_utf8() -> Error {
    Error::new(Code::Parse, "", "the text is not utf-8")
}

/// A bare returns series: [`super::returns_input::read_returns`] (JSON array or object, or
/// CSV), kept here for callers of the document API.
///
/// # Errors
/// The first error of [`super::returns_input::read_returns_table`].
pub fn read_returns(bytes: &[u8]) -> Result<Vec<f64>, Error> {
    super::returns_input::read_returns(bytes)
}

/// Whether text reads as a returns series under the default options.
fn number_lines(text: &str) -> Option<Vec<f64>> {
    read_returns(text.as_bytes()).ok()
}

/// A forward-only scan over JSON text that reads top-level keys and skips values.
struct Scan<'a> {
    b: &'a [u8],
    i: usize,
}

impl Scan<'_> {
    fn peek(&self) -> Option<u8> {
        self.b.get(self.i).copied()
    }

    fn skip_bom(&mut self) {
        if self.b.starts_with(&[0xEF, 0xBB, 0xBF]) {
            self.i = 3;
        }
    }

    fn ws(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\r' | b'\n')) {
            self.i += 1;
        }
    }

    /// At a `"`: the raw string contents (escapes kept), the scan past the closing quote.
    fn string(&mut self) -> Option<&[u8]> {
        let start = self.i + 1;
        let mut j = start;
        loop {
            match self.b.get(j)? {
                b'\\' => j += 2,
                b'"' => break,
                _ => j += 1,
            }
        }
        self.i = j + 1;
        self.b.get(start..j)
    }

    /// Skips one value; `None` at malformed input.
    fn value(&mut self) -> Option<()> {
        match self.peek()? {
            b'"' => self.string().map(drop),
            b'{' | b'[' => {
                let mut depth = 0usize;
                loop {
                    match self.peek()? {
                        b'"' => {
                            self.string()?;
                            continue;
                        }
                        b'{' | b'[' => depth += 1,
                        b'}' | b']' => {
                            depth = depth.checked_sub(1)?;
                            if depth == 0 {
                                self.i += 1;
                                return Some(());
                            }
                        }
                        _ => {}
                    }
                    self.i += 1;
                }
            }
            _ => {
                while !matches!(
                    self.peek(),
                    None | Some(b',' | b'}' | b']' | b' ' | b'\t' | b'\r' | b'\n')
                ) {
                    self.i += 1;
                }
                Some(())
            }
        }
    }

    fn object_kind(&mut self) -> Option<DocumentKind> {
        self.i += 1;
        let mut keys = Vec::new();
        let mut status_is_object = false;
        loop {
            self.ws();
            match self.peek() {
                Some(b'"') => {}
                _ => break,
            }
            let key = String::from_utf8_lossy(self.string()?).into_owned();
            self.ws();
            if self.peek() != Some(b':') {
                break;
            }
            self.i += 1;
            self.ws();
            if key == "status" && self.peek() == Some(b'{') {
                status_is_object = true;
            }
            keys.push(key);
            if self.value().is_none() {
                break;
            }
            self.ws();
            if self.peek() != Some(b',') {
                break;
            }
            self.i += 1;
        }
        kind_of_keys(&keys, status_is_object)
    }
}

/// The returns series of each submission of a bundle, with the bundle's context, read in one
/// pass.
#[derive(Debug, Clone, PartialEq)]
pub struct BundleSeries {
    /// The world.
    pub world_id: String,
    /// The bundle's `created_at`, when given.
    pub created_at: Option<String>,
    /// The bundle's `previous` activation state, when given.
    pub previous: Option<serde_json::Value>,
    /// The bundle's `correlations`, when given.
    pub correlations: Option<serde_json::Value>,
    /// `(strategy_id, returns)` for each submission with a `returns` series, in bundle order.
    pub returns: Vec<(String, Vec<f64>)>,
    /// `(strategy_id, instants)` for each submission with a time axis that reads: its
    /// `timestamps`, or its `index` expanded, as milliseconds since the epoch
    /// ([`crate::time::to_epoch_ms`]: integers, a sub-millisecond part rounded), the form the JS
    /// API hands out (a `Float64Array`: no string per period) and takes back. One that does
    /// not read is left out here; `gateBundle` reports it.
    pub timestamps: Vec<(String, Vec<f64>)>,
}

/// Reads a bundle's returns series (and its `world_id`, `created_at`, `previous`,
/// `correlations`) without validating the rest of it.
///
/// # Errors
/// The reader's errors ([`parse_bundle`]: `E_PARSE`, `E_TOO_LARGE`, `E_NOT_FINITE`, …).
pub fn bundle_series(bytes: &[u8], limits: &Limits) -> Result<BundleSeries, Error> {
    let (value, series) = parse_bundle(bytes, limits)?;
    let text = |k: &str| value.get(k).and_then(|v| v.as_str()).map(str::to_string);
    let subs = value.get("submissions").and_then(|s| s.as_array());
    let id = |i: usize| {
        subs.and_then(|s| s.get(i))
            .and_then(|s| s.get("strategy_id"))
            .and_then(|s| s.as_str())
            .unwrap_or_default()
            .to_string()
    };
    let returns: Vec<(String, Vec<f64>)> = series
        .into_iter()
        .filter(|s| SeriesField::of(s) == Some(SeriesField::Returns))
        .map(|s| (id(s.item), s.values.into_iter().map(|x| x.0).collect()))
        .collect();
    let submission = |id: &str| {
        subs?
            .iter()
            .find(|s| s.get("strategy_id").and_then(|x| x.as_str()) == Some(id))
    };
    let timestamps = returns
        .iter()
        .filter_map(|(id, r)| Some((id.clone(), time_axis_of(submission(id)?, r.len())?)))
        .collect();
    Ok(BundleSeries {
        world_id: text("world_id").unwrap_or_default(),
        created_at: text("created_at"),
        previous: value.get("previous").cloned(),
        correlations: value.get("correlations").cloned(),
        returns,
        timestamps,
    })
}

/// A submission's time axis in milliseconds since the epoch: its `timestamps` (checked to
/// read, one per return), or its `index` expanded; `None` when it has none or it does not
/// read.
fn time_axis_of(submission: &serde_json::Value, n: usize) -> Option<Vec<f64>> {
    let timestamps: Option<Vec<String>> = submission
        .get("timestamps")
        .and_then(|t| crate::schema::from_value(t).ok());
    let index: Option<crate::schema::SeriesIndex> = submission
        .get("index")
        .and_then(|t| crate::schema::from_value(t).ok());
    let days = crate::metrics::timeline::time_axis(timestamps.as_deref(), index.as_ref(), n, "")
        .ok()??;
    Some(days.into_iter().map(crate::time::to_epoch_ms).collect())
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;

    fn kind(s: &str) -> Option<DocumentKind> {
        document_kind(s.as_bytes())
    }

    #[test]
    fn kinds_by_keys() {
        assert_eq!(
            kind(r#"{"bundle_version":1,"world_id":"w","submissions":[]}"#),
            Some(DocumentKind::Bundle)
        );
        assert_eq!(
            kind(r#" {"schema_version":1,"snapshot_id":"a"}"#),
            Some(DocumentKind::Snapshot)
        );
        assert_eq!(
            kind(r#"{"world_id":"w","evaluation":{}}"#),
            Some(DocumentKind::MetricsDocument)
        );
        assert_eq!(
            kind(r#"{"world_id":"w","status":"evaluated","links":{"a":"}"}}"#),
            Some(DocumentKind::RunStatus)
        );
        assert_eq!(
            kind(r#"{"status":{"world_id":"w"},"history":[]}"#),
            Some(DocumentKind::Run)
        );
        assert_eq!(
            kind(r#"{"world_id":"w","result_digest":"x","snapshots":[]}"#),
            Some(DocumentKind::GateResult)
        );
        assert_eq!(kind(r#"{"thresholds":{}}"#), Some(DocumentKind::Policy));
        assert_eq!(
            kind("dialect: qmtl\nthresholds:\n  s: {metric: sharpe, min: 1}\n"),
            Some(DocumentKind::Policy)
        );
        assert_eq!(kind("[0.1, \"nan\"]"), Some(DocumentKind::Returns));
        assert_eq!(kind("r\n0.1\n-0.2\n"), Some(DocumentKind::Returns));
        assert_eq!(kind("[{\"a\":1}]"), Some(DocumentKind::List));
        assert_eq!(kind(r#"{"hello":1}"#), None);
        assert_eq!(kind("hello world"), None);
    }

    #[test]
    fn keys_inside_values_do_not_count() {
        // `snapshot_id` appears only inside a string and a nested object.
        let doc = r#"{"note":"\"snapshot_id\":","meta":{"snapshot_id":1},"evaluation":{}}"#;
        assert_eq!(kind(doc), Some(DocumentKind::MetricsDocument));
    }

    #[test]
    fn validates_with_the_kinds_reader() {
        let v = validate_document(
            br#"{"world_id":"w","strategy_id":"s","run_id":"r","status":"bogus","evaluation":{}}"#,
            Dialect::Strict,
            &Limits::default(),
        );
        assert_eq!(v.kind, Some(DocumentKind::MetricsDocument));
        assert!(!v.ok);
        assert_eq!(v.errors[0].code, Code::Schema);
        assert_eq!(v.errors[0].path, "/status");

        let v = validate_document(
            b"thresholds:\n  s: {metric: sharpe, mni: 1}\n",
            Dialect::Strict,
            &Limits::default(),
        );
        assert_eq!(v.kind, Some(DocumentKind::Policy));
        assert_eq!(v.errors[0].code, Code::PolicyInvalid);

        let v = validate_document(br#"{"a":1}"#, Dialect::Strict, &Limits::default());
        assert_eq!((v.kind, v.ok), (None, false));
        assert_eq!(v.errors[0].code, Code::Schema);

        let v = validate_document(b"{\"a\":", Dialect::Strict, &Limits::default());
        assert_eq!(v.errors[0].code, Code::Parse);

        let v = validate_document(
            br#"[{"evaluation":{}}, {"a":1}]"#,
            Dialect::Strict,
            &Limits::default(),
        );
        assert_eq!(v.kind, Some(DocumentKind::List));
        assert!(v.errors.iter().any(|e| e.path.starts_with("/0")));
        assert!(v.errors.iter().any(|e| e.path == "/1"));
    }

    #[test]
    fn returns_json_and_lines() {
        let r = read_returns(br#"[0.5, "nan", -0.25]"#).unwrap();
        assert_eq!(r.len(), 3);
        assert_eq!((r[0], r[2]), (0.5, -0.25));
        assert!(r[1].is_nan());
        assert_eq!(
            read_returns(b"date,ret\n2024-01-01,0.5\n2024-01-02,-0.25\n").unwrap(),
            vec![0.5, -0.25]
        );
        let e = read_returns(br#"[0.5, "x"]"#).unwrap_err();
        assert_eq!((e.code, e.path.as_str()), (Code::Schema, "/1"));
        assert_eq!(read_returns(b"a\nb\n").unwrap_err().code, Code::Parse);
    }

    #[test]
    fn a_csv_with_a_bad_value_names_its_line() {
        let csv = b"date,r\n2024-01-01,0.01\n2024-01-02,oops\n2024-01-03,0.02\n";
        let v = validate_document(csv, Dialect::Strict, &Limits::default());
        assert!(!v.ok);
        let e = &v.errors[0];
        assert_eq!(e.code, Code::Parse);
        assert!(
            e.message.starts_with("line 3: `oops` is not a number"),
            "{}",
            e.message
        );
        // Prose is still "not json, …": no line is singled out.
        let v = validate_document(b"hello\nworld\n", Dialect::Strict, &Limits::default());
        assert_eq!(
            v.errors[0].message,
            "not json, a yaml policy, nor one number per line"
        );
    }

    #[test]
    fn series_of_a_bundle() {
        let b = br#"{"bundle_version":1,"world_id":"w","created_at":"2025-01-01T00:00:00Z",
            "submissions":[{"strategy_id":"a","returns":[0.5,-0.25]},{"strategy_id":"b","metrics":{}}],
            "correlations":[["a","b",0.5]]}"#;
        let s = bundle_series(b, &Limits::default()).unwrap();
        assert_eq!(s.world_id, "w");
        assert_eq!(s.created_at.as_deref(), Some("2025-01-01T00:00:00Z"));
        assert_eq!(s.returns, vec![("a".to_string(), vec![0.5, -0.25])]);
        assert!(s.previous.is_none() && s.correlations.is_some());
    }

    #[test]
    fn series_of_a_bundle_carry_their_time_axis() {
        let b = br#"{"bundle_version":1,"world_id":"w","submissions":[
            {"strategy_id":"a","returns":[0.5,-0.25],"timestamps":["2024-01-01T00:00:00Z","2024-01-02T00:00:00Z"]},
            {"strategy_id":"b","returns":[0.1,0.2,0.3],"index":{"start":"2024-01-31T00:00:00Z","frequency":"1M"}},
            {"strategy_id":"c","returns":[0.1],"timestamps":["yesterday"]}]}"#;
        let s = bundle_series(b, &Limits::default()).unwrap();
        let day = 86_400_000.0;
        let jan1 = 1_704_067_200_000.0; // 2024-01-01T00:00:00Z
        assert_eq!(
            s.timestamps,
            vec![
                ("a".to_string(), vec![jan1, jan1 + day]),
                (
                    "b".to_string(),
                    vec![jan1 + 30.0 * day, jan1 + 59.0 * day, jan1 + 90.0 * day]
                ),
            ]
        );
    }
}
