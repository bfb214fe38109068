// The quant's report on 1,000,000 samples in Node: worldgate's wasm through the package API
// (`computeReport`, every block: rolling windows 63 / 126 / 252, the top 10 drawdowns, a
// benchmark, timestamps), and `computeMetrics` + `computeReport` together (what quantstats'
// `reports.metrics(mode="full")` plus its rolling functions cover); with WG_ONLY_METRICS=1,
// `computeMetrics` alone (area `metrics`). Prints JSON lines
// (area `report`), the timing protocol of benches/js/timing.mjs. Run by scripts/bench-report.sh.
import { measure, readF64, emit } from './timing.mjs';

const pkg = process.env.WG_PKG ?? new URL('../../pkg/node.js', import.meta.url).href;
const wg = await import(pkg);

const returns = readF64('returns-1m.f64');
const benchmark = readF64('benchmark-1m.f64');
// Both series on quantstats' axis (benches/py/report.py): hourly from 1990-01-01T00:00Z, as
// epoch milliseconds (a Float64Array, the JS API's numeric form): the `calendar` block, dated
// drawdown episodes, and the benchmark aligned by date.
const hours = new Float64Array(returns.length).map((_, i) => Date.UTC(1990, 0, 1) + i * 3_600_000);
const options = { periods_per_year: 252, risk_free: 0.02, benchmark, timestamps: hours, benchmark_timestamps: hours };
const mopts = { periods_per_year: 252, risk_free: 0.02, var_level: 0.95, initial_capital: 10_000 };

// the `returns` + `pnl` blocks alone (issue 12's second target), as benches/js/metrics.mjs's
// wasm row, without that file's npm contenders
if (process.env.WG_ONLY_METRICS) {
  emit({ area: 'metrics', case: '1M', contender: 'wasm', label: 'worldgate wasm in Node (computeMetrics)',
    timing: measure(() => wg.computeMetrics(returns, mopts)), values: wg.computeMetrics(returns, mopts) });
  process.exit(0);
}

const full = wg.computeReport(returns, options);
const values = {
  distribution: full.distribution, relative: full.relative, calendar: full.calendar,
  drawdowns: full.drawdowns.episodes.map((e) => [e.depth, e.peak_at, e.trough_at, e.end_at]),
  returns: wg.computeMetrics(returns, mopts).returns,
};
emit({ area: 'report', case: 'report', contender: 'wasm', label: 'worldgate wasm in Node (computeReport)',
  timing: measure(() => wg.computeReport(returns, options)), values });
emit({ area: 'report', case: 'metrics+report', contender: 'wasm', label: 'worldgate wasm in Node (computeMetrics + computeReport)',
  timing: measure(() => [wg.computeMetrics(returns, mopts), wg.computeReport(returns, options)]) });
emit({ area: 'report', case: 'report-no-rolling', contender: 'wasm', label: 'computeReport without rolling windows',
  timing: measure(() => wg.computeReport(returns, { ...options, rolling_windows: [] })) });
emit({ area: 'report', case: 'report-no-benchmark', contender: 'wasm', label: 'computeReport without a benchmark',
  timing: measure(() => wg.computeReport(returns, { periods_per_year: 252, risk_free: 0.02, timestamps: hours })) });
emit({ area: 'report', case: 'report-no-timestamps', contender: 'wasm', label: 'computeReport without timestamps',
  timing: measure(() => wg.computeReport(returns, { periods_per_year: 252, risk_free: 0.02, benchmark })) });
