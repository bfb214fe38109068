// The runtime layer shared by every entry point of the `worldgate` package.
//
// - One wasm module, instantiated lazily on first use from a source that the entry point
//   configures (Node reads the file, workerd imports the module, browsers fetch it in `init()`).
// - Every export of the wasm-bindgen glue is wrapped generically (`wrapFunction`, `wrapClass`;
//   the list is generated at build time into exports.js): errors thrown by the engine — plain
//   `Error`s named `WorldgateError` with code/path/help/errors — become instances of the exported
//   `WorldgateError` class.
// - A wasm trap (`WebAssembly.RuntimeError`, e.g. `unreachable`) leaves the instance unusable:
//   the call throws a `WorldgateError` with code `E_INTERNAL`, and the next call re-instantiates
//   the wasm from the cached `WebAssembly.Module` (wasm-bindgen's `__wbg_reset_state`). Objects
//   of exported classes created before the reset are stale and throw when used.
//
// No metric, rule or validation logic lives here: that is all in the engine.
import * as glue from './worldgate_glue.js';

const BRAND = Symbol.for('worldgate.WorldgateError');

/** An engine error: a stable `code`, a JSON-pointer `path`, a message, optional `help`. */
export class WorldgateError extends Error {
  constructor(message, { code = 'E_INTERNAL', path = '', help, errors, cause } = {}) {
    super(message, cause === undefined ? undefined : { cause });
    Object.defineProperty(this, BRAND, { value: true });
    this.name = 'WorldgateError';
    this.code = code;
    this.path = path;
    if (help !== undefined) this.help = help;
    this.errors = Array.isArray(errors) && errors.length > 0
      ? errors
      : [help === undefined ? { code, message, path } : { code, message, path, help }];
  }

  // `instanceof` holds across copies of the package (ESM and CJS builds loaded side by side).
  static [Symbol.hasInstance](value) {
    return typeof value === 'object' && value !== null && value[BRAND] === true;
  }

  toJSON() {
    const out = { code: this.code, message: this.message, path: this.path };
    if (this.help !== undefined) out.help = this.help;
    if (this.errors.length > 1) out.errors = this.errors;
    return out;
  }
}

const config = { load: undefined, locate: undefined, sha256: undefined };
let module;        // the compiled WebAssembly.Module, once known
let started = false; // the glue holds a live instance
let poisoned = false;
let generation = 0;
let pendingInit;
let platformSha256 = false; // the instance hashes large inputs with config.sha256
let idleStack; // stackMark() between calls
// An engine call is under way: a call made meanwhile is nested (the engine reading an input ran
// JS that called the package: one of its own objects' getters or `toJSON`, a user's getter)
let calling = false;

/** Called once by each entry point: `load()` returns the module or its bytes synchronously;
 *  `locate()` returns where `init()` fetches it from (browsers); `sha256(bytes)`, where the
 *  platform has a synchronous native one, returns the SHA-256 of a `Uint8Array` (the engine
 *  checks it against known vectors and uses it for large inputs instead of hashing in wasm). */
export function configure(options) {
  Object.assign(config, options);
}

function notInitialised() {
  return new WorldgateError(
    'worldgate is not initialised: the wasm module has not been loaded yet',
    { code: 'E_NOT_INITIALIZED', help: 'call `await init()` (or `await ready`) once before the first call' },
  );
}

function ensure() {
  if (started && !poisoned) return;
  if (started) {
    glue.__wbg_reset_state();
    poisoned = false;
    generation += 1;
    installPlatform(true);
    idleStack = stackMark();
    return;
  }
  if (module === undefined) {
    if (config.load === undefined) throw notInitialised();
    let source;
    try {
      source = config.load();
    } catch (error) {
      // e.g. Node/Bun reading a wasm file that a bundler did not copy next to its output
      throw new WorldgateError(`cannot load the worldgate wasm module: ${error && error.message}`, {
        code: 'E_NOT_INITIALIZED', cause: error,
        help: 'the wasm file is read from next to the package\'s entry: when bundling, keep `worldgate` external, '
          + 'copy its .wasm file next to the bundle, or `await init(wasmBytes)` before the first call',
      });
    }
    module = source instanceof WebAssembly.Module ? source : new WebAssembly.Module(source);
  }
  glue.initSync({ module });
  started = true;
  installPlatform(true);
  idleStack = stackMark();
}

/** Where the engine's stack stands between calls (`__wgStackProbe`; looked up by name, see
 *  `installPlatform`), or `undefined` when the glue has no probe. */
