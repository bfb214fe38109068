//! Policy text (JSON or YAML) or a JSON value → [`PolicyDocument`], in either dialect.
//!
//! Text whose first non-blank character is `{` is JSON, anything else YAML (YAML errors carry
//! line and column; so do shape errors found in YAML text). The document's own `dialect` key
//! wins over the dialect asked for by the caller.
//!
//! JSON text goes through the bundle gate's strict reader ([`crate::json::parse`] with
//! its default limits) in **both** dialects: a repeated key is `E_DUPLICATE_KEY` at its path,
//! a `NaN`/`Infinity` literal or an overflowing number `E_NOT_FINITE`, nesting past 64 levels,
//! text past 16 MiB, a string past 64 KiB or an object past 10,000 keys `E_TOO_LARGE`. QMTL's
//! Python `json.loads` would let the last repeated key win silently; two readers disagreeing
//! on which value counts is how a policy says one thing in review and another in force, so
//! worldgate refuses instead (no QMTL policy relies on a repeated key). YAML text is bounded
//! the same way ([`yaml`]: expanded nodes, text bytes and depth, aliases included).
//!
//! - `strict`: unknown keys are errors at their JSON pointer with a "did you mean"; numbers
//!   must be JSON numbers; a threshold needs a bound and `min ≤ max`; hysteresis needs
//!   `exit ≤ enter`; `default_profile_by_stage` must name existing profiles; YAML keys must not
//!   repeat.
//! - `qmtl`: as QMTL's pydantic models: unknown keys are ignored, numeric strings are accepted
//!   as numbers, a repeated YAML key keeps the last value (as PyYAML does; a repeated JSON key
//!   is still an error, see above).
//!
//! Both reject what QMTL rejects: `k < 1`, `correlation.max` outside −1..1, a missing
//! `metric`/`enter`/`exit`, unknown `on_error`/`on_missing_metric` values, non-finite bounds.
//! Every error has code `E_POLICY_INVALID` (`E_PARSE` for syntax) and all are collected.

use super::yaml;
use crate::error::{Code, Error, pointer_join};
use crate::json::{self, Limits};
use crate::schema::{
    CohortRule, CorrelationRule, Dialect, HysteresisRule, LiveMonitoringRule, MissingMetric,
    OnError, Owner, PerformanceProfile, PolicyDocument, PortfolioRule, RiskProfile,
    RobustnessProfile, SampleProfile, SelectionConfig, Severity, StressRule, ThresholdRule,
    TopKRule, UnknownCorrelation, ValidationConfig, ValidationProfile, WeightMethod,
    WeightingConfig,
};
use indexmap::IndexMap;
use serde_json::{Map, Value};
use std::collections::HashMap;

/// Parses policy text.
pub(crate) fn parse_text(
    text: &str,
    dialect: Dialect,
) -> Result<(PolicyDocument, Dialect), Vec<Error>> {
    let trimmed = text.trim_start_matches(['\u{feff}', ' ', '\t', '\r', '\n']);
    if trimmed.is_empty() {
        return Err(vec![Error::new(
            Code::Parse,
            "",
            "the policy text is empty",
        )]);
    }
    if trimmed.starts_with('{') {
        // The bundle reader: duplicate keys, NaN/Infinity literals, depth, size and key
        // count are errors with their JSON pointer, in both dialects (see the module doc).
        let value = json::parse(trimmed.as_bytes(), &Limits::default()).map_err(|e| vec![e])?;
        return parse_value(&value, dialect, None);
    }
    if text.len() as u64 > Limits::default().max_bytes {
        return Err(vec![Error::new(
            Code::TooLarge,
            "",
            format!(
                "the policy text is {} bytes, more than the limit of {}",
                text.len(),
                Limits::default().max_bytes
            ),
        )]);
    }
    // Strictness of duplicate keys depends on the dialect, which the document may set: parse
    // leniently first, then again strictly when the document turns out to be strict.
    let doc = yaml::parse(trimmed, false)?;
    let effective = doc_dialect(&doc.value).unwrap_or(dialect);
    if effective == Dialect::Strict {
        yaml::parse(trimmed, true)?;
    }
    parse_value(&doc.value, dialect, Some(&doc.positions))
}

