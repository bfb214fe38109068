//! Validation reports: `{ok, errors}` for a document, never an exception.

use super::{Snapshot, from_slice};
use crate::Error;
use crate::json::fields::table_struct;
use serde::Serialize;

/// The outcome of validating a document: `ok` is `errors.is_empty()`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(not(target_arch = "wasm32"), derive(schemars::JsonSchema, ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct Validation {
    /// `true` when there are no errors.
    pub ok: bool,
    /// Every problem found, each with code, message and JSON-pointer path.
    pub errors: Vec<Error>,
}

impl Validation {
    /// A report with one error.
    pub fn failed(error: Error) -> Self {
        Validation {
            ok: false,
            errors: vec![error],
        }
    }

    /// The report for a result.
    pub fn of<T>(result: Result<T, Error>) -> Self {
        match result {
            Ok(_) => Validation {
                ok: true,
                errors: Vec::new(),
            },
            Err(e) => Self::failed(e),
        }
    }
}

/// Validates the bytes of a snapshot envelope (seed §3.3).
///
/// # Errors
/// Reported in the returned value, never raised: `E_PARSE` for text that is not JSON,
/// `E_SCHEMA` for a wrong shape (unknown field, wrong type, missing field), with the path;
/// `E_INVALID_VALUE` at `/series_heads/timestamps[/<i>]` for head timestamps that are not
/// RFC 3339 UTC, not strictly increasing, or (with a returns head) not one per return.
pub fn validate_snapshot(bytes: &[u8]) -> Validation {
    Validation::of(from_slice::<Snapshot>(bytes).and_then(|s| {
        let heads = &s.series_heads;
        if heads.timestamps.is_empty() {
            return Ok(s);
        }
        let n = match heads.returns.len() {
            0 => heads.timestamps.len(),
            n => n,
        };
        crate::time::parse_all(&heads.timestamps, n, "/series_heads/timestamps").map(|_| s)
    }))
}

// Decoders from field tables (`crate::json::fields`); same messages and paths as derived ones.
table_struct!(Validation { ok, errors } required [ok, errors]);
