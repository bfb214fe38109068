//! Wire types: every JSON document worldgate reads or writes.
//!
//! Closed objects reject unknown fields (the error names the field's JSON pointer); open maps
//! (`meta`, `storage_refs`, `custom`) stay open. Non-finite numbers use the [`Num`] encoding.
//! Each document has a JSON Schema and TypeScript declarations generated from these types
//! ([`generate_json_schema`], [`generate_typescript`], native only) and checked in under
//! `pkg-config/`; the checked-in schemas are embedded here for [`json_schema`], so the wasm
//! carries no schema generator. `tests/schema_drift.rs` fails when the two disagree.

#[cfg(feature = "engine")]
mod bundle;
mod decode;
#[cfg(feature = "engine")]
mod document;
mod metrics;
mod num;
#[cfg(feature = "engine")]
mod policy;
mod run;
mod snapshot;
mod validate;

#[cfg(feature = "engine")]
pub use bundle::{
    BUNDLE_VERSION, Bundle, MAX_ID_LEN, SAFE_ID_PATTERN, Submission, check_bundle, check_id,
};
pub use decode::{from_slice, from_value};
#[cfg(feature = "engine")]
pub use document::{
    BundleSeries, DocumentKind, DocumentValidation, bundle_series, document_kind, kind_of_keys,
    read_returns, validate_document,
};
pub use metrics::{
    Conventions, EvaluationMetrics, Gating, HysteresisCounters, MetricSource, PnlMetrics,
    ReturnsMetrics, RiskMetrics, Verdict, Violation,
};
pub use num::{Num, non_finite_str, parse_non_finite};
#[cfg(feature = "engine")]
pub use policy::{
    ActivationState, CheckOutcome, CohortRule, CorrelationRule, Decision, Dialect, Explanation,
    HysteresisRule, LiveMonitoringRule, MissingMetric, Note, OnError, Owner, PerformanceProfile,
    PolicyDocument, PortfolioRule, RiskProfile, RobustnessProfile, RuleResult, RuleResults,
    RuleStatus, SampleProfile, SelectionConfig, Severity, StrategyDecision, StrategyState,
    StressRule, ThresholdRule, TopKRule, UnknownCorrelation, ValidationConfig, ValidationProfile,
    WeightMethod, WeightingConfig,
};
pub use run::{RunLinks, RunState, RunStatus};
pub use snapshot::{MetricsDocument, Provenance, SeriesHeads, Snapshot};
pub use validate::{Validation, validate_snapshot};

/// Version of the wire format written by this crate.
pub const SCHEMA_VERSION: u32 = 1;

/// The published documents: name → checked-in JSON Schema text.
pub const DOCUMENTS: &[(&str, &str)] = &[
    #[cfg(feature = "engine")]
    (
        "bundle",
        include_str!("../../pkg-config/schema/bundle.json"),
    ),
    #[cfg(feature = "engine")]
    ("diff", include_str!("../../pkg-config/schema/diff.json")),
    #[cfg(feature = "engine")]
    (
        "gate-options",
        include_str!("../../pkg-config/schema/gate-options.json"),
    ),
    #[cfg(feature = "engine")]
    (
        "gate-result",
        include_str!("../../pkg-config/schema/gate-result.json"),
    ),
    #[cfg(feature = "engine")]
    ("run", include_str!("../../pkg-config/schema/run.json")),
    ("error", include_str!("../../pkg-config/schema/error.json")),
    (
        "metrics",
        include_str!("../../pkg-config/schema/metrics.json"),
    ),
    (
        "metrics-document",
        include_str!("../../pkg-config/schema/metrics-document.json"),
    ),
    (
        "metrics-options",
        include_str!("../../pkg-config/schema/metrics-options.json"),
    ),
    #[cfg(feature = "engine")]
    (
        "policy",
        include_str!("../../pkg-config/schema/policy.json"),
    ),
    #[cfg(feature = "engine")]
    (
        "decision",
        include_str!("../../pkg-config/schema/decision.json"),
    ),
    (
        "run-status",
        include_str!("../../pkg-config/schema/run-status.json"),
    ),
    (
        "snapshot",
        include_str!("../../pkg-config/schema/snapshot.json"),
    ),
];

/// The JSON Schema (draft 2020-12) of the document `name`, as text.
///
/// Names: see [`DOCUMENTS`] (`"snapshot"`, `"metrics"`, `"run-status"`, `"error"`, …).
pub fn json_schema(name: &str) -> Option<&'static str> {
    DOCUMENTS.iter().find(|(n, _)| *n == name).map(|(_, s)| *s)
}

