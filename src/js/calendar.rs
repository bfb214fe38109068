//! `computeCalendar(returns, timestamps, options?)`: the calendar block of a dated returns
//! series; a translation over [`crate::api::calendar::calendar`].

use super::{error_to_js, from_js, input_series, to_js};
use crate::schema::CalendarOptions;
use crate::{Code, Error};
use wasm_bindgen::prelude::*;

/// The timestamps as strings: an array of strings, or `undefined`/`null` for none.
fn timestamps(v: &JsValue) -> Result<Option<Vec<String>>, JsValue> {
    if v.is_undefined() || v.is_null() {
        return Ok(None);
    }
    if !js_sys::Array::is_array(v) {
        return Err(error_to_js(Error::new(
            Code::Schema,
            "/timestamps",
            "timestamps must be an array of RFC 3339 strings",
        )));
    }
    let arr = js_sys::Array::from(v);
    let mut out = Vec::with_capacity(arr.length() as usize);
    for (i, x) in arr.iter().enumerate() {
        let s = x.as_string().ok_or_else(|| {
            error_to_js(Error::new(
                Code::Schema,
                format!("/timestamps/{i}"),
                "expected an RFC 3339 timestamp string",
            ))
        })?;
        out.push(s);
    }
    Ok(Some(out))
}

/// The calendar block (monthly and yearly compounded returns, best / worst month and year,
/// share of positive months / quarters / years, MTD … 5Y as of the last timestamp) of
/// `returns` dated by `timestamps` (RFC 3339 UTC, strictly increasing, one per return) or,
/// with `timestamps` null, by `options.index`. Throws a `WorldgateError` for bad input:
/// returns at `/<i>`, timestamps at `/timestamps/<i>`, the index at `/index/…`.
#[wasm_bindgen(js_name = computeCalendar, unchecked_return_type = "Calendar")]
pub fn compute_calendar(
    #[wasm_bindgen(unchecked_param_type = "SeriesInput")] returns: JsValue,
    #[wasm_bindgen(unchecked_param_type = "readonly string[] | null | undefined")]
    timestamps_: JsValue,
    #[wasm_bindgen(unchecked_param_type = "CalendarOptions | null | undefined")] options: JsValue,
) -> Result<JsValue, JsValue> {
    let series = input_series(&returns, "")?;
    let ts = timestamps(&timestamps_)?;
    let opts: CalendarOptions = from_js(&options)?;
    let c = crate::api::calendar::calendar(&series, ts.as_deref(), &opts).map_err(error_to_js)?;
    to_js(&c)
}
