//! A world's rules: what a world service (the edge API) applies to uploads and runs. The
//! service keeps storage and HTTP; every rule is here.
//!
//! - **Uploads.** The world, not the submitter, owns the activation state. [`gate_upload`]
//!   checks that the bundle is for this world (`E_INVALID_VALUE` at `/world_id`) and carries no
//!   `previous` of its own (`E_INVALID_VALUE` at `/previous`), then gates it with the world's
//!   state, restricted to the bundle's strategies, given as the gate's `previous` option: the
//!   upload's bytes are gated as they are, so its `input_digest` depends on them alone. Only
//!   the bundle's head is read for the checks (series are skipped).
//! - **Activation state.** [`next_world_state`] merges the decision's `state` into the
//!   world's: the strategies the decision evaluated take their new state, every other strategy
//!   keeps its own, and the epoch is the decision's. Strategies absent from an upload are
//!   therefore neither evaluated nor deactivated by it.
//! - **Transitions.** [`transition`] moves a run along the state machine ([`crate::run`]);
//!   activating a run supersedes (expires) the strategy's previously active runs.
//! - **The active set.** [`active_set`]: the activated runs, one entry each, by strategy id.
//! - **Publishing.** [`publish`] walks a deferred run (registered at `submitted`) along
//!   [`crate::run::PUBLISH_PATH`] to `evaluated` and gives it the gate's result.

use crate::bundle::Limits;
use crate::bundle::gate::{GateOptions, GateResult};
use crate::error::{Code, Error};
use crate::policy::Policy;
use crate::run::{self, PUBLISH_PATH};
use crate::schema::{
    ActivationState, ActiveRun, Decision, Published, Run, RunChange, RunState, WorldTransition,
};
use serde::Deserialize;
use serde::de::{IgnoredAny, MapAccess, SeqAccess, Visitor};

/// The few top-level members [`gate_upload`] reads; everything else is skipped unparsed.
///
/// Read through `deserialize_any` alone, by visitors that answer every kind of value
/// themselves, so that serde_json's typed paths are not compiled (their `invalid type: …`
/// messages go through serde's `Unexpected`, whose float arm links core's float formatting
/// into the wasm; BENCHMARKS.size.md, session 8). They accept what the derived reader did: an
/// object whose `world_id` and whose submissions' `strategy_id` are any value (`null` as
/// absent), whose `submissions` is `null` or an array of objects, whose `previous` is any
/// value (present even as `null`), with no member of these three twice; anything else fails
/// (and the upload is then refused with the strict reader's errors). One difference nothing
/// sends: the derived reader also took a JSON array as an object's members by position.
#[derive(Default)]
struct Head {
    world_id: Option<serde_json::Value>,
    submissions: Option<Vec<SubmissionHead>>,
    previous: bool,
}

#[derive(Default)]
struct SubmissionHead {
    strategy_id: Option<serde_json::Value>,
}

/// `visit_*` methods for the kinds of value a head visitor refuses: a custom error each (the
/// message is never shown, [`unreadable`] answers instead).
macro_rules! refuse_kinds {
    ($($method:ident($($arg:ty)?)),*) => {
        $(fn $method<E: serde::de::Error>(self $(, _: $arg)?) -> Result<Self::Value, E> {
            Err(E::custom("unexpected kind of value"))
        })*
    };
}

macro_rules! refuse_scalars {
    () => {
        refuse_kinds!(
            visit_bool(bool),
            visit_i64(i64),
            visit_u64(u64),
            visit_f64(f64),
            visit_str(&str),
            visit_unit()
        );
    };
}

impl<'de> Deserialize<'de> for Head {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(HeadVisitor)
    }
}

struct HeadVisitor;