fn doc_dialect(v: &Value) -> Option<Dialect> {
    Dialect::from_name(v.get("dialect")?.as_str()?)
}

/// Parses a policy given as a JSON value.
pub(crate) fn parse_value(
    value: &Value,
    dialect: Dialect,
    positions: Option<&HashMap<String, (usize, usize)>>,
) -> Result<(PolicyDocument, Dialect), Vec<Error>> {
    let dialect = doc_dialect(value).unwrap_or(dialect);
    let mut cx = Ctx {
        dialect,
        errors: Vec::new(),
    };
    let doc = cx.document(value);
    if cx.errors.is_empty() {
        return Ok((doc, dialect));
    }
    let mut errors = cx.errors;
    if let Some(pos) = positions {
        for e in &mut errors {
            if let Some((line, col)) = locate(pos, &e.path) {
                e.message = format!("{} (line {line}, column {col})", e.message);
                e.line = Some(line as u64);
                e.column = Some(col as u64);
            }
        }
    }
    Err(errors)
}

/// The position of `path` or of its nearest ancestor.
fn locate(pos: &HashMap<String, (usize, usize)>, path: &str) -> Option<(usize, usize)> {
    let mut p = path;
    loop {
        if let Some(x) = pos.get(p) {
            return Some(*x);
        }
        let cut = p.rfind('/')?;
        p = p.get(..cut)?;
    }
}

/// Every top-level key of a policy document (`dialect` first; alone it does not make a policy).
pub(crate) const TOP_KEYS: &[&str] = &[
    "dialect",
    "thresholds",
    "top_k",
    "correlation",
    "hysteresis",
    "selection",
    "validation_profiles",
    "default_profile_by_stage",
    "validation",
    "weighting",
    "cohort",
    "portfolio",
    "stress",
    "live_monitoring",
];

struct Ctx {
    dialect: Dialect,
    errors: Vec<Error>,
}

