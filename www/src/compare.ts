// Compare: a baseline vs a current run through the engine's snapshot diff, and a sortable
// table across the strategies of one world (rank, weight, verdicts, key metrics).
import * as engine from "./engine";
import type { Violation } from "./engine";
import { fmtNum, h, mount, numValue, errorItem } from "./format";
import { type Entry, state, worldEntries, changed } from "./store";
import { verdictBadge, violationsTable } from "./inspect";
import type { Report } from "./export";

const COLS: { key: string; label: string; get: (e: Entry) => unknown }[] = [
  { key: "strategy", label: "strategy", get: (e) => e.strategy_id },
  { key: "run", label: "run", get: (e) => e.run_id },
  { key: "verdict", label: "verdict", get: (e) => e.metrics.gating?.verdict ?? null },
  { key: "whatif", label: "what-if", get: (e) => state.whatif?.decision.strategies?.[e.strategy_id]?.verdict ?? null },
  { key: "rank", label: "rank", get: (e) => e.metrics.gating?.rank ?? null },
  { key: "weight", label: "weight", get: (e) => e.metrics.gating?.weight ?? null },
  { key: "sharpe", label: "sharpe", get: (e) => e.metrics.returns?.sharpe ?? null },
  { key: "max_drawdown", label: "max_drawdown", get: (e) => e.metrics.returns?.max_drawdown ?? null },
  { key: "volatility", label: "volatility", get: (e) => e.metrics.returns?.volatility ?? null },
  { key: "win_rate", label: "win_rate", get: (e) => e.metrics.returns?.win_rate ?? null },
  { key: "profit_factor", label: "profit_factor", get: (e) => e.metrics.returns?.profit_factor ?? null },
  { key: "total_return", label: "total_return", get: (e) => e.metrics.returns?.total_return ?? null },
  { key: "pnl_total", label: "pnl_total", get: (e) => e.metrics.pnl?.pnl_total ?? null },
];

let sortKey = "rank";
let sortDir: 1 | -1 = 1;

function cmp(a: unknown, b: unknown): number {
  if (typeof a === "string" && typeof b === "string" && !["+inf", "-inf", "nan"].includes(a)) return a.localeCompare(b);
  const x = numValue(a), y = numValue(b);
  if (Number.isNaN(x) && Number.isNaN(y)) return 0;
  if (Number.isNaN(x)) return 1; // missing values sort last either way
  if (Number.isNaN(y)) return -1;
  return x - y;
}

function sortedEntries(world: string): Entry[] {
  const col = COLS.find((c) => c.key === sortKey) ?? COLS[0];
  return worldEntries(world).sort((a, b) => {
    const va = col.get(a), vb = col.get(b);
    const na = va === null || (typeof va !== "string" && Number.isNaN(numValue(va)));
    const nb = vb === null || (typeof vb !== "string" && Number.isNaN(numValue(vb)));
    if (na !== nb) return na ? 1 : -1;
    return sortDir * cmp(va, vb) || a.strategy_id.localeCompare(b.strategy_id);
  });
}

function cell(v: unknown, key: string): HTMLElement {
  if (key === "verdict" || key === "whatif") return h("td", null, v == null ? "—" : verdictBadge(String(v)));
  if (typeof v === "string" && !["+inf", "-inf", "nan"].includes(v)) return h("td", null, v);
  return h("td", { class: "num", "data-value": JSON.stringify(v ?? null) }, fmtNum(v));
}

/** The sortable world table. */
export function worldTable(world: string): HTMLElement {
  const head = h("tr", null, COLS.map((c) => {
    const active = c.key === sortKey;
    const btn = h("button", { type: "button", class: "sort", "data-sort": c.key }, c.label, active ? (sortDir === 1 ? " ▲" : " ▼") : "");
    btn.addEventListener("click", () => {
      if (sortKey === c.key) sortDir = sortDir === 1 ? -1 : 1;
      else { sortKey = c.key; sortDir = c.key === "rank" || c.key === "strategy" || c.key === "run" ? 1 : -1; }
      changed();
    });
    return h("th", { scope: "col", "aria-sort": active ? (sortDir === 1 ? "ascending" : "descending") : "none" }, btn);
  }));
  const rows = sortedEntries(world).map((e) => {
    const tr = h("tr", { "data-strategy": e.strategy_id, class: e.key === state.selected ? "selected" : "" });
    COLS.forEach((c, i) => {
      if (i === 0) {
        const b = h("button", { type: "button", class: "link", "aria-label": `inspect ${e.strategy_id}` }, e.strategy_id);
        b.addEventListener("click", () => { state.selected = e.key; state.view = "inspect"; changed(); });
        tr.append(h("th", { scope: "row" }, b));
      } else tr.append(cell(c.get(e), c.key));
    });
    return tr;
  });
  return h("table", { class: "world-table", id: "world-table" }, h("thead", null, head), h("tbody", null, rows));
}

