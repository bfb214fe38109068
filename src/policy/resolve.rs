//! From a parsed document to the rules one evaluation applies.
//!
//! - [`normalize`]: folds QMTL's `selection` block into the top level (top-level `thresholds`
//!   win over `selection.thresholds` on the same label; `selection.top_k/correlation/hysteresis`
//!   win over top-level ones), records the dialect and fills `validation` defaults. The
//!   normalized document is what [`ruleset_hash`] hashes: `sha256:<hex>` of its RFC 8785
//!   canonical JSON, so spelling a default out, reordering keys or moving a rule between the
//!   top level and `selection` never changes the hash.
//! - [`resolve`]: picks the validation profile (explicit profile, then
//!   `default_profile_by_stage[stage]` or `[stage_only]`, then a profile named like the stage,
//!   then the first mapped profile, then `backtest`, `paper`, the first one; names compared
//!   case-insensitively with `-` read as `_`, as QMTL does) and compiles it to thresholds
//!   labelled by metric name (they replace user thresholds with the same label).
//! - [`recommended_stage`]: `backtest_only` / `paper_only` / `paper_ok_live_candidate` from the
//!   stage, else from the profile.

use crate::digest::digest_value;
use crate::schema::{
    CorrelationRule, Dialect, HysteresisRule, MissingMetric, Note, PolicyDocument, ThresholdRule,
    TopKRule, ValidationConfig, ValidationProfile,
};
use indexmap::IndexMap;

/// QMTL's key normalisation: trimmed, lowercase, `-` → `_`. Lowercasing is ASCII's (`A`–`Z`):
/// keys and metric names are ASCII in practice, and Unicode's case tables would cost the wasm
/// about 6 KB gzipped.
pub(crate) fn normalize_key(s: &str) -> String {
    s.trim().to_ascii_lowercase().replace('-', "_")
}

/// Folds `selection` into the top level and fills defaults.
pub(crate) fn normalize(mut doc: PolicyDocument, dialect: Dialect) -> PolicyDocument {
    if let Some(sel) = doc.selection.take() {
        let mut merged = sel.thresholds;
        for (label, rule) in std::mem::take(&mut doc.thresholds) {
            merged.insert(label, rule);
        }
        doc.thresholds = merged;
        doc.top_k = sel.top_k.or(doc.top_k);
        doc.correlation = sel.correlation.or(doc.correlation);
        doc.hysteresis = sel.hysteresis.or(doc.hysteresis);
    }
    doc.dialect = Some(dialect);
    doc.validation = Some(doc.validation.unwrap_or_default());
    doc
}

/// `sha256:<hex>` of the canonical JSON of a normalized document.
pub(crate) fn ruleset_hash(doc: &PolicyDocument) -> String {
    digest_value(&crate::json::to_value(doc).unwrap_or_default())
}

/// The recommended promotion stage for a stage or profile name.
pub(crate) fn recommended_stage(profile: Option<&str>, stage: Option<&str>) -> Option<String> {
    let map = |s: &str| -> Option<&'static str> {
        match normalize_key(s).as_str() {
            "backtest" | "backtest_only" => Some("backtest_only"),
            "paper" | "paper_only" => Some("paper_only"),
            "live" | "paper_ok_live_candidate" => Some("paper_ok_live_candidate"),
            _ => None,
        }
    };
    stage
        .and_then(map)
        .or_else(|| {
            profile.and_then(|p| match normalize_key(p).as_str() {
                "backtest" | "paper" | "live" => map(p),
                _ => None,
            })
        })
        .map(str::to_string)
}

