//! Policy operations: the decoding every surface shares (the dialect option, policy text or
//! bytes or document) and compiling, written once for the bindings, the CLI and the edge; a
//! policy's verdicts ([`verdicts`]).

use crate::error::{Code, Error};
use crate::policy::{Dialect, EvaluationInput, Given, Policy};
use crate::schema::{LintOptions, PolicyLint};
use serde_json::Value;

/// A policy as a caller holds it.
#[derive(Debug, Clone, Copy)]
pub enum PolicySource<'a> {
    /// YAML or JSON text.
    Text(&'a str),
    /// YAML or JSON text as bytes (must be UTF-8).
    Bytes(&'a [u8]),
    /// A policy document already read as JSON.
    Document(&'a Value),
}

/// The `dialect` option: absent → `strict` (a document's own `dialect:` key still wins when
/// the policy is compiled).
///
/// # Errors
/// `E_SCHEMA` at `path` for anything but `"strict"` or `"qmtl"` — never a silent default.
pub fn dialect(value: Option<&Value>, path: &str) -> Result<Dialect, Error> {
    match value {
        None | Some(Value::Null) => Ok(Dialect::Strict),
        Some(Value::String(s)) => dialect_named(s, path),
        Some(other) => Err(unknown_dialect(
            &serde_json::to_string(other).unwrap_or_default(),
            path,
        )),
    }
}

/// [`dialect`] for a name.
///
/// # Errors
/// `E_SCHEMA` at `path` for an unknown name, with a did-you-mean.
pub fn dialect_named(name: &str, path: &str) -> Result<Dialect, Error> {
    Dialect::from_name(name).ok_or_else(|| unknown_dialect(name, path))
}

fn unknown_dialect(name: &str, path: &str) -> Error {
    let names = Dialect::ALL.map(|(n, _)| n);
    let e = Error::new(
        Code::Schema,
        path,
        format!("unknown dialect `{name}`: expected `strict` or `qmtl`"),
    );
    match crate::suggest::closest(name, names) {
        Some(s) => e.with_help(format!("did you mean `{s}`?")),
        None => e,
    }
}

/// Compiles a policy in `dialect` (unless the document names its own).
///
/// # Errors
/// `E_PARSE` for bytes that are not UTF-8 or text that is not YAML/JSON (line and column in the
/// message); `E_POLICY_INVALID` and `E_SCHEMA` for a policy that does not hold, every error with
/// its JSON pointer. Messages and paths are sanitized: a secret in the input is never quoted.
pub fn compile(source: PolicySource<'_>, dialect: Dialect) -> Result<Policy, Vec<Error>> {
    compile_unsanitized(source, dialect).map_err(|mut errors| {
        // messages quote the input (`unknown key …`): a secret there must not come back
        crate::bundle::sanitize::sanitize_errors(&mut errors);
        errors
    })
}

fn compile_unsanitized(source: PolicySource<'_>, dialect: Dialect) -> Result<Policy, Vec<Error>> {
    match source {
        PolicySource::Text(text) => Policy::parse(text, dialect),
        PolicySource::Bytes(bytes) => {
            let text = std::str::from_utf8(bytes).map_err(|e| {
                vec![Error::new(
                    Code::Parse,
                    "",
                    format!(
                        "the policy text is not valid utf-8 (at byte {})",
                        e.valid_up_to()
                    ),
                )]
            })?;
            Policy::parse(text, dialect)
        }
        PolicySource::Document(value) => Policy::from_value(value, dialect),
    }
}

/// A preset policy by name (`sandbox`, `conservative`, `moderate`, `aggressive`).
///
/// # Errors
/// `E_INVALID_VALUE` for an unknown name, with the list of presets (and a did-you-mean).
pub fn preset(name: &str, dialect: Dialect) -> Result<Policy, Error> {
    Policy::preset_in(name, dialect).ok_or_else(|| {
        let names = crate::policy::PRESET_NAMES;
        let mut e = Error::new(Code::InvalidValue, "", format!("no preset policy `{name}`"));
        e = match crate::suggest::closest(name, names.iter().copied()) {
            Some(s) => e.with_help(format!("did you mean `{s}`? presets: {}", names.join(", "))),
            None => e.with_help(format!("presets: {}", names.join(", "))),
        };
        e
    })
}

/// Lints a compiled policy ([`crate::policy::lint`]): unknown metric names (against the
/// engine's names, `options.metric_names` and the names carried by `against`, documents such
/// as bundles, snapshots or metrics documents) and ambiguous drawdown bounds.
pub fn lint(policy: &Policy, options: &LintOptions, against: &[Value]) -> PolicyLint {
    let mut names: Vec<String> = options.metric_names.clone().unwrap_or_default();
    for doc in against {
        names.extend(crate::policy::lint::metric_names_of(doc));
    }
    crate::policy::lint::lint(
        policy,
        &crate::policy::lint::LintOptions {
            metric_names: names,
            custom: options.custom.clone().unwrap_or_default(),
        },
    )
}

/// A policy spec as the CLI and the edge name one: `preset:<name>` or the policy's text.
///
/// # Errors
/// [`preset`]'s and [`compile`]'s errors.
pub fn compile_spec(spec: PolicySource<'_>, dialect: Dialect) -> Result<Policy, Vec<Error>> {
    if let PolicySource::Text(t) = spec
        && let Some(name) = t.strip_prefix("preset:")
    {
        return preset(name.trim(), dialect).map_err(|e| vec![e]);
    }
    compile(spec, dialect)
}

/// The verdicts of `policy` over `input`: what a caller acting on the decision reads — the
/// [`crate::schema::Verdicts`] document, every member of the decision but each strategy's
/// `rule_results`, `violations` and `explanations` — as its compact JSON text, byte for byte
/// `serde_json::to_string(&Verdicts::from(&policy.evaluate(input)))` (the same selection,
/// order, ranks, weights, state and notes, the same number texts). The stages build no
/// explanation, so this costs what the decision's verdicts need
/// ([`crate::policy::wire::evaluate_verdicts_wire`]). Decoding the input (metrics, previous
/// state, correlations, series, stage, profile) is the caller's: its errors come from
/// [`crate::policy::EvaluationInput`]; an evaluation itself never fails on the input.
///
/// # Errors
/// `E_INTERNAL` when the text cannot be written (never for the engine's decisions).
pub fn verdicts(policy: &Policy, input: &EvaluationInput) -> Result<String, Error> {
    verdicts_with(policy, input, Given::default())
}

/// [`verdicts`] with parts of the input given apart ([`Given`]: the strategies the bindings read
/// straight from the caller's objects, the returns series read on demand from the caller's
/// arrays).
///
/// # Errors
/// As [`verdicts`].
pub(crate) fn verdicts_with(
    policy: &Policy,
    input: &EvaluationInput,
    given: Given<'_>,
) -> Result<String, Error> {
    crate::policy::wire::evaluate_verdicts_wire_with(policy, input, given)
        .and_then(crate::policy::wire::Wire::into_string)
        .map_err(|e| unwritable(&e))
}

/// `E_INTERNAL`: the verdicts could not be written (never for the engine's decisions).
fn unwritable(e: &serde_json::Error) -> Error {
    Error::new(
        Code::Internal,
        "",
        format!("cannot write the verdicts: {e}"),
    )
}

/// [`verdicts_with`] as columns, for a host that builds its objects from them
/// ([`crate::policy::wire::VerdictColumns`]; the ids' columns only `with_ids`: a host holding
/// the ids finds each strategy's by its input position); `None` when a member has no column
/// form or a weight is not finite (then take the text: it writes such a weight in its wire
/// form).
///
/// # Errors
/// As [`verdicts`].
#[cfg(feature = "wasm")]
pub(crate) fn verdict_columns(
    policy: &Policy,
    input: &EvaluationInput,
    given: Given<'_>,
    with_ids: bool,
) -> Result<Option<crate::policy::wire::VerdictColumns>, Error> {
    Ok(columns(policy, input, given, with_ids)?.filter(|c| c.weights_finite))
}

/// The verdicts as a table: [`verdict_columns`] with every weight as its number, finite or not
/// (a host hands the columns out as typed arrays, which hold any double).
///
/// # Errors
/// As [`verdicts`].
#[cfg(feature = "wasm")]
pub(crate) fn verdict_table(
    policy: &Policy,
    input: &EvaluationInput,
    given: Given<'_>,
    with_ids: bool,
) -> Result<crate::policy::wire::VerdictColumns, Error> {
    columns(policy, input, given, with_ids)?.ok_or_else(|| {
        Error::new(
            Code::Internal,
            "",
            "cannot write the verdicts as a table: a strategy's status or verdict has no code",
        )
    })
}

/// The verdicts' columns as the engine writes them (`None`: a member with no column form).
#[cfg(feature = "wasm")]
fn columns(
    policy: &Policy,
    input: &EvaluationInput,
    given: Given<'_>,
    with_ids: bool,
) -> Result<Option<crate::policy::wire::VerdictColumns>, Error> {
    crate::policy::wire::evaluate_verdict_columns_with(policy, input, given, with_ids)
        .map_err(|e| unwritable(&e))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn an_unknown_dialect_is_an_error_never_a_default() {
        let e = dialect(Some(&Value::from("qmtll")), "/dialect").unwrap_err();
        assert_eq!((e.code, e.path.as_str()), (Code::Schema, "/dialect"));
        assert_eq!(e.help.as_deref(), Some("did you mean `qmtl`?"));
        assert!(dialect(Some(&Value::from(1)), "/dialect").is_err());
        assert_eq!(dialect(None, "").unwrap(), Dialect::Strict);
        assert_eq!(
            dialect(Some(&Value::from("qmtl")), "").unwrap(),
            Dialect::Qmtl
        );
    }

    #[test]
    fn bytes_that_are_not_utf8_say_where() {
        let e = compile(PolicySource::Bytes(b"top_k: \xff"), Dialect::Strict).unwrap_err();
        assert_eq!(e[0].code, Code::Parse);
        assert!(e[0].message.contains("byte 7"), "{}", e[0].message);
    }

    #[test]
    fn errors_never_quote_a_secret() {
        let e = compile(
            PolicySource::Text("thresholds: { AKIAIOSFODNN7EXAMPLE: 1 }"),
            Dialect::Strict,
        )
        .unwrap_err();
        let text = format!("{e:?}");
        assert!(!text.contains("IOSFODNN7EXAMPLE"), "{text}");
    }

    #[test]
    fn verdicts_are_the_decision_without_details() {
        let policy = preset("moderate", Dialect::Strict).unwrap();
        let input = EvaluationInput::from_value(&serde_json::json!({
            "metrics": {"a": {"sharpe": 1.2, "max_drawdown": 0.1}, "b": {"sharpe": -0.3}},
            "previous": ["b"],
        }))
        .unwrap();
        let text = verdicts(&policy, &input).unwrap();
        let want = crate::schema::Verdicts::from(&policy.evaluate(&input));
        assert_eq!(text, serde_json::to_string(&want).unwrap());
        let v: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(
            v["strategies"]["b"]
                .as_object()
                .unwrap()
                .keys()
                .collect::<Vec<_>>(),
            ["status", "verdict", "selected", "rank", "weight"]
        );
    }

    #[test]
    fn presets_by_name() {
        assert!(preset("conservative", Dialect::Strict).is_ok());
        let e = preset("conservativ", Dialect::Strict).unwrap_err();
        assert!(
            e.help
                .clone()
                .unwrap()
                .starts_with("did you mean `conservative`?")
        );
    }
}
