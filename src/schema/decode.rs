//! Decoding wire documents into typed structs with errors that carry a JSON pointer.
//!
//! `serde_json` reports only a line and column; here every failure becomes an [`Error`] whose
//! `path` points at the offending field (for an unknown field, at the field itself), with a
//! "did you mean" help where the field is a near miss of a known one.

use crate::error::{Code, Error, pointer_join};
use crate::json::value_de::{self, DeError, ParseError};
use serde::de::DeserializeOwned;

/// Parses JSON bytes into `T`.
///
/// # Errors
/// `E_PARSE` when the bytes are not exactly one JSON value (the message gives line and
/// column), `E_DUPLICATE_KEY` at the second of two equal keys in one object, `E_SCHEMA` when
/// the JSON does not have `T`'s shape (the path names the field).
pub fn from_slice<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, Error> {
    let value = value_de::parse_strict(bytes).map_err(|e| match e {
        ParseError::Syntax(e) => syntax(&e),
        ParseError::DuplicateKey(path, key) => {
            Error::new(Code::DuplicateKey, path, format!("duplicate key `{key}`"))
                .with_help("each key may appear once per object")
        }
    })?;
    from_value(&value)
}

/// Converts an already-parsed JSON value into `T`.
///
/// # Errors
/// `E_SCHEMA` with the path of the offending field.
pub fn from_value<T: DeserializeOwned>(value: &serde_json::Value) -> Result<T, Error> {
    value_de::decode(value).map_err(|e| convert(&e))
}

/// A syntax error (or trailing data) as `E_PARSE`, with serde_json's line and column.
fn syntax(e: &serde_json::Error) -> Error {
    let raw = e.to_string();
    if raw.starts_with("trailing characters") {
        return Error::new(Code::Parse, "", lower(&raw)).with_help("remove the trailing data");
    }
    let message = match raw.rfind(" at line ") {
        Some(cut) if e.line() > 0 => raw.get(..cut).unwrap_or(&raw).to_string(),
        _ => raw.clone(),
    };
    let mut err = Error::new(Code::Parse, "", lower(&message));
    if e.line() > 0 {
        err.message = format!("{} (line {}, column {})", err.message, e.line(), e.column());
    }
    err
}

fn convert(e: &DeError) -> Error {
    let message = in_user_terms(e.message());
    let mut err = Error::new(Code::Schema, e.pointer(), lower(&message));
    // "unknown field `x`, expected …" (the path then names `x`) or "unknown value `x`, …"
    if let Some((kind, rest)) = message
        .strip_prefix("unknown ")
        .and_then(|r| r.split_once(" `"))
    {
        let name = rest.split('`').next().unwrap_or_default();
        let tail = format!("/{}", crate::error::pointer_token(name));
        if kind == "field" && !err.path.ends_with(&tail) {
            err.path = pointer_join(&err.path, name);
        }
        let expected = expected_names(&message);
        if let Some(s) = crate::suggest::closest(name, expected.iter().map(String::as_str)) {
            err.help = Some(format!("did you mean `{s}`?"));
        }
    }
    err
}

/// Rewrites serde's shape messages in the terms of a JSON document's author: Rust type names
/// (`u32`, `f64`, `struct Bundle with 7 elements`, `a sequence`, `a map`) become JSON kinds and
/// ranges ("a whole number from 0 to 4294967295", "an object", "an array"), and "invalid type: X,
/// expected Y" becomes "expected Y, found X". A struct read from an array (serde's "invalid length
/// 0, expected struct Bundle with 7 elements") is "expected an object, found an array". Messages
/// of other forms (missing or unknown fields and values, the engine's own) are kept.
fn in_user_terms(message: &str) -> String {
    let split = |rest: &str| -> Option<(String, String)> {
        let (found, expected) = rest.rsplit_once(", expected ")?;
        Some((found.to_string(), expected.to_string()))
    };
    if let Some((found, expected)) = message
        .strip_prefix("invalid type: ")
        .or_else(|| message.strip_prefix("invalid value: "))
        .and_then(split)
    {
        return format!(
            "expected {}, found {}",
            expected_kind(&expected),
            found_kind(&found)
        );
    }
    if let Some((len, expected)) = message.strip_prefix("invalid length ").and_then(split) {
        let kind = expected_kind(&expected);
        if kind == "an object" {
            return "expected an object, found an array".to_string();
        }
        let items = if len == "1" { "item" } else { "items" };
        return format!("expected {kind}, found {len} {items}");
    }
    message.to_string()
}

