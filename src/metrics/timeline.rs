//! The time axis of a returns series: explicit `timestamps` or a regular `index`
//! `{start, frequency}` (never both) → days since the epoch, one per return; and the periods
//! per year they imply, checked against a given `periods_per_year`.

use crate::error::{Code, Error};
use crate::schema::SeriesIndex;
use crate::time::{self, Frequency};

/// The days since the epoch of a series of `n` returns, from `timestamps` or `index`; `None`
/// when neither is given. `base` is the JSON pointer of the object holding them (`""` for
/// options, `/submissions/0` in a bundle). See [`time::axis`].
///
/// # Errors
/// As [`time::axis`]: `E_INVALID_VALUE` at `base` (both given), `base/timestamps[/<i>]`,
/// `base/index/start`, `base/index/frequency`.
pub fn time_axis(
    timestamps: Option<&[String]>,
    index: Option<&SeriesIndex>,
    n: usize,
    base: &str,
) -> Result<Option<Vec<f64>>, Error> {
    time::axis(
        timestamps,
        index.map(|ix| (ix.start.as_str(), ix.frequency.as_str())),
        n,
        base,
    )
}

/// The periods per year implied by a time axis: the index's frequency when there is one, else
/// [`time::infer_periods_per_year`] of the timestamps.
pub fn implied_periods_per_year(
    timestamps: Option<&[f64]>,
    index: Option<&SeriesIndex>,
) -> Option<f64> {
    if let Some(f) = index.and_then(|ix| Frequency::parse(&ix.frequency)) {
        return Some(f.periods_per_year());
    }
    timestamps.and_then(time::infer_periods_per_year)
}

/// Checks a given `periods_per_year` against the one the time axis implies.
///
/// # Errors
/// `E_INVALID_VALUE` at `path` when both are known and differ.
pub fn check_periods_per_year(given: f64, implied: Option<f64>, path: &str) -> Result<(), Error> {
    match implied {
        Some(p) if p != given => Err(Error::new(
            Code::InvalidValue,
            path,
            format!(
                "periods per year `{}` disagrees with the series' time axis, which implies `{}`",
                crate::json::float::Brief(given),
                crate::json::float::Brief(p)
            ),
        )
        .with_help(
            "leave `periods_per_year` out to take it from the timestamps or index, or fix it",
        )),
        _ => Ok(()),
    }
}

/// The ISO 8601 interval `first/last` of a time axis (RFC 3339 ends); `None` when empty.
pub fn window_of(days: &[f64]) -> Option<String> {
    Some(format!(
        "{}/{}",
        time::format(*days.first()?),
        time::format(*days.last()?)
    ))
}

/// The positions of the dates two series share: `(i, j)` with `a[i] == b[j]`, in date order,
/// by one merge pass (O(len a + len b)). Both inputs must be strictly increasing (as
/// [`time_axis`] gives them); dates present in only one series are left out. Use it to align
/// two dated series (strategies' correlations, a strategy and its benchmark) on the
/// intersection of their dates.
///
/// ```
/// use worldgate::metrics::timeline::align;
/// assert_eq!(align(&[1.0, 2.0, 4.0, 5.0], &[2.0, 3.0, 4.0]), vec![(1, 0), (2, 2)]);
/// assert!(align(&[1.0], &[]).is_empty());
/// ```
pub fn align(a: &[f64], b: &[f64]) -> Vec<(usize, usize)> {
    let mut out = Vec::with_capacity(a.len().min(b.len()));
    let (mut i, mut j) = (0, 0);
    while let (Some(x), Some(y)) = (a.get(i), b.get(j)) {
        if x < y {
            i += 1;
        } else if y < x {
            j += 1;
        } else {
            out.push((i, j));
            i += 1;
            j += 1;
        }
    }
    out
}

/// Two dated series' values on their common dates ([`align`]): `(a values, b values)`, equal
/// lengths, in date order.
pub fn align_values(a: &[f64], a_days: &[f64], b: &[f64], b_days: &[f64]) -> (Vec<f64>, Vec<f64>) {
    align(a_days, b_days)
        .into_iter()
        .filter_map(|(i, j)| Some((*a.get(i)?, *b.get(j)?)))
        .unzip()
}
