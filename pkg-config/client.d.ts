// The edge API client (pkg-config/client.js). Wire types are the engine's (above).

/** What `WorldgateClient` passes to `fetch` (a subset of `RequestInit`). */
export interface FetchInit {
  method?: string;
  headers?: object;
  body?: unknown;
  signal?: unknown;
}

/** What `WorldgateClient` reads of `fetch`'s answer (a subset of `Response`). */
export interface FetchResponse {
  readonly ok: boolean;
  readonly status: number;
  arrayBuffer(): Promise<ArrayBuffer>;
}

/** Options of `new WorldgateClient(…)`. */
export interface WorldgateClientOptions {
  /** The edge API's base URL, e.g. `https://worldgate.example.com` (http:// or https://). */
  baseUrl: string;
  /** Bearer token; reads of worlds configured for anonymous read need none. */
  token?: string;
  /** Milliseconds one request may take before it is aborted and retried (default 30000). */
  timeoutMs?: number;
  /** Retries after a network failure, timeout, 429 or 5xx (default 3; 250 ms doubling to 4 s). */
  retries?: number;
  /** First poll interval of `upload({wait: true})` / `waitFor`, doubling to 8 s (default 500). */
  pollIntervalMs?: number;
  /** The `fetch` to use (default `globalThis.fetch`); any `fetch`-compatible function. */
  fetch?(input: string, init: FetchInit): Promise<FetchResponse>;
}

/** Options of `WorldgateClient.upload`. */
export interface UploadOptions {
  /** Sent as `Idempotency-Key`: a retried upload with the same key is answered from the stored one. */
  idempotencyKey?: string;
  /** Poll each run until it is evaluated (or later) and return the final statuses in `runs`. */
  wait?: boolean;
  /** Give up waiting after this many milliseconds (`E_UNAVAILABLE`; default 600000). */
  waitTimeoutMs?: number;
  /** Send `Prefer: respond-async`: the edge answers 202 with the runs at `submitted`. */
  respondAsync?: boolean;
  /** The world, when the bundle is not an object with `world_id` (default: the bundle's). */
  world?: string;
}

/** The edge's answer to an upload (`POST /worlds/{world}/runs`). */
export interface UploadResult {
  world_id: string;
  input_digest: string;
  result_digest: string;
  ruleset_hash: string;
  policy_version: number;
  decision?: Decision | null;
  /** Strategies the policy selected, in rank order. */
  selected: string[];
  /** Strategies whose verdict is `invalid`. */
  rejected: string[];
  redactions?: Redaction[];
  /** One status per run; with `wait`, the final ones. */
  runs: RunStatus[];
  /** Each run's snapshot id (same order as `runs`); null while a deferred run is not evaluated. */
  snapshot_ids: (string | null)[];
  /** An identical earlier upload (same input digest or idempotency key) answered. */
  replayed: boolean;
  created_at?: string;
  /** The HTTP status: 201 created, 200 replayed, 202 deferred. */
  httpStatus: number;
}

/** One page of a strategy's runs, newest first. */
export interface RunPage {
  world_id: string;
  strategy_id: string;
  runs: RunStatus[];
  /** Pass as `cursor` for the next page; null on the last. */
  next_cursor: string | null;
}

/** A run's history: every revision's status document. */
export interface RunHistory {
  world_id: string;
  strategy_id: string;
  run_id: string;
  revisions: { rev: number; at: string; status: RunState; reason: string | null; actor: string | null; document: RunStatus }[];
}

/** A world's activation document. */
export interface WorldActivation {
  world_id: string;
  active: ActiveRun[];
  /** The engine's activation state, or null before the first upload. */
  hysteresis: ActivationState | null;
  last_decision: Decision | null;
  updated_at: string | null;
}

/** A world's policy version as the edge stores it. */
export interface WorldPolicy {
  world_id: string;
  /** 1, 2, … (0: the built-in default before any `PUT`). */
  version: number;
  ruleset_hash: string;
  dialect: Dialect;
  created_at: string | null;
  actor: string | null;
  /** The policy text as uploaded. */
  source: string | null;
  /** The policy with presets and defaults resolved. */
  resolved: PolicyDocument;
}

/**
 * The edge's native API over `fetch`, for browsers, workers and Node 22+. Transport only:
 * failures are `WorldgateError`s — the edge's error document (`code`, `path`, `message`, `help`)
 * with the HTTP status in `status`, or `E_UNAVAILABLE` when the edge cannot be reached, times out
 * or answers 5xx without an error document. Network failures, timeouts, 429 and 5xx are retried
 * `retries` times; out of retries the last failure is thrown. A 4xx is never retried.
 */
export declare class WorldgateClient {
  constructor(options: WorldgateClientOptions);
  readonly baseUrl: string;
  /** Uploads a bundle (object, JSON text or its bytes) to its world. */
  upload(bundle: Bundle | string | Uint8Array | ArrayBuffer, options?: UploadOptions): Promise<UploadResult>;
  /** Polls a run's status until it is evaluated or later (the engine's `runSettled`). */
  waitFor(run: RunStatus, timeoutMs?: number): Promise<RunStatus>;
  /** A run's status document; `run` is a run id or `'latest'` (default). */
  run(world: string, strategy: string, run?: string): Promise<RunStatus>;
  /** One page of a strategy's runs, newest first. */
  runs(world: string, strategy: string, page?: { limit?: number; cursor?: string | null }): Promise<RunPage>;
  /** A run's metrics (`E_RUN_NOT_EVALUATED`, status 409, before it is evaluated). */
  metrics(world: string, strategy: string, run?: string): Promise<MetricsDocument>;
  /** A run's history. */
  history(world: string, strategy: string, run?: string): Promise<RunHistory>;
  /** A snapshot envelope by id (`RunStatus.links.snapshot` names it). */
  snapshot(world: string, snapshotId: string): Promise<Snapshot>;
  /** The world's activation document. */
  activation(world: string): Promise<WorldActivation>;
  /** The world's current policy, or version `version`. */
  policy(world: string, options?: { version?: number }): Promise<WorldPolicy>;
  /** The bytes of a document (`GET path`, relative to `baseUrl`), undecoded: for a caller that
   *  reads documents through the engine itself. Errors as the other reads. */
  bytes(path: string): Promise<Uint8Array>;
}
