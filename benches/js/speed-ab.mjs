// A/B speed of several built packages in one Node process, runs interleaved (less disturbed by a
// shared machine's load than separate processes): speed.mjs's workloads (computeMetrics on 1M
// samples; a policy over 1,000 strategies with and without 1,440 returns each). Prints the median
// CPU time per package.
//   node benches/js/speed-ab.mjs <pkg-dir-A> <pkg-dir-B> ...
import { pathToFileURL } from "node:url";
import { metrics, policyDoc, returns, series } from "./speed-workloads.mjs";
const dirs = process.argv.slice(2);
const wgs = [];
for (const d of dirs) wgs.push(await import(pathToFileURL(`${d}/node.js`).href));
const pols = wgs.map((wg) => wg.parsePolicy(policyDoc));
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
