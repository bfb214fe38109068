// A/B of the policy workload of benches/js/policy.mjs (top_k 50, correlation from 1,440-sample
// series) across built packages, in one Node process with the calls interleaved (less disturbed by
// a shared machine's load than separate runs): CPU ms per call of `evaluate` plus what MODE reads
// (`verdicts`: `selected` and each verdict, rank, weight — the default; `text`: `wireText`; `all`:
// `JSON.stringify`), median. Returns to the event loop every 5 rounds, as a server between requests.
// Checks that every package writes the same decision text.
//   WG_BENCH_DATA=target/bench-data MODE=verdicts node benches/js/policy-ab.mjs 1000 21 <pkg-A> <pkg-B> ...
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { join } from 'node:path';
const data = process.env.WG_BENCH_DATA ?? 'target/bench-data';
const [nArg, rArg, ...dirs] = process.argv.slice(2);
const n = Number(nArg), rounds = Number(rArg);
const wgs = []; for (const d of dirs) wgs.push(await import(pathToFileURL(`${d}/node.js`).href));
const LEN = 1440;
const b = readFileSync(join(data, 'policy-series.f64'));
const series = new Float64Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
const all = JSON.parse(readFileSync(join(data, 'policy-metrics.json'), 'utf8'));
const metrics = {}, returns = {};
all.slice(0, n).forEach((s, i) => {
  metrics[s.id] = { sharpe: s.sharpe, max_drawdown: s.max_drawdown, win_rate: s.win_rate };
  returns[s.id] = series.subarray(i * LEN, (i + 1) * LEN);
});
const thresholds = { sharpe: { metric: 'sharpe', min: 0.0 }, dd: { metric: 'max_drawdown', max: 0.5 } };
const doc = { thresholds, top_k: { metric: 'sharpe', k: 50 }, correlation: { max: 0.25 } };
const pols = wgs.map((wg) => wg.parsePolicy(doc));
const opts = { returns_by_strategy: returns };
function readVerdicts(d) {
  let sink = d.selected.length;
  for (const id in d.strategies) { const s = d.strategies[id]; if (s.verdict === 'valid') sink++; sink += (s.rank ?? 0) + (s.weight ?? 0); }
  return sink;
}
const cpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };
const med = (xs) => xs.slice().sort((a, b) => a - b)[xs.length >> 1];
const mode = process.env.MODE ?? 'verdicts';
const ts = dirs.map(() => []);
for (let r = 0; r < rounds; r++) for (let i = 0; i < dirs.length; i++) {
  const t = cpu();
  const d = pols[i].evaluate(metrics, opts);
  if (mode === 'verdicts') readVerdicts(d); else if (mode === 'text') wgs[i].wireText(d); else if (mode === 'all') JSON.stringify(d);
  ts[i].push(cpu() - t);
  if (r % 5 === 4) await new Promise((res) => setTimeout(res, 0));
}
const texts = dirs.map((_, i) => wgs[i].wireText(pols[i].evaluate(metrics, opts)));
for (let i = 1; i < dirs.length; i++) if (texts[i] !== texts[0]) console.log(`TEXT DIFFERS: ${dirs[i]}`);
console.log(`n=${n} ${mode}: ` + dirs.map((d, i) => `${d.split('/').pop()} ${med(ts[i]).toFixed(1)}`).join('  '));