/// Chooses the validation profile for a stage / explicit profile, as QMTL does.
pub(crate) fn choose_profile(
    doc: &PolicyDocument,
    stage: Option<&str>,
    profile: Option<&str>,
) -> Option<String> {
    let profiles = &doc.validation_profiles;
    if profiles.is_empty() {
        return None;
    }
    let find = |cand: Option<&str>| -> Option<String> {
        let n = normalize_key(cand?);
        if n.is_empty() {
            return None;
        }
        profiles.keys().find(|k| normalize_key(k) == n).cloned()
    };
    if let Some(p) = find(profile) {
        return Some(p);
    }
    if let Some(stage) = stage {
        let ns = normalize_key(stage);
        if !ns.is_empty() {
            let mapping: IndexMap<String, &String> = doc
                .default_profile_by_stage
                .iter()
                .map(|(k, v)| (normalize_key(k), v))
                .collect();
            for key in [ns.clone(), format!("{ns}_only")] {
                if let Some(p) = find(mapping.get(&key).map(|s| s.as_str())) {
                    return Some(p);
                }
            }
            if let Some(p) = find(Some(stage)) {
                return Some(p);
            }
        }
    }
    for mapped in doc.default_profile_by_stage.values() {
        if let Some(p) = find(Some(mapped)) {
            return Some(p);
        }
    }
    find(Some("backtest"))
        .or_else(|| find(Some("paper")))
        .or_else(|| profiles.keys().next().cloned())
}

/// The rules one evaluation applies.
#[derive(Debug, Clone)]
pub(crate) struct Resolved<'a> {
    /// The normalized document.
    pub(crate) doc: &'a PolicyDocument,
    /// Label → rule: the document's thresholds, then the profile's (same label replaced).
    pub(crate) thresholds: IndexMap<String, ThresholdRule>,
    pub(crate) top_k: Option<&'a TopKRule>,
    pub(crate) correlation: Option<&'a CorrelationRule>,
    pub(crate) hysteresis: Option<&'a HysteresisRule>,
    pub(crate) profile: Option<String>,
    pub(crate) profile_cfg: Option<&'a ValidationProfile>,
    pub(crate) missing: MissingMetric,
    pub(crate) recommended_stage: Option<String>,
    pub(crate) notes: Vec<Note>,
}

/// Resolves a normalized document for one stage / profile.
pub(crate) fn resolve<'a>(
    doc: &'a PolicyDocument,
    stage: Option<&str>,
    profile: Option<&str>,
) -> Resolved<'a> {
    let mut notes = Vec::new();
    let chosen = choose_profile(doc, stage, profile);
    if let Some(p) = profile
        && chosen
            .as_deref()
            .is_none_or(|c| normalize_key(c) != normalize_key(p))
    {
        notes.push(Note {
            code: "profile_unknown".into(),
            strategy_id: None,
            message: match &chosen {
                Some(c) => format!("no validation profile `{p}`; applied `{c}`"),
                None => format!("no validation profile `{p}`; none applied"),
            },
        });
    }
    let profile_cfg = chosen
        .as_deref()
        .and_then(|p| doc.validation_profiles.get(p));
    let mut thresholds = doc.thresholds.clone();
    if let Some(cfg) = profile_cfg {
        for (label, rule) in profile_thresholds(cfg) {
            thresholds.insert(label, rule);
        }
    }
    let missing = doc
        .validation
        .as_ref()
        .map_or(MissingMetric::Fail, |v: &ValidationConfig| {
            v.on_missing_metric
        });
    Resolved {
        doc,
        thresholds,
        top_k: doc.top_k.as_ref(),
        correlation: doc.correlation.as_ref(),
        hysteresis: doc.hysteresis.as_ref(),
        recommended_stage: recommended_stage(chosen.as_deref(), stage),
        profile: chosen,
        profile_cfg,
        missing,
        notes,
    }
}

fn rule(metric: &str, min: Option<f64>, max: Option<f64>) -> (String, ThresholdRule) {
    (
        metric.to_string(),
        ThresholdRule {
            metric: metric.to_string(),
            min,
            max,
        },
    )
}

