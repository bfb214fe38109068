// Charts (uPlot): cumulative returns (linear or log scale) and underwater drawdown from the
// engine's curves, the return distribution (display binning only), Compare's baseline equity over
// the current one; synced crosshair and x-zoom, a text alternative per chart, PNG export.
import uPlot from "uplot";
import "uplot/dist/uPlot.min.css";
import * as engine from "./engine";
import { errorItem, fmtHuman, fmtNum, h, mount } from "./format";
import type { Num, TimestampsInput } from "./engine";

let plots: { name: string; plot: uPlot }[] = [];
let observer: ResizeObserver | null = null;
/** The equity chart's y scale (kept across runs and renders). */
let logScale = false;

/** The currently drawn charts by name (`equity`, `drawdown`, `histogram`, `overlay`). */
export function chartCanvas(name: string): HTMLCanvasElement | null {
  return plots.find((p) => p.name === name)?.plot.ctx.canvas ?? null;
}

/** The tick labels uPlot drew on axis `axis` (0 = x, 1 = y) of a chart (tests read them: the
 * axes are painted on the canvas). */
export function chartTicks(name: string, axis: number): string[] {
  const a = plots.find((p) => p.name === name)?.plot.axes[axis] as (uPlot.Axis & { _values?: (string | number)[] }) | undefined;
  return (a?._values ?? []).map(String);
}

/** The data of a drawn chart, x first then each series (tests compare it with the engine's). */
export function chartData(name: string): (number | null)[][] | null {
  const d = plots.find((p) => p.name === name)?.plot.data;
  return d ? d.map((col) => Array.from(col as ArrayLike<number | null>)) : null;
}

/** The names of the charts drawn now (the export button offers the first). */
export function chartNames(): string[] {
  return plots.map((p) => p.name);
}

/** Histogram bins over the finite values (pure display binning). */
export function histogram(values: Float64Array, bins = 60): { x: Float64Array; y: Float64Array } {
  let lo = Infinity, hi = -Infinity;
  for (const v of values) if (Number.isFinite(v)) { if (v < lo) lo = v; if (v > hi) hi = v; }
  if (!Number.isFinite(lo)) return { x: new Float64Array(0), y: new Float64Array(0) };
  if (lo === hi) { lo -= 0.5e-3; hi += 0.5e-3; }
  const w = (hi - lo) / bins;
  const y = new Float64Array(bins);
  for (const v of values) if (Number.isFinite(v)) y[Math.min(bins - 1, Math.floor((v - lo) / w))]++;
  const x = new Float64Array(bins);
  for (let i = 0; i < bins; i++) x[i] = lo + (i + 0.5) * w;
  return { x, y };
}

function cssVar(name: string): string {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim() || "#888";
}

/** A tick label: as many decimals as the tick spacing needs (so neighbours never repeat), an
 * exponent for very large or small magnitudes. */
export function tickLabel(v: number, incr: number, percent = false): string {
  const scale = percent ? 100 : 1;
  const x = v * scale, step = Math.abs(incr * scale);
  if (x === 0 || Object.is(x, -0)) return percent ? "0%" : "0";
  if (Math.abs(x) >= 1e6 || (Math.abs(x) < 1e-4 && !percent)) return x.toExponential(step > 0 ? Math.max(0, Math.min(6, Math.floor(Math.log10(Math.abs(x))) - Math.floor(Math.log10(step)))) : 2).replace("-", "−");
  // The fewest decimals that write the step exactly (0.025 → 3), so neighbours never repeat.
  let decimals = 2;
  if (step > 0) for (decimals = 0; decimals < 10 && Math.abs(Math.round(step * 10 ** decimals) - step * 10 ** decimals) > 1e-6 * Math.max(1, step * 10 ** decimals); decimals++);
  return x.toFixed(decimals).replace("-", "−") + (percent ? "%" : "");
}

/** Tick increments 1, 2, 5 × 10^k over every float magnitude (uPlot's own stop at 10^16, so an
 * equity of 10^120 would get no y ticks). */
const INCRS: number[] = [];
for (let k = -30; k <= 306; k++) for (const m of [1, 2, 5]) INCRS.push(Number(`${m}e${k}`));

