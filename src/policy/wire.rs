//! Wire text with a layout: a document written once as compact JSON text (byte for byte what
//! `serde_json::to_string` writes for the typed value), plus an index of where its members are,
//! so that a reader (the JavaScript package) parses only the members it reads.
//!
//! # The index
//! A flat list of `u32`, in units of the text as the reader holds it (UTF-16 code units, the
//! length unit of a JavaScript string; equal to bytes for ASCII text). It describes *nodes*:
//!
//! ```text
//! node   = kind start prefix_end n member{n}
//! member = key_start key_end value_start value_end child_len child?
//! ```
//!
//! - `kind` is 0 for an object, 1 for an array; `start` is the offset of its `{` or `[`.
//! - Objects: `text[start..prefix_end] + "}"` is a JSON object holding the *eager* members (the
//!   leading members written with [`Wire::eager`]: small values read at once); `n` members
//!   follow, each lazy: its key is the JSON string `text[key_start..key_end]`, its value
//!   `text[value_start..value_end]`.
//! - Arrays: `prefix_end` is `start + 1`; every element is a member with `key_start =
//!   key_end = 0`.
//! - `child_len > 0`: the value is itself a node, whose `child_len` entries follow the member
//!   (the member's value range is the whole node's text); 0: a plain JSON value.
//! - An empty value range (`value_start == value_end`, never a JSON value) marks a *deferred*
//!   member ([`Wire::deferred`]): its value is not in this text (a placeholder `null` stands
//!   there so the text stays JSON) but in the whole document's text, which the reader gets
//!   from the engine when the member is first read (see [`evaluate_summary_wire`]).
//!
//! Every member's text is valid JSON on its own, so the text of any node or member is what the
//! engine wrote for that value (e.g. a run record stored as is).

use super::eval::{Given, Strategies, StrategySummary};
use crate::schema::{
    ActivationState, Decision, Explanation, RuleResult, RuleResults, RuleStatus, StrategyDecision,
    StrategyState, Verdict,
};
use serde::Serialize;
use serde_json::Value;

/// A document's compact JSON text and its layout (see the module docs).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WireText {
    /// The compact JSON text.
    pub text: String,
    /// The layout, in UTF-16 code units of `text`.
    pub index: Vec<u32>,
}

/// Writes JSON text and records its layout. Member values are written by `serde_json`, so the
/// text is the typed value's own serialization when members are written in the struct's order.
#[derive(Debug, Clone, Default)]
pub struct Wire {
    out: Vec<u8>,
    /// The layout in byte offsets (converted once, at [`Wire::finish`]).
    index: Vec<usize>,
    /// The nodes open, innermost last.
    open: Vec<Open>,
}

#[derive(Debug, Clone)]
struct Open {
    header: usize,
    members: usize,
    /// The index position of the member entry whose value this node is, if any.
    member: Option<usize>,
    array: bool,
    /// Something was written inside (the next member needs a comma).
    written: bool,
}

const NODE_HEADER: usize = 4;
const MEMBER: usize = 5;

impl Wire {
    /// An empty writer with room for `bytes` of text.
    pub fn with_capacity(bytes: usize) -> Self {
        Wire {
            out: Vec::with_capacity(bytes),
            index: Vec::new(),
            open: Vec::new(),
        }
    }

    /// The text written so far.
    pub fn bytes(&self) -> &[u8] {
        &self.out
    }

    fn separator(&mut self) {
        if let Some(top) = self.open.last_mut() {
            if top.written {
                self.out.push(b',');
            }
            top.written = true;
        }
    }

    fn begin_node(&mut self, array: bool, member: Option<usize>) {
        let header = self.index.len();
        let start = self.out.len();
        self.out.push(if array { b'[' } else { b'{' });
        self.index
            .extend_from_slice(&[usize::from(array), start, start + 1, 0]);
        self.open.push(Open {
            header,
            members: 0,
            member,
            array,
            written: false,
        });
    }

    /// Opens the document's top-level object.
    pub fn begin_object(&mut self) {
        self.begin_node(false, None);
    }

    /// Writes an eager member (read at once by the reader); eager members come first.
    ///
    /// # Errors
    /// When `value` cannot be serialized.
    pub fn eager<T: Serialize + ?Sized>(
        &mut self,
        key: &str,
        value: &T,
    ) -> Result<(), serde_json::Error> {
        self.separator();
        write_str(&mut self.out, key)?;
        self.out.push(b':');
        serde_json::to_writer(&mut self.out, value)?;
        if let Some(top) = self.open.last()
            && let Some(slot) = self.index.get_mut(top.header + 2)
        {
            *slot = self.out.len();
        }
        Ok(())
    }

    /// Starts a lazy member: its key (none in arrays) and the separator; returns the position of
    /// its entry in the index.
    fn member_start(&mut self, key: Option<&str>) -> Result<usize, serde_json::Error> {
        self.separator();
        if let Some(top) = self.open.last_mut() {
            top.members += 1;
        }
        let at = self.index.len();
        let key_start = self.out.len();
        if let Some(key) = key {
            write_str(&mut self.out, key)?;
        }
        let key_end = self.out.len();
        if key.is_some() {
            self.out.push(b':');
        }
        let value_start = self.out.len();
        let (ks, ke) = if key.is_some() {
            (key_start, key_end)
        } else {
            (0, 0)
        };
        self.index.extend_from_slice(&[ks, ke, value_start, 0, 0]);
        Ok(at)
    }

    fn member_end(&mut self, at: usize) {
        let end = self.out.len();
        if let Some(slot) = self.index.get_mut(at + 3) {
            *slot = end;
        }
    }

    /// Writes a lazy member (an element, in an array: `key` is then ignored).
    ///
    /// # Errors
    /// When `value` cannot be serialized.
    pub fn lazy<T: Serialize + ?Sized>(
        &mut self,
        key: &str,
        value: &T,
    ) -> Result<(), serde_json::Error> {
        let at = self.member_start(self.key_for(key))?;
        serde_json::to_writer(&mut self.out, value)?;
        self.member_end(at);
        Ok(())
    }

    /// Writes a lazy member whose value `write` appends (one JSON value).
    ///
    /// # Errors
    /// As [`Wire::lazy`], or `write`'s.
    pub fn lazy_with(
        &mut self,
        key: &str,
        write: impl FnOnce(&mut Vec<u8>) -> Result<(), serde_json::Error>,
    ) -> Result<(), serde_json::Error> {
        let at = self.member_start(self.key_for(key))?;
        write(&mut self.out)?;
        self.member_end(at);
        Ok(())
    }

    /// Writes a lazy member whose value is JSON text already written (`raw` must be one JSON
    /// value).
    ///
    /// # Errors
    /// As [`Wire::lazy`].
    pub fn lazy_raw(&mut self, key: &str, raw: &[u8]) -> Result<(), serde_json::Error> {
        let at = self.member_start(self.key_for(key))?;
        self.out.extend_from_slice(raw);
        self.member_end(at);
        Ok(())
    }

    /// Writes a lazy member whose value is a whole [`Wire`] document (its layout kept).
    ///
    /// # Errors
    /// As [`Wire::lazy`].
    pub fn lazy_wire(&mut self, key: &str, doc: Wire) -> Result<(), serde_json::Error> {
        let at = self.member_start(self.key_for(key))?;
        let base = self.out.len();
        self.out.extend_from_slice(&doc.out);
        shift_node(&doc.index, 0, base, &mut self.index);
        self.member_end(at);
        if let Some(slot) = self.index.get_mut(at + 4) {
            *slot = doc.index.len();
        }
        Ok(())
    }

    /// Writes a deferred member (see the module docs): `null` in the text, an empty value range
    /// in the layout.
    ///
    /// # Errors
    /// As [`Wire::lazy`].
    pub fn deferred(&mut self, key: &str) -> Result<(), serde_json::Error> {
        let at = self.member_start(self.key_for(key))?;
        self.out.extend_from_slice(b"null");
        let end = self.out.len();
        if let Some(slot) = self.index.get_mut(at + 2) {
            *slot = end;
        }
        self.member_end(at);
        Ok(())
    }

