// Inspect one run: header, metric blocks (units, conventions, null reasons), gating verdict and
// violations (observed vs bound), meta and storage refs, and the charts.
import { drawCharts, destroyCharts } from "./charts";
import type { Explanation, Verdict, Violation } from "./engine";
import { METRIC_INFO, fmtNum, fmtValue, h, isNum, mount, toFloat } from "./format";
import type { Entry } from "./store";
import type { Report } from "./export";

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
      h("td", { class: num ? "num" : "", "data-value": JSON.stringify(v) }, fmtValue(v)),
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

export function verdictBadge(verdict: Verdict | undefined | null): HTMLElement {
  const v = verdict ?? "none";
  return h("span", { class: `verdict verdict-${v}`, "data-verdict": v }, v);
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
  return h("section", { class: "block", id: "gating" }, h("h3", null, "gating ", verdictBadge(g.verdict)), facts, violationsTable(g.violations, "violations"),
    expl?.length ? h("details", { open: true }, h("summary", null, `rule explanations (${expl.length})`), explanationsTable(expl)) : null);
}

function jsonBlock(title: string, obj: unknown, id: string): HTMLElement {
  const empty = !obj || (typeof obj === "object" && Object.keys(obj as object).length === 0);
  return h("section", { class: "block", id }, h("h3", null, title), empty ? h("p", { class: "muted" }, "empty") : h("pre", { class: "json" }, JSON.stringify(obj, null, 2)));
}

/** Renders the inspect view of `e` into `root` (charts drawn into `#charts`). */
export function renderInspect(root: HTMLElement, e: Entry | undefined): void {
  if (!e) {
    destroyCharts();
    mount(root, h("p", { class: "muted" }, "Load a snapshot, bundle, run or returns file to inspect it."));
    return;
  }
  const m = e.metrics as Record<string, Record<string, unknown> | undefined>;
  const charts = h("section", { id: "charts", class: "charts", "aria-label": "charts" });
  const redactions = e.redactions?.length ? jsonBlock(`redactions (${e.redactions.length})`, e.redactions, "redactions") : null;
  mount(
    root,
    h("h2", null, `${e.strategy_id}`, h("span", { class: "muted" }, ` · ${e.world_id} · ${e.kind}`)),
    headerView(e),
    h("div", { class: "blocks" }, metricTable("returns", m.returns), metricTable("pnl", m.pnl), metricTable("risk", m.risk), metricTable("custom", m.custom), gatingView(e)),
    charts,
    h("div", { class: "blocks" }, jsonBlock("meta", e.meta, "meta"), jsonBlock("storage_refs (sanitized)", e.storage_refs, "storage-refs"), redactions),
  );
  if (e.returns && e.returns.length > 0) {
    const initial = toFloat(e.metrics.pnl?.initial_capital ?? 1);
    const caption = e.seriesIsHead ? `series head: first ${e.returns.length} periods` : `full series: ${e.returns.length} periods`;
    drawCharts(charts, e.returns, Number.isFinite(initial) && initial > 0 ? initial : 1, caption);
  } else {
    destroyCharts();
    mount(charts, h("p", { class: "muted" }, "no returns series in this document"));
  }
}

/** The report of the inspect view (for export). */
export function inspectReport(e: Entry): Report {
  const rows: string[][] = [];
  const m = e.metrics as Record<string, Record<string, unknown> | undefined>;
  for (const block of ["returns", "pnl", "risk", "custom"]) for (const [k, v] of blockRows(block, m[block])) rows.push([block, k, v === null ? "" : String(v)]);
  const g = e.metrics.gating;
  const md = [
    `# ${e.world_id} / ${e.strategy_id} / ${e.run_id}`,
    "",
    ...[["status", e.status], ["created_at", e.created_at], ...Object.entries(e.digests)].filter(([, v]) => v).map(([k, v]) => `- **${k}**: \`${v}\``),
    "",
    "| block | metric | value |",
    "|---|---|---|",
    ...rows.map((r) => `| ${r.join(" | ")} |`),
    "",
    `**verdict**: ${g?.verdict ?? "none"}`,
    ...(g?.violations ?? []).map((v) => `- \`${v.code}\` ${v.rule}: ${v.message} (observed ${fmtNum(v.observed)}, bound ${fmtNum(v.bound)})`),
  ].join("\n");
  return {
    name: `${e.world_id}-${e.strategy_id}-${e.run_id}`,
    json: { world_id: e.world_id, strategy_id: e.strategy_id, run_id: e.run_id, status: e.status ?? null, created_at: e.created_at ?? null, digests: e.digests, metrics: e.metrics, meta: e.meta, storage_refs: e.storage_refs },
    columns: ["block", "metric", "value"],
    rows,
    markdown: md + "\n",
  };
}
