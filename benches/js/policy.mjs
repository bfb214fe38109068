// Policy evaluation in Node through the package API: `parsePolicy(doc).evaluate(metrics,
// {returns_by_strategy})` (the compiled handle) for the cases of benches/policy.rs, and the
// one-shot `evaluatePolicy` at 1,000 strategies. Series cross as Float64Array views of the same
// bytes the native bench reads. The decision's members are parsed when first read, so each row
// says what the caller reads:
//   wasm       evaluate, then read `selected` and every strategy's `verdict`, `rank` and `weight`
//              (what a caller acting on the decision reads);
//   wasm-full  evaluate, then read every member of the decision down to the leaves (full
//              materialisation: rule results, explanations, violations, state, notes);
//   wasm-text  evaluate, then take the decision's JSON text with `wireText` (what a service
//              storing or forwarding the decision does);
//   wasm-verdicts  `policy.verdicts(metrics, opts)` (the decision without per-strategy details,
//              as plain data), then read what the `wasm` row reads: like for like with the
//              native summary (`policy::wire::evaluate_summary_wire`).
//   wasm-batch  `policy.verdicts(batch)` over a `StrategyBatch` of the same metrics and options,
//              read once beforehand (as native evaluates a prepared input), then read what the
//              `wasm` row reads; `wasm-batch-make` times reading the batch (`new
//              StrategyBatch(metrics, opts)`, then `free()`).
//   wasm-table  `policy.verdictTable(batch)`: the same verdicts as columns (typed arrays beside
//              the ids, no object per strategy), then read what the `wasm` row reads.
// Prints one JSON line per case.
import { readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { measureAsync, readF64, emit, dataDir } from './timing.mjs';

const pkg = process.env.WG_PKG ?? new URL('../../pkg/node.js', import.meta.url).href;
const wg = await import(pkg);
const contender = process.env.WG_CONTENDER ?? 'wasm';
const labelPrefix = process.env.WG_LABEL ?? 'worldgate wasm in Node';

const LEN = 1440;
const series = readF64('policy-series.f64');
const all = JSON.parse(readFileSync(join(dataDir(), 'policy-metrics.json'), 'utf8'));
const sizes = (process.env.WG_BENCH_POLICY_SIZES ?? '10,100,1000,5000').split(',').map(Number);

// The two policies of benches/policy.rs.
const thresholds = {
  sharpe: { metric: 'sharpe', min: 0.0 },
  dd: { metric: 'max_drawdown', max: 0.5 },
};
const policies = [
  ['top_k 50', { thresholds, top_k: { metric: 'sharpe', k: 50 }, correlation: { max: 0.25 } }],
  ['no top_k', { thresholds, correlation: { max: 0.25 } }],
];

/** sha256 (hex) of the selected ids joined by newlines, as benches/policy.rs computes it. */
const digest = (ids) => createHash('sha256').update(ids.join('\n')).digest('hex');

function inputs(n) {
  const metrics = {}, returns = {};
  all.slice(0, n).forEach((s, i) => {
    metrics[s.id] = { sharpe: s.sharpe, max_drawdown: s.max_drawdown, win_rate: s.win_rate };
    returns[s.id] = series.subarray(i * LEN, (i + 1) * LEN);
  });
  return { metrics, returns };
}

/** What a caller acting on the decision reads: the selection and each strategy's verdict,
 *  rank and weight. */
export function readVerdicts(d) {
  let sink = d.selected.length;
  const strategies = d.strategies;
  for (const id in strategies) {
    const s = strategies[id];
    if (s.verdict === 'valid') sink += 1;
    sink += (s.rank ?? 0) + (s.weight ?? 0);
  }
  return sink;
}

/** `readVerdicts` of a `VerdictTable`: the selection, and each row's id, verdict (by its
 *  name), rank and weight (`null` where the verdicts have it: rank 0, weight NaN). */
export function readTable(t) {
  let sink = t.selected.length;
  const { ids, verdict, rank, weight, verdict_names: names } = t;
  for (let i = 0; i < ids.length; i += 1) {
    if (names[verdict[i]] === 'valid') sink += 1;
    const r = rank[i], w = weight[i];
    sink += ids[i].length + (r === 0 ? 0 : r) + (w !== w ? 0 : w);
  }
  return sink;
}

/** Every member down to the leaves (full materialisation). */
export function readAll(v) {
  if (v === null || typeof v !== 'object') return 1;
  let n = 0;
  if (Array.isArray(v)) for (const x of v) n += readAll(x);
  else for (const k in v) n += readAll(v[k]);
  return n;
}

const wireText = typeof wg.wireText === 'function' ? wg.wireText : JSON.stringify;
const reads = [
  ['', 'evaluate + read selected and each verdict, rank, weight', readVerdicts],
  ['-full', 'evaluate + read every member (full materialisation)', readAll],
  ['-text', 'evaluate + the decision\'s JSON text (wireText)', (d) => wireText(d).length],
];

// `WG_BENCH_POLICY=<name>` runs one policy (e.g. `top_k 50`), as benches/policy.rs does.
const only = process.env.WG_BENCH_POLICY;
for (const [name, doc] of policies) {
  if (only && only !== name) continue;
  const policy = wg.parsePolicy(doc, { dialect: 'strict' });
  // The verdicts call: plain data, nothing deferred (no reader habit to learn, no source kept).
  if (typeof policy.verdicts === 'function') {
    for (const n of sizes) {
      const { metrics, returns } = inputs(n);
      const opts = { returns_by_strategy: returns };
      const v = policy.verdicts(metrics, opts);
      const timing = await measureAsync(() => readVerdicts(policy.verdicts(metrics, opts)));
      emit({
        area: 'policy', case: `${name} × ${n}`, policy: name, strategies: n, contender: `${contender}-verdicts`,
        label: `${labelPrefix} (parsePolicy(…).verdicts): verdicts + read selected and each verdict, rank, weight`, timing,
        selected: v.selected.length, first_selected: v.selected.slice(0, 5), ruleset_hash: v.ruleset_hash, selected_digest: digest(v.selected),
      });
      if (typeof wg.StrategyBatch !== 'function') continue;
      const make = await measureAsync(() => new wg.StrategyBatch(metrics, opts).free());
      emit({
        area: 'policy', case: `${name} × ${n}`, policy: name, strategies: n, contender: `${contender}-batch-make`,
        label: `${labelPrefix} (new StrategyBatch(metrics, opts), then free())`, timing: make,
      });
      const batch = new wg.StrategyBatch(metrics, opts);
      const b = policy.verdicts(batch);
      const timing2 = await measureAsync(() => readVerdicts(policy.verdicts(batch)));
      emit({
        area: 'policy', case: `${name} × ${n}`, policy: name, strategies: n, contender: `${contender}-batch`,
        label: `${labelPrefix} (parsePolicy(…).verdicts(batch), the batch read once): verdicts + read selected and each verdict, rank, weight`, timing: timing2,
        selected: b.selected.length, first_selected: b.selected.slice(0, 5), ruleset_hash: b.ruleset_hash, selected_digest: digest(b.selected),
      });
      if (typeof policy.verdictTable === 'function') {
        const t = policy.verdictTable(batch);
        const timing3 = await measureAsync(() => readTable(policy.verdictTable(batch)));
        emit({
          area: 'policy', case: `${name} × ${n}`, policy: name, strategies: n, contender: `${contender}-table`,
          label: `${labelPrefix} (parsePolicy(…).verdictTable(batch), the batch read once): the verdicts as columns + read selected and each id, verdict, rank, weight`, timing: timing3,
          selected: t.selected.length, first_selected: t.selected.slice(0, 5), ruleset_hash: t.ruleset_hash, selected_digest: digest(t.selected),
        });
      }
      batch.free();
    }
  }
  // One kind of reader at a time over every size, the verdicts' first: the package writes a
  // policy's decisions whole at once once its callers have read details (README § JavaScript),
  // so a detail-reading row before a verdicts row would time whole decisions in that row.
  for (const [suffix, what, read] of reads) {
    if (suffix && process.env.WG_SKIP_ONESHOT) continue; // the O3 variant: the headline row only
    for (const n of sizes) {
      const { metrics, returns } = inputs(n);
      const opts = { returns_by_strategy: returns };
      const d = policy.evaluate(metrics, opts);
      // Between samples the process returns to the event loop, as a service does between
      // requests: a decision's details are written when first read from sources the engine keeps
      // until the decision is collected (README § JavaScript); a loop that never returns to the
      // event loop fills their 32 MiB budget and then gets whole decisions, main's cost.
      const timing = await measureAsync(() => read(policy.evaluate(metrics, opts)));
      emit({
        area: 'policy', case: `${name} × ${n}`, policy: name, strategies: n, contender: `${contender}${suffix}`,
        label: `${labelPrefix} (parsePolicy(…).evaluate): ${what}`, timing,
        selected: d.selected.length, first_selected: d.selected.slice(0, 5), ruleset_hash: d.ruleset_hash, selected_digest: digest(d.selected),
        // the text read only where the row reads it anyway (a read marks the policy's callers
        // as detail readers)
        bytes: suffix === '-text' ? wireText(d).length : undefined,
      });
    }
  }
}

// One-shot API (parses the policy on every call), at 1,000 strategies with top-k.
if (sizes.includes(1000) && !process.env.WG_SKIP_ONESHOT) {
  const [name, doc] = policies[0];
  const { metrics, returns } = inputs(1000);
  const opts = { returns_by_strategy: returns, dialect: 'strict' };
  const d = wg.evaluatePolicy(doc, metrics, opts);
  const timing = await measureAsync(() => readVerdicts(wg.evaluatePolicy(doc, metrics, opts)));
  emit({
    area: 'policy', case: `${name} × 1000 (evaluatePolicy)`, policy: name, strategies: 1000,
    contender: `${contender}-oneshot`, label: `${labelPrefix} (evaluatePolicy, parses per call; reads as the headline row)`, timing,
    selected: d.selected.length, first_selected: d.selected.slice(0, 5), ruleset_hash: d.ruleset_hash, selected_digest: digest(d.selected),
  });
}
