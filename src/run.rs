//! The evaluation-run state machine (seed §2.1) and the run record.
//!
//! ```text
//! submitted → backtest_running → evaluating → evaluated → activated ─┐
//!                                                       └→ rejected ─┴→ expired
//! ```
//!
//! A [`Run`] is the status document plus the run's metrics, its decision and an append-only
//! history of revisions. [`transition`] moves it along one edge of the diagram (anything else is
//! `E_ILLEGAL_TRANSITION`); [`record_result`] sets metrics and decision before the run is
//! evaluated (after that, `E_RUN_IMMUTABLE`); [`reevaluate`] starts a new run with a new id.
//! Run ids are minted deterministically ([`mint_run_id`]), so an identical re-upload maps to the
//! same run. Nothing here reads a clock: timestamps are passed in.

use crate::digest::sha256_bytes;
use crate::error::{Code, Error};
use crate::schema::{
    EvaluationMetrics, Gating, MAX_ID_LEN, RunLinks, RunState, RunStatus, check_id,
};

pub use crate::schema::{Run, RunRevision};

/// Whether `from → to` is an edge of the state machine.
pub const fn is_legal(from: RunState, to: RunState) -> bool {
    use RunState as S;
    matches!(
        (from, to),
        (S::Submitted, S::BacktestRunning)
            | (S::BacktestRunning, S::Evaluating)
            | (S::Evaluating, S::Evaluated)
            | (S::Evaluated, S::Activated | S::Rejected)
            | (S::Activated | S::Rejected, S::Expired)
    )
}

/// The states reachable from `from` in one step.
pub fn next_states(from: RunState) -> Vec<RunState> {
    STATES
        .into_iter()
        .filter(|&to| is_legal(from, to))
        .collect()
}

/// Every run state, in lifecycle order.
const STATES: [RunState; 7] = RunState::ALL;

/// Whether the run's metrics and decision are fixed (`evaluated` and every later state).
pub const fn is_frozen(state: RunState) -> bool {
    !matches!(
        state,
        RunState::Submitted | RunState::BacktestRunning | RunState::Evaluating
    )
}

/// `r-<first 16 hex digits of sha256("<input_digest>|<strategy_id>")>`: the run id of a
/// strategy's submission in a bundle, the same for the same bundle.
pub fn mint_run_id(input_digest: &str, strategy_id: &str) -> String {
    let h = sha256_bytes(format!("{input_digest}|{strategy_id}").as_bytes());
    let hex = h.strip_prefix("sha256:").unwrap_or(&h);
    format!("r-{}", hex.get(..16).unwrap_or(hex))
}

/// `<world>-<strategy>-<run>` (QMTL's name), itself a safe id; when that is longer than
/// [`MAX_ID_LEN`] bytes (three ids of up to 128 bytes each can be), `s-` and the first 32 hex
/// digits of its SHA-256 instead, so every snapshot id passes [`check_id`] and can be asked for
/// by id wherever ids are checked (the edge's `/snapshots/{id}`).
///
/// # Errors
/// `E_ID_INVALID` when an id is not a safe id (so the name cannot escape its directory).
pub fn snapshot_id(world_id: &str, strategy_id: &str, run_id: &str) -> Result<String, Error> {
    check_id(world_id, "/world_id")?;
    check_id(strategy_id, "/strategy_id")?;
    check_id(run_id, "/run_id")?;
    let full = format!("{world_id}-{strategy_id}-{run_id}");
    if full.len() <= MAX_ID_LEN {
        return Ok(full);
    }
    let h = sha256_bytes(full.as_bytes());
    let hex = h.strip_prefix("sha256:").unwrap_or(&h);
    Ok(format!("s-{}", hex.get(..32).unwrap_or(hex)))
}

/// `.qmtl_snapshots/<world>-<strategy>-<run>.json`, where tools keep snapshot envelopes.
///
/// # Errors
/// `E_ID_INVALID` as for [`snapshot_id`].
pub fn snapshot_file_name(
    world_id: &str,
    strategy_id: &str,
    run_id: &str,
) -> Result<String, Error> {
    Ok(format!(
        ".qmtl_snapshots/{}.json",
        snapshot_id(world_id, strategy_id, run_id)?
    ))
}

/// The states a run walks through from `submitted` to `evaluated`, in order: the gate walks
/// every run it records along it, and a world publishes a deferred run along it
/// ([`crate::world::publish`]).
pub const PUBLISH_PATH: [RunState; 3] = [
    RunState::BacktestRunning,
    RunState::Evaluating,
    RunState::Evaluated,
];

