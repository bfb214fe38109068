//! Errors as values: a stable machine [`Code`], the JSON pointer of the offending field, a
//! lowercase human message and optional help.
//!
//! Every fallible operation in worldgate returns [`Error`] (or a list of them); nothing in the
//! core panics on user input. The wire form is the error document
//! `{"code": "E_SCHEMA", "message": "...", "path": "/submissions/0/returns/3", "help": "..."}`.
//! `path` is an RFC 6901 JSON pointer into the input (`""` is the whole document).

use serde::{Deserialize, Serialize};
use std::fmt;

/// Stable machine-readable error codes. The wire spelling (`E_SCHEMA`, …) never changes once
/// released; new codes may be added.
//
// On the wire a code is its string (`Code::as_str`); `Serialize` and `Deserialize` are written
// by hand over `Code::ALL` (a derived pair was 5 KB of wasm: BENCHMARKS.size.md, session 6) and
// behave as the derived ones would, messages included. (Not a doc comment: the doc comment is
// the JSON Schema's and the TypeScript type's description.)
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[cfg_attr(not(target_arch = "wasm32"), derive(schemars::JsonSchema, ts_rs::TS))]
pub enum Code {
    /// The input does not have the documented shape (wrong type, unknown or missing field).
    #[cfg_attr(not(target_arch = "wasm32"), serde(rename = "E_SCHEMA"))]
    Schema,
    /// The input is not JSON (or YAML) at all: a syntax error, truncated text, bad UTF-8.
    #[cfg_attr(not(target_arch = "wasm32"), serde(rename = "E_PARSE"))]
    Parse,
    /// A policy document is not a valid policy.
    #[cfg_attr(not(target_arch = "wasm32"), serde(rename = "E_POLICY_INVALID"))]
    PolicyInvalid,
    /// A claimed metric disagrees with the value recomputed from the series.
    #[cfg_attr(not(target_arch = "wasm32"), serde(rename = "E_METRICS_MISMATCH"))]
    MetricsMismatch,
    /// An input exceeds a size limit (bytes, depth, count, length).
    #[cfg_attr(not(target_arch = "wasm32"), serde(rename = "E_TOO_LARGE"))]
    TooLarge,
    /// An identifier is empty, too long or has characters outside the safe set.
    #[cfg_attr(not(target_arch = "wasm32"), serde(rename = "E_ID_INVALID"))]
    IdInvalid,
    /// A number is NaN or infinite where a finite number is required.
    #[cfg_attr(not(target_arch = "wasm32"), serde(rename = "E_NOT_FINITE"))]
    NotFinite,
    /// A JSON object repeats a key.
    #[cfg_attr(not(target_arch = "wasm32"), serde(rename = "E_DUPLICATE_KEY"))]
    DuplicateKey,
    /// A value is of the right type but outside its domain (a zero price, k = 0, …).
    #[cfg_attr(not(target_arch = "wasm32"), serde(rename = "E_INVALID_VALUE"))]
    InvalidValue,
    /// No evaluation run has that id.
    #[cfg_attr(not(target_arch = "wasm32"), serde(rename = "E_RUN_NOT_FOUND"))]
    RunNotFound,
    /// A world has no policy with the requested version.
    #[cfg_attr(not(target_arch = "wasm32"), serde(rename = "E_POLICY_NOT_FOUND"))]
    PolicyNotFound,
    /// The run exists but has not reached `evaluated`.
    #[cfg_attr(not(target_arch = "wasm32"), serde(rename = "E_RUN_NOT_EVALUATED"))]
    RunNotEvaluated,
    /// The run is evaluated; its metrics and decision cannot change.
    #[cfg_attr(not(target_arch = "wasm32"), serde(rename = "E_RUN_IMMUTABLE"))]
    RunImmutable,
    /// The requested run-state transition is not in the state machine.
    #[cfg_attr(not(target_arch = "wasm32"), serde(rename = "E_ILLEGAL_TRANSITION"))]
    IllegalTransition,
    /// Two documents cannot be compared (different worlds or policies).
    #[cfg_attr(not(target_arch = "wasm32"), serde(rename = "E_NOT_COMPARABLE"))]
    NotComparable,
    /// Missing or invalid credentials.
    #[cfg_attr(not(target_arch = "wasm32"), serde(rename = "E_UNAUTHORIZED"))]
    Unauthorized,
    /// Valid credentials without the right to this resource.
    #[cfg_attr(not(target_arch = "wasm32"), serde(rename = "E_FORBIDDEN"))]
    Forbidden,
    /// Something no input should be able to cause; report it as a bug.
    #[cfg_attr(not(target_arch = "wasm32"), serde(rename = "E_INTERNAL"))]
    Internal,
    /// No such route (HTTP layer), or no such file (the CLI).
    #[cfg_attr(not(target_arch = "wasm32"), serde(rename = "E_NOT_FOUND"))]
    NotFound,
    /// The route exists but not for this method (HTTP layer only).
    #[cfg_attr(not(target_arch = "wasm32"), serde(rename = "E_METHOD_NOT_ALLOWED"))]
    MethodNotAllowed,
    /// The body's content type is not one the route accepts (HTTP layer only).
    #[cfg_attr(
        not(target_arch = "wasm32"),
        serde(rename = "E_UNSUPPORTED_MEDIA_TYPE")
    )]
    UnsupportedMediaType,
    /// The service could not be reached, did not answer in time, or kept failing (5xx) after
    /// retries (HTTP clients only: the CLI's `submit` / `status`, the package's
    /// `WorldgateClient`).
    #[cfg_attr(not(target_arch = "wasm32"), serde(rename = "E_UNAVAILABLE"))]
    Unavailable,
    /// A function of the npm package was called before its wasm module was loaded: in a
    /// browser, call `await init()` (or `await ready`) once first (the package's JS layer only;
    /// the engine itself never returns it).
    #[cfg_attr(not(target_arch = "wasm32"), serde(rename = "E_NOT_INITIALIZED"))]
    NotInitialized,
    /// A file or stream could not be read or written for a reason other than its absence
    /// (permissions, a directory where a file was expected, a full disk; the CLI only — a
    /// missing file is `E_NOT_FOUND`).
    #[cfg_attr(not(target_arch = "wasm32"), serde(rename = "E_IO"))]
    Io,
}

