// Shared by the e2e tests and the benchmark: serve dist/ on a free loopback port and drive
// Debian's Chromium through playwright-core (never a downloaded browser).
import { existsSync, mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { createRequire } from "node:module";
import assert from "node:assert/strict";
import { chromium } from "playwright-core";
import { createStaticServer, listen } from "../scripts/static-server.mjs";
import { CHROMIUM_ARGS, CHROMIUM_PATH } from "../../scripts/chromium.mjs";

export const WWW = join(dirname(fileURLToPath(import.meta.url)), "..");
/** The built viewer; `WWW_DIST` points the tests at another build (e.g. main's, to see a new test fail there). */
export const DIST = process.env.WWW_DIST ?? join(WWW, "dist");
export const SAMPLES = join(WWW, "public", "samples");
export const OUT = join(WWW, "..", "test-output", "www");

export async function startServer(routes = {}) {
  if (!existsSync(join(DIST, "index.html"))) throw new Error("www/dist is missing: run `npm --prefix www run build`");
  const server = createStaticServer(DIST, { routes });
  const url = await listen(server, 0);
  return { url, close: () => new Promise((ok) => server.close(ok)), routes, warm: () => server.warm() };
}

export async function launch() {
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
}

export function outDir() {
  mkdirSync(OUT, { recursive: true });
  return OUT;
}

/** Opens a page, collecting page errors; waits until the app has finished its first load. */
export async function open(browser, url, { colorScheme = "light", width = 1440, height = 900 } = {}) {
  const context = await browser.newContext({ viewport: { width, height }, colorScheme, acceptDownloads: true });
  const page = await context.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(e.message));
  await page.goto(url);
  await page.waitForSelector("body[data-ready]:not([data-busy])", { timeout: 20_000 });
  return { page, context, errors };
}

/** Waits until the app is idle after an action (no load in progress, a frame painted). */
export async function settled(page) {
  await page.waitForSelector("body:not([data-busy])");
  await page.evaluate(() => new Promise((ok) => requestAnimationFrame(() => requestAnimationFrame(ok))));
}

const AXE = createRequire(import.meta.url).resolve("axe-core/axe.min.js");

/** axe-core on the page as it is: no violation of any rule. */
export async function assertAxe(page, label) {
  if (!(await page.evaluate(() => "axe" in window))) await page.addScriptTag({ path: AXE });
  const res = await page.evaluate(async () => {
    const r = await window.axe.run(document, { resultTypes: ["violations"] });
    return r.violations.map((v) => ({ id: v.id, nodes: v.nodes.slice(0, 3).map((n) => `${n.target.join(" ")}: ${n.failureSummary?.split("\n")[1] ?? ""}`) }));
  });
  assert.deepEqual(res, [], `${label}: ${JSON.stringify(res, null, 1)}`);
}
