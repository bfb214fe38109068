//! Diffs of two evaluations (baseline vs current): snapshots or run records.
//!
//! The diff lists, for every numeric metric present in both (`returns.sharpe`,
//! `pnl.pnl_total`, `custom.<name>`, …), the absolute delta `current − baseline` and the relative
//! delta `(current − baseline) / |baseline|` (null when the baseline is 0); the verdict change;
//! violations added and removed (identified by `code` + `rule` + `metric`); and rank/weight
//! changes. Two evaluations of different worlds, or gated by different policies (different
//! `ruleset_hash`), are refused with `E_NOT_COMPARABLE` unless the matching option allows it.

use crate::error::{Code, Error};
use crate::run::Run;
use crate::schema::{EvaluationMetrics, Num, Snapshot, Verdict, Violation, from_value};
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// What a diff may compare.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(not(target_arch = "wasm32"), derive(schemars::JsonSchema, ts_rs::TS))]
#[serde(default, deny_unknown_fields)]
pub struct DiffOptions {
    /// Compare evaluations of different worlds.
    #[cfg_attr(not(target_arch = "wasm32"), ts(optional, as = "Option<bool>"))]
    pub allow_cross_world: bool,
    /// Compare evaluations gated by different policies.
    #[cfg_attr(not(target_arch = "wasm32"), ts(optional, as = "Option<bool>"))]
    pub allow_policy_change: bool,
}

/// Identity of one side of a diff.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(not(target_arch = "wasm32"), derive(schemars::JsonSchema, ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct DiffSide {
    /// The world.
    pub world_id: String,
    /// The strategy.
    pub strategy_id: String,
    /// The run.
    pub run_id: String,
    /// The policy hash the side was gated with, when known.
    #[serde(default)]
    pub ruleset_hash: Option<String>,
}

/// One metric's change.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(not(target_arch = "wasm32"), derive(schemars::JsonSchema, ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct MetricDelta {
    /// `<block>.<metric>`, e.g. `returns.sharpe`, `custom.deflated_sharpe_ratio`.
    pub metric: String,
    /// Baseline value.
    pub baseline: Num,
    /// Current value.
    pub current: Num,
    /// `current − baseline`.
    pub delta: Num,
    /// `(current − baseline) / |baseline|`; null when the baseline is 0 or not finite.
    pub relative: Option<Num>,
}

/// A value before and after.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(not(target_arch = "wasm32"), derive(schemars::JsonSchema, ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct Change<T> {
    /// Baseline value.
    pub baseline: T,
    /// Current value.
    pub current: T,
    /// `baseline != current`.
    pub changed: bool,
}

impl<T: PartialEq> Change<T> {
    fn of(baseline: T, current: T) -> Self {
        let changed = baseline != current;
        Change {
            baseline,
            current,
            changed,
        }
    }
}

/// The difference between two evaluations.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(not(target_arch = "wasm32"), derive(schemars::JsonSchema, ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct Diff {
    /// The earlier evaluation.
    pub baseline: DiffSide,
    /// The later evaluation.
    pub current: DiffSide,
    /// Every numeric metric present (and non-null) on both sides, in block order.
    pub metrics: Vec<MetricDelta>,
    /// Metrics present on one side only, as `<block>.<metric>`.
    pub only_in_baseline: Vec<String>,
    /// Metrics present on the current side only.
    pub only_in_current: Vec<String>,
    /// The gating verdict before and after (`pending` when ungated).
    pub verdict: Change<Verdict>,
    /// Violations in current and not in baseline.
    pub violations_added: Vec<Violation>,
    /// Violations in baseline and not in current.
    pub violations_removed: Vec<Violation>,
    /// Rank before and after.
    pub rank: Change<Option<u32>>,
    /// Weight before and after.
    pub weight: Change<Option<Num>>,
    /// Caveats, e.g. that the worlds or policies differ (when allowed).
    pub notes: Vec<String>,
}

/// One side, whatever document it came from.
struct Subject {
    side: DiffSide,
    metrics: EvaluationMetrics,
}

impl Subject {
    fn from_snapshot(s: Snapshot) -> Self {
        let hash = s
            .provenance
            .as_ref()
            .and_then(|p| p.ruleset_hash.clone())
            .or_else(|| {
                s.metrics
                    .gating
                    .as_ref()
                    .and_then(|g| g.ruleset_hash.clone())
            });
        Subject {
            side: DiffSide {
                world_id: s.world_id,
                strategy_id: s.strategy_id,
                run_id: s.run_id,
                ruleset_hash: hash,
            },
            metrics: s.metrics,
        }
    }

    fn from_run(r: Run) -> Self {
        let mut metrics = r.metrics.unwrap_or_default();
        if metrics.gating.is_none() {
            metrics.gating = r.decision;
        }
        let hash = r
            .status
            .ruleset_hash
            .clone()
            .or_else(|| metrics.gating.as_ref().and_then(|g| g.ruleset_hash.clone()));
        Subject {
            side: DiffSide {
                world_id: r.status.world_id,
                strategy_id: r.status.strategy_id,
                run_id: r.status.run_id,
                ruleset_hash: hash,
            },
            metrics,
        }
    }