    fn key_for<'k>(&self, key: &'k str) -> Option<&'k str> {
        match self.open.last() {
            Some(top) if top.array => None,
            _ => Some(key),
        }
    }

    /// Opens a lazy member whose value is an object node (`key` ignored in arrays).
    ///
    /// # Errors
    /// As [`Wire::lazy`].
    pub fn begin_object_member(&mut self, key: &str) -> Result<(), serde_json::Error> {
        let at = self.member_start(self.key_for(key))?;
        self.begin_node(false, Some(at));
        Ok(())
    }

    /// Writes a lazy member whose value is an object node holding the eager members `eager`
    /// (their text: `"key":value` pairs joined by commas, as [`Wire::eager`] writes them; may be
    /// empty) and then the deferred members `deferred`, all in one pass: the text and layout of
    /// [`Wire::begin_object_member`], [`Wire::eager`] for each eager member, [`Wire::deferred`]
    /// for each key and [`Wire::end`].
    ///
    /// # Errors
    /// As [`Wire::lazy`].
    pub fn object_member(
        &mut self,
        key: &str,
        eager: &[u8],
        deferred: &[&str],
    ) -> Result<(), serde_json::Error> {
        let at = self.member_start(self.key_for(key))?;
        let start = self.out.len();
        self.out.push(b'{');
        self.out.extend_from_slice(eager);
        let prefix_end = self.out.len();
        self.index
            .extend_from_slice(&[0, start, prefix_end, deferred.len()]);
        for (i, k) in deferred.iter().enumerate() {
            if i > 0 || !eager.is_empty() {
                self.out.push(b',');
            }
            let key_start = self.out.len();
            write_str(&mut self.out, k)?;
            let key_end = self.out.len();
            self.out.extend_from_slice(b":null");
            let end = self.out.len();
            self.index
                .extend_from_slice(&[key_start, key_end, end, end, 0]);
        }
        self.out.push(b'}');
        self.member_end(at);
        if let Some(slot) = self.index.get_mut(at + 4) {
            *slot = NODE_HEADER + MEMBER * deferred.len();
        }
        Ok(())
    }

    /// [`Wire::object_member`] with non-empty `eager` text and the deferred members of
    /// `deferred` (their text made once, [`DeferredTail::new`]): the same text and layout.
    ///
    /// # Errors
    /// As [`Wire::lazy`].
    fn object_member_tail(
        &mut self,
        key: &str,
        eager: &[u8],
        deferred: &DeferredTail,
    ) -> Result<(), serde_json::Error> {
        let at = self.member_start(self.key_for(key))?;
        let start = self.out.len();
        self.out.push(b'{');
        self.out.extend_from_slice(eager);
        let base = self.out.len();
        self.out.extend_from_slice(&deferred.text);
        self.index
            .extend_from_slice(&[0, start, base, deferred.spans.len()]);
        for (key_start, key_end, end) in &deferred.spans {
            let end = base + end;
            self.index
                .extend_from_slice(&[base + key_start, base + key_end, end, end, 0]);
        }
        self.member_end(at);
        if let Some(slot) = self.index.get_mut(at + 4) {
            *slot = NODE_HEADER + MEMBER * deferred.spans.len();
        }
        Ok(())
    }

    /// Opens a lazy member whose value is an array node (`key` ignored in arrays).
    ///
    /// # Errors
    /// As [`Wire::lazy`].
    pub fn begin_array_member(&mut self, key: &str) -> Result<(), serde_json::Error> {
        let at = self.member_start(self.key_for(key))?;
        self.begin_node(true, Some(at));
        Ok(())
    }

    /// Closes the innermost open node.
    pub fn end(&mut self) {
        let Some(node) = self.open.pop() else { return };
        self.out.push(if node.array { b']' } else { b'}' });
        if let Some(slot) = self.index.get_mut(node.header + 3) {
            *slot = node.members;
        }
        if let Some(at) = node.member {
            let len = self.index.len() - node.header;
            self.member_end(at);
            if let Some(slot) = self.index.get_mut(at + 4) {
                *slot = len;
            }
        }
    }

    /// The text and its layout in UTF-16 code units (every node closed first).
    ///
    /// # Errors
    /// When the text is not UTF-8 (never for text written by `serde_json`) or longer than
    /// `u32::MAX` units.
    pub fn finish(mut self) -> Result<WireText, serde_json::Error> {
        while !self.open.is_empty() {
            self.end();
        }
        let units = utf16_offsets(&self.out, &self.index);
        let text = String::from_utf8(self.out).map_err(serde::ser::Error::custom)?;
        let index = units
            .into_iter()
            .map(u32::try_from)
            .collect::<Result<Vec<u32>, _>>()
            .map_err(serde::ser::Error::custom)?;
        Ok(WireText { text, index })
    }

    /// The text alone (the layout dropped).
    ///
    /// # Errors
    /// As [`Wire::finish`].
    pub fn into_string(mut self) -> Result<String, serde_json::Error> {
        while !self.open.is_empty() {
            self.end();
        }
        String::from_utf8(self.out).map_err(serde::ser::Error::custom)
    }
}

/// Appends `text` as a JSON string, byte for byte as `serde_json` writes it: copied between
/// quotes when nothing in it needs escaping (no `"`, `\` or control character: ids and keys
/// almost always), else written by `serde_json`.
///
/// # Errors
/// Never for a `Vec` (as `serde_json::to_writer`).
fn write_str(out: &mut Vec<u8>, text: &str) -> Result<(), serde_json::Error> {
    if !text.bytes().any(crate::json::canonical::escaped) {
        out.reserve(text.len() + 2);
        out.push(b'"');
        out.extend_from_slice(text.as_bytes());
        out.push(b'"');
        Ok(())
    } else {
        serde_json::to_writer(out, text)
    }
}

/// Appends the node of `layout` at `at` to `out` with every offset moved by `base` (node kinds,
/// counts, child lengths and array elements' absent keys kept); returns the entries written.
fn shift_node(layout: &[usize], at: usize, base: usize, out: &mut Vec<usize>) -> usize {
    let (Some(&kind), Some(&start), Some(&prefix_end), Some(&n)) = (
        layout.get(at),
        layout.get(at + 1),
        layout.get(at + 2),
        layout.get(at + 3),
    ) else {
        return 0;
    };
    out.extend_from_slice(&[kind, start + base, prefix_end + base, n]);
    let mut p = at + NODE_HEADER;
    for _ in 0..n {
        let get = |q: usize| layout.get(q).copied().unwrap_or(0);
        let (ks, ke) = if kind == 1 {
            (0, 0)
        } else {
            (get(p) + base, get(p + 1) + base)
        };
        out.extend_from_slice(&[ks, ke, get(p + 2) + base, get(p + 3) + base, get(p + 4)]);
        let len = get(p + 4);
        if len > 0 {
            shift_node(layout, p + MEMBER, base, out);
        }
        p += MEMBER + len;
    }
    p - at
}

/// Byte offsets of `text` as UTF-16 code unit offsets (the identity for ASCII text). Entries
/// that are not offsets (node kinds, counts, lengths) are converted too: the reader ignores
/// them as offsets, so they are restored by position.
fn utf16_offsets(text: &[u8], layout: &[usize]) -> Vec<usize> {
    if text.is_ascii() {
        return layout.to_vec();
    }
    // units before each byte: UTF-8 continuation bytes add nothing, 4-byte sequences add 2
    let mut out = layout.to_vec();
    let mut offsets: Vec<(usize, usize)> = Vec::new();
    collect_offsets(layout, 0, &mut offsets);
    crate::json::order::sort(&mut offsets);
    let (mut byte, mut unit) = (0usize, 0usize);
    let mut converted: Vec<(usize, usize)> = Vec::with_capacity(offsets.len());
    for &(b, _) in &offsets {
        while byte < b {
            let c = text.get(byte).copied().unwrap_or(0);
            if c & 0xC0 != 0x80 {
                unit += if c >= 0xF0 { 2 } else { 1 };
            }
            byte += 1;
        }
        converted.push((b, unit));
    }
    for (b, pos) in offsets {
        if let (Ok(i), Some(slot)) = (
            converted.binary_search_by_key(&b, |&(x, _)| x),
            out.get_mut(pos),
        ) && let Some(&(_, u)) = converted.get(i)
        {
            *slot = u;
        }
    }
    out
}

/// (offset, position in the layout) of every entry that is an offset.
fn collect_offsets(layout: &[usize], at: usize, out: &mut Vec<(usize, usize)>) {
    let (Some(&kind), Some(&n)) = (layout.get(at), layout.get(at + 3)) else {
        return;
    };
    for p in [at + 1, at + 2] {
        if let Some(&x) = layout.get(p) {
            out.push((x, p));
        }
    }
    let mut p = at + NODE_HEADER;
    for _ in 0..n {
        let first = if kind == 1 { p + 2 } else { p };
        for q in first..(p + 4) {
            if let Some(&x) = layout.get(q) {
                out.push((x, q));
            }
        }
        let len = layout.get(p + 4).copied().unwrap_or(0);
        if len > 0 {
            collect_offsets(layout, p + MEMBER, out);
        }
        p += MEMBER + len;
    }
}

