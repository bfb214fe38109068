// Application state: the loaded strategies (entries), load errors, selection, and change events.
import type { Decision, EvaluationMetrics, Redaction, RunState, RunStatus, Snapshot, StrategyDecision, TimestampsInput, WireError } from "./engine";

export type Kind = "snapshot" | "bundle" | "metrics" | "run" | "returns";

/** One loaded strategy run, whatever document it came from. */
export interface Entry {
  key: string;
  kind: Kind;
  source: string;
  world_id: string;
  strategy_id: string;
  run_id: string;
  created_at?: string;
  status?: RunState;
  metrics: EvaluationMetrics;
  /** The snapshot envelope when the file is (or the engine produced) one. */
  snapshot?: Snapshot;
  runStatus?: RunStatus;
  /** Full returns series when the file carries it, else the series head. */
  returns?: Float64Array;
  seriesIsHead: boolean;
  /** The time axis of `returns` (one instant per return), when the document dates its series
   * (the report's drawdown dates, the calendar blocks and the charts' date axis need it): epoch
   * milliseconds as the engine hands them out (`bundleSeries`, a `Float64Array`: no string per
   * period), or the RFC 3339 strings a snapshot's series head or an edge series carries. The
   * engine takes either back as `timestamps` and checks it. */
  timestamps?: TimestampsInput;
  /** Where the full series was fetched from (an edge run's storage ref), if not from the document. */
  seriesSource?: string;
  digests: Record<string, string>;
  meta: Snapshot["meta"];
  storage_refs: Snapshot["storage_refs"];
  redactions?: Redaction[];
  /** The engine's per-strategy decision when this viewer gated the run (rule explanations). */
  outcome?: StrategyDecision;
}

/** An engine error (or a fetch failure: `E_FETCH`, `HTTP_<status>`) and the file or URL it came from. */
export type LoadError = Omit<WireError, "code"> & { code: WireError["code"] | "E_FETCH" | `HTTP_${number}`; source: string };

export type View = "inspect" | "compare" | "whatif";

export const state = {
  entries: [] as Entry[],
  errors: [] as LoadError[],
  selected: null as string | null,
  baseline: null as string | null,
  view: "inspect" as View,
  /** Decisions of gated bundles by world (the selected set at load time). */
  decisions: new Map<string, Decision>(),
  /** The what-if editor's latest decision for the current world. */
  whatif: null as { world: string; decision: Decision } | null,
};

type Listener = () => void;
const listeners = new Set<Listener>();
export function onChange(fn: Listener): void {
  listeners.add(fn);
}
export function changed(): void {
  for (const fn of listeners) fn();
}

/** Adds or replaces entries (same world/strategy/run replaces). */
export function addEntries(list: Entry[]): void {
  for (const e of list) {
    const i = state.entries.findIndex((x) => x.key === e.key);
    if (i >= 0) state.entries[i] = e;
    else state.entries.push(e);
  }
  if (!state.selected && list.length > 0) state.selected = list[0].key;
}

export function entryKey(world: string, strategy: string, run: string): string {
  return `${world}/${strategy}/${run}`;
}

export function selectedEntry(): Entry | undefined {
  return state.entries.find((e) => e.key === state.selected);
}

/** Entries of one world, the latest run per strategy when several are loaded. */
export function worldEntries(world: string): Entry[] {
  const by = new Map<string, Entry>();
  for (const e of state.entries) {
    if (e.world_id !== world) continue;
    const prev = by.get(e.strategy_id);
    const later = (e.created_at ?? "").localeCompare(prev?.created_at ?? "") || e.run_id.localeCompare(prev?.run_id ?? "");
    if (!prev || later >= 0) by.set(e.strategy_id, e);
  }
  return [...by.values()];
}

export function worlds(): string[] {
  return [...new Set(state.entries.map((e) => e.world_id))];
}

export function clearAll(): void {
  state.entries = [];
  state.errors = [];
  state.selected = null;
  state.baseline = null;
  state.decisions.clear();
}
