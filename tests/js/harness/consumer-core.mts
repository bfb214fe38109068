// Type-checks the core entry's declarations as an ESM TypeScript consumer sees them.
declare const console: { log(...args: unknown[]): void };
import {
  init, ready, computeMetrics, returnsFromPrices, schemaFor, validateSnapshot, version, WorldgateError,
  type Code, type EvaluationMetrics, type Snapshot, type V15Metrics,
} from 'worldgate/core';

await init();
await ready;
const v: string = version();
const schema: string | undefined = schemaFor('snapshot');
const report = validateSnapshot('{}');
const m: EvaluationMetrics = computeMetrics(new Float64Array([0.01, -0.02]), { periods_per_year: 252 });
// With a profile: QMTL's v1.5 document, typed (no `any`).
const q: V15Metrics = computeMetrics([0.01, null, -0.02], { profile: 'qmtl', search_intensity: 20 });
const qs: number | null = q.returns.sharpe;
const qn: number | null = q.sample.n_trades_total;
console.log(qs, qn, q.diagnostics.metrics_profile);
const r: Float64Array = returnsFromPrices([1, 2, 3], 'log');
const metrics: EvaluationMetrics = {};
declare const snapshot: Snapshot;
try {
  version();
} catch (error) {
  if (error instanceof WorldgateError) {
    const code: Code = error.code;
    console.log(code, error.path);
  }
}
console.log(v, schema, report, m, r, metrics, snapshot.snapshot_id);
