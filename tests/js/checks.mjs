// The checks every runtime harness runs against the packed `worldgate` package (Node ESM, Node
// CommonJS, Chromium, workerd). Plain ES module: no Node, DOM or Workers APIs.
//
//   const checks = makeChecks(wg, env);  // [{ name, run: async () => void | { skip: reason } }]
//   const results = await runChecks(checks); // [{ name, status: 'pass'|'fail'|'skip', detail }]
//
// `env` carries what the harness read from disk: `schemas` ({ name: text } from the installed
// package's schema/*.json), `vectors` ([{ file, data }] from tests/vectors/**), `version`
// (from the package's package.json), `core` ({ functions, schemas }: what the `worldgate/core`
// entry must export and answer to `schemaNames()`), and what the harness knows of its runtime:
// `runtime` (a label), `entry` (`'core'` when `wg` is `worldgate/core`; the checks then expect
// exactly the core's functions and schemas), `maxGeneratedBytes` (the largest generated bad
// input worth building there; larger ones skip with the reason printed) and `platformSha256`
// (whether the package should hash large inputs with the runtime's own synchronous SHA-256).
// Exports that have not landed yet (or that the core entry does not carry) skip with a reason.
//
//   makeChecks(core, { ...env, entry: 'core' }, full) also compares the core entry's answers with
// the full entry's (`full`, the `worldgate` module), where the harness has both.
//
// Vector formats replayed (see tests/vectors/README.md):
//   - metrics:   { returns, options, expected, tolerance }          → computeMetrics(Float64Array, options)
//                { returns, options, expected: { error: { code, path } } } → it throws that error
//   - bad-input corpus (bad/*.json): { name, kind: bundle|policy, input | generate: [parts],
//                dialect?, expected_code, expected_path?, known_failure? }
//                → bundles: gateBundle(bytes, presetPolicy('sandbox'), {}) (the whole gate, so
//                  claimed metrics that lie give E_METRICS_MISMATCH); policies:
//                  parsePolicy(text, { dialect }). The first error must carry the code (and
//                  path); a trap (E_INTERNAL) is a bug. This is THE replay of the corpus in JS.
//   - digest:    digest/*.json { input, canonical?, input_digest } → gateBundle(input, sandbox)
//                gives that input_digest; sha256(canonical) is checked with WebCrypto too, and
//                every success's result_digest is recomputed from its decision in JS (JCS + sha256)
//   - sanitize:  sanitize/*.json: the corpus (every secret at meta value/key, a storage ref and a
//                custom metric name, plain/percent/plus/\u-text, through gateBundle and sanitizeText)
//                and the named vectors ({kind: bundle|text, …, must_not_contain, redactions}); no
//                byte window of a secret may survive in the answer
//   - other bad input: { input, kind, expected_code, expected_path? } → the kind's entry point
//   - policy:    tests/vectors/policy/*.json (see policyCheck)      → parsePolicy/presetPolicy + evaluate
//   - report:    report/**/*.json { returns, options, expected, tolerance } → computeReport (see reportCheck)
//   Results with rolling series (Float64Arrays in JS) are compared in their wire form
//   (wireReport: NaN → null, ±Infinity → "+inf"/"-inf"); every call whose timestamps are
//   canonical strings is made again with them as epoch milliseconds (numericTwin), and must give
//   the same result to the bit.
//   - any:       { call: { fn, args }, expected | expected_code }   → wg[fn](...args)
//   A file may also hold { cases: [...] } or a top-level array of such cases. An expected error
//   matches a thrown WorldgateError or a `{ ok: false, errors }` / `{ type: "failure", errors }`
//   answer (first error). Matching rules: see partialMatch (the same as tests/metrics_vectors.rs).

const GOOD_SNAPSHOT = {
  snapshot_id: 'snap-1',
  world_id: 'world-a',
  strategy_id: 'strat-1',
  run_id: 'run-1',
  created_at: '2025-01-02T03:04:05Z',
  metrics: {},
};

class CheckFailure extends Error {}
const fail = (msg) => { throw new CheckFailure(msg); };
const ok = (cond, msg) => { if (!cond) fail(msg); };
/** A decision's per-strategy details: what the verdicts leave out. */
const DETAILS = ['rule_results', 'violations', 'explanations'];
const show = (v) => { try { return JSON.stringify(v); } catch { return String(v); } };
/** A `VerdictTable` as the `Verdicts` it tabulates (rows back into objects by id, in row order;
 *  rank 0 and weight NaN are `null`), for comparing the two by their JSON text. */
function tableAsVerdicts(t) {
  const { ids, status, verdict, is_selected: sel, rank, weight, status_names: sn, verdict_names: vn, ...head } = t;
  const strategies = {};
  ids.forEach((id, i) => {
    const row = {
      status: sn[status[i]], verdict: vn[verdict[i]], selected: sel[i] === 1,
      rank: rank[i] === 0 ? null : rank[i], weight: sel[i] === 1 ? weight[i] : null,
    };
    Object.defineProperty(strategies, id, { value: row, enumerable: true, writable: true, configurable: true });
  });
  const { state, notes, ...rest } = head;
  return { ...rest, strategies, state, notes };
}

/** The verdicts tests' world: a policy with a threshold, top_k 2 and a correlation cap; four
 *  strategies (one with an id of quotes, an accent and an astral character) whose series have
 *  `length` samples, and a `previous` selection. */
function verdictsWorld(wg, length, previous) {
  const doc = { thresholds: { s: { metric: 'sharpe', min: 0 } }, top_k: { metric: 'sharpe', k: 2 }, correlation: { max: 0.3 } };
  const wave = (k) => Float64Array.from({ length }, (_, i) => Math.sin(k * 1.7 + i * 0.37) / 100);
  const odd = 'b"\u00e9\u{1F600}';
  const metrics = { a: { sharpe: 1.5 }, [odd]: { sharpe: 1.2 }, c: { sharpe: 0.9 }, d: { sharpe: -1 } };
  const opts = { returns_by_strategy: { a: wave(1), [odd]: wave(1.05), c: wave(3), d: wave(4) }, previous };
  return { doc, policy: wg.parsePolicy(doc), wave, odd, metrics, opts };
}

export function deepEqual(a, b) {
  if (Object.is(a, b)) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  return ka.length === kb.length && ka.every((k) => Object.hasOwn(b, k) && deepEqual(a[k], b[k]));
}

const NONFINITE = { '+inf': Infinity, '-inf': -Infinity, nan: NaN };
const asNumber = (v) => (typeof v === 'string' && v in NONFINITE ? NONFINITE[v] : v);

/** Expected values match as tests/metrics_vectors.rs matches them: every key of `expected` must
 *  match (keys not listed are not checked); a number agrees to `tol` relative (an expected 0 must
 *  be 0); `null` means null or absent; strings ("+inf"/"-inf"/"nan" included) and booleans are
 *  exact; arrays compare element by element. Returns a list of mismatch descriptions. */
export function partialMatch(actual, expected, tol, path = '') {
  const at = path || '/';
  if (expected === null) {
    return actual === null || actual === undefined ? [] : [`${at}: expected null, got ${show(actual)}`];
  }
  if (typeof expected === 'number') {
    if (typeof actual !== 'number') return [`${at}: expected ${expected}, got ${show(actual)}`];
    const good = expected === 0 ? actual === 0 : Math.abs((actual - expected) / expected) <= tol;
    return good ? [] : [`${at}: expected ${expected}, got ${actual} (relative ${Math.abs((actual - expected) / expected).toExponential(2)}, tolerance ${tol})`];
  }
  if (typeof expected !== 'object') {
    return Object.is(actual, expected) ? [] : [`${at}: expected ${show(expected)}, got ${show(actual)}`];
  }
  if (actual === null || typeof actual !== 'object') {
    return [`${at}: expected ${Array.isArray(expected) ? 'an array' : 'an object'}, got ${show(actual)}`];
  }
  if (Array.isArray(expected) && (!Array.isArray(actual) || actual.length !== expected.length)) {
    return [`${at}: expected ${expected.length} elements, got ${show(actual).slice(0, 80)}`];
  }
  return Object.keys(expected).flatMap((k) => partialMatch(actual[k], expected[k], tol, `${path}/${k}`));
}

// Every null in an expected `returns` block must be explained in the actual `returns.reasons`.
function nullsWithoutReason(actual, expected) {
  const block = expected && expected.returns;
  if (!block || typeof block !== 'object') return [];
  const reasons = (actual && actual.returns && actual.returns.reasons) || {};
  return Object.keys(block).filter((k) => block[k] === null && !(k in reasons))
    .map((k) => `/returns/${k}: null without a reason`);
}

function decodeSeries(values) {
  return Float64Array.from(values, (v) => (v === null ? NaN : asNumber(v)));
}

// The JS API's report (`computeReport`, `computeMetrics(…, {report})`) hands its rolling series
// out as Float64Arrays: NaN where the wire has null, ±Infinity where it has "+inf"/"-inf". The
// vectors hold the wire's JSON, so a result is compared in its wire form, after checking that
// every rolling series is a Float64Array as long as the returns.
const ROLLING = ['sharpe', 'volatility', 'sortino'];
const wireNumber = (x) => (Number.isNaN(x) ? null : x === Infinity ? '+inf' : x === -Infinity ? '-inf' : x);
export function wireReport(value, n) {
  if (!value || typeof value !== 'object') return value;
  if (value.report && typeof value.report === 'object') return { ...value, report: wireReport(value.report, n) };
  const windows = value.rolling && value.rolling.windows;
  if (!Array.isArray(windows)) return value;
  return {
    ...value,
    rolling: {
      ...value.rolling,
      windows: windows.map((w) => {
        const out = { ...w };
        for (const k of ROLLING) {
          ok(w[k] instanceof Float64Array, `rolling ${k} of window ${w.window} is ${Object.prototype.toString.call(w[k])}, not a Float64Array`);
          ok(n === undefined || w[k].length === n, `rolling ${k}: ${w[k].length} elements for ${n} returns`);
          out[k] = Array.from(w[k], wireNumber);
        }
        return out;
      }),
    },
  };
}

// Canonical RFC 3339 strings (as the engine writes them: `…:SSZ`, or `…:SS.mmmZ`) as epoch
// milliseconds, a Float64Array; null when any is not canonical (another offset, more digits),
// whose numeric twin would name its instant in other words.
function epochMs(ts) {
  if (!Array.isArray(ts) || ts.length === 0 || !ts.every((t) => typeof t === 'string')) return null;
  const out = new Float64Array(ts.length);
  for (let i = 0; i < ts.length; i++) {
    const ms = Date.parse(ts[i]);
    if (!Number.isFinite(ms) || new Date(ms).toISOString().replace('.000Z', 'Z') !== ts[i]) return null;
    out[i] = ms;
  }
  return out;
}

// The arguments of a call with every time axis given as strings replaced by its epoch
// milliseconds (`computeMetrics`' and `computeReport`'s `timestamps`, `benchmark_timestamps`,
// `report.benchmark_timestamps`, `computeCalendar`'s second argument), and `computeMetrics`'
// `report.benchmark` given as a Float64Array; null when nothing can be.
function numericTwin(fn, args) {
  let changed = false;
  const swap = (obj, key) => {
    const ms = obj && typeof obj === 'object' ? epochMs(obj[key]) : null;
    if (!ms) return obj;
    changed = true;
    return { ...obj, [key]: ms };
  };
  const out = [...args];
  if (fn === 'computeCalendar') {
    const ms = epochMs(args[1]);
    if (ms) { out[1] = ms; changed = true; }
  } else if (fn === 'computeMetrics' || fn === 'computeReport') {
    let opts = swap(swap(args[1], 'timestamps'), 'benchmark_timestamps');
    if (opts && typeof opts.report === 'object' && opts.report !== null) {
      const report = { ...swap(opts.report, 'benchmark_timestamps') };
      if (Array.isArray(report.benchmark)) {
        report.benchmark = decodeSeries(report.benchmark);
        changed = true;
      }
      opts = { ...opts, report };
    }
    out[1] = opts;
  }
  return changed ? out : null;
}

// The same call with its time axes as epoch milliseconds gives the same result to the bit
// (rolling Float64Arrays included, NaN equal to NaN, −0 to −0 only).
function sameWithEpochMs(wg, fn, args, result) {
  const twin = numericTwin(fn, args);
  if (!twin) return;
  const again = wg[fn](...twin);
  ok(deepEqual(again, result), `${fn} with epoch-ms timestamps differs from the strings' result: ${show(wireReport(again)).slice(0, 300)}`);
}

// The code an operation reported: a thrown WorldgateError, or a `{ ok: false, errors }` answer,
// or a `{ type: 'failure', errors }` answer.
function outcomeCode(wg, call) {
  let value;
  try {
    value = call();
  } catch (error) {
    ok(error instanceof wg.WorldgateError, `threw a non-WorldgateError: ${error && error.stack}`);
    ok(typeof error.path === 'string', `WorldgateError without a string path: ${show(error)}`);
    return { code: error.code, path: error.path, thrown: true };
  }
  const errors = value && (value.ok === false || value.type === 'failure') ? value.errors : undefined;
  if (Array.isArray(errors) && errors.length > 0) return { code: errors[0].code, path: errors[0].path, thrown: false };
  return { code: undefined, value };
}

const KIND_TO_FN = {
  snapshot: 'validateSnapshot',
  bundle: 'validateBundle',
  policy: 'parsePolicy',
  metrics: 'computeMetrics',
  returns: 'computeMetrics',
};