/// serde's description of what was wanted, as a JSON kind.
fn expected_kind(expected: &str) -> String {
    let e = expected.trim();
    let unsigned = |max: &str| format!("a whole number from 0 to {max}");
    match e {
        "u8" => return unsigned("255"),
        "u16" => return unsigned("65535"),
        "u32" => return unsigned("4294967295"),
        "u64" | "usize" | "u128" => return unsigned("18446744073709551615"),
        "i8" | "i16" | "i32" | "i64" | "isize" | "i128" => return "a whole number".to_string(),
        "f32" | "f64" => return "a number".to_string(),
        "a boolean" | "bool" => return "`true` or `false`".to_string(),
        "a string" | "a borrowed string" | "string" | "a char" | "char" => {
            return "a string".to_string();
        }
        "unit" => return "null".to_string(),
        "a map" | "map" => return "an object".to_string(),
        "a sequence" | "sequence" | "an array" => return "an array".to_string(),
        _ => {}
    }
    if e.starts_with("struct ") {
        return "an object".to_string();
    }
    if e.starts_with("tuple") || e.starts_with("an array of length") {
        return "an array".to_string();
    }
    if e.starts_with("enum ") || e == "variant identifier" {
        return "one of the documented values".to_string();
    }
    e.to_string()
}

/// serde's description of what was found, in JSON terms (input quoted in backticks).
fn found_kind(found: &str) -> String {
    let f = found.trim();
    for prefix in ["integer ", "floating point ", "boolean "] {
        if let Some(v) = f.strip_prefix(prefix) {
            return v.to_string();
        }
    }
    if let Some(v) = f.strip_prefix("string ") {
        let inner = v.trim_matches('"');
        let short: String = inner.chars().take(40).collect();
        let more = if short.len() < inner.len() { "…" } else { "" };
        return format!("the string `{short}{more}`");
    }
    match f {
        "unit value" | "null" | "unit" => "null".to_string(),
        "sequence" => "an array".to_string(),
        "map" => "an object".to_string(),
        _ => f.to_string(),
    }
}

fn lower(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => std::iter::once(f.to_ascii_lowercase()).chain(c).collect(),
        None => String::new(),
    }
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
    fn an_unknown_enum_name_is_an_unknown_value_with_a_suggestion() {
        #[derive(Debug, serde::Deserialize)]
        #[serde(rename_all = "snake_case")]
        enum Mode {
            Fast,
            Slow,
            Exact,
        }
        #[derive(Debug, serde::Deserialize)]
        #[allow(dead_code)]
        struct Doc {
            mode: Mode,
            pair: Option<Pair>,
        }
        #[derive(Debug, serde::Deserialize)]
        enum Pair {
            Left,
            Right,
        }
        let err = from_slice::<Doc>(br#"{"mode":"fasst"}"#).unwrap_err();
        assert_eq!(err.code, Code::Schema);
        assert_eq!(err.path, "/mode");
        assert_eq!(
            err.message,
            "unknown value `fasst`, expected one of `fast`, `slow`, `exact`"
        );
        assert_eq!(err.help.as_deref(), Some("did you mean `fast`?"));
        let err = from_slice::<Doc>(br#"{"mode":"slow","pair":"Righ"}"#).unwrap_err();
        assert_eq!(err.path, "/pair");
        assert_eq!(
            err.message,
            "unknown value `Righ`, expected `Left` or `Right`"
        );
        assert_eq!(err.help.as_deref(), Some("did you mean `Right`?"));
    }

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

    #[test]
    fn shape_messages_speak_json_not_rust() {
        use crate::schema::Bundle;
        let err = from_slice::<Bundle>(b"[]").unwrap_err();
        assert_eq!((err.code, err.path.as_str()), (Code::Schema, ""));
        assert_eq!(err.message, "expected an object, found an array");
        let err = from_slice::<Snapshot>(br#"{"snapshot_id": 5}"#).unwrap_err();
        assert_eq!(err.message, "expected a string, found `5`");
        let err = from_slice::<Snapshot>(br#"{"snapshot_id": [1]}"#).unwrap_err();
        assert_eq!(err.message, "expected a string, found an array");
        for doc in [
            br#"{"bundle_version": -1}"#.as_slice(),
            br#"{"bundle_version": "x"}"#,
            br#"{"bundle_version": 1.5}"#,
            br#"{"bundle_version": 99999999999}"#,
        ] {
            let err = from_slice::<Bundle>(doc).unwrap_err();
            assert_eq!(err.path, "/bundle_version", "{err:?}");
            for leak in [
                "u32",
                "u64",
                "f64",
                "struct",
                "sequence",
                "invalid type",
                "invalid length",
            ] {
                assert!(!err.message.contains(leak), "{leak} in {}", err.message);
            }
            assert!(err.message.starts_with("expected "), "{}", err.message);
        }
        assert_eq!(
            in_user_terms("invalid value: integer `-1`, expected u32"),
            "expected a whole number from 0 to 4294967295, found `-1`"
        );
        assert_eq!(
            in_user_terms("invalid type: string \"abc\", expected f64"),
            "expected a number, found the string `abc`"
        );
        assert_eq!(
            in_user_terms("invalid type: null, expected a boolean"),
            "expected `true` or `false`, found null"
        );
        assert_eq!(in_user_terms("missing field `x`"), "missing field `x`");
    }
}
