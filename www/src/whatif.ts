// What-if: a policy editor (YAML/JSON, strict or QMTL dialect, presets). Each edit (debounced)
// is compiled by the engine and re-evaluates every loaded strategy of the current world; the
// view shows errors at line/field and how the verdicts and the selected set changed.
import * as engine from "./engine";
import type { BundleSeries, CompiledPolicy, Dialect, EvaluateOptions, MetricsByStrategy, StrategyBatch, StrategyDecision, WireError } from "./engine";
import { errorItem, fmtNum, h, mount } from "./format";
import { verdictBadge } from "./inspect";
import { changed, selectedEntry, state, worldEntries, worlds } from "./store";
import type { Report } from "./export";

/** The dialects the editor offers. */
export const DIALECTS: readonly Dialect[] = ["strict", "qmtl"];

export const policy = {
  text: "",
  dialect: "strict" as Dialect,
  compiled: null as CompiledPolicy | null,
  /** The last policy that compiled: bundles opened while the editor has errors are gated with it. */
  lastValid: null as CompiledPolicy | null,
  /** The text last loaded into the editor (sample, file, edge, preset): a preset asks before
   * replacing anything else. */
  loadedText: "",
  /** Where the editor's text came from (shown next to the ruleset hash). */
  origin: "",
  /** The engine's errors, each with the editor line its path points at (display help). */
  errors: [] as { error: WireError; line?: number }[],
  evalErrors: [] as WireError[],
};

/** Bundle-level inputs per world (previous activation state, correlations), from the last bundle. */
export const worldContext = new Map<string, Pick<BundleSeries, "previous" | "correlations">>();

/** 1-based line of the JSON pointer `path` in a YAML/JSON text (display help only). */
export function lineOfPointer(text: string, path: string): number | undefined {
  if (!path) return undefined;
  const tokens = path.split("/").slice(1).map((t) => t.replace(/~1/g, "/").replace(/~0/g, "~"));
  const lines = text.split("\n");
  let from = 0, found: number | undefined;
  for (const t of tokens) {
    if (/^\d+$/.test(t)) continue;
    const re = new RegExp(`(^|[\\s{,])"?${t.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}"?\\s*:`);
    const i = lines.findIndex((l, n) => n >= from && re.test(l));
    if (i < 0) break;
    found = i + 1;
    from = i;
  }
  return found;
}

/** Compiles the editor text; keeps the last valid policy for gating bundles. */
export function compile(): void {
  try {
    const next = engine.parsePolicy(policy.text, { dialect: policy.dialect });
    if (policy.lastValid && policy.lastValid !== next) policy.lastValid.free();
    policy.compiled = next;
    policy.lastValid = next;
    // The engine's lint (the CLI's `policy check`, the edge's PUT /policy): a policy that parses
    // but does not mean what it says — a misspelt metric, a drawdown bound with the data's sign.
    const lint = engine.lintPolicy(next);
    policy.errors = [...lint.errors, ...lint.warnings].map((error) => ({ error, line: lineOfPointer(policy.text, error.path) }));
  } catch (e) {
    policy.compiled = null;
    policy.errors = engine.toEngineErrors(e).map((error) => ({ error, line: lineOfPointer(policy.text, error.path) }));
  }
}

function currentWorld(): string | undefined {
  return selectedEntry()?.world_id ?? worlds()[0];
}

/**
 * The current world's strategies as the engine read them (a `StrategyBatch`): read once, and
 * again only when the world, its latest entries, its bundle context or the dialect change, so an
 * edit re-evaluates without reading every strategy's metrics and series again.
 */
let batch: { key: unknown[]; batch: StrategyBatch } | null = null;

