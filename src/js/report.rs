//! The report shim: `computeReport(returns, options?)` over [`crate::api::report::report`].
//! The series and the benchmark cross as `Float64Array` (or numbers with `null` for a missing
//! period) without JSON; the other options are a plain object with the wire's snake_case keys.

use super::{array_from, error_to_js, input_series, js_to_value, object_entries, to_js};
use crate::error::pointer_join;
use crate::json::num::non_finite_str;
use crate::schema::{Num, Report, ReportOptions};
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
    report_to_js(report)
}

/// The report as a JS object, the same value as `JSON.parse` of its wire JSON, built faster.
///
/// The rolling series (three per window, one element per return: 9,000,000 numbers for three
/// windows over 1,000,000 returns) are nearly all of the output; through JSON text they took
/// about nine tenths of `computeReport`'s time. So the report goes through [`to_js`] with
/// those series empty (the keys stay, in their order), and each series is then built from a
/// `Float64Array` copied out of wasm memory in one call (`Array.from` of it: plain numbers, −0
/// kept, as `JSON.parse` of the shortest round-trip text gives), with the runs of `null`
/// filled and a non-finite value (a Sortino ratio of `+inf`) set to its wire string
/// (`"+inf"`), exactly as [`Num`]'s serialisation writes them.
fn report_to_js(mut report: Report) -> Result<JsValue, JsValue> {
    let series: Vec<[Vec<Option<Num>>; 3]> = report
        .rolling
        .windows
        .iter_mut()
        .map(|w| {
            [
                std::mem::take(&mut w.sharpe),
                std::mem::take(&mut w.volatility),
                std::mem::take(&mut w.sortino),
            ]
        })
        .collect();
    let value = to_js(&report)?;
    let get = |obj: &JsValue, key: &str| js_sys::Reflect::get(obj, &JsValue::from_str(key));
    let windows = get(&get(&value, "rolling")?, "windows")?;
    for (i, three) in series.iter().enumerate() {
        let window = js_sys::Reflect::get_u32(&windows, u32::try_from(i).unwrap_or(u32::MAX))?;
        for (key, xs) in ["sharpe", "volatility", "sortino"].into_iter().zip(three) {
            js_sys::Reflect::set(&window, &JsValue::from_str(key), &series_to_js(xs)?.into())?;
        }
    }
    Ok(value)
}

/// One rolling series as a JS array: numbers, `null` for `None`, the wire string for ±∞/NaN.
fn series_to_js(xs: &[Option<Num>]) -> Result<js_sys::Array, JsValue> {
    let flat: Vec<f64> = xs.iter().map(|x| x.map_or(f64::NAN, Num::get)).collect();
    let array = array_from(&js_sys::Float64Array::from(flat.as_slice()).into())?;
    let mut run: Option<u32> = None;
    for (i, x) in xs.iter().enumerate() {
        let i = u32::try_from(i).unwrap_or(u32::MAX);
        match x {
            None => {
                run.get_or_insert(i);
                continue;
            }
            Some(v) => {
                if let Some(text) = non_finite_str(v.get()) {
                    array.set(i, JsValue::from_str(text));
                }
            }
        }
        if let Some(start) = run.take() {
            array.fill(&JsValue::NULL, start, i);
        }
    }
    if let Some(start) = run {
        array.fill(
            &JsValue::NULL,
            start,
            u32::try_from(xs.len()).unwrap_or(u32::MAX),
        );
    }
    Ok(array)
}
