//! The `calendar` report block: compounded returns per calendar month and year, best / worst
//! month and year, the share of positive months / quarters / years, and the trailing windows
//! MTD / 3M / 6M / YTD / 1Y / 3Y (annualised) / 5Y (annualised) / all-time, as of the last
//! timestamp T. One pass over the series, O(months) memory.
//!
//! ```
//! use worldgate::metrics::calendar::calendar;
//! use worldgate::time::parse;
//! let days: Vec<f64> = ["2024-01-31T00:00:00Z", "2024-02-29T00:00:00Z", "2024-03-01T00:00:00Z"]
//!     .iter().map(|t| parse(t).unwrap()).collect();
//! let c = calendar(&[0.1, -0.1, 0.05], &days).unwrap();
//! assert_eq!(c.months.len(), 3);
//! assert_eq!(c.years[0].ret.get(), 1.1 * 0.9 * 1.05 - 1.0);
//! // Less than 3 months of history: no 3M return, and the reason says why.
//! assert_eq!(c.three_months, None);
//! assert_eq!(c.reasons["three_months"], "the series covers less than 3 months before 2024-03-01T00:00:00Z");
//! ```
//!
//! # Conventions
//!
//! A return belongs to the UTC calendar day of its timestamp (a daily close dated
//! `2024-01-31T21:00:00Z` is January's). R of a set of returns is ∏(1 + r) − 1 over its finite
//! returns; NaN returns are dropped (flat), their timestamps still place months. Windows as of
//! T (the last timestamp):
//!
//! | quantity | returns it compounds | null (+ reason) when | quantstats `reports.metrics()` |
//! |---|---|---|---|
//! | `months`, `years` | those dated in the month / year (first and last may be partial) | — (empty series: empty tables) | `monthly_returns`, `yearly_returns`, compounded |
//! | `best_month` … `worst_year` | max / min over the table rows, the first on ties | no rows | `best(aggregate="M")` … same |
//! | `positive_months`, `_quarters`, `_years` | #(R > 0) / #(R ≠ 0) over the rows | no row with R ≠ 0 | `win_rate(aggregate=…)`, same |
//! | `mtd` | dated on or after the 1st of T's month, 00:00 | n = 0 | same (`>=`) |
//! | `ytd` | dated on or after 1 January of T's year | n = 0 | same |
//! | `three_months`, `six_months`, `one_year` | dated strictly after T − k months (`relativedelta`, the day clamped to the month's end) | no timestamp at or before the boundary (the window is not covered) | quantstats takes `>=` the boundary (one extra period) and whatever history there is |
//! | `three_years_annualised`, `five_years_annualised` | after T − 36 / 60 months, then (1 + R)^(1/3) − 1, (1 + R)^(1/5) − 1 | as above | quantstats uses T − 35 / 59 months and annualises by the calendar span / 365 (or 252) |
//! | `all_time` | every return (not annualised: the returns block's `cagr` is) | n = 0 | `comp` (its "All-time (ann.)" is a CAGR) |
//!
//! Powers use `libm`, so native and wasm give bit-identical blocks.

use crate::error::{Code, Error};
use crate::schema::{Calendar, CalendarConventions, CalendarPeriod, Num};
use crate::time::{add_months, civil_from_days, days_from_civil, format};
use indexmap::IndexMap;

/// The calendar block of `returns` dated by `days` (days since the epoch, strictly increasing,
/// as [`crate::time::parse_all`] gives them).
///
/// # Errors
/// - `E_INVALID_VALUE` at `/timestamps` when `days` and `returns` differ in length;
/// - the errors of [`crate::metrics::validate_returns`] (paths `/<index>`).
pub fn calendar(returns: &[f64], days: &[f64]) -> Result<Calendar, Error> {
    crate::metrics::validate_returns(returns)?;
    if days.len() != returns.len() {
        return Err(Error::new(
            Code::InvalidValue,
            "/timestamps",
            format!(
                "expected one timestamp per return ({}), got {}",
                returns.len(),
                days.len()
            ),
        ));
    }
    let mut reasons = IndexMap::new();
    let (Some(&first), Some(&last)) = (days.first(), days.last()) else {
        return Ok(empty(reasons));
    };
    let bounds = TRAILING_MONTHS.map(|k| add_months(last, -k));
    let Walk {
        months,
        years,
        quarters,
        trailing,
        mtd,
        ytd,
        all,
    } = walk(returns, days, last, bounds);
    let as_of = format(last);
    let [three_months, six_months, one_year, three_years, five_years] =
        trailing_windows(first, &as_of, bounds, trailing, &mut reasons);
    let month_shares = Shares::of(&months);
    let year_shares = Shares::of(&years);
    let positive_months = month_shares.share("positive_months", "month", &mut reasons);
    let positive_quarters = quarters.share("positive_quarters", "quarter", &mut reasons);
    let positive_years = year_shares.share("positive_years", "year", &mut reasons);
    let (best_month, worst_month) = extremes(&months);
    let (best_year, worst_year) = extremes(&years);
    Ok(Calendar {
        as_of: Some(as_of),
        best_month: best_month.map(|p| p.ret),
        best_month_period: best_month.map(|p| p.period.clone()),
        worst_month: worst_month.map(|p| p.ret),
        worst_month_period: worst_month.map(|p| p.period.clone()),
        best_year: best_year.map(|p| p.ret),
        best_year_period: best_year.map(|p| p.period.clone()),
        worst_year: worst_year.map(|p| p.ret),
        worst_year_period: worst_year.map(|p| p.period.clone()),
        positive_months,
        positive_quarters,
        positive_years,
        mtd: Some(Num(mtd - 1.0)),
        three_months,
        six_months,
        ytd: Some(Num(ytd - 1.0)),
        one_year,
        three_years_annualised: three_years,
        five_years_annualised: five_years,
        all_time: Some(Num(all - 1.0)),
        months,
        years,
        conventions: conventions(),
        reasons,
    })
}