/// The decision as wire text: every top-level member lazy; `strategies` an object whose
/// members are the strategies, each with `status`, `verdict`, `selected`, `rank` and `weight`
/// eager and `rule_results`, `violations` and `explanations` lazy. The text is
/// `serde_json::to_string(decision)`.
///
/// # Errors
/// When a member cannot be serialized (never for the engine's decisions).
pub fn decision_wire(d: &Decision) -> Result<Wire, serde_json::Error> {
    let mut w = Wire::with_capacity(512 + 2600 * d.strategies.len());
    let mut rules = RuleTexts::default();
    write_head(&mut w, d)?;
    for (id, s) in &d.strategies {
        write_strategy(&mut w, &mut rules, id, s, false)?;
    }
    write_tail(&mut w, d)?;
    Ok(w)
}

/// Evaluates `policy` over `input` straight into the decision's wire text (the layout of
/// [`decision_wire`], the same text as `decision_wire(&policy.evaluate(input))`): each
/// strategy's decision is written as soon as it is made and dropped, so the whole decision is
/// never held as values.
///
/// # Errors
/// As [`decision_wire`].
pub fn evaluate_wire(
    policy: &super::Policy,
    input: &super::EvaluationInput,
) -> Result<Wire, serde_json::Error> {
    evaluate_wire_with(policy, input, Given::default())
}

/// [`evaluate_wire`] with parts of the input given apart ([`Given`]: the strategies read
/// beforehand, the returns series read on demand, the correlation stage's memo): the same text
/// as with all of them in the input.
///
/// # Errors
/// As [`decision_wire`].
pub(crate) fn evaluate_wire_with(
    policy: &super::Policy,
    input: &super::EvaluationInput,
    given: Given<'_>,
) -> Result<Wire, serde_json::Error> {
    write_evaluation(
        policy,
        (input, given),
        Some(RuleTexts::default()),
        &DEFERRED,
    )
}

/// Evaluates into wire text through one sink: each strategy written whole with `rules` (the
/// reused rule texts), or as its summary without (`None`: the stages build no details), the
/// details then written as the deferred members `deferred` ([`DEFERRED`] for the decision's
/// summary, none for its verdicts).
fn write_evaluation(
    policy: &super::Policy,
    (input, given): (&super::EvaluationInput, Given<'_>),
    rules: Option<RuleTexts>,
    deferred: &'static [&'static str],
) -> Result<Wire, serde_json::Error> {
    struct Sink {
        w: Wire,
        rules: Option<RuleTexts>,
        texts: Option<EagerTexts>,
        failed: Option<serde_json::Error>,
    }
    impl super::eval::StrategySink for Sink {
        fn begin(&mut self, head: &Decision) {
            if let Err(e) = write_head(&mut self.w, head) {
                self.failed.get_or_insert(e);
            }
        }
        fn strategy(&mut self, id: &str, d: StrategyDecision) {
            let written = match &mut self.rules {
                Some(rules) => write_strategy(&mut self.w, rules, id, &d, true),
                None => return self.summary(id, summary_of(&d)),
            };
            if let Err(e) = written {
                self.failed.get_or_insert(e);
            }
        }
        fn summary(&mut self, id: &str, s: StrategySummary) {
            let Some(texts) = &mut self.texts else { return };
            if let Err(e) = write_summary(&mut self.w, texts, id, &s) {
                self.failed.get_or_insert(e);
            }
        }
        fn wants_violations(&self) -> bool {
            false
        }
        fn wants_details(&self) -> bool {
            self.rules.is_some()
        }
    }
    let per_strategy = if rules.is_some() { 2600 } else { 240 };
    let n = given
        .strategies
        .map_or(input.metrics.len(), Strategies::len);
    let mut w = Wire::with_capacity(512 + per_strategy * n);
    if rules.is_none() {
        // a summary strategy's layout: its member, its node and three deferred members
        w.index
            .reserve(64 + (MEMBER + NODE_HEADER + MEMBER * deferred.len()) * n);
    }
    let texts = if rules.is_none() {
        Some(EagerTexts::new(deferred)?)
    } else {
        None
    };
    let mut sink = Sink {
        w,
        rules,
        texts,
        failed: None,
    };
    let head = super::eval::evaluate_into(policy, input, given, &mut sink);
    if let Some(e) = sink.failed {
        return Err(e);
    }
    write_tail(&mut sink.w, &head)?;
    Ok(sink.w)
}

/// The decision's *summary* as wire text: the layout of [`decision_wire`] with every member but
/// each strategy's `rule_results`, `violations` and `explanations`, which are deferred members
/// ([`Wire::deferred`]): their values are in `evaluate_wire_with`'s text of the same policy
/// and input, which a reader asks for when it first needs them. The stages build no
/// explanation (`StrategySink::wants_details`), so this costs what a caller
/// reading the selection and the verdicts needs; every member written is the one the whole
/// decision has, byte for byte.
///
/// # Errors
/// As [`decision_wire`].
pub fn evaluate_summary_wire(
    policy: &super::Policy,
    input: &super::EvaluationInput,
) -> Result<Wire, serde_json::Error> {
    evaluate_summary_wire_with(policy, input, Given::default())
}

/// [`evaluate_summary_wire`] over a [`super::PreparedInput`] (its metrics viewed once): the same
/// text as over its input.
///
/// # Errors
/// As [`decision_wire`].
pub fn evaluate_summary_wire_prepared(
    policy: &super::Policy,
    prepared: &super::PreparedInput,
) -> Result<Wire, serde_json::Error> {
    let (input, given) = prepared.parts();
    evaluate_summary_wire_with(policy, input, given)
}

/// [`evaluate_summary_wire`] with parts of the input given apart (as [`evaluate_wire_with`]).
///
/// # Errors
/// As [`decision_wire`].
pub(crate) fn evaluate_summary_wire_with(
    policy: &super::Policy,
    input: &super::EvaluationInput,
    given: Given<'_>,
) -> Result<Wire, serde_json::Error> {
    write_evaluation(policy, (input, given), None, &DEFERRED)
}

/// The decision's *verdicts* ([`crate::schema::Verdicts`]) as wire text: the summary of
/// [`evaluate_summary_wire`], written by the same sink, without the deferred members — every
/// member but each strategy's details, each the whole decision's byte for byte. The text is
/// `serde_json::to_string(&Verdicts::from(&policy.evaluate(input)))`, complete on its own (no
/// member deferred: a reader needs nothing more from the engine).
///
/// # Errors
/// As [`decision_wire`].
pub fn evaluate_verdicts_wire(
    policy: &super::Policy,
    input: &super::EvaluationInput,
) -> Result<Wire, serde_json::Error> {
    evaluate_verdicts_wire_with(policy, input, Given::default())
}

/// [`evaluate_verdicts_wire`] over a [`super::PreparedInput`] (its metrics viewed once): the same
/// text as over its input.
///
/// # Errors
/// As [`decision_wire`].
pub fn evaluate_verdicts_wire_prepared(
    policy: &super::Policy,
    prepared: &super::PreparedInput,
) -> Result<Wire, serde_json::Error> {
    let (input, given) = prepared.parts();
    evaluate_verdicts_wire_with(policy, input, given)
}

/// [`evaluate_verdicts_wire`] with parts of the input given apart (as [`evaluate_wire_with`]).
///
/// # Errors
/// As [`decision_wire`].
pub(crate) fn evaluate_verdicts_wire_with(
    policy: &super::Policy,
    input: &super::EvaluationInput,
    given: Given<'_>,
) -> Result<Wire, serde_json::Error> {
    write_evaluation(policy, (input, given), None, &[])
}

/// The decision's verdicts (the members of [`evaluate_verdicts_wire`]'s text) as columns, for a
/// host that builds its objects from them instead of parsing a text (the package's reader,
/// `verdicts` in `pkg-config/api.js`): the object `{dialect, selected, profile,
/// recommended_stage, ruleset_hash}` of the head, then `strategies` (each id's `{status,
/// verdict, selected, rank, weight}` from its flags and numbers, `null` where its bit is 0),
/// `state` (`{epoch}` of the head, its strategies' `{active, passes, fails, since}`) and the
/// head's `notes`: the value of the text, member for member (this module's tests and
/// `tests/js/checks.mjs` check it). The stages are [`evaluate_verdicts_wire`]'s.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct VerdictColumns {
    /// JSON text of `{dialect, selected, profile, recommended_stage, ruleset_hash, epoch, notes,
    /// status, verdict}`: the decision's members of those names, the state's `epoch`, and the
    /// names of the status and verdict codes (`status[code]`, `verdict[code]`).
    pub head: String,
    /// The strategies' ids, in the decision's order, one after the other; empty when the caller
    /// has them itself (`with_ids` false).
    pub ids: String,
    /// Each id's length in UTF-16 code units (the length unit of a JavaScript string); empty
    /// with `ids`.
    pub id_units: Vec<u32>,
    /// Per strategy: the status code (bits 0–1), the verdict code (bits 2–3), `selected` (bit
    /// 4), a rank (bit 5), a weight (bit 6).
    pub flags: Vec<u8>,
    /// Per strategy: its rank and its weight (0 where there is none).
    pub nums: Vec<f64>,
    /// Per strategy, its state (the state lists the decision's strategies in the decision's
    /// order): `active` (0 or 1), `passes`, `fails`, `since` (−1 for `null`).
    pub state_nums: Vec<f64>,
    /// Whether every weight is finite. The text writes a weight that is not (a degenerate
    /// weighting input) in its wire form (`"+inf"`, `"nan"`), which a host building the text's
    /// plain objects from numbers would not: such a host takes the text when this is false.
    pub weights_finite: bool,
}

