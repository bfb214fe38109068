//! The named policies QMTL ships (`qmtl/foundation/common/presets.py`), as documents.
//!
//! | preset | thresholds | top-k (sharpe) | correlation max | hysteresis (sharpe) enter / exit |
//! |---|---|---|---|---|
//! | `sandbox` | — | 10 | — | — |
//! | `conservative` | sharpe ≥ 1.0, max_drawdown ≤ 0.15, win_rate ≥ 0.55, profit_factor ≥ 1.5 | 3 | 0.5 | 1.0 / 0.8 |
//! | `moderate` | sharpe ≥ 0.7, max_drawdown ≤ 0.25, win_rate ≥ 0.50, profit_factor ≥ 1.2 | 5 | 0.7 | 0.7 / 0.5 |
//! | `aggressive` | sharpe ≥ 0.5, max_drawdown ≤ 0.40, profit_factor ≥ 1.0 | 8 | 0.85 | 0.5 / 0.3 |
//!
//! Threshold labels are the metric names; drawdown bounds are magnitudes.

use crate::schema::{CorrelationRule, HysteresisRule, PolicyDocument, ThresholdRule, TopKRule};

/// Names of the presets, in order of increasing risk appetite.
pub const PRESET_NAMES: [&str; 4] = ["sandbox", "conservative", "moderate", "aggressive"];

fn min(metric: &str, v: f64) -> (String, ThresholdRule) {
    (
        metric.into(),
        ThresholdRule {
            metric: metric.into(),
            min: Some(v),
            max: None,
        },
    )
}

fn max(metric: &str, v: f64) -> (String, ThresholdRule) {
    (
        metric.into(),
        ThresholdRule {
            metric: metric.into(),
            min: None,
            max: Some(v),
        },
    )
}

fn build(
    thresholds: Vec<(String, ThresholdRule)>,
    k: u32,
    corr: Option<f64>,
    band: Option<(f64, f64)>,
) -> PolicyDocument {
    PolicyDocument {
        thresholds: thresholds.into_iter().collect(),
        top_k: Some(TopKRule {
            metric: "sharpe".into(),
            k,
        }),
        correlation: corr.map(|max| CorrelationRule {
            max,
            min_overlap: None,
            on_unknown: None,
        }),
        hysteresis: band.map(|(enter, exit)| HysteresisRule {
            metric: "sharpe".into(),
            enter,
            exit,
            promote_after: None,
            demote_after: None,
            min_dwell: None,
        }),
        ..PolicyDocument::default()
    }
}

/// The preset document called `name` (case-insensitive), if any.
pub fn document(name: &str) -> Option<PolicyDocument> {
    Some(match name.trim().to_ascii_lowercase().as_str() {
        "sandbox" => build(vec![], 10, None, None),
        "conservative" => build(
            vec![
                min("sharpe", 1.0),
                max("max_drawdown", 0.15),
                min("win_rate", 0.55),
                min("profit_factor", 1.5),
            ],
            3,
            Some(0.5),
            Some((1.0, 0.8)),
        ),
        "moderate" => build(
            vec![
                min("sharpe", 0.7),
                max("max_drawdown", 0.25),
                min("win_rate", 0.50),
                min("profit_factor", 1.2),
            ],
            5,
            Some(0.7),
            Some((0.7, 0.5)),
        ),
        "aggressive" => build(
            vec![
                min("sharpe", 0.5),
                max("max_drawdown", 0.40),
                min("profit_factor", 1.0),
            ],
            8,
            Some(0.85),
            Some((0.5, 0.3)),
        ),
        _ => return None,
    })
}
