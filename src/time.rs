//! Time, knowing nothing of returns or bundles: RFC 3339 UTC timestamps as days since the Unix
//! epoch and back, civil dates (Howard Hinnant's `days_from_civil` / `civil_from_days`, the
//! proleptic Gregorian calendar, no time zones, no leap seconds), and regular indexes
//! `{start, frequency}` expanded to timestamps.
//!
//! A bottom layer beside [`crate::json`]: it imports only [`crate::error`].
//!
//! An instant is given either as RFC 3339 text (the wire's form, [`parse`]) or as integer
//! milliseconds since the epoch (the JS API's numeric form, [`from_epoch_ms`]; [`Stamps`] holds
//! an axis in either): the two forms of one instant read to the same days to the bit, and
//! [`parse_all`] / [`parse_all_ms`] check an axis the same way (one per return, in the years
//! 0000–9999, strictly increasing), with the same error paths.
//!
//! ```
//! use worldgate::time::{self, Frequency};
//! assert_eq!(time::parse("2024-02-29T12:00:00Z"), Some(19_782.5));
//! assert_eq!(time::civil_from_days(19_782), (2024, 2, 29));
//! assert_eq!(time::format(19_782.5), "2024-02-29T12:00:00Z");
//! // Friday 2024-01-05, then the next business days skip the weekend.
//! let days = time::expand(time::parse("2024-01-05T00:00:00Z").unwrap(), Frequency::BusinessDay, 2).unwrap();
//! assert_eq!(time::format(days[1]), "2024-01-08T00:00:00Z");
//! ```
//!
//! ## Frequencies of an index
//!
//! | name | step | periods per year | the start must be |
//! |---|---|---|---|
//! | `1m` | one minute | 525600 (365 · 1440) | any instant |
//! | `1h` | one hour | 8760 (365 · 24) | any instant |
//! | `1d` | one calendar day (weekends included) | 365 | any instant |
//! | `1B` | one business day: Monday–Friday, no holiday calendar | 252 | on a Monday–Friday |
//! | `1w` | seven days | 52 | any instant |
//! | `1M` | one month, **month ends**: the last day of each month, at the start's time of day | 12 | the last day of a month |
//!
//! Names are case-sensitive (`1m` minute, `1M` month). A start that does not fit its
//! frequency (`1B` on a Saturday, `1M` on the 15th) is an error, never moved.
//!
//! ## Periods per year from timestamps
//!
//! [`infer_periods_per_year`] reads the **median spacing** of the timestamps: about a minute →
//! 525600, an hour → 8760, a day → 252 when no timestamp falls on a Saturday or Sunday, else
//! 365; about a week (6–8 days) → 52; about a month (28–31 days) → 12; a quarter (89–92 days)
//! → 4; a year (365–366 days) → 1. Any other spacing (or fewer than two timestamps) infers
//! nothing.

use crate::error::{Code, Error};

/// Seconds in a day.
const DAY_SECONDS: f64 = 86_400.0;

/// One timestamp as (fractional) days since 1970-01-01T00:00:00Z; `None` when it is not
/// RFC 3339 in UTC.
///
/// Accepted: `YYYY-MM-DDTHH:MM:SS`, an optional fraction `.d+`, then `Z` (or `z`, or
/// `+00:00`); `T` may be `t`. Rejected: any other offset, a missing offset, a day the month
/// does not have (`2023-02-29`), hour 24, leap second 60, years outside 0000–9999.
pub fn parse(t: &str) -> Option<f64> {
    let body = t
        .strip_suffix('Z')
        .or_else(|| t.strip_suffix('z'))
        .or_else(|| t.strip_suffix("+00:00"))?;
    let b = body.as_bytes();
    if b.len() < 19 || b.get(4) != Some(&b'-') || b.get(7) != Some(&b'-') {
        return None;
    }
    if !matches!(b.get(10), Some(b'T' | b't')) || b.get(13) != Some(&b':') {
        return None;
    }
    if b.get(16) != Some(&b':') {
        return None;
    }
    // Digits only (no sign), folded by hand: a million timestamps are read per dated series.
    let num = |r: std::ops::Range<usize>| -> Option<i64> {
        b.get(r)?.iter().try_fold(0_i64, |acc, &c| {
            c.is_ascii_digit().then(|| acc * 10 + i64::from(c - b'0'))
        })
    };
    let (y, mo, d) = (num(0..4)?, num(5..7)?, num(8..10)?);
    let (h, mi, s) = (num(11..13)?, num(14..16)?, num(17..19)?);
    let frac = match body.get(19..)? {
        "" => 0.0,
        f if f
            .strip_prefix('.')
            .is_some_and(|d| !d.is_empty() && d.bytes().all(|c| c.is_ascii_digit())) =>
        {
            fraction(f.bytes().skip(1).map(|c| c - b'0'))
        }
        _ => return None,
    };
    if !(1..=12).contains(&mo)
        || d < 1
        || d > i64::from(days_in_month(y, mo as u32))
        || h > 23
        || mi > 59
        || s > 59
    {
        return None;
    }
    let secs = (h * 3600 + mi * 60 + s) as f64 + frac;
    Some(days_from_civil(y, mo as u32, d as u32) as f64 + secs / DAY_SECONDS)
}

