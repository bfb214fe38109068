// A/B speed of several built packages in one Node process, runs interleaved (less disturbed by a
// shared machine's load than separate processes): speed.mjs's workloads (computeMetrics on 1M
// samples; a policy over 1,000 strategies with and without 1,440 returns each). Prints the median
// CPU time per package.
//   node benches/js/speed-ab.mjs <pkg-dir-A> <pkg-dir-B> ...
import { pathToFileURL } from "node:url";
const dirs = process.argv.slice(2);
const wgs = [];
for (const d of dirs) wgs.push(await import(pathToFileURL(`${d}/node.js`).href));
let s = 0x9e3779b97f4a7c15n;
const next = () => { s ^= (s << 13n) & 0xffffffffffffffffn; s ^= s >> 7n; s ^= (s << 17n) & 0xffffffffffffffffn; return Number(s >> 11n) / 2 ** 53 - 0.5; };
const returns = new Float64Array(1_000_000);
for (let i = 0; i < returns.length; i++) returns[i] = next() * 0.02;
const metrics = {}, series = {};
for (let i = 0; i < 1000; i++) {
  const id = `s${String(i).padStart(4, "0")}`;
  const r = new Float64Array(1440);
  for (let j = 0; j < r.length; j++) r[j] = next() * 0.01;
  metrics[id] = { sharpe: next() * 4, max_drawdown: -Math.abs(next()) };
  series[id] = r;
}
const doc = { thresholds: { dd: { metric: "max_drawdown", max: 0.45 } }, top_k: { metric: "sharpe", k: 50 }, correlation: { max: 0.2 } };
const pols = wgs.map((wg) => wg.parsePolicy(doc));
const work = {
  metrics: (i) => wgs[i].computeMetrics(returns, { periods_per_year: 252 }),
  returns: (i) => pols[i].evaluate(metrics, { returns_by_strategy: series }),
  only: (i) => pols[i].evaluate(metrics, {}),
};
const med = (xs) => xs.slice().sort((a, b) => a - b)[xs.length >> 1];
for (const [name, f] of Object.entries(work)) {
  const ts = dirs.map(() => []);
  for (let i = 0; i < dirs.length; i++) f(i);
  const rounds = name === "returns" ? 15 : 25;
  for (let r = 0; r < rounds; r++) for (let i = 0; i < dirs.length; i++) {
    const t = process.cpuUsage(); f(i); const d = process.cpuUsage(t); ts[i].push((d.user + d.system) / 1000);
  }
  console.log(name.padEnd(8), dirs.map((d, i) => `${d.split("/").pop()} ${med(ts[i]).toFixed(1)}`).join("  "));
}
