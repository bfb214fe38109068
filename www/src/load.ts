// Loading: files (picker, drop) and URLs (`?src=`) → entries, each document checked by the
// engine's validator; a bundle is gated by the engine with the editor's policy. Malformed input
// becomes a LoadError carrying the engine's code, path and message.
import * as engine from "./engine";
import type { BundleSeries, CompiledPolicy, Decision, Dialect, DocumentKind, EvaluationMetrics, GateBundleOptions, GateResult, MetricsDocument, Redaction, Run, RunStatus, Snapshot, WireError } from "./engine";
import { type Entry, type Kind, type LoadError, entryKey } from "./store";

export interface Loaded {
  entries: Entry[];
  errors: LoadError[];
  /** Each gated bundle's decision, with the bundle's own activation state and correlations. */
  decisions: ({ world: string; decision: Decision } & Pick<BundleSeries, "previous" | "correlations">)[];
  /** Policy files (YAML or JSON): they go to the editor, which checks them. */
  policies: { source: string; text: string }[];
  /** Notes for the status line (a bundle gated with the last valid policy, …). */
  notes?: string[];
}

/** Supplies the policy bundles are gated with at load time (`stale`: the editor has errors and
 * this is its last valid policy). */
let policyProvider: () => { compiled: CompiledPolicy; stale: boolean } | null = () => null;
export function setPolicyProvider(fn: () => { compiled: CompiledPolicy; stale: boolean } | null): void {
  policyProvider = fn;
}

export const empty = (): Loaded => ({ entries: [], errors: [], decisions: [], policies: [] });

function fail(source: string, errors: WireError[]): Loaded {
  return { ...empty(), errors: errors.map((e) => ({ ...e, source })) };
}

function stem(source: string): string {
  const base = source.split(/[\\/]/).pop() ?? source;
  return base.replace(/\?.*$/, "").replace(/\.(json|csv|txt)$/i, "") || "series";
}

/** Receives the text of a policy file (the editor), its dialect when known, and its origin. */
let policySink: (text: string, dialect?: Dialect, origin?: string) => void = () => {};
export function setPolicySink(fn: (text: string, dialect?: Dialect, origin?: string) => void): void {
  policySink = fn;
}

/** Dialect policies found in files are checked with (the editor's). */
let dialectProvider: () => Dialect = () => "strict";
export function setDialectProvider(fn: () => Dialect): void {
  dialectProvider = fn;
}

/** Ingests one document's bytes (`kind`: the engine's `documentKind` of them, when the caller
 * has it already). Never throws. */
export function ingest(source: string, bytes: Uint8Array, kind?: DocumentKind | null): Loaded {
  try {
    return ingestUnsafe(source, bytes, kind);
  } catch (e) {
    if (!(e && typeof e === "object" && "code" in e)) console.error(e);
    return fail(source, engine.toEngineErrors(e));
  }
}

/** The engine says what the document is (`documentKind`, from its top-level keys) and checks it
 * with that kind's reader; a bundle is checked by `gateBundle` itself (one validation, not two). */
function ingestUnsafe(source: string, bytes: Uint8Array, known?: DocumentKind | null): Loaded {
  performance.mark("wg:ingest");
  const kind = known === undefined ? engine.documentKind(bytes) : known;
  performance.measure("wg:documentKind", "wg:ingest");
  if (kind === "bundle") return fromBundle(source, bytes);
  if (kind === "returns") return fromReturns(source, engine.readReturns(bytes));
  if (kind === "policy") {
    // To the editor at once, so the bundles loaded after it are gated with it.
    const text = new TextDecoder().decode(bytes);
    policySink(text, undefined, source);
    return { ...empty(), policies: [{ source, text }] };
  }
  const v = engine.validateDocument(bytes, { dialect: dialectProvider() });
  if (!v.ok || !kind) return fail(source, v.errors);
  // The engine hands the document back read by its strict reader with every secret removed
  // (`sanitize`): the viewer never parses a document itself, and shows what was removed.
  const read = engine.sanitize(bytes);
  if (read.type === "failure") return fail(source, read.errors);
  const { value: doc, redactions } = read.value;
  return fromDocument(source, kind, doc, redactions);
}

