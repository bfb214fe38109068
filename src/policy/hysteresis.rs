//! Hysteresis: enter/exit bands against the previous activation state, with counters.
//!
//! Applied to the candidates that survived thresholds, top-k and correlation, in their order.
//! Each evaluation has an epoch (`previous.epoch + 1`). Per candidate, with its state
//! `{active, passes, fails, since}`:
//! - an incumbent (active) *qualifies* when `value ≥ exit`; a newcomer when `value ≥ enter`;
//! - `passes`/`fails` count consecutive qualifying / non-qualifying evaluations;
//! - a newcomer is activated once `passes ≥ promote_after` (default 1) and it has been inactive
//!   for at least `min_dwell` epochs; until then it is blocked (`hysteresis_not_entered`,
//!   `hysteresis_promotion_pending`, `hysteresis_min_dwell`);
//! - an incumbent is deactivated once `fails ≥ demote_after` (default 1) and it has been active
//!   for at least `min_dwell` epochs (`hysteresis_exit`); until then it stays, reported as
//!   `hysteresis_demotion_pending` / `hysteresis_min_dwell`.
//!
//! With the defaults this is exactly QMTL's rule (stay iff `value ≥ exit`, enter iff
//! `value ≥ enter`). A candidate without the band metric is dropped: silently in the `qmtl`
//! dialect (as QMTL does), as `hysteresis_metric_missing` / `metric_not_finite` in `strict`.
//! Strategies cut earlier in the pipeline leave the active set at once (a hard cut); their
//! counters record a failed evaluation.

use super::metrics_view::Lookup;
use crate::schema::{ActivationState, Dialect, HysteresisRule, StrategyState};
use std::collections::HashMap;

/// Why the band kept a candidate out.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Blocked {
    /// Incumbent below `exit` long enough.
    Exit,
    /// Newcomer below `enter`.
    NotEntered,
    /// Newcomer at or above `enter`, fewer than `promote_after` times in a row.
    PromotionPending { passes: u32, needed: u32 },
    /// Newcomer deactivated fewer than `min_dwell` epochs ago.
    MinDwell { dwell: u64, needed: u32 },
    /// Band metric absent (strict).
    MetricMissing,
    /// Band metric not a number (strict).
    MetricNotFinite,
    /// Band metric absent in the qmtl dialect: dropped without a rule result, as QMTL does.
    SilentlyDropped,
}

/// Why the band kept an incumbent that did not qualify.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Held {
    /// Below `exit` fewer than `demote_after` times in a row.
    DemotionPending { fails: u32, needed: u32 },
    /// Active fewer than `min_dwell` epochs.
    MinDwell { dwell: u64, needed: u32 },
}

/// Result of the band pass.
#[derive(Debug, Default)]
pub(crate) struct BandResult {
    pub(crate) selected: Vec<String>,
    pub(crate) blocked: HashMap<String, Blocked>,
    pub(crate) held: HashMap<String, Held>,
    /// Counters after this evaluation, per candidate.
    pub(crate) counters: HashMap<String, (u32, u32)>,
}

fn dwell_ok(prev: Option<&StrategyState>, epoch_out: u64, min_dwell: u32) -> (bool, u64) {
    match prev.and_then(|s| s.since) {
        None => (true, u64::MAX),
        Some(since) => {
            let dwell = epoch_out.saturating_sub(since);
            (dwell >= u64::from(min_dwell), dwell)
        }
    }
}

/// Applies the band to `candidates` (in order): each candidate's counters after this
/// evaluation, and its [`Outcome`] recorded in the result (selected in candidate order, held,
/// or blocked). A candidate whose band metric has no value resets its passes, counts a fail and
/// is blocked (see [`unreadable`]).
pub(crate) fn apply(
    candidates: &[String],
    value: impl Fn(&str) -> Lookup,
    previous: &ActivationState,
    rule: &HysteresisRule,
    epoch_out: u64,
    dialect: Dialect,
) -> BandResult {
    let band = Band::of(rule);
    let mut out = BandResult::default();
    for id in candidates {
        let prev = previous.strategies.get(id);
        let active = prev.is_some_and(|s| s.active);
        let (p0, f0) = prev.map_or((0, 0), |s| (s.passes, s.fails));
        let v = match value(id) {
            Lookup::Value(v) => v,
            other => {
                out.counters.insert(id.clone(), (0, f0.saturating_add(1)));
                out.blocked.insert(id.clone(), unreadable(dialect, other));
                continue;
            }
        };
        let qualifies = if active {
            v >= rule.exit
        } else {
            v >= rule.enter
        };
        let (passes, fails) = if qualifies {
            (p0.saturating_add(1), 0)
        } else {
            (0, f0.saturating_add(1))
        };
        out.counters.insert(id.clone(), (passes, fails));
        let dwell = dwell_ok(prev, epoch_out, band.min_dwell);
        let outcome = if active {
            band.incumbent(qualifies, fails, dwell)
        } else {
            band.newcomer(qualifies, passes, dwell)
        };
        match outcome {
            Outcome::Selected => out.selected.push(id.clone()),
            Outcome::Held(held) => {
                out.selected.push(id.clone());
                out.held.insert(id.clone(), held);
            }
            Outcome::Blocked(why) => {
                out.blocked.insert(id.clone(), why);
            }
        }
    }
    out
}

