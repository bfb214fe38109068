//! QMTL's evaluation-run documents (`services/worldservice/schemas.py`, as QMTL's WorldService
//! serves them under `/worlds/{w}/strategies/{s}/runs…`), and the annotations QMTL's
//! `override` and `ex-post-failures` writes record. Built from stored runs by
//! [`crate::api::qmtl`]; the native documents ([`super::Run`]) stay as they are.

use super::{RuleResult, RuleStatus, RunStatus, V15Metrics};
use indexmap::IndexMap;
use serde::{Deserialize, Serialize};

/// `status` of a QMTL run: `evaluated` exactly when the run has metrics.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(not(target_arch = "wasm32"), derive(schemars::JsonSchema, ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum QmtlRunStatus {
    /// No metrics yet.
    Evaluating,
    /// Metrics (and the decision) are fixed.
    Evaluated,
}

/// QMTL's lifecycle stage of a run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(not(target_arch = "wasm32"), derive(schemars::JsonSchema, ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum QmtlStage {
    /// Historical simulation.
    Backtest,
    /// Paper trading.
    Paper,
    /// Live trading.
    Live,
}

/// QMTL's risk tier of a run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(not(target_arch = "wasm32"), derive(schemars::JsonSchema, ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum QmtlRiskTier {
    /// High risk (the default when the submission names none).
    High,
    /// Medium risk.
    Medium,
    /// Low risk.
    Low,
}

/// A manual override's status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(not(target_arch = "wasm32"), derive(schemars::JsonSchema, ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum OverrideStatus {
    /// No override (or one withdrawn).
    #[default]
    None,
    /// Approved by hand despite the decision.
    Approved,
    /// Rejected by hand despite the decision.
    Rejected,
}

/// `links` of a QMTL run (paths relative to the QMTL base URL).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(not(target_arch = "wasm32"), derive(schemars::JsonSchema, ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct QmtlRunLinks {
    /// `/worlds/{w}/strategies/{s}/runs/{r}/metrics`.
    pub metrics: String,
    /// `/worlds/{w}/strategies/{s}/runs/{r}/history`.
    pub history: String,
}

/// `validation`: which policy decided, and each rule's result.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(not(target_arch = "wasm32"), derive(schemars::JsonSchema, ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct QmtlValidation {
    /// The world's policy version the run was gated with, as a decimal string (`"0"`: the
    /// world's default policy).
    pub policy_version: String,
    /// `sha256:<hex>` of the resolved policy.
    pub ruleset_hash: Option<String>,
    /// The validation profile applied, if any.
    pub profile: Option<String>,
    /// Rule name → result (`data_currency`, `sample`, `performance`, `risk_constraint`,
    /// `robustness`, and the extended layers when configured); empty when the decision has no
    /// entry for the strategy.
    pub results: IndexMap<String, RuleResult>,
}

/// A manual override, as `POST …/override` takes it (QMTL's `EvaluationOverride`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(not(target_arch = "wasm32"), derive(schemars::JsonSchema, ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct QmtlOverride {
    /// approved | rejected | none.
    pub status: OverrideStatus,
    /// Why (required for `approved`).
    #[serde(default)]
    pub reason: Option<String>,
    /// Who (required for `approved`).
    #[serde(default)]
    pub actor: Option<String>,
    /// When, as the client states it (required for `approved`); the recording time when absent.
    #[serde(default)]
    pub timestamp: Option<String>,
}

/// Whether an ex-post failure is confirmed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(not(target_arch = "wasm32"), derive(schemars::JsonSchema, ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum FailureStatus {
    /// Suspected.
    Candidate,
    /// Confirmed (the default).
    #[default]
    Confirmed,
}

/// How severe an ex-post failure is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(not(target_arch = "wasm32"), derive(schemars::JsonSchema, ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum FailureSeverity {
    /// Critical.
    Critical,
    /// High.
    High,
    /// Medium.
    Medium,
    /// Low.
    Low,
}

/// Who noticed an ex-post failure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(not(target_arch = "wasm32"), derive(schemars::JsonSchema, ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum FailureSource {
    /// A person (the default).
    #[default]
    Manual,
    /// A monitor.
    Auto,
}

/// A failure observed after the fact, as `POST …/ex-post-failures` takes it (QMTL's
/// `ExPostFailureRecord`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(not(target_arch = "wasm32"), derive(schemars::JsonSchema, ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct QmtlExPostFailure {
    /// Case id; `case-<n>` (n = 1, 2, … per run) when absent or blank.
    #[serde(default)]
    pub case_id: Option<String>,
    /// candidate | confirmed (default).
    #[serde(default)]
    pub status: FailureStatus,
    /// Category (non-empty).
    pub category: String,
    /// Stable reason code (non-empty).
    pub reason_code: String,
    /// critical | high | medium | low.
    #[serde(default)]
    pub severity: Option<FailureSeverity>,
    /// Link to the evidence.
    #[serde(default)]
    pub evidence_url: Option<String>,
    /// Who recorded it (non-empty).
    pub actor: String,
    /// When, as the client states it; the recording time when absent.
    #[serde(default)]
    pub recorded_at: Option<String>,
    /// manual (default) | auto.
    #[serde(default)]
    pub source: FailureSource,
    /// Free text.
    #[serde(default)]
    pub notes: Option<String>,
}

/// One annotation of a run (an override or an ex-post failure), as stored.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(not(target_arch = "wasm32"), derive(schemars::JsonSchema, ts_rs::TS))]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum QmtlAnnotation {
    /// `POST …/override`.
    Override(QmtlOverride),
    /// `POST …/ex-post-failures`.
    ExPostFailure(QmtlExPostFailure),
}

