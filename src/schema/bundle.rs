//! The upload bundle, format v1: one world, one or more strategy submissions.
//!
//! ```json
//! {"bundle_version": 1, "world_id": "alpha_world",
//!  "submissions": [{"strategy_id": "beta_mkt_simple", "returns": [0.001, -0.0005, 0.002]}]}
//! ```
//!
//! Shape is checked by serde (unknown fields rejected); [`check_bundle`] adds what serde cannot
//! say: the version, id charset ([`check_id`]), limits, finite series, at least one of
//! `returns`/`metrics` per submission, no strategy twice.

use super::{EvaluationMetrics, Num};
use crate::error::{Code, Error, pointer_join};
use crate::json::Limits;
use crate::json::fields::table_struct;
use serde::Serialize;
use serde_json::{Map, Value};

/// The bundle format version this crate reads.
pub const BUNDLE_VERSION: u32 = 1;

/// Longest id, in bytes.
pub const MAX_ID_LEN: usize = 128;

/// The ids [`check_id`] accepts, as an ECMA-262 regular expression (the length bound is
/// [`MAX_ID_LEN`]; the charset is ASCII, so bytes and characters agree). Published in the JSON
/// Schemas (and so in the edge's OpenAPI document) for every id field.
pub const SAFE_ID_PATTERN: &str = "^[A-Za-z0-9_:-][A-Za-z0-9._:-]*$";

/// An evaluation bundle uploaded for one world.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(not(target_arch = "wasm32"), derive(schemars::JsonSchema, ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct Bundle {
    /// Always `1`.
    #[cfg_attr(not(target_arch = "wasm32"), schemars(extend("const" = BUNDLE_VERSION)))]
    pub bundle_version: u32,
    /// The world the submissions are for; safe id (`[A-Za-z0-9._:-]`, 1–128 bytes, no leading dot).
    #[cfg_attr(not(target_arch = "wasm32"), schemars(extend("pattern" = SAFE_ID_PATTERN, "minLength" = 1, "maxLength" = MAX_ID_LEN)))]
    pub world_id: String,
    /// When the submitter created the bundle (RFC 3339); informative only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(not(target_arch = "wasm32"), ts(optional))]
    pub created_at: Option<String>,
    /// One or more strategy submissions; each strategy at most once.
    #[cfg_attr(not(target_arch = "wasm32"), schemars(extend("minItems" = 1)))]
    pub submissions: Vec<Submission>,
    /// The world's activation state before this bundle (active set and hysteresis counters),
    /// in the policy engine's `previous_state` form.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(not(target_arch = "wasm32"), ts(optional, type = "unknown"))]
    pub previous: Option<Value>,
    /// Pairwise return correlations, in the policy engine's form (`[[a, b, rho], …]` or a matrix).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(not(target_arch = "wasm32"), ts(optional, type = "unknown"))]
    pub correlations: Option<Value>,
    /// Free-form metadata about the upload (sanitized before storage).
    #[serde(default, skip_serializing_if = "Map::is_empty")]
    #[cfg_attr(
        not(target_arch = "wasm32"),
        ts(optional, type = "Record<string, unknown>")
    )]
    pub meta: Map<String, Value>,
}

/// The full series of one submission as the gate read them (checked, sanitized bundle order),
/// for a service that stores them: a gate result carries these when asked
/// (`GateOptions.full_series`), so no caller parses an upload a second time.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
#[cfg_attr(not(target_arch = "wasm32"), derive(schemars::JsonSchema, ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct SubmissionSeries {
    /// The strategy.
    pub strategy_id: String,
    /// The submission's `returns`, when it gave them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(not(target_arch = "wasm32"), ts(optional))]
    pub returns: Option<Vec<Num>>,
    /// The submission's `equity`, when it gave them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(not(target_arch = "wasm32"), ts(optional))]
    pub equity: Option<Vec<Num>>,
    /// The submission's `pnl`, when it gave them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(not(target_arch = "wasm32"), ts(optional))]
    pub pnl: Option<Vec<Num>>,
    /// The submission's `timestamps` (an `index` expanded), when it gave a time axis.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(not(target_arch = "wasm32"), ts(optional))]
    pub timestamps: Option<Vec<String>>,
}

