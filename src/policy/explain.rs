//! Explanations and violations: every check the engine made, with the value observed, the
//! bound, the comparison and the outcome; violations are the failed checks.
//!
//! A bound on a drawdown metric compares magnitudes; its explanation carries both the value as
//! found in the data (`observed`) and `|observed|` (`magnitude`), so a `-0.30` drawdown against
//! `max 0.25` reads "magnitude 0.3 (observed -0.3) is above the maximum 0.25".

use crate::json::numfmt::es_number;
use crate::schema::{CheckOutcome, Explanation, Num, Violation};

/// True for metrics whose bounds compare magnitudes (`max_drawdown`, `pnl_max_drawdown`, …).
pub(crate) fn is_drawdown(metric: &str) -> bool {
    // a byte window, not `str::contains`: that builds a substring searcher at every call, and
    // this runs for every threshold of every strategy
    let leaf = metric.rsplit_once('.').map_or(metric, |(_, leaf)| leaf);
    leaf.as_bytes().windows(8).any(|w| w == b"drawdown")
}

/// Does `value` break the bound? Drawdown metrics compare magnitudes. NaN breaks nothing
/// (QMTL's comparison semantics; the strict dialect never compares NaN).
pub(crate) fn breaks(metric: &str, value: f64, bound: f64, min: bool) -> bool {
    breaks_as(is_drawdown(metric), value, bound, min)
}

/// [`breaks`] with whether the metric compares magnitudes (`drawdown`: [`is_drawdown`] of its
/// name) known beforehand.
pub(crate) fn breaks_as(drawdown: bool, value: f64, bound: f64, min: bool) -> bool {
    let (v, b) = if drawdown {
        (value.abs(), bound.abs())
    } else {
        (value, bound)
    };
    if min { v < b } else { v > b }
}

/// A number as shown in messages.
pub(crate) fn show(v: f64) -> String {
    if v.is_finite() {
        es_number(v)
    } else if v.is_nan() {
        "nan".into()
    } else if v > 0.0 {
        "+inf".into()
    } else {
        "-inf".into()
    }
}

/// Builder of one explanation.
pub(crate) struct Check {
    pub(crate) rule: String,
    pub(crate) metric: Option<String>,
    pub(crate) observed: Option<f64>,
    pub(crate) magnitude: Option<f64>,
    pub(crate) bound: Option<f64>,
    pub(crate) comparison: Option<&'static str>,
    pub(crate) outcome: CheckOutcome,
    pub(crate) code: String,
    pub(crate) message: String,
}

impl Check {
    pub(crate) fn new(
        rule: impl Into<String>,
        outcome: CheckOutcome,
        code: &str,
        message: String,
    ) -> Self {
        Check {
            rule: rule.into(),
            metric: None,
            observed: None,
            magnitude: None,
            bound: None,
            comparison: None,
            outcome,
            code: code.to_string(),
            message,
        }
    }

    pub(crate) fn metric(mut self, m: &str) -> Self {
        self.metric = Some(m.to_string());
        self
    }

    pub(crate) fn observed(mut self, v: Option<f64>) -> Self {
        self.observed = v;
        self
    }

    pub(crate) fn bound(mut self, b: f64, cmp: &'static str) -> Self {
        self.bound = Some(b);
        self.comparison = Some(cmp);
        self
    }

    pub(crate) fn magnitude(mut self, m: Option<f64>) -> Self {
        self.magnitude = m;
        self
    }

    pub(crate) fn build(self) -> Explanation {
        Explanation {
            rule: self.rule,
            metric: self.metric,
            observed: self.observed.map(Num),
            magnitude: self.magnitude.map(Num),
            bound: self.bound.map(Num),
            comparison: self.comparison.map(str::to_string),
            outcome: self.outcome,
            code: self.code,
            message: self.message,
            alignment: None,
        }
    }
}

/// The violations among `explanations` (failed checks), in order.
pub(crate) fn violations(explanations: &[Explanation]) -> Vec<Violation> {
    explanations
        .iter()
        .filter(|e| e.outcome == CheckOutcome::Fail)
        .map(|e| Violation {
            code: e.code.clone(),
            rule: e.rule.clone(),
            metric: e.metric.clone(),
            observed: e.observed,
            bound: e.bound,
            message: e.message.clone(),
        })
        .collect()
}

/// Explanation of one threshold bound. `min` selects the kind of bound.
pub(crate) fn threshold_check(
    label: &str,
    metric: &str,
    bound: f64,
    min: bool,
    observed: f64,
) -> Explanation {
    let rule = format!("thresholds.{label}");
    let dd = is_drawdown(metric);
    let cmp_value = if dd { observed.abs() } else { observed };
    let cmp_bound = if dd { bound.abs() } else { bound };
    let ok = !breaks(metric, observed, bound, min);
    let shown = if dd {
        format!(
            "`{metric}` magnitude {} (observed {})",
            show(cmp_value),
            show(observed)
        )
    } else {
        format!("`{metric}` {}", show(observed))
    };
    let (code, message) = match (ok, min) {
        (true, true) => (
            "ok",
            format!("{shown} is at or above the minimum {}", show(cmp_bound)),
        ),
        (true, false) => (
            "ok",
            format!("{shown} is at or below the maximum {}", show(cmp_bound)),
        ),
        (false, true) => (
            "threshold_min",
            format!("{shown} is below the minimum {}", show(cmp_bound)),
        ),
        (false, false) => (
            "threshold_max",
            format!("{shown} is above the maximum {}", show(cmp_bound)),
        ),
    };
    Check::new(
        rule,
        if ok {
            CheckOutcome::Pass
        } else {
            CheckOutcome::Fail
        },
        code,
        message,
    )
    .metric(metric)
    .observed(Some(observed))
    .magnitude(dd.then_some(observed.abs()))
    .bound(bound, if min { ">=" } else { "<=" })
    .build()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_drawdown_metric_is_one_whose_leaf_names_a_drawdown() {
        for (metric, want) in [
            ("max_drawdown", true),
            ("returns.pnl_max_drawdown_pct", true),
            ("drawdown", true),
            ("drawdown.depth", false),
            ("drawdow", false),
            ("sharpe", false),
            ("", false),
        ] {
            assert_eq!(is_drawdown(metric), want, "{metric}");
        }
    }

    #[test]
    fn drawdown_bounds_compare_magnitudes_and_show_both() {
        let e = threshold_check("dd", "max_drawdown", 0.25, false, -0.3);
        assert_eq!(e.outcome, CheckOutcome::Fail);
        assert_eq!(e.code, "threshold_max");
        assert_eq!(e.observed, Some(Num(-0.3)));
        assert_eq!(e.magnitude, Some(Num(0.3)));
        assert!(
            e.message.contains("magnitude 0.3 (observed -0.3)"),
            "{}",
            e.message
        );
        let ok = threshold_check("dd", "returns.max_drawdown", 0.25, false, -0.12);
        assert_eq!(ok.outcome, CheckOutcome::Pass);
        let pos = threshold_check("dd", "max_drawdown", 0.25, false, 0.12);
        assert_eq!(pos.outcome, CheckOutcome::Pass);
        let plain = threshold_check("s", "sharpe", 0.5, true, 0.5);
        assert_eq!((plain.outcome, plain.magnitude), (CheckOutcome::Pass, None));
    }
}
