// Speed of the packed wasm in Node: computeMetrics on 1M samples and a policy evaluation of 1,000
// strategies (1,440 returns each, computed correlations). Prints the median CPU time of N runs in ms.
//   node benches/js/speed.mjs [pkg-dir]     (default: pkg/, built by scripts/build-pkg.sh)
import { pathToFileURL } from "node:url";
import { resolve } from "node:path";

const dir = resolve(process.argv[2] ?? "pkg");
const wg = await import(pathToFileURL(`${dir}/node.js`).href);

// xorshift, the same generator as examples/speed.rs.
let s = 0x9e3779b97f4a7c15n;
const next = () => {
  s ^= (s << 13n) & 0xffffffffffffffffn;
  s ^= s >> 7n;
  s ^= (s << 17n) & 0xffffffffffffffffn;
  return Number(s >> 11n) / 2 ** 53 - 0.5;
};
const median = (xs) => xs.sort((a, b) => a - b)[xs.length >> 1];
const time = (label, runs, f) => {
  f(); // warm-up (compiles the wasm, fills caches)
  const ts = [];
  for (let i = 0; i < runs; i++) {
    // CPU time of the process (user + system), less disturbed by other processes than wall time.
    const t = process.cpuUsage();
    f();
    const d = process.cpuUsage(t);
    ts.push((d.user + d.system) / 1000);
  }
  console.log(`${label}: median ${median(ts).toFixed(1)} ms over ${runs} runs`);
};

const returns = new Float64Array(1_000_000);
for (let i = 0; i < returns.length; i++) returns[i] = next() * 0.02;
time("computeMetrics 1M samples", 15, () => wg.computeMetrics(returns, { periods_per_year: 252 }));

const metrics = {};
const series = {};
for (let i = 0; i < 1000; i++) {
  const id = `s${String(i).padStart(4, "0")}`;
  const r = new Float64Array(1440);
  for (let j = 0; j < r.length; j++) r[j] = next() * 0.01;
  metrics[id] = { sharpe: next() * 4, max_drawdown: -Math.abs(next()) };
  series[id] = r;
}
const policy = wg.parsePolicy({
  thresholds: { dd: { metric: "max_drawdown", max: 0.45 } },
  top_k: { metric: "sharpe", k: 50 },
  correlation: { max: 0.2 },
});
time("policy.evaluate 1000 strategies (returns 1440 each)", 9, () =>
  policy.evaluate(metrics, { returns_by_strategy: series }));
time("policy.evaluate 1000 strategies (metrics only)", 15, () => policy.evaluate(metrics, {}));
