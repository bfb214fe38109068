// The edge as a source: an API root, a world, a strategy and one of its runs, listed through the
// package's client (`WorldgateClient`: `activation` for the world's strategies, `runs` for a
// strategy's runs); opening a run loads it like `?src=` (status → snapshot → full series, and the
// world's current policy into What-if).
import * as engine from "./engine";
import type { RunStatus } from "./engine";
import { errorItem, h, mount } from "./format";
import { type Loaded, apiRoot, loadUrls, setTokenFor, tokenFor } from "./load";
import { state } from "./store";

const seg = encodeURIComponent;

/** The picker; `run` loads what it returns like the other sources (status line, busy flag). */
export function edgePicker(run: (task: () => Promise<Loaded>) => Promise<void>): HTMLElement {
  const fromSrc = new URLSearchParams(location.search).getAll("src").map(apiRoot).find((r) => r !== null) ?? "";
  const api = h("input", { id: "edge-api", type: "url", value: fromSrc, placeholder: "http://127.0.0.1:8787", autocomplete: "off" });
  // A token typed here is kept like `#token=` (sessionStorage, for the API's origin only).
  const token = h("input", { id: "edge-token", type: "password", autocomplete: "off", placeholder: "bearer token (optional)" });
  token.addEventListener("change", () => { if (api.value) setTokenFor(api.value, token.value.trim()); });
  const world = h("input", { id: "edge-world", type: "text", value: "demo", autocomplete: "off", list: "edge-worlds" });
  const strategies = h("datalist", { id: "edge-strategies" });
  const worldsList = h("datalist", { id: "edge-worlds" });
  const strategy = h("input", { id: "edge-strategy", type: "text", autocomplete: "off", list: "edge-strategies" });
  const runs = h("select", { id: "edge-run" }, h("option", { value: "latest" }, "latest"));
  const out = h("div", { id: "edge-out", "aria-live": "polite" });
  const client = () => engine.edgeClient(api.value.replace(/\/+$/, ""), tokenFor(api.value));
  const failed = (e: unknown) => mount(out, h("ul", { class: "errors" }, engine.toEngineErrors(e).map((x) => errorItem("edge", x))));

  const listStrategies = h("button", { type: "button", id: "edge-list-strategies" }, "Strategies");
  listStrategies.addEventListener("click", async () => {
    try {
      const act = await client().activation(world.value);
      // Every strategy the world's activation names: hysteresis state, last decision, active runs.
      const last = act.last_decision as Partial<{ strategies: object; selected: string[]; rejected: string[] }> | null;
      const ids = new Set<string>([
        ...Object.keys(act.hysteresis?.strategies ?? {}), ...Object.keys(last?.strategies ?? {}),
        ...(last?.selected ?? []), ...(last?.rejected ?? []), ...act.active.map((a) => a.strategy_id),
      ]);
      for (const e of state.entries) if (e.world_id === world.value) ids.add(e.strategy_id);
      mount(strategies, [...ids].sort().map((id) => h("option", { value: id })));
      if (!strategy.value && ids.size) strategy.value = [...ids].sort()[0];
      mount(out, h("p", { class: "muted small" }, `${ids.size} strateg${ids.size === 1 ? "y" : "ies"} in ${world.value}`));
    } catch (e) { failed(e); }
  });
  const listRuns = h("button", { type: "button", id: "edge-list-runs" }, "Runs");
  listRuns.addEventListener("click", async () => {
    if (!strategy.value) return mount(out, h("p", { class: "muted small" }, "choose a strategy first (Strategies lists them)"));
    try {
      const page = await client().runs(world.value, strategy.value, { limit: 50 });
      mount(runs, h("option", { value: "latest" }, "latest"), page.runs.map((r: RunStatus) => h("option", { value: r.run_id }, `${r.run_id} · ${r.status}`)));
      mount(out, h("p", { class: "muted small" }, `${page.runs.length} run${page.runs.length === 1 ? "" : "s"}${page.next_cursor ? " (newest first, more exist)" : ""}`));
    } catch (e) { failed(e); }
  });
  const openRun = h("button", { type: "button", id: "edge-open" }, "Open run");
  openRun.addEventListener("click", () => {
    const root = api.value.replace(/\/+$/, "");
    if (!root || !strategy.value) return mount(out, h("p", { class: "muted small" }, "give the API URL, a world and a strategy"));
    mount(out);
    void run(() => loadUrls([`${root}/worlds/${seg(world.value)}/strategies/${seg(strategy.value)}/runs/${seg(runs.value)}`]));
  });
  const openPolicy = h("button", { type: "button", id: "edge-policy" }, "World policy → What-if");
  openPolicy.addEventListener("click", () => {
    const root = api.value.replace(/\/+$/, "");
    if (!root) return;
    void run(() => loadUrls([`${root}/worlds/${seg(world.value)}/policy`]));
  });
  const field = (label: string, el: HTMLElement) => h("div", { class: "field" }, h("label", { for: el.id }, label), el);
  return h("details", { id: "edge-picker", class: "edge-picker", open: fromSrc ? true : undefined },
    h("summary", null, "Edge API"),
    field("API URL", api), field("token", token), field("world", world), worldsList,
    h("div", { class: "field" }, h("label", { for: "edge-strategy" }, "strategy"), h("div", { class: "row" }, strategy, listStrategies)), strategies,
    h("div", { class: "field" }, h("label", { for: "edge-run" }, "run"), h("div", { class: "row" }, runs, listRuns)),
    h("div", { class: "row" }, openRun, openPolicy), out);
}
