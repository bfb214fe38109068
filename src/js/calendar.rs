//! `computeCalendar(returns, timestamps, options?)`: the calendar block of a dated returns
//! series; a translation over [`crate::api::calendar::calendar`].

use super::{error_to_js, from_js, input_series, input_stamps, to_js};
use crate::schema::CalendarOptions;
use wasm_bindgen::prelude::*;

/// The calendar block (monthly and yearly compounded returns, best / worst month and year,
/// share of positive months / quarters / years, MTD … 5Y as of the last timestamp) of
/// `returns` dated by `timestamps` — RFC 3339 UTC strings, or instants as epoch milliseconds
/// (a `Float64Array` or numbers, integers, as `Date.getTime()` gives them); strictly
/// increasing, one per return — or, with `timestamps` null, by `options.index`. Both forms
/// compute the same calendar to the bit. Throws a `WorldgateError` for bad input: returns at
/// `/<i>`, timestamps at `/timestamps/<i>` (a number that is NaN, fractional or outside years
/// 0000–9999 too), the index at `/index/…`.
#[wasm_bindgen(js_name = computeCalendar, unchecked_return_type = "Calendar")]
pub fn compute_calendar(
    #[wasm_bindgen(unchecked_param_type = "SeriesInput")] returns: JsValue,
    #[wasm_bindgen(unchecked_param_type = "TimestampsInput | null | undefined")]
    timestamps: JsValue,
    #[wasm_bindgen(unchecked_param_type = "CalendarOptions | null | undefined")] options: JsValue,
) -> Result<JsValue, JsValue> {
    let series = input_series(&returns, "")?;
    let stamps = input_stamps(&timestamps, "/timestamps")?;
    let opts: CalendarOptions = from_js(&options)?;
    let c = crate::api::calendar::calendar(&series, stamps.as_ref(), &opts).map_err(error_to_js)?;
    to_js(&c)
}
