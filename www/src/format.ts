// Display formatting of engine values (never computes a metric) and the tiny DOM helper.
import type { Num, WireError } from "./engine";

/** Metric labels and units, keyed by `block.metric`. Purely descriptive. */
export const METRIC_INFO: Record<string, { unit: string; note?: string }> = {
  "returns.sample_count": { unit: "samples" },
  "returns.sharpe": { unit: "ratio, annualised", note: "mean(r − rf) / std(r − rf, ddof=1) · √P" },
  "returns.max_drawdown": { unit: "fraction, ≤ 0", note: "compounded equity from 1, start is a peak" },
  "returns.volatility": { unit: "fraction / year", note: "std(r, ddof=1) · √P" },
  "returns.win_rate": { unit: "fraction", note: "#(r>0) / #(r≠0)" },
  "returns.profit_factor": { unit: "ratio", note: "Σ r≥0 / |Σ r<0|" },
  "returns.sortino": { unit: "ratio, annualised" },
  "returns.calmar": { unit: "ratio", note: "cagr / |max_drawdown|" },
  "returns.cagr": { unit: "fraction / year" },
  "returns.total_return": { unit: "fraction", note: "∏(1+r) − 1" },
  "returns.var": { unit: "return / period", note: "historical, at var_level" },
  "returns.cvar": { unit: "return / period", note: "expected shortfall" },
  "returns.time_under_water": { unit: "fraction of periods" },
  "returns.longest_drawdown": { unit: "periods" },
  "returns.nan_count": { unit: "samples dropped" },
  "pnl.sample_count": { unit: "periods" },
  "pnl.pnl_total": { unit: "currency", note: "V_n − V₀" },
  "pnl.pnl_max_drawdown": { unit: "currency, ≤ 0" },
  "pnl.pnl_equity_peak": { unit: "currency" },
  "pnl.initial_capital": { unit: "currency" },
  "pnl.final_equity": { unit: "currency" },
  "risk.turnover_proxy": { unit: "fraction / period" },
};

/** How a metric reads for people: a fraction (shown as a percentage), a ratio (two decimals), an
 * amount of money (the block's currency), a count, or a per-period return (a percentage). */
export type MetricKind = "percent" | "ratio" | "currency" | "count" | "plain";

/** Which way is better for a metric (a smaller drawdown is better: `max_drawdown` is ≤ 0, so
 * higher is better). Display metadata for colouring deltas, never a rule of the gate. */
export type Direction = "higher" | "lower" | "none";

const KIND: Record<string, MetricKind> = {
  cagr: "percent", max_drawdown: "percent", volatility: "percent", win_rate: "percent", total_return: "percent",
  var: "percent", cvar: "percent", time_under_water: "percent", turnover_proxy: "percent",
  sharpe: "ratio", sortino: "ratio", calmar: "ratio", profit_factor: "ratio",
  sample_count: "count", nan_count: "count", longest_drawdown: "count", rank: "count",
  pnl_total: "currency", pnl_max_drawdown: "currency", pnl_equity_peak: "currency", initial_capital: "currency", final_equity: "currency",
};
const DIRECTION: Record<string, Direction> = {
  cagr: "higher", sharpe: "higher", sortino: "higher", calmar: "higher", profit_factor: "higher", win_rate: "higher",
  total_return: "higher", max_drawdown: "higher", var: "higher", cvar: "higher", pnl_total: "higher", pnl_max_drawdown: "higher",
  pnl_equity_peak: "higher", final_equity: "higher", weight: "higher",
  volatility: "lower", time_under_water: "lower", longest_drawdown: "lower", nan_count: "lower", turnover_proxy: "lower", rank: "lower",
};

/** The last segment of a metric key (`returns.sharpe` → `sharpe`). */
const leaf = (metric: string) => metric.slice(metric.lastIndexOf(".") + 1);

export function metricKind(metric: string): MetricKind {
  return KIND[leaf(metric)] ?? "plain";
}
export function metricDirection(metric: string): Direction {
  return DIRECTION[leaf(metric)] ?? "none";
}

/** The wire number as the engine sent it, unrounded (tooltips and exports): `String` of the
 * float (shortest round-trip text), the wire's own strings for non-finite values, `—` if missing. */
export function rawNum(v: Num | null | undefined): string {
  if (v === null || v === undefined) return "—";
  return String(v);
}

const NF = new Map<string, Intl.NumberFormat>();
function nf(key: string, make: () => Intl.NumberFormat): Intl.NumberFormat {
  let f = NF.get(key);
  if (!f) { f = make(); NF.set(key, f); }
  return f;
}

/**
 * A wire number formatted for people by the metric's kind: `percent` → `12.34 %` (two decimals,
 * more for tiny values), `ratio` → `1.23`, `currency` → `$1,234.56` (`currency` is an ISO 4217
 * code; an unknown code is printed before the number), `count` → `1,234`. Non-finite and missing
 * values as [`fmtNum`]. Never computes a metric: it scales a fraction by 100 for display only.
 */