/// An annotation with the history revision that recorded it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(not(target_arch = "wasm32"), derive(schemars::JsonSchema, ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct QmtlAnnotationEntry {
    /// The run's history revision that recorded it.
    pub revision: u32,
    /// RFC 3339 time the service recorded it.
    pub recorded_at: String,
    /// The annotation.
    pub annotation: QmtlAnnotation,
}

/// `summary`: the decision in QMTL's terms, plus override and ex-post-failure annotations.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[cfg_attr(not(target_arch = "wasm32"), derive(schemars::JsonSchema, ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct QmtlSummary {
    /// pass (verdict `valid`) | warn (`warn`) | fail (`invalid`); `null` until evaluated.
    pub status: Option<RuleStatus>,
    /// `backtest_only` | `paper_only` | `paper_ok_live_candidate`; `null` until evaluated or
    /// when the policy names none.
    pub recommended_stage: Option<String>,
    /// Whether the run is in the world's active set (state `activated`).
    pub active: bool,
    /// The latest override's status (`none` when there is none).
    pub override_status: OverrideStatus,
    /// The latest override's reason.
    pub override_reason: Option<String>,
    /// The latest override's actor.
    pub override_actor: Option<String>,
    /// The latest override's timestamp.
    pub override_timestamp: Option<String>,
    /// Every ex-post failure recorded, oldest first (omitted when none).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[cfg_attr(
        not(target_arch = "wasm32"),
        ts(optional, as = "Option<Vec<QmtlExPostFailure>>")
    )]
    pub ex_post_failures: Vec<QmtlExPostFailure>,
}

/// QMTL's `EvaluationRunModel` (and, with `metrics` set, its `EvaluationRunMetricsResponse`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(not(target_arch = "wasm32"), derive(schemars::JsonSchema, ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct QmtlRun {
    /// The world.
    pub world_id: String,
    /// The strategy.
    pub strategy_id: String,
    /// The run.
    pub run_id: String,
    /// `evaluated` exactly when `metrics` is set.
    pub status: QmtlRunStatus,
    /// The submission's `meta.stage` when it is one of QMTL's, else from the world's mode.
    pub stage: QmtlStage,
    /// The submission's `meta.risk_tier` when it is one of QMTL's, else `high`.
    pub risk_tier: QmtlRiskTier,
    /// The submission's `meta.model_card_version`, if a string.
    pub model_card_version: Option<String>,
    /// QMTL's v1.5 metric set (`returns`, `sample`, `robustness`, `diagnostics`, and `risk` /
    /// `benchmark` when supplied); `null` until evaluated.
    pub metrics: Option<V15Metrics>,
    /// The policy and its rule results; `null` until evaluated.
    pub validation: Option<QmtlValidation>,
    /// The decision in QMTL's terms and the run's annotations.
    pub summary: QmtlSummary,
    /// RFC 3339 creation time.
    pub created_at: String,
    /// RFC 3339 time of the last change (a transition or an annotation).
    pub updated_at: String,
    /// The metrics and history paths.
    pub links: QmtlRunLinks,
}

/// One item of `GET …/history`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(not(target_arch = "wasm32"), derive(schemars::JsonSchema, ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct QmtlHistoryItem {
    /// 1, 2, … in order.
    pub revision: u32,
    /// RFC 3339 time of the revision.
    pub recorded_at: String,
    /// The run as of that revision.
    pub payload: QmtlRun,
}

/// One stored revision of a run, as a world service reads it back for `…/history`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(not(target_arch = "wasm32"), derive(schemars::JsonSchema, ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct QmtlRevision {
    /// 1, 2, … in order.
    pub revision: u32,
    /// RFC 3339 time of the revision.
    pub recorded_at: String,
    /// The run's status document as of that revision.
    pub status: RunStatus,
}

/// A FastAPI-style error document: `{"detail": …}` (a message, or `{code, message, path}`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(not(target_arch = "wasm32"), derive(schemars::JsonSchema, ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct QmtlError {
    /// `"evaluation run not found"` for a missing run; `{code, message}` otherwise (with
    /// `path` and `help` when known).
    #[cfg_attr(
        not(target_arch = "wasm32"),
        ts(type = "string | Record<string, unknown>")
    )]
    pub detail: serde_json::Value,
}

/// What a world service holds about one run, for [`crate::api::qmtl`]'s documents.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(not(target_arch = "wasm32"), derive(schemars::JsonSchema, ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct QmtlRunInput {
    /// The stored run record.
    pub run: super::Run,
    /// The decision of the upload that gated the run (its entry for the run's strategy is read);
    /// ignored until the run has metrics.
    #[serde(default)]
    #[cfg_attr(not(target_arch = "wasm32"), ts(optional))]
    pub decision: Option<super::Decision>,
    /// The world's policy version the run was gated with (0: the default policy).
    #[serde(default)]
    #[cfg_attr(not(target_arch = "wasm32"), ts(optional))]
    pub policy_version: Option<u32>,
    /// The submission's `meta` (from its snapshot): `stage`, `risk_tier`, `model_card_version`.
    #[serde(default)]
    #[cfg_attr(
        not(target_arch = "wasm32"),
        ts(optional, type = "Record<string, unknown>")
    )]
    pub meta: serde_json::Map<String, serde_json::Value>,
    /// The run's annotations, oldest first.
    #[serde(default)]
    #[cfg_attr(
        not(target_arch = "wasm32"),
        ts(optional, as = "Option<Vec<QmtlAnnotationEntry>>")
    )]
    pub annotations: Vec<QmtlAnnotationEntry>,
}
