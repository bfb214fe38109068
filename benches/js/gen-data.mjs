// Writes the benchmark inputs once, so every contender (Rust, wasm in Node, Python, JS libraries)
// reads the same bytes:
//   returns-1m.f64          1,000,000 daily returns, little-endian float64
//   benchmark-1m.f64        1,000,000 benchmark returns (0.6 × the returns + noise), the report's benchmark
//   policy-series.f64       5,000 strategies × 1,440 returns (row-major), little-endian float64
//   policy-metrics.json     [{id, sharpe, max_drawdown, win_rate}] for the 5,000 strategies
//   bundle-{10KB,1MB,10MB}.json  bundle v1 documents (gate rows)
//   manifest.json           sizes and the generator's parameters
// Usage: node benches/js/gen-data.mjs <out-dir>. Deterministic (seeded xoshiro128**); skips the
// work when the manifest says the files are already there with this generator version.
import { mkdirSync, writeFileSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';

const VERSION = 4;
const out = process.argv[2];
if (!out) throw new Error('usage: gen-data.mjs <out-dir>');
mkdirSync(out, { recursive: true });
const manifestPath = join(out, 'manifest.json');
if (existsSync(manifestPath)) {
  try {
    if (JSON.parse(readFileSync(manifestPath, 'utf8')).version === VERSION) process.exit(0);
  } catch { /* regenerate */ }
}

/** xoshiro128** on 32-bit integers: exact and identical in every JS engine. */
function rng(seed) {
  let a = seed >>> 0, b = 0x9e3779b9, c = 0x243f6a88, d = 0xb7e15162;
  const next32 = () => {
    const r = Math.imul(rotl(Math.imul(b, 5), 7), 9) >>> 0;
    const t = b << 9;
    c ^= a; d ^= b; b ^= c; a ^= d; c ^= t; d = rotl(d, 11);
    return r;
  };
  for (let i = 0; i < 16; i++) next32();
  const uniform = () => ((next32() >>> 5) * 67108864 + (next32() >>> 6)) / 9007199254740992; // [0, 1)
  let spare = null;
  const normal = () => {
    if (spare !== null) { const s = spare; spare = null; return s; }
    let u = 0;
    while (u === 0) u = uniform();
    const v = uniform();
    const r = Math.sqrt(-2 * Math.log(u));
    spare = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  };
  return { uniform, normal };
}
function rotl(x, k) { return ((x << k) | (x >>> (32 - k))) >>> 0; }

function writeF64(path, arr) {
  writeFileSync(path, new Uint8Array(arr.buffer, arr.byteOffset, arr.byteLength));
}

// 1. metrics: daily returns with drift, 1 % volatility and occasional jumps (fat tails)
{
  const g = rng(20260101);
  const n = 1_000_000;
  const r = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let x = 0.0003 + 0.01 * g.normal();
    if (g.uniform() < 0.01) x += 0.04 * g.normal();
    r[i] = Math.max(x, -0.95);
  }
  writeF64(join(out, 'returns-1m.f64'), r);
  // the report's benchmark: correlated with the series (β ≈ 0.6 the other way round), own noise
  const gb = rng(20260102);
  const b = new Float64Array(n);
  for (let i = 0; i < n; i++) b[i] = Math.max(0.0001 + 0.6 * r[i] + 0.006 * gb.normal(), -0.95);
  writeF64(join(out, 'benchmark-1m.f64'), b);
}

// 2. policy: 5,000 strategies, 1,440 samples each; 50 factor groups so correlations vary
const STRATS = 5000, LEN = 1440, GROUPS = 50;
{
  const g = rng(1440);
  const factors = Array.from({ length: GROUPS }, () => {
    const f = new Float64Array(LEN);
    for (let t = 0; t < LEN; t++) f[t] = g.normal();
    return f;
  });
  const series = new Float64Array(STRATS * LEN);
  const metrics = [];
  for (let i = 0; i < STRATS; i++) {
    const beta = g.uniform() * 0.8;
    const f = factors[i % GROUPS];
    for (let t = 0; t < LEN; t++) series[i * LEN + t] = 0.001 * (beta * f[t] + g.normal());
    metrics.push({
      id: `strat-${String(i).padStart(4, '0')}`,
      sharpe: -1 + 4 * g.uniform(),
      max_drawdown: -0.6 * g.uniform(),
      win_rate: 0.4 + 0.2 * g.uniform(),
    });
  }
  writeF64(join(out, 'policy-series.f64'), series);
  writeFileSync(join(out, 'policy-metrics.json'), JSON.stringify(metrics));
}

// 3. bundles (format v1): submissions with returns series, meta and storage refs
const bundles = {};
{
  const g = rng(777);
  const make = (subs, n) => {
    const parts = [];
    for (let i = 0; i < subs; i++) {
      const r = [];
      for (let j = 0; j < n; j++) r.push(((g.uniform() - 0.5) * 0.04).toFixed(8));
      parts.push(`{"strategy_id":"s${i}","stage":"backtest","meta":{"note":"strategy ${i}","owner":"quant"},` +
        `"storage_refs":{"full":"s3://b/s${i}.parquet"},"returns":[${r.join(',')}]}`);
    }
    return `{"bundle_version":1,"world_id":"bench_world","submissions":[${parts.join(',')}]}`;
  };
  for (const [label, subs, n] of [['10KB', 2, 450], ['1MB', 20, 4500], ['10MB', 100, 9000]]) {
    const text = make(subs, n);
    writeFileSync(join(out, `bundle-${label}.json`), text);
    bundles[label] = { submissions: subs, samples: n, bytes: Buffer.byteLength(text) };
  }
}

writeFileSync(manifestPath, JSON.stringify({
  version: VERSION,
  returns: { file: 'returns-1m.f64', samples: 1_000_000 },
  benchmark: { file: 'benchmark-1m.f64', samples: 1_000_000 },
  policy: { series: 'policy-series.f64', metrics: 'policy-metrics.json', strategies: STRATS, samples: LEN, groups: GROUPS },
  bundles,
}, null, 1));