/// Why a candidate whose band metric has no value is kept out: silently in the qmtl dialect
/// (QMTL drops it without a rule result), else as not finite (a value that is not a number) or
/// missing.
fn unreadable(dialect: Dialect, lookup: Lookup) -> Blocked {
    match (dialect, lookup) {
        (Dialect::Qmtl, _) => Blocked::SilentlyDropped,
        (Dialect::Strict, Lookup::NotNumber) => Blocked::MetricNotFinite,
        _ => Blocked::MetricMissing,
    }
}

/// What the band does with one candidate whose metric was read.
enum Outcome {
    /// In the active set.
    Selected,
    /// In the active set although it did not qualify.
    Held(Held),
    /// Kept out.
    Blocked(Blocked),
}

/// A hysteresis rule's counts with their defaults: `promote_after` and `demote_after` at least
/// 1 (absent → 1), `min_dwell` absent → 0.
#[derive(Clone, Copy)]
struct Band {
    promote_after: u32,
    demote_after: u32,
    min_dwell: u32,
}

impl Band {
    fn of(rule: &HysteresisRule) -> Self {
        Band {
            promote_after: rule.promote_after.unwrap_or(1).max(1),
            demote_after: rule.demote_after.unwrap_or(1).max(1),
            min_dwell: rule.min_dwell.unwrap_or(0),
        }
    }

    /// An incumbent (active before): kept when it qualifies (at or above `exit`); else it
    /// exits once it has failed `demote_after` times in a row and has dwelt `min_dwell`
    /// epochs (`(dwell_ok, dwell)` from [`dwell_ok`]), and is held until then.
    #[inline(always)] // per candidate, one body with `apply` before; the size-optimized wasm build would not inline it
    fn incumbent(self, qualifies: bool, fails: u32, (dwell_ok, dwell): (bool, u64)) -> Outcome {
        if qualifies {
            Outcome::Selected
        } else if fails >= self.demote_after && dwell_ok {
            Outcome::Blocked(Blocked::Exit)
        } else if fails < self.demote_after {
            Outcome::Held(Held::DemotionPending {
                fails,
                needed: self.demote_after,
            })
        } else {
            Outcome::Held(Held::MinDwell {
                dwell,
                needed: self.min_dwell,
            })
        }
    }

    /// A newcomer (not active before): enters when it qualifies (at or above `enter`), has
    /// passed `promote_after` times in a row and has been out `min_dwell` epochs; otherwise the
    /// first of those it misses keeps it out.
    #[inline(always)] // as `incumbent`
    fn newcomer(self, qualifies: bool, passes: u32, (dwell_ok, dwell): (bool, u64)) -> Outcome {
        if !qualifies {
            Outcome::Blocked(Blocked::NotEntered)
        } else if passes < self.promote_after {
            Outcome::Blocked(Blocked::PromotionPending {
                passes,
                needed: self.promote_after,
            })
        } else if !dwell_ok {
            Outcome::Blocked(Blocked::MinDwell {
                dwell,
                needed: self.min_dwell,
            })
        } else {
            Outcome::Selected
        }
    }
}

