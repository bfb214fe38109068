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

use super::correlation::{
    Alignment, Correlations, DEFAULT_MIN_OVERLAP, Dated, PairRho, SeriesCorrelator,
};
use super::explain::{Check, show, violations};
use super::facts::{CorrOutcome, Facts};
use super::fasthash::FastState;
use super::hysteresis::{self, Blocked, Held};
use super::metrics_view::{Lookup, MetricsView};
use super::resolve::{self, Resolved};
use super::rules::{rule_explanations, rule_results, rule_statuses, status_only, summary};
use super::thresholds::{Labelled, check_thresholds, labelled};
use super::{EvaluationInput, Policy, Previous};
use crate::schema::{
    ActivationState, CheckOutcome, CorrelationRule, Decision, Dialect, Explanation, HysteresisRule,
    Note, Num, RuleResults, RuleStatus, StrategyDecision, StrategyState, TopKRule,
    UnknownCorrelation, Verdict,
};
use std::borrow::Cow;
use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

/// What every stage reads: the resolved policy, the strategies (in evaluation order) with their
/// metrics, and the previous activation state.
struct Ctx<'a> {
    r: &'a Resolved<'a>,
    input: &'a EvaluationInput,
    dialect: Dialect,
    strict: bool,
    ids: &'a [String],
    views: &'a [MetricsView],
    /// Each strategy's position in the input ([`Strategies::input_positions`]).
    inputs: &'a [u32],
    index: &'a IdIndex<'a>,
    previous: &'a ActivationState,
    /// Series read on demand, when the input's `returns` is not given as a map.
    series: Option<&'a dyn SeriesSource>,
    /// Where the correlation stage's outcome is recorded, or replayed from ([`Given::memo`]).
    memo: Option<&'a RefCell<Option<CorrelationMemo>>>,
    /// Whether the explanations are built ([`StrategySink::wants_details`]).
    details: bool,
}

impl Ctx<'_> {
    fn was_active(&self, id: &str) -> bool {
        self.previous.strategies.get(id).is_some_and(|s| s.active)
    }

    fn view_of(&self, id: &str) -> Option<&MetricsView> {
        self.index.get(id).and_then(|i| self.views.get(i))
    }
}

/// Evaluates `policy` over `input`: the named stages in order — [`thresholds`] → [`top_k`] →
/// [`correlation`] → [`hysteresis()`] → [`decide`] (rule results, final selection, weights,
/// explanations, next state).
pub(crate) fn evaluate(policy: &Policy, input: &EvaluationInput) -> Decision {
    let mut strategies = indexmap::IndexMap::new();
    let mut decision = evaluate_into(
        policy,
        input,
        Given::default(),
        &mut |id: &str, d: StrategyDecision| {
            strategies.insert(id.to_string(), d);
        },
    );
    decision.strategies = strategies;
    decision
}

/// Where [`evaluate_into`] hands each strategy's decision, in the decision's order.
pub(crate) trait StrategySink {
    /// Called once, before the first strategy, with the decision's other members.
    fn begin(&mut self, _head: &Decision) {}
    /// One strategy's decision.
    fn strategy(&mut self, id: &str, decision: StrategyDecision);
    /// Whether the decisions handed over carry their `violations`; a sink answering false gets
    /// them empty and derives them from the explanations (the failed checks).
    fn wants_violations(&self) -> bool {
        true
    }
    /// Whether the decisions handed over carry their `explanations` (and so `violations`); a
    /// sink answering false (one writing only each strategy's verdict, rank and weight) gets
    /// them empty, and the stages build no explanation at all; its rule results carry only
    /// what the status needs ([`super::rules::rule_results`]). The status, verdict, rank,
    /// weight, the selection and the state are the same either way.
    fn wants_details(&self) -> bool {
        true
    }
    /// Takes the next activation state's strategies (`states[i]` that of the `i`th strategy
    /// handed over), before [`StrategySink::begin`]: a sink that takes them (answers true) gets
    /// the head's `state` without its strategies, and no map of them is built. By default not
    /// taken.
    fn take_states(&mut self, _states: &mut Vec<StrategyState>) -> bool {
        false
    }
    /// One strategy's summary, in place of [`StrategySink::strategy`] when the sink wants no
    /// details; by default handed to `strategy` as a decision without details
    /// ([`StrategySummary::into_decision`]).
    fn summary(&mut self, id: &str, summary: StrategySummary) {
        self.strategy(id, summary.into_decision());
    }
}

/// One strategy's decision without its details: what a sink that wants none
/// ([`StrategySink::wants_details`]) is handed.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct StrategySummary {
    pub(crate) status: RuleStatus,
    pub(crate) verdict: Verdict,
    pub(crate) selected: bool,
    pub(crate) rank: Option<u32>,
    pub(crate) weight: Option<Num>,
}

impl StrategySummary {
    /// The decision with these members and no details (every rule result the summary status
    /// alone, no violation, no explanation).
    pub(crate) fn into_decision(self) -> StrategyDecision {
        StrategyDecision {
            status: self.status,
            verdict: self.verdict,
            selected: self.selected,
            rank: self.rank,
            weight: self.weight,
            rule_results: status_only(self.status),
            violations: Vec::new(),
            explanations: Vec::new(),
        }
    }
}

