//! Policy shims: `parsePolicy`, `CompiledPolicy` (a parsed policy kept inside wasm),
//! `evaluatePolicy`, `evaluateVerdicts`, `policyPresets`, `presetPolicy`, `lintPolicy`.
//!
//! Options keep the wire's snake_case keys: `parsePolicy(text | object | bytes, {dialect})`;
//! `policy.evaluate(metricsByStrategy, {previous, correlations, returns_by_strategy,
//! timestamps_by_strategy, stage, profile})` with `previous` an array of ids or the `state` of
//! an earlier decision, each series a `Float64Array` or `number[]` and each timestamps list
//! RFC 3339 UTC strings, one per return (`previousState` / `returnsByStrategy` /
//! `timestampsByStrategy` / `prev_active` / `returns` / `timestamps` are accepted as aliases).

use super::{error_to_js, errors_to_js, input_bytes, input_series, to_js};
use crate::api::policy::{self as api, PolicySource};
use crate::policy::{
    CorrelationMemo, Dialect, EvaluationInput, Given, Policy, SeriesSource, Strategies,
};
use crate::{Code, Error};
use indexmap::IndexMap;
use serde_json::{Map, Value};
use std::cell::{Cell, RefCell};
use std::rc::Rc;
use wasm_bindgen::prelude::*;

/// A policy parsed once and kept inside wasm; evaluate whole batches with it, or gate bundles
/// (`gate`, in [`super::bundle`]).
#[wasm_bindgen]
pub struct CompiledPolicy {
    id: u32,
    inner: Rc<Policy>,
}

thread_local! {
    /// The live compiled policies by id, so a `CompiledPolicy` passed where a policy document
    /// may stand (`evaluatePolicy`, `gateBundle`) is recognised and used as is.
    static COMPILED: RefCell<Vec<(u32, Rc<Policy>)>> = const { RefCell::new(Vec::new()) };
    static NEXT_ID: Cell<u32> = const { Cell::new(1) };
}

impl CompiledPolicy {
    /// The policy this handle holds (its `gate` method lives with the gate shims,
    /// [`super::bundle`]).
    pub(crate) fn policy(&self) -> &Policy {
        &self.inner
    }

    /// The options of `evaluate` and `verdicts` (`undefined` when absent), checked against the
    /// policy's own dialect: a different `dialect` option is an error.
    fn options(&self, options: Option<JsValue>) -> Result<JsValue, JsValue> {
        let options = options.unwrap_or(JsValue::UNDEFINED);
        if let Some(d) = dialect_option(&options, false)?
            && d != self.inner.dialect()
        {
            return Err(error_to_js(dialect_mismatch(&self.inner, d)));
        }
        Ok(options)
    }

    fn new(policy: Policy) -> Self {
        let id = NEXT_ID.with(|n| {
            let id = n.get();
            n.set(id.wrapping_add(1).max(1));
            id
        });
        let inner = Rc::new(policy);
        COMPILED.with(|m| m.borrow_mut().push((id, Rc::clone(&inner))));
        CompiledPolicy { id, inner }
    }
}

impl Drop for CompiledPolicy {
    fn drop(&mut self) {
        COMPILED.with(|m| m.borrow_mut().retain(|(id, _)| *id != self.id));
    }
}

/// The compiled policy `value` is, if it is a live `CompiledPolicy` of this instance.
pub(crate) fn compiled(value: &JsValue) -> Option<Rc<Policy>> {
    if !value.is_object() {
        return None;
    }
    let id = js_sys::Reflect::get(value, &JsValue::from_str("__wgPolicyId"))
        .ok()?
        .as_f64()?;
    let id = id as u32;
    COMPILED.with(|m| {
        m.borrow()
            .iter()
            .find(|(i, _)| *i == id)
            .map(|(_, p)| Rc::clone(p))
    })
}

fn to_value(v: &JsValue, path: &str) -> Result<Value, JsValue> {
    super::js_to_value(v, path).map_err(error_to_js)
}