export function worldReport(world: string): Report {
  const list = sortedEntries(world);
  const rows = list.map((e) => COLS.map((c) => { const v = c.get(e); return v == null ? "" : String(v); }));
  const md = [`# ${world}: strategies`, "", `| ${COLS.map((c) => c.label).join(" | ")} |`, `|${COLS.map(() => "---").join("|")}|`,
    ...list.map((e) => `| ${COLS.map((c) => (c.key === "strategy" || c.key === "run" || c.key === "verdict" || c.key === "whatif" ? String(c.get(e) ?? "—") : fmtNum(c.get(e)))).join(" | ")} |`)].join("\n");
  return { name: `${world}-strategies`, json: list.map((e) => ({ world_id: e.world_id, strategy_id: e.strategy_id, run_id: e.run_id, metrics: e.metrics, whatif: state.whatif?.decision.strategies?.[e.strategy_id] ?? null })), columns: COLS.map((c) => c.label), rows, markdown: md + "\n" };
}

let lastDiff: { baseline: Entry; current: Entry; diff: unknown } | null = null;
const diffOptions = { allow_cross_world: false, allow_policy_change: false };

function optionBox(key: keyof typeof diffOptions, label: string): HTMLElement {
  const box = h("input", { type: "checkbox", id: `opt-${key}` });
  box.checked = diffOptions[key];
  box.addEventListener("change", () => { diffOptions[key] = box.checked; changed(); });
  return h("label", { for: `opt-${key}`, class: "check" }, box, ` ${label}`);
}

function entryOption(e: Entry, selected: boolean): HTMLOptionElement {
  const o = h("option", { value: e.key }, `${e.world_id} / ${e.strategy_id} / ${e.run_id}`);
  o.selected = selected;
  return o;
}

/** Renders one diff answer from the engine (whatever of its known parts it has). */
function diffView(d: Record<string, unknown>): HTMLElement {
  const parts: HTMLElement[] = [];
  const deltas = d.metrics ?? d.deltas;
  const list: Record<string, unknown>[] = Array.isArray(deltas)
    ? (deltas as Record<string, unknown>[])
    : deltas && typeof deltas === "object"
      ? Object.entries(deltas as Record<string, Record<string, unknown>>).map(([metric, v]) => ({ metric, ...v }))
      : [];
  if (list.length) {
    const cols = ["baseline", "current", "delta", "relative"];
    const pick = (r: Record<string, unknown>, c: string) => r[c];
    parts.push(h("table", { class: "deltas", id: "deltas" },
      h("thead", null, h("tr", null, h("th", { scope: "col" }, "metric"), cols.map((c) => h("th", { scope: "col" }, c)))),
      h("tbody", null, list.map((r) => h("tr", { "data-metric": String(r.metric ?? r.name) },
        h("th", { scope: "row" }, String(r.metric ?? r.name)),
        cols.map((c) => { const v = pick(r, c); return h("td", { class: "num", "data-col": c, "data-value": JSON.stringify(v ?? null) }, fmtNum(v)); }))))));
  }
  const verdict = d.verdict as Record<string, unknown> | undefined;
  if (verdict && typeof verdict === "object") {
    parts.unshift(h("p", { id: "verdict-change", "data-changed": String(verdict.changed ?? verdict.baseline !== verdict.current) },
      "verdict: ", verdictBadge(verdict.baseline as string), " → ", verdictBadge(verdict.current as string),
      verdict.changed === false || verdict.baseline === verdict.current ? h("span", { class: "muted" }, " (unchanged)") : h("strong", null, " (changed)")));
  }
  for (const [k, label] of [["rank", "rank"], ["weight", "weight"]] as const) {
    const c = d[k] as Record<string, unknown> | undefined;
    if (c && typeof c === "object") parts.push(h("p", { "data-change": k }, `${label}: ${fmtNum(c.baseline)} → ${fmtNum(c.current)}`));
  }
  for (const [k, label] of [["violations_added", "violations added"], ["violations_removed", "violations removed"]] as const) {
    const v = (d[k] ?? (d.violations as Record<string, unknown> | undefined)?.[k.replace("violations_", "")]) as Violation[] | undefined;
    if (Array.isArray(v)) parts.push(h("section", { class: "block" }, h("h3", null, `${label} (${v.length})`), violationsTable(v, k.replace("_", "-"))));
  }
  for (const [k, label] of [["only_in_baseline", "only in baseline"], ["only_in_current", "only in current"]] as const) {
    const v = d[k];
    if (Array.isArray(v) && v.length) parts.push(h("p", { class: "muted" }, `${label}: ${v.join(", ")}`));
  }
  if (Array.isArray(d.notes) && d.notes.length) parts.push(h("ul", { class: "notes" }, (d.notes as string[]).map((n) => h("li", null, n))));
  parts.push(h("details", null, h("summary", null, "engine answer (JSON)"), h("pre", { class: "json" }, JSON.stringify(d, null, 2))));
  return h("div", { id: "diff" }, parts);
}

