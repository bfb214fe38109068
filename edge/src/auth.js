// Bearer-token authentication with per-world scopes.
//
// Tokens are configured as hashed secrets in `WORLDGATE_TOKENS` (a JSON secret or binding):
//   [{"name": "ci-alpha", "sha256": "<hex of sha256(token)>", "worlds": ["alpha"],
//     "scopes": ["read", "submit"]}]
// `worlds` may contain "*" (every world). Scopes: `read` (GET), `submit` (uploads), `admin`
// (transitions, policy versions); `admin` implies the other two, `submit` implies `read`.
// The presented token is hashed and compared with every configured digest in constant time
// (no early exit). Missing or unknown token → 401 `E_UNAUTHORIZED`; a known token used on a world
// or scope it does not hold → 403 `E_FORBIDDEN`. Reads without an `Authorization` header on a world
// listed in `ANONYMOUS_READ_WORLDS` pass as `anonymous` (`anonymousRead`; off by default).

import { fail } from "./http.js";

const IMPLIED = { read: ["read"], submit: ["read", "submit"], admin: ["read", "submit", "admin"] };

let cache = { source: undefined, entries: [] };

function configured(env) {
  const source = env.WORLDGATE_TOKENS;
  if (source === cache.source) return cache.entries;
  let list = [];
  try {
    list = typeof source === "string" ? JSON.parse(source) : (source ?? []);
  } catch {
    console.error("WORLDGATE_TOKENS is not valid JSON; no token will be accepted");
    list = [];
  }
  const entries = [];
  for (const t of Array.isArray(list) ? list : []) {
    if (!t || typeof t.sha256 !== "string" || !/^[0-9a-f]{64}$/i.test(t.sha256)) continue;
    const scopes = new Set();
    for (const s of Array.isArray(t.scopes) ? t.scopes : []) for (const i of IMPLIED[s] ?? []) scopes.add(i);
    entries.push({
      name: String(t.name ?? ""),
      digest: hexToBytes(t.sha256.toLowerCase()),
      worlds: new Set(Array.isArray(t.worlds) ? t.worlds.map(String) : []),
      scopes,
    });
  }
  cache = { source, entries };
  return entries;
}

function hexToBytes(hex) {
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return out;
}

function equal(a, b) {
  if (crypto.subtle.timingSafeEqual) return crypto.subtle.timingSafeEqual(a, b);
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i] ^ b[i];
  return diff === 0;
}

/** The hex sha256 of a token, as stored in `WORLDGATE_TOKENS`. */
export async function tokenDigest(token) {
  const d = new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(token)));
  return Array.from(d, (b) => b.toString(16).padStart(2, "0")).join("");
}

/** The configured token presented in `Authorization: Bearer …`; throws 401 when there is none. */
export async function authenticate(request, env) {
  const header = request.headers.get("authorization") ?? "";
  const m = /^Bearer[ ]+([\x21-\x7e]{1,512})$/i.exec(header.trim());
  if (!m) throw fail("E_UNAUTHORIZED", header ? "malformed authorization header" : "missing bearer token");
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(m[1])));
  let found = null;
  for (const entry of configured(env)) {
    if (equal(entry.digest, digest) && found === null) found = entry;
  }
  if (found === null) throw fail("E_UNAUTHORIZED", "unknown bearer token");
  return found;
}

/** Throws 403 unless `principal` holds `scope` on `world` (`world` null: any world). */
export function authorize(principal, world, scope) {
  const onWorld = world === null || principal.worlds.has("*") || principal.worlds.has(world);
  if (!onWorld) throw fail("E_FORBIDDEN", `token is not valid for world \`${world}\``);
  if (!principal.scopes.has(scope)) {
    throw fail("E_FORBIDDEN", `token lacks the \`${scope}\` scope`);
  }
}

/**
 * Whether `world` allows anonymous reads: it is listed in `ANONYMOUS_READ_WORLDS` (comma-separated
 * world ids, or `*` for every world; unset or empty: none). Only reads (GET) ever use this.
 */
export function anonymousRead(env, world) {
  const list = String(env.ANONYMOUS_READ_WORLDS ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  return list.includes("*") || list.includes(world);
}
