// Export the current view as JSON, Markdown or CSV, and a chart as PNG.
import { savePng } from "./charts";

/** What a view can export: engine outputs as JSON, a flat table, and a Markdown text. */
export interface Report {
  name: string;
  json: unknown;
  columns: string[];
  rows: string[][];
  markdown: string;
}

function csvCell(s: string): string {
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function toCsv(r: Report): string {
  return [r.columns, ...r.rows].map((row) => row.map(csvCell).join(",")).join("\r\n") + "\r\n";
}

export function download(name: string, type: string, data: string): void {
  const url = URL.createObjectURL(new Blob([data], { type }));
  const a = document.createElement("a");
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

const safe = (s: string) => s.replace(/[^A-Za-z0-9._-]+/g, "_").slice(0, 120);

export function exportReport(r: Report | null, format: "json" | "md" | "csv"): void {
  if (!r) return;
  if (format === "json") download(`${safe(r.name)}.json`, "application/json", JSON.stringify(r.json, null, 2) + "\n");
  else if (format === "md") download(`${safe(r.name)}.md`, "text/markdown", r.markdown);
  else download(`${safe(r.name)}.csv`, "text/csv", toCsv(r));
}

export function exportChart(name: string): void {
  savePng(name);
}