function worldBatch(world: string, dialect: Dialect): StrategyBatch | null {
  const list = worldEntries(world).filter((e) => e.metrics.returns || e.metrics.custom);
  const ctx = worldContext.get(world) ?? {};
  const key: unknown[] = [world, dialect, ctx.previous, ctx.correlations, ...list];
  if (batch && batch.key.length === key.length && batch.key.every((k, i) => k === key[i])) return batch.batch;
  batch?.batch.free();
  batch = null;
  if (!list.length) return null;
  const metrics: MetricsByStrategy = {};
  const series: Record<string, Float64Array> = {};
  for (const e of list) {
    const { gating: _g, ...rest } = e.metrics;
    metrics[e.strategy_id] = rest;
    if (e.returns && !e.seriesIsHead) series[e.strategy_id] = e.returns;
  }
  // Series only matter for correlations, i.e. with two strategies or more.
  const opts: EvaluateOptions = Object.keys(series).length > 1 ? { returns_by_strategy: series } : {};
  if (ctx.previous !== undefined) opts.previous = ctx.previous;
  if (ctx.correlations !== undefined) opts.correlations = ctx.correlations;
  batch = { key, batch: new engine.StrategyBatch(metrics, { ...opts, dialect }) };
  return batch.batch;
}

/** Evaluates every strategy of the current world with the compiled policy. */
export function evaluate(): void {
  state.whatif = null;
  policy.evalErrors = [];
  const world = currentWorld();
  if (!policy.compiled || !world) return;
  try {
    const strategies = worldBatch(world, policy.compiled.dialect);
    if (strategies) state.whatif = { world, decision: policy.compiled.evaluate(strategies) };
  } catch (e) {
    // the next edit reads the world again (a batch from before an engine reset is refused;
    // freeing it then does nothing)
    batch?.batch.free();
    batch = null;
    policy.evalErrors = engine.toEngineErrors(e);
  }
}

let timer: ReturnType<typeof setTimeout> | undefined;
function scheduled(): void {
  clearTimeout(timer);
  timer = setTimeout(() => {
    // One keystroke's work once the typing pauses: compile, evaluate the world, render.
    performance.mark("wg:keystroke");
    compile();
    evaluate();
    changed();
    performance.measure("wg:whatif-keystroke", "wg:keystroke");
  }, 250);
}

export function setPolicyText(text: string, dialect?: Dialect, origin = ""): void {
  policy.text = text;
  policy.loadedText = text;
  policy.origin = origin;
  if (dialect) policy.dialect = dialect;
  compile();
  evaluate();
}

/** The policy bundles are gated with: the editor's, else the last valid one. */
export function gatingPolicy(): { compiled: CompiledPolicy; stale: boolean } | null {
  if (policy.compiled) return { compiled: policy.compiled, stale: false };
  return policy.lastValid ? { compiled: policy.lastValid, stale: true } : null;
}

/**
 * Metrics the policy names that no strategy of the world has: the metric of each `metric_missing`
 * violation the engine reported for every evaluated strategy (the gate's own outcome, read back).
 */
export function metricsMissingEverywhere(): string[] {
  const w = state.whatif;
  if (!w) return [];
  const all = Object.values(w.decision.strategies) as StrategyDecision[];
  if (!all.length) return [];
  const per = all.map((d) => new Set(d.violations.filter((v) => v.code === "metric_missing").map((v) => v.metric ?? v.rule)));
  return [...per[0]].filter((m) => per.every((s) => s.has(m)));
}

/** The ruleset hash of the run the editor is compared with (the selected run of the world). */
function runRulesetHash(): { hash: string; run: string } | null {
  const e = selectedEntry();
  const hash = e?.metrics.gating?.ruleset_hash ?? e?.digests.ruleset_hash;
  return e && hash ? { hash, run: `${e.strategy_id} / ${e.run_id}` } : null;
}

function setDiff(before: string[] | undefined, after: string[]): HTMLElement {
  if (!before) return h("p", { id: "selected-set" }, "selected: ", after.map((s) => h("code", { class: "sel" }, s, " ")), after.length ? "" : "none");
  const added = after.filter((s) => !before.includes(s));
  const removed = before.filter((s) => !after.includes(s));
  return h("div", { id: "selected-set" },
    h("p", null, "selected at load: ", before.length ? before.join(", ") : "none"),
    h("p", null, "selected now: ", after.length ? after.join(", ") : "none"),
    h("p", null, h("span", { class: "added", id: "sel-added" }, `+ ${added.join(", ") || "none"}`), "  ", h("span", { class: "removed", id: "sel-removed" }, `− ${removed.join(", ") || "none"}`)));
}

