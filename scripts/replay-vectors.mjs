// Replays tests/vectors/bad (bad bundles and policies) and tests/vectors/digest through a
// built worldgate JS module, the way a consumer calls it (gateBundle, parsePolicy).
//   node scripts/replay-vectors.mjs <path to the module: pkg/node.js or a wasm-bindgen nodejs build>
// Exits 1 when a vector disagrees; known failures (`known_failure`) are skipped.
import { readFileSync, readdirSync } from "node:fs";
import { createRequire } from "node:module";
import { join, resolve } from "node:path";

const modPath = resolve(process.argv[2] ?? "pkg/node.js");
const wg = modPath.endsWith(".cjs") || modPath.endsWith("worldgate.js")
  ? createRequire(import.meta.url)(modPath)
  : await import(modPath);
const root = new URL("..", import.meta.url).pathname;

function inputBytes(v) {
  if (typeof v.input === "string") return new TextEncoder().encode(v.input);
  const parts = [];
  for (const p of v.generate) {
    if (p.text !== undefined) parts.push(new TextEncoder().encode(p.text));
    else if (p.hex !== undefined) parts.push(Uint8Array.from(p.hex.match(/../g).map((h) => parseInt(h, 16))));
    else if (p.repeat !== undefined) parts.push(new TextEncoder().encode(p.repeat.repeat(p.count)));
    else if (p.template !== undefined) {
      const items = [];
      for (let i = 0; i < p.count; i++) items.push(p.template.replaceAll("{i}", String(i)));
      parts.push(new TextEncoder().encode(items.join(p.join ?? "")));
    } else throw new Error("unknown part " + JSON.stringify(p));
  }
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) { out.set(p, o); o += p.length; }
  return out;
}

const sandbox = wg.presetPolicy("sandbox");
let failures = 0, ran = 0, skipped = 0;
const dir = join(root, "tests/vectors/bad");
for (const f of readdirSync(dir).sort()) {
  const v = JSON.parse(readFileSync(join(dir, f), "utf8"));
  if (v.known_failure) { skipped++; continue; }
  const bytes = inputBytes(v);
  let errors = [];
  try {
    if (v.kind === "bundle") {
      const r = wg.gateBundle(bytes, sandbox, {});
      errors = r.type === "failure" ? r.errors : [];
    } else {
      try { wg.parsePolicy(new TextDecoder().decode(bytes), { dialect: v.dialect ?? "strict" }); }
      catch (e) { if (e.name !== "WorldgateError") throw e; errors = e.errors ?? [{ code: e.code, path: e.path }]; }
    }
  } catch (e) {
    console.log(`${v.name}: THREW ${e}`); failures++; continue;
  }
  ran++;
  const first = errors[0];
  if (!first) { console.log(`${v.name}: accepted, expected ${v.expected_code}`); failures++; }
  else if (first.code !== v.expected_code) { console.log(`${v.name}: got ${first.code} ${first.path}, expected ${v.expected_code}`); failures++; }
  else if (v.expected_path !== undefined && first.path !== v.expected_path) { console.log(`${v.name}: path ${first.path}, expected ${v.expected_path}`); failures++; }
}
const ddir = join(root, "tests/vectors/digest");
for (const f of readdirSync(ddir).sort()) {
  const v = JSON.parse(readFileSync(join(ddir, f), "utf8"));
  const r = wg.gateBundle(v.input, sandbox, {});
  ran++;
  if (r.type !== "success" || r.value.input_digest !== v.input_digest) {
    console.log(`digest ${v.name}: ${r.type === "success" ? r.value.input_digest : JSON.stringify(r.errors)} != ${v.input_digest}`);
    failures++;
  }
}
console.log(`${ran} vectors replayed, ${failures} failures, ${skipped} known failures skipped`);
process.exit(failures ? 1 : 0);