impl Code {
    /// Every code, in declaration order.
    pub const ALL: [Code; 24] = [
        Code::Schema,
        Code::Parse,
        Code::PolicyInvalid,
        Code::MetricsMismatch,
        Code::TooLarge,
        Code::IdInvalid,
        Code::NotFinite,
        Code::DuplicateKey,
        Code::InvalidValue,
        Code::RunNotFound,
        Code::PolicyNotFound,
        Code::RunNotEvaluated,
        Code::RunImmutable,
        Code::IllegalTransition,
        Code::NotComparable,
        Code::Unauthorized,
        Code::Forbidden,
        Code::Internal,
        Code::NotFound,
        Code::MethodNotAllowed,
        Code::UnsupportedMediaType,
        Code::Unavailable,
        Code::NotInitialized,
        Code::Io,
    ];

    /// The wire spelling, e.g. `"E_SCHEMA"`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Code::Schema => "E_SCHEMA",
            Code::Parse => "E_PARSE",
            Code::PolicyInvalid => "E_POLICY_INVALID",
            Code::MetricsMismatch => "E_METRICS_MISMATCH",
            Code::TooLarge => "E_TOO_LARGE",
            Code::IdInvalid => "E_ID_INVALID",
            Code::NotFinite => "E_NOT_FINITE",
            Code::DuplicateKey => "E_DUPLICATE_KEY",
            Code::InvalidValue => "E_INVALID_VALUE",
            Code::RunNotFound => "E_RUN_NOT_FOUND",
            Code::PolicyNotFound => "E_POLICY_NOT_FOUND",
            Code::RunNotEvaluated => "E_RUN_NOT_EVALUATED",
            Code::RunImmutable => "E_RUN_IMMUTABLE",
            Code::IllegalTransition => "E_ILLEGAL_TRANSITION",
            Code::NotComparable => "E_NOT_COMPARABLE",
            Code::Unauthorized => "E_UNAUTHORIZED",
            Code::Forbidden => "E_FORBIDDEN",
            Code::Internal => "E_INTERNAL",
            Code::NotFound => "E_NOT_FOUND",
            Code::MethodNotAllowed => "E_METHOD_NOT_ALLOWED",
            Code::UnsupportedMediaType => "E_UNSUPPORTED_MEDIA_TYPE",
            Code::Unavailable => "E_UNAVAILABLE",
            Code::NotInitialized => "E_NOT_INITIALIZED",
            Code::Io => "E_IO",
        }
    }

    /// The HTTP status an API answers with for this code.
    ///
    /// `E_PARSE` is 400 (malformed body), `E_TOO_LARGE` 413, shape and rule failures 422,
    /// `E_RUN_NOT_FOUND` and `E_POLICY_NOT_FOUND` 404, the run-state conflicts 409, auth 401/403, `E_INTERNAL` 500,
    /// `E_UNAVAILABLE` 503. `E_NOT_INITIALIZED` (a JS-side misuse no HTTP API answers with) is 500 too.
    pub const fn http_status(self) -> u16 {
        match self {
            Code::Parse => 400,
            Code::Unauthorized => 401,
            Code::Forbidden => 403,
            Code::RunNotFound | Code::PolicyNotFound | Code::NotFound => 404,
            Code::MethodNotAllowed => 405,
            Code::RunNotEvaluated | Code::RunImmutable | Code::IllegalTransition => 409,
            Code::TooLarge => 413,
            Code::UnsupportedMediaType => 415,
            Code::Internal | Code::NotInitialized | Code::Io => 500,
            Code::Unavailable => 503,
            Code::Schema
            | Code::PolicyInvalid
            | Code::MetricsMismatch
            | Code::IdInvalid
            | Code::NotFinite
            | Code::DuplicateKey
            | Code::InvalidValue
            | Code::NotComparable => 422,
        }
    }
}