/// The value of the decimal digits `.d₁d₂…` (each 0–9), summed as [`parse`] reads a
/// timestamp's fraction of a second (and [`from_epoch_ms`] its milliseconds, so that both give
/// the same days to the bit).
fn fraction(digits: impl Iterator<Item = u8>) -> f64 {
    let mut x = 0.0;
    let mut scale = 0.1;
    for c in digits {
        x += f64::from(c) * scale;
        scale /= 10.0;
    }
    x
}

/// Milliseconds in a day.
const DAY_MS: i64 = 86_400_000;

/// 0000-01-01T00:00:00Z in milliseconds since the epoch: the first instant a timestamp can
/// name (as [`parse`] reads them).
pub const FIRST_MS: f64 = -62_167_219_200_000.0;

/// 10000-01-01T00:00:00Z in milliseconds since the epoch: the first instant past the range.
pub const END_MS: f64 = 253_402_300_800_000.0;

/// One instant given as milliseconds since 1970-01-01T00:00:00Z (JavaScript's `Date.now()`
/// scale) as days since the epoch; `None` unless it is an integer in
/// [`FIRST_MS`]`..`[`END_MS`] (years 0000–9999, as the strings).
///
/// The days are those [`parse`] gives for the instant's RFC 3339 text ([`format_ms`]), to the
/// bit: whole days, plus the seconds of the day (the milliseconds as a decimal fraction) over
/// 86,400. So a series dated by numbers computes exactly as the same series dated by strings.
///
/// ```
/// use worldgate::time;
/// assert_eq!(time::from_epoch_ms(1_709_208_000_000.0), Some(19_782.5));
/// assert_eq!(time::from_epoch_ms(1_709_208_000_000.5), None);
/// assert_eq!(time::from_epoch_ms(f64::NAN), None);
/// ```
pub fn from_epoch_ms(ms: f64) -> Option<f64> {
    if !(ms.fract() == 0.0 && (FIRST_MS..END_MS).contains(&ms)) {
        return None;
    }
    let ms = ms as i64;
    let of_day = ms.rem_euclid(DAY_MS);
    let milli = of_day % 1000;
    // Whole seconds (the usual case): the digits 000 sum to exactly 0.0, as `parse` reads `…SSZ`.
    let frac = match milli {
        0 => 0.0,
        _ => fraction(
            [milli / 100, milli / 10 % 10, milli % 10]
                .map(|d| d as u8)
                .into_iter(),
        ),
    };
    let secs = (of_day / 1000) as f64 + frac;
    Some(ms.div_euclid(DAY_MS) as f64 + secs / DAY_SECONDS)
}

/// Days since the epoch as milliseconds since the epoch, rounded to the millisecond (as
/// [`format()`] rounds them): the inverse of [`from_epoch_ms`].
pub fn to_epoch_ms(days: f64) -> f64 {
    (days * DAY_SECONDS * 1000.0).round()
}

/// A time axis as a caller gives it: RFC 3339 UTC strings (the wire's form), or instants as
/// milliseconds since the epoch (the JS API's numeric form: a `Float64Array` or numbers, as
/// `Date.getTime()` gives them).
#[derive(Debug, Clone, PartialEq)]
pub enum Stamps {
    /// RFC 3339 UTC timestamps, as on the wire.
    Rfc3339(Vec<String>),
    /// Integer milliseconds since 1970-01-01T00:00:00Z.
    EpochMs(Vec<f64>),
}

impl Stamps {
    /// How many instants the axis holds.
    pub fn len(&self) -> usize {
        match self {
            Stamps::Rfc3339(v) => v.len(),
            Stamps::EpochMs(v) => v.len(),
        }
    }

