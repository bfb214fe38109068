// Type-checks the package's declarations as an ESM TypeScript consumer sees them.
declare const console: { log(...args: unknown[]): void };
import {
  init, ready, computeMetrics, computeReport, schemaFor, schemaNames, validateSnapshot, version, WorldgateError,
  type Code, type Error as WireError, type Snapshot, type EvaluationMetrics, type Num, type V15Metrics,
  type Report, type JsReport,
} from 'worldgate';

await init();
await ready;
const v: string = version();
const names: string[] = schemaNames();
const schema: string | undefined = schemaFor('snapshot');
const report = validateSnapshot('{}');
const inf: Num = '+inf';
const metrics: EvaluationMetrics = {};
declare const snapshot: Snapshot;
const id: string = snapshot.snapshot_id;
try {
  version();
} catch (error) {
  if (error instanceof WorldgateError) {
    const code: Code = error.code;
    const path: string = error.path;
    const help: string | undefined = error.help;
    const all: WireError[] = error.errors;
    console.log(code, path, help, all.length, error.message, error.toJSON());
  }
}
// computeMetrics: worldgate's blocks without a profile, QMTL's v1.5 document with one (typed).
const blocks: EvaluationMetrics = computeMetrics(new Float64Array([0.01, -0.02]), { periods_per_year: 252 });
const q: V15Metrics = computeMetrics([0.01, null, -0.02], { profile: 'qmtl', search_intensity: 20 });
const qs: number | null = q.returns.sharpe;
const qn: number | null = q.sample.n_trades_total;
console.log(v, names, schema, report, inf, metrics, id, blocks, qs, qn, q.diagnostics.metrics_profile);
// computeReport: the quant's report, the benchmark as a typed array (typed, no `any`).
const rep: JsReport = computeReport(new Float64Array([0.01, -0.02, 0.03]), {
  rolling_windows: [2], top_drawdowns: 3, benchmark: new Float64Array([0.0, -0.01, 0.02]),
  timestamps: new Float64Array([Date.UTC(2024, 0, 1), Date.UTC(2024, 0, 2), Date.UTC(2024, 0, 3)]),
});
const beta: Num | null | undefined = rep.relative?.beta;
// The rolling series are Float64Arrays (NaN where the wire has null).
const sharpeSeries: Float64Array = rep.rolling.windows[0]!.sharpe;
const firstSharpe: number | undefined = sharpeSeries[1];
// The rest of the report is the wire type.
const wireWindow: Omit<Report['rolling']['windows'][number], 'sharpe' | 'volatility' | 'sortino'> = rep.rolling.windows[0]!;
console.log(rep.drawdowns.count, beta, firstSharpe, wireWindow.window, rep.distribution.reasons);
