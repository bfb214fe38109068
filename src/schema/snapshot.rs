//! The snapshot envelope (seed §3.3) and the metrics document (seed §3.2).
//!
//! A snapshot adds series heads, storage references and free-form meta to a run's metric
//! bundle; it is what tools write to `.qmtl_snapshots/<world>-<strategy>-<run>.json`.

use super::{EvaluationMetrics, Num, RunState, SCHEMA_VERSION};
use crate::json::fields::table_struct;
use serde::Serialize;
use serde_json::{Map, Value};

/// The first values of each series, for previews and charts.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
#[cfg_attr(not(target_arch = "wasm32"), derive(schemars::JsonSchema, ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct SeriesHeads {
    /// Period returns.
    #[serde(default)]
    pub returns: Vec<Num>,
    /// Account equity levels.
    #[serde(default)]
    pub equity: Vec<Num>,
    /// Cumulative PnL in currency.
    #[serde(default)]
    pub pnl: Vec<Num>,
    /// The timestamps of the head periods (RFC 3339 UTC), when the submission had a time
    /// axis (`timestamps`, or an `index` expanded); absent otherwise.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[cfg_attr(not(target_arch = "wasm32"), ts(optional, as = "Option<Vec<String>>"))]
    pub timestamps: Vec<String>,
}

/// Digests and versions that tie a snapshot to its inputs.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
#[cfg_attr(not(target_arch = "wasm32"), derive(schemars::JsonSchema, ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct Provenance {
    /// `sha256:<hex>` of the canonical JSON of the sanitized input bundle.
    #[serde(default)]
    pub input_digest: Option<String>,
    /// `sha256:<hex>` of the canonical JSON of the decision.
    #[serde(default)]
    pub result_digest: Option<String>,
    /// `sha256:<hex>` of the resolved policy.
    #[serde(default)]
    pub ruleset_hash: Option<String>,
    /// The worldgate version that produced it.
    #[serde(default)]
    pub worldgate_version: Option<String>,
}

/// Snapshot envelope (seed §3.3).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(not(target_arch = "wasm32"), derive(schemars::JsonSchema, ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct Snapshot {
    /// Wire-format version; this crate writes [`SCHEMA_VERSION`].
    #[serde(default = "schema_version")]
    pub schema_version: u32,
    /// `<world>-<strategy>-<run>`.
    pub snapshot_id: String,
    /// The world.
    pub world_id: String,
    /// The strategy.
    pub strategy_id: String,
    /// The evaluation run.
    pub run_id: String,
    /// RFC 3339 timestamp.
    pub created_at: String,
    /// The metric bundle (`evaluation` of the metrics document).
    pub metrics: EvaluationMetrics,
    /// Leading values of each series.
    #[serde(default)]
    pub series_heads: SeriesHeads,
    /// Free-form metadata (open map).
    #[serde(default)]
    #[cfg_attr(not(target_arch = "wasm32"), ts(type = "Record<string, unknown>"))]
    pub meta: Map<String, Value>,
    /// Where the full series live (open map, usually of URIs).
    #[serde(default)]
    #[cfg_attr(not(target_arch = "wasm32"), ts(type = "Record<string, unknown>"))]
    pub storage_refs: Map<String, Value>,
    /// Digests tying the snapshot to its inputs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(not(target_arch = "wasm32"), ts(optional))]
    pub provenance: Option<Provenance>,
}

/// The metrics document served for an evaluated run (seed §3.2).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(not(target_arch = "wasm32"), derive(schemars::JsonSchema, ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct MetricsDocument {
    /// Wire-format version.
    #[serde(default = "schema_version")]
    pub schema_version: u32,
    /// The world.
    pub world_id: String,
    /// The strategy.
    pub strategy_id: String,
    /// The evaluation run.
    pub run_id: String,
    /// The run's state.
    pub status: RunState,
    /// The metric bundle.
    pub evaluation: EvaluationMetrics,
}

pub(crate) fn schema_version() -> u32 {
    SCHEMA_VERSION
}

// Decoders from field tables (`crate::json::fields`); same messages and paths as derived ones.
table_struct!(SeriesHeads { returns, equity, pnl, timestamps } required []);
table_struct!(Provenance { input_digest, result_digest, ruleset_hash, worldgate_version } required []);
table_struct!(Snapshot {
    schema_version = schema_version(),
    snapshot_id,
    world_id,
    strategy_id,
    run_id,
    created_at,
    metrics,
    series_heads,
    meta,
    storage_refs,
    provenance,
} required [snapshot_id, world_id, strategy_id, run_id, created_at, metrics]);
table_struct!(MetricsDocument {
    schema_version = schema_version(),
    world_id,
    strategy_id,
    run_id,
    status = RunState::Submitted,
    evaluation,
} required [world_id, strategy_id, run_id, status, evaluation]);