    /// A snapshot (has `snapshot_id`) or a run record (has a `status` object).
    fn from_value(v: &Value, path: &str) -> Result<Self, Error> {
        if v.get("status").is_some_and(Value::is_object) {
            from_value::<Run>(v)
                .map(Subject::from_run)
                .map_err(|e| e.within(path))
        } else {
            from_value::<Snapshot>(v)
                .map(Subject::from_snapshot)
                .map_err(|e| e.within(path))
        }
    }
}

/// Diffs two documents, each a snapshot envelope or a run record.
///
/// # Errors
/// `E_SCHEMA` (path under `/baseline` or `/current`) when a side is neither; otherwise as
/// [`diff_snapshots`].
pub fn diff_documents(
    baseline: &Value,
    current: &Value,
    opts: &DiffOptions,
) -> Result<Diff, Error> {
    let a = Subject::from_value(baseline, "/baseline")?;
    let b = Subject::from_value(current, "/current")?;
    diff_subjects(a, b, opts)
}

/// Diffs two snapshots.
///
/// # Errors
/// `E_NOT_COMPARABLE` (path `/world_id` or `/ruleset_hash`) when the worlds differ and
/// `allow_cross_world` is off, or both sides name a ruleset hash, they differ, and
/// `allow_policy_change` is off.
pub fn diff_snapshots(
    baseline: &Snapshot,
    current: &Snapshot,
    opts: &DiffOptions,
) -> Result<Diff, Error> {
    diff_subjects(
        Subject::from_snapshot(baseline.clone()),
        Subject::from_snapshot(current.clone()),
        opts,
    )
}

/// Diffs two run records.
///
/// # Errors
/// As [`diff_snapshots`].
pub fn diff_runs(baseline: &Run, current: &Run, opts: &DiffOptions) -> Result<Diff, Error> {
    diff_subjects(
        Subject::from_run(baseline.clone()),
        Subject::from_run(current.clone()),
        opts,
    )
}

/// The diff of two subjects; see [`diff_snapshots`] for the contract.
fn diff_subjects(a: Subject, b: Subject, opts: &DiffOptions) -> Result<Diff, Error> {
    let notes = comparability(&a.side, &b.side, opts)?;
    let before = numeric_metrics(&a.metrics);
    let after = numeric_metrics(&b.metrics);
    let (metrics, only_in_baseline, only_in_current) = metric_deltas(&before, &after);
    let ga = a.metrics.gating.clone().unwrap_or_default();
    let gb = b.metrics.gating.clone().unwrap_or_default();
    let key = |v: &Violation| (v.code.clone(), v.rule.clone(), v.metric.clone());
    let added = gb
        .violations
        .iter()
        .filter(|v| !ga.violations.iter().any(|w| key(w) == key(v)))
        .cloned()
        .collect();
    let removed = ga
        .violations
        .iter()
        .filter(|v| !gb.violations.iter().any(|w| key(w) == key(v)))
        .cloned()
        .collect();
    Ok(Diff {
        verdict: Change::of(ga.verdict, gb.verdict),
        rank: Change::of(ga.rank, gb.rank),
        weight: Change::of(ga.weight, gb.weight),
        baseline: a.side,
        current: b.side,
        metrics,
        only_in_baseline,
        only_in_current,
        violations_added: added,
        violations_removed: removed,
        notes,
    })
}

/// Whether the sides may be compared: the notes on what differs (another world, another
/// policy hash, a policy hash on one side only).
///
/// # Errors
/// `E_NOT_COMPARABLE` at `/world_id` for sides of different worlds without
/// `allow_cross_world`, at `/ruleset_hash` for different policy hashes without
/// `allow_policy_change`.
fn comparability(a: &DiffSide, b: &DiffSide, opts: &DiffOptions) -> Result<Vec<String>, Error> {
    let mut notes = Vec::new();
    if a.world_id != b.world_id {
        let reason = format!(
            "baseline is from world `{}`, current from world `{}`",
            a.world_id, b.world_id
        );
        if !opts.allow_cross_world {
            return Err(Error::new(Code::NotComparable, "/world_id", reason)
                .with_help("set `allow_cross_world` to compare anyway"));
        }
        notes.push(reason);
    }
    match (&a.ruleset_hash, &b.ruleset_hash) {
        (Some(x), Some(y)) if x != y => {
            let reason = format!("baseline was gated by policy `{x}`, current by `{y}`");
            if !opts.allow_policy_change {
                return Err(Error::new(Code::NotComparable, "/ruleset_hash", reason)
                    .with_help("set `allow_policy_change` to compare anyway"));
            }
            notes.push(reason);
        }
        (Some(_), None) | (None, Some(_)) => {
            notes.push("only one side records its policy hash".to_string());
        }
        _ => {}
    }
    Ok(notes)
}

