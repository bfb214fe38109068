// Writes BENCHMARKS.report.md (to stdout) from scripts/bench-report.sh's rows
// (target/bench-results/report.jsonl): the report on 1,000,000 samples, native vs wasm in Node
// vs quantstats, as ratios against issue 12's targets, where the time goes, and the `returns`
// + `pnl` blocks alone. Every number is a median of CPU time per call (this process only, so
// other load on the machine counts little); quartiles in brackets.
//   node benches/report-fragment.mjs target/bench-results/report.jsonl > BENCHMARKS.report.md
import { readFileSync } from 'node:fs';

const rows = readFileSync(process.argv[2] ?? 'target/bench-results/report.jsonl', 'utf8')
  .split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l));
const machine = rows.find((r) => r.area === 'machine') ?? {};
const after = rows.find((r) => r.area === 'machine-after') ?? {};
const find = (area, contender, c) => rows.find((r) => r.area === area && r.contender === contender && r.case === c);
const med = (r) => r?.timing?.cpu_ms?.median;
const ms = (r) => {
  const m = med(r);
  if (m === undefined) return '—';
  const t = r.timing.cpu_ms;
  const f = (x) => (x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2));
  return `${f(m)} ms [${f(t.q1)}–${f(t.q3)}]`;
};
const ratio = (a, b) => (med(a) && med(b) ? med(a) / med(b) : undefined);
const x = (v) => (v === undefined ? '—' : v >= 100 ? `${v.toFixed(0)}×` : v >= 10 ? `${v.toFixed(1)}×` : `${v.toFixed(2)}×`);
const verdict = (ok) => (ok === undefined ? 'not measured' : ok ? '**met**' : '**not met**');
const out = [];
const p = (s = '') => out.push(s);

const nat = (c) => find('report', 'native', c);
const wasm = (c) => find('report', 'wasm', c);
const qs = (c) => find('report', 'quantstats', `quantstats:${c}`);

p('## The quant\'s report (issue 12)');
p();
p('_Written by `scripts/bench-report.sh` (one command: builds what is missing, runs the three contenders, writes this file and refreshes `BENCHMARKS.md`)._');
p();
p(`Input: \`returns-1m.f64\` and \`benchmark-1m.f64\` from \`benches/js/gen-data.mjs\` (1,000,000 daily returns, seeded; the benchmark is 0.6 × the returns plus noise). Options: P = 252, rf = 2 %, rolling windows 63 / 126 / 252, top 10 drawdowns, the benchmark, and both series timestamped on quantstats' axis (hourly from 1990-01-01, the DatetimeIndex quantstats gets): so every block, \`distribution\`, \`drawdowns\` (episodes dated), \`rolling\`, \`relative\` (the benchmark aligned by date) and \`calendar\` (1,369 months, 115 years, the trailing periods). worldgate takes the instants as epoch milliseconds (a \`Float64Array\` in Node, \`time::Stamps::EpochMs\` natively, \`api::report::report_stamped\`), copied into each call. Median **CPU time** per call of this process (quartiles in brackets): native \`clock_gettime(CLOCK_PROCESS_CPUTIME_ID)\` (\`cargo bench --bench report\`, the \`bench\` profile), Node \`process.cpuUsage()\` (\`benches/js/report-bench.mjs\`, the package built by \`scripts/build-pkg.sh\`), Python \`time.process_time()\` (\`benches/py/report.py\`, the pinned venv of \`scripts/reference/\`).`);
p();
p(`Machine: ${machine.cores ?? '?'} cores (${machine.cpu ?? '?'}), shared with other builds; load average ${machine.load_before ?? '?'} before, ${after.load_after ?? '?'} after. ${machine.node ?? ''}, ${machine.rustc ?? ''}, ${machine.python ?? ''}. Date ${machine.date ?? '?'}.`);
p();

