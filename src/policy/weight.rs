//! Weights of the selected strategies.
//!
//! `equal`: 1/n. `inverse_volatility`: ∝ 1/σ with σ the `volatility` metric (or
//! `weighting.metric`). `score`: ∝ max(score, 0) with score the top-k metric (or
//! `weighting.metric`). When a method cannot be applied to every selected strategy (a σ that
//! is missing, not finite or ≤ 0; every score ≤ 0) the weights fall back to equal and a note
//! says why. A `max_weight` cap is enforced by water-filling: capped weights are fixed at the
//! cap and the excess is spread over the others in proportion to their raw weights, repeatedly.
//! When `n · max_weight < 1` no weights can both sum to 1 and respect the cap: equal weights
//! are used and a note says so. So they are when the raw weights' total overflows (1/σ of a
//! subnormal σ, scores near the largest double), which would make every weight NaN or 0. Weights always sum to 1 (up to rounding).

use super::metrics_view::MetricsView;
use crate::schema::{Note, WeightMethod, WeightingConfig};

/// Weights for `selected` (same order) plus notes.
pub(crate) fn weights<'v>(
    selected: &[&str],
    view: impl Fn(&str) -> Option<&'v MetricsView>,
    cfg: Option<&WeightingConfig>,
    top_k_metric: Option<&str>,
) -> (Vec<f64>, Vec<Note>) {
    let n = selected.len();
    let mut notes = Vec::new();
    if n == 0 {
        return (Vec::new(), notes);
    }
    let equal = vec![1.0 / n as f64; n];
    let Some(cfg) = cfg else {
        return (equal, notes);
    };
    let raw: Option<Vec<f64>> = match cfg.method {
        WeightMethod::Equal => Some(vec![1.0; n]),
        WeightMethod::InverseVolatility => {
            let metric = cfg.metric.as_deref().unwrap_or("volatility");
            let vols: Option<Vec<f64>> = selected
                .iter()
                .map(|id| {
                    view(id)
                        .and_then(|m| m.num(metric))
                        .filter(|v| v.is_finite() && *v > 0.0)
                        .map(|v| 1.0 / v)
                })
                .collect();
            if vols.is_none() {
                notes.push(note(format!(
                    "inverse-volatility weights need a positive finite `{metric}` for every selected strategy; equal weights used"
                )));
            }
            vols
        }
        WeightMethod::Score => {
            let metric = cfg.metric.as_deref().or(top_k_metric).unwrap_or("score");
            let scores: Vec<f64> = selected
                .iter()
                .map(|id| {
                    view(id)
                        .and_then(|m| m.num(metric))
                        .filter(|v| v.is_finite())
                        .map_or(0.0, |v| v.max(0.0))
                })
                .collect();
            if scores.iter().sum::<f64>() > 0.0 {
                Some(scores)
            } else {
                notes.push(note(format!(
                    "score weights need a positive `{metric}` for some selected strategy; equal weights used"
                )));
                None
            }
        }
    };
    let mut raw = raw.unwrap_or_else(|| vec![1.0; n]);
    let mut total: f64 = raw.iter().sum();
    if !total.is_finite() {
        // 1/σ of a subnormal σ, or scores near the largest double: the raw weights overflow
        notes.push(note(
            "the raw weights overflow (their total is not a finite number); equal weights used"
                .to_owned(),
        ));
        raw = vec![1.0; n];
        total = n as f64;
    }
    let base: Vec<f64> = raw.iter().map(|w| w / total).collect();
    match cfg.max_weight {
        Some(cap) if cap * (n as f64) < 1.0 - 1e-12 => {
            notes.push(note(format!(
                "`max_weight` {} cannot hold for {n} selected strategies (weights must sum to 1); equal weights used",
                crate::json::float::Brief(cap)
            )));
            (equal, notes)
        }
        Some(cap) => (water_fill(&base, cap), notes),
        None => (base, notes),
    }
}

fn note(message: String) -> Note {
    Note {
        code: "weighting_fallback_equal".into(),
        strategy_id: None,
        message,
    }
}

