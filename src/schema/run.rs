//! The evaluation-run status document (seed §3.1), its states, the run record, and what a
//! world's rules ([`crate::world`]) answer about runs.

use super::{EvaluationMetrics, Gating, Num};
use crate::error::{Code, Error};
use crate::json::fields::{table_enum, table_struct};
use serde::{Deserialize, Serialize};

/// Lifecycle state of an evaluation run:
/// `submitted → backtest_running → evaluating → evaluated → {activated | rejected} → expired`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
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

    /// The state spelled `name` (the wire spelling).
    ///
    /// # Errors
    /// `E_SCHEMA` naming the unknown state, with the closest state (or the list) as help.
    pub fn parse(name: &str) -> Result<RunState, Vec<Error>> {
        Self::ALL
            .into_iter()
            .find(|s| s.as_str() == name)
            .ok_or_else(|| {
                let names = Self::ALL.map(RunState::as_str);
                let e = Error::new(Code::Schema, "", format!("unknown run state `{name}`"));
                vec![match crate::suggest::closest(name, names) {
                    Some(s) => e.with_help(format!("did you mean `{s}`?")),
                    None => e.with_help(format!("states: {}", names.join(", "))),
                }]
            })
    }
}

/// URLs of a run's resources.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
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
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
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

/// One entry of a run's history: the state entered and when.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(not(target_arch = "wasm32"), derive(schemars::JsonSchema, ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct RunRevision {
    /// 0 for the creation, then 1, 2, … in order.
    pub revision: u32,
    /// The state entered.
    pub status: RunState,
    /// RFC 3339 time of the change.
    pub at: String,
}

/// An evaluation run: status, result, and history.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(not(target_arch = "wasm32"), derive(schemars::JsonSchema, ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct Run {
    /// The status document (seed §3.1).
    pub status: RunStatus,
    /// The metric bundle, set before `evaluated` and fixed from then on.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(not(target_arch = "wasm32"), ts(optional))]
    pub metrics: Option<EvaluationMetrics>,
    /// The policy's decision for the strategy, fixed from `evaluated` on.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(not(target_arch = "wasm32"), ts(optional))]
    pub decision: Option<Gating>,
    /// Every state the run entered, oldest first; only ever appended to.
    #[serde(default)]
    pub history: Vec<RunRevision>,
}

/// A run moved by a world ([`crate::world::transition`]): the run itself and the runs the move
/// displaced.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(not(target_arch = "wasm32"), derive(schemars::JsonSchema, ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct WorldTransition {
    /// The run in its new state.
    pub run: Run,
    /// The other runs the move changed (activating a run expires the strategy's previously
    /// active run), each with the reason to record; empty for every other move.
    pub superseded: Vec<RunChange>,
}

/// One run a world rule changed, and why.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(not(target_arch = "wasm32"), derive(schemars::JsonSchema, ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct RunChange {
    /// The run in its new state.
    pub run: Run,
    /// Why it changed, for the run's history (e.g. `superseded by run r-…`).
    pub reason: String,
}

/// A deferred run published by a world ([`crate::world::publish`]).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(not(target_arch = "wasm32"), derive(schemars::JsonSchema, ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct Published {
    /// The status of each state the run passed through before its final one, in order
    /// (`backtest_running`, `evaluating`).
    pub steps: Vec<RunStatus>,
    /// The published record: the gate's evaluated record (metrics, decision, digests) with the
    /// walked history and the publication time as `updated_at`.
    pub run: Run,
}

/// One entry of a world's active set: an activated run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(not(target_arch = "wasm32"), derive(schemars::JsonSchema, ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct ActiveRun {
    /// The strategy.
    pub strategy_id: String,
    /// Its activated run.
    pub run_id: String,
    /// The run's weight in the active set as gated (`null` when the run has none).
    pub weight: Option<Num>,
    /// The run's rank as gated (`null` when the run has none).
    pub rank: Option<u32>,
    /// When the run was activated (its `updated_at`).
    pub since: String,
}

// Decoders from field tables (`crate::json::fields`); same messages and paths as derived ones.
table_struct!(RunLinks { status, metrics, snapshot, history } required []);
table_struct!(RunStatus {
    schema_version = super::snapshot::schema_version(),
    world_id,
    strategy_id,
    run_id,
    status = RunState::Submitted,
    created_at,
    updated_at,
    effective_mode,
    activation_state,
    links,
    ruleset_hash,
    input_digest,
} required [world_id, strategy_id, run_id, status, created_at, updated_at, effective_mode, activation_state]);
table_struct!(RunRevision { revision, status = RunState::Submitted, at } required [revision, status, at]);
table_struct!(Run { status = RunStatus::placeholder(), metrics, decision, history } required [status]);

impl RunStatus {
    /// The initial value of a required status while its decoder reads the members.
    pub(crate) fn placeholder() -> Self {
        RunStatus {
            schema_version: super::snapshot::schema_version(),
            world_id: String::new(),
            strategy_id: String::new(),
            run_id: String::new(),
            status: RunState::Submitted,
            created_at: String::new(),
            updated_at: String::new(),
            effective_mode: String::new(),
            activation_state: String::new(),
            links: RunLinks::default(),
            ruleset_hash: None,
            input_digest: None,
        }
    }
}

// Unit-enum decoders from their variant tables (`crate::json::fields`).
table_enum!(RunState { Submitted = "submitted", BacktestRunning = "backtest_running", Evaluating = "evaluating", Evaluated = "evaluated", Activated = "activated", Rejected = "rejected", Expired = "expired" });