impl<F: FnMut(&str, StrategyDecision)> StrategySink for F {
    fn strategy(&mut self, id: &str, decision: StrategyDecision) {
        self(id, decision);
    }
}

/// Returns series read on demand: the correlation pass asks only for the candidates it
/// compares (a host holding every strategy's series copies a few instead of all of them).
pub(crate) trait SeriesSource {
    /// True when there is no series at all (as an empty `returns` map).
    fn is_empty(&self) -> bool;
    /// The series of the strategy at position `at` of the input (its place in the host's
    /// metrics, [`Strategies::input_positions`]), if it has one (shared: a source keeping its
    /// copies hands out the same one each time).
    fn series(&self, at: usize) -> Option<Rc<[f64]>>;
}

/// The strategies of an evaluation in evaluation order (strict: by id; qmtl: input order), each
/// with its metrics view in one dialect: what the stages read of `EvaluationInput::metrics`.
/// Built from that map ([`Strategies::of`]), or by a host reading its own data straight into
/// views ([`Strategies::new`]: no JSON tree per strategy).
#[derive(Debug, Default)]
pub(crate) struct Strategies {
    dialect: Dialect,
    ids: Vec<String>,
    views: Vec<MetricsView>,
    /// Each strategy's position in the input (the map's or the host's order), in evaluation
    /// order.
    inputs: Vec<u32>,
}

impl Strategies {
    /// The strategies of `metrics` (in their order), viewed in `dialect`.
    pub(crate) fn of(
        metrics: &indexmap::IndexMap<String, serde_json::Value>,
        dialect: Dialect,
    ) -> Self {
        let mut entries: Vec<(&String, &serde_json::Value)> = metrics.iter().collect();
        let order = if dialect == Dialect::Strict {
            crate::json::order::sort_by(&mut entries, |a, b| a.0.cmp(b.0))
        } else {
            None
        };
        Strategies {
            dialect,
            ids: entries.iter().map(|(id, _)| (*id).clone()).collect(),
            views: entries
                .iter()
                .map(|(_, v)| MetricsView::new(v, dialect))
                .collect(),
            inputs: input_positions(order, entries.len()),
        }
    }

    /// The strategies `(id, view)` in input order, their views made in `dialect`, with distinct
    /// ids: as [`Strategies::of`] a map of the same ids and metrics.
    #[cfg_attr(not(feature = "wasm"), allow(dead_code))]
    pub(crate) fn new(mut read: Vec<(String, MetricsView)>, dialect: Dialect) -> Self {
        let order = if dialect == Dialect::Strict {
            crate::json::order::sort_by(&mut read, |a, b| a.0.cmp(&b.0))
        } else {
            None
        };
        let inputs = input_positions(order, read.len());
        let (ids, views) = read.into_iter().unzip();
        Strategies {
            dialect,
            ids,
            views,
            inputs,
        }
    }

    /// Each strategy's position in the input, in evaluation order (`read`'s order for
    /// [`Strategies::new`], the map's for [`Strategies::of`]).
    #[cfg_attr(not(feature = "wasm"), allow(dead_code))]
    pub(crate) fn input_positions(&self) -> &[u32] {
        &self.inputs
    }

    /// How many strategies.
    pub(crate) fn len(&self) -> usize {
        self.ids.len()
    }

    /// About how many bytes the strategies hold (ids and views, [`MetricsView::heap_bytes`]).
    #[cfg_attr(not(feature = "wasm"), allow(dead_code))]
    pub(crate) fn bytes(&self) -> usize {
        let each = std::mem::size_of::<String>() + std::mem::size_of::<MetricsView>() + 20;
        let heap: usize = self.ids.iter().map(String::capacity).sum::<usize>()
            + self
                .views
                .iter()
                .map(MetricsView::heap_bytes)
                .sum::<usize>();
        self.len() * each + heap
    }
}

/// Each of `n` strategies' input position, in evaluation order: `order` as a sort returned it
/// (`None`: the input order).
fn input_positions(order: Option<Vec<usize>>, n: usize) -> Vec<u32> {
    let at = |i: usize| u32::try_from(i).unwrap_or(u32::MAX);
    match order {
        Some(order) => order.into_iter().map(at).collect(),
        None => (0..n).map(at).collect(),
    }
}

/// What a host hands an evaluation beside (or in place of parts of) its input; each `None`:
/// read from the input. Whatever is given, the decision is the one of the input as a whole.
#[derive(Clone, Copy, Default)]
pub(crate) struct Given<'a> {
    /// Stands for `input.metrics` (which is then empty) when in the policy's dialect.
    pub(crate) strategies: Option<&'a Strategies>,
    /// Stands for `input.returns` (which is then `None`).
    pub(crate) series: Option<&'a dyn SeriesSource>,
    /// The correlation stage's outcome: recorded there when empty, and replayed instead of
    /// computing it when filled by an earlier evaluation of the same policy over the same
    /// input (whose series, returns and timestamps are then no longer read: a host may drop
    /// them).
    pub(crate) memo: Option<&'a RefCell<Option<CorrelationMemo>>>,
}

