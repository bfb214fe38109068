// HTTP plumbing: JSON responses, the error document, CORS, bounded body reading.
//
// Every failure leaves the worker as the error document `{code, message, path, help?, errors?}`
// with the status of its code, as the engine maps it (`httpStatus`, i.e. `Code::http_status` in
// src/error.rs; the HTTP-only codes `E_NOT_FOUND` 404, `E_METHOD_NOT_ALLOWED` 405 and
// `E_UNSUPPORTED_MEDIA_TYPE` 415 are engine codes too). No response ever carries a stack trace.

import { httpStatus, logInternal } from "./engine.js";

/** HTTP status for an error code (the engine's table; 500 for a code it does not know). */
export function statusFor(code) {
  return httpStatus(code);
}

/** An error raised by the worker itself, carrying the HTTP status of its code. */
export class HttpError extends Error {
  constructor(status, code, message, path = "", extra = {}) {
    super(message);
    this.name = "HttpError";
    this.status = status;
    this.code = code;
    this.path = path;
    this.extra = extra;
    if (extra.help) this.help = extra.help;
  }
}

/** An `HttpError` whose status follows its code. */
export function fail(code, message, path = "", extra = {}) {
  return new HttpError(statusFor(code), code, message, path, extra);
}

export function json(body, status = 200, headers = {}) {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": "application/json; charset=utf-8", ...headers },
  });
}

/** The error document for a list of `{code, message, path, help?}` (first one at top level). */
export function errorBody(errors) {
  const [first] = errors;
  const body = { code: first.code, message: first.message, path: first.path ?? "" };
  if (first.help) body.help = first.help;
  if (errors.length > 1) body.errors = errors.map(plainError);
  return body;
}

function plainError(e) {
  const out = { code: String(e.code), message: String(e.message), path: String(e.path ?? "") };
  if (e.help) out.help = String(e.help);
  return out;
}

/**
 * Turns anything thrown into a response. `HttpError` and engine `WorldgateError`s keep their code;
 * everything else becomes a bare `E_INTERNAL` with no detail (logged, never sent).
 */
export function errorResponse(err) {
  if (err instanceof HttpError) {
    const headers = err.status === 401 ? { "www-authenticate": 'Bearer realm="worldgate"' } : {};
    if (err.extra.allow) headers.allow = err.extra.allow;
    return json(errorBody([err]), err.status, headers);
  }
  if (isEngineError(err)) {
    const errors = Array.isArray(err.errors) && err.errors.length ? err.errors : [err];
    return json(errorBody(errors.map(plainError)), statusFor(errors[0].code));
  }
  logInternal("internal error", err);
  return json({ code: "E_INTERNAL", message: "internal error", path: "" }, 500);
}

/** A `WorldgateError` thrown by the engine (or one carried across a Durable Object RPC boundary). */
export function isEngineError(err) {
  return (
    err != null &&
    typeof err === "object" &&
    typeof err.code === "string" &&
    /^E_[A-Z_]+$/.test(err.code) &&
    typeof err.message === "string"
  );
}

/** CORS headers for `origin` when it is allowed by `CORS_ORIGINS` (comma-separated, or `*`). */
export function corsHeaders(request, env) {
  const origin = request.headers.get("origin");
  const allowed = String(env.CORS_ORIGINS ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  if (!origin || allowed.length === 0) return {};
  const ok = allowed.includes("*") || allowed.includes(origin);
  if (!ok) return {};
  return {
    "access-control-allow-origin": allowed.includes("*") ? "*" : origin,
    "access-control-allow-methods": "GET, POST, PUT, OPTIONS",
    "access-control-allow-headers": "authorization, content-type, idempotency-key, prefer",
    "access-control-expose-headers": "location, idempotency-key, x-worldgate-replayed",
    "access-control-max-age": "600",
    vary: "origin",
  };
}

export function withHeaders(response, headers) {
  if (Object.keys(headers).length === 0) return response;
  const out = new Response(response.body, response);
  for (const [k, v] of Object.entries(headers)) out.headers.set(k, v);
  return out;
}

/**
 * Requires a body of media type `application/json` (or one of `alsoAccepted`), in UTF-8: a
 * `charset` parameter other than `utf-8` (any case, quoted or not) is refused, as is any other
 * type; both 415 `E_UNSUPPORTED_MEDIA_TYPE`. Bodies are always read as UTF-8.
 */
export function requireJson(request, alsoAccepted = []) {
  const [typePart, ...params] = (request.headers.get("content-type") ?? "").split(";");
  const type = typePart.trim().toLowerCase();
  if (type !== "application/json" && !alsoAccepted.includes(type)) {
    throw fail("E_UNSUPPORTED_MEDIA_TYPE", type ? `unsupported content type \`${type.slice(0, 80)}\`` : "missing content type", "", {
      help: "send the document as `application/json`",
    });
  }
  for (const param of params) {
    const eq = param.indexOf("=");
    if (eq < 0 || param.slice(0, eq).trim().toLowerCase() !== "charset") continue;
    const charset = param.slice(eq + 1).trim().replace(/^"(.*)"$/, "$1").toLowerCase();
    if (charset !== "utf-8" && charset !== "utf8") {
      throw fail("E_UNSUPPORTED_MEDIA_TYPE", `unsupported charset \`${charset.slice(0, 40)}\``, "", {
        help: "send the document in UTF-8 (`charset=utf-8`, or no charset)",
      });
    }
  }
}

/**
 * Reads the body into one `Uint8Array`, refusing with 413 `E_TOO_LARGE` as soon as
 * `Content-Length` or the bytes streamed so far exceed `limit` (nothing past the limit is buffered).
 */
export async function readBody(request, limit) {
  const declared = request.headers.get("content-length");
  if (declared !== null && Number(declared) > limit) {
    throw fail("E_TOO_LARGE", `body of ${declared} bytes exceeds the limit of ${limit} bytes`);
  }
  if (!request.body) return new Uint8Array(0);
  const reader = request.body.getReader();
  const chunks = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel().catch(() => {});
      throw fail("E_TOO_LARGE", `body exceeds the limit of ${limit} bytes`);
    }
    chunks.push(value);
  }
  if (chunks.length === 1) return chunks[0];
  const out = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.byteLength;
  }
  return out;
}

/** Parses a small JSON control body (transitions); 400 `E_PARSE` when it is not JSON. */
export function parseJsonBody(bytes) {
  try {
    return JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes));
  } catch {
    throw fail("E_PARSE", "body is not valid JSON");
  }
}