function expandCases(file, data) {
  const list = Array.isArray(data) ? data : Array.isArray(data && data.cases) ? data.cases : [data];
  return list.map((c, i) => ({ name: list.length > 1 ? `${file}#${c.name ?? i}` : file, c }));
}

// Policy vectors (tests/vectors/policy/, format in tests/policy_vectors.rs), replayed the same way:
// parse in each listed dialect; expected `errors` must each match a thrown error, otherwise the
// evaluation must match `selected`/`profile`/`recommended_stage`/`state`/`notes` and per-strategy
// `status`/`verdict`/`selected`/`rank`/`weight`/`rules`/`violations`/`explanations`.
function policyCheck(wg, c) {
  return async () => {
    for (const fn of ['parsePolicy', 'presetPolicy']) {
      if (typeof wg[fn] !== 'function') return { skip: `\`${fn}\` is not exported yet` };
    }
    const problems = [];
    const expected = c.expected ?? {};
    for (const dialect of c.dialects ?? ['strict']) {
      const tag = `[${dialect}]`;
      let policy;
      let thrown;
      try {
        policy = typeof c.preset === 'string' ? wg.presetPolicy(c.preset, { dialect })
          : wg.parsePolicy(c.policy_yaml ?? c.policy_text ?? c.policy, { dialect });
      } catch (error) {
        thrown = error;
      }
      if (Array.isArray(expected.errors)) {
        if (!thrown) { problems.push(`${tag} policy parsed, expected errors`); continue; }
        ok(thrown instanceof wg.WorldgateError, `${tag} threw a non-WorldgateError: ${thrown && thrown.stack}`);
        for (const want of expected.errors) {
          const hit = thrown.errors.some((e) => e.code === want.code
            && (want.path === undefined || e.path === want.path)
            && (want.help === undefined || e.help === want.help)
            && (want.message_contains === undefined || e.message.includes(want.message_contains)));
          if (!hit) problems.push(`${tag} no error like ${show(want)}; got ${show(thrown.errors)}`);
        }
        continue;
      }
      if (thrown) { problems.push(`${tag} policy does not parse: ${thrown.code} ${thrown.path} ${thrown.message}`); continue; }
      const input = c.input ?? {};
      const options = {};
      for (const k of ['previous', 'correlations', 'stage', 'profile']) if (input[k] != null) options[k] = input[k];
      if (input.returns != null) {
        options.returns = Object.fromEntries(Object.entries(input.returns).map(([id, r]) => [id, decodeSeries(r)]));
      }
      if (input.timestamps != null) options.timestamps_by_strategy = input.timestamps;
      const got = policy.evaluate(input.metrics ?? {}, options);
      // the verdicts call: the decision's projection (every member but each strategy's details)
      if (typeof policy.verdicts === 'function') {
        const want = JSON.parse(JSON.stringify(got));
        for (const s of Object.values(want.strategies)) for (const k of DETAILS) delete s[k];
        const verdicts = policy.verdicts(input.metrics ?? {}, options);
        if (JSON.stringify(verdicts) !== JSON.stringify(want)) problems.push(`${tag} verdicts ${show(verdicts)} differ from the decision's ${show(want)}`);
        // the same verdicts as a table
        const table = tableAsVerdicts(policy.verdictTable(input.metrics ?? {}, options));
        if (JSON.stringify(table) !== JSON.stringify(want)) problems.push(`${tag} verdict table ${show(table)} differs from the decision's ${show(want)}`);
      }
      // the same input read once into a batch: the same decision and verdicts, twice
      if (typeof wg.StrategyBatch === 'function') {
        const batch = new wg.StrategyBatch(input.metrics ?? {}, { ...options, dialect: policy.dialect });
        for (let round = 0; round < 2; round++) {
          const viaBatch = policy.evaluate(batch);
          if (wg.wireText(viaBatch) !== wg.wireText(got)) problems.push(`${tag} the decision over a batch differs: ${wg.wireText(viaBatch)}`);
          if (JSON.stringify(policy.verdicts(batch)) !== JSON.stringify(policy.verdicts(input.metrics ?? {}, options))) problems.push(`${tag} the verdicts over a batch differ`);
          if (JSON.stringify(tableAsVerdicts(policy.verdictTable(batch))) !== JSON.stringify(policy.verdicts(batch))) problems.push(`${tag} the verdict table over a batch differs`);
        }
        batch.free();
      }
      for (const key of ['selected', 'profile', 'recommended_stage', 'state', 'ruleset_hash']) {
        if (key in expected && !deepEqual(got[key] ?? null, expected[key])) {
          problems.push(`${tag} ${key} = ${show(got[key])}, expected ${show(expected[key])}`);
        }
      }
      if ('notes' in expected) {
        const codes = (got.notes ?? []).map((n) => n.code);
        if (!deepEqual(codes, expected.notes)) problems.push(`${tag} notes ${show(codes)}, expected ${show(expected.notes)}`);
      }
      for (const [id, want] of Object.entries(expected.strategies ?? {})) {
        const g = got.strategies && got.strategies[id];
        if (!g) { problems.push(`${tag} no strategy ${id}`); continue; }
        for (const key of ['status', 'verdict', 'selected', 'rank']) {
          if (key in want && !deepEqual(g[key] ?? null, want[key])) problems.push(`${tag}/${id} ${key} = ${show(g[key])}, expected ${show(want[key])}`);
        }
        if ('weight' in want) {
          const good = typeof want.weight === 'number' && typeof g.weight === 'number'
            ? Math.abs(g.weight - want.weight) < 1e-12 : deepEqual(g.weight ?? null, want.weight);
          if (!good) problems.push(`${tag}/${id} weight = ${show(g.weight)}, expected ${show(want.weight)}`);
        }
        for (const [rule, w] of Object.entries(want.rules ?? {})) {
          const r = (g.rule_results ?? {})[rule] ?? {};
          const fields = typeof w === 'string' ? { reason_code: w } : w;
          for (const [f, v] of Object.entries(fields)) {
            if (!deepEqual(r[f] ?? null, v)) problems.push(`${tag}/${id}/${rule}.${f} = ${show(r[f])}, expected ${show(v)}`);
          }
        }
        if ('violations' in want) {
          const codes = (g.violations ?? []).map((x) => x.code);
          if (!deepEqual(codes, want.violations)) problems.push(`${tag}/${id} violations ${show(codes)}, expected ${show(want.violations)}`);
        }
        for (const w of want.explanations ?? []) {
          const hit = (g.explanations ?? []).some((e) => Object.entries(w).every(([k, x]) => deepEqual(e[k], x)));
          if (!hit) problems.push(`${tag}/${id} no explanation like ${show(w)}`);
        }
      }
      if (typeof policy.free === 'function') policy.free();
    }
    ok(problems.length === 0, problems.slice(0, 5).join('; '));
    return undefined;
  };
}

// Report vectors (tests/vectors/report/**, format in tests/report_vectors.rs): computeReport with
// the series and the benchmark as Float64Arrays; partial match; a null listed in `distribution`,
// `drawdowns` or `relative` needs its `reasons` entry; an expected error must be thrown as such.
function reportCheck(wg, c) {
  return async () => {
    if (typeof wg.computeReport !== 'function') return { skip: '`computeReport` is not exported yet' };
    const options = { ...(c.options ?? {}) };
    if (Array.isArray(options.benchmark)) options.benchmark = decodeSeries(options.benchmark);
    const call = () => wg.computeReport(decodeSeries(c.returns), options);
    const expectedError = c.expected && c.expected.error;
    if (expectedError) {
      const got = outcomeCode(wg, call);
      ok(got.code === expectedError.code && got.path === expectedError.path,
        `expected ${expectedError.code} at ${expectedError.path}, got ${got.code ?? 'a result'} at ${got.path}`);
      return undefined;
    }
    const raw = call();
    sameWithEpochMs(wg, 'computeReport', [decodeSeries(c.returns), options], raw);
    const actual = wireReport(raw, c.returns.length);
    const tol = typeof c.tolerance === 'number' ? c.tolerance : 1e-9;
    const diffs = partialMatch(actual, c.expected, tol);
    for (const block of ['distribution', 'drawdowns', 'relative']) {
      const want = c.expected[block];
      if (!want || typeof want !== 'object') continue;
      const reasons = (actual[block] && actual[block].reasons) || {};
      for (const k of Object.keys(want)) if (want[k] === null && !(k in reasons)) diffs.push(`/${block}/${k}: null without a reason`);
    }
    ok(diffs.length === 0, diffs.slice(0, 5).join('; '));
    return undefined;
  };
}

function vectorCheck(wg, c) {
  const need = (fn) => (typeof wg[fn] === 'function' ? null : { skip: `\`${fn}\` is not exported yet` });
  const tol = typeof c.tolerance === 'number' ? c.tolerance : 1e-9;
  // the expected error, if the vector expects one: { code, path? }
  const expectedError = c.expected && typeof c.expected === 'object' && c.expected.error
    ? c.expected.error
    : c.expected_code !== undefined ? { code: c.expected_code, path: c.expected_path } : undefined;
  // `fn` and `args` of a call whose time axes may be given as numbers too (numericTwin).
  const judge = (call, fn, args) => {
    if (expectedError) {
      const got = outcomeCode(wg, call);
      ok(got.code === expectedError.code,
        `expected ${expectedError.code}, got ${got.code ?? `a result ${show(got.value).slice(0, 200)}`}`);
      if (expectedError.path !== undefined) {
        ok(got.path === expectedError.path, `expected path ${expectedError.path}, got ${got.path}`);
      }
      return undefined;
    }
    const raw = call();
    if (fn) sameWithEpochMs(wg, fn, args, raw);
    const actual = fn === 'computeReport' || fn === 'computeMetrics' ? wireReport(raw) : raw;
    const diffs = [...partialMatch(actual, c.expected, tol), ...nullsWithoutReason(actual, c.expected)];
    ok(diffs.length === 0, diffs.slice(0, 5).join('; '));
    return undefined;
  };
  return async () => {
    // a case marked `"entry": "full"` needs the whole engine (e.g. computeMetrics' `report`)
    if (c.entry === 'full' && typeof wg.gateBundle !== 'function') return { skip: 'needs the full entry, not worldgate/core' };
    // 1. an explicit call
    if (c.call && typeof c.call.fn === 'string') {
      const args = c.call.args ?? [];
      return need(c.call.fn) ?? judge(() => wg[c.call.fn](...args), c.call.fn, args);
    }
    // 2. metrics vectors
    if (Array.isArray(c.returns) && (c.expected !== undefined || c.expected_code !== undefined)) {
      const args = [decodeSeries(c.returns), c.options ?? {}];
      return need('computeMetrics') ?? judge(() => wg.computeMetrics(...args), 'computeMetrics', args);
    }
    // 3. the bad-input corpus
    if (c.kind !== undefined && expectedError && 'input' in c) {
      const fn = KIND_TO_FN[c.kind];
      if (!fn) return { skip: `no JS entry point known for kind \`${c.kind}\`` };
      const args = fn === 'computeMetrics' && c.input && typeof c.input === 'object' && !Array.isArray(c.input)
        ? [decodeSeries(c.input.returns ?? []), c.input.options ?? {}]
        : [c.input];
      return need(fn) ?? judge(() => wg[fn](...args));
    }
    return { skip: 'no JS replay rule for this vector shape (add a `call: {fn, args}`)' };
  };
}


// ---- the sanitizer: tests/vectors/sanitize/ (format in tests/sanitize.rs) ----------------------

/** Every string and key of a JSON value. */
function allStrings(v, out = []) {
  if (typeof v === 'string') out.push(v);
  else if (Array.isArray(v)) for (const x of v) allStrings(x, out);
  else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) { out.push(k); allStrings(x, out); }
  return out;
}

/** Fails when `body`, or any `window`-byte slice of it with a letter, is in the answer's JSON text or its strings. */
function assertNoLeak(answer, bodies, window, what) {
  const text = JSON.stringify(answer);
  const texts = [text, ...allStrings(answer)];
  for (const body of bodies) {
    const ws = [body];
    for (let i = 0; body.length > window && i + window <= body.length; i++) {
      const w = body.slice(i, i + window);
      if (/[A-Za-z]/.test(w)) ws.push(w);
    }
    for (const w of ws) {
      const t = texts.find((x) => x.includes(w));
      if (t !== undefined) fail(`${what}: \`${w}\` survived in …${t.slice(Math.max(0, t.indexOf(w) - 80), t.indexOf(w) + 80)}…`);
    }
  }
}

const SANITIZE_ENCODINGS = {
  plain: (s) => s,
  percent: (s) => Array.from(new TextEncoder().encode(s), (b) => (/[A-Za-z0-9]/.test(String.fromCharCode(b)) ? String.fromCharCode(b) : `%${b.toString(16).toUpperCase().padStart(2, '0')}`)).join(''),
  plus: (s) => s.replaceAll(' ', '+'),
  unicode_text: (s) => Array.from({ length: s.length }, (_, i) => `\\u${s.charCodeAt(i).toString(16).padStart(4, '0')}`).join(''),
};

function sanitizeBundle(where, text) {
  const sub = { strategy_id: 's', returns: [0.01, -0.02, 0.015, 0.003, -0.004, 0.007] };
  const b = { bundle_version: 1, world_id: 'w', submissions: [sub] };
  if (where === 'meta value') b.meta = { note: text };
  else if (where === 'meta key') b.meta = { [text]: 1 };
  else if (where === 'storage ref') sub.storage_refs = { full: text };
  else if (where === 'custom metric name') sub.metrics = { custom: { [`n_${text}`]: 1.5 } };
  return JSON.stringify(b);
}