function stackMark() {
  const probe = Reflect.get(glue, '__wgStackProbe');
  return typeof probe === 'function' ? probe() : undefined;
}

/** Hands the platform's SHA-256 to the instance, or takes it back (the core build has no digests),
 *  and the reader of results given as wire text. */
function installPlatform(on) {
  // Looked up by name, not as `glue.__wgPlatformSha256`: the core's glue has no such export, and
  // bundlers (webpack 5, Vite) reject or warn on a static import of a missing export.
  const wire = Reflect.get(glue, '__wgWireHost');
  if (typeof wire === 'function') wire(wireHost);
  const hook = Reflect.get(glue, '__wgPlatformSha256');
  if (typeof hook !== 'function') return;
  platformSha256 = hook(on && config.sha256 !== undefined ? { sha256: config.sha256 } : undefined);
}

// ---- Results read on demand --------------------------------------------------------------------
// Large results (a decision, a gate answer) come from the engine as their JSON text and a layout
// (src/policy/wire.rs): each object is built with its small members parsed at once and its large
// ones as enumerable accessors that parse their own slice of the text when first read (and keep
// the value). The objects are plain data to JSON.stringify, structuredClone, Object.keys, spread
// and deep equality; `wireText(value)` (the engine's export) gives the text of a result or of a
// member read from it without a parse/stringify round trip, unless the value was changed since
// (see `textOf`).
//
// A decision may come as its *summary* (the engine's `source` id given with it): members whose
// layout entry has an empty value range are deferred — their values (a strategy's rule results,
// violations, explanations) are not in the summary's text. The first read of one, or of the text
// of a node (`wireText`), asks the engine for the whole decision (`__wgDecisionFull(source)`,
// read as any result) and answers from it; the summary's own members stay as read.

/** value → its record: `{text, index, start, end, parent, key, dirty, count, eagerKeys, eager,
 *  children, node, lazy}` (`count` −1 for a plain member's value: its insides are not watched; `lazy`: the
 *  small node's accessors' slots, 6 entries each: key, value start, value end, child length
 *  (−1: deferred), child position, value or UNREAD; `key`: the member's key or element's index
 *  in its parent). A summary's root record also has `source`, `generation` and, once asked
 *  for, `full` (the whole decision). */
const wireRecords = new WeakMap();
const UNREAD = Symbol('unread');
/** Nodes with more members than this (a decision's `strategies`: one per strategy) build their
 *  member nodes at once (each still lazy inside) instead of an accessor per member. */
const WIDE = 16;

function wireKey(text, a, b) {
  const raw = text.slice(a + 1, b - 1);
  return raw.includes('\\') ? JSON.parse(text.slice(a, b)) : raw;
}

function wireDirty(record) {
  for (let r = record; r !== undefined && !r.dirty; r = r.parent) r.dirty = true;
}

/** The accessor of member `key` of small nodes, shared by every node having that member (the
 *  member's slot is found through the node's record). */
const sharedAccessors = new Map();
function wireAccessor(key) {
  let d = sharedAccessors.get(key);
  if (d === undefined) {
    d = {
      enumerable: true,
      configurable: true,
      get() { return wireSlot(this, key, false, undefined); },
      set(v) { wireSlot(this, key, true, v); },
    };
    if (sharedAccessors.size < 1024) sharedAccessors.set(key, d);
  }
  return d;
}

function wireSlot(node, key, assign, v) {
  const r = wireRecords.get(node);
  const l = r?.lazy;
  if (l === undefined) return undefined;
  for (let i = 0; i < l.length; i += 6) {
    if (l[i] !== key) continue;
    if (assign) {
      l[i + 5] = v;
      wireDirty(r);
      return undefined;
    }
    if (l[i + 5] === UNREAD) {
      if (l[i + 3] < 0) l[i + 5] = wireFullOf(r)[key];
      else {
        l[i + 5] = l[i + 3] > 0
          ? wireNode(r.text, r.index, l[i + 4], l[i + 1], l[i + 2], r, key)
          : wireValue(r.text, l[i + 1], l[i + 2], r, key);
      }
    }
    return l[i + 5];
  }
  return undefined;
}

/** The root record of `record`. */
function wireRoot(record) {
  let r = record;
  while (r.parent !== undefined) r = r.parent;
  return r;
}

/** The value of the whole decision that stands where `record`'s node stands in its summary
 *  (the whole decision asked for once, from the summary's engine source). */
