//! The JSON Schemas and TypeScript declarations of the wire types, generated from the Rust
//! types (native only: the wasm embeds the checked-in schemas, [`crate::schema::json_schema`]).
//! `tests/schema_drift.rs` fails when the checked-in files under `pkg-config/` disagree.

use crate::schema::*;

/// Generates the JSON Schema of the document `name` from the Rust types.
pub fn generate_json_schema(name: &str) -> Option<String> {
    use schemars::schema_for;
    let schema = match name {
        "bundle" => schema_for!(crate::schema::Bundle),
        "diff" => schema_for!(crate::bundle::diff::Diff),
        "gate-options" => schema_for!(crate::bundle::gate::GateOptions),
        "gate-result" => schema_for!(crate::bundle::gate::GateResult),
        "run" => schema_for!(crate::run::Run),
        "error" => schema_for!(crate::Error),
        "calendar" => schema_for!(Calendar),
        "calendar-options" => schema_for!(CalendarOptions),
        "metrics" => schema_for!(EvaluationMetrics),
        "metrics-document" => schema_for!(MetricsDocument),
        "metrics-options" => schema_for!(crate::metrics::MetricsOptions),
        "metrics-v15" => schema_for!(V15Metrics),
        "metrics-v15-options" => schema_for!(crate::metrics::V15Options),
        "policy" => schema_for!(PolicyDocument),
        "decision" => schema_for!(Decision),
        "verdicts" => schema_for!(Verdicts),
        "run-status" => schema_for!(RunStatus),
        "snapshot" => schema_for!(Snapshot),
        "report" => schema_for!(Report),
        "report-options" => schema_for!(ReportOptions),
        "qmtl-run" => schema_for!(QmtlRun),
        "qmtl-history" => schema_for!(Vec<QmtlHistoryItem>),
        _ => return None,
    };
    serde_json::to_string_pretty(&schema).ok().map(|s| s + "\n")
}

/// Packs the documents `names` for the wasm ([`crate::schema::packed`]): each document without
/// its `$defs`, then every definition once (the first document's text of it; the test checks
/// that all documents agree on it).
pub fn pack_schemas(names: &[&str]) -> String {
    let mut docs = String::new();
    let mut defs: indexmap::IndexMap<String, String> = indexmap::IndexMap::new();
    for name in names {
        let Some(text) = generate_json_schema(name) else {
            continue;
        };
        let Ok(serde_json::Value::Object(mut root)) = serde_json::from_str(&text) else {
            continue;
        };
        let own = match root.shift_remove("$defs") {
            Some(serde_json::Value::Object(d)) => d,
            _ => serde_json::Map::new(),
        };
        let head = serde_json::Value::Object(root).to_string();
        let head = head.strip_suffix('}').unwrap_or(&head);
        let list: Vec<&str> = own.keys().map(String::as_str).collect();
        docs.push_str(&format!("S\t{name}\t{head}\t{}\n", list.join(",")));
        for (k, v) in &own {
            defs.entry(k.clone()).or_insert_with(|| v.to_string());
        }
    }
    for (k, v) in defs {
        docs.push_str(&format!("D\t{k}\t{v}\n"));
    }
    docs
}