/** Entries of a validated document of kind `kind` (as the engine read it). */
function fromDocument(source: string, kind: Exclude<DocumentKind, "bundle" | "returns" | "policy">, doc: unknown, redactions: Redaction[]): Loaded {
  if (kind === "list") {
    // Each item is ingested on its own; the secrets removed from item `i` are those under `/i`.
    const out = empty();
    (doc as unknown[]).forEach((d, i) => {
      const item = ingest(`${source}[${i}]`, new TextEncoder().encode(JSON.stringify(d)));
      withRedactions(item, redactions.filter((r) => r.path === `/${i}` || r.path.startsWith(`/${i}/`)));
      merge(out, item);
    });
    return out;
  }
  return withRedactions(fromSingle(source, kind, doc), redactions);
}

/** Adds what the sanitizer removed from a loaded document to each of its entries. */
function withRedactions(loaded: Loaded, redactions: Redaction[]): Loaded {
  if (redactions.length) for (const e of loaded.entries) e.redactions = [...(e.redactions ?? []), ...redactions];
  return loaded;
}

function fromSingle(source: string, kind: Exclude<DocumentKind, "bundle" | "returns" | "policy" | "list">, doc: unknown): Loaded {
  switch (kind) {
    case "gate-result":
      return fromGateResult(source, doc as GateResult, {});
    case "metrics-document":
      return fromMetricsDocument(source, doc as MetricsDocument);
    case "run-status":
      return fromRunStatus(source, doc as RunStatus);
    case "run":
      return fromRun(source, doc as Run);
    case "snapshot":
      return { ...empty(), entries: [snapshotEntry(source, "snapshot", doc as Snapshot)] };
  }
}

export function merge(into: Loaded, more: Loaded): Loaded {
  into.entries.push(...more.entries);
  into.errors.push(...more.errors);
  into.decisions.push(...more.decisions);
  into.policies.push(...more.policies);
  if (more.notes?.length) into.notes = [...(into.notes ?? []), ...more.notes];
  return into;
}

function fromReturns(source: string, returns: Float64Array): Loaded {
  performance.mark("wg:metrics");
  const metrics = engine.computeMetrics(returns, {});
  performance.measure("wg:computeMetrics", "wg:metrics");
  const name = stem(source);
  return {
    entries: [
      {
        key: entryKey("local", name, "file"),
        kind: "returns",
        source,
        world_id: "local",
        strategy_id: name,
        run_id: "file",
        metrics,
        returns,
        seriesIsHead: false,
        digests: {},
        meta: {},
        storage_refs: {},
      },
    ],
    errors: [],
    decisions: [],
    policies: [],
  };
}

function digestsOf(s: Snapshot): Record<string, string> {
  const out: Record<string, string> = {};
  const p = s.provenance;
  if (p?.input_digest) out.input_digest = p.input_digest;
  if (p?.result_digest) out.result_digest = p.result_digest;
  if (p?.ruleset_hash) out.ruleset_hash = p.ruleset_hash;
  if (p?.worldgate_version) out.worldgate_version = p.worldgate_version;
  return out;
}

function snapshotEntry(source: string, kind: Kind, s: Snapshot, returns?: Float64Array): Entry {
  // The engine reads the head's wire numbers ("+inf", "nan", …) into floats.
  const heads = returns ? undefined : engine.readReturns(s.series_heads.returns);
  // The head's timestamps date the series when they cover it (the head, or a full series as long).
  const stamps = s.series_heads.timestamps;
  const timestamps = stamps && stamps.length === (returns ?? heads)?.length ? stamps : undefined;
  return {
    key: entryKey(s.world_id, s.strategy_id, s.run_id),
    kind,
    source,
    world_id: s.world_id,
    strategy_id: s.strategy_id,
    run_id: s.run_id,
    created_at: s.created_at,
    metrics: s.metrics,
    snapshot: s,
    returns: returns ?? heads,
    seriesIsHead: !returns,
    timestamps,
    digests: digestsOf(s),
    meta: s.meta ?? {},
    storage_refs: s.storage_refs ?? {},
  };
}

