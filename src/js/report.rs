//! The report shim: `computeReport(returns, options?)` over [`crate::api::report::report`].
//! The series and the benchmark cross as `Float64Array` (or numbers with `null` for a missing
//! period) without JSON; the other options are a plain object with the wire's snake_case keys.

use super::{error_to_js, input_series, js_to_value, object_entries, to_js};
use crate::error::pointer_join;
use crate::schema::{Num, ReportOptions};
use crate::{Code, Error};
use wasm_bindgen::prelude::*;

/// The options object as [`ReportOptions`]: `benchmark` read as a series (typed array or
/// numbers), every other key through the JSON walker (non-finite numbers named first: JSON
/// would turn them into `null`).
fn read_options(input: &JsValue) -> Result<ReportOptions, JsValue> {
    if input.is_undefined() || input.is_null() {
        return Ok(ReportOptions::default());
    }
    if !input.is_object() || js_sys::Array::is_array(input) {
        return Err(error_to_js(Error::new(
            Code::Schema,
            "",
            "options must be an object",
        )));
    }
    let entries = object_entries(input).map_err(|_| {
        error_to_js(Error::new(
            Code::Schema,
            "",
            "the options could not be read (a getter or Proxy trap threw)",
        ))
    })?;
    let mut map = serde_json::Map::new();
    let mut benchmark = None;
    for entry in entries.iter() {
        let pair = js_sys::Array::from(&entry);
        let Some(key) = pair.get(0).as_string() else {
            continue;
        };
        let value = pair.get(1);
        let path = pointer_join("", &key);
        if key == "benchmark" && !value.is_undefined() && !value.is_null() {
            benchmark = Some(input_series(&value, &path)?);
            continue;
        }
        if let Some(x) = value.as_f64().filter(|x| !x.is_finite()) {
            return Err(error_to_js(Error::new(
                Code::NotFinite,
                path,
                format!("expected a finite number, got `{x}`"),
            )));
        }
        map.insert(key, js_to_value(&value, &path).map_err(error_to_js)?);
    }
    let mut opts: ReportOptions =
        crate::schema::from_value(&serde_json::Value::Object(map)).map_err(error_to_js)?;
    opts.benchmark = benchmark.map(|b| b.into_iter().map(|x| Some(Num(x))).collect());
    Ok(opts)
}

/// The quant's report of a returns series: `conventions`, `distribution`, `drawdowns`,
/// `rolling` and, with `options.benchmark`, `relative`. Throws a `WorldgateError` for bad input
/// (a rolling window of 0 at `/rolling_windows/<i>`, a benchmark of another length at
/// `/benchmark`, a bad timestamp at `/timestamps/<i>`, a return below −1 at `/<i>`).
#[wasm_bindgen(js_name = computeReport, unchecked_return_type = "Report")]
pub fn compute_report(
    #[wasm_bindgen(unchecked_param_type = "SeriesInput")] returns: JsValue,
    #[wasm_bindgen(
        unchecked_param_type = "(Omit<ReportOptions, \"benchmark\"> & { benchmark?: SeriesInput | null }) | null | undefined"
    )]
    options: JsValue,
) -> Result<JsValue, JsValue> {
    let series = input_series(&returns, "")?;
    let opts = read_options(&options)?;
    let report = crate::api::report::report(&series, &opts).map_err(error_to_js)?;
    to_js(&report)
}
