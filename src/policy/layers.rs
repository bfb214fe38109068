//! QMTL's extended validation layers: cohort, portfolio, stress and live monitoring.
//!
//! Each runs only when its section is configured and adds one rule result per strategy
//! (`cohort`, `portfolio`, `stress`: per strategy; `live_monitoring`: one shared result from the
//! means over all strategies). They report; they do not change the selection in the `qmtl`
//! dialect. Reason codes and details are QMTL's. In the `qmtl` dialect a zero live or stress
//! value falls through to the alternative metric name as Python's `or` does; `strict` uses the
//! first metric that is present.

use super::metrics_view::MetricsView;
use crate::schema::{
    CohortRule, Dialect, LiveMonitoringRule, Owner, PortfolioRule, RuleResult, RuleStatus,
    Severity, StressRule,
};
use serde_json::{Map, Value, json};

pub(crate) fn result(
    status: RuleStatus,
    severity: Severity,
    owner: Owner,
    reason_code: &str,
    reason: String,
    tags: &[&str],
    details: Map<String, Value>,
) -> RuleResult {
    RuleResult {
        status,
        severity,
        owner,
        reason_code: reason_code.to_string(),
        reason,
        tags: tags.iter().map(|t| (*t).to_string()).collect(),
        details,
    }
}

fn opt(v: Option<f64>) -> Value {
    v.map_or(Value::Null, |x| json!(x))
}

fn median(mut v: Vec<f64>) -> Option<f64> {
    if v.is_empty() {
        return None;
    }
    v.sort_by(f64::total_cmp);
    let n = v.len();
    let hi = v.get(n / 2).copied()?;
    if n % 2 == 1 {
        Some(hi)
    } else {
        Some((v.get(n / 2 - 1).copied()? + hi) / 2.0)
    }
}

fn mean(v: &[f64]) -> Option<f64> {
    if v.is_empty() {
        None
    } else {
        Some(v.iter().sum::<f64>() / v.len() as f64)
    }
}

fn finish(reasons: &[String], ok_code: &str, ok_text: &str) -> (String, String) {
    match reasons.first() {
        Some(first) => (first.clone(), reasons.join(", ")),
        None => (ok_code.to_string(), ok_text.to_string()),
    }
}

/// Cohort rule results, per strategy in `ids` order: the cohort's median Sharpe ratio and
/// median deflated Sharpe ratio (over the strategies that have them) and, with a `top_k` above
/// 0, the strategies ranked in the cohort's top k by Sharpe ratio (see [`cohort_top`]); each
/// strategy's result from those (see [`cohort_result`]).
pub(crate) fn cohort(cfg: &CohortRule, ids: &[String], views: &[MetricsView]) -> Vec<RuleResult> {
    let sharpes: Vec<f64> = views.iter().filter_map(|m| m.num("sharpe")).collect();
    let dsrs: Vec<f64> = views
        .iter()
        .filter_map(|m| m.num("deflated_sharpe_ratio"))
        .collect();
    let top_k = cfg.top_k.filter(|k| *k > 0);
    let cx = CohortStats {
        median_sharpe: median(sharpes.clone()),
        median_dsr: median(dsrs),
        top_k,
        in_top: match top_k {
            Some(k) if !sharpes.is_empty() => cohort_top(views, k),
            _ => std::collections::HashSet::new(),
        },
    };
    ids.iter()
        .zip(views)
        .enumerate()
        .map(|(i, (_, m))| cohort_result(cfg, &cx, i, m))
        .collect()
}

/// What every cohort result reads: the medians, the rule's `top_k` (when above 0) and the
/// indexes of the strategies in the top k (empty when no strategy has a Sharpe ratio).
struct CohortStats {
    median_sharpe: Option<f64>,
    median_dsr: Option<f64>,
    top_k: Option<u32>,
    in_top: std::collections::HashSet<usize>,
}

/// The indexes of the `k` strategies with the highest Sharpe ratios (a missing one ranks as
/// −∞; ties keep the input order).
fn cohort_top(views: &[MetricsView], k: u32) -> std::collections::HashSet<usize> {
    let mut ranked: Vec<(usize, f64)> = views
        .iter()
        .enumerate()
        .map(|(i, m)| (i, m.num("sharpe").unwrap_or(f64::NEG_INFINITY)))
        .collect();
    crate::json::order::sort_by(&mut ranked, |a, b| b.1.total_cmp(&a.1));
    ranked.iter().take(k as usize).map(|(i, _)| *i).collect()
}