    /// Whether the axis holds no instant.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The days since the epoch, checked as [`parse_all`] (strings) or [`parse_all_ms`]
    /// (numbers) check them.
    ///
    /// # Errors
    /// Those of [`parse_all`] or [`parse_all_ms`], at `path` and `path/<i>`.
    pub fn days(&self, n_returns: usize, path: &str) -> Result<Vec<f64>, Error> {
        match self {
            Stamps::Rfc3339(t) => parse_all(t, n_returns, path),
            Stamps::EpochMs(ms) => parse_all_ms(ms, n_returns, path),
        }
    }

    /// The axis as RFC 3339 strings, for the operations that take the wire's form: strings as
    /// given (unchecked: the operation checks them), numbers checked by [`parse_all_ms`] and
    /// written by [`format()`] (their days read back the same to the bit).
    ///
    /// # Errors
    /// Those of [`parse_all_ms`] for numbers.
    pub fn into_rfc3339(self, n_returns: usize, path: &str) -> Result<Vec<String>, Error> {
        match self {
            Stamps::Rfc3339(t) => Ok(t),
            Stamps::EpochMs(ms) => Ok(parse_all_ms(&ms, n_returns, path)?
                .into_iter()
                .map(format)
                .collect()),
        }
    }
}

/// Instants in milliseconds since the epoch as days since the epoch, checked as
/// [`parse_all`] checks strings: one per return, each an integer in years 0000–9999
/// ([`from_epoch_ms`]), strictly increasing. `path` is the JSON pointer of the array.
///
/// # Errors
/// `E_INVALID_VALUE`:
/// - at `path` when the count differs from `n_returns`;
/// - at `path/<i>` for a value that is NaN, ±∞, not a whole number of milliseconds or outside
///   years 0000–9999, equal to the one before (duplicate) or earlier than it (unsorted).
pub fn parse_all_ms(ms: &[f64], n_returns: usize, path: &str) -> Result<Vec<f64>, Error> {
    check_count(ms.len(), n_returns, path)?;
    let mut out: Vec<f64> = Vec::with_capacity(ms.len());
    let mut prev = f64::NEG_INFINITY;
    for (i, &t) in ms.iter().enumerate() {
        let Some(d) = from_epoch_ms(t) else {
            return Err(bad_ms(t, format!("{path}/{i}")));
        };
        if t <= prev {
            let (what, help) = if t == prev {
                (
                    "repeats the one before",
                    "timestamps must be strictly increasing, one per return",
                )
            } else {
                ("is earlier than the one before", "sort the series by time")
            };
            return Err(Error::new(
                Code::InvalidValue,
                format!("{path}/{i}"),
                format!(
                    "timestamp {} ms (`{}`) {what}",
                    crate::json::float::Brief(t),
                    format(d)
                ),
            )
            .with_help(help));
        }
        prev = t;
        out.push(d);
    }
    Ok(out)
}

/// The error (`E_INVALID_VALUE` at `at`) for a number that is not an instant
/// [`from_epoch_ms`] reads: not finite, a fraction of a millisecond, or outside the years
/// 0000–9999. Numbers of 10¹⁶ and more are quoted in exponent form (`1e300`, not 301 digits).
pub fn bad_ms(t: f64, at: String) -> Error {
    let quoted = crate::json::float::Brief(t).to_string();
    let why = if !t.is_finite() {
        format!("`{quoted}` is not a timestamp: expected milliseconds since 1970-01-01T00:00:00Z")
    } else if t.fract() != 0.0 {
        format!("`{quoted}` is not a whole number of milliseconds since the epoch")
    } else {
        format!("{quoted} ms since the epoch is outside the years 0000–9999")
    };
    Error::new(Code::InvalidValue, at, why)
        .with_help("give integer milliseconds since 1970-01-01T00:00:00Z, as `Date.getTime()` does")
}

/// `E_INVALID_VALUE` at `path` unless an axis of `len` instants has one per return
/// (`n_returns`); a benchmark's axis (`path` ending in `benchmark_timestamps`) is worded as
/// one per benchmark return.
fn check_count(len: usize, n_returns: usize, path: &str) -> Result<(), Error> {
    if len == n_returns {
        return Ok(());
    }
    let per = if path.ends_with("benchmark_timestamps") {
        "benchmark return"
    } else {
        "return"
    };
    Err(Error::new(
        Code::InvalidValue,
        path,
        format!("expected one timestamp per {per} ({n_returns}), got {len}"),
    ))
}