/// Generates the JSON Schema of the document `name` from the Rust types.
#[cfg(all(not(target_arch = "wasm32"), feature = "engine"))]
pub fn generate_json_schema(name: &str) -> Option<String> {
    use schemars::schema_for;
    let schema = match name {
        "bundle" => schema_for!(Bundle),
        "diff" => schema_for!(crate::bundle::diff::Diff),
        "gate-options" => schema_for!(crate::bundle::gate::GateOptions),
        "gate-result" => schema_for!(crate::bundle::gate::GateResult),
        "run" => schema_for!(crate::run::Run),
        "error" => schema_for!(crate::Error),
        "metrics" => schema_for!(EvaluationMetrics),
        "metrics-document" => schema_for!(MetricsDocument),
        "metrics-options" => schema_for!(crate::metrics::MetricsOptions),
        "policy" => schema_for!(PolicyDocument),
        "decision" => schema_for!(Decision),
        "run-status" => schema_for!(RunStatus),
        "snapshot" => schema_for!(Snapshot),
        _ => return None,
    };
    serde_json::to_string_pretty(&schema).ok().map(|s| s + "\n")
}

/// Generates the TypeScript declarations of every wire type, as one `.d.ts` text.
#[cfg(all(not(target_arch = "wasm32"), feature = "engine"))]
pub fn generate_typescript() -> String {
    use ts_rs::TS;
    let cfg = ts_rs::Config::new().with_large_int("number");
    let decls = [
        Num::decl(&cfg),
        crate::error::Code::decl(&cfg),
        crate::Error::decl(&cfg),
        EvaluationMetrics::decl(&cfg),
        MetricSource::decl(&cfg),
        Conventions::decl(&cfg),
        ReturnsMetrics::decl(&cfg),
        PnlMetrics::decl(&cfg),
        RiskMetrics::decl(&cfg),
        Verdict::decl(&cfg),
        Violation::decl(&cfg),
        HysteresisCounters::decl(&cfg),
        Gating::decl(&cfg),
        SeriesHeads::decl(&cfg),
        Provenance::decl(&cfg),
        Snapshot::decl(&cfg),
        MetricsDocument::decl(&cfg),
        RunState::decl(&cfg),
        RunLinks::decl(&cfg),
        RunStatus::decl(&cfg),
        Validation::decl(&cfg),
        DocumentKind::decl(&cfg),
        DocumentValidation::decl(&cfg),
        crate::metrics::MetricsOptions::decl(&cfg),
        crate::metrics::ReturnKind::decl(&cfg),
        Dialect::decl(&cfg),
        PolicyDocument::decl(&cfg),
        ThresholdRule::decl(&cfg),
        TopKRule::decl(&cfg),
        UnknownCorrelation::decl(&cfg),
        CorrelationRule::decl(&cfg),
        HysteresisRule::decl(&cfg),
        SelectionConfig::decl(&cfg),
        Severity::decl(&cfg),
        Owner::decl(&cfg),
        SampleProfile::decl(&cfg),
        PerformanceProfile::decl(&cfg),
        RobustnessProfile::decl(&cfg),
        RiskProfile::decl(&cfg),
        ValidationProfile::decl(&cfg),
        MissingMetric::decl(&cfg),
        OnError::decl(&cfg),
        ValidationConfig::decl(&cfg),
        WeightMethod::decl(&cfg),
        WeightingConfig::decl(&cfg),
        CohortRule::decl(&cfg),
        PortfolioRule::decl(&cfg),
        StressRule::decl(&cfg),
        LiveMonitoringRule::decl(&cfg),
        RuleStatus::decl(&cfg),
        RuleResult::decl(&cfg),
        RuleResults::decl(&cfg),
        CheckOutcome::decl(&cfg),
        Explanation::decl(&cfg),
        StrategyDecision::decl(&cfg),
        StrategyState::decl(&cfg),
        ActivationState::decl(&cfg),
        Note::decl(&cfg),
        Decision::decl(&cfg),
        crate::bundle::Limits::decl(&cfg),
        Submission::decl(&cfg),
        Bundle::decl(&cfg),
        crate::bundle::sanitize::RedactionKind::decl(&cfg),
        crate::bundle::sanitize::Redaction::decl(&cfg),
        crate::bundle::diff::DiffOptions::decl(&cfg),
        crate::bundle::diff::DiffSide::decl(&cfg),
        crate::bundle::diff::MetricDelta::decl(&cfg),
        crate::bundle::diff::Change::<Verdict>::decl(&cfg),
        crate::bundle::diff::Diff::decl(&cfg),
        crate::run::RunRevision::decl(&cfg),
        crate::run::Run::decl(&cfg),
        crate::bundle::gate::Tolerance::decl(&cfg),
        crate::bundle::gate::GateOptions::decl(&cfg),
        crate::bundle::gate::StrategyOutcome::decl(&cfg),
        crate::bundle::gate::GateResult::decl(&cfg),
    ];
    let mut out = String::from(
        "// Generated from the Rust types by `worldgate::schema::generate_typescript`; do not edit.\n",
    );
    for d in decls {
        out.push_str("\nexport ");
        out.push_str(&d);
        out.push('\n');
    }
    out
}
