// Inspect one run: header, metric blocks (units, conventions, null reasons), gating verdict and
// violations (observed vs bound), meta and storage refs, and the charts.
import { drawCharts, destroyCharts } from "./charts";
import type { Explanation, Num, Verdict, Violation } from "./engine";
import { METRIC_INFO, fmtMetric, fmtNum, fmtValue, h, isNum, metricKind, mount, rawNum, toFloat } from "./format";
import { state, type Entry } from "./store";
import type { Report } from "./export";
import { renderReport, reportExport } from "./report";

const HEADER_FIELDS: [string, (e: Entry) => string | undefined][] = [
  ["world", (e) => e.world_id],
  ["strategy", (e) => e.strategy_id],
  ["run", (e) => e.run_id],
  ["status", (e) => e.status],
  ["created_at", (e) => e.created_at],
  ["source", (e) => e.source],
];

function headerView(e: Entry): HTMLElement {
  const dl = h("dl", { class: "kv", id: "run-header" });
  for (const [k, get] of HEADER_FIELDS) {
    const v = get(e);
    if (v) dl.append(h("dt", null, k), h("dd", { "data-field": k }, v));
  }
  for (const [k, v] of Object.entries(e.digests)) dl.append(h("dt", null, k), h("dd", { "data-field": k, class: "mono" }, v));
  return dl;
}

/** Rows `[block, metric, value]` of the scalar metrics of a block. */
export function blockRows(_block: string, obj: Record<string, unknown> | undefined): [string, unknown][] {
  if (!obj) return [];
  return Object.entries(obj).filter(([k, v]) => k !== "conventions" && k !== "reasons" && (v === null || typeof v !== "object"));
}

function metricTable(block: string, obj: Record<string, unknown> | undefined): HTMLElement | null {
  if (!obj) return null;
  const reasons = (obj.reasons ?? {}) as Record<string, string>;
  const rows = blockRows(block, obj).map(([k, v]) => {
    const info = METRIC_INFO[`${block}.${k}`];
    const num = v === null || isNum(v);
    return h(
      "tr",
      { "data-metric": `${block}.${k}` },
      h("th", { scope: "row" }, k),
      h("td", { class: num ? "num" : "", "data-value": JSON.stringify(v), title: num ? `raw: ${rawNum(v as Num | null)}` : undefined }, num ? fmtMetric(`${block}.${k}`, v as Num | null, String(obj.reference_currency ?? "")) : fmtValue(v)),
      h("td", { class: "unit" }, info?.unit ?? (block === "pnl" && typeof v === "number" ? String(obj.reference_currency ?? "") : "")),
      h("td", { class: "note" }, reasons[k] ? h("span", { class: "reason" }, reasons[k]) : info?.note ?? ""),
    );
  });
  const extra: HTMLElement[] = [];
  const conv = obj.conventions as Record<string, unknown> | undefined;
  if (conv) {
    extra.push(
      h("p", { class: "conventions", "data-block": block }, h("strong", null, "conventions: "),
        Object.entries(conv).map(([k, v]) => h("span", { class: "conv" }, `${k} = ${fmtValue(v)}`))),
    );
  }
  const warnings = (obj.concentration_warnings ?? []) as string[];
  if (warnings.length) extra.push(h("ul", { class: "warnings" }, warnings.map((w) => h("li", null, w))));
  return h(
    "section",
    { class: "block", "data-block": block },
    h("h3", null, block),
    h("table", { class: "metrics" }, h("thead", null, h("tr", null, h("th", { scope: "col" }, "metric"), h("th", { scope: "col" }, "value"), h("th", { scope: "col" }, "unit"), h("th", { scope: "col" }, "convention / reason"))), h("tbody", null, rows)),
    extra,
  );
}