/** Gate options for a bundle opened in the viewer: the bundle's own `created_at` when it has one
 * (else now: the viewer is what creates these runs). */
export function gateOptions(createdAt: string | undefined): GateBundleOptions {
  return { created_at: createdAt ?? new Date().toISOString().replace(/\.\d+Z$/, "Z") };
}

function fromBundle(source: string, bytes: Uint8Array): Loaded {
  const chosen = policyProvider();
  if (!chosen) return fail(source, [{ code: "E_POLICY_INVALID", path: "", message: "the policy editor holds no valid policy to gate this bundle with" }]);
  const policy = chosen.compiled;
  // The engine reads the series (and created_at, previous, correlations) straight into floats;
  // the bundle is never parsed in JS. Unreadable JSON fails here with the reader's error.
  performance.mark("wg:series");
  const parts = engine.bundleSeries(bytes, {});
  performance.measure("wg:bundleSeries", "wg:series");
  // gateBundle validates (shape, limits, claims) before anything else and answers with every error.
  performance.mark("wg:gate");
  const answer = engine.gateBundle(bytes, policy, gateOptions(parts.created_at));
  performance.measure("wg:gateBundle", "wg:gate");
  if (answer.type !== "success") return fail(source, answer.errors);
  const out = fromGateResult(source, answer.value, parts);
  if (chosen.stale) out.notes = [`${stem(source)} gated with the last valid policy (the editor's has errors)`];
  return out;
}

/** Entries of a gate result (from gating a bundle here, or a gate-result file). */
function fromGateResult(source: string, result: GateResult, parts: Partial<BundleSeries>): Loaded {
  const entries = result.snapshots.map((s) => {
    const e = snapshotEntry(source, "bundle", s, parts.returns?.[s.strategy_id]);
    // A dated submission's time axis, as the engine read it (bundleSeries).
    const stamps = parts.timestamps?.[s.strategy_id];
    if (stamps && stamps.length === parts.returns?.[s.strategy_id]?.length) e.timestamps = stamps;
    const run = result.runs.find((r) => r.status.strategy_id === s.strategy_id && r.status.run_id === s.run_id);
    if (run) e.status = run.status.status;
    e.digests.input_digest ??= result.input_digest;
    e.digests.result_digest ??= result.result_digest;
    e.redactions = result.redactions;
    e.outcome = result.decision.strategies[s.strategy_id];
    return e;
  });
  return {
    ...empty(),
    entries,
    decisions: [{ world: result.world_id, decision: result.decision, previous: parts.previous, correlations: parts.correlations }],
  };
}

/** A run record (status, metrics, decision, history). */
function fromRun(source: string, r: Run): Loaded {
  const out = fromRunStatus(source, r.status);
  for (const e of out.entries) {
    e.kind = "run";
    const metrics: EvaluationMetrics = { ...r.metrics };
    if (r.decision) metrics.gating = r.decision;
    e.metrics = metrics;
  }
  return out;
}

function fromMetricsDocument(source: string, d: MetricsDocument): Loaded {
  const world = d.world_id, strategy = d.strategy_id, run = d.run_id;
  return {
    entries: [
      {
        key: entryKey(world, strategy, run),
        kind: "metrics",
        source,
        world_id: world,
        strategy_id: strategy,
        run_id: run,
        status: d.status,
        metrics: d.evaluation,
        seriesIsHead: true,
        digests: {},
        meta: {},
        storage_refs: {},
      },
    ],
    errors: [],
    decisions: [],
    policies: [],
  };
}

