//! Run and snapshot operations on documents as callers hold them (bytes of JSON): moving a run
//! record through its states, and diffing two evaluations. The rules are [`crate::run`]'s and
//! [`crate::bundle::diff`]'s; this layer reads the documents and names the errors' paths.

use crate::bundle::diff::{self, Diff, DiffOptions};
use crate::error::Error;
use crate::json::{Limits, parse};
use crate::run::Run;
use crate::schema::RunState;

/// Moves the run record `run` (JSON bytes) to state `to` at time `at` (default: the run's
/// `updated_at`).
///
/// # Errors
/// The reader's errors and `E_SCHEMA` for a document that is not a run; `E_SCHEMA` for an
/// unknown state name; `E_ILLEGAL_TRANSITION` / `E_RUN_IMMUTABLE` from the state machine.
pub fn transition(run: &[u8], to: &str, at: Option<&str>) -> Result<Run, Vec<Error>> {
    let v = parse(run, &Limits::default()).map_err(|e| vec![e])?;
    let run: Run = crate::schema::from_value(&v).map_err(|e| vec![e])?;
    let to = RunState::parse(to)?;
    let at = at.map_or_else(|| run.status.updated_at.clone(), str::to_string);
    crate::run::transition_at(&run, to, &at).map_err(|e| vec![e])
}

/// Diffs two snapshots or run records (JSON bytes): baseline, current.
///
/// # Errors
/// The reader's errors at `/baseline…` or `/current…`; `E_NOT_COMPARABLE` and `E_SCHEMA` from
/// the diff.
pub fn diff(baseline: &[u8], current: &[u8], opts: &DiffOptions) -> Result<Diff, Vec<Error>> {
    let limits = Limits::default();
    let a = parse(baseline, &limits).map_err(|e| vec![e.within("/baseline")])?;
    let b = parse(current, &limits).map_err(|e| vec![e.within("/current")])?;
    diff::diff_documents(&a, &b, opts).map_err(|e| vec![e])
}

/// Whether a client waiting for a run's evaluation can stop: the run's state (its wire name, as
/// a status document's `status` carries it) is `evaluated` or any later state (`activated`,
/// `rejected`, `expired`), whose metrics and decision are fixed. A run still `submitted`,
/// `backtest_running` or `evaluating` is not settled.
///
/// # Errors
/// `E_SCHEMA` for a name that is not a run state (with a did-you-mean).
pub fn run_settled(state: &str) -> Result<bool, Vec<Error>> {
    RunState::parse(state).map(crate::run::is_frozen)
}

/// Which run of a strategy a client asks for: the newest one, or one by id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RunSelector {
    /// The strategy's most recently submitted run (`latest` on the wire).
    Latest,
    /// One run by its id.
    Id(String),
}

impl RunSelector {
    /// The path segment the edge reads: `latest` or the run id.
    pub fn as_segment(&self) -> &str {
        match self {
            RunSelector::Latest => "latest",
            RunSelector::Id(id) => id,
        }
    }
}

/// Reads a run selector: `latest` (the strategy's newest run, resolved by the server) or a
/// run id, which must be a safe id (`E_ID_INVALID` at `/run_id` otherwise).
///
/// # Errors
/// `E_ID_INVALID` for a selector that is neither `latest` nor a safe id.
pub fn run_selector(text: &str) -> Result<RunSelector, Error> {
    if text == "latest" {
        return Ok(RunSelector::Latest);
    }
    crate::schema::check_id(text, "/run_id")?;
    Ok(RunSelector::Id(text.to_string()))
}

/// `/worlds/<world>/runs`, where a bundle for `world` is uploaded (the id percent-encoded as
/// in [`crate::run::run_links`]).
pub fn upload_path(world_id: &str) -> String {
    format!("/worlds/{}/runs", crate::run::segment(world_id))
}

/// `/worlds/<world>/strategies/<strategy>/runs/<run>`: the status document of the run `run`
/// selects (the server resolves `latest`).
pub fn run_status_path(world_id: &str, strategy_id: &str, run: &RunSelector) -> String {
    crate::run::run_links(world_id, strategy_id, run.as_segment(), None)
        .status
        .unwrap_or_default()
}

/// `/worlds/<world>/snapshots/<snapshot_id>`, the snapshot envelope of a run
/// ([`crate::run::snapshot_id`] names it).
///
/// # Errors
/// `E_ID_INVALID` for an unsafe id.
pub fn snapshot_path(world_id: &str, strategy_id: &str, run_id: &str) -> Result<String, Error> {
    let sid = crate::run::snapshot_id(world_id, strategy_id, run_id)?;
    Ok(
        crate::run::run_links(world_id, strategy_id, run_id, Some(&sid))
            .snapshot
            .unwrap_or_default(),
    )
}

/// The retry delay before attempt `attempt` (1 for the first retry) of a request that failed
/// for a reason worth retrying (a network error or a 5xx answer): `base_ms` doubling per attempt,
/// capped at `max_ms`. Attempt 0 (the first try) waits 0.
pub fn backoff_ms(attempt: u32, base_ms: u64, max_ms: u64) -> u64 {
    if attempt == 0 {
        return 0;
    }
    let factor = 1u64
        .checked_shl(attempt.saturating_sub(1))
        .unwrap_or(u64::MAX);
    base_ms.saturating_mul(factor).min(max_ms)
}

/// Whether an HTTP answer with status `status` is worth retrying: 5xx (the server or something
/// in front of it failed) and 429 (too many requests). 4xx other than 429 are the caller's
/// input and never retried.
pub const fn retryable_status(status: u16) -> bool {
    status >= 500 || status == 429
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn settled_states() {
        let settled: Vec<bool> = crate::schema::RunState::ALL
            .iter()
            .map(|s| run_settled(s.as_str()).unwrap_or(false))
            .collect();
        assert_eq!(settled, [false, false, false, true, true, true, true]);
        let e = run_settled("evaluted").err().unwrap_or_default();
        assert_eq!(e.first().map(|e| e.code.as_str()), Some("E_SCHEMA"));
        assert_eq!(
            e.first().and_then(|e| e.help.clone()).as_deref(),
            Some("did you mean `evaluated`?")
        );
    }

    #[test]
    fn selectors() {
        assert_eq!(run_selector("latest").ok(), Some(RunSelector::Latest));
        assert_eq!(
            run_selector("r-0123")
                .map(|s| s.as_segment().to_string())
                .ok(),
            Some("r-0123".to_string())
        );
        let e = run_selector("../x")
            .err()
            .map(|e| (e.code.as_str(), e.path.clone()));
        assert_eq!(e, Some(("E_ID_INVALID", "/run_id".to_string())));
    }

    #[test]
    fn paths() {
        assert_eq!(upload_path("w:1"), "/worlds/w%3A1/runs");
        assert_eq!(
            run_status_path("w", "s", &RunSelector::Latest),
            "/worlds/w/strategies/s/runs/latest"
        );
        assert_eq!(
            snapshot_path("w", "s", "r-1").ok().as_deref(),
            Some("/worlds/w/snapshots/w-s-r-1")
        );
    }

    #[test]
    fn backoff_doubles_and_caps() {
        let d: Vec<u64> = (0..8).map(|a| backoff_ms(a, 250, 4000)).collect();
        assert_eq!(d, [0, 250, 500, 1000, 2000, 4000, 4000, 4000]);
        assert_eq!(backoff_ms(200, 250, 4000), 4000);
        assert!(retryable_status(500) && retryable_status(503) && retryable_status(429));
        assert!(!retryable_status(404) && !retryable_status(400) && !retryable_status(200));
    }
}
