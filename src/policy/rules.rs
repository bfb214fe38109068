//! Per-strategy rule results in QMTL's shape (`data_currency`, `sample`, `performance`,
//! `risk_constraint`, `robustness`, plus the extended layers), the summary status, and the
//! explanations of rule-level outcomes.

use super::explain::{Check, show};
use super::facts::Facts;
use super::hysteresis::{Blocked, Held};
use super::layers::{self, result};
use super::metrics_view::{Lookup, MetricsView, SAMPLE_KEYS};
use super::resolve::Resolved;
use super::thresholds::{
    Failure, Group, check_thresholds, classify, labelled, mode_str, num_json, opt_json,
};
use crate::json::numfmt::py_float;
use crate::schema::{
    ActivationState, CheckOutcome, CorrelationRule, Dialect, Explanation, HysteresisRule,
    MissingMetric, Owner, RobustnessProfile, RuleResult, RuleResults, RuleStatus, Severity,
    ThresholdRule,
};
use serde_json::{Map, Value, json};

/// A blocking failure → fail; any other failure or warning → warn; else pass.
pub(crate) fn summary(rr: &RuleResults) -> RuleStatus {
    let mut fold = StatusFold::default();
    for (_, r) in rr.iter() {
        if !fold.add((r.status, r.severity)) {
            break;
        }
    }
    fold.status()
}

/// [`summary`] folded one rule's `(status, severity)` at a time, in the rules' order.
#[derive(Default)]
struct StatusFold {
    warn: bool,
    fail: bool,
}

impl StatusFold {
    /// One rule's outcome; false once a blocking failure has decided the status (the rules
    /// after it change nothing: the caller may stop).
    fn add(&mut self, part: (RuleStatus, Severity)) -> bool {
        match part {
            (RuleStatus::Fail, Severity::Blocking) => {
                self.fail = true;
                false
            }
            (RuleStatus::Fail | RuleStatus::Warn, _) => {
                self.warn = true;
                true
            }
            _ => true,
        }
    }

    /// [`StatusFold::add`] of a rule that may not be configured (`None`: nothing to fold).
    fn add_some(&mut self, part: Option<(RuleStatus, Severity)>) -> bool {
        part.is_none_or(|p| self.add(p))
    }

    fn status(&self) -> RuleStatus {
        if self.fail {
            RuleStatus::Fail
        } else if self.warn {
            RuleStatus::Warn
        } else {
            RuleStatus::Pass
        }
    }
}

/// Explanations for rule-level outcomes not already explained by a threshold/ranking check, in
/// this order: `data_currency` (when not passed), `sample` (when no sample metric was found), the
/// robustness profile's `dsr_min` and `cv_sharpe_gap_max` (when configured, whatever their
/// outcome), then each extended layer that did not pass.
pub(crate) fn rule_explanations(rr: &RuleResults, r: &Resolved<'_>) -> Vec<Explanation> {
    let mut out = Vec::new();
    if rr.data_currency.status != RuleStatus::Pass {
        out.push(
            Check::new(
                "data_currency",
                check_outcome(rr.data_currency.status),
                &rr.data_currency.reason_code,
                rr.data_currency.reason.to_ascii_lowercase(),
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
    if let Some(min) = rob.and_then(|p| p.dsr_min) {
        out.push(dsr_check(&rr.robustness, min));
    }
    if let Some(max) = rob.and_then(|p| p.cv_sharpe_gap_max) {
        out.push(cv_sharpe_gap_check(&rr.robustness, max));
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
                    check_outcome(res.status),
                    &res.reason_code,
                    res.reason.clone(),
                )
                .build(),
            );
        }
    }
    out
}

/// A rule status as a check outcome (pass → pass, warn → warn, fail → fail).
fn check_outcome(s: RuleStatus) -> CheckOutcome {
    match s {
        RuleStatus::Pass => CheckOutcome::Pass,
        RuleStatus::Warn => CheckOutcome::Warn,
        RuleStatus::Fail => CheckOutcome::Fail,
    }
}

