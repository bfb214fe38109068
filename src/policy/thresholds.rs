//! Threshold checks and QMTL's metric grouping: which rule a threshold metric belongs to
//! (`data_currency`, `sample`, `performance`, `risk`), the failure entries QMTL puts in rule
//! details (`below_min`, `above_max`, `missing_metric`, strict's `not_finite`), and the check
//! of a set of thresholds against one strategy with its explanations.

use super::explain::{Check, breaks_as, threshold_check};
use super::metrics_view::Lookup;
use crate::json::numfmt::py_float;
use crate::schema::{CheckOutcome, Explanation, MissingMetric, ThresholdRule};
use serde_json::{Value, json};

/// QMTL's grouping of a threshold metric into a rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Group {
    DataCurrency,
    Sample,
    Performance,
    Risk,
}

pub(crate) fn classify(metric: &str) -> Group {
    let n = metric.to_ascii_lowercase();
    let starts = |ps: &[&str]| ps.iter().any(|p| n.starts_with(p));
    if starts(&["lag", "stale", "fresh", "as_of", "coverage"]) {
        Group::DataCurrency
    } else if starts(&[
        "sample",
        "history",
        "effective_history",
        "n_trades",
        "num_trades",
    ]) || n.contains("trade")
    {
        Group::Sample
    } else if starts(&[
        "adv_",
        "participation_rate",
        "exposure",
        "var",
        "es",
        "beta",
        "correlation",
        "leverage",
        "tail",
    ]) {
        Group::Risk
    } else {
        Group::Performance
    }
}

/// One failed threshold check, in QMTL's detail shape; `metric` is the rule's (borrowed from
/// the policy for the evaluation: no copy per failing strategy).
#[derive(Debug, Clone)]
pub(crate) enum Failure<'r> {
    BelowMin {
        metric: &'r str,
        min: f64,
        value: f64,
    },
    AboveMax {
        metric: &'r str,
        max: f64,
        value: f64,
    },
    Missing {
        metric: &'r str,
        mode: MissingMetric,
    },
    NotFinite {
        metric: &'r str,
    },
}

impl Failure<'_> {
    pub(crate) fn blocking(&self) -> bool {
        match self {
            Failure::Missing { mode, .. } => *mode == MissingMetric::Fail,
            _ => true,
        }
    }

    pub(crate) fn metric(&self) -> &str {
        match self {
            Failure::BelowMin { metric, .. }
            | Failure::AboveMax { metric, .. }
            | Failure::Missing { metric, .. }
            | Failure::NotFinite { metric } => metric,
        }
    }

    pub(crate) fn to_json(&self) -> Value {
        match self {
            Failure::BelowMin { metric, min, value } => json!({
                "metric": metric, "reason": "below_min", "min": min, "value": num_json(*value), "blocking": true
            }),
            Failure::AboveMax { metric, max, value } => json!({
                "metric": metric, "reason": "above_max", "max": max, "value": num_json(*value), "blocking": true
            }),
            Failure::Missing { metric, mode } => json!({
                "metric": metric, "reason": "missing_metric", "mode": mode_str(*mode), "blocking": *mode == MissingMetric::Fail
            }),
            Failure::NotFinite { metric } => json!({
                "metric": metric, "reason": "not_finite", "blocking": true
            }),
        }
    }

    /// QMTL's `_format_failure_reason`.
    pub(crate) fn reason(&self) -> String {
        match self {
            Failure::BelowMin { metric, min, .. } => {
                format!("{metric} below minimum {}", py_float(*min))
            }
            Failure::AboveMax { metric, max, .. } => {
                format!("{metric} above maximum {}", py_float(*max))
            }
            Failure::Missing { metric, .. } => format!("{metric} missing"),
            Failure::NotFinite { metric } => format!("{metric} is not a finite number"),
        }
    }
}

pub(crate) fn num_json(v: f64) -> Value {
    // As `Num`'s `Serialize` writes it: the wire string when not finite.
    match crate::json::non_finite_str(v) {
        Some(text) => Value::String(text.into()),
        None => serde_json::Number::from_f64(v).map_or(Value::Null, Value::Number),
    }
}

pub(crate) fn opt_json(v: Option<f64>) -> Value {
    v.map_or(Value::Null, num_json)
}

pub(crate) fn mode_str(m: MissingMetric) -> &'static str {
    match m {
        MissingMetric::Fail => "fail",
        MissingMetric::Warn => "warn",
        MissingMetric::Ignore => "ignore",
    }
}

/// A threshold rule as the checks read it: its label, the rule, and whether its metric
/// compares magnitudes ([`super::explain::is_drawdown`], looked up once per rule, not once per
/// strategy).
pub(crate) type Labelled<'r> = (&'r str, &'r ThresholdRule, bool);