function sanitizeCheck(wg, data) {
  return async () => {
    for (const fn of ['gateBundle', 'presetPolicy', 'sanitizeText']) {
      if (typeof wg[fn] !== 'function') return { skip: `\`${fn}\` is not exported yet` };
    }
    const policy = wg.presetPolicy('sandbox');
    const gate = (bytes) => {
      const r = wg.gateBundle(bytes, policy, {});
      ok(r.type === 'success' || (r.type === 'failure' && r.errors.every((e) => e.code !== 'E_INTERNAL')), `gate trapped: ${show(r).slice(0, 200)}`);
      return r;
    };
    if (Array.isArray(data.secrets)) {
      // the corpus: each secret at each position, in each encoding, through the gate and sanitizeText
      for (const s of data.secrets) {
        for (const [enc, encode] of Object.entries(SANITIZE_ENCODINGS)) {
          const placed = `xx${encode(s.text)} `;
          for (const where of ['meta value', 'meta key', 'storage ref', 'custom metric name']) {
            assertNoLeak(gate(sanitizeBundle(where, placed)), s.body, data.window, `${s.name} at ${where}, ${enc}`);
          }
          const t = wg.sanitizeText(placed, '/reason');
          assertNoLeak(t, s.body, data.window, `${s.name} in sanitizeText, ${enc}`);
          ok(t.redactions.length > 0 && t.redactions.every((r) => r.path === '/reason' && Object.keys(r).length === 2), `${s.name}: report ${show(t.redactions)}`);
        }
      }
      return undefined;
    }
    let answer;
    if (data.kind === 'bundle') {
      answer = gate(JSON.stringify(data.bundle));
      const got = answer.type === 'success' ? answer.value.redactions : [];
      for (const r of data.redactions) ok(got.some((g) => deepEqual(g, r)), `expected redaction ${show(r)} in ${show(got)}`);
    } else {
      answer = wg.sanitizeText(data.text, data.path);
      ok(answer.text === data.expected_text, `text ${show(answer.text)}, expected ${show(data.expected_text)}`);
      ok(deepEqual(answer.redactions, data.redactions), `redactions ${show(answer.redactions)}, expected ${show(data.redactions)}`);
    }
    assertNoLeak(answer, data.must_not_contain, 12, data.name);
    return undefined;
  };
}

// ---- the bad-input corpus and the digest vectors ------------------------------------------

const utf8 = (s) => new TextEncoder().encode(s);

/** The size in bytes of a vector's input, without building it. */
export function inputSize(v) {
  if (typeof v.input === 'string') return utf8(v.input).length;
  let n = 0;
  for (const p of v.generate) {
    if (p.text !== undefined) n += utf8(p.text).length;
    else if (p.hex !== undefined) n += p.hex.length / 2;
    else if (p.repeat !== undefined) n += utf8(p.repeat).length * p.count;
    else if (p.template !== undefined) {
      const join = utf8(p.join ?? '').length;
      for (let i = 0; i < p.count; i++) n += utf8(p.template.replaceAll('{i}', String(i))).length + (i ? join : 0);
    } else throw new Error(`unknown generate part ${show(p)}`);
  }
  return n;
}

/** A vector's input bytes: `input` as UTF-8, or its `generate` parts concatenated (the same
 *  recipe as tests/bad_inputs.rs). */
export function inputBytes(v) {
  if (typeof v.input === 'string') return utf8(v.input);
  const out = new Uint8Array(inputSize(v));
  let o = 0;
  const put = (bytes) => { out.set(bytes, o); o += bytes.length; };
  for (const p of v.generate) {
    if (p.text !== undefined) put(utf8(p.text));
    else if (p.hex !== undefined) put(Uint8Array.from(p.hex.match(/../g), (h) => parseInt(h, 16)));
    else if (p.repeat !== undefined) {
      const unit = utf8(p.repeat);
      if (unit.length === 1) { out.fill(unit[0], o, o + p.count); o += p.count; } else for (let i = 0; i < p.count; i++) put(unit);
    } else {
      for (let i = 0; i < p.count; i++) {
        if (i && p.join) put(utf8(p.join));
        put(utf8(p.template.replaceAll('{i}', String(i))));
      }
    }
  }
  return out;
}

const MB = (n) => `${(n / 1e6).toFixed(1)} MB`;

function badCheck(wg, v, env) {
  return async () => {
    if (v.known_failure) return { skip: `known failure: ${v.known_failure}` };
    for (const fn of ['gateBundle', 'presetPolicy', 'parsePolicy']) {
      if (typeof wg[fn] !== 'function') return { skip: `\`${fn}\` is not exported yet` };
    }
    const size = inputSize(v);
    const budget = env.maxGeneratedBytes ?? Infinity;
    if (size > budget) {
      return { skip: `${MB(size)} input exceeds ${env.runtime ?? 'this runtime'}'s budget of ${MB(budget)}: ${env.budgetReason ?? 'runtime memory limit'}` };
    }
    let bytes = inputBytes(v);
    const call = v.kind === 'bundle'
      ? () => wg.gateBundle(bytes, wg.presetPolicy('sandbox'), {})
      : v.kind === 'policy'
        ? () => wg.parsePolicy(new TextDecoder().decode(bytes), { dialect: v.dialect ?? 'strict' })
        : fail(`unknown kind \`${v.kind}\``);
    const t0 = Date.now();
    const got = outcomeCode(wg, call);
    bytes = undefined;
    const ms = Date.now() - t0;
    ok(got.code !== 'E_INTERNAL', `TRAPPED (E_INTERNAL): a bug in the core`);
    ok(got.code === v.expected_code,
      `expected ${v.expected_code}, got ${got.code ?? `a result ${show(got.value).slice(0, 200)}`}`);
    if (v.expected_path !== undefined) ok(got.path === v.expected_path, `expected path ${v.expected_path}, got ${got.path}`);
    ok(ms < 30_000, `took ${ms} ms`);
    return undefined;
  };
}

const hex = (buf) => Array.from(new Uint8Array(buf), (b) => b.toString(16).padStart(2, '0')).join('');
async function sha256(text) {
  return `sha256:${hex(await crypto.subtle.digest('SHA-256', utf8(text)))}`;
}

/** RFC 8785 canonical JSON of a JSON value, written independently of the engine: keys sorted by
 *  UTF-16 code units (JS string order), strings and numbers as JSON.stringify writes them. */
export function jcs(v) {
  if (v === null || typeof v !== 'object') return JSON.stringify(v);
  if (Array.isArray(v)) return `[${v.map(jcs).join(',')}]`;
  const keys = Object.keys(v).filter((k) => v[k] !== undefined).sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${jcs(v[k])}`).join(',')}}`;
}

function digestCheck(wg, v) {
  return async () => {
    for (const fn of ['gateBundle', 'presetPolicy']) {
      if (typeof wg[fn] !== 'function') return { skip: `\`${fn}\` is not exported yet` };
    }
    if (typeof v.canonical === 'string') {
      ok(await sha256(v.canonical) === v.input_digest, 'the vector is inconsistent: sha256(canonical) != input_digest');
    }
    if (typeof wg.canonicalJson === 'function') {
      // the engine's canonicalizer and the independent one above agree on the input as parsed
      const parsed = JSON.parse(v.input);
      ok(wg.canonicalJson(parsed) === jcs(parsed), `canonicalJson(input) = ${wg.canonicalJson(parsed)}, JS JCS ${jcs(parsed)}`);
    }
    for (const input of [v.input, utf8(v.input)]) {
      const r = wg.gateBundle(input, wg.presetPolicy('sandbox'), {});
      ok(r.type === 'success', `gate failed: ${show(r.errors)}`);
      ok(r.value.input_digest === v.input_digest, `input_digest ${r.value.input_digest}, expected ${v.input_digest}`);
      const again = await sha256(jcs(r.value.decision));
      ok(r.value.result_digest === again, `result_digest ${r.value.result_digest}, sha256(JCS(decision)) in JS is ${again}`);
    }
    return undefined;
  };
}

/** The functions a module exports (the runtime layer's `init` excluded). */
const functionsOf = (wg) => Object.keys(wg).filter((k) => typeof wg[k] === 'function'
  && !['init', 'WorldgateError'].includes(k)).sort();