/// The `dialect` member of an options object ([`api::dialect`]; `undefined`/`null`: none).
/// With `alone` (`parsePolicy`, `presetPolicy`: `dialect` is their one option) any other member
/// is an unknown option; otherwise the caller reads the others.
///
/// # Errors
/// `E_SCHEMA`: options that are not an object or cannot be read, an unknown dialect, and with
/// `alone` an unknown option (with a "did you mean").
pub(crate) fn dialect_option(options: &JsValue, alone: bool) -> Result<Option<Dialect>, JsValue> {
    let mut dialect = None;
    for entry in super::options::entries(options, "")?
        .iter()
        .flat_map(|e| e.iter())
    {
        let pair = js_sys::Array::from(&entry);
        let key = pair.get(0).as_string().unwrap_or_default();
        let value = pair.get(1);
        if key != "dialect" {
            if alone {
                return Err(error_to_js(unknown_option(&key, &["dialect"])));
            }
        } else if !(value.is_undefined() || value.is_null()) {
            let value = super::js_to_value(&value, "/dialect").map_err(error_to_js)?;
            dialect = Some(api::dialect(Some(&value), "/dialect").map_err(error_to_js)?);
        }
    }
    Ok(dialect)
}

/// A policy argument: a `CompiledPolicy` (whose own dialect stands; a different `dialect`
/// option is an error), YAML/JSON text, bytes, or a policy object.
pub(crate) fn policy_arg(
    input: &JsValue,
    dialect: Option<Dialect>,
) -> Result<Rc<Policy>, Vec<Error>> {
    if let Some(p) = compiled(input) {
        return match dialect {
            Some(d) if d != p.dialect() => Err(vec![dialect_mismatch(&p, d)]),
            _ => Ok(p),
        };
    }
    let dialect = dialect.unwrap_or_default();
    let policy = if input.is_string() || super::is_bytes(input) {
        let bytes = input_bytes(input).map_err(|e| vec![js_error(e)])?;
        api::compile(PolicySource::Bytes(&bytes), dialect)
    } else if input.is_object() {
        let doc = super::js_to_value(input, "").map_err(|e| vec![e])?;
        api::compile(PolicySource::Document(&doc), dialect)
    } else {
        Err(vec![Error::new(
            Code::Schema,
            "",
            "expected a CompiledPolicy, a policy as YAML/JSON text, bytes or an object",
        )])
    };
    policy.map(Rc::new)
}

/// `E_SCHEMA`: a `dialect` option that contradicts a compiled policy's own.
pub(crate) fn dialect_mismatch(policy: &Policy, option: Dialect) -> Error {
    Error::new(
        Code::Schema,
        "/dialect",
        format!(
            "the compiled policy is `{}`, the `dialect` option says `{}`",
            policy.dialect().as_str(),
            option.as_str()
        ),
    )
    .with_help("leave `dialect` out when passing a compiled policy")
}

/// An error thrown by a conversion helper, as an [`Error`].
fn js_error(_: JsValue) -> Error {
    Error::new(
        Code::Schema,
        "",
        "expected a policy as YAML/JSON text, bytes or an object",
    )
}

