//! The evaluation pipeline: thresholds (all strategies) → top-k by metric descending →
//! correlation (greedy in rank order) → hysteresis, then per-strategy rule results,
//! explanations, the final selection, weights and the next activation state.
//!
//! The rule results are QMTL's (`data_currency`, `sample`, `performance`, `risk_constraint`,
//! `robustness`, plus the extended layers) with QMTL's reason codes and details. Differences
//! between the dialects:
//!
//! | | `qmtl` | `strict` |
//! |---|---|---|
//! | strategy order | input order | sorted by id (input order never matters) |
//! | NaN / non-numeric metric | NaN passes every bound; non-numbers are absent | `metric_not_finite`, a blocking failure |
//! | top-k ties / missing metric | stable (input order); missing last | by id; missing / not-a-number last |
//! | unknown correlation | ρ = 0 | `on_unknown` (default `warn`: kept, reported) |
//! | correlation `blocked_by` | every kept strategy above the bound | the first one (no further pair is computed) |
//! | sample metrics | looked up among QMTL's five sample names, missing always fails | full lookup, `on_missing_metric` applies |
//! | selected with a blocking failure (e.g. a blocking robustness or layer rule) | stays selected | removed |

use super::correlation::{DEFAULT_MIN_OVERLAP, PairRho, SeriesCorrelator};
use super::explain::{Check, breaks, show, threshold_check, violations};
use super::hysteresis::{self, Blocked, Held};
use super::layers::{self, result};
use super::metrics_view::{Lookup, MetricsView};
use super::numfmt::py_float;
use super::resolve::{self, Resolved};
use super::{EvaluationInput, Policy, Previous};
use crate::schema::{
    ActivationState, CheckOutcome, Decision, Dialect, Explanation, MissingMetric, Note, Num, Owner,
    RuleResult, RuleResults, RuleStatus, Severity, StrategyDecision, ThresholdRule,
    UnknownCorrelation, Verdict,
};
use serde_json::{Map, Value, json};
use std::collections::{HashMap, HashSet};

const SAMPLE_KEYS: [&str; 5] = [
    "n_trades_total",
    "n_trades_per_year",
    "num_trades",
    "effective_history_years",
    "sample_days",
];

/// QMTL's grouping of a threshold metric into a rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Group {
    DataCurrency,
    Sample,
    Performance,
    Risk,
}

