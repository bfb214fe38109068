//! Metrics shims: `computeMetrics`, `returnsFromPrices`, `returnsFromEquity`, `equityCurve`,
//! `drawdownCurve`. Series cross as `Float64Array` (or `number[]`, `null` → NaN) without JSON;
//! options are a plain object with the wire's snake_case keys (`periods_per_year`, …).

use super::{error_to_js, input_series, to_js};
use crate::error::pointer_join;
use crate::metrics::{self, MetricsOptions, ReturnKind};
use crate::{Code, Error};
use wasm_bindgen::prelude::*;

/// `options` (an object, or `undefined`/`null` for the defaults) as [`MetricsOptions`], with
/// unknown keys and wrong types reported at their JSON pointer.
fn options(input: &JsValue) -> Result<MetricsOptions, JsValue> {
    if input.is_undefined() || input.is_null() {
        return Ok(MetricsOptions::default());
    }
    if !input.is_object() {
        return Err(error_to_js(Error::new(
            Code::Schema,
            "",
            "options must be an object",
        )));
    }
    // ±Infinity and NaN would silently become `null` in JSON: name them first. A throwing getter
    // or Proxy trap skips this pass: the walker below reports it as `E_SCHEMA`.
    let entries = super::object_entries(input).unwrap_or_default();
    for entry in entries.iter() {
        let pair = js_sys::Array::from(&entry);
        if let (Some(key), Some(x)) = (pair.get(0).as_string(), pair.get(1).as_f64())
            && !x.is_finite()
        {
            return Err(error_to_js(Error::new(
                Code::NotFinite,
                pointer_join("", &key),
                format!("expected a finite number, got `{x}`"),
            )));
        }
    }
    let value = super::js_to_value(input, "").map_err(error_to_js)?;
    crate::schema::from_value(&value).map_err(error_to_js)
}

fn float64(v: &[f64]) -> js_sys::Float64Array {
    js_sys::Float64Array::from(v)
}

/// The `{returns, pnl}` metric blocks of a returns series.
#[wasm_bindgen(js_name = computeMetrics, unchecked_return_type = "EvaluationMetrics")]
pub fn compute_metrics(
    #[wasm_bindgen(unchecked_param_type = "SeriesInput")] returns: JsValue,
    #[wasm_bindgen(unchecked_param_type = "MetricsOptions | undefined")] options: Option<JsValue>,
) -> Result<JsValue, JsValue> {
    let series = input_series(&returns, "")?;
    let opts = self::options(&options.unwrap_or(JsValue::UNDEFINED))?;
    let m = metrics::compute(&series, &opts).map_err(error_to_js)?;
    to_js(&m)
}

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
    initial: Option<f64>,
) -> Result<js_sys::Float64Array, JsValue> {
    let series = input_series(&returns, "")?;
    let initial = initial.unwrap_or(MetricsOptions::default().initial_capital);
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