/// `returns_by_strategy` whose series are all `Float64Array`s: each copied into wasm only when
/// the correlation pass asks for it (it compares the top-k candidates alone), and kept while
/// the evaluation's source holds them: asked again, a series is the copy made first, whatever
/// the caller did to its array since (the whole decision written after its summary does not
/// ask: it replays the correlations, [`Source::forget_series`]). The views were read once, and
/// lined up with the strategies' input order in JS (`series.js`), when the options were read:
/// no getter runs again, and no id crosses to find a series.
struct JsSeries {
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

/// What [`evaluation_input`] reads: the input without its metrics, the strategies standing for
/// them and their ids as JS strings in input order (when the metrics were an object or a
/// `Map`), and the returns series when they are read on demand.
type Read = (
    EvaluationInput,
    Strategies,
    Option<js_sys::Array>,
    Option<JsSeries>,
);

/// Builds the evaluation input from `metricsByStrategy` and the options object for a policy of
/// `dialect`: the metrics come back apart, read straight into the engine's strategies
/// ([`super::tape::js_to_strategies`]; the input's own `metrics` left empty), and so do the
/// returns series when they are read on demand ([`JsSeries`]). The errors are those of
/// [`EvaluationInput::from_owned`] for the same input, in the same order.
fn evaluation_input(
    metrics: &JsValue,
    options: &JsValue,
    dialect: Dialect,
) -> Result<Read, JsValue> {
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
    Ok((input, strategies, ids, lazy))
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

/// `E_SCHEMA` at `/<name>`: an unknown option, with the closest of `known` as help.
fn unknown_option(name: &str, known: &[&str]) -> Error {
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

#[wasm_bindgen]
impl CompiledPolicy {
    /// Evaluates a batch: `metricsByStrategy` is `{id: metrics}` (flat or nested); returns the
    /// decision object, whose members are parsed from the engine's text when first read (plain
    /// data to `JSON.stringify`, `structuredClone`, `Object.keys` and spread alike);
    /// `wireText(decision)` gives that text without a parse.
    #[wasm_bindgen(unchecked_return_type = "Decision")]
    pub fn evaluate(
        &self,
        #[wasm_bindgen(unchecked_param_type = "MetricsByStrategy")] metrics: JsValue,
        #[wasm_bindgen(unchecked_param_type = "EvaluateOptions | undefined")] options: Option<
            JsValue,
        >,
    ) -> Result<JsValue, JsValue> {
        let options = self.options(options)?;
        let read = evaluation_input(&metrics, &options, self.inner.dialect())?;
        decision_to_js(Rc::clone(&self.inner), read)
    }

    /// The decision's verdicts (`Verdicts`: every member of the decision but each strategy's
    /// `rule_results`, `violations` and `explanations`) as plain data, built at once: what a
    /// caller acting on the decision reads, for less than `evaluate` costs. Same arguments,
    /// options and errors as `evaluate`; the values are the whole decision's.
    #[wasm_bindgen(unchecked_return_type = "Verdicts")]
    pub fn verdicts(
        &self,
        #[wasm_bindgen(unchecked_param_type = "MetricsByStrategy")] metrics: JsValue,
        #[wasm_bindgen(unchecked_param_type = "EvaluateOptions | undefined")] options: Option<
            JsValue,
        >,
    ) -> Result<JsValue, JsValue> {
        let options = self.options(options)?;
        verdicts_to_js(&self.inner, &metrics, &options)
    }

    /// The handle's id, by which the engine recognises it where a policy may stand.
    #[wasm_bindgen(getter, js_name = __wgPolicyId)]
    pub fn id_value(&self) -> u32 {
        self.id
    }

    /// `sha256:<hex>` of the normalized policy.
    #[wasm_bindgen(js_name = rulesetHash)]
    pub fn ruleset_hash(&self) -> String {
        self.inner.ruleset_hash().to_string()
    }

    /// The dialect in force: `"strict"` or `"qmtl"`.
    #[wasm_bindgen(getter, unchecked_return_type = "Dialect")]
    pub fn dialect(&self) -> String {
        self.inner.dialect().as_str().to_string()
    }

    /// The normalized policy document.
    #[wasm_bindgen(js_name = toJSON, unchecked_return_type = "PolicyDocument")]
    pub fn to_json(&self) -> Result<JsValue, JsValue> {
        to_js(self.inner.document())
    }
}

/// Parses a policy (YAML/JSON text, bytes or object); `options.dialect` is `strict` (default)
/// or `qmtl`, unless the document says otherwise. Throws `WorldgateError` (`E_PARSE`,
/// `E_POLICY_INVALID`, …) with every error in `errors`.
#[wasm_bindgen(js_name = parsePolicy)]
pub fn parse_policy(
    #[wasm_bindgen(unchecked_param_type = "DocumentInput")] input: JsValue,
    #[wasm_bindgen(unchecked_param_type = "PolicyOptions | undefined")] options: Option<JsValue>,
) -> Result<CompiledPolicy, JsValue> {
    let dialect = dialect_option(&options.unwrap_or(JsValue::UNDEFINED), true)?;
    let policy = policy_arg(&input, dialect).map_err(|e| errors_to_js(&e))?;
    Ok(CompiledPolicy::new(Rc::unwrap_or_clone(policy)))
}

/// Evaluates a policy — a `CompiledPolicy`, or a document (text, bytes, object) parsed in
/// `options.dialect` — over `metricsByStrategy` (options as `CompiledPolicy.evaluate`).
#[wasm_bindgen(js_name = evaluatePolicy, unchecked_return_type = "Decision")]
pub fn evaluate_policy(
    #[wasm_bindgen(unchecked_param_type = "PolicyInput")] policy: JsValue,
    #[wasm_bindgen(unchecked_param_type = "MetricsByStrategy")] metrics: JsValue,
    #[wasm_bindgen(unchecked_param_type = "EvaluateOptions | undefined")] options: Option<JsValue>,
) -> Result<JsValue, JsValue> {
    let (policy, options) = one_shot(&policy, options)?;
    let read = evaluation_input(&metrics, &options, policy.dialect())?;
    decision_to_js(policy, read)
}

/// The policy and options of a one-shot call (`evaluatePolicy`, `evaluateVerdicts`): a
/// `CompiledPolicy` in its own dialect, or a document compiled in `options.dialect`.
fn one_shot(policy: &JsValue, options: Option<JsValue>) -> Result<(Rc<Policy>, JsValue), JsValue> {
    let options = options.unwrap_or(JsValue::UNDEFINED);
    let dialect = dialect_option(&options, false)?;
    let policy = policy_arg(policy, dialect).map_err(|e| errors_to_js(&e))?;
    Ok((policy, options))
}

/// The verdicts of a policy — a `CompiledPolicy`, or a document (text, bytes, object) parsed in
/// `options.dialect` — over `metricsByStrategy`, as `CompiledPolicy.verdicts` (options as
/// `evaluatePolicy`).
#[wasm_bindgen(js_name = evaluateVerdicts, unchecked_return_type = "Verdicts")]
pub fn evaluate_verdicts(
    #[wasm_bindgen(unchecked_param_type = "PolicyInput")] policy: JsValue,
    #[wasm_bindgen(unchecked_param_type = "MetricsByStrategy")] metrics: JsValue,
    #[wasm_bindgen(unchecked_param_type = "EvaluateOptions | undefined")] options: Option<JsValue>,
) -> Result<JsValue, JsValue> {
    let (policy, options) = one_shot(&policy, options)?;
    verdicts_to_js(&policy, &metrics, &options)
}

/// The verdicts ([`api::verdicts`]) of `policy` over the evaluation input read from `metrics`
/// and `options` ([`evaluation_input`]), as plain JS objects (no lazy member, nothing kept in
/// wasm): built by the package's reader from their columns ([`api::verdict_columns`]: ~3× less
/// than `JSON.parse` of the text in V8), else `JSON.parse` of the text.
fn verdicts_to_js(
    policy: &Policy,
    metrics: &JsValue,
    options: &JsValue,
) -> Result<JsValue, JsValue> {
    let (input, strategies, ids, series) = evaluation_input(metrics, options, policy.dialect())?;
    let given = Given {
        strategies: Some(&strategies),
        series: series.as_ref().map(|s| s as &dyn SeriesSource),
        memo: None,
    };
    if super::wire::has_host()
        && let Some(columns) =
            api::verdict_columns(policy, &input, given, ids.is_none()).map_err(error_to_js)?
        && let Some(v) = super::wire::verdicts_to_js(
            &columns,
            ids.as_ref().map(|k| (k, strategies.input_positions())),
        )
    {
        return Ok(v);
    }
    let text = api::verdicts_with(policy, &input, given).map_err(error_to_js)?;
    js_sys::JSON::parse(&text).map_err(|_| {
        error_to_js(Error::new(
            Code::Internal,
            "",
            "cannot convert result: the host rejected the JSON text",
        ))
    })
}

/// What the whole decision is written from after its summary: the policy, the input, the
/// strategies read from its metrics, and the correlation stage's outcome the summary recorded
/// (until then, the series read so far: their copies kept).
struct Source {
    policy: Rc<Policy>,
    input: EvaluationInput,
    strategies: Strategies,
    series: Option<JsSeries>,
    /// The correlation stage's outcome, recorded by the summary ([`Given::memo`]).
    memo: RefCell<Option<CorrelationMemo>>,
}

impl Source {
    /// What the evaluation is handed beside the input.
    fn given(&self) -> Given<'_> {
        Given {
            strategies: Some(&self.strategies),
            series: self.series.as_ref().map(|s| s as &dyn SeriesSource),
            memo: Some(&self.memo),
        }
    }

    /// Drops what only the correlation stage reads (the series, their copies, the timestamps)
    /// once its outcome is recorded: the whole decision replays it.
    fn forget_series(&mut self) {
        if self.memo.borrow().is_some() {
            self.series = None;
            self.input.returns = None;
            self.input.timestamps = None;
        }
    }

    /// About how many bytes of wasm memory the source holds: its strategies (about two hundred
    /// bytes each for a flat block of three metrics), its series' copies and its memo.
    fn bytes(&self) -> usize {
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
        let memo = self
            .memo
            .borrow()
            .as_ref()
            .map_or(0, CorrelationMemo::bytes);
        self.strategies.bytes() + (copies + given) * 8 + memo
    }
}

/// The sources waiting for a read of their decision's details hold at most about this many
/// bytes; past it a decision is written whole at once. A source is dropped when its details
/// are read, or when the host collects its decision (the package's `FinalizationRegistry`,
/// which runs between tasks: a synchronous loop of evaluations fills the budget, then gets
/// whole decisions).
const SOURCE_BUDGET: usize = 32 << 20;

thread_local! {
    /// The sources of the decisions handed out as summaries, by id (`__wgDecisionFull`), and
    /// their sizes.
    static SOURCES: RefCell<Vec<(u32, usize, Source)>> = const { RefCell::new(Vec::new()) };
    static NEXT_SOURCE: Cell<u32> = const { Cell::new(1) };
}

/// One decision in this many of a policy whose callers read the details is a summary again
/// (a probe: see [`whole_at_once`]).
const PROBE: u32 = 8;

thread_local! {
    /// Policies (by ruleset hash) whose last summary had its details or text read, and how
    /// many decisions each has made since: most of their decisions are written whole at once.
    static READERS: RefCell<Vec<(String, u32)>> = const { RefCell::new(Vec::new()) };
}

/// Whether the next decision of the policy `hash` is written whole at once rather than as a
/// summary: when its callers read the details of the last summary (a viewer showing the whole
/// decision would otherwise pay the summary and then the whole evaluation), except one in
/// [`PROBE`]; and never while a summary of it waits unread (its callers read the verdicts: the
/// mark is dropped). Only the cost moves: both ways give the same decision.
fn whole_at_once(hash: &str) -> bool {
    let waiting = SOURCES.with(|s| {
        s.borrow()
            .iter()
            .any(|(_, _, src)| src.policy.ruleset_hash() == hash)
    });
    READERS.with(|r| {
        let mut r = r.borrow_mut();
        let Some(at) = r.iter().position(|(h, _)| h == hash) else {
            return false;
        };
        if waiting {
            r.remove(at);
            return false;
        }
        r.get_mut(at).is_some_and(|(_, n)| {
            *n = n.wrapping_add(1);
            *n % PROBE != 0
        })
    })
}

/// Marks the policy `hash` as one whose callers read the details ([`whole_at_once`]).
fn mark_reader(hash: &str) {
    READERS.with(|r| {
        let mut r = r.borrow_mut();
        if !r.iter().any(|(h, _)| h == hash) {
            if r.len() >= 16 {
                r.remove(0);
            }
            r.push((hash.to_string(), 0));
        }
    });
}

/// The bytes the waiting sources hold ([`Source::bytes`]).
fn sources_bytes() -> usize {
    SOURCES.with(|s| s.borrow().iter().map(|(_, n, _)| n).sum())
}

/// The decision of `policy` over `input` as a JS object read on demand. With the package's
/// reader installed: the decision's summary ([`crate::policy::wire::evaluate_summary_wire`]:
/// each strategy's verdict, rank and weight, no explanation built), its details (rule results,
/// violations, explanations) and its whole text (`wireText`) written by `__wgDecisionFull`
/// when first read. Otherwise, past [`SOURCE_BUDGET`], or for a policy whose callers read
/// the details ([`whole_at_once`]): the whole decision's text at once
/// ([`crate::policy::wire::evaluate_wire_with`]). Either way each member is parsed when first
/// read and the text is byte for byte the decision's.
fn decision_to_js(
    policy: Rc<Policy>,
    (input, strategies, _, series): Read,
) -> Result<JsValue, JsValue> {
    let mut source = Source {
        policy,
        input,
        strategies,
        series,
        memo: RefCell::new(None),
    };
    if !super::wire::has_host()
        || sources_bytes() + source.bytes() > SOURCE_BUDGET
        || whole_at_once(source.policy.ruleset_hash())
    {
        return super::wire::to_js(&full_text(&source)?);
    }
    let wire = crate::policy::wire::evaluate_summary_wire_with(
        &source.policy,
        &source.input,
        source.given(),
    )
    .and_then(crate::policy::wire::Wire::finish)
    .map_err(convert_error)?;
    source.forget_series();
    let id = NEXT_SOURCE.with(|n| {
        let id = n.get();
        n.set(id.wrapping_add(1).max(1));
        id
    });
    let bytes = source.bytes();
    SOURCES.with(|s| s.borrow_mut().push((id, bytes, source)));
    super::wire::to_js_from(&wire, Some(id))
}

/// The whole decision's wire text.
fn full_text(source: &Source) -> Result<crate::policy::wire::WireText, JsValue> {
    crate::policy::wire::evaluate_wire_with(&source.policy, &source.input, source.given())
        .and_then(crate::policy::wire::Wire::finish)
        .map_err(convert_error)
}

fn convert_error(e: serde_json::Error) -> JsValue {
    error_to_js(Error::new(
        Code::Internal,
        "",
        format!("cannot convert result: {e}"),
    ))
}

/// The whole decision of the summary handed out under `id`, read on demand as any decision (its
/// source dropped: the reader keeps this object). Not part of the public API: the package's
/// reader calls it when a summary's deferred member or text is first read.
///
/// # Errors
/// `E_INTERNAL` when `id` is not a summary's waiting source (already read, or the engine was
/// reset since).
#[wasm_bindgen(js_name = __wgDecisionFull)]
pub fn decision_full(id: u32) -> Result<JsValue, JsValue> {
    let source = SOURCES.with(|s| {
        let mut s = s.borrow_mut();
        let at = s.iter().position(|(i, _, _)| *i == id)?;
        Some(s.swap_remove(at).2)
    });
    let Some(source) = source else {
        return Err(error_to_js(Error::new(
            Code::Internal,
            "",
            "this decision's details are no longer available (the engine was reset since)",
        )));
    };
    mark_reader(source.policy.ruleset_hash());
    super::wire::to_js(&full_text(&source)?)
}

/// Drops the source of the summary handed out under `id` (its decision was collected without
/// its details read). Not part of the public API.
#[wasm_bindgen(js_name = __wgDecisionDrop)]
pub fn decision_drop(id: u32) {
    SOURCES.with(|s| s.borrow_mut().retain(|(i, _, _)| *i != id));
}

/// Names of the preset policies.
#[wasm_bindgen(js_name = policyPresets)]
pub fn policy_presets() -> Vec<String> {
    crate::policy::PRESET_NAMES
        .iter()
        .map(|s| (*s).to_string())
        .collect()
}

/// A preset policy (`sandbox`, `conservative`, `moderate`, `aggressive`), compiled.
#[wasm_bindgen(js_name = presetPolicy)]
pub fn preset_policy(
    name: &str,
    #[wasm_bindgen(unchecked_param_type = "PolicyOptions | undefined")] options: Option<JsValue>,
) -> Result<CompiledPolicy, JsValue> {
    let dialect = dialect_option(&options.unwrap_or(JsValue::UNDEFINED), true)?.unwrap_or_default();
    api::preset(name, dialect)
        .map(CompiledPolicy::new)
        .map_err(error_to_js)
}

/// Lints a policy (a `CompiledPolicy`, or a document parsed in its own or the strict dialect):
/// metric names that nothing computes or carries (with a did-you-mean) and ambiguous
/// drawdown bounds. `options.metric_names` adds the names the strategies carry,
/// `options.custom` declares custom metrics. `{ok, errors, warnings}`; throws a
/// `WorldgateError` only when the policy does not parse.
#[wasm_bindgen(js_name = lintPolicy, unchecked_return_type = "PolicyLint")]
pub fn lint_policy(
    #[wasm_bindgen(unchecked_param_type = "PolicyInput")] policy: JsValue,
    #[wasm_bindgen(unchecked_param_type = "LintOptions | undefined")] options: Option<JsValue>,
) -> Result<JsValue, JsValue> {
    let options: crate::schema::LintOptions =
        super::from_js(&options.unwrap_or(JsValue::UNDEFINED))?;
    let policy = policy_arg(&policy, None).map_err(|e| errors_to_js(&e))?;
    to_js(&api::lint(&policy, &options, &[]))
}