/// Caps weights at `cap`, spreading the excess proportionally over the uncapped ones.
fn water_fill(base: &[f64], cap: f64) -> Vec<f64> {
    let n = base.len();
    let mut capped = vec![false; n];
    let mut w = base.to_vec();
    for _ in 0..=n {
        let fixed = capped.iter().filter(|c| **c).count() as f64 * cap;
        let free_raw: f64 = base
            .iter()
            .zip(&capped)
            .filter(|(_, c)| !**c)
            .map(|(b, _)| *b)
            .sum();
        let remaining = (1.0 - fixed).max(0.0);
        let mut changed = false;
        for ((wi, bi), ci) in w.iter_mut().zip(base).zip(capped.iter_mut()) {
            if *ci {
                *wi = cap;
            } else {
                *wi = if free_raw > 0.0 {
                    bi / free_raw * remaining
                } else {
                    0.0
                };
                if *wi > cap + 1e-15 {
                    *ci = true;
                    changed = true;
                }
            }
        }
        if !changed {
            break;
        }
    }
    w
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::Dialect;
    use serde_json::json;

    fn views() -> Vec<(String, MetricsView)> {
        [("a", 0.1, 2.0), ("b", 0.2, 1.0), ("c", 0.4, 1.0)]
            .iter()
            .map(|(id, vol, score)| {
                (
                    id.to_string(),
                    MetricsView::new(&json!({"volatility": vol, "score": score}), Dialect::Strict),
                )
            })
            .collect()
    }

    fn run(cfg: WeightingConfig) -> (Vec<f64>, Vec<Note>) {
        let v = views();
        let look = |id: &str| v.iter().find(|(k, _)| k == id).map(|(_, m)| m);
        weights(&["a", "b", "c"], look, Some(&cfg), Some("score"))
    }

    fn close(a: &[f64], b: &[f64]) {
        assert_eq!(a.len(), b.len());
        for (x, y) in a.iter().zip(b) {
            assert!((x - y).abs() < 1e-12, "{a:?} vs {b:?}");
        }
    }

    #[test]
    fn methods() {
        close(&run(WeightingConfig::default()).0, &[1.0 / 3.0; 3]);
        // 1/σ = 10, 5, 2.5 → /17.5.
        let iv = WeightingConfig {
            method: WeightMethod::InverseVolatility,
            ..Default::default()
        };
        close(&run(iv).0, &[10.0 / 17.5, 5.0 / 17.5, 2.5 / 17.5]);
        let sc = WeightingConfig {
            method: WeightMethod::Score,
            ..Default::default()
        };
        close(&run(sc).0, &[0.5, 0.25, 0.25]);
    }

    #[test]
    fn cap_redistributes_excess() {
        // 0.5714, 0.2857, 0.1429 capped at 0.5 → 0.5 and the 0.0714 excess split 2:1.
        let iv = WeightingConfig {
            method: WeightMethod::InverseVolatility,
            max_weight: Some(0.5),
            metric: None,
        };
        close(&run(iv).0, &[0.5, 1.0 / 3.0, 1.0 / 6.0]);
        let infeasible = WeightingConfig {
            max_weight: Some(0.3),
            ..Default::default()
        };
        let (w, notes) = run(infeasible);
        close(&w, &[1.0 / 3.0; 3]);
        assert_eq!(notes.len(), 1);
    }

    #[test]
    fn missing_volatility_falls_back_to_equal() {
        let cfg = WeightingConfig {
            method: WeightMethod::InverseVolatility,
            max_weight: None,
            metric: Some("nope".into()),
        };
        let (w, notes) = run(cfg);
        close(&w, &[1.0 / 3.0; 3]);
        assert_eq!(notes[0].code, "weighting_fallback_equal");
    }

    #[test]
    fn raw_weights_that_overflow_fall_back_to_equal() {
        // 1/σ of a subnormal σ is +∞; scores near f64::MAX sum to +∞: either way every
        // weight would be NaN or 0
        for (vol, score) in [(1e-310, 1.0), (0.1, f64::MAX)] {
            let v: Vec<(String, MetricsView)> = ["a", "b"]
                .iter()
                .map(|id| {
                    let m = json!({"volatility": vol, "score": score});
                    (id.to_string(), MetricsView::new(&m, Dialect::Strict))
                })
                .collect();
            let look = |id: &str| v.iter().find(|(k, _)| k == id).map(|(_, m)| m);
            for method in [WeightMethod::InverseVolatility, WeightMethod::Score] {
                let cfg = WeightingConfig {
                    method,
                    ..Default::default()
                };
                let (w, notes) = weights(&["a", "b"], look, Some(&cfg), None);
                assert_eq!(w, [0.5, 0.5], "{method:?} σ {vol} score {score}");
                let overflow = notes.iter().any(|n| n.message.contains("overflow"));
                let finite = method == WeightMethod::InverseVolatility && vol > 1e-300
                    || method == WeightMethod::Score && score < 1e300;
                assert_eq!(
                    overflow, !finite,
                    "{method:?} σ {vol} score {score}: {notes:?}"
                );
            }
        }
    }
}
