// The browser app built by Vite and by webpack 5 (production builds; tests/js/bundlers.mjs) from the
// PACKED package: it imports both entries as a user's app does, awaits init(), makes a few real
// calls and compares them with tests/vectors (cases.json, written by the runner from the vector
// files), and publishes the results as window.__results for the runner to read.
import * as wg from 'worldgate';
import * as core from 'worldgate/core';
import { partialMatch } from './checks.mjs';
import cases from './cases.json';

const results = [];
const check = (name, run) => {
  try {
    const problem = run();
    results.push(problem ? { name, status: 'fail', detail: problem } : { name, status: 'pass' });
  } catch (error) {
    results.push({ name, status: 'fail', detail: String(error && error.stack || error) });
  }
};
const thrown = (call) => { try { call(); } catch (error) { return error; } return undefined; };
const mismatches = (actual, expected, tol = 0) => partialMatch(actual, expected, tol).join('; ');

// Before init(): the call throws E_NOT_INITIALIZED telling to await init().
for (const [label, m] of [['worldgate', wg], ['worldgate/core', core]]) {
  check(`${label}: a call before init() throws E_NOT_INITIALIZED`, () => {
    const e = thrown(() => m.version());
    if (!(e instanceof m.WorldgateError)) return `not a WorldgateError: ${e}`;
    if (e.code !== 'E_NOT_INITIALIZED' || !/init\(\)/.test(e.help)) return `code ${e.code}, help ${e.help}`;
    return undefined;
  });
}

try {
  await Promise.all([wg.init(), core.init()]);
  afterInit();
} catch (error) {
  results.push({ name: 'init()', status: 'fail', detail: String(error && error.stack || error) });
}
window.__results = results;

/** The calls, once both wasm modules are loaded. */
function afterInit() {
  for (const [label, m] of [['worldgate', wg], ['worldgate/core', core]]) {
    const { returns, options, expected, tolerance } = cases.metrics.data;
    check(`${label}: computeMetrics matches ${cases.metrics.file}`, () =>
      mismatches(m.computeMetrics(Float64Array.from(returns), options), expected, tolerance));
    check(`${label}: ${cases.error.file} throws the WorldgateError it names`, () => {
      const e = thrown(() => m.computeMetrics(Float64Array.from(cases.error.data.returns), cases.error.data.options));
      if (!(e instanceof m.WorldgateError)) return `not a WorldgateError: ${e}`;
      return mismatches(e.toJSON(), cases.error.data.expected.error);
    });
  }

  check(`worldgate: gateBundle answers ${cases.gate.file} (${cases.gate.data.name})`, () =>
    mismatches(wg.gateBundle(...cases.gate.data.call.args), cases.gate.data.expected, cases.gate.data.tolerance ?? 0));

  check(`worldgate/core: validateSnapshot accepts the snapshot of ${cases.snapshot.file}`, () =>
    mismatches(core.validateSnapshot(cases.snapshot.data), { ok: true, errors: [] }));
  check('worldgate/core: validateSnapshot reports a bad field with code and path', () => {
    const bad = JSON.parse(cases.snapshot.data);
    bad.metrics.returns.sharpe = 'high';
    return mismatches(core.validateSnapshot(bad), { ok: false, errors: [{ code: 'E_SCHEMA', path: '/metrics/returns/sharpe' }] });
  });
}
