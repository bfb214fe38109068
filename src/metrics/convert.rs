//! Returns from equity levels or prices.
//!
//! For consecutive levels p₀, p₁, …, p_n (all finite and > 0) the n returns are
//! - simple: `rₜ = (pₜ − pₜ₋₁) / pₜ₋₁` (= pₜ/pₜ₋₁ − 1; the difference form keeps small moves
//!   exact, since pₜ − pₜ₋₁ is exact when the levels are within a factor 2);
//! - log: `rₜ = ln(pₜ / pₜ₋₁)`, as `log1p((pₜ − pₜ₋₁) / pₜ₋₁)` when the ratio is in [½, 2] and
//!   `ln pₜ − ln pₜ₋₁` otherwise (no overflow or underflow of the ratio).
//!
//! Log returns are not simple returns: the metrics treat every series as simple returns, so
//! pass log returns to them only on purpose.

use crate::error::{Code, Error};
use crate::json::float::Brief;
use serde::{Deserialize, Serialize};

/// How consecutive prices become a return.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(not(target_arch = "wasm32"), derive(schemars::JsonSchema, ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum ReturnKind {
    /// `pₜ / pₜ₋₁ − 1`.
    #[default]
    Simple,
    /// `ln(pₜ / pₜ₋₁)`.
    Log,
}

/// Simple returns of an account's equity levels: `rₜ = Eₜ / Eₜ₋₁ − 1` (n levels → n − 1
/// returns; fewer than 2 levels → no return).
///
/// # Errors
/// At `/<index>` of the first offending level: `E_NOT_FINITE` for NaN or ±∞,
/// `E_INVALID_VALUE` for a level ≤ 0 (a return from or to a zero or negative equity is
/// undefined), `E_NOT_FINITE` when a return overflows (a jump of more than ~1e308×).
///
/// ```
/// let r = worldgate::metrics::returns_from_equity(&[100.0, 110.0, 99.0]).unwrap();
/// assert_eq!(r, vec![0.1, -0.1]);
/// ```
pub fn returns_from_equity(equity: &[f64]) -> Result<Vec<f64>, Error> {
    returns_from_levels(equity, ReturnKind::Simple, "equity")
}

/// Simple or log returns of a price series (n prices → n − 1 returns).
///
/// # Errors
/// At `/<index>` of the first offending price: `E_NOT_FINITE` for NaN or ±∞,
/// `E_INVALID_VALUE` for a price ≤ 0, `E_NOT_FINITE` when a simple return overflows.
///
/// ```
/// use worldgate::metrics::{returns_from_prices, ReturnKind};
/// let r = returns_from_prices(&[100.0, 125.0, 100.0], ReturnKind::Simple).unwrap();
/// assert_eq!(r, vec![0.25, -0.2]);
/// let err = returns_from_prices(&[100.0, 0.0], ReturnKind::Log).unwrap_err();
/// assert_eq!((err.code.as_str(), err.path.as_str()), ("E_INVALID_VALUE", "/1"));
/// ```
pub fn returns_from_prices(prices: &[f64], kind: ReturnKind) -> Result<Vec<f64>, Error> {
    returns_from_levels(prices, kind, "price")
}