/// The timestamps as days since the epoch, checked to be one per return and strictly
/// increasing. `path` is the JSON pointer of the array (`/timestamps`,
/// `/submissions/0/timestamps`); element errors point at `path/<i>`.
///
/// # Errors
/// `E_INVALID_VALUE`:
/// - at `path` when the count differs from `n_returns`;
/// - at `path/<i>` for a timestamp that is not RFC 3339 in UTC, equal to the one before
///   (duplicate) or earlier than it (unsorted).
pub fn parse_all(ts: &[String], n_returns: usize, path: &str) -> Result<Vec<f64>, Error> {
    check_count(ts.len(), n_returns, path)?;
    let mut out: Vec<f64> = Vec::with_capacity(ts.len());
    for (i, t) in ts.iter().enumerate() {
        let at = || format!("{path}/{i}");
        let d = parse(t).ok_or_else(|| {
            Error::new(
                Code::InvalidValue,
                at(),
                format!("`{t}` is not an RFC 3339 UTC timestamp"),
            )
            .with_help("write it as `2024-01-31T16:00:00Z`")
        })?;
        match out.last() {
            Some(prev) if d == *prev => {
                return Err(Error::new(
                    Code::InvalidValue,
                    at(),
                    format!("timestamp `{t}` repeats the one before"),
                )
                .with_help("timestamps must be strictly increasing, one per return"));
            }
            Some(prev) if d < *prev => {
                return Err(Error::new(
                    Code::InvalidValue,
                    at(),
                    format!("timestamp `{t}` is earlier than the one before"),
                )
                .with_help("sort the series by time"));
            }
            _ => {}
        }
        out.push(d);
    }
    Ok(out)
}

/// Days since the epoch as RFC 3339 UTC: `YYYY-MM-DDTHH:MM:SSZ`, with `.mmm` when the instant
/// has a sub-second part (rounded to the millisecond). Non-finite input gives `"nan"`.
pub fn format(days: f64) -> String {
    if !days.is_finite() {
        return "nan".to_string();
    }
    format_ms(to_epoch_ms(days) as i64)
}

/// Milliseconds since the epoch as RFC 3339 UTC, as [`format()`] writes days: `.mmm` only when
/// the instant has a sub-second part. Written digit by digit (a million timestamps are
/// formatted when a numeric axis meets an operation that takes strings).
pub fn format_ms(ms_total: i64) -> String {
    let day = ms_total.div_euclid(DAY_MS);
    let ms_of_day = ms_total.rem_euclid(DAY_MS);
    let (y, m, d) = civil_from_days(day);
    let secs = ms_of_day / 1000;
    let ms = ms_of_day % 1000;
    let (h, mi, s) = (secs / 3600, secs / 60 % 60, secs % 60);
    if !(0..=9999).contains(&y) {
        return if ms == 0 {
            format!("{y:04}-{m:02}-{d:02}T{h:02}:{mi:02}:{s:02}Z")
        } else {
            format!("{y:04}-{m:02}-{d:02}T{h:02}:{mi:02}:{s:02}.{ms:03}Z")
        };
    }
    let mut text = *b"0000-00-00T00:00:00.000Z";
    let mut put = |at: usize, width: usize, mut v: i64| {
        for k in (at..at + width).rev() {
            if let Some(c) = text.get_mut(k) {
                *c = b'0' + (v % 10) as u8;
            }
            v /= 10;
        }
    };
    put(0, 4, y);
    put(5, 2, i64::from(m));
    put(8, 2, i64::from(d));
    put(11, 2, h);
    put(14, 2, mi);
    put(17, 2, s);
    let len = if ms == 0 {
        if let Some(c) = text.get_mut(19) {
            *c = b'Z';
        }
        20
    } else {
        put(20, 3, ms);
        24
    };
    // ASCII digits and separators: always UTF-8.
    String::from_utf8_lossy(text.get(..len).unwrap_or_default()).into_owned()
}

/// Days in month `m` (1–12) of year `y` (proleptic Gregorian); 0 for a month outside 1–12.
pub fn days_in_month(y: i64, m: u32) -> u32 {
    match m {
        2 if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        _ => 0,
    }
}