function fromRunStatus(source: string, r: RunStatus): Loaded {
  const digests: Record<string, string> = {};
  if (r.input_digest) digests.input_digest = r.input_digest;
  if (r.ruleset_hash) digests.ruleset_hash = r.ruleset_hash;
  return {
    entries: [
      {
        key: entryKey(r.world_id, r.strategy_id, r.run_id),
        kind: "run",
        source,
        world_id: r.world_id,
        strategy_id: r.strategy_id,
        run_id: r.run_id,
        created_at: r.created_at,
        status: r.status,
        runStatus: r,
        metrics: {},
        seriesIsHead: true,
        digests,
        meta: {},
        storage_refs: {},
      },
    ],
    errors: [],
    decisions: [],
    policies: [],
  };
}

/** Reads every file (picker or drop). */
export async function loadFiles(files: Iterable<File>): Promise<Loaded> {
  const out = empty();
  const read = await Promise.all([...files].map(async (f) => ({ name: f.name, bytes: new Uint8Array(await f.arrayBuffer()) })));
  // The engine tells each file's kind once (a scan of the whole file); policies first: bundles
  // dropped with a policy are gated with it.
  performance.mark("wg:kinds");
  const kinds = read.map((f) => ({ ...f, kind: engine.documentKind(f.bytes) ?? null }));
  performance.measure("wg:documentKind", "wg:kinds");
  kinds.sort((a, b) => Number(a.kind !== "policy") - Number(b.kind !== "policy"));
  for (const f of kinds) merge(out, ingest(f.name, f.bytes, f.kind));
  return out;
}

// API tokens for `?src=` fetches, sent as `Authorization: Bearer …`. A token arrives in the URL
// fragment (`#token=…`: never sent to a server nor logged), is stripped from the address bar and
// kept in sessionStorage bound to the origin of the `?src=` URLs it came with: it is only ever
// sent to that origin (links in fetched documents included).
const TOKEN_KEY = "worldgate.token:";

/** Reads `#token=…`, binds it to the origins of `srcs` and strips it from the address bar. */
export function adoptFragmentToken(srcs: string[]): void {
  const hash = new URLSearchParams(location.hash.slice(1));
  const token = hash.get("token");
  if (token === null) return;
  hash.delete("token");
  const rest = hash.toString();
  history.replaceState(history.state, "", location.pathname + location.search + (rest ? `#${rest}` : ""));
  for (const src of srcs) {
    try {
      sessionStorage.setItem(TOKEN_KEY + new URL(src, location.href).origin, token);
    } catch {
      /* storage disabled or a malformed src: the fetch reports it */
    }
  }
}

/** Keeps `token` for the origin of `url` (the edge picker's token field); an empty one forgets it. */
export function setTokenFor(url: string, token: string): void {
  try {
    const key = TOKEN_KEY + new URL(url, location.href).origin;
    if (token) sessionStorage.setItem(key, token);
    else sessionStorage.removeItem(key);
  } catch {
    /* storage disabled or not a URL: requests go without a token */
  }
}

export function tokenFor(url: string): string | null {
  try {
    return sessionStorage.getItem(TOKEN_KEY + new URL(url, location.href).origin);
  } catch {
    return null;
  }
}

/** Fetches `url` through the package's client (with the token bound to its origin, if any); an
 * error answer's `{code, message, path}` is shown as is. */
async function fetchBytes(url: string): Promise<Uint8Array | LoadError> {
  let target: URL;
  try {
    target = new URL(url, location.href);
  } catch (e) {
    return { source: url, code: "E_FETCH", path: "", message: `not a URL: ${(e as Error).message}` };
  }
  try {
    return await engine.fetchDocument(target, tokenFor(url));
  } catch (e) {
    const [first] = engine.toEngineErrors(e);
    const status = (e as { status?: unknown }).status;
    // a 4xx without an error document: its status is what there is to say
    if (first.code === "E_INTERNAL" && typeof status === "number") {
      return { source: url, code: `HTTP_${status}`, path: "", message: first.message };
    }
    return { source: url, ...first };
  }
}

