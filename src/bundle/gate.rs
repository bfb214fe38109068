//! The gate: what an edge function runs on every uploaded bundle.
//!
//! [`gate`] takes raw bytes and a [`Policy`] and returns a [`GateResult`] or every error found:
//!
//! 1. **read** — strict parse under [`Limits`], shape, ids, series ([`read_bundle`](super::read_bundle));
//! 2. **sanitize** — text fields and keys of `meta`, `storage_refs`, claimed metrics (custom
//!    metric names too), `previous`, `correlations` ([`sanitize`](super::sanitize)); error
//!    messages and paths, which quote input, are sanitized as well;
//! 3. **recompute** — each `returns` series gives the `returns` and `pnl` blocks; a claimed block
//!    beside a series must agree within [`Tolerance`] on every number it states, else
//!    `E_METRICS_MISMATCH` naming the metric with both values; a claimed block without a series
//!    is kept and marked `source: claimed`;
//! 4. **digest** — `input_digest` = sha256 of the canonical JSON of the sanitized bundle;
//! 5. **evaluate** — the policy over all submissions (with the activation state given as the
//!    options' `previous` — a world service's — or else the bundle's own `previous`, and the
//!    bundle's `correlations`, or correlations computed from the series);
//! 6. **record** — per strategy: gating block, snapshot envelope (seed §3.3) with series heads,
//!    run record in state `evaluated` (run ids minted from the input digest when not given);
//!    `result_digest` = sha256 of the canonical JSON of the decision; with
//!    `GateOptions::full_series`, each submission's full series as read (`series`).
//!
//! The core has no clock: `created_at` comes from [`GateOptions`] (default
//! [`DEFAULT_CREATED_AT`], the Unix epoch), so the same bytes, policy and options give the same
//! digests, decision and documents in every runtime.

use super::sanitize::{Redaction, sanitize_bundle_value, sanitize_errors};
use super::{Limits, bundle_digest, parse_bundle};
use crate::digest::{digest_value, sha256_bytes};
use crate::error::{Code, Error, pointer_join};
use crate::json::fields::table_struct;
use crate::metrics::{self, MetricsOptions};
use crate::policy::wire::{Wire, decision_wire};
use crate::policy::{EvaluationInput, Policy};
use crate::run::{self, Run};
use crate::schema::{
    ActivationState, Bundle, Decision, Dialect, EvaluationMetrics, MetricSource, MetricsProfile,
    Num, Provenance, RunState, SeriesHeads, Snapshot, Submission, SubmissionReport,
    SubmissionSeries, Verdict, Violation, check_bundle, from_value,
};
use indexmap::IndexMap;
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// `created_at` when the options give none: the Unix epoch.
pub const DEFAULT_CREATED_AT: &str = "1970-01-01T00:00:00Z";

/// How far a claimed metric may be from the recomputed one:
/// `|claimed − recomputed| ≤ absolute + relative · |recomputed|`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[cfg_attr(not(target_arch = "wasm32"), derive(schemars::JsonSchema, ts_rs::TS))]
#[serde(default, deny_unknown_fields)]
pub struct Tolerance {
    /// Relative part (default 1e-9).
    #[cfg_attr(not(target_arch = "wasm32"), ts(optional, as = "Option<f64>"))]
    pub relative: f64,
    /// Absolute part (default 1e-12).
    #[cfg_attr(not(target_arch = "wasm32"), ts(optional, as = "Option<f64>"))]
    pub absolute: f64,
}

impl Default for Tolerance {
    fn default() -> Self {
        Tolerance {
            relative: 1e-9,
            absolute: 1e-12,
        }
    }
}

impl Tolerance {
    /// Whether `claimed` agrees with `recomputed` (equal infinities and NaN with NaN agree).
    pub fn agrees(&self, claimed: f64, recomputed: f64) -> bool {
        if !claimed.is_finite() || !recomputed.is_finite() {
            return claimed == recomputed || (claimed.is_nan() && recomputed.is_nan());
        }
        (claimed - recomputed).abs() <= self.absolute + self.relative * recomputed.abs()
    }
}

/// Options of [`gate`]; every field has a default.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(not(target_arch = "wasm32"), derive(schemars::JsonSchema, ts_rs::TS))]
#[serde(default, deny_unknown_fields)]
pub struct GateOptions {
    /// Size limits of the upload.
    #[cfg_attr(not(target_arch = "wasm32"), ts(optional, as = "Option<Limits>"))]
    pub limits: Limits,
    /// Timestamp written to snapshots and runs (RFC 3339; default the Unix epoch, since the
    /// core has no clock).
    #[cfg_attr(not(target_arch = "wasm32"), ts(optional, as = "Option<String>"))]
    pub created_at: String,
    /// How many leading values of each series the snapshots keep (default 16).
    #[cfg_attr(not(target_arch = "wasm32"), ts(optional, as = "Option<u32>"))]
    pub series_head_len: u32,
    /// Tolerance for claimed metrics.
    #[cfg_attr(not(target_arch = "wasm32"), ts(optional, as = "Option<Tolerance>"))]
    pub tolerance: Tolerance,
    /// Evaluation stage for profile selection; default: the submissions' common `stage`.
    #[cfg_attr(not(target_arch = "wasm32"), ts(optional))]
    pub stage: Option<String>,
    /// Explicit validation profile.
    #[cfg_attr(not(target_arch = "wasm32"), ts(optional))]
    pub profile: Option<String>,
    /// Computes QMTL's v1.5 metric set (`metrics.v15`) from each returns series under this
    /// profile, so that validation profiles (`sharpe_min`, `max_dd_max`, `gain_to_pain_min`,
    /// `dsr_min`, `min_effective_years`, `min_trades_total`, `cv_sharpe_gap_max`) find their
    /// metrics. Default: `qmtl` for a `qmtl`-dialect policy, none for a `strict` one. The
    /// policy reads the v1.5 blocks first: where both define a name (`returns.sharpe`,
    /// `returns.max_drawdown`), the v1.5 value is the one it sees.
    #[cfg_attr(not(target_arch = "wasm32"), ts(optional))]
    pub metrics_profile: Option<MetricsProfile>,
    /// The activation state to gate in, given by the caller (a world service passes its own)
    /// instead of inside the bundle; it is not part of the bundle, so `input_digest` does not
    /// cover it. A bundle that also carries `previous` is refused (`E_INVALID_VALUE` at
    /// `/previous`). Default: none (the bundle's own `previous`, if any).
    #[cfg_attr(not(target_arch = "wasm32"), ts(optional))]
    pub previous: Option<ActivationState>,
    /// Whether the result carries each submission's full series (`series`), for a caller that
    /// stores them; default false (a result the size of the decision, not of the upload).
    #[cfg_attr(not(target_arch = "wasm32"), ts(optional, as = "Option<bool>"))]
    pub full_series: bool,
    /// Computes each submission's report (`reports`: `distribution`, `drawdowns`, `rolling`,
    /// `calendar` with a time axis, `relative` with a benchmark) under this request, with the
    /// submission's P (given or implied by its time axis), yearly risk-free rate and time axis
    /// (timestamps, or its index expanded): the same report as `computeReport` of its returns
    /// with those options. A `benchmark` in the request is every submission's (by date when
    /// both are dated, else by position, so as long as each series). Default none: no report
    /// is computed, the gate costs what it did.
    #[cfg_attr(not(target_arch = "wasm32"), ts(optional))]
    pub report: Option<crate::schema::ReportRequest>,
}