/// The wire names in declaration order (serde's `VARIANTS`).
// Indexing in a constant cannot panic at run time: out of bounds fails the build.
#[allow(clippy::indexing_slicing)]
const CODE_NAMES: [&str; 24] = {
    let mut names = [""; 24];
    let mut i = 0;
    while i < Code::ALL.len() {
        names[i] = Code::ALL[i].as_str();
        i += 1;
    }
    names
};

impl Serialize for Code {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let index = Code::ALL.iter().position(|c| c == self).unwrap_or_default();
        s.serialize_unit_variant(
            "Code",
            u32::try_from(index).unwrap_or_default(),
            self.as_str(),
        )
    }
}

impl<'de> Deserialize<'de> for Code {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        use serde::de::{self, EnumAccess, VariantAccess, Visitor};

        /// A variant's name (or index), as the derived `__Field` reads it.
        struct Name(Code);
        struct NameVisitor;
        impl Visitor<'_> for NameVisitor {
            type Value = Name;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("variant identifier")
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Name, E> {
                usize::try_from(v)
                    .ok()
                    .and_then(|i| Code::ALL.get(i))
                    .map(|c| Name(*c))
                    .ok_or_else(|| {
                        E::invalid_value(de::Unexpected::Unsigned(v), &"variant index 0 <= i < 24")
                    })
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Name, E> {
                Code::ALL
                    .iter()
                    .find(|c| c.as_str() == v)
                    .map(|c| Name(*c))
                    .ok_or_else(|| E::unknown_variant(v, &CODE_NAMES))
            }
            fn visit_bytes<E: de::Error>(self, v: &[u8]) -> Result<Name, E> {
                Code::ALL
                    .iter()
                    .find(|c| c.as_str().as_bytes() == v)
                    .map(|c| Name(*c))
                    .ok_or_else(|| E::unknown_variant(&String::from_utf8_lossy(v), &CODE_NAMES))
            }
        }
        impl<'de> Deserialize<'de> for Name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                d.deserialize_identifier(NameVisitor)
            }
        }

        struct CodeVisitor;
        impl<'de> Visitor<'de> for CodeVisitor {
            type Value = Code;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("enum Code")
            }
            fn visit_enum<A: EnumAccess<'de>>(self, data: A) -> Result<Code, A::Error> {
                let (Name(code), variant) = data.variant::<Name>()?;
                variant.unit_variant()?;
                Ok(code)
            }
        }
        d.deserialize_enum("Code", &CODE_NAMES, CodeVisitor)
    }
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One failure: what went wrong, where, and what to do about it. Its fields are
/// [`ErrorFields`]' (read and written through `Deref`/`DerefMut`: `err.path`, `err.help = …`).
///
/// Boxed, so that every `Result<_, Error>` of the engine is small and each `?` moves one
/// pointer instead of copying the 72-byte record (about 10 % of the wasm: BENCHMARKS.size.md,
/// session 6). The wire form, JSON Schema and TypeScript type are [`ErrorFields`]', named
/// `Error`.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(not(target_arch = "wasm32"), derive(ts_rs::TS), ts(as = "ErrorFields"))]
#[serde(transparent)]
pub struct Error(Box<ErrorFields>);

