//! Uploaded evaluation bundles: strict reading with limits, sanitizing, canonical JSON and
//! digests, the gate, and diffs of snapshots.
//!
//! [`read_bundle`] is the validating entry point: bytes → [`Bundle`] or every error found.

pub mod canonical;
mod canonical_text;
mod decimal;
pub mod diff;
pub mod digest;
pub mod gate;
pub mod json;
pub mod sanitize;
pub mod sha256;

pub use json::{Limits, Series, SeriesField, parse, parse_bundle};

use crate::error::{Code, Error};
use crate::schema::{Bundle, Validation, check_bundle, from_value};

/// Reads and validates a bundle from raw bytes.
///
/// Steps: [`parse_bundle`] under `limits` (syntax, duplicates, non-finite literals, sizes) → the
/// submission count → decoding into [`Bundle`] (shape) → [`check_bundle`] (version, ids, series).
///
/// # Errors
/// The first step that fails gives its errors: one for the reader and the decoder (`E_PARSE`,
/// `E_TOO_LARGE`, `E_DUPLICATE_KEY`, `E_NOT_FINITE`, `E_SCHEMA`), all of them for
/// [`check_bundle`]. Messages and paths are sanitized ([`sanitize::sanitize_errors`]).
pub fn read_bundle(bytes: &[u8], limits: &Limits) -> Result<Bundle, Vec<Error>> {
    // Errors quote input (keys, values): sanitized as the gate's are.
    read_bundle_unsanitized(bytes, limits).map_err(|mut errors| {
        sanitize::sanitize_errors(&mut errors);
        errors
    })
}

fn read_bundle_unsanitized(bytes: &[u8], limits: &Limits) -> Result<Bundle, Vec<Error>> {
    let (value, series) = parse_bundle(bytes, limits).map_err(|e| vec![e])?;
    check_submission_count(&value, limits)?;
    let mut bundle: Bundle = from_value(&value).map_err(|e| vec![e])?;
    fill_series(&mut bundle, series);
    let errors = check_bundle(&bundle, limits);
    if errors.is_empty() {
        Ok(bundle)
    } else {
        Err(errors)
    }
}

/// Puts series read by [`parse_bundle`] into the decoded bundle.
pub fn fill_series(bundle: &mut Bundle, series: Vec<Series>) {
    for s in series {
        if let Some(sub) = bundle.submissions.get_mut(s.submission) {
            let slot = match s.field {
                SeriesField::Returns => &mut sub.returns,
                SeriesField::Equity => &mut sub.equity,
                SeriesField::Pnl => &mut sub.pnl,
            };
            *slot = Some(s.values);
        }
    }
}

/// `E_TOO_LARGE` when the parsed document has more submissions than allowed (checked before
/// decoding them).
pub(crate) fn check_submission_count(
    value: &serde_json::Value,
    limits: &Limits,
) -> Result<(), Vec<Error>> {
    if let Some(subs) = value.get("submissions").and_then(|s| s.as_array())
        && subs.len() as u64 > u64::from(limits.max_submissions)
    {
        return Err(vec![Error::new(
            Code::TooLarge,
            "/submissions",
            format!(
                "{} submissions, more than the limit of {}",
                subs.len(),
                limits.max_submissions
            ),
        )]);
    }
    Ok(())
}

/// [`read_bundle`] as a `{ok, errors}` report.
pub fn validate_bundle(bytes: &[u8], limits: &Limits) -> Validation {
    match read_bundle(bytes, limits) {
        Ok(_) => Validation {
            ok: true,
            errors: Vec::new(),
        },
        Err(errors) => Validation { ok: false, errors },
    }
}