/// A profile's bounds as thresholds, in QMTL's order (sample, performance, robustness, risk).
pub(crate) fn profile_thresholds(p: &ValidationProfile) -> Vec<(String, ThresholdRule)> {
    let mut out = Vec::new();
    if let Some(s) = &p.sample {
        if let Some(v) = s.min_effective_years {
            out.push(rule("effective_history_years", Some(v), None));
        }
        if let Some(v) = s.min_trades_total {
            out.push(rule("n_trades_total", Some(v), None));
        }
    }
    if let Some(s) = &p.performance {
        if let Some(v) = s.sharpe_min {
            out.push(rule("sharpe", Some(v), None));
        }
        if let Some(v) = s.max_dd_max {
            out.push(rule("max_drawdown", None, Some(v)));
        }
        if let Some(v) = s.gain_to_pain_min {
            out.push(rule("gain_to_pain_ratio", Some(v), None));
        }
    }
    if let Some(s) = &p.robustness
        && let Some(v) = s.dsr_min
    {
        out.push(rule("deflated_sharpe_ratio", Some(v), None));
    }
    if let Some(s) = &p.risk {
        if let Some(v) = s.adv_utilization_p95_max {
            out.push(rule("adv_utilization_p95", None, Some(v)));
        }
        if let Some(v) = s.participation_rate_p95_max {
            out.push(rule("participation_rate_p95", None, Some(v)));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::SelectionConfig;

    fn t(metric: &str, min: f64) -> ThresholdRule {
        ThresholdRule {
            metric: metric.into(),
            min: Some(min),
            max: None,
        }
    }

    #[test]
    fn selection_precedence() {
        let mut doc = PolicyDocument::default();
        doc.thresholds.insert("a".into(), t("sharpe", 1.0));
        doc.top_k = Some(TopKRule {
            metric: "sharpe".into(),
            k: 5,
        });
        let mut sel = SelectionConfig::default();
        sel.thresholds.insert("a".into(), t("sharpe", 9.0));
        sel.thresholds.insert("b".into(), t("win_rate", 0.5));
        sel.top_k = Some(TopKRule {
            metric: "score".into(),
            k: 2,
        });
        doc.selection = Some(sel);
        let n = normalize(doc, Dialect::Strict);
        assert_eq!(n.thresholds["a"].min, Some(1.0)); // top-level wins
        assert_eq!(n.thresholds["b"].min, Some(0.5));
        assert_eq!(n.top_k.as_ref().unwrap().k, 2); // selection wins
        assert!(n.selection.is_none());
    }

    #[test]
    fn stages_map_to_profiles_and_recommendations() {
        let mut doc = PolicyDocument::default();
        doc.validation_profiles
            .insert("backtest".into(), ValidationProfile::default());
        doc.validation_profiles
            .insert("Paper".into(), ValidationProfile::default());
        doc.default_profile_by_stage
            .insert("paper_only".into(), "paper".into());
        assert_eq!(
            choose_profile(&doc, Some("paper"), None).as_deref(),
            Some("Paper")
        );
        assert_eq!(
            choose_profile(&doc, Some("Paper-Only"), None).as_deref(),
            Some("Paper")
        );
        assert_eq!(
            choose_profile(&doc, None, Some("BACKTEST")).as_deref(),
            Some("backtest")
        );
        // No stage: the first mapped profile.
        assert_eq!(choose_profile(&doc, None, None).as_deref(), Some("Paper"));
        assert_eq!(
            recommended_stage(None, Some("backtest")).as_deref(),
            Some("backtest_only")
        );
        assert_eq!(
            recommended_stage(Some("paper"), None).as_deref(),
            Some("paper_only")
        );
        assert_eq!(recommended_stage(Some("custom"), Some("weird")), None);
    }

    #[test]
    fn hash_ignores_key_order_and_spelled_out_defaults() {
        let a: PolicyDocument = serde_json::from_str(
            r#"{"top_k":{"metric":"s","k":2},"thresholds":{"x":{"metric":"s","min":1}}}"#,
        )
        .unwrap();
        let b: PolicyDocument = serde_json::from_str(r#"{"validation":{"on_error":"fail","on_missing_metric":"fail"},"selection":{"top_k":{"k":2,"metric":"s"}},"thresholds":{"x":{"min":1.0,"metric":"s"}}}"#).unwrap();
        let ha = ruleset_hash(&normalize(a, Dialect::Strict));
        let hb = ruleset_hash(&normalize(b, Dialect::Strict));
        assert_eq!(ha, hb);
        assert!(ha.starts_with("sha256:") && ha.len() == 71);
    }
}
