//! `drawdowns`: the episodes of the compounded equity curve below its running peak.
//!
//! On the drawdown curve dₜ = Vₜ / max_{s ≤ t} V_s − 1 (V₀ = 1 a peak, NaN returns flat), an
//! episode is a maximal run of periods with dₜ < 0. Indices are positions in the returns
//! series (period t is return t − 1):
//!
//! | field | definition |
//! |---|---|
//! | `start` | the first period below the peak (the peak is the period before; the initial capital when `start` = 0) |
//! | `trough` | the period of min dₜ in the episode (the first, on ties) |
//! | `end` | the first period with dₜ = 0 again (the curve regains its peak); `null` while open |
//! | `depth` | min dₜ over the episode, in [−1, 0) |
//! | `length` | `end − start` periods, or `n − start` while open (NaN periods included) |
//! | `recovery` | `end − trough` periods; `null` while open |
//! | `peak_at`, `trough_at`, `end_at` | the timestamps of the peak (the first timestamp when `start` = 0), trough and end |
//! | `length_days` | days from `peak_at` to `end_at` (to the last timestamp while open), exact (fractional) |
//! | `recovery_days` | days from `trough_at` to `end_at`; absent while open |
//!
//! `episodes` lists the `top_drawdowns` deepest, deepest first (ties: the earlier first);
//! `count`, `average_depth` (mean depth), `average_length` (mean length in periods) and
//! `average_length_days` cover every episode. `null` + reason: no episode (no drawdown, or no
//! finite sample); the days without timestamps.
//!
//! One pass over the drawdown curve; the episodes are kept (at most n / 2 of them) and the
//! deepest selected by a sort of their depths.

use super::put;
use crate::schema::{DrawdownEpisode, DrawdownReport, Num};
use indexmap::IndexMap;

/// An episode by positions: start, trough, end (`None` while open), depth.
#[derive(Clone, Copy)]
struct Span {
    start: usize,
    trough: usize,
    end: Option<usize>,
    depth: f64,
}

/// Keeps the `top` deepest of `spans`, deepest first: in the order of (depth, start), a total
/// order with distinct keys. The spans deeper than the `top`-th depth are picked first (a
/// selection, linear), so only they and the ties at that depth are sorted.
fn deepest(spans: &mut Vec<Span>, top: usize) {
    if top == 0 {
        spans.clear();
        return;
    }
    if spans.len() > top {
        let mut depths: Vec<f64> = spans.iter().map(|s| s.depth).collect();
        let (_, &mut cut, _) = depths.select_nth_unstable_by(top - 1, f64::total_cmp);
        spans.retain(|s| s.depth.total_cmp(&cut).is_le());
    }
    crate::json::order::sort_by(spans, |a, b| {
        a.depth.total_cmp(&b.depth).then(a.start.cmp(&b.start))
    });
    spans.truncate(top);
}

/// The block of the drawdown curve `dd` (`[0, d₁, …, d_N]`), with the timestamps as days since
/// the epoch and as given (`time`: the strings as the caller gave them, or `None` to write
/// each listed episode's instants with [`crate::time::format`]), listing the `top` deepest
/// episodes.
pub(crate) fn block(
    dd: &[f64],
    time: Option<(&[f64], Option<&[String]>)>,
    top: u32,
) -> DrawdownReport {
    let n = dd.len().saturating_sub(1);
    let mut spans = episodes(dd);
    let mut reasons = IndexMap::new();
    let count = spans.len();
    let [average_depth, average_length, average_length_days] = averages(&spans, n, time);

    deepest(&mut spans, usize::try_from(top).unwrap_or(usize::MAX));
    let stamp = |i: usize| match time? {
        (_, Some(t)) => t.get(i).cloned(),
        (d, None) => d.get(i).map(|&x| crate::time::format(x)),
    };
    let day = |i: usize| day(time, i);
    let episodes = spans
        .iter()
        .map(|s| DrawdownEpisode {
            start: s.start as u64,
            trough: s.trough as u64,
            end: s.end.map(|e| e as u64),
            depth: Num(s.depth),
            length: s.length(n) as u64,
            recovery: s.end.map(|e| (e - s.trough) as u64),
            peak_at: stamp(s.start.saturating_sub(1)),
            trough_at: stamp(s.trough),
            end_at: s.end.and_then(stamp),
            length_days: s.length_days(n, time).map(Num),
            recovery_days: s.end.and_then(|e| Some(day(e)? - day(s.trough)?)).map(Num),
        })
        .collect();
    DrawdownReport {
        count: count as u64,
        episodes,
        average_depth: put(&mut reasons, "average_depth", average_depth),
        average_length: put(&mut reasons, "average_length", average_length),
        average_length_days: put(&mut reasons, "average_length_days", average_length_days),
        reasons,
    }
}

