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
use super::explain::{Check, show, violations};
use super::hysteresis::{self, Blocked, Held};
use super::metrics_view::{Lookup, MetricsView};
use super::resolve;
use super::rules::{rule_explanations, rule_results, summary};
use super::thresholds::{Failure, check_thresholds};
use super::{EvaluationInput, Policy, Previous};
use crate::schema::{
    ActivationState, CheckOutcome, Decision, Dialect, Explanation, Note, Num, RuleStatus,
    StrategyDecision, UnknownCorrelation, Verdict,
};
use std::collections::{HashMap, HashSet};

/// Why the correlation pass dropped or flagged a candidate.
#[derive(Debug, Default, Clone)]
pub(crate) struct CorrOutcome {
    pub(crate) blocked_by: Vec<(String, f64)>,
    pub(crate) unknown: Vec<(String, &'static str)>,
    pub(crate) unknown_count: usize,
    /// Largest |ρ| met against kept strategies (signed ρ).
    pub(crate) max_seen: Option<f64>,
    pub(crate) dropped: bool,
    pub(crate) reached: bool,
}

/// Per-strategy facts gathered by the pipeline.
#[derive(Debug, Default, Clone)]
pub(crate) struct Facts {
    pub(crate) failures: Vec<Failure>,
    pub(crate) blocking: bool,
    pub(crate) rank: Option<usize>,
    pub(crate) in_top_k: bool,
    pub(crate) corr: CorrOutcome,
    pub(crate) blocked: Option<Blocked>,
    pub(crate) held: Option<Held>,
    pub(crate) explanations: Vec<Explanation>,
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