/// Days from 1970-01-01 to the date `y-m-d` (Hinnant's `days_from_civil`); `m` in 1–12.
pub fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let (m, d) = (i64::from(m), i64::from(d));
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The date `(year, month 1–12, day 1–31)` of day `z` since 1970-01-01 (Hinnant's
/// `civil_from_days`).
pub fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

/// ISO weekday of day `z` since the epoch: 1 = Monday … 7 = Sunday (1970-01-01 was a
/// Thursday).
pub fn weekday(z: i64) -> u32 {
    ((z + 3).rem_euclid(7) + 1) as u32
}

/// `days` moved by `months` calendar months, the day of month clamped to the target month's
/// length (2024-05-31 − 3 months = 2024-02-29), the time of day kept: `dateutil`'s
/// `relativedelta(months=…)`.
pub fn add_months(days: f64, months: i64) -> f64 {
    let day = days.floor();
    let tod = days - day;
    let (y, m, d) = civil_from_days(day as i64);
    let total = y * 12 + i64::from(m) - 1 + months;
    let (ny, nm) = (total.div_euclid(12), (total.rem_euclid(12) + 1) as u32);
    let nd = d.min(days_in_month(ny, nm));
    days_from_civil(ny, nm, nd) as f64 + tod
}

/// The frequency of a regular index (see the module's table).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Frequency {
    /// `1m`: one minute.
    Minute,
    /// `1h`: one hour.
    Hour,
    /// `1d`: one calendar day.
    Day,
    /// `1B`: one business day (Monday–Friday).
    BusinessDay,
    /// `1w`: seven days.
    Week,
    /// `1M`: month ends.
    MonthEnd,
}

/// Every frequency name, for messages and schemas.
pub const FREQUENCY_NAMES: &[&str] = &["1m", "1h", "1d", "1B", "1w", "1M"];

impl Frequency {
    /// The frequency named `name` (`1m`, `1h`, `1d`, `1B`, `1w`, `1M`); `None` otherwise.
    pub fn parse(name: &str) -> Option<Frequency> {
        Some(match name {
            "1m" => Frequency::Minute,
            "1h" => Frequency::Hour,
            "1d" => Frequency::Day,
            "1B" => Frequency::BusinessDay,
            "1w" => Frequency::Week,
            "1M" => Frequency::MonthEnd,
            _ => return None,
        })
    }

    /// The wire name.
    pub fn name(self) -> &'static str {
        match self {
            Frequency::Minute => "1m",
            Frequency::Hour => "1h",
            Frequency::Day => "1d",
            Frequency::BusinessDay => "1B",
            Frequency::Week => "1w",
            Frequency::MonthEnd => "1M",
        }
    }

    /// Periods per year used to annualise: 525600, 8760, 365, 252, 52, 12.
    pub fn periods_per_year(self) -> f64 {
        match self {
            Frequency::Minute => 525_600.0,
            Frequency::Hour => 8_760.0,
            Frequency::Day => 365.0,
            Frequency::BusinessDay => 252.0,
            Frequency::Week => 52.0,
            Frequency::MonthEnd => 12.0,
        }
    }
}

/// Why an index's start does not fit its frequency (the caller adds the path).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IndexMisfit {
    /// `1B` starting on a Saturday or Sunday.
    Weekend,
    /// `1M` starting on a day that is not its month's last.
    NotMonthEnd,
    /// The index runs past year 9999.
    OutOfRange,
}

/// `n` timestamps (days since the epoch) of the index starting at `start` with `frequency`.
///
/// # Errors
/// [`IndexMisfit`] when `start` does not fit the frequency or the index runs past
/// 9999-12-31.
pub fn expand(start: f64, frequency: Frequency, n: usize) -> Result<Vec<f64>, IndexMisfit> {
    let day = start.floor();
    let tod = start - day;
    let z = day as i64;
    match frequency {
        Frequency::BusinessDay if weekday(z) > 5 => return Err(IndexMisfit::Weekend),
        Frequency::MonthEnd => {
            let (y, m, d) = civil_from_days(z);
            if d != days_in_month(y, m) {
                return Err(IndexMisfit::NotMonthEnd);
            }
        }
        _ => {}
    }
    let mut out = Vec::with_capacity(n);
    match frequency {
        Frequency::Minute | Frequency::Hour | Frequency::Day | Frequency::Week => {
            let step_seconds: i64 = match frequency {
                Frequency::Minute => 60,
                Frequency::Hour => 3_600,
                Frequency::Day => 86_400,
                _ => 7 * 86_400,
            };
            // Whole seconds from the start's day, so each instant is exact in f64.
            let start_secs = (tod * DAY_SECONDS).round() as i64;
            for i in 0..n as i64 {
                let secs = start_secs + i * step_seconds;
                out.push(
                    z as f64
                        + secs.div_euclid(86_400) as f64
                        + (secs.rem_euclid(86_400) as f64) / DAY_SECONDS,
                );
            }
        }
        Frequency::BusinessDay => {
            let mut d = z;
            for _ in 0..n {
                out.push(d as f64 + tod);
                d += match weekday(d) {
                    5 => 3,
                    6 => 2,
                    _ => 1,
                };
            }
        }
        Frequency::MonthEnd => {
            let (y, m, _) = civil_from_days(z);
            let first = y * 12 + i64::from(m) - 1;
            for k in 0..n as i64 {
                let total = first + k;
                let (ny, nm) = (total.div_euclid(12), (total.rem_euclid(12) + 1) as u32);
                out.push(days_from_civil(ny, nm, days_in_month(ny, nm)) as f64 + tod);
            }
        }
    }
    if out.last().is_some_and(|&last| last >= LAST_DAY) {
        return Err(IndexMisfit::OutOfRange);
    }
    Ok(out)
}

