//! QMTL's evaluation-run documents (`services/worldservice/schemas.py`, as QMTL's WorldService
//! serves them under `/worlds/{w}/strategies/{s}/runs…`), and the annotations QMTL's
//! `override` and `ex-post-failures` writes record. Built from stored runs by
//! [`crate::api::qmtl`]; the native documents ([`super::Run`]) stay as they are.

use super::{RuleResult, RuleStatus, RunStatus, V15Metrics};
use crate::json::fields::{table_enum, table_struct};
use indexmap::IndexMap;
use serde::{Deserialize, Serialize};

/// `status` of a QMTL run: `evaluated` exactly when the run has metrics.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(not(target_arch = "wasm32"), derive(schemars::JsonSchema, ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum QmtlRunStatus {
    /// No metrics yet.
    Evaluating,
    /// Metrics (and the decision) are fixed.
    Evaluated,
}

/// QMTL's lifecycle stage of a run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
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
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
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
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
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
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(not(target_arch = "wasm32"), derive(schemars::JsonSchema, ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct QmtlRunLinks {
    /// `/worlds/{w}/strategies/{s}/runs/{r}/metrics`.
    pub metrics: String,
    /// `/worlds/{w}/strategies/{s}/runs/{r}/history`.
    pub history: String,
}

/// `validation`: which policy decided, and each rule's result.
#[derive(Debug, Clone, PartialEq, Serialize)]
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
#[derive(Debug, Clone, PartialEq, Serialize)]
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
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
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
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
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
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
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
#[derive(Debug, Clone, PartialEq, Serialize)]
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
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(not(target_arch = "wasm32"), derive(schemars::JsonSchema, ts_rs::TS))]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum QmtlAnnotation {
    /// `POST …/override`.
    Override(QmtlOverride),
    /// `POST …/ex-post-failures`.
    ExPostFailure(QmtlExPostFailure),
}

// `Deserialize` by hand: serde's derived reader of an internally tagged enum buffers the members
// into its own `Content` tree and reads the variant from that, a second deserializer backend
// compiled for `QmtlOverride`, `QmtlExPostFailure` and their enums (about 10 KB of wasm:
// BENCHMARKS.size.md, session 6). This one collects the other members into a JSON object and
// decodes the variant with the crate's one decoder. Messages and paths are the derived ones:
// `kind` missing, not a string or unknown, at `kind`; a variant's own failure at the annotation
// itself (the derived reader's `Content` had no paths either). Unlike the derived reader, a JSON
// array (the tag first, then the variant's fields by position) is not accepted.
impl<'de> Deserialize<'de> for QmtlAnnotation {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        use serde::de::{self, MapAccess, Visitor};
        use std::fmt;

        /// The tag, read as serde reads a variant identifier.
        enum Kind {
            Override,
            ExPostFailure,
        }
        const KINDS: &[&str] = &["override", "ex_post_failure"];
        struct KindVisitor;
        impl Visitor<'_> for KindVisitor {
            type Value = Kind;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("variant identifier")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Kind, E> {
                match v {
                    "override" => Ok(Kind::Override),
                    "ex_post_failure" => Ok(Kind::ExPostFailure),
                    _ => Err(E::unknown_variant(v, KINDS)),
                }
            }
        }
        impl<'de> Deserialize<'de> for Kind {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                d.deserialize_identifier(KindVisitor)
            }
        }

        struct AnnotationVisitor;
        impl<'de> Visitor<'de> for AnnotationVisitor {
            type Value = QmtlAnnotation;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("internally tagged enum QmtlAnnotation")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<QmtlAnnotation, A::Error> {
                let mut kind = None;
                let mut rest = serde_json::Map::new();
                while let Some(key) = map.next_key::<String>()? {
                    if key == "kind" {
                        if kind.is_some() {
                            return Err(de::Error::duplicate_field("kind"));
                        }
                        kind = Some(map.next_value::<Kind>()?);
                    } else {
                        let value = map.next_value::<serde_json::Value>()?;
                        rest.insert(key, value);
                    }
                }
                let rest = serde_json::Value::Object(rest);
                let decoded = match kind.ok_or_else(|| de::Error::missing_field("kind"))? {
                    Kind::Override => {
                        crate::json::value_de::decode(&rest).map(QmtlAnnotation::Override)
                    }
                    Kind::ExPostFailure => {
                        crate::json::value_de::decode(&rest).map(QmtlAnnotation::ExPostFailure)
                    }
                };
                decoded.map_err(|e| de::Error::custom(e.message()))
            }
        }
        d.deserialize_any(AnnotationVisitor)
    }
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
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
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
#[derive(Debug, Clone, PartialEq, Serialize)]
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
#[derive(Debug, Clone, PartialEq, Serialize)]
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
#[derive(Debug, Clone, PartialEq, Serialize)]
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
#[derive(Debug, Clone, PartialEq, Serialize)]
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