#[cfg(not(target_arch = "wasm32"))]
impl schemars::JsonSchema for Error {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        ErrorFields::schema_name()
    }

    fn schema_id() -> std::borrow::Cow<'static, str> {
        ErrorFields::schema_id()
    }

    fn inline_schema() -> bool {
        ErrorFields::inline_schema()
    }

    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        ErrorFields::json_schema(generator)
    }
}

impl std::ops::Deref for Error {
    type Target = ErrorFields;
    fn deref(&self) -> &ErrorFields {
        &self.0
    }
}

impl std::ops::DerefMut for Error {
    fn deref_mut(&mut self) -> &mut ErrorFields {
        &mut self.0
    }
}

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

impl From<ErrorFields> for Error {
    fn from(fields: ErrorFields) -> Self {
        Error(Box::new(fields))
    }
}

// The fields of an [`Error`], which on the wire, in the JSON Schema and in TypeScript are
// `Error` (the doc comment below is the schema's and the type's description).
/// One failure: what went wrong, where, and what to do about it.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(
    not(target_arch = "wasm32"),
    derive(schemars::JsonSchema, ts_rs::TS),
    schemars(rename = "Error"),
    ts(rename = "Error")
)]
#[serde(rename = "Error", deny_unknown_fields)]
pub struct ErrorFields {
    /// Stable machine code.
    pub code: Code,
    /// Lowercase, no final period; input quoted in backticks.
    pub message: String,
    /// RFC 6901 JSON pointer to the offending field; `""` for the whole input.
    pub path: String,
    /// How to fix it, when there is something to say.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(not(target_arch = "wasm32"), ts(optional))]
    pub help: Option<String>,
    /// 1-based line of the offending text, for inputs read as text (CSV, JSON and YAML
    /// syntax errors).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(not(target_arch = "wasm32"), ts(optional))]
    pub line: Option<u64>,
    /// 1-based column: a byte column for JSON and YAML syntax errors, the field number for a
    /// CSV field.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(not(target_arch = "wasm32"), ts(optional))]
    pub column: Option<u64>,
}

impl Error {
    /// An error at `path` (a JSON pointer).
    pub fn new(code: Code, path: impl Into<String>, message: impl Into<String>) -> Self {
        Error(Box::new(ErrorFields {
            code,
            message: message.into(),
            path: path.into(),
            help: None,
            line: None,
            column: None,
        }))
    }

