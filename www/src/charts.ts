// Charts (uPlot): equity and underwater drawdown from the engine's curves, a returns histogram
// (display binning only), synced crosshair and x-zoom, PNG export of each canvas.
import uPlot from "uplot";
import "uplot/dist/uPlot.min.css";
import * as engine from "./engine";
import { errorItem, h, mount } from "./format";

let plots: { name: string; plot: uPlot }[] = [];
let observer: ResizeObserver | null = null;

/** The currently drawn charts by name (`equity`, `drawdown`, `histogram`). */
export function chartCanvas(name: string): HTMLCanvasElement | null {
  return plots.find((p) => p.name === name)?.plot.ctx.canvas ?? null;
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

function axes(yLabel: string, fmt?: (v: number) => string): uPlot.Axis[] {
  const stroke = cssVar("--fg-muted"), grid = { stroke: cssVar("--grid"), width: 1 };
  return [
    { stroke, grid, ticks: grid },
    { stroke, grid, ticks: grid, label: yLabel, size: 70, values: fmt ? (_u, vals) => vals.map(fmt) : undefined },
  ];
}

export function destroyCharts(): void {
  for (const p of plots) p.plot.destroy();
  plots = [];
  observer?.disconnect();
  observer = null;
}

/**
 * Draws the three charts for `returns` into `root`. Equity starts at `initial`.
 * Resolves after the plots have painted.
 */
export function drawCharts(root: HTMLElement, returns: Float64Array, initial: number, caption: string): void {
  destroyCharts();
  performance.mark("wg:curves");
  let equity: Float64Array, dd: Float64Array;
  try {
    equity = engine.equityCurve(returns, initial);
    dd = engine.drawdownCurve(returns);
  } catch (e) {
    // A series the engine cannot chart (an infinite return, say): its error instead of charts.
    delete root.dataset.points;
    mount(root, h("ul", { class: "errors", id: "chart-errors" }, engine.toEngineErrors(e).map((x) => errorItem("charts", x))));
    return;
  }
  performance.measure("wg:curves", "wg:curves");
  const n = Math.max(equity.length, dd.length);
  const xs = new Float64Array(n);
  for (let i = 0; i < n; i++) xs[i] = i;
  const hist = histogram(returns);

  const mk = (name: string, title: string) => {
    const box = h("div", { class: "chart", "data-chart": name });
    const save = h("button", { type: "button", class: "small", "data-png": name, "aria-label": `Save ${title} chart as PNG` }, "PNG");
    save.addEventListener("click", () => savePng(name));
    const reset = h("button", { type: "button", class: "small", "aria-label": `Reset ${title} zoom` }, "Reset zoom");
    reset.addEventListener("click", () => resetZoom());
    return { figure: h("figure", { class: "chart-fig" }, h("figcaption", null, h("span", null, title), h("span", { class: "chart-tools" }, name !== "histogram" ? reset : null, save)), box), box };
  };
  const fEq = mk("equity", "Equity");
  const fDd = mk("drawdown", "Drawdown (underwater)");
  const fHi = mk("histogram", "Returns histogram");
  mount(root, h("p", { class: "muted chart-caption" }, caption, " · drag to zoom, double-click to reset"), fEq.figure, fDd.figure, fHi.figure);

  const width = Math.max(320, root.clientWidth - 8);
  const sync = { key: "wg-x", setSeries: false };
  const accent = cssVar("--accent"), danger = cssVar("--danger");
  const zoomHook = (u: uPlot) => {
    const { min, max } = u.scales.x;
    for (const p of plots) if (p.plot !== u && p.name !== "histogram" && (p.plot.scales.x.min !== min || p.plot.scales.x.max !== max)) p.plot.setScale("x", { min: min!, max: max! });
  };
  const pct = (v: number) => `${(v * 100).toFixed(Math.abs(v) < 0.1 ? 1 : 0)}%`;

  const pEq = new uPlot(
    {
      width, height: 220, cursor: { sync, drag: { x: true, y: false } },
      scales: { x: { time: false } },
      series: [{ label: "period" }, { label: "equity", stroke: accent, width: 1.5 }],
      axes: axes("equity"),
      hooks: { setScale: [(u, key) => key === "x" && zoomHook(u)] },
    },
    [xs.subarray(0, equity.length) as unknown as number[], equity as unknown as number[]],
    fEq.box,
  );
  const pDd = new uPlot(
    {
      width, height: 160, cursor: { sync, drag: { x: true, y: false } },
      scales: { x: { time: false }, y: { range: (_u, min) => [Math.min(min, -0.01), 0] } },
      series: [{ label: "period" }, { label: "drawdown", stroke: danger, fill: danger + "33", width: 1, value: (_u, v) => (v == null ? "—" : pct(v)) }],
      axes: axes("drawdown", pct),
      hooks: { setScale: [(u, key) => key === "x" && zoomHook(u)] },
    },
    [xs.subarray(0, dd.length) as unknown as number[], dd as unknown as number[]],
    fDd.box,
  );
  const pHi = new uPlot(
    {
      width, height: 160, scales: { x: { time: false } },
      series: [
        { label: "return", value: (_u, v) => (v == null ? "—" : v.toPrecision(3)) },
        { label: "count", stroke: accent, fill: accent + "55", paths: uPlot.paths.bars!({ size: [0.9, 100] }), points: { show: false } },
      ],
      axes: axes("count"),
    },
    [hist.x as unknown as number[], hist.y as unknown as number[]],
    fHi.box,
  );
  plots = [
    { name: "equity", plot: pEq },
    { name: "drawdown", plot: pDd },
    { name: "histogram", plot: pHi },
  ];
  root.dataset.points = String(returns.length);
  observer = new ResizeObserver(() => {
    const w = Math.max(320, root.clientWidth - 8);
    for (const p of plots) if (Math.abs(p.plot.width - w) > 4) p.plot.setSize({ width: w, height: p.plot.height });
  });
  observer.observe(root);
}

export function resetZoom(): void {
  for (const p of plots) if (p.name !== "histogram") {
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
