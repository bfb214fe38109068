//! The evaluation input read from JS: `metricsByStrategy` and the options of `evaluate` and
//! `verdicts` (`previous`, `correlations`, `returns_by_strategy`, `timestamps_by_strategy`,
//! `stage`, `profile`) read once into what the engine evaluates ([`Prepared`]), the returns
//! series kept as views and copied into wasm when the correlation pass first asks
//! ([`JsSeries`]). A call reads one and drops it; a `StrategyBatch` ([`super::batch`]) keeps
//! one for many evaluations.

use super::options::unknown_option;
use super::{error_to_js, errors_to_js, input_series};
use crate::policy::{Dialect, EvaluationInput, Given, SeriesSource, Strategies};
use crate::{Code, Error};
use indexmap::IndexMap;
use serde_json::{Map, Value};
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::prelude::*;

/// `returns_by_strategy` whose series are all `Float64Array`s: each copied into wasm only when
/// the correlation pass asks for it (it compares the top-k candidates alone), and kept while
/// the evaluation's source holds them: asked again, a series is the copy made first, whatever
/// the caller did to its array since (the whole decision written after its summary does not
/// ask: it replays the correlations, `Source::forget_series` in `js/policy.rs`). The views were read once, and
/// lined up with the strategies' input order in JS (`series.js`), when the options were read:
/// no getter runs again, and no id crosses to find a series.
pub(crate) struct JsSeries {
    /// The keys of `returns_by_strategy` as read, and their values.
    keys: js_sys::Array,
    values: js_sys::Array,
    /// The series of each strategy, by input position (`undefined`: none).
    aligned: js_sys::Array,
    /// The copies made so far, by input position (`None`: not asked yet).
    copies: RefCell<Vec<Option<SeriesCopy>>>,
}

/// A series copied into wasm, or none (the strategy has no series).
type SeriesCopy = Option<Rc<[f64]>>;

impl SeriesSource for JsSeries {
    fn is_empty(&self) -> bool {
        self.keys.length() == 0
    }

    fn series(&self, at: usize) -> Option<Rc<[f64]>> {
        if let Some(Some(copy)) = self.copies.borrow().get(at) {
            return copy.clone();
        }
        let copy = u32::try_from(at)
            .ok()
            .map(|at| self.aligned.get(at))
            .and_then(|v| super::typed::<js_sys::Float64Array>(&v).map(copy_of));
        let mut copies = self.copies.borrow_mut();
        if copies.len() <= at {
            copies.resize(at + 1, None);
        }
        if let Some(slot) = copies.get_mut(at) {
            *slot = Some(copy.clone());
        }
        copy
    }
}

/// The array's values copied into wasm once, straight into the shared slice.
fn copy_of(a: &js_sys::Float64Array) -> Rc<[f64]> {
    let len = usize::try_from(a.length()).unwrap_or(0);
    let mut copy: Rc<[f64]> = std::iter::repeat_n(0.0, len).collect();
    // a detached buffer's length reads 0: nothing to copy (copying from it would throw)
    if len > 0
        && let Some(slot) = Rc::get_mut(&mut copy)
    {
        a.copy_to(slot);
    }
    copy
}

/// The series of `returns_by_strategy` (its own enumerable entries, or a `Map`'s, read once):
/// kept as views when every one is a `Float64Array` (nothing to check), lined up with `ids` (the
/// strategies' ids in input order, as the metrics were read), else copied and checked at once
/// ([`copy_returns`]).
///
/// # Errors
/// `E_SCHEMA` at `/returns_by_strategy` for something other than a plain object or a `Map`, one
/// whose entries a getter or Proxy trap refuses, or a `Map` with a key that is not a string; a
/// series' errors at `/returns_by_strategy/<id>`.
fn read_returns(v: &JsValue, ids: &JsValue) -> Result<Returns, JsValue> {
    let refuse =
        |message: &str| error_to_js(Error::new(Code::Schema, "/returns_by_strategy", message));
    let read = if !v.is_object() || super::is_array(v, "/returns_by_strategy")? {
        JsValue::NULL
    } else {
        series_entries(v, ids).map_err(|_| refuse(super::UNREADABLE))?
    };
    if read.is_null() {
        return Err(refuse(
            "expected an object of returns series by strategy id",
        ));
    }
    let read: js_sys::Array = read.unchecked_into();
    let keys: js_sys::Array = read.get(0).unchecked_into();
    let values: js_sys::Array = read.get(1).unchecked_into();
    let aligned = read.get(2);
    if aligned.is_undefined() {
        return copy_returns(&keys, &values).map(Returns::Copied);
    }
    Ok(Returns::Views(JsSeries {
        keys,
        values,
        aligned: aligned.unchecked_into(),
        copies: RefCell::default(),
    }))
}