/// One strategy's submission: a returns series and/or a precomputed metric block.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
#[cfg_attr(not(target_arch = "wasm32"), derive(schemars::JsonSchema, ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct Submission {
    /// The strategy; safe id.
    #[cfg_attr(not(target_arch = "wasm32"), schemars(extend("pattern" = SAFE_ID_PATTERN, "minLength" = 1, "maxLength" = MAX_ID_LEN)))]
    pub strategy_id: String,
    /// The evaluation run; minted from the input digest when absent. Safe id.
    #[cfg_attr(not(target_arch = "wasm32"), schemars(extend("pattern" = SAFE_ID_PATTERN, "minLength" = 1, "maxLength" = MAX_ID_LEN)))]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(not(target_arch = "wasm32"), ts(optional))]
    pub run_id: Option<String>,
    /// Lifecycle stage (`backtest`, `paper`, `live`, …), for `default_profile_by_stage`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(not(target_arch = "wasm32"), ts(optional))]
    pub stage: Option<String>,
    /// Period returns; `"nan"` marks a missing period, infinities are rejected.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(not(target_arch = "wasm32"), ts(optional))]
    pub returns: Option<Vec<Num>>,
    /// A metric block computed by the submitter; checked against `returns` when both are given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(not(target_arch = "wasm32"), ts(optional))]
    pub metrics: Option<EvaluationMetrics>,
    /// Account equity levels, for the snapshot's series heads.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(not(target_arch = "wasm32"), ts(optional))]
    pub equity: Option<Vec<Num>>,
    /// Cumulative PnL in currency, for the snapshot's series heads.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(not(target_arch = "wasm32"), ts(optional))]
    pub pnl: Option<Vec<Num>>,
    /// Free-form metadata (sanitized).
    #[serde(default, skip_serializing_if = "Map::is_empty")]
    #[cfg_attr(
        not(target_arch = "wasm32"),
        ts(optional, type = "Record<string, unknown>")
    )]
    pub meta: Map<String, Value>,
    /// Where the full series live, usually URIs (sanitized: signed query strings stripped).
    #[serde(default, skip_serializing_if = "Map::is_empty")]
    #[cfg_attr(
        not(target_arch = "wasm32"),
        ts(optional, type = "Record<string, unknown>")
    )]
    pub storage_refs: Map<String, Value>,
    /// One RFC 3339 UTC timestamp per return, strictly increasing (not with `index`). With
    /// them (or `index`) the default `window` is `first/last`, `periods_per_year` defaults to
    /// the one they imply, and computed correlations align strategies by date. Part of the
    /// bundle's bytes, so the input digest covers them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(not(target_arch = "wasm32"), ts(optional))]
    pub timestamps: Option<Vec<String>>,
    /// A regular index `{start, frequency}` instead of `timestamps`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(not(target_arch = "wasm32"), ts(optional))]
    pub index: Option<super::SeriesIndex>,
    /// The time window the series covers (ISO 8601 interval or free text).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(not(target_arch = "wasm32"), ts(optional))]
    pub window: Option<String>,
    /// P, periods per year for annualising (default: implied by `timestamps`/`index`, else 252).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(not(target_arch = "wasm32"), ts(optional))]
    pub periods_per_year: Option<f64>,
    /// Risk-free rate per year (default 0).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(not(target_arch = "wasm32"), ts(optional))]
    pub risk_free: Option<f64>,
    /// Starting capital of the simulated account (default the metrics engine's).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(not(target_arch = "wasm32"), ts(optional))]
    pub initial_capital: Option<f64>,
    /// Currency of the PnL block (ISO 4217).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(not(target_arch = "wasm32"), ts(optional))]
    pub reference_currency: Option<String>,
    /// T, the number of strategy variants tried before this one (QMTL's `search_intensity`,
    /// the deflated Sharpe ratio's trials; default 1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(not(target_arch = "wasm32"), ts(optional))]
    pub search_intensity: Option<u64>,
}

/// Checks an id: 1–[`MAX_ID_LEN`] bytes of `[A-Za-z0-9._:-]`, not `.` or `..`, no leading dot.
/// The charset excludes `/`, `\`, spaces, control characters and all non-ASCII (so no
/// right-to-left overrides, zero-width characters or homoglyphs).
///
/// # Errors
/// `E_ID_INVALID` at `path`; the message names the first offending character by code point,
/// never echoing control characters.
pub fn check_id(id: &str, path: &str) -> Result<(), Error> {
    let help = "ids use letters, digits, `.`, `_`, `:` and `-` (1-128 bytes, no leading dot)";
    let fail = |msg: String| Err(Error::new(Code::IdInvalid, path, msg).with_help(help));
    if id.is_empty() {
        return fail("id is empty".into());
    }
    if id.len() > MAX_ID_LEN {
        return fail(format!(
            "id is {} bytes, longer than {MAX_ID_LEN}",
            id.len()
        ));
    }
    if let Some((i, c)) = id
        .char_indices()
        .find(|(_, c)| !(c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | ':' | '-')))
    {
        let shown = if c.is_ascii_graphic() {
            format!("`{c}`")
        } else {
            format!("U+{:04X}", u32::from(c))
        };
        return fail(format!("id has the character {shown} at byte {i}"));
    }
    if id.starts_with('.') {
        return fail(format!("id `{id}` starts with a dot"));
    }
    Ok(())
}