/// The codes of [`VerdictColumns::flags`], in the order of the head's `status` and `verdict`.
const STATUS_CODES: [RuleStatus; 3] = [RuleStatus::Pass, RuleStatus::Warn, RuleStatus::Fail];
const VERDICT_CODES: [Verdict; 4] = [
    Verdict::Valid,
    Verdict::Warn,
    Verdict::Invalid,
    Verdict::Pending,
];

/// [`evaluate_verdicts_wire`]'s verdicts as [`VerdictColumns`]; `None` when a member has no
/// column form (a status or verdict outside the code tables, which the engine does not give):
/// the caller then takes the text. A weight that is not finite is kept as its number, and
/// [`VerdictColumns::weights_finite`] says so.
///
/// # Errors
/// As [`decision_wire`].
pub fn evaluate_verdict_columns(
    policy: &super::Policy,
    input: &super::EvaluationInput,
) -> Result<Option<VerdictColumns>, serde_json::Error> {
    evaluate_verdict_columns_with(policy, input, Given::default(), true)
}

/// [`evaluate_verdict_columns`] with parts of the input given apart (as
/// [`evaluate_wire_with`]); without the ids' columns unless `with_ids` (a host holding the ids
/// itself finds each strategy's from its input position, `Strategies::input_positions`).
///
/// # Errors
/// As [`decision_wire`].
pub(crate) fn evaluate_verdict_columns_with(
    policy: &super::Policy,
    input: &super::EvaluationInput,
    given: Given<'_>,
    with_ids: bool,
) -> Result<Option<VerdictColumns>, serde_json::Error> {
    let n = given
        .strategies
        .map_or(input.metrics.len(), Strategies::len);
    let mut sink = ColumnSink {
        c: VerdictColumns {
            flags: Vec::with_capacity(n),
            nums: Vec::with_capacity(2 * n),
            weights_finite: true,
            ..VerdictColumns::default()
        },
        plain: true,
        with_ids,
        states: Vec::new(),
    };
    if with_ids {
        sink.c.ids.reserve(16 * n);
        sink.c.id_units.reserve(n);
    }
    let head = super::eval::evaluate_into(policy, input, given, &mut sink);
    // the state lists the strategies the sink was handed, in that order
    // (`hysteresis::next_states`): its ids are the decision's
    if !sink.plain || sink.states.len() != sink.c.flags.len() {
        return Ok(None);
    }
    let mut c = sink.c;
    push_state_columns(&mut c, &sink.states);
    c.head = head_text(&head)?;
    Ok(Some(c))
}

/// The strategy sink of [`evaluate_verdict_columns_with`]: each strategy's summary appended to
/// the columns (`flags`, `nums`, and its id to `ids` when `with_ids`); `plain` turns false, for
/// good, at the first summary with no column form (a status or verdict outside
/// [`STATUS_CODES`] / [`VERDICT_CODES`], which is then left out); a weight that is not finite
/// clears [`VerdictColumns::weights_finite`]. It takes the next state's strategies as they come ([`super::eval::StrategySink::take_states`]).
struct ColumnSink {
    c: VerdictColumns,
    plain: bool,
    with_ids: bool,
    states: Vec<StrategyState>,
}

impl super::eval::StrategySink for ColumnSink {
    fn strategy(&mut self, id: &str, d: StrategyDecision) {
        self.summary(id, summary_of(&d));
    }
    fn take_states(&mut self, states: &mut Vec<StrategyState>) -> bool {
        self.states = std::mem::take(states);
        true
    }
    fn summary(&mut self, id: &str, s: StrategySummary) {
        if self.with_ids {
            push_id(&mut self.c.ids, &mut self.c.id_units, id);
        }
        let status = STATUS_CODES.iter().position(|x| *x == s.status);
        let verdict = VERDICT_CODES.iter().position(|x| *x == s.verdict);
        let (Some(status), Some(verdict)) = (status, verdict) else {
            self.plain = false;
            return;
        };
        let weight = s.weight.map(|w| w.0);
        if weight.is_some_and(|w| !w.is_finite()) {
            self.c.weights_finite = false;
        }
        let c = &mut self.c;
        // the codes are below 3: the shifts and casts cannot overflow
        let code = (status as u8) | ((verdict as u8) << 2);
        c.flags.push(
            code | (u8::from(s.selected) << 4)
                | (u8::from(s.rank.is_some()) << 5)
                | (u8::from(weight.is_some()) << 6),
        );
        c.nums
            .extend_from_slice(&[s.rank.map_or(0.0, f64::from), weight.unwrap_or(0.0)]);
    }
    fn wants_violations(&self) -> bool {
        false
    }
    fn wants_details(&self) -> bool {
        false
    }
}

/// Appends the activation state's strategies to `c`'s state columns, in the state's order:
/// each one's `[active (0/1), passes, fails, since (−1 for none)]`.
fn push_state_columns(c: &mut VerdictColumns, states: &[StrategyState]) {
    c.state_nums.reserve(4 * states.len());
    for s in states {
        // `since` is an epoch: as the text's number (JSON numbers read as the nearest double)
        #[allow(clippy::cast_precision_loss)]
        let since = s.since.map_or(-1.0, |e| e as f64);
        c.state_nums.extend_from_slice(&[
            f64::from(u8::from(s.active)),
            f64::from(s.passes),
            f64::from(s.fails),
            since,
        ]);
    }
}

/// [`VerdictColumns::head`]: the decision's head members, the state's `epoch` and the code
/// tables, as JSON text.
///
/// # Errors
/// As [`decision_wire`].
fn head_text(head: &Decision) -> Result<String, serde_json::Error> {
    #[derive(Serialize)]
    struct Head<'a> {
        dialect: crate::schema::Dialect,
        selected: &'a [String],
        profile: &'a Option<String>,
        recommended_stage: &'a Option<String>,
        ruleset_hash: &'a str,
        epoch: u64,
        notes: &'a [crate::schema::Note],
        status: [RuleStatus; 3],
        verdict: [Verdict; 4],
    }
    serde_json::to_string(&Head {
        dialect: head.dialect,
        selected: &head.selected,
        profile: &head.profile,
        recommended_stage: &head.recommended_stage,
        ruleset_hash: &head.ruleset_hash,
        epoch: head.state.epoch,
        notes: &head.notes,
        status: STATUS_CODES,
        verdict: VERDICT_CODES,
    })
}

/// A strategy's decision without its details (for a sink handed whole decisions).
fn summary_of(d: &StrategyDecision) -> StrategySummary {
    StrategySummary {
        status: d.status,
        verdict: d.verdict,
        selected: d.selected,
        rank: d.rank,
        weight: d.weight,
    }
}

/// Appends `id` to `ids` and its length in UTF-16 code units to `units`.
fn push_id(ids: &mut String, units: &mut Vec<u32>, id: &str) {
    ids.push_str(id);
    // one unit per UTF-8 lead byte, two for a 4-byte sequence's
    let n: usize = id
        .bytes()
        .map(|b| usize::from(b & 0xC0 != 0x80) + usize::from(b >= 0xF0))
        .sum();
    units.push(u32::try_from(n).unwrap_or(u32::MAX));
}

/// The texts of the summary's eager members that take few values (`status`, `verdict`,
/// `selected`), each `"key":value` as [`Wire::eager`] writes it: made once per decision.
struct EagerTexts {
    status: [(RuleStatus, Vec<u8>); 3],
    verdict: [(Verdict, Vec<u8>); 3],
    selected: [(bool, Vec<u8>); 2],
    /// The eager members of the strategy being written.
    scratch: Vec<u8>,
    /// The deferred members' text ([`DEFERRED`] in a summary, none in the verdicts).
    deferred: DeferredTail,
}

