// The package's functions take and return the generated wire types: wrong option names and
// wrong result fields are compile errors (each `@ts-expect-error` must hold, or tsc fails).
import {
  computeCalendar, computeMetrics, computeReport, bundleSeries, evaluatePolicy, evaluateVerdicts, gateBundle, parsePolicy, presetPolicy, validateBundle,
  validateDocument, diffSnapshots, transition, StrategyBatch,
  type Answer, type Calendar, type JsReport, type Decision, type Verdicts, type VerdictTable, type EvaluationMetrics, type GateResult, type Run, type Validation,
} from 'worldgate';

declare const console: { log(...args: unknown[]): void };

const m: EvaluationMetrics = computeMetrics([0.01, -0.02, 0.003], { periods_per_year: 252 });
computeMetrics(new Float64Array(3));
// @ts-expect-error: an option that does not exist
computeMetrics([0.01], { periods_per_yaer: 252 });
// @ts-expect-error: a wrong option type
computeMetrics([0.01], { risk_free: '2%' });
// @ts-expect-error: a result field that does not exist
console.log(m.returns?.sharpe_ratio);
const sharpe: number | string | null | undefined = m.returns?.sharpe;

// Time axes: RFC 3339 strings or epoch milliseconds (a Float64Array or numbers), nothing else.
const ms = new Float64Array([Date.UTC(2024, 0, 1), Date.UTC(2024, 0, 2), Date.UTC(2024, 0, 3)]);
computeMetrics([0.01, -0.02, 0.003], { timestamps: ms });
computeMetrics([0.01, -0.02, 0.003], { timestamps: ['2024-01-01T00:00:00Z', '2024-01-02T00:00:00Z', '2024-01-03T00:00:00Z'] });
const cal: Calendar = computeCalendar([0.01, -0.02, 0.003], Array.from(ms));
// @ts-expect-error: a Date is not a timestamp (give `getTime()`)
computeCalendar([0.01], [new Date()]);
// @ts-expect-error: timestamps are an array, not one string
computeMetrics([0.01], { timestamps: '2024-01-01T00:00:00Z' });
// The report's rolling series are Float64Arrays, the rest the wire type.
const rep: JsReport = computeReport([0.01, -0.02, 0.003], { timestamps: ms, rolling_windows: [2] });
const vol: Float64Array = rep.rolling.windows[0]!.volatility;
// @ts-expect-error: a rolling series is not the wire's (number | null)[]
const wire: (number | null)[] = rep.rolling.windows[0]!.sortino;
const withReport = computeMetrics([0.01, -0.02, 0.003], { timestamps: ms, report: { rolling_windows: [2], benchmark_timestamps: ms, benchmark: [0, 0, 0] } });
const sortino: Float64Array = withReport.report.rolling.windows[0]!.sortino;
// bundleSeries hands the axes out as epoch milliseconds.
const axis: Float64Array | undefined = bundleSeries('{}').timestamps?.['a'];
// @ts-expect-error: not strings any more
const axisText: string[] | undefined = bundleSeries('{}').timestamps?.['a'];
console.log(cal, vol, wire, sortino, axis, axisText);