/// The cohort result of strategy `i`: a median below its minimum fails, a missing median warns;
/// with `top_k`, a strategy outside the top k fails and an unavailable ranking warns. The last
/// of these checks that sets a status wins (as in QMTL); the reasons list them all.
fn cohort_result(cfg: &CohortRule, cx: &CohortStats, i: usize, m: &MetricsView) -> RuleResult {
    let mut reasons = Vec::new();
    let mut status = RuleStatus::Pass;
    let mut d = Map::new();
    d.insert("median_sharpe".into(), opt(cx.median_sharpe));
    d.insert("median_dsr".into(), opt(cx.median_dsr));
    d.insert("top_k".into(), cx.top_k.map_or(Value::Null, |k| json!(k)));
    d.insert(
        "selected_in_top_k".into(),
        if cx.in_top.is_empty() {
            Value::Null
        } else {
            json!(cx.in_top.contains(&i))
        },
    );
    d.insert("sharpe".into(), opt(m.num("sharpe")));
    d.insert(
        "deflated_sharpe_ratio".into(),
        opt(m.num("deflated_sharpe_ratio")),
    );
    let mut check_median = |min: Option<f64>, median: Option<f64>, metric: &str| {
        let Some(min) = min else { return };
        match median {
            None => {
                status = RuleStatus::Warn;
                reasons.push(format!("median_{metric}_missing"));
            }
            Some(x) if x < min => {
                status = RuleStatus::Fail;
                reasons.push(format!("cohort_median_{metric}_below_min"));
                d.insert(format!("{metric}_median_min"), json!(min));
            }
            Some(_) => {}
        }
    };
    check_median(cfg.sharpe_median_min, cx.median_sharpe, "sharpe");
    check_median(cfg.dsr_median_min, cx.median_dsr, "dsr");
    if cx.top_k.is_some() {
        if cx.in_top.is_empty() {
            status = RuleStatus::Warn;
            reasons.push("top_k_unavailable".to_string());
        } else if !cx.in_top.contains(&i) {
            status = RuleStatus::Fail;
            reasons.push("cohort_top_k_exceeded".to_string());
        }
    }
    let (code, reason) = finish(&reasons, "cohort_ok", "Cohort criteria satisfied");
    let severity = cfg.severity.unwrap_or(Severity::Soft);
    let owner = cfg.owner.unwrap_or(Owner::Risk);
    result(status, severity, owner, &code, reason, &["cohort"], d)
}

/// Portfolio rule results, per strategy.
pub(crate) fn portfolio(cfg: &PortfolioRule, views: &[MetricsView]) -> Vec<RuleResult> {
    let severity = cfg.severity.unwrap_or(Severity::Soft);
    let owner = cfg.owner.unwrap_or(Owner::Risk);
    views
        .iter()
        .map(|m| {
            let mut reasons = Vec::new();
            let mut status = RuleStatus::Pass;
            let var = m.num("incremental_var_99");
            let es = m.num("incremental_es_99");
            let uplift = m.num("portfolio_sharpe_uplift");
            let mut d = Map::new();
            d.insert("max_incremental_var_99".into(), opt(var));
            d.insert("max_incremental_es_99".into(), opt(es));
            d.insert("portfolio_sharpe_uplift".into(), opt(uplift));
            let checks = [
                (
                    cfg.max_incremental_var_99,
                    var,
                    true,
                    "incremental_var_missing",
                    "incremental_var_exceeds_max",
                    "incremental_var_99_max",
                ),
                (
                    cfg.max_incremental_es_99,
                    es,
                    true,
                    "incremental_es_missing",
                    "incremental_es_exceeds_max",
                    "incremental_es_99_max",
                ),
                (
                    cfg.min_portfolio_sharpe_uplift,
                    uplift,
                    false,
                    "portfolio_sharpe_uplift_missing",
                    "portfolio_sharpe_uplift_below_min",
                    "min_portfolio_sharpe_uplift",
                ),
            ];
            for (bound, value, is_max, missing, broken, key) in checks {
                let Some(b) = bound else { continue };
                match value {
                    None => {
                        status = RuleStatus::Warn;
                        reasons.push(missing.to_string());
                    }
                    Some(v) if (is_max && v > b) || (!is_max && v < b) => {
                        status = RuleStatus::Fail;
                        reasons.push(broken.to_string());
                        d.insert(key.into(), json!(b));
                    }
                    Some(_) => {}
                }
            }
            let (code, reason) =
                finish(&reasons, "portfolio_ok", "Portfolio constraints satisfied");
            result(status, severity, owner, &code, reason, &["portfolio"], d)
        })
        .collect()
}