#[wasm_bindgen(module = "/src/js/series.js")]
extern "C" {
    /// `[keys, values, aligned]` of `returns_by_strategy` (`series.js`; `null` for an object
    /// that holds no series by key: a `Set`, a `WeakMap`, a typed array …): its keys and their
    /// values, and when every series is a `Float64Array` the series of each of `ids` in that
    /// order (else `undefined`); throws what a getter or Proxy trap throws, and for a `Map` with
    /// a key that is not a string.
    #[wasm_bindgen(catch, js_name = seriesEntries)]
    fn series_entries(returns: &JsValue, ids: &JsValue) -> Result<JsValue, JsValue>;
}

/// Every series of `returns_by_strategy` (its `keys` and `values`) copied into wasm (errors at
/// `/returns_by_strategy/<id>`).
fn copy_returns(
    keys: &js_sys::Array,
    values: &js_sys::Array,
) -> Result<IndexMap<String, Vec<f64>>, JsValue> {
    let mut map = IndexMap::new();
    for (key, value) in keys.iter().zip(values.iter()) {
        let id = key.as_string().unwrap_or_default();
        let path = crate::error::pointer_join("/returns_by_strategy", &id);
        map.insert(id, input_series(&value, &path)?);
    }
    Ok(map)
}

/// The returns series as read from the options.
enum Returns {
    /// Copied into wasm.
    Copied(IndexMap<String, Vec<f64>>),
    /// Read on demand.
    Views(JsSeries),
}

/// An evaluation input read from JS ([`evaluation_input`]): the input without its metrics, the
/// strategies standing for them (read in `dialect`), their ids as JS strings in input order
/// (when the metrics were an object or a `Map`), and the returns series when they are read on
/// demand.
pub(crate) struct Prepared {
    pub(crate) dialect: Dialect,
    pub(crate) input: EvaluationInput,
    pub(crate) strategies: Strategies,
    pub(crate) ids: Option<js_sys::Array>,
    pub(crate) series: Option<JsSeries>,
}

impl Prepared {
    /// What the evaluation is handed beside the input (no correlation memo).
    pub(crate) fn given(&self) -> Given<'_> {
        Given {
            strategies: Some(&self.strategies),
            series: self.series.as_ref().map(|s| s as &dyn SeriesSource),
            memo: None,
        }
    }

    /// About how many bytes of wasm memory it holds: its strategies (about two hundred bytes
    /// each for a flat block of three metrics) and its series' copies.
    pub(crate) fn bytes(&self) -> usize {
        let copies: usize = self.series.as_ref().map_or(0, |s| {
            s.copies
                .borrow()
                .iter()
                .flatten()
                .map(|c| c.as_ref().map_or(0, |c| c.len()))
                .sum()
        });
        let given: usize = self
            .input
            .returns
            .as_ref()
            .map_or(0, |r| r.values().map(Vec::len).sum());
        self.strategies.bytes() + (copies + given) * 8
    }
}