impl<'de> Visitor<'de> for HeadVisitor {
    type Value = Head;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a bundle object")
    }

    refuse_scalars!();

    fn visit_seq<A: SeqAccess<'de>>(self, _: A) -> Result<Head, A::Error> {
        Err(serde::de::Error::custom("a bundle is an object"))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Head, A::Error> {
        let mut head = Head::default();
        let mut seen = [false; 3];
        while let Some(key) = map.next_key::<std::borrow::Cow<'de, str>>()? {
            let slot = match key.as_ref() {
                "world_id" => 0,
                "submissions" => 1,
                "previous" => 2,
                _ => {
                    map.next_value::<IgnoredAny>()?;
                    continue;
                }
            };
            if seen.get(slot).copied().unwrap_or(true) {
                return Err(serde::de::Error::custom("duplicate member"));
            }
            if let Some(s) = seen.get_mut(slot) {
                *s = true;
            }
            match slot {
                0 => head.world_id = map.next_value()?,
                1 => head.submissions = map.next_value::<Submissions>()?.0,
                _ => {
                    map.next_value::<IgnoredAny>()?;
                    head.previous = true;
                }
            }
        }
        Ok(head)
    }
}

/// `submissions`: `null`, or an array of submission heads.
struct Submissions(Option<Vec<SubmissionHead>>);

impl<'de> Deserialize<'de> for Submissions {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(SubmissionsVisitor)
    }
}

struct SubmissionsVisitor;

impl<'de> Visitor<'de> for SubmissionsVisitor {
    type Value = Submissions;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("an array of submissions")
    }

    refuse_kinds!(
        visit_bool(bool),
        visit_i64(i64),
        visit_u64(u64),
        visit_f64(f64),
        visit_str(&str)
    );

    fn visit_unit<E: serde::de::Error>(self) -> Result<Submissions, E> {
        Ok(Submissions(None))
    }

    fn visit_map<A: MapAccess<'de>>(self, _: A) -> Result<Submissions, A::Error> {
        Err(serde::de::Error::custom("submissions are an array"))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Submissions, A::Error> {
        let mut out = Vec::new();
        while let Some(s) = seq.next_element::<SubmissionHead>()? {
            out.push(s);
        }
        Ok(Submissions(Some(out)))
    }
}

impl<'de> Deserialize<'de> for SubmissionHead {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(SubmissionHeadVisitor)
    }
}

struct SubmissionHeadVisitor;

impl<'de> Visitor<'de> for SubmissionHeadVisitor {
    type Value = SubmissionHead;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a submission object")
    }

    refuse_scalars!();

    fn visit_seq<A: SeqAccess<'de>>(self, _: A) -> Result<SubmissionHead, A::Error> {
        Err(serde::de::Error::custom("a submission is an object"))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<SubmissionHead, A::Error> {
        let mut head = SubmissionHead::default();
        let mut seen = false;
        while let Some(key) = map.next_key::<std::borrow::Cow<'de, str>>()? {
            if key != "strategy_id" {
                map.next_value::<IgnoredAny>()?;
            } else if std::mem::replace(&mut seen, true) {
                return Err(serde::de::Error::custom("duplicate member"));
            } else {
                head.strategy_id = map.next_value()?;
            }
        }
        Ok(head)
    }
}

/// Gates an upload to world `world_id` in the world's activation state `state` with `policy`
/// and `opts` (whose own `previous` is replaced by the world's state, restricted to the
/// bundle's strategies, epoch included): the gate's result and its decision's wire text
/// ([`crate::policy::wire`]), as the gate gives them.
///
/// # Errors
/// `E_INVALID_VALUE` at `/world_id` when the bundle names another world, `E_INVALID_VALUE` at
/// `/previous` when the bundle carries its own `previous`; the reader's errors for bytes that
/// are not a JSON object (`E_PARSE`, `E_SCHEMA`, `E_TOO_LARGE`, …), and every error of the gate.
/// Errors are sanitized as the gate's are (a `world_id` or an error quoting input may hold a
/// secret).
pub fn gate_upload(
    bytes: &[u8],
    world_id: &str,
    state: &ActivationState,
    policy: &Policy,
    opts: &GateOptions,
) -> Result<(GateResult, crate::policy::wire::Wire), Vec<Error>> {
    let previous = upload_state(bytes, world_id, state).map_err(|mut errors| {
        crate::bundle::sanitize::sanitize_errors(&mut errors);
        errors
    })?;
    let opts = GateOptions {
        previous: Some(previous),
        ..opts.clone()
    };
    crate::bundle::gate::gate_with_decision_wire(bytes, policy, &opts)
}