const qsAll = qs('all');
const wFull = wasm('metrics+report'), nFull = nat('metrics+report');
const wRep = wasm('report'), nRep = nat('report');
p('| what | native | wasm in Node | quantstats | wasm / native | quantstats / wasm | quantstats / native |');
p('|---|---|---|---|---|---|---|');
p(`| the report (\`report\` / \`computeReport\`) | ${ms(nRep)} | ${ms(wRep)} | — | ${x(ratio(wRep, nRep))} | — | — |`);
p(`| the metrics and the report (\`compute\` + \`report\`; \`computeMetrics\` + \`computeReport\`) vs quantstats' \`reports.metrics(mode="full")\` + 9 rolling series + \`drawdown_details\` | ${ms(nFull)} | ${ms(wFull)} | ${ms(qsAll)} | ${x(ratio(wFull, nFull))} | ${x(ratio(qsAll, wFull))} | ${x(ratio(qsAll, nFull))} |`);
p();
p('`compute` (the `returns` and `pnl` blocks) adds about 10 ms to the report; on a loaded machine the quartiles of the two native rows are wider than that, so they can come out in either order.');
p();
const r1 = ratio(wRep, nRep), r2 = ratio(qsAll, wFull);
p('Targets (issue 12):');
p(`- wasm report ≤ 1.3× native: ${x(r1)} — ${verdict(r1 === undefined ? undefined : r1 <= 1.3)};`);
p(`- wasm ≥ 100× faster than quantstats: ${x(r2)} — ${verdict(r2 === undefined ? undefined : r2 >= 100)}.`);
p();
const same = nRep?.values && wRep?.values ? JSON.stringify(nRep.values) === JSON.stringify(wRep.values) : undefined;
p(`Values: the \`distribution\`, \`relative\` and \`calendar\` blocks, the top 10 drawdowns' depths and dates and the \`returns\` block are ${same === undefined ? 'not compared (a contender is missing)' : same ? '**bit-identical** between native and wasm (the JSON text of both is the same)' : '**different** between native and wasm (see target/bench-results/report.jsonl)'}.`);
p();

p('Where the time goes (diagnostic rows; the differences are the blocks\' costs):');
p();
p('| case | native | wasm in Node | wasm / native |');
p('|---|---|---|---|');
for (const [c, what] of [
  ['report', 'every block'],
  ['report-no-rolling', 'without the rolling windows'],
  ['report-no-benchmark', 'without the benchmark (no `relative` block)'],
  ['report-no-timestamps', 'without timestamps (no `calendar` block, the benchmark aligned by position)'],
  ['report-json', 'native only: `serde_json::to_string` of the report (what the JSON path of the wasm shim pays before `JSON.parse`)'],
]) p(`| ${what} | ${ms(nat(c))} | ${ms(wasm(c))} | ${x(ratio(wasm(c), nat(c)))} |`);
p();
p('quantstats\' parts (each call timed twice, no warm-up; `WG_BENCH_PY_SAMPLES` changes the count):');
p();
p('| call | CPU |');
p('|---|---|');
for (const [c, what] of [
  ['metrics-full', '`qs.reports.metrics(returns, benchmark, rf=0.02, mode="full", display=False)`'],
  ['rolling', '`rolling_sharpe` + `rolling_volatility` + `rolling_sortino`, windows 63 / 126 / 252'],
  ['drawdown-details', '`drawdown_details(to_drawdown_series(returns))`'],
  ['all', 'all three (the sum of the rows above)'],
]) p(`| ${what} | ${ms(qs(c))} |`);
p();

