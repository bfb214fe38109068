// Loads the sample world (`demo`): its policy (QMTL dialect) and the sample bundles, through the
// public API, once (a world that already has runs is left alone).
// Usage: node scripts/seed.mjs <api-url> <admin-token>   (also imported by serve.mjs)
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const sample = path.join(path.dirname(path.dirname(fileURLToPath(import.meta.url))), "sample");

export async function seed(url, token, { world = "demo", log = console.log } = {}) {
  const h = { authorization: `Bearer ${token}`, "content-type": "application/json" };
  const existing = await fetch(`${url}/worlds/${world}/policy/versions`, { headers: h }).then((r) => r.json());
  if (Array.isArray(existing.versions) && existing.versions.length > 0) {
    log(`seed: world \`${world}\` already has ${existing.versions.length} policy version(s); not seeding`);
    return;
  }
  const policy = fs.readFileSync(path.join(sample, "policy.json"));
  let r = await fetch(`${url}/worlds/${world}/policy?dialect=qmtl`, { method: "PUT", headers: h, body: policy });
  log(`seed: PUT /worlds/${world}/policy → ${r.status}`);
  if (!r.ok) log(`seed: ${await r.text()}`);
  for (const f of fs.readdirSync(sample).filter((n) => n.startsWith("bundle-")).sort()) {
    r = await fetch(`${url}/worlds/${world}/runs`, { method: "POST", headers: h, body: fs.readFileSync(path.join(sample, f)) });
    const body = await r.json();
    log(`seed: POST ${f} → ${r.status}${body.runs ? " " + body.runs.map((x) => `${x.strategy_id}/${x.run_id}`).join(", ") : " " + body.code + " " + body.message}`);
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [url, token] = process.argv.slice(2);
  if (!url || !token) {
    console.error("usage: node scripts/seed.mjs <api-url> <admin-token>");
    process.exit(2);
  }
  await seed(url.replace(/\/$/, ""), token);
}