/** A table of violations (rule, metric, observed vs bound, explanation). */
export function violationsTable(list: Violation[], id?: string): HTMLElement {
  if (!list.length) return h("p", { class: "muted", id }, "no violations");
  return h(
    "table",
    { class: "violations", id },
    h("thead", null, h("tr", null, ["code", "rule", "metric", "observed", "bound", "explanation"].map((c) => h("th", { scope: "col" }, c)))),
    h("tbody", null, list.map((v) =>
      h("tr", { "data-code": v.code, "data-rule": v.rule },
        h("td", null, h("code", null, v.code)), h("td", null, v.rule), h("td", null, v.metric ?? "—"),
        h("td", { class: "num", "data-value": JSON.stringify(v.observed) }, fmtNum(v.observed)),
        h("td", { class: "num", "data-value": JSON.stringify(v.bound) }, fmtNum(v.bound)),
        h("td", null, v.message)))),
  );
}

/** Every rule checked for the strategy: comparison, observed (and magnitude) vs bound, outcome. */
export function explanationsTable(list: Explanation[]): HTMLElement {
  return h(
    "table",
    { class: "explanations", id: "explanations" },
    h("thead", null, h("tr", null, ["rule", "metric", "observed", "|observed|", "check", "bound", "outcome", "explanation"].map((c) => h("th", { scope: "col" }, c)))),
    h("tbody", null, list.map((x) =>
      h("tr", { "data-rule": x.rule, "data-outcome": x.outcome, class: `outcome-${x.outcome}` },
        h("td", null, x.rule), h("td", null, x.metric ?? "—"),
        h("td", { class: "num", "data-value": JSON.stringify(x.observed) }, fmtNum(x.observed)),
        h("td", { class: "num" }, x.magnitude === undefined ? "" : fmtNum(x.magnitude)),
        h("td", null, x.comparison ?? ""),
        h("td", { class: "num", "data-value": JSON.stringify(x.bound) }, fmtNum(x.bound)),
        h("td", null, h("code", null, x.code), " ", x.outcome),
        h("td", null, x.message)))),
  );
}

/** Codes of the selection rules (top-k, correlation, hysteresis): a strategy failing only these
 * passed its thresholds and is merely not selected. Display grouping of the engine's codes. */
const SELECTION_CODES = /^(rank_outside_top_k|performance_rank_outside_top_k|correlation_|hysteresis_|top_k_)/;

/** Whether every violation is a selection rule's (the strategy is not selected, not failing). */
export function onlyNotSelected(violations: Violation[] | undefined): boolean {
  return !!violations?.length && violations.every((v) => SELECTION_CODES.test(v.code));
}

/**
 * The engine's verdict as a badge. An `invalid` whose violations are all selection rules reads
 * "not selected" (the verdict stays in `data-verdict` and the tooltip).
 */
export function verdictBadge(verdict: Verdict | undefined | null, violations?: Violation[]): HTMLElement {
  const v = verdict ?? "none";
  const unselected = v === "invalid" && onlyNotSelected(violations);
  return h("span", { class: `verdict verdict-${unselected ? "unselected" : v}`, "data-verdict": v, title: unselected ? "invalid: passed its thresholds, not selected (top-k / correlation / hysteresis)" : undefined }, unselected ? "not selected" : v);
}

/** One reason of a verdict: a violation or a rule explanation (the engine's code and message). */
export interface Reason { code: string; message: string; kind: "threshold" | "selection" | "warn" | "note" }

/**
 * Why the run has its verdict, from the engine's outputs only: the gating violations; then the
 * warn/fail rule explanations of the decision that gated it here, or of the what-if decision
 * when its ruleset hash is the run's; and the decision's notes. A `warn` with nothing to show says
 * so.
 */