impl Default for GateOptions {
    fn default() -> Self {
        GateOptions {
            limits: Limits::default(),
            created_at: DEFAULT_CREATED_AT.to_string(),
            series_head_len: 16,
            tolerance: Tolerance::default(),
            stage: None,
            profile: None,
            metrics_profile: None,
            previous: None,
            full_series: false,
            report: None,
        }
    }
}

/// The gate's verdict on one strategy.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(not(target_arch = "wasm32"), derive(schemars::JsonSchema, ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct StrategyOutcome {
    /// The strategy.
    pub strategy_id: String,
    /// Its run (given or minted).
    pub run_id: String,
    /// The policy's verdict.
    pub verdict: Verdict,
    /// Whether the policy selected it.
    pub selected: bool,
    /// Rules broken.
    pub violations: Vec<Violation>,
    /// Rank among the strategies that passed the thresholds.
    #[serde(default)]
    pub rank: Option<u32>,
    /// Weight in the active set.
    #[serde(default)]
    pub weight: Option<Num>,
    /// `returns` (recomputed from the series) or `claimed` (taken as sent).
    pub metrics_source: MetricSource,
    /// `.qmtl_snapshots/<world>-<strategy>-<run>.json`.
    pub snapshot_file: String,
}

/// What [`gate`] returns for an accepted upload.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(not(target_arch = "wasm32"), derive(schemars::JsonSchema, ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct GateResult {
    /// Wire-format version.
    pub schema_version: u32,
    /// The world.
    pub world_id: String,
    /// `created_at` of the options.
    pub created_at: String,
    /// `sha256:<hex>` of the canonical JSON of the sanitized bundle.
    pub input_digest: String,
    /// `sha256:<hex>` of the canonical JSON of `decision`.
    pub result_digest: String,
    /// `sha256:<hex>` of the resolved policy.
    pub ruleset_hash: String,
    /// Selected strategy ids, in rank order.
    pub selected: Vec<String>,
    /// Ids whose verdict is `invalid` (a CLI exits 1 when this is not empty).
    pub rejected: Vec<String>,
    /// One outcome per submission, in bundle order.
    pub strategies: Vec<StrategyOutcome>,
    /// The policy engine's full decision (rule results, explanations, next activation state).
    pub decision: Decision,
    /// One snapshot envelope per submission.
    pub snapshots: Vec<Snapshot>,
    /// One evaluated run record per submission.
    pub runs: Vec<Run>,
    /// Everything the sanitizer removed, by path and kind.
    pub redactions: Vec<Redaction>,
    /// Each submission's full series, in bundle order, when the options asked for them
    /// (`full_series`); absent otherwise.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(not(target_arch = "wasm32"), ts(optional))]
    pub series: Option<Vec<SubmissionSeries>>,
    /// Each submission's report, in bundle order, when the options asked for them (`report`);
    /// absent otherwise.
    // The wasm build writes them but does not read them back: a result read there
    // (`validateDocument`) has its `reports` skipped unchecked, since reading the report type
    // would add some 55 KB to the wasm for a document nothing in it reads.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(not(target_arch = "wasm32"), ts(optional))]
    pub reports: Option<Vec<SubmissionReport>>,
}

/// `GateResult.reports` read in the wasm build: skipped (see the field).
#[cfg(target_arch = "wasm32")]
fn read_reports<'de, A: serde::de::MapAccess<'de>>(
    map: &mut A,
) -> Result<Option<Vec<SubmissionReport>>, A::Error> {
    map.next_value::<serde::de::IgnoredAny>().map(|_| None)
}

/// `GateResult.reports` read natively: the reports' own reader.
#[cfg(not(target_arch = "wasm32"))]
fn read_reports<'de, A: serde::de::MapAccess<'de>>(
    map: &mut A,
) -> Result<Option<Vec<SubmissionReport>>, A::Error> {
    map.next_value()
}

// The result's decoder from its field table (`crate::json::fields`); same messages and paths as
// the derived one.
table_struct!(GateResult {
    schema_version,
    world_id,
    created_at,
    input_digest,
    result_digest,
    ruleset_hash,
    selected,
    rejected,
    strategies,
    decision = Decision::placeholder(),
    snapshots,
    runs,
    redactions,
    series,
    reports => read_reports,
} required [
    schema_version, world_id, created_at, input_digest, result_digest, ruleset_hash, selected,
    rejected, strategies, decision, snapshots, runs, redactions,
]);

/// Gates a bundle: read, sanitize, recompute, digest, evaluate, record.
///
/// # Errors
/// Every problem found, each with code and path: the reader's (`E_PARSE`, `E_TOO_LARGE`,
/// `E_DUPLICATE_KEY`, `E_NOT_FINITE`, `E_SCHEMA`), [`check_bundle`]'s (`E_SCHEMA`,
/// `E_ID_INVALID`, `E_TOO_LARGE`, `E_NOT_FINITE`, `E_INVALID_VALUE`), `E_METRICS_MISMATCH` for
/// each claimed metric that disagrees with the series (path
/// `/submissions/<i>/metrics/<block>/<metric>`), `E_SCHEMA`/`E_INVALID_VALUE` under `/previous`
/// or `/correlations` when the policy engine cannot read them, and metric-engine errors under
/// `/submissions/<i>`.
pub fn gate(bytes: &[u8], policy: &Policy, opts: &GateOptions) -> Result<GateResult, Vec<Error>> {
    gate_with_decision_wire(bytes, policy, opts).map(|(result, _)| result)
}

