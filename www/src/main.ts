// Entry: initialises the engine, wires loading (picker, drop, ?src=, sample), the tabs, the
// export buttons, and renders the current view on every state change.
import "./style.css";
import * as engine from "./engine";
import type { Dialect } from "./engine";
import { chartData, chartNames, chartTicks, destroyCharts } from "./charts";
import { compareReport, renderCompare } from "./compare";
import { edgePicker } from "./edge";
import { exportChart, exportReport, type Report } from "./export";
import { errorItem, h, mount } from "./format";
import { inspectReport, renderInspect, verdictBadge } from "./inspect";
import { type Loaded, adoptFragmentToken, empty, loadFiles, loadUrls, merge, setDialectProvider, setPolicyProvider, setPolicySink } from "./load";
import { addEntries, changed, clearAll, onChange, selectedEntry, state, type View } from "./store";
import { evaluate, gatingPolicy, policy, renderWhatif, setPolicyText, whatifReport, worldContext } from "./whatif";

const SAMPLE_POLICY = "samples/alpha_world.policy.yaml";
const SAMPLE_FILES = ["samples/alpha_world.bundle.json", "samples/alpha_world-beta_mkt_simple-run-2025-11-25.snapshot.json"];

const $ = <T extends HTMLElement>(sel: string) => document.querySelector(sel) as T;
const viewEl = $("#view");
const statusEl = $("#status");

/** Timings read by the benchmark and tests (ms, performance.now()). */
const timings = { loadStart: 0, loaded: 0, drawn: 0 };
(window as unknown as { __wg: unknown }).__wg = { timings, state, chartTicks, chartData };

function setStatus(text: string): void {
  statusEl.textContent = text;
}

function apply(loaded: Loaded): void {
  addEntries(loaded.entries);
  state.errors.push(...loaded.errors);
  for (const d of loaded.decisions) {
    state.decisions.set(d.world, d.decision);
    worldContext.set(d.world, { previous: d.previous, correlations: d.correlations });
  }
  if (loaded.entries.length) state.selected = loaded.entries[0].key;
  performance.mark("wg:whatif");
  evaluate();
  performance.measure("wg:whatif", "wg:whatif");
  const n = loaded.entries.length, k = loaded.errors.length, p = loaded.policies.length;
  const notes = loaded.notes?.length ? ` · ${loaded.notes.join(" · ")}` : "";
  setStatus(`loaded ${n} run${n === 1 ? "" : "s"}${p ? `, ${p} polic${p === 1 ? "y" : "ies"} (in the what-if editor)` : ""}${k ? `, ${k} error${k === 1 ? "" : "s"}` : ""}${notes}`);
}

export async function run(task: () => Promise<Loaded>): Promise<void> {
  timings.loadStart = performance.now();
  document.body.dataset.busy = "1";
  setStatus("loading…");
  try {
    apply(await task());
  } catch (e) {
    state.errors.push(...engine.toEngineErrors(e).map((x) => ({ ...x, source: "load" })));
  }
  timings.loaded = performance.now();
  changed();
  delete document.body.dataset.busy;
}

async function loadSample(): Promise<void> {
  await run(async () => {
    const out: Loaded = empty();
    return merge(out, await loadUrls(SAMPLE_FILES));
  });
}

// ---- rendering -------------------------------------------------------------------------------

let inspected: { key: string | null; entries: unknown } = { key: null, entries: null };
let lastView: View | null = null;
let sideFilter = "";

/** Strategy entries shown in the sidebar: all, or those whose ids contain the filter text. */
function sideEntries() {
  const q = sideFilter.trim().toLowerCase();
  return q ? state.entries.filter((e) => `${e.strategy_id} ${e.world_id} ${e.run_id}`.toLowerCase().includes(q)) : state.entries;
}

