// The timing protocol of benches/common/timing.rs, for Node: warm up (≥ 1 run and 0.3 s), pick a
// repetition count so one sample lasts ≥ WG_BENCH_SAMPLE_MS (20), take WG_BENCH_SAMPLES (11)
// samples within WG_BENCH_BUDGET_S (3 s, never fewer than 5), report CPU time of this process
// (process.cpuUsage: user + system, every thread of the process, so garbage collection and
// compilation helpers count) and wall time per operation in ms: median, quartiles, min, max.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const env = (name, d) => (process.env[name] ? Number(process.env[name]) : d);

export function summary(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const q = (p) => {
    const h = (s.length - 1) * p, lo = Math.floor(h), hi = Math.ceil(h);
    return s[lo] + (h - lo) * (s[hi] - s[lo]);
  };
  return { median: q(0.5), q1: q(0.25), q3: q(0.75), min: s[0], max: s[s.length - 1], n: s.length };
}

const cpuMs = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1e3; };

export let sink = 0;
/** Times `f` (its result goes to a sink so the call cannot be optimised away). */
export function measure(f) {
  const g = sampling(f);
  for (;;) { const r = g.next(); if (r.done) return r.value; }
}
function keep(x) { sink = (sink + (x === undefined ? 0 : 1)) | 0; }

/** [`measure`] for work whose cost depends on returning to the event loop, as a server does
 *  between requests: the same protocol, with a macrotask turn (not timed) before each sample and
 *  every few warm-up runs, so finalizers and other deferred clean-up run where a service runs them. */
export async function measureAsync(f) {
  const g = sampling(f);
  for (;;) {
    const r = g.next();
    if (r.done) return r.value;
    await new Promise((resolve) => setTimeout(resolve, 0));
  }
}

/** The protocol, yielding where a caller may return to the event loop; returns the timing. */
function* sampling(f) {
  const sampleMs = env('WG_BENCH_SAMPLE_MS', 20);
  const want = env('WG_BENCH_SAMPLES', 11);
  const budget = env('WG_BENCH_BUDGET_S', 3) * 1e3;
  const start = performance.now();
  let runs = 0;
  const t0 = performance.now();
  while (runs < 1 || performance.now() - t0 < 300) {
    keep(f());
    runs++;
    if (runs % 4 === 0) yield;
  }
  const one = (performance.now() - t0) / runs;
  const reps = Math.max(1, Math.ceil(sampleMs / one));
  const cpu = [], wall = [];
  while (cpu.length < want && (cpu.length < 5 || performance.now() - start < budget)) {
    yield;
    const c0 = cpuMs(), w0 = performance.now();
    for (let i = 0; i < reps; i++) keep(f());
    const w = performance.now() - w0, c = cpuMs() - c0;
    cpu.push(c / reps);
    wall.push(w / reps);
  }
  return { cpu_ms: summary(cpu), wall_ms: summary(wall), reps };
}

export const dataDir = () => process.env.WG_BENCH_DATA ?? 'target/bench-data';
export function readF64(name) {
  const b = readFileSync(join(dataDir(), name));
  return new Float64Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
}
export const emit = (o) => process.stdout.write(JSON.stringify(o) + '\n');