/// The correlation stage's outcome ([`Given::memo`]): the top-k candidates it was reached with,
/// those it kept, each candidate's outcome and the notes it added.
#[derive(Debug, Clone)]
pub(crate) struct CorrelationMemo {
    top: Vec<usize>,
    kept: Vec<usize>,
    outcomes: Vec<CorrOutcome>,
    notes: Vec<Note>,
}

impl CorrelationMemo {
    /// About how many bytes the memo holds.
    #[cfg_attr(not(feature = "wasm"), allow(dead_code))]
    pub(crate) fn bytes(&self) -> usize {
        let outcomes: usize = self
            .outcomes
            .iter()
            .map(|o| {
                let ids: usize = o.blocked_by.iter().map(|(id, _)| id.len() + 48).sum();
                let unknown: usize = o.unknown.iter().map(|(id, _)| id.len() + 48).sum();
                std::mem::size_of::<CorrOutcome>() + ids + unknown
            })
            .sum();
        (self.top.len() + self.kept.len()) * std::mem::size_of::<usize>()
            + outcomes
            + self.notes.len() * 160
    }
}

/// [`evaluate`], each strategy's decision handed to `sink` as soon as it is made (a writer
/// serializes and drops it at once instead of holding the whole decision); returns the decision
/// without its `strategies`. `given` stands for parts of the input ([`Given`]): the same
/// decision as with them in the input.
pub(crate) fn evaluate_into(
    policy: &Policy,
    input: &EvaluationInput,
    given: Given<'_>,
    sink: &mut dyn StrategySink,
) -> Decision {
    let Given {
        strategies,
        series,
        memo,
    } = given;
    let dialect = policy.dialect;
    let strict = dialect == Dialect::Strict;
    let r = resolve::resolve(
        &policy.doc,
        input.stage.as_deref(),
        input.profile.as_deref(),
    );
    let mut notes = r.notes.clone();

    // the strategies in evaluation order, each with its metrics (no lookup by id)
    let own;
    let strategies = match strategies.filter(|s| s.dialect == dialect) {
        Some(s) => s,
        None => {
            own = Strategies::of(&input.metrics, dialect);
            &own
        }
    };
    let (ids, views) = (&strategies.ids, &strategies.views);
    let index = IdIndex::new(ids, strict);
    let previous: Cow<'_, ActivationState> = match &input.previous {
        None => Cow::Owned(ActivationState::default()),
        Some(Previous::Active(list)) => {
            Cow::Owned(ActivationState::from_active(list.iter().cloned()))
        }
        Some(Previous::State(s)) => Cow::Borrowed(s),
    };
    notes.extend(absent_incumbents(&previous, &index));
    let cx = Ctx {
        r: &r,
        input,
        dialect,
        strict,
        ids,
        views,
        inputs: &strategies.inputs,
        index: &index,
        previous: &previous,
        series: series.filter(|_| input.returns.is_none()),
        memo,
        details: sink.wants_details(),
    };

    let mut facts: Vec<Facts> = std::iter::repeat_with(Facts::default)
        .take(ids.len())
        .collect();
    let passed = thresholds(&cx, &mut facts);
    let top = top_k(&cx, &mut facts, &passed);
    let kept = correlation(&cx, &mut facts, &top, &mut notes);
    let (selected, counters) = hysteresis(&cx, &mut facts, &kept);
    decide(&cx, policy, facts, (selected, counters, notes), sink)
}