const policy = parsePolicy('top_k: { metric: sharpe, k: 1 }', { dialect: 'strict' });
// @ts-expect-error: an unknown dialect
parsePolicy('{}', { dialect: 'qmtll' });
const d1: Decision = policy.evaluate({ a: { sharpe: 1 } }, { previous: ['a'] });
const d2: Decision = evaluatePolicy(policy, { a: { sharpe: 1 } });
const d3: Decision = evaluatePolicy('top_k: { metric: sharpe, k: 1 }', { a: { sharpe: 1 } }, { dialect: 'qmtl' });
// @ts-expect-error: an option of evaluatePolicy that does not exist
evaluatePolicy(policy, {}, { prev: ['a'] });
// @ts-expect-error: a decision field that does not exist
console.log(d1.selected_ids);
const selected: string[] = d2.selected;
// The verdicts: the decision without each strategy's details, same options.
const v1: Verdicts = policy.verdicts({ a: { sharpe: 1 } }, { previous: d1.state });
const v2: Verdicts = evaluateVerdicts('top_k: { metric: sharpe, k: 1 }', { a: { sharpe: 1 } }, { dialect: 'qmtl' });
const rank: number | null = v1.strategies['a']!.rank;
// @ts-expect-error: the verdicts carry no per-strategy details
console.log(v1.strategies['a']!.explanations);
// @ts-expect-error: an option of verdicts that does not exist
policy.verdicts({}, { prev: ['a'] });
console.log(v2.selected, rank);
// A batch: metrics and options read once, evaluated by many policies.
const batch = new StrategyBatch({ a: { sharpe: 1 } }, { returns_by_strategy: { a: new Float64Array(3) }, dialect: 'strict' });
const v3: Verdicts = policy.verdicts(batch);
const db: Decision = evaluatePolicy(policy, batch);
const size: number = batch.size;
// @ts-expect-error: an option of a batch that does not exist
new StrategyBatch({}, { retruns: {} });
console.log(v3.selected, db.selected, size, batch.dialect);
// The verdicts as a table: typed columns beside the ids, the verdicts' head and state.
const table: VerdictTable = policy.verdictTable(batch);
const ranks: Uint32Array = table.rank;
const weights: Float64Array = table.weight;
const verdictName: 'valid' | 'warn' | 'invalid' | 'pending' | undefined = table.verdict_names[table.verdict[0] ?? 0];
const nextFromTable: Verdicts = policy.verdicts({}, { previous: table.state });
// @ts-expect-error: a table has no per-strategy objects
console.log(table.strategies);
// @ts-expect-error: the ranks are numbers in a typed array, not nullable
const nullable: Array<number | null> = table.rank;
// @ts-expect-error: an option of verdictTable that does not exist
policy.verdictTable({}, { prev: ['a'] });
console.log(ranks, weights, verdictName, nextFromTable, table.ids.length, nullable);
batch.free();

const gated: Answer<GateResult> = gateBundle('{}', presetPolicy('sandbox'), { series_head_len: 16 });
if (gated.type === 'success') {
  const digest: string = gated.value.input_digest;
  // @ts-expect-error: a gate result field that does not exist
  console.log(gated.value.inputDigest, digest);
} else {
  console.log(gated.errors[0]?.code);
}
// @ts-expect-error: a gate option that does not exist
gateBundle('{}', policy, { series_head: 16 });
const g2: Answer<GateResult> = policy.gate('{}');

const v: Validation = validateBundle('{}');
const dv = validateDocument('{}', { dialect: 'qmtl' });
const diff = diffSnapshots('{}', '{}');
const t: Answer<Run> = transition('{}', 'evaluated');
// @ts-expect-error: not a run state
transition('{}', 'done');
console.log(sharpe, d3, selected, g2, v, dv.kind, diff.type, t.type);

// The edge API client: options and answers are typed with the wire types.
import { WorldgateClient, type RunStatus, type UploadResult, type MetricsDocument, type Snapshot, type RunState } from 'worldgate';

async function clientUse(): Promise<void> {
  const api = new WorldgateClient({ baseUrl: 'http://127.0.0.1:8787', token: 't', timeoutMs: 5000, retries: 2 });
  // @ts-expect-error: an option that does not exist
  new WorldgateClient({ baseUrl: 'http://x', tokn: 't' });
  const up: UploadResult = await api.upload({ bundle_version: 1, world_id: 'w', submissions: [] }, { wait: true, idempotencyKey: 'k' });
  const first: RunStatus | undefined = up.runs[0];
  // @ts-expect-error: an upload option that does not exist
  await api.upload('{}', { idempotency_key: 'k' });
  const r: RunStatus = await api.run('w', 's', 'latest');
  const state: RunState = r.status;
  // @ts-expect-error: a status field that does not exist
  console.log(r.state);
  const m: MetricsDocument = await api.metrics('w', 's');
  const snap: Snapshot = await api.snapshot('w', 'w-s-r-1');
  const page = await api.runs('w', 's', { limit: 5 });
  const next: string | null = page.next_cursor;
  const act = await api.activation('w');
  const pol = await api.policy('w', { version: 1 });
  console.log(first, state, m.evaluation, snap.world_id, next, act.active, pol.resolved);
}
console.log(clientUse);