function wireFullOf(record) {
  const root = wireRoot(record);
  if (root.full === undefined) {
    if (root.generation !== generation) {
      throw new WorldgateError('this decision\'s details are no longer available: the engine was reset since it was made', {
        code: 'E_INTERNAL', help: 'evaluate the policy again',
      });
    }
    root.full = guard(() => Reflect.get(glue, '__wgDecisionFull')(root.source));
  }
  const path = [];
  for (let r = record; r.parent !== undefined; r = r.parent) path.push(r.key);
  let v = root.full;
  for (let i = path.length - 1; i >= 0; i -= 1) v = v[path[i]];
  return v;
}

/** Drops a summary's waiting engine source when its decision is collected unread. */
const wireSources = typeof FinalizationRegistry === 'function'
  ? new FinalizationRegistry(({ source, made }) => {
    if (made !== generation || !started || poisoned) return;
    const drop = Reflect.get(glue, '__wgDecisionDrop');
    if (typeof drop === 'function') drop(source);
  })
  : undefined;

/** The node of `index` at `at` (its text `text[start..end]`, member `key` of `parent`), as a
 *  lazy object or array. */
function wireNode(text, index, at, start, end, parent, key) {
  const array = index[at] === 1;
  const prefixEnd = index[at + 2];
  const n = index[at + 3];
  const node = array ? [] : prefixEnd > start + 1 ? JSON.parse(`${text.slice(start, prefixEnd)}}`) : {};
  const record = {
    text, index, start, end, parent, key, dirty: false, count: 0, eagerKeys: undefined, eager: undefined,
    children: undefined, node, lazy: undefined,
  };
  if (parent !== undefined) (parent.children ??= []).push(record);
  // the eager members, before the accessors exist (reading those would parse them)
  if (!array) {
    record.eagerKeys = Object.keys(node);
    record.eager = Object.values(node);
  }
  const wide = n > WIDE;
  let p = at + 4;
  for (let i = 0; i < n; i += 1) {
    const ks = index[p], ke = index[p + 1], vs = index[p + 2], ve = index[p + 3], len = index[p + 4];
    const child = p + 5;
    p = child + len;
    if (array) {
      node.push(len > 0 ? wireNode(text, index, child, vs, ve, record, i) : wireValue(text, vs, ve, record, i));
      continue;
    }
    const key = wireKey(text, ks, ke);
    if (wide && vs !== ve) {
      // a member per strategy: built now (lazy inside), a plain data member
      const value = len > 0 ? wireNode(text, index, child, vs, ve, record, key) : wireValue(text, vs, ve, record, key);
      if (key === '__proto__') Object.defineProperty(node, key, { value, writable: true, enumerable: true, configurable: true });
      else node[key] = value;
      record.eagerKeys.push(key);
      record.eager.push(value);
      continue;
    }
    (record.lazy ??= []).push(key, vs, ve, vs === ve ? -1 : len, child, UNREAD);
    Object.defineProperty(node, key, wireAccessor(key));
  }
  if (array) record.eager = node.slice();
  record.count = array ? node.length : record.eagerKeys.length + (record.lazy === undefined ? 0 : record.lazy.length / 6);
  wireRecords.set(node, record);
  return node;
}

/** A plain member parsed from its slice; objects remember their text. */
function wireValue(text, start, end, parent, key) {
  const value = JSON.parse(text.slice(start, end));
  if (value !== null && typeof value === 'object') {
    wireRecords.set(value, { text, start, end, parent, key, dirty: false, count: -1, children: undefined, node: value });
  }
  return value;
}

/** Whether a node is as the engine gave it (the same keys in the same order, no member assigned,
 *  array elements not replaced). Changes inside plain members are not seen. */
function wireClean(value, record) {
  if (record.dirty) return false;
  if (record.count < 0) return true;
  if (Array.isArray(value)) {
    if (value.length !== record.count || value.some((x, i) => x !== record.eager[i])) return false;
  } else {
    // the keys in order: the eager ones, then the accessors'
    const keys = Object.keys(value);
    if (keys.length !== record.count) return false;
    const m = record.eagerKeys.length;
    for (let i = 0; i < keys.length; i += 1) {
      if (keys[i] !== (i < m ? record.eagerKeys[i] : record.lazy[(i - m) * 6])) return false;
    }
    for (let i = 0; i < record.eager.length; i += 1) if (value[record.eagerKeys[i]] !== record.eager[i]) return false;
  }
  return true;
}