/// Each strategy's position by id: a binary search over ids in order (the strict dialect's
/// evaluation order), else a hash table. The stages look up only a few ids (the kept, the
/// selected, the previously active), so ids in order need no table at all.
enum IdIndex<'a> {
    Sorted(&'a [String]),
    Hashed(HashMap<&'a str, usize, FastState>),
}

impl<'a> IdIndex<'a> {
    /// The index of `ids` (distinct; in ascending order when `sorted`).
    fn new(ids: &'a [String], sorted: bool) -> Self {
        if sorted {
            return IdIndex::Sorted(ids);
        }
        let mut table = HashMap::with_capacity_and_hasher(ids.len(), FastState::default());
        table.extend(ids.iter().enumerate().map(|(i, id)| (id.as_str(), i)));
        IdIndex::Hashed(table)
    }

    /// The position of `id`, if it is one of the ids.
    fn get(&self, id: &str) -> Option<usize> {
        match self {
            IdIndex::Sorted(ids) => ids.binary_search_by(|x| x.as_str().cmp(id)).ok(),
            IdIndex::Hashed(table) => table.get(id).copied(),
        }
    }
}

/// A note for each previously active strategy that has no metrics in this evaluation.
fn absent_incumbents(previous: &ActivationState, index: &IdIndex<'_>) -> Vec<Note> {
    let mut absent: Vec<&String> = previous
        .strategies
        .iter()
        .filter(|(id, s)| s.active && index.get(id).is_none())
        .map(|(id, _)| id)
        .collect();
    crate::json::order::sort(&mut absent);
    absent
        .into_iter()
        .map(|id| Note {
            code: "incumbent_absent".into(),
            strategy_id: Some(id.clone()),
            message: format!("previously active `{id}` has no metrics in this evaluation and leaves the active set"),
        })
        .collect()
}

/// Stage 1: every threshold on every strategy; the indices of those without a blocking failure.
fn thresholds<'a>(cx: &Ctx<'a>, facts: &mut [Facts<'a>]) -> Vec<usize> {
    let mut passed: Vec<usize> = Vec::new();
    let rules: Vec<Labelled<'a>> = labelled(&cx.r.thresholds).collect();
    for (i, (view, f)) in cx.views.iter().zip(facts.iter_mut()).enumerate() {
        let (failures, blocking) = check_thresholds(
            rules.iter().copied(),
            |m| view.get(m),
            cx.r.missing,
            cx.details.then_some(&mut f.explanations),
        );
        f.failures = failures;
        f.blocking = blocking;
        if !blocking {
            passed.push(i);
        }
    }
    passed
}

/// Stage 2: ranks the strategies that passed by the top-k metric, descending (strict: ties and
/// missing values by id, missing last; qmtl: stable, missing as −∞); the first k.
///
/// Ties go by position in both dialects: in the strict dialect the strategies are in id order.
/// Each strategy is ranked by one integer key (its metric's place in `f64::total_cmp`'s order,
/// reversed; a missing value after every value in the strict dialect, as −∞ in qmtl) and its
/// position: distinct pairs, which any sort orders alike.
fn top_k(cx: &Ctx<'_>, facts: &mut [Facts], passed: &[usize]) -> Vec<usize> {
    let mut ranked: Vec<usize> = passed.to_vec();
    if let Some(tk) = cx.r.top_k {
        let missing = if cx.strict {
            u64::MAX
        } else {
            descending_key(f64::NEG_INFINITY)
        };
        let mut keyed: Vec<(u64, usize)> = passed
            .iter()
            .map(|&i| {
                let value = cx.views.get(i).and_then(|v| v.num(&tk.metric));
                let key = value
                    .filter(|x| !x.is_nan())
                    .map_or(missing, descending_key);
                (key, i)
            })
            .collect();
        crate::json::order::sort_distinct(&mut keyed, |a, b| a < b);
        ranked = keyed.into_iter().map(|(_, i)| i).collect();
    }
    let k = cx.r.top_k.map_or(usize::MAX, |t| t.k as usize);
    for (pos, i) in ranked.iter().enumerate() {
        if let Some(f) = facts.get_mut(*i) {
            f.rank = Some(pos);
            f.in_top_k = pos < k;
        }
    }
    if let Some(tk) = cx.r.top_k.filter(|_| cx.details) {
        for i in passed {
            let (Some(f), Some(id)) = (facts.get_mut(*i), cx.ids.get(*i)) else {
                continue;
            };
            let observed = cx.views.get(*i).and_then(|v| v.num(&tk.metric));
            f.explanations
                .push(top_k_check(tk, f, observed, cx.was_active(id)));
        }
    }
    ranked.into_iter().take(k).collect()
}

/// `x`'s place in the descending `f64::total_cmp` order, as an integer (NaN excepted): `a`
/// before `b` exactly when `b.total_cmp(&a)` is `Less`, and never `u64::MAX`.
fn descending_key(x: f64) -> u64 {
    let bits = x.to_bits();
    // ascending: negatives' bits reversed, positives above them
    let ascending = if bits >> 63 == 1 {
        !bits
    } else {
        bits | 1 << 63
    };
    !ascending
}

/// The top-k explanation of one strategy that passed the thresholds.
fn top_k_check(tk: &TopKRule, f: &Facts, observed: Option<f64>, incumbent: bool) -> Explanation {
    let pos = f.rank.unwrap_or(0) + 1;
    let (outcome, code, msg) = if f.in_top_k {
        (
            CheckOutcome::Pass,
            "ok",
            format!("rank {pos} by `{}` is within the top {}", tk.metric, tk.k),
        )
    } else if incumbent {
        (
            CheckOutcome::Fail,
            "incumbent_cut_by_top_k",
            format!(
                "previously active; rank {pos} by `{}` is outside the top {}",
                tk.metric, tk.k
            ),
        )
    } else {
        (
            CheckOutcome::Fail,
            "rank_outside_top_k",
            format!("rank {pos} by `{}` is outside the top {}", tk.metric, tk.k),
        )
    };
    Check::new("top_k", outcome, code, msg)
        .metric(&tk.metric)
        .observed(observed)
        .bound(f64::from(tk.k), "rank<=")
        .build()
}

/// Stage 3: the correlation rule, greedy in rank order over the top k; the strategies kept.
/// Without correlation data the qmtl dialect skips the rule (as QMTL does); strict notes it.
/// Replayed from the context's memo when it holds this stage's outcome for the same candidates,
/// else computed (and recorded in an empty memo).
fn correlation(
    cx: &Ctx<'_>,
    facts: &mut [Facts],
    top: &[usize],
    notes: &mut Vec<Note>,
) -> Vec<usize> {
    let recorded = cx
        .memo
        .and_then(|m| m.borrow().as_ref().filter(|m| m.top == top).cloned());
    let kept = match recorded {
        Some(memo) => {
            for (i, outcome) in top.iter().zip(memo.outcomes) {
                if let Some(f) = facts.get_mut(*i) {
                    f.corr = outcome;
                }
            }
            notes.extend(memo.notes);
            memo.kept
        }
        None => {
            let before = notes.len();
            let kept = correlate(cx, facts, top, notes);
            if let Some(memo) = cx.memo {
                let outcomes = top
                    .iter()
                    .map(|i| facts.get(*i).map(|f| f.corr.clone()).unwrap_or_default())
                    .collect();
                *memo.borrow_mut() = Some(CorrelationMemo {
                    top: top.to_vec(),
                    kept: kept.clone(),
                    outcomes,
                    notes: notes.get(before..).unwrap_or_default().to_vec(),
                });
            }
            kept
        }
    };
    if let Some(cr) = cx.r.correlation.filter(|_| cx.details) {
        for i in top {
            let (Some(f), Some(id)) = (facts.get_mut(*i), cx.ids.get(*i)) else {
                continue;
            };
            let check = correlation_check(&f.corr, cr, cx.was_active(id));
            let mut e = check.bound(cr.max, "|rho|<=").build();
            e.alignment = f.corr.alignment.map(str::to_string);
            f.explanations.push(e);
        }
    }
    kept
}

/// The correlation pass of [`correlation`]: each candidate's outcome in its facts, the notes;
/// the strategies kept.
fn correlate(
    cx: &Ctx<'_>,
    facts: &mut [Facts],
    top: &[usize],
    notes: &mut Vec<Note>,
) -> Vec<usize> {
    let Some(cr) = cx.r.correlation else {
        return top.to_vec();
    };
    let given = cx.input.correlations.as_ref().filter(|c| !c.is_empty());
    let top_ids: Vec<&str> = top
        .iter()
        .filter_map(|i| cx.ids.get(*i).map(String::as_str))
        .collect();
    // series read on demand: only the candidates' (the greedy pass compares no other)
    let loaded: Option<Vec<Option<Rc<[f64]>>>> =
        cx.series.filter(|s| !s.is_empty()).map(|source| {
            top.iter()
                .map(|i| cx.inputs.get(*i).and_then(|at| source.series(*at as usize)))
                .collect()
        });
    let series = candidate_series(cx.input, &top_ids, loaded.as_deref()).map(|candidates| {
        SeriesCorrelator::new(candidates, cr.min_overlap.unwrap_or(DEFAULT_MIN_OVERLAP))
    });
    let on_unknown = cr.on_unknown.unwrap_or(if cx.strict {
        UnknownCorrelation::Warn
    } else {
        UnknownCorrelation::Ignore
    });
    let no_data = given.is_none() && series.is_none();
    let mut kept = top.to_vec();
    // QMTL: without correlations the rule is skipped.
    if !(no_data && !cx.strict && cr.on_unknown.is_none()) {
        if no_data && top.len() > 1 {
            notes.push(Note {
                code: "correlation_data_missing".into(),
                strategy_id: None,
                message: "a correlation rule is configured but neither correlations nor returns series were given".into(),
            });
        }
        let rhos = Rhos {
            given,
            series: series.as_ref(),
            top_ids: &top_ids,
        };
        kept = greedy(facts, top, on_unknown, |out, a, run| {
            // two pairs at a time (computed together; the second unused when the first is
            // the last one needed)
            for pair in run.chunks(2) {
                let found: [Option<(usize, PairOutcome)>; 2] = match *pair {
                    [b0, b1] => {
                        let [r0, r1] = rhos.two(a, [b0, b1]);
                        [Some((b0, r0)), Some((b1, r1))]
                    }
                    [b0] => [Some((b0, rhos.one(a, b0))), None],
                    _ => [None, None],
                };
                for (b, (rho, alignment)) in found.into_iter().flatten() {
                    out.alignment = merge_alignment(out.alignment, alignment);
                    let other = top_ids.get(b).copied().unwrap_or_default();
                    if visit_pair(out, rho, other, cr.max, on_unknown, cx.strict) {
                        return true;
                    }
                }
            }
            false
        });
    }
    kept
}

/// A pair's ρ (or why there is none) and how its series were aligned (`None`: not computed).
type PairOutcome = (PairRho, Option<Alignment>);

/// Where the greedy pass finds the ρ of a pair of candidates (by position in `top_ids`): the
/// given correlations first, else computed from the series.
struct Rhos<'a> {
    given: Option<&'a Correlations>,
    series: Option<&'a SeriesCorrelator<'a>>,
    top_ids: &'a [&'a str],
}