/// The world's state restricted to the strategies of the upload `bytes`, once the upload is
/// found to be for this world and without a `previous` of its own.
///
/// # Errors
/// As [`gate_upload`]'s checks.
fn upload_state(
    bytes: &[u8],
    world_id: &str,
    state: &ActivationState,
) -> Result<ActivationState, Vec<Error>> {
    let head: Head = match serde_json::from_slice(bytes) {
        Ok(h) => h,
        Err(_) => return Err(unreadable(bytes)),
    };
    if let Some(serde_json::Value::String(w)) = &head.world_id
        && w != world_id
    {
        return Err(vec![
            Error::new(
                Code::InvalidValue,
                "/world_id",
                format!("bundle is for world `{w}`, not `{world_id}`"),
            )
            .with_help(format!(
                "upload it to world `{w}`, or set `world_id` to `{world_id}`"
            )),
        ]);
    }
    if head.previous {
        return Err(vec![
            Error::new(
                Code::InvalidValue,
                "/previous",
                "an upload to a world cannot carry `previous`",
            )
            .with_help(
                "remove `previous`: the world gates every upload with its own activation state",
            ),
        ]);
    }
    let ids: Vec<&str> = head
        .submissions
        .iter()
        .flatten()
        .filter_map(|s| s.strategy_id.as_ref().and_then(serde_json::Value::as_str))
        .collect();
    Ok(ActivationState {
        epoch: state.epoch,
        strategies: state
            .strategies
            .iter()
            .filter(|(id, _)| ids.contains(&id.as_str()))
            .map(|(id, s)| (id.clone(), s.clone()))
            .collect(),
    })
}

/// The reader's errors for bytes the head scan could not read (or, should the reader accept
/// them, a generic `E_PARSE`).
fn unreadable(bytes: &[u8]) -> Vec<Error> {
    match crate::bundle::read_bundle(bytes, &Limits::default()) {
        Err(errors) if !errors.is_empty() => errors,
        _ => vec![Error::new(
            Code::Parse,
            "",
            "the bundle is not a JSON object this service can read",
        )],
    }
}

/// The world's state after `decision`: the evaluated strategies take the decision's state,
/// the others keep theirs; the epoch is the decision's.
pub fn next_world_state(world: &ActivationState, decision: &Decision) -> ActivationState {
    let mut next = world.clone();
    next.epoch = decision.state.epoch.max(world.epoch);
    for (id, s) in &decision.state.strategies {
        next.strategies.insert(id.clone(), s.clone());
    }
    next
}

/// Run `run` moved to `to` at time `at` in a world whose activated runs include `active`:
/// the moved run, and each run of `active` that is another run of the same strategy in state
/// `activated`, expired at `at` with reason `superseded by run <run_id>` when the move
/// activates `run` (a strategy has at most one active run). Other runs of `active` are
/// ignored, so a caller may pass more than the strategy's activated runs.
///
/// # Errors
/// `E_ILLEGAL_TRANSITION` when `to` is not one step from the run's state (the run's own move
/// is checked first; a superseded run is `activated`, so expiring it is legal).
pub fn transition(
    run: &Run,
    to: RunState,
    at: &str,
    active: &[Run],
) -> Result<WorldTransition, Error> {
    let moved = run::transition_at(run, to, at)?;
    let mut superseded = Vec::new();
    if to == RunState::Activated {
        let id = &run.status.run_id;
        for old in active.iter().filter(|o| {
            o.status.strategy_id == run.status.strategy_id
                && o.status.run_id != *id
                && o.status.status == RunState::Activated
        }) {
            superseded.push(RunChange {
                run: run::transition_at(old, RunState::Expired, at)?,
                reason: format!("superseded by run {id}"),
            });
        }
    }
    Ok(WorldTransition {
        run: moved,
        superseded,
    })
}