export function verdictReasons(e: Entry): { reasons: Reason[]; source: string } {
  const g = e.metrics.gating;
  const reasons: Reason[] = [];
  const kindOf = (code: string): Reason["kind"] => (SELECTION_CODES.test(code) ? "selection" : "threshold");
  for (const v of g?.violations ?? []) reasons.push({ code: v.code, message: v.message, kind: kindOf(v.code) });
  let source = g ? "the run's gating block" : "";
  let expl = e.outcome?.explanations;
  const w = state.whatif;
  if (!expl && w && w.world === e.world_id && g?.ruleset_hash && g.ruleset_hash === w.decision.ruleset_hash) {
    expl = w.decision.strategies[e.strategy_id]?.explanations;
    if (expl) source = "the world's policy (same ruleset hash), evaluated by the engine";
  } else if (expl) source = "the engine's decision when this bundle was gated";
  for (const x of expl ?? []) {
    if (x.outcome !== "warn" && x.outcome !== "fail") continue;
    if (reasons.some((r) => r.code === x.code && r.message === x.message)) continue;
    reasons.push({ code: x.code, message: x.message, kind: x.outcome === "warn" ? "warn" : kindOf(x.code) });
  }
  const decision = state.decisions.get(e.world_id);
  if (g?.verdict === "warn") for (const n of decision?.notes ?? []) reasons.push({ code: n.code, message: n.message, kind: "note" });
  if (g?.verdict === "warn" && !reasons.length) {
    reasons.push({ code: "no_explanation", kind: "note", message: "the engine gave this run WARN with no violation; the document carries no rule explanations (load the world's policy in What-if, with the run's ruleset hash, to see each rule's outcome)" });
  }
  return { reasons, source };
}

function reasonsList(e: Entry, id: string): HTMLElement {
  const { reasons, source } = verdictReasons(e);
  const g = e.metrics.gating;
  if (!g) return h("p", { class: "muted", id }, "no gating verdict in this document");
  if (!reasons.length) return h("p", { class: "muted", id }, g.verdict === "valid" ? "passed every rule" : "no reasons given");
  return h("div", { id },
    h("ul", { class: "reasons" }, reasons.map((r) => h("li", { "data-code": r.code, "data-kind": r.kind, class: `reason-${r.kind}` },
      h("span", { class: "reason-kind" }, { threshold: "failed", selection: "not selected", warn: "warning", note: "note" }[r.kind]), " ", h("code", null, r.code), " ", r.message))),
    source ? h("p", { class: "muted small" }, `from ${source}`) : null);
}

/** The headline's key figures: block, metric, label. */
export const CARDS: [string, string, string][] = [
  ["returns", "cagr", "CAGR"], ["returns", "sharpe", "Sharpe"], ["returns", "sortino", "Sortino"], ["returns", "max_drawdown", "Max drawdown"],
  ["returns", "volatility", "Volatility"], ["returns", "win_rate", "Win rate"], ["returns", "profit_factor", "Profit factor"], ["returns", "calmar", "Calmar"],
];

function cards(e: Entry): HTMLElement {
  const m = e.metrics as Record<string, Record<string, unknown> | undefined>;
  return h("div", { class: "cards", id: "cards" }, CARDS.map(([block, k, label]) => {
    const v = (m[block]?.[k] ?? null) as Num | null;
    const reason = (m[block]?.reasons as Record<string, string> | undefined)?.[k];
    return h("div", { class: "card", "data-metric": `${block}.${k}`, "data-value": JSON.stringify(v), title: `${block}.${k} = ${rawNum(v)}${reason ? ` (${reason})` : ""}` },
      h("div", { class: "card-label" }, label), h("div", { class: `card-value${metricKind(k) === "percent" && typeof v === "number" && v < 0 ? " neg" : ""}` }, fmtMetric(k, v)));
  }));
}

/** The headline: verdict with its reasons, key figures, and the slot of the equity curve. */
function headline(e: Entry): { el: HTMLElement; chart: HTMLElement } {
  const g = e.metrics.gating;
  const chart = h("div", { id: "headline-chart", class: "headline-chart" });
  const el = h("section", { class: "headline", id: "headline", "aria-label": "headline" },
    h("div", { class: "headline-top" },
      h("h2", null, e.strategy_id, h("span", { class: "muted" }, ` · ${e.world_id} · ${e.run_id}`)),
      h("div", { class: "headline-verdict", id: "headline-verdict" }, verdictBadge(g?.verdict, g?.violations), reasonsList(e, "verdict-reasons"))),
    cards(e),
    chart);
  return { el, chart };
}