/// [`gate`], with the decision's wire text (written once: its canonical form gives
/// `result_digest`, and [`write_answer_wire`] splices it into the result's text).
///
/// # Errors
/// As [`gate`].
pub(crate) fn gate_with_decision_wire(
    bytes: &[u8],
    policy: &Policy,
    opts: &GateOptions,
) -> Result<(GateResult, Wire), Vec<Error>> {
    // Errors quote input (keys, values): they are sanitized like the documents.
    gate_unsanitized_errors(bytes, policy, opts).map_err(|mut errors| {
        sanitize_errors(&mut errors);
        errors
    })
}

fn gate_unsanitized_errors(
    bytes: &[u8],
    policy: &Policy,
    opts: &GateOptions,
) -> Result<(GateResult, Wire), Vec<Error>> {
    let CheckedBundle {
        mut bundle,
        claimed,
        input_digest,
        redactions,
    } = read_checked_bundle(bytes, &opts.limits)?;
    let report_bench_days = report_benchmark_axis(opts)?;
    let profile = opts
        .metrics_profile
        .or((policy.dialect() == Dialect::Qmtl).then_some(MetricsProfile::Qmtl));
    let Recomputed {
        metrics,
        returns,
        dates,
        reports,
        mut errors,
    } = recompute(
        &bundle,
        &claimed,
        profile,
        report_bench_days.as_deref(),
        opts,
    );
    let input = policy_input(&bundle, &metrics, returns, &dates, opts).map_err(|mut e| {
        errors.append(&mut e);
        std::mem::take(&mut errors)
    })?;
    if !errors.is_empty() {
        return Err(errors);
    }

    let decision = policy.evaluate(&input);
    let decision_json = decision_wire(&decision).map_err(|e| {
        vec![Error::new(
            Code::Internal,
            "",
            format!("cannot serialize the decision: {e}"),
        )]
    })?;
    let result_digest = decision_digest(decision_json.bytes());
    let ruleset_hash = policy.ruleset_hash().to_string();
    let digests = Digests {
        input: &input_digest,
        result: &result_digest,
        ruleset: &ruleset_hash,
    };
    let outcomes = outcomes(&bundle, metrics, &dates, policy, &decision, &digests, opts)?;
    let series = opts
        .full_series
        .then(|| full_series(std::mem::take(&mut bundle.submissions), &dates));
    let result = GateResult {
        schema_version: crate::schema::SCHEMA_VERSION,
        world_id: bundle.world_id,
        created_at: opts.created_at.clone(),
        input_digest,
        result_digest,
        ruleset_hash,
        selected: decision.selected.clone(),
        rejected: outcomes.rejected,
        strategies: outcomes.strategies,
        decision,
        snapshots: outcomes.snapshots,
        runs: outcomes.runs,
        redactions,
        series,
        reports: opts.report.is_some().then_some(reports),
    };
    Ok((result, decision_json))
}

/// A bundle read, sanitized and checked.
struct CheckedBundle {
    /// The typed bundle, its series filled in.
    bundle: Bundle,
    /// Each submission's claimed metric blocks, as given.
    claimed: Vec<Option<Value>>,
    /// The digest of the sanitized document.
    input_digest: String,
    redactions: Vec<Redaction>,
}

/// The bundle of `bytes`, read, sanitized and checked.
///
/// # Errors
/// The reader's error; the submission count over the limit; the typed reading's error;
/// every shape, limit and secret-id error of the bundle.
fn read_checked_bundle(bytes: &[u8], limits: &Limits) -> Result<CheckedBundle, Vec<Error>> {
    let (mut value, series) = parse_bundle(bytes, limits).map_err(|e| vec![e])?;
    super::check_submission_count(&value, limits)?;
    let redactions = sanitize_bundle_value(&mut value);
    let mut bundle: Bundle = from_value(&value).map_err(|e| vec![e])?;
    let input_digest = bundle_digest(&value, &series);
    super::fill_series(&mut bundle, series);
    let mut errors = check_bundle(&bundle, limits);
    errors.extend(super::secret_ids(&bundle));
    if !errors.is_empty() {
        return Err(errors);
    }
    let claimed = claimed_blocks(&value);
    Ok(CheckedBundle {
        bundle,
        claimed,
        input_digest,
        redactions,
    })
}

/// With a report requested: checks the request's own values once (a window of 0, a rate
/// ≤ −1) and reads the benchmark's time axis once for every submission's report.
///
/// # Errors
/// The request's error, within `/options/report`.
fn report_benchmark_axis(opts: &GateOptions) -> Result<Option<Vec<f64>>, Vec<Error>> {
    let Some(request) = &opts.report else {
        return Ok(None);
    };
    let unseries = crate::schema::ReportRequest {
        benchmark: None,
        benchmark_timestamps: None,
        ..request.clone()
    };
    metrics::report::validate(&unseries.options(252.0, 0.0, None), 0)
        .map_err(|e| vec![e.within("/options/report")])?;
    metrics::report::benchmark_axis(
        request.benchmark.as_ref().map(Vec::len),
        request.benchmark_timestamps.as_deref(),
    )
    .map_err(|e| vec![e.within("/options/report")])
}

/// What [`recompute`] gives: per submission in order, its returns as plain floats and its
/// time axis (`None` where it has none or it is invalid); the metrics and reports of the
/// submissions that passed; every error found.
struct Recomputed {
    metrics: Vec<(EvaluationMetrics, MetricSource)>,
    returns: Vec<Option<Vec<f64>>>,
    dates: Vec<Option<Vec<f64>>>,
    reports: Vec<SubmissionReport>,
    errors: Vec<Error>,
}

