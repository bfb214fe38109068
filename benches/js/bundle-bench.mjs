// Gate throughput in wasm (Node) beside JSON.parse + ajv on the same bytes.
//   node benches/js/bundle-bench.mjs <worldgate module (pkg/node.js or wasm-bindgen nodejs build)> [ajv dir]
// ajv validates the generated `bundle` JSON Schema (draft 2020-12), compiled beforehand;
// formats are not checked (no ajv-formats), strict mode off for schemars' `format: uint32`.
import { createRequire } from "node:module";
import { resolve } from "node:path";

const modPath = resolve(process.argv[2] ?? "pkg/node.js");
const require = createRequire(import.meta.url);
const wg = modPath.endsWith(".mjs") ? await import(modPath) : require(modPath);
const ajvDir = process.argv[3];
const Ajv2020 = ajvDir ? require(resolve(ajvDir, "node_modules/ajv/dist/2020.js")).default : null;

/** The bundle of benches/bundle.rs: `subs` submissions of `n` returns, 8 decimals. */
function makeBundle(subs, n) {
  let seed = 0x9e3779b97f4a7c15n;
  const M = (1n << 64n) - 1n;
  const next = () => {
    seed = (seed * 6364136223846793005n + 1442695040888963407n) & M;
    return (Number(seed >> 11n) / 2 ** 53 - 0.5) * 0.04;
  };
  const out = ['{"bundle_version":1,"world_id":"bench_world","submissions":['];
  for (let i = 0; i < subs; i++) {
    if (i) out.push(",");
    out.push(`{"strategy_id":"s${i}","stage":"backtest","meta":{"note":"strategy ${i}","owner":"quant"},"storage_refs":{"full":"s3://b/s${i}.parquet"},"returns":[`);
    const xs = [];
    for (let j = 0; j < n; j++) xs.push(next().toFixed(8));
    out.push(xs.join(","), "]}");
  }
  out.push("]}");
  return new TextEncoder().encode(out.join(""));
}

function time(bytes, f) {
  f();
  let iters = 0;
  const t0 = process.hrtime.bigint();
  const c0 = process.cpuUsage();
  while (Number(process.hrtime.bigint() - t0) < 1e9 || iters < 3) { f(); iters++; }
  const c = process.cpuUsage(c0);
  const per = (c.user + c.system) / 1e6 / iters; // CPU seconds
  return [bytes / per / 1e6, per * 1e3];
}

const sandbox = wg.presetPolicy("sandbox");
const validate = Ajv2020 ? new Ajv2020({ strict: false, validateFormats: false, allErrors: false }).compile(JSON.parse(wg.schemaFor("bundle"))) : null;
// Warm-up: V8 first runs wasm in its baseline tier and optimizes it in the background; without
// this the first row (10 KB) measures partly unoptimized code.
{
  const w = makeBundle(20, 4500);
  const t0 = process.hrtime.bigint();
  while (Number(process.hrtime.bigint() - t0) < 2e9) { wg.gateBundle(w, sandbox, {}); wg.validateBundle(w); }
}
for (const [label, subs, n] of [["10 KB", 2, 450], ["1 MB", 20, 4500], ["10 MB", 100, 9000]]) {
  const b = makeBundle(subs, n);
  const text = new TextDecoder().decode(b);
  const rows = [
    ["wasm gateBundle (sandbox)", () => { if (wg.gateBundle(b, sandbox, {}).type !== "success") throw new Error("gate failed"); }],
    ["wasm validateBundle", () => { if (!wg.validateBundle(b).ok) throw new Error("invalid"); }],
    ["JSON.parse (bytes→text→obj)", () => JSON.parse(new TextDecoder().decode(b))],
  ];
  if (validate) rows.push(["JSON.parse + ajv validate", () => { if (!validate(JSON.parse(new TextDecoder().decode(b)))) throw new Error(JSON.stringify(validate.errors)); }]);
  for (const [name, f] of rows) {
    const [mbs, ms] = time(b.length, f);
    console.log(`${label.padStart(6)} (${String(b.length).padStart(9)} B) ${name.padEnd(30)} ${mbs.toFixed(1).padStart(8)} MB/s ${ms.toFixed(3).padStart(9)} ms`);
  }
  void text;
}
