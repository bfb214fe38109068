// Inspect's tearsheet blocks from the engine's `computeReport`: rolling Sharpe / volatility /
// Sortino charts, the worst-drawdowns table and the distribution panel. Every number shown is the
// engine's (formatted for people, the raw value in `data-value`, the tooltip and the exports);
// this module only chooses the windows to ask for and arranges the answer.
import { CALENDAR_ROWS, renderCalendar } from "./calendar";
import { drawRolling, type RollingChart } from "./charts";
import * as engine from "./engine";
import type { DrawdownEpisode, EngineReport, Num, WireError } from "./engine";
import { errorItem, fmtHuman, h, mount, rawNum, type MetricKind } from "./format";
import type { Entry } from "./store";

/** The rolling windows quantstats shows (a quarter, half a year, a year of daily periods). */
export const ROLLING_WINDOWS = [63, 126, 252];

/**
 * The windows to ask the engine for on a series of `n` returns: those of [`ROLLING_WINDOWS`] that
 * fit; on a shorter series one window of half of it (at least 2 periods); none under 4 returns.
 */
export function rollingWindows(n: number): number[] {
  const fit = ROLLING_WINDOWS.filter((w) => w <= n);
  if (fit.length) return fit;
  return n >= 4 ? [Math.max(2, Math.floor(n / 2))] : [];
}

/** The engine's report of an entry's series, or its errors (computed once per entry). */
export type ReportResult = { report: EngineReport; errors?: undefined } | { report?: undefined; errors: WireError[] };

/**
 * Above this many returns the rolling series (one value per return and window: 9 million numbers
 * for a million returns, seconds to hand over from the engine) are computed on request only.
 */
export const ROLLING_AUTO_MAX = 100_000;

const cache = new WeakMap<Entry, { tables?: ReportResult; full?: ReportResult }>();

/**
 * `computeReport` of the entry's returns with the run's own conventions (periods per year and
 * risk-free rate of its returns block), its timestamps when the document dates the series, and
 * [`rollingWindows`] when `rolling` (else no window: the tables only). Computed once per entry;
 * a full report answers for the tables too. `undefined` without a returns series.
 */
export function entryReport(e: Entry, rolling = true): ReportResult | undefined {
  if (!e.returns || e.returns.length === 0) return undefined;
  const hit = cache.get(e) ?? {};
  const have = rolling ? hit.full : hit.full ?? hit.tables;
  if (have) return have;
  const conv = e.metrics.returns?.conventions;
  let res: ReportResult;
  performance.mark("wg:report");
  try {
    const report = engine.computeReport(e.returns, {
      ...(conv ? { periods_per_year: conv.periods_per_year, risk_free: conv.risk_free } : {}),
      rolling_windows: rolling ? rollingWindows(e.returns.length) : [],
      ...(e.timestamps && e.timestamps.length === e.returns.length ? { timestamps: e.timestamps } : {}),
    });
    res = { report };
  } catch (err) {
    res = { errors: engine.toEngineErrors(err) };
  }
  performance.measure(rolling ? "wg:report" : "wg:report-tables", "wg:report");
  cache.set(e, rolling ? { ...hit, full: res } : { ...hit, tables: res });
  return res;
}

/** How each distribution quantity reads for people, with its label (display metadata only). */
export const DISTRIBUTION_ROWS: [keyof EngineReport["distribution"], string, MetricKind][] = [
  ["sample_count", "Returns used", "count"],
  ["skewness", "Skew", "ratio"],
  ["excess_kurtosis", "Excess kurtosis", "ratio"],
  ["best", "Best period", "percent"],
  ["worst", "Worst period", "percent"],
  ["mean_win", "Average win", "percent"],
  ["mean_loss", "Average loss", "percent"],
  ["payoff_ratio", "Payoff ratio", "ratio"],
  ["omega", "Omega", "ratio"],
  ["tail_ratio", "Tail ratio", "ratio"],
  ["common_sense_ratio", "Common sense ratio", "ratio"],
  ["kelly", "Kelly criterion", "percent"],
  ["ulcer_index", "Ulcer index", "percent"],
  ["ulcer_performance_index", "Ulcer performance index", "ratio"],
  ["recovery_factor", "Recovery factor", "ratio"],
  ["max_consecutive_wins", "Max consecutive wins", "count"],
  ["max_consecutive_losses", "Max consecutive losses", "count"],
];

