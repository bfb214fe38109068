// `WorldgateClient`: the edge's native API over `fetch` (browsers, workers, Node 22+).
//
// Transport only: requests, timeouts, retries, and the edge's error document turned into a
// `WorldgateError`. The one rule it needs — when a waited-for run is done — is the engine's
// (`runSettled`, called through the wasm like every other export; `upload({wait: true})` awaits
// `init()` first so browsers need no setup of their own).
//
// Retries: network failures, timeouts, 429 and 5xx answers are retried `retries` times (default
// 3) after 250 ms doubling to 4 s; a 4xx is the caller's input and thrown at once. Out of retries,
// the last failure is thrown: the server's error document (its code, e.g. `E_INTERNAL`, and the
// HTTP status in `status`), or `E_UNAVAILABLE` for no answer, a timeout, or a 5xx without an
// error document (a proxy's page).
import { WorldgateError, init, wrapFunction } from './api.js';

const runSettled = wrapFunction('runSettled');

const RETRY_BASE_MS = 250;
const RETRY_MAX_MS = 4000;
const POLL_MAX_MS = 8000;

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const backoff = (attempt, base, max) => (attempt === 0 ? 0 : Math.min(max, base * 2 ** (attempt - 1)));
const seg = encodeURIComponent;

function unavailable(message, extra = {}) {
  const e = new WorldgateError(message, { code: 'E_UNAVAILABLE', cause: extra.cause });
  if (extra.status !== undefined) e.status = extra.status;
  return e;
}

/** The error document of a non-2xx answer as a `WorldgateError` (its HTTP status in `status`). */
function fromErrorDocument(status, text, method, path) {
  let doc;
  try { doc = JSON.parse(text); } catch { doc = undefined; }
  if (doc && typeof doc.code === 'string' && typeof doc.message === 'string') {
    const e = new WorldgateError(doc.message, {
      code: doc.code, path: typeof doc.path === 'string' ? doc.path : '', help: doc.help, errors: doc.errors,
    });
    e.status = status;
    return e;
  }
  const excerpt = text.slice(0, 200);
  if (status >= 500 || status === 429) return unavailable(`${method} ${path}: HTTP ${status}: ${excerpt}`, { status });
  const e = new WorldgateError(`${method} ${path}: HTTP ${status}: ${excerpt}`, { code: 'E_INTERNAL' });
  e.status = status;
  return e;
}

export class WorldgateClient {
  /**
   * @param {{baseUrl: string, token?: string, timeoutMs?: number, retries?: number,
   *          fetch?: typeof fetch, pollIntervalMs?: number}} options
   */
  constructor({ baseUrl, token, timeoutMs = 30000, retries = 3, fetch: fetchImpl, pollIntervalMs = 500 } = {}) {
    if (typeof baseUrl !== 'string' || !/^https?:\/\//.test(baseUrl)) {
      throw new WorldgateError('`baseUrl` must be an http:// or https:// URL', { code: 'E_INVALID_VALUE', path: '/baseUrl' });
    }
    for (const [name, v, min] of [['timeoutMs', timeoutMs, 1], ['retries', retries, 0], ['pollIntervalMs', pollIntervalMs, 1]]) {
      if (!Number.isInteger(v) || v < min) {
        throw new WorldgateError(`\`${name}\` must be an integer of at least ${min}`, { code: 'E_INVALID_VALUE', path: `/${name}` });
      }
    }
    const f = fetchImpl ?? globalThis.fetch;
    if (typeof f !== 'function') {
      throw new WorldgateError('no `fetch` in this runtime: pass one as `fetch`', { code: 'E_INVALID_VALUE', path: '/fetch' });
    }
    this.baseUrl = baseUrl.replace(/\/+$/, '');
    this.token = token;
    this.timeoutMs = timeoutMs;
    this.retries = retries;
    this.pollIntervalMs = pollIntervalMs;
    // called unbound: browsers throw "Illegal invocation" for a `fetch` detached from `window`
    this.fetch = (...args) => f.call(globalThis, ...args);
  }

  /** `method path` → the decoded JSON of a 2xx answer (`{status, body}`; with `as: 'bytes'` the
   *  body's bytes, undecoded), retrying as documented. */
  async request(method, path, { body, headers = {}, as = 'json' } = {}) {
    const url = this.baseUrl + path;
    const h = { accept: 'application/json', ...headers };
    if (this.token) h.authorization = `Bearer ${this.token}`;
    if (body !== undefined) h['content-type'] = 'application/json';
    let lastError;
    for (let attempt = 0; attempt <= this.retries; attempt += 1) {
      const wait = backoff(attempt, RETRY_BASE_MS, RETRY_MAX_MS);
      if (wait > 0) await sleep(wait);
      const controller = new AbortController();
      const timer = setTimeout(() => controller.abort(), this.timeoutMs);
      let res;
      let data;
      try {
        res = await this.fetch(url, { method, headers: h, body, signal: controller.signal });
        data = new Uint8Array(await res.arrayBuffer());
      } catch (cause) {
        const timedOut = controller.signal.aborted;
        lastError = unavailable(
          timedOut
            ? `${method} ${path}: no answer within ${this.timeoutMs} ms`
            : `${method} ${path}: cannot reach ${this.baseUrl} (${cause?.message ?? cause})`,
          { cause },
        );
        continue;
      } finally {
        clearTimeout(timer);
      }
      if (res.ok && as === 'bytes') return { status: res.status, body: data };
      const text = new TextDecoder().decode(data);
      if (res.ok) {
        try {
          return { status: res.status, body: JSON.parse(text) };
        } catch (cause) {
          throw unavailable(`${method} ${path}: HTTP ${res.status} answer is not JSON`, { status: res.status, cause });
        }
      }
      const err = fromErrorDocument(res.status, text, method, path);
      if (res.status >= 500 || res.status === 429) { lastError = err; continue; }
      throw err;
    }
    if (lastError.code === 'E_UNAVAILABLE') {
      lastError.message += ` (after ${this.retries + 1} attempt${this.retries === 0 ? '' : 's'})`;
    }
    throw lastError;
  }