/** An own member `k` of `o`, even for the id `__proto__` (an assignment would set the prototype). */
function put(o, k, v) {
  if (k === '__proto__') Object.defineProperty(o, k, { value: v, enumerable: true, writable: true, configurable: true });
  else o[k] = v;
}

/** What both shapes of a decision's verdicts read from the engine's columns (src/policy/wire.rs
 *  `VerdictColumns`: the members and codes are described there; the arrays are views of wasm
 *  memory, read within this call): the head, the ids in the decision's order, and the verdicts'
 *  head members with their `state` built when first read. With `keys` (the caller's own strategy
 *  ids, in input order) the `i`th strategy's id is `keys[positions[i]]` (no copy of it crosses),
 *  else it is cut from `ids`; the state lists the same strategies in the same order. */
function columnsOf(head, ids, idUnits, n, stateNums, keys, positions) {
  const h = JSON.parse(head);
  const idList = new Array(n);
  if (keys !== undefined) for (let i = 0; i < n; i += 1) idList[i] = keys[positions[i]];
  else for (let i = 0, at = 0; i < n; i += 1) idList[i] = ids.slice(at, (at += idUnits[i]));
  // the state, built when first read (`stateNums` is a view of wasm memory: copied now)
  const states = stateNums.slice();
  const state = () => {
    const byId = {};
    for (let i = 0; i < n; i += 1) {
      const since = states[4 * i + 3];
      put(byId, idList[i], { active: states[4 * i] === 1, passes: states[4 * i + 1], fails: states[4 * i + 2], since: since < 0 ? null : since });
    }
    return { epoch: h.epoch, strategies: byId };
  };
  const withState = (members) => {
    const out = {
      dialect: h.dialect, selected: h.selected, profile: h.profile, recommended_stage: h.recommended_stage,
      ruleset_hash: h.ruleset_hash, ...members, state: undefined, notes: h.notes,
    };
    Object.defineProperty(out, 'state', lazyMember('state', state));
    return out;
  };
  return { h, idList, withState };
}

/** A decision's verdicts (`CompiledPolicy.verdicts`) as plain objects, from the engine's
 *  columns (`columnsOf`). Building ~2 objects per strategy from numbers costs a fraction of
 *  `JSON.parse` of the same text; the values are the text's. */
function verdictsOf(head, ids, idUnits, flags, nums, stateNums, keys, positions) {
  const n = flags.length;
  const { h, idList, withState } = columnsOf(head, ids, idUnits, n, stateNums, keys, positions);
  const strategies = {};
  for (let i = 0; i < n; i += 1) {
    const f = flags[i];
    put(strategies, idList[i], {
      status: h.status[f & 3],
      verdict: h.verdict[(f >> 2) & 3],
      selected: (f & 16) !== 0,
      rank: (f & 32) !== 0 ? nums[2 * i] : null,
      weight: (f & 64) !== 0 ? nums[2 * i + 1] : null,
    });
  }
  return withState({ strategies });
}

/** A decision's verdicts as a table (`CompiledPolicy.verdictTable`, type `VerdictTable`): the
 *  same columns as typed arrays of their own (no object per strategy). */
function tableOf(head, ids, idUnits, flags, nums, stateNums, keys, positions) {
  const n = flags.length;
  const { h, idList, withState } = columnsOf(head, ids, idUnits, n, stateNums, keys, positions);
  const status = new Uint8Array(n), verdict = new Uint8Array(n), isSelected = new Uint8Array(n);
  const rank = new Uint32Array(n), weight = new Float64Array(n);
  for (let i = 0; i < n; i += 1) {
    const f = flags[i];
    status[i] = f & 3;
    verdict[i] = (f >> 2) & 3;
    isSelected[i] = (f >> 4) & 1;
    rank[i] = (f & 32) !== 0 ? nums[2 * i] : 0;
    weight[i] = (f & 64) !== 0 ? nums[2 * i + 1] : NaN;
  }
  return withState({
    ids: idList, status, verdict, is_selected: isSelected, rank, weight,
    status_names: h.status, verdict_names: h.verdict,
  });
}

/** An enumerable member `key` whose value `build()` makes when first read (then it is a plain
 *  data member); assigning it first skips the build. `JSON.stringify`, `structuredClone`,
 *  spread and `Object.keys` see the member as any other. */