/// Recomputes each submission's metrics (and report, when requested) and compares them with
/// its `claimed` blocks. Each returns series is copied once, as plain floats: the metrics
/// read it, then the policy (correlations) takes it. A submission whose time axis is
/// invalid gets its error and no metrics; the others continue.
fn recompute(
    bundle: &Bundle,
    claimed: &[Option<Value>],
    profile: Option<MetricsProfile>,
    report_bench_days: Option<&[f64]>,
    opts: &GateOptions,
) -> Recomputed {
    let n = bundle.submissions.len();
    let mut out = Recomputed {
        metrics: Vec::new(),
        returns: Vec::with_capacity(n),
        dates: Vec::with_capacity(n),
        reports: Vec::new(),
        errors: Vec::new(),
    };
    for (i, sub) in bundle.submissions.iter().enumerate() {
        let r: Option<Vec<f64>> = sub
            .returns
            .as_ref()
            .map(|r| r.iter().map(|x| x.0).collect());
        let axis = metrics::timeline::time_axis(
            sub.timestamps.as_deref(),
            sub.index.as_ref(),
            r.as_ref().map_or(0, Vec::len),
            &format!("/submissions/{i}"),
        );
        let days = match axis {
            Ok(d) => d,
            Err(e) => {
                out.errors.push(e);
                out.returns.push(r);
                out.dates.push(None);
                continue;
            }
        };
        let claim = claimed.get(i).and_then(Option::as_ref);
        match submission_metrics(
            sub,
            (r.as_deref(), days.as_deref()),
            claim,
            (i, profile),
            opts,
        ) {
            Ok(m) => {
                if let Some(request) = &opts.report {
                    let axes = (days.as_deref(), report_bench_days);
                    match submission_report(sub, r.as_deref(), axes, &m.0, request) {
                        Ok(report) => out.reports.push(report),
                        Err(e) => out.errors.push(e),
                    }
                }
                out.metrics.push(m);
            }
            Err(mut e) => out.errors.append(&mut e),
        }
        out.returns.push(r);
        out.dates.push(days);
    }
    out
}

/// The digests every document of one gate call carries.
struct Digests<'a> {
    input: &'a str,
    result: &'a str,
    ruleset: &'a str,
}

/// Per submission, in order: its outcome, snapshot and run record; and the ids of the
/// strategies whose verdict is `invalid`.
struct Outcomes {
    rejected: Vec<String>,
    strategies: Vec<StrategyOutcome>,
    snapshots: Vec<Snapshot>,
    runs: Vec<Run>,
}

/// The documents of each submission from its recomputed `metrics` (one per submission) and
/// the policy's `decision`: the gating block goes into the metrics, a run id is minted where
/// the submission has none.
///
/// # Errors
/// A run record or snapshot id that cannot be made, within `/submissions/<i>`.
fn outcomes(
    bundle: &Bundle,
    metrics: Vec<(EvaluationMetrics, MetricSource)>,
    dates: &[Option<Vec<f64>>],
    policy: &Policy,
    decision: &Decision,
    digests: &Digests<'_>,
    opts: &GateOptions,
) -> Result<Outcomes, Vec<Error>> {
    let provenance = Provenance {
        input_digest: Some(digests.input.to_string()),
        result_digest: Some(digests.result.to_string()),
        ruleset_hash: Some(digests.ruleset.to_string()),
        worldgate_version: Some(crate::VERSION.to_string()),
    };
    let n = bundle.submissions.len();
    let mut out = Outcomes {
        rejected: Vec::new(),
        strategies: Vec::with_capacity(n),
        snapshots: Vec::with_capacity(n),
        runs: Vec::with_capacity(n),
    };
    for ((sub, (mut m, source)), i) in bundle.submissions.iter().zip(metrics).zip(0_usize..) {
        let base = format!("/submissions/{i}");
        let gating = policy
            .gating(decision, &sub.strategy_id)
            .unwrap_or_default();
        m.gating = Some(gating.clone());
        let run_id = sub
            .run_id
            .clone()
            .unwrap_or_else(|| run::mint_run_id(digests.input, &sub.strategy_id));
        let at = opts.created_at.as_str();
        let record = evaluated_run(
            &bundle.world_id,
            sub,
            &run_id,
            &m,
            &gating,
            at,
            (digests.ruleset, digests.input),
        )
        .map_err(|e| vec![e.within(&base)])?;
        let snapshot_id = run::snapshot_id(&bundle.world_id, &sub.strategy_id, &run_id)
            .map_err(|e| vec![e.within(&base)])?;
        if gating.verdict == Verdict::Invalid {
            out.rejected.push(sub.strategy_id.clone());
        }
        out.strategies.push(StrategyOutcome {
            strategy_id: sub.strategy_id.clone(),
            run_id: run_id.clone(),
            verdict: gating.verdict,
            selected: decision.selected.contains(&sub.strategy_id),
            violations: gating.violations.clone(),
            rank: gating.rank,
            weight: gating.weight,
            metrics_source: source,
            snapshot_file: format!(".qmtl_snapshots/{snapshot_id}.json"),
        });
        out.snapshots.push(Snapshot {
            schema_version: crate::schema::SCHEMA_VERSION,
            snapshot_id,
            world_id: bundle.world_id.clone(),
            strategy_id: sub.strategy_id.clone(),
            run_id,
            created_at: opts.created_at.clone(),
            metrics: m,
            series_heads: series_heads(
                sub,
                dates.get(i).and_then(Option::as_deref),
                opts.series_head_len as usize,
            ),
            meta: sub.meta.clone(),
            storage_refs: sub.storage_refs.clone(),
            provenance: Some(provenance.clone()),
        });
        out.runs.push(record);
    }
    Ok(out)
}

/// Each submission's full series as read (`GateOptions::full_series`); the timestamps, where
/// the submission gave an index instead, written from its time axis `dates`.
fn full_series(submissions: Vec<Submission>, dates: &[Option<Vec<f64>>]) -> Vec<SubmissionSeries> {
    submissions
        .into_iter()
        .zip(dates)
        .map(|(s, days)| SubmissionSeries {
            strategy_id: s.strategy_id,
            returns: s.returns,
            equity: s.equity,
            pnl: s.pnl,
            timestamps: s.timestamps.or_else(|| {
                days.as_ref()
                    .map(|d| d.iter().map(|&x| crate::time::format(x)).collect())
            }),
        })
        .collect()
}

/// `sha256:<hex>` of the canonical JSON of the decision, from its compact JSON text.
fn decision_digest(decision_json: &[u8]) -> String {
    let Ok(decision_json) = std::str::from_utf8(decision_json) else {
        return sha256_bytes(b"");
    };
    match crate::json::canonical_text::canonicalize(decision_json) {
        Some(canonical) => sha256_bytes(&canonical),
        // Keys with escapes (or a decision nested deeper than 128): the tree path.
        None => {
            let limits = Limits::UNBOUNDED;
            match crate::json::parse(decision_json.as_bytes(), &limits) {
                Ok(v) => digest_value(&v),
                Err(_) => sha256_bytes(b""),
            }
        }
    }
}