/** A log-scale tick: two significant digits, `1e+57` style past a million. */
function logLabel(v: number): string {
  if (!(v > 0)) return "";
  if (v >= 1e6 || v < 1e-3) { const [m, e] = v.toExponential(1).split("e"); return `${m.replace(/\.0$/, "")}e${e}`; }
  return String(Number(v.toPrecision(2)));
}

/**
 * The time axis of the charted series (one instant per return), when the document dates it: the
 * x axes of the time-indexed charts then read dates. The x values stay period numbers (every
 * chart, the rolling ones included, shares them for the synced cursor; no date is parsed here):
 * only the tick and legend labels of the periods shown are written as dates. Set by
 * [`drawCharts`]; `null` for period numbers.
 */
let xDates: TimestampsInput | null = null;

/** Instant `i` of the axis as RFC 3339 text: an epoch-milliseconds axis' number written by
 * `Date` (display only), a string axis' text as given; "" past the axis. */
function stampAt(i: number): string {
  const t = xDates?.[i];
  if (typeof t === "number") return Number.isFinite(t) ? new Date(t).toISOString().replace(".000Z", "Z") : "";
  return t ?? "";
}

/** The date of x = `v` on a chart whose point `v` is return `v − offset` (`offset` 1 for the
 * equity and drawdown curves, which start before the first return): `YYYY-MM-DD`, `MM-DD hh:mm`
 * for intraday stamps, the whole stamp when `full` (legend); `start` before the first return;
 * empty between periods. */
function dateAt(v: number, offset: number, full = false): string {
  if (!xDates || !Number.isInteger(v)) return "";
  if (v - offset < 0) return v - offset === -1 ? "start" : "";
  const t = stampAt(v - offset);
  if (!t) return "";
  if (full) return t.replace("T", " ").replace(/Z$/, "");
  // Intraday stamps (two periods on one day): month, day and time; else the date.
  const intraday = xDates.length > 1 && stampAt(0).slice(0, 10) === stampAt(1).slice(0, 10);
  return intraday ? `${t.slice(5, 10)} ${t.slice(11, 16)}` : t.slice(0, 10);
}

/** The x axis' series entry (legend): a period number, or its date on a dated series. */
function xSeries(offset: number): uPlot.Series {
  return xDates ? { label: "date", value: (_u, v) => (v == null ? "—" : dateAt(v, offset, true) || String(v)) } : { label: "period" };
}

function axes(yLabel: string, percent: boolean, xLabel = "period", dateOffset?: number): uPlot.Axis[] {
  const stroke = cssVar("--fg-muted"), grid = { stroke: cssVar("--grid"), width: 1 };
  const dated = xDates !== null && dateOffset !== undefined;
  return [
    dated
      ? { stroke, grid, ticks: grid, label: "date", labelSize: 18, size: 36, space: 90, values: (_u, vals) => vals.map((v) => dateAt(v, dateOffset)) }
      : { stroke, grid, ticks: grid, label: xLabel, labelSize: 18, size: 36, values: (_u, vals, _a, _s, incr) => vals.map((v) => tickLabel(v, incr, false)) },
    { stroke, grid, ticks: grid, label: yLabel, size: 76, incrs: INCRS, values: (u, vals, _a, _s, incr) => vals.map((v) => (v == null ? "" : u.scales.y.distr === 3 ? logLabel(v) : tickLabel(v, incr, percent))) },
  ];
}

/** Bumped by every redraw: a deferred drawing of an older one does nothing. */
let generation = 0;

export function destroyCharts(): void {
  generation++;
  xDates = null;
  for (const p of plots) p.plot.destroy();
  plots = [];
  observer?.disconnect();
  observer = null;
}

interface Figure { figure: HTMLElement; box: HTMLElement; desc: HTMLElement }