/// The activation state's strategies after an evaluation: `ids` in output order, `selected[i]` whether
/// `ids[i]` is in the final active set, `counters` the band's counters (absent when no band applied to the strategy).
pub(crate) fn next_states(
    ids: &[String],
    selected: &[bool],
    counters: &HashMap<String, (u32, u32)>,
    previous: &ActivationState,
    epoch_out: u64,
) -> Vec<StrategyState> {
    let mut states = Vec::with_capacity(ids.len());
    for (i, id) in ids.iter().enumerate() {
        let prev = previous.strategies.get(id);
        let was = prev.is_some_and(|s| s.active);
        let now = selected.get(i).copied().unwrap_or(false);
        let (p0, f0) = prev.map_or((0, 0), |s| (s.passes, s.fails));
        let (passes, fails) = match counters.get(id) {
            Some(c) => *c,
            None if now => (p0.saturating_add(1), 0),
            None => (0, f0.saturating_add(1)),
        };
        let since = if was != now {
            Some(epoch_out)
        } else {
            prev.and_then(|s| s.since)
        };
        states.push(StrategyState {
            active: now,
            passes,
            fails,
            since,
        });
    }
    states
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The activation state after an evaluation: [`next_states`] keyed by id.
    fn next_state(
        ids: &[String],
        selected: &[bool],
        counters: &HashMap<String, (u32, u32)>,
        previous: &ActivationState,
        epoch_out: u64,
    ) -> ActivationState {
        let states = next_states(ids, selected, counters, previous, epoch_out);
        ActivationState {
            epoch: epoch_out,
            strategies: ids.iter().cloned().zip(states).collect(),
        }
    }

    fn rule(p: u32, d: u32, dwell: u32) -> HysteresisRule {
        HysteresisRule {
            metric: "s".into(),
            enter: 0.6,
            exit: 0.4,
            promote_after: Some(p),
            demote_after: Some(d),
            min_dwell: Some(dwell),
        }
    }

    fn ids(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn qmtl_defaults_stay_above_exit_enter_above_enter() {
        let r = HysteresisRule {
            metric: "s".into(),
            enter: 0.6,
            exit: 0.4,
            promote_after: None,
            demote_after: None,
            min_dwell: None,
        };
        let prev = ActivationState::from_active(["inc_hi", "inc_lo"]);
        let vals = |id: &str| match id {
            "inc_hi" => Lookup::Value(0.45),
            "inc_lo" => Lookup::Value(0.39),
            "new_hi" => Lookup::Value(0.6),
            "new_lo" => Lookup::Value(0.59),
            _ => Lookup::Missing,
        };
        let c = ids(&["inc_hi", "inc_lo", "new_hi", "new_lo", "none"]);
        let out = apply(&c, vals, &prev, &r, 1, Dialect::Qmtl);
        assert_eq!(out.selected, ids(&["inc_hi", "new_hi"]));
        assert_eq!(out.blocked["inc_lo"], Blocked::Exit);
        assert_eq!(out.blocked["new_lo"], Blocked::NotEntered);
        assert_eq!(out.blocked["none"], Blocked::SilentlyDropped);
        let out = apply(&c, vals, &prev, &r, 1, Dialect::Strict);
        assert_eq!(out.blocked["none"], Blocked::MetricMissing);
    }

    #[test]
    fn promotion_needs_consecutive_passes() {
        let r = rule(3, 1, 0);
        let c = ids(&["a"]);
        let mut state = ActivationState::default();
        let mut history = Vec::new();
        for (epoch, v) in [(1, 0.7), (2, 0.7), (3, 0.5), (4, 0.7), (5, 0.7), (6, 0.7)] {
            let out = apply(&c, |_| Lookup::Value(v), &state, &r, epoch, Dialect::Strict);
            let sel: Vec<bool> = c.iter().map(|id| out.selected.contains(id)).collect();
            history.push(sel.contains(&true));
            state = next_state(&c, &sel, &out.counters, &state, epoch);
        }
        // Three consecutive qualifying evaluations are needed; the dip at epoch 3 resets.
        assert_eq!(history, [false, false, false, false, false, true]);
        assert_eq!(state.strategies["a"].since, Some(6));
        assert_eq!(state.strategies["a"].passes, 3);
    }

    #[test]
    fn demotion_waits_for_demote_after_and_min_dwell() {
        let r = rule(1, 2, 3);
        let c = ids(&["a"]);
        let mut state = ActivationState::default();
        let mut history = Vec::new();
        // Enters at 1; dips at 2 and 3 (two fails) but min_dwell 3 holds it until epoch 4.
        for (epoch, v) in [(1, 0.7), (2, 0.3), (3, 0.3), (4, 0.3), (5, 0.7), (6, 0.7)] {
            let out = apply(&c, |_| Lookup::Value(v), &state, &r, epoch, Dialect::Strict);
            let sel: Vec<bool> = c.iter().map(|id| out.selected.contains(id)).collect();
            history.push(sel.contains(&true));
            state = next_state(&c, &sel, &out.counters, &state, epoch);
        }
        // Demoted at 4 (since = 4); re-entry blocked by min_dwell until epoch 7.
        assert_eq!(history, [true, true, true, false, false, false]);
        assert_eq!(state.strategies["a"].since, Some(4));
    }
}
