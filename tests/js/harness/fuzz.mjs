// A property over the whole package API (Node): every exported function, `CompiledPolicy`
// method and `new StrategyBatch` called with random arguments — numbers at the edges, strings,
// BigInts, symbols, functions, nested arrays and objects with the options' keys, typed arrays,
// Maps, Sets, Proxies whose traps throw, values of another realm, the engine's own objects live
// and freed — either returns or throws a `WorldgateError` with a
// stable code that is not `E_INTERNAL`, in the user's words (no serde phrase), and the engine
// still answers a sound call afterwards. Deterministic: a seeded xorshift picks every call.
import { runInNewContext } from 'node:vm';

const NUMBERS = [0, -0, 1, -1, 0.5, -0.999, -1.0000001, 1e308, -1e308, 5e-324, NaN, Infinity, -Infinity,
  2 ** 53, 2 ** 32, -(2 ** 31), 252, 1e-300];
const STRINGS = ['', 'x', 'qmtl', 'strict', 'QMTL', 'nan', '+inf', '2024-02-29T00:00:00Z', '2024-02-30', '1d', '1M',
  'top_k', 'sharpe', '__proto__', 'constructor', '\u0000', '\ud800', 'é', 'a'.repeat(300), '{"a":1}', '[1,2',
  'latest', 'evaluated', 'preset:moderate', 'moderate'];
const KEYS = ['returns', 'timestamps', 'benchmark', 'periods_per_year', 'risk_free', 'var_level', 'initial_capital',
  'report', 'rolling_windows', 'top_drawdowns', 'profile', 'dialect', 'previous', 'returns_by_strategy',
  'correlations', 'metrics', 'thresholds', 'top_k', 'correlation', 'hysteresis', 'world_id', 'submissions',
  'bundle_version', 'strategy_id', 'stage', 'index', 'start', 'frequency', 'k', 'metric', 'min', 'max', 'window',
  'created_at', 'state', 'runs', 'run_id', '__proto__', 'limits'];
const PHRASES = /invalid type:|invalid value:|unknown variant|data did not match|serde|unwrap|panicked|RuntimeError/;

/** Runs `calls` random calls; returns the distinct problems found (empty when the property holds). */
export function fuzzCalls(wg, { seed = 1, calls = 50_000 } = {}) {
  let s = seed >>> 0 || 1;
  const rnd = () => { s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0; return s / 4294967296; };
  const pick = (a) => a[Math.floor(rnd() * a.length)];
  const other = runInNewContext(`({ f: new Float64Array([0.01, -0.02, 0.5]), u: new Uint8Array([123, 125]),
    a: [0.1, 0.2], o: { sharpe: 1 }, ab: new ArrayBuffer(2), m: new Map([["a", 1]]) })`);
  const throwing = () => new Proxy({}, { ownKeys() { throw new Error('trap'); }, get() { throw new Error('get'); } });
  // the engine's objects, live and freed (a freed one is E_SCHEMA wherever it is passed)
  let handles = [];
  const makeHandles = () => {
    if (typeof wg.StrategyBatch !== 'function') return [];
    const make = () => [wg.parsePolicy({ top_k: { metric: 'sharpe', k: 1 } }), new wg.StrategyBatch({ a: { sharpe: 1 }, b: { sharpe: 2 } })];
    const freed = make();
    for (const h of freed) h.free();
    return [...make(), ...freed];
  };
  handles = makeHandles();
  const value = (depth) => {
    const r = rnd();
    if (depth > 3 || r < 0.3) return pick(NUMBERS);
    if (r < 0.45) return pick(STRINGS);
    if (r < 0.5) return pick([null, undefined, true, false, 10n, -(2n ** 70n), Symbol('s'), () => 1]);
    if (r < 0.6) return Array.from({ length: Math.floor(rnd() * 6) }, () => value(depth + 1));
    if (r < 0.67) return new Float64Array(Array.from({ length: Math.floor(rnd() * 300) }, () => (rnd() - 0.5) * 0.1));
    if (r < 0.7) return pick([new Uint8Array([0x7b, 0x7d]), new ArrayBuffer(3), new Map([['a', 1]]), new Set([1]),
      new Date(0), /x/, new Float32Array(3), Object.create(Float64Array.prototype), Object.create(ArrayBuffer.prototype)]);
    if (r < 0.715) return pick(Object.values(other));
    if (r < 0.72 && handles.length > 0) return pick(handles);
    if (r < 0.73) return throwing();
    const o = {};
    const n = Math.floor(rnd() * 5);
    // (`__proto__` sets the prototype: one with a getter-only key refuses that key)
    for (let i = 0; i < n; i++) try { o[pick(KEYS)] = value(depth + 1); } catch { /* kept as is */ }
    return o;
  };
  const fns = Object.entries(wg).filter(([name, f]) => typeof f === 'function' && /^[a-z]/.test(name) && name !== 'init');
  if (typeof wg.StrategyBatch === 'function') fns.push(['new StrategyBatch', (...a) => new wg.StrategyBatch(...a)]);
  const problems = new Map();
  let policy = typeof wg.parsePolicy === 'function' ? wg.parsePolicy({ correlation: { max: 0.5 } }) : undefined;
  const methods = policy ? ['evaluate', 'verdicts', 'gate', 'rulesetHash', 'toJSON'] : [];
  for (let i = 0; i < calls; i++) {
    if (methods.length > 0 && policy === undefined) {
      policy = wg.parsePolicy({ correlation: { max: 0.5 } });
      handles = makeHandles();
    }
    const method = methods.length > 0 && rnd() < 0.2 ? pick(methods) : undefined;
    const [name, f] = method ? [`CompiledPolicy.${method}`, (...a) => policy[method](...a)] : pick(fns);
    const args = Array.from({ length: Math.floor(rnd() * 4) }, () => value(0));
    try {
      f(...args);
    } catch (error) {
      const code = error && error.code;
      const message = String(error && error.message);
      let problem;
      if (!(error instanceof wg.WorldgateError) || typeof code !== 'string') problem = `no WorldgateError: ${message}`;
      else if (code === 'E_INTERNAL') problem = `E_INTERNAL: ${message}`;
      else if (PHRASES.test(message)) problem = `${code}: ${message}`;
      else if (/could not be read: /.test(message) && policy) {
        // the engine is reset before the next call (the input threw through it): the objects
        // made so far are stale, take new ones
        policy = undefined;
      }
      if (problem) problems.set(`${name}: ${problem.replace(/\d+/g, 'N').slice(0, 160)}`, problem.slice(0, 300));
    }
  }
  try {
    if (wg.computeMetrics([0.01, -0.02, 0.03]).returns.sample_count !== 3) problems.set('after', 'a sound call gave a wrong answer');
  } catch (error) {
    problems.set('after', `a sound call threw ${error && error.code} ${error && error.message}`);
  }
  return [...problems.keys()];
}