fn type_name(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

impl Ctx {
    fn strict(&self) -> bool {
        self.dialect == Dialect::Strict
    }

    fn err(&mut self, path: &str, msg: impl Into<String>) {
        self.errors
            .push(Error::new(Code::PolicyInvalid, path, msg.into()));
    }

    fn err_help(&mut self, path: &str, msg: impl Into<String>, help: impl Into<String>) {
        self.errors
            .push(Error::new(Code::PolicyInvalid, path, msg.into()).with_help(help));
    }

    /// `v` as an object; `null` is absent (`None`) without an error.
    fn object<'v>(&mut self, v: &'v Value, path: &str) -> Option<&'v Map<String, Value>> {
        match v {
            Value::Object(m) => Some(m),
            Value::Null => None,
            other => {
                self.err(
                    path,
                    format!("expected an object, found {}", type_name(other)),
                );
                None
            }
        }
    }

    /// An entry of a map whose values are objects (a threshold, a profile, a stress scenario):
    /// like [`Self::object`], except that `null` is an error, not an absent entry (the schema
    /// has no null there, and a rule that silently vanished would be a surprise).
    fn entry<'v>(&mut self, v: &'v Value, path: &str) -> Option<&'v Map<String, Value>> {
        if v.is_null() {
            self.err(path, "expected an object, found null");
            return None;
        }
        self.object(v, path)
    }

    /// Reports unknown keys (strict only).
    fn keys(&mut self, m: &Map<String, Value>, allowed: &[&str], path: &str) {
        if !self.strict() {
            return;
        }
        for k in m.keys() {
            if !allowed.contains(&k.as_str()) {
                let p = pointer_join(path, k);
                let list = allowed
                    .iter()
                    .map(|a| format!("`{a}`"))
                    .collect::<Vec<_>>()
                    .join(", ");
                match crate::suggest::closest(k, allowed.iter().copied()) {
                    Some(s) => self.err_help(
                        &p,
                        format!("unknown key `{k}`"),
                        format!("did you mean `{s}`?"),
                    ),
                    None => self.err_help(
                        &p,
                        format!("unknown key `{k}`"),
                        format!("expected one of {list}"),
                    ),
                }
            }
        }
    }

    fn number(&mut self, v: &Value, path: &str) -> Option<f64> {
        let f = match v {
            Value::Number(n) => n.as_f64(),
            Value::String(s) if !self.strict() => s.trim().parse::<f64>().ok(),
            _ => None,
        };
        match f {
            Some(x) if x.is_finite() => Some(x),
            Some(_) => {
                self.err(path, "expected a finite number");
                None
            }
            None => {
                self.err(path, format!("expected a number, found {}", type_name(v)));
                None
            }
        }
    }

    fn opt_number(&mut self, m: &Map<String, Value>, key: &str, path: &str) -> Option<f64> {
        match m.get(key) {
            None | Some(Value::Null) => None,
            Some(v) => self.number(v, &pointer_join(path, key)),
        }
    }

    fn req_number(&mut self, m: &Map<String, Value>, key: &str, path: &str) -> Option<f64> {
        match m.get(key) {
            None | Some(Value::Null) => {
                self.err(&pointer_join(path, key), format!("missing `{key}`"));
                None
            }
            Some(v) => self.number(v, &pointer_join(path, key)),
        }
    }

    fn integer(&mut self, v: &Value, path: &str, min: u64) -> Option<u32> {
        let x = self.number(v, path)?;
        if x.fract() != 0.0 || x < min as f64 || x > f64::from(u32::MAX) {
            self.err(
                path,
                format!(
                    "expected an integer ≥ {min}, found `{}`",
                    crate::json::numfmt::es_number(x)
                ),
            );
            return None;
        }
        Some(x as u32)
    }

    fn opt_integer(
        &mut self,
        m: &Map<String, Value>,
        key: &str,
        path: &str,
        min: u64,
    ) -> Option<u32> {
        match m.get(key) {
            None | Some(Value::Null) => None,
            Some(v) => self.integer(v, &pointer_join(path, key), min),
        }
    }

    fn string(&mut self, v: &Value, path: &str) -> Option<String> {
        match v {
            Value::String(s) if !s.trim().is_empty() => Some(s.clone()),
            Value::String(_) => {
                self.err(path, "expected a non-empty string");
                None
            }
            other => {
                self.err(
                    path,
                    format!("expected a string, found {}", type_name(other)),
                );
                None
            }
        }
    }

    fn req_string(&mut self, m: &Map<String, Value>, key: &str, path: &str) -> Option<String> {
        match m.get(key) {
            None | Some(Value::Null) => {
                self.err(&pointer_join(path, key), format!("missing `{key}`"));
                None
            }
            Some(v) => self.string(v, &pointer_join(path, key)),
        }
    }

    fn choice<T: Copy>(
        &mut self,
        m: &Map<String, Value>,
        key: &str,
        path: &str,
        options: &[(&str, T)],
    ) -> Option<T> {
        let v = match m.get(key) {
            None | Some(Value::Null) => return None,
            Some(v) => v,
        };
        let p = pointer_join(path, key);
        let names: Vec<&str> = options.iter().map(|(n, _)| *n).collect();
        if let Some(s) = v.as_str()
            && let Some((_, t)) = options.iter().find(|(n, _)| *n == s)
        {
            return Some(*t);
        }
        let shown = match v {
            Value::String(s) => format!("`{s}`"),
            other => type_name(other).to_string(),
        };
        let list = names
            .iter()
            .map(|n| format!("`{n}`"))
            .collect::<Vec<_>>()
            .join(", ");
        let msg = format!("`{key}` must be one of {list}, found {shown}");
        match v
            .as_str()
            .and_then(|s| crate::suggest::closest(s, names.iter().copied()))
        {
            Some(s) => self.err_help(&p, msg, format!("did you mean `{s}`?")),
            None => self.err(&p, msg),
        }
        None
    }

    fn severity_owner(
        &mut self,
        m: &Map<String, Value>,
        path: &str,
    ) -> (Option<Severity>, Option<Owner>) {
        let s = self.choice(
            m,
            "severity",
            path,
            &[
                ("blocking", Severity::Blocking),
                ("soft", Severity::Soft),
                ("info", Severity::Info),
            ],
        );
        let o = self.choice(
            m,
            "owner",
            path,
            &[
                ("quant", Owner::Quant),
                ("risk", Owner::Risk),
                ("ops", Owner::Ops),
            ],
        );
        (s, o)
    }

    fn document(&mut self, v: &Value) -> PolicyDocument {
        let mut doc = PolicyDocument::default();
        let Some(m) = (match v {
            Value::Object(m) => Some(m),
            other => {
                self.err(
                    "",
                    format!("a policy must be an object, found {}", type_name(other)),
                );
                None
            }
        }) else {
            return doc;
        };
        self.keys(m, TOP_KEYS, "");
        doc.dialect = self.choice(m, "dialect", "", &Dialect::ALL);
        if let Some(t) = m.get("thresholds") {
            doc.thresholds = self.thresholds(t, "/thresholds");
        }
        if let Some(t) = m.get("top_k") {
            doc.top_k = self.top_k(t, "/top_k");
        }
        if let Some(c) = m.get("correlation") {
            doc.correlation = self.correlation(c, "/correlation");
        }
        if let Some(h) = m.get("hysteresis") {
            doc.hysteresis = self.hysteresis(h, "/hysteresis");
        }
        if let Some(s) = m.get("selection") {
            doc.selection = self.selection(s, "/selection");
        }
        if let Some(p) = m.get("validation_profiles")
            && let Some(pm) = self.object(p, "/validation_profiles")
        {
            for (name, prof) in pm {
                let path = pointer_join("/validation_profiles", name);
                if prof.is_null() {
                    self.entry(prof, &path);
                } else if let Some(p) = self.profile(prof, &path) {
                    doc.validation_profiles.insert(name.clone(), p);
                }
            }
        }
        if let Some(d) = m.get("default_profile_by_stage")
            && let Some(dm) = self.object(d, "/default_profile_by_stage")
        {
            for (stage, prof) in dm {
                let path = pointer_join("/default_profile_by_stage", stage);
                if let Some(p) = self.string(prof, &path) {
                    doc.default_profile_by_stage.insert(stage.clone(), p);
                }
            }
        }
        if let Some(v) = m.get("validation") {
            doc.validation = self.validation(v, "/validation");
        }
        if let Some(w) = m.get("weighting") {
            doc.weighting = self.weighting(w, "/weighting");
        }
        if let Some(c) = m.get("cohort") {
            doc.cohort = self.cohort(c, "/cohort");
        }
        if let Some(c) = m.get("portfolio") {
            doc.portfolio = self.portfolio(c, "/portfolio");
        }
        if let Some(c) = m.get("stress") {
            doc.stress = self.stress(c, "/stress");
        }
        if let Some(c) = m.get("live_monitoring") {
            doc.live_monitoring = self.live(c, "/live_monitoring");
        }
        self.cross_checks(&doc);
        doc
    }

    fn cross_checks(&mut self, doc: &PolicyDocument) {
        if !self.strict() {
            return;
        }
        let norm = |s: &str| super::resolve::normalize_key(s);
        let names: Vec<String> = doc.validation_profiles.keys().cloned().collect();
        for (stage, prof) in &doc.default_profile_by_stage {
            if !names.iter().any(|n| norm(n) == norm(prof)) {
                let path = pointer_join("/default_profile_by_stage", stage);
                let msg = format!("stage `{stage}` maps to unknown profile `{prof}`");
                match crate::suggest::closest(prof, names.iter().map(String::as_str)) {
                    Some(s) => self.err_help(&path, msg, format!("did you mean `{s}`?")),
                    None => self.err(&path, msg),
                }
            }
        }
        if let Some(w) = &doc.weighting
            && w.method == WeightMethod::Score
            && w.metric.is_none()
            && doc.top_k.is_none()
            && doc.selection.as_ref().is_none_or(|s| s.top_k.is_none())
        {
            self.err_help(
                "/weighting/metric",
                "score weighting needs a metric",
                "set `weighting.metric` or a `top_k` rule",
            );
        }
    }

    fn thresholds(&mut self, v: &Value, path: &str) -> IndexMap<String, ThresholdRule> {
        let mut out = IndexMap::new();
        let Some(m) = self.object(v, path) else {
            return out;
        };
        for (label, rule) in m {
            let p = pointer_join(path, label);
            if rule.is_null() {
                self.entry(rule, &p);
            } else if let Some(r) = self.threshold(rule, &p) {
                out.insert(label.clone(), r);
            }
        }
        out
    }

    fn threshold(&mut self, v: &Value, path: &str) -> Option<ThresholdRule> {
        let m = match v {
            Value::Object(m) => m,
            other => {
                self.err(
                    path,
                    format!("expected an object, found {}", type_name(other)),
                );
                return None;
            }
        };
        self.keys(m, &["metric", "min", "max"], path);
        let metric = self.req_string(m, "metric", path);
        let min = self.opt_number(m, "min", path);
        let max = self.opt_number(m, "max", path);
        if self.strict() {
            if !m.contains_key("min") && !m.contains_key("max") {
                self.err_help(
                    path,
                    "a threshold needs `min` or `max`",
                    "add `min: <value>` or `max: <value>`",
                );
            }
            if let (Some(lo), Some(hi)) = (min, max)
                && lo > hi
            {
                self.err(
                    path,
                    format!(
                        "`min` ({}) exceeds `max` ({})",
                        crate::json::float::Brief(lo),
                        crate::json::float::Brief(hi)
                    ),
                );
            }
        }
        Some(ThresholdRule {
            metric: metric?,
            min,
            max,
        })
    }

    fn top_k(&mut self, v: &Value, path: &str) -> Option<TopKRule> {
        let m = self.object(v, path)?;
        self.keys(m, &["metric", "k"], path);
        let metric = self.req_string(m, "metric", path);
        let k = match m.get("k") {
            None | Some(Value::Null) => {
                self.err(&pointer_join(path, "k"), "missing `k`");
                None
            }
            Some(k) => self.integer(k, &pointer_join(path, "k"), 1),
        };
        Some(TopKRule {
            metric: metric?,
            k: k?,
        })
    }

    fn correlation(&mut self, v: &Value, path: &str) -> Option<CorrelationRule> {
        let m = self.object(v, path)?;
        self.keys(m, &["max", "min_overlap", "on_unknown"], path);
        let max = self.req_number(m, "max", path);
        if let Some(x) = max
            && !(-1.0..=1.0).contains(&x)
        {
            self.err(
                &pointer_join(path, "max"),
                format!(
                    "`max` must be within -1..1, found `{}`",
                    crate::json::float::Brief(x)
                ),
            );
        }
        let min_overlap = self.opt_integer(m, "min_overlap", path, 2);
        let on_unknown = self.choice(
            m,
            "on_unknown",
            path,
            &[
                ("warn", UnknownCorrelation::Warn),
                ("fail", UnknownCorrelation::Fail),
                ("ignore", UnknownCorrelation::Ignore),
            ],
        );
        Some(CorrelationRule {
            max: max?,
            min_overlap,
            on_unknown,
        })
    }

    fn hysteresis(&mut self, v: &Value, path: &str) -> Option<HysteresisRule> {
        let m = self.object(v, path)?;
        self.keys(
            m,
            &[
                "metric",
                "enter",
                "exit",
                "promote_after",
                "demote_after",
                "min_dwell",
            ],
            path,
        );
        let metric = self.req_string(m, "metric", path);
        let enter = self.req_number(m, "enter", path);
        let exit = self.req_number(m, "exit", path);
        let promote_after = self.opt_integer(m, "promote_after", path, 1);
        let demote_after = self.opt_integer(m, "demote_after", path, 1);
        let min_dwell = self.opt_integer(m, "min_dwell", path, 0);
        if self.strict()
            && let (Some(en), Some(ex)) = (enter, exit)
            && ex > en
        {
            self.err_help(
                &pointer_join(path, "exit"),
                format!(
                    "`exit` ({}) exceeds `enter` ({})",
                    crate::json::float::Brief(ex),
                    crate::json::float::Brief(en)
                ),
                "an incumbent must be allowed to stay at a level where a newcomer may enter",
            );
        }
        Some(HysteresisRule {
            metric: metric?,
            enter: enter?,
            exit: exit?,
            promote_after,
            demote_after,
            min_dwell,
        })
    }

    fn selection(&mut self, v: &Value, path: &str) -> Option<SelectionConfig> {
        let m = self.object(v, path)?;
        self.keys(
            m,
            &["thresholds", "top_k", "correlation", "hysteresis"],
            path,
        );
        let mut s = SelectionConfig::default();
        if let Some(t) = m.get("thresholds") {
            s.thresholds = self.thresholds(t, &pointer_join(path, "thresholds"));
        }
        if let Some(t) = m.get("top_k") {
            s.top_k = self.top_k(t, &pointer_join(path, "top_k"));
        }
        if let Some(c) = m.get("correlation") {
            s.correlation = self.correlation(c, &pointer_join(path, "correlation"));
        }
        if let Some(h) = m.get("hysteresis") {
            s.hysteresis = self.hysteresis(h, &pointer_join(path, "hysteresis"));
        }
        Some(s)
    }

    /// A validation profile: its `sample`, `performance`, `robustness` and `risk` sections,
    /// each read (and its errors reported) in that order; an absent section stays `None`, as
    /// does one that is not an object (an `E_SCHEMA` at its path).
    fn profile(&mut self, v: &Value, path: &str) -> Option<ValidationProfile> {
        let m = self.object(v, path)?;
        self.keys(m, &["sample", "performance", "robustness", "risk"], path);
        let mut p = ValidationProfile::default();
        if let Some(s) = m.get("sample") {
            p.sample = self.sample_profile(s, &pointer_join(path, "sample"));
        }
        if let Some(s) = m.get("performance") {
            p.performance = self.performance_profile(s, &pointer_join(path, "performance"));
        }
        if let Some(s) = m.get("robustness") {
            p.robustness = self.robustness_profile(s, &pointer_join(path, "robustness"));
        }
        if let Some(s) = m.get("risk") {
            p.risk = self.risk_profile(s, &pointer_join(path, "risk"));
        }
        Some(p)
    }

    /// A profile's `sample` section: `min_effective_years` (a number), `min_trades_total` (an
    /// integer ≥ 0), `severity`, `owner`.
    fn sample_profile(&mut self, s: &Value, sp: &str) -> Option<SampleProfile> {
        let sm = self.object(s, sp)?;
        self.keys(
            sm,
            &[
                "min_effective_years",
                "min_trades_total",
                "severity",
                "owner",
            ],
            sp,
        );
        let (severity, owner) = self.severity_owner(sm, sp);
        Some(SampleProfile {
            min_effective_years: self.opt_number(sm, "min_effective_years", sp),
            min_trades_total: self
                .opt_integer(sm, "min_trades_total", sp, 0)
                .map(f64::from),
            severity,
            owner,
        })
    }

    /// A profile's `performance` section: `sharpe_min`, `max_dd_max`, `gain_to_pain_min`
    /// (numbers), `severity`, `owner`.
    fn performance_profile(&mut self, s: &Value, sp: &str) -> Option<PerformanceProfile> {
        let sm = self.object(s, sp)?;
        self.keys(
            sm,
            &[
                "sharpe_min",
                "max_dd_max",
                "gain_to_pain_min",
                "severity",
                "owner",
            ],
            sp,
        );
        let (severity, owner) = self.severity_owner(sm, sp);
        Some(PerformanceProfile {
            sharpe_min: self.opt_number(sm, "sharpe_min", sp),
            max_dd_max: self.opt_number(sm, "max_dd_max", sp),
            gain_to_pain_min: self.opt_number(sm, "gain_to_pain_min", sp),
            severity,
            owner,
        })
    }

    /// A profile's `robustness` section: `dsr_min`, `cv_sharpe_gap_max` (numbers), `severity`,
    /// `owner`.
    fn robustness_profile(&mut self, s: &Value, sp: &str) -> Option<RobustnessProfile> {
        let sm = self.object(s, sp)?;
        self.keys(
            sm,
            &["dsr_min", "cv_sharpe_gap_max", "severity", "owner"],
            sp,
        );
        let (severity, owner) = self.severity_owner(sm, sp);
        Some(RobustnessProfile {
            dsr_min: self.opt_number(sm, "dsr_min", sp),
            cv_sharpe_gap_max: self.opt_number(sm, "cv_sharpe_gap_max", sp),
            severity,
            owner,
        })
    }

    /// A profile's `risk` section: `adv_utilization_p95_max`, `participation_rate_p95_max`
    /// (numbers), `severity`, `owner`.
    fn risk_profile(&mut self, s: &Value, sp: &str) -> Option<RiskProfile> {
        let sm = self.object(s, sp)?;
        self.keys(
            sm,
            &[
                "adv_utilization_p95_max",
                "participation_rate_p95_max",
                "severity",
                "owner",
            ],
            sp,
        );
        let (severity, owner) = self.severity_owner(sm, sp);
        Some(RiskProfile {
            adv_utilization_p95_max: self.opt_number(sm, "adv_utilization_p95_max", sp),
            participation_rate_p95_max: self.opt_number(sm, "participation_rate_p95_max", sp),
            severity,
            owner,
        })
    }

    fn validation(&mut self, v: &Value, path: &str) -> Option<ValidationConfig> {
        let m = self.object(v, path)?;
        self.keys(m, &["on_error", "on_missing_metric"], path);
        let on_error = self
            .choice(
                m,
                "on_error",
                path,
                &[("fail", OnError::Fail), ("warn", OnError::Warn)],
            )
            .unwrap_or_default();
        let on_missing_metric = self
            .choice(
                m,
                "on_missing_metric",
                path,
                &[
                    ("fail", MissingMetric::Fail),
                    ("warn", MissingMetric::Warn),
                    ("ignore", MissingMetric::Ignore),
                ],
            )
            .unwrap_or_default();
        Some(ValidationConfig {
            on_error,
            on_missing_metric,
        })
    }

    fn weighting(&mut self, v: &Value, path: &str) -> Option<WeightingConfig> {
        let m = self.object(v, path)?;
        self.keys(m, &["method", "max_weight", "metric"], path);
        let method = self
            .choice(
                m,
                "method",
                path,
                &[
                    ("equal", WeightMethod::Equal),
                    ("inverse_volatility", WeightMethod::InverseVolatility),
                    ("score", WeightMethod::Score),
                ],
            )
            .unwrap_or_default();
        let max_weight = self.opt_number(m, "max_weight", path);
        if let Some(w) = max_weight
            && !(w > 0.0 && w <= 1.0)
        {
            self.err(
                &pointer_join(path, "max_weight"),
                format!(
                    "`max_weight` must be in (0, 1], found `{}`",
                    crate::json::float::Brief(w)
                ),
            );
        }
        let metric = match m.get("metric") {
            None | Some(Value::Null) => None,
            Some(x) => self.string(x, &pointer_join(path, "metric")),
        };
        Some(WeightingConfig {
            method,
            max_weight,
            metric,
        })
    }

    fn cohort(&mut self, v: &Value, path: &str) -> Option<CohortRule> {
        let m = self.object(v, path)?;
        self.keys(
            m,
            &[
                "sharpe_median_min",
                "dsr_median_min",
                "top_k",
                "severity",
                "owner",
            ],
            path,
        );
        let (severity, owner) = self.severity_owner(m, path);
        Some(CohortRule {
            sharpe_median_min: self.opt_number(m, "sharpe_median_min", path),
            dsr_median_min: self.opt_number(m, "dsr_median_min", path),
            top_k: self.opt_integer(m, "top_k", path, 0),
            severity,
            owner,
        })
    }

    fn portfolio(&mut self, v: &Value, path: &str) -> Option<PortfolioRule> {
        let m = self.object(v, path)?;
        self.keys(
            m,
            &[
                "max_incremental_var_99",
                "max_incremental_es_99",
                "min_portfolio_sharpe_uplift",
                "severity",
                "owner",
            ],
            path,
        );
        let (severity, owner) = self.severity_owner(m, path);
        Some(PortfolioRule {
            max_incremental_var_99: self.opt_number(m, "max_incremental_var_99", path),
            max_incremental_es_99: self.opt_number(m, "max_incremental_es_99", path),
            min_portfolio_sharpe_uplift: self.opt_number(m, "min_portfolio_sharpe_uplift", path),
            severity,
            owner,
        })
    }

    fn stress(&mut self, v: &Value, path: &str) -> Option<StressRule> {
        let m = self.object(v, path)?;
        self.keys(m, &["scenarios", "severity", "owner"], path);
        let (severity, owner) = self.severity_owner(m, path);
        let mut scenarios = IndexMap::new();
        let sp = pointer_join(path, "scenarios");
        if let Some(s) = m.get("scenarios")
            && let Some(sm) = self.object(s, &sp)
        {
            for (name, caps) in sm {
                let cp = pointer_join(&sp, name);
                let Some(cm) = self.entry(caps, &cp) else {
                    continue;
                };
                self.keys(cm, &["dd_max", "es_99", "var_99"], &cp);
                let mut out = IndexMap::new();
                for (k, x) in cm {
                    if let Some(f) = self.number(x, &pointer_join(&cp, k)) {
                        out.insert(k.clone(), f);
                    }
                }
                scenarios.insert(name.clone(), out);
            }
        }
        Some(StressRule {
            scenarios,
            severity,
            owner,
        })
    }

    fn live(&mut self, v: &Value, path: &str) -> Option<LiveMonitoringRule> {
        let m = self.object(v, path)?;
        self.keys(
            m,
            &[
                "lookback_days",
                "decay_threshold",
                "sharpe_min",
                "dd_max",
                "severity",
                "owner",
            ],
            path,
        );
        let (severity, owner) = self.severity_owner(m, path);
        Some(LiveMonitoringRule {
            lookback_days: self.opt_integer(m, "lookback_days", path, 0),
            decay_threshold: self.opt_number(m, "decay_threshold", path),
            sharpe_min: self.opt_number(m, "sharpe_min", path),
            dd_max: self.opt_number(m, "dd_max", path),
            severity,
            owner,
        })
    }
}
