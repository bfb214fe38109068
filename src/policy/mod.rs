//! The world policy engine: which strategies a world activates, and why.
//!
//! ```
//! use worldgate::policy::{Dialect, EvaluationInput, Policy};
//! use serde_json::json;
//!
//! let policy = Policy::parse(
//!     "thresholds:\n  score: {metric: score, min: 0.3}\ntop_k: {metric: score, k: 3}\n\
//!      correlation: {max: 0.4}\nhysteresis: {metric: score, enter: 0.6, exit: 0.4}\n",
//!     Dialect::Qmtl,
//! )
//! .unwrap();
//! let input = EvaluationInput::from_value(&json!({
//!     "metrics": {"s1": {"score": 0.9}, "s2": {"score": 0.7}, "s3": {"score": 0.45}},
//!     "previous": ["s3"],
//!     "correlations": [["s1", "s2", 0.1], ["s1", "s3", 0.3], ["s2", "s3", 0.2]],
//! }))
//! .unwrap();
//! let decision = policy.evaluate(&input);
//! // s3 stays: previously active and 0.45 ≥ exit 0.4.
//! assert_eq!(decision.selected, ["s1", "s2", "s3"]);
//! ```
//!
//! A policy is parsed once ([`Policy::parse`] from JSON or YAML text, [`Policy::from_value`],
//! [`Policy::preset`]) and evaluated many times ([`Policy::evaluate`]). The pipeline is
//! thresholds → top-k → correlation (greedy, in rank order) → hysteresis; the answer is a
//! [`Decision`]: the ordered selected ids and, per strategy, QMTL-style rule results, rank,
//! weight, violations and explanations, plus the activation state to pass to the next
//! evaluation (callers stay stateless).
//!
//! Two dialects ([`Dialect`]): `strict` (default) and `qmtl`, which reproduces QMTL
//! WorldService's semantics (its 44 conformance cases are `tests/policy_conformance.rs`). The
//! document's `dialect` key wins over the dialect passed to the parser. See `eval` for the
//! list of differences.
//!
//! Modules: `parse` (text → document), `resolve` (profiles, selection precedence, hash),
//! `metrics_view` (flat/nested metrics), `correlation` (its series' unit forms and dot products
//! in `unit_series`), `hysteresis`, `weight`, `explain`,
//! `layers` (QMTL's cohort/portfolio/stress/live layers), `presets`, `eval` (the pipeline).

mod correlation;
mod eval;
mod explain;
mod facts;
mod fasthash;
mod hysteresis;
mod layers;
pub mod lint;
mod metrics_view;
mod parse;
mod prepared;
pub mod presets;
mod resolve;
mod rules;
mod thresholds;
mod unit_series;
mod weight;
pub mod wire;
mod yaml;

pub use crate::schema::{ActivationState, Decision, Dialect, PolicyDocument, StrategyState};
pub use correlation::{Correlations, DEFAULT_MIN_OVERLAP};
pub(crate) use eval::Given;
#[cfg(feature = "wasm")]
pub(crate) use eval::{CorrelationMemo, SeriesSource, Strategies};
#[cfg(feature = "wasm")]
pub(crate) use metrics_view::{FlatView, MetricsView, Scalar};
pub(crate) use parse::TOP_KEYS as POLICY_KEYS;
pub use prepared::PreparedInput;
pub use presets::PRESET_NAMES;

use crate::error::{Code, Error, pointer_join};
use crate::schema::{EvaluationMetrics, Gating, HysteresisCounters, Num};
use indexmap::IndexMap;
use serde_json::Value;

/// A parsed, normalized policy, ready to evaluate.
#[derive(Debug, Clone, PartialEq)]
pub struct Policy {
    pub(crate) dialect: Dialect,
    pub(crate) doc: PolicyDocument,
    pub(crate) hash: String,
}

impl Policy {
    fn build(doc: PolicyDocument, dialect: Dialect) -> Policy {
        let doc = resolve::normalize(doc, dialect);
        let hash = resolve::ruleset_hash(&doc);
        Policy { dialect, doc, hash }
    }

    /// Parses JSON or YAML text; `dialect` applies unless the document has a `dialect` key.
    ///
    /// # Errors
    /// `E_PARSE` for text that is not JSON/YAML (YAML: with line and column),
    /// `E_DUPLICATE_KEY` for a repeated YAML key (strict), `E_POLICY_INVALID` for each invalid
    /// or (strict) unknown field, with its JSON pointer and a "did you mean" where one fits.
    pub fn parse(text: &str, dialect: Dialect) -> Result<Policy, Vec<Error>> {
        let (doc, d) = parse::parse_text(text, dialect)?;
        Ok(Policy::build(doc, d))
    }