/// Writes the answer `{"type": "success", "value": result}` as wire text
/// ([`crate::policy::wire`]): the text is `serde_json`'s for the answer, with `decision` (the
/// wire text of `result.decision` from [`gate_with_decision_wire`]) in place of the decision and
/// each run's metrics block copied from its snapshot's when they are equal. The layout: the
/// result's scalars, `selected` and `rejected` eager; `strategies`, `redactions` and `series`
/// lazy; `decision` as [`crate::policy::wire::decision_wire`] lays it out; `snapshots` and
/// `runs` arrays of nodes, each member of a snapshot after `created_at` and each member of a
/// run lazy, so a caller reads one run's `status` without parsing its metrics, and stores a
/// run's or a snapshot's text as it is. A test compares the text with `serde_json`'s.
///
/// # Errors
/// When a member cannot be serialized (not for the gate's own results).
#[cfg_attr(not(feature = "wasm"), allow(dead_code))]
pub(crate) fn write_answer_wire(
    w: &mut Wire,
    result: &GateResult,
    decision: Wire,
) -> Result<(), serde_json::Error> {
    w.begin_object();
    w.eager("type", "success")?;
    w.begin_object_member("value")?;
    write_result_wire(w, result, decision)?;
    w.end();
    w.end();
    Ok(())
}

/// The result's members into the open object of `w` (see [`write_answer_wire`]).
fn write_result_wire(
    w: &mut Wire,
    result: &GateResult,
    decision: Wire,
) -> Result<(), serde_json::Error> {
    let r = result;
    w.eager("schema_version", &r.schema_version)?;
    w.eager("world_id", &r.world_id)?;
    w.eager("created_at", &r.created_at)?;
    w.eager("input_digest", &r.input_digest)?;
    w.eager("result_digest", &r.result_digest)?;
    w.eager("ruleset_hash", &r.ruleset_hash)?;
    w.eager("selected", &r.selected)?;
    w.eager("rejected", &r.rejected)?;
    w.lazy("strategies", &r.strategies)?;
    w.lazy_wire("decision", decision)?;
    // Each strategy's metrics block appears in its snapshot and again in its run: written
    // once, copied for the run.
    let mut metrics_json: Vec<(usize, usize)> = Vec::with_capacity(r.snapshots.len());
    w.begin_array_member("snapshots")?;
    for s in &r.snapshots {
        w.begin_object_member("")?;
        w.eager("schema_version", &s.schema_version)?;
        w.eager("snapshot_id", &s.snapshot_id)?;
        w.eager("world_id", &s.world_id)?;
        w.eager("strategy_id", &s.strategy_id)?;
        w.eager("run_id", &s.run_id)?;
        w.eager("created_at", &s.created_at)?;
        let start = w.bytes().len();
        w.lazy("metrics", &s.metrics)?;
        let text = w.bytes().get(start..).unwrap_or_default();
        let at = text.iter().position(|&b| b == b':').map_or(0, |i| i + 1);
        metrics_json.push((start + at, w.bytes().len()));
        w.lazy("series_heads", &s.series_heads)?;
        w.lazy("meta", &s.meta)?;
        w.lazy("storage_refs", &s.storage_refs)?;
        if let Some(p) = &s.provenance {
            w.lazy("provenance", p)?;
        }
        w.end();
    }
    w.end();
    w.begin_array_member("runs")?;
    for (i, run) in r.runs.iter().enumerate() {
        w.begin_object_member("")?;
        w.lazy("status", &run.status)?;
        if let Some(m) = &run.metrics {
            match (r.snapshots.get(i), metrics_json.get(i)) {
                (Some(s), Some(&(a, b))) if &s.metrics == m => {
                    let copy = w.bytes().get(a..b).unwrap_or_default().to_vec();
                    w.lazy_raw("metrics", &copy)?;
                }
                _ => w.lazy("metrics", m)?,
            }
        }
        if let Some(d) = &run.decision {
            w.lazy("decision", d)?;
        }
        w.lazy("history", &run.history)?;
        w.end();
    }
    w.end();
    w.lazy("redactions", &r.redactions)?;
    if let Some(series) = &r.series {
        w.lazy("series", series)?;
    }
    if let Some(reports) = &r.reports {
        w.lazy("reports", reports)?;
    }
    Ok(())
}

/// The report of one submission under `request` (`GateOptions::report`): P as its metrics
/// resolved it, its yearly risk-free rate, its time axis as timestamps (an index expanded);
/// `report: null` without a returns series.
///
/// # Errors
/// The report's errors (a benchmark of another length, a bad benchmark timestamp) under
/// `/options/report`.
fn submission_report(
    sub: &Submission,
    returns: Option<&[f64]>,
    (days, bench_days): (Option<&[f64]>, Option<&[f64]>),
    metrics: &EvaluationMetrics,
    request: &crate::schema::ReportRequest,
) -> Result<SubmissionReport, Error> {
    let report = match returns {
        None => None,
        Some(r) => {
            let mopts = metrics_options(sub);
            let periods = metrics
                .returns
                .as_ref()
                .and_then(|m| m.conventions.as_ref())
                .map_or_else(|| mopts.periods(), |c| c.periods_per_year);
            // The submission's axis is already read (`days`): passed on as days, its strings
            // (when it had them) quoted by the episodes.
            let opts = request.options(periods, mopts.risk_free, None);
            let within = |e: Error| e.within("/options/report");
            let axes = metrics::report::Axes {
                days,
                labels: sub.timestamps.as_deref(),
                benchmark_days: bench_days,
            };
            Some(metrics::report::compute_on(r, &opts, axes).map_err(within)?)
        }
    };
    Ok(SubmissionReport {
        strategy_id: sub.strategy_id.clone(),
        report,
    })
}

/// The raw claimed `metrics` object of each submission (numbers exactly as sent).
fn claimed_blocks(bundle: &Value) -> Vec<Option<Value>> {
    bundle
        .get("submissions")
        .and_then(Value::as_array)
        .map(|subs| subs.iter().map(|s| s.get("metrics").cloned()).collect())
        .unwrap_or_default()
}