/// `rules` as [`check_thresholds`] reads them.
pub(crate) fn labelled<'r>(
    rules: &'r indexmap::IndexMap<String, ThresholdRule>,
) -> impl Iterator<Item = Labelled<'r>> {
    rules.iter().map(|(label, rule)| {
        (
            label.as_str(),
            rule,
            super::explain::is_drawdown(&rule.metric),
        )
    })
}

/// Checks `rules` against one strategy: its failures, in rule order (each rule's `min` before
/// its `max`), and whether any of them blocks; with `explain`, one explanation per configured
/// bound is appended to it (see [`check_value`] and [`check_unreadable`]).
pub(crate) fn check_thresholds<'r>(
    rules: impl Iterator<Item = Labelled<'r>>,
    lookup: impl Fn(&str) -> Lookup,
    mode: MissingMetric,
    mut explain: Option<&mut Vec<Explanation>>,
) -> (Vec<Failure<'r>>, bool) {
    let mut failures = Vec::new();
    for (label, rule, drawdown) in rules {
        match lookup(rule.metric.as_str()) {
            Lookup::Value(v) => {
                let rule = (label, rule, drawdown);
                check_value(rule, v, &mut failures, explain.as_deref_mut());
            }
            missing @ (Lookup::Missing | Lookup::NotNumber) => check_unreadable(
                label,
                rule,
                missing == Lookup::NotNumber,
                mode,
                &mut failures,
                explain.as_deref_mut(),
            ),
        }
    }
    let blocking = failures.iter().any(Failure::blocking);
    (failures, blocking)
}

/// One rule against the metric's value `v`: a [`Failure::BelowMin`] / [`Failure::AboveMax`]
/// for each bound it breaks (see [`super::explain::breaks_as`]), and with `explain` each bound's check, broken or
/// not.
#[inline(always)] // hot per strategy (one body with its caller before); `#[inline]` left a call
fn check_value<'r>(
    (label, rule, drawdown): Labelled<'r>,
    v: f64,
    failures: &mut Vec<Failure<'r>>,
    mut explain: Option<&mut Vec<Explanation>>,
) {
    let metric = rule.metric.as_str();
    for (b, is_min) in [(rule.min, true), (rule.max, false)] {
        let Some(b) = b else { continue };
        if breaks_as(drawdown, v, b, is_min) {
            failures.push(if is_min {
                Failure::BelowMin {
                    metric,
                    min: b,
                    value: v,
                }
            } else {
                Failure::AboveMax {
                    metric,
                    max: b,
                    value: v,
                }
            });
        }
        if let Some(ex) = explain.as_deref_mut() {
            ex.push(threshold_check(label, metric, b, is_min, v));
        }
    }
}

/// One rule whose metric is absent or (`not_number`) not a number: [`Failure::NotFinite`] for
/// the latter, [`Failure::Missing`] for the former unless `mode` ignores missing metrics; with
/// `explain`, one check per configured bound (see [`unreadable_check`]).
fn check_unreadable<'r>(
    label: &str,
    rule: &'r ThresholdRule,
    not_number: bool,
    mode: MissingMetric,
    failures: &mut Vec<Failure<'r>>,
    explain: Option<&mut Vec<Explanation>>,
) {
    let metric = rule.metric.as_str();
    if not_number {
        failures.push(Failure::NotFinite { metric });
    } else if mode != MissingMetric::Ignore {
        failures.push(Failure::Missing { metric, mode });
    }
    if let Some(ex) = explain {
        for (b, is_min) in [(rule.min, true), (rule.max, false)] {
            let Some(b) = b else { continue };
            ex.push(unreadable_check(label, metric, b, is_min, not_number, mode));
        }
    }
}

/// The check of bound `b` (`>=` when `is_min`, else `<=`) on a metric with no value: failed as
/// `metric_not_finite` when `not_number`, else `metric_missing`, failed, warned or skipped as
/// `mode` says.
fn unreadable_check(
    label: &str,
    metric: &str,
    b: f64,
    is_min: bool,
    not_number: bool,
    mode: MissingMetric,
) -> Explanation {
    let (outcome, code, msg) = if not_number {
        (
            CheckOutcome::Fail,
            "metric_not_finite",
            format!("`{metric}` is not a finite number"),
        )
    } else {
        match mode {
            MissingMetric::Fail => (
                CheckOutcome::Fail,
                "metric_missing",
                format!("`{metric}` is missing"),
            ),
            MissingMetric::Warn => (
                CheckOutcome::Warn,
                "metric_missing",
                format!("`{metric}` is missing (on_missing_metric: warn)"),
            ),
            MissingMetric::Ignore => (
                CheckOutcome::Skipped,
                "metric_missing",
                format!("`{metric}` is missing (on_missing_metric: ignore)"),
            ),
        }
    };
    Check::new(format!("thresholds.{label}"), outcome, code, msg)
        .metric(metric)
        .bound(b, if is_min { ">=" } else { "<=" })
        .build()
}