// Decoders from field tables (`crate::json::fields`); same messages and paths as derived ones.
table_struct!(QmtlOverride { status, reason, actor, timestamp } required [status]);
table_struct!(QmtlExPostFailure {
    case_id, status, category, reason_code, severity, evidence_url, actor, recorded_at, source,
    notes,
} required [category, reason_code, actor]);
table_struct!(QmtlRunInput {
    run = super::Run {
        status: RunStatus::placeholder(),
        metrics: None,
        decision: None,
        history: Vec::new(),
    },
    decision,
    policy_version,
    meta,
    annotations,
} required [run]);

table_struct!(QmtlRunLinks { metrics, history } required [metrics, history]);
table_struct!(QmtlValidation {
    policy_version, ruleset_hash, profile, results
} required [policy_version, results]);
table_struct!(QmtlSummary {
    status, recommended_stage, active, override_status, override_reason, override_actor,
    override_timestamp, ex_post_failures,
} required [active, override_status]);
table_struct!(QmtlRun {
    world_id,
    strategy_id,
    run_id,
    status = QmtlRunStatus::Evaluating,
    stage = QmtlStage::Backtest,
    risk_tier = QmtlRiskTier::High,
    model_card_version,
    metrics,
    validation,
    summary,
    created_at,
    updated_at,
    links = QmtlRunLinks { metrics: String::new(), history: String::new() },
} required [world_id, strategy_id, run_id, status, stage, risk_tier, summary, created_at, updated_at, links]);
table_struct!(QmtlRevision {
    revision, recorded_at, status = RunStatus::placeholder()
} required [revision, recorded_at, status]);
table_struct!(QmtlError { detail } required [detail]);

// Unit-enum decoders from their variant tables (`crate::json::fields`).
table_enum!(QmtlRunStatus { Evaluating = "evaluating", Evaluated = "evaluated" });
table_enum!(QmtlStage { Backtest = "backtest", Paper = "paper", Live = "live" });
table_enum!(QmtlRiskTier { High = "high", Medium = "medium", Low = "low" });
table_enum!(OverrideStatus { None = "none", Approved = "approved", Rejected = "rejected" });
table_enum!(FailureStatus { Candidate = "candidate", Confirmed = "confirmed" });
table_enum!(FailureSeverity { Critical = "critical", High = "high", Medium = "medium", Low = "low" });
table_enum!(FailureSource { Manual = "manual", Auto = "auto" });

#[cfg(test)]
mod tests {
    use super::*;

    /// The derived reader `QmtlAnnotation` had, to compare against (same name: serde's
    /// messages quote it).
    mod derived {
        use super::super::{QmtlExPostFailure, QmtlOverride};
        use serde::Deserialize;

        #[derive(Debug, PartialEq, Deserialize)]
        #[serde(tag = "kind", rename_all = "snake_case")]
        pub enum QmtlAnnotation {
            Override(QmtlOverride),
            ExPostFailure(QmtlExPostFailure),
        }
    }
    use derived::QmtlAnnotation as Derived;

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Outer<T> {
        #[allow(dead_code)]
        annotation: T,
    }

    #[test]
    fn annotations_read_as_the_derived_reader_did() {
        let cases = [
            r#"{"kind":"override","status":"approved","reason":"r","actor":"a"}"#,
            r#"{"status":"rejected","kind":"override"}"#,
            r#"{"kind":"ex_post_failure","case_id":"c","reason":"r"}"#,
            r#"{"kind":"ex_post_failure","case_id":"c","reason":"r","status":"confirmed","severity":"high"}"#,
            r#"{"status":"approved"}"#,
            r#"{"kind":"other","status":"approved"}"#,
            r#"{"kind":5}"#,
            r#"{"kind":null}"#,
            r#"{"kind":"override"}"#,
            r#"{"kind":"override","status":"maybe"}"#,
            r#"{"kind":"override","status":"approved","extra":1}"#,
            r#"{"kind":"override","status":"approved","reason":5}"#,
            r#"{"kind":"ex_post_failure","case_id":7}"#,
            r#"{"kind":"ex_post_failure","case_id":"c","reason":"r","severity":{"high":1}}"#,
            r#""override""#,
            "5",
            "null",
        ];
        for case in cases {
            let doc: serde_json::Value =
                serde_json::from_str(&format!(r#"{{"annotation":{case}}}"#)).unwrap();
            let ours = crate::schema::from_value::<Outer<QmtlAnnotation>>(&doc);
            let theirs = crate::schema::from_value::<Outer<Derived>>(&doc);
            match (ours, theirs) {
                (Ok(_), Ok(_)) => {}
                (Err(a), Err(b)) => {
                    assert_eq!(
                        (a.code, &a.path, &a.message, &a.help),
                        (b.code, &b.path, &b.message, &b.help),
                        "{case}"
                    );
                }
                (a, b) => panic!("{case}: {a:?} vs {b:?}"),
            }
        }
    }
}
