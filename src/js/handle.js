// The JS half of src/js/handle.rs: which engine object a value is, read without calling into the
// engine for a handle already freed. wasm-bindgen emits this file as a snippet module beside the
// glue, as it does tape.js.

/**
 * The id of the engine object `v` (a `CompiledPolicy`, a `StrategyBatch`) read from its `key`
 * getter: a positive number for a live one; `0` for one that was freed, made before the engine
 * was reset, or that only has the class's prototype (its pointer, wasm-bindgen's `__wbg_ptr`, is
 * not a positive number, or its getter refuses a stale object: the getter is never called into
 * the engine with a null pointer); `-1` for an engine
 * object of another kind (it has a `__wbg_ptr` but no `key`); `undefined` for anything else
 * (a getter or Proxy trap that throws included).
 */
export function handleId(v, key) {
  if (v === null || typeof v !== 'object') return undefined;
  let handle;
  try {
    handle = key in v;
    if (!handle) return Object.prototype.hasOwnProperty.call(v, '__wbg_ptr') ? -1 : undefined;
  } catch {
    return undefined;
  }
  try {
    if (!(v.__wbg_ptr > 0)) return 0; // freed, or an object that only has the class's prototype
    const id = v[key];
    return typeof id === 'number' && id > 0 ? id : 0;
  } catch {
    return 0;
  }
}

/** Whether `v` is one of the package's objects (wasm-bindgen's pointer) that has no `toJSON`:
 *  no JSON text stands for it (a `CompiledPolicy`'s is its policy document). */
export function isOpaque(v) {
  try {
    return v !== null && typeof v === 'object' && Object.prototype.hasOwnProperty.call(v, '__wbg_ptr')
      && typeof v.toJSON !== 'function';
  } catch {
    return false;
  }
}