function figure(name: string, title: string, zoom: boolean, extra: HTMLElement | null = null): Figure {
  const box = h("div", { class: "chart", "data-chart": name, role: "img", "aria-labelledby": `chart-${name}-title`, "aria-describedby": `chart-${name}-desc` });
  const save = h("button", { type: "button", class: "small", "data-png": name, "aria-label": `PNG of ${title}` }, "PNG");
  save.addEventListener("click", () => savePng(name));
  const reset = zoom ? h("button", { type: "button", class: "small", "aria-label": `Reset zoom of ${title}` }, "Reset zoom") : null;
  reset?.addEventListener("click", () => resetZoom());
  const desc = h("p", { class: "sr-only", id: `chart-${name}-desc` });
  return {
    figure: h("figure", { class: "chart-fig" }, h("figcaption", null, h("span", { id: `chart-${name}-title` }, title), h("span", { class: "chart-tools" }, extra, reset, save)), box, desc),
    box,
    desc,
  };
}

const asData = (...cols: Float64Array[]) => cols as unknown as uPlot.AlignedData;

/** Whether every value is finite and positive (a log scale can show it). */
function positive(xs: Float64Array): boolean {
  for (const v of xs) if (!(v > 0) || !Number.isFinite(v)) return false;
  return xs.length > 0;
}

function xsOf(n: number): Float64Array {
  const xs = new Float64Array(n);
  for (let i = 0; i < n; i++) xs[i] = i;
  return xs;
}

function firstLast(xs: Float64Array): string {
  return xs.length ? `from ${fmtNum(xs[0])} to ${fmtNum(xs[xs.length - 1])}` : "empty";
}

function observe(root: HTMLElement): void {
  observer?.disconnect();
  observer = new ResizeObserver(() => {
    const w = Math.max(320, root.clientWidth - 8);
    for (const p of plots) if (Math.abs(p.plot.width - w) > 4) p.plot.setSize({ width: w, height: p.plot.height });
  });
  observer.observe(root);
}

/**
 * Draws the cumulative returns (equity from `initial`), underwater and distribution charts of
 * `returns` into `root`, and, when `slots` are given, puts the equity and underwater charts there
 * (the headline's equity curve) instead. Curves come from the engine (`equityCurve`,
 * `drawdownCurve`).
 */
export function drawCharts(root: HTMLElement, returns: Float64Array, initial: number, caption: string, headline?: HTMLElement, timestamps?: TimestampsInput): void {
  destroyCharts();
  xDates = timestamps && timestamps.length === returns.length && timestamps.length > 0 ? timestamps : null;
  performance.mark("wg:curves");
  let equity: Float64Array, dd: Float64Array;
  try {
    equity = engine.equityCurve(returns, initial);
    dd = engine.drawdownCurve(returns);
  } catch (e) {
    // A series the engine cannot chart (an infinite return, say): its error instead of charts.
    delete root.dataset.points;
    if (headline) mount(headline);
    mount(root, h("ul", { class: "errors", id: "chart-errors" }, engine.toEngineErrors(e).map((x) => errorItem("charts", x))));
    return;
  }
  performance.measure("wg:curves", "wg:curves");
  const xs = xsOf(Math.max(equity.length, dd.length));
  const hist = histogram(returns);
  const canLog = positive(equity);
  const useLog = logScale && canLog;

  const scaleBox = h("input", { type: "checkbox", id: "log-scale", disabled: !canLog });
  scaleBox.checked = useLog;
  scaleBox.addEventListener("change", () => {
    logScale = scaleBox.checked;
    const p = plots.find((x) => x.name === "equity")?.plot;
    if (!p) return;
    // uPlot fixes a scale's distribution at creation: redraw the one chart.
    drawEquity(p.root.parentElement as HTMLElement, fEq, xs, equity, logScale);
  });
  const scaleLabel = h("label", { for: "log-scale", class: "check small", title: canLog ? "" : "a log scale needs a positive equity" }, scaleBox, " log scale");
  const fEq = figure("equity", "Cumulative returns (equity)", true, scaleLabel);
  const fDd = figure("drawdown", "Underwater (drawdown)", true);
  const fHi = figure("histogram", "Return distribution", false);
  fEq.desc.textContent = `Equity of ${equity.length} points ${firstLast(equity)}, from the engine's equityCurve.`;
  fDd.desc.textContent = `Drawdown of ${dd.length} points ${firstLast(dd)}, from the engine's drawdownCurve.`;
  fHi.desc.textContent = `Histogram of ${returns.length} returns in ${hist.x.length} bins.`;
  const cap = h("p", { class: "muted chart-caption", id: "chart-caption" }, caption, " · drag to zoom, double-click to reset");
  if (headline) {
    mount(headline, fEq.figure);
    mount(root, cap, fDd.figure, fHi.figure);
  } else mount(root, cap, fEq.figure, fDd.figure, fHi.figure);

  const width = Math.max(320, root.clientWidth - 8);
  const danger = cssVar("--danger"), accent = cssVar("--accent");
  const pctLegend = (_u: uPlot, v: number | null) => (v == null ? "—" : fmtHuman(v, "percent"));
  drawEquity(headline ?? root, fEq, xs, equity, useLog, headline ? Math.max(320, headline.clientWidth - 8) : width);
  if (headline) headline.dataset.drawn = String(equity.length);
  // The headline is on screen first; the charts below it follow in the next frame.
  const gen = generation;
  requestAnimationFrame(() => {
    if (gen !== generation) return;
    drawRest(root, { fDd, fHi, xs, dd, hist, width, danger, accent, pctLegend });
    root.dataset.points = String(returns.length);
  });
  observe(root);
}