/// The world's active set from its runs: one entry per run in state `activated` (other runs
/// are skipped), ordered by strategy id, then run id; `weight` and `rank` are the run's as
/// gated (its metrics' `gating` block), `since` its `updated_at` (the time it was activated).
pub fn active_set(runs: &[Run]) -> Vec<ActiveRun> {
    let mut active: Vec<ActiveRun> = runs
        .iter()
        .filter(|r| r.status.status == RunState::Activated)
        .map(|r| {
            let gating = r.metrics.as_ref().and_then(|m| m.gating.as_ref());
            ActiveRun {
                strategy_id: r.status.strategy_id.clone(),
                run_id: r.status.run_id.clone(),
                weight: gating.and_then(|g| g.weight),
                rank: gating.and_then(|g| g.rank),
                since: r.status.updated_at.clone(),
            }
        })
        .collect();
    crate::json::order::sort_by(&mut active, |a, b| {
        (&a.strategy_id, &a.run_id).cmp(&(&b.strategy_id, &b.run_id))
    });
    active
}

/// A deferred run published at time `at`: `registered` (the record stored at `submitted`) is
/// walked along [`PUBLISH_PATH`] to `evaluated`; the published record is `evaluated` (the
/// gate's record of the same run: metrics, decision, digests) with the walked history and
/// `updated_at` = `at`. `steps` are the statuses entered before the final one.
///
/// # Errors
/// `E_ILLEGAL_TRANSITION` when `registered` is not at `submitted`; `E_INVALID_VALUE` at
/// `/status/run_id` when the two records are not of the same run.
pub fn publish(registered: &Run, evaluated: &Run, at: &str) -> Result<Published, Error> {
    if registered.status.run_id != evaluated.status.run_id
        || registered.status.strategy_id != evaluated.status.strategy_id
    {
        return Err(Error::new(
            Code::InvalidValue,
            "/status/run_id",
            format!(
                "run `{}` cannot be published with the result of run `{}`",
                registered.status.run_id, evaluated.status.run_id
            ),
        ));
    }
    let mut record = registered.clone();
    let mut steps = Vec::with_capacity(PUBLISH_PATH.len());
    for to in PUBLISH_PATH {
        record = run::transition_at(&record, to, at)?;
        steps.push(record.status.clone());
    }
    steps.pop();
    let mut run = evaluated.clone();
    run.status.updated_at = at.to_string();
    run.history = record.history;
    Ok(Published { steps, run })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]
    use super::*;
    use crate::schema::StrategyState;
    use serde_json::json;

    /// The head reader accepts and reads what the derived reader it replaced did (arrays read
    /// by position aside, which that one also took).
    #[test]
    fn the_head_reads_as_the_derived_reader_did() {
        #[derive(Deserialize)]
        struct DerivedHead {
            #[serde(default)]
            world_id: Option<serde_json::Value>,
            #[serde(default)]
            submissions: Option<Vec<DerivedSubmission>>,
            #[serde(default, deserialize_with = "present")]
            previous: bool,
        }
        #[derive(Deserialize)]
        struct DerivedSubmission {
            #[serde(default)]
            strategy_id: Option<serde_json::Value>,
        }
        fn present<'de, D: serde::Deserializer<'de>>(d: D) -> Result<bool, D::Error> {
            IgnoredAny::deserialize(d).map(|_| true)
        }
        type Read = (
            Option<serde_json::Value>,
            Option<Vec<Option<serde_json::Value>>>,
            bool,
        );
        let ours = |t: &str| -> Option<Read> {
            let h: Head = serde_json::from_str(t).ok()?;
            let subs = h
                .submissions
                .map(|v| v.into_iter().map(|s| s.strategy_id).collect());
            Some((h.world_id, subs, h.previous))
        };
        let derived = |t: &str| -> Option<Read> {
            let h: DerivedHead = serde_json::from_str(t).ok()?;
            let subs = h
                .submissions
                .map(|v| v.into_iter().map(|s| s.strategy_id).collect());
            Some((h.world_id, subs, h.previous))
        };
        for t in [
            "{}",
            r#"{"world_id":"w","bundle_version":1,"submissions":[{"strategy_id":"a","returns":[1,2.5,"nan"]},{"strategy_id":7},{}]}"#,
            r#"{"world_id":null,"submissions":null,"previous":null}"#,
            r#"{"world_id":{"x":[1]},"previous":{"epoch":3},"submissions":[]}"#,
            r#"{"world_id":"w","world_id":"v"}"#,
            r#"{"previous":1,"previous":2}"#,
            r#"{"submissions":[],"submissions":[]}"#,
            r#"{"submissions":[{"strategy_id":"a","strategy_id":"b"}]}"#,
            r#"{"submissions":{}}"#,
            r#"{"submissions":"a"}"#,
            r#"{"submissions":[1.5]}"#,
            r#"{"submissions":[null]}"#,
            r#"{"submissions":[{"strategy_id":null}]}"#,
            r#"{"world_id":1e400}"#,
            "1.5",
            "null",
            "\"w\"",
            "true",
            r#"{"world_id":"w""#,
        ] {
            assert_eq!(ours(t), derived(t), "{t}");
        }
    }

    fn state(entries: &[(&str, bool, u32)], epoch: u64) -> ActivationState {
        ActivationState {
            epoch,
            strategies: entries
                .iter()
                .map(|&(id, active, passes)| {
                    (
                        id.to_string(),
                        StrategyState {
                            active,
                            passes,
                            fails: 0,
                            since: Some(1),
                        },
                    )
                })
                .collect(),
        }
    }

    fn bundle(world: &str) -> String {
        format!(
            "{{\"bundle_version\": 1, \"world_id\": \"{world}\",\n \"submissions\": [{{\"strategy_id\": \"a\", \"returns\": [0.01, -0.02, 0.03, 0.0]}}]}}\n"
        )
    }

    fn policy() -> Policy {
        Policy::preset("sandbox").unwrap()
    }

    fn upload(bytes: &[u8], world: &str, st: &ActivationState) -> Result<GateResult, Vec<Error>> {
        gate_upload(bytes, world, st, &policy(), &GateOptions::default()).map(|(r, _)| r)
    }

    #[test]
    fn the_world_state_of_the_bundles_strategies_reaches_the_gate_as_an_option() {
        let st = state(&[("a", true, 3), ("b", true, 5)], 7);
        let r = upload(bundle("w").as_bytes(), "w", &st).unwrap();
        // The state is the one restricted to `a`, epoch included: the decision's epoch is 8
        // and `b`, absent from the upload, is not in it.
        assert_eq!(r.decision.state.epoch, 8);
        assert!(r.decision.state.strategies.contains_key("a"));
        assert!(!r.decision.state.strategies.contains_key("b"));
        // The same as gating the bundle with the restricted state spliced in as `previous`.
        let spliced = bundle("w").trim_end().trim_end_matches('}').to_string()
            + ",\"previous\":{\"epoch\":7,\"strategies\":{\"a\":{\"active\":true,\"passes\":3,\"fails\":0,\"since\":1}}}}";
        let g = crate::bundle::gate::gate(spliced.as_bytes(), &policy(), &GateOptions::default())
            .unwrap();
        assert_eq!(r.decision, g.decision);
        assert_eq!(r.result_digest, g.result_digest);
    }

    #[test]
    fn the_input_digest_depends_on_the_upload_bytes_alone() {
        let plain = upload(bundle("w").as_bytes(), "w", &ActivationState::default()).unwrap();
        let st = state(&[("a", true, 3)], 40);
        let in_state = upload(bundle("w").as_bytes(), "w", &st).unwrap();
        let gated =
            crate::bundle::gate::gate(bundle("w").as_bytes(), &policy(), &GateOptions::default())
                .unwrap();
        assert_eq!(plain.input_digest, in_state.input_digest);
        assert_eq!(plain.input_digest, gated.input_digest);
        assert_eq!(plain.runs[0].status.run_id, in_state.runs[0].status.run_id);
    }

    #[test]
    fn a_bundle_with_previous_and_a_previous_option_is_refused() {
        let b = "{\"bundle_version\":1,\"world_id\":\"w\",\"previous\":[\"a\"],\"submissions\":[{\"strategy_id\":\"a\",\"returns\":[0.01,0.02]}]}";
        let opts = GateOptions {
            previous: Some(ActivationState::default()),
            ..GateOptions::default()
        };
        let e = crate::bundle::gate::gate(b.as_bytes(), &policy(), &opts).unwrap_err();
        assert_eq!(
            (e[0].code, e[0].path.as_str()),
            (Code::InvalidValue, "/previous")
        );
        // Without the option the bundle's own `previous` is used, as before.
        let r = crate::bundle::gate::gate(b.as_bytes(), &policy(), &GateOptions::default());
        assert!(r.is_ok());
    }

    #[test]
    fn another_worlds_bundle_is_refused() {
        let e = upload(bundle("x").as_bytes(), "w", &ActivationState::default()).unwrap_err();
        assert_eq!(
            (e[0].code, e[0].path.as_str()),
            (Code::InvalidValue, "/world_id")
        );
        assert!(e[0].message.contains("`x`") && e[0].message.contains("`w`"));
    }

    #[test]
    fn a_bundle_with_its_own_previous_is_refused_even_null() {
        for prev in ["[\"a\"]", "null"] {
            let b = format!(
                "{{\"bundle_version\":1,\"world_id\":\"w\",\"previous\":{prev},\"submissions\":[]}}"
            );
            let e = upload(b.as_bytes(), "w", &ActivationState::default()).unwrap_err();
            assert_eq!(
                (e[0].code, e[0].path.as_str()),
                (Code::InvalidValue, "/previous")
            );
        }
    }

    #[test]
    fn unreadable_bytes_get_the_readers_errors() {
        let e = upload(b"{\"world_id\": \"w\",", "w", &ActivationState::default()).unwrap_err();
        assert_eq!(e[0].code, Code::Parse);
        let e = upload(b"[1, 2]", "w", &ActivationState::default()).unwrap_err();
        assert_eq!(e[0].code, Code::Schema);
    }

    #[test]
    fn the_full_series_come_with_the_result_only_when_asked() {
        let b = "{\"bundle_version\":1,\"world_id\":\"w\",\"submissions\":[{\"strategy_id\":\"a\",\"returns\":[0.01,\"nan\",-0.5],\"equity\":[1,2]},{\"strategy_id\":\"b\",\"metrics\":{\"returns\":{\"sample_count\":3}}}]}";
        let st = ActivationState::default();
        assert_eq!(upload(b.as_bytes(), "w", &st).unwrap().series, None);
        let opts = GateOptions {
            full_series: true,
            ..GateOptions::default()
        };
        let (r, _) = gate_upload(b.as_bytes(), "w", &st, &policy(), &opts).unwrap();
        let series = serde_json::to_value(r.series.unwrap()).unwrap();
        assert_eq!(
            series,
            json!([
                {"strategy_id": "a", "returns": [0.01, "nan", -0.5], "equity": [1.0, 2.0]},
                {"strategy_id": "b"}
            ])
        );
    }

    fn run_at(strategy: &str, id: &str, status: RunState) -> Run {
        let mut r = run::new_run("w", strategy, id, "t0").unwrap();
        let walk: &[RunState] = match status {
            RunState::Submitted => &[],
            RunState::Evaluated => &PUBLISH_PATH,
            RunState::Activated => &[
                RunState::BacktestRunning,
                RunState::Evaluating,
                RunState::Evaluated,
                RunState::Activated,
            ],
            _ => unreachable!(),
        };
        for &to in walk {
            r = run::transition_at(&r, to, "t1").unwrap();
        }
        r
    }

    #[test]
    fn activating_a_run_supersedes_the_strategys_active_run_only() {
        let new = run_at("s", "r2", RunState::Evaluated);
        let active = [
            run_at("s", "r1", RunState::Activated),
            run_at("other", "r9", RunState::Activated),
            run_at("s", "r3", RunState::Evaluated),
        ];
        let t = transition(&new, RunState::Activated, "t2", &active).unwrap();
        assert_eq!(t.run.status.status, RunState::Activated);
        assert_eq!(t.run.status.updated_at, "t2");
        assert_eq!(t.superseded.len(), 1);
        let old = &t.superseded[0];
        assert_eq!(old.run.status.run_id, "r1");
        assert_eq!(old.run.status.status, RunState::Expired);
        assert_eq!(old.run.status.activation_state, "inactive");
        assert_eq!(old.run.status.updated_at, "t2");
        assert_eq!(old.reason, "superseded by run r2");
        // Re-listing the run itself among the active ones does not expire it.
        let t = transition(
            &new,
            RunState::Activated,
            "t2",
            std::slice::from_ref(&t.run),
        )
        .unwrap();
        assert!(t.superseded.is_empty());
        // Any other move supersedes nothing.
        let t = transition(&new, RunState::Rejected, "t2", &active).unwrap();
        assert!(t.superseded.is_empty());
        // An illegal move is refused before anything else.
        let e = transition(&active[0], RunState::Activated, "t2", &active).unwrap_err();
        assert_eq!(e.code, Code::IllegalTransition);
    }

    #[test]
    fn the_active_set_is_the_activated_runs_by_strategy() {
        let mut b = run_at("b", "r2", RunState::Activated);
        b.metrics = Some(crate::schema::EvaluationMetrics {
            gating: Some(crate::schema::Gating {
                rank: Some(2),
                weight: Some(crate::schema::Num(0.25)),
                ..Default::default()
            }),
            ..Default::default()
        });
        let runs = [
            b,
            run_at("a", "r1", RunState::Activated),
            run_at("c", "r3", RunState::Evaluated),
        ];
        let set = serde_json::to_value(active_set(&runs)).unwrap();
        assert_eq!(
            set,
            json!([
                {"strategy_id": "a", "run_id": "r1", "weight": null, "rank": null, "since": "t1"},
                {"strategy_id": "b", "run_id": "r2", "weight": 0.25, "rank": 2, "since": "t1"}
            ])
        );
        assert!(active_set(&[]).is_empty());
    }

    #[test]
    fn publishing_walks_the_path_and_keeps_the_gates_record() {
        let registered = run_at("s", "r1", RunState::Submitted);
        let mut evaluated = run_at("s", "r1", RunState::Evaluated);
        evaluated.status.input_digest = Some("sha256:00".into());
        let p = publish(&registered, &evaluated, "t5").unwrap();
        let steps: Vec<RunState> = p.steps.iter().map(|s| s.status).collect();
        assert_eq!(steps, vec![RunState::BacktestRunning, RunState::Evaluating]);
        assert!(p.steps.iter().all(|s| s.updated_at == "t5"));
        assert_eq!(p.run.status.status, RunState::Evaluated);
        assert_eq!(p.run.status.updated_at, "t5");
        assert_eq!(p.run.status.input_digest.as_deref(), Some("sha256:00"));
        let history: Vec<(u32, RunState, &str)> = p
            .run
            .history
            .iter()
            .map(|h| (h.revision, h.status, h.at.as_str()))
            .collect();
        assert_eq!(
            history,
            vec![
                (0, RunState::Submitted, "t0"),
                (1, RunState::BacktestRunning, "t5"),
                (2, RunState::Evaluating, "t5"),
                (3, RunState::Evaluated, "t5"),
            ]
        );
        // Only a run at `submitted` is published, and only with its own result.
        let e = publish(&evaluated, &evaluated, "t5").unwrap_err();
        assert_eq!(e.code, Code::IllegalTransition);
        let other = run_at("s", "r2", RunState::Evaluated);
        let e = publish(&registered, &other, "t5").unwrap_err();
        assert_eq!(
            (e.code, e.path.as_str()),
            (Code::InvalidValue, "/status/run_id")
        );
    }

    #[test]
    fn the_next_state_keeps_strategies_the_decision_did_not_see() {
        let world = state(&[("a", true, 3), ("b", true, 5)], 7);
        let mut decision: Decision = serde_json::from_value(json!({
            "dialect": "strict", "selected": [], "ruleset_hash": "sha256:00",
            "strategies": {}, "state": {"epoch": 8, "strategies": {
                "a": {"active": false, "passes": 0, "fails": 1, "since": 8},
                "c": {"active": true, "passes": 1, "fails": 0, "since": 8}}}
        }))
        .unwrap();
        let next = next_world_state(&world, &decision);
        assert_eq!(next.epoch, 8);
        assert!(!next.strategies["a"].active);
        assert_eq!(next.strategies["b"], world.strategies["b"]);
        assert!(next.strategies["c"].active);
        // An epoch never goes back.
        decision.state.epoch = 2;
        assert_eq!(next_world_state(&world, &decision).epoch, 7);
    }
}