/// The URLs of a run's resources, relative to the API root:
/// `status` = `/worlds/<world>/strategies/<strategy>/runs/<run>`, `metrics` and `history` below
/// it, and `snapshot` = `/worlds/<world>/snapshots/<snapshot_id>` when a snapshot is given
/// (absent otherwise). Each id is one path segment, percent-encoded as JavaScript's
/// `encodeURIComponent` does (every byte except `A–Z a–z 0–9 - _ . ! ~ * ' ( )`), so any
/// string gives a well-formed URL; safe ids only ever have `:` encoded (`%3A`).
pub fn run_links(
    world_id: &str,
    strategy_id: &str,
    run_id: &str,
    snapshot_id: Option<&str>,
) -> RunLinks {
    let (w, s, r) = (segment(world_id), segment(strategy_id), segment(run_id));
    let base = format!("/worlds/{w}/strategies/{s}/runs/{r}");
    RunLinks {
        status: Some(base.clone()),
        metrics: Some(format!("{base}/metrics")),
        snapshot: snapshot_id.map(|sid| format!("/worlds/{w}/snapshots/{}", segment(sid))),
        history: Some(format!("{base}/history")),
    }
}

/// `text` percent-encoded as `encodeURIComponent` does (UTF-8 bytes, upper-case hex).
pub(crate) fn segment(text: &str) -> String {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    let mut out = String::with_capacity(text.len());
    for &b in text.as_bytes() {
        if b.is_ascii_alphanumeric() || b"-_.!~*'()".contains(&b) {
            out.push(char::from(b));
        } else {
            out.push('%');
            for nibble in [b >> 4, b & 15] {
                out.extend(HEX.get(usize::from(nibble)).map(|&h| char::from(h)));
            }
        }
    }
    out
}

/// A new run in state `submitted`, created at `at`, with the default links.
///
/// # Errors
/// `E_ID_INVALID` for an unsafe id.
pub fn new_run(world_id: &str, strategy_id: &str, run_id: &str, at: &str) -> Result<Run, Error> {
    let sid = snapshot_id(world_id, strategy_id, run_id)?;
    Ok(Run {
        status: RunStatus {
            schema_version: crate::schema::SCHEMA_VERSION,
            world_id: world_id.to_string(),
            strategy_id: strategy_id.to_string(),
            run_id: run_id.to_string(),
            status: RunState::Submitted,
            created_at: at.to_string(),
            updated_at: at.to_string(),
            effective_mode: "validate".to_string(),
            activation_state: "pending".to_string(),
            links: run_links(world_id, strategy_id, run_id, Some(&sid)),
            ruleset_hash: None,
            input_digest: None,
        },
        metrics: None,
        decision: None,
        history: vec![RunRevision {
            revision: 0,
            status: RunState::Submitted,
            at: at.to_string(),
        }],
    })
}

/// [`transition_at`] keeping the run's `updated_at` time.
///
/// # Errors
/// As [`transition_at`].
pub fn transition(run: &Run, to: RunState) -> Result<Run, Error> {
    let at = run.status.updated_at.clone();
    transition_at(run, to, &at)
}

/// The run moved to `to` at time `at`, with a revision appended. `activation_state` follows:
/// `active` on `activated`, `inactive` on `rejected` and `expired`.
///
/// # Errors
/// `E_ILLEGAL_TRANSITION` (path `/status/status`) when `to` is not one step from the run's
/// state; the message names both states and the legal next ones.
pub fn transition_at(run: &Run, to: RunState, at: &str) -> Result<Run, Error> {
    check_transition(run, to)?;
    Ok(apply_transition(run.clone(), to, at))
}

/// [`transition_at`] on a run the caller gives up (no copy).
///
/// # Errors
/// As [`transition_at`].
pub(crate) fn transition_owned(next: Run, to: RunState, at: &str) -> Result<Run, Error> {
    check_transition(&next, to)?;
    Ok(apply_transition(next, to, at))
}

/// The move itself, once [`check_transition`] allowed it.
fn apply_transition(mut next: Run, to: RunState, at: &str) -> Run {
    next.status.status = to;
    next.status.updated_at = at.to_string();
    match to {
        RunState::Activated => next.status.activation_state = "active".into(),
        RunState::Rejected | RunState::Expired => {
            next.status.activation_state = "inactive".into();
        }
        _ => {}
    }
    let revision = u32::try_from(next.history.len()).unwrap_or(u32::MAX);
    next.history.push(RunRevision {
        revision,
        status: to,
        at: at.to_string(),
    });
    next
}