fn classify(metric: &str) -> Group {
    let n = metric.to_lowercase();
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

/// One failed threshold check, in QMTL's detail shape.
#[derive(Debug, Clone)]
enum Failure {
    BelowMin {
        metric: String,
        min: f64,
        value: f64,
    },
    AboveMax {
        metric: String,
        max: f64,
        value: f64,
    },
    Missing {
        metric: String,
        mode: MissingMetric,
    },
    NotFinite {
        metric: String,
    },
}

impl Failure {
    fn blocking(&self) -> bool {
        match self {
            Failure::Missing { mode, .. } => *mode == MissingMetric::Fail,
            _ => true,
        }
    }

    fn metric(&self) -> &str {
        match self {
            Failure::BelowMin { metric, .. }
            | Failure::AboveMax { metric, .. }
            | Failure::Missing { metric, .. }
            | Failure::NotFinite { metric } => metric,
        }
    }

    fn to_json(&self) -> Value {
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
    fn reason(&self) -> String {
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

fn num_json(v: f64) -> Value {
    serde_json::to_value(Num(v)).unwrap_or(Value::Null)
}

fn opt_json(v: Option<f64>) -> Value {
    v.map_or(Value::Null, num_json)
}

fn mode_str(m: MissingMetric) -> &'static str {
    match m {
        MissingMetric::Fail => "fail",
        MissingMetric::Warn => "warn",
        MissingMetric::Ignore => "ignore",
    }
}

/// Checks `rules` against one strategy: (failures, blocking, explanations).
fn check_thresholds<'r>(
    rules: impl Iterator<Item = (&'r String, &'r ThresholdRule)>,
    lookup: impl Fn(&str) -> Lookup,
    mode: MissingMetric,
    mut explain: Option<&mut Vec<Explanation>>,
) -> (Vec<Failure>, bool) {
    let mut failures = Vec::new();
    for (label, rule) in rules {
        let metric = rule.metric.as_str();
        let bounds = [(rule.min, true), (rule.max, false)];
        match lookup(metric) {
            Lookup::Value(v) => {
                for (b, is_min) in bounds {
                    let Some(b) = b else { continue };
                    if breaks(metric, v, b, is_min) {
                        failures.push(if is_min {
                            Failure::BelowMin {
                                metric: metric.into(),
                                min: b,
                                value: v,
                            }
                        } else {
                            Failure::AboveMax {
                                metric: metric.into(),
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
            missing @ (Lookup::Missing | Lookup::NotNumber) => {
                let not_number = missing == Lookup::NotNumber;
                if not_number {
                    failures.push(Failure::NotFinite {
                        metric: metric.into(),
                    });
                } else if mode != MissingMetric::Ignore {
                    failures.push(Failure::Missing {
                        metric: metric.into(),
                        mode,
                    });
                }
                if let Some(ex) = explain.as_deref_mut() {
                    for (b, is_min) in bounds {
                        let Some(b) = b else { continue };
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
                        ex.push(
                            Check::new(format!("thresholds.{label}"), outcome, code, msg)
                                .metric(metric)
                                .bound(b, if is_min { ">=" } else { "<=" })
                                .build(),
                        );
                    }
                }
            }
        }
    }
    let blocking = failures.iter().any(Failure::blocking);
    (failures, blocking)
}

/// Why the correlation pass dropped or flagged a candidate.
#[derive(Debug, Default, Clone)]
struct CorrOutcome {
    blocked_by: Vec<(String, f64)>,
    unknown: Vec<(String, &'static str)>,
    unknown_count: usize,
    /// Largest |ρ| met against kept strategies (signed ρ).
    max_seen: Option<f64>,
    dropped: bool,
    reached: bool,
}

/// Per-strategy facts gathered by the pipeline.
#[derive(Debug, Default, Clone)]
struct Facts {
    failures: Vec<Failure>,
    blocking: bool,
    rank: Option<usize>,
    in_top_k: bool,
    corr: CorrOutcome,
    blocked: Option<Blocked>,
    held: Option<Held>,
    explanations: Vec<Explanation>,
}

/// Evaluates `policy` over `input`.
pub(crate) fn evaluate(policy: &Policy, input: &EvaluationInput) -> Decision {
    let dialect = policy.dialect;
    let strict = dialect == Dialect::Strict;
    let doc = &policy.doc;
    let r = resolve::resolve(doc, input.stage.as_deref(), input.profile.as_deref());
    let mut notes = r.notes.clone();

    let mut ids: Vec<String> = input.metrics.keys().cloned().collect();
    if strict {
        ids.sort();
    }
    let views: Vec<MetricsView> = ids
        .iter()
        .map(|id| {
            input
                .metrics
                .get(id)
                .map_or_else(MetricsView::default, |v| MetricsView::new(v, dialect))
        })
        .collect();
    let index: HashMap<&str, usize> = ids
        .iter()
        .enumerate()
        .map(|(i, id)| (id.as_str(), i))
        .collect();

    let previous: ActivationState = match &input.previous {
        None => ActivationState::default(),
        Some(Previous::Active(list)) => ActivationState::from_active(list.iter().cloned()),
        Some(Previous::State(s)) => s.clone(),
    };
    let epoch_out = previous.epoch.saturating_add(1);
    let mut absent: Vec<&String> = previous
        .strategies
        .iter()
        .filter(|(id, s)| s.active && !index.contains_key(id.as_str()))
        .map(|(id, _)| id)
        .collect();
    absent.sort();
    for id in absent {
        notes.push(Note {
            code: "incumbent_absent".into(),
            strategy_id: Some(id.clone()),
            message: format!("previously active `{id}` has no metrics in this evaluation and leaves the active set"),
        });
    }
    let was_active = |id: &str| previous.strategies.get(id).is_some_and(|s| s.active);

    let mut facts: Vec<Facts> = vec![Facts::default(); ids.len()];

    // 1. Thresholds.
    let mut passed: Vec<usize> = Vec::new();
    for (i, (view, f)) in views.iter().zip(facts.iter_mut()).enumerate() {
        let (failures, blocking) = check_thresholds(
            r.thresholds.iter(),
            |m| view.get(m),
            r.missing,
            Some(&mut f.explanations),
        );
        f.failures = failures;
        f.blocking = blocking;
        if !blocking {
            passed.push(i);
        }
    }

    // 2. Top-k.
    let mut ranked: Vec<usize> = passed.clone();
    if let Some(tk) = r.top_k {
        let key = |i: usize| -> Option<f64> {
            views
                .get(i)
                .and_then(|v| v.num(&tk.metric))
                .filter(|x| !x.is_nan())
        };
        if strict {
            ranked.sort_by(|a, b| match (key(*a), key(*b)) {
                (Some(x), Some(y)) => y.total_cmp(&x).then_with(|| ids.get(*a).cmp(&ids.get(*b))),
                (Some(_), None) => std::cmp::Ordering::Less,
                (None, Some(_)) => std::cmp::Ordering::Greater,
                (None, None) => ids.get(*a).cmp(&ids.get(*b)),
            });
        } else {
            let k = |i: usize| key(i).unwrap_or(f64::NEG_INFINITY);
            ranked.sort_by(|a, b| k(*b).total_cmp(&k(*a)));
        }
    }
    let k = r.top_k.map_or(usize::MAX, |t| t.k as usize);
    for (pos, i) in ranked.iter().enumerate() {
        if let Some(f) = facts.get_mut(*i) {
            f.rank = Some(pos);
            f.in_top_k = pos < k;
        }
    }
    let top: Vec<usize> = ranked.iter().copied().take(k).collect();
    if let Some(tk) = r.top_k {
        for i in &passed {
            let (Some(f), Some(id)) = (facts.get_mut(*i), ids.get(*i)) else {
                continue;
            };
            let pos = f.rank.unwrap_or(0);
            let observed = views.get(*i).and_then(|v| v.num(&tk.metric));
            let incumbent = was_active(id);
            let (outcome, code, msg) = if f.in_top_k {
                (
                    CheckOutcome::Pass,
                    "ok",
                    format!(
                        "rank {} by `{}` is within the top {}",
                        pos + 1,
                        tk.metric,
                        tk.k
                    ),
                )
            } else if incumbent {
                (
                    CheckOutcome::Fail,
                    "incumbent_cut_by_top_k",
                    format!(
                        "previously active; rank {} by `{}` is outside the top {}",
                        pos + 1,
                        tk.metric,
                        tk.k
                    ),
                )
            } else {
                (
                    CheckOutcome::Fail,
                    "rank_outside_top_k",
                    format!(
                        "rank {} by `{}` is outside the top {}",
                        pos + 1,
                        tk.metric,
                        tk.k
                    ),
                )
            };
            f.explanations.push(
                Check::new("top_k", outcome, code, msg)
                    .metric(&tk.metric)
                    .observed(observed)
                    .bound(f64::from(tk.k), "rank<=")
                    .build(),
            );
        }
    }

    // 3. Correlation, greedy in rank order.
    let mut kept: Vec<usize> = top.clone();
    if let Some(cr) = r.correlation {
        let given = input.correlations.as_ref().filter(|c| !c.is_empty());
        let top_ids: Vec<&str> = top
            .iter()
            .filter_map(|i| ids.get(*i).map(String::as_str))
            .collect();
        let series = input.returns.as_ref().filter(|r| !r.is_empty()).map(|ret| {
            SeriesCorrelator::new(ret, &top_ids, cr.min_overlap.unwrap_or(DEFAULT_MIN_OVERLAP))
        });
        let on_unknown = cr.on_unknown.unwrap_or(if strict {
            UnknownCorrelation::Warn
        } else {
            UnknownCorrelation::Ignore
        });
        let no_data = given.is_none() && series.is_none();
        if no_data && !strict && cr.on_unknown.is_none() {
            // QMTL: without correlations the rule is skipped.
        } else {
            if no_data && top.len() > 1 {
                notes.push(Note {
                    code: "correlation_data_missing".into(),
                    strategy_id: None,
                    message: "a correlation rule is configured but neither correlations nor returns series were given".into(),
                });
            }
            let lookup = |a: &str, b: &str| -> PairRho {
                if let Some(rho) = given.and_then(|g| g.get(a, b)) {
                    return PairRho::Known(rho);
                }
                series.as_ref().map_or(PairRho::NoData, |s| s.rho(a, b))
            };
            // One pair: updates the outcome; true when the candidate needs no further pair.
            let visit = |out: &mut CorrOutcome, id: &str, other: &String| -> bool {
                match lookup(id, other) {
                    PairRho::Known(rho) => {
                        if out.max_seen.is_none_or(|m: f64| rho.abs() > m.abs()) {
                            out.max_seen = Some(rho);
                        }
                        if rho.abs() > cr.max {
                            out.blocked_by.push((other.clone(), rho));
                            // One blocker decides; strict reports the first and computes
                            // no further pair for this candidate.
                            return strict;
                        }
                    }
                    unknown if on_unknown != UnknownCorrelation::Ignore => {
                        out.unknown_count += 1;
                        if out.unknown.len() < 10 {
                            let why = match unknown {
                                PairRho::InsufficientOverlap { .. } => "insufficient_overlap",
                                PairRho::Undefined => "flat_series",
                                _ => "no_data",
                            };
                            out.unknown.push((other.clone(), why));
                        }
                    }
                    _ => {}
                }
                false
            };
            // Greedy in rank order, computed in tiles for cache locality: a block of
            // candidates is compared with the strategies kept before the block chunk by chunk
            // (each chunk's series stay in cache for the whole block), then in order with
            // those kept inside the block. Every candidate sees the same pairs in the same
            // order as a plain sequential pass, so the result is identical.
            const BLOCK: usize = 32;
            const CHUNK: usize = 32;
            kept = Vec::new();
            for block in top.chunks(BLOCK) {
                let mut outs: Vec<(CorrOutcome, bool)> = block
                    .iter()
                    .map(|_| {
                        (
                            CorrOutcome {
                                reached: true,
                                ..CorrOutcome::default()
                            },
                            false,
                        )
                    })
                    .collect();
                let before = kept.len();
                for chunk in kept.chunks(CHUNK) {
                    for (i, (out, done)) in block.iter().zip(outs.iter_mut()) {
                        let Some(id) = ids.get(*i) else { continue };
                        for j in chunk {
                            if *done {
                                break;
                            }
                            let Some(other) = ids.get(*j) else { continue };
                            *done = visit(out, id, other);
                        }
                    }
                }
                for (i, (mut out, mut done)) in block.iter().zip(outs) {
                    let Some(id) = ids.get(*i) else { continue };
                    for j in kept.get(before..).unwrap_or_default().to_vec() {
                        if done {
                            break;
                        }
                        let Some(other) = ids.get(j) else { continue };
                        done = visit(&mut out, id, other);
                    }
                    out.dropped = !out.blocked_by.is_empty()
                        || (on_unknown == UnknownCorrelation::Fail && out.unknown_count > 0);
                    if !out.dropped {
                        kept.push(*i);
                    }
                    if let Some(f) = facts.get_mut(*i) {
                        f.corr = out;
                    }
                }
            }
        }
        for i in &top {
            let (Some(f), Some(id)) = (facts.get_mut(*i), ids.get(*i)) else {
                continue;
            };
            let c = &f.corr;
            let check = if !c.reached {
                Check::new(
                    "correlation",
                    CheckOutcome::Skipped,
                    "not_evaluated",
                    "no correlation data; the rule was skipped".into(),
                )
            } else if let Some((other, rho)) = c.blocked_by.first() {
                let code = if was_active(id) {
                    "incumbent_cut_by_correlation"
                } else {
                    "correlation_exceeded"
                };
                Check::new(
                    "correlation",
                    CheckOutcome::Fail,
                    code,
                    format!(
                        "|rho| {} with already selected `{other}` exceeds the maximum {}",
                        show(rho.abs()),
                        show(cr.max)
                    ),
                )
                .observed(Some(*rho))
            } else if c.unknown_count > 0 {
                let outcome = if c.dropped {
                    CheckOutcome::Fail
                } else {
                    CheckOutcome::Warn
                };
                let (other, why) = c.unknown.first().cloned().unwrap_or_default();
                Check::new("correlation", outcome, "correlation_unknown", format!("correlation with {} already selected strateg{} unknown (first: `{other}`, {why})", c.unknown_count, if c.unknown_count == 1 { "y is" } else { "ies is" }))
                    .observed(c.max_seen)
            } else {
                Check::new(
                    "correlation",
                    CheckOutcome::Pass,
                    "ok",
                    match c.max_seen {
                        Some(m) => format!(
                            "largest |rho| with already selected strategies is {}, within {}",
                            show(m.abs()),
                            show(cr.max)
                        ),
                        None => "no already selected strategy to compare with".into(),
                    },
                )
                .observed(c.max_seen)
            };
            f.explanations.push(check.bound(cr.max, "|rho|<=").build());
        }
    }

    // 4. Hysteresis.
    let kept_ids: Vec<String> = kept.iter().filter_map(|i| ids.get(*i).cloned()).collect();
    let mut counters: HashMap<String, (u32, u32)> = HashMap::new();
    let mut selected: Vec<String> = kept_ids.clone();
    if let Some(h) = r.hysteresis {
        let band = hysteresis::apply(
            &kept_ids,
            |id| {
                index
                    .get(id)
                    .and_then(|i| views.get(*i))
                    .map_or(Lookup::Missing, |v| v.get(&h.metric))
            },
            &previous,
            h,
            epoch_out,
            dialect,
        );
        for id in &kept_ids {
            let Some(i) = index.get(id.as_str()) else {
                continue;
            };
            let Some(f) = facts.get_mut(*i) else { continue };
            f.blocked = band.blocked.get(id).copied();
            f.held = band.held.get(id).copied();
            let v = views.get(*i).map_or(Lookup::Missing, |m| m.get(&h.metric));
            let incumbent = was_active(id);
            let (bound, word) = if incumbent {
                (h.exit, "exit")
            } else {
                (h.enter, "enter")
            };
            let shown = match v {
                Lookup::Value(x) => format!("`{}` {}", h.metric, show(x)),
                _ => format!("`{}`", h.metric),
            };
            let (outcome, code, msg) = match (f.blocked, f.held) {
                (Some(Blocked::Exit), _) => (
                    CheckOutcome::Fail,
                    "hysteresis_exit",
                    format!("previously active; {shown} is below exit {}", show(h.exit)),
                ),
                (Some(Blocked::NotEntered), _) => (
                    CheckOutcome::Fail,
                    "hysteresis_not_entered",
                    format!("{shown} is below enter {}", show(h.enter)),
                ),
                (Some(Blocked::PromotionPending { passes, needed }), _) => (
                    CheckOutcome::Fail,
                    "hysteresis_promotion_pending",
                    format!(
                        "{shown} reached enter {} {passes} time(s) in a row; {needed} needed",
                        show(h.enter)
                    ),
                ),
                (Some(Blocked::MinDwell { dwell, needed }), _) => (
                    CheckOutcome::Fail,
                    "hysteresis_min_dwell",
                    format!("left the active set {dwell} evaluation(s) ago; min_dwell is {needed}"),
                ),
                (Some(Blocked::MetricMissing), _) => (
                    CheckOutcome::Fail,
                    "hysteresis_metric_missing",
                    format!("{shown} is missing"),
                ),
                (Some(Blocked::MetricNotFinite), _) => (
                    CheckOutcome::Fail,
                    "metric_not_finite",
                    format!("{shown} is not a finite number"),
                ),
                (Some(Blocked::SilentlyDropped), _) => (
                    CheckOutcome::Fail,
                    "hysteresis_metric_missing",
                    format!("{shown} is missing; dropped without a rule result, as QMTL does"),
                ),
                (None, Some(Held::DemotionPending { fails, needed })) => (
                    CheckOutcome::Warn,
                    "hysteresis_demotion_pending",
                    format!(
                        "previously active; {shown} is below exit {} {fails} time(s) in a row; {needed} needed to leave",
                        show(h.exit)
                    ),
                ),
                (None, Some(Held::MinDwell { dwell, needed })) => (
                    CheckOutcome::Warn,
                    "hysteresis_min_dwell",
                    format!(
                        "previously active; {shown} is below exit {} but active for only {dwell} evaluation(s); min_dwell is {needed}",
                        show(h.exit)
                    ),
                ),
                (None, None) => (
                    CheckOutcome::Pass,
                    "ok",
                    format!("{shown} is at or above {word} {}", show(bound)),
                ),
            };
            f.explanations.push(
                Check::new("hysteresis", outcome, code, msg)
                    .metric(&h.metric)
                    .observed(v.value())
                    .bound(bound, ">=")
                    .build(),
            );
        }
        counters = band.counters;
        selected = band.selected;
    }

    // 5. Rule results.
    let results = rule_results(
        &r,
        dialect,
        &ids,
        &views,
        &facts,
        &previous,
        input.stage.as_deref(),
    );

    // 6. Summary, final selection (strict drops blocking failures), weights, state.
    let statuses: Vec<RuleStatus> = results.iter().map(summary).collect();
    if strict {
        selected.retain(|id| {
            let keep =
                index.get(id.as_str()).and_then(|i| statuses.get(*i)) != Some(&RuleStatus::Fail);
            if !keep {
                counters.insert(
                    id.clone(),
                    (
                        0,
                        previous
                            .strategies
                            .get(id)
                            .map_or(0, |s| s.fails)
                            .saturating_add(1),
                    ),
                );
            }
            keep
        });
    }
    let selected_set: HashSet<&str> = selected.iter().map(String::as_str).collect();
    let sel_refs: Vec<&str> = selected.iter().map(String::as_str).collect();
    let (weights, wnotes) = super::weight::weights(
        &sel_refs,
        |id| index.get(id).and_then(|i| views.get(*i)),
        doc.weighting.as_ref(),
        r.top_k.map(|t| t.metric.as_str()),
    );
    notes.extend(wnotes);
    let weight_of: HashMap<&str, f64> = sel_refs.iter().copied().zip(weights).collect();
    let state = hysteresis::next_state(&ids, &selected_set, &counters, &previous, epoch_out);

    let mut strategies = indexmap::IndexMap::new();
    for (((id, f), rr), status) in ids.iter().zip(facts).zip(results).zip(statuses) {
        let is_sel = selected_set.contains(id.as_str());
        let mut explanations = f.explanations;
        explanations.extend(rule_explanations(&rr, &r));
        if strict
            && !is_sel
            && status == RuleStatus::Fail
            && f.blocked.is_none()
            && !f.corr.dropped
            && f.in_top_k
            && !f.blocking
        {
            explanations.push(
                Check::new(
                    "summary",
                    CheckOutcome::Fail,
                    "blocking_rule_failed",
                    "a blocking rule failed; the strategy is not selected".into(),
                )
                .build(),
            );
        }
        let verdict = match (is_sel, status) {
            (true, RuleStatus::Pass) => Verdict::Valid,
            (true, _) => Verdict::Warn,
            (false, _) => Verdict::Invalid,
        };
        let rank = match (r.top_k, dialect) {
            (None, Dialect::Strict) => None,
            _ => f.rank.map(|p| u32::try_from(p + 1).unwrap_or(u32::MAX)),
        };
        strategies.insert(
            id.clone(),
            StrategyDecision {
                status,
                verdict,
                selected: is_sel,
                rank,
                weight: weight_of.get(id.as_str()).copied().map(Num),
                rule_results: rr,
                violations: violations(&explanations),
                explanations,
            },
        );
    }

    Decision {
        dialect,
        selected,
        profile: r.profile.clone(),
        recommended_stage: r.recommended_stage.clone(),
        ruleset_hash: policy.hash.clone(),
        strategies,
        state,
        notes,
    }
}

/// A blocking failure → fail; any other failure or warning → warn; else pass.
fn summary(rr: &RuleResults) -> RuleStatus {
    let mut out = RuleStatus::Pass;
    for (_, r) in rr.iter() {
        match (r.status, r.severity) {
            (RuleStatus::Fail, Severity::Blocking) => return RuleStatus::Fail,
            (RuleStatus::Fail | RuleStatus::Warn, _) => out = RuleStatus::Warn,
            _ => {}
        }
    }
    out
}

/// Explanations for rule-level outcomes not already explained by a threshold/ranking check.
fn rule_explanations(rr: &RuleResults, r: &Resolved<'_>) -> Vec<Explanation> {
    let mut out = Vec::new();
    let outcome = |s: RuleStatus| match s {
        RuleStatus::Pass => CheckOutcome::Pass,
        RuleStatus::Warn => CheckOutcome::Warn,
        RuleStatus::Fail => CheckOutcome::Fail,
    };
    if rr.data_currency.status != RuleStatus::Pass {
        out.push(
            Check::new(
                "data_currency",
                outcome(rr.data_currency.status),
                &rr.data_currency.reason_code,
                rr.data_currency.reason.to_lowercase(),
            )
            .build(),
        );
    }
    if rr.sample.reason_code == "sample_metrics_missing" {
        out.push(
            Check::new(
                "sample",
                CheckOutcome::Warn,
                "sample_metrics_missing",
                "no sample metrics found".into(),
            )
            .build(),
        );
    }
    let rob = r.profile_cfg.and_then(|p| p.robustness.as_ref());
    let d = &rr.robustness.details;
    let get = |k: &str| d.get(k).and_then(Value::as_f64);
    if let Some(min) = rob.and_then(|p| p.dsr_min) {
        let v = get("deflated_sharpe_ratio");
        let (o, code, msg) = match v {
            None => (
                CheckOutcome::Warn,
                "dsr_missing",
                "`deflated_sharpe_ratio` is missing".to_string(),
            ),
            Some(x) if x < min => (
                outcome(rr.robustness.status),
                "dsr_below_min",
                format!(
                    "`deflated_sharpe_ratio` {} is below the minimum {}",
                    show(x),
                    show(min)
                ),
            ),
            Some(x) => (
                CheckOutcome::Pass,
                "ok",
                format!(
                    "`deflated_sharpe_ratio` {} is at or above the minimum {}",
                    show(x),
                    show(min)
                ),
            ),
        };
        out.push(
            Check::new("robustness.dsr_min", o, code, msg)
                .metric("deflated_sharpe_ratio")
                .observed(v)
                .bound(min, ">=")
                .build(),
        );
    }
    if let Some(max) = rob.and_then(|p| p.cv_sharpe_gap_max) {
        let gap = get("sharpe_gap");
        let (o, code, msg) = match gap {
            None => (
                CheckOutcome::Skipped,
                "sharpe_halves_missing",
                "`sharpe_first_half` or `sharpe_second_half` is missing; not checked".to_string(),
            ),
            Some(g) if g > max => (
                outcome(rr.robustness.status),
                "cv_sharpe_gap_exceeds_max",
                format!(
                    "|sharpe_first_half - sharpe_second_half| = {} exceeds {}",
                    show(g),
                    show(max)
                ),
            ),
            Some(g) => (
                CheckOutcome::Pass,
                "ok",
                format!(
                    "|sharpe_first_half - sharpe_second_half| = {} is within {}",
                    show(g),
                    show(max)
                ),
            ),
        };
        out.push(
            Check::new("robustness.cv_sharpe_gap_max", o, code, msg)
                .observed(gap)
                .bound(max, "<=")
                .build(),
        );
    }
    for (name, res) in [
        ("cohort", &rr.cohort),
        ("portfolio", &rr.portfolio),
        ("stress", &rr.stress),
        ("live_monitoring", &rr.live_monitoring),
    ] {
        if let Some(res) = res
            && res.status != RuleStatus::Pass
        {
            out.push(
                Check::new(
                    name,
                    outcome(res.status),
                    &res.reason_code,
                    res.reason.clone(),
                )
                .build(),
            );
        }
    }
    out
}

#[allow(clippy::too_many_arguments)]
fn rule_results(
    r: &Resolved<'_>,
    dialect: Dialect,
    ids: &[String],
    views: &[MetricsView],
    facts: &[Facts],
    previous: &ActivationState,
    stage: Option<&str>,
) -> Vec<RuleResults> {
    let strict = dialect == Dialect::Strict;
    let prof = r.profile_cfg;
    let sample_cfg = prof.and_then(|p| p.sample.as_ref());
    let perf_cfg = prof.and_then(|p| p.performance.as_ref());
    let risk_cfg = prof.and_then(|p| p.risk.as_ref());
    let rob_cfg = prof.and_then(|p| p.robustness.as_ref());
    let sample_sev = sample_cfg
        .and_then(|s| s.severity)
        .unwrap_or(Severity::Soft);
    let sample_owner = sample_cfg.and_then(|s| s.owner).unwrap_or(Owner::Quant);
    let perf_sev = perf_cfg
        .and_then(|s| s.severity)
        .unwrap_or(Severity::Blocking);
    let perf_owner = perf_cfg.and_then(|s| s.owner).unwrap_or(Owner::Quant);
    let risk_sev = risk_cfg
        .and_then(|s| s.severity)
        .unwrap_or(Severity::Blocking);
    let risk_owner = risk_cfg.and_then(|s| s.owner).unwrap_or(Owner::Risk);
    let rob_sev = rob_cfg.and_then(|s| s.severity).unwrap_or(Severity::Soft);
    let rob_owner = rob_cfg.and_then(|s| s.owner).unwrap_or(Owner::Quant);

    let required: Vec<&str> = r
        .thresholds
        .values()
        .filter(|t| classify(&t.metric) == Group::DataCurrency)
        .map(|t| t.metric.as_str())
        .collect();
    // Sample thresholds keyed by metric (a later rule on the same metric replaces an earlier).
    let mut sample_rules: indexmap::IndexMap<String, ThresholdRule> = indexmap::IndexMap::new();
    for t in r
        .thresholds
        .values()
        .filter(|t| classify(&t.metric) == Group::Sample)
    {
        sample_rules.insert(t.metric.clone(), t.clone());
    }

    let cohort = r_doc_layers(r, ids, views, stage, dialect);

    ids.iter()
        .zip(views)
        .zip(facts)
        .enumerate()
        .map(|(i, ((id, view), f))| {
            // data_currency
            let mode = r.missing;
            let mut dc_sev = Severity::Blocking;
            let missing: Vec<&str> = required
                .iter()
                .copied()
                .filter(|m| view.get(m) == Lookup::Missing)
                .collect();
            let (dc_status, dc_code, dc_reason) = if view.is_empty() {
                if mode == MissingMetric::Ignore {
                    dc_sev = Severity::Info;
                }
                let st = if mode == MissingMetric::Fail {
                    RuleStatus::Fail
                } else {
                    RuleStatus::Warn
                };
                (
                    st,
                    "metrics_missing",
                    "No metrics provided for strategy".to_string(),
                )
            } else if !missing.is_empty() {
                let mut sorted = missing.clone();
                sorted.sort_unstable();
                let reason = format!("Missing metrics: {}", sorted.join(", "));
                match mode {
                    MissingMetric::Fail => (RuleStatus::Fail, "missing_metric", reason),
                    MissingMetric::Warn => (RuleStatus::Warn, "missing_metric", reason),
                    MissingMetric::Ignore => {
                        dc_sev = Severity::Info;
                        (RuleStatus::Warn, "missing_metric_ignored", reason)
                    }
                }
            } else {
                (
                    RuleStatus::Pass,
                    "data_currency_ok",
                    "Required metrics present".to_string(),
                )
            };
            let mut available: Vec<&str> = view.numeric_names().map(|(k, _)| k).collect();
            available.sort_unstable();
            let mut d = Map::new();
            d.insert("missing_metrics".into(), json!(missing));
            d.insert("available_metrics".into(), json!(available));
            d.insert("policy_on_missing_metric".into(), json!(mode_str(mode)));
            let data_currency = result(
                dc_status,
                dc_sev,
                Owner::Ops,
                dc_code,
                dc_reason,
                &["data_currency"],
                d,
            );

            // sample
            let mut sample_metrics = Map::new();
            for (k, v) in view.numeric_names() {
                if SAMPLE_KEYS.contains(&k) {
                    sample_metrics.insert(k.to_string(), num_json(v));
                }
            }
            let sample = {
                let (failures, blocking) = if sample_rules.is_empty() {
                    (Vec::new(), false)
                } else if strict {
                    check_thresholds(sample_rules.iter(), |m| view.get(m), mode, None)
                } else {
                    let lookup = |m: &str| {
                        if SAMPLE_KEYS.contains(&m) {
                            view.num(m).map_or(Lookup::Missing, Lookup::Value)
                        } else {
                            Lookup::Missing
                        }
                    };
                    check_thresholds(sample_rules.iter(), lookup, MissingMetric::Fail, None)
                };
                if !failures.is_empty() {
                    let names: Vec<&str> = failures.iter().map(Failure::metric).collect();
                    let mut d = Map::new();
                    d.insert(
                        "violations".into(),
                        Value::Array(failures.iter().map(Failure::to_json).collect()),
                    );
                    let st = if blocking || !strict {
                        RuleStatus::Fail
                    } else {
                        RuleStatus::Warn
                    };
                    result(
                        st,
                        sample_sev,
                        sample_owner,
                        "sample_thresholds_failed",
                        format!("Sample thresholds failed: {}", names.join(", ")),
                        &["sample"],
                        d,
                    )
                } else {
                    let present = sample_metrics
                        .values()
                        .any(|v| v.as_f64().is_some_and(|x| x > 0.0));
                    let mut d = Map::new();
                    d.insert("sample_metrics".into(), Value::Object(sample_metrics));
                    if present {
                        result(
                            RuleStatus::Pass,
                            sample_sev,
                            sample_owner,
                            "sample_ok",
                            "Sample depth present".into(),
                            &["sample"],
                            d,
                        )
                    } else {
                        result(
                            RuleStatus::Warn,
                            sample_sev,
                            sample_owner,
                            "sample_metrics_missing",
                            "No sample metrics found".into(),
                            &["sample"],
                            d,
                        )
                    }
                }
            };

            // performance
            let blocking: Vec<&Failure> = f.failures.iter().filter(|x| x.blocking()).collect();
            let performance = if let Some(first) = blocking.first() {
                let mut d = Map::new();
                d.insert(
                    "violations".into(),
                    Value::Array(blocking.iter().map(|x| x.to_json()).collect()),
                );
                result(
                    RuleStatus::Fail,
                    perf_sev,
                    perf_owner,
                    "performance_thresholds_failed",
                    first.reason(),
                    &["performance", "thresholds"],
                    d,
                )
            } else if f
                .failures
                .iter()
                .any(|x| matches!(x, Failure::Missing { .. }))
            {
                let names: Vec<&str> = f
                    .failures
                    .iter()
                    .filter(|x| matches!(x, Failure::Missing { .. }))
                    .map(Failure::metric)
                    .collect();
                let mut d = Map::new();
                d.insert(
                    "violations".into(),
                    Value::Array(f.failures.iter().map(Failure::to_json).collect()),
                );
                d.insert("policy_on_missing_metric".into(), json!(mode_str(mode)));
                let st = if mode == MissingMetric::Fail {
                    RuleStatus::Fail
                } else {
                    RuleStatus::Warn
                };
                result(
                    st,
                    perf_sev,
                    perf_owner,
                    "performance_metrics_missing",
                    format!("Missing metrics: {}", names.join(", ")),
                    &["performance", "thresholds"],
                    d,
                )
            } else if let Some(tk) = r.top_k.filter(|_| !f.in_top_k) {
                let mut d = Map::new();
                d.insert("rank".into(), f.rank.map_or(Value::Null, |x| json!(x)));
                d.insert("top_k".into(), json!(tk.k));
                let reason = match f.rank {
                    Some(x) => format!("Rank {} outside top_k={}", x + 1, tk.k),
                    None => format!("Not selected by top_k={}", tk.k),
                };
                result(
                    RuleStatus::Fail,
                    perf_sev,
                    perf_owner,
                    "performance_rank_outside_top_k",
                    reason,
                    &["performance", "thresholds", "top_k"],
                    d,
                )
            } else {
                let mut d = Map::new();
                d.insert("rank".into(), f.rank.map_or(Value::Null, |x| json!(x)));
                d.insert("top_k".into(), r.top_k.map_or(Value::Null, |t| json!(t.k)));
                result(
                    RuleStatus::Pass,
                    perf_sev,
                    perf_owner,
                    "performance_ok",
                    "Passed thresholds and ranking".into(),
                    &["performance", "thresholds"],
                    d,
                )
            };

            // risk_constraint
            let risk_constraint = risk_result(
                r,
                f,
                view,
                previous.strategies.get(id).is_some_and(|s| s.active),
                risk_sev,
                risk_owner,
            );

            // robustness
            let robustness = {
                let dsr = view.num("deflated_sharpe_ratio");
                let first = view.num("sharpe_first_half");
                let second = view.num("sharpe_second_half");
                let mut d = Map::new();
                d.insert("deflated_sharpe_ratio".into(), opt_json(dsr));
                d.insert("sharpe_first_half".into(), opt_json(first));
                d.insert("sharpe_second_half".into(), opt_json(second));
                d.insert(
                    "cv_sharpe_mean".into(),
                    opt_json(view.num("cv_sharpe_mean")),
                );
                d.insert("cv_sharpe_std".into(), opt_json(view.num("cv_sharpe_std")));
                let mut reasons: Vec<&str> = Vec::new();
                let mut status = RuleStatus::Pass;
                if let Some(min) = rob_cfg.and_then(|c| c.dsr_min) {
                    match dsr {
                        None => {
                            status = RuleStatus::Warn;
                            reasons.push("dsr_missing");
                        }
                        Some(x) if x < min => {
                            status = RuleStatus::Fail;
                            reasons.push("dsr_below_min");
                            d.insert("dsr_min".into(), json!(min));
                        }
                        Some(_) => {}
                    }
                }
                if let Some(max) = rob_cfg.and_then(|c| c.cv_sharpe_gap_max)
                    && let (Some(a), Some(b)) = (first, second)
                {
                    let gap = (a - b).abs();
                    d.insert("sharpe_gap".into(), num_json(gap));
                    if gap > max {
                        status = RuleStatus::Fail;
                        reasons.push("cv_sharpe_gap_exceeds_max");
                        d.insert("cv_sharpe_gap_max".into(), json!(max));
                    }
                }
                let (code, reason) = match reasons.first() {
                    Some(c) => ((*c).to_string(), reasons.join(", ")),
                    None => (
                        "robustness_ok".to_string(),
                        "Robustness checks passed".to_string(),
                    ),
                };
                result(
                    status,
                    rob_sev,
                    rob_owner,
                    &code,
                    reason,
                    &["robustness"],
                    d,
                )
            };

            RuleResults {
                data_currency,
                sample,
                performance,
                risk_constraint,
                robustness,
                cohort: cohort.0.as_ref().and_then(|v| v.get(i).cloned()),
                portfolio: cohort.1.as_ref().and_then(|v| v.get(i).cloned()),
                stress: cohort.2.as_ref().and_then(|v| v.get(i).cloned()),
                live_monitoring: cohort.3.clone(),
            }
        })
        .collect()
}

type LayerResults = (
    Option<Vec<RuleResult>>,
    Option<Vec<RuleResult>>,
    Option<Vec<RuleResult>>,
    Option<RuleResult>,
);

fn r_doc_layers(
    r: &Resolved<'_>,
    ids: &[String],
    views: &[MetricsView],
    stage: Option<&str>,
    dialect: Dialect,
) -> LayerResults {
    let doc = r.doc;
    (
        doc.cohort.as_ref().map(|c| layers::cohort(c, ids, views)),
        doc.portfolio.as_ref().map(|c| layers::portfolio(c, views)),
        doc.stress
            .as_ref()
            .map(|c| layers::stress(c, views, stage, dialect)),
        doc.live_monitoring
            .as_ref()
            .map(|c| layers::live(c, views, dialect)),
    )
}

fn risk_result(
    r: &Resolved<'_>,
    f: &Facts,
    view: &MetricsView,
    previously_active: bool,
    sev: Severity,
    owner: Owner,
) -> RuleResult {
    if let Some(cr) = r.correlation
        && f.corr.dropped
    {
        if !f.corr.blocked_by.is_empty() {
            let blocked: Vec<Value> = f
                .corr
                .blocked_by
                .iter()
                .map(|(o, rho)| json!({"strategy_id": o, "correlation": rho}))
                .collect();
            let mut d = Map::new();
            d.insert("blocked_by".into(), Value::Array(blocked));
            return result(
                RuleStatus::Fail,
                sev,
                owner,
                "correlation_constraint_failed",
                format!("Correlation exceeds max {}", py_float(cr.max)),
                &["risk"],
                d,
            );
        }
        let mut d = Map::new();
        d.insert(
            "unknown_with".into(),
            json!(
                f.corr
                    .unknown
                    .iter()
                    .map(|(o, why)| json!({"strategy_id": o, "reason": why}))
                    .collect::<Vec<_>>()
            ),
        );
        d.insert("unknown_count".into(), json!(f.corr.unknown_count));
        return result(
            RuleStatus::Fail,
            sev,
            owner,
            "correlation_unknown",
            "Correlation with a selected strategy is unknown".into(),
            &["risk"],
            d,
        );
    }
    if let Some(h) = r.hysteresis
        && let Some(b) = f.blocked
    {
        let value = view.num(&h.metric);
        let (code, mode, reason) = match b {
            Blocked::Exit => (
                "hysteresis_exit",
                "exit",
                format!(
                    "{} below exit {} for previously active strategy",
                    h.metric,
                    py_float(h.exit)
                ),
            ),
            Blocked::NotEntered => (
                "hysteresis_not_entered",
                "enter",
                format!("{} below enter {}", h.metric, py_float(h.enter)),
            ),
            Blocked::PromotionPending { passes, needed } => (
                "hysteresis_promotion_pending",
                "enter",
                format!(
                    "{} at or above enter {} for {passes} of {needed} consecutive evaluations",
                    h.metric,
                    py_float(h.enter)
                ),
            ),
            Blocked::MinDwell { dwell, needed } => (
                "hysteresis_min_dwell",
                "enter",
                format!("Inactive for {dwell} evaluations, min_dwell {needed}"),
            ),
            Blocked::MetricMissing => (
                "hysteresis_metric_missing",
                "missing",
                format!("{} missing", h.metric),
            ),
            Blocked::MetricNotFinite => (
                "metric_not_finite",
                "missing",
                format!("{} is not a finite number", h.metric),
            ),
            Blocked::SilentlyDropped => ("", "", String::new()),
        };
        if !code.is_empty() {
            let mut d = Map::new();
            d.insert("metric".into(), json!(h.metric));
            d.insert("previously_active".into(), json!(previously_active));
            d.insert("mode".into(), json!(mode));
            d.insert("value".into(), opt_json(value));
            return result(RuleStatus::Fail, sev, owner, code, reason, &["risk"], d);
        }
    }
    if r.correlation.is_none() && r.hysteresis.is_none() {
        return result(
            RuleStatus::Pass,
            Severity::Info,
            owner,
            "risk_constraints_not_configured",
            "No risk constraints configured".into(),
            &["risk"],
            Map::new(),
        );
    }
    if let Some(h) = r.hysteresis
        && let Some(held) = f.held
    {
        let mut d = Map::new();
        d.insert("metric".into(), json!(h.metric));
        d.insert("previously_active".into(), json!(previously_active));
        d.insert("value".into(), opt_json(view.num(&h.metric)));
        let (code, reason) = match held {
            Held::DemotionPending { fails, needed } => {
                d.insert("fails".into(), json!(fails));
                d.insert("demote_after".into(), json!(needed));
                (
                    "hysteresis_demotion_pending",
                    format!(
                        "{} below exit {} for {fails} of {needed} consecutive evaluations",
                        h.metric,
                        py_float(h.exit)
                    ),
                )
            }
            Held::MinDwell { dwell, needed } => {
                d.insert("dwell".into(), json!(dwell));
                d.insert("min_dwell".into(), json!(needed));
                (
                    "hysteresis_min_dwell",
                    format!("Active for {dwell} evaluations, min_dwell {needed}"),
                )
            }
        };
        return result(RuleStatus::Warn, sev, owner, code, reason, &["risk"], d);
    }
    if r.correlation.is_some() && f.corr.unknown_count > 0 {
        let mut d = Map::new();
        d.insert(
            "unknown_with".into(),
            json!(
                f.corr
                    .unknown
                    .iter()
                    .map(|(o, why)| json!({"strategy_id": o, "reason": why}))
                    .collect::<Vec<_>>()
            ),
        );
        d.insert("unknown_count".into(), json!(f.corr.unknown_count));
        return result(
            RuleStatus::Warn,
            sev,
            owner,
            "correlation_unknown",
            "Correlation with a selected strategy is unknown".into(),
            &["risk"],
            d,
        );
    }
    result(
        RuleStatus::Pass,
        sev,
        owner,
        "risk_constraints_ok",
        "Risk constraints satisfied".into(),
        &["risk"],
        Map::new(),
    )
}