export function fmtHuman(v: Num | null | undefined, kind: MetricKind, currency?: string): string {
  if (typeof v !== "number" || !Number.isFinite(v)) return fmtNum(v);
  // Past a trillion (a compounding blow-up), digits stop informing: an exponent instead.
  const big = (x: number) => Math.abs(x) >= 1e12;
  if (kind === "percent" && big(v * 100)) return `${(v * 100).toExponential(2).replace("-", "−")} %`;
  if (kind !== "percent" && kind !== "plain" && big(v)) return `${kind === "currency" && currency ? `${currency.toUpperCase()} ` : ""}${v.toExponential(2).replace("-", "−")}`;
  switch (kind) {
    case "percent": {
      const a = Math.abs(v * 100);
      const digits = a === 0 || a >= 0.01 ? 2 : Math.min(8, 2 - Math.floor(Math.log10(a)));
      return nf(`p${digits}`, () => new Intl.NumberFormat("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits })).format(v * 100).replace("-", "−") + " %";
    }
    case "ratio":
      if (Math.abs(v) >= 1e6) return fmtNum(v, 4);
      return nf("r", () => new Intl.NumberFormat("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 })).format(v).replace("-", "−");
    case "count":
      return nf("c", () => new Intl.NumberFormat("en-US", { maximumFractionDigits: 2 })).format(v).replace("-", "−");
    case "currency": {
      const code = (currency ?? "").toUpperCase();
      try {
        return nf(`$${code}`, () => new Intl.NumberFormat("en-US", { style: "currency", currency: code })).format(v).replace("-", "−");
      } catch {
        const n = nf("n2", () => new Intl.NumberFormat("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 })).format(v).replace("-", "−");
        return code ? `${code} ${n}` : n;
      }
    }
    default:
      return fmtNum(v);
  }
}

/** [`fmtHuman`] by the metric's name (`returns.sharpe`, `max_drawdown`, …). */
export function fmtMetric(metric: string, v: Num | null | undefined, currency?: string): string {
  return fmtHuman(v, metricKind(metric), currency);
}

/**
 * Whether `delta` (current − baseline, from the engine's diff) is an improvement for `metric`:
 * `better`, `worse`, or `same` (zero, not finite, or a metric without a direction).
 */
export function deltaTone(metric: string, delta: Num | null | undefined): "better" | "worse" | "same" {
  const d = metricDirection(metric);
  if (typeof delta !== "number" || !Number.isFinite(delta) || delta === 0 || d === "none") return "same";
  return (delta > 0) === (d === "higher") ? "better" : "worse";
}

/** Whether a value read from a wire document is a wire number (`Num`) — a display test only. */
export function isNum(v: unknown): v is Num {
  return typeof v === "number" || v === "+inf" || v === "-inf" || v === "nan";
}

/**
 * Formats a wire number (`Num`: number | "+inf" | "-inf" | "nan") or a missing one (`—`) for
 * display. The only place a wire number becomes text; it never computes anything.
 */
export function fmtNum(v: Num | null | undefined, digits = 6): string {
  if (v === null || v === undefined) return "—";
  if (v === "+inf") return "+∞";
  if (v === "-inf") return "−∞";
  if (v === "nan") return "NaN";
  if (!Number.isFinite(v)) return Number.isNaN(v) ? "NaN" : v > 0 ? "+∞" : "−∞";
  if (Number.isInteger(v) && Math.abs(v) < 1e15) return String(v);
  const a = Math.abs(v);
  if (a !== 0 && (a < 1e-4 || a >= 1e9)) return v.toExponential(digits - 1);
  return String(Number(v.toPrecision(digits)));
}

/** A display value: a wire number through [`fmtNum`], anything else as text. */
export function fmtValue(v: unknown): string {
  if (v === null || v === undefined || isNum(v)) return fmtNum(v);
  return String(v);
}

/**
 * The one conversion of a wire number to a float, for chart scales and sorting (a missing value
 * is NaN). Series themselves come from the engine as `Float64Array`s (`readReturns`,
 * `bundleSeries`), never through here.
 */
export function toFloat(v: Num | null | undefined): number {
  if (typeof v === "number") return v;
  if (v === "+inf") return Infinity;
  if (v === "-inf") return -Infinity;
  return NaN;
}

type Child = Node | string | number | null | undefined | false;

/** Creates an element: `h("td", {class: "num"}, "1.2")`. */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Record<string, string | number | boolean | EventListener | undefined> | null = null,
  ...children: (Child | Child[])[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  if (attrs) {
    for (const [k, v] of Object.entries(attrs)) {
      if (v === undefined || v === false) continue;
      if (typeof v === "function") el.addEventListener(k.replace(/^on/, ""), v);
      else if (k === "class") el.className = String(v);
      else el.setAttribute(k, v === true ? "" : String(v));
    }
  }
  for (const c of children.flat()) {
    if (c === null || c === undefined || c === false) continue;
    el.append(c instanceof Node ? c : String(c));
  }
  return el;
}

/** Replaces the children of `el`. */
export function mount(el: Element, ...children: (Child | Child[])[]): void {
  el.replaceChildren();
  for (const c of children.flat()) if (c !== null && c !== undefined && c !== false) el.append(c instanceof Node ? c : String(c));
}

/** Renders an engine error (code, path, message, help) as one list item; `line` is where the
 * editor found the path (display help only). */
export function errorItem(source: string, e: Omit<WireError, "code"> & { code: string }, line?: number): HTMLLIElement {
  const where = [line !== undefined ? `line ${line}` : "", e.path ? `at ${e.path}` : ""].filter(Boolean).join(" ");
  return h(
    "li",
    { class: "error", "data-code": e.code, "data-path": e.path },
    source ? h("span", { class: "src" }, source, ": ") : null,
    h("code", { class: "code" }, e.code),
    " ",
    where ? h("span", { class: "path" }, where) : null,
    " — ",
    h("span", { class: "msg" }, e.message),
    e.help ? h("div", { class: "help" }, e.help) : null,
  );
}