/// The episodes of the drawdown curve `dd` (`[0, d₁, …, d_N]`), in order: each starts at the
/// first period below 0 and ends at the first period back at 0 (the last may be open).
#[inline]
fn episodes(dd: &[f64]) -> Vec<Span> {
    let mut spans: Vec<Span> = Vec::new();
    let mut open: Option<Span> = None;
    for (i, &d) in dd.iter().skip(1).enumerate() {
        match open.as_mut() {
            None if d < 0.0 => {
                open = Some(Span {
                    start: i,
                    trough: i,
                    end: None,
                    depth: d,
                });
            }
            Some(s) if d < 0.0 => {
                let deeper = d < s.depth;
                s.trough = if deeper { i } else { s.trough };
                s.depth = s.depth.min(d);
            }
            Some(s) => {
                s.end = Some(i);
                spans.push(*s);
                open = None;
            }
            None => {}
        }
    }
    spans.extend(open);
    spans
}

/// Days since the epoch of period `i`, when there are timestamps.
fn day(time: Option<(&[f64], Option<&[String]>)>, i: usize) -> Option<f64> {
    time.and_then(|(d, _)| d.get(i).copied())
}

impl Span {
    /// Periods from the start to the end (to the last of `n` periods while open).
    fn length(&self, n: usize) -> usize {
        self.end.unwrap_or(n) - self.start
    }

    /// Days from the peak (the period before the start) to the end (the last period while
    /// open), when there are timestamps.
    fn length_days(&self, n: usize, time: Option<(&[f64], Option<&[String]>)>) -> Option<f64> {
        let peak = day(time, self.start.saturating_sub(1));
        Some(day(time, self.end.unwrap_or(n.saturating_sub(1)))? - peak?)
    }
}

/// `[average_depth, average_length, average_length_days]` of the episodes `spans` over `n`
/// periods: each an error without an episode (`no periods` or `no drawdown`), the days also
/// without timestamps.
fn averages(
    spans: &[Span],
    n: usize,
    time: Option<(&[f64], Option<&[String]>)>,
) -> [Result<f64, String>; 3] {
    let none = |why: &str| Err(why.to_string());
    let why = if n == 0 { "no periods" } else { "no drawdown" };
    if spans.is_empty() {
        return [none(why), none(why), none(why)];
    }
    let cf = spans.len() as f64;
    let mut depth = super::super::sum::Sum::default();
    let mut len = 0u64;
    let mut days = super::super::sum::Sum::default();
    for s in spans {
        depth.add(s.depth);
        len += s.length(n) as u64;
        days.add(s.length_days(n, time).unwrap_or(0.0));
    }
    [
        Ok(depth.value() / cf),
        Ok(len as f64 / cf),
        if time.is_some() {
            Ok(days.value() / cf)
        } else {
            none("needs timestamps")
        },
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `deepest` against the whole list sorted by (depth, start) and cut, for depths with many
    /// ties (a few distinct values, −0 and 0 among them) and every `top` from 0 past the length.
    #[test]
    fn deepest_is_the_sorted_list_cut() {
        let mut state = 0x9e37_79b9_7f4a_7c15_u64;
        let mut next = || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        let levels = [-0.5, -0.25, -0.1, -0.0, 0.0, -1.0];
        for len in [0usize, 1, 2, 5, 17, 64] {
            let spans: Vec<Span> = (0..len)
                .map(|i| Span {
                    start: i * 3,
                    trough: i * 3 + 1,
                    end: None,
                    depth: levels[(next() % 6) as usize],
                })
                .collect();
            for top in 0..=len + 2 {
                let mut want = spans.clone();
                want.sort_by(|a, b| a.depth.total_cmp(&b.depth).then(a.start.cmp(&b.start)));
                want.truncate(top);
                let mut got = spans.clone();
                deepest(&mut got, top);
                let key = |v: &[Span]| {
                    v.iter()
                        .map(|s| (s.depth.to_bits(), s.start))
                        .collect::<Vec<_>>()
                };
                assert_eq!(key(&got), key(&want), "len {len}, top {top}");
            }
        }
    }
}