/// The deltas of the metrics on both sides (in the baseline's order; `relative` only for a
/// finite non-zero baseline), and the names only in the baseline, only in the current.
fn metric_deltas(
    before: &[(String, f64)],
    after: &[(String, f64)],
) -> (Vec<MetricDelta>, Vec<String>, Vec<String>) {
    let mut metrics = Vec::new();
    let mut only_in_baseline = Vec::new();
    for (name, x) in before {
        match after.iter().find(|(n, _)| n == name) {
            Some((_, y)) => {
                let delta = y - x;
                let relative = (x.is_finite() && *x != 0.0).then(|| Num(delta / x.abs()));
                metrics.push(MetricDelta {
                    metric: name.clone(),
                    baseline: Num(*x),
                    current: Num(*y),
                    delta: Num(delta),
                    relative,
                });
            }
            None => only_in_baseline.push(name.clone()),
        }
    }
    let only_in_current = after
        .iter()
        .filter(|(n, _)| !before.iter().any(|(m, _)| m == n))
        .map(|(n, _)| n.clone())
        .collect();
    (metrics, only_in_baseline, only_in_current)
}

/// `(<block>.<metric>, value)` for every non-null numeric field of the returns, pnl and risk
/// blocks and of `custom`, in declaration order.
fn numeric_metrics(m: &EvaluationMetrics) -> Vec<(String, f64)> {
    let mut out = Vec::new();
    let blocks = [
        ("returns", crate::json::to_value(&m.returns).ok()),
        ("pnl", crate::json::to_value(&m.pnl).ok()),
        ("risk", crate::json::to_value(&m.risk).ok()),
    ];
    for (block, v) in blocks {
        let Some(Value::Object(map)) = v else {
            continue;
        };
        for (k, v) in map {
            if let Some(x) = as_number(&v) {
                out.push((format!("{block}.{k}"), x));
            }
        }
    }
    for (k, v) in &m.custom {
        out.push((format!("custom.{k}"), v.0));
    }
    out
}

fn as_number(v: &Value) -> Option<f64> {
    match v {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => crate::schema::parse_non_finite(s),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn snap(world: &str, sharpe: f64, hash: &str, violations: Value, verdict: &str) -> Value {
        json!({
            "snapshot_id": "x", "world_id": world, "strategy_id": "s", "run_id": "r",
            "created_at": "1970-01-01T00:00:00Z",
            "metrics": {
                "returns": {"sample_count": 10, "sharpe": sharpe, "max_drawdown": -0.1},
                "custom": {"dsr": 0.0},
                "gating": {"verdict": verdict, "violations": violations, "rank": 2, "ruleset_hash": hash}
            }
        })
    }

    fn viol(code: &str) -> Value {
        json!({"code": code, "rule": "thresholds.s", "metric": "sharpe", "message": "m"})
    }

    #[test]
    fn deltas_verdict_and_violations() {
        let a = snap(
            "w",
            1.0,
            "sha256:p",
            json!([viol("threshold_min")]),
            "invalid",
        );
        let mut b = snap(
            "w",
            1.5,
            "sha256:p",
            json!([viol("metric_missing")]),
            "valid",
        );
        b["metrics"]["returns"]["max_drawdown"] = json!(null);
        b["metrics"]["custom"]["dsr"] = json!(0.5);
        let d = diff_documents(&a, &b, &DiffOptions::default()).unwrap();
        let names: Vec<_> = d.metrics.iter().map(|m| m.metric.as_str()).collect();
        assert_eq!(
            names,
            ["returns.sample_count", "returns.sharpe", "custom.dsr"]
        );
        let sharpe = &d.metrics[1];
        assert_eq!((sharpe.delta, sharpe.relative), (Num(0.5), Some(Num(0.5))));
        assert_eq!(d.metrics[2].relative, None); // baseline 0
        assert_eq!(d.only_in_baseline, ["returns.max_drawdown"]);
        assert!(d.verdict.changed);
        assert_eq!(d.violations_added[0].code, "metric_missing");
        assert_eq!(d.violations_removed[0].code, "threshold_min");
        assert!(!d.rank.changed);
    }

    #[test]
    fn refuses_across_worlds_and_policies_unless_allowed() {
        let a = snap("w1", 1.0, "sha256:p", json!([]), "valid");
        let b = snap("w2", 1.0, "sha256:q", json!([]), "valid");
        let e = diff_documents(&a, &b, &DiffOptions::default()).unwrap_err();
        assert_eq!(
            (e.code, e.path.as_str()),
            (Code::NotComparable, "/world_id")
        );
        let only_world = DiffOptions {
            allow_cross_world: true,
            ..DiffOptions::default()
        };
        let e = diff_documents(&a, &b, &only_world).unwrap_err();
        assert_eq!(
            (e.code, e.path.as_str()),
            (Code::NotComparable, "/ruleset_hash")
        );
        let both = DiffOptions {
            allow_cross_world: true,
            allow_policy_change: true,
        };
        assert_eq!(diff_documents(&a, &b, &both).unwrap().notes.len(), 2);
        let e = diff_documents(&json!({"nope": 1}), &a, &both).unwrap_err();
        assert_eq!(e.code, Code::Schema);
        assert!(e.path.starts_with("/baseline"));
    }
}