/// The metric bundle of one submission: recomputed from `returns` (checked against any claim)
/// or the claim itself.
fn submission_metrics(
    sub: &Submission,
    (returns, days): (Option<&[f64]>, Option<&[f64]>),
    claimed_raw: Option<&Value>,
    (i, profile): (usize, Option<MetricsProfile>),
    opts: &GateOptions,
) -> Result<(EvaluationMetrics, MetricSource), Vec<Error>> {
    let Some(series) = returns else {
        let mut m = sub.metrics.clone().unwrap_or_default();
        if let Some(claim) = &m.v15 {
            from_value::<crate::schema::V15Metrics>(claim)
                .map_err(|e| vec![e.within(&format!("/submissions/{i}/metrics/v15"))])?;
        }
        if let Some(r) = m.returns.as_mut() {
            r.source = MetricSource::Claimed;
        }
        m.gating = None;
        return Ok((m, MetricSource::Claimed));
    };
    let base = format!("/submissions/{i}");
    let mopts = metrics_options(sub);
    let mut computed = metrics::compute(series, &mopts).map_err(|e| vec![e.within(&base)])?;
    if let Some(profile) = profile {
        let v15 = metrics::compute_v15(series, &v15_options(sub, profile, days))
            .map_err(|e| vec![e.within(&base)])?;
        computed.v15 = Some(crate::json::to_value(&v15).map_err(|e| {
            vec![Error::new(
                Code::Internal,
                base.as_str(),
                format!("cannot convert the v1.5 metrics: {e}"),
            )]
        })?);
    }
    if let (Some(claim), Some(raw)) = (&sub.metrics, claimed_raw) {
        compare_claims(raw, &computed, &format!("{base}/metrics"), &opts.tolerance)?;
        // Blocks the series cannot give are kept as claimed.
        computed.risk = claim.risk.clone();
        computed.custom = claim.custom.clone();
        if computed.v15.is_none() {
            computed.v15 = claim.v15.clone();
        }
    }
    Ok((computed, MetricSource::Returns))
}

/// The v1.5 options of a submission: its `periods_per_year`, `risk_free` (yearly; per period
/// `(1 + rf)^(1/P) − 1` for the `qmtl` profile, whose rate is per period) and
/// `search_intensity`; P defaults to the one the time axis implies, and the axis (an index
/// expanded) becomes the timestamps.
fn v15_options(
    sub: &Submission,
    profile: MetricsProfile,
    days: Option<&[f64]>,
) -> metrics::V15Options {
    let d = metrics::V15Options::default();
    let p = sub
        .periods_per_year
        .or_else(|| metrics::timeline::implied_periods_per_year(days, sub.index.as_ref()))
        .unwrap_or(d.periods_per_year);
    let rf = sub.risk_free.unwrap_or(d.risk_free);
    let risk_free = match profile {
        MetricsProfile::Qmtl if rf != 0.0 => libm::expm1(libm::log1p(rf) / p),
        _ => rf,
    };
    metrics::V15Options {
        profile,
        periods_per_year: p,
        risk_free,
        search_intensity: sub.search_intensity.unwrap_or(d.search_intensity),
        // The time axis as timestamps (an index expanded): `strict`'s calendar fields.
        timestamps: sub
            .timestamps
            .clone()
            .or_else(|| days.map(|d| d.iter().map(|&x| crate::time::format(x)).collect())),
        ..d
    }
}

fn metrics_options(sub: &Submission) -> MetricsOptions {
    let d = MetricsOptions::default();
    MetricsOptions {
        periods_per_year: sub.periods_per_year.or(d.periods_per_year),
        risk_free: sub.risk_free.unwrap_or(d.risk_free),
        window: sub.window.clone(),
        initial_capital: sub.initial_capital.unwrap_or(d.initial_capital),
        reference_currency: sub
            .reference_currency
            .clone()
            .unwrap_or(d.reference_currency.clone()),
        timestamps: sub.timestamps.clone(),
        index: sub.index.clone(),
        ..d
    }
}

/// Every number stated in the claimed `returns`/`pnl` blocks must match the recomputed one.
fn compare_claims(
    raw: &Value,
    computed: &EvaluationMetrics,
    base: &str,
    tol: &Tolerance,
) -> Result<(), Vec<Error>> {
    let mut errors = Vec::new();
    if let Some(claim) = raw.get("v15") {
        // A claim must be a v1.5 document (every field optional).
        if let Err(e) = from_value::<crate::schema::V15Metrics>(claim) {
            return Err(vec![e.within(&pointer_join(base, "v15"))]);
        }
        if let Some(recomputed) = &computed.v15 {
            let at = pointer_join(base, "v15");
            compare_tree(claim, recomputed, &at, tol, &mut errors);
        }
    }
    let blocks = [
        ("returns", crate::json::to_value(&computed.returns).ok()),
        ("pnl", crate::json::to_value(&computed.pnl).ok()),
    ];
    for (block, recomputed) in blocks {
        let Some(Value::Object(claims)) = raw.get(block) else {
            continue;
        };
        for (name, claim) in claims {
            let Some(c) = number(claim) else { continue };
            let r = recomputed
                .as_ref()
                .and_then(|v| v.get(name))
                .and_then(number);
            let ok = r.is_some_and(|r| tol.agrees(c, r));
            if !ok {
                let shown = r.map_or("null".to_string(), show);
                errors.push(
                    Error::new(
                        Code::MetricsMismatch,
                        pointer_join(&pointer_join(base, block), name),
                        format!(
                            "claimed `{name}` {} disagrees with {shown} recomputed from `returns`",
                            show(c)
                        ),
                    )
                    .with_help(format!(
                        "claims must match within {} relative + {} absolute; omit the claim to use the recomputed value",
                        crate::json::float::Brief(tol.relative),
                        crate::json::float::Brief(tol.absolute)
                    )),
                );
            }
        }
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors)
    }
}

/// Every number in the claimed tree `claim` must match the leaf at the same place in
/// `recomputed` (objects walked recursively; strings and other leaves are not claims).
fn compare_tree(
    claim: &Value,
    recomputed: &Value,
    at: &str,
    tol: &Tolerance,
    out: &mut Vec<Error>,
) {
    if let Value::Object(map) = claim {
        for (k, c) in map {
            let r = recomputed.get(k).unwrap_or(&Value::Null);
            compare_tree(c, r, &pointer_join(at, k), tol, out);
        }
        return;
    }
    let Some(c) = number(claim) else { return };
    let r = number(recomputed);
    if r.is_some_and(|r| tol.agrees(c, r)) {
        return;
    }
    let name = at.rsplit('/').next().unwrap_or_default();
    let shown = r.map_or("null".to_string(), show);
    out.push(
        Error::new(
            Code::MetricsMismatch,
            at,
            format!(
                "claimed `{name}` {} disagrees with {shown} recomputed from `returns`",
                show(c)
            ),
        )
        .with_help("omit the claim to use the recomputed value"),
    );
}

