//! Wire types: every JSON document worldgate reads or writes.
//!
//! Closed objects reject unknown fields (the error names the field's JSON pointer); open maps
//! (`meta`, `storage_refs`, `custom`) stay open. Non-finite numbers use the [`Num`] encoding.
//! Each document has a JSON Schema and TypeScript declarations generated from these types
//! ([`crate::api::generate`], native only) and checked in under
//! `pkg-config/`; the checked-in schemas are embedded here for [`json_schema`], so the wasm
//! carries no schema generator. `tests/schema_drift.rs` fails when the two disagree.

mod answer;
#[cfg(feature = "engine")]
mod bundle;
mod calendar;
mod decode;
#[cfg(feature = "engine")]
mod document;
#[cfg(feature = "engine")]
mod input;
mod metrics;
pub mod packed;
#[cfg(feature = "engine")]
mod policy;
#[cfg(feature = "engine")]
mod qmtl;
#[cfg(feature = "engine")]
mod report;
mod run;
mod snapshot;
mod v15;
mod validate;

pub use crate::json::{Num, non_finite_str, parse_non_finite};
pub use answer::Answer;
#[cfg(feature = "engine")]
pub use bundle::{
    BUNDLE_VERSION, Bundle, MAX_ID_LEN, SAFE_ID_PATTERN, Submission, SubmissionSeries,
    check_bundle, check_id,
};
pub use calendar::{Calendar, CalendarConventions, CalendarOptions, CalendarPeriod, SeriesIndex};
pub use decode::{from_slice, from_value};
#[cfg(feature = "engine")]
pub use document::{DocumentKind, DocumentValidation};
#[cfg(feature = "engine")]
pub use input::{
    InputWarning, LintOptions, PolicyLint, ReturnsColumn, ReturnsOptions, ReturnsTable,
};
pub use metrics::{
    Conventions, EvaluationMetrics, Gating, HysteresisCounters, MetricSource, PnlMetrics,
    ReturnsMetrics, RiskMetrics, Verdict, Violation,
};
#[cfg(feature = "engine")]
pub use policy::{
    ActivationState, CheckOutcome, CohortRule, CorrelationRule, Decision, Dialect, Explanation,
    HysteresisRule, LiveMonitoringRule, MissingMetric, Note, OnError, Owner, PerformanceProfile,
    PolicyDocument, PortfolioRule, RiskProfile, RobustnessProfile, RuleResult, RuleResults,
    RuleStatus, SampleProfile, SelectionConfig, Severity, StrategyDecision, StrategyState,
    StrategyVerdict, StressRule, ThresholdRule, TopKRule, UnknownCorrelation, ValidationConfig,
    ValidationProfile, Verdicts, WeightMethod, WeightingConfig,
};
#[cfg(feature = "engine")]
pub use qmtl::{
    FailureSeverity, FailureSource, FailureStatus, OverrideStatus, QmtlAnnotation,
    QmtlAnnotationEntry, QmtlError, QmtlExPostFailure, QmtlHistoryItem, QmtlOverride, QmtlRevision,
    QmtlRiskTier, QmtlRun, QmtlRunInput, QmtlRunLinks, QmtlRunStatus, QmtlStage, QmtlSummary,
    QmtlValidation,
};
#[cfg(feature = "engine")]
pub use report::{
    DistributionMetrics, DrawdownEpisode, DrawdownReport, MetricsWithReport, RelativeMetrics,
    Report, ReportConventions, ReportOptions, ReportRequest, RollingReport, RollingWindow,
    SubmissionReport,
};
pub use run::{
    ActiveRun, Published, Run, RunChange, RunLinks, RunRevision, RunState, RunStatus,
    WorldTransition,
};
pub use snapshot::{MetricsDocument, Provenance, SeriesHeads, Snapshot};
pub use v15::{
    MetricsProfile, RegimeCoverage, V15Benchmark, V15Diagnostics, V15Metrics, V15Returns, V15Risk,
    V15Robustness, V15Sample,
};
pub use validate::{Validation, validate_snapshot};

/// Version of the wire format written by this crate.
pub const SCHEMA_VERSION: u32 = 1;

/// The documents `worldgate/core` publishes: the entries of [`DOCUMENTS`] without the `engine`
/// feature (a build without it fails to compile when the two disagree).
pub const CORE_DOCUMENTS: &[&str] = &[
    "error",
    "calendar",
    "calendar-options",
    "metrics",
    "metrics-document",
    "metrics-options",
    "run-status",
    "snapshot",
];

#[cfg(not(feature = "engine"))]
const _: () = assert!(
    same_names(DOCUMENTS, CORE_DOCUMENTS),
    "CORE_DOCUMENTS must list the documents of a build without `engine`, in order"
);

// Runs only at compile time: an index out of bounds is a compile error, never a panic.
#[cfg(not(feature = "engine"))]
#[allow(clippy::indexing_slicing)]
const fn same_names(docs: &[(&str, &str)], names: &[&str]) -> bool {
    if docs.len() != names.len() {
        return false;
    }
    let mut i = 0;
    while i < docs.len() {
        let (a, b) = (docs[i].0.as_bytes(), names[i].as_bytes());
        if a.len() != b.len() {
            return false;
        }
        let mut k = 0;
        while k < a.len() {
            if a[k] != b[k] {
                return false;
            }
            k += 1;
        }
        i += 1;
    }
    true
}

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
        "calendar",
        include_str!("../../pkg-config/schema/calendar.json"),
    ),
    (
        "calendar-options",
        include_str!("../../pkg-config/schema/calendar-options.json"),
    ),
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
    #[cfg(feature = "engine")]
    (
        "verdicts",
        include_str!("../../pkg-config/schema/verdicts.json"),
    ),
    #[cfg(feature = "engine")]
    (
        "metrics-v15",
        include_str!("../../pkg-config/schema/metrics-v15.json"),
    ),
    #[cfg(feature = "engine")]
    (
        "metrics-v15-options",
        include_str!("../../pkg-config/schema/metrics-v15-options.json"),
    ),
    #[cfg(feature = "engine")]
    (
        "qmtl-run",
        include_str!("../../pkg-config/schema/qmtl-run.json"),
    ),
    #[cfg(feature = "engine")]
    (
        "qmtl-history",
        include_str!("../../pkg-config/schema/qmtl-history.json"),
    ),
    #[cfg(feature = "engine")]
    (
        "report",
        include_str!("../../pkg-config/schema/report.json"),
    ),
    #[cfg(feature = "engine")]
    (
        "report-options",
        include_str!("../../pkg-config/schema/report-options.json"),
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

#[cfg(all(test, feature = "engine"))]
mod table_tests {
    use super::*;
    use crate::json::fields::check_enum_table;

    #[test]
    fn enum_tables_name_the_variants_as_serialize_does() {
        check_enum_table(Dialect::table_variants());
        check_enum_table(Severity::table_variants());
        check_enum_table(Owner::table_variants());
        check_enum_table(RuleStatus::table_variants());
        check_enum_table(CheckOutcome::table_variants());
        check_enum_table(MetricSource::table_variants());
        check_enum_table(Verdict::table_variants());
        check_enum_table(RunState::table_variants());
        check_enum_table(QmtlRunStatus::table_variants());
        check_enum_table(QmtlStage::table_variants());
        check_enum_table(QmtlRiskTier::table_variants());
        check_enum_table(OverrideStatus::table_variants());
        check_enum_table(FailureStatus::table_variants());
        check_enum_table(FailureSeverity::table_variants());
        check_enum_table(FailureSource::table_variants());
    }
}
