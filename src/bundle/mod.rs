//! Uploaded evaluation bundles: strict reading with limits, sanitizing, canonical JSON and
//! digests, the gate, and diffs of snapshots.
//!
//! [`read_bundle`] is the validating entry point: bytes → [`Bundle`] or every error found.

pub mod diff;
pub mod gate;
pub mod sanitize;

pub use crate::json::{Limits, Series};

use crate::error::{Code, Error};
use crate::json::{SeriesSpec, parse_with_series};
use crate::schema::{Bundle, Validation, check_bundle, from_value};
use serde_json::Value;

/// A bundle's numeric series: `/submissions/<i>/{returns,equity,pnl}`, read straight into
/// floats by [`parse_bundle`].
pub const BUNDLE_SERIES: SeriesSpec = SeriesSpec {
    array: "submissions",
    fields: &["returns", "equity", "pnl"],
};

/// Which series of a submission a [`Series`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SeriesField {
    /// `returns`.
    Returns,
    /// `equity`.
    Equity,
    /// `pnl`.
    Pnl,
}

impl SeriesField {
    /// The field of `series` (an index into [`BUNDLE_SERIES`]'s fields).
    pub fn of(series: &Series) -> Option<Self> {
        match series.field {
            0 => Some(SeriesField::Returns),
            1 => Some(SeriesField::Equity),
            2 => Some(SeriesField::Pnl),
            _ => None,
        }
    }
}

/// Parses a bundle's bytes under `limits`, its series ([`BUNDLE_SERIES`]) read beside the tree
/// ([`parse_with_series`]).
///
/// # Errors
/// The reader's: `E_PARSE`, `E_TOO_LARGE`, `E_DUPLICATE_KEY`, `E_NOT_FINITE`, and `E_SCHEMA`
/// for a series element that is not a number or a non-finite string.
pub fn parse_bundle(bytes: &[u8], limits: &Limits) -> Result<(Value, Vec<Series>), Error> {
    parse_with_series(bytes, limits, &BUNDLE_SERIES)
}

/// `sha256:<hex>` of the canonical JSON of a bundle read by [`parse_bundle`].
pub fn bundle_digest(value: &Value, series: &[Series]) -> String {
    crate::digest::digest_with_series(value, &BUNDLE_SERIES, series)
}

/// The canonical JSON text of a bundle read by [`parse_bundle`].
pub fn bundle_canonical_text(value: &Value, series: &[Series]) -> String {
    crate::json::canonical::canonical_with_series(value, &BUNDLE_SERIES, series)
}

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
    let mut bundle: Bundle = from_value(&value).map_err(|e| shape_errors(&value, e))?;
    fill_series(&mut bundle, series);
    let mut errors = check_bundle(&bundle, limits);
    // The secret check re-checks each id's shape: an id `check_bundle` refused is reported once.
    for e in secret_ids(&bundle) {
        if !errors.contains(&e) {
            errors.push(e);
        }
    }
    if errors.is_empty() {
        Ok(bundle)
    } else {
        Err(errors)
    }
}

/// [`crate::schema::check_id`], and `E_ID_INVALID` for an id shaped like a secret: ids are
/// stored, served and written into URLs and file names as given, so a secret in one would leak
/// (the message names the kind, never the id).
///
/// # Errors
/// `E_ID_INVALID` at `path`.
pub fn check_id(id: &str, path: &str) -> Result<(), Error> {
    crate::schema::check_id(id, path)?;
    match sanitize::sanitize_field(id, path).redactions.first() {
        None => Ok(()),
        Some(r) => Err(Error::new(
            Code::IdInvalid,
            path,
            format!(
                "the id looks like a secret ({}): ids are stored and served as given",
                r.kind.as_str()
            ),
        )
        .with_help("use an id that is not a credential")),
    }
}

/// Every shape error of a bundle whose decoding failed with `first`: the decoder stops at the
/// first, so each submission is decoded on its own, then the bundle without its submissions.
fn shape_errors(value: &Value, first: Error) -> Vec<Error> {
    let mut errors = Vec::new();
    if let Some(subs) = value.get("submissions").and_then(Value::as_array) {
        for (i, sub) in subs.iter().enumerate() {
            if let Err(e) = from_value::<crate::schema::Submission>(sub) {
                errors.push(e.within(&format!("/submissions/{i}")));
            }
        }
        if let Value::Object(m) = value {
            let mut top = m.clone();
            top.insert("submissions".into(), Value::Array(Vec::new()));
            if let Err(e) = from_value::<Bundle>(&Value::Object(top)) {
                errors.insert(0, e);
            }
        }
    }
    if errors.is_empty() {
        errors.push(first);
    }
    errors
}

/// [`check_id`]'s secret check on every id of a bundle that passed [`check_bundle`].
pub(crate) fn secret_ids(bundle: &Bundle) -> Vec<Error> {
    let mut ids = vec![(bundle.world_id.as_str(), "/world_id".to_string())];
    for (i, s) in bundle.submissions.iter().enumerate() {
        ids.push((
            s.strategy_id.as_str(),
            format!("/submissions/{i}/strategy_id"),
        ));
        if let Some(run) = &s.run_id {
            ids.push((run.as_str(), format!("/submissions/{i}/run_id")));
        }
    }
    ids.into_iter()
        .filter_map(|(id, path)| check_id(id, &path).err())
        .collect()
}

/// Puts series read by [`parse_bundle`] into the decoded bundle.
pub fn fill_series(bundle: &mut Bundle, series: Vec<Series>) {
    for s in series {
        if let (Some(sub), Some(field)) = (bundle.submissions.get_mut(s.item), SeriesField::of(&s))
        {
            let slot = match field {
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
pub(crate) fn check_submission_count(value: &Value, limits: &Limits) -> Result<(), Vec<Error>> {
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
