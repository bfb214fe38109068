// Speed of the packed wasm in Node: computeMetrics on 1M samples and a policy evaluation of 1,000
// strategies (1,440 returns each, computed correlations). Prints the median CPU time of N runs in ms.
//   node benches/js/speed.mjs [pkg-dir]     (default: pkg/, built by scripts/build-pkg.sh)
import { pathToFileURL } from "node:url";
import { resolve } from "node:path";
import { metrics, policyDoc, returns, series } from "./speed-workloads.mjs";

const dir = resolve(process.argv[2] ?? "pkg");
const wg = await import(pathToFileURL(`${dir}/node.js`).href);

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

time("computeMetrics 1M samples", 15, () => wg.computeMetrics(returns, { periods_per_year: 252 }));

const policy = wg.parsePolicy(policyDoc);
time("policy.evaluate 1000 strategies (returns 1440 each)", 9, () =>
  policy.evaluate(metrics, { returns_by_strategy: series }));
time("policy.evaluate 1000 strategies (metrics only)", 15, () => policy.evaluate(metrics, {}));