function gatingView(e: Entry): HTMLElement {
  const g = e.metrics.gating;
  if (!g) return h("section", { class: "block", id: "gating" }, h("h3", null, "gating"), h("p", { class: "muted" }, "this document carries no gating verdict"));
  const facts = h("dl", { class: "kv" });
  if (g.rank != null) facts.append(h("dt", null, "rank"), h("dd", { "data-field": "rank" }, String(g.rank)));
  if (g.weight != null) facts.append(h("dt", null, "weight"), h("dd", { "data-field": "weight", "data-value": JSON.stringify(g.weight) }, fmtNum(g.weight)));
  if (g.hysteresis) facts.append(h("dt", null, "hysteresis"), h("dd", null, `promote_after ${g.hysteresis.promote_after}, demote_after ${g.hysteresis.demote_after}`));
  if (g.ruleset_hash) facts.append(h("dt", null, "ruleset_hash"), h("dd", { class: "mono" }, g.ruleset_hash));
  const expl = e.outcome?.explanations;
  return h("section", { class: "block", id: "gating" }, h("h3", null, "gating ", verdictBadge(g.verdict, g.violations)), facts, violationsTable(g.violations, "violations"),
    g.verdict !== "valid" && !g.violations.length ? reasonsList(e, "gating-reasons") : null,
    expl?.length ? h("details", { open: true }, h("summary", null, `rule explanations (${expl.length})`), explanationsTable(expl)) : null);
}

function jsonBlock(title: string, obj: unknown, id: string): HTMLElement {
  const empty = !obj || (typeof obj === "object" && Object.keys(obj as object).length === 0);
  // tabindex: a scrollable block must be reachable by keyboard
  return h("section", { class: "block", id }, h("h3", null, title), empty ? h("p", { class: "muted" }, "empty") : h("pre", { class: "json", tabindex: 0, "aria-label": title }, JSON.stringify(obj, null, 2)));
}

/**
 * The places of the report blocks, filled by `renderReport` from the engine's `computeReport`:
 * rolling charts, worst drawdowns, distribution, and (a dated series only) the calendar's
 * monthly and yearly returns.
 */
function reportBlocks(): HTMLElement {
  const slot = (id: string, title: string, from: string, pending = false) =>
    h("section", { class: `block report-block${pending ? " pending" : ""}`, id, "data-report-block": from, "aria-labelledby": `${id}-title` }, h("h3", { id: `${id}-title` }, title), pending ? h("p", { class: "muted small" }, `from the engine's ${from} (not in this package yet)`) : null);
  return h("div", { class: "blocks", id: "report-blocks" },
    h("div", { class: "report-wide" }, slot("report-rolling", "Rolling Sharpe, volatility and Sortino", "computeReport().rolling")),
    slot("report-drawdowns", "Worst drawdowns", "computeReport().drawdowns"),
    slot("report-distribution", "Return distribution statistics", "computeReport().distribution"),
    slot("report-monthly", "Monthly returns", "computeReport().calendar.months"),
    slot("report-yearly", "End-of-year returns", "computeReport().calendar.years"));
}

/** Bumped by every render: a deferred report of an older render does nothing. */
let reportToken = 0;

/** Renders the inspect view of `e` into `root`: the headline (verdict, reasons, key figures,
 * equity curve) first, then the details and the other charts. */