impl EagerTexts {
    /// The texts, with `deferred` the members left deferred ([`DEFERRED`] in a summary, none in
    /// the verdicts).
    fn new(deferred: &[&str]) -> Result<Self, serde_json::Error> {
        fn text<T: Serialize>(key: &str, value: T) -> Result<(T, Vec<u8>), serde_json::Error> {
            let mut w = Wire::with_capacity(32);
            w.begin_object();
            w.eager(key, &value)?;
            let mut out = w.out;
            out.remove(0); // the object's `{`
            Ok((value, out))
        }
        Ok(EagerTexts {
            status: [
                text("status", RuleStatus::Pass)?,
                text("status", RuleStatus::Warn)?,
                text("status", RuleStatus::Fail)?,
            ],
            verdict: [
                text("verdict", Verdict::Valid)?,
                text("verdict", Verdict::Warn)?,
                text("verdict", Verdict::Invalid)?,
            ],
            selected: [text("selected", true)?, text("selected", false)?],
            scratch: Vec::with_capacity(128),
            deferred: DeferredTail::new(deferred)?,
        })
    }

    /// Appends the eager member `key` with `value` to `out` after a comma (none first): its
    /// text when `texts` has it, else as [`Wire::eager`] writes it.
    fn push<T: PartialEq + Serialize>(
        out: &mut Vec<u8>,
        texts: &[(T, Vec<u8>)],
        key: &str,
        value: &T,
    ) -> Result<(), serde_json::Error> {
        if !out.is_empty() {
            out.push(b',');
        }
        if let Some((_, text)) = texts.iter().find(|(v, _)| v == value) {
            out.extend_from_slice(text);
            return Ok(());
        }
        write_str(out, key)?;
        out.push(b':');
        serde_json::to_writer(out, value)
    }
}

/// The members of a summary's strategy left deferred.
const DEFERRED: [&str; 3] = ["rule_results", "violations", "explanations"];

/// The text of an object's deferred members after its eager ones, and the object's end (`,"k":null`
/// for each, then `}`), with each member's key span and end relative to its start: what
/// [`Wire::object_member`] writes after non-empty eager text, made once.
struct DeferredTail {
    text: Vec<u8>,
    spans: Vec<(usize, usize, usize)>,
}

impl DeferredTail {
    fn new(keys: &[&str]) -> Result<Self, serde_json::Error> {
        let mut text = Vec::new();
        let mut spans = Vec::with_capacity(keys.len());
        for k in keys {
            text.push(b',');
            let key_start = text.len();
            write_str(&mut text, k)?;
            let key_end = text.len();
            text.extend_from_slice(b":null");
            spans.push((key_start, key_end, text.len()));
        }
        text.push(b'}');
        Ok(DeferredTail { text, spans })
    }
}

/// One strategy's member of the summary: its eager members (as [`write_eager`] writes them,
/// the few-valued ones from `texts`), then the deferred members of `texts` ([`DEFERRED`] in a
/// summary, none in the verdicts).
fn write_summary(
    w: &mut Wire,
    texts: &mut EagerTexts,
    id: &str,
    s: &StrategySummary,
) -> Result<(), serde_json::Error> {
    let mut out = std::mem::take(&mut texts.scratch);
    out.clear();
    EagerTexts::push(&mut out, &texts.status, "status", &s.status)?;
    EagerTexts::push(&mut out, &texts.verdict, "verdict", &s.verdict)?;
    EagerTexts::push(&mut out, &texts.selected, "selected", &s.selected)?;
    // `rank` and `weight` as `EagerTexts::push` writes them (a `u32` is its decimal digits)
    out.extend_from_slice(b",\"rank\":");
    match s.rank {
        Some(rank) => out.extend_from_slice(crate::json::float::itoa_buf(rank).as_str().as_bytes()),
        None => out.extend_from_slice(b"null"),
    }
    out.extend_from_slice(b",\"weight\":");
    match &s.weight {
        Some(weight) => serde_json::to_writer(&mut out, weight)?,
        None => out.extend_from_slice(b"null"),
    }
    let written = w.object_member_tail(id, &out, &texts.deferred);
    texts.scratch = out;
    written
}

/// A strategy's eager members: `status`, `verdict`, `selected`, `rank`, `weight`.
fn write_eager(w: &mut Wire, s: &StrategyDecision) -> Result<(), serde_json::Error> {
    w.eager("status", &s.status)?;
    w.eager("verdict", &s.verdict)?;
    w.eager("selected", &s.selected)?;
    w.eager("rank", &s.rank)?;
    w.eager("weight", &s.weight)
}

/// The decision's members before `strategies`, and `strategies` opened.
fn write_head(w: &mut Wire, d: &Decision) -> Result<(), serde_json::Error> {
    w.begin_object();
    w.lazy("dialect", &d.dialect)?;
    w.lazy("selected", &d.selected)?;
    w.lazy("profile", &d.profile)?;
    w.lazy("recommended_stage", &d.recommended_stage)?;
    w.lazy("ruleset_hash", &d.ruleset_hash)?;
    w.begin_object_member("strategies")
}

/// One strategy's member of `strategies`. `derive`: `violations` is written from the failed
/// explanations (the engine's rule, [`super::explain::violations`]) instead of `s.violations`,
/// each field copied from the explanation's text.
fn write_strategy(
    w: &mut Wire,
    rules: &mut RuleTexts,
    id: &str,
    s: &StrategyDecision,
    derive: bool,
) -> Result<(), serde_json::Error> {
    w.begin_object_member(id)?;
    write_eager(w, s)?;
    rules.write(&s.rule_results)?;
    w.lazy_raw("rule_results", &rules.text)?;
    rules.text.clear();
    if derive {
        rules.spans.clear();
        write_explanations(&mut rules.text, &s.explanations, Some(&mut rules.spans))?;
        rules.violations.clear();
        write_violations(&mut rules.violations, &rules.text, &rules.spans);
        w.lazy_raw("violations", &rules.violations)?;
    } else {
        w.lazy("violations", &s.violations)?;
        write_explanations(&mut rules.text, &s.explanations, None)?;
    }
    w.lazy_raw("explanations", &rules.text)?;
    w.end();
    Ok(())
}

/// Where a failed explanation's values are in its text: `rule`, `metric`, `observed`, `bound`,
/// `code`, `message` (byte ranges).
type FailedSpans = [(usize, usize); 6];

/// Appends the violations of the failed explanations whose values `spans` locates in `text`:
/// `serde_json::to_string(&violations(explanations))` byte for byte (a violation's fields are
/// the explanation's, serialized alike).
fn write_violations(out: &mut Vec<u8>, text: &[u8], spans: &[FailedSpans]) {
    let value = |r: (usize, usize)| text.get(r.0..r.1).unwrap_or_default();
    out.push(b'[');
    for (i, [rule, metric, observed, bound, code, message]) in spans.iter().copied().enumerate() {
        out.extend_from_slice(if i == 0 {
            b"{\"code\":"
        } else {
            b",{\"code\":"
        });
        out.extend_from_slice(value(code));
        out.extend_from_slice(b",\"rule\":");
        out.extend_from_slice(value(rule));
        out.extend_from_slice(b",\"metric\":");
        out.extend_from_slice(value(metric));
        out.extend_from_slice(b",\"observed\":");
        out.extend_from_slice(value(observed));
        out.extend_from_slice(b",\"bound\":");
        out.extend_from_slice(value(bound));
        out.extend_from_slice(b",\"message\":");
        out.extend_from_slice(value(message));
        out.push(b'}');
    }
    out.push(b']');
}

/// The text of each rule's last result, reused while the next strategy's result for the same
/// rule is the same value: most strategies share most rule results (`data_currency`, `sample`,
/// `risk_constraint`, `robustness` pass alike), and comparing a result is far cheaper than
/// writing it again (in wasm, writing the rule results was ~15 % of a policy evaluation).
#[derive(Default)]
struct RuleTexts {
    /// Per rule, in [`RuleResults::iter`]'s order: the result last written and its text.
    last: [Option<(RuleResult, Vec<u8>)>; 9],
    /// Per rule, how many results in a row differed from the one kept: a rule whose result
    /// differs for every strategy (`performance`, with its rank) keeps its old entry instead of
    /// cloning each new result into it (one in [`REKEEP`] is still kept).
    misses: [u32; 9],
    /// The rule results' text being written (then the explanations').
    text: Vec<u8>,
    /// Where the failed explanations' values are in `text`.
    spans: Vec<FailedSpans>,
    /// The violations' text being written.
    violations: Vec<u8>,
}