/// `a or b` as Python evaluates it on optional floats (qmtl), or first-present (strict).
fn either(a: Option<f64>, b: Option<f64>, dialect: Dialect) -> Option<f64> {
    match dialect {
        Dialect::Qmtl => a.filter(|x| *x != 0.0).or(b),
        Dialect::Strict => a.or(b),
    }
}

/// Stress rule results, per strategy.
pub(crate) fn stress(
    cfg: &StressRule,
    views: &[MetricsView],
    stage: Option<&str>,
    dialect: Dialect,
) -> Vec<RuleResult> {
    let severity = cfg.severity.unwrap_or(Severity::Info);
    let owner = cfg.owner.unwrap_or(Owner::Ops);
    views
        .iter()
        .map(|m| {
            let mut reasons = Vec::new();
            let mut status = RuleStatus::Pass;
            let mut d = Map::new();
            d.insert(
                "scenarios".into(),
                json!(cfg.scenarios.keys().collect::<Vec<_>>()),
            );
            d.insert("stage".into(), stage.map_or(Value::Null, |s| json!(s)));
            for (name, caps) in &cfg.scenarios {
                let p = format!("stress.{name}.");
                let dd = either(
                    m.num(&format!("{p}max_drawdown")),
                    m.num(&format!("{p}dd_max")),
                    dialect,
                );
                let es = m.num(&format!("{p}es_99"));
                let var = m.num(&format!("{p}var_99"));
                for (cap_key, value, tag, detail) in [
                    ("dd_max", dd, "dd", "dd_max"),
                    ("es_99", es, "es", "es_99_max"),
                    ("var_99", var, "var", "var_99_max"),
                ] {
                    let Some(cap) = caps.get(cap_key) else {
                        continue;
                    };
                    match value {
                        None => {
                            status = RuleStatus::Warn;
                            reasons.push(format!("{name}_{tag}_missing"));
                        }
                        Some(v) if v > *cap => {
                            status = RuleStatus::Fail;
                            reasons.push(format!("{name}_{tag}_exceeds_max"));
                            d.insert(format!("{name}_{detail}"), json!(cap));
                        }
                        Some(_) => {}
                    }
                }
            }
            let (code, reason) = finish(&reasons, "stress_ok", "Stress scenarios satisfied");
            result(status, severity, owner, &code, reason, &["stress"], d)
        })
        .collect()
}

/// The live-monitoring result shared by every strategy: the means over all strategies of the
/// live Sharpe ratio, the live max drawdown and the live-vs-backtest Sharpe ratio (see
/// [`live_means`]), each checked against its configured bound (see [`live_bounds`]).
pub(crate) fn live(
    cfg: &LiveMonitoringRule,
    views: &[MetricsView],
    dialect: Dialect,
) -> RuleResult {
    let severity = cfg.severity.unwrap_or(Severity::Soft);
    let owner = cfg.owner.unwrap_or(Owner::Risk);
    let (sm, dm, cm) = live_means(views, dialect);
    let mut d = Map::new();
    d.insert("sharpe_mean".into(), opt(sm));
    d.insert("dd_mean".into(), opt(dm));
    d.insert("decay_mean".into(), opt(cm));
    d.insert(
        "lookback_days".into(),
        cfg.lookback_days.map_or(Value::Null, |x| json!(x)),
    );
    let (status, reasons) = live_bounds(cfg, (sm, dm, cm), &mut d);
    let (code, reason) = finish(
        &reasons,
        "live_monitoring_ok",
        "Live monitoring within thresholds",
    );
    result(
        status,
        severity,
        owner,
        &code,
        reason,
        &["live_monitoring"],
        d,
    )
}

/// The means of `live_sharpe` (else `realized_sharpe`, see [`either`]), `live_max_drawdown`
/// (else `realized_max_drawdown`) and `live_vs_backtest_sharpe_ratio` over the strategies that
/// have them; `None` where none has.
fn live_means(views: &[MetricsView], dialect: Dialect) -> (Option<f64>, Option<f64>, Option<f64>) {
    let mut sharpe = Vec::new();
    let mut dd = Vec::new();
    let mut decay = Vec::new();
    for m in views {
        if let Some(x) = either(m.num("live_sharpe"), m.num("realized_sharpe"), dialect) {
            sharpe.push(x);
        }
        if let Some(x) = either(
            m.num("live_max_drawdown"),
            m.num("realized_max_drawdown"),
            dialect,
        ) {
            dd.push(x);
        }
        if let Some(x) = m.num("live_vs_backtest_sharpe_ratio") {
            decay.push(x);
        }
    }
    (mean(&sharpe), mean(&dd), mean(&decay))
}

