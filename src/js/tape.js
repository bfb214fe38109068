// The JS half of src/js/tape.rs: a JS value read once, in JS, into a tape that crosses into wasm
// in a constant number of calls (this function, then the tape's two members), whatever the
// value's size. wasm-bindgen emits this file as a snippet module beside the glue (and
// scripts/pkg/assemble.mjs copies it into the package), so every caller of the engine's
// `js_to_value` has it, the wasm-bindgen tests included.
//
// The tape: `ops`, a Float64Array of numbers (tags, counts, string lengths in UTF-16 units, and
// after a NUM tag the number itself), and `bytes`, every string (keys, values, BigInt digits,
// thrown messages) in order as one UTF-8 text; a flat object (values that are not containers)
// with the keys of the last flat object written with its keys is written as SAME and its values
// alone (a batch of metrics blocks of one shape sends its keys once). This file only reads and
// records: what a value
// means (integers, non-finite numbers, the BigInt range, every error message and JSON pointer) is
// decided by the decoder in tape.rs. A read that fails ends the tape with a failure tag where the
// value would stand; the decoder stops there, knowing the path.
//
// The tags are tape.rs's `tag` module (keep the two lists equal; tests/js/checks.mjs reaches each).
const NUM = 0, NULL = 1, FALSE = 2, TRUE = 3, STR = 4, BIG = 5, ARR = 6, OBJ = 7;
const NOT_DATA = 8, ITERABLE = 9, DEEP = 10, THREW = 11, THREW_IN = 12, KEY = 13, SAME = 14, ENGINE = 15;
// THREW/THREW_IN: no message (the decoder says "an exception")
const NO_TEXT = 0xffffffff;

const utf8 = new TextEncoder();
const NO_BYTES = new Uint8Array(0);
/** `v instanceof type`, false when the test throws (a Proxy trap). Shared with series.js. */
export const is = (v, type) => { try { return v instanceof type; } catch { return false; } };

/** Whether `v` is a `Map`: of this realm, or (its prototype not this realm's `Object.prototype`)
 *  of another by its tag (`instanceof` is false across realms: a `vm` context, an iframe).
 *  Shared with series.js. */
export const isMap = (v) => is(v, Map) || tagged(v, 'Map');

/** Whether `v`, an object whose prototype is not this realm's `Object.prototype`, has the tag
 *  `name` (`Object.prototype.toString`); false when reading it throws. */
export function tagged(v, name) {
  try {
    return Object.getPrototypeOf(v) !== Object.prototype && Object.prototype.toString.call(v) === `[object ${name}]`;
  } catch {
    return false;
  }
}

/** `[keys, values]` of a `Map`, its `entries()` in order; throws what they throw. Shared with
 *  series.js, which reads `returns_by_strategy` as this file reads a `Map` of metrics. */
export function mapEntries(map) {
  const entries = Array.from(map.entries());
  return [entries.map((e) => e[0]), entries.map((e) => e[1])];
}
const has = (v, key) => { try { return key in v; } catch { return false; } };
// flat: string keys only, and values that are not containers (nor functions or symbols, which
// end the tape)
const isFlat = (keys, values) => {
  for (let i = 0; i < keys.length; i++) {
    const v = values[i];
    const t = typeof v;
    if (typeof keys[i] !== 'string' || (t === 'object' && v !== null) || t === 'function' || t === 'symbol') return false;
  }
  return true;
};
const sameKeys = (a, b) => {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
};

/** The tape of `value`, containers nested `maxDepth` deep at most (deeper: the `DEEP` failure),
 *  and `keys`: the keys of `value` itself as read when it is an object or a `Map` (the strategy
 *  ids of a `metricsByStrategy`, which the package's readers reuse instead of copies). */
