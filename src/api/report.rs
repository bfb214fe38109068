//! The quant's report of a returns series: `distribution`, `drawdowns`, `rolling` and, with a
//! benchmark, `relative` (definitions: [`crate::metrics::report`]).
//!
//! | input | error |
//! |---|---|
//! | an option of the wrong type, an unknown option | `E_SCHEMA` at its path (when decoded with [`crate::schema::from_value`]) |
//! | `periods_per_year` ≤ 0; `risk_free` or `omega_required_return` ≤ −1 | `E_INVALID_VALUE` at the option |
//! | a non-finite option | `E_NOT_FINITE` at the option |
//! | a rolling window of 0 | `E_INVALID_VALUE` at `/rolling_windows/<i>` (a window longer than the series is not an error: its series are nulls with a `reason`) |
//! | a benchmark of another length than the series | `E_INVALID_VALUE` at `/benchmark` |
//! | a return (benchmark return) that is ±∞ or below −1 | `E_NOT_FINITE` / `E_INVALID_VALUE` at `/<i>` (`/benchmark/<i>`); NaN is a missing period, dropped |
//! | timestamps: wrong count, not RFC 3339 UTC, not increasing | `E_INVALID_VALUE` at `/timestamps` or `/timestamps/<i>` |

use crate::error::Error;
use crate::schema::{Report, ReportOptions};

/// The report of `returns` under `opts`.
///
/// # Errors
/// See the module's table.
///
/// ```
/// use worldgate::api::report::report;
/// use worldgate::schema::ReportOptions;
/// let opts = ReportOptions { benchmark: Some(vec![None]), ..ReportOptions::default() };
/// let e = report(&[0.01, 0.02], &opts).unwrap_err();
/// assert_eq!((e.code.as_str(), e.path.as_str()), ("E_INVALID_VALUE", "/benchmark"));
/// ```
pub fn report(returns: &[f64], opts: &ReportOptions) -> Result<Report, Error> {
    crate::metrics::report::compute(returns, opts)
}