fn number(v: &Value) -> Option<f64> {
    match v {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => crate::schema::parse_non_finite(s),
        _ => None,
    }
}

fn show(x: f64) -> String {
    match crate::schema::non_finite_str(x) {
        Some(s) => s.to_string(),
        None => crate::json::canonical::format_number(x),
    }
}

/// The policy engine's input: metrics per strategy, previous state, correlations, series.
fn policy_input(
    bundle: &Bundle,
    metrics: &[(EvaluationMetrics, MetricSource)],
    series: Vec<Option<Vec<f64>>>,
    dates: &[Option<Vec<f64>>],
    opts: &GateOptions,
) -> Result<EvaluationInput, Vec<Error>> {
    let mut extra = serde_json::Map::new();
    extra.insert("metrics".into(), Value::Object(serde_json::Map::new()));
    match (&bundle.previous, &opts.previous) {
        (Some(_), Some(_)) => {
            return Err(vec![
                Error::new(
                    Code::InvalidValue,
                    "/previous",
                    "the bundle carries `previous` and the gate was given an activation state",
                )
                .with_help(
                    "remove `previous` from the bundle, or gate without `previous` in the options",
                ),
            ]);
        }
        (Some(p), None) => {
            extra.insert("previous".into(), p.clone());
        }
        (None, Some(state)) => {
            let v = crate::json::to_value(state).map_err(|e| {
                vec![Error::new(
                    Code::Internal,
                    "",
                    format!("cannot convert the activation state: {e}"),
                )]
            })?;
            extra.insert("previous".into(), v);
        }
        (None, None) => {}
    }
    if let Some(c) = &bundle.correlations {
        extra.insert("correlations".into(), c.clone());
    }
    let mut input = EvaluationInput::from_value(&Value::Object(extra))?;
    let mut returns = IndexMap::new();
    let mut timestamps = IndexMap::new();
    for (((sub, (m, _)), r), d) in bundle
        .submissions
        .iter()
        .zip(metrics)
        .zip(series)
        .zip(dates)
    {
        let v = crate::json::to_value(m).map_err(|e| {
            vec![Error::new(
                Code::Internal,
                "",
                format!("cannot convert metrics: {e}"),
            )]
        })?;
        input.metrics.insert(sub.strategy_id.clone(), v15_first(v));
        if let Some(r) = r {
            returns.insert(sub.strategy_id.clone(), r);
        }
        if let Some(d) = d {
            timestamps.insert(sub.strategy_id.clone(), d.clone());
        }
    }
    if bundle.correlations.is_none() && !returns.is_empty() {
        input.returns = Some(returns);
        if !timestamps.is_empty() {
            input.timestamps = Some(timestamps);
        }
    }
    input.stage = opts.stage.clone().or_else(|| common_stage(bundle));
    input.profile = opts.profile.clone();
    Ok(input)
}

/// The metrics as the policy reads them: the v1.5 blocks (`metrics.v15`) first, at the top
/// level as in QMTL's `EvaluationMetrics`, then worldgate's blocks and the keys of theirs the
/// v1.5 set does not define (`returns.volatility`, `pnl`, `custom`, …). Without `v15`,
/// unchanged.
fn v15_first(metrics: Value) -> Value {
    let Value::Object(mut ours) = metrics else {
        return metrics;
    };
    let Some(Value::Object(mut merged)) = ours.shift_remove("v15") else {
        return Value::Object(ours);
    };
    for (k, v) in ours {
        match (merged.get_mut(&k), v) {
            (None, v) => {
                merged.insert(k, v);
            }
            (Some(Value::Object(first)), Value::Object(rest)) => {
                for (name, x) in rest {
                    first.entry(name).or_insert(x);
                }
            }
            (Some(_), _) => {}
        }
    }
    Value::Object(merged)
}

fn common_stage(bundle: &Bundle) -> Option<String> {
    let first = bundle.submissions.first()?.stage.clone()?;
    bundle
        .submissions
        .iter()
        .all(|s| s.stage.as_deref() == Some(first.as_str()))
        .then_some(first)
}

/// The run record of one submission, walked to `evaluated`.
fn evaluated_run(
    world: &str,
    sub: &Submission,
    run_id: &str,
    m: &EvaluationMetrics,
    gating: &crate::schema::Gating,
    at: &str,
    (ruleset_hash, input_digest): (&str, &str),
) -> Result<Run, Error> {
    let mut r = run::new_run(world, &sub.strategy_id, run_id, at)?;
    for to in run::PUBLISH_PATH {
        if to == RunState::Evaluated {
            r = run::record_result_owned(r, m.clone(), gating.clone())?;
        }
        r = run::transition_owned(r, to, at)?;
    }
    r.status.ruleset_hash = Some(ruleset_hash.to_string());
    r.status.input_digest = Some(input_digest.to_string());
    if let Some(stage) = &sub.stage {
        r.status.effective_mode = stage.clone();
    }
    Ok(r)
}

/// The first `n` values of each series; equity and PnL are simulated from the returns when not
/// given (V₀ = `initial_capital`, Vₜ = Vₜ₋₁(1 + rₜ), NaN periods flat; PnL = Vₜ − V₀).
fn series_heads(sub: &Submission, days: Option<&[f64]>, n: usize) -> SeriesHeads {
    let head = |s: &Option<Vec<Num>>| -> Vec<Num> {
        s.as_ref()
            .map(|v| v.iter().take(n).copied().collect())
            .unwrap_or_default()
    };
    let mut heads = SeriesHeads {
        returns: head(&sub.returns),
        equity: head(&sub.equity),
        pnl: head(&sub.pnl),
        timestamps: match (&sub.timestamps, days) {
            (Some(ts), _) => ts.iter().take(n).cloned().collect(),
            (None, Some(d)) => d.iter().take(n).map(|&x| crate::time::format(x)).collect(),
            (None, None) => Vec::new(),
        },
    };
    let v0 = sub
        .initial_capital
        .unwrap_or(MetricsOptions::default().initial_capital);
    if (heads.equity.is_empty() || heads.pnl.is_empty()) && !heads.returns.is_empty() {
        let mut v = v0;
        let mut eq = Vec::with_capacity(heads.returns.len());
        for r in &heads.returns {
            if r.0.is_finite() {
                v *= 1.0 + r.0;
            }
            eq.push(v);
        }
        if heads.equity.is_empty() {
            heads.equity = eq.iter().map(|&x| Num(x)).collect();
        }
        if heads.pnl.is_empty() {
            heads.pnl = eq.iter().map(|&x| Num(x - v0)).collect();
        }
    }
    heads
}