/** The API root of an edge URL: everything before its `/worlds/` segment (`null` if none). */
export function apiRoot(url: string): string | null {
  try {
    const u = new URL(url, location.href);
    const i = u.pathname.indexOf("/worlds/");
    return i < 0 ? null : u.origin + u.pathname.slice(0, i);
  } catch {
    return null;
  }
}

/** A JSON document read by the engine's strict reader (secrets removed), or its errors. */
function readJson(source: string, bytes: Uint8Array): { value: Record<string, unknown> } | Loaded {
  const read = engine.sanitize(bytes);
  if (read.type === "failure") return fail(source, read.errors);
  const value = read.value.value;
  if (!value || typeof value !== "object" || Array.isArray(value)) return fail(source, [{ code: "E_SCHEMA", path: "", message: "expected a JSON object" }]);
  return { value: value as Record<string, unknown> };
}

/** The edge's policy document (`GET /worlds/{w}/policy`): its source goes to the editor. */
function fromPolicyDocument(source: string, bytes: Uint8Array): Loaded {
  const read = readJson(source, bytes);
  if (!("value" in read)) return read;
  const doc = read.value;
  if (typeof doc.source !== "string") return fail(source, [{ code: "E_SCHEMA", path: "/source", message: "the policy document has no `source` text" }]);
  const dialect = doc.dialect === "qmtl" || doc.dialect === "strict" ? doc.dialect : undefined;
  const origin = `world ${String(doc.world_id ?? "?")} policy v${String(doc.version ?? "?")} (${source})`;
  policySink(doc.source, dialect, origin);
  return { ...empty(), policies: [{ source, text: doc.source }] };
}

/** The edge's series document (`GET …/runs/{r}/series/returns`: `{name, values, timestamps?}`),
 * its values read by the engine (`readReturns`); its timestamps passed on as given (the engine
 * checks them where it uses them: `computeReport` names a bad one at `/timestamps/<i>`). */
function seriesOf(source: string, bytes: Uint8Array): { returns: Float64Array; timestamps?: string[] } | Loaded {
  const read = readJson(source, bytes);
  if (!("value" in read)) return read;
  const values = read.value.values;
  if (!Array.isArray(values)) return fail(source, [{ code: "E_SCHEMA", path: "/values", message: "the series document has no `values` array" }]);
  const ts = read.value.timestamps;
  const timestamps = Array.isArray(ts) && ts.length === values.length && ts.every((t) => typeof t === "string") ? (ts as string[]) : undefined;
  try {
    return { returns: engine.readReturns(values), timestamps };
  } catch (e) {
    return fail(source, engine.toEngineErrors(e).map((x) => ({ ...x, path: `/values${x.path}` })));
  }
}

/** The URL of a run's full returns series on the edge, when its snapshot names one in its
 * `storage_refs` (`edge_returns_series`, stored by the edge next to the run). */
function seriesUrl(root: string, e: Entry): string | null {
  if (!e.storage_refs || !("edge_returns_series" in e.storage_refs)) return null;
  const seg = encodeURIComponent;
  return `${root}/worlds/${seg(e.world_id)}/strategies/${seg(e.strategy_id)}/runs/${seg(e.run_id)}/series/returns`;
}

const POLICY_PATH = /\/worlds\/[^/]+\/policy$/;
const SERIES_PATH = /\/worlds\/([^/]+)\/strategies\/([^/]+)\/runs\/([^/]+)\/series\/returns$/;

/** Loads one edge URL whose document is not one the engine's `documentKind` tells (a policy or
 * a series document), else `null`. */