function lazyMember(key, build) {
  let built = false;
  let value;
  const settle = (node, v) => {
    built = true;
    value = v;
    // a frozen or sealed node keeps the accessor, which keeps answering `value`
    Reflect.defineProperty(node, key, { value: v, writable: true, enumerable: true, configurable: true });
  };
  return {
    enumerable: true,
    configurable: true,
    get() {
      if (!built) settle(this, build());
      return value;
    },
    set(v) {
      if (Object.isFrozen(this)) return;
      settle(this, v);
    },
  };
}

const wireHost = Object.freeze({
  // `shape`: 0 the verdicts' plain objects, 1 a `VerdictTable` (src/js/wire.rs `ColumnsAs`)
  columns(shape, head, ids, idUnits, flags, nums, stateNums, keys, positions) {
    return (shape === 1 ? tableOf : verdictsOf)(head, ids, idUnits, flags, nums, stateNums, keys, positions);
  },
  read(text, index, source) {
    // `index` is a view of wasm memory, valid for this call only
    const node = wireNode(text, index.slice(), 0, 0, text.length, undefined, undefined);
    if (source !== undefined) {
      const record = wireRecords.get(node);
      record.source = source;
      record.generation = generation;
      record.full = undefined;
      wireSources?.register(node, { source, made: generation });
    }
    return node;
  },
  textOf(value) {
    const record = wireRecords.get(value);
    if (record === undefined || !wireClean(value, record)) return undefined;
    const stack = [...(record.children ?? [])];
    while (stack.length > 0) {
      const r = stack.pop();
      if (!wireClean(r.node, r)) return undefined;
      if (r.children !== undefined) stack.push(...r.children);
    }
    // a node of a summary: its text is the whole decision's (plain members are the same text);
    // none when that cannot be had (the engine was reset since): this is called from wasm, where
    // an exception must not unwind
    if (record.count >= 0 && wireRoot(record).source !== undefined) {
      try {
        return wireHost.textOf(wireFullOf(record));
      } catch {
        return undefined;
      }
    }
    return record.text.slice(record.start, record.end);
  },
});

async function compile(source) {
  if (source instanceof WebAssembly.Module) return source;
  if (typeof source === 'string' || source instanceof URL
      || (typeof Request === 'function' && source instanceof Request)) {
    source = fetch(source);
  }
  source = await source;
  if (typeof Response === 'function' && source instanceof Response) {
    if (!source.ok) {
      throw new WorldgateError(`cannot fetch the worldgate wasm: HTTP ${source.status} from \`${source.url}\``);
    }
    if (typeof WebAssembly.compileStreaming === 'function'
        && source.headers.get('Content-Type') === 'application/wasm') {
      return WebAssembly.compileStreaming(source);
    }
    source = await source.arrayBuffer();
  }
  return WebAssembly.compile(source);
}

/**
 * Loads the wasm module (once; later calls return at once). Browsers must await it before the
 * first call; Node, Deno, Bun and workerd load synchronously on first use and need not call it.
 * `source` optionally overrides where the module comes from: a URL or string to fetch, a
 * `Response`, the bytes, or a compiled `WebAssembly.Module`.
 */
export function init(source) {
  if (started) return Promise.resolve();
  if (source === undefined && (module !== undefined || config.load !== undefined)) {
    return Promise.resolve().then(ensure);
  }
  if (source === undefined && config.locate === undefined) return Promise.reject(notInitialised());
  pendingInit ??= compile(source ?? config.locate()).then(
    (compiled) => { module ??= compiled; ensure(); },
    (error) => { pendingInit = undefined; throw error; },
  );
  return pendingInit;
}

/** A thenable resolving once the module is loaded: `await ready` is `await init()`. */
export const ready = Object.freeze({ then: (ok, fail) => init().then(ok, fail) });

/** The error of an engine object used after `free()`, or made before the engine was reset. */
function gone(what, cause) {
  return new WorldgateError(`this ${what} was freed (\`free()\`), made before the engine was reset, or not made by worldgate`, {
    code: 'E_SCHEMA', cause, help: `make the ${what} again`,
  });
}