/// Checks what the types cannot: version, ids, submission count, finite series, a series or a
/// metric block in each submission, each strategy once, positive `periods_per_year`.
///
/// # Errors
/// Every problem found, in document order: `E_SCHEMA` (version, empty submissions, neither
/// `returns` nor `metrics`), `E_ID_INVALID`, `E_TOO_LARGE` (submissions, series length),
/// `E_NOT_FINITE` (±inf in a series or option), `E_INVALID_VALUE` (a repeated strategy,
/// `periods_per_year` ≤ 0, the time axis' errors of [`crate::time::axis`]: unparseable,
/// duplicate or unsorted timestamps, a count other than the returns', both `timestamps` and
/// `index`, an index that does not fit its frequency).
pub fn check_bundle(b: &Bundle, limits: &Limits) -> Vec<Error> {
    let mut errors = Vec::new();
    if b.bundle_version != BUNDLE_VERSION {
        errors.push(Error::new(
            Code::Schema,
            "/bundle_version",
            format!(
                "unsupported bundle version `{}`; this reader knows version {BUNDLE_VERSION}",
                b.bundle_version
            ),
        ));
    }
    if let Err(e) = check_id(&b.world_id, "/world_id") {
        errors.push(e);
    }
    if b.submissions.is_empty() {
        errors.push(Error::new(
            Code::Schema,
            "/submissions",
            "a bundle needs at least one submission",
        ));
    }
    if b.submissions.len() as u64 > u64::from(limits.max_submissions) {
        errors.push(Error::new(
            Code::TooLarge,
            "/submissions",
            format!(
                "{} submissions, more than the limit of {}",
                b.submissions.len(),
                limits.max_submissions
            ),
        ));
        return errors;
    }
    let mut seen = std::collections::HashMap::new();
    for (i, s) in b.submissions.iter().enumerate() {
        let base = format!("/submissions/{i}");
        check_submission(s, &base, limits, &mut errors);
        if let Some(first) = seen.insert(s.strategy_id.as_str(), i) {
            errors.push(Error::new(
                Code::InvalidValue,
                format!("{base}/strategy_id"),
                format!(
                    "strategy `{}` is already submitted at /submissions/{first}",
                    s.strategy_id
                ),
            ));
        }
    }
    errors
}

/// Pushes onto `errors` every problem of the submission `s` at `base`: ids, a submission
/// with neither returns nor metrics, its series ([`check_series`]), its time axis, its
/// numbers ([`check_numbers`]).
fn check_submission(s: &Submission, base: &str, limits: &Limits, errors: &mut Vec<Error>) {
    let field = |name: &str| format!("{base}/{name}");
    if let Err(e) = check_id(&s.strategy_id, &field("strategy_id")) {
        errors.push(e);
    }
    if let Some(run) = &s.run_id
        && let Err(e) = check_id(run, &field("run_id"))
    {
        errors.push(e);
    }
    if s.returns.is_none() && s.metrics.is_none() {
        errors.push(
            Error::new(
                Code::Schema,
                base,
                "a submission needs `returns` or `metrics`",
            )
            .with_help("send the returns series so the gate can compute the metrics"),
        );
    }
    check_series(s, base, limits, errors);
    let index = s
        .index
        .as_ref()
        .map(|ix| (ix.start.as_str(), ix.frequency.as_str()));
    let n = s.returns.as_ref().map_or(0, Vec::len);
    if let Err(e) = crate::time::axis(s.timestamps.as_deref(), index, n, base) {
        errors.push(e);
    }
    check_numbers(s, base, errors);
}

/// Pushes onto `errors`, per series (`returns`, `equity`, `pnl`): `E_TOO_LARGE` when longer
/// than the limit, `E_NOT_FINITE` at its first infinite value.
fn check_series(s: &Submission, base: &str, limits: &Limits, errors: &mut Vec<Error>) {
    let field = |name: &str| format!("{base}/{name}");
    for (name, series) in [
        ("returns", &s.returns),
        ("equity", &s.equity),
        ("pnl", &s.pnl),
    ] {
        let Some(series) = series else { continue };
        let path = field(name);
        if series.len() as u64 > limits.max_series_len {
            errors.push(Error::new(
                Code::TooLarge,
                path.clone(),
                format!("series has more than {} samples", limits.max_series_len),
            ));
        }
        if let Some(j) = series.iter().position(|x| x.0.is_infinite()) {
            errors.push(Error::new(
                Code::NotFinite,
                pointer_join(&path, j),
                "series values must be finite (`\"nan\"` marks a missing sample)",
            ));
        }
    }
}

