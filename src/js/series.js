// The JS half of `read_returns` (src/js/policy.rs): the entries of `returns_by_strategy` and the
// test of each series, read in JS in one call (from Rust, a few calls per strategy). wasm-bindgen
// emits this file as a snippet module beside the glue, as it does tape.js.

import { is, isMap, mapEntries, tagged } from './tape.js';

/**
 * `[keys, values, aligned]` (`null` for a `Set`, `WeakMap`, `WeakSet`, typed array or buffer, which
 * hold no series by key): the own enumerable string keys of `returns` (`Object.keys`) and their
 * values, each read once (a `Map`: its entries, and a throw when a key is not a string),
 * and — when every value is a `Float64Array` of this realm (an `instanceof` that throws is a no) — `aligned`,
 * the series of each of `ids` (the strategy ids as the metrics were read) in that order,
 * `undefined` where `returns` has none; else `aligned` is `undefined` (the caller then checks
 * each series). When the two list the same keys in the same order (the usual case) `aligned` is
 * `values` itself: no lookup by key. Throws what a getter or Proxy trap throws while the entries
 * are read.
 */
export function seriesEntries(returns, ids) {
  let keys, values;
  // an object that holds no series by key (a Set, a WeakMap, a typed array, a buffer): null
  if (is(returns, Set) || is(returns, WeakMap) || is(returns, WeakSet) || is(returns, ArrayBuffer) || ArrayBuffer.isView(returns)
    || ['Set', 'WeakMap', 'WeakSet', 'ArrayBuffer'].some((name) => tagged(returns, name))) return null;
  if (isMap(returns)) {
    [keys, values] = mapEntries(returns);
    if (keys.some((k) => typeof k !== 'string')) throw new TypeError('a Map key is not a string');
  } else {
    keys = Object.keys(returns);
    values = new Array(keys.length);
    for (let i = 0; i < keys.length; i++) values[i] = returns[keys[i]];
  }
  let all = true;
  // a view, not an object that only has Float64Array's prototype (one of another realm is
  // checked and copied by the engine)
  for (let i = 0; all && i < keys.length; i++) all = is(values[i], Float64Array) && ArrayBuffer.isView(values[i]);
  if (!all) return [keys, values, undefined];
  if (!Array.isArray(ids)) return [keys, values, []];
  let same = ids.length === keys.length;
  for (let i = 0; same && i < keys.length; i++) same = ids[i] === keys[i];
  if (same) return [keys, values, values];
  const byKey = new Map();
  for (let i = 0; i < keys.length; i++) byKey.set(keys[i], values[i]);
  return [keys, values, ids.map((id) => byKey.get(id))];
}
