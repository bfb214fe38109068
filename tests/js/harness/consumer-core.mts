// Type-checks the core entry's declarations as an ESM TypeScript consumer sees them.
declare const console: { log(...args: unknown[]): void };
import {
  init, ready, computeMetrics, returnsFromPrices, schemaFor, validateSnapshot, version, WorldgateError,
  type Code, type EvaluationMetrics, type Snapshot,
} from 'worldgate/core';

await init();
await ready;
const v: string = version();
const schema: string | undefined = schemaFor('snapshot');
const report = validateSnapshot('{}');
const m: EvaluationMetrics = computeMetrics(new Float64Array([0.01, -0.02]), { periods_per_year: 252 });

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