/** A cell of an engine number: formatted for people, the raw value in `data-value` and the tooltip. */
function numCell(v: Num | null | undefined, kind: MetricKind, extra = ""): HTMLTableCellElement {
  const raw = v ?? null;
  return h("td", { class: "num", "data-value": JSON.stringify(raw), title: `raw: ${rawNum(raw)}${extra}` }, fmtHuman(raw, kind));
}

function distributionPanel(r: EngineReport, note: string): HTMLElement {
  const d = r.distribution;
  const reasons = d.reasons ?? {};
  const anyReason = Object.keys(reasons).length > 0;
  return h("table", { class: "metrics", id: "report-distribution-table" },
    h("caption", { class: "muted small" }, note),
    // The reason column only when the engine gave one (a quantity it could not define).
    h("thead", null, h("tr", null, h("th", { scope: "col" }, "statistic"), h("th", { scope: "col" }, "value"), anyReason ? h("th", { scope: "col" }, "reason") : null)),
    h("tbody", null, DISTRIBUTION_ROWS.map(([k, label, kind]) => {
      const v = d[k] as Num | null | undefined;
      return h("tr", { "data-report": `distribution.${k}` }, h("th", { scope: "row", title: `distribution.${k}` }, label), numCell(v, kind), anyReason ? h("td", { class: "note" }, reasons[k] ? h("span", { class: "reason" }, reasons[k]) : "") : null);
    })));
}

/** A date (`YYYY-MM-DD` of an RFC 3339 timestamp) or a period number. */
const when = (period: number | null, at: string | undefined) => (at ? at.slice(0, 10) : period === null ? "" : String(period));

function drawdownsTable(r: EngineReport, dated: boolean): HTMLElement {
  const dd = r.drawdowns;
  const head = dated ? ["#", "peak", "trough", "end", "depth", "length", "recovery"] : ["#", "start (period)", "trough", "end", "depth", "length", "recovery"];
  const periodCell = (p: number | null, at: string | undefined, openText = "") =>
    h("td", { "data-value": JSON.stringify(p), title: p === null ? "still below the peak at the series' end" : `period ${p}${at ? ` · ${at}` : ""}` }, p === null ? openText : when(p, at));
  const lengthCell = (periods: number | null, days: Num | undefined) =>
    dated && days !== undefined
      ? h("td", { class: "num", "data-value": JSON.stringify(periods), "data-days": JSON.stringify(days), title: `${rawNum(periods)} periods · ${rawNum(days)} days` }, `${fmtHuman(days, "count")} d`)
      : h("td", { class: "num", "data-value": JSON.stringify(periods), title: periods === null ? "not recovered" : `${periods} periods` }, periods === null ? "—" : fmtHuman(periods, "count"));
  const rows = dd.episodes.map((ep: DrawdownEpisode, i) =>
    h("tr", { "data-episode": i, "data-open": ep.end === null ? "true" : "false" },
      h("td", { class: "num" }, String(i + 1)),
      periodCell(ep.start, ep.peak_at),
      periodCell(ep.trough, ep.trough_at),
      periodCell(ep.end, ep.end_at, "open"),
      numCell(ep.depth, "percent"),
      lengthCell(ep.length, ep.length_days),
      lengthCell(ep.recovery, ep.recovery_days)));
  const reasons = dd.reasons ?? {};
  const unit = dated ? "days" : "periods";
  const avgLen = dated ? dd.average_length_days : dd.average_length;
  return h("div", null,
    dd.episodes.length
      // A scrollable region on a narrow screen: focusable, named.
      ? h("div", { class: "table-scroll", tabindex: 0, role: "region", "aria-label": "worst drawdowns table" }, h("table", { class: "metrics drawdowns", id: "report-drawdowns-table" },
        h("caption", { class: "muted small" }, `the ${dd.episodes.length} deepest of ${dd.count} episode${dd.count === 1 ? "" : "s"}; lengths in ${unit}${dated ? "" : " (the series has no timestamps: periods, not dates)"}`),
        h("thead", null, h("tr", null, head.map((c) => h("th", { scope: "col" }, c)))), h("tbody", null, rows)))
      : h("p", { class: "muted" }, "no drawdown: the equity never fell below its peak"),
    h("dl", { class: "kv", id: "report-drawdowns-summary" },
      h("dt", null, "episodes"), h("dd", { "data-report": "drawdowns.count", "data-value": JSON.stringify(dd.count) }, fmtHuman(dd.count, "count")),
      h("dt", null, "average drawdown"), h("dd", { "data-report": "drawdowns.average_depth", "data-value": JSON.stringify(dd.average_depth ?? null), title: `raw: ${rawNum(dd.average_depth)}${reasons.average_depth ? ` (${reasons.average_depth})` : ""}` }, fmtHuman(dd.average_depth, "percent")),
      h("dt", null, `average length (${unit})`), h("dd", { "data-report": dated ? "drawdowns.average_length_days" : "drawdowns.average_length", "data-value": JSON.stringify(avgLen ?? null), title: `raw: ${rawNum(avgLen)}` }, avgLen == null ? "—" : fmtHuman(avgLen, "ratio"))));
}