/// Builds the evaluation input from `metricsByStrategy` and the options object for a policy of
/// `dialect`: the metrics come back apart, read straight into the engine's strategies
/// ([`super::tape::js_to_strategies`]; the input's own `metrics` left empty), and so do the
/// returns series when they are read on demand ([`JsSeries`]). The errors are those of
/// [`EvaluationInput::from_owned`] for the same input, in the same order.
pub(crate) fn evaluation_input(
    metrics: &JsValue,
    options: &JsValue,
    dialect: Dialect,
) -> Result<Prepared, JsValue> {
    let (strategies, mut errors, ids) =
        super::tape::js_to_strategies(metrics, "/metrics", dialect).map_err(error_to_js)?;
    let ids_value = ids.as_ref().map_or(JsValue::UNDEFINED, |a| a.into());
    let (doc, returns, timestamps) = read_options(options, &ids_value)?;
    let mut input = match EvaluationInput::from_owned(Value::Object(doc)) {
        Ok(input) if errors.is_empty() => input,
        Ok(_) => return Err(errors_to_js(&errors)),
        Err(more) => {
            errors.extend(more);
            return Err(errors_to_js(&errors));
        }
    };
    // timestamps are checked against every series' length: copied then
    let lazy = match returns {
        Some(Returns::Views(views)) if timestamps.is_some() => {
            input.returns = Some(copy_returns(&views.keys, &views.values)?);
            None
        }
        Some(Returns::Views(views)) => Some(views),
        Some(Returns::Copied(map)) => {
            input.returns = Some(map);
            None
        }
        None => None,
    };
    if timestamps.is_some() {
        let mut errors = Vec::new();
        input.timestamps = crate::policy::read_timestamps(
            timestamps.as_ref(),
            input.returns.as_ref(),
            "/timestamps_by_strategy",
            &mut errors,
        );
        if !errors.is_empty() {
            return Err(errors_to_js(&errors));
        }
    }
    Ok(Prepared {
        dialect,
        input,
        strategies,
        ids,
        series: lazy,
    })
}

/// What [`read_options`] reads: the input document without its metrics, the returns series
/// and the timestamps.
type Options = (Map<String, Value>, Option<Returns>, Option<Value>);

/// The options object of [`evaluation_input`] (`undefined` or `null`: none), its members
/// under their wire or JS names (an `undefined` or `null` member is absent): the input
/// document without its metrics (`previous`, `correlations`, `stage`, `profile`), the
/// returns series and the timestamps, as given.
///
/// # Errors
/// A member that is not the value it should be, at its path; `E_SCHEMA` for an unknown
/// option (with a "did you mean").
#[inline]
fn read_options(options: &JsValue, ids: &JsValue) -> Result<Options, JsValue> {
    let mut doc = Map::new();
    doc.insert("metrics".into(), Value::Object(Map::new()));
    let mut returns: Option<Returns> = None;
    let mut timestamps: Option<Value> = None;
    if let Some(entries) = super::options::entries(options, "")? {
        for entry in entries.iter() {
            let pair = js_sys::Array::from(&entry);
            let Some(k) = pair.get(0).as_string() else {
                continue;
            };
            let v = pair.get(1);
            if v.is_undefined() || v.is_null() {
                continue;
            }
            match k.as_str() {
                "previous" | "previousState" | "prev_active" => {
                    doc.insert("previous".into(), to_value(&v, "/previous")?);
                }
                "correlations" | "stage" | "profile" => {
                    doc.insert(k.clone(), to_value(&v, &format!("/{k}"))?);
                }
                "returns_by_strategy" | "returnsByStrategy" | "returns" => {
                    returns = Some(read_returns(&v, ids)?);
                }
                "timestamps_by_strategy" | "timestampsByStrategy" | "timestamps" => {
                    timestamps = Some(to_value(&v, "/timestamps_by_strategy")?);
                }
                "dialect" => {}
                other => return Err(error_to_js(unknown_option(other, &EVALUATE_OPTIONS))),
            }
        }
    }
    Ok((doc, returns, timestamps))
}

/// The options of `evaluate` and `verdicts` beside `dialect`, by their wire names.
const EVALUATE_OPTIONS: [&str; 6] = [
    "previous",
    "correlations",
    "returns_by_strategy",
    "timestamps_by_strategy",
    "stage",
    "profile",
];

fn to_value(v: &JsValue, path: &str) -> Result<Value, JsValue> {
    super::js_to_value(v, path).map_err(error_to_js)
}
