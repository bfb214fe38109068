//! Policy shims: `parsePolicy`, `CompiledPolicy` (a parsed policy kept inside wasm),
//! `evaluatePolicy`, `evaluateVerdicts`, `policyPresets`, `presetPolicy`, `lintPolicy`.
//!
//! Options keep the wire's snake_case keys: `parsePolicy(text | object | bytes, {dialect})`;
//! `policy.evaluate(metricsByStrategy, {previous, correlations, returns_by_strategy,
//! timestamps_by_strategy, stage, profile})` with `previous` an array of ids or the `state` of
//! an earlier decision, each series a `Float64Array` or `number[]` and each timestamps list
//! RFC 3339 UTC strings, one per return (`previousState` / `returnsByStrategy` /
//! `timestampsByStrategy` / `prev_active` / `returns` / `timestamps` are accepted as aliases).

use super::handle::{self, Found, Handles};
use super::input::{Prepared, evaluation_input};
use super::options::dialect_option;
use super::wire::ColumnsAs;
use super::{error_to_js, errors_to_js, input_bytes, to_js};
use crate::api::policy::{self as api, PolicySource};
use crate::policy::{CorrelationMemo, Dialect, Given, Policy};
use crate::{Code, Error};
use std::cell::{Cell, RefCell};
use std::rc::Rc;
use wasm_bindgen::prelude::*;

#[wasm_bindgen(typescript_custom_section)]
const VERDICT_TABLE_TS: &str = r#"
/**
 * A decision's verdicts as columns (`CompiledPolicy.verdictTable`): the members of `Verdicts`
 * but `strategies` (its `state` is built when first read, as the verdicts'), and one row per
 * strategy: row `i` is the strategy `ids[i]`, rows in the order of `Verdicts.strategies`
 * (input order in the qmtl dialect, by id in strict). `status_names[status[i]]` is the
 * strategy's `status`, `verdict_names[verdict[i]]` its `verdict`.
 */
export type VerdictTable = Omit<Verdicts, "strategies"> & {
  /** The strategies' ids, one per row. */
  ids: string[];
  /** Each row's rule status, as an index into `status_names`. */
  status: Uint8Array;
  /** Each row's verdict, as an index into `verdict_names`. */
  verdict: Uint8Array;
  /** 1 where the strategy is selected, else 0. */
  is_selected: Uint8Array;
  /** Each row's 1-based rank; 0 where it has none (`null` in `Verdicts`). */
  rank: Uint32Array;
  /** Each row's weight; NaN where it has none (`null` in `Verdicts`: exactly the rows not
   *  selected). A weight that is not finite is its number here (the wire writes `"nan"`). */
  weight: Float64Array;
  /** The status codes' names: `["pass", "warn", "fail"]`. */
  status_names: RuleStatus[];
  /** The verdict codes' names: `["valid", "warn", "invalid", "pending"]`. */
  verdict_names: Verdict[];
};
"#;

/// A policy parsed once and kept inside wasm; evaluate whole batches with it, or gate bundles
/// (`gate`, in [`super::bundle`]).
#[wasm_bindgen]
pub struct CompiledPolicy {
    id: u32,
    inner: Rc<Policy>,
}

thread_local! {
    /// The live compiled policies, so a `CompiledPolicy` passed where a policy document may
    /// stand (`evaluatePolicy`, `gateBundle`) is recognised and used as is.
    static COMPILED: Handles<Policy> = const { Handles::new() };
}

impl CompiledPolicy {
    /// The policy this handle holds (its `gate` method lives with the gate shims,
    /// [`super::bundle`]).
    pub(crate) fn policy(&self) -> &Policy {
        &self.inner
    }

    /// The input of `evaluate`, `verdicts` and `verdictTable` read under their options
    /// (`undefined` when absent), checked against the policy's own dialect: a different
    /// `dialect` option is an error.
    fn read(&self, metrics: &JsValue, options: Option<JsValue>) -> Result<Rc<Prepared>, JsValue> {
        let options = options.unwrap_or(JsValue::UNDEFINED);
        if let Some(d) = dialect_option(&options, false)?
            && d != self.inner.dialect()
        {
            return Err(error_to_js(dialect_mismatch(&self.inner, d)));
        }
        prepared(metrics, &options, self.inner.dialect())
    }

    fn new(policy: Policy) -> Self {
        let inner = Rc::new(policy);
        let id = COMPILED.with(|c| c.add(&inner));
        CompiledPolicy { id, inner }
    }
}

impl Drop for CompiledPolicy {
    fn drop(&mut self) {
        COMPILED.with(|c| c.remove(self.id));
    }
}

/// The compiled policy `value` is, when it is a `CompiledPolicy` ([`handle::lookup`]).
///
/// # Errors
/// `E_SCHEMA`: a freed or stale `CompiledPolicy`, or another engine object.
fn compiled(value: &JsValue) -> Result<Option<Rc<Policy>>, Error> {
    let what = "a CompiledPolicy or a policy document";
    match handle::lookup(&COMPILED, value, "__wgPolicyId", what, "")? {
        Found::Live(p) => Ok(Some(p)),
        Found::Data => Ok(None),
    }
}

