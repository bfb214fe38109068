// Inspect's calendar blocks from the engine's calendar (`computeReport(returns, {timestamps})`
// carries `computeCalendar`'s block; a dated series only): the monthly returns heatmap (a table,
// a colour scale by sign and size) with each year's return and the trailing figures (MTD … all
// time), and the end-of-year bars. Every number is the engine's; the colour scale is display only.
import { drawYearly } from "./charts";
import type { Calendar, CalendarPeriod, Num, WireError } from "./engine";
import { errorItem, fmtHuman, h, mount, rawNum, toFloat } from "./format";
import type { Entry } from "./store";

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** The heatmap cell's background: green above 0, red below, stronger with |R| relative to the
 * largest monthly |R| (display only; capped so the text keeps its contrast). */
function tone(v: Num, scale: number): string | undefined {
  const x = toFloat(v);
  if (!Number.isFinite(x) || x === 0 || !(scale > 0)) return undefined;
  const pct = Math.round(8 + 30 * Math.min(1, Math.abs(x) / scale));
  return `background: color-mix(in srgb, var(${x > 0 ? "--ok" : "--danger"}) ${pct}%, var(--bg))`;
}

function cell(p: CalendarPeriod | undefined, scale: number, label: string): HTMLTableCellElement {
  if (!p) return h("td", { class: "num empty" }, "");
  return h("td", { class: "num heat", style: tone(p.return, scale), "data-period": p.period, "data-value": JSON.stringify(p.return), title: `${label}: raw ${rawNum(p.return)} over ${p.periods} period${p.periods === 1 ? "" : "s"}` }, fmtHuman(p.return, "percent"));
}

function heatmap(c: Calendar): HTMLElement {
  let scale = 0;
  for (const m of c.months) { const x = Math.abs(toFloat(m.return)); if (Number.isFinite(x) && x > scale) scale = x; }
  const years = c.years.map((y) => y.year);
  const byMonth = new Map(c.months.map((m) => [m.period, m]));
  return h("div", { class: "table-scroll", tabindex: 0, role: "region", "aria-label": "monthly returns table" },
    h("table", { class: "metrics heatmap", id: "report-monthly-table" },
      h("caption", { class: "muted small" }, "compounded return per UTC calendar month; colour by sign and size; the year column from the engine's yearly block"),
      h("thead", null, h("tr", null, h("th", { scope: "col" }, "year"), MONTHS.map((m) => h("th", { scope: "col" }, m)), h("th", { scope: "col" }, "full year"))),
      h("tbody", null, years.map((y, i) => h("tr", { "data-year": y }, h("th", { scope: "row" }, String(y)),
        MONTHS.map((m, k) => cell(byMonth.get(`${y}-${String(k + 1).padStart(2, "0")}`), scale, `${m} ${y}`)),
        cell(c.years[i], 0, `year ${y}`))))));
}

/** The calendar's scalar figures: [key, label]. */
export const CALENDAR_ROWS: [keyof Calendar, string][] = [
  ["mtd", "MTD"], ["three_months", "3M"], ["six_months", "6M"], ["ytd", "YTD"], ["one_year", "1Y"],
  ["three_years_annualised", "3Y (ann.)"], ["five_years_annualised", "5Y (ann.)"], ["all_time", "All time"],
  ["best_month", "Best month"], ["worst_month", "Worst month"], ["best_year", "Best year"], ["worst_year", "Worst year"],
  ["positive_months", "Positive months"], ["positive_quarters", "Positive quarters"], ["positive_years", "Positive years"],
];

function figures(c: Calendar): HTMLElement {
  const reasons = c.reasons ?? {};
  const period: Partial<Record<string, string | undefined>> = { best_month: c.best_month_period, worst_month: c.worst_month_period, best_year: c.best_year_period, worst_year: c.worst_year_period };
  return h("dl", { class: "kv calendar-figures", id: "report-calendar-figures" }, CALENDAR_ROWS.map(([k, label]) => {
    const v = (c[k] ?? null) as Num | null;
    const when = period[k];
    return [h("dt", null, label), h("dd", { "data-report": `calendar.${k}`, "data-value": JSON.stringify(v), title: `raw: ${rawNum(v)}${reasons[k] ? ` (${reasons[k]})` : ""}` }, fmtHuman(v, "percent"), when ? h("span", { class: "muted small" }, ` ${when}`) : null)];
  }).flat());
}

/**
 * Renders `#report-monthly` and `#report-yearly` from the engine's calendar block (`calendar`,
 * present when the report was given timestamps): "needs timestamps" for an undated series, the
 * engine's errors when it refused the series.
 */
export function renderCalendar(root: HTMLElement, e: Entry, calendar: Calendar | undefined, errors?: WireError[]): void {
  const monthly = root.querySelector<HTMLElement>("#report-monthly");
  const yearly = root.querySelector<HTMLElement>("#report-yearly");
  if (!monthly || !yearly) return;
  const body = (el: HTMLElement, ...c: (HTMLElement | null)[]) => { el.classList.remove("pending"); mount(el, el.querySelector("h3"), ...c); };
  if (errors) {
    for (const el of [monthly, yearly]) body(el, h("ul", { class: "errors" }, errors.map((x) => errorItem("computeReport", x))));
    return;
  }
  if (!calendar) {
    const why = e.returns?.length ? "needs timestamps: this series has none (a dated snapshot or edge series gives them)" : "no returns series in this document";
    for (const el of [monthly, yearly]) body(el, h("p", { class: "muted needs-timestamps" }, why));
    return;
  }
  const c = calendar;
  body(monthly, heatmap(c), figures(c));
  const box = h("div", { id: "yearly-chart" });
  body(yearly, box);
  drawYearly(box, c.years.map((y) => ({ year: y.year, value: y.return })), `End-of-year returns of ${c.years.length} year${c.years.length === 1 ? "" : "s"}, from the engine's calendar: ${c.years.map((y) => `${y.period} ${fmtHuman(y.return, "percent")}`).join(", ")}.`);
}