impl Rhos<'_> {
    fn given(&self, a: usize, b: usize) -> Option<f64> {
        let (x, y) = (self.top_ids.get(a)?, self.top_ids.get(b)?);
        self.given?.get(x, y)
    }

    /// The ρ of candidates `a` and `b`.
    fn one(&self, a: usize, b: usize) -> PairOutcome {
        match (self.given(a, b), self.series) {
            (Some(rho), _) => (PairRho::Known(rho), None),
            (None, Some(s)) => s.rho(a, b),
            (None, None) => (PairRho::NoData, None),
        }
    }

    /// [`Rhos::one`] of `a` with each of `b`, the series' dot products computed together.
    fn two(&self, a: usize, [b0, b1]: [usize; 2]) -> [PairOutcome; 2] {
        match (self.given(a, b0), self.given(a, b1), self.series) {
            (None, None, Some(s)) => s.rho_two(a, [b0, b1]),
            _ => [self.one(a, b0), self.one(a, b1)],
        }
    }
}

/// Each candidate's series and dates, by position in `top_ids`: the series read on demand
/// (`loaded`, in that order) when there are, else the input's `returns`; `None` when there is
/// no series at all (the rule then has no computed correlation).
fn candidate_series<'a>(
    input: &'a EvaluationInput,
    top_ids: &[&str],
    loaded: Option<&'a [Option<Rc<[f64]>>]>,
) -> Option<Vec<Option<Dated<'a>>>> {
    let dates = |id: &str| {
        input
            .timestamps
            .as_ref()
            .and_then(|d| d.get(id))
            .map(Vec::as_slice)
    };
    let with_dates = |id: &str, raw: &'a [f64]| (raw, dates(id));
    match loaded {
        Some(series) => Some(
            series
                .iter()
                .zip(top_ids)
                .map(|(s, id)| s.as_deref().map(|raw| with_dates(id, raw)))
                .collect(),
        ),
        None => {
            let returns = input.returns.as_ref().filter(|r| !r.is_empty())?;
            Some(
                top_ids
                    .iter()
                    .map(|id| returns.get(*id).map(|raw| with_dates(id, raw)))
                    .collect(),
            )
        }
    }
}