    /// Parses a policy given as a JSON value.
    ///
    /// # Errors
    /// As [`Policy::parse`], without syntax errors.
    pub fn from_value(value: &Value, dialect: Dialect) -> Result<Policy, Vec<Error>> {
        let (doc, d) = parse::parse_value(value, dialect, None)?;
        Ok(Policy::build(doc, d))
    }

    /// Validates a typed document as [`Policy::from_value`] would.
    ///
    /// # Errors
    /// As [`Policy::from_value`].
    pub fn from_document(doc: &PolicyDocument, dialect: Dialect) -> Result<Policy, Vec<Error>> {
        let value = crate::json::to_value(doc).map_err(|e| {
            vec![Error::new(
                Code::Internal,
                "",
                format!("cannot serialize policy: {e}"),
            )]
        })?;
        Policy::from_value(&value, dialect)
    }

    /// The preset `name` (`sandbox`, `conservative`, `moderate`, `aggressive`) in the strict
    /// dialect.
    pub fn preset(name: &str) -> Option<Policy> {
        Policy::preset_in(name, Dialect::Strict)
    }

    /// The preset `name` in `dialect`.
    pub fn preset_in(name: &str, dialect: Dialect) -> Option<Policy> {
        presets::document(name).map(|d| Policy::build(d, dialect))
    }

    /// The dialect in force.
    pub fn dialect(&self) -> Dialect {
        self.dialect
    }

    /// The normalized document (`selection` folded in, defaults filled).
    pub fn document(&self) -> &PolicyDocument {
        &self.doc
    }

    /// The normalized document as JSON.
    pub fn to_value(&self) -> Value {
        crate::json::to_value(&self.doc).unwrap_or(Value::Null)
    }

    /// `sha256:<hex>` of the canonical JSON (sorted keys, no whitespace, ECMAScript numbers)
    /// of the normalized document. Key order, spelled-out defaults and moving rules between the
    /// top level and `selection` do not change it.
    pub fn ruleset_hash(&self) -> &str {
        &self.hash
    }

    /// Evaluates the policy over a batch of strategies. Never fails: every problem with a
    /// strategy's metrics is an outcome in the decision.
    pub fn evaluate(&self, input: &EvaluationInput) -> Decision {
        eval::evaluate(self, input)
    }

    /// The `evaluation.gating` block of `strategy_id` from `decision`.
    pub fn gating(&self, decision: &Decision, strategy_id: &str) -> Option<Gating> {
        let s = decision.strategies.get(strategy_id)?;
        Some(Gating {
            verdict: s.verdict,
            violations: s.violations.clone(),
            hysteresis: self.doc.hysteresis.as_ref().map(|h| HysteresisCounters {
                promote_after: h.promote_after.unwrap_or(1),
                demote_after: h.demote_after.unwrap_or(1),
            }),
            rank: s.rank,
            weight: s.weight,
            ruleset_hash: Some(decision.ruleset_hash.clone()),
        })
    }

    /// Fills `metrics.gating` for `strategy_id`; false when the decision does not cover it.
    pub fn fill_gating(
        &self,
        metrics: &mut EvaluationMetrics,
        decision: &Decision,
        strategy_id: &str,
    ) -> bool {
        match self.gating(decision, strategy_id) {
            Some(g) => {
                metrics.gating = Some(g);
                true
            }
            None => false,
        }
    }
}

/// The previously active set: a list of ids (QMTL's `prev_active`) or a full state with
/// hysteresis counters (returned as [`Decision::state`]).
#[derive(Debug, Clone, PartialEq)]
pub enum Previous {
    /// Ids active before this evaluation; counters unknown.
    Active(Vec<String>),
    /// The state a previous decision returned.
    State(ActivationState),
}

/// What one evaluation looks at.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct EvaluationInput {
    /// Strategy id → metrics (flat or nested JSON object), in input order.
    pub metrics: IndexMap<String, Value>,
    /// The previously active set, for hysteresis.
    pub previous: Option<Previous>,
    /// Given correlations (take precedence over computed ones).
    pub correlations: Option<Correlations>,
    /// Returns series per strategy, for computed correlations.
    pub returns: Option<IndexMap<String, Vec<f64>>>,
    /// Strategy id → the dates of its returns (days since the epoch, strictly increasing, one
    /// per return). Two strategies that both have dates are correlated over the intersection
    /// of their dates ([`crate::metrics::timeline::align`]); otherwise by position.
    pub timestamps: Option<IndexMap<String, Vec<f64>>>,
    /// Evaluation stage (`backtest`, `paper_only`, …), picks the validation profile.
    pub stage: Option<String>,
    /// Explicit validation profile.
    pub profile: Option<String>,
}

