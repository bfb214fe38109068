// What-if: a policy editor (YAML/JSON, strict or QMTL dialect, presets). Each edit (debounced)
// is compiled by the engine and re-evaluates every loaded strategy of the current world; the
// view shows errors at line/field and how the verdicts and the selected set changed.
import * as engine from "./engine";
import type { BundleSeries, CompiledPolicy, Dialect, EvaluateOptions, MetricsByStrategy, StrategyDecision, WireError } from "./engine";
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
    policy.compiled?.free();
    policy.compiled = next;
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

/** Evaluates every strategy of the current world with the compiled policy. */
export function evaluate(): void {
  state.whatif = null;
  policy.evalErrors = [];
  const world = currentWorld();
  if (!policy.compiled || !world) return;
  const list = worldEntries(world).filter((e) => e.metrics.returns || e.metrics.custom);
  if (!list.length) return;
  const metrics: MetricsByStrategy = {};
  const series: Record<string, Float64Array> = {};
  for (const e of list) {
    const { gating: _g, ...rest } = e.metrics;
    metrics[e.strategy_id] = rest;
    if (e.returns && !e.seriesIsHead) series[e.strategy_id] = e.returns;
  }
  const ctx = worldContext.get(world) ?? {};
  // Series only matter for correlations, i.e. with two strategies or more.
  const opts: EvaluateOptions = Object.keys(series).length > 1 ? { returns_by_strategy: series } : {};
  if (ctx.previous !== undefined) opts.previous = ctx.previous;
  if (ctx.correlations !== undefined) opts.correlations = ctx.correlations;
  try {
    state.whatif = { world, decision: policy.compiled.evaluate(metrics, opts) };
  } catch (e) {
    policy.evalErrors = engine.toEngineErrors(e);
  }
}

let timer: ReturnType<typeof setTimeout> | undefined;
function scheduled(): void {
  clearTimeout(timer);
  timer = setTimeout(() => {
    compile();
    evaluate();
    changed();
  }, 250);
}

export function setPolicyText(text: string, dialect?: Dialect): void {
  policy.text = text;
  if (dialect) policy.dialect = dialect;
  compile();
  evaluate();
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
      h("td", null, verdictBadge(was)),
      h("td", { "data-col": "whatif" }, verdictBadge(now?.verdict)),
      h("td", { class: "num" }, now?.rank == null ? "—" : String(now.rank)),
      h("td", { class: "num" }, fmtNum(now?.weight)),
      h("td", null, (now?.violations ?? []).map((v) => h("div", { class: "viol", "data-code": v.code }, h("code", null, v.code), ` ${v.message}`))));
  });
  return h("div", null,
    setDiff(before?.selected, w.decision.selected),
    h("p", { class: "muted" }, "ruleset_hash: ", h("code", { id: "ruleset-hash" }, w.decision.ruleset_hash)),
    h("table", { class: "whatif", id: "whatif-table" },
      h("thead", null, h("tr", null, ["strategy", "loaded verdict", "what-if verdict", "rank", "weight", "violations"].map((c) => h("th", { scope: "col" }, c)))),
      h("tbody", null, rows)),
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
  presets.addEventListener("change", () => { if (presets.value) { setPolicyText(engine.presetPolicyText(presets.value, policy.dialect)); changed(); } });
  const dialect = h("select", { id: "dialect" }, DIALECTS.map((d) => { const o = h("option", { value: d }, d); o.selected = d === policy.dialect; return o; }));
  dialect.addEventListener("change", () => { policy.dialect = dialect.value as Dialect; compile(); evaluate(); changed(); });
  const errs = [...policy.errors, ...policy.evalErrors.map((error) => ({ error, line: undefined }))];
  const status = errs.length
    ? h("ul", { class: "errors", id: "policy-errors", role: "alert" }, errs.map((e) => errorItem("policy", e.error, e.line)))
    : h("p", { id: "policy-errors", class: "ok", role: "status" }, "policy ok");
  mount(root,
    h("h2", null, "What-if policy"),
    h("div", { class: "whatif-grid" },
      h("div", { class: "editor" },
        h("div", { class: "pickers" }, h("label", { for: "preset" }, "preset "), presets, h("label", { for: "dialect" }, " dialect "), dialect),
        h("label", { for: "policy", class: "sr-only" }, "policy (YAML or JSON)"), editor, status),
      h("div", { class: "whatif-result", id: "whatif-result", "aria-live": "polite", "data-ruleset": state.whatif?.decision.ruleset_hash ?? "" }, resultView())));
}

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
