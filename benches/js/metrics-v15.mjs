// QMTL's v1.5 metric set on 1,000,000 samples in Node: worldgate's wasm through the package API,
// computeMetrics(returns, { profile }) for both profiles (P = 252, rf 0, T = 20). Prints one
// JSON line per profile (area `metrics-v15`, as benches/metrics.rs and benches/py/metrics_v15.py).
import { measure, readF64, emit } from './timing.mjs';

const pkg = process.env.WG_PKG ?? new URL('../../pkg/node.js', import.meta.url).href;
const wg = await import(pkg);
const returns = readF64('returns-1m.f64');
for (const profile of ['qmtl', 'strict']) {
  const options = { profile, periods_per_year: 252, search_intensity: 20 };
  const values = wg.computeMetrics(returns, options);
  const timing = measure(() => wg.computeMetrics(returns, options));
  emit({ area: 'metrics-v15', case: profile, contender: 'wasm', label: `worldgate wasm in Node (computeMetrics, ${profile})`, timing, values });
}