function resultView(): HTMLElement {
  const w = state.whatif;
  if (!w) return h("p", { class: "muted" }, policy.compiled ? "load strategies to evaluate the policy" : "fix the policy to see its decision");
  const before = state.decisions.get(w.world);
  const rows = worldEntries(w.world).map((e) => {
    const now = w.decision.strategies[e.strategy_id] as StrategyDecision | undefined;
    const was = e.metrics.gating?.verdict ?? null;
    const flip = was !== null && now !== undefined && was !== now.verdict;
    return h("tr", { "data-strategy": e.strategy_id, class: flip ? "changed" : "" },
      h("th", { scope: "row" }, e.strategy_id),
      h("td", null, verdictBadge(was, e.metrics.gating?.violations)),
      h("td", { "data-col": "whatif" }, verdictBadge(now?.verdict, now?.violations)),
      h("td", { class: "num" }, now?.rank == null ? "—" : String(now.rank)),
      h("td", { class: "num" }, fmtNum(now?.weight)),
      h("td", null, (now?.violations ?? []).map((v) => h("div", { class: "viol", "data-code": v.code }, h("code", null, v.code), ` ${v.message}`))));
  });
  return h("div", null,
    setDiff(before?.selected, w.decision.selected),
    h("p", { class: "muted" }, "ruleset_hash: ", h("code", { id: "ruleset-hash" }, w.decision.ruleset_hash)),
    h("div", { class: "table-scroll", tabindex: 0, role: "region", "aria-label": "what-if verdicts" },
      h("table", { class: "whatif", id: "whatif-table" },
        h("thead", null, h("tr", null, ["strategy", "loaded verdict", "what-if verdict", "rank", "weight", "violations"].map((c) => h("th", { scope: "col" }, c)))),
        h("tbody", null, rows))),
    h("details", null, h("summary", null, "engine decision (JSON)"), h("pre", { class: "json" }, JSON.stringify(w.decision, null, 2))));
}

let editor: HTMLTextAreaElement | null = null;

