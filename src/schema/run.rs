//! The evaluation-run status document (seed §3.1) and its states.

use serde::{Deserialize, Serialize};

/// Lifecycle state of an evaluation run:
/// `submitted → backtest_running → evaluating → evaluated → {activated | rejected} → expired`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(not(target_arch = "wasm32"), derive(schemars::JsonSchema, ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum RunState {
    /// Registered, not started.
    Submitted,
    /// Per-strategy returns and metrics are being computed.
    BacktestRunning,
    /// The world policy is being applied.
    Evaluating,
    /// Metrics and decision are fixed; the run is immutable from here on.
    Evaluated,
    /// The decision was applied to the world's active set.
    Activated,
    /// Evaluated but not activated.
    Rejected,
    /// Superseded or past its TTL; kept as history.
    Expired,
}

impl RunState {
    /// Every state, in lifecycle order.
    pub const ALL: [RunState; 7] = [
        RunState::Submitted,
        RunState::BacktestRunning,
        RunState::Evaluating,
        RunState::Evaluated,
        RunState::Activated,
        RunState::Rejected,
        RunState::Expired,
    ];

    /// The wire spelling, e.g. `"backtest_running"`.
    pub const fn as_str(self) -> &'static str {
        match self {
            RunState::Submitted => "submitted",
            RunState::BacktestRunning => "backtest_running",
            RunState::Evaluating => "evaluating",
            RunState::Evaluated => "evaluated",
            RunState::Activated => "activated",
            RunState::Rejected => "rejected",
            RunState::Expired => "expired",
        }
    }
}

/// URLs of a run's resources.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(not(target_arch = "wasm32"), derive(schemars::JsonSchema, ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct RunLinks {
    /// This status document.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(not(target_arch = "wasm32"), ts(optional))]
    pub status: Option<String>,
    /// The metrics document.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(not(target_arch = "wasm32"), ts(optional))]
    pub metrics: Option<String>,
    /// The snapshot envelope.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(not(target_arch = "wasm32"), ts(optional))]
    pub snapshot: Option<String>,
    /// The append-only revision history.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(not(target_arch = "wasm32"), ts(optional))]
    pub history: Option<String>,
}

/// Where a submission is in the world lifecycle (seed §3.1).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(not(target_arch = "wasm32"), derive(schemars::JsonSchema, ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct RunStatus {
    /// Wire-format version.
    #[serde(default = "super::snapshot::schema_version")]
    pub schema_version: u32,
    /// The world.
    pub world_id: String,
    /// The strategy.
    pub strategy_id: String,
    /// The evaluation run.
    pub run_id: String,
    /// Lifecycle state.
    pub status: RunState,
    /// RFC 3339 creation time.
    pub created_at: String,
    /// RFC 3339 time of the last transition.
    pub updated_at: String,
    /// Execution mode the world applies (`validate`, `paper`, `live`, …).
    pub effective_mode: String,
    /// Activation of the run's decision (`pending`, `active`, `inactive`).
    pub activation_state: String,
    /// Links to the run's resources.
    #[serde(default)]
    pub links: RunLinks,
    /// `sha256:<hex>` of the policy the run was gated with.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(not(target_arch = "wasm32"), ts(optional))]
    pub ruleset_hash: Option<String>,
    /// `sha256:<hex>` of the sanitized input bundle.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(not(target_arch = "wasm32"), ts(optional))]
    pub input_digest: Option<String>,
}
