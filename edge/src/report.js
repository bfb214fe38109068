// What the edge asks the engine's gate to report for each upload (`GateOptions.report`): the
// report itself (`distribution`, `drawdowns`, `calendar` for a dated series, `rolling`) is
// computed by the engine in the gate, under each submission's P, risk-free rate and time axis;
// the edge only stores and serves it.
//
// Rolling windows are off by default: each window is three series of one value per return, so
// windows of 63 / 126 / 252 periods make the stored report about 18 times the returns' own JSON
// (17 MB for 100,000 returns, whose JSON is 0.9 MB), where every other block together is about
// 2 KB whatever the length; the viewer draws them from the stored returns series with the same
// engine (`computeReport`). A deployment that wants them stored
// names them in `REPORT_ROLLING_WINDOWS` (e.g. `63,126,252`, in periods).

/** The largest `REPORT_TOP_DRAWDOWNS` read (more is read as this many). */
const MAX_TOP_DRAWDOWNS = 100;

/**
 * `{rolling_windows, top_drawdowns}` from the deployment's variables: `REPORT_ROLLING_WINDOWS`
 * (comma-separated periods ≥ 1; default none) and `REPORT_TOP_DRAWDOWNS` (default 10). A value
 * that is not a whole number is left out (a misconfiguration never fails uploads).
 */
export function reportRequest(env) {
  const windows = String(env?.REPORT_ROLLING_WINDOWS ?? "")
    .split(",")
    .map((w) => w.trim())
    .filter((w) => /^[1-9]\d{0,6}$/.test(w))
    .map(Number);
  const topText = String(env?.REPORT_TOP_DRAWDOWNS ?? "10").trim();
  const top = /^\d{1,6}$/.test(topText) ? Math.min(Number(topText), MAX_TOP_DRAWDOWNS) : 10;
  return { rolling_windows: windows, top_drawdowns: top };
}
