// OpenAPI-driven fuzzing of the edge: starts the built worker in real workerd (Miniflare, a temp
// persist folder, one admin token on every world), seeds the `demo` world (a policy and the sample
// bundles), then runs schemathesis (PyPI, pinned in fuzz/requirements.txt, installed into
// edge/.venv on first use) against `/openapi.json` with every check on, all four phases
// (examples, coverage, fuzzing, stateful: the document's `links` chain upload → run → metrics /
// history / series / snapshot → transition), a bounded number of examples per operation and a
// time budget. Exits with schemathesis's status (0: no failure and no unresolved reference).
//
// Usage: node fuzz/run.mjs [--max-examples N] [--max-time SECONDS] [--seed N]
// Env: FUZZ_MAX_EXAMPLES (default 25), FUZZ_MAX_TIME (default 150), FUZZ_SEED (default 1).
import { spawn, spawnSync } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { buildWorker } from "../scripts/build.mjs";
import { start } from "../scripts/runtime.mjs";
import { seed } from "../scripts/seed.mjs";

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.dirname(here);
const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : fallback;
};
const maxExamples = arg("max-examples", process.env.FUZZ_MAX_EXAMPLES ?? "25");
const maxTime = arg("max-time", process.env.FUZZ_MAX_TIME ?? "150");
const seedValue = arg("seed", process.env.FUZZ_SEED ?? "1");

/** edge/.venv with the pinned schemathesis; reinstalled when requirements.txt changes. */
function ensureVenv() {
  const venv = path.join(root, ".venv");
  const reqs = path.join(here, "requirements.txt");
  const stamp = path.join(venv, ".requirements.sha256");
  const want = crypto.createHash("sha256").update(fs.readFileSync(reqs)).digest("hex");
  const st = path.join(venv, "bin", "st");
  if (fs.existsSync(st) && fs.existsSync(stamp) && fs.readFileSync(stamp, "utf8") === want) return st;
  const run = (cmd, args) => {
    const r = spawnSync(cmd, args, { stdio: "inherit" });
    if (r.status !== 0) throw new Error(`${cmd} ${args.join(" ")} failed (${r.status ?? r.signal})`);
  };
  console.log(`fuzz: installing schemathesis into ${path.relative(process.cwd(), venv) || venv}`);
  if (!fs.existsSync(path.join(venv, "bin", "python"))) run("python3", ["-m", "venv", venv]);
  run(path.join(venv, "bin", "python"), ["-m", "pip", "install", "--quiet", "--disable-pip-version-check", "-r", reqs]);
  fs.writeFileSync(stamp, want);
  return st;
}

const st = ensureVenv();
const token = `wg_fuzz_${crypto.randomBytes(12).toString("hex")}`;
const persist = fs.mkdtempSync(path.join(os.tmpdir(), "wg-fuzz-"));
const { outdir } = await buildWorker({ outdir: `dist-fuzz-${process.pid}` });
const { mf, url } = await start({
  persist,
  dist: outdir,
  tokens: { fuzz: { token, worlds: ["*"], scopes: ["admin"] } },
  vars: { DEFER_MS: "200", MAX_BODY_BYTES: "1000000" },
});
let code = 1;
try {
  await seed(url, token, { log: () => {} });
  const args = [
    "run",
    `${url}/openapi.json`,
    "--checks",
    "all",
    "--phases",
    "examples,coverage,fuzzing,stateful",
    "--max-examples",
    String(maxExamples),
    "--max-time",
    String(maxTime),
    "--seed",
    String(seedValue),
    "--workers",
    "1",
    "--request-timeout",
    "20",
    "-H",
    `Authorization: Bearer ${token}`,
  ];
  console.log(`fuzz: st ${args.join(" ").replace(token, "<token>")}`);
  code = await new Promise((resolve) => {
    const child = spawn(st, ["--config-file", path.join(here, "schemathesis.toml"), ...args], {
      stdio: "inherit",
      env: { ...process.env, SCHEMATHESIS_HOOKS: "", NO_COLOR: "1" },
    });
    child.on("exit", (c, signal) => resolve(c ?? (signal ? 1 : 0)));
  });
} finally {
  await mf.dispose();
  fs.rmSync(outdir, { recursive: true, force: true });
  fs.rmSync(persist, { recursive: true, force: true });
}
console.log(`fuzz: schemathesis exited with ${code}`);
process.exit(code);
