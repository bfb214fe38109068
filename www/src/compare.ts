// Compare: a baseline vs a current run through the engine's snapshot diff, and a sortable
// table across the strategies of one world (rank, weight, verdicts, key metrics).
import * as engine from "./engine";
import type { Diff, DiffOptions, Num, Verdict } from "./engine";
import { drawOverlay } from "./charts";
import { deltaTone, errorItem, fmtMetric, fmtNum, h, mount, rawNum, toFloat } from "./format";
import { type Entry, state, worldEntries, changed } from "./store";
import { verdictBadge, violationsTable } from "./inspect";
import type { Report } from "./export";

/** A column of the world table: text (ids), a verdict, or a wire number (`null` when missing). */
type Col =
  | { key: string; label: string; kind: "text"; get: (e: Entry) => string }
  | { key: string; label: string; kind: "verdict"; get: (e: Entry) => Verdict | null }
  | { key: string; label: string; kind: "num"; get: (e: Entry) => Num | null };

const COLS: Col[] = [
  { key: "strategy", label: "strategy", kind: "text", get: (e) => e.strategy_id },
  { key: "run", label: "run", kind: "text", get: (e) => e.run_id },
  { key: "verdict", label: "verdict", kind: "verdict", get: (e) => e.metrics.gating?.verdict ?? null },
  { key: "whatif", label: "what-if", kind: "verdict", get: (e) => state.whatif?.decision.strategies[e.strategy_id]?.verdict ?? null },
  { key: "rank", label: "rank", kind: "num", get: (e) => e.metrics.gating?.rank ?? null },
  { key: "weight", label: "weight", kind: "num", get: (e) => e.metrics.gating?.weight ?? null },
  { key: "sharpe", label: "sharpe", kind: "num", get: (e) => e.metrics.returns?.sharpe ?? null },
  { key: "max_drawdown", label: "max_drawdown", kind: "num", get: (e) => e.metrics.returns?.max_drawdown ?? null },
  { key: "volatility", label: "volatility", kind: "num", get: (e) => e.metrics.returns?.volatility ?? null },
  { key: "win_rate", label: "win_rate", kind: "num", get: (e) => e.metrics.returns?.win_rate ?? null },
  { key: "profit_factor", label: "profit_factor", kind: "num", get: (e) => e.metrics.returns?.profit_factor ?? null },
  { key: "total_return", label: "total_return", kind: "num", get: (e) => e.metrics.returns?.total_return ?? null },
  { key: "pnl_total", label: "pnl_total", kind: "num", get: (e) => e.metrics.pnl?.pnl_total ?? null },
];

let sortKey = "rank";
let sortDir: 1 | -1 = 1;

/** Orders two entries by a column; missing values (and NaN) last whatever the direction. */
function byColumn(col: Col, a: Entry, b: Entry): number {
  if (col.kind !== "num") {
    const x = col.get(a), y = col.get(b);
    if ((x === null) !== (y === null)) return x === null ? 1 : -1;
    return sortDir * (x ?? "").localeCompare(y ?? "");
  }
  const x = toFloat(col.get(a)), y = toFloat(col.get(b));
  if (Number.isNaN(x) || Number.isNaN(y)) return Number(Number.isNaN(x)) - Number(Number.isNaN(y));
  return sortDir * (x - y);
}

function sortedEntries(world: string): Entry[] {
  const col = COLS.find((c) => c.key === sortKey) ?? COLS[0];
  return worldEntries(world).sort((a, b) => byColumn(col, a, b) || a.strategy_id.localeCompare(b.strategy_id));
}

function cell(c: Col, e: Entry): HTMLElement {
  if (c.kind === "verdict") {
    const v = c.get(e);
    const viol = c.key === "whatif" ? state.whatif?.decision.strategies[e.strategy_id]?.violations : e.metrics.gating?.violations;
    return h("td", null, v === null ? "—" : verdictBadge(v, viol));
  }
  if (c.kind === "text") return h("td", null, c.get(e));
  const v = c.get(e);
  return h("td", { class: "num", "data-value": JSON.stringify(v), title: `raw: ${rawNum(v)}` }, fmtMetric(c.key, v, e.metrics.pnl?.reference_currency));
}

let tableFilter = "";