export function makeChecks(wg, env, full) {
  const checks = [];
  const add = (name, run) => checks.push({ name, run });
  const isCore = env.entry === 'core';

  add(`the ${isCore ? 'core' : 'full'} entry exports the core API${isCore ? ' and nothing more' : ''}`, () => {
    const want = env.core.functions.slice().sort();
    const missing = want.filter((n) => typeof wg[n] !== 'function');
    ok(missing.length === 0, `missing: ${show(missing)}`);
    if (isCore) {
      const extra = functionsOf(wg).filter((n) => !want.includes(n));
      ok(extra.length === 0, `the core entry exports more than the core API: ${show(extra)}`);
    }
  });

  if (isCore && full !== undefined) {
    add('the core entry answers as the full entry, and their errors are one class', () => {
      const r = Float64Array.from([0.01, -0.02, 0.03, Number.NaN, -0.05, 0.04]);
      const opts = { periods_per_year: 12, risk_free: 0.01, var_level: 0.9 };
      const same = (what, a, b) => ok(deepEqual(a, b), `${what}: core ${show(a)}, full ${show(b)}`);
      same('computeMetrics', wg.computeMetrics(r, opts), full.computeMetrics(r, opts));
      same('equityCurve', Array.from(wg.equityCurve(r, 100)), Array.from(full.equityCurve(r, 100)));
      same('drawdownCurve', Array.from(wg.drawdownCurve(r)), Array.from(full.drawdownCurve(r)));
      same('returnsFromPrices', Array.from(wg.returnsFromPrices([1, 2, 3], 'log')), Array.from(full.returnsFromPrices([1, 2, 3], 'log')));
      same('returnsFromEquity', Array.from(wg.returnsFromEquity([10, 11, 9])), Array.from(full.returnsFromEquity([10, 11, 9])));
      const bad = { ...GOOD_SNAPSHOT, metrics: { returns: { sharpee: 1 } } };
      same('validateSnapshot', wg.validateSnapshot(bad), full.validateSnapshot(bad));
      for (const name of wg.schemaNames()) same(`schemaFor(${name})`, wg.schemaFor(name), full.schemaFor(name));
      const thrown = (f) => { try { f(); } catch (error) { return error; } return undefined; };
      for (const [what, call] of [
        ['bad option', (m) => m.computeMetrics(r, { periods_per_yr: 12 })],
        ['zero price', (m) => m.returnsFromPrices([1, 0, 2])],
      ]) {
        const a = thrown(() => call(wg));
        const b = thrown(() => call(full));
        ok(a instanceof full.WorldgateError && b instanceof wg.WorldgateError, `${what}: not WorldgateErrors of both entries`);
        same(what, a.toJSON(), b.toJSON());
      }
    });
  }

  add('version() is the package version', () => {
    ok(typeof wg.version === 'function', 'version is not exported');
    ok(wg.version() === env.version, `version() = ${wg.version()}, package.json says ${env.version}`);
  });

  add('schemaFor(name) equals the shipped schema/<name>.json', () => {
    const names = wg.schemaNames();
    ok(names.includes('snapshot'), `schemaNames() lacks snapshot: ${show(names)}`);
    // the core entry carries its own documents only; the full one every shipped file
    const expected = isCore ? env.core.schemas : Object.keys(env.schemas);
    ok(expected.every((n) => n in env.schemas), `a document without a shipped file: ${show(expected)}`);
    ok(deepEqual(names.slice().sort(), expected.slice().sort()),
      `schemaNames() ${show(names)} differs from ${isCore ? 'the core documents' : 'the shipped files'} ${show(expected)}`);
    for (const name of names) {
      const text = wg.schemaFor(name);
      ok(typeof text === 'string', `schemaFor(${name}) returned ${show(text)}`);
      ok(deepEqual(JSON.parse(text), JSON.parse(env.schemas[name])), `schemaFor(${name}) differs from schema/${name}.json`);
    }
    ok(wg.schemaFor('no-such-document') === undefined, 'schemaFor(unknown) is not undefined');
  });

  add('validateSnapshot accepts a good snapshot as object, string and bytes', () => {
    const text = JSON.stringify(GOOD_SNAPSHOT);
    for (const input of [GOOD_SNAPSHOT, text, new TextEncoder().encode(text), new TextEncoder().encode(text).buffer]) {
      const r = wg.validateSnapshot(input);
      ok(r.ok === true && Array.isArray(r.errors) && r.errors.length === 0, `rejected: ${show(r)}`);
    }
  });

  add('validateSnapshot reports a bad field with its code and JSON pointer', () => {
    const r = wg.validateSnapshot({ ...GOOD_SNAPSHOT, metrics: { returns: { sharpe: 'high' } } });
    ok(r.ok === false, `accepted: ${show(r)}`);
    ok(r.errors[0].code === 'E_SCHEMA', `code ${r.errors[0].code}`);
    ok(r.errors[0].path === '/metrics/returns/sharpe', `path ${r.errors[0].path}`);
    ok(typeof r.errors[0].message === 'string' && r.errors[0].message.length > 0, 'no message');
    const unknown = wg.validateSnapshot({ ...GOOD_SNAPSHOT, bogus: 1 });
    ok(unknown.ok === false && unknown.errors[0].path === '/bogus', `unknown field: ${show(unknown)}`);
    const notJson = wg.validateSnapshot('{"snapshot_id": ');
    ok(notJson.ok === false && typeof notJson.errors[0].code === 'string', `truncated JSON: ${show(notJson)}`);
  });

  add('WorldgateError is a class with code, path, help, errors', () => {
    const e = new wg.WorldgateError('bad thing', { code: 'E_SCHEMA', path: '/a/0', help: 'fix it' });
    ok(e instanceof wg.WorldgateError && e instanceof Error, 'instanceof');
    ok(e.name === 'WorldgateError' && e.code === 'E_SCHEMA' && e.path === '/a/0' && e.help === 'fix it', show(e));
    ok(e.errors.length === 1 && e.errors[0].code === 'E_SCHEMA', `errors ${show(e.errors)}`);
    ok(!(new Error('x') instanceof wg.WorldgateError), 'a plain Error is a WorldgateError');
  });

  add('computeMetrics reads a long Float64Array a chunk at a time to the same bits as numbers', () => {
    // 3 chunks of 32,768 samples and a partial one: the chunked read (Float64Array) against
    // the whole-series read (number[]), on a steady series, one whose first chunk is calmer
    // (a loose VaR bound), one whose first chunk is wilder (the whole-series fallback), one
    // with NaN gaps, and one with a bad sample in a later chunk (the same error).
    const n = 3 * 32768 + 1234;
    let s = 12345;
    const next = () => { s = (Math.imul(s, 1103515245) + 12345) >>> 0; return s / 2 ** 32 - 0.5; };
    const make = (spread) => Float64Array.from({ length: n }, (_, i) => next() * spread(i) + 0.0002);
    const gaps = make(() => 0.05);
    for (let i = 0; i < n; i += 97) gaps[i] = Number.NaN;
    const bad = make(() => 0.02);
    bad[2 * 32768 + 5] = -1.5;
    const opts = { periods_per_year: 252, risk_free: 0.02, var_level: 0.95 };
    const cases = [
      ['steady', make(() => 0.03)],
      ['calmer start', make((i) => (i < 32768 ? 0.025 : 0.03))],
      ['wilder start', make((i) => (i < 32768 ? 0.4 : 0.01))],
      ['gaps', gaps],
    ];
    for (const [what, r] of cases) {
      const a = wg.computeMetrics(r, opts);
      const b = wg.computeMetrics(Array.from(r), opts);
      ok(JSON.stringify(a) === JSON.stringify(b), `${what}: ${show(a)} vs ${show(b)}`);
    }
    const thrown = (f) => { try { f(); } catch (error) { return error; } return undefined; };
    const a = thrown(() => wg.computeMetrics(bad, opts));
    const b = thrown(() => wg.computeMetrics(Array.from(bad), opts));
    ok(a && b && a.path === `/${2 * 32768 + 5}` && JSON.stringify(a.toJSON()) === JSON.stringify(b.toJSON()), `bad sample: ${show(a)} vs ${show(b)}`);
  });

  add('engine errors thrown to JS are WorldgateError instances with code and path', () => {
    if (typeof wg.computeMetrics !== 'function') return { skip: '`computeMetrics` is not exported yet' };
    let caught;
    try {
      wg.computeMetrics(['not', 'numbers'], {});
    } catch (error) {
      caught = error;
    }
    ok(caught instanceof wg.WorldgateError, `expected a WorldgateError, got ${caught && caught.stack}`);
    ok(caught.code === 'E_SCHEMA', `code ${caught.code}`);
    ok(typeof caught.path === 'string' && caught.path.endsWith('/0'), `path ${caught.path}`);
    return undefined;
  });

  add('a wasm trap throws E_INTERNAL and the next call runs on a fresh instance', () => {
    const before = wg.__internal.generation();
    let caught;
    try {
      wg.__internal.trap();
    } catch (error) {
      caught = error;
    }
    ok(caught instanceof wg.WorldgateError && caught.code === 'E_INTERNAL', `trap gave ${caught && caught.stack}`);
    ok(caught.cause instanceof WebAssembly.RuntimeError, 'the cause is not the RuntimeError');
    ok(wg.version() === env.version, 'version() after the trap');
    ok(wg.__internal.generation() === before + 1, 'the instance was not re-created');
    ok(wg.validateSnapshot(GOOD_SNAPSHOT).ok === true, 'validateSnapshot after the trap');
  });

  add('objects made before a reset: their members are E_SCHEMA, free() does nothing, new objects are not disturbed', () => {
    if (isCore) return { skip: 'the core entry has no engine objects' };
    const doc = { top_k: { metric: 'sharpe', k: 1 } };
    const old = Array.from({ length: 20 }, () => wg.parsePolicy(doc));
    const oldBatch = new wg.StrategyBatch({ a: { sharpe: 1 } });
    try { wg.__internal.trap(); } catch { /* the trap itself: E_INTERNAL */ }
    const fresh = Array.from({ length: 20 }, () => wg.parsePolicy(doc));
    const generation = wg.__internal.generation();
    // the old objects' addresses point into the new instance's memory: freeing them there would
    // release the new objects
    for (const p of old) p.free();
    oldBatch.free();
    let caught;
    try { old[0].verdicts({ a: { sharpe: 1 } }); } catch (e) { caught = e; }
    ok(caught instanceof wg.WorldgateError && caught.code === 'E_SCHEMA' && /before the engine was reset/.test(caught.message),
      `a stale object's method: ${caught ? `${caught.code} ${caught.message}` : 'no error'}`);
    for (const p of fresh) ok(p.verdicts({ a: { sharpe: 1 }, b: { sharpe: 2 } }).selected.join() === 'b', 'a fresh policy after stale frees');
    ok(wg.__internal.generation() === generation, 'the engine was reset again');
    for (const p of fresh) p.free();
  });

  add('large inputs are hashed by the platform SHA-256 exactly where the runtime has a synchronous one', () => {
    // The harness says whether its runtime has one (Node; workerd with nodejs_compat); the core
    // entry has no digests.
    const expected = isCore ? false : env.platformSha256;
    if (typeof expected !== 'boolean') return { skip: 'the harness does not say whether its runtime has a synchronous SHA-256' };
    wg.version(); // instantiates
    const got = wg.__internal.platformSha256();
    ok(got === expected, `platformSha256() is ${got} in ${env.runtime}, expected ${expected}`);
    if (!got) return undefined;
    // Both paths in this one runtime: the same digests for a bundle well above the threshold.
    const returns = Array.from({ length: 3000 }, (_, i) => ((i * 7919) % 1000 - 500) / 1e5);
    const bundle = JSON.stringify({ bundle_version: 1, world_id: 'w', submissions: [{ strategy_id: 's', returns }] });
    const digests = () => {
      const r = wg.gateBundle(bundle, wg.presetPolicy('sandbox'), {});
      ok(r.type === 'success', `gate failed: ${show(r.errors)}`);
      return `${r.value.input_digest} ${r.value.result_digest}`;
    };
    const platform = digests();
    ok(wg.__internal.usePlatformSha256(false) === false, 'the platform SHA-256 could not be taken back');
    try {
      const inWasm = digests();
      ok(platform === inWasm, `platform SHA-256 gave ${platform}, wasm ${inWasm}`);
    } finally {
      ok(wg.__internal.usePlatformSha256(true) === true, 'the platform SHA-256 could not be given back');
    }
  });

  add('results read on demand: plain data to JSON, structuredClone, keys, spread and deep equality; wireText is their text', () => {
    if (isCore) return { skip: 'the core entry has no policy engine' };
    if (typeof wg.wireText !== 'function') return { skip: 'wireText is not in this build' };
    const policy = wg.parsePolicy('thresholds: { s: { metric: sharpe, min: 1.0 } }\ntop_k: { metric: sharpe, k: 2 }');
    // an id needing escapes and non-ASCII text: the layout counts UTF-16 units, not bytes
    const odd = 'b"\u00e9\u{1F600}';
    const metrics = { a: { sharpe: 1.5 }, [odd]: { sharpe: 2.5 }, c: { sharpe: 0.2 } };
    const fresh = () => policy.evaluate(metrics, { previous: ['c'] });
    const plain = JSON.parse(wg.wireText(fresh()));
    ok(show(plain.selected) === show([odd, 'a']), `selected: ${show(plain.selected)}`);
    ok(deepEqual(JSON.parse(JSON.stringify(fresh())), plain), 'JSON.stringify of a decision differs from its text');
    if (typeof structuredClone === 'function') ok(deepEqual(structuredClone(fresh()), plain), 'structuredClone of a decision differs from its text');
    ok(show(Object.keys(fresh())) === show(Object.keys(plain)), `Object.keys: ${show(Object.keys(fresh()))}`);
    ok(show(Object.keys(fresh().strategies)) === show(Object.keys(plain.strategies)), 'Object.keys of strategies');
    ok(deepEqual({ ...fresh() }, plain) && deepEqual({ ...fresh().strategies[odd] }, plain.strategies[odd]), 'spread differs');
    ok(deepEqual(fresh(), plain), 'deep equality with the parsed text fails');
    // a member read first, the rest after
    const d = fresh();
    ok(d.strategies.a.verdict === plain.strategies.a.verdict && show(d.selected) === show(plain.selected), 'members read first differ');
    ok(deepEqual(d, plain), 'deep equality after reading some members fails');
    ok(deepEqual(JSON.parse(wg.wireText(d.strategies[odd])), plain.strategies[odd]), 'wireText of one strategy');
    ok(deepEqual(JSON.parse(wg.wireText(d.strategies.a.rule_results)), plain.strategies.a.rule_results), 'wireText of a member read');
    // a changed result is written afresh, never from the engine's stale text
    d.strategies.a.verdict = 'invalid';
    ok(JSON.parse(wg.wireText(d)).strategies.a.verdict === 'invalid', 'wireText after an eager member changed is stale');
    const e = fresh();
    e.selected = [];
    ok(show(JSON.parse(wg.wireText(e)).selected) === '[]', 'wireText after a member was assigned is stale');
    const f = fresh();
    f.extra = 1;
    ok(JSON.parse(wg.wireText(f)).extra === 1, 'wireText after a member was added is stale');
    ok(wg.wireText({ x: [1] }) === '{"x":[1]}', 'wireText of plain data is JSON.stringify');
    // a gate answer: the answer, its decision, each run and snapshot have their text
    const bundle = JSON.stringify({ bundle_version: 1, world_id: 'w', submissions: [
      { strategy_id: 'a', returns: [0.01, -0.005, 0.02, 0.003] }, { strategy_id: 'z', metrics: { returns: { sample_count: 40, sharpe: 2 } } }] });
    const answer = () => wg.gateBundle(bundle, policy, { created_at: '2026-01-02T03:04:05Z' });
    const gp = JSON.parse(wg.wireText(answer()));
    ok(gp.type === 'success', `gate failed: ${show(gp.errors)}`);
    ok(deepEqual(answer(), gp), 'a gate answer differs from its text');
    if (typeof structuredClone === 'function') ok(deepEqual(structuredClone(answer()), gp), 'structuredClone of a gate answer differs');
    const g = answer().value;
    ok(g.strategies.map((s) => s.verdict).join() === gp.value.strategies.map((s) => s.verdict).join(), 'verdicts differ');
    g.runs.forEach((r, i) => {
      ok(r.status.run_id === gp.value.runs[i].status.run_id, 'run status differs');
      ok(deepEqual(JSON.parse(wg.wireText(r)), gp.value.runs[i]), `run ${i}: its text differs`);
    });
    g.snapshots.forEach((s, i) => ok(deepEqual(JSON.parse(wg.wireText(s)), gp.value.snapshots[i]), `snapshot ${i}: its text differs`));
    ok(deepEqual(JSON.parse(wg.wireText(g.decision)), gp.value.decision), 'the decision text differs');
    ok(deepEqual(g, gp.value), 'the result differs after its members were read');
  });

  add('a decision\'s details are written when first read, from the inputs as they were at evaluate', () => {
    if (isCore) return { skip: 'the core entry has no policy engine' };
    if (typeof wg.wireText !== 'function') return { skip: 'wireText is not in this build' };
    const policy = wg.parsePolicy({ thresholds: { s: { metric: 'sharpe', min: 0 } }, top_k: { metric: 'sharpe', k: 3 }, correlation: { max: 0.3 } });
    const wave = (k) => Float64Array.from({ length: 40 }, (_, i) => Math.sin(k * 1.7 + i * 0.37) / 100);
    const metrics = { a: { sharpe: 1.5 }, b: { sharpe: 1.2 }, c: { sharpe: 0.9 }, d: { sharpe: -1 } };
    const returns = { a: wave(1), b: wave(1.05), c: wave(3), d: wave(4) };
    const want = wg.wireText(policy.evaluate(metrics, { returns_by_strategy: returns }));
    // many decisions at once (more than the engine keeps sources for), each read after the
    // caller changed its inputs: each one's details and text are as at its evaluate
    const made = Array.from({ length: 40 }, () => policy.evaluate(metrics, { returns_by_strategy: returns }));
    metrics.a.sharpe = -5;
    returns.b.fill(0.5);
    made.forEach((d, i) => {
      ok(d.strategies.b.verdict === JSON.parse(want).strategies.b.verdict, `decision ${i}: verdict`);
      if (i % 2 === 0) ok(deepEqual(d.strategies.b.explanations, JSON.parse(want).strategies.b.explanations), `decision ${i}: explanations`);
      ok(wg.wireText(d) === want, `decision ${i}: its text differs from the decision's`);
      ok(deepEqual(JSON.parse(wg.wireText(d.strategies.c)), JSON.parse(want).strategies.c), `decision ${i}: a strategy's text`);
    });
    const g = policy.evaluate({ a: { sharpe: 1 } }, {});
    g.strategies.a.explanations = [];
    ok(JSON.parse(wg.wireText(g)).strategies.a.explanations.length === 0, 'wireText after a deferred member was assigned is stale');
    // a summary made before the engine was reset: its verdicts stay, its details are an error
    // (a policy of its own: one whose details were read gets whole decisions)
    const one = wg.parsePolicy({ thresholds: { s: { metric: 'sharpe', min: 0 } }, top_k: { metric: 'sharpe', k: 7 } });
    const stale = one.evaluate({ a: { sharpe: 1 } });
    const verdict = stale.strategies.a.verdict;
    try { wg.__internal.trap(); } catch { /* the trap itself: E_INTERNAL */ }
    ok(wg.version() === env.version, 'version() after a reset');
    ok(stale.strategies.a.verdict === verdict, `the verdict after a reset: ${stale.strategies.a.verdict}, not ${verdict}`);
    let threw;
    try { void stale.strategies.a.explanations; } catch (error) { threw = error; }
    ok(threw instanceof wg.WorldgateError && threw.code === 'E_INTERNAL', `details after a reset: ${threw && threw.message}`);
  });

  add('one policy handle: a CompiledPolicy stands wherever a policy may, in its own dialect', () => {
    if (isCore) return { skip: 'the core entry has no policy engine' };
    // Regressions: evaluatePolicy(compiled, …) read the handle as a document (`unknown key
    // __wbg_ptr`), and with {dialect: "qmtl"} evaluated an empty policy that selected everyone.
    const doc = 'thresholds: { s: { metric: sharpe, min: 1.0 } }\ntop_k: { metric: sharpe, k: 1 }';
    const metrics = { a: { sharpe: 1.5 }, b: { sharpe: 0.5 }, c: { sharpe: 1.2 } };
    for (const dialect of ['strict', 'qmtl']) {
      const compiled = wg.parsePolicy(doc, { dialect });
      const direct = compiled.evaluate(metrics, { previous: ['c'] });
      const handle = wg.evaluatePolicy(compiled, metrics, { previous: ['c'] });
      const text = wg.evaluatePolicy(doc, metrics, { previous: ['c'], dialect });
      ok(deepEqual(handle, direct), `[${dialect}] evaluatePolicy(compiled) differs from compiled.evaluate: ${show(handle.selected)}`);
      ok(deepEqual(text, direct), `[${dialect}] evaluatePolicy(text) differs from compiled.evaluate: ${show(text.selected)}`);
      ok(!direct.selected.includes('b'), `[${dialect}] b (sharpe 0.5 < 1.0) was selected: ${show(direct.selected)}`);
      const gated = compiled.gate(JSON.stringify({ bundle_version: 1, world_id: 'w', submissions: [{ strategy_id: 'a', returns: [0.01, -0.005, 0.02] }] }));
      const viaGate = wg.gateBundle(JSON.stringify({ bundle_version: 1, world_id: 'w', submissions: [{ strategy_id: 'a', returns: [0.01, -0.005, 0.02] }] }), compiled);
      ok(gated.type === 'success' && deepEqual(gated, viaGate), `[${dialect}] compiled.gate differs from gateBundle: ${show(gated.errors ?? '')}`);
      compiled.free();
    }
    const strict = wg.parsePolicy(doc);
    for (const [label, call] of [
      ['evaluatePolicy(compiled strict, {dialect: qmtl})', () => wg.evaluatePolicy(strict, metrics, { dialect: 'qmtl' })],
      ['compiled.evaluate(…, {dialect: qmtl})', () => strict.evaluate(metrics, { dialect: 'qmtl' })],
      ['evaluatePolicy(text, {dialect: qmtll})', () => wg.evaluatePolicy(doc, metrics, { dialect: 'qmtll' })],
      ['parsePolicy(text, {dialect: 1})', () => wg.parsePolicy(doc, { dialect: 1 })],
      ['presetPolicy(sandbox, {dialect: QMTL})', () => wg.presetPolicy('sandbox', { dialect: 'QMTL' })],
    ]) {
      let caught;
      try { call(); } catch (e) { caught = e; }
      ok(caught instanceof wg.WorldgateError && caught.code === 'E_SCHEMA' && caught.path === '/dialect',
        `${label}: expected E_SCHEMA at /dialect, got ${caught ? `${caught.code} ${caught.path} ${caught.message}` : 'no error'}`);
    }
    const answer = wg.gateBundle('{}', strict, { dialect: 'qmtl' });
    ok(answer.type === 'failure' && answer.errors[0].code === 'E_SCHEMA', `gateBundle(compiled strict, {dialect: qmtl}) gave ${show(answer)}`);
  });

  add('verdicts: the decision without per-strategy details, as plain data; evaluate\'s options and errors', () => {
    if (isCore) return { skip: 'the core entry has no policy engine' };
    const { doc, policy, wave, odd, metrics, opts } = verdictsWorld(wg, 40, ['d', 'gone']);
    const v = policy.verdicts(metrics, opts);
    // `state` is built when first read: an enumerable accessor until then, a data member after
    const lazy = Object.getOwnPropertyDescriptor(v, 'state');
    ok(typeof lazy.get === 'function' && lazy.enumerable, `state before it is read: ${show(Object.keys(lazy))}`);
    ok(show(Object.keys(v)) === show(['dialect', 'selected', 'profile', 'recommended_stage', 'ruleset_hash', 'strategies', 'state', 'notes']), `members ${show(Object.keys(v))}`);
    const state = v.state;
    ok(v.state === state && 'value' in Object.getOwnPropertyDescriptor(v, 'state'), 'state read twice is not one data member');
    const want = JSON.parse(JSON.stringify(policy.evaluate(metrics, opts)));
    for (const s of Object.values(want.strategies)) for (const k of DETAILS) delete s[k];
    ok(JSON.stringify(v) === JSON.stringify(want), `verdicts ${show(v)} differ from the decision's ${show(want)}`);
    // unread: JSON, structuredClone and spread read it as any member; frozen verdicts still
    // give it (the same object each time); assigned first, it is never built
    ok(JSON.stringify(policy.verdicts(metrics, opts)) === JSON.stringify(want), 'JSON of unread verdicts differs');
    if (typeof structuredClone === 'function') ok(deepEqual(structuredClone(policy.verdicts(metrics, opts)), want), 'structuredClone of unread verdicts differs');
    ok(deepEqual({ ...policy.verdicts(metrics, opts) }.state, want.state), 'spread of unread verdicts differs');
    const frozen = Object.freeze(policy.verdicts(metrics, opts));
    ok(deepEqual(frozen.state, want.state) && frozen.state === frozen.state, 'state of frozen verdicts');
    const assigned = policy.verdicts(metrics, opts);
    assigned.state = 'mine';
    ok(assigned.state === 'mine' && JSON.parse(JSON.stringify(assigned)).state === 'mine', 'state assigned before it is read');
    ok(v.selected.length > 0 && v.notes.some((n) => n.code === 'incumbent_absent'), `selected ${show(v.selected)}, notes ${show(v.notes)}`);
    // plain data once read: own data properties only, no accessor anywhere, equal to its JSON
    // round trip
    const plain = JSON.parse(JSON.stringify(v));
    ok(deepEqual(v, plain), 'verdicts differ from their JSON round trip');
    if (typeof structuredClone === 'function') ok(deepEqual(structuredClone(v), plain), 'structuredClone of verdicts differs');
    const accessors = [];
    const walk = (x, at) => {
      if (x === null || typeof x !== 'object') return;
      if (Object.getPrototypeOf(x) !== Object.prototype && !Array.isArray(x)) accessors.push(`${at}: prototype`);
      for (const [k, d] of Object.entries(Object.getOwnPropertyDescriptors(x))) {
        if (!('value' in d)) accessors.push(`${at}/${k}`);
        else walk(d.value, `${at}/${k}`);
      }
    };
    walk(v, '');
    ok(accessors.length === 0, `accessors or foreign prototypes in verdicts: ${show(accessors.slice(0, 5))}`);
    ok(show(Object.keys(v.strategies.a)) === show(['status', 'verdict', 'selected', 'rank', 'weight']), `members ${show(Object.keys(v.strategies.a))}`);
    ok(wg.wireText(v) === JSON.stringify(v), 'wireText of verdicts is not their JSON text');
    // the one-shot call: a compiled policy or a document, the same verdicts
    ok(deepEqual(wg.evaluateVerdicts(policy, metrics, opts), plain), 'evaluateVerdicts(compiled) differs');
    ok(deepEqual(wg.evaluateVerdicts(doc, metrics, { ...opts, dialect: 'strict' }), plain), 'evaluateVerdicts(document) differs');
    // ids that are not plain identifiers stay own members (`__proto__` included)
    const tricky = JSON.parse('{"__proto__": {"sharpe": 2}, "constructor": {"sharpe": 1}, "0": {"sharpe": 3}}');
    const tv = policy.verdicts(tricky, { previous: JSON.parse('["__proto__"]') });
    const tw = JSON.parse(JSON.stringify(policy.evaluate(tricky, { previous: JSON.parse('["__proto__"]') })));
    for (const s of Object.values(tw.strategies)) for (const k of DETAILS) delete s[k];
    ok(JSON.stringify(tv) === JSON.stringify(tw) && Object.getPrototypeOf(tv.strategies) === Object.prototype,
      `verdicts of tricky ids ${JSON.stringify(tv)} differ from ${JSON.stringify(tw)}`);
    // the previous state given back: the next evaluation's verdicts
    const next = policy.verdicts(metrics, { ...opts, previous: v.state });
    ok(next.state.epoch === v.state.epoch + 1, `epoch ${next.state.epoch} after ${v.state.epoch}`);
    // each strategy's series found by its id whatever the keys' order (the package lines the
    // views up with the metrics in JS): the same verdicts as the series given as numbers (copied
    // and looked up by id in the engine), for keys in another order, a series missing, one for
    // no strategy, and the metrics as a Map
    const s = opts.returns_by_strategy;
    for (const [label, m, series] of [
      ['keys in another order', metrics, { extra: wave(9), d: s.d, c: s.c, [odd]: s[odd], a: s.a }],
      ['a series missing', metrics, { a: s.a, c: s.c, d: s.d }],
      ['the metrics as a Map', new Map(Object.entries(metrics)), { c: s.c, a: s.a, [odd]: s[odd] }],
      ['the series as a Map', metrics, new Map([['c', s.c], ['a', s.a], [odd, s[odd]], ['d', s.d]])],
    ]) {
      const entries = series instanceof Map ? [...series] : Object.entries(series);
      const numbers = Object.fromEntries(entries.map(([k, x]) => [k, Array.from(x)]));
      const views = policy.verdicts(m, { returns_by_strategy: series });
      const copied = policy.verdicts(m, { returns_by_strategy: numbers });
      ok(JSON.stringify(views) === JSON.stringify(copied), `${label}: verdicts ${show(views)} differ from ${show(copied)}`);
      const d = JSON.parse(JSON.stringify(policy.evaluate(m, { returns_by_strategy: numbers })));
      for (const x of Object.values(d.strategies)) for (const k of DETAILS) delete x[k];
      ok(JSON.stringify(views) === JSON.stringify(d), `${label}: verdicts differ from the decision`);
    }
    // bad input: evaluate's errors, with their paths
    for (const [label, call, code, path] of [
      ['an unknown option', () => policy.verdicts(metrics, { retruns: {} }), 'E_SCHEMA', '/retruns'],
      ['a dialect other than the policy\'s', () => policy.verdicts(metrics, { dialect: 'qmtl' }), 'E_SCHEMA', '/dialect'],
      ['an unknown dialect', () => wg.evaluateVerdicts(doc, metrics, { dialect: 'qmtll' }), 'E_SCHEMA', '/dialect'],
      ['metrics that are not an object', () => policy.verdicts([1, 2]), 'E_SCHEMA', '/metrics'],
      ['a strategy\'s metrics that are not an object', () => policy.verdicts({ a: 'high' }), 'E_SCHEMA', '/metrics/a'],
      ['a series that is not numbers', () => policy.verdicts(metrics, { returns_by_strategy: { a: ['x'] } }), 'E_SCHEMA', '/returns_by_strategy/a/0'],
      ['a Map of series with a key that is not a string', () => policy.verdicts(metrics, { returns_by_strategy: new Map([['a', s.a], [7, s.c]]) }), 'E_SCHEMA', '/returns_by_strategy'],
      ['a Map of series, one not numbers', () => policy.verdicts(metrics, { returns_by_strategy: new Map([['a', s.a], ['c', ['x']]]) }), 'E_SCHEMA', '/returns_by_strategy/c/0'],
      ['a policy that does not parse', () => wg.evaluateVerdicts('top_k: [', metrics), 'E_PARSE', ''],
    ]) {
      let caught;
      try { call(); } catch (e) { caught = e; }
      ok(caught instanceof wg.WorldgateError && caught.code === code && caught.path === path,
        `${label}: expected ${code} at ${path}, got ${caught ? `${caught.code} ${caught.path} ${caught.message}` : 'no error'}`);
    }
  });

  add('verdictTable: the verdicts as columns, row for row; its own arrays; evaluate\'s options and errors', () => {
    if (isCore) return { skip: 'the core entry has no policy engine' };
    // series of 37 samples: whole chunks of four and a tail of one in the correlations' products
    const { policy, metrics, opts } = verdictsWorld(wg, 37, ['d']);
    const t = policy.verdictTable(metrics, opts);
    const v = policy.verdicts(metrics, opts);
    ok(show(Object.keys(t)) === show(['dialect', 'selected', 'profile', 'recommended_stage', 'ruleset_hash', 'ids', 'status', 'verdict',
      'is_selected', 'rank', 'weight', 'status_names', 'verdict_names', 'state', 'notes']), `members ${show(Object.keys(t))}`);
    const kinds = [['status', Uint8Array], ['verdict', Uint8Array], ['is_selected', Uint8Array], ['rank', Uint32Array], ['weight', Float64Array]];
    for (const [k, type] of kinds) {
      ok(t[k] instanceof type && t[k].length === 4, `${k}: ${Object.prototype.toString.call(t[k])} of ${t[k]?.length}`);
    }
    ok(show(t.ids) === show(Object.keys(v.strategies)), `rows ${show(t.ids)}, verdicts ${show(Object.keys(v.strategies))}`);
    ok(show(t.status_names) === show(['pass', 'warn', 'fail']) && show(t.verdict_names) === show(['valid', 'warn', 'invalid', 'pending']),
      `names ${show(t.status_names)} ${show(t.verdict_names)}`);
    ok(JSON.stringify(tableAsVerdicts(t)) === JSON.stringify(v), `table ${show(tableAsVerdicts(t))} differs from the verdicts ${show(v)}`);
    ok(v.selected.length === 1 && v.strategies.c.verdict === 'invalid', `the correlation rule should drop one: ${show(v.selected)}`);
    // the state: built when first read, as the verdicts' (frozen tables too)
    ok(typeof Object.getOwnPropertyDescriptor(policy.verdictTable(metrics, opts), 'state').get === 'function', 'state is not deferred');
    ok(deepEqual(Object.freeze(policy.verdictTable(metrics, opts)).state, v.state), 'state of a frozen table');
    ok(policy.verdicts(metrics, { ...opts, previous: t.state }).state.epoch === v.state.epoch + 1, 'the table\'s state given back');
    // the arrays are the table's own: later calls do not change them, changing them changes no later call
    const rank = Array.from(t.rank);
    t.rank.fill(7);
    const again = policy.verdictTable(metrics, opts);
    ok(show(Array.from(again.rank)) === show(rank) && t.rank[0] === 7, `ranks ${show(Array.from(again.rank))} after a caller's change`);
    ok(t.weight.buffer !== again.weight.buffer && t.weight.byteLength === t.weight.buffer.byteLength, 'the weights are a view of a shared buffer');
    // a batch, a Map, ids that are not identifiers, no strategy: the same rows as the verdicts
    const batch = new wg.StrategyBatch(metrics, opts);
    ok(JSON.stringify(tableAsVerdicts(policy.verdictTable(batch))) === JSON.stringify(v), 'the table over a batch differs');
    batch.free();
    const map = new Map(Object.entries(metrics));
    ok(JSON.stringify(tableAsVerdicts(policy.verdictTable(map, opts))) === JSON.stringify(policy.verdicts(map, opts)), 'the table of a Map differs');
    const tricky = JSON.parse('{"__proto__": {"sharpe": 2}, "constructor": {"sharpe": 1}, "0": {"sharpe": 3}}');
    const tt = policy.verdictTable(tricky);
    ok(show(tt.ids) === show(Object.keys(policy.verdicts(tricky).strategies)) && JSON.stringify(tableAsVerdicts(tt)) === JSON.stringify(policy.verdicts(tricky)),
      `the table of tricky ids ${show(tt.ids)}`);
    const none = policy.verdictTable({});
    ok(none.ids.length === 0 && none.rank.length === 0 && none.weight instanceof Float64Array && none.selected.length === 0, `no strategy: ${show(none)}`);
    // a qmtl policy: rows in input order, ranks without top-k
    const qmtl = wg.parsePolicy({ thresholds: { s: { metric: 'sharpe', min: 0 } } }, { dialect: 'qmtl' });
    const q = { z: { sharpe: 1 }, y: { sharpe: -1 }, x: { sharpe: 2 } };
    ok(JSON.stringify(tableAsVerdicts(qmtl.verdictTable(q))) === JSON.stringify(qmtl.verdicts(q)), `qmtl table ${show(tableAsVerdicts(qmtl.verdictTable(q)))}`);
    // bad input: the verdicts' errors, with their paths
    for (const [label, call, code, path] of [
      ['an unknown option', () => policy.verdictTable(metrics, { retruns: {} }), 'E_SCHEMA', '/retruns'],
      ['a dialect other than the policy\'s', () => policy.verdictTable(metrics, { dialect: 'qmtl' }), 'E_SCHEMA', '/dialect'],
      ['metrics that are not an object', () => policy.verdictTable([1, 2]), 'E_SCHEMA', '/metrics'],
      ['a strategy\'s metrics that are not an object', () => policy.verdictTable({ a: 'high' }), 'E_SCHEMA', '/metrics/a'],
      ['a series that is not numbers', () => policy.verdictTable(metrics, { returns_by_strategy: { a: ['x'] } }), 'E_SCHEMA', '/returns_by_strategy/a/0'],
    ]) {
      let caught;
      try { call(); } catch (e) { caught = e; }
      ok(caught instanceof wg.WorldgateError && caught.code === code && caught.path === path,
        `${label}: expected ${code} at ${path}, got ${caught ? `${caught.code} ${caught.path} ${caught.message}` : 'no error'}`);
    }
  });

  add('StrategyBatch: metrics and options read once, evaluated by many policies as the plain call', () => {
    if (isCore) return { skip: 'the core entry has no policy engine' };
    const wave = (k) => Float64Array.from({ length: 60 }, (_, i) => Math.sin(k * 1.3 + i * 0.41) / 100);
    const ids = Array.from({ length: 12 }, (_, i) => `s${i}`);
    const metrics = Object.fromEntries(ids.map((id, i) => [id, { sharpe: 2 - i / 5, max_drawdown: 0.05 * i, nested: { win_rate: 0.4 + i / 50 } }]));
    const returns_by_strategy = Object.fromEntries(ids.map((id, i) => [id, wave(i % 4 + i / 100)]));
    const opts = { returns_by_strategy, previous: ['s3', 's11'], stage: 'backtest' };
    const batch = new wg.StrategyBatch(metrics, opts);
    ok(batch.size === 12 && batch.dialect === 'strict', `size ${batch.size}, dialect ${batch.dialect}`);
    const docs = [
      { thresholds: { s: { metric: 'sharpe', min: 0.5 } }, top_k: { metric: 'sharpe', k: 5 }, correlation: { max: 0.4 } },
      { thresholds: { d: { metric: 'max_drawdown', max: 0.3 } }, top_k: { metric: 'sharpe', k: 3 }, hysteresis: { metric: 'sharpe', enter: 1.2, exit: 0.8 } },
      { thresholds: { w: { metric: 'win_rate', min: 0.5 } }, correlation: { max: 0.2 } },
    ];
    for (const [i, doc] of docs.entries()) {
      const policy = wg.parsePolicy(doc);
      const plain = policy.evaluate(metrics, opts);
      for (let round = 0; round < 2; round++) {
        const d = policy.evaluate(batch);
        ok(wg.wireText(d) === wg.wireText(plain), `policy ${i}: the decision over the batch differs`);
        ok(JSON.stringify(policy.verdicts(batch)) === JSON.stringify(policy.verdicts(metrics, opts)), `policy ${i}: the verdicts differ`);
        ok(JSON.stringify(wg.evaluateVerdicts(doc, batch)) === JSON.stringify(policy.verdicts(batch)), `policy ${i}: evaluateVerdicts(document, batch) differs`);
        ok(wg.wireText(wg.evaluatePolicy(policy, batch, { dialect: 'strict' })) === wg.wireText(plain), `policy ${i}: evaluatePolicy(compiled, batch) differs`);
      }
      // the details of a decision over the batch, read after later evaluations
      ok(JSON.stringify(policy.evaluate(batch)) === JSON.stringify(plain), `policy ${i}: the whole decision differs`);
      policy.free();
    }
    // a change to an array after the batch copied it is not seen (make a new batch for new data)
    const policy = wg.parsePolicy(docs[0]);
    const before = wg.wireText(policy.evaluate(batch));
    for (const x of Object.values(returns_by_strategy)) x.fill(0.001);
    ok(wg.wireText(policy.evaluate(batch)) === before, 'the batch read a changed array again');
    // a qmtl batch: a policy document takes the batch's dialect, a strict policy refuses it
    const q = new wg.StrategyBatch({ a: { sharpe: 1, label: 'x' }, b: { sharpe: 2 } }, { dialect: 'qmtl' });
    ok(q.dialect === 'qmtl', `dialect ${q.dialect}`);
    const qv = wg.evaluateVerdicts({ thresholds: { s: { metric: 'sharpe', min: 1.5 } } }, q);
    ok(show(qv.selected) === show(['b']) && qv.dialect === 'qmtl', `qmtl verdicts ${show(qv)}`);
    for (const [label, call, path, words] of [
      ['a batch of another dialect', () => policy.verdicts(q), '/metrics', 'the batch was read in the `qmtl` dialect'],
      ['options beside a batch', () => policy.evaluate(batch, { previous: ['s1'] }), '/previous', 'carries its own options'],
      ['an unknown option making a batch', () => new wg.StrategyBatch(metrics, { retruns: {} }), '/retruns', 'unknown option'],
      ['metrics that are not an object', () => new wg.StrategyBatch([1, 2]), '/metrics', 'expected'],
      ['a series that is not numbers', () => new wg.StrategyBatch(metrics, { returns_by_strategy: { s0: ['x'] } }), '/returns_by_strategy/s0/0', ''],
      ['an unknown dialect', () => new wg.StrategyBatch(metrics, { dialect: 'qmtll' }), '/dialect', 'unknown dialect'],
    ]) {
      let caught;
      try { call(); } catch (e) { caught = e; }
      ok(caught instanceof wg.WorldgateError && caught.code === 'E_SCHEMA' && caught.path === path && caught.message.includes(words),
        `${label}: expected E_SCHEMA at ${path} (${words}), got ${caught ? `${caught.code} ${caught.path} ${caught.message}` : 'no error'}`);
    }
    q.free();
    batch.free();
    let caught;
    try { policy.verdicts(batch); } catch (e) { caught = e; }
    ok(caught instanceof wg.WorldgateError && caught.code === 'E_SCHEMA' && caught.message.includes('freed'),
      `a freed batch: ${caught ? `${caught.code} ${caught.path} ${caught.message}` : 'no error'}`);
    // engine objects in the wrong place, or freed: E_SCHEMA, and the engine is not reset
    const other = new wg.StrategyBatch(metrics);
    const gone = wg.parsePolicy(docs[0]);
    gone.free();
    const generation = wg.__internal ? wg.__internal.generation() : undefined;
    for (const [label, call, path, words] of [
      ['a freed CompiledPolicy', () => wg.evaluatePolicy(gone, metrics), '', 'freed'],
      ['a batch where a policy stands', () => wg.evaluateVerdicts(other, metrics), '', 'another worldgate object'],
      ['a policy where metrics stand', () => policy.verdicts(policy), '/metrics', 'another worldgate object'],
      ['a freed policy\'s method', () => gone.verdicts(metrics), '', 'freed'],
      ['a freed policy\'s getter', () => gone.dialect, '', 'freed'],
      ['a freed batch\'s getter', () => batch.size, '', 'freed'],
      ['a freed policy as a document to lint', () => wg.lintPolicy(gone), '', 'freed'],
      ['an object with only the batch prototype as metrics', () => policy.verdicts(Object.create(wg.StrategyBatch.prototype)), '/metrics', 'not made by worldgate'],
      ['an object with only the policy prototype as a policy', () => wg.evaluateVerdicts(Object.create(wg.CompiledPolicy.prototype), metrics), '', 'not made by worldgate'],
      ['a getter of an object with only the batch prototype', () => Object.create(wg.StrategyBatch.prototype).size, '', 'not made by worldgate'],
    ]) {
      let e;
      try { call(); } catch (x) { e = x; }
      ok(e instanceof wg.WorldgateError && e.code === 'E_SCHEMA' && e.path === path && e.message.includes(words),
        `${label}: expected E_SCHEMA at ${path} (${words}), got ${e ? `${e.code} ${e.path} ${e.message}` : 'no error'}`);
    }
    const gated = wg.gateBundle('{}', gone);
    ok(gated.type === 'failure' && gated.errors[0].code === 'E_SCHEMA' && gated.errors[0].path === '/policy' && gated.errors[0].message.includes('freed'),
      `gating with a freed CompiledPolicy: ${show(gated)}`);
    gone.free(); // again: nothing happens
    batch.free();
    if (generation !== undefined) ok(wg.__internal.generation() === generation && !wg.__internal.poisoned(), 'the engine was reset');
    ok(policy.verdicts(other).selected.length > 0, 'a live batch after the errors');
    other.free();
    policy.free();
  });

  add('hostile JS values (throwing getters, Proxy traps, cycles, BigInt, symbols, non-strings for text) are E_SCHEMA with a path', () => {
    const cyclic = { thresholds: {} };
    cyclic.thresholds.self = cyclic;
    const { proxy: revoked, revoke } = Proxy.revocable({}, {});
    revoke();
    const faulty = new Map([['sharpe', 1]]);
    faulty.entries = () => { throw new Error('no entries'); };
    let deep = [1];
    for (let i = 0; i < 128; i++) deep = [deep];
    const cases = [
      ['throwing getter', 'parsePolicy', () => wg.parsePolicy({ get top_k() { throw new Error('boom'); } }, {}), ''],
      ['thrown string', 'parsePolicy', () => wg.parsePolicy({ get top_k() { throw 'plain'; } }, {}), ''],
      ['ownKeys trap', 'evaluatePolicy', () => wg.evaluatePolicy({}, new Proxy({}, { ownKeys() { throw new Error('trap'); } }), {}), '/metrics'],
      ['array get trap', 'evaluatePolicy', () => wg.evaluatePolicy({}, { s: { x: new Proxy([1, 2], { get(t, k) { if (k === '1') throw new Error('idx'); return t[k]; } }) } }, {}), '/metrics/s/x'],
      ['cycle', 'parsePolicy', () => wg.parsePolicy(cyclic, {}), null],
      ['BigInt in a series', 'computeMetrics', () => wg.computeMetrics([1n], {}), '/0'],
      ['symbol option', 'computeMetrics', () => wg.computeMetrics([0.1, 0.2], { periods_per_year: Symbol('x') }), '/periods_per_year'],
      ['throwing option getter', 'computeMetrics', () => wg.computeMetrics([0.1], { get window() { throw new Error('boom'); } }), ''],
      ['series get trap', 'computeMetrics', () => wg.computeMetrics(new Proxy([0.1, 0.2], { get(t, k) { if (k === '1') throw new Error('idx'); return t[k]; } }), {}), ''],
      ['series length trap', 'equityCurve', () => wg.equityCurve(new Proxy([0.1], { get(t, k) { if (k === 'length') throw new Error('len'); return t[k]; } }), 100), ''],
      ['returns ownKeys trap', 'evaluatePolicy', () => wg.evaluatePolicy({}, {}, { returns_by_strategy: new Proxy({}, { ownKeys() { throw new Error('trap'); } }) }), '/returns_by_strategy'],
      ['returns getter', 'evaluatePolicy', () => wg.evaluatePolicy({}, {}, { returns_by_strategy: { get a() { throw new Error('boom'); } } }), '/returns_by_strategy'],
      ['returns not an object', 'evaluatePolicy', () => wg.evaluatePolicy({}, {}, { returns_by_strategy: 'x' }), '/returns_by_strategy'],
      // objects that hold no series by key (read as none, they let a qmtl policy skip correlation)
      ['a Set for the returns', 'evaluatePolicy', () => wg.evaluatePolicy({}, {}, { returns_by_strategy: new Set(['a']) }), '/returns_by_strategy'],
      ['a WeakMap for the returns', 'evaluatePolicy', () => wg.evaluatePolicy({}, {}, { returns_by_strategy: new WeakMap() }), '/returns_by_strategy'],
      ['one series for the returns', 'evaluatePolicy', () => wg.evaluatePolicy({}, {}, { returns_by_strategy: new Float64Array(3) }), '/returns_by_strategy'],
      // reads that threw through the wasm frames before the value was read in JS (src/js/tape.js)
      ['revoked Proxy', 'parsePolicy', () => wg.parsePolicy({ thresholds: revoked }, {}), '/thresholds'],
      // one of the package's own objects where plain data stands (tape.js `ENGINE`)
      ...(typeof wg.parsePolicy === 'function' ? [
        ['a StrategyBatch as a document', 'canonicalJson', () => wg.canonicalJson(new wg.StrategyBatch({})), ''],
        ['a CompiledPolicy inside a policy', 'parsePolicy', () => wg.parsePolicy({ thresholds: wg.parsePolicy({}) }), '/thresholds'],
      ] : []),
      ['Map whose entries() throws', 'evaluatePolicy', () => wg.evaluatePolicy({}, { s: faulty }, {}), '/metrics/s'],
      // `Array.isArray` of a revoked Proxy throws: checked where the engine asks it
      ['revoked Proxy for a series', 'computeMetrics', () => wg.computeMetrics(revoked, {}), ''],
      ['revoked Proxy for options', 'computeMetrics', () => wg.computeMetrics([0.1], revoked), ''],
      ['revoked Proxy for the returns', 'evaluatePolicy', () => wg.evaluatePolicy({}, {}, { returns_by_strategy: revoked }), '/returns_by_strategy'],
      ['revoked Proxy for one series', 'evaluatePolicy', () => wg.evaluatePolicy({}, { a: {} }, { returns_by_strategy: { a: revoked } }), '/returns_by_strategy/a'],
      ['revoked Proxy for timestamps', 'computeMetrics', () => wg.computeMetrics([0.1], { timestamps: revoked }), '/timestamps'],
      ['129 nested arrays', 'computeMetrics', () => wg.computeMetrics([0.1], { window: deep }), `/window${'/0'.repeat(128)}`],
      // a text parameter given something else is refused before it reaches wasm (it trapped)
      ['a number for a name', 'schemaFor', () => wg.schemaFor(123), ''],
      ['null for a name', 'schemaFor', () => wg.schemaFor(null), ''],
      ['an object for a digest', 'mintRunId', () => wg.mintRunId({}, 's1'), ''],
      ['an array for a text', 'sanitizeText', () => wg.sanitizeText(['token=abc']), ''],
      // objects that only have a typed array's or ArrayBuffer's prototype: `instanceof` says yes,
      // reading them throws (that threw through the wasm frames and left its stack moved)
      ['a Float64Array in name only', 'computeMetrics', () => wg.computeMetrics(Object.create(Float64Array.prototype), {}), ''],
      ['a Float64Array in name only for a curve', 'equityCurve', () => wg.equityCurve(Object.create(Float64Array.prototype)), ''],
      ['a string for the initial capital', 'equityCurve', () => wg.equityCurve([0.1], '5'), '/initial'],
      ['a BigInt for the initial capital', 'equityCurve', () => wg.equityCurve([0.1], 5n), '/initial'],
      // the options of a one-shot evaluation read through Object.keys, not caught
      ['options ownKeys trap', 'evaluatePolicy', () => wg.evaluatePolicy({}, {}, new Proxy({}, { ownKeys() { throw new Error('trap'); } })), ''],
      ['options dialect getter', 'parsePolicy', () => wg.parsePolicy({}, { get dialect() { throw new Error('boom'); } }), ''],
      ['a number for options', 'evaluatePolicy', () => wg.evaluatePolicy({}, {}, 5), ''],
    ].filter(([, fn]) => typeof wg[fn] === 'function' || !isCore);
    for (const [what, , call, path] of cases) {
      let caught;
      try { call(); } catch (error) { caught = error; }
      ok(caught instanceof wg.WorldgateError && caught.code === 'E_SCHEMA', `${what}: got ${caught && (caught.code ?? caught.stack)}`);
      if (path !== null) ok(caught.path === path, `${what}: path ${caught.path}, expected ${path}`);
    }
    ok(wg.computeMetrics([0.01, -0.02], {}).returns.sample_count === 2, 'the engine works afterwards');
    if (typeof wg.parsePolicy === 'function') {
      let caught;
      try { wg.parsePolicy({ thresholds: new wg.StrategyBatch({}) }); } catch (error) { caught = error; }
      ok(caught && /got a worldgate object/.test(caught.message) && !/__wbg/.test(caught.message), `a batch inside a policy: ${caught && caught.message}`);
      const gated = wg.gateBundle(new wg.StrategyBatch({}), wg.parsePolicy({}));
      ok(gated.type === 'failure' && gated.errors[0].code === 'E_SCHEMA' && !/__wbg/.test(gated.errors[0].message), `a batch as a bundle: ${show(gated)}`);
      // a CompiledPolicy where a document stands reads as its policy document (its toJSON)
      ok(wg.canonicalJson(wg.parsePolicy({ top_k: { metric: 'sharpe', k: 2 } })) === wg.canonicalJson(wg.parsePolicy({ top_k: { metric: 'sharpe', k: 2 } }).toJSON()), 'canonicalJson of a CompiledPolicy');
    }
    // ArrayBuffers in name only read as the (empty) objects they are, thousands of times over:
    // an exception through the wasm frames each time ran the engine's stack out (E_INTERNAL on a sound call)
    const fakeBuffer = Object.create(ArrayBuffer.prototype);
    for (let i = 0; i < 20000; i++) {
      try { wg.validateSnapshot(fakeBuffer); } catch (error) { ok(false, `a fake ArrayBuffer threw ${error && error.message}`); break; }
    }
    ok(wg.computeMetrics([0.01, -0.02], {}).returns.sample_count === 2, 'the engine works after 20,000 fake buffers');
    if (typeof wg.equityCurve === 'function') ok(wg.equityCurve([0.1], null)[0] === 10000, 'equityCurve(returns, null) starts from 10,000');
  });

  add('an unknown option, dialect or profile is E_SCHEMA at its path, in the user\'s words, with a did-you-mean', () => {
    const cases = [
      ['validateDocument', () => wg.validateDocument('{}', { dialect: 'QMTL' }), '/dialect', /^invalid document options: unknown value `QMTL`, expected `strict` or `qmtl`$/, 'did you mean `qmtl`?'],
      ...(isCore ? [] : [['computeMetrics', () => wg.computeMetrics([0.1, 0.2], { profile: 'Strict' }), '/profile', /^unknown value `Strict`, expected `qmtl` or `strict`$/, 'did you mean `strict`?']]),
      ['parsePolicy', () => wg.parsePolicy({}, { dialcet: 'qmtl' }), '/dialcet', /^unknown option `dialcet`$/, 'did you mean `dialect`?'],
      ['presetPolicy', () => wg.presetPolicy('moderate', { dialect: 'qmtl', strict: true }), '/strict', /^unknown option `strict`$/, undefined],
      ['evaluatePolicy', () => wg.evaluatePolicy({}, {}, { previuos: [] }), '/previuos', /^unknown option `previuos`$/, 'did you mean `previous`?'],
      ['parsePolicy', () => wg.parsePolicy({}, 'qmtl'), '', /^options must be an object$/, undefined],
    ].filter(([fn]) => typeof wg[fn] === 'function');
    for (const [fn, call, path, message, help] of cases) {
      let caught;
      try { call(); } catch (error) { caught = error; }
      ok(caught instanceof wg.WorldgateError && caught.code === 'E_SCHEMA' && caught.path === path && message.test(caught.message) && caught.help === help,
        `${fn}: got ${caught ? `${caught.code} ${caught.path} ${caught.message} (${caught.help})` : 'no error'}`);
    }
    if (typeof wg.parsePolicy === 'function') ok(wg.parsePolicy({}, { dialect: 'qmtl' }).dialect === 'qmtl', 'dialect: qmtl is read');
  });

  add('objects with the keys of the last flat one cross without their keys (tape.js `SAME`), read back as written', () => {
    if (isCore) return { skip: 'the core entry has no policy engine' };
    const policy = wg.parsePolicy({ thresholds: { s: { metric: 'sharpe', min: 0 }, d: { metric: 'max_drawdown', max: 0.3 } }, top_k: { metric: 'sharpe', k: 3 }, hysteresis: { metric: 'sharpe', enter: 0.6, exit: 0.4, min_dwell: 2 } });
    // metrics blocks in runs of one shape, the shape changing (the same keys in another order
    // included), `undefined` read as `null`, and a nested block between them: the verdicts of the blocks with one key order
    const metrics = {}, sorted = {};
    for (let i = 0; i < 12; i++) {
      const m = { sharpe: (i % 5) - 1.5, max_drawdown: (i % 4) / 10, note: i % 2 ? undefined : 'x' };
      sorted[`s${i}`] = { ...m, note: m.note ?? null };
      metrics[`s${i}`] = i % 4 === 3 ? { max_drawdown: m.max_drawdown, note: m.note, sharpe: m.sharpe } : i === 6 ? { returns: { ...m } } : m;
    }
    const v = policy.verdicts(metrics);
    ok(JSON.stringify(v) === JSON.stringify(policy.verdicts(sorted)), 'verdicts depend on the blocks\' key order');
    // a previous state (flat entries of one shape, `since` null or a number, one entry's keys in
    // another order) read as the same state written with every entry's keys in
    // its own order (no entry then repeats the last one's keys)
    const state = JSON.parse(JSON.stringify(v.state));
    const ids = Object.keys(state.strategies);
    state.strategies[ids[0]].since = 3;
    const { active, passes, fails, since } = state.strategies[ids[1]];
    state.strategies[ids[1]] = { since, fails, passes, active };
    const shuffled = { epoch: state.epoch, strategies: {} };
    ids.forEach((id, k) => {
      const e = Object.entries(state.strategies[id]);
      for (let r = 0; r < k % e.length; r++) e.push(e.shift());
      shuffled.strategies[id] = Object.fromEntries(e);
    });
    const next = policy.verdicts(metrics, { previous: state });
    ok(JSON.stringify(next) === JSON.stringify(policy.verdicts(metrics, { previous: shuffled })), 'a repeated-shape state reads differently');
    ok(next.state.epoch === v.state.epoch + 1 && next.state.strategies[ids[0]].since !== null, `next state ${show(next.state)}`);
    // a failure inside a block written without its keys names the key
    let caught;
    try { policy.verdicts({ a: { sharpe: 1, n: 1n }, b: { sharpe: 2, n: 2n ** 70n } }); } catch (e) { caught = e; }
    ok(caught instanceof wg.WorldgateError && caught.code === 'E_SCHEMA' && caught.path === '/metrics/b/n',
      `a BigInt out of range in a repeated block: ${caught ? `${caught.code} ${caught.path} ${caught.message}` : 'no error'}`);
  });

  add('a detached buffer reads as empty input (its length is 0), never a TypeError through the engine', () => {
    const detached = (Type) => { const ab = new ArrayBuffer(64); const a = new Type(ab); structuredClone(ab, { transfer: [ab] }); return a; };
    if (typeof wg.computeMetrics === 'function') {
      ok(wg.computeMetrics(detached(Float64Array), {}).returns.sample_count === 0, 'a detached Float64Array: no samples');
      ok(wg.computeMetrics(detached(Float32Array), {}).returns.sample_count === 0, 'a detached Float32Array: no samples');
    }
    if (typeof wg.validateBundle === 'function') {
      for (const input of [detached(Uint8Array), detached(Uint8Array).buffer]) {
        const v = wg.validateBundle(input);
        ok(v.ok === false && v.errors[0].code === 'E_PARSE', `a detached ${input.constructor.name}: ${show(v.errors?.[0])}`);
      }
    }
    if (typeof wg.parsePolicy === 'function' && !isCore) {
      const policy = wg.parsePolicy({ correlation: { max: 0.5 } });
      const returns_by_strategy = { a: detached(Float64Array), b: new Float64Array([0.01, 0.02, -0.01]) };
      const v = policy.verdicts({ a: { sharpe: 1 }, b: { sharpe: 2 } }, { returns_by_strategy });
      const d = policy.evaluate({ a: { sharpe: 1 }, b: { sharpe: 2 } }, { returns_by_strategy });
      ok(JSON.stringify(v.selected) === JSON.stringify(d.selected) && v.selected.length === 2, `selected ${show(v.selected)}`);
    }
  });

  add('JS values cross as JSON: strings (non-ASCII, lone surrogates, even where two strings meet), BigInts at the 64-bit bounds', () => {
    if (typeof wg.qmtlError !== 'function') return { skip: '`qmtlError` (which echoes its input) is not exported by this entry' };
    // each lone surrogate becomes U+FFFD, as alone, also when the next string begins with the other half
    const errors = [
      { code: 'E_SCHEMA', message: 'a\uD83D', path: '\uDE00b', help: 'é😀日本\uD83D' },
      { code: 'E_SCHEMA', message: '', path: '\uDE00' },
    ];
    const got = wg.qmtlError(errors).body.detail;
    const want = { code: 'E_SCHEMA', message: 'a\uFFFD', path: '\uFFFDb', help: 'é😀日本\uFFFD' };
    ok(JSON.stringify(got) === JSON.stringify(want), `qmtlError echoed ${show(got)}`);
    const big = (message) => { try { wg.qmtlError([{ code: 'E_SCHEMA', message, path: '' }]); return 'no error'; } catch (e) { return `${e.code} ${e.path} ${e.message}`; } };
    // a BigInt within i64/u64 is a JSON number (then refused as a message: a schema error of its own)
    for (const n of [-(2n ** 63n), 2n ** 64n - 1n]) {
      ok(big(n) === `E_SCHEMA /0/message invalid errors: expected a string, found \`${n}\``, `${n}: ${big(n)}`);
    }
    for (const n of [-(2n ** 63n) - 1n, 2n ** 64n]) {
      ok(big(n) === 'E_SCHEMA /0/message invalid errors: cannot read value: a BigInt outside the 64-bit range', `${n}: ${big(n)}`);
    }
  });

  add('computeMetrics with profile qmtl reproduces QMTL\'s v1.5 cases', () => {
    if (typeof wg.computeMetrics !== 'function') return { skip: '`computeMetrics` is not exported yet' };
    if (env.entry === 'core') return { skip: 'the v1.5 profiles are not part of worldgate/core' };
    const doc = env.qmtlMetricCases;
    if (!doc) return { skip: 'the harness gave no qmtl-metric-cases.json' };
    ok(doc.cases.length >= 10, `only ${doc.cases.length} cases`);
    const problems = [];
    // QMTL's value: 1e-12 relative (exact for integers), null (or left out by QMTL) = null.
    const compare = (path, expected, got) => {
      if (expected !== null && typeof expected === 'object') {
        for (const [k, e] of Object.entries(expected)) compare(`${path}.${k}`, e, got == null ? null : got[k] ?? null);
      } else if (expected === null) {
        if (got !== null) problems.push(`${path}: expected null, got ${show(got)}`);
      } else if (Number.isInteger(expected) && !String(expected).includes('.')) {
        if (got !== expected) problems.push(`${path}: expected ${expected}, got ${show(got)}`);
      } else if (typeof got !== 'number' || Math.abs(got - expected) > 1e-12 * Math.abs(expected)) {
        problems.push(`${path}: expected ${expected}, got ${show(got)}`);
      }
    };
    for (const c of doc.cases) {
      const returns = decodeSeries(c.inputs.returns);
      const m = wg.computeMetrics(returns, {
        profile: 'qmtl', periods_per_year: c.inputs.periods_per_year, search_intensity: c.inputs.search_intensity,
      });
      compare(c.name, c.expected.metrics, m);
      ok(m.diagnostics.metrics_profile === 'qmtl', `${c.name}: profile ${m.diagnostics.metrics_profile}`);
    }
    ok(problems.length === 0, problems.join('\n'));
  });

  add('numeric timestamps: bad values are E_INVALID_VALUE / E_SCHEMA at /timestamps/<i>', () => {
    const day = 86_400_000;
    const t0 = Date.UTC(2024, 0, 1);
    const r = new Float64Array([0.01, -0.02, 0.03]);
    const good = new Float64Array([t0, t0 + day, t0 + 2 * day]);
    const expectError = (label, call, code, path) => {
      const got = outcomeCode(wg, call);
      ok(got.thrown && got.code === code && got.path === path, `${label}: expected ${code} at ${path}, got ${got.code ?? 'a result'} at ${got.path}`);
    };
    const cases = [
      ['NaN', Float64Array.from([t0, NaN, t0 + 2 * day]), 'E_INVALID_VALUE', '/timestamps/1'],
      ['Infinity', [t0, t0 + day, Infinity], 'E_INVALID_VALUE', '/timestamps/2'],
      ['null in numbers', [t0, null, t0 + 2 * day], 'E_INVALID_VALUE', '/timestamps/1'],
      ['a string among numbers', [t0, '2024-01-02T00:00:00Z', t0 + 2 * day], 'E_SCHEMA', '/timestamps/1'],
      ['a number among strings', ['2024-01-01T00:00:00Z', t0 + day, t0 + 2 * day], 'E_SCHEMA', '/timestamps/1'],
      ['fractional', Float64Array.from([t0, t0 + day + 0.5, t0 + 2 * day]), 'E_INVALID_VALUE', '/timestamps/1'],
      ['decreasing', Float64Array.from([t0, t0 - day, t0 + 2 * day]), 'E_INVALID_VALUE', '/timestamps/1'],
      ['past 9999', Float64Array.from([t0, t0 + day, 253402300800000]), 'E_INVALID_VALUE', '/timestamps/2'],
      ['too few', Float64Array.from([t0, t0 + day]), 'E_INVALID_VALUE', '/timestamps'],
    ];
    const full = typeof wg.computeReport === 'function';
    for (const [label, ts, code, path] of cases) {
      // the metrics' own checks of strings (a number among strings) are the wire's: E_SCHEMA there too
      expectError(`computeMetrics ${label}`, () => wg.computeMetrics(r, { timestamps: ts }), code, path);
      expectError(`computeCalendar ${label}`, () => wg.computeCalendar(r, ts), code, path);
      if (full) expectError(`computeReport ${label}`, () => wg.computeReport(r, { timestamps: ts }), code, path);
    }
    expectError('computeCalendar of an object', () => wg.computeCalendar(r, { 0: t0 }), 'E_SCHEMA', '/timestamps');
    // a good numeric axis reads as its strings
    const strings = Array.from(good, (ms) => new Date(ms).toISOString().replace('.000Z', 'Z'));
    ok(deepEqual(wg.computeMetrics(r, { timestamps: good }), wg.computeMetrics(r, { timestamps: strings })), 'computeMetrics: ms and strings differ');
    ok(deepEqual(wg.computeCalendar(r, Array.from(good)), wg.computeCalendar(r, strings)), 'computeCalendar: number[] and strings differ');
    return undefined;
  });

  add('bundleSeries hands each dated axis out as epoch milliseconds; they date a report as the strings do', () => {
    if (typeof wg.bundleSeries !== 'function') return { skip: '`bundleSeries` is not exported yet' };
    const bundle = { bundle_version: 1, world_id: 'w', submissions: [
      { strategy_id: 'a', returns: [0.01, -0.02, 0.03], timestamps: ['2024-02-28T00:00:00Z', '2024-02-29T12:00:00.250Z', '2024-03-01T00:00:00+00:00'] },
      { strategy_id: 'b', returns: [0.01, 0.02], index: { start: '2024-01-31T00:00:00Z', frequency: '1M' } },
      { strategy_id: 'c', returns: [0.01] },
    ] };
    const s = wg.bundleSeries(JSON.stringify(bundle), {});
    const want = { a: ['2024-02-28T00:00:00Z', '2024-02-29T12:00:00.250Z', '2024-03-01T00:00:00Z'], b: ['2024-01-31T00:00:00Z', '2024-02-29T00:00:00Z'] };
    ok(deepEqual(Object.keys(s.timestamps), ['a', 'b']), `dated entries ${show(Object.keys(s.timestamps ?? {}))}`);
    for (const [id, strings] of Object.entries(want)) {
      ok(s.timestamps[id] instanceof Float64Array, `${id}: not a Float64Array`);
      ok(deepEqual(Array.from(s.timestamps[id]), strings.map((t) => Date.parse(t))), `${id}: ${show(Array.from(s.timestamps[id]))}`);
    }
    const a = wg.computeReport(s.returns.a, { timestamps: s.timestamps.a, rolling_windows: [2] });
    ok(deepEqual(a, wg.computeReport(s.returns.a, { timestamps: want.a, rolling_windows: [2] })), 'the report dated by the handed-out axis differs');
    return undefined;
  });

  add('computeMetrics profiles: strict names its nulls, an unknown profile is E_SCHEMA at /profile', () => {
    if (typeof wg.computeMetrics !== 'function') return { skip: '`computeMetrics` is not exported yet' };
    const profileError = (bad) => {
      let caught;
      try { wg.computeMetrics([0.01], { profile: bad }); } catch (error) { caught = error; }
      ok(caught instanceof wg.WorldgateError && caught.code === 'E_SCHEMA' && caught.path === '/profile',
        `profile ${show(bad)}: ${caught && (caught.code + ' ' + caught.path)}`);
    };
    if (env.entry === 'core') {
      // The core has no v1.5 set: `profile` is an unknown option there, never ignored.
      profileError('qmtl');
      return;
    }
    const s = wg.computeMetrics([0.01, 0.01, 0.01], { profile: 'strict' });
    ok(s.returns.sharpe === null && typeof s.diagnostics.reasons['returns.sharpe'] === 'string',
      `strict constant series: ${show(s.returns)} ${show(s.diagnostics)}`);
    const r = wg.computeMetrics([0.01, -0.01, 0.02, 0.0], { profile: 'strict' });
    ok(Math.abs(r.returns.sharpe - Math.sqrt(0.15 * 252)) < 1e-13 * Math.sqrt(37.8), `strict sharpe ${r.returns.sharpe}`);
    ok(Math.abs(r.returns.sharpe_per_period - Math.sqrt(0.15)) < 1e-14, `per period ${r.returns.sharpe_per_period}`);
    // Without a profile: today's blocks, unchanged.
    ok(wg.computeMetrics([0.01, -0.02], {}).returns.sample_count === 2, 'no profile: worldgate blocks');
    for (const bad of ['fast', 'QMTL', 1, null]) profileError(bad);
  });

  for (const { file, data } of env.vectors) {
    if (file.startsWith('bad/')) { add(`bad ${data.name ?? file}`, badCheck(wg, data, env)); continue; }
    if (file.startsWith('digest/')) { add(`digest ${data.name ?? file}`, digestCheck(wg, data)); continue; }
    if (file.startsWith('sanitize/')) { add(`sanitize ${data.name ?? file}`, sanitizeCheck(wg, data)); continue; }
    if (file.startsWith('report/')) {
      for (const { name, c } of expandCases(file, data)) add(`report ${name}`, reportCheck(wg, c));
      continue;
    }
    const isPolicy = file.startsWith('policy/') && data && typeof data === 'object' && 'expected' in data
      && ('policy' in data || 'policy_yaml' in data || 'policy_text' in data || 'preset' in data);
    if (isPolicy) add(`vector ${file}`, policyCheck(wg, data));
    else for (const { name, c } of expandCases(file, data)) add(`vector ${name}`, vectorCheck(wg, c));
  }
  if (!isCore) return checks;
  // the core entry lacks the engine's functions by design, not "yet"
  return checks.map(({ name, run }) => ({
    name,
    run: async () => {
      const r = await run();
      return r && r.skip ? { skip: r.skip.replace('is not exported yet', 'is not part of worldgate/core') } : r;
    },
  }));
}

export async function runChecks(checks) {
  const results = [];
  for (const { name, run } of checks) {
    try {
      const r = await run();
      results.push(r && r.skip ? { name, status: 'skip', detail: r.skip } : { name, status: 'pass' });
    } catch (error) {
      results.push({ name, status: 'fail', detail: error instanceof CheckFailure ? error.message : String(error && error.stack || error) });
    }
  }
  return results;
}

/** One line per result and a summary; returns the number of failures. */
export function report(label, results, print = console.log) {
  for (const r of results) {
    const mark = { pass: 'ok  ', fail: 'FAIL', skip: 'skip' }[r.status];
    print(`  ${mark} [${label}] ${r.name}${r.detail ? ` — ${r.detail}` : ''}`);
  }
  const count = (s) => results.filter((r) => r.status === s).length;
  print(`[${label}] ${count('pass')} passed, ${count('fail')} failed, ${count('skip')} skipped`);
  return count('fail');
}
