//! Decoding wire documents into typed structs with errors that carry a JSON pointer.
//!
//! `serde_json` reports only a line and column; here every failure becomes an [`Error`] whose
//! `path` points at the offending field (for an unknown field, at the field itself), with a
//! "did you mean" help where the field is a near miss of a known one.

use crate::error::{Code, Error, pointer_join};
use serde::de::DeserializeOwned;

/// Parses JSON bytes into `T`.
///
/// # Errors
/// `E_PARSE` when the bytes are not JSON (the message gives line and column), `E_SCHEMA` when
/// the JSON does not have `T`'s shape (the path names the field).
pub fn from_slice<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, Error> {
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let value = serde_path_to_error::deserialize(&mut de).map_err(|e| convert(&e))?;
    de.end().map_err(|e| {
        Error::new(Code::Parse, "", lower(&e.to_string())).with_help("remove the trailing data")
    })?;
    Ok(value)
}

/// Converts an already-parsed JSON value into `T`.
///
/// The value is written as JSON text and decoded by the same reader as [`from_slice`]: one
/// deserializer backend (each wire type's decoder compiled once, not once per input form) keeps
/// the wasm small. The text is well-formed by construction and a `Value` holds no repeated keys,
/// so the outcome, paths and messages are those of decoding the value itself; the reader's depth
/// limit is lifted because the value is already in memory (as `Value`'s own decoder has none).
///
/// # Errors
/// `E_SCHEMA` with the path of the offending field.
pub fn from_value<T: DeserializeOwned>(value: &serde_json::Value) -> Result<T, Error> {
    let text = serde_json::to_vec(value).map_err(|e| {
        Error::new(
            Code::Internal,
            "",
            format!("cannot write a JSON value: {e}"),
        )
    })?;
    let mut de = serde_json::Deserializer::from_slice(&text);
    de.disable_recursion_limit();
    serde_path_to_error::deserialize(&mut de).map_err(|e| convert(&e))
}

fn convert(e: &serde_path_to_error::Error<serde_json::Error>) -> Error {
    let inner = e.inner();
    let mut path = String::new();
    for seg in e.path().iter() {
        match seg {
            serde_path_to_error::Segment::Seq { index } => path = pointer_join(&path, index),
            serde_path_to_error::Segment::Map { key } => path = pointer_join(&path, key),
            serde_path_to_error::Segment::Enum { variant } => path = pointer_join(&path, variant),
            serde_path_to_error::Segment::Unknown => {}
        }
    }
    let raw = inner.to_string();
    let message = match raw.rfind(" at line ") {
        Some(cut) if inner.line() > 0 => raw.get(..cut).unwrap_or(&raw).to_string(),
        _ => raw.clone(),
    };
    let code = if inner.is_syntax() || inner.is_eof() || inner.is_io() {
        Code::Parse
    } else {
        Code::Schema
    };
    let mut err = Error::new(code, path, lower(&message));
    if inner.line() > 0 && code == Code::Parse {
        err.message = format!(
            "{} (line {}, column {})",
            err.message,
            inner.line(),
            inner.column()
        );
    }
    if let Some(field) = between_backticks(&message, "unknown field `") {
        let tail = format!("/{}", crate::error::pointer_token(field));
        if !err.path.ends_with(&tail) {
            err.path = pointer_join(&err.path, field);
        }
        let expected = expected_names(&message);
        if let Some(s) = crate::suggest::closest(field, expected.iter().map(String::as_str)) {
            err.help = Some(format!("did you mean `{s}`?"));
        }
    }
    err
}

fn lower(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_lowercase().chain(c).collect(),
        None => String::new(),
    }
}

fn between_backticks<'a>(msg: &'a str, prefix: &str) -> Option<&'a str> {
    let rest = msg.strip_prefix(prefix)?;
    rest.split('`').next()
}

/// The names in serde's "expected one of `a`, `b`" tail.
fn expected_names(msg: &str) -> Vec<String> {
    msg.split_once("expected")
        .map(|(_, tail)| {
            tail.split('`')
                .skip(1)
                .step_by(2)
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::Snapshot;

    #[test]
    fn unknown_field_points_at_the_field_with_a_suggestion() {
        let doc = br#"{"snapshot_id":"a","world_id":"w","strategy_id":"s","run_id":"r",
            "created_at":"2025-01-01T00:00:00Z","metrics":{"returns":{"sample_count":1,"sharpee":1}}}"#;
        let err = from_slice::<Snapshot>(doc).unwrap_err();
        assert_eq!(err.code, Code::Schema);
        assert_eq!(err.path, "/metrics/returns/sharpee");
        assert_eq!(err.help.as_deref(), Some("did you mean `sharpe`?"));
    }

    #[test]
    fn wrong_type_and_syntax_errors() {
        let err = from_slice::<Snapshot>(br#"{"snapshot_id": 5}"#).unwrap_err();
        assert_eq!(
            (err.code, err.path.as_str()),
            (Code::Schema, "/snapshot_id")
        );
        let err = from_slice::<Snapshot>(br#"{"snapshot_id": "#).unwrap_err();
        assert_eq!(err.code, Code::Parse);
        let err = from_slice::<Snapshot>(b"").unwrap_err();
        assert_eq!(err.code, Code::Parse);
    }
}