/** Renders the compare view: pickers, the diff, and the world table. */
export function renderCompare(root: HTMLElement): void {
  const withSnap = state.entries.filter((e) => e.snapshot);
  const current = state.entries.find((e) => e.key === state.selected && e.snapshot) ?? withSnap[0];
  const baseline = state.entries.find((e) => e.key === state.baseline && e.snapshot) ?? withSnap.find((e) => e !== current);
  const selBase = h("select", { id: "baseline" }, withSnap.map((e) => entryOption(e, e === baseline)));
  const selCur = h("select", { id: "current" }, withSnap.map((e) => entryOption(e, e === current)));
  selBase.addEventListener("change", () => { state.baseline = selBase.value; changed(); });
  selCur.addEventListener("change", () => { state.selected = selCur.value; changed(); });
  const out = h("div", { class: "diff-out" });
  lastDiff = null;
  if (baseline && current && baseline !== current) {
    try {
      const diff = engine.diffSnapshots(baseline.snapshot!, current.snapshot!, { ...diffOptions });
      lastDiff = { baseline, current, diff };
      const d = diff as Record<string, unknown>;
      if (d && d.type === "failure" && Array.isArray(d.errors)) mount(out, h("ul", { class: "errors" }, (d.errors as engine.EngineError[]).map((x) => errorItem("diff", x))));
      else {
        const value = (d && d.type === "success" ? d.value ?? d.diff : d) as Record<string, unknown>;
        lastDiff = { baseline, current, diff: value };
        mount(out, diffView(value));
      }
    } catch (e) {
      mount(out, h("ul", { class: "errors" }, engine.toEngineErrors(e).map((x) => errorItem("diff", x))));
    }
  } else {
    mount(out, h("p", { class: "muted" }, "Load at least two snapshots (or a bundle) to compare runs."));
  }
  const world = current?.world_id ?? state.entries[0]?.world_id;
  mount(
    root,
    h("h2", null, "Compare"),
    h("div", { class: "pickers" },
      h("label", { for: "baseline" }, "baseline "), selBase,
      h("label", { for: "current" }, " current "), selCur,
      optionBox("allow_cross_world", "allow other world"), optionBox("allow_policy_change", "allow other policy")),
    out,
    world ? h("section", null, h("h2", null, `World ${world}`), worldTable(world)) : null,
  );
}

export function compareReport(): Report | null {
  if (!lastDiff) return state.entries[0] ? worldReport(state.entries[0].world_id) : null;
  const { baseline, current, diff } = lastDiff;
  const d = diff as Record<string, unknown>;
  const deltas = (Array.isArray(d.metrics) ? d.metrics : Array.isArray(d.deltas) ? d.deltas : []) as Record<string, unknown>[];
  const cols = ["metric", "baseline", "current", "delta", "relative"];
  const rows = deltas.map((r) => cols.map((c) => { const v = r[c]; return v == null ? "" : String(v); }));
  const md = [`# diff: ${baseline.key} → ${current.key}`, "", `| ${cols.join(" | ")} |`, "|---|---|---|---|---|", ...rows.map((r) => `| ${r.join(" | ")} |`)].join("\n");
  return { name: `diff-${baseline.strategy_id}-${baseline.run_id}-vs-${current.strategy_id}-${current.run_id}`, json: diff, columns: cols, rows, markdown: md + "\n" };
}