function renderSide(): void {
  const list = $("#entries");
  const shown = sideEntries();
  mount(list, shown.map((e) => {
    const g = e.metrics.gating;
    const b = h("button", { type: "button", class: "entry", "aria-current": e.key === state.selected ? "true" : undefined, "data-key": e.key },
      h("span", { class: "name" }, e.strategy_id), " ", verdictBadge(g?.verdict, g?.violations), h("span", { class: "muted small" }, `${e.world_id} · ${e.run_id}`));
    b.addEventListener("click", () => { state.selected = e.key; if (state.view === "whatif") state.view = "inspect"; changed(); });
    return h("li", null, b);
  }));
  $("#entry-count").textContent = state.entries.length > shown.length ? `${shown.length} of ${state.entries.length}` : String(state.entries.length);
  const errs = $("#load-errors");
  if (!state.errors.length) mount(errs);
  else mount(errs, h("h2", null, "Errors"), h("div", { role: "alert" }, h("ul", { class: "errors", id: "error-list" }, state.errors.map((e) => errorItem(e.source, e)))));
}

/** A selector finding "the same" control after a re-render (ids, entry keys, sort keys, …). */
function focusSelector(el: Element | null): string | null {
  if (!el || el === document.body) return null;
  if (el.id) return `#${CSS.escape(el.id)}`;
  for (const a of ["data-key", "data-sort", "data-png", "data-export", "data-view", "data-strategy"]) {
    const v = el.getAttribute(a);
    if (v !== null) return `${el.tagName.toLowerCase()}[${a}="${CSS.escape(v)}"]`;
  }
  return null;
}

function render(): void {
  // Re-rendering replaces the controls: focus goes back to the same control afterwards.
  const focused = focusSelector(document.activeElement);
  renderSide();
  for (const t of document.querySelectorAll<HTMLButtonElement>("[role=tab]")) {
    const on = t.dataset.view === state.view;
    t.setAttribute("aria-selected", String(on));
    t.tabIndex = on ? 0 : -1;
  }
  viewEl.setAttribute("aria-labelledby", `tab-${state.view}`);
  const switched = lastView !== state.view;
  lastView = state.view;
  if (state.view === "inspect") {
    // Redraw only when the run or the loaded set changed (charts of 1M points are not free).
    const sig = `${state.entries.length}:${state.errors.length}:${state.whatif?.decision.ruleset_hash ?? ""}`;
    if (switched || inspected.key !== state.selected || inspected.entries !== sig || !viewEl.querySelector("#headline, .muted")) {
      inspected = { key: state.selected, entries: sig };
      performance.mark("wg:inspect");
      renderInspect(viewEl, selectedEntry());
      performance.measure("wg:inspect+charts", "wg:inspect");
    }
  } else {
    inspected = { key: null, entries: null };
    // The inspect charts go with their view (an export never takes a chart no longer shown).
    destroyCharts();
    if (state.view === "compare") renderCompare(viewEl);
    else renderWhatif(viewEl);
  }
  // A new view starts at its top (the editor, the headline), not at the last view's scroll.
  if (switched) window.scrollTo(0, 0);
  updateExports();
  if (focused && (document.activeElement === document.body || !document.activeElement?.isConnected)) {
    const el = document.querySelector(focused) as HTMLElement | null;
    el?.focus({ preventScroll: true });
    if (el instanceof HTMLInputElement && el.type === "search") el.setSelectionRange(el.value.length, el.value.length);
  }
  requestAnimationFrame(() => {
    timings.drawn = performance.now();
    document.body.dataset.rendered = String(Number(document.body.dataset.rendered ?? 0) + 1);
  });
}

/** Export buttons are enabled only when the current view has something to export. */
function updateExports(): void {
  const has = currentReport() !== null;
  for (const b of document.querySelectorAll<HTMLButtonElement>("[data-export]")) {
    b.disabled = b.dataset.export === "png" ? chartNames().length === 0 : !has;
  }
}