p('**Where the wasm report\'s time goes** (written by hand from profiles of 2026-12-06, not regenerated): natively the report is the rolling windows, the `relative` block and the rest (the drawdown curve, `distribution`, the episodes). Each window\'s sums are a block\'s suffix plus the next block\'s prefix (van Herk / Gil-Werman: nothing is subtracted from a running sum, so no drift checks or rebuilds), and most of the windows\' native cost is now the operating system handing over the memory of their output (9 series × 1,000,000 optional doubles, 144 MB, page-faulted on every call: a bare program filling nine such vectors takes 55–150 ms here); the `relative` block\'s capture ratios take one `log1p` per block of 16 quiet pairs instead of one per pair. The output used to dominate in Node: 9 rolling series × 1,000,000 elements of `number | null`, which V8 stores as generic elements, one heap-allocated number each (9,000,000 allocations and their garbage collection, about 40 % of a `node --cpu-prof` profile; 2752 ms CPU against 351 ms native, 7.84×, in the run of 07:47 that day). The JS API now hands each rolling series out as a `Float64Array` (NaN where the wire has `null`, ±Infinity for `"+inf"`/`"-inf"`; type `JsReport`, README § JavaScript), copied out of wasm memory once; the JSON wire form is unchanged. So the wasm report costs its computation plus nine copies, the ratio in the table above.');
p();
p('### The `returns` + `pnl` blocks alone');
p();
p('`metrics::compute` / `computeMetrics` on the same 1,000,000 returns (P = 252, rf 2 %, VaR 95 %, V₀ 10,000), from `cargo bench --bench metrics` and `WG_ONLY_METRICS=1 node benches/js/report-bench.mjs`, run as separate processes, native and wasm alternately (`WG_BENCH_ROUNDS` of each, default 7). Each process gives its median CPU time per call; the table gives the **median across the processes** and, in brackets, the lowest and highest process median. One process is not enough on this machine: the same code runs at two speeds (about 4.2 and 6.4 ms native) in phases of about a second, in native and wasm processes alike, whatever the process does (BENCHMARKS.metrics.md, session 11), so a single process lands in either phase.');
p();
/** Every process's row of a case: the median across processes, the lowest and highest. */
const across = (area, contender, c) => {
  const meds = rows.filter((r) => r.area === area && r.contender === contender && r.case === c)
    .map(med).filter((m) => m !== undefined).sort((a, b) => a - b);
  if (!meds.length) return undefined;
  const h = (meds.length - 1) / 2;
  const mid = (meds[Math.floor(h)] + meds[Math.ceil(h)]) / 2;
  return { timing: { cpu_ms: { median: mid, q1: meds[0], q3: meds[meds.length - 1] } }, processes: meds.length };
};
const msAcross = (r) => (r === undefined ? '—' : `${ms(r)} (${r.processes} process${r.processes === 1 ? '' : 'es'})`);
const mN = across('metrics', 'native', '1M'), mW = across('metrics', 'wasm', '1M');
p('| what | CPU, median across processes [lowest–highest process] |');
p('|---|---|');
p(`| native \`compute\` (both blocks) | ${msAcross(mN)} |`);
for (const c of ['validate_returns', 'returns_metrics', 'pnl_metrics']) p(`| native \`${c}\` alone | ${msAcross(across('metrics-parts', 'native', c))} |`);
p(`| wasm \`computeMetrics\` | ${msAcross(mW)} |`);
p();
const r3 = ratio(mW, mN);
p('Targets (issue 12):');
p(`- native ≤ 4 ms: ${med(mN) === undefined ? '—' : `${med(mN).toFixed(2)} ms`} — ${verdict(med(mN) === undefined ? undefined : med(mN) <= 4)};`);
p(`- wasm ≤ 1.3× native: ${x(r3)} — ${verdict(r3 === undefined ? undefined : r3 <= 1.3)}.`);
const vN = rows.find((r) => r.area === 'metrics' && r.contender === 'native' && r.case === '1M')?.values;
const vW = rows.find((r) => r.area === 'metrics' && r.contender === 'wasm' && r.case === '1M')?.values;
const sameM = vN && vW ? JSON.stringify(vN) === JSON.stringify(vW) : undefined;
p();
p(`Values: the \`returns\` and \`pnl\` blocks are ${sameM === undefined ? 'not compared (a contender is missing)' : sameM ? '**bit-identical** between native and wasm (the JSON text of both is the same)' : '**different** between native and wasm (see target/bench-results/report.jsonl)'}.`);
process.stdout.write(out.join('\n') + '\n');
