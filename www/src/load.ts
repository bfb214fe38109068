// Loading: files (picker, drop) and URLs (`?src=`) → entries, each document checked by the
// engine's validator; a bundle is gated by the engine with the editor's policy. Malformed input
// becomes a LoadError carrying the engine's code, path and message.
import * as engine from "./engine";
import type { CompiledPolicy, EngineError, EvaluationMetrics, RunStatus, Snapshot } from "./engine";
import { type Entry, type Kind, type LoadError, entryKey } from "./store";

export interface Loaded {
  entries: Entry[];
  errors: LoadError[];
  decisions: { world: string; decision: engine.PolicyDecision; previous?: unknown; correlations?: unknown }[];
}

/** Supplies the policy bundles are gated with at load time. */
let policyProvider: () => CompiledPolicy | null = () => null;
export function setPolicyProvider(fn: () => CompiledPolicy | null): void {
  policyProvider = fn;
}

const empty = (): Loaded => ({ entries: [], errors: [], decisions: [] });

function fail(source: string, errors: EngineError[]): Loaded {
  return { entries: [], errors: errors.map((e) => ({ ...e, source })), decisions: [] };
}

/** Wire series (numbers, "+inf"/"-inf"/"nan", null) → Float64Array. Decoding only. */
export function decodeSeries(arr: unknown): Float64Array | undefined {
  if (!Array.isArray(arr)) return undefined;
  const out = new Float64Array(arr.length);
  for (let i = 0; i < arr.length; i++) {
    const v = arr[i];
    out[i] = typeof v === "number" ? v : v === "+inf" ? Infinity : v === "-inf" ? -Infinity : NaN;
  }
  return out;
}

/** Which document a parsed JSON value claims to be, from its top-level keys. */
export function documentKind(doc: unknown): Kind | null {
  if (Array.isArray(doc)) return doc.every((x) => typeof x === "number" || x === null || typeof x === "string") ? "returns" : null;
  if (!doc || typeof doc !== "object") return null;
  const o = doc as Record<string, unknown>;
  if ("bundle_version" in o || "submissions" in o) return "bundle";
  if ("snapshot_id" in o || "series_heads" in o) return "snapshot";
  if ("evaluation" in o) return "metrics";
  if ("links" in o || "effective_mode" in o || "activation_state" in o) return "run";
  return null;
}

/** Plain text with one number per line (an optional header line) → series, else null. */
function parseNumberLines(text: string): Float64Array | null {
  const lines = text.split(/\r?\n/).map((l) => l.split(",").pop()!.trim()).filter((l) => l.length > 0);
  if (lines.length === 0) return null;
  const start = Number.isNaN(Number(lines[0])) && !/^nan$/i.test(lines[0]) ? 1 : 0;
  const out = new Float64Array(lines.length - start);
  for (let i = start; i < lines.length; i++) {
    const n = Number(lines[i]);
    if (Number.isNaN(n) && !/^nan$/i.test(lines[i])) return null;
    out[i - start] = n;
  }
  return out;
}

function stem(source: string): string {
  const base = source.split(/[\\/]/).pop() ?? source;
  return base.replace(/\?.*$/, "").replace(/\.(json|csv|txt)$/i, "") || "series";
}

/** Ingests one document's bytes. Never throws. */
export function ingest(source: string, bytes: Uint8Array): Loaded {
  try {
    return ingestUnsafe(source, bytes);
  } catch (e) {
    if (!(e && typeof e === "object" && "code" in e)) console.error(e);
    return fail(source, engine.toEngineErrors(e));
  }
}

function ingestUnsafe(source: string, bytes: Uint8Array): Loaded {
  performance.mark("wg:ingest");
  const text = new TextDecoder().decode(bytes);
  const head = text.trimStart().slice(0, 1);
  let doc: unknown;
  if (head === "{" || head === "[") {
    try {
      doc = JSON.parse(text);
    } catch {
      // Not JSON: let the engine say where (its parser reports E_PARSE with the position).
      return fail(source, engine.validateSnapshot(bytes).errors);
    }
  } else {
    const series = parseNumberLines(text);
    if (series) return fromReturns(source, series);
    return fail(source, engine.validateSnapshot(bytes).errors);
  }
  performance.measure("wg:decode+parse", "wg:ingest");
  const kind = documentKind(doc);
  if (Array.isArray(doc) && kind === null) {
    // A list of documents (e.g. several snapshots in one file).
    const out = empty();
    doc.forEach((d, i) => merge(out, ingest(`${source}[${i}]`, new TextEncoder().encode(JSON.stringify(d)))));
    return out;
  }
  switch (kind) {
    case "returns":
      return fromReturns(source, decodeSeries(doc)!);
    case "bundle":
      return fromBundle(source, bytes, doc as Record<string, unknown>);
    case "metrics":
      return fromMetricsDocument(source, doc as Record<string, unknown>);
    case "run":
      return fromRunStatus(source, doc as RunStatus);
    case "snapshot":
    default:
      return fromSnapshot(source, bytes, doc as Snapshot);
  }
}

export function merge(into: Loaded, more: Loaded): Loaded {
  into.entries.push(...more.entries);
  into.errors.push(...more.errors);
  into.decisions.push(...more.decisions);
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
  const heads = decodeSeries(s.series_heads?.returns);
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
    digests: digestsOf(s),
    meta: s.meta ?? {},
    storage_refs: s.storage_refs ?? {},
  };
}

