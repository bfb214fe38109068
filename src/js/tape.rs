//! Plain JS data as JSON ([`js_to_value`]) in a constant number of boundary calls, whatever the
//! value's size: `tape.js` reads the value once, in JS, into a tape — `ops`, doubles (the tags,
//! counts and string lengths below, and each number), and `bytes`, every string (keys, values,
//! BigInt digits, thrown messages) in order as one UTF-8 text, a run of flat objects of one
//! shape with its keys once ([`tag::SAME`]) — which crosses in three calls
//! (`encodeValue`, then its two members) and is decoded here. The old walk from Rust made about
//! five calls per member. Every meaning lives here: integers, non-finite numbers, the BigInt
//! range, the error messages and their JSON pointers; `tape.js` only reads and records, and ends
//! the tape where a read fails.

use crate::error::pointer_token;
#[cfg(feature = "engine")]
use crate::policy::{Dialect, FlatView, MetricsView, Scalar, Strategies};
use crate::{Code, Error};
use serde_json::{Map, Number, Value};
use wasm_bindgen::prelude::*;

#[wasm_bindgen(module = "/src/js/tape.js")]
extern "C" {
    /// `{ops, bytes}`: the tape of a value (`tape.js`).
    type JsTape;
    /// The tape of `value`, containers nested `max_depth` deep at most. Never throws: a read that
    /// throws (a getter, a Proxy trap) is recorded.
    #[wasm_bindgen(js_name = encodeValue)]
    fn encode_value(value: &JsValue, max_depth: u32) -> JsTape;
    #[wasm_bindgen(method, getter)]
    fn ops(this: &JsTape) -> Vec<f64>;
    #[wasm_bindgen(method, getter)]
    fn bytes(this: &JsTape) -> Vec<u8>;
    /// The keys of the value itself as read, when it is an object or a `Map` (else `undefined`).
    #[wasm_bindgen(method, getter)]
    fn keys(this: &JsTape) -> JsValue;
}

/// Nesting deeper than this is refused (cyclic objects included) rather than overflowing the
/// stack; `serde_json`'s own limit for text. `tape.js` applies it (it is handed this value).
const MAX_DEPTH: u32 = 128;

/// The words of the tape, as `tape.js` writes them (its list of constants is this one).
mod tag {
    /// A number: the next word is its value.
    pub const NUM: u32 = 0;
    /// `null` or `undefined`.
    pub const NULL: u32 = 1;
    /// `false`.
    pub const FALSE: u32 = 2;
    /// `true`.
    pub const TRUE: u32 = 3;
    /// A string: its length in UTF-16 units follows; the text holds it.
    pub const STR: u32 = 4;
    /// A BigInt: the length of its decimal digits follows; the text holds them.
    pub const BIG: u32 = 5;
    /// An array: its element count follows, then the elements.
    pub const ARR: u32 = 6;
    /// A plain object or `Map`: its member count follows, then per member its key (`STR`, or
    /// `KEY` for a `Map` key that is not a string) and its value.
    pub const OBJ: u32 = 7;
    /// A function or a symbol.
    pub const NOT_DATA: u32 = 8;
    /// A typed array, an `ArrayBuffer` or another iterable.
    pub const ITERABLE: u32 = 9;
    /// A container `MAX_DEPTH` deep.
    pub const DEEP: u32 = 10;
    /// Reading the value threw: the message's length follows (`NO_TEXT`: none); the text holds it.
    pub const THREW: u32 = 11;
    /// As `THREW`, in place of an array element whose read threw: the array's failure.
    pub const THREW_IN: u32 = 12;
    /// In place of a `Map` key that is not a string: the `Map`'s failure.
    pub const KEY: u32 = 13;
    /// A plain object or `Map` with the keys, in order, of the last *flat* `OBJ` (one whose
    /// values are all numbers, strings, booleans, `null` or BigInts): its member count follows,
    /// then its values alone.
    pub const SAME: u32 = 14;
    /// An object the package made (a `CompiledPolicy`, a `StrategyBatch`): not plain data.
    pub const ENGINE: u32 = 15;
    /// The length of no message.
    pub const NO_TEXT: u32 = u32::MAX;
}