// Decoders from field tables (`crate::json::fields`); same messages and paths as derived ones.
table_struct!(GateOptions default {
    limits, created_at, series_head_len, tolerance, stage, profile, metrics_profile, previous,
    full_series, report,
});
table_struct!(StrategyOutcome {
    strategy_id, run_id, verdict, selected, violations, rank, weight, metrics_source,
    snapshot_file,
} required [strategy_id, run_id, verdict, selected, violations, metrics_source, snapshot_file]);

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]
    use super::*;
    use crate::json::canonical::canonical_json;
    use crate::policy::Dialect;

    /// Three strategies with series, one with a claimed block only, a `previous` list, keys
    /// and a meta string that need escaping.
    fn bundle() -> Vec<u8> {
        let series = |k: f64| -> Vec<f64> {
            (0..300)
                .map(|i| 0.001 * k * ((i as f64) * 0.7 + k).sin() + 0.0002)
                .collect()
        };
        serde_json::to_vec(&serde_json::json!({
            "bundle_version": 1,
            "world_id": "w1",
            "previous": ["b"],
            "submissions": [
                {"strategy_id": "b", "returns": series(2.0), "meta": {"note": "tab\there \"q\" é 😀"}},
                {"strategy_id": "a", "returns": series(1.0), "stage": "backtest"},
                {"strategy_id": "c", "returns": series(3.0), "equity": [1.0, 1.5e-7, 2e21]},
                {"strategy_id": "d", "metrics": {"returns": {"sample_count": 40, "sharpe": 1.25, "max_drawdown": 0.1}}},
            ],
        }))
        .unwrap()
    }

    /// The answer's wire text is `serde_json`'s, and its layout reads back the same document.
    fn assert_answer_text(result: &GateResult, decision: Wire) {
        let mut w = Wire::default();
        write_answer_wire(&mut w, result, decision).unwrap();
        let t = w.finish().unwrap();
        let answer = serde_json::json!({"type": "success", "value": result});
        assert_eq!(t.text, serde_json::to_string(&answer).unwrap());
        assert_eq!(crate::policy::wire::read_layout(&t), answer);
    }

    #[test]
    fn decision_digest_and_result_text_agree_with_the_typed_paths() {
        for dialect in [Dialect::Strict, Dialect::Qmtl] {
            for name in crate::policy::PRESET_NAMES {
                let policy = Policy::preset_in(name, dialect).unwrap();
                let (result, decision_json) =
                    gate_with_decision_wire(&bundle(), &policy, &GateOptions::default()).unwrap();
                assert_eq!(
                    decision_json.bytes(),
                    serde_json::to_string(&result.decision).unwrap().as_bytes()
                );
                // result_digest = sha256(JCS(decision)) through the JSON tree.
                let tree = canonical_json(&result.decision).unwrap();
                assert_eq!(result.result_digest, sha256_bytes(tree.as_bytes()));
                assert_answer_text(&result, decision_json);
            }
        }
    }

    #[test]
    fn result_text_when_runs_and_snapshots_differ() {
        let policy = Policy::preset("conservative").unwrap();
        let (mut result, decision_json) =
            gate_with_decision_wire(&bundle(), &policy, &GateOptions::default()).unwrap();
        result.runs[0]
            .metrics
            .as_mut()
            .unwrap()
            .custom
            .insert("x".into(), Num(1.5));
        result.runs[1].metrics = None;
        result.runs[2].decision = None;
        result.snapshots[1].provenance = None;
        result.runs.pop();
        assert_answer_text(&result, decision_json);
    }

    #[test]
    fn result_text_with_the_reports() {
        let policy = Policy::preset("sandbox").unwrap();
        let opts = GateOptions {
            report: Some(crate::schema::ReportRequest::default()),
            ..GateOptions::default()
        };
        let (result, decision_json) = gate_with_decision_wire(&bundle(), &policy, &opts).unwrap();
        let reports = result.reports.as_ref().unwrap();
        assert_eq!(reports.len(), 4);
        assert!(reports[0].report.is_some() && reports[3].report.is_none());
        assert_answer_text(&result, decision_json);
        // The reports change nothing else.
        let plain = gate(&bundle(), &policy, &GateOptions::default()).unwrap();
        assert_eq!(
            GateResult {
                reports: None,
                ..result
            },
            plain
        );
    }

    #[test]
    fn result_text_with_the_full_series() {
        let policy = Policy::preset("sandbox").unwrap();
        let opts = GateOptions {
            full_series: true,
            ..GateOptions::default()
        };
        let (result, decision_json) = gate_with_decision_wire(&bundle(), &policy, &opts).unwrap();
        let series = result.series.as_ref().unwrap();
        assert_eq!(series.len(), 4);
        assert_eq!(series[0].returns.as_ref().unwrap().len(), 300);
        assert_eq!(
            series[2].equity.as_deref(),
            Some(&[Num(1.0), Num(1.5e-7), Num(2e21)][..])
        );
        assert!(series[3].returns.is_none());
        assert_answer_text(&result, decision_json);
        // The series change nothing else.
        let plain = gate(&bundle(), &policy, &GateOptions::default()).unwrap();
        assert_eq!(
            GateResult {
                series: None,
                ..result
            },
            plain
        );
    }

    #[test]
    fn decision_digest_falls_back_to_the_tree_for_escaped_keys() {
        let v = serde_json::json!({"z": {"a\"b": 1.5e-7, "\u{1}": [1e21]}, "a": "\n"});
        let text = serde_json::to_string(&v).unwrap();
        assert_eq!(decision_digest(text.as_bytes()), digest_value(&v));
        let plain = serde_json::json!({"z": {"ab": 1.5e-7, "c": [1e21]}, "a": "\n"});
        let text = serde_json::to_string(&plain).unwrap();
        assert_eq!(decision_digest(text.as_bytes()), digest_value(&plain));
    }
}
