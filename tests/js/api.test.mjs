// Unit tests of the runtime layer (pkg-config/api.js) against a fake wasm-bindgen glue: error
// conversion, classes, trap recovery and stale objects, init() — without building the wasm.
//   node --test tests/js/api.test.mjs
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const dir = mkdtempSync(join(tmpdir(), 'worldgate-api-'));
process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
copyFileSync(new URL('../../pkg-config/api.js', import.meta.url), join(dir, 'api.js'));
// The fake glue mimics wasm-bindgen's reset-state machinery: an instance id stamped on objects.
writeFileSync(join(dir, 'worldgate_glue.js'), `
let instance = 0;
export const calls = { init: 0, reset: 0 };
export function initSync({ module }) { if (!(module instanceof WebAssembly.Module)) throw new TypeError('module'); calls.init += 1; instance = 1; return {}; }
export function __wbg_reset_state() { calls.reset += 1; instance += 1; depth = 0; }
const engineError = (code, path) => Object.assign(new Error('bad ' + path), { name: 'WorldgateError', code, path, errors: [{ code, path, message: 'bad ' + path }] });
export function failing(path) { throw engineError('E_SCHEMA', path); }
export function trapping() { throw new WebAssembly.RuntimeError('unreachable'); }
export function misuse() { throw new TypeError('expected a string'); }
// the engine's stack mark (__wgStackProbe): \`unwinding\` throws as JS the engine called does,
// leaving the mark moved until the instance is reset
let depth = 0;
export function __wgStackProbe() { return 1000 - depth; }
export function unwinding() { depth += 16; throw new TypeError('Method get TypedArray.prototype.length called on incompatible receiver'); }
export function echo(x) { return x; }
// the engine reading an input runs JS that calls the package (\`nested\` is set by the test to a
// wrapped function); the engine's reader catches what it throws
export const hooks = { nested: undefined };
export function reading() { depth += 16; let out; try { hooks.nested(); out = 'read'; } catch (e) { out = e; } depth -= 16; return out; }
export class Counter {
  constructor(start) { if (start < 0) throw engineError('E_INVALID_VALUE', '/start'); this.n = start; this.inst = instance; this.__wbg_ptr = 8; }
  free() { if (this.__wbg_ptr === 0) throw new Error('null pointer passed to rust'); this.__wbg_ptr = 0; }
  check() { if (this.inst !== instance) throw new Error('Invalid stale object from previous Wasm instance'); }
  add(k) { this.check(); if (k === undefined) throw engineError('E_SCHEMA', '/k'); this.n += k; return this.n; }
  get value() { this.check(); return this.n; }
  static make(n) { return new Counter(n); }
}
`);
const emptyModule = new WebAssembly.Module(new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0]));
const api = await import(join(dir, 'api.js'));
const glue = await import(join(dir, 'worldgate_glue.js'));

test('calls before configuration throw a WorldgateError asking for init()', async () => {
  const echo = api.wrapFunction('echo');
  assert.throws(() => echo(1), (e) => e instanceof api.WorldgateError && /init\(\)/.test(e.help));
  await assert.rejects(api.init(), api.WorldgateError);
});

test('init(module) loads once; later calls do not re-instantiate', async () => {
  await api.init(emptyModule);
  await api.init();
  await api.ready;
  assert.equal(api.wrapFunction('echo')(7), 7);
  assert.equal(glue.calls.init, 1);
});

test('engine errors become WorldgateError instances with code, path, errors', () => {
  const failing = api.wrapFunction('failing');
  assert.equal(failing.name, 'failing');
  assert.throws(() => failing('/a/1'), (e) => e instanceof api.WorldgateError && e instanceof Error
    && e.code === 'E_SCHEMA' && e.path === '/a/1' && e.errors.length === 1 && e.name === 'WorldgateError');
});

test('misuse errors pass through unchanged', () => {
  assert.throws(() => api.wrapFunction('misuse')(), TypeError);
});

