// Routing: match the path, authenticate, check the body, validate ids with the engine, then hand
// the request to the world's Durable Object (or, for `/validate` without a world, to the engine).
// No business rule lives here.

import { anonymousRead, authenticate, authorize } from "./auth.js";
import * as engine from "./engine.js";
import { fail, HttpError, isEngineError, json, readBody, requireJson } from "./http.js";
import { build as buildOpenapi, MAX_POLICY_VERSION, MAX_REASON_CHARS, YAML_TYPES } from "./openapi.js";
import { decodeCursor } from "./cursor.js";
import { ROUTES } from "./routes.js";

const DEFAULT_MAX_BODY = 10 * 1024 * 1024;
const MAX_CONTROL_BODY = 64 * 1024;
const SERIES = new Set(["returns", "equity", "pnl"]);

const HANDLERS = {
  healthz,
  openapi: openapiDocument,
  validate,
  upload,
  listRuns,
  getRun: (c) => getRun(c, "status"),
  getRunMetrics: (c) => getRun(c, "metrics"),
  getRunHistory: (c) => getRun(c, "history"),
  getSeries,
  getRunReport,
  transition,
  getSnapshot,
  getActivation,
  getPolicy: (c) => getPolicy(c),
  putPolicy,
  listPolicyVersions: (c) => getPolicy(c, "versions"),
  qmtlListRuns,
  qmtlGetRun: (c) => qmtlGetRun(c, "run"),
  qmtlGetRunMetrics: (c) => qmtlGetRun(c, "metrics"),
  qmtlGetRunHistory: (c) => qmtlGetRun(c, "history"),
  qmtlOverride: (c) => qmtlAnnotate(c, "override"),
  qmtlExPostFailure: (c) => qmtlAnnotate(c, "ex_post_failure"),
};

const TABLE = ROUTES.map(([method, pattern, name]) => [method, pattern.split("/").slice(1), HANDLERS[name]]);

function match(path) {
  const segments = path.split("/").slice(1);
  const found = [];
  for (const [method, pattern, handler] of TABLE) {
    if (pattern.length !== segments.length) continue;
    const params = {};
    let ok = true;
    for (let i = 0; i < pattern.length && ok; i++) {
      const p = pattern[i];
      if (p.startsWith("{")) {
        let v;
        try {
          v = decodeURIComponent(segments[i]);
        } catch {
          ok = false;
          break;
        }
        params[p.slice(1, -1)] = v;
      } else ok = p === segments[i];
    }
    if (ok) found.push({ method, handler, params });
  }
  return found;
}

/** Answers one request (errors are thrown as `HttpError`/engine errors and rendered by the caller). */
export async function route(request, env, ctx) {
  const url = new URL(request.url);
  const candidates = match(url.pathname);
  if (candidates.length === 0) throw fail("E_NOT_FOUND", `no route for \`${url.pathname}\``);
  const method = request.method === "HEAD" ? "GET" : request.method;
  const hit = candidates.find((m) => m.method === method);
  if (!hit) {
    const allow = [...new Set(candidates.map((m) => m.method))].join(", ");
    throw fail("E_METHOD_NOT_ALLOWED", `method \`${request.method}\` is not allowed here`, "", { allow });
  }
  if (!url.pathname.startsWith("/qmtl/")) return hit.handler({ request, env, ctx, url, params: hit.params });
  try {
    return await hit.handler({ request, env, ctx, url, params: hit.params });
  } catch (err) {
    return qmtlFailure(err);
  }
}

// ---- handlers ----------------------------------------------------------------------------------

let openapiCache = null;

function openapiDocument() {
  openapiCache ??= buildOpenapi(engine.schemaForOrNull, engine.versionOrNull());
  return json(openapiCache);
}

function healthz() {
  return json({ ok: true, service: "worldgate-edge", engine: engine.versionOrNull(), time: new Date().toISOString() });
}

async function validate(c) {
  const principal = await authenticate(c.request, c.env);
  const world = c.url.searchParams.get("world");
  if (world !== null) {
    engine.checkId(world, "/query/world");
    authorize(principal, world, "read");
  }
  requireJson(c.request);
  const bytes = await readBody(c.request, maxBody(c.env));
  if (world !== null) return answer(await stub(c.env, world).dryRun({ world, bytes }));
  return json(engine.dryRunDefault(bytes, c.env.DEFAULT_POLICY_PRESET));
}

async function upload(c) {
  const { world } = c.params;
  const principal = await worldAccess(c, world, "submit");
  requireJson(c.request);
  const key = c.request.headers.get("idempotency-key");
  if (key !== null && !/^[\x21-\x7e]{1,255}$/.test(key)) {
    throw fail("E_INVALID_VALUE", "the Idempotency-Key header must be 1-255 visible ASCII characters", "/headers/idempotency-key");
  }
  const bytes = await readBody(c.request, maxBody(c.env));
  const bodySha256 = await sha256Hex(bytes);
  const defer = /(^|[ ,;])respond-async($|[ ,;])/i.test(c.request.headers.get("prefer") ?? "");
  const out = await stub(c.env, world).upload({ world, bytes, bodySha256, idempotencyKey: key, actor: principal.name, defer });
  const res = answer(out);
  if ((out.status === 201 || out.status === 202) && out.body.runs?.length === 1) res.headers.set("location", out.body.runs[0].links.status);
  // echoed as stored: a key that holds a secret comes back redacted, never as sent
  if (key !== null) res.headers.set("idempotency-key", engine.sanitizeText(key, "/headers/idempotency-key").text);
  return res;
}