/// The trailing windows, in months: 3M, 6M, 1Y, 3Y, 5Y.
const TRAILING_MONTHS: [i64; 5] = [3, 6, 12, 36, 60];

/// What the one pass over the series gives.
struct Walk {
    /// The month and year rows, in order.
    months: Vec<CalendarPeriod>,
    years: Vec<CalendarPeriod>,
    /// The signs of the quarters' returns.
    quarters: Shares,
    /// ∏(1 + r) of the returns dated strictly after each trailing window's bound.
    trailing: [f64; 5],
    /// ∏(1 + r) since the 1st of the last timestamp's month, since 1 January of its year, and
    /// of every return.
    mtd: f64,
    ytd: f64,
    all: f64,
}

/// One pass over `returns` dated by `days` (non-empty, increasing; `last` the last of them):
/// the month, quarter and year tables and the factors of the windows as of `last`, the
/// trailing ones after `bounds`. NaN returns are flat; their timestamps still open months.
#[inline(always)] // one body with `calendar` before the split (the wasm's size)
fn walk(returns: &[f64], days: &[f64], last: f64, bounds: [f64; 5]) -> Walk {
    let t_day = last.floor() as i64;
    let (ty, tm, _) = civil_from_days(t_day);
    let mtd_start = days_from_civil(ty, tm, 1) as f64;
    let ytd_start = days_from_civil(ty, 1, 1) as f64;
    let mut trailing = [1.0_f64; 5];
    let (mut mtd, mut ytd, mut all) = (1.0_f64, 1.0_f64, 1.0_f64);

    let mut months: Vec<CalendarPeriod> = Vec::new();
    let mut years: Vec<CalendarPeriod> = Vec::new();
    let mut quarters = Shares::default();
    // The open month: (year, month, factor, finite count), and where the next month starts.
    let mut open: Option<(i64, u32, f64, u64)> = None;
    let mut next_month = f64::NEG_INFINITY;
    let mut quarter: Option<(i64, f64)> = None;
    let mut year_acc: Option<(i64, f64, u64)> = None;
    for (&r, &t) in returns.iter().zip(days) {
        if t >= next_month {
            if let Some(m) = open.take() {
                close_month(
                    m,
                    &mut months,
                    (&mut years, &mut year_acc),
                    &mut quarter,
                    &mut quarters,
                );
            }
            let (y, m, _) = civil_from_days(t.floor() as i64);
            let (ny, nm) = if m == 12 { (y + 1, 1) } else { (y, m + 1) };
            next_month = days_from_civil(ny, nm, 1) as f64;
            open = Some((y, m, 1.0, 0));
        }
        if r.is_nan() {
            continue;
        }
        let g = 1.0 + r;
        if let Some(m) = open.as_mut() {
            m.2 *= g;
            m.3 += 1;
        }
        all *= g;
        if t >= mtd_start {
            mtd *= g;
        }
        if t >= ytd_start {
            ytd *= g;
        }
        for (f, b) in trailing.iter_mut().zip(bounds) {
            if t > b {
                *f *= g;
            }
        }
    }
    if let Some(m) = open.take() {
        close_month(
            m,
            &mut months,
            (&mut years, &mut year_acc),
            &mut quarter,
            &mut quarters,
        );
    }
    if let Some((_, f)) = quarter {
        quarters.add(f - 1.0);
    }
    if let Some(done) = year_acc {
        push_year(done, &mut years);
    }
    Walk {
        months,
        years,
        quarters,
        trailing,
        mtd,
        ytd,
        all,
    }
}