function fromSnapshot(source: string, bytes: Uint8Array, s: Snapshot): Loaded {
  const v = engine.validateSnapshot(bytes);
  if (!v.ok) return fail(source, v.errors);
  return { entries: [snapshotEntry(source, "snapshot", s)], errors: [], decisions: [] };
}

/** Gate options for a bundle opened in the viewer: the bundle's own `created_at` when it has one
 * (else now: the viewer is what creates these runs), and limits sized for local files. */
export function gateOptions(doc: Record<string, unknown>): Record<string, unknown> {
  const created = typeof doc.created_at === "string" ? doc.created_at : new Date().toISOString().replace(/\.\d+Z$/, "Z");
  return { created_at: created };
}

function fromBundle(source: string, bytes: Uint8Array, doc: Record<string, unknown>): Loaded {
  // gateBundle validates (shape, limits) before anything else and answers with every error.
  const policy = policyProvider();
  if (!policy) return fail(source, [{ code: "E_POLICY_INVALID", path: "", message: "the policy editor holds no valid policy to gate this bundle with" }]);
  performance.mark("wg:gate");
  const answer = engine.gateBundle(bytes, policy, gateOptions(doc));
  performance.measure("wg:gateBundle", "wg:gate");
  if (answer.type !== "success") return fail(source, answer.errors);
  const result = ("value" in answer && answer.value ? answer.value : answer) as engine.GateResult;
  const subs = Array.isArray(doc.submissions) ? (doc.submissions as Record<string, unknown>[]) : [];
  const series = new Map(subs.map((s) => [String(s.strategy_id), decodeSeries(s.returns)]));
  const runs = (result.runs ?? []) as { status?: Record<string, unknown> }[];
  const entries = result.snapshots.map((s) => {
    const e = snapshotEntry(source, "bundle", s, series.get(s.strategy_id));
    const run = runs.find((r) => r.status?.strategy_id === s.strategy_id && r.status?.run_id === s.run_id);
    if (run?.status && typeof run.status.status === "string") e.status = run.status.status;
    e.digests.input_digest ??= result.input_digest;
    e.digests.result_digest ??= result.result_digest;
    e.redactions = result.redactions;
    e.outcome = result.decision?.strategies?.[s.strategy_id];
    return e;
  });
  const world = entries[0]?.world_id ?? String(doc.world_id ?? "");
  return { entries, errors: [], decisions: [{ world, decision: result.decision, previous: doc.previous, correlations: doc.correlations }] };
}

function fromMetricsDocument(source: string, d: Record<string, unknown>): Loaded {
  const world = String(d.world_id ?? ""), strategy = String(d.strategy_id ?? ""), run = String(d.run_id ?? "");
  return {
    entries: [
      {
        key: entryKey(world, strategy, run),
        kind: "metrics",
        source,
        world_id: world,
        strategy_id: strategy,
        run_id: run,
        status: String(d.status ?? ""),
        metrics: (d.evaluation ?? {}) as EvaluationMetrics,
        seriesIsHead: true,
        digests: {},
        meta: {},
        storage_refs: {},
      },
    ],
    errors: [],
    decisions: [],
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
  };
}

/** Reads every file (picker or drop). */
export async function loadFiles(files: Iterable<File>): Promise<Loaded> {
  const out = empty();
  for (const f of files) merge(out, ingest(f.name, new Uint8Array(await f.arrayBuffer())));
  return out;
}

/** Fetches `url`; an error response's `{code, message, path}` body is shown as is. */
async function fetchBytes(url: string): Promise<Uint8Array | LoadError> {
  let res: Response;
  try {
    res = await fetch(url, { headers: { accept: "application/json" } });
  } catch (e) {
    return { source: url, code: "E_FETCH", path: "", message: `cannot fetch: ${(e as Error).message}` };
  }
  const bytes = new Uint8Array(await res.arrayBuffer());
  if (!res.ok) {
    try {
      const body = JSON.parse(new TextDecoder().decode(bytes));
      const err = body.error && typeof body.error === "object" ? body.error : body;
      if (typeof err.code === "string") return { source: url, code: err.code, path: err.path ?? "", message: err.message ?? "" };
    } catch {
      /* not JSON */
    }
    return { source: url, code: `HTTP_${res.status}`, path: "", message: res.statusText || "request failed" };
  }
  return bytes;
}

/** Loads `?src=` URLs; a run status document pulls in its snapshot (or metrics) link. */
export async function loadUrls(urls: string[]): Promise<Loaded> {
  const out = empty();
  for (const url of urls) {
    const got = await fetchBytes(url);
    if (!(got instanceof Uint8Array)) {
      out.errors.push(got);
      continue;
    }
    const loaded = ingest(url, got);
    for (const e of loaded.entries.filter((x) => x.kind === "run" && x.runStatus)) {
      const links = e.runStatus!.links ?? {};
      const link = links.snapshot ?? links.metrics;
      if (!link) continue;
      const more = await fetchBytes(new URL(link, new URL(url, location.href)).href);
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
    merge(out, loaded);
  }
  return out;
}