/// The days since the epoch of a series of `n` returns, from `timestamps` or an index
/// `(start, frequency)`; `None`
/// when neither is given. `base` is the JSON pointer of the object holding them (`""` for
/// options, `/submissions/0` in a bundle).
///
/// # Errors
/// `E_INVALID_VALUE`:
/// - at `base` when both `timestamps` and `index` are given;
/// - the errors of [`parse_all`] at `base/timestamps` (count, unparseable, duplicate,
///   unsorted);
/// - at `base/index/start` for a start that is not RFC 3339 UTC or does not fit the frequency
///   (`1B` on a weekend, `1M` not on a month's last day, past year 9999);
/// - at `base/index/frequency` for an unknown frequency.
pub fn axis(
    timestamps: Option<&[String]>,
    index: Option<(&str, &str)>,
    n: usize,
    base: &str,
) -> Result<Option<Vec<f64>>, Error> {
    match (timestamps, index) {
        (Some(_), Some(_)) => Err(both_axes(base)),
        (Some(ts), None) => parse_all(ts, n, &format!("{base}/timestamps")).map(Some),
        (None, Some((start, frequency))) => {
            expand_index(start, frequency, n, base).map(|(d, _)| Some(d))
        }
        (None, None) => Ok(None),
    }
}

/// The error for a holder at `base` given both `timestamps` and an `index`.
pub fn both_axes(base: &str) -> Error {
    Error::new(
        Code::InvalidValue,
        base,
        "give either `timestamps` or `index`, not both",
    )
}

/// The days of an index `{start, frequency}` of `n` periods, and its frequency.
///
/// # Errors
/// As [`axis`] for an index.
pub fn expand_index(
    start: &str,
    frequency: &str,
    n: usize,
    base: &str,
) -> Result<(Vec<f64>, Frequency), Error> {
    let freq = Frequency::parse(frequency).ok_or_else(|| {
        Error::new(
            Code::InvalidValue,
            format!("{base}/index/frequency"),
            format!("unknown frequency `{}`", frequency),
        )
        .with_help(format!("use one of {}", FREQUENCY_NAMES.join(", ")))
    })?;
    let start_path = || format!("{base}/index/start");
    let start_days = parse(start).ok_or_else(|| {
        Error::new(
            Code::InvalidValue,
            start_path(),
            format!("`{}` is not an RFC 3339 UTC timestamp", start),
        )
        .with_help("write it as `2024-01-31T16:00:00Z`")
    })?;
    let days = expand(start_days, freq, n).map_err(|why| {
        let msg = match why {
            IndexMisfit::Weekend => format!(
                "a business-day index (`1B`) cannot start on a weekend, got `{}`",
                start
            ),
            IndexMisfit::NotMonthEnd => format!(
                "a month-end index (`1M`) must start on the last day of a month, got `{}`",
                start
            ),
            IndexMisfit::OutOfRange => {
                format!(
                    "{n} periods of `{}` from `{}` run past year 9999",
                    frequency, start
                )
            }
        };
        Error::new(Code::InvalidValue, start_path(), msg)
    })?;
    Ok((days, freq))
}

/// 10000-01-01 in days since the epoch: the first day [`parse`] cannot read.
const LAST_DAY: f64 = 2_932_897.0;

