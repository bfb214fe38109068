//! Engine objects handed to JS and recognised where they are passed back: a registry of the live
//! ones of a kind (`CompiledPolicy`, `StrategyBatch`) by id, and the lookup of the one a JS value
//! is (its id read by `handle.js`, which never calls into the engine for a freed one).

use crate::{Code, Error};
use std::cell::{Cell, RefCell};
use std::rc::Rc;
use std::thread::LocalKey;
use wasm_bindgen::prelude::*;

#[wasm_bindgen(module = "/src/js/handle.js")]
extern "C" {
    /// The id `v`'s `key` getter gives (`handle.js`): positive for a live engine object, 0 for
    /// one freed or stale, -1 for an engine object of another kind, `undefined` otherwise.
    #[wasm_bindgen(js_name = handleId)]
    fn handle_id(v: &JsValue, key: &str) -> JsValue;
    /// Whether `v` is an engine object with no `toJSON` (`handle.js`; a boolean, taken as a
    /// `JsValue` so that wasm-bindgen imports it through the glue like `handleId`).
    #[wasm_bindgen(js_name = isOpaque)]
    fn is_opaque(v: &JsValue) -> JsValue;
}

/// `E_SCHEMA` at `path` when `value` is an engine object that no JSON text stands for (a
/// `StrategyBatch` where a document stands; a `CompiledPolicy` reads as its policy document).
pub(crate) fn refuse_opaque(value: &JsValue, path: &str) -> Result<(), Error> {
    if value.is_object() && is_opaque(value).is_truthy() {
        return Err(Error::new(
            Code::Schema,
            path,
            "expected a JSON document, got a worldgate object (a StrategyBatch)",
        ));
    }
    Ok(())
}

/// The live objects of one kind, by id (ids start at 1 and are never 0).
pub(crate) struct Handles<T> {
    live: RefCell<Vec<(u32, Rc<T>)>>,
    next: Cell<u32>,
}

impl<T> Handles<T> {
    pub(crate) const fn new() -> Self {
        Handles {
            live: RefCell::new(Vec::new()),
            next: Cell::new(1),
        }
    }

    /// Registers `value`; its id.
    pub(crate) fn add(&self, value: &Rc<T>) -> u32 {
        let id = self.next.get();
        self.next.set(id.wrapping_add(1).max(1));
        self.live.borrow_mut().push((id, Rc::clone(value)));
        id
    }

    /// Forgets the object `id` (dropped).
    pub(crate) fn remove(&self, id: u32) {
        self.live.borrow_mut().retain(|(i, _)| *i != id);
    }

    fn find(&self, id: u32) -> Option<Rc<T>> {
        let live = self.live.borrow();
        live.iter()
            .find(|(i, _)| *i == id)
            .map(|(_, v)| Rc::clone(v))
    }
}

/// What a JS value passed where an engine object of a kind may stand is.
pub(crate) enum Found<T> {
    /// The live object.
    Live(Rc<T>),
    /// Not an engine object: the caller reads it as data.
    Data,
}

/// The object of `registry` that `value` is (recognised by its `key` getter), or
/// [`Found::Data`] for a value that is no engine object.
///
/// # Errors
/// `E_SCHEMA` at `path`: an object of this kind that was freed or made before the engine was
/// reset, or an engine object of another kind (`what` names the kind expected).
pub(crate) fn lookup<T>(
    registry: &'static LocalKey<Handles<T>>,
    value: &JsValue,
    key: &str,
    what: &str,
    path: &str,
) -> Result<Found<T>, Error> {
    // a number, a string, `null`: data, without a call into JS
    if !value.is_object() {
        return Ok(Found::Data);
    }
    let Some(id) = handle_id(value, key).as_f64() else {
        return Ok(Found::Data);
    };
    let live = (id >= 1.0 && id <= f64::from(u32::MAX))
        .then(|| registry.with(|r| r.find(id as u32)))
        .flatten();
    match live {
        Some(v) => Ok(Found::Live(v)),
        None if id < 0.0 => Err(Error::new(
            Code::Schema,
            path,
            format!("expected {what}, got another worldgate object"),
        )),
        None => Err(Error::new(
            Code::Schema,
            path,
            "this object was freed (`free()`), made before the engine was reset, or not made by worldgate",
        )
        .with_help("make it again")),
    }
}