export function renderInspect(root: HTMLElement, e: Entry | undefined): void {
  if (!e) {
    reportToken++;
    destroyCharts();
    mount(root, h("p", { class: "muted" }, "Load a snapshot, bundle, run or returns file to inspect it."));
    return;
  }
  const m = e.metrics as Record<string, Record<string, unknown> | undefined>;
  const charts = h("section", { id: "charts", class: "charts", "aria-label": "charts" });
  const redactions = e.redactions?.length ? jsonBlock(`redactions (${e.redactions.length})`, e.redactions, "redactions") : null;
  const top = headline(e);
  mount(
    root,
    top.el,
    charts,
    reportBlocks(),
    h("h2", null, "Details"),
    headerView(e),
    h("div", { class: "blocks" }, metricTable("returns", m.returns), metricTable("pnl", m.pnl), metricTable("risk", m.risk), metricTable("custom", m.custom), gatingView(e)),
    h("div", { class: "blocks" }, jsonBlock("meta", e.meta, "meta"), jsonBlock("storage_refs (sanitized)", e.storage_refs, "storage-refs"), redactions),
  );
  if (e.returns && e.returns.length > 0) {
    const initial = toFloat(e.metrics.pnl?.initial_capital ?? 1);
    const caption = e.seriesIsHead ? `series head: first ${e.returns.length} periods (the metrics cover the whole run)` : `full series: ${e.returns.length} periods`;
    drawCharts(charts, e.returns, Number.isFinite(initial) && initial > 0 ? initial : 1, caption, top.chart, e.timestamps);
    // The report after the headline's frame is painted (a large series takes the engine a while).
    const token = ++reportToken;
    requestAnimationFrame(() => setTimeout(() => { if (token === reportToken && root.isConnected) renderReport(root, e); }, 0));
  } else {
    destroyCharts();
    mount(charts, h("p", { class: "muted" }, "no returns series in this document"));
    reportToken++;
    renderReport(root, e);
  }
}

/** The report of the inspect view (for export). */
export function inspectReport(e: Entry): Report {
  const rows: string[][] = [];
  const m = e.metrics as Record<string, Record<string, unknown> | undefined>;
  for (const block of ["returns", "pnl", "risk", "custom"]) for (const [k, v] of blockRows(block, m[block])) rows.push([block, k, v === null ? "" : String(v)]);
  const g = e.metrics.gating;
  const why = verdictReasons(e);
  const extra = reportExport(e);
  const md = [
    `# ${e.world_id} / ${e.strategy_id} / ${e.run_id}`,
    "",
    ...[["status", e.status], ["created_at", e.created_at], ...Object.entries(e.digests)].filter(([, v]) => v).map(([k, v]) => `- **${k}**: \`${v}\``),
    "",
    "| block | metric | value |",
    "|---|---|---|",
    ...rows.map((r) => `| ${r.join(" | ")} |`),
    "",
    `**verdict**: ${g?.verdict ?? "none"}${onlyNotSelected(g?.violations) ? " (not selected)" : ""}`,
    "",
    "**why**:",
    ...(g?.violations ?? []).map((v) => `- \`${v.code}\` ${v.rule}: ${v.message} (observed ${rawNum(v.observed)}, bound ${rawNum(v.bound)})`),
    ...why.reasons.filter((r) => !(g?.violations ?? []).some((v) => v.code === r.code && v.message === r.message)).map((r) => `- \`${r.code}\` ${r.message}`),
    ...(why.reasons.length ? [] : ["- passed every rule"]),
    ...(why.source ? ["", `(reasons from ${why.source})`] : []),
    ...(extra?.markdown ?? []),
  ].join("\n");
  // The CSV carries the report's raw values too (the Markdown has them in their own tables).
  if (extra) rows.push(...extra.rows);
  return {
    name: `${e.world_id}-${e.strategy_id}-${e.run_id}`,
    json: { world_id: e.world_id, strategy_id: e.strategy_id, run_id: e.run_id, status: e.status ?? null, created_at: e.created_at ?? null, digests: e.digests, metrics: e.metrics, reasons: why.reasons, meta: e.meta, storage_refs: e.storage_refs, ...(extra ? { report: extra.json } : {}) },
    columns: ["block", "metric", "value"],
    rows,
    markdown: md + "\n",
  };
}