async function listRuns(c) {
  const { world, strategy } = c.params;
  await worldAccess(c, world, "read");
  engine.checkId(strategy, "/path/strategy_id");
  const q = c.url.searchParams;
  const limitText = q.get("limit") ?? "20";
  if (!/^\d{1,3}$/.test(limitText) || Number(limitText) < 1 || Number(limitText) > 100) {
    throw fail("E_INVALID_VALUE", `limit \`${limitText.slice(0, 20)}\` is not an integer from 1 to 100`, "/query/limit");
  }
  let cursor = null;
  if (q.has("cursor")) {
    cursor = decodeCursor(q.get("cursor"));
    if (cursor === null) throw fail("E_INVALID_VALUE", "cursor is not one this API handed out", "/query/cursor");
  }
  return answer(await stub(c.env, world).listRuns({ world, strategy, limit: Number(limitText), cursor }));
}

async function getRun(c, view) {
  const { world, strategy, run } = c.params;
  await worldAccess(c, world, "read");
  engine.checkId(strategy, "/path/strategy_id");
  if (run !== "latest") engine.checkId(run, "/path/run_id");
  return answer(await stub(c.env, world).getRun({ world, strategy, run, view }));
}

async function getSeries(c) {
  const { world, strategy, run, name } = c.params;
  await worldAccess(c, world, "read");
  engine.checkId(strategy, "/path/strategy_id");
  if (run !== "latest") engine.checkId(run, "/path/run_id");
  if (!SERIES.has(name)) throw fail("E_NOT_FOUND", `no series \`${name.slice(0, 40)}\`; series are returns, equity and pnl`);
  return answer(await stub(c.env, world).getSeries({ world, strategy, run, name }));
}

async function getRunReport(c) {
  const { world, strategy, run } = c.params;
  await worldAccess(c, world, "read");
  engine.checkId(strategy, "/path/strategy_id");
  if (run !== "latest") engine.checkId(run, "/path/run_id");
  return answer(await stub(c.env, world).getReport({ world, strategy, run }));
}

async function transition(c) {
  const { world, strategy, run } = c.params;
  const principal = await worldAccess(c, world, "admin");
  engine.checkId(strategy, "/path/strategy_id");
  if (run !== "latest") engine.checkId(run, "/path/run_id");
  requireJson(c.request);
  const body = parseControl(await readBody(c.request, MAX_CONTROL_BODY));
  if (body === null || typeof body !== "object" || Array.isArray(body)) throw fail("E_SCHEMA", "expected an object `{to, reason}`");
  for (const k of Object.keys(body)) {
    if (k !== "to" && k !== "reason") throw fail("E_SCHEMA", `unknown field \`${k.slice(0, 40)}\`; expected \`to\` and \`reason\``, `/${k}`);
  }
  if (typeof body.to !== "string") throw fail("E_SCHEMA", "`to` must be a run state", "/to");
  // Characters as JSON Schema's `maxLength` counts them: code points, not UTF-16 units.
  if (body.reason !== undefined && (typeof body.reason !== "string" || [...body.reason].length > MAX_REASON_CHARS)) {
    throw fail("E_SCHEMA", `\`reason\` must be a string of at most ${MAX_REASON_CHARS} characters`, "/reason");
  }
  return answer(
    await stub(c.env, world).transition({ world, strategy, run, to: body.to, reason: body.reason ?? null, actor: principal.name }),
  );
}

async function getSnapshot(c) {
  const { world, snapshot } = c.params;
  await worldAccess(c, world, "read");
  engine.checkId(snapshot, "/path/snapshot_id");
  return answer(await stub(c.env, world).getSnapshot({ world, snapshot }));
}

async function getActivation(c) {
  const { world } = c.params;
  await worldAccess(c, world, "read");
  return answer(await stub(c.env, world).getActivation({ world }));
}

async function getPolicy(c, special) {
  const { world } = c.params;
  await worldAccess(c, world, "read");
  let version = special ?? null;
  const v = c.url.searchParams.get("version");
  if (version === null && v !== null) {
    if (!/^\d{1,9}$/.test(v)) {
      throw fail("E_INVALID_VALUE", `version \`${v.slice(0, 20)}\` is not a whole number from 0 to ${MAX_POLICY_VERSION}`, "/query/version");
    }
    version = Number(v);
  }
  return answer(await stub(c.env, world).getPolicy({ world, version }));
}

