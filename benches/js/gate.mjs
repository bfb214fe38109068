// Bundle gate throughput in Node on the generated 10 KB / 1 MB / 10 MB bundles: worldgate's
// `gateBundle(bytes, policy)` (wasm) side by side with JSON.parse + ajv validating the generated
// JSON Schema pkg/schema/bundle.json (schema compiled beforehand; bytes decoded with TextDecoder
// in the timing, as the gate starts from bytes too), and JSON.parse alone. Contenders the build
// lacks are reported as skipped. The answer's members are parsed when first read, so each wasm
// row says what the caller reads:
//   wasm        gate, then read the answer's type, `selected`, `rejected` and each strategy's
//               `verdict` (what a caller acting on the verdict reads);
//   wasm-store  gate, then take the texts an edge stores (each run's status and text, its
//               metrics' and snapshot's text, the decision's and redactions' text: `wireText`);
//   wasm-full   gate, then read every member of the answer down to the leaves (full parse).
// Prints one JSON line per case.
import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { measure, emit, dataDir } from './timing.mjs';
import Ajv2020 from 'ajv/dist/2020.js';

const pkgUrl = process.env.WG_PKG ?? new URL('../../pkg/node.js', import.meta.url).href;
const wg = await import(pkgUrl);
const schemaPath = join(fileURLToPath(new URL('.', pkgUrl)), 'schema', 'bundle.json');
const manifest = JSON.parse(readFileSync(join(dataDir(), 'manifest.json'), 'utf8'));
// The gate's policy (benches/gate-policy.json, read by benches/gate.rs too): thresholds on
// recomputed metrics, top-k and correlation from the series.
const GATE_POLICY = JSON.parse(readFileSync(new URL('../gate-policy.json', import.meta.url), 'utf8'));


const decoder = new TextDecoder();
const wireText = typeof wg.wireText === 'function' ? wg.wireText : JSON.stringify;

/** What a caller acting on the verdict reads. */
function readVerdicts(a) {
  if (a.type !== 'success') return 0;
  const v = a.value;
  let n = v.selected.length + v.rejected.length;
  for (const s of v.strategies) if (s.verdict === 'valid') n += 1;
  return n;
}

/** The texts the edge stores for an upload (edge/src/world.js). */
function storeTexts(a) {
  const v = a.value;
  let n = wireText(v.decision).length + wireText(v.redactions).length;
  for (const r of v.runs) n += r.status.run_id.length + wireText(r).length + wireText(r.metrics).length;
  for (const s of v.snapshots) n += wireText(s).length;
  return n;
}

/** Every member down to the leaves. */
function readAll(v) {
  if (v === null || typeof v !== 'object') return 1;
  let n = 0;
  if (Array.isArray(v)) for (const x of v) n += readAll(x);
  else for (const k in v) n += readAll(v[k]);
  return n;
}
let validate = null;
let ajvSkip = null;
if (existsSync(schemaPath)) {
  const ajv = new Ajv2020({ strict: false, validateFormats: false, allErrors: false });
  validate = ajv.compile(JSON.parse(readFileSync(schemaPath, 'utf8')));
} else {
  ajvSkip = 'skipped: pkg/schema/bundle.json not in this build';
}
const gateSkip = typeof wg.gateBundle === 'function' ? null : 'skipped: gateBundle not in this build';
let policyArg = GATE_POLICY;
if (!gateSkip && typeof wg.parsePolicy === 'function') {
  policyArg = wg.parsePolicy(GATE_POLICY, { dialect: 'strict' });
}

// Warm-up: V8 first runs wasm in its baseline tier and optimizes it in the background; without
// this the first rows (10 KB) would time partly unoptimized code.
if (!gateSkip) {
  const labels = Object.keys(manifest.bundles);
  const warm = new Uint8Array(readFileSync(join(dataDir(), `bundle-${labels[Math.min(1, labels.length - 1)]}.json`)));
  try {
    const t0 = performance.now();
    while (performance.now() - t0 < 1500) wg.gateBundle(warm, policyArg, {});
  } catch { /* an older build: the rows below report it */ }
}

for (const [label, info] of Object.entries(manifest.bundles)) {
  const bytes = new Uint8Array(readFileSync(join(dataDir(), `bundle-${label}.json`)));
  const base = { area: 'gate', case: label, bytes: bytes.length };
  // worldgate wasm
  if (gateSkip) {
    emit({ ...base, contender: 'wasm', label: 'worldgate wasm in Node (gateBundle)', skipped: gateSkip });
  } else {
    let arg = policyArg;
    let first;
    try {
      first = wg.gateBundle(bytes, arg, {});
    } catch {
      // a build whose gateBundle wants the policy document rather than a compiled handle
      arg = GATE_POLICY;
      first = wg.gateBundle(bytes, arg, {});
    }
    // {type: "success", value} | {type: "failure", errors}; older shapes: the result itself
    const value = first?.type === 'success' ? first.value : first?.type === 'failure' ? null : first;
    if (first?.type === 'failure') {
      emit({ ...base, contender: 'wasm', label: 'worldgate wasm in Node (gateBundle)',
        error: `the gate rejected the bench bundle: ${JSON.stringify(first.errors?.slice(0, 3))}` });
    } else {
      const rows = [
        ['wasm', 'gate + read the verdicts and selection', readVerdicts],
        ['wasm-store', 'gate + the texts the edge stores (wireText)', storeTexts],
        ['wasm-full', 'gate + read every member (full parse)', readAll],
      ];
      for (const [c, what, read] of rows) {
        const timing = measure(() => read(wg.gateBundle(bytes, arg, {})));
        emit({ ...base, contender: c, label: `worldgate wasm in Node (gateBundle): ${what}`, timing,
          selected: value?.selected?.length ?? value?.decision?.selected?.length ?? null,
          input_digest: value?.input_digest ?? null, result_digest: value?.result_digest ?? null,
          result_bytes: wireText(first).length });
      }
      // The same with every digest hashed in wasm, as in browsers (the package's internal hook
      // takes node:crypto's SHA-256 from the instance, then gives it back).
      if (wg.__internal?.platformSha256?.() && typeof wg.__internal.usePlatformSha256 === 'function') {
        wg.__internal.usePlatformSha256(false);
        try {
          const again = wg.gateBundle(bytes, arg, {}).value;
          const timing = measure(() => readVerdicts(wg.gateBundle(bytes, arg, {})));
          emit({ ...base, contender: 'wasm-sha-in-wasm', label: 'worldgate wasm in Node, SHA-256 in wasm (as in browsers): gate + read the verdicts', timing,
            input_digest: again?.input_digest ?? null, result_digest: again?.result_digest ?? null });
        } finally {
          wg.__internal.usePlatformSha256(true);
        }
      }
    }
  }
  // JSON.parse + ajv
  if (validate) {
    const ok = validate(JSON.parse(decoder.decode(bytes)));
    const timing = measure(() => validate(JSON.parse(decoder.decode(bytes))));
    emit({ ...base, contender: 'ajv', label: 'TextDecoder + JSON.parse + ajv 8.20 (compiled bundle.json)', timing, valid: ok,
      errors: ok ? null : validate.errors?.slice(0, 3) });
  } else {
    emit({ ...base, contender: 'ajv', label: 'TextDecoder + JSON.parse + ajv 8.20 (compiled bundle.json)', skipped: ajvSkip });
  }
  // JSON.parse alone (the floor of any JS validator)
  {
    const timing = measure(() => JSON.parse(decoder.decode(bytes)));
    emit({ ...base, contender: 'json-parse', label: 'TextDecoder + JSON.parse alone', timing });
  }
}
