// Writes the built-in sample world under public/samples/: a bundle of five strategies with
// deterministic pseudo-random daily returns, the world's policy, and a snapshot of an earlier run
// produced by the engine itself (gateBundle), so the viewer has something to compare on first open.
// Usage: node scripts/make-samples.mjs   (needs the built package: bash scripts/build-pkg.sh)
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const out = join(here, "..", "public", "samples");
mkdirSync(out, { recursive: true });

// mulberry32 + Box-Muller: deterministic test data, not a metric.
function rng(seed) {
  let a = seed >>> 0;
  const u = () => { a = (a + 0x6d2b79f5) >>> 0; let t = a; t = Math.imul(t ^ (t >>> 15), t | 1); t ^= t + Math.imul(t ^ (t >>> 7), t | 61); return ((t ^ (t >>> 14)) >>> 0) / 4294967296; };
  return () => Math.sqrt(-2 * Math.log(u() || 1e-12)) * Math.cos(2 * Math.PI * u());
}
function series(seed, n, mu, sigma) {
  const g = rng(seed);
  return Array.from({ length: n }, () => Math.round((mu + sigma * g()) * 1e6) / 1e6);
}

const N = 504;
const strategies = [
  { id: "beta_mkt_simple", seed: 11, mu: 0.0006, sigma: 0.009, tags: ["beta-factory", "sandbox"] },
  { id: "momentum_fast", seed: 23, mu: 0.0009, sigma: 0.012, tags: ["momentum"] },
  { id: "mean_revert", seed: 37, mu: 0.0003, sigma: 0.006, tags: ["stat-arb"] },
  { id: "carry_fx", seed: 41, mu: 0.0002, sigma: 0.004, tags: ["fx"] },
  { id: "vol_breakout", seed: 53, mu: -0.0002, sigma: 0.015, tags: ["breakout"] },
];

export const bundle = {
  bundle_version: 1,
  world_id: "alpha_world",
  created_at: "2025-12-02T10:05:30Z",
  submissions: strategies.map((s) => ({
    strategy_id: s.id,
    run_id: "run-2025-12-02",
    stage: "backtest_only",
    window: "2023-12-01/2025-12-01",
    periods_per_year: 252,
    returns: series(s.seed, N, s.mu, s.sigma),
    meta: { pnl_source: "account_simulated_from_signals", auto_returns: true, tags: s.tags },
    storage_refs: {
      full_returns_series: `s3://qmtl-runs/alpha_world/${s.id}/returns.parquet`,
      ...(s.id === "beta_mkt_simple"
        ? { report: "https://storage.example.com/reports/beta.html?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Signature=0123456789abcdef", notebook: "/home/alice/research/beta.ipynb" }
        : {}),
    },
  })),
};
writeFileSync(join(out, "alpha_world.bundle.json"), JSON.stringify(bundle) + "\n");

const policy = `# alpha_world policy (strict dialect)
thresholds:
  sharpe:
    metric: sharpe
    min: 0.7
  drawdown:
    metric: max_drawdown
    max: 0.25
  win_rate:
    metric: win_rate
    min: 0.5
top_k:
  metric: sharpe
  k: 3
correlation:
  max: 0.7
`;
writeFileSync(join(out, "alpha_world.policy.yaml"), policy);

// An earlier run of beta_mkt_simple, gated by the engine, kept as a snapshot file.
const wg = await import("worldgate");
const earlier = {
  bundle_version: 1,
  world_id: "alpha_world",
  created_at: "2025-11-25T10:05:30Z",
  submissions: [{ ...bundle.submissions[0], run_id: "run-2025-11-25", window: "2023-11-24/2025-11-24", returns: series(7, N, 0.0002, 0.011) }],
};
const compiled = wg.parsePolicy(policy, { dialect: "strict" });
const answer = wg.gateBundle(new TextEncoder().encode(JSON.stringify(earlier)), compiled, { created_at: earlier.created_at });
if (answer.type !== "success") throw new Error(JSON.stringify(answer.errors));
const result = answer.value ?? answer;
writeFileSync(join(out, "alpha_world-beta_mkt_simple-run-2025-11-25.snapshot.json"), JSON.stringify(result.snapshots[0], null, 2) + "\n");
console.log("samples written to", out);