function currentReport(): Report | null {
  if (state.view === "compare") return compareReport();
  if (state.view === "whatif") return whatifReport();
  const e = selectedEntry();
  return e ? inspectReport(e) : null;
}

// ---- wiring ----------------------------------------------------------------------------------

function wire(): void {
  const input = $<HTMLInputElement>("#file-input");
  input.addEventListener("change", () => {
    const files = [...(input.files ?? [])];
    input.value = "";
    if (files.length) void run(() => loadFiles(files));
  });
  $("#load-sample").addEventListener("click", () => void loadSample());
  $("#clear").addEventListener("click", () => { clearAll(); destroyCharts(); evaluate(); setStatus("cleared"); changed(); });
  const filter = $<HTMLInputElement>("#entry-filter");
  filter.addEventListener("input", () => { sideFilter = filter.value; renderSide(); });

  const tabs = [...document.querySelectorAll<HTMLButtonElement>("[role=tab]")];
  tabs.forEach((t, i) => {
    t.addEventListener("click", () => { state.view = t.dataset.view as View; changed(); });
    t.addEventListener("keydown", (ev) => {
      const d = ev.key === "ArrowRight" ? 1 : ev.key === "ArrowLeft" ? -1 : 0;
      if (!d) return;
      const next = tabs[(i + d + tabs.length) % tabs.length];
      state.view = next.dataset.view as View;
      changed();
      next.focus();
    });
  });

  for (const b of document.querySelectorAll<HTMLButtonElement>("[data-export]")) {
    b.addEventListener("click", () => {
      const f = b.dataset.export!;
      if (f === "png") { const first = chartNames()[0]; if (first) exportChart(first); }
      else exportReport(currentReport(), f as "json" | "md" | "csv");
    });
  }

  const overlay = $("#drop-overlay");
  let depth = 0;
  window.addEventListener("dragenter", (e) => { e.preventDefault(); depth++; overlay.classList.add("on"); });
  window.addEventListener("dragleave", () => { if (--depth <= 0) { depth = 0; overlay.classList.remove("on"); } });
  window.addEventListener("dragover", (e) => e.preventDefault());
  window.addEventListener("drop", (e) => {
    e.preventDefault();
    depth = 0;
    overlay.classList.remove("on");
    const files = [...(e.dataTransfer?.files ?? [])];
    if (files.length) void run(() => loadFiles(files));
  });
}

async function start(): Promise<void> {
  wire();
  onChange(render);
  try {
    await engine.ready();
  } catch (e) {
    mount(viewEl, h("ul", { class: "errors" }, engine.toEngineErrors(e).map((x) => errorItem("engine", x))));
    return;
  }
  $("#engine-version").textContent = `v${engine.version()}`;
  setPolicyProvider(gatingPolicy);
  setDialectProvider(() => policy.dialect);
  setPolicySink((text, dialect, origin) => setPolicyText(text, dialect, origin));
  mount($("#edge"), edgePicker((task) => run(task)));
  const params = new URLSearchParams(location.search);
  adoptFragmentToken(params.getAll("src"));
  // The editor starts from the sample world's policy (or the first preset when offline).
  let text = "";
  try {
    const res = await fetch(SAMPLE_POLICY);
    if (res.ok) text = await res.text();
  } catch {
    /* offline: fall back to a preset */
  }
  let origin = "the sample world's policy";
  if (!text) { text = engine.presetPolicyText(engine.policyPresets()[0] ?? ""); origin = `the ${engine.policyPresets()[0] ?? ""} preset`; }
  // The engine rejects a dialect it does not know (shown in the editor), so `?dialect=` is passed as given.
  setPolicyText(text, (params.get("dialect") ?? undefined) as Dialect | undefined, origin);
  const srcs = params.getAll("src");
  if (srcs.length) await run(() => loadUrls(srcs));
  else await loadSample();
  document.body.dataset.ready = "1";
}

void start();