function drawRest(root: HTMLElement, a: { fDd: Figure; fHi: Figure; xs: Float64Array; dd: Float64Array; hist: { x: Float64Array; y: Float64Array }; width: number; danger: string; accent: string; pctLegend: (u: uPlot, v: number | null) => string }): void {
  const { fDd, fHi, xs, dd, hist, danger, accent, pctLegend } = a;
  const width = Math.max(320, root.clientWidth - 8) || a.width;
  const pDd = new uPlot(
    {
      width, height: 150, cursor: { sync: SYNC, drag: { x: true, y: false } },
      scales: { x: { time: false }, y: { range: (_u, min) => [Math.min(min, -0.01), 0] } },
      series: [xSeries(1), { label: "drawdown", stroke: danger, fill: danger + "33", width: 1, value: pctLegend }],
      axes: axes("drawdown", true, "period", 1),
      hooks: { setScale: [(u, key) => key === "x" && zoomHook(u)] },
    },
    asData(xs.subarray(0, dd.length), dd),
    fDd.box,
  );
  const pHi = new uPlot(
    {
      width, height: 160, padding: [8, 28, 0, 0], scales: { x: { time: false } },
      series: [
        { label: "return", value: pctLegend },
        { label: "count", stroke: accent, fill: accent + "55", paths: uPlot.paths.bars!({ size: [0.9, 100] }), points: { show: false } },
      ],
      axes: axes("count", false, "return per period").map((a, i) => (i === 0 ? { ...a, values: (_u: uPlot, vals: number[], _a: number, _s: number, incr: number) => vals.map((v) => tickLabel(v, incr, true)) } : a)),
    },
    asData(hist.x, hist.y),
    fHi.box,
  );
  plots.push({ name: "drawdown", plot: pDd }, { name: "histogram", plot: pHi });
}


/** One rolling statistic for [`drawRolling`]: its chart name, title, y label and scale kind, and
 * each window's series (the engine's `Float64Array`, one value per return; NaN where undefined). */
export interface RollingChart { name: string; title: string; yLabel: string; percent: boolean; series: { label: string; values: Float64Array }[]; desc: string }

/**
 * Draws Inspect's rolling charts (Sharpe, volatility, Sortino from the engine's
 * `computeReport().rolling`) into `root`, one figure each with one line per window, x-synced with
 * the other charts; the drawing waits for the next frame (after the headline). Each figure's text
 * alternative is `desc`.
 */