async function edgeDocument(url: string, bytes: Uint8Array): Promise<Loaded | null> {
  const path = new URL(url, location.href).pathname;
  if (POLICY_PATH.test(path)) return fromPolicyDocument(url, bytes);
  const m = SERIES_PATH.exec(path);
  if (!m) return null;
  const series = seriesOf(url, bytes);
  if (!("returns" in series)) return series;
  const out = fromReturns(url, series.returns);
  const [w, s, r] = m.slice(1).map(decodeURIComponent);
  for (const e of out.entries) Object.assign(e, { key: entryKey(w, s, `${r} (series)`), world_id: w, strategy_id: s, run_id: `${r} (series)`, kind: "returns", timestamps: series.timestamps });
  return out;
}

/**
 * Follows what an edge run points at: each snapshot's full returns series (its storage ref,
 * replacing the 16-point head the snapshot carries), and the world's current policy, which goes
 * to the editor (once per world) so What-if starts from the policy the runs were gated with.
 */
async function followEdge(root: string, loaded: Loaded, policiesDone: Set<string>): Promise<void> {
  for (const e of loaded.entries) {
    const url = seriesUrl(root, e);
    if (!url || !e.seriesIsHead) continue;
    const got = await fetchBytes(url);
    if (!(got instanceof Uint8Array)) { loaded.errors.push(got); continue; }
    const series = seriesOf(url, got);
    if (!("returns" in series)) { merge(loaded, series); continue; }
    e.returns = series.returns;
    e.timestamps = series.timestamps;
    e.seriesIsHead = false;
    e.seriesSource = url;
  }
  for (const world of new Set(loaded.entries.map((e) => e.world_id))) {
    if (policiesDone.has(`${root}|${world}`)) continue;
    policiesDone.add(`${root}|${world}`);
    const url = `${root}/worlds/${encodeURIComponent(world)}/policy`;
    const got = await fetchBytes(url);
    // An API without a policy document for the world: What-if keeps its policy, the status says why.
    if (!(got instanceof Uint8Array)) { loaded.notes = [...(loaded.notes ?? []), `no policy of world ${world} from ${root} (${got.code})`]; continue; }
    merge(loaded, fromPolicyDocument(url, got));
  }
}

/** Loads `?src=` URLs; a run status document pulls in its snapshot (or metrics) link; an edge
 * run also brings its full series and its world's policy ([`followEdge`]). */
export async function loadUrls(urls: string[], { edge = true }: { edge?: boolean } = {}): Promise<Loaded> {
  const out = empty();
  const policiesDone = new Set<string>();
  for (const url of urls) {
    const got = await fetchBytes(url);
    if (!(got instanceof Uint8Array)) {
      out.errors.push(got);
      continue;
    }
    const special = await edgeDocument(url, got);
    if (special) { merge(out, special); continue; }
    const loaded = ingest(url, got);
    for (const e of loaded.entries.filter((x) => x.kind === "run" && x.runStatus)) {
      const links = e.runStatus!.links ?? {};
      const link = links.snapshot ?? links.metrics;
      if (!link) continue;
      // Absolute against the API root of the `src` (the edge's links are relative to its root).
      const base = apiRoot(url);
      const more = await fetchBytes(base && link.startsWith("/worlds/") ? base + link : new URL(link, new URL(url, location.href)).href);
      if (!(more instanceof Uint8Array)) {
        loaded.errors.push(more);
        continue;
      }
      const inner = ingest(link, more);
      for (const x of inner.entries) {
        x.status ??= e.status;
        x.runStatus = e.runStatus;
        Object.assign(x.digests, e.digests, x.digests);
      }
      loaded.entries = loaded.entries.filter((x) => x !== e || inner.entries.length === 0);
      merge(loaded, inner);
    }
    const root = apiRoot(url);
    if (edge && root && loaded.entries.length) await followEdge(root, loaded, policiesDone);
    merge(out, loaded);
  }
  return out;
}