/// `timestamps` (at `base`): strategy id → RFC 3339 UTC strings, one per return of that
/// strategy; errors at `base/<id>/<i>` (or `base/<id>` for a count other than the returns').
pub(crate) fn read_timestamps(
    v: Option<&Value>,
    returns: Option<&IndexMap<String, Vec<f64>>>,
    base: &str,
    errors: &mut Vec<Error>,
) -> Option<IndexMap<String, Vec<f64>>> {
    let rs = match v {
        None | Some(Value::Null) => return None,
        Some(Value::Object(rs)) => rs,
        Some(_) => {
            errors.push(Error::new(
                Code::Schema,
                base,
                "expected an object: strategy id → array of RFC 3339 timestamps",
            ));
            return None;
        }
    };
    let mut map = IndexMap::new();
    for (id, series) in rs {
        let path = pointer_join(base, id);
        let strings: Option<Vec<String>> = series
            .as_array()
            .and_then(|a| a.iter().map(|x| x.as_str().map(str::to_string)).collect());
        let Some(strings) = strings else {
            errors.push(Error::new(
                Code::Schema,
                path,
                "expected an array of RFC 3339 timestamp strings",
            ));
            continue;
        };
        let n = returns.and_then(|r| r.get(id)).map_or(0, Vec::len);
        match crate::time::parse_all(&strings, n, &path) {
            Ok(days) => {
                map.insert(id.clone(), days);
            }
            Err(e) => errors.push(e),
        }
    }
    Some(map)
}

impl EvaluationInput {
    /// An input with metrics only.
    pub fn new(metrics: IndexMap<String, Value>) -> Self {
        EvaluationInput {
            metrics,
            ..EvaluationInput::default()
        }
    }

    /// Reads `{metrics, previous | prev_active, correlations, returns, timestamps, stage,
    /// profile}`; `timestamps` maps ids to RFC 3339 UTC strings, one per return.
    /// `previous` is an array of ids or a state object; `returns` maps ids to arrays of numbers
    /// (`null` and `"nan"` are NaN, `"+inf"`/`"-inf"` infinities).
    ///
    /// # Errors
    /// `E_SCHEMA` for a wrong shape (the path names the field), `E_INVALID_VALUE` for a bad
    /// correlation; all errors are collected.
    pub fn from_value(v: &Value) -> Result<Self, Vec<Error>> {
        Self::from_owned(v.clone())
    }

    /// [`EvaluationInput::from_value`] for a value the caller gives up: each strategy's metrics
    /// are moved into the input, not copied.
    ///
    /// # Errors
    /// As [`EvaluationInput::from_value`].
    pub fn from_owned(mut v: Value) -> Result<Self, Vec<Error>> {
        let mut errors = Vec::new();
        let mut out = EvaluationInput::default();
        let metrics = v
            .as_object_mut()
            .and_then(|m| m.get_mut("metrics"))
            .map(Value::take);
        let Some(m) = v.as_object() else {
            return Err(vec![Error::new(
                Code::Schema,
                "",
                "expected an object with `metrics`",
            )]);
        };
        unknown_input_keys(m, &mut errors);
        read_metrics(metrics, &mut out.metrics, &mut errors);
        out.previous = read_previous(m, &mut errors);
        if let Some(c) = m.get("correlations").filter(|c| !c.is_null()) {
            match Correlations::from_value(c) {
                Ok(c) => out.correlations = Some(c),
                Err(e) => errors.push(e.within("/correlations")),
            }
        }
        out.returns = read_returns(m.get("returns"), &mut errors);
        out.timestamps = read_timestamps(
            m.get("timestamps"),
            out.returns.as_ref(),
            "/timestamps",
            &mut errors,
        );
        for (key, slot) in [("stage", &mut out.stage), ("profile", &mut out.profile)] {
            match m.get(key) {
                None | Some(Value::Null) => {}
                Some(Value::String(s)) => *slot = Some(s.clone()),
                Some(_) => errors.push(Error::new(
                    Code::Schema,
                    format!("/{key}"),
                    "expected a string",
                )),
            }
        }
        if errors.is_empty() {
            Ok(out)
        } else {
            Err(errors)
        }
    }
}

/// The keys an evaluation input object may hold.
const INPUT_KEYS: [&str; 8] = [
    "metrics",
    "previous",
    "prev_active",
    "correlations",
    "returns",
    "timestamps",
    "stage",
    "profile",
];

/// One `E_SCHEMA` per key of the input object not in [`INPUT_KEYS`], at `/<key>`, in the
/// object's key order, with a "did you mean" help when a known key is close.
fn unknown_input_keys(m: &serde_json::Map<String, Value>, errors: &mut Vec<Error>) {
    for k in m.keys() {
        if !INPUT_KEYS.contains(&k.as_str()) {
            let mut e = Error::new(
                Code::Schema,
                pointer_join("", k),
                format!("unknown key `{k}`"),
            );
            if let Some(s) = crate::suggest::closest(k, INPUT_KEYS) {
                e = e.with_help(format!("did you mean `{s}`?"));
            }
            errors.push(e);
        }
    }
}

