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
