//! The calendar report block of a dated returns series (`computeCalendar` in JS).

use crate::error::{Code, Error};
use crate::metrics::timeline::time_axis;
use crate::schema::{Calendar, CalendarOptions};
use crate::time::Stamps;

/// The calendar block (see [`crate::metrics::calendar`] for every definition) of `returns`
/// dated by `timestamps` (RFC 3339 UTC strings or epoch milliseconds, [`Stamps`]; strictly
/// increasing, one per return) or by `opts.index`. The two forms of one instant give the same
/// days to the bit ([`crate::time::from_epoch_ms`]), so the same calendar. Paths are those of the call `computeCalendar(returns, timestamps, options)`
/// read as one object: returns at `/<i>`, timestamps at `/timestamps/<i>`, the index at
/// `/index/…`.
///
/// # Errors
/// - `E_INVALID_VALUE` at `/timestamps` when neither timestamps nor an index is given;
/// - the errors of [`time_axis`] (both given, count, unparseable, duplicate, unsorted, a
///   frequency that does not fit); for epoch milliseconds those of
///   [`crate::time::parse_all_ms`] (NaN, fractional, outside years 0000–9999, not increasing);
/// - the errors of [`crate::metrics::validate_returns`] (`E_NOT_FINITE`, `E_INVALID_VALUE` at
///   `/<i>`).
pub fn calendar(
    returns: &[f64],
    timestamps: Option<&Stamps>,
    opts: &CalendarOptions,
) -> Result<Calendar, Error> {
    let days = match timestamps {
        Some(Stamps::EpochMs(ms)) => {
            if opts.index.is_some() {
                return Err(crate::time::both_axes(""));
            }
            Some(crate::time::parse_all_ms(ms, returns.len(), "/timestamps")?)
        }
        Some(Stamps::Rfc3339(t)) => time_axis(Some(t), opts.index.as_ref(), returns.len(), "")?,
        None => time_axis(None, opts.index.as_ref(), returns.len(), "")?,
    };
    let days = days.ok_or_else(|| {
        Error::new(
            Code::InvalidValue,
            "/timestamps",
            "the calendar needs the returns' dates: give `timestamps` or an `index`",
        )
        .with_help(
            "e.g. timestamps [\"2024-01-02T00:00:00Z\", …] or index {start, frequency: \"1B\"}",
        )
    })?;
    crate::metrics::calendar::calendar(returns, &days)
}