fn returns_from_levels(levels: &[f64], kind: ReturnKind, what: &str) -> Result<Vec<f64>, Error> {
    for (i, &p) in levels.iter().enumerate() {
        if !p.is_finite() {
            return Err(Error::new(
                Code::NotFinite,
                format!("/{i}"),
                format!("{what} `{}` is not a finite number", Brief(p)),
            ));
        }
        if p <= 0.0 {
            return Err(Error::new(
                Code::InvalidValue,
                format!("/{i}"),
                format!("{what} `{}` is not greater than 0", Brief(p)),
            )
            .with_help(format!(
                "a return from or to a {what} of 0 or less is undefined; drop or fix the value"
            )));
        }
    }
    let mut out = Vec::with_capacity(levels.len().saturating_sub(1));
    for (i, w) in levels.windows(2).enumerate() {
        let [prev, next] = w else { continue };
        let simple = (next - prev) / prev;
        let r = match kind {
            ReturnKind::Simple => simple,
            ReturnKind::Log => {
                if (-0.5..=1.0).contains(&simple) {
                    libm::log1p(simple)
                } else {
                    libm::log(*next) - libm::log(*prev)
                }
            }
        };
        if !r.is_finite() {
            return Err(Error::new(
                Code::NotFinite,
                format!("/{}", i + 1),
                format!(
                    "the return from `{}` to `{}` overflows",
                    Brief(*prev),
                    Brief(*next)
                ),
            ));
        }
        out.push(r);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn simple_and_log_returns_by_hand() {
        // 100 → 110: +10 %; 110 → 99: −10 %; 99 → 99: 0.
        let r = returns_from_prices(&[100.0, 110.0, 99.0, 99.0], ReturnKind::Simple).unwrap();
        assert_eq!(r, vec![0.1, -0.1, 0.0]);
        // ln(2) and ln(1/2), ln(1000) through the ratio-outside-[½, 2] branch.
        let r = returns_from_prices(&[1.0, 2.0, 1.0, 1000.0], ReturnKind::Log).unwrap();
        let ln2 = std::f64::consts::LN_2;
        assert!((r[0] - ln2).abs() < 1e-16);
        assert!((r[1] + ln2).abs() < 1e-16);
        assert!((r[2] / (3.0 * std::f64::consts::LN_10) - 1.0).abs() < 1e-15);
        // A tiny move keeps its precision: (1 + 2⁻⁴⁰ − 1)/1 = 2⁻⁴⁰ exactly, ln ≈ 2⁻⁴⁰ − 2⁻⁸¹.
        let tiny = 2f64.powi(-40);
        let r = returns_from_prices(&[1.0, 1.0 + tiny], ReturnKind::Simple).unwrap();
        assert_eq!(r, vec![tiny]);
        let r = returns_from_prices(&[1.0, 1.0 + tiny], ReturnKind::Log).unwrap();
        assert!((r[0] / (tiny - tiny * tiny / 2.0) - 1.0).abs() < 1e-15);
    }

    #[test]
    fn short_series_give_no_returns() {
        assert!(returns_from_equity(&[]).unwrap().is_empty());
        assert!(returns_from_equity(&[5.0]).unwrap().is_empty());
    }

    #[test]
    fn bad_levels_are_errors_at_their_index() {
        let e = returns_from_prices(&[1.0, 2.0, -3.0], ReturnKind::Simple).unwrap_err();
        assert_eq!((e.code, e.path.as_str()), (Code::InvalidValue, "/2"));
        let e = returns_from_equity(&[0.0, 2.0]).unwrap_err();
        assert_eq!((e.code, e.path.as_str()), (Code::InvalidValue, "/0"));
        let e = returns_from_equity(&[1.0, f64::NAN]).unwrap_err();
        assert_eq!((e.code, e.path.as_str()), (Code::NotFinite, "/1"));
        let e = returns_from_prices(&[1.0, f64::INFINITY], ReturnKind::Log).unwrap_err();
        assert_eq!((e.code, e.path.as_str()), (Code::NotFinite, "/1"));
        // 1e-300 → 1e300 is a 1e600× jump: the simple return overflows, the log one does not.
        let e = returns_from_prices(&[1e-300, 1e300], ReturnKind::Simple).unwrap_err();
        assert_eq!((e.code, e.path.as_str()), (Code::NotFinite, "/1"));
        let r = returns_from_prices(&[1e-300, 1e300], ReturnKind::Log).unwrap();
        assert!((r[0] / (600.0 * std::f64::consts::LN_10) - 1.0).abs() < 1e-14);
    }
}
