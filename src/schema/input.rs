//! Wire types of the strict readers of user input: the options and the result of reading a
//! returns series ([`ReturnsOptions`], [`ReturnsTable`]), and the findings of the policy lint
//! ([`PolicyLint`]).

use crate::Error;
use crate::json::fields::table_struct;
use serde::{Deserialize, Serialize};

/// Which CSV column holds the returns: its header name, or its 1-based position.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(not(target_arch = "wasm32"), derive(ts_rs::TS))]
#[serde(untagged)]
pub enum ReturnsColumn {
    /// 1-based column number.
    Index(u32),
    /// The header's name of the column (exact, else ignoring ASCII case).
    Name(String),
}

/// How to read a returns series (`readReturns`, `worldgate metrics`). Every member is
/// optional; the defaults read a JSON array / `{returns}` object, or a CSV whose delimiter is
/// the first of `,` `;` tab on line 1, with decimal points and plain fractions.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
#[cfg_attr(not(target_arch = "wasm32"), derive(ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct ReturnsOptions {
    /// The CSV column of the returns. Needed when the CSV has more than one value column and
    /// none is named `return` or `returns`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(not(target_arch = "wasm32"), ts(optional))]
    pub column: Option<ReturnsColumn>,
    /// The CSV field delimiter (one character); by default the first of `,` `;` tab on line 1
    /// (`;` or tab only, with `decimal_comma`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(not(target_arch = "wasm32"), ts(optional))]
    pub delimiter: Option<String>,
    /// Numbers are written with a decimal comma (`0,0123`); the delimiter then cannot be `,`.
    #[serde(default)]
    #[cfg_attr(not(target_arch = "wasm32"), ts(optional, as = "Option<bool>"))]
    pub decimal_comma: bool,
    /// Values are percentages (`1.2` or `1.2%` is 0.012). Without it a `%` sign is an error.
    #[serde(default)]
    #[cfg_attr(not(target_arch = "wasm32"), ts(optional, as = "Option<bool>"))]
    pub percent: bool,
    /// Largest accepted input in bytes (default 16 MiB, the JSON reader's limit), JSON and CSV.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(not(target_arch = "wasm32"), ts(optional))]
    pub max_bytes: Option<u64>,
}

/// Something in an accepted input that may not mean what its author meant.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(not(target_arch = "wasm32"), derive(ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct InputWarning {
    /// Stable code: `W_LARGE_RETURN` (a |return| above 1: prices given as returns?).
    pub code: String,
    /// What was seen, in the user's terms.
    pub message: String,
    /// 1-based line of the first occurrence, for text input.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(not(target_arch = "wasm32"), ts(optional))]
    pub line: Option<u64>,
    /// What to check or do.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(not(target_arch = "wasm32"), ts(optional))]
    pub help: Option<String>,
}

/// A returns series as read: the values (a missing period is NaN), their timestamps when the
/// CSV's first column holds dates, and what was read.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
#[cfg_attr(not(target_arch = "wasm32"), derive(ts_rs::TS))]
pub struct ReturnsTable {
    /// One value per period, in input order; NaN for a missing period (an empty CSV field,
    /// or `nan`).
    #[serde(skip)]
    #[cfg_attr(not(target_arch = "wasm32"), ts(skip))]
    pub returns: Vec<f64>,
    /// `csv` or `json`.
    pub format: String,
    /// The column read (its header name, or `column N`), for CSV.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(not(target_arch = "wasm32"), ts(optional))]
    pub column: Option<String>,
    /// Number of periods (values read, missing ones included).
    pub periods: u64,
    /// Number of missing periods.
    pub missing: u64,
    /// The period timestamps (RFC 3339 or `YYYY-MM-DD`, as written), when the CSV's first
    /// column or the JSON object's `timestamps` holds them; one per value.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(not(target_arch = "wasm32"), ts(optional))]
    pub timestamps: Option<Vec<String>>,
    /// What may not mean what was meant.
    pub warnings: Vec<InputWarning>,
}

impl ReturnsTable {
    /// The first and last timestamp, when the series carries timestamps.
    pub fn window(&self) -> Option<(&str, &str)> {
        let t = self.timestamps.as_ref()?;
        Some((t.first()?.as_str(), t.last()?.as_str()))
    }
}

/// The lint of a policy: errors make it unusable, warnings are worth a look.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
#[cfg_attr(not(target_arch = "wasm32"), derive(ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct PolicyLint {
    /// `true` when there are no errors (warnings allowed).
    pub ok: bool,
    /// Findings whose severity is `error`.
    pub errors: Vec<Error>,
    /// Findings whose severity is `warning`.
    pub warnings: Vec<Error>,
}

/// Options of the policy lint (`lintPolicy`, `worldgate policy check`).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
#[cfg_attr(not(target_arch = "wasm32"), derive(ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct LintOptions {
    /// Metric names (leaf names or dotted paths) the strategies to be gated carry, besides
    /// the engine's own.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(not(target_arch = "wasm32"), ts(optional))]
    pub metric_names: Option<Vec<String>>,
    /// Metric names declared custom: never reported as unknown.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(not(target_arch = "wasm32"), ts(optional))]
    pub custom: Option<Vec<String>>,
}

// Decoders from field tables (`crate::json::fields`); same messages and paths as derived ones.
table_struct!(ReturnsOptions { column, delimiter, decimal_comma, percent, max_bytes } required []);
table_struct!(InputWarning { code, message, line, help } required [code, message]);
table_struct!(PolicyLint { ok, errors, warnings } required [ok, errors, warnings]);
table_struct!(LintOptions { metric_names, custom } required []);