/// A policy argument: a `CompiledPolicy` (whose own dialect stands; a different `dialect`
/// option is an error), YAML/JSON text, bytes, or a policy object.
pub(crate) fn policy_arg(
    input: &JsValue,
    dialect: Option<Dialect>,
) -> Result<Rc<Policy>, Vec<Error>> {
    if let Some(p) = compiled(input).map_err(|e| vec![e])? {
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

#[wasm_bindgen]
impl CompiledPolicy {
    /// Evaluates a batch: `metricsByStrategy` is `{id: metrics}` (flat or nested), or a
    /// `StrategyBatch` read beforehand (then no options but `dialect`); returns the decision
    /// object, whose members are parsed from the engine's text when first read (plain
    /// data to `JSON.stringify`, `structuredClone`, `Object.keys` and spread alike);
    /// `wireText(decision)` gives that text without a parse.
    #[wasm_bindgen(unchecked_return_type = "Decision")]
    pub fn evaluate(
        &self,
        #[wasm_bindgen(unchecked_param_type = "MetricsByStrategy | StrategyBatch")]
        metrics: JsValue,
        #[wasm_bindgen(unchecked_param_type = "EvaluateOptions | undefined")] options: Option<
            JsValue,
        >,
    ) -> Result<JsValue, JsValue> {
        let read = self.read(&metrics, options)?;
        decision_to_js(Rc::clone(&self.inner), read)
    }

    /// The decision's verdicts (`Verdicts`: every member of the decision but each strategy's
    /// `rule_results`, `violations` and `explanations`) as plain data (its `state` built in JS
    /// when first read), nothing kept in wasm: what a caller acting on the decision reads, for
    /// less than `evaluate` costs. Same arguments, options and errors as `evaluate`; the values
    /// are the whole decision's.
    #[wasm_bindgen(unchecked_return_type = "Verdicts")]
    pub fn verdicts(
        &self,
        #[wasm_bindgen(unchecked_param_type = "MetricsByStrategy | StrategyBatch")]
        metrics: JsValue,
        #[wasm_bindgen(unchecked_param_type = "EvaluateOptions | undefined")] options: Option<
            JsValue,
        >,
    ) -> Result<JsValue, JsValue> {
        let read = self.read(&metrics, options)?;
        verdicts_to_js(&self.inner, &read)
    }

    /// The decision's verdicts as a table (`VerdictTable`): the `Verdicts`' head members and
    /// `state`, and one row per strategy in the order of `Verdicts.strategies` — its id, and
    /// its status, verdict, selection, rank and weight as typed arrays. For a caller showing or
    /// scanning thousands of strategies: no object per strategy is made. Same arguments,
    /// options and errors as `verdicts`; the values are the same decision's.
    #[wasm_bindgen(js_name = verdictTable, unchecked_return_type = "VerdictTable")]
    pub fn verdict_table(
        &self,
        #[wasm_bindgen(unchecked_param_type = "MetricsByStrategy | StrategyBatch")]
        metrics: JsValue,
        #[wasm_bindgen(unchecked_param_type = "EvaluateOptions | undefined")] options: Option<
            JsValue,
        >,
    ) -> Result<JsValue, JsValue> {
        let read = self.read(&metrics, options)?;
        let with_ids = read.ids.is_none();
        let columns = api::verdict_table(&self.inner, &read.input, read.given(), with_ids)
            .map_err(error_to_js)?;
        super::wire::columns_to_js(&columns, caller_ids(&read), ColumnsAs::Table).ok_or_else(|| {
            error_to_js(Error::new(
                Code::Internal,
                "",
                "cannot build the verdict table: the package's runtime layer is not installed",
            ))
        })
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
    #[wasm_bindgen(unchecked_param_type = "MetricsByStrategy | StrategyBatch")] metrics: JsValue,
    #[wasm_bindgen(unchecked_param_type = "EvaluateOptions | undefined")] options: Option<JsValue>,
) -> Result<JsValue, JsValue> {
    let (policy, read) = one_shot(&policy, &metrics, options)?;
    decision_to_js(policy, read)
}

/// The policy and input of a one-shot call (`evaluatePolicy`, `evaluateVerdicts`): a
/// `CompiledPolicy` in its own dialect, or a document compiled in `options.dialect` (absent:
/// a `StrategyBatch`'s dialect when one stands for the metrics, else strict).
fn one_shot(
    policy: &JsValue,
    metrics: &JsValue,
    options: Option<JsValue>,
) -> Result<(Rc<Policy>, Rc<Prepared>), JsValue> {
    let options = options.unwrap_or(JsValue::UNDEFINED);
    let batch = super::batch::batch(metrics)?;
    let dialect = dialect_option(&options, false)?.or(batch.as_ref().map(|b| b.dialect));
    let policy = policy_arg(policy, dialect).map_err(|e| errors_to_js(&e))?;
    let read = read_input(batch, metrics, &options, policy.dialect())?;
    Ok((policy, read))
}

/// The evaluation input of a call: the `StrategyBatch` given for the metrics ([`super::batch`]:
/// read when it was made, in the policy's `dialect`, its options with it), or `metrics` and
/// `options` read now ([`evaluation_input`]).
///
/// # Errors
/// As [`evaluation_input`]; with a batch, `E_SCHEMA` for a freed batch, one read in another
/// dialect, and any option but `dialect` (a batch's options are given when it is made).
fn prepared(
    metrics: &JsValue,
    options: &JsValue,
    dialect: Dialect,
) -> Result<Rc<Prepared>, JsValue> {
    read_input(super::batch::batch(metrics)?, metrics, options, dialect)
}

/// [`prepared`] with the batch `metrics` is (if any) already looked up.
fn read_input(
    batch: Option<Rc<Prepared>>,
    metrics: &JsValue,
    options: &JsValue,
    dialect: Dialect,
) -> Result<Rc<Prepared>, JsValue> {
    match batch {
        Some(batch) => super::batch::check_use(batch, options, dialect),
        None => evaluation_input(metrics, options, dialect).map(Rc::new),
    }
}

/// The verdicts of a policy — a `CompiledPolicy`, or a document (text, bytes, object) parsed in
/// `options.dialect` — over `metricsByStrategy`, as `CompiledPolicy.verdicts` (options as
/// `evaluatePolicy`).
#[wasm_bindgen(js_name = evaluateVerdicts, unchecked_return_type = "Verdicts")]
pub fn evaluate_verdicts(
    #[wasm_bindgen(unchecked_param_type = "PolicyInput")] policy: JsValue,
    #[wasm_bindgen(unchecked_param_type = "MetricsByStrategy | StrategyBatch")] metrics: JsValue,
    #[wasm_bindgen(unchecked_param_type = "EvaluateOptions | undefined")] options: Option<JsValue>,
) -> Result<JsValue, JsValue> {
    let (policy, read) = one_shot(&policy, &metrics, options)?;
    verdicts_to_js(&policy, &read)
}

/// The verdicts ([`api::verdicts`]) of `policy` over the evaluation input `read`
/// ([`prepared`]), as plain JS objects (nothing kept in wasm): built by the package's reader
/// from their columns ([`api::verdict_columns`]: ~3× less than `JSON.parse` of the text in
/// V8; the `state` member when first read), else `JSON.parse` of the text.
fn verdicts_to_js(policy: &Policy, read: &Prepared) -> Result<JsValue, JsValue> {
    let input = &read.input;
    if super::wire::has_host()
        && let Some(columns) = api::verdict_columns(policy, input, read.given(), read.ids.is_none())
            .map_err(error_to_js)?
        && let Some(v) = super::wire::columns_to_js(&columns, caller_ids(read), ColumnsAs::Verdicts)
    {
        return Ok(v);
    }
    let text = api::verdicts_with(policy, input, read.given()).map_err(error_to_js)?;
    js_sys::JSON::parse(&text).map_err(|_| {
        error_to_js(Error::new(
            Code::Internal,
            "",
            "cannot convert result: the host rejected the JSON text",
        ))
    })
}

/// The strategy ids as the caller gave them (when it gave them as JS strings), with each
/// strategy's position among them: a host builds the answer's ids from these, so the engine's
/// columns need not carry them.
fn caller_ids(read: &Prepared) -> Option<(&js_sys::Array, &[u32])> {
    let ids = read.ids.as_ref()?;
    Some((ids, read.strategies.input_positions()))
}

/// What the whole decision is written from after its summary: the policy, the input read
/// (shared with its `StrategyBatch`, if any), and the correlation stage's outcome the summary
/// recorded (until then, the series read so far: their copies kept).
struct Source {
    policy: Rc<Policy>,
    read: Rc<Prepared>,
    /// The correlation stage's outcome, recorded by the summary ([`Given::memo`]).
    memo: RefCell<Option<CorrelationMemo>>,
}

impl Source {
    /// What the evaluation is handed beside the input.
    fn given(&self) -> Given<'_> {
        Given {
            memo: Some(&self.memo),
            ..self.read.given()
        }
    }

    /// Drops what only the correlation stage reads (the series, their copies, the timestamps)
    /// once its outcome is recorded, unless a batch shares them: the whole decision replays it.
    fn forget_series(&mut self) {
        if self.memo.borrow().is_some()
            && let Some(read) = Rc::get_mut(&mut self.read)
        {
            read.series = None;
            read.input.returns = None;
            read.input.timestamps = None;
        }
    }

    /// About how many bytes of wasm memory the source holds: its input unless a batch shares
    /// it ([`Prepared::bytes`]), and its memo.
    fn bytes(&self) -> usize {
        let read = if Rc::strong_count(&self.read) == 1 {
            self.read.bytes()
        } else {
            0
        };
        let memo = self
            .memo
            .borrow()
            .as_ref()
            .map_or(0, CorrelationMemo::bytes);
        read + memo
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
fn decision_to_js(policy: Rc<Policy>, read: Rc<Prepared>) -> Result<JsValue, JsValue> {
    let mut source = Source {
        policy,
        read,
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
        &source.read.input,
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
    crate::policy::wire::evaluate_wire_with(&source.policy, &source.read.input, source.given())
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