impl RuleTexts {
    /// Writes `r` into `self.text`: `serde_json::to_string(r)` byte for byte (the rules' names
    /// need no escaping and [`RuleResults::iter`] gives the fields in the struct's order,
    /// skipping the absent optional layers as their `skip_serializing_if` does).
    fn write(&mut self, r: &RuleResults) -> Result<(), serde_json::Error> {
        self.text.clear();
        self.text.push(b'{');
        for (i, (name, rule)) in r.iter().enumerate() {
            if i > 0 {
                self.text.push(b',');
            }
            self.text.push(b'"');
            self.text.extend_from_slice(name.as_bytes());
            self.text.extend_from_slice(b"\":");
            let k = RULES.iter().position(|n| *n == name);
            let slot = k.and_then(|k| self.last.get_mut(k).zip(self.misses.get_mut(k)));
            match slot {
                Some((Some((prev, text)), misses)) if same_rule(prev, rule) => {
                    *misses = 0;
                    self.text.extend_from_slice(text);
                }
                Some((slot, misses)) => {
                    let start = self.text.len();
                    serde_json::to_writer(&mut self.text, rule)?;
                    if *misses < 2 || *misses % REKEEP == 0 {
                        let text = self.text.get(start..).unwrap_or_default().to_vec();
                        *slot = Some((rule.clone(), text));
                    }
                    *misses = misses.saturating_add(1);
                }
                None => serde_json::to_writer(&mut self.text, rule)?,
            }
        }
        self.text.push(b'}');
        Ok(())
    }
}

/// Appends `serde_json::to_string(explanations)` to `out`, byte for byte: the members' keys
/// (plain ASCII) written as literals with their separators, the values by `serde_json`, the
/// optional `magnitude` and `alignment` left out when absent as their `skip_serializing_if`
/// does. A strategy's explanations are most of its text; in wasm the derived serializer's four
/// writes per key made them ~10 % of a policy evaluation. With `failed`, the byte ranges of
/// each failed explanation's values are pushed to it ([`write_violations`] copies them).
fn write_explanations(
    out: &mut Vec<u8>,
    explanations: &[Explanation],
    mut failed: Option<&mut Vec<FailedSpans>>,
) -> serde_json::Result<()> {
    out.push(b'[');
    for (i, e) in explanations.iter().enumerate() {
        out.extend_from_slice(if i == 0 {
            b"{\"rule\":"
        } else {
            b",{\"rule\":"
        });
        let rule = put(out, &e.rule)?;
        out.extend_from_slice(b",\"metric\":");
        let metric = put(out, &e.metric)?;
        out.extend_from_slice(b",\"observed\":");
        let observed = put(out, &e.observed)?;
        if e.magnitude.is_some() {
            out.extend_from_slice(b",\"magnitude\":");
            serde_json::to_writer(&mut *out, &e.magnitude)?;
        }
        out.extend_from_slice(b",\"bound\":");
        let bound = put(out, &e.bound)?;
        out.extend_from_slice(b",\"comparison\":");
        serde_json::to_writer(&mut *out, &e.comparison)?;
        out.extend_from_slice(b",\"outcome\":");
        serde_json::to_writer(&mut *out, &e.outcome)?;
        out.extend_from_slice(b",\"code\":");
        let code = put(out, &e.code)?;
        out.extend_from_slice(b",\"message\":");
        let message = put(out, &e.message)?;
        if e.outcome == crate::schema::CheckOutcome::Fail
            && let Some(f) = failed.as_deref_mut()
        {
            f.push([rule, metric, observed, bound, code, message]);
        }
        if e.alignment.is_some() {
            out.extend_from_slice(b",\"alignment\":");
            serde_json::to_writer(&mut *out, &e.alignment)?;
        }
        out.push(b'}');
    }
    out.push(b']');
    Ok(())
}

/// Appends `value`'s JSON text to `out`; returns where it is.
fn put<T: Serialize + ?Sized>(out: &mut Vec<u8>, value: &T) -> serde_json::Result<(usize, usize)> {
    let start = out.len();
    serde_json::to_writer(&mut *out, value)?;
    Ok((start, out.len()))
}

/// After a run of misses, one result in this many is kept for comparison (see
/// [`RuleTexts::misses`]).
const REKEEP: u32 = 16;

/// The rules' names in [`RuleResults::iter`]'s order (the index of [`RuleTexts::last`]).
const RULES: [&str; 9] = [
    "data_currency",
    "sample",
    "performance",
    "risk_constraint",
    "robustness",
    "cohort",
    "portfolio",
    "stress",
    "live_monitoring",
];

/// `a` and `b` serialize to the same text: equal members, `details` in the same order with
/// floats equal bit for bit (`==` would take `0.0` for `-0.0`, and ignores map order).
fn same_rule(a: &RuleResult, b: &RuleResult) -> bool {
    a.status == b.status
        && a.severity == b.severity
        && a.owner == b.owner
        && a.reason_code == b.reason_code
        && a.reason == b.reason
        && a.tags == b.tags
        && same_map(&a.details, &b.details)
}

fn same_map(a: &serde_json::Map<String, Value>, b: &serde_json::Map<String, Value>) -> bool {
    a.len() == b.len()
        && a.iter()
            .zip(b.iter())
            .all(|((ka, va), (kb, vb))| ka == kb && same_value(va, vb))
}

fn same_value(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => match (x.is_f64(), y.is_f64()) {
            (true, true) => x.as_f64().map(f64::to_bits) == y.as_f64().map(f64::to_bits),
            (false, false) => x == y,
            _ => false,
        },
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(p, q)| same_value(p, q))
        }
        (Value::Object(x), Value::Object(y)) => same_map(x, y),
        _ => a == b,
    }
}

/// `strategies` closed, the members after it, the decision closed.
fn write_tail(w: &mut Wire, d: &Decision) -> Result<(), serde_json::Error> {
    w.end();
    w.lazy_with("state", |out| write_state(out, &d.state))?;
    w.lazy("notes", &d.notes)?;
    w.end();
    Ok(())
}

/// Appends `serde_json::to_string(state)`, byte for byte: the keys and separators written as
/// literals, the ids as [`write_str`] writes them (a state has an entry per strategy, and the
/// derived serializer's writes per field made it ~8 % of a decision's summary in wasm).
fn write_state(out: &mut Vec<u8>, state: &ActivationState) -> Result<(), serde_json::Error> {
    out.extend_from_slice(b"{\"epoch\":");
    serde_json::to_writer(&mut *out, &state.epoch)?;
    out.extend_from_slice(b",\"strategies\":{");
    for (i, (id, s)) in state.strategies.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        write_str(out, id)?;
        out.extend_from_slice(if s.active {
            b":{\"active\":true,\"passes\":"
        } else {
            b":{\"active\":false,\"passes\":"
        });
        serde_json::to_writer(&mut *out, &s.passes)?;
        out.extend_from_slice(b",\"fails\":");
        serde_json::to_writer(&mut *out, &s.fails)?;
        out.extend_from_slice(b",\"since\":");
        serde_json::to_writer(&mut *out, &s.since)?;
        out.push(b'}');
    }
    out.extend_from_slice(b"}}");
    Ok(())
}