/// Periods per year inferred from the median spacing of increasing timestamps (see the
/// module's table); `None` for fewer than two timestamps or a spacing in no class.
pub fn infer_periods_per_year(days: &[f64]) -> Option<f64> {
    if days.len() < 2 {
        return None;
    }
    let mut gaps: Vec<f64> = days
        .windows(2)
        .filter_map(|w| Some(w.get(1)? - w.first()?))
        .collect();
    // The median by selection, O(n) (a million timestamps are a minute-level year): the same
    // order statistics a sort gives, so the same value.
    let (mid, odd) = (gaps.len() / 2, gaps.len() % 2 == 1);
    let (below, at, _) = gaps.select_nth_unstable_by(mid, f64::total_cmp);
    let upper = *at;
    let median = if odd {
        upper
    } else {
        let lower = below.iter().copied().max_by(f64::total_cmp)?;
        (lower + upper) / 2.0
    };
    let near = |target: f64| (median - target).abs() <= target * 0.1;
    if near(1.0 / 1440.0) {
        Some(525_600.0)
    } else if near(1.0 / 24.0) {
        Some(8_760.0)
    } else if near(1.0) {
        let weekend = days.iter().any(|d| weekday(d.floor() as i64) > 5);
        Some(if weekend { 365.0 } else { 252.0 })
    } else if (6.0..=8.0).contains(&median) {
        Some(52.0)
    } else if (28.0..=31.0).contains(&median) {
        Some(12.0)
    } else if (89.0..=92.0).contains(&median) {
        Some(4.0)
    } else if (365.0..=366.0).contains(&median) {
        Some(1.0)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]
    use super::*;

    #[test]
    fn parses_utc_forms_and_rejects_the_rest() {
        assert_eq!(parse("1970-01-01T00:00:00Z"), Some(0.0));
        assert_eq!(parse("2000-03-01T00:00:00Z"), Some(11_017.0));
        assert_eq!(parse("2024-02-29T12:00:00+00:00"), Some(19_782.5));
        assert_eq!(parse("1970-01-02T06:00:00.5Z"), Some(1.25 + 0.5 / 86_400.0));
        for bad in [
            "2023-02-29T00:00:00Z",
            "2024-01-01T00:00:00",
            "2024-01-01T00:00:00+01:00",
            "2024-1-01T00:00:00Z",
            "2024-01-01 00:00:00Z",
            "2024-01-01T24:00:00Z",
            "2024-01-01T00:00:00.Z",
            "2024-13-01T00:00:00Z",
            "",
        ] {
            assert_eq!(parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn civil_round_trips_over_four_centuries() {
        for z in (-146_097 * 2..146_097 * 2).step_by(13) {
            let (y, m, d) = civil_from_days(z);
            assert_eq!(days_from_civil(y, m, d), z);
            assert!(d >= 1 && d <= days_in_month(y, m));
        }
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(civil_from_days(-1), (1969, 12, 31));
        assert_eq!(weekday(0), 4);
        assert_eq!(
            format(parse("2024-12-31T23:59:59.25Z").unwrap()),
            "2024-12-31T23:59:59.250Z"
        );
    }

    #[test]
    fn count_order_and_duplicates_are_checked() {
        let ts = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        let two = ts(&["2024-01-02T00:00:00Z", "2024-01-01T00:00:00Z"]);
        assert_eq!(
            parse_all(&two, 3, "/timestamps").unwrap_err().path,
            "/timestamps"
        );
        let e = parse_all(&two, 2, "/timestamps").unwrap_err();
        assert_eq!(
            (e.path.as_str(), e.message.contains("earlier")),
            ("/timestamps/1", true)
        );
        let dup = ts(&["2024-01-01T00:00:00Z", "2024-01-01T00:00:00+00:00"]);
        let e = parse_all(&dup, 2, "/x").unwrap_err();
        assert_eq!(
            (e.path.as_str(), e.message.contains("repeats")),
            ("/x/1", true)
        );
    }

    #[test]
    fn epoch_ms_read_to_the_bit_as_their_strings() {
        // Every millisecond of a day's boundaries, odd instants, the range's ends.
        let mut cases = vec![0.0, -1.0, 1.0, 999.0, 86_399_999.0, FIRST_MS, END_MS - 1.0];
        cases.extend((0..2_000).map(|k| 1_709_208_000_000.0 + f64::from(k) * 60_013.0 + 7.0));
        cases.extend((0..500).map(|k| -2_208_988_800_000.0 - f64::from(k) * 86_400_001.0));
        for ms in cases {
            let d = from_epoch_ms(ms).unwrap();
            let text = format_ms(ms as i64);
            assert_eq!(
                parse(&text).map(f64::to_bits),
                Some(d.to_bits()),
                "{ms} {text}"
            );
            assert_eq!(format(d), text);
            assert_eq!(to_epoch_ms(d), ms);
        }
        assert_eq!(format_ms(0), "1970-01-01T00:00:00Z");
        assert_eq!(format_ms(-1), "1969-12-31T23:59:59.999Z");
        assert_eq!(format_ms(FIRST_MS as i64), "0000-01-01T00:00:00Z");
        assert_eq!(format_ms(END_MS as i64 - 1), "9999-12-31T23:59:59.999Z");
        assert_eq!(format_ms(END_MS as i64), "10000-01-01T00:00:00Z");
        for bad in [f64::NAN, f64::INFINITY, 0.5, END_MS, FIRST_MS - 1.0, 1e300] {
            assert_eq!(from_epoch_ms(bad), None, "{bad}");
        }
    }

    #[test]
    fn epoch_ms_axes_are_checked_with_paths() {
        let e = |ms: &[f64], n: usize| parse_all_ms(ms, n, "/timestamps").unwrap_err();
        let at = |ms: &[f64]| {
            let e = e(ms, ms.len());
            (
                e.code.as_str().to_string(),
                e.path.clone(),
                e.message.clone(),
            )
        };
        assert_eq!(e(&[0.0], 2).path, "/timestamps");
        assert_eq!(
            e(&[0.0], 2).message,
            "expected one timestamp per return (2), got 1"
        );
        let bench = parse_all(&[], 3, "/report/benchmark_timestamps").unwrap_err();
        assert_eq!(
            bench.message,
            "expected one timestamp per benchmark return (3), got 0"
        );
        assert!(at(&[0.0, f64::NAN]).2.contains("not a timestamp"));
        // A huge number is quoted in exponent form, not as hundreds of digits.
        assert_eq!(
            at(&[0.0, 1e300]).2,
            "1e300 ms since the epoch is outside the years 0000–9999"
        );
        assert_eq!(at(&[0.0, f64::NAN]).1, "/timestamps/1");
        assert!(at(&[0.5]).2.contains("whole number"));
        assert!(at(&[0.0, END_MS]).2.contains("0000–9999"));
        let (code, path, msg) = at(&[60_000.0, 0.0]);
        assert_eq!(
            (code.as_str(), path.as_str()),
            ("E_INVALID_VALUE", "/timestamps/1")
        );
        assert!(
            msg.contains("earlier") && msg.contains("1970-01-01T00:00:00Z"),
            "{msg}"
        );
        assert!(at(&[0.0, 0.0]).2.contains("repeats"));
        let days = parse_all_ms(&[0.0, 43_200_000.0], 2, "/t").unwrap();
        assert_eq!(days, vec![0.0, 0.5]);
        let s = Stamps::EpochMs(vec![0.0, 1.0])
            .into_rfc3339(2, "/t")
            .unwrap();
        assert_eq!(s, ["1970-01-01T00:00:00Z", "1970-01-01T00:00:00.001Z"]);
        assert_eq!(
            Stamps::Rfc3339(s.clone()).days(2, "/t").unwrap(),
            Stamps::EpochMs(vec![0.0, 1.0]).days(2, "/t").unwrap()
        );
    }

    #[test]
    fn periods_per_year_from_the_median_spacing() {
        let day = |k: f64| 19_723.0 + k; // Monday 2024-01-01 + k days
        // gaps 1, 1, 7, 30: median (1 + 7) / 2 = 4 → no class; gaps 1, 1, 1, 27 (to Wednesday 01-31) → business days
        assert_eq!(
            infer_periods_per_year(&[day(0.0), day(1.0), day(2.0), day(9.0), day(39.0)]),
            None
        );
        assert_eq!(
            infer_periods_per_year(&[day(0.0), day(1.0), day(2.0), day(3.0), day(30.0)]),
            Some(252.0)
        );
        // odd count of gaps: the middle one
        assert_eq!(
            infer_periods_per_year(&[day(0.0), day(7.0), day(14.0), day(15.0)]),
            Some(52.0)
        );
        let minutes: Vec<f64> = (0..1000).map(|k| day(f64::from(k) / 1440.0)).collect();
        assert_eq!(infer_periods_per_year(&minutes), Some(525_600.0));
        assert_eq!(infer_periods_per_year(&[day(0.0)]), None);
    }

    #[test]
    fn month_arithmetic_clamps_like_relativedelta() {
        let d = parse("2024-05-31T00:00:00Z").unwrap();
        assert_eq!(format(add_months(d, -3)), "2024-02-29T00:00:00Z");
        assert_eq!(format(add_months(d, -15)), "2023-02-28T00:00:00Z");
        assert_eq!(format(add_months(d, 8)), "2025-01-31T00:00:00Z");
    }
}