/// The alignment recorded for a candidate: `date`, `position`, or `mixed` when its pairs used
/// both.
fn merge_alignment(seen: Option<&'static str>, pair: Option<Alignment>) -> Option<&'static str> {
    match (seen, pair) {
        (s, None) => s,
        (None, Some(a)) => Some(a.name()),
        (Some(s), Some(a)) if s == a.name() => Some(s),
        (Some(_), Some(_)) => Some("mixed"),
    }
}

/// The greedy correlation pass in rank order, computed in tiles for cache locality: a block of
/// candidates is compared with the strategies kept before the block chunk by chunk (each
/// chunk's series stay in cache for the whole block), then in order with those kept inside the
/// block. Every candidate sees the same pairs in the same order as a plain sequential pass, so
/// the result is identical. Candidates are addressed by their position in `top`:
/// `visit(outcome, candidate, run)` visits the candidate's pairs with each of `run` (kept
/// before it) in order until one needs no further pair, and answers whether one did. Each
/// candidate's outcome goes to its facts; returns the kept (indices of strategies).
fn greedy(
    facts: &mut [Facts],
    top: &[usize],
    on_unknown: UnknownCorrelation,
    visit: impl Fn(&mut CorrOutcome, usize, &[usize]) -> bool,
) -> Vec<usize> {
    const BLOCK: usize = 32;
    const CHUNK: usize = 32;
    let positions: Vec<usize> = (0..top.len()).collect();
    let mut kept: Vec<usize> = Vec::new();
    for block in positions.chunks(BLOCK) {
        let fresh = || CorrOutcome {
            reached: true,
            ..CorrOutcome::default()
        };
        let mut outs: Vec<(CorrOutcome, bool)> = block.iter().map(|_| (fresh(), false)).collect();
        let before = kept.len();
        for chunk in kept.chunks(CHUNK) {
            for (a, (out, done)) in block.iter().zip(outs.iter_mut()) {
                if !*done {
                    *done = visit(out, *a, chunk);
                }
            }
        }
        for (a, (mut out, done)) in block.iter().zip(outs) {
            if !done {
                visit(&mut out, *a, kept.get(before..).unwrap_or_default());
            }
            out.dropped = !out.blocked_by.is_empty()
                || (on_unknown == UnknownCorrelation::Fail && out.unknown_count > 0);
            if !out.dropped {
                kept.push(*a);
            }
            if let Some(f) = top.get(*a).and_then(|i| facts.get_mut(*i)) {
                f.corr = out;
            }
        }
    }
    kept.into_iter()
        .filter_map(|a| top.get(a).copied())
        .collect()
}

/// One pair of the greedy pass: updates the candidate's outcome with ρ against `other` (kept
/// before it); true when the candidate needs no further pair (strict stops at the first
/// blocker and computes no further pair for it).
fn visit_pair(
    out: &mut CorrOutcome,
    rho: PairRho,
    other: &str,
    max: f64,
    on_unknown: UnknownCorrelation,
    strict: bool,
) -> bool {
    match rho {
        PairRho::Known(rho) => {
            if out.max_seen.is_none_or(|m: f64| rho.abs() > m.abs()) {
                out.max_seen = Some(rho);
            }
            if rho.abs() > max {
                out.blocked_by.push((other.to_string(), rho));
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
                out.unknown.push((other.to_string(), why));
            }
        }
        _ => {}
    }
    false
}

/// The correlation explanation of one top-k candidate (its bound added by the caller).
fn correlation_check(c: &CorrOutcome, cr: &CorrelationRule, incumbent: bool) -> Check {
    if !c.reached {
        Check::new(
            "correlation",
            CheckOutcome::Skipped,
            "not_evaluated",
            "no correlation data; the rule was skipped".into(),
        )
    } else if let Some((other, rho)) = c.blocked_by.first() {
        let code = if incumbent {
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
        let n = c.unknown_count;
        let noun = if n == 1 { "y is" } else { "ies is" };
        Check::new(
            "correlation",
            outcome,
            "correlation_unknown",
            format!("correlation with {n} already selected strateg{noun} unknown (first: `{other}`, {why})"),
        )
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
    }
}

/// Stage 4: the hysteresis band over the kept strategies and the previous state; the selected
/// ids and the band's counters (`id → (passes, fails)`).
fn hysteresis(
    cx: &Ctx<'_>,
    facts: &mut [Facts],
    kept: &[usize],
) -> (Vec<String>, HashMap<String, (u32, u32)>) {
    let kept_ids: Vec<String> = kept
        .iter()
        .filter_map(|i| cx.ids.get(*i).cloned())
        .collect();
    let Some(h) = cx.r.hysteresis else {
        return (kept_ids, HashMap::new());
    };
    let lookup = |id: &str| cx.view_of(id).map_or(Lookup::Missing, |v| v.get(&h.metric));
    let epoch_out = cx.previous.epoch.saturating_add(1);
    let band = hysteresis::apply(&kept_ids, lookup, cx.previous, h, epoch_out, cx.dialect);
    for id in &kept_ids {
        let Some(f) = cx.index.get(id).and_then(|i| facts.get_mut(i)) else {
            continue;
        };
        f.blocked = band.blocked.get(id).copied();
        f.held = band.held.get(id).copied();
        if cx.details {
            let check = hysteresis_check(h, f, lookup(id), cx.was_active(id));
            f.explanations.push(check);
        }
    }
    (band.selected, band.counters)
}

/// The hysteresis explanation of one kept strategy: failed when the band kept it out (see
/// [`blocked_message`]), warned when it held an incumbent that did not qualify (see
/// [`held_message`]), else passed against `exit` (an incumbent) or `enter` (a newcomer).
fn hysteresis_check(h: &HysteresisRule, f: &Facts, v: Lookup, incumbent: bool) -> Explanation {
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
        (Some(b), _) => {
            let (code, msg) = blocked_message(h, b, &shown);
            (CheckOutcome::Fail, code, msg)
        }
        (None, Some(held)) => {
            let (code, msg) = held_message(h, held, &shown);
            (CheckOutcome::Warn, code, msg)
        }
        (None, None) => (
            CheckOutcome::Pass,
            "ok",
            format!("{shown} is at or above {word} {}", show(bound)),
        ),
    };
    Check::new("hysteresis", outcome, code, msg)
        .metric(&h.metric)
        .observed(v.value())
        .bound(bound, ">=")
        .build()
}

/// The code and message of a hysteresis check that failed because the band kept the strategy
/// out; `shown` is the metric and its value as the message shows them.
fn blocked_message(h: &HysteresisRule, b: Blocked, shown: &str) -> (&'static str, String) {
    match b {
        Blocked::Exit => (
            "hysteresis_exit",
            format!("previously active; {shown} is below exit {}", show(h.exit)),
        ),
        Blocked::NotEntered => (
            "hysteresis_not_entered",
            format!("{shown} is below enter {}", show(h.enter)),
        ),
        Blocked::PromotionPending { passes, needed } => (
            "hysteresis_promotion_pending",
            format!(
                "{shown} reached enter {} {passes} time(s) in a row; {needed} needed",
                show(h.enter)
            ),
        ),
        Blocked::MinDwell { dwell, needed } => (
            "hysteresis_min_dwell",
            format!("left the active set {dwell} evaluation(s) ago; min_dwell is {needed}"),
        ),
        Blocked::MetricMissing => ("hysteresis_metric_missing", format!("{shown} is missing")),
        Blocked::MetricNotFinite => (
            "metric_not_finite",
            format!("{shown} is not a finite number"),
        ),
        Blocked::SilentlyDropped => (
            "hysteresis_metric_missing",
            format!("{shown} is missing; dropped without a rule result, as QMTL does"),
        ),
    }
}

/// The code and message of a hysteresis check that warned because the band held an incumbent
/// below `exit` (`shown` as in [`blocked_message`]).
fn held_message(h: &HysteresisRule, held: Held, shown: &str) -> (&'static str, String) {
    match held {
        Held::DemotionPending { fails, needed } => (
            "hysteresis_demotion_pending",
            format!(
                "previously active; {shown} is below exit {} {fails} time(s) in a row; {needed} needed to leave",
                show(h.exit)
            ),
        ),
        Held::MinDwell { dwell, needed } => (
            "hysteresis_min_dwell",
            format!(
                "previously active; {shown} is below exit {} but active for only {dwell} evaluation(s); min_dwell is {needed}",
                show(h.exit)
            ),
        ),
    }
}

/// What the stages before [`decide`] leave: the selected ids, the hysteresis band's counters
/// (`id → (passes, fails)`) and the decision's notes so far.
type Selection = (Vec<String>, HashMap<String, (u32, u32)>, Vec<Note>);

/// Stage 5: the rule results, the final selection (strict drops a blocking failure), weights,
/// each strategy's decision with its explanations, and the next activation state.
fn decide(
    cx: &Ctx<'_>,
    policy: &Policy,
    facts: Vec<Facts>,
    (mut selected, mut counters, mut notes): Selection,
    sink: &mut dyn StrategySink,
) -> Decision {
    let r = cx.r;
    let stage = cx.input.stage.as_deref();
    // without details only the statuses are needed: no rule result is built
    let (results, statuses): (Vec<RuleResults>, Vec<RuleStatus>) = if cx.details {
        let results = rule_results(r, cx.dialect, cx.ids, cx.views, &facts, cx.previous, stage);
        let statuses = results.iter().map(summary).collect();
        (results, statuses)
    } else {
        let statuses = rule_statuses(r, cx.dialect, cx.ids, cx.views, &facts, stage);
        (Vec::new(), statuses)
    };
    if cx.strict {
        selected.retain(|id| {
            let keep = cx.index.get(id).and_then(|i| statuses.get(i)) != Some(&RuleStatus::Fail);
            if !keep {
                let fails = cx.previous.strategies.get(id).map_or(0, |s| s.fails);
                counters.insert(id.clone(), (0, fails.saturating_add(1)));
            }
            keep
        });
    }
    let sel_refs: Vec<&str> = selected.iter().map(String::as_str).collect();
    let (weights, wnotes) = super::weight::weights(
        &sel_refs,
        |id| cx.view_of(id),
        policy.doc.weighting.as_ref(),
        r.top_k.map(|t| t.metric.as_str()),
    );
    notes.extend(wnotes);
    let in_set = selection_by_index(cx, &sel_refs, weights);
    let is_sel: Vec<bool> = in_set.iter().map(|(sel, _)| *sel).collect();
    let epoch_out = cx.previous.epoch.saturating_add(1);
    let mut states = hysteresis::next_states(cx.ids, &is_sel, &counters, cx.previous, epoch_out);
    drop(is_sel);
    let state = ActivationState {
        epoch: epoch_out,
        strategies: if sink.take_states(&mut states) {
            indexmap::IndexMap::new()
        } else {
            cx.ids.iter().cloned().zip(states).collect()
        },
    };
    let head = Decision {
        dialect: cx.dialect,
        selected,
        profile: r.profile.clone(),
        recommended_stage: r.recommended_stage.clone(),
        ruleset_hash: policy.hash.clone(),
        strategies: indexmap::IndexMap::new(),
        state,
        notes,
    };
    sink.begin(&head);
    let with_violations = sink.wants_violations();
    let mut results = results.into_iter();
    let per = facts.into_iter().zip(statuses).zip(in_set);
    for (id, ((f, status), (is_sel, weight))) in cx.ids.iter().zip(per) {
        let summary = summary_of(cx, &f, status, is_sel, weight);
        if !cx.details {
            sink.summary(id, summary);
            continue;
        }
        let rr = results.next().unwrap_or_else(|| status_only(status));
        let mut d = strategy_decision(cx, f, rr, summary);
        if with_violations {
            d.violations = violations(&d.explanations);
        }
        sink.strategy(id, d);
    }
    head
}

/// Per strategy (in `cx.ids`' order): whether it is selected, and its weight (`weights` in
/// the order of `selected`).
fn selection_by_index(
    cx: &Ctx<'_>,
    selected: &[&str],
    weights: Vec<f64>,
) -> Vec<(bool, Option<Num>)> {
    let mut out: Vec<(bool, Option<Num>)> = vec![(false, None); cx.ids.len()];
    let slots: Vec<Option<usize>> = selected.iter().map(|id| cx.index.get(id)).collect();
    for i in slots.iter().flatten() {
        if let Some(slot) = out.get_mut(*i) {
            slot.0 = true;
        }
    }
    for (i, w) in slots.iter().zip(weights) {
        if let Some(slot) = i.and_then(|i| out.get_mut(i)) {
            slot.1 = Some(Num(w));
        }
    }
    out
}

/// One strategy's summary: verdict (from its selection and status), rank (1-based; none in
/// the strict dialect without top-k) and weight.
fn summary_of(
    cx: &Ctx<'_>,
    f: &Facts,
    status: RuleStatus,
    selected: bool,
    weight: Option<Num>,
) -> StrategySummary {
    let verdict = match (selected, status) {
        (true, RuleStatus::Pass) => Verdict::Valid,
        (true, _) => Verdict::Warn,
        (false, _) => Verdict::Invalid,
    };
    let rank = match (cx.r.top_k, cx.dialect) {
        (None, Dialect::Strict) => None,
        _ => f.rank.map(|p| u32::try_from(p + 1).unwrap_or(u32::MAX)),
    };
    StrategySummary {
        status,
        verdict,
        selected,
        rank,
        weight,
    }
}

/// One strategy's decision: its summary, rule results and explanations (none unless
/// `cx.details`; `violations` left empty: the caller derives them when its sink wants them).
fn strategy_decision(
    cx: &Ctx<'_>,
    f: Facts,
    rr: RuleResults,
    summary: StrategySummary,
) -> StrategyDecision {
    let mut explanations = f.explanations;
    if cx.details {
        explanations.extend(rule_explanations(&rr, cx.r));
    }
    if cx.details
        && cx.strict
        && !summary.selected
        && summary.status == RuleStatus::Fail
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
    StrategyDecision {
        status: summary.status,
        verdict: summary.verdict,
        selected: summary.selected,
        rank: summary.rank,
        weight: summary.weight,
        rule_results: rr,
        violations: Vec::new(),
        explanations,
    }
}
