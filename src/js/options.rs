//! JS options objects. Each key is read as the wire's JSON (a non-finite number is named
//! first: JSON would turn it into `null`), except the keys an operation takes natively, which
//! cross as numbers without JSON: a `benchmark` series (`Float64Array` or numbers), a
//! `timestamps` / `benchmark_timestamps` axis given as numbers (epoch milliseconds; strings go
//! the wire's way), and a `report` object (`computeMetrics`), itself read this way.

use super::{error_to_js, input_series, js_to_value, numeric_stamps, object_entries};
use crate::error::pointer_join;
use crate::{Code, Error};
use serde_json::{Map, Value};
use wasm_bindgen::prelude::*;

/// A key an operation takes natively.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Native {
    /// `benchmark`: a series.
    Benchmark,
    /// `timestamps`: a numeric time axis.
    Timestamps,
    /// `benchmark_timestamps`: a numeric time axis.
    BenchmarkTimestamps,
    /// `report`: an object read with `benchmark` and `benchmark_timestamps` native.
    Report,
}

impl Native {
    fn key(self) -> &'static str {
        match self {
            Native::Benchmark => "benchmark",
            Native::Timestamps => "timestamps",
            Native::BenchmarkTimestamps => "benchmark_timestamps",
            Native::Report => "report",
        }
    }
}

/// An options object read: the JSON keys (a `report` object's JSON in place), and what crossed
/// natively.
#[derive(Debug, Default)]
pub(crate) struct Options {
    /// Every key that did not cross natively, as JSON.
    pub json: Map<String, Value>,
    /// `benchmark`, read as a series.
    pub benchmark: Option<Vec<f64>>,
    /// `timestamps` given as numbers.
    pub timestamps: Option<Vec<f64>>,
    /// `benchmark_timestamps` given as numbers.
    pub benchmark_timestamps: Option<Vec<f64>>,
    /// What a `report` object's keys carried natively (its JSON is under `json["report"]`).
    pub report: Option<Box<Options>>,
}

/// The `[key, value]` entries of the options object `input` at `base` (`Object.entries`, every
/// member read once); `None` for `undefined` or `null`.
///
/// # Errors
/// `E_SCHEMA` at `base` for something other than a plain object, or an object whose keys a
/// getter or Proxy trap refuses.
pub(crate) fn entries(input: &JsValue, base: &str) -> Result<Option<js_sys::Array>, JsValue> {
    if input.is_undefined() || input.is_null() {
        return Ok(None);
    }
    let refuse = |message: &str| error_to_js(Error::new(Code::Schema, base, message));
    if !input.is_object() || super::is_array(input, base)? {
        return Err(refuse("options must be an object"));
    }
    object_entries(input)
        .map(Some)
        .map_err(|_| refuse(super::UNREADABLE))
}

/// Reads the options object `input` at `base` (`undefined`/`null`: `None`), taking `natives`
/// without JSON.
///
/// # Errors
/// `E_SCHEMA` at `base` for something other than a plain object, or an object whose keys a
/// getter or Proxy trap refuses; `E_NOT_FINITE` at a key holding NaN or ±Infinity; the errors of
/// the series and the JSON walker at their keys.
pub(crate) fn read(
    input: &JsValue,
    base: &str,
    natives: &[Native],
) -> Result<Option<Options>, JsValue> {
    let Some(entries) = entries(input, base)? else {
        return Ok(None);
    };
    let mut out = Options::default();
    for entry in entries.iter() {
        let pair = js_sys::Array::from(&entry);
        let Some(key) = pair.get(0).as_string() else {
            continue;
        };
        let value = pair.get(1);
        let path = pointer_join(base, &key);
        let native = natives.iter().find(|n| n.key() == key);
        if let Some(native) = native
            && take(&mut out, *native, &value, &path)?
        {
            continue;
        }
        if let Some(x) = value.as_f64().filter(|x| !x.is_finite()) {
            // As JavaScript spells them.
            let got = match x {
                x if x.is_nan() => "NaN",
                x if x > 0.0 => "Infinity",
                _ => "-Infinity",
            };
            return Err(error_to_js(Error::new(
                Code::NotFinite,
                path,
                format!("expected a finite number, got `{got}`"),
            )));
        }
        out.json
            .insert(key, js_to_value(&value, &path).map_err(error_to_js)?);
    }
    Ok(Some(out))
}

/// Takes `value` of the native key `native` into `out`; false when it goes the JSON way
/// (absent, strings, a boolean `report`).
fn take(out: &mut Options, native: Native, value: &JsValue, path: &str) -> Result<bool, JsValue> {
    if value.is_undefined() || value.is_null() {
        return Ok(false);
    }
    match native {
        Native::Benchmark => out.benchmark = Some(input_series(value, path)?),
        Native::Timestamps | Native::BenchmarkTimestamps => {
            let Some(ms) = numeric_stamps(value, path)? else {
                return Ok(false);
            };
            match native {
                Native::Timestamps => out.timestamps = Some(ms),
                _ => out.benchmark_timestamps = Some(ms),
            }
        }
        Native::Report => {
            if !value.is_object() || super::is_array(value, path)? {
                return Ok(false);
            }
            let inner = [Native::Benchmark, Native::BenchmarkTimestamps];
            let Some(mut report) = read(value, path, &inner)? else {
                return Ok(false);
            };
            let json = std::mem::take(&mut report.json);
            out.json.insert("report".into(), Value::Object(json));
            out.report = Some(Box::new(report));
        }
    }
    Ok(true)
}

/// `E_SCHEMA` at `/<name>`: an unknown option, with the closest of `known` as help.
#[cfg(feature = "engine")]
pub(crate) fn unknown_option(name: &str, known: &[&str]) -> Error {
    let mut e = Error::new(
        Code::Schema,
        format!("/{name}"),
        format!("unknown option `{name}`"),
    );
    if let Some(s) = crate::suggest::closest(name, known.iter().copied()) {
        e = e.with_help(format!("did you mean `{s}`?"));
    }
    e
}

/// The `dialect` member of an options object ([`crate::api::policy::dialect`]; `undefined`/`null`: none).
/// With `alone` (`parsePolicy`, `presetPolicy`: `dialect` is their one option) any other member
/// is an unknown option; otherwise the caller reads the others.
///
/// # Errors
/// `E_SCHEMA`: options that are not an object or cannot be read, an unknown dialect, and with
/// `alone` an unknown option (with a "did you mean").
#[cfg(feature = "engine")]
pub(crate) fn dialect_option(
    options: &JsValue,
    alone: bool,
) -> Result<Option<crate::policy::Dialect>, JsValue> {
    let mut dialect = None;
    for entry in entries(options, "")?.iter().flat_map(|e| e.iter()) {
        let pair = js_sys::Array::from(&entry);
        let key = pair.get(0).as_string().unwrap_or_default();
        let value = pair.get(1);
        if key != "dialect" {
            if alone {
                return Err(error_to_js(unknown_option(&key, &["dialect"])));
            }
        } else if !(value.is_undefined() || value.is_null()) {
            let value = js_to_value(&value, "/dialect").map_err(error_to_js)?;
            dialect =
                Some(crate::api::policy::dialect(Some(&value), "/dialect").map_err(error_to_js)?);
        }
    }
    Ok(dialect)
}