export function drawRolling(root: HTMLElement, charts: RollingChart[]): void {
  const figs = charts.map((c) => { const f = figure(c.name, c.title, true); f.desc.textContent = c.desc; return f; });
  mount(root, figs.map((f) => f.figure));
  const gen = generation;
  requestAnimationFrame(() => {
    if (gen !== generation) return;
    const width = Math.max(320, root.clientWidth - 8);
    const colours = [cssVar("--accent"), cssVar("--warn"), cssVar("--danger")];
    charts.forEach((c, i) => {
      const n = c.series.reduce((m, s) => Math.max(m, s.values.length), 0);
      // Display conversion only: uPlot draws a gap for null (a NaN would poison its scale), so
      // the engine's NaN (undefined) and ±Infinity become null.
      const cols = c.series.map((s) => Array.from(s.values, (v) => (Number.isFinite(v) ? v : null)));
      const fmt = (_u: uPlot, v: number | null) => (v == null ? "—" : fmtHuman(v, c.percent ? "percent" : "ratio"));
      const p = new uPlot(
        {
          width, height: 170, cursor: { sync: SYNC, drag: { x: true, y: false } },
          scales: { x: { time: false } },
          series: [xSeries(0), ...c.series.map((s, k) => ({ label: s.label, stroke: colours[k % colours.length], width: 1.25, value: fmt, spanGaps: false }))],
          axes: axes(c.yLabel, c.percent, "period", 0),
          hooks: { setScale: [(u: uPlot, key: string) => key === "x" && zoomHook(u)] },
        },
        [xsOf(n), ...cols] as unknown as uPlot.AlignedData,
        figs[i].box,
      );
      plots.push({ name: c.name, plot: p });
    });
    root.dataset.drawn = String(charts.length);
  });
}

/**
 * Inspect's end-of-year bars (the engine's `computeCalendar().years`): one bar per calendar
 * year, green above 0 and red below; `desc` is the text alternative. Drawn in the next frame.
 */
export function drawYearly(root: HTMLElement, years: { year: number; value: Num }[], desc: string): void {
  const f = figure("yearly", "End-of-year returns", false);
  f.desc.textContent = desc;
  mount(root, f.figure);
  const gen = generation;
  requestAnimationFrame(() => {
    if (gen !== generation) return;
    const xs = years.map((y) => y.year);
    // Display conversion only: a non-finite return is no bar.
    const vals = years.map((y) => (typeof y.value === "number" && Number.isFinite(y.value) ? y.value : null));
    const ok = cssVar("--ok"), danger = cssVar("--danger");
    const pct = (_u: uPlot, v: number | null) => (v == null ? "—" : fmtHuman(v, "percent"));
    const bars = uPlot.paths.bars!({ size: [0.6, 80] });
    const p = new uPlot(
      {
        width: Math.max(320, root.clientWidth - 8), height: 170, padding: [8, 28, 0, 0],
        scales: { x: { time: false, range: (_u, min, max) => [min - 0.6, max + 0.6] }, y: { range: (_u, min, max) => [Math.min(0, min) * 1.1, Math.max(0, max) * 1.1 || 0.01] } },
        series: [
          { label: "year", value: (_u, v) => (v == null ? "—" : String(v)) },
          { label: "return (up)", stroke: ok, fill: ok + "99", paths: bars, points: { show: false }, value: pct },
          { label: "return (down)", stroke: danger, fill: danger + "99", paths: bars, points: { show: false }, value: pct },
        ],
        axes: axes("return", true, "year").map((a, i) => (i === 0 ? { ...a, incrs: [1, 2, 5, 10, 20, 50], values: (_u: uPlot, v: number[]) => v.map((x) => (Number.isInteger(x) ? String(x) : "")) } : a)),
      },
      [xs, vals.map((v) => (v !== null && v >= 0 ? v : null)), vals.map((v) => (v !== null && v < 0 ? v : null))] as unknown as uPlot.AlignedData,
      f.box,
    );
    plots.push({ name: "yearly", plot: p });
    root.dataset.drawn = String(years.length);
  });
}

const SYNC = { key: "wg-x", setSeries: false };

function zoomHook(u: uPlot): void {
  const { min, max } = u.scales.x;
  for (const p of plots) if (p.plot !== u && p.name !== "histogram" && p.name !== "yearly" && (p.plot.scales.x.min !== min || p.plot.scales.x.max !== max)) p.plot.setScale("x", { min: min!, max: max! });
}