/** Renders the what-if view. The textarea is kept across renders so focus and caret survive. */
export function renderWhatif(root: HTMLElement): void {
  if (!editor) {
    editor = h("textarea", { id: "policy", spellcheck: "false", rows: 18, "aria-describedby": "policy-errors" });
    editor.addEventListener("input", () => { policy.text = editor!.value; scheduled(); });
  }
  if (editor.value !== policy.text) editor.value = policy.text;
  const presets = h("select", { id: "preset" }, h("option", { value: "" }, "choose a preset…"), engine.policyPresets().map((p) => h("option", { value: p }, p)));
  presets.addEventListener("change", () => {
    const name = presets.value;
    if (!name) return;
    const text = engine.presetPolicyText(name, policy.dialect);
    // Edited text is the user's: ask first; the replacement is an edit of the textarea, so
    // Ctrl+Z brings the previous text back.
    if (policy.text !== policy.loadedText && !confirm(`Replace your edited policy with the "${name}" preset?\n(Ctrl+Z in the editor brings it back.)`)) {
      presets.value = "";
      return;
    }
    const ed = editor!;
    ed.focus();
    ed.select();
    if (!document.execCommand("insertText", false, text)) ed.value = text;
    setPolicyText(ed.value, undefined, `preset ${name}`);
    changed();
  });
  const dialect = h("select", { id: "dialect" }, DIALECTS.map((d) => { const o = h("option", { value: d }, d); o.selected = d === policy.dialect; return o; }));
  dialect.addEventListener("change", () => { policy.dialect = dialect.value as Dialect; compile(); evaluate(); changed(); });
  const errs = [...policy.errors, ...policy.evalErrors.map((error) => ({ error, line: undefined }))];
  const missing = metricsMissingEverywhere();
  const status = errs.length
    ? h("div", { id: "policy-errors", role: "alert" }, h("ul", { class: "errors" }, errs.map((e) => errorItem("policy", e.error, e.line))),
      policy.lastValid ? h("p", { class: "muted small" }, "bundles opened now are gated with the last valid policy") : null)
    : missing.length
      ? h("div", { id: "policy-errors", class: "warn-box", role: "alert", "data-code": "metric_missing" },
        h("strong", null, "policy compiles, but no strategy has "), missing.map((m) => h("code", { class: "missing-metric" }, m, " ")),
        h("span", null, `: the engine reports metric_missing for all ${Object.keys(state.whatif!.decision.strategies).length} strategies (a misspelt metric name?)`))
      : h("p", { id: "policy-errors", class: "ok", role: "status" }, "policy ok");
  const run = runRulesetHash();
  const editorHash = policy.compiled ? state.whatif?.decision.ruleset_hash ?? policy.compiled.rulesetHash() : null;
  const hashNote = run && editorHash && run.hash !== editorHash
    ? h("p", { id: "ruleset-warning", class: "warn-box", role: "alert" }, "this policy is not the one the run was gated with: editor ruleset ",
      h("code", null, editorHash.slice(0, 12)), ", run ", h("code", null, run.hash.slice(0, 12)), ` (${run.run})`)
    : run && editorHash ? h("p", { id: "ruleset-match", class: "muted small" }, `same ruleset as ${run.run}`) : null;
  // The shell (and the textarea in it) stays in the document across renders: taking the
  // textarea out would drop its undo history (Ctrl+Z) and its caret.
  if (!shell) {
    shell = {
      root: h("div", { id: "whatif-view" }),
      top: h("div"),
      bottom: h("div"),
      result: h("div", { class: "whatif-result", id: "whatif-result", "aria-live": "polite" }),
    };
    shell.root.append(h("h2", null, "What-if policy"), h("div", { class: "whatif-grid" },
      h("div", { class: "editor" }, shell.top, h("label", { for: "policy", class: "sr-only" }, "policy (YAML or JSON)"), editor, shell.bottom), shell.result));
  }
  if (root.firstElementChild !== shell.root || root.childElementCount !== 1) mount(root, shell.root);
  mount(shell.top,
    h("div", { class: "pickers" }, h("label", { for: "preset" }, "preset "), presets, h("label", { for: "dialect" }, " dialect "), dialect),
    policy.origin ? h("p", { class: "muted small", id: "policy-origin" }, `loaded from ${policy.origin}`) : null,
    hashNote);
  mount(shell.bottom, status);
  shell.result.dataset.ruleset = state.whatif?.decision.ruleset_hash ?? "";
  mount(shell.result, resultView());
}

let shell: { root: HTMLElement; top: HTMLElement; bottom: HTMLElement; result: HTMLElement } | null = null;

export function whatifReport(): Report | null {
  const w = state.whatif;
  if (!w) return null;
  const cols = ["strategy", "loaded_verdict", "whatif_verdict", "rank", "weight", "violations"];
  const rows = worldEntries(w.world).map((e) => {
    const now = w.decision.strategies[e.strategy_id] as StrategyDecision | undefined;
    return [e.strategy_id, e.metrics.gating?.verdict ?? "", now?.verdict ?? "", now?.rank == null ? "" : String(now.rank), now?.weight == null ? "" : String(now.weight), (now?.violations ?? []).map((v) => v.code).join(" ")];
  });
  const md = [`# what-if: ${w.world}`, "", "```yaml", policy.text.trimEnd(), "```", "", `selected: ${w.decision.selected.join(", ") || "none"}`, "", `| ${cols.join(" | ")} |`, `|${cols.map(() => "---").join("|")}|`, ...rows.map((r) => `| ${r.join(" | ")} |`)].join("\n");
  return { name: `whatif-${w.world}`, json: { world: w.world, dialect: policy.dialect, policy: policy.text, decision: w.decision }, columns: cols, rows, markdown: md + "\n" };
}