  async get(path) {
    return (await this.request('GET', path)).body;
  }

  /** The bytes of a document (`GET path`), undecoded: for a caller that reads documents through
   *  the engine itself (the viewer validates and parses them strictly in wasm). */
  async bytes(path) {
    return (await this.request('GET', path, { as: 'bytes' })).body;
  }

  /**
   * Uploads a bundle (`POST /worlds/{world}/runs`, the world from the bundle's `world_id` or
   * `options.world`). `wait: true` then polls each run's status until the engine calls it settled
   * (evaluated or later; `waitTimeoutMs`, default 10 minutes, else `E_UNAVAILABLE`) and returns the
   * final statuses in `runs`. `respondAsync: true` sends `Prefer: respond-async` (the edge answers
   * 202 with the runs at `submitted` and evaluates them shortly after).
   */
  async upload(bundle, { idempotencyKey, wait = false, world, waitTimeoutMs = 600000, respondAsync = false } = {}) {
    let text;
    let doc;
    if (typeof bundle === 'string') text = bundle;
    else if (bundle instanceof Uint8Array || bundle instanceof ArrayBuffer) text = new TextDecoder().decode(bundle);
    else { doc = bundle; text = JSON.stringify(bundle); }
    if (world === undefined) {
      if (doc === undefined) {
        try { doc = JSON.parse(text); } catch { doc = undefined; }
      }
      world = doc?.world_id;
    }
    if (typeof world !== 'string') {
      throw new WorldgateError('the bundle has no string `world_id`: pass `{world}` or a bundle with one', { code: 'E_SCHEMA', path: '/world_id' });
    }
    const headers = idempotencyKey === undefined ? {} : { 'idempotency-key': idempotencyKey };
    if (respondAsync) headers.prefer = 'respond-async';
    const { status, body } = await this.request('POST', `/worlds/${seg(world)}/runs`, { body: text, headers });
    const answer = { ...body, httpStatus: status };
    if (wait) answer.runs = await Promise.all(body.runs.map((r) => this.waitFor(r, waitTimeoutMs)));
    return answer;
  }

  /** Polls a run's status (interval doubling from `pollIntervalMs` to 8 s) until it is settled. */
  async waitFor(run, timeoutMs = 600000) {
    await init();
    const deadline = Date.now() + timeoutMs;
    const path = run.links?.status ?? `/worlds/${seg(run.world_id)}/strategies/${seg(run.strategy_id)}/runs/${seg(run.run_id)}`;
    let current = run;
    for (let polls = 1; !runSettled(current.status); polls += 1) {
      const left = deadline - Date.now();
      if (left <= 0) throw unavailable(`run \`${current.run_id}\` is still \`${current.status}\` after ${timeoutMs} ms`);
      await sleep(Math.min(left, backoff(polls, this.pollIntervalMs, POLL_MAX_MS)));
      current = await this.get(path);
    }
    return current;
  }

  /** A run's status document; `run` is a run id or `'latest'`. */
  run(world, strategy, run = 'latest') {
    return this.get(`/worlds/${seg(world)}/strategies/${seg(strategy)}/runs/${seg(run)}`);
  }

  /** One page of a strategy's runs, newest first (`next_cursor` continues). */
  runs(world, strategy, { limit, cursor } = {}) {
    const q = new URLSearchParams();
    if (limit !== undefined) q.set('limit', String(limit));
    if (cursor !== undefined && cursor !== null) q.set('cursor', cursor);
    const qs = q.toString();
    return this.get(`/worlds/${seg(world)}/strategies/${seg(strategy)}/runs${qs ? `?${qs}` : ''}`);
  }

  /** A run's metrics document (`E_RUN_NOT_EVALUATED` before it is evaluated). */
  metrics(world, strategy, run = 'latest') {
    return this.get(`/worlds/${seg(world)}/strategies/${seg(strategy)}/runs/${seg(run)}/metrics`);
  }

  /** A run's history (every revision). */
  history(world, strategy, run = 'latest') {
    return this.get(`/worlds/${seg(world)}/strategies/${seg(strategy)}/runs/${seg(run)}/history`);
  }

  /** A snapshot envelope by its id (a run's `links.snapshot` names it). */
  snapshot(world, snapshotId) {
    return this.get(`/worlds/${seg(world)}/snapshots/${seg(snapshotId)}`);
  }

  /** The world's activation state. */
  activation(world) {
    return this.get(`/worlds/${seg(world)}/activation`);
  }

  /** The world's current policy (`version` for an older one). */
  policy(world, { version } = {}) {
    return this.get(`/worlds/${seg(world)}/policy${version === undefined ? '' : `?version=${seg(String(version))}`}`);
  }
}
