//! Metrics shims: `computeMetrics`, `returnsFromPrices`, `returnsFromEquity`, `equityCurve`,
//! `drawdownCurve`. Series cross as `Float64Array` (or `number[]`, `null` → NaN) without JSON;
//! options are a plain object with the wire's snake_case keys (`periods_per_year`, …).

use super::options::{self, Native};
use super::{error_to_js, input_series, to_js};
use crate::api::metrics::{self as api, MetricsRequest};
use crate::metrics::{self, MetricsOptions, ReturnKind};
use crate::time::Stamps;
use crate::{Code, Error};
use wasm_bindgen::prelude::*;

fn float64(v: &[f64]) -> js_sys::Float64Array {
    js_sys::Float64Array::from(v)
}

/// `computeMetrics(returns, options?)`: without a `profile` key, worldgate's `{returns, pnl}`
/// blocks ([`MetricsOptions`]); with `profile: "qmtl" | "strict"`, QMTL's v1.5
/// `EvaluationMetrics` document (options `V15Options`, result `V15Metrics`; the full package
/// only: in `worldgate/core`, `profile` is an unknown option).
/// An unknown profile is `E_SCHEMA` at `/profile`.
#[wasm_bindgen(js_name = computeMetrics, skip_typescript)]
pub fn compute_metrics(returns: JsValue, options: JsValue) -> Result<JsValue, JsValue> {
    // A Float64Array is read a chunk at a time by the computation (no copy of the whole series
    // in wasm memory); any other input is read here.
    let typed = super::typed::<js_sys::Float64Array>(&returns);
    let series = match typed {
        Some(_) => None,
        None => Some(input_series(&returns, "")?),
    };
    let natives = [Native::Timestamps, Native::Report];
    let (json, given) = match options::read(&options, "", &natives)? {
        None => (None, api::Given::default()),
        Some(o) => {
            let report = o.report.map(|r| *r).unwrap_or_default();
            let given = api::Given {
                timestamps: o.timestamps.map(Stamps::EpochMs),
                benchmark: report.benchmark,
                benchmark_timestamps: report.benchmark_timestamps.map(Stamps::EpochMs),
            };
            (Some(serde_json::Value::Object(o.json)), given)
        }
    };
    let request = MetricsRequest::from_options(json).map_err(error_to_js)?;
    let computed = match (typed, series) {
        // The blocks alone read the array a chunk at a time; the report and the v1.5 set read
        // the whole series (their passes need it), copied here without zeroing it first.
        (Some(a), _) if matches!(request, MetricsRequest::Blocks(_)) => {
            let mut read = |start: usize, out: &mut [f64]| {
                // start + out.len() ≤ a.length(), a u32.
                let end = start + out.len();
                // nothing to read from an empty (or detached: length 0) array
                if end > start {
                    a.subarray(start as u32, end as u32).copy_to(out);
                }
            };
            api::metrics_chunked(a.length() as usize, &mut read, request, given)
        }
        (Some(a), _) => api::metrics(&super::f64_values(a), request, given),
        (None, series) => api::metrics(&series.unwrap_or_default(), request, given),
    }
    .map_err(error_to_js)?;
    match computed {
        #[cfg(feature = "engine")]
        api::Computed::WithReport(mut m) => {
            // The rolling series cross as `Float64Array`s, not as JSON.
            let rolling = super::report::take_rolling(&mut m.report);
            let value = to_js(&m)?;
            let report = js_sys::Reflect::get(&value, &JsValue::from_str("report"))?;
            super::report::put_rolling(
                &js_sys::Reflect::get(&report, &JsValue::from_str("rolling"))?,
                &rolling,
            )?;
            Ok(value)
        }
        other => to_js(&other),
    }
}

#[cfg(feature = "engine")]
#[wasm_bindgen(typescript_custom_section)]
const COMPUTE_METRICS_TS: &str = r#"
/**
 * The metrics of a returns series (`Float64Array`, another typed array, or numbers with `null`
 * for a missing period). With `options.profile` (`"qmtl"` or `"strict"`): QMTL's v1.5
 * `EvaluationMetrics` document (`returns`, `sample`, `robustness`, `diagnostics`); without it:
 * worldgate's `{returns, pnl}` blocks, and with `options.report` (`true` or a `ReportRequest`:
 * rolling windows, top drawdowns, omega's threshold, a benchmark) the quant's report beside them
 * under the same P, risk-free rate and time axis (`report`: distribution, drawdowns, rolling,
 * relative, calendar; its rolling series are `Float64Array`s, NaN where the wire has `null`,
 * see `JsReport`). `options.timestamps` are RFC 3339 strings or epoch milliseconds
 * (`TimestampsInput`). Throws a `WorldgateError` for bad input (an unknown profile is
 * `E_SCHEMA` at `/profile`; a bad timestamp at `/timestamps/<i>`; the report's errors are under
 * `/report`).
 */