/** A cell as Markdown text (wire numbers formatted). */
const mdCell = (c: Col, e: Entry): string => (c.kind === "num" ? fmtNum(c.get(e)) : c.get(e) ?? "—");

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
  const q = tableFilter.trim().toLowerCase();
  const rows = sortedEntries(world).filter((e) => !q || e.strategy_id.toLowerCase().includes(q)).map((e) => {
    const tr = h("tr", { "data-strategy": e.strategy_id, class: e.key === state.selected ? "selected" : "" });
    COLS.forEach((c, i) => {
      if (i === 0) {
        const b = h("button", { type: "button", class: "link", "aria-label": `inspect ${e.strategy_id}` }, e.strategy_id);
        b.addEventListener("click", () => { state.selected = e.key; state.view = "inspect"; changed(); });
        tr.append(h("th", { scope: "row" }, b));
      } else tr.append(cell(c, e));
    });
    return tr;
  });
  const filter = h("input", { type: "search", id: "world-filter", placeholder: "filter strategies…", value: tableFilter, autocomplete: "off" });
  filter.addEventListener("input", () => { tableFilter = filter.value; changed(); });
  const total = worldEntries(world).length;
  return h("div", { class: "world" },
    h("div", { class: "pickers" }, h("label", { for: "world-filter" }, "filter "), filter, h("span", { class: "muted small", id: "world-count" }, rows.length === total ? `${total} strategies` : `${rows.length} of ${total} strategies`)),
    // A scrolling box with a sticky header: 200 strategies stay one screen tall.
    h("div", { class: "table-scroll", tabindex: 0, role: "region", "aria-label": `strategies of ${world}` },
      h("table", { class: "world-table", id: "world-table" }, h("thead", null, head), h("tbody", null, rows))));
}

export function worldReport(world: string): Report {
  const list = sortedEntries(world);
  const rows = list.map((e) => COLS.map((c) => { const v = c.get(e); return v == null ? "" : String(v); }));
  const md = [`# ${world}: strategies`, "", `| ${COLS.map((c) => c.label).join(" | ")} |`, `|${COLS.map(() => "---").join("|")}|`,
    ...list.map((e) => `| ${COLS.map((c) => mdCell(c, e)).join(" | ")} |`)].join("\n");
  return { name: `${world}-strategies`, json: list.map((e) => ({ world_id: e.world_id, strategy_id: e.strategy_id, run_id: e.run_id, metrics: e.metrics, whatif: state.whatif?.decision.strategies[e.strategy_id] ?? null })), columns: COLS.map((c) => c.label), rows, markdown: md + "\n" };
}

let lastDiff: { baseline: Entry; current: Entry; diff: Diff } | null = null;
const diffOptions: Required<DiffOptions> = { allow_cross_world: false, allow_policy_change: false };