async function putPolicy(c) {
  const { world } = c.params;
  const principal = await worldAccess(c, world, "admin");
  requireJson(c.request, YAML_TYPES);
  const dialect = c.url.searchParams.get("dialect");
  if (dialect !== null && dialect !== "strict" && dialect !== "qmtl") {
    throw fail("E_INVALID_VALUE", `unknown dialect \`${dialect.slice(0, 40)}\`; expected \`strict\` or \`qmtl\``, "/query/dialect");
  }
  const bytes = await readBody(c.request, MAX_CONTROL_BODY * 4);
  let text;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    throw fail("E_PARSE", "policy is not valid UTF-8");
  }
  return answer(await stub(c.env, world).putPolicy({ world, text, dialect: dialect ?? "strict", actor: principal.name }));
}

// ---- QMTL's surface ----------------------------------------------------------------------------
// The paths of QMTL's WorldService under `/qmtl` (a QMTL user sets QMTL_GATEWAY_URL to
// `<origin>/qmtl`). The documents are the engine's (`qmtlRun`, …, from the same stored runs the
// native API reads); errors are FastAPI's `{"detail": …}`. `latest` is an ordinary run id here,
// as in QMTL's server (QMTL's CLI resolves `latest` itself by listing).

async function qmtlListRuns(c) {
  const { world, strategy } = c.params;
  await worldAccess(c, world, "read");
  engine.checkId(strategy, "/path/strategy_id");
  return qmtlAnswer(await stub(c.env, world).qmtlListRuns({ world, strategy }));
}

async function qmtlGetRun(c, view) {
  const { world, strategy, run } = c.params;
  await worldAccess(c, world, "read");
  engine.checkId(strategy, "/path/strategy_id");
  engine.checkId(run, "/path/run_id");
  return qmtlAnswer(await stub(c.env, world).qmtlGetRun({ world, strategy, run, view }));
}

/** Overrides and ex-post failures: appended to the run's history; need the `admin` scope. */
async function qmtlAnnotate(c, kind) {
  const { world, strategy, run } = c.params;
  const principal = await worldAccess(c, world, "admin");
  engine.checkId(strategy, "/path/strategy_id");
  engine.checkId(run, "/path/run_id");
  requireJson(c.request);
  const bytes = await readBody(c.request, MAX_CONTROL_BODY);
  return qmtlAnswer(await stub(c.env, world).qmtlAnnotate({ world, strategy, run, kind, bytes, actor: principal.name }));
}

/** A Durable Object answer on the QMTL surface: failures re-rendered as `{detail}`. */
function qmtlAnswer(out) {
  if (out.status < 400) return json(out.body, out.status, out.headers ?? {});
  const errors = Array.isArray(out.body?.errors) && out.body.errors.length ? out.body.errors : [out.body ?? {}];
  return qmtlErrors(errors.map(plainError));
}

function qmtlFailure(err) {
  if (err instanceof HttpError) {
    const res = qmtlErrors([plainError(err)]);
    if (err.status === 401) res.headers.set("www-authenticate", 'Bearer realm="worldgate"');
    if (err.extra.allow) res.headers.set("allow", err.extra.allow);
    return res;
  }
  if (isEngineError(err)) return qmtlErrors((Array.isArray(err.errors) && err.errors.length ? err.errors : [err]).map(plainError));
  console.error("qmtl: internal error:", err && err.name, err && err.message);
  return json({ detail: { code: "E_INTERNAL", message: "internal error", path: "" } }, 500);
}

function qmtlErrors(errors) {
  const { status, body } = engine.qmtlError(errors);
  return json(body, status);
}

function plainError(e) {
  const out = { code: String(e.code ?? "E_INTERNAL"), message: String(e.message ?? "internal error"), path: String(e.path ?? "") };
  if (e.help) out.help = String(e.help);
  return out;
}

// ---- helpers -----------------------------------------------------------------------------------

/**
 * Authenticates, validates the world id with the engine, and checks the scope on that world. A
 * read without an `Authorization` header is let through as `anonymous` on a world listed in
 * `ANONYMOUS_READ_WORLDS` (off by default); writes always need a token.
 */
async function worldAccess(c, world, scope) {
  if (scope === "read" && !c.request.headers.has("authorization") && anonymousRead(c.env, world)) {
    engine.checkId(world, "/path/world_id");
    return { name: "anonymous" };
  }
  const principal = await authenticate(c.request, c.env);
  engine.checkId(world, "/path/world_id");
  authorize(principal, world, scope);
  return principal;
}

function stub(env, world) {
  return env.WORLD.get(env.WORLD.idFromName(world));
}

function answer(out) {
  return json(out.body, out.status, out.headers ?? {});
}

function maxBody(env) {
  const n = Number(env.MAX_BODY_BYTES);
  return Number.isFinite(n) && n > 0 ? n : DEFAULT_MAX_BODY;
}

function parseControl(bytes) {
  try {
    return JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes));
  } catch {
    throw fail("E_PARSE", "body is not valid JSON");
  }
}

async function sha256Hex(bytes) {
  const d = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
  return Array.from(d, (b) => b.toString(16).padStart(2, "0")).join("");
}