/** The last value of a rolling series that is defined (not NaN), for the text alternative. */
function lastOf(values: Float64Array): number | null {
  for (let i = values.length - 1; i >= 0; i--) if (!Number.isNaN(values[i])) return values[i];
  return null;
}

function rollingCharts(r: EngineReport): RollingChart[] {
  const ws = r.rolling.windows;
  const make = (key: "sharpe" | "volatility" | "sortino", title: string, percent: boolean): RollingChart => {
    const series = ws.map((w) => ({ label: `${w.window} periods`, values: w[key] }));
    const parts = ws.map((w) => (w.reason ? `${w.window} periods: ${w.reason}` : `${w.window} periods ends at ${fmtHuman(lastOf(w[key]), percent ? "percent" : "ratio")}`));
    return { name: `rolling-${key}`, title, yLabel: key, percent, series, desc: `${title} over ${ws.length} window${ws.length === 1 ? "" : "s"} of ${r.distribution.sample_count} returns, from the engine's computeReport: ${parts.join("; ")}.` };
  };
  return [make("sharpe", "Rolling Sharpe", false), make("volatility", "Rolling volatility (annualised)", true), make("sortino", "Rolling Sortino", false)];
}

/**
 * Renders the report blocks of `e` into Inspect's slots (`#report-rolling`, `#report-drawdowns`,
 * `#report-distribution`): the engine's errors in each when it refused the series, a note when
 * there is no series. The rolling charts are drawn after the other charts (call after
 * `drawCharts`); past [`ROLLING_AUTO_MAX`] returns a button computes them. Marks
 * `#report-blocks[data-report]` `ready` when the tables are in.
 */
export function renderReport(root: HTMLElement, e: Entry): void {
  const slots = ["report-rolling", "report-drawdowns", "report-distribution"].map((id) => root.querySelector<HTMLElement>(`#${id}`));
  const [rolling, drawdowns, distribution] = slots;
  const blocks = root.querySelector<HTMLElement>("#report-blocks");
  if (!rolling || !drawdowns || !distribution || !blocks) return;
  const n = e.returns?.length ?? 0;
  const auto = n <= ROLLING_AUTO_MAX;
  const res = entryReport(e, auto);
  const body = (el: HTMLElement, ...children: (HTMLElement | null)[]) => { const t = el.querySelector("h3"); mount(el, t, ...children); };
  blocks.dataset.report = "ready";
  if (!res) {
    for (const el of slots) if (el) body(el, h("p", { class: "muted" }, "no returns series in this document"));
    renderCalendar(root, e, undefined);
    return;
  }
  if (res.errors) {
    for (const el of slots) if (el) body(el, h("ul", { class: "errors" }, res.errors.map((x) => errorItem("computeReport", x))));
    renderCalendar(root, e, undefined, res.errors);
    return;
  }
  const r = res.report;
  renderCalendar(root, e, r.calendar);
  const dated = r.conventions.time === "days";
  const note = e.seriesIsHead ? `over the series head (${n} periods), not the whole run` : `over ${n} periods`;
  body(distribution, distributionPanel(r, `${note}; P = ${r.conventions.periods_per_year}, omega threshold ${rawNum(r.conventions.omega_threshold)} per period`));
  body(drawdowns, drawdownsTable(r, dated));
  if (auto) {
    drawRollingInto(rolling, r, body);
    return;
  }
  const button = h("button", { type: "button", id: "rolling-compute" }, "Compute rolling charts");
  button.addEventListener("click", () => {
    button.disabled = true;
    button.textContent = "computing…";
    // Let the label paint before the engine runs.
    setTimeout(() => {
      const full = entryReport(e, true);
      if (full?.errors) body(rolling, h("ul", { class: "errors" }, full.errors.map((x) => errorItem("computeReport", x))));
      else if (full?.report) drawRollingInto(rolling, full.report, body);
      rolling.querySelector<HTMLElement>("#rolling-charts figure button, #rolling-charts")?.focus();
    }, 30);
  });
  body(rolling, h("p", { class: "muted", id: "rolling-deferred" }, `${fmtHuman(n, "count")} returns: the rolling Sharpe, volatility and Sortino over windows ${rollingWindows(n).join(", ")} are ${fmtHuman(n * rollingWindows(n).length * 3, "count")} values, computed on request (a few seconds). `, button));
}

