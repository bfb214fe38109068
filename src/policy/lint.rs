//! The policy lint: what a policy that parses may still not mean.
//!
//! A policy can be well-formed and still gate on nothing: a misspelt metric is `metric_missing`
//! for every strategy, and a drawdown bound written with the sign convention of the data
//! (`min: -0.25`) keeps only the worst strategy, because drawdown bounds compare magnitudes.
//! [`lint`] finds both:
//!
//! | finding | severity | path |
//! |---|---|---|
//! | a metric name (`thresholds.*.metric`, `top_k.metric`, `hysteresis.metric`, `weighting.metric`) that the engine does not compute and the given metric names do not hold | error (did-you-mean in `help`) | `/<rule>/metric` |
//! | a drawdown bound given as `min` | strict: error, qmtl: warning | `/thresholds/<label>/min` |
//! | a drawdown `max` below 0 | strict: error, qmtl: warning | `/thresholds/<label>/max` |
//!
//! **Known names** are the leaf names and dotted paths of every metric the engine computes
//! (worldgate's blocks and the v1.5 set of both profiles), plus [`LintOptions::metric_names`]
//! (the names a set of metrics files or bundles carries, see [`metric_names_of`]). A name in
//! [`LintOptions::custom`], or under `custom.` (a bundle's custom metrics block), is declared
//! custom and never reported.
//!
//! **Sign convention**: drawdowns are reported as fractions, in the data either as positive
//! magnitudes (`0.25`) or negative returns (`-0.25`); a bound on a drawdown metric (a leaf name
//! containing `drawdown`) is a bound on the magnitude, so it is written `max: 0.25`.

use super::Policy;
use super::explain::is_drawdown;
use crate::error::{Code, Error, pointer_join};
use crate::schema::{Dialect, PolicyLint, ThresholdRule};
use serde_json::Value;
use std::collections::BTreeSet;
use std::sync::OnceLock;

/// What the lint knows besides the engine's metric names.
#[derive(Debug, Clone, Default)]
pub struct LintOptions {
    /// Metric names (leaf names or dotted paths) that the strategies to be gated carry.
    pub metric_names: Vec<String>,
    /// Metric names declared custom: never reported as unknown.
    pub custom: Vec<String>,
}

/// The leaf names and dotted paths of every metric the engine computes: worldgate's blocks
/// and QMTL's v1.5 set under both profiles, sorted.
pub fn engine_metric_names() -> &'static BTreeSet<String> {
    static NAMES: OnceLock<BTreeSet<String>> = OnceLock::new();
    NAMES.get_or_init(|| {
        let series = [0.01, -0.02, 0.015, 0.003, -0.004, 0.02, -0.01, 0.005];
        let mut out = BTreeSet::new();
        if let Ok(m) = crate::metrics::compute(&series, &crate::metrics::MetricsOptions::default())
            && let Ok(v) = crate::json::to_value(&m)
        {
            collect(&v, "", &mut out);
        }
        for profile in [
            crate::schema::MetricsProfile::Qmtl,
            crate::schema::MetricsProfile::Strict,
        ] {
            let opts = crate::metrics::V15Options {
                profile,
                ..crate::metrics::V15Options::default()
            };
            if let Ok(m) = crate::metrics::compute_v15(&series, &opts)
                && let Ok(v) = crate::json::to_value(&m)
            {
                collect(&v, "", &mut out);
            }
        }
        out
    })
}

/// The metric names (leaf names and dotted paths) a document carries: the leaves under every
/// `metrics` or `evaluation` member of a bundle, snapshot or metrics document, or of the whole
/// value when it has neither (flat metrics `{"sharpe": 1.2}` or nested blocks).
pub fn metric_names_of(doc: &Value) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let mut found = false;
    find_blocks(doc, &mut out, &mut found);
    if !found {
        collect(doc, "", &mut out);
    }
    out
}

fn find_blocks(v: &Value, out: &mut BTreeSet<String>, found: &mut bool) {
    match v {
        Value::Object(m) => {
            for (k, x) in m {
                if k == "metrics" || k == "evaluation" {
                    *found = true;
                    collect(x, "", out);
                } else {
                    find_blocks(x, out, found);
                }
            }
        }
        Value::Array(a) => a.iter().for_each(|x| find_blocks(x, out, found)),
        _ => {}
    }
}

/// Every leaf's name and dotted path under `v` (objects only; arrays are leaves).
fn collect(v: &Value, prefix: &str, out: &mut BTreeSet<String>) {
    if let Value::Object(m) = v {
        for (k, x) in m {
            let path = if prefix.is_empty() {
                k.clone()
            } else {
                format!("{prefix}.{k}")
            };
            if let Value::Object(_) = x {
                collect(x, &path, out);
            } else {
                out.insert(k.clone());
                out.insert(path);
            }
        }
    }
}