/// `E_ILLEGAL_TRANSITION` unless `to` is one step from the run's state.
fn check_transition(run: &Run, to: RunState) -> Result<(), Error> {
    let from = run.status.status;
    if !is_legal(from, to) {
        let next: Vec<&str> = next_states(from)
            .into_iter()
            .map(RunState::as_str)
            .collect();
        let allowed = if next.is_empty() {
            "none: the run is final".to_string()
        } else {
            next.join(", ")
        };
        return Err(Error::new(
            Code::IllegalTransition,
            "/status/status",
            format!(
                "cannot move run `{}` from `{}` to `{}`",
                run.status.run_id,
                from.as_str(),
                to.as_str()
            ),
        )
        .with_help(format!(
            "from `{}` the run may go to: {allowed}",
            from.as_str()
        )));
    }
    Ok(())
}

/// The run with its metrics and decision set.
///
/// # Errors
/// `E_RUN_IMMUTABLE` when the run is `evaluated` or later and the new values differ from the
/// recorded ones (setting the same values again is a no-op, so retries are idempotent).
pub fn record_result(
    run: &Run,
    metrics: EvaluationMetrics,
    decision: Gating,
) -> Result<Run, Error> {
    if is_frozen(run.status.status) {
        if run.metrics.as_ref() == Some(&metrics) && run.decision.as_ref() == Some(&decision) {
            return Ok(run.clone());
        }
        return Err(Error::new(
            Code::RunImmutable,
            "/metrics",
            format!(
                "run `{}` is `{}`; its metrics and decision cannot change",
                run.status.run_id,
                run.status.status.as_str()
            ),
        )
        .with_help("re-evaluate: start a new run with a new run id"));
    }
    let mut next = run.clone();
    next.metrics = Some(metrics);
    next.decision = Some(decision);
    Ok(next)
}

/// [`record_result`] on a run the caller gives up (no copy).
///
/// # Errors
/// As [`record_result`].
pub(crate) fn record_result_owned(
    mut run: Run,
    metrics: EvaluationMetrics,
    decision: Gating,
) -> Result<Run, Error> {
    if is_frozen(run.status.status) {
        return record_result(&run, metrics, decision);
    }
    run.metrics = Some(metrics);
    run.decision = Some(decision);
    Ok(run)
}

/// A fresh `submitted` run for the same world and strategy, with a new id minted from
/// `input_digest` and the old run id, created at `at`. The old run is untouched.
///
/// # Errors
/// `E_ID_INVALID` when the stored ids are unsafe.
pub fn reevaluate(run: &Run, input_digest: &str, at: &str) -> Result<Run, Error> {
    let id = mint_run_id(
        &format!("{input_digest}|{}", run.status.run_id),
        &run.status.strategy_id,
    );
    new_run(&run.status.world_id, &run.status.strategy_id, &id, at)
}

#[cfg(test)]
mod tests {
    use super::*;
    use RunState as S;

    const ALL: [RunState; 7] = STATES;

    fn run() -> Run {
        new_run("w", "s", "r1", "2025-01-01T00:00:00Z").unwrap()
    }

    #[test]
    fn snapshot_ids_are_safe_ids_of_any_id_lengths() {
        assert_eq!(snapshot_id("w", "s", "r").unwrap(), "w-s-r");
        let at_limit = "x".repeat(MAX_ID_LEN - 4);
        assert_eq!(
            snapshot_id("w", "s", &at_limit).unwrap(),
            format!("w-s-{at_limit}")
        );
        let long = "y".repeat(MAX_ID_LEN);
        let id = snapshot_id(&long, &long, &long).unwrap();
        assert_eq!(id.len(), 34);
        assert!(id.starts_with("s-"));
        check_id(&id, "").unwrap();
        // Still one per (world, strategy, run).
        assert_ne!(id, snapshot_id(&long, &long, "z").unwrap());
        let over = "x".repeat(MAX_ID_LEN - 3);
        check_id(&snapshot_id("w", "s", &over).unwrap(), "").unwrap();
    }

    #[test]
    fn exactly_the_seven_edges_are_legal() {
        let legal: Vec<(S, S)> = ALL
            .iter()
            .flat_map(|&a| ALL.iter().map(move |&b| (a, b)))
            .filter(|&(a, b)| is_legal(a, b))
            .collect();
        assert_eq!(
            legal,
            vec![
                (S::Submitted, S::BacktestRunning),
                (S::BacktestRunning, S::Evaluating),
                (S::Evaluating, S::Evaluated),
                (S::Evaluated, S::Activated),
                (S::Evaluated, S::Rejected),
                (S::Activated, S::Expired),
                (S::Rejected, S::Expired),
            ]
        );
    }