/// Plain JS data as a JSON value: `null`/`undefined` → null, booleans, strings, numbers (safe
/// integers as integers; NaN and ±Infinity → null, as `JSON.stringify` does), BigInts within
/// i64/u64, arrays (the length read once, the elements by index), `Map`s with string keys and
/// plain objects (own enumerable string keys, in order: the keys `Object.keys` lists, every value
/// read before the first is converted, as `Object.entries` reads them; a getter that deletes or
/// hides a later key of its own object does not drop that key). Anything else is an `E_SCHEMA` error at
/// its JSON pointer below `path` (`~` and `/` escaped), its message `cannot read value: …`:
/// functions and symbols (`expected JSON-like data (not a function or symbol)`), typed arrays,
/// `ArrayBuffer`s and other iterables (`expected a plain object, array or Map (not a typed array
/// or iterable)`), a `Map` key that is not a string (`expected string keys`, at the `Map`), a
/// BigInt outside both ranges (`a BigInt outside the 64-bit range`), nesting deeper than 128
/// containers, cycles included (`nested too deeply (or cyclic)`), and a getter or Proxy trap that
/// throws (``reading it threw `<its message>` ``, at the object or array being read; a thrown
/// value without a string `message`, other than a string, is `an exception`).
pub(crate) fn js_to_value(v: &JsValue, path: &str) -> Result<Value, Error> {
    // A lone number or string (most options) crosses as itself, in one call: no tape to build.
    if let Some(x) = v.as_f64() {
        return Ok(number(x));
    }
    if let Some(s) = v.as_string() {
        return Ok(Value::String(s));
    }
    decode(v, path, |reader| reader.node(0))
}

/// `metricsByStrategy` read straight into the engine's strategies viewed in `dialect`
/// ([`Strategies`]), with the errors `EvaluationInput::from_value` gives for the same value as
/// its `metrics` (at `path`: `expected an object: strategy id → metrics` for something other
/// than an object, `expected an object of metrics` at `path/<id>` for each strategy whose
/// metrics are not one). The same strategies, errors and failures as [`js_to_value`] followed
/// by that reading: a strategy whose metrics are flat (numbers, strings, booleans, `null`; the
/// usual block) is read member by member into its view ([`FlatView`]), any other through its
/// JSON value.
///
/// # Errors
/// As [`js_to_value`], for a value it refuses.
#[cfg(feature = "engine")]
pub(crate) fn js_to_strategies(
    v: &JsValue,
    path: &str,
    dialect: Dialect,
) -> Result<ReadStrategies, Error> {
    if v.as_f64().is_some() || v.is_string() {
        let not_object = Error::new(
            Code::Schema,
            path,
            "expected an object: strategy id → metrics",
        );
        return Ok((Strategies::new(Vec::new(), dialect), vec![not_object], None));
    }
    let tape = encode_value(v, MAX_DEPTH);
    let (read, errors) = read_tape(&tape, path, |reader| reader.strategies(dialect, path))?;
    let keys = tape.keys().dyn_into::<js_sys::Array>().ok();
    Ok((Strategies::new(read, dialect), errors, keys))
}

/// What [`js_to_strategies`] reads: the strategies, the errors of their shape, and the ids as
/// JS strings in input order (the keys of `metricsByStrategy` as read, when it was an object or
/// a `Map`): `ids.get(Strategies::input_positions()[i])` is the `i`th strategy's id.
#[cfg(feature = "engine")]
pub(crate) type ReadStrategies = (Strategies, Vec<Error>, Option<js_sys::Array>);

/// The tape of `v` read by `read`, which must read it to its end; a failure as an error at its
/// pointer below `path`.
fn decode<T>(
    v: &JsValue,
    path: &str,
    read: impl FnOnce(&mut Reader) -> Result<T, Box<Fail>>,
) -> Result<T, Error> {
    read_tape(&encode_value(v, MAX_DEPTH), path, read)
}

/// [`decode`] of a tape already written.
fn read_tape<T>(
    tape: &JsTape,
    path: &str,
    read: impl FnOnce(&mut Reader) -> Result<T, Box<Fail>>,
) -> Result<T, Error> {
    // TextEncoder's output is UTF-8 (an empty text instead leaves any string malformed)
    let text = String::from_utf8(tape.bytes()).unwrap_or_default();
    let mut reader = Reader {
        ops: tape.ops(),
        text,
        op: 0,
        at: 0,
        split: false,
        last_flat: Vec::new(),
    };
    let value = read(&mut reader).and_then(|value| {
        if reader.op == reader.ops.len() {
            Ok(value)
        } else {
            Err(malformed())
        }
    });
    value.map_err(|fail| {
        let mut path = path.to_string();
        for token in fail.tokens.iter().rev() {
            path.push('/');
            path.push_str(&pointer_token(token));
        }
        Error::new(fail.code, path, fail.message)
    })
}