export function computeMetrics(returns: Float64Array | Float32Array | ArrayLike<number | null | undefined>, options: Omit<V15Options, "timestamps"> & { timestamps?: TimestampsInput | null; profile: MetricsProfile }): V15Metrics;
export function computeMetrics(returns: Float64Array | Float32Array | ArrayLike<number | null | undefined>, options: MetricsOptionsInput & { report: true | ReportRequestInput }): EvaluationMetrics & { report: JsReport };
export function computeMetrics(returns: Float64Array | Float32Array | ArrayLike<number | null | undefined>, options?: (MetricsOptionsInput & { report?: false | null }) | null): EvaluationMetrics;
"#;

#[cfg(not(feature = "engine"))]
#[wasm_bindgen(typescript_custom_section)]
const COMPUTE_METRICS_TS: &str = r#"
/**
 * worldgate's `{returns, pnl}` metric blocks of a returns series (`Float64Array`, another typed
 * array, or numbers with `null` for a missing period). QMTL's v1.5 profiles are in the full
 * package (`worldgate`). Throws a `WorldgateError` for bad input.
 */
export function computeMetrics(returns: Float64Array | Float32Array | ArrayLike<number | null | undefined>, options?: MetricsOptionsInput | null): EvaluationMetrics;
"#;

#[wasm_bindgen(typescript_custom_section)]
const TIMESTAMPS_TS: &str = r#"
/**
 * A time axis as the JS API takes it: RFC 3339 UTC strings (the wire's form), or instants as
 * milliseconds since 1970-01-01T00:00:00Z (`Date.getTime()`'s scale: integers, years
 * 0000–9999) in a `Float64Array` or numbers — no string crosses into the engine. Strictly
 * increasing, one per return. Both forms give the same results to the bit.
 */
export type TimestampsInput = readonly string[] | Float64Array | readonly number[];

/** `computeMetrics`' options in their JS form: `MetricsOptions` with `timestamps` as `TimestampsInput`. */
export type MetricsOptionsInput = Omit<MetricsOptions, "timestamps"> & { timestamps?: TimestampsInput | null };
"#;

/// Returns of a price series: `kind` is `"simple"` (default) or `"log"`.
#[wasm_bindgen(js_name = returnsFromPrices)]
pub fn returns_from_prices(
    #[wasm_bindgen(unchecked_param_type = "SeriesInput")] prices: JsValue,
    #[wasm_bindgen(unchecked_param_type = "ReturnKind")] kind: Option<String>,
) -> Result<js_sys::Float64Array, JsValue> {
    let kind = match kind.as_deref() {
        None | Some("simple") => ReturnKind::Simple,
        Some("log") => ReturnKind::Log,
        Some(other) => {
            return Err(error_to_js(
                Error::new(
                    Code::InvalidValue,
                    "",
                    format!("unknown return kind `{other}`"),
                )
                .with_help("use `simple` or `log`"),
            ));
        }
    };
    let series = input_series(&prices, "")?;
    metrics::returns_from_prices(&series, kind)
        .map(|r| float64(&r))
        .map_err(error_to_js)
}

/// Simple returns of an equity series.
#[wasm_bindgen(js_name = returnsFromEquity)]
pub fn returns_from_equity(
    #[wasm_bindgen(unchecked_param_type = "SeriesInput")] equity: JsValue,
) -> Result<js_sys::Float64Array, JsValue> {
    let series = input_series(&equity, "")?;
    metrics::returns_from_equity(&series)
        .map(|r| float64(&r))
        .map_err(error_to_js)
}

/// The equity curve `[V₀, …, V_n]` of a returns series from `initial` (default 10000).
#[wasm_bindgen(js_name = equityCurve)]
pub fn equity_curve(
    #[wasm_bindgen(unchecked_param_type = "SeriesInput")] returns: JsValue,
    #[wasm_bindgen(unchecked_param_type = "number | null | undefined")] initial: Option<JsValue>,
) -> Result<js_sys::Float64Array, JsValue> {
    let series = input_series(&returns, "")?;
    // a number, not anything JS would turn into one (`"5"`, `true`); `null` and `undefined`
    // arrive as `None`
    let initial = match initial {
        None => MetricsOptions::default().initial_capital,
        Some(v) => v.as_f64().ok_or_else(|| {
            error_to_js(Error::new(Code::Schema, "/initial", "expected a number"))
        })?,
    };
    metrics::equity_curve(&series, initial)
        .map(|v| float64(&v))
        .map_err(error_to_js)
}

/// The drawdown curve `[0, d₁, …, d_n]` (values in [−1, 0]) of a returns series.
#[wasm_bindgen(js_name = drawdownCurve)]
pub fn drawdown_curve(
    #[wasm_bindgen(unchecked_param_type = "SeriesInput")] returns: JsValue,
) -> Result<js_sys::Float64Array, JsValue> {
    let series = input_series(&returns, "")?;
    metrics::drawdown_curve(&series)
        .map(|v| float64(&v))
        .map_err(error_to_js)
}
