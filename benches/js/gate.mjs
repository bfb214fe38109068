// Bundle gate throughput in Node on the generated 10 KB / 1 MB / 10 MB bundles: worldgate's
// `gateBundle(bytes, policy)` (wasm) side by side with JSON.parse + ajv validating the generated
// JSON Schema pkg/schema/bundle.json (schema compiled beforehand; bytes decoded with TextDecoder
// in the timing, as the gate starts from bytes too), and JSON.parse alone. Contenders the build
// lacks are reported as skipped. Prints one JSON line per case.
import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { measure, emit, dataDir } from './timing.mjs';
import Ajv2020 from 'ajv/dist/2020.js';

const pkgUrl = process.env.WG_PKG ?? new URL('../../pkg/node.js', import.meta.url).href;
const wg = await import(pkgUrl);
const schemaPath = join(fileURLToPath(new URL('.', pkgUrl)), 'schema', 'bundle.json');
const manifest = JSON.parse(readFileSync(join(dataDir(), 'manifest.json'), 'utf8'));

// The gate's policy: thresholds on recomputed metrics, top-k and correlation from the series.
export const GATE_POLICY = {
  thresholds: { sharpe: { metric: 'sharpe', min: -10 }, dd: { metric: 'max_drawdown', max: 1.0 } },
  top_k: { metric: 'sharpe', k: 10 },
  correlation: { max: 0.9 },
};

const decoder = new TextDecoder();
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
      const timing = measure(() => wg.gateBundle(bytes, arg, {}));
      emit({ ...base, contender: 'wasm', label: 'worldgate wasm in Node (gateBundle)', timing,
        selected: value?.selected?.length ?? value?.decision?.selected?.length ?? null,
        input_digest: value?.input_digest ?? null, result_digest: value?.result_digest ?? null });
      // The same with every digest hashed in wasm, as in browsers (the package's internal hook
      // takes node:crypto's SHA-256 from the instance, then gives it back).
      if (wg.__internal?.platformSha256?.() && typeof wg.__internal.usePlatformSha256 === 'function') {
        wg.__internal.usePlatformSha256(false);
        try {
          const again = wg.gateBundle(bytes, arg, {}).value;
          const timing = measure(() => wg.gateBundle(bytes, arg, {}));
          emit({ ...base, contender: 'wasm-sha-in-wasm', label: 'worldgate wasm in Node, SHA-256 in wasm (as in browsers)', timing,
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