function optionBox(key: keyof DiffOptions, label: string): HTMLElement {
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

const DELTA_COLS = ["baseline", "current", "delta", "relative"] as const;

/** Renders the engine's diff of two runs. */
function diffView(d: Diff): HTMLElement {
  const parts: HTMLElement[] = [];
  parts.push(h("p", { id: "verdict-change", "data-changed": String(d.verdict.changed) },
    "verdict: ", verdictBadge(d.verdict.baseline), " → ", verdictBadge(d.verdict.current),
    d.verdict.changed ? h("strong", null, " (changed)") : h("span", { class: "muted" }, " (unchanged)")));
  if (d.metrics.length) {
    parts.push(h("table", { class: "deltas", id: "deltas" },
      h("thead", null, h("tr", null, h("th", { scope: "col" }, "metric"), DELTA_COLS.map((c) => h("th", { scope: "col" }, c)))),
      h("tbody", null, d.metrics.map((r) => h("tr", { "data-metric": r.metric },
        h("th", { scope: "row" }, r.metric),
        DELTA_COLS.map((c) => {
          const tone = c === "delta" ? deltaTone(r.metric, r.delta) : null;
          const text = c === "relative" ? fmtMetric("x.total_return", r[c]) : fmtMetric(r.metric, r[c]);
          return h("td", { class: `num${tone ? ` tone-${tone}` : ""}`, "data-col": c, "data-value": JSON.stringify(r[c]), "data-tone": tone ?? undefined, title: `raw: ${rawNum(r[c])}` },
            // the arrow is the change's sign; the colour (and the hidden word) whether it is better
            tone && tone !== "same" && typeof r.delta === "number" ? (r.delta > 0 ? "▲ " : "▼ ") : "", text, tone && tone !== "same" ? h("span", { class: "sr-only" }, ` (${tone})`) : null);
        }))))));
  }
  parts.push(h("p", { "data-change": "rank" }, `rank: ${fmtNum(d.rank.baseline)} → ${fmtNum(d.rank.current)}`));
  parts.push(h("p", { "data-change": "weight" }, `weight: ${fmtNum(d.weight.baseline)} → ${fmtNum(d.weight.current)}`));
  parts.push(h("section", { class: "block" }, h("h3", null, `violations added (${d.violations_added.length})`), violationsTable(d.violations_added, "violations-added")));
  parts.push(h("section", { class: "block" }, h("h3", null, `violations removed (${d.violations_removed.length})`), violationsTable(d.violations_removed, "violations-removed")));
  if (d.only_in_baseline.length) parts.push(h("p", { class: "muted" }, `only in baseline: ${d.only_in_baseline.join(", ")}`));
  if (d.only_in_current.length) parts.push(h("p", { class: "muted" }, `only in current: ${d.only_in_current.join(", ")}`));
  if (d.notes.length) parts.push(h("ul", { class: "notes" }, d.notes.map((n) => h("li", null, n))));
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
  const overlay = h("section", { id: "overlay", class: "charts", "aria-label": "equity overlay" });
  lastDiff = null;
  if (baseline && current && baseline !== current) {
    try {
      const answer = engine.diffSnapshots(baseline.snapshot!, current.snapshot!, { ...diffOptions });
      if (answer.type === "failure") mount(out, h("ul", { class: "errors" }, answer.errors.map((x) => errorItem("diff", x))));
      else {
        lastDiff = { baseline, current, diff: answer.value };
        mount(out, diffView(answer.value));
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
    overlay,
    out,
    world ? h("section", null, h("h2", null, `World ${world}`), worldTable(world)) : null,
  );
  if (lastDiff && baseline?.returns?.length && current?.returns?.length) {
    const init = (e: Entry) => { const v = toFloat(e.metrics.pnl?.initial_capital ?? 1); return Number.isFinite(v) && v > 0 ? v : 1; };
    const head = (e: Entry) => (e.seriesIsHead ? ` (series head, ${e.returns!.length} periods)` : "");
    drawOverlay(overlay, { label: `${baseline.strategy_id} / ${baseline.run_id}${head(baseline)}`, returns: baseline.returns, initial: init(baseline) }, { label: `${current.strategy_id} / ${current.run_id}${head(current)}`, returns: current.returns, initial: init(current) });
  }
}

export function compareReport(): Report | null {
  if (!lastDiff) return state.entries[0] ? worldReport(state.entries[0].world_id) : null;
  const { baseline, current, diff } = lastDiff;
  const cols = ["section", "item", ...DELTA_COLS];
  const raw = (v: Num | string | null | undefined) => (v === null || v === undefined ? "" : String(v));
  const rows: string[][] = [
    ...diff.metrics.map((r) => ["metric", r.metric, ...DELTA_COLS.map((c) => raw(r[c]))]),
    ["verdict", diff.verdict.changed ? "changed" : "unchanged", raw(diff.verdict.baseline), raw(diff.verdict.current), "", ""],
    ["rank", "rank", raw(diff.rank.baseline), raw(diff.rank.current), "", ""],
    ["weight", "weight", raw(diff.weight.baseline), raw(diff.weight.current), "", ""],
    ...diff.violations_added.map((v) => ["violation_added", `${v.code} ${v.rule}`, "", raw(v.observed), raw(v.bound), v.message]),
    ...diff.violations_removed.map((v) => ["violation_removed", `${v.code} ${v.rule}`, raw(v.observed), "", raw(v.bound), v.message]),
  ];
  const viol = (title: string, list: Diff["violations_added"]) => [`## ${title} (${list.length})`, "", ...(list.length ? list.map((v) => `- \`${v.code}\` ${v.rule}: ${v.message} (observed ${raw(v.observed)}, bound ${raw(v.bound)})`) : ["- none"]), ""];
  const md = [
    `# diff: ${baseline.key} → ${current.key}`, "",
    `**verdict**: ${diff.verdict.baseline ?? "none"} → ${diff.verdict.current ?? "none"} (${diff.verdict.changed ? "changed" : "unchanged"})`, "",
    `**rank**: ${raw(diff.rank.baseline) || "—"} → ${raw(diff.rank.current) || "—"}; **weight**: ${raw(diff.weight.baseline) || "—"} → ${raw(diff.weight.current) || "—"}`, "",
    "| metric | baseline | current | delta | relative | better/worse |", "|---|---|---|---|---|---|",
    ...diff.metrics.map((r) => `| ${r.metric} | ${DELTA_COLS.map((c) => raw(r[c])).join(" | ")} | ${deltaTone(r.metric, r.delta)} |`), "",
    ...viol("violations added", diff.violations_added),
    ...viol("violations removed", diff.violations_removed),
    ...(diff.notes.length ? ["## notes", "", ...diff.notes.map((n) => `- ${n}`), ""] : []),
  ].join("\n");
  return { name: `diff-${baseline.strategy_id}-${baseline.run_id}-vs-${current.strategy_id}-${current.run_id}`, json: diff, columns: cols, rows, markdown: md };
}
