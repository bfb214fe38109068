//! The PnL block: a long-only compounding account simulated from the returns.
//!
//! V₀ = `initial_capital`, `Vₜ = Vₜ₋₁ · (1 + rₜ)`, a NaN return a flat period, a −100 % return
//! the end of the account (V stays 0). With `L = Σ log1p(r)` (compensated):
//! - `final_equity = V_n = V₀ · exp(L)`;
//! - `pnl_total = V_n − V₀ = V₀ · expm1(L)` (no cancellation for small totals);
//! - `pnl_equity_peak = max_t Vₜ`, V₀ included;
//! - `pnl_max_drawdown = min_t (Vₜ − max_{s ≤ t} V_s)`, ≤ 0, in currency: for each drawdown
//!   episode the peak level times the episode's deepest fractional drawdown;
//! - `sample_count` counts every period, NaN ones included.
//!
//! Amounts beyond the `f64` range (a 1e6 % return compounded a hundred times) saturate to
//! `"+inf"`/`"-inf"`; the fractional metrics of the returns block stay finite.

use super::MetricsOptions;
use super::drawdown::CurveStats;
use crate::schema::{Num, PnlMetrics};

/// The PnL block from one pass over the curve.
pub(crate) fn block(curve: &CurveStats, opts: &MetricsOptions) -> PnlMetrics {
    let v0 = opts.initial_capital;
    let (final_equity, pnl_total) = if curve.ruined {
        (0.0, -v0)
    } else {
        (
            v0 * libm::exp(curve.log_growth),
            v0 * libm::expm1(curve.log_growth),
        )
    };
    let peak = (v0 * libm::exp(curve.peak_log_growth))
        .max(final_equity)
        .max(v0);
    PnlMetrics {
        sample_count: curve.periods,
        reference_currency: opts.reference_currency.clone(),
        pnl_total: Some(Num(pnl_total)),
        pnl_max_drawdown: Some(Num(v0 * curve.worst_drop)),
        pnl_equity_peak: Some(Num(peak)),
        initial_capital: Some(Num(v0)),
        final_equity: Some(Num(final_equity)),
    }
}