/// Generates the TypeScript declarations of every wire type, as one `.d.ts` text: the
/// areas' declarations in the order of their lists below.
pub fn generate_typescript() -> String {
    let cfg = ts_rs::Config::new().with_large_int("number");
    let decls = [
        common_decls(&cfg),
        metrics_decls(&cfg),
        policy_decls(&cfg),
        bundle_decls(&cfg),
        qmtl_decls(&cfg),
    ]
    .into_iter()
    .flatten();
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

/// The shared types: numbers, error codes, errors, the answer envelope.
fn common_decls(cfg: &ts_rs::Config) -> Vec<String> {
    use ts_rs::TS;
    vec![
        Num::decl(cfg),
        crate::error::Code::decl(cfg),
        crate::Error::decl(cfg),
        Answer::<()>::decl(cfg),
    ]
}

/// The metrics, documents, runs' status, inputs, calendar and report types.
fn metrics_decls(cfg: &ts_rs::Config) -> Vec<String> {
    use ts_rs::TS;
    vec![
        EvaluationMetrics::decl(cfg),
        MetricSource::decl(cfg),
        Conventions::decl(cfg),
        ReturnsMetrics::decl(cfg),
        PnlMetrics::decl(cfg),
        RiskMetrics::decl(cfg),
        Verdict::decl(cfg),
        Violation::decl(cfg),
        HysteresisCounters::decl(cfg),
        Gating::decl(cfg),
        SeriesHeads::decl(cfg),
        Provenance::decl(cfg),
        Snapshot::decl(cfg),
        MetricsDocument::decl(cfg),
        RunState::decl(cfg),
        RunLinks::decl(cfg),
        RunStatus::decl(cfg),
        Validation::decl(cfg),
        DocumentKind::decl(cfg),
        DocumentValidation::decl(cfg),
        crate::schema::ReturnsColumn::decl(cfg),
        crate::schema::ReturnsOptions::decl(cfg),
        crate::schema::InputWarning::decl(cfg),
        crate::schema::ReturnsTable::decl(cfg),
        crate::schema::LintOptions::decl(cfg),
        crate::schema::PolicyLint::decl(cfg),
        SeriesIndex::decl(cfg),
        crate::metrics::MetricsOptions::decl(cfg),
        CalendarOptions::decl(cfg),
        CalendarPeriod::decl(cfg),
        CalendarConventions::decl(cfg),
        Calendar::decl(cfg),
        crate::metrics::ReturnKind::decl(cfg),
        MetricsProfile::decl(cfg),
        V15Metrics::decl(cfg),
        V15Returns::decl(cfg),
        V15Sample::decl(cfg),
        RegimeCoverage::decl(cfg),
        V15Robustness::decl(cfg),
        V15Diagnostics::decl(cfg),
        V15Risk::decl(cfg),
        V15Benchmark::decl(cfg),
        crate::metrics::V15Options::decl(cfg),
        ReportOptions::decl(cfg),
        ReportRequest::decl(cfg),
        Report::decl(cfg),
        ReportConventions::decl(cfg),
        DistributionMetrics::decl(cfg),
        DrawdownReport::decl(cfg),
        DrawdownEpisode::decl(cfg),
        RollingReport::decl(cfg),
        RollingWindow::decl(cfg),
        RelativeMetrics::decl(cfg),
    ]
}

/// The policy document, its rules and the decision.
fn policy_decls(cfg: &ts_rs::Config) -> Vec<String> {
    use ts_rs::TS;
    vec![
        Dialect::decl(cfg),
        PolicyDocument::decl(cfg),
        ThresholdRule::decl(cfg),
        TopKRule::decl(cfg),
        UnknownCorrelation::decl(cfg),
        CorrelationRule::decl(cfg),
        HysteresisRule::decl(cfg),
        SelectionConfig::decl(cfg),
        Severity::decl(cfg),
        Owner::decl(cfg),
        SampleProfile::decl(cfg),
        PerformanceProfile::decl(cfg),
        RobustnessProfile::decl(cfg),
        RiskProfile::decl(cfg),
        ValidationProfile::decl(cfg),
        MissingMetric::decl(cfg),
        OnError::decl(cfg),
        ValidationConfig::decl(cfg),
        WeightMethod::decl(cfg),
        WeightingConfig::decl(cfg),
        CohortRule::decl(cfg),
        PortfolioRule::decl(cfg),
        StressRule::decl(cfg),
        LiveMonitoringRule::decl(cfg),
        RuleStatus::decl(cfg),
        RuleResult::decl(cfg),
        RuleResults::decl(cfg),
        CheckOutcome::decl(cfg),
        Explanation::decl(cfg),
        StrategyDecision::decl(cfg),
        StrategyState::decl(cfg),
        ActivationState::decl(cfg),
        Note::decl(cfg),
        Decision::decl(cfg),
        StrategyVerdict::decl(cfg),
        Verdicts::decl(cfg),
    ]
}

/// The bundle, sanitizer, diff, run, world and gate types.
fn bundle_decls(cfg: &ts_rs::Config) -> Vec<String> {
    use ts_rs::TS;
    vec![
        crate::json::Limits::decl(cfg),
        Submission::decl(cfg),
        Bundle::decl(cfg),
        SubmissionSeries::decl(cfg),
        crate::schema::SubmissionReport::decl(cfg),
        crate::bundle::sanitize::RedactionKind::decl(cfg),
        crate::bundle::sanitize::Redaction::decl(cfg),
        crate::bundle::sanitize::SanitizedText::decl(cfg),
        crate::bundle::diff::DiffOptions::decl(cfg),
        crate::bundle::diff::DiffSide::decl(cfg),
        crate::bundle::diff::MetricDelta::decl(cfg),
        crate::bundle::diff::Change::<Verdict>::decl(cfg),
        crate::bundle::diff::Diff::decl(cfg),
        crate::run::RunRevision::decl(cfg),
        crate::run::Run::decl(cfg),
        RunChange::decl(cfg),
        WorldTransition::decl(cfg),
        Published::decl(cfg),
        ActiveRun::decl(cfg),
        crate::bundle::gate::Tolerance::decl(cfg),
        crate::bundle::gate::GateOptions::decl(cfg),
        crate::bundle::gate::StrategyOutcome::decl(cfg),
        crate::bundle::gate::GateResult::decl(cfg),
    ]
}

/// QMTL's run documents.
fn qmtl_decls(cfg: &ts_rs::Config) -> Vec<String> {
    use ts_rs::TS;
    vec![
        QmtlRunStatus::decl(cfg),
        QmtlStage::decl(cfg),
        QmtlRiskTier::decl(cfg),
        OverrideStatus::decl(cfg),
        QmtlRunLinks::decl(cfg),
        QmtlValidation::decl(cfg),
        QmtlOverride::decl(cfg),
        FailureStatus::decl(cfg),
        FailureSeverity::decl(cfg),
        FailureSource::decl(cfg),
        QmtlExPostFailure::decl(cfg),
        QmtlAnnotation::decl(cfg),
        QmtlAnnotationEntry::decl(cfg),
        QmtlSummary::decl(cfg),
        QmtlRun::decl(cfg),
        QmtlHistoryItem::decl(cfg),
        QmtlRevision::decl(cfg),
        QmtlError::decl(cfg),
        QmtlRunInput::decl(cfg),
    ]
}