export function encodeValue(value, maxDepth) {
  // the words, in a Float64Array grown by doubling (cheaper to fill than an array, and copied
  // into wasm in one `set`)
  let ops = new Float64Array(64);
  let len = 0;
  const grow = () => {
    const bigger = new Float64Array(ops.length * 2);
    bigger.set(ops);
    ops = bigger;
  };
  const put = (w) => {
    if (len === ops.length) grow();
    ops[len++] = w;
  };
  const put2 = (w, x) => {
    if (len + 2 > ops.length) grow();
    ops[len] = w;
    ops[len + 1] = x;
    len += 2;
  };
  let text = '';
  // the top-level container's keys as read (an object's or a Map's), handed back beside the tape
  let top;
  // the keys of the last flat object written with them: a flat object with the same keys is
  // written as `SAME` and its values (a batch of metrics blocks writes its keys once)
  let lastFlat;
  // A failure read from an exception `e`: its `message` when that is a string, a thrown string
  // itself, else none. `tag` THREW stands for the value being read, THREW_IN for its container.
  const threw = (tag, e) => {
    let why;
    if (typeof e === 'string') why = e;
    else if (e !== null && (typeof e === 'object' || typeof e === 'function')) {
      try { why = e.message; } catch { why = undefined; }
    }
    if (typeof why === 'string') {
      put2(tag, why.length);
      text += why;
    } else put2(tag, NO_TEXT);
    return false;
  };
  // Appends `v`; false when the tape ended with a failure.
  const walk = (v, depth) => {
    switch (typeof v) {
      case 'number': put2(NUM, v); return true;
      case 'string': put2(STR, v.length); text += v; return true;
      case 'boolean': put(v ? TRUE : FALSE); return true;
      case 'undefined': put(NULL); return true;
      case 'bigint': {
        const digits = String(v);
        put2(BIG, digits.length);
        text += digits;
        return true;
      }
      case 'object': if (v === null) { put(NULL); return true; } break;
      default: break; // functions and symbols: refused below, after the depth (as before)
    }
    if (depth >= maxDepth) { put(DEEP); return false; }
    // Every read may run a getter or a Proxy trap, which may throw: a failure at `v`, except in
    // the type tests (`instanceof`, `in`), where a throw means "no". An object's members are all
    // read before the first is walked (as Object.entries reads them).
    let length, keys, values;
    try {
      if (Array.isArray(v)) length = v.length;
      else if (typeof v !== 'object') { put(NOT_DATA); return false; }
      else if (isMap(v)) [keys, values] = mapEntries(v);
      else if (has(v, Symbol.iterator) || is(v, ArrayBuffer)) { put(ITERABLE); return false; }
      else {
        // Object.entries without its array per member: own enumerable string keys, in order
        keys = Object.keys(v);
        // one of the package's own objects (wasm-bindgen sets its pointer, `__wbg_ptr`, first):
        // its members are no data
        if (keys[0] === '__wbg_ptr') { put(ENGINE); return false; }
        values = new Array(keys.length);
        for (let i = 0; i < keys.length; i++) values[i] = v[keys[i]];
      }
    } catch (e) {
      return threw(THREW, e);
    }
    if (keys === undefined) {
      // an array: the length as read (not a number: 0), whole, within 0 ..= 2^32 - 1
      const n = typeof length === 'number' && length > 0 ? Math.min(Math.floor(length), 0xffffffff) : 0;
      put2(ARR, n);
      for (let i = 0; i < n; i++) {
        let x;
        try { x = v[i]; } catch (e) { return threw(THREW_IN, e); }
        if (!walk(x, depth + 1)) return false;
      }
      return true;
    }
    const n = keys.length;
    if (depth === 0) top = keys;
    const flat = isFlat(keys, values);
    if (flat && lastFlat !== undefined && sameKeys(keys, lastFlat)) {
      put2(SAME, n);
      for (let i = 0; i < n; i++) walk(values[i], depth + 1); // primitives: never a failure
      return true;
    }
    put2(OBJ, n);
    for (let i = 0; i < n; i++) {
      const key = keys[i];
      if (typeof key !== 'string') { put(KEY); return false; } // a Map's
      put2(STR, key.length);
      text += key;
      if (!walk(values[i], depth + 1)) return false;
    }
    if (flat) lastFlat = keys;
    return true;
  };
  walk(value, 0);
  return { ops: ops.subarray(0, len), bytes: text === '' ? NO_BYTES : utf8.encode(text), keys: top };
}