/// The trailing windows 3M, 6M, 1Y, 3Y (annualised), 5Y (annualised) from their `trailing`
/// factors: `None`, with a reason in `reasons`, for a window whose bound lies before the
/// `first` timestamp (the series does not cover it as of `as_of`).
#[inline(always)] // as `walk`
fn trailing_windows(
    first: f64,
    as_of: &str,
    bounds: [f64; 5],
    trailing: [f64; 5],
    reasons: &mut IndexMap<String, String>,
) -> [Option<Num>; 5] {
    let mut window = |i: usize, name: &str, label: &str, years: Option<f64>| {
        let (Some(&b), Some(&f)) = (bounds.get(i), trailing.get(i)) else {
            return None;
        };
        if first > b {
            reasons.insert(
                name.to_string(),
                format!("the series covers less than {label} before {as_of}"),
            );
            return None;
        }
        Some(Num(match years {
            Some(y) => libm::pow(f, 1.0 / y) - 1.0,
            None => f - 1.0,
        }))
    };
    [
        window(0, "three_months", "3 months", None),
        window(1, "six_months", "6 months", None),
        window(2, "one_year", "12 months", None),
        window(3, "three_years_annualised", "36 months", Some(3.0)),
        window(4, "five_years_annualised", "60 months", Some(5.0)),
    ]
}

/// Closes the open month: its row, its year's factor, its quarter's factor.
fn close_month(
    (y, m, f, count): (i64, u32, f64, u64),
    months: &mut Vec<CalendarPeriod>,
    (years, year_acc): (&mut Vec<CalendarPeriod>, &mut Option<(i64, f64, u64)>),
    quarter: &mut Option<(i64, f64)>,
    quarters: &mut Shares,
) {
    months.push(CalendarPeriod {
        period: format!("{y:04}-{m:02}"),
        year: i32::try_from(y).unwrap_or(i32::MAX),
        month: Some(m),
        ret: Num(f - 1.0),
        periods: count,
    });
    match year_acc {
        Some((k, yf, n)) if *k == y => {
            *yf *= f;
            *n += count;
        }
        _ => {
            if let Some(done) = year_acc.take() {
                push_year(done, years);
            }
            *year_acc = Some((y, f, count));
        }
    }
    let key = y * 4 + i64::from((m - 1) / 3);
    match quarter {
        Some((k, qf)) if *k == key => *qf *= f,
        _ => {
            if let Some((_, qf)) = quarter.take() {
                quarters.add(qf - 1.0);
            }
            *quarter = Some((key, f));
        }
    }
}

fn push_year((y, f, count): (i64, f64, u64), years: &mut Vec<CalendarPeriod>) {
    years.push(CalendarPeriod {
        period: format!("{y:04}"),
        year: i32::try_from(y).unwrap_or(i32::MAX),
        month: None,
        ret: Num(f - 1.0),
        periods: count,
    });
}

/// Counts of positive and non-zero period returns.
#[derive(Default)]
struct Shares {
    positive: u64,
    nonzero: u64,
}

impl Shares {
    fn add(&mut self, r: f64) {
        if r > 0.0 {
            self.positive += 1;
        }
        if r != 0.0 {
            self.nonzero += 1;
        }
    }

    fn of(rows: &[CalendarPeriod]) -> Shares {
        let mut s = Shares::default();
        for row in rows {
            s.add(row.ret.0);
        }
        s
    }

    fn share(&self, name: &str, unit: &str, reasons: &mut IndexMap<String, String>) -> Option<Num> {
        if self.nonzero == 0 {
            reasons.insert(name.to_string(), format!("no {unit} has a non-zero return"));
            return None;
        }
        Some(Num(self.positive as f64 / self.nonzero as f64))
    }
}

/// The best and worst rows (the first on ties).
fn extremes(rows: &[CalendarPeriod]) -> (Option<&CalendarPeriod>, Option<&CalendarPeriod>) {
    let mut best: Option<&CalendarPeriod> = None;
    let mut worst: Option<&CalendarPeriod> = None;
    for row in rows {
        if best.is_none_or(|b| row.ret.0 > b.ret.0) {
            best = Some(row);
        }
        if worst.is_none_or(|w| row.ret.0 < w.ret.0) {
            worst = Some(row);
        }
    }
    (best, worst)
}

fn conventions() -> CalendarConventions {
    CalendarConventions {
        compounding: "compounded".into(),
        calendar: "utc".into(),
        trailing_window: "after_boundary".into(),
        positive_share: "positive_over_nonzero".into(),
        nan_policy: "dropped".into(),
    }
}

/// The block of an empty series: empty tables, every quantity null with a reason.
fn empty(mut reasons: IndexMap<String, String>) -> Calendar {
    for name in [
        "best_month",
        "worst_month",
        "best_year",
        "worst_year",
        "positive_months",
        "positive_quarters",
        "positive_years",
        "mtd",
        "three_months",
        "six_months",
        "ytd",
        "one_year",
        "three_years_annualised",
        "five_years_annualised",
        "all_time",
    ] {
        reasons.insert(name.to_string(), "needs at least 1 return".to_string());
    }
    Calendar {
        as_of: None,
        months: Vec::new(),
        years: Vec::new(),
        best_month: None,
        best_month_period: None,
        worst_month: None,
        worst_month_period: None,
        best_year: None,
        best_year_period: None,
        worst_year: None,
        worst_year_period: None,
        positive_months: None,
        positive_quarters: None,
        positive_years: None,
        mtd: None,
        three_months: None,
        six_months: None,
        ytd: None,
        one_year: None,
        three_years_annualised: None,
        five_years_annualised: None,
        all_time: None,
        conventions: conventions(),
        reasons,
    }
}