function convert(error) {
  if (error instanceof WorldgateError) return error;
  // the glue's own refusal of an object of an earlier instance
  if (error instanceof Error && error.message === 'Invalid stale object from previous Wasm instance') {
    return gone('object', error);
  }
  if (error instanceof WebAssembly.RuntimeError) {
    poisoned = true;
    return new WorldgateError(
      `the worldgate engine trapped (${error.message}); it was reset, retry the call`,
      { code: 'E_INTERNAL', cause: error, help: 'this is a bug in worldgate: please report the input' },
    );
  }
  if (error instanceof Error && error.name === 'WorldgateError' && typeof error.code === 'string') {
    const out = new WorldgateError(error.message, {
      code: error.code, path: error.path ?? '', help: error.help ?? undefined, errors: error.errors,
    });
    return out;
  }
  // An exception from JS the engine called while reading an input (an object that only claims
  // a typed array's prototype, a getter the engine's reader does not catch) unwound the engine's
  // frames, leaving its stack moved: the input's fault, and the engine is reset before the next
  // call. Anything thrown before the engine ran (a stale object) is passed on as it is.
  if (started && idleStack !== undefined && stackMark() !== idleStack) {
    poisoned = true;
    let why;
    try { why = error instanceof Error ? error.message : String(error); } catch { why = 'an exception'; }
    return new WorldgateError(`an input could not be read: ${why}`, {
      code: 'E_SCHEMA', cause: error,
      help: 'pass plain data: strings, numbers, arrays, plain objects, typed arrays and ArrayBuffers',
    });
  }
  return error;
}

function guard(call) {
  // nested: what it throws goes to the reader of the call under way (which catches it), and the
  // engine is not reset under that call
  if (calling) return call();
  ensure();
  calling = true;
  try {
    return call();
  } catch (error) {
    throw convert(error);
  } finally {
    calling = false;
  }
}

/** A glue function with engine errors converted and trap recovery. */
export function wrapFunction(name) {
  const wrapped = {
    [name](...args) { return guard(() => glue[name](...args)); },
  }[name];
  return wrapped;
}

/** A glue class with the same treatment for its constructor, methods, accessors and statics. */
const patched = new WeakSet();
export function wrapClass(name) {
  const cls = glue[name];
  const proxy = new Proxy(cls, {
    construct: (target, args, newTarget) => guard(() => Reflect.construct(target, args, newTarget)),
  });
  if (patched.has(cls)) return proxy;
  patched.add(cls);
  const wrapMember = (target, key) => {
    const d = Object.getOwnPropertyDescriptor(target, key);
    if (d === undefined || !d.configurable) return;
    // A member of a freed object, of one made before the engine was reset (its pointer points
    // into memory that is gone: the glue's own `free` would release that address in the new
    // instance), or of an object that only has the class's prototype (no pointer), refuses
    // before the engine sees it; `free` (or `Symbol.dispose`) does nothing. The glue stamps
    // each object with its instance (`__wbg_inst`), counted from 0 and incremented by each
    // `__wbg_reset_state`, which only `ensure` calls, with `generation`.
    const release = key === 'free' || key === Symbol.dispose;
    const patch = (fn) => fn && function (...args) {
      return guard(() => {
        if (this !== null && typeof this === 'object'
          && (!(this.__wbg_ptr > 0) || (this.__wbg_inst !== undefined && this.__wbg_inst !== generation))) {
          if (release) return undefined;
          throw gone(name);
        }
        return fn.apply(this, args);
      });
    };
    if (typeof d.value === 'function') {
      Object.defineProperty(target, key, { ...d, value: patch(d.value) });
    } else if (d.get || d.set) {
      Object.defineProperty(target, key, { ...d, get: patch(d.get), set: patch(d.set) });
    }
  };
  for (const key of Reflect.ownKeys(cls.prototype)) {
    if (key !== 'constructor') wrapMember(cls.prototype, key);
  }
  for (const key of Reflect.ownKeys(cls)) {
    if (!['length', 'name', 'prototype'].includes(key) && !(typeof key === 'string' && key.startsWith('__'))) {
      wrapMember(cls, key);
    }
  }
  return proxy;
}

/** Test hooks (not part of the public API): instance generation, and a deliberate trap. */
export const __internal = Object.freeze({
  generation: () => generation,
  poisoned: () => poisoned,
  // Whether large inputs are hashed by the platform's SHA-256 rather than in wasm.
  platformSha256: () => platformSha256,
  // Benchmarks: hash in wasm (false), as browsers do, or with the platform's SHA-256 again (true).
  usePlatformSha256: (on) => { ensure(); installPlatform(on); return platformSha256; },
  // Calls the allocator with an invalid alignment: Rust aborts, the wasm executes `unreachable`.
  trap: () => guard(() => glue.initSync().__wbindgen_malloc(8, 3)),
});
