//! Results handed to JavaScript as wire text read on demand ([`crate::policy::wire`]): the
//! package's runtime layer installs a reader (`pkg-config/api.js`) that turns the text and its
//! layout into an object whose members are parsed when first read; without it (the glue used
//! directly) the text is parsed at once.

use super::error_to_js;
use crate::policy::wire::{VerdictColumns, WireText};
use crate::{Code, Error};
use std::cell::RefCell;
use wasm_bindgen::prelude::*;

#[wasm_bindgen]
extern "C" {
    /// `{ read(text, index, source): object, textOf(value): string | undefined }`.
    pub type WireHost;
    /// The lazy object of `text` laid out by `index`; `source` (when given) is the id under
    /// which the engine writes the whole document of a text with deferred members
    /// (`__wgDecisionFull`).
    #[wasm_bindgen(method, catch)]
    fn read(
        this: &WireHost,
        text: &str,
        index: &[u32],
        source: Option<u32>,
    ) -> Result<JsValue, JsValue>;
    /// The wire text the reader holds for `value`, if any.
    #[wasm_bindgen(method, js_name = textOf)]
    fn text_of(this: &WireHost, value: &JsValue) -> JsValue;
    /// A decision's verdicts built from their columns ([`VerdictColumns`]; the slices are
    /// views of wasm memory, valid for this call only) in the shape `shape` ([`ColumnsAs`]:
    /// 0 the plain objects of `Verdicts`, 1 a `VerdictTable`). With `keys` (an array of the
    /// strategy ids in input order) the `i`th strategy's id is `keys[positions[i]]` (and the
    /// columns carry no ids).
    #[wasm_bindgen(method, catch, js_name = columns)]
    #[allow(clippy::too_many_arguments)]
    fn columns_of(
        this: &WireHost,
        shape: u32,
        head: &str,
        ids: &str,
        id_units: &[u32],
        flags: &[u8],
        nums: &[f64],
        state_nums: &[f64],
        keys: &JsValue,
        positions: &[u32],
    ) -> Result<JsValue, JsValue>;
}

thread_local! {
    static HOST: RefCell<Option<WireHost>> = const { RefCell::new(None) };
}

/// Installs the package's reader of wire text (`undefined` removes it). Not part of the
/// public API.
#[wasm_bindgen(js_name = __wgWireHost)]
pub fn install_wire_host(host: Option<WireHost>) {
    HOST.with(|h| *h.borrow_mut() = host);
}

/// Whether a reader of wire text is installed (without one, a text with deferred members
/// cannot be handed out: [`to_js`] would parse its placeholders).
pub(crate) fn has_host() -> bool {
    HOST.with(|h| h.borrow().is_some())
}

/// `t` as a JS value: the installed reader's lazy object, else `JSON.parse` of the text.
pub(crate) fn to_js(t: &WireText) -> Result<JsValue, JsValue> {
    to_js_from(t, None)
}

/// [`to_js`] of a text whose deferred members the reader gets from `source` (`None`: the text
/// has none). With `source`, the reader must be installed ([`has_host`]).
pub(crate) fn to_js_from(t: &WireText, source: Option<u32>) -> Result<JsValue, JsValue> {
    let lazy = HOST.with(|h| {
        h.borrow()
            .as_ref()
            .map(|host| host.read(&t.text, &t.index, source))
    });
    match lazy {
        Some(Ok(v)) => Ok(v),
        Some(Err(_)) | None => js_sys::JSON::parse(&t.text).map_err(|_| {
            error_to_js(Error::new(
                Code::Internal,
                "",
                "cannot convert result: the host rejected the JSON text",
            ))
        }),
    }
}

/// The shapes the installed reader builds from a decision's [`VerdictColumns`] (the codes its
/// `columns` method takes).
#[derive(Clone, Copy)]
pub(crate) enum ColumnsAs {
    /// `Verdicts`: plain objects, as the verdicts' text parses.
    Verdicts = 0,
    /// `VerdictTable`: the columns as typed arrays beside the ids.
    Table = 1,
}

/// The verdicts of `c` built by the installed reader in the shape `shape`; `None` without a
/// reader (or with one that refuses them): the caller then parses the verdicts' text, or fails.
/// `keys` are the strategy ids as the caller gave them (JS strings, in input order) with each
/// strategy's position among them (`Strategies::input_positions`): the reader then takes the
/// ids from there (`c` was written without them).
pub(crate) fn columns_to_js(
    c: &VerdictColumns,
    keys: Option<(&js_sys::Array, &[u32])>,
    shape: ColumnsAs,
) -> Option<JsValue> {
    let (keys, positions) = match keys {
        Some((keys, positions)) => (keys.as_ref(), positions),
        None => (&JsValue::UNDEFINED, &[][..]),
    };
    HOST.with(|h| {
        let h = h.borrow();
        let host = h.as_ref()?;
        host.columns_of(
            shape as u32,
            &c.head,
            &c.ids,
            &c.id_units,
            &c.flags,
            &c.nums,
            &c.state_nums,
            keys,
            positions,
        )
        .ok()
    })
}

/// The wire text the reader holds for `value` (a result of the engine, or a member read from
/// one), if any.
pub(crate) fn text_of(value: &JsValue) -> Option<String> {
    if !value.is_object() {
        return None;
    }
    HOST.with(|h| {
        h.borrow()
            .as_ref()
            .and_then(|host| host.text_of(value).as_string())
    })
}

/// `value` decoded as a `T` from the text the reader holds for it (a result of the engine given
/// back, e.g. a gate's decision to `nextWorldState`): one parse of the text by the engine's own
/// reader instead of a walk over the JS object; `None` when there is no such text or it does not
/// decode (the caller then reads the object itself).
pub(crate) fn decode_text<T: serde::de::DeserializeOwned>(value: &JsValue) -> Option<T> {
    let text = text_of(value)?;
    let limits = crate::json::Limits::UNBOUNDED;
    let tree = crate::json::parse(text.as_bytes(), &limits).ok()?;
    crate::schema::from_value(&tree).ok()
}

/// The JSON text of `value`: the engine's own text for a result it returned (a decision, a gate
/// answer, or a member read from them: a snapshot, a run, its metrics …) as it was produced —
/// no parse and stringify round trip — else `JSON.stringify(value)`. A result changed after it
/// was returned (a member assigned) is stringified afresh; a change deep inside a member
/// already read is not seen, so change nothing in a result whose text you store. Throws
/// `E_SCHEMA` for a value JSON cannot represent (`undefined`, a function).
#[wasm_bindgen(js_name = wireText)]
pub fn wire_text(
    #[wasm_bindgen(unchecked_param_type = "unknown")] value: JsValue,
) -> Result<String, JsValue> {
    if let Some(t) = text_of(&value) {
        return Ok(t);
    }
    js_sys::JSON::stringify(&value)
        .ok()
        .and_then(|s| s.as_string())
        .ok_or_else(|| {
            error_to_js(Error::new(
                Code::Schema,
                "",
                "the value has no JSON text (undefined, a function or a symbol)",
            ))
        })
}
