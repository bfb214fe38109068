//! The report shim: `computeReport(returns, options?)` over
//! [`crate::api::report::report_stamped`]. The series and the benchmark cross as
//! `Float64Array` (or numbers with `null` for a missing period) without JSON, time axes as
//! RFC 3339 strings or epoch milliseconds (a `Float64Array`: no string crosses), the other
//! options as a plain object with the wire's snake_case keys. The rolling series come back as
//! `Float64Array`s ([`report_to_js`]).

use super::options::{self, Native};
use super::{error_to_js, input_series, to_js};
use crate::schema::{Num, Report, ReportOptions};
use crate::time::Stamps;
use wasm_bindgen::prelude::*;

/// The options: [`ReportOptions`] with `benchmark` read as a series and the `timestamps` /
/// `benchmark_timestamps` given as numbers (epoch milliseconds) kept out of the JSON
/// ([`options::read`]).
type Options = (ReportOptions, Option<Stamps>, Option<Stamps>);

fn read_options(input: &JsValue) -> Result<Options, JsValue> {
    let natives = [
        Native::Benchmark,
        Native::Timestamps,
        Native::BenchmarkTimestamps,
    ];
    let Some(o) = options::read(input, "", &natives)? else {
        return Ok((ReportOptions::default(), None, None));
    };
    let mut opts: ReportOptions =
        crate::schema::from_value(&serde_json::Value::Object(o.json)).map_err(error_to_js)?;
    opts.benchmark = o
        .benchmark
        .map(|b| b.into_iter().map(|x| Some(Num(x))).collect());
    Ok((
        opts,
        o.timestamps.map(Stamps::EpochMs),
        o.benchmark_timestamps.map(Stamps::EpochMs),
    ))
}

/// The quant's report of a returns series: `conventions`, `distribution`, `drawdowns`,
/// `rolling`, with timestamps `calendar` and, with `options.benchmark`, `relative`.
///
/// `options.timestamps` (and `benchmark_timestamps`) are RFC 3339 UTC strings or instants in
/// epoch milliseconds (a `Float64Array` or numbers: integers, strictly increasing, years
/// 0000–9999), the two forms computing the same report to the bit. The rolling series are
/// `Float64Array`s (NaN where the wire has `null`, ±Infinity where it has `"+inf"`/`"-inf"`).
/// Throws a `WorldgateError` for bad input (a rolling window of 0 at `/rolling_windows/<i>`,
/// a benchmark of another length at `/benchmark`, a bad timestamp at `/timestamps/<i>`, a
/// return below −1 at `/<i>`).
#[wasm_bindgen(js_name = computeReport, unchecked_return_type = "JsReport")]
pub fn compute_report(
    #[wasm_bindgen(unchecked_param_type = "SeriesInput")] returns: JsValue,
    #[wasm_bindgen(unchecked_param_type = "ReportOptionsInput | null | undefined")]
    options: JsValue,
) -> Result<JsValue, JsValue> {
    let series = input_series(&returns, "")?;
    let (opts, stamps, bench_stamps) = read_options(&options)?;
    let report = crate::api::report::report_stamped(&series, opts, stamps, bench_stamps)
        .map_err(error_to_js)?;
    report_to_js(report)
}

#[wasm_bindgen(typescript_custom_section)]
const REPORT_TS: &str = r#"
/** `computeReport`'s options: `ReportOptions` with the series and time axes in their JS forms. */
export type ReportOptionsInput = Omit<ReportOptions, "benchmark" | "timestamps" | "benchmark_timestamps"> & {
  benchmark?: SeriesInput | null;
  timestamps?: TimestampsInput | null;
  benchmark_timestamps?: TimestampsInput | null;
};

/** `computeMetrics`' `report` option in its JS form: `ReportRequest` with the benchmark and its time axis in their JS forms. */
export type ReportRequestInput = Omit<ReportRequest, "benchmark" | "benchmark_timestamps"> & {
  benchmark?: SeriesInput | null;
  benchmark_timestamps?: TimestampsInput | null;
};

/**
 * A rolling window as the JS API returns it: `RollingWindow` with each series a `Float64Array`
 * (one element per return, copied out of the engine once): NaN where the wire's value is
 * `null` (the first `window − 1` periods, a window with fewer than 2 finite returns, zero
 * deviation, no downside) and ±Infinity where the wire writes `"+inf"` / `"-inf"`.
 */
export type JsRollingWindow = Omit<RollingWindow, "sharpe" | "volatility" | "sortino"> & {
  sharpe: Float64Array;
  volatility: Float64Array;
  sortino: Float64Array;
};

/** The report as the JS API returns it: `Report` with the rolling series as `Float64Array`s (`JsRollingWindow`). */
export type JsReport = Omit<Report, "rolling"> & { rolling: { windows: JsRollingWindow[] } };
"#;

/// The rolling series of a report (three per window, one element per return: 9,000,000
/// numbers for three windows over 1,000,000 returns, nearly all of the output), taken out of
/// it, leaving empty series (their keys stay, in order).
pub(crate) fn take_rolling(report: &mut Report) -> Vec<[Vec<Option<Num>>; 3]> {
    report
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
        .collect()
}

/// Puts the rolling series taken by [`take_rolling`] back into the JS report's `rolling`
/// object, each as a `Float64Array` copied out of wasm memory once: NaN for `None`, the value
/// otherwise (±∞ as ±Infinity). As JS arrays of boxed numbers (or through JSON) they took
/// nine tenths of `computeReport`'s time.
pub(crate) fn put_rolling(
    rolling: &JsValue,
    series: &[[Vec<Option<Num>>; 3]],
) -> Result<(), JsValue> {
    let windows = js_sys::Reflect::get(rolling, &JsValue::from_str("windows"))?;
    for (i, three) in series.iter().enumerate() {
        let window = js_sys::Reflect::get_u32(&windows, u32::try_from(i).unwrap_or(u32::MAX))?;
        for (key, xs) in ["sharpe", "volatility", "sortino"].into_iter().zip(three) {
            let flat: Vec<f64> = xs.iter().map(|x| x.map_or(f64::NAN, Num::get)).collect();
            let array = js_sys::Float64Array::from(flat.as_slice());
            js_sys::Reflect::set(&window, &JsValue::from_str(key), &array.into())?;
        }
    }
    Ok(())
}

/// The report as a JS object: the value of `JSON.parse` of its wire JSON, except the rolling
/// series, which are `Float64Array`s ([`put_rolling`]).
fn report_to_js(mut report: Report) -> Result<JsValue, JsValue> {
    let series = take_rolling(&mut report);
    let value = to_js(&report)?;
    put_rolling(
        &js_sys::Reflect::get(&value, &JsValue::from_str("rolling"))?,
        &series,
    )?;
    Ok(value)
}