test('a trap throws E_INTERNAL once, then the instance is reset before the next call', () => {
  const trapping = api.wrapFunction('trapping');
  const echo = api.wrapFunction('echo');
  const generation = api.__internal.generation();
  assert.throws(trapping, (e) => e.code === 'E_INTERNAL' && e.cause instanceof WebAssembly.RuntimeError);
  assert.equal(api.__internal.poisoned(), true);
  assert.equal(echo('x'), 'x');
  assert.equal(glue.calls.reset, 1);
  assert.equal(api.__internal.generation(), generation + 1);
  assert.equal(echo('y'), 'y');
  assert.equal(glue.calls.reset, 1);
});

test('an exception that unwound the engine is E_SCHEMA, and the instance is reset before the next call', () => {
  const unwinding = api.wrapFunction('unwinding');
  const echo = api.wrapFunction('echo');
  const resets = glue.calls.reset;
  assert.throws(unwinding, (e) => e instanceof api.WorldgateError && e.code === 'E_SCHEMA'
    && /^an input could not be read: Method get TypedArray/.test(e.message) && e.cause instanceof TypeError);
  assert.equal(api.__internal.poisoned(), true);
  assert.equal(echo('x'), 'x');
  assert.equal(glue.calls.reset, resets + 1);
  // thrown before the engine ran (the mark did not move): passed on, no reset
  assert.throws(() => api.wrapFunction('misuse')(), TypeError);
  assert.equal(api.__internal.poisoned(), false);
  assert.equal(echo('y'), 'y');
  assert.equal(glue.calls.reset, resets + 1);
});

test('classes: constructor, methods, getters and statics convert errors', () => {
  const Counter = api.wrapClass('Counter');
  const c = new Counter(1);
  assert.ok(c instanceof Counter);
  assert.equal(c.add(2), 3);
  assert.equal(c.value, 3);
  assert.throws(() => c.add(), (e) => e instanceof api.WorldgateError && e.path === '/k');
  assert.throws(() => new Counter(-1), (e) => e instanceof api.WorldgateError && e.code === 'E_INVALID_VALUE');
  assert.ok(Counter.make(5) instanceof Counter);
});

test('objects created before a trap are stale afterwards (E_SCHEMA); new ones work', () => {
  const Counter = api.wrapClass('Counter');
  const old = new Counter(1);
  assert.throws(api.wrapFunction('trapping'), (e) => e.code === 'E_INTERNAL');
  assert.throws(() => old.add(1), (e) => e instanceof api.WorldgateError && e.code === 'E_SCHEMA' && /before the engine was reset/.test(e.message));
  assert.equal(new Counter(2).add(1), 3);
});

test('a call nested in an engine call (its reader running JS) is neither converted nor resets the engine', () => {
  const reading = api.wrapFunction('reading');
  const resets = glue.calls.reset;
  glue.hooks.nested = api.wrapFunction('unwinding');
  const caught = reading();
  assert.ok(caught instanceof TypeError, `the reader got ${caught}`);
  glue.hooks.nested = api.wrapFunction('echo');
  assert.equal(reading(), 'read');
  assert.equal(api.__internal.poisoned(), false);
  assert.equal(api.wrapFunction('echo')(5), 5);
  assert.equal(glue.calls.reset, resets, 'the engine was reset');
});

test('a member of a freed object is E_SCHEMA; free() again does nothing', () => {
  const Counter = api.wrapClass('Counter');
  const c = new Counter(1);
  c.free();
  c.free();
  assert.throws(() => c.add(1), (e) => e instanceof api.WorldgateError && e.code === 'E_SCHEMA' && /Counter was freed/.test(e.message));
  assert.throws(() => c.value, (e) => e instanceof api.WorldgateError && e.code === 'E_SCHEMA');
});

test('WorldgateError: instanceof across copies, toJSON, defaults', () => {
  const foreign = new Error('x');
  foreign[Symbol.for('worldgate.WorldgateError')] = true;
  assert.ok(foreign instanceof api.WorldgateError);
  const e = new api.WorldgateError('m', { code: 'E_SCHEMA', path: '/p', help: 'h' });
  assert.deepEqual(JSON.parse(JSON.stringify(e)), { code: 'E_SCHEMA', message: 'm', path: '/p', help: 'h' });
  const d = new api.WorldgateError('m');
  assert.equal(d.code, 'E_INTERNAL');
  assert.equal(d.path, '');
});