/// A refused value: the error's code and message, and the tokens of its JSON pointer
/// (unescaped), innermost first.
struct Fail {
    code: Code,
    message: String,
    tokens: Vec<String>,
}

/// An `E_SCHEMA` failure: `cannot read value: <what>`, then `more`.
fn fail(what: &str, more: &str) -> Box<Fail> {
    let mut message = String::from("cannot read value: ");
    message.push_str(what);
    message.push_str(more);
    Box::new(Fail {
        code: Code::Schema,
        message,
        tokens: Vec::new(),
    })
}

/// A tape that `tape.js` would not write: an engine error.
fn malformed() -> Box<Fail> {
    let mut fail = fail("malformed tape", "");
    fail.code = Code::Internal;
    fail
}

/// The tape being decoded: the next word and string.
struct Reader {
    ops: Vec<f64>,
    text: String,
    op: usize,
    /// The byte offset in `text` of the next string.
    at: usize,
    /// The last string ended inside a surrogate pair (see [`Reader::string`]).
    split: bool,
    /// The keys of the last flat `OBJ` read, which a `SAME` repeats.
    last_flat: Vec<String>,
}

impl Reader {
    /// The next word, a number (`NUM`'s value) or a tag, count or length (an integer).
    fn number(&mut self) -> Result<f64, Box<Fail>> {
        let w = self.ops.get(self.op).copied().ok_or_else(malformed)?;
        self.op += 1;
        Ok(w)
    }

    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    fn word(&mut self) -> Result<u32, Box<Fail>> {
        self.number().map(|w| w as u32)
    }

    /// The next word is `tag` (not read).
    fn next_is(&self, tag: u32) -> bool {
        self.ops.get(self.op) == Some(&f64::from(tag))
    }

    /// The value at the head of the tape, `depth` containers deep.
    fn node(&mut self, depth: u32) -> Result<Value, Box<Fail>> {
        let tag = self.word()?;
        Ok(match tag {
            tag::NUM => number(self.number()?),
            tag::NULL => Value::Null,
            tag::FALSE => Value::Bool(false),
            tag::TRUE => Value::Bool(true),
            tag::STR => Value::String(self.string()?),
            tag::BIG => bigint(&self.string()?)
                .ok_or_else(|| fail("a BigInt outside the 64-bit range", ""))?,
            tag::ARR | tag::OBJ | tag::SAME if depth < MAX_DEPTH => self.container(tag, depth)?,
            tag::NOT_DATA => {
                return Err(fail(
                    "expected JSON-like data (not a function or symbol)",
                    "",
                ));
            }
            tag::ITERABLE => {
                return Err(fail(
                    "expected a plain object, array or Map (not a typed array or iterable)",
                    "",
                ));
            }
            tag::ENGINE => {
                return Err(fail(
                    "expected plain data, got a worldgate object (a CompiledPolicy or a StrategyBatch)",
                    "",
                ));
            }
            tag::DEEP => return Err(fail("nested too deeply (or cyclic)", "")),
            tag::THREW => return Err(self.threw()),
            _ => return Err(malformed()),
        })
    }

    /// The array or object (`ARR`, `OBJ`, `SAME`) whose tag was just read, `depth` containers
    /// deep.
    fn container(&mut self, tag: u32, depth: u32) -> Result<Value, Box<Fail>> {
        let n = self.word()?;
        // an object's keys: a `SAME` object's are the last flat object's, taken here
        // (and put back); an `OBJ`'s are kept as read, for the next `SAME`
        let mut keys = if tag == tag::SAME {
            std::mem::take(&mut self.last_flat)
        } else {
            Vec::new()
        };
        if tag == tag::SAME && keys.len() != n as usize {
            return Err(malformed());
        }
        let mut flat = true;
        let mut items = Vec::new();
        let mut map = Map::new();
        for i in 0..n {
            let key = if tag == tag::OBJ {
                let key = match self.word()? {
                    tag::STR => self.string()?,
                    tag::KEY => return Err(fail("expected string keys", "")),
                    _ => return Err(malformed()),
                };
                keys.push(key.clone());
                Some(key)
            } else if tag == tag::SAME {
                keys.get(i as usize).cloned()
            } else if self.next_is(tag::THREW_IN) {
                // reading the element threw: the array's failure
                self.op += 1;
                return Err(self.threw());
            } else {
                None
            };
            let x = self.node(depth + 1).map_err(|mut fail| {
                fail.tokens
                    .push(key.clone().unwrap_or_else(|| i.to_string()));
                fail
            })?;
            flat &= !x.is_array() && !x.is_object();
            match key {
                Some(key) => {
                    map.insert(key, x);
                }
                None => items.push(x),
            }
        }
        if tag == tag::ARR {
            return Ok(Value::Array(items));
        }
        if flat || tag == tag::SAME {
            self.last_flat = keys;
        }
        Ok(Value::Object(map))
    }