    /// The same error located at 1-based `line` and (when known) `column` of the input text.
    #[must_use]
    pub fn at_line(mut self, line: usize, column: Option<usize>) -> Self {
        self.line = Some(line as u64);
        self.column = column.map(|c| c as u64);
        self
    }

    /// The same error with a help text.
    #[must_use]
    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// The same error with `prefix` (a JSON pointer) put in front of its path, for errors
    /// found inside a nested document.
    #[must_use]
    pub fn within(mut self, prefix: &str) -> Self {
        self.path = format!("{prefix}{}", self.path);
        self
    }
}

impl fmt::Debug for ErrorFields {
    /// As `#[derive(Debug)]` would print a struct named `Error`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Error")
            .field("code", &self.code)
            .field("message", &self.message)
            .field("path", &self.path)
            .field("help", &self.help)
            .field("line", &self.line)
            .field("column", &self.column)
            .finish()
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.code)?;
        if !self.path.is_empty() {
            write!(f, " at `{}`", self.path)?;
        }
        match (self.line, self.column) {
            (Some(l), Some(c)) if self.path.is_empty() => write!(f, " at line {l}, column {c}")?,
            (Some(l), None) if self.path.is_empty() => write!(f, " at line {l}")?,
            _ => {}
        }
        write!(f, ": {}", self.message)
    }
}

impl std::error::Error for Error {}

/// Escapes one JSON-pointer reference token (`~` → `~0`, `/` → `~1`).
pub fn pointer_token(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}

/// Appends a token to a JSON pointer.
pub fn pointer_join(base: &str, token: impl fmt::Display) -> String {
    format!("{base}/{}", pointer_token(&token.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_have_unique_wire_names_matching_serde() {
        let mut seen = std::collections::BTreeSet::new();
        for code in Code::ALL {
            assert!(seen.insert(code.as_str()));
            let json = serde_json::to_string(&code).unwrap();
            assert_eq!(json, format!("\"{}\"", code.as_str()));
        }
    }

    #[test]
    fn codes_read_back_as_the_derived_decoder_did() {
        for code in Code::ALL {
            let json = serde_json::to_string(&code).unwrap();
            assert_eq!(serde_json::from_str::<Code>(&json).unwrap(), code);
            let v = serde_json::Value::String(code.as_str().into());
            assert_eq!(crate::json::value_de::decode::<Code>(&v).unwrap(), code);
        }
        let err = serde_json::from_str::<Code>("\"E_NOPE\"").unwrap_err();
        assert!(
            err.to_string()
                .starts_with("unknown variant `E_NOPE`, expected one of `E_SCHEMA`, `E_PARSE`,"),
            "{err}"
        );
    }

    #[test]
    fn http_statuses_follow_the_contract() {
        assert_eq!(Code::RunNotFound.http_status(), 404);
        assert_eq!(Code::PolicyNotFound.http_status(), 404);
        assert_eq!(Code::RunNotEvaluated.http_status(), 409);
        assert_eq!(Code::RunImmutable.http_status(), 409);
        assert_eq!(Code::TooLarge.http_status(), 413);
        assert_eq!(Code::Unauthorized.http_status(), 401);
        assert_eq!(Code::Forbidden.http_status(), 403);
        assert_eq!(Code::Schema.http_status(), 422);
        assert_eq!(Code::Parse.http_status(), 400);
        assert_eq!(Code::NotFound.http_status(), 404);
        assert_eq!(Code::MethodNotAllowed.http_status(), 405);
        assert_eq!(Code::UnsupportedMediaType.http_status(), 415);
    }

    #[test]
    fn pointer_tokens_are_escaped() {
        assert_eq!(pointer_join("/meta", "a/b~c"), "/meta/a~1b~0c");
        let e = Error::new(Code::Schema, "/x", "bad").within("/submissions/0");
        assert_eq!(e.path, "/submissions/0/x");
        assert_eq!(e.to_string(), "E_SCHEMA at `/submissions/0/x`: bad");
    }
}
