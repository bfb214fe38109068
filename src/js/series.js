// The JS half of `read_returns` (src/js/policy.rs): the entries of `returns_by_strategy` and the
// test of each series, read in JS in one call (from Rust, a few calls per strategy). wasm-bindgen
// emits this file as a snippet module beside the glue, as it does tape.js.

const isSeries = (v) => { try { return v instanceof Float64Array; } catch { return false; } };

/**
 * `[entries, byId]`: the own enumerable string-keyed entries of `returns` (`Object.entries`) and,
 * when every value is a `Float64Array` (an `instanceof` that throws is a no), a `Map` of them by
 * key, else `undefined`. Throws what a getter or Proxy trap throws while the entries are read.
 */
export function seriesEntries(returns) {
  const entries = Object.entries(returns);
  for (let i = 0; i < entries.length; i++) {
    if (!isSeries(entries[i][1])) return [entries, undefined];
  }
  return [entries, new Map(entries)];
}