/// Rebuilds the document from its layout the way the JS reader does (every member's text
/// parsed on its own, each node's text checked against the node; a deferred member as its
/// placeholder `null`), for tests.
#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
pub(crate) fn read_layout(t: &WireText) -> serde_json::Value {
    use serde_json::Value;
    {
        let units: Vec<u16> = t.text.encode_utf16().collect();
        let slice = |a: u32, b: u32| String::from_utf16(&units[a as usize..b as usize]).unwrap();
        fn node(t: &WireText, at: usize, slice: &dyn Fn(u32, u32) -> String) -> Value {
            let ix = &t.index;
            let (kind, start, prefix_end, n) = (ix[at], ix[at + 1], ix[at + 2], ix[at + 3]);
            let mut obj = serde_json::Map::new();
            let mut arr = Vec::new();
            if kind == 0 {
                let head = format!("{}}}", slice(start, prefix_end));
                obj = serde_json::from_str::<Value>(&head)
                    .unwrap()
                    .as_object()
                    .unwrap()
                    .clone();
            }
            let mut p = at + NODE_HEADER;
            for _ in 0..n {
                let (ks, ke, vs, ve, len) = (ix[p], ix[p + 1], ix[p + 2], ix[p + 3], ix[p + 4]);
                let v = if vs == ve {
                    assert_eq!(len, 0);
                    Value::Null
                } else if len > 0 {
                    let inner = node(t, p + MEMBER, slice);
                    assert_eq!(
                        serde_json::from_str::<Value>(&slice(vs, ve)).unwrap(),
                        inner
                    );
                    inner
                } else {
                    serde_json::from_str::<Value>(&slice(vs, ve)).unwrap()
                };
                if kind == 0 {
                    let key: String = serde_json::from_str(&slice(ks, ke)).unwrap();
                    obj.insert(key, v);
                } else {
                    assert_eq!((ks, ke), (0, 0));
                    arr.push(v);
                }
                p += MEMBER + len as usize;
            }
            if kind == 0 {
                Value::Object(obj)
            } else {
                Value::Array(arr)
            }
        }
        node(t, 0, &slice)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use serde_json::{Value, json};

    fn read(t: &WireText) -> Value {
        read_layout(t)
    }

    fn sample(key: &str) -> WireText {
        let mut inner = Wire::default();
        inner.begin_object();
        inner.eager("a", &1).unwrap();
        inner.begin_array_member("list").unwrap();
        inner.lazy("", &json!({"x": "é😀"})).unwrap();
        inner.begin_object_member("").unwrap();
        inner.eager("k", "v").unwrap();
        inner.lazy("deep", &[1.5e-7, 1e21]).unwrap();
        inner.end();
        inner.end();
        inner.end();
        let mut w = Wire::default();
        w.begin_object();
        w.eager("type", "success").unwrap();
        w.eager(key, &json!(["ü"])).unwrap();
        w.lazy_wire("value", inner).unwrap();
        w.lazy_raw("raw", b"{\"z\":[1,2]}").unwrap();
        w.begin_object_member("empty").unwrap();
        w.end();
        w.finish().unwrap()
    }

    #[test]
    fn the_layout_rebuilds_the_document_in_any_script() {
        for key in ["plain", "with \"quote\" and ☃"] {
            let t = sample(key);
            let whole: Value = serde_json::from_str(&t.text).unwrap();
            assert_eq!(read(&t), whole);
            assert_eq!(
                whole,
                json!({"type": "success", key: ["ü"], "value": {"a": 1, "list": [{"x": "é😀"}, {"k": "v", "deep": [1.5e-7, 1e21]}]},
                       "raw": {"z": [1, 2]}, "empty": {}})
            );
        }
    }

    #[test]
    fn an_object_member_in_one_pass_is_the_member_written_piece_by_piece() {
        let deferred = ["d1", "d\"2"];
        for eager in [
            &[][..],
            &[("a", json!(1))],
            &[("a", json!(null)), ("b\u{1}", json!("é"))],
        ] {
            let (mut one, mut pieces) = (Wire::default(), Wire::default());
            for w in [&mut one, &mut pieces] {
                w.begin_object();
                w.eager("head", &true).unwrap();
                w.begin_object_member("list").unwrap();
            }
            let mut text = Vec::new();
            for (k, v) in eager {
                let mut t = Wire::default();
                t.begin_object();
                t.eager(k, v).unwrap();
                if !text.is_empty() {
                    text.push(b',');
                }
                text.extend_from_slice(t.out.get(1..).unwrap());
            }
            for id in ["s1", "s\\2"] {
                one.object_member(id, &text, &deferred).unwrap();
                pieces.begin_object_member(id).unwrap();
                for (k, v) in eager {
                    pieces.eager(k, v).unwrap();
                }
                for k in deferred {
                    pieces.deferred(k).unwrap();
                }
                pieces.end();
            }
            let (one, pieces) = (one.finish().unwrap(), pieces.finish().unwrap());
            assert_eq!(one, pieces);
            read(&one);
        }
    }

    #[test]
    fn text_is_serde_json_compact_text() {
        let t = sample("k");
        let v: Value = serde_json::from_str(&t.text).unwrap();
        assert_eq!(t.text, serde_json::to_string(&v).unwrap());
    }
}

#[cfg(test)]
mod decision_tests {
    #![allow(
        clippy::unwrap_used,
        clippy::indexing_slicing,
        clippy::cast_possible_truncation
    )]
    use super::*;
    use crate::policy::{Dialect, EvaluationInput, Policy};
    use serde_json::json;

    #[test]
    fn a_decision_written_as_made_is_the_decision_s_text() {
        let metrics = json!({"s1": {"sharpe": 0.9, "max_drawdown": 0.1}, "s2": {"sharpe": 0.7},
                             "s\"3é": {"sharpe": "nan"}, "s4": {}, "s5😀": {"sharpe": 0.8}});
        let given = EvaluationInput::from_value(&json!({
            "metrics": metrics, "previous": ["s3", "gone"], "correlations": [["s1", "s2", 0.5]],
        }))
        .unwrap();
        let mut cases: Vec<(String, Policy, EvaluationInput)> = Vec::new();
        for dialect in [Dialect::Strict, Dialect::Qmtl] {
            for name in crate::policy::PRESET_NAMES {
                let policy = Policy::preset_in(name, dialect).unwrap();
                cases.push((format!("{name} {dialect:?}"), policy, given.clone()));
            }
        }
        // correlations from series: explanations with an alignment, correlation violations
        let wave = |k: f64| -> Vec<f64> {
            (0..40)
                .map(|i| (k * 1.7 + f64::from(i) * 0.37).sin() / 100.0)
                .collect()
        };
        let computed = EvaluationInput::from_value(&json!({
            "metrics": metrics, "returns": {"s1": wave(1.0), "s2": wave(1.05), "s4": wave(3.0)},
        }))
        .unwrap();
        let doc = json!({"thresholds": {"s": {"metric": "sharpe", "min": 0.0}},
                         "correlation": {"max": 0.3}});
        let policy = Policy::from_value(&doc, Dialect::Strict).unwrap();
        cases.push(("series".into(), policy, computed));
        for (name, policy, input) in cases {
            let d = policy.evaluate(&input);
            let text = serde_json::to_string(&d).unwrap();
            let streamed = evaluate_wire(&policy, &input).unwrap().finish().unwrap();
            // the violations written from the explanations' text are the typed ones
            assert!(
                text.contains("\"violations\":[{\"code\":"),
                "{name}: no violation"
            );
            if name == "series" {
                assert!(text.contains("\"alignment\":\"position\""), "{text}");
                assert!(text.contains("\"code\":\"correlation_exceeded\""), "{text}");
            }
            assert_eq!(streamed.text, text, "{name}");
            let whole = decision_wire(&d).unwrap().finish().unwrap();
            assert_eq!(whole, streamed);
            assert_eq!(read_layout(&streamed), serde_json::to_value(&d).unwrap());
            summary_is_the_decision_with_details_deferred(&name, &policy, &input, &d);
            // the verdicts: the decision's projection, byte for byte, nothing deferred
            let verdicts = evaluate_verdicts_wire(&policy, &input)
                .unwrap()
                .into_string()
                .unwrap();
            let projection = crate::schema::Verdicts::from(&d);
            assert_eq!(
                verdicts,
                serde_json::to_string(&projection).unwrap(),
                "{name}"
            );
            assert!(!verdicts.contains("\"rule_results\""), "{name}");
            let columns = evaluate_verdict_columns(&policy, &input).unwrap().unwrap();
            assert!(columns.weights_finite, "{name}");
            assert_eq!(
                serde_json::to_string(&rebuild(&columns)).unwrap(),
                verdicts,
                "{name}"
            );
            // over the input prepared in either dialect (the other's views unused): the same
            let summary = evaluate_summary_wire(&policy, &input)
                .unwrap()
                .finish()
                .unwrap();
            for dialect in [Dialect::Strict, Dialect::Qmtl] {
                let prepared = crate::policy::PreparedInput::new(input.clone(), dialect);
                let s = evaluate_summary_wire_prepared(&policy, &prepared);
                assert_eq!(s.unwrap().finish().unwrap(), summary, "{name} {dialect:?}");
                let v = evaluate_verdicts_wire_prepared(&policy, &prepared);
                assert_eq!(v.unwrap().into_string().unwrap(), verdicts, "{name}");
            }
        }
    }

    /// The verdicts of `c` as the package's reader builds them (see [`VerdictColumns`]).
    fn rebuild(c: &VerdictColumns) -> serde_json::Value {
        use serde_json::{Map, Value};
        let head: Value = serde_json::from_str(&c.head).unwrap();
        let ids = |text: &str, units: &[u32]| -> Vec<String> {
            let all: Vec<u16> = text.encode_utf16().collect();
            let mut at = 0;
            units
                .iter()
                .map(|&n| {
                    let id = String::from_utf16(&all[at..at + n as usize]).unwrap();
                    at += n as usize;
                    id
                })
                .collect()
        };
        let num = |x: f64| {
            if x.fract() == 0.0 && x.abs() < 1e15 {
                json!(x as i64)
            } else {
                json!(x)
            }
        };
        let mut strategies = Map::new();
        for (i, id) in ids(&c.ids, &c.id_units).into_iter().enumerate() {
            let f = c.flags[i];
            let (rank, weight) = (c.nums[2 * i], c.nums[2 * i + 1]);
            strategies.insert(
                id,
                json!({
                    "status": head["status"][usize::from(f & 3)],
                    "verdict": head["verdict"][usize::from((f >> 2) & 3)],
                    "selected": f & 16 != 0,
                    "rank": if f & 32 != 0 { num(rank) } else { Value::Null },
                    "weight": if f & 64 != 0 { json!(weight) } else { Value::Null },
                }),
            );
        }
        let mut state = Map::new();
        for (i, id) in ids(&c.ids, &c.id_units).into_iter().enumerate() {
            let n = &c.state_nums[4 * i..4 * i + 4];
            state.insert(
                id,
                json!({"active": n[0] == 1.0, "passes": num(n[1]), "fails": num(n[2]),
                       "since": if n[3] < 0.0 { Value::Null } else { num(n[3]) }}),
            );
        }
        json!({
            "dialect": head["dialect"], "selected": head["selected"], "profile": head["profile"],
            "recommended_stage": head["recommended_stage"], "ruleset_hash": head["ruleset_hash"],
            "strategies": strategies, "state": {"epoch": head["epoch"], "strategies": state},
            "notes": head["notes"],
        })
    }

    /// The summary's text is the decision's with each strategy's details replaced by `null`,
    /// and exactly those members are deferred in its layout.
    fn summary_is_the_decision_with_details_deferred(
        name: &str,
        policy: &Policy,
        input: &EvaluationInput,
        d: &Decision,
    ) {
        let summary = evaluate_summary_wire(policy, input)
            .unwrap()
            .finish()
            .unwrap();
        let mut want = serde_json::to_value(d).unwrap();
        let strategies = want["strategies"].as_object_mut().unwrap();
        for s in strategies.values_mut() {
            for key in ["rule_results", "violations", "explanations"] {
                s[key] = serde_json::Value::Null;
            }
        }
        assert_eq!(
            summary.text,
            serde_json::to_string(&want).unwrap(),
            "{name}"
        );
        assert_eq!(read_layout(&summary), want, "{name}");
        let deferred = summary
            .text
            .match_indices("null")
            .filter(|(at, _)| {
                let units = summary.text[..at + 4].encode_utf16().count();
                let end = u32::try_from(units).unwrap();
                summary.index.windows(2).any(|w| w == [end, end])
            })
            .count();
        assert_eq!(deferred, 3 * d.strategies.len(), "{name}");
        the_host_s_parts_give_the_same_texts(name, policy, input, d, &summary);
    }

    /// With the strategies read beforehand and the correlation stage recorded by the summary,
    /// the whole decision is the same text, its input's metrics, series and timestamps unread.
    fn the_host_s_parts_give_the_same_texts(
        name: &str,
        policy: &Policy,
        input: &EvaluationInput,
        d: &Decision,
        summary: &WireText,
    ) {
        let strategies = Strategies::of(&input.metrics, policy.dialect());
        let memo = std::cell::RefCell::new(None);
        let given = Given {
            strategies: Some(&strategies),
            memo: Some(&memo),
            ..Given::default()
        };
        let mut bare = input.clone();
        bare.metrics.clear();
        let first = evaluate_summary_wire_with(policy, &bare, given).unwrap();
        assert_eq!(&first.finish().unwrap(), summary, "{name}");
        assert!(memo.borrow().is_some(), "{name}");
        bare.returns = None;
        bare.timestamps = None;
        let whole = evaluate_wire_with(policy, &bare, given).unwrap();
        let text = serde_json::to_string(d).unwrap();
        assert_eq!(whole.finish().unwrap().text, text, "{name}");
    }
}

