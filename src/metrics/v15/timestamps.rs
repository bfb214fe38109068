//! RFC 3339 UTC timestamps (`2024-01-31T00:00:00Z`, optional fraction, `Z` or `+00:00`) as
//! days since the Unix epoch, for the `strict` profile's calendar time under water.

use crate::error::{Code, Error};

/// The timestamps as days since 1970-01-01T00:00:00Z, checked to be one per return and
/// strictly increasing.
///
/// # Errors
/// - `E_INVALID_VALUE` at `/timestamps` when the count differs from the returns';
/// - `E_INVALID_VALUE` at `/timestamps/<i>` for a timestamp that is not RFC 3339 in UTC or is
///   not later than the one before.
pub(crate) fn parse_all(ts: &[String], n_returns: usize) -> Result<Vec<f64>, Error> {
    if ts.len() != n_returns {
        return Err(Error::new(
            Code::InvalidValue,
            "/timestamps",
            format!(
                "expected one timestamp per return ({n_returns}), got {}",
                ts.len()
            ),
        ));
    }
    let mut out: Vec<f64> = Vec::with_capacity(ts.len());
    for (i, t) in ts.iter().enumerate() {
        let path = format!("/timestamps/{i}");
        let d = parse(t).ok_or_else(|| {
            Error::new(
                Code::InvalidValue,
                path.as_str(),
                format!("`{t}` is not an RFC 3339 UTC timestamp"),
            )
            .with_help("write it as `2024-01-31T16:00:00Z`")
        })?;
        if out.last().is_some_and(|prev| d <= *prev) {
            return Err(Error::new(
                Code::InvalidValue,
                path.as_str(),
                format!("timestamp `{t}` is not later than the one before"),
            ));
        }
        out.push(d);
    }
    Ok(out)
}

/// One timestamp as (fractional) days since the epoch; `None` when malformed.
pub(crate) fn parse(t: &str) -> Option<f64> {
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
    let num = |r: std::ops::Range<usize>| -> Option<i64> {
        let s = body.get(r)?;
        s.bytes()
            .all(|c| c.is_ascii_digit())
            .then(|| s.parse().ok())?
    };
    let (y, mo, d) = (num(0..4)?, num(5..7)?, num(8..10)?);
    let (h, mi, s) = (num(11..13)?, num(14..16)?, num(17..19)?);
    let frac = match body.get(19..)? {
        "" => 0.0,
        f if f
            .strip_prefix('.')
            .is_some_and(|d| !d.is_empty() && d.bytes().all(|c| c.is_ascii_digit())) =>
        {
            format!("0{f}").parse::<f64>().ok()?
        }
        _ => return None,
    };
    if !(1..=12).contains(&mo) || d < 1 || d > days_in_month(y, mo) || h > 23 || mi > 59 || s > 59 {
        return None;
    }
    let secs = (h * 3600 + mi * 60 + s) as f64 + frac;
    Some(days_from_civil(y, mo, d) as f64 + secs / 86_400.0)
}

fn days_in_month(y: i64, m: i64) -> i64 {
    match m {
        2 if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days from 1970-01-01 to the proleptic Gregorian date (Hinnant's `days_from_civil`).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

#[cfg(test)]
mod tests {
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
        ] {
            assert_eq!(parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn count_and_order_are_checked() {
        let ts = [
            "2024-01-02T00:00:00Z".to_string(),
            "2024-01-01T00:00:00Z".to_string(),
        ];
        assert_eq!(parse_all(&ts, 3).unwrap_err().path, "/timestamps");
        assert_eq!(parse_all(&ts, 2).unwrap_err().path, "/timestamps/1");
    }
}