    #[test]
    fn illegal_moves_name_both_states() {
        let e = transition(&run(), S::Evaluated).unwrap_err();
        assert_eq!(e.code, Code::IllegalTransition);
        assert!(
            e.message.contains("`submitted` to `evaluated`"),
            "{}",
            e.message
        );
        assert_eq!(
            e.help.as_deref(),
            Some("from `submitted` the run may go to: backtest_running")
        );
    }

    #[test]
    fn a_full_life_appends_history_and_freezes_the_result() {
        let mut r = run();
        for (i, s) in [S::BacktestRunning, S::Evaluating].into_iter().enumerate() {
            r = transition_at(&r, s, &format!("t{i}")).unwrap();
        }
        let m = EvaluationMetrics::default();
        let g = Gating::default();
        r = record_result(&r, m.clone(), g.clone()).unwrap();
        r = transition_at(&r, S::Evaluated, "t2").unwrap();
        assert!(record_result(&r, m.clone(), g.clone()).is_ok());
        let other = Gating {
            rank: Some(1),
            ..Gating::default()
        };
        assert_eq!(
            record_result(&r, m, other).unwrap_err().code,
            Code::RunImmutable
        );
        r = transition_at(&r, S::Rejected, "t3").unwrap();
        assert_eq!(r.status.activation_state, "inactive");
        r = transition_at(&r, S::Expired, "t4").unwrap();
        assert_eq!(
            transition(&r, S::Submitted).unwrap_err().code,
            Code::IllegalTransition
        );
        let states: Vec<_> = r.history.iter().map(|h| (h.revision, h.status)).collect();
        assert_eq!(
            states,
            vec![
                (0, S::Submitted),
                (1, S::BacktestRunning),
                (2, S::Evaluating),
                (3, S::Evaluated),
                (4, S::Rejected),
                (5, S::Expired)
            ]
        );
        assert_eq!(r.status.updated_at, "t4");
    }

    #[test]
    fn ids_are_minted_deterministically_and_reevaluation_gets_a_new_one() {
        let a = mint_run_id("sha256:00", "s");
        assert_eq!(a, mint_run_id("sha256:00", "s"));
        assert_ne!(a, mint_run_id("sha256:00", "t"));
        // printf '%s' 'sha256:00|s' | sha256sum
        assert_eq!(a, "r-1b7da4bc370fbcb0");
        let r2 = reevaluate(&run(), "sha256:00", "later").unwrap();
        assert_ne!(r2.status.run_id, "r1");
        assert_eq!(r2.status.status, S::Submitted);
    }

    #[test]
    fn links_encode_each_id_as_one_path_segment() {
        let l = run_links("w", "s:1", "r-1", Some("w-s:1-r-1"));
        assert_eq!(
            l.status.as_deref(),
            Some("/worlds/w/strategies/s%3A1/runs/r-1")
        );
        assert_eq!(
            l.metrics.as_deref(),
            Some("/worlds/w/strategies/s%3A1/runs/r-1/metrics")
        );
        assert_eq!(
            l.history.as_deref(),
            Some("/worlds/w/strategies/s%3A1/runs/r-1/history")
        );
        assert_eq!(
            l.snapshot.as_deref(),
            Some("/worlds/w/snapshots/w-s%3A1-r-1")
        );
        assert_eq!(run_links("w", "s", "r", None).snapshot, None);
        // encodeURIComponent("a/b c?é~*'()!") in JavaScript:
        assert_eq!(segment("a/b c?é~*'()!"), "a%2Fb%20c%3F%C3%A9~*'()!");
        // The links a new run carries are these.
        assert_eq!(
            run().status.links,
            run_links("w", "s", "r1", Some("w-s-r1"))
        );
    }

    #[test]
    fn the_publish_path_is_the_legal_walk_to_evaluated() {
        let mut from = S::Submitted;
        for to in PUBLISH_PATH {
            assert!(is_legal(from, to));
            from = to;
        }
        assert_eq!(from, S::Evaluated);
    }

    #[test]
    fn snapshot_names_refuse_traversal() {
        assert_eq!(
            snapshot_file_name("alpha_world", "beta", "r-1").unwrap(),
            ".qmtl_snapshots/alpha_world-beta-r-1.json"
        );
        for (w, s, r) in [("..", "s", "r"), ("w", "a/b", "r"), ("w", "s", ".hidden")] {
            assert_eq!(
                snapshot_file_name(w, s, r).unwrap_err().code,
                Code::IdInvalid
            );
        }
    }
}