/// Lints a policy (see the module documentation). Never fails: the findings are the answer.
///
/// Findings come in the document's order: per threshold its metric name, then its drawdown
/// bounds; then `top_k`, `hysteresis` and `weighting` metric names.
pub fn lint(policy: &Policy, options: &LintOptions) -> PolicyLint {
    let doc = policy.document();
    let strict = policy.dialect() == Dialect::Strict;
    let (mut errors, mut warnings) = (Vec::new(), Vec::new());
    for (label, rule) in &doc.thresholds {
        let base = pointer_join("/thresholds", label);
        errors.extend(unknown_metric(&rule.metric, &base, options));
        let found = drawdown_bound_findings(rule, &base);
        if strict {
            errors.extend(found);
        } else {
            warnings.extend(found);
        }
    }
    let named = [
        ("/top_k", doc.top_k.as_ref().map(|t| &t.metric)),
        ("/hysteresis", doc.hysteresis.as_ref().map(|h| &h.metric)),
        (
            "/weighting",
            doc.weighting.as_ref().and_then(|w| w.metric.as_ref()),
        ),
    ];
    for (base, metric) in named {
        if let Some(m) = metric {
            errors.extend(unknown_metric(m, base, options));
        }
    }
    PolicyLint {
        ok: errors.is_empty(),
        errors,
        warnings,
    }
}

/// The finding for the metric `name` of the rule at `base` (reported at `<base>/metric`), or
/// `None` when it is declared: under `custom.`, in [`LintOptions::custom`], computed by the
/// engine, or in [`LintOptions::metric_names`]. The help suggests the closest known name, if
/// any, and how to declare a metric of one's own.
fn unknown_metric(name: &str, base: &str, options: &LintOptions) -> Option<Error> {
    let known = engine_metric_names();
    let declared = name.starts_with("custom.")
        || options.custom.iter().any(|c| c == name)
        || known.contains(name)
        || options.metric_names.iter().any(|c| c == name);
    if declared {
        return None;
    }
    let candidates = known
        .iter()
        .map(String::as_str)
        .chain(options.metric_names.iter().map(String::as_str));
    let e = Error::new(
        Code::PolicyInvalid,
        format!("{base}/metric"),
        format!("unknown metric `{name}`: no computed or given metric has that name"),
    );
    let declare = format!(
        "a metric of your own: address it as `custom.{name}` or declare it custom (`--custom {name}`)"
    );
    Some(match crate::suggest::closest(name, candidates) {
        Some(s) => e.with_help(format!("did you mean `{s}`? ({declare})")),
        None => e.with_help(declare),
    })
}

/// The sign-convention findings of the threshold at `base` on a drawdown metric (none for any
/// other metric): a `min` bound, and a `max` below 0. Each help gives the bound to write: `max`
/// of the magnitude of `min`, else of `max`, else 0.25.
fn drawdown_bound_findings(rule: &ThresholdRule, base: &str) -> Vec<Error> {
    let mut found = Vec::new();
    if !is_drawdown(&rule.metric) {
        return found;
    }
    let magnitude = rule
        .min
        .map(f64::abs)
        .or(rule.max.map(f64::abs))
        .unwrap_or(0.25);
    let help = format!(
        "a drawdown bound is a bound on its magnitude (drawdowns compare as |value|, whatever sign the data uses): write `max: {}`",
        crate::json::float::Brief(magnitude)
    );
    if let Some(min) = rule.min {
        found.push(
            Error::new(
                Code::PolicyInvalid,
                format!("{base}/min"),
                format!(
                    "`min: {}` on drawdown metric `{}` keeps only the strategies with the largest drawdowns",
                    crate::json::float::Brief(min),
                    rule.metric
                ),
            )
            .with_help(help.clone()),
        );
    }
    if let Some(max) = rule.max.filter(|m| *m < 0.0) {
        found.push(
            Error::new(
                Code::PolicyInvalid,
                format!("{base}/max"),
                format!(
                    "`max: {}` on drawdown metric `{}` is negative, but drawdown bounds compare magnitudes",
                    crate::json::float::Brief(max),
                    rule.metric
                ),
            )
            .with_help(help),
        );
    }
    found
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]
    use super::*;

    #[test]
    fn presets_lint_clean() {
        for name in super::super::presets::PRESET_NAMES {
            for d in [Dialect::Strict, Dialect::Qmtl] {
                let p = Policy::preset_in(name, d).unwrap();
                let l = lint(&p, &LintOptions::default());
                assert!(l.ok && l.warnings.is_empty(), "{name}: {l:?}");
            }
        }
    }

    #[test]
    fn names_of_documents() {
        let v: Value = serde_json::json!({"submissions": [{"metrics": {"custom": {"alpha": 1}}}]});
        let n = metric_names_of(&v);
        assert!(n.contains("alpha") && n.contains("custom.alpha"), "{n:?}");
        assert!(engine_metric_names().contains("max_drawdown"));
        assert!(engine_metric_names().contains("returns.sharpe"));
    }
}