#[cfg(test)]
mod rule_text_tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use serde_json::json;

    fn rules(details: Value, cohort: bool) -> RuleResults {
        let rule: RuleResult = serde_json::from_value(json!({
            "status": "pass", "severity": "blocking", "owner": "quant", "reason_code": "ok",
            "reason": "fine \"quoted\" é", "tags": ["a"], "details": details,
        }))
        .unwrap();
        RuleResults {
            data_currency: rule.clone(),
            sample: rule.clone(),
            performance: rule.clone(),
            risk_constraint: rule.clone(),
            robustness: rule.clone(),
            cohort: cohort.then(|| rule.clone()),
            portfolio: None,
            stress: None,
            live_monitoring: None,
        }
    }

    #[test]
    fn explanations_are_written_as_serde_json_writes_them() {
        let full: Explanation = serde_json::from_value(json!({
            "rule": "thresholds.\"q\"", "metric": "dd\u{1}é", "observed": "nan", "magnitude": 1e21,
            "bound": -0.0, "comparison": "<=", "outcome": "fail", "code": "threshold_max",
            "message": "line\nbreak \\ 😀", "alignment": "inner",
        }))
        .unwrap();
        let bare: Explanation = serde_json::from_value(json!({
            "rule": "r", "metric": null, "observed": 1e-7, "bound": null, "comparison": null,
            "outcome": "skipped", "code": "", "message": "",
        }))
        .unwrap();
        for list in [vec![], vec![full.clone()], vec![bare.clone(), full, bare]] {
            let mut out = b"x".to_vec();
            write_explanations(&mut out, &list, None).unwrap();
            let want = format!("x{}", serde_json::to_string(&list).unwrap());
            assert_eq!(String::from_utf8(out).unwrap(), want);
        }
    }

    #[test]
    fn strings_and_states_are_written_as_serde_json_writes_them() {
        let texts = [
            "",
            "s0001",
            "é😀",
            "a\"b",
            "back\\slash",
            "tab\t",
            "\u{1f}",
            "\u{7f}",
            "x\u{0}",
        ];
        for text in texts {
            let mut out = b"x".to_vec();
            write_str(&mut out, text).unwrap();
            let want = format!("x{}", serde_json::to_string(text).unwrap());
            assert_eq!(String::from_utf8(out).unwrap(), want);
        }
        let mut state = crate::schema::ActivationState {
            epoch: u64::MAX,
            ..Default::default()
        };
        for (i, id) in texts.iter().enumerate() {
            let n = u32::try_from(i).unwrap();
            state.strategies.insert(
                (*id).to_string(),
                crate::schema::StrategyState {
                    active: i % 2 == 0,
                    passes: n,
                    fails: u32::MAX - n,
                    since: (i % 3 != 0).then_some(u64::from(n) * 1_000_000_007),
                },
            );
        }
        for st in [crate::schema::ActivationState::default(), state] {
            let mut out = Vec::new();
            write_state(&mut out, &st).unwrap();
            assert_eq!(
                String::from_utf8(out).unwrap(),
                serde_json::to_string(&st).unwrap()
            );
        }
    }

    #[test]
    fn a_long_run_of_changing_results_is_written_right() {
        // every result differs for a while (the kept entry stops following), then repeats
        let steps = (0..40)
            .map(|i| json!({"rank": i}))
            .chain((0..40).map(|i| json!({"rank": i % 3})));
        written_as_serde_writes(steps.enumerate().map(|(i, d)| (d, i % 7 == 0)));
    }

    /// Each rule-result set in turn (its details, whether the optional layer is there) is
    /// written as serde writes it, whatever the texts kept from the sets before.
    fn written_as_serde_writes(steps: impl Iterator<Item = (serde_json::Value, bool)>) {
        let mut texts = RuleTexts::default();
        for (i, (details, layer)) in steps.enumerate() {
            let r = rules(details, layer);
            texts.write(&r).unwrap();
            let want = serde_json::to_string(&r).unwrap();
            assert_eq!(
                String::from_utf8(texts.text.clone()).unwrap(),
                want,
                "step {i}"
            );
        }
    }

    #[test]
    fn a_reused_rule_text_is_the_rule_s_own_text() {
        // Each in turn after the previous one: values `==` takes as equal but written apart
        // (0.0 and -0.0, the same keys in another order), equal values, and an optional layer.
        let seq = [
            json!({"x": 0.0, "y": [1, {"z": 2.5}]}),
            json!({"x": -0.0, "y": [1, {"z": 2.5}]}),
            json!({"x": -0.0, "y": [1, {"z": 2.5}]}),
            json!({"y": [1, {"z": 2.5}], "x": -0.0}),
            json!({"y": [1, {"z": 2.5}], "x": -0.0, "i": 1}),
            json!({"y": [1, {"z": 2.5}], "x": -0.0, "i": 1.0}),
            json!({}),
        ];
        written_as_serde_writes(seq.into_iter().enumerate().map(|(i, d)| (d, i % 2 == 1)));
    }
}