/// The live bounds checked against the means (Sharpe, drawdown, decay), in this order:
/// `(bound, mean, is a max, reason when the mean is missing, reason when broken, detail key)`.
type LiveBound = (
    Option<f64>,
    Option<f64>,
    bool,
    &'static str,
    &'static str,
    &'static str,
);

/// Checks each configured live bound against its mean, in the order Sharpe (`sharpe_min`),
/// drawdown (`dd_max`), decay (`decay_threshold`): a missing mean adds its `*_missing` reason
/// and sets the status to warn, a broken bound adds its reason, sets fail and records the bound
/// under its key in `d`. The status is the last bound's that set one (pass when none did).
fn live_bounds(
    cfg: &LiveMonitoringRule,
    (sm, dm, cm): (Option<f64>, Option<f64>, Option<f64>),
    d: &mut Map<String, Value>,
) -> (RuleStatus, Vec<String>) {
    let bounds: [LiveBound; 3] = [
        (
            cfg.sharpe_min,
            sm,
            false,
            "live_sharpe_missing",
            "live_sharpe_below_min",
            "sharpe_min",
        ),
        (
            cfg.dd_max,
            dm,
            true,
            "live_dd_missing",
            "live_dd_exceeds_max",
            "dd_max",
        ),
        (
            cfg.decay_threshold,
            cm,
            false,
            "live_decay_missing",
            "live_decay_below_threshold",
            "decay_threshold",
        ),
    ];
    let mut reasons = Vec::new();
    let mut status = RuleStatus::Pass;
    for (bound, value, is_max, missing, broken, key) in bounds {
        let Some(b) = bound else { continue };
        match value {
            None => {
                status = RuleStatus::Warn;
                reasons.push(missing.to_string());
            }
            Some(v) if (is_max && v > b) || (!is_max && v < b) => {
                status = RuleStatus::Fail;
                reasons.push(broken.to_string());
                d.insert(key.into(), json!(b));
            }
            Some(_) => {}
        }
    }
    (status, reasons)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn views(metrics: &[Value]) -> Vec<MetricsView> {
        metrics
            .iter()
            .map(|m| MetricsView::new(m, Dialect::Qmtl))
            .collect()
    }

    #[test]
    fn cohort_median_below_min_fails_and_a_missing_median_warns_last() {
        // Sharpes 0.5 and 0.7: median 0.6 < 1.0 → fail; no DSR at all → the DSR median is
        // missing → warn, which (checked second) decides the status, as in QMTL.
        let cfg = CohortRule {
            sharpe_median_min: Some(1.0),
            dsr_median_min: Some(0.5),
            ..CohortRule::default()
        };
        let ids = vec!["s1".to_string(), "s2".to_string()];
        let out = cohort(
            &cfg,
            &ids,
            &views(&[json!({"sharpe": 0.5}), json!({"sharpe": 0.7})]),
        );
        assert_eq!(out.len(), 2);
        let r = &out[0];
        assert_eq!(r.status, RuleStatus::Warn);
        assert_eq!(r.reason_code, "cohort_median_sharpe_below_min");
        assert_eq!(
            r.reason,
            "cohort_median_sharpe_below_min, median_dsr_missing"
        );
        assert_eq!(r.details.get("sharpe_median_min"), Some(&json!(1.0)));
        assert_eq!(r.details.get("dsr_median_min"), None);
    }

    #[test]
    fn cohort_medians_at_or_above_min_pass() {
        // DSRs 0.4 and 0.6: median 0.5, equal to the bound (inclusive) → ok.
        let cfg = CohortRule {
            sharpe_median_min: Some(0.6),
            dsr_median_min: Some(0.5),
            ..CohortRule::default()
        };
        let ids = vec!["a".to_string(), "b".to_string()];
        let metrics = [
            json!({"sharpe": 0.5, "deflated_sharpe_ratio": 0.4}),
            json!({"sharpe": 0.7, "deflated_sharpe_ratio": 0.6}),
        ];
        let out = cohort(&cfg, &ids, &views(&metrics));
        assert!(out.iter().all(|r| r.status == RuleStatus::Pass));
        assert!(out.iter().all(|r| r.reason_code == "cohort_ok"));
    }
}