    /// The failure of a `THREW`/`THREW_IN` word just read: the length of its message follows
    /// (`NO_TEXT`: none, `an exception`).
    fn threw(&mut self) -> Box<Fail> {
        let why = if self.next_is(tag::NO_TEXT) {
            self.op += 1;
            "an exception".to_string()
        } else {
            match self.string() {
                Ok(why) => why,
                Err(fail) => return fail,
            }
        };
        let mut fail = fail("reading it threw `", &why);
        fail.message.push('`');
        fail
    }

    /// The next string of the text, as long as the next word says in UTF-16 units. The text
    /// crossed as UTF-8, each lone surrogate replaced by U+FFFD (one unit, as the surrogate was),
    /// so a character is one unit, two for the four UTF-8 bytes of a pair. Two strings may have
    /// ended and begun with the halves of one pair, which the concatenation joined: each half is
    /// U+FFFD again, as it would have been alone.
    fn string(&mut self) -> Result<String, Box<Fail>> {
        let mut left = self.word()? as usize;
        let mut out = String::new();
        if self.split && left > 0 {
            // the low half of the pair the last string ended in
            out.push(char::REPLACEMENT_CHARACTER);
            self.at += 4;
            self.split = false;
            left -= 1;
        }
        let ascii = self
            .text
            .get(self.at..self.at + left)
            .filter(|s| s.is_ascii());
        if let Some(ascii) = ascii {
            // the common case: one byte a unit
            out.push_str(ascii);
            self.at += left;
            return Ok(out);
        }
        let bytes = self.text.as_bytes();
        let mut end = self.at;
        loop {
            match bytes.get(end) {
                Some(b) if b & 0xc0 == 0x80 => {} // a continuation byte
                _ if left == 0 => break,
                Some(&b) => {
                    let units = if b >= 0xf0 { 2 } else { 1 };
                    if units > left {
                        // a pair's high half ends this string: the next begins with the low half
                        self.split = true;
                        break;
                    }
                    left -= units;
                }
                None => return Err(malformed()),
            }
            end += 1;
        }
        out.push_str(self.text.get(self.at..end).ok_or_else(malformed)?);
        if self.split && left > 0 {
            out.push(char::REPLACEMENT_CHARACTER);
        }
        self.at = end;
        Ok(out)
    }
}

/// Reading the metrics of a batch of strategies ([`js_to_strategies`]).
#[cfg(feature = "engine")]
impl Reader {
    /// The metrics object at the head of the tape as strategies `(id, view)` in its order,
    /// with the errors of its shape (as [`js_to_strategies`] says; `base` is its pointer).
    #[allow(clippy::type_complexity)]
    fn strategies(
        &mut self,
        dialect: Dialect,
        base: &str,
    ) -> Result<(Vec<(String, MetricsView)>, Vec<Error>), Box<Fail>> {
        let mut errors = Vec::new();
        if !self.next_is(tag::OBJ) {
            self.node(0)?;
            let e = Error::new(
                Code::Schema,
                base,
                "expected an object: strategy id → metrics",
            );
            return Ok((Vec::new(), vec![e]));
        }
        self.op += 1;
        let n = self.word()? as usize;
        // each member takes at least three words
        let mut read = Vec::with_capacity(n.min(self.ops.len() / 3));
        for _ in 0..n {
            let id = match self.word()? {
                tag::STR => self.string()?,
                tag::KEY => return Err(fail("expected string keys", "")),
                _ => return Err(malformed()),
            };
            let view = match self.flat_view(dialect) {
                Some(view) => Some(view),
                None => {
                    let value = self.node(1).map_err(|mut fail| {
                        fail.tokens.push(id.clone());
                        fail
                    })?;
                    value.is_object().then(|| MetricsView::new(&value, dialect))
                }
            };
            match view {
                Some(view) => read.push((id, view)),
                None => errors.push(Error::new(
                    Code::Schema,
                    crate::error::pointer_join(base, &id),
                    "expected an object of metrics",
                )),
            }
        }
        Ok((read, errors))
    }