/// `robustness.dsr_min` from the robustness result's `deflated_sharpe_ratio` detail: a warning
/// when it is missing, the robustness status when below `min`, else a pass.
fn dsr_check(rob: &RuleResult, min: f64) -> Explanation {
    let v = rob
        .details
        .get("deflated_sharpe_ratio")
        .and_then(Value::as_f64);
    let (o, code, msg) = match v {
        None => (
            CheckOutcome::Warn,
            "dsr_missing",
            "`deflated_sharpe_ratio` is missing".to_string(),
        ),
        Some(x) if x < min => (
            check_outcome(rob.status),
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
    Check::new("robustness.dsr_min", o, code, msg)
        .metric("deflated_sharpe_ratio")
        .observed(v)
        .bound(min, ">=")
        .build()
}

/// `robustness.cv_sharpe_gap_max` from the robustness result's `sharpe_gap` detail: skipped when
/// a half's Sharpe is missing (no gap), the robustness status when the gap exceeds `max`, else
/// a pass.
fn cv_sharpe_gap_check(rob: &RuleResult, max: f64) -> Explanation {
    let gap = rob.details.get("sharpe_gap").and_then(Value::as_f64);
    let (o, code, msg) = match gap {
        None => (
            CheckOutcome::Skipped,
            "sharpe_halves_missing",
            "`sharpe_first_half` or `sharpe_second_half` is missing; not checked".to_string(),
        ),
        Some(g) if g > max => (
            check_outcome(rob.status),
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
    Check::new("robustness.cv_sharpe_gap_max", o, code, msg)
        .observed(gap)
        .bound(max, "<=")
        .build()
}

/// The severity and owner of each profile section's rule results (the profile's, else QMTL's
/// defaults).
struct Sections {
    sample: (Severity, Owner),
    performance: (Severity, Owner),
    risk: (Severity, Owner),
    robustness: (Severity, Owner),
}

impl Sections {
    fn of(r: &Resolved<'_>) -> Self {
        let prof = r.profile_cfg;
        let pick = |sev: Option<Severity>, owner: Option<Owner>, d: (Severity, Owner)| {
            (sev.unwrap_or(d.0), owner.unwrap_or(d.1))
        };
        let sample = prof.and_then(|p| p.sample.as_ref());
        let perf = prof.and_then(|p| p.performance.as_ref());
        let risk = prof.and_then(|p| p.risk.as_ref());
        let rob = prof.and_then(|p| p.robustness.as_ref());
        Sections {
            sample: pick(
                sample.and_then(|s| s.severity),
                sample.and_then(|s| s.owner),
                (Severity::Soft, Owner::Quant),
            ),
            performance: pick(
                perf.and_then(|s| s.severity),
                perf.and_then(|s| s.owner),
                (Severity::Blocking, Owner::Quant),
            ),
            risk: pick(
                risk.and_then(|s| s.severity),
                risk.and_then(|s| s.owner),
                (Severity::Blocking, Owner::Risk),
            ),
            robustness: pick(
                rob.and_then(|s| s.severity),
                rob.and_then(|s| s.owner),
                (Severity::Soft, Owner::Quant),
            ),
        }
    }
}

/// What both rule passes ([`rule_results`], [`rule_statuses`]) read from the resolved policy
/// once per decision: the dialect, each section's severity and owner, the data-currency metrics
/// required, the sample thresholds keyed by metric (a later rule on the same metric replaces an
/// earlier), the extended layers' results and the robustness profile.
struct Prep<'r> {
    strict: bool,
    sections: Sections,
    required: Vec<&'r str>,
    sample_rules: indexmap::IndexMap<String, ThresholdRule>,
    cohort: LayerResults,
    rob_cfg: Option<&'r RobustnessProfile>,
}

impl<'r> Prep<'r> {
    fn of(
        r: &'r Resolved<'_>,
        dialect: Dialect,
        ids: &[String],
        views: &[MetricsView],
        stage: Option<&str>,
    ) -> Self {
        let mut sample_rules = indexmap::IndexMap::new();
        for t in r
            .thresholds
            .values()
            .filter(|t| classify(&t.metric) == Group::Sample)
        {
            sample_rules.insert(t.metric.clone(), t.clone());
        }
        Prep {
            strict: dialect == Dialect::Strict,
            sections: Sections::of(r),
            required: r
                .thresholds
                .values()
                .filter(|t| classify(&t.metric) == Group::DataCurrency)
                .map(|t| t.metric.as_str())
                .collect(),
            sample_rules,
            cohort: r_doc_layers(r, ids, views, stage, dialect),
            rob_cfg: r.profile_cfg.and_then(|p| p.robustness.as_ref()),
        }
    }
}

/// Each strategy's QMTL rule results: `data_currency`, `sample`, `performance`,
/// `risk_constraint`, `robustness`, and the extended layers ([`rule_statuses`] decides their
/// [`summary`] alone).
pub(crate) fn rule_results(
    r: &Resolved<'_>,
    dialect: Dialect,
    ids: &[String],
    views: &[MetricsView],
    facts: &[Facts],
    previous: &ActivationState,
    stage: Option<&str>,
) -> Vec<RuleResults> {
    let Prep {
        strict,
        sections,
        required,
        sample_rules,
        cohort,
        rob_cfg,
    } = Prep::of(r, dialect, ids, views, stage);
    ids.iter()
        .zip(views)
        .zip(facts)
        .enumerate()
        .map(|(i, ((id, view), f))| {
            let (risk_sev, risk_owner) = sections.risk;
            RuleResults {
                data_currency: data_currency_result(view, &required, r.missing),
                sample: sample_result(view, &sample_rules, r.missing, strict, sections.sample),
                performance: performance_result(r, f, sections.performance),
                risk_constraint: risk_result(
                    r,
                    f,
                    view,
                    previous.strategies.get(id).is_some_and(|s| s.active),
                    risk_sev,
                    risk_owner,
                ),
                robustness: robustness_result(view, rob_cfg, sections.robustness),
                cohort: cohort.0.as_ref().and_then(|v| v.get(i).cloned()),
                portfolio: cohort.1.as_ref().and_then(|v| v.get(i).cloned()),
                stress: cohort.2.as_ref().and_then(|v| v.get(i).cloned()),
                live_monitoring: cohort.3.clone(),
            }
        })
        .collect()
}

/// Each strategy's [`summary`] of its rule results, decided as [`rule_results`] decides each
/// rule's status and severity but building no result, string or detail (what a decision's
/// summary reads). The extended layers, when configured, are computed as there.
pub(crate) fn rule_statuses(
    r: &Resolved<'_>,
    dialect: Dialect,
    ids: &[String],
    views: &[MetricsView],
    facts: &[Facts],
    stage: Option<&str>,
) -> Vec<RuleStatus> {
    let Prep {
        strict,
        sections,
        required,
        sample_rules,
        cohort,
        rob_cfg,
    } = Prep::of(r, dialect, ids, views, stage);
    let layer = |v: &Option<Vec<RuleResult>>, i: usize| {
        v.as_ref()
            .and_then(|v| v.get(i))
            .map(|x| (x.status, x.severity))
    };
    views
        .iter()
        .zip(facts)
        .enumerate()
        .map(|(i, (view, f))| {
            // the rules in `RuleResults`' order, each computed only while it can still matter
            let mut fold = StatusFold::default();
            let _ = fold.add(data_currency_status(view, &required, r.missing))
                && fold.add((
                    sample_status(view, &sample_rules, r.missing, strict),
                    sections.sample.0,
                ))
                && fold.add((performance_status(r, f).0, sections.performance.0))
                && fold.add((risk_status(r, f), sections.risk.0))
                && fold.add((robustness_status(view, rob_cfg), sections.robustness.0))
                && fold.add_some(layer(&cohort.0, i))
                && fold.add_some(layer(&cohort.1, i))
                && fold.add_some(layer(&cohort.2, i))
                && fold.add_some(cohort.3.as_ref().map(|x| (x.status, x.severity)));
            fold.status()
        })
        .collect()
}

/// The rule results a decision's summary carries in place of the real ones (never written):
/// every rule with the strategy's summary status and nothing else (no allocation).
pub(crate) fn status_only(status: RuleStatus) -> RuleResults {
    let one = || RuleResult {
        status,
        severity: Severity::Info,
        owner: Owner::Quant,
        reason_code: String::new(),
        reason: String::new(),
        tags: Vec::new(),
        details: Map::new(),
    };
    RuleResults {
        data_currency: one(),
        sample: one(),
        performance: one(),
        risk_constraint: one(),
        robustness: one(),
        cohort: None,
        portfolio: None,
        stress: None,
        live_monitoring: None,
    }
}

/// [`data_currency_result`]'s status and severity alone.
fn data_currency_status(
    view: &MetricsView,
    required: &[&str],
    mode: MissingMetric,
) -> (RuleStatus, Severity) {
    let sev = if mode == MissingMetric::Ignore {
        Severity::Info
    } else {
        Severity::Blocking
    };
    if view.is_empty() || required.iter().any(|m| view.get(m) == Lookup::Missing) {
        let st = if mode == MissingMetric::Fail {
            RuleStatus::Fail
        } else {
            RuleStatus::Warn
        };
        return (st, sev);
    }
    (RuleStatus::Pass, Severity::Blocking)
}

/// [`sample_result`]'s status alone.
fn sample_status(
    view: &MetricsView,
    rules: &indexmap::IndexMap<String, ThresholdRule>,
    mode: MissingMetric,
    strict: bool,
) -> RuleStatus {
    if !rules.is_empty() {
        let (failures, blocking) = sample_failures(view, rules, mode, strict);
        if !failures.is_empty() {
            return if blocking || !strict {
                RuleStatus::Fail
            } else {
                RuleStatus::Warn
            };
        }
    }
    if view.has_sample() {
        RuleStatus::Pass
    } else {
        RuleStatus::Warn
    }
}

/// [`risk_result`]'s status alone.
fn risk_status(r: &Resolved<'_>, f: &Facts) -> RuleStatus {
    if r.correlation.is_some() && f.corr.dropped {
        return RuleStatus::Fail;
    }
    if r.hysteresis.is_some()
        && f.blocked
            .is_some_and(|b| !matches!(b, Blocked::SilentlyDropped))
    {
        return RuleStatus::Fail;
    }
    if r.correlation.is_none() && r.hysteresis.is_none() {
        return RuleStatus::Pass;
    }
    if r.hysteresis.is_some() && f.held.is_some() {
        return RuleStatus::Warn;
    }
    if r.correlation.is_some() && f.corr.unknown_count > 0 {
        return RuleStatus::Warn;
    }
    RuleStatus::Pass
}

/// [`robustness_result`]'s status alone.
fn robustness_status(view: &MetricsView, cfg: Option<&RobustnessProfile>) -> RuleStatus {
    let mut status = RuleStatus::Pass;
    if let Some(min) = cfg.and_then(|c| c.dsr_min) {
        match view.num("deflated_sharpe_ratio") {
            None => status = RuleStatus::Warn,
            Some(x) if x < min => status = RuleStatus::Fail,
            Some(_) => {}
        }
    }
    if let Some(max) = cfg.and_then(|c| c.cv_sharpe_gap_max)
        && let (Some(a), Some(b)) = (
            view.num("sharpe_first_half"),
            view.num("sharpe_second_half"),
        )
        && (a - b).abs() > max
    {
        status = RuleStatus::Fail;
    }
    status
}

/// `data_currency`: every metric a data-currency threshold names is present, with the missing
/// and available metrics.
fn data_currency_result(view: &MetricsView, required: &[&str], mode: MissingMetric) -> RuleResult {
    let mut sev = Severity::Blocking;
    let missing: Vec<&str> = required
        .iter()
        .copied()
        .filter(|m| view.get(m) == Lookup::Missing)
        .collect();
    let (status, code, reason) = if view.is_empty() {
        if mode == MissingMetric::Ignore {
            sev = Severity::Info;
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
        crate::json::order::sort(&mut sorted);
        let reason = format!("Missing metrics: {}", sorted.join(", "));
        match mode {
            MissingMetric::Fail => (RuleStatus::Fail, "missing_metric", reason),
            MissingMetric::Warn => (RuleStatus::Warn, "missing_metric", reason),
            MissingMetric::Ignore => {
                sev = Severity::Info;
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
    let mut d = Map::new();
    let mut available: Vec<&str> = view.numeric_names().map(|(k, _)| k).collect();
    crate::json::order::sort(&mut available);
    d.insert("missing_metrics".into(), json!(missing));
    d.insert("available_metrics".into(), json!(available));
    d.insert("policy_on_missing_metric".into(), json!(mode_str(mode)));
    result(status, sev, Owner::Ops, code, reason, &["data_currency"], d)
}

/// The sample thresholds' failures and whether one blocks: strict looks each metric up as any
/// threshold does (with the policy's missing-metric mode); qmtl looks among its five sample
/// names only, and a missing one always fails. No rules, no failures.
fn sample_failures<'r>(
    view: &MetricsView,
    rules: &'r indexmap::IndexMap<String, ThresholdRule>,
    mode: MissingMetric,
    strict: bool,
) -> (Vec<Failure<'r>>, bool) {
    if rules.is_empty() {
        (Vec::new(), false)
    } else if strict {
        check_thresholds(labelled(rules), |m| view.get(m), mode, None)
    } else {
        let lookup = |m: &str| {
            if SAMPLE_KEYS.contains(&m) {
                view.num(m).map_or(Lookup::Missing, Lookup::Value)
            } else {
                Lookup::Missing
            }
        };
        check_thresholds(labelled(rules), lookup, MissingMetric::Fail, None)
    }
}

/// `sample`: the sample thresholds (qmtl looks them up among its five sample names only, and a
/// missing one always fails), else whether any sample metric is present.
fn sample_result(
    view: &MetricsView,
    rules: &indexmap::IndexMap<String, ThresholdRule>,
    mode: MissingMetric,
    strict: bool,
    (sev, owner): (Severity, Owner),
) -> RuleResult {
    let mut sample_metrics = Map::new();
    for (k, v) in view.numeric_names() {
        if SAMPLE_KEYS.contains(&k) {
            sample_metrics.insert(k.to_string(), num_json(v));
        }
    }
    let (failures, blocking) = sample_failures(view, rules, mode, strict);
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
        let reason = format!("Sample thresholds failed: {}", names.join(", "));
        return result(
            st,
            sev,
            owner,
            "sample_thresholds_failed",
            reason,
            &["sample"],
            d,
        );
    }
    let mut d = Map::new();
    d.insert("sample_metrics".into(), Value::Object(sample_metrics));
    if view.has_sample() {
        let reason = "Sample depth present".into();
        result(
            RuleStatus::Pass,
            sev,
            owner,
            "sample_ok",
            reason,
            &["sample"],
            d,
        )
    } else {
        let reason = "No sample metrics found".into();
        let code = "sample_metrics_missing";
        result(RuleStatus::Warn, sev, owner, code, reason, &["sample"], d)
    }
}

/// `performance`: blocking threshold failures, then missing metrics, then the top-k cut, with
/// the violations, rank and `top_k`.
fn performance_result(r: &Resolved<'_>, f: &Facts, (sev, owner): (Severity, Owner)) -> RuleResult {
    let tags: &[&str] = &["performance", "thresholds"];
    let blocking: Vec<&Failure> = f.failures.iter().filter(|x| x.blocking()).collect();
    let is_missing = |x: &&Failure| matches!(x, Failure::Missing { .. });
    if let Some(first) = blocking.first() {
        let mut d = Map::new();
        d.insert(
            "violations".into(),
            Value::Array(blocking.iter().map(|x| x.to_json()).collect()),
        );
        let code = "performance_thresholds_failed";
        result(RuleStatus::Fail, sev, owner, code, first.reason(), tags, d)
    } else if f.failures.iter().any(|x| is_missing(&x)) {
        let names: Vec<&str> = f
            .failures
            .iter()
            .filter(is_missing)
            .map(Failure::metric)
            .collect();
        let mut d = Map::new();
        d.insert(
            "violations".into(),
            Value::Array(f.failures.iter().map(Failure::to_json).collect()),
        );
        d.insert(
            "policy_on_missing_metric".into(),
            json!(mode_str(r.missing)),
        );
        let st = if r.missing == MissingMetric::Fail {
            RuleStatus::Fail
        } else {
            RuleStatus::Warn
        };
        let reason = format!("Missing metrics: {}", names.join(", "));
        result(
            st,
            sev,
            owner,
            "performance_metrics_missing",
            reason,
            tags,
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
        let code = "performance_rank_outside_top_k";
        let tags = &["performance", "thresholds", "top_k"];
        result(RuleStatus::Fail, sev, owner, code, reason, tags, d)
    } else {
        let mut d = Map::new();
        d.insert("rank".into(), f.rank.map_or(Value::Null, |x| json!(x)));
        d.insert("top_k".into(), r.top_k.map_or(Value::Null, |t| json!(t.k)));
        let reason = "Passed thresholds and ranking".into();
        result(
            RuleStatus::Pass,
            sev,
            owner,
            "performance_ok",
            reason,
            tags,
            d,
        )
    }
}

/// [`performance_result`]'s status and reason code alone, decided as it decides them.
fn performance_status(r: &Resolved<'_>, f: &Facts) -> (RuleStatus, &'static str) {
    if f.failures.iter().any(Failure::blocking) {
        (RuleStatus::Fail, "performance_thresholds_failed")
    } else if f
        .failures
        .iter()
        .any(|x| matches!(x, Failure::Missing { .. }))
    {
        let st = if r.missing == MissingMetric::Fail {
            RuleStatus::Fail
        } else {
            RuleStatus::Warn
        };
        (st, "performance_metrics_missing")
    } else if r.top_k.is_some() && !f.in_top_k {
        (RuleStatus::Fail, "performance_rank_outside_top_k")
    } else {
        (RuleStatus::Pass, "performance_ok")
    }
}

/// `robustness`: the deflated Sharpe ratio's floor and the first/second-half Sharpe gap, with
/// the metrics read and the bounds broken.
fn robustness_result(
    view: &MetricsView,
    cfg: Option<&RobustnessProfile>,
    (sev, owner): (Severity, Owner),
) -> RuleResult {
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
    if let Some(min) = cfg.and_then(|c| c.dsr_min) {
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
    if let Some(max) = cfg.and_then(|c| c.cv_sharpe_gap_max)
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
    result(status, sev, owner, &code, reason, &["robustness"], d)
}

pub(crate) type LayerResults = (
    Option<Vec<RuleResult>>,
    Option<Vec<RuleResult>>,
    Option<Vec<RuleResult>>,
    Option<RuleResult>,
);

pub(crate) fn r_doc_layers(
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

/// `risk_constraint`: the first of these outcomes that applies, in this order:
///
/// | outcome | status | reason code |
/// |---|---|---|
/// | dropped by the correlation pass | fail | `correlation_constraint_failed` / `correlation_unknown` |
/// | kept out by the hysteresis band | fail | `hysteresis_*`, `metric_not_finite` |
/// | neither correlation nor hysteresis configured | pass (severity info) | `risk_constraints_not_configured` |
/// | an incumbent the band held | warn | `hysteresis_demotion_pending` / `hysteresis_min_dwell` |
/// | a correlation with a selected strategy unknown | warn | `correlation_unknown` |
/// | otherwise | pass | `risk_constraints_ok` |
///
/// A candidate the band dropped silently (qmtl dialect, band metric absent) falls through to
/// the later rows.
pub(crate) fn risk_result(
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
        return correlation_dropped_result(cr, f, sev, owner);
    }
    if let Some(h) = r.hysteresis
        && let Some(b) = f.blocked
        && let Some((code, mode, reason)) = blocked_reason(h, b)
    {
        let d = band_details(h, view, previously_active, Some(mode));
        return result(RuleStatus::Fail, sev, owner, code, reason, &["risk"], d);
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
        return held_result(h, held, view, previously_active, sev, owner);
    }
    if r.correlation.is_some() && f.corr.unknown_count > 0 {
        return correlation_unknown_result(RuleStatus::Warn, f, sev, owner);
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

/// A candidate the correlation pass dropped: `correlation_constraint_failed` naming the selected
/// strategies it correlates with above `max` (each with its correlation), or, when none is
/// known to, `correlation_unknown`.
fn correlation_dropped_result(
    cr: &CorrelationRule,
    f: &Facts,
    sev: Severity,
    owner: Owner,
) -> RuleResult {
    if f.corr.blocked_by.is_empty() {
        return correlation_unknown_result(RuleStatus::Fail, f, sev, owner);
    }
    let blocked: Vec<Value> = f
        .corr
        .blocked_by
        .iter()
        .map(|(o, rho)| json!({"strategy_id": o, "correlation": rho}))
        .collect();
    let mut d = Map::new();
    d.insert("blocked_by".into(), Value::Array(blocked));
    result(
        RuleStatus::Fail,
        sev,
        owner,
        "correlation_constraint_failed",
        format!("Correlation exceeds max {}", py_float(cr.max)),
        &["risk"],
        d,
    )
}

/// `correlation_unknown` with `status` (fail when the unknown correlation dropped the candidate,
/// warn when it was kept), with [`unknown_correlation_details`].
fn correlation_unknown_result(
    status: RuleStatus,
    f: &Facts,
    sev: Severity,
    owner: Owner,
) -> RuleResult {
    result(
        status,
        sev,
        owner,
        "correlation_unknown",
        "Correlation with a selected strategy is unknown".into(),
        &["risk"],
        unknown_correlation_details(f),
    )
}

/// Why the hysteresis band kept a candidate out: its reason code, its `mode` detail (`exit`,
/// `enter` or `missing`) and its reason; `None` for [`Blocked::SilentlyDropped`], which has no
/// rule result of its own.
fn blocked_reason(h: &HysteresisRule, b: Blocked) -> Option<(&'static str, &'static str, String)> {
    Some(match b {
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
        Blocked::SilentlyDropped => return None,
    })
}

/// The details every hysteresis outcome starts with, in this key order: `metric`,
/// `previously_active`, `mode` (only when given), `value` (the band metric, `null` when absent).
fn band_details(
    h: &HysteresisRule,
    view: &MetricsView,
    previously_active: bool,
    mode: Option<&str>,
) -> Map<String, Value> {
    let mut d = Map::new();
    d.insert("metric".into(), json!(h.metric));
    d.insert("previously_active".into(), json!(previously_active));
    if let Some(mode) = mode {
        d.insert("mode".into(), json!(mode));
    }
    d.insert("value".into(), opt_json(view.num(&h.metric)));
    d
}

/// An incumbent the hysteresis band held although it did not qualify: a warning with the
/// [`band_details`] and the counter that holds it (`fails` / `demote_after`, or `dwell` /
/// `min_dwell`).
fn held_result(
    h: &HysteresisRule,
    held: Held,
    view: &MetricsView,
    previously_active: bool,
    sev: Severity,
    owner: Owner,
) -> RuleResult {
    let mut d = band_details(h, view, previously_active, None);
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
    result(RuleStatus::Warn, sev, owner, code, reason, &["risk"], d)
}

/// Details of a `correlation_unknown` result: which selected strategies the correlation with is
/// unknown, and why.
fn unknown_correlation_details(f: &Facts) -> Map<String, Value> {
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
    d
}