/** (Re)draws the equity chart into its figure with a linear or log y scale. */
function drawEquity(_root: HTMLElement, f: Figure, xs: Float64Array, equity: Float64Array, log: boolean, width?: number): void {
  const old = plots.findIndex((p) => p.name === "equity");
  const w = width ?? plots[old]?.plot.width ?? Math.max(320, f.box.clientWidth - 8);
  if (old >= 0) { plots[old].plot.destroy(); plots.splice(old, 1); }
  f.box.dataset.scale = log ? "log" : "linear";
  const p = new uPlot(
    {
      width: w, height: 220, cursor: { sync: SYNC, drag: { x: true, y: false } },
      scales: { x: { time: false }, y: log ? { distr: 3, log: 10 } : {} },
      series: [xSeries(1), { label: "equity", stroke: cssVar("--accent"), width: 1.5, value: (_u, v) => (v == null ? "—" : fmtNum(v)) }],
      axes: axes(log ? "equity (log)" : "equity", false, "period", 1),
      hooks: { setScale: [(u, key) => key === "x" && zoomHook(u)] },
    },
    asData(xs.subarray(0, equity.length), equity),
    f.box,
  );
  plots.unshift({ name: "equity", plot: p });
}

/**
 * Compare's overlay: the baseline's equity and the current run's, both from the engine's
 * `equityCurve`, over period numbers (the shorter series ends early).
 */
export function drawOverlay(root: HTMLElement, baseline: { label: string; returns: Float64Array; initial: number }, current: { label: string; returns: Float64Array; initial: number }): void {
  destroyCharts();
  let b: Float64Array, c: Float64Array;
  try {
    b = engine.equityCurve(baseline.returns, baseline.initial);
    c = engine.equityCurve(current.returns, current.initial);
  } catch (e) {
    mount(root, h("ul", { class: "errors" }, engine.toEngineErrors(e).map((x) => errorItem("charts", x))));
    return;
  }
  const n = Math.max(b.length, c.length);
  const pad = (xs: Float64Array) => { const out = new Float64Array(n).fill(NaN); out.set(xs); return out; };
  const f = figure("overlay", "Equity: baseline vs current", false);
  f.desc.textContent = `Baseline equity ${firstLast(b)} over ${b.length} points; current equity ${firstLast(c)} over ${c.length} points.`;
  mount(root, f.figure);
  const p = new uPlot(
    {
      width: Math.max(320, root.clientWidth - 8), height: 220, scales: { x: { time: false } },
      series: [
        { label: "period" },
        { label: `baseline ${baseline.label}`, stroke: cssVar("--warn"), width: 2, dash: [6, 4], value: (_u, v) => (v == null || Number.isNaN(v) ? "—" : fmtNum(v)) },
        { label: `current ${current.label}`, stroke: cssVar("--accent"), width: 1.5, value: (_u, v) => (v == null || Number.isNaN(v) ? "—" : fmtNum(v)) },
      ],
      axes: axes("equity", false),
    },
    asData(xsOf(n), pad(b), pad(c)),
    f.box,
  );
  plots.push({ name: "overlay", plot: p });
  root.dataset.points = `${b.length},${c.length}`;
  observe(root);
}

export function resetZoom(): void {
  for (const p of plots) if (p.name !== "histogram" && p.name !== "yearly") {
    const xs = p.plot.data[0];
    p.plot.setScale("x", { min: xs[0], max: xs[xs.length - 1] });
  }
}

/** The chart painted over the page background, as a new canvas. */
function chartWithBackground(name: string): HTMLCanvasElement | null {
  const c = chartCanvas(name);
  if (!c) return null;
  const out = document.createElement("canvas");
  out.width = c.width;
  out.height = c.height;
  const ctx = out.getContext("2d")!;
  ctx.fillStyle = cssVar("--bg");
  ctx.fillRect(0, 0, out.width, out.height);
  ctx.drawImage(c, 0, 0);
  return out;
}

/** The chart as a PNG data URL. */
export function chartPng(name: string): string | null {
  return chartWithBackground(name)?.toDataURL("image/png") ?? null;
}

/** Downloads the chart as `worldgate-<name>.png`. */
export function savePng(name: string): void {
  chartWithBackground(name)?.toBlob((blob) => {
    if (!blob) return;
    const url = URL.createObjectURL(blob);
    const a = h("a", { href: url, download: `worldgate-${name}.png` });
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  }, "image/png");
}