/// Moves `metrics` (strategy id → metrics object) into `out`. A missing or non-object `metrics`
/// is one `E_SCHEMA` at `/metrics`; a strategy whose metrics are not an object is an `E_SCHEMA`
/// at `/metrics/<id>` and is left out.
fn read_metrics(
    metrics: Option<Value>,
    out: &mut IndexMap<String, Value>,
    errors: &mut Vec<Error>,
) {
    match metrics {
        Some(Value::Object(ms)) => {
            for (id, val) in ms {
                if val.is_object() {
                    out.insert(id, val);
                } else {
                    errors.push(Error::new(
                        Code::Schema,
                        pointer_join("/metrics", id),
                        "expected an object of metrics",
                    ));
                }
            }
        }
        _ => errors.push(Error::new(
            Code::Schema,
            "/metrics",
            "expected an object: strategy id → metrics",
        )),
    }
}

/// The previous activation from `previous`, else its older name `prev_active` (errors name the
/// key read): absent or `null` → `None`; an array of ids → [`Previous::Active`] (a non-string
/// entry is an `E_SCHEMA` at its index and is left out); an object → [`Previous::State`] (its
/// schema errors under the key); anything else one `E_SCHEMA`.
fn read_previous(m: &serde_json::Map<String, Value>, errors: &mut Vec<Error>) -> Option<Previous> {
    let prev_key = if m.contains_key("previous") {
        "previous"
    } else {
        "prev_active"
    };
    match m.get(prev_key) {
        None | Some(Value::Null) => None,
        Some(Value::Array(a)) => {
            let mut ids = Vec::new();
            for (i, x) in a.iter().enumerate() {
                match x.as_str() {
                    Some(s) => ids.push(s.to_string()),
                    None => errors.push(Error::new(
                        Code::Schema,
                        format!("/{prev_key}/{i}"),
                        "expected a strategy id",
                    )),
                }
            }
            Some(Previous::Active(ids))
        }
        Some(obj @ Value::Object(_)) => match crate::schema::from_value::<ActivationState>(obj) {
            Ok(s) => Some(Previous::State(s)),
            Err(e) => {
                errors.push(e.within(&format!("/{prev_key}")));
                None
            }
        },
        Some(_) => {
            errors.push(Error::new(
                Code::Schema,
                format!("/{prev_key}"),
                "expected an array of ids or an activation state",
            ));
            None
        }
    }
}

/// `returns` (strategy id → array of numbers): absent or `null` → `None`; not an object → one
/// `E_SCHEMA` at `/returns` and `None`. A strategy whose series is not an array is an `E_SCHEMA`
/// at `/returns/<id>` and is left out; see [`read_series`] for the entries.
fn read_returns(v: Option<&Value>, errors: &mut Vec<Error>) -> Option<IndexMap<String, Vec<f64>>> {
    match v {
        None | Some(Value::Null) => None,
        Some(Value::Object(rs)) => {
            let mut map = IndexMap::new();
            for (id, series) in rs {
                let path = pointer_join("/returns", id);
                let Some(a) = series.as_array() else {
                    errors.push(Error::new(
                        Code::Schema,
                        path,
                        "expected an array of numbers",
                    ));
                    continue;
                };
                map.insert(id.clone(), read_series(&path, a, errors));
            }
            Some(map)
        }
        Some(_) => {
            errors.push(Error::new(
                Code::Schema,
                "/returns",
                "expected an object: strategy id → array of numbers",
            ));
            None
        }
    }
}

/// One strategy's returns at `path`: numbers as they are, `null` as NaN, `"nan"` / `"+inf"` /
/// `"-inf"` as those values; any other entry is an `E_SCHEMA` at `<path>/<index>` and is left
/// out of the series.
fn read_series(path: &str, a: &[Value], errors: &mut Vec<Error>) -> Vec<f64> {
    let mut xs = Vec::with_capacity(a.len());
    for (i, x) in a.iter().enumerate() {
        match x {
            Value::Number(n) => xs.push(n.as_f64().unwrap_or(f64::NAN)),
            Value::Null => xs.push(f64::NAN),
            Value::String(s) if crate::schema::parse_non_finite(s).is_some() => {
                xs.push(crate::schema::parse_non_finite(s).unwrap_or(f64::NAN));
            }
            _ => errors.push(Error::new(
                Code::Schema,
                format!("{path}/{i}"),
                "expected a number",
            )),
        }
    }
    xs
}

/// The weight of a selected strategy as a plain number (helper for callers of [`Decision`]).
pub fn weight_of(decision: &Decision, strategy_id: &str) -> Option<f64> {
    decision.strategies.get(strategy_id)?.weight.map(Num::get)
}
