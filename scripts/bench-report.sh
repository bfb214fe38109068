#!/usr/bin/env bash
# The report benchmark (issue 12), one command: the full report (every block, rolling windows
# 63 / 126 / 252, the top 10 drawdowns, a benchmark series) on 1,000,000 samples, native
# (`cargo bench --bench report`) vs wasm in Node (`benches/js/report-bench.mjs`, the package's
# computeReport) vs quantstats 0.0.86 (`benches/py/report.py`: reports.metrics(mode="full"),
# its rolling functions and drawdown_details), and the `returns` + `pnl` blocks alone
# (`cargo bench --bench metrics`, `benches/js/report-bench.mjs` with WG_ONLY_METRICS=1; WG_BENCH_ROUNDS
# processes of each, default 7, alternately, reported as the median across processes). Writes
# BENCHMARKS.report.md (benches/report-fragment.mjs) and refreshes BENCHMARKS.md's fragments.
# Installs what is missing first: the package (scripts/build-pkg.sh), the inputs
# (benches/js/gen-data.mjs into target/bench-data/), the venv of scripts/reference/ (the pinned
# quantstats, as scripts/reference/generate.sh makes it). Raw rows: target/bench-results/report.jsonl.
#   scripts/bench-report.sh [--no-refresh | --only-metrics]
#     --no-refresh     write BENCHMARKS.report.md only (scripts/bench.sh then writes BENCHMARKS.md)
#     --only-metrics   the `returns` + `pnl` rounds alone, into target/bench-results/metrics.jsonl and
#                      its fragment target/bench-results/metrics.md (BENCHMARKS.* untouched)
# quantstats takes seconds to minutes per call: it gets WG_BENCH_PY_SAMPLES (default 2) timed calls.
set -euo pipefail
source "$(dirname "$0")/common.sh"
WG_STEP=bench-report
cd "$ROOT"
T0=$(now)
REFRESH=1
ONLY_METRICS=0
for a in "$@"; do
  case "$a" in
    --no-refresh) REFRESH=0 ;;
    --only-metrics) ONLY_METRICS=1 ;;
    *) die "unknown option $a (usage: scripts/bench-report.sh [--no-refresh | --only-metrics])" ;;
  esac
done
export WG_BENCH_DATA="$ROOT/target/bench-data"
OUT="$ROOT/target/bench-results"
RES="$OUT/report.jsonl"
[ "$ONLY_METRICS" = 1 ] && RES="$OUT/metrics.jsonl"
mkdir -p "$OUT"

bash scripts/build-pkg.sh
REF="$ROOT/scripts/reference"
PY="$REF/.venv/bin/python"
if [ "$ONLY_METRICS" = 0 ] && ! cmp -s "$REF/requirements.txt" "$REF/.venv/.requirements.txt" 2>/dev/null; then
  log "creating the venv scripts/reference/.venv (quantstats and its pins, from PyPI)"
  [ -x "$PY" ] || python3 -m venv "$REF/.venv"
  "$REF/.venv/bin/pip" install --quiet --disable-pip-version-check -r "$REF/requirements.txt"
  cp "$REF/requirements.txt" "$REF/.venv/.requirements.txt"
fi
log "building the native benches"
if [ "$ONLY_METRICS" = 1 ]; then
  cargo bench --locked --no-run --bench metrics 2>&1 | tail -n 1 >&2
else
  cargo bench --locked --no-run --bench report --bench metrics 2>&1 | tail -n 1 >&2
fi
node benches/js/gen-data.mjs "$WG_BENCH_DATA"

loadavg() { cut -d' ' -f1-3 /proc/loadavg; }
: > "$RES"
node -e '
  const [cores, cpu, node, rustc, python, load] = process.argv.slice(1);
  console.log(JSON.stringify({ area: "machine", cores: Number(cores), cpu, node, rustc, python,
    load_before: load, date: new Date().toISOString() }));
' "$(nproc)" "$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo 2>/dev/null || echo unknown)" \
  "$(node --version)" "$(rustc --version)" "$("$PY" --version 2>&1 || echo none)" "$(loadavg)" >> "$RES"
run() {
  local name="$1"; shift
  local t; t=$(now)
  log "$name"
  if "$@" >> "$RES" 2> "$OUT/$name.stderr"; then
    log "$name done ($(elapsed "$t"))"
  else
    warn "$name failed (see target/bench-results/$name.stderr)"
  fi
}
if [ "$ONLY_METRICS" = 0 ]; then
  run report-native cargo bench --locked --quiet --bench report
  run report-wasm node benches/js/report-bench.mjs
  run report-quantstats env MPLBACKEND=Agg "$PY" -W ignore benches/py/report.py
fi
# The `returns` + `pnl` blocks alone: native and wasm processes alternately, WG_BENCH_ROUNDS of
# each (default 7); BENCHMARKS.report.md gives the median across the processes. On this VM the
# same code runs at two speeds in phases of about a second (BENCHMARKS.metrics.md, session 11),
# so one process per side would compare whichever phases the two happened to land in.
ROUNDS="${WG_BENCH_ROUNDS:-7}"
for i in $(seq "$ROUNDS"); do
  run "report-metrics-native-$i" env WG_BENCH_CASES=1M,validate_returns,returns_metrics,pnl_metrics \
    cargo bench --locked --quiet --bench metrics
  run "report-metrics-wasm-$i" env WG_ONLY_METRICS=1 node benches/js/report-bench.mjs
done
echo "{\"area\":\"machine-after\",\"load_after\":\"$(loadavg)\"}" >> "$RES"

if [ "$ONLY_METRICS" = 1 ]; then
  node benches/report-fragment.mjs "$RES" > "$OUT/metrics.md"
  log "target/bench-results/metrics.md written ($(elapsed "$T0"); raw rows: $RES)"
  exit 0
fi
node benches/report-fragment.mjs "$RES" > BENCHMARKS.report.md.tmp && mv BENCHMARKS.report.md.tmp BENCHMARKS.report.md
if [ "$REFRESH" = 1 ] && [ -f BENCHMARKS.md ]; then node benches/report.mjs --refresh-fragments; fi
log "BENCHMARKS.report.md written ($(elapsed "$T0"); raw rows: $RES)"