/// Pushes onto `errors`: `E_NOT_FINITE` for a non-finite `periods_per_year`, `risk_free` or
/// `initial_capital`; `E_INVALID_VALUE` for a periods per year or initial capital ≤ 0.
fn check_numbers(s: &Submission, base: &str, errors: &mut Vec<Error>) {
    let field = |name: &str| format!("{base}/{name}");
    for (name, v) in [
        ("periods_per_year", s.periods_per_year),
        ("risk_free", s.risk_free),
        ("initial_capital", s.initial_capital),
    ] {
        let Some(v) = v else { continue };
        if !v.is_finite() {
            errors.push(Error::new(Code::NotFinite, field(name), "must be finite"));
        }
    }
    if let Some(p) = s.periods_per_year
        && p <= 0.0
    {
        errors.push(Error::new(
            Code::InvalidValue,
            field("periods_per_year"),
            format!(
                "periods per year must be positive, got `{}`",
                crate::json::float::Brief(p)
            ),
        ));
    }
    if let Some(c) = s.initial_capital
        && c <= 0.0
    {
        errors.push(Error::new(
            Code::InvalidValue,
            field("initial_capital"),
            format!(
                "initial capital must be positive, got `{}`",
                crate::json::float::Brief(c)
            ),
        ));
    }
}

// Decoders from field tables (`crate::json::fields`); same messages and paths as derived ones.
table_struct!(Bundle {
    bundle_version, world_id, created_at, submissions, previous, correlations, meta
} required [bundle_version, world_id, submissions]);
table_struct!(SubmissionSeries { strategy_id, returns, equity, pnl, timestamps } required [strategy_id]);
table_struct!(Submission {
    strategy_id, run_id, stage, returns, metrics, equity, pnl, meta, storage_refs, timestamps,
    index, window, periods_per_year, risk_free, initial_capital, reference_currency,
    search_intensity,
} required [strategy_id]);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_follow_the_safe_charset() {
        for ok in ["a", "alpha_world", "s-1.2:x", "A9", &"x".repeat(128), "a.."] {
            assert!(check_id(ok, "/id").is_ok(), "{ok}");
        }
        for bad in [
            "",
            ".",
            "..",
            ".hidden",
            "../etc",
            "a/b",
            "a\\b",
            "a b",
            "a\u{0}",
            "a\u{202e}b",
            "a\u{200b}",
            "\u{0430}dmin",
            "é",
            &"x".repeat(129),
        ] {
            let e = check_id(bad, "/id").unwrap_err();
            assert_eq!(e.code, Code::IdInvalid, "{bad:?}");
            assert!(!e.message.contains('\u{202e}'));
        }
        let e = check_id("a\u{202e}b", "/x").unwrap_err();
        assert!(e.message.contains("U+202E"), "{}", e.message);
    }

    fn bundle(json: &str) -> Bundle {
        serde_json::from_str(json).unwrap()
    }

    #[test]
    fn bundle_checks_report_every_problem_with_paths() {
        let b = bundle(
            r#"{"bundle_version":2,"world_id":"w/1","submissions":[
              {"strategy_id":"s","returns":[0.1,"+inf"]},
              {"strategy_id":"s","run_id":"..","periods_per_year":0},
              {"strategy_id":"t","metrics":{}}]}"#,
        );
        let got: Vec<_> = check_bundle(&b, &Limits::default())
            .into_iter()
            .map(|e| (e.code, e.path.clone()))
            .collect();
        assert_eq!(
            got,
            vec![
                (Code::Schema, "/bundle_version".into()),
                (Code::IdInvalid, "/world_id".into()),
                (Code::NotFinite, "/submissions/0/returns/1".into()),
                (Code::IdInvalid, "/submissions/1/run_id".into()),
                (Code::Schema, "/submissions/1".into()),
                (Code::InvalidValue, "/submissions/1/periods_per_year".into()),
                (Code::InvalidValue, "/submissions/1/strategy_id".into()),
            ]
        );
        let ok = bundle(
            r#"{"bundle_version":1,"world_id":"w","submissions":[{"strategy_id":"s","returns":["nan",0.1]}]}"#,
        );
        assert!(check_bundle(&ok, &Limits::default()).is_empty());
        let none = bundle(r#"{"bundle_version":1,"world_id":"w","submissions":[]}"#);
        assert_eq!(
            check_bundle(&none, &Limits::default())[0].code,
            Code::Schema
        );
    }
}