function drawRollingInto(el: HTMLElement, r: EngineReport, body: (el: HTMLElement, ...c: (HTMLElement | null)[]) => void): void {
  if (!r.rolling.windows.length) {
    body(el, h("p", { class: "muted" }, "the series is too short for a rolling window"));
    return;
  }
  const box = h("div", { class: "rolling-charts", id: "rolling-charts", tabindex: -1 });
  body(el, box);
  drawRolling(box, rollingCharts(r));
}

/** Export rows `[block, metric, value]` (raw) and Markdown of the report blocks. */
export function reportExport(e: Entry): { rows: string[][]; markdown: string[]; json: unknown } | undefined {
  const res = entryReport(e, false);
  if (!res?.report) return undefined;
  const r = res.report;
  const rows: string[][] = [];
  for (const [k] of DISTRIBUTION_ROWS) rows.push(["distribution", k, rawNum(r.distribution[k] as Num | null).replace("—", "")]);
  rows.push(["drawdowns", "count", String(r.drawdowns.count)], ["drawdowns", "average_depth", rawNum(r.drawdowns.average_depth).replace("—", "")], ["drawdowns", "average_length", rawNum(r.drawdowns.average_length).replace("—", "")]);
  r.drawdowns.episodes.forEach((ep, i) => {
    for (const k of ["start", "trough", "end", "depth", "length", "recovery", "peak_at", "trough_at", "end_at", "length_days", "recovery_days"] as const) {
      const v = ep[k];
      if (v !== undefined) rows.push(["drawdowns", `episodes/${i}/${k}`, v === null ? "" : String(v)]);
    }
  });
  const md = [
    "",
    "## Distribution (computeReport)",
    "",
    "| statistic | value |",
    "|---|---|",
    ...DISTRIBUTION_ROWS.map(([k]) => `| ${k} | ${rawNum(r.distribution[k] as Num | null)} |`),
    "",
    `## Worst drawdowns (${r.drawdowns.episodes.length} of ${r.drawdowns.count})`,
    "",
    "| start | trough | end | depth | length | recovery |",
    "|---|---|---|---|---|---|",
    ...r.drawdowns.episodes.map((ep) => `| ${ep.peak_at ?? ep.start} | ${ep.trough_at ?? ep.trough} | ${ep.end === null ? "open" : ep.end_at ?? ep.end} | ${ep.depth} | ${ep.length_days ?? ep.length} | ${ep.recovery === null ? "open" : ep.recovery_days ?? ep.recovery} |`),
    "",
    `average depth ${rawNum(r.drawdowns.average_depth)}, average length ${rawNum(r.drawdowns.average_length)} periods`,
  ];
  const cal = r.calendar;
  if (cal) {
    for (const m of cal.months) rows.push(["calendar", `months/${m.period}`, String(m.return)]);
    for (const y of cal.years) rows.push(["calendar", `years/${y.period}`, String(y.return)]);
    for (const [k] of CALENDAR_ROWS) rows.push(["calendar", k, rawNum(cal[k] as Num | null).replace("—", "")]);
    md.push("", `## Calendar (as of ${cal.as_of ?? "—"})`, "", "| period | return | periods |", "|---|---|---|",
      ...[...cal.months, ...cal.years].map((p) => `| ${p.period} | ${rawNum(p.return)} | ${p.periods} |`));
  }
  // The rolling series are chart data (one value per return): the JSON keeps their windows only.
  const json = { conventions: r.conventions, distribution: r.distribution, drawdowns: r.drawdowns, rolling_windows: r.rolling.windows.map((w) => ({ window: w.window, reason: w.reason ?? null })), ...(r.relative ? { relative: r.relative } : {}), ...(cal ? { calendar: cal } : {}) };
  return { rows, markdown: md, json };
}