    /// The view of the flat metrics at the head of the tape, read without a JSON value: an
    /// object whose keys and strings are ASCII and whose values are numbers (as [`number`]
    /// reads them), strings, booleans or `null`. `None`, the tape where it was, for anything
    /// else (read through its JSON value then, which also finds its failures).
    fn flat_view(&mut self, dialect: Dialect) -> Option<MetricsView> {
        let (op, at, split) = (self.op, self.at, self.split);
        let view = self.flat_members(dialect);
        if view.is_none() {
            (self.op, self.at, self.split) = (op, at, split);
        }
        view
    }

    /// [`Reader::flat_view`]'s reading, the tape left anywhere on `None` (the last flat keys
    /// as they were).
    fn flat_members(&mut self, dialect: Dialect) -> Option<MetricsView> {
        let same = self.next_is(tag::SAME);
        if !same && !self.next_is(tag::OBJ) {
            return None;
        }
        self.op += 1;
        let n = self.word().ok()? as usize;
        if same && self.last_flat.len() != n {
            return None;
        }
        let mut view = FlatView::new(dialect, n.min(32), 16 * n.min(32));
        let mut keys = Vec::with_capacity(if same { 0 } else { n });
        for i in 0..n {
            if !same {
                if self.word().ok()? != tag::STR {
                    return None;
                }
                let key = self.ascii()?;
                keys.push(self.text.get(key)?.to_string());
            }
            let text = match self.word().ok()? {
                tag::NUM => match number(self.number().ok()?) {
                    Value::Number(x) => Err(x.as_f64().map_or(Scalar::Other, Scalar::Num)),
                    _ => Err(Scalar::Other),
                },
                tag::NULL | tag::FALSE | tag::TRUE => Err(Scalar::Other),
                tag::STR => Ok(self.ascii()?),
                _ => return None,
            };
            let value = match text {
                Ok(span) => Scalar::Str(self.text.get(span)?),
                Err(scalar) => scalar,
            };
            let key = if same { &self.last_flat } else { &keys };
            view.push(key.get(i)?, value);
        }
        if !same {
            self.last_flat = keys;
        }
        Some(view.finish())
    }

    /// The next string when it is ASCII and not joined to its neighbours by a split pair (the
    /// common case of [`Reader::string`]), as its span in `text`; `None` otherwise.
    fn ascii(&mut self) -> Option<std::ops::Range<usize>> {
        let len = self.word().ok()? as usize;
        let span = self.at..self.at.checked_add(len)?;
        if self.split || !self.text.get(span.clone())?.is_ascii() {
            return None;
        }
        self.at = span.end;
        Some(span)
    }
}

/// A BigInt's decimal digits as JSON: within i64 or u64, else `None`.
fn bigint(digits: &str) -> Option<Value> {
    let (negative, digits) = match digits.strip_prefix('-') {
        Some(d) => (true, d),
        None => (false, digits),
    };
    let mut magnitude: u64 = 0;
    for b in digits.bytes() {
        let digit = b.checked_sub(b'0').filter(|d| *d < 10)?;
        magnitude = magnitude.checked_mul(10)?.checked_add(u64::from(digit))?;
    }
    if negative {
        0_i64.checked_sub_unsigned(magnitude).map(Value::from)
    } else {
        Some(Value::from(magnitude))
    }
}

/// A JS number as JSON: `Number.isSafeInteger` values as integers (as JSON text would give
/// them), other finite numbers as floats, NaN and ±Infinity as null.
fn number(x: f64) -> Value {
    const SAFE: f64 = 9_007_199_254_740_991.0;
    #[allow(clippy::cast_possible_truncation)]
    if x.fract() == 0.0 && x.abs() <= SAFE {
        Value::from(x as i64)
    } else {
        Number::from_f64(x).map_or(Value::Null, Value::Number)
    }
}
