#!/usr/bin/env bash
# The CLI gating a directory of 500 bundles: wall and CPU time and peak memory (GNU time's
# maximum resident set size), human and JSON output, for two builds of `worldgate` — "before"
# (e.g. main's release binary) and "after" (this tree's) — written as the BENCHMARKS.cli.md
# fragment (appended to BENCHMARKS.md by `node benches/report.mjs --refresh-fragments`).
#
#   benches/cli-gate.sh BEFORE_BIN AFTER_BIN [OUT.md]
#
# Both binaries should be release builds (`cargo build --release --features cli`). Each
# bundle: 4 submissions of 252 daily returns (deterministic, seeded), the `moderate` preset.
# Every cell is the median of 3 runs; output goes to a file (so its size is measured too).
set -euo pipefail
BEFORE=${1:?before binary}
AFTER=${2:?after binary}
OUT=${3:-BENCHMARKS.cli.md}
N=${BUNDLES:-500}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

python3 - "$work/bundles" "$N" <<'PY'
import json, os, random, sys
d, n = sys.argv[1], int(sys.argv[2])
os.makedirs(d)
rng = random.Random(15)
for b in range(n):
    subs = []
    for s in range(4):
        mu, sd = rng.uniform(-0.0005, 0.0015), rng.uniform(0.005, 0.02)
        subs.append({"strategy_id": f"s{s}", "returns": [round(rng.gauss(mu, sd), 8) for _ in range(252)]})
    doc = {"bundle_version": 1, "world_id": "bench", "created_at": "2025-12-01T00:00:00Z", "submissions": subs}
    with open(os.path.join(d, f"b{b:04}.json"), "w") as f:
        json.dump(doc, f)
PY
input_mb=$(du -sm "$work/bundles" | cut -f1)

# one run: prints "wall_s cpu_s maxrss_kb out_bytes exit"
measure() {
  local bin=$1 fmt=$2
  set +e
  /usr/bin/time -f '%e %U %S %M' -o "$work/time" "$bin" --format "$fmt" gate --policy preset:moderate "$work/bundles" >"$work/out" 2>"$work/err"
  local rc=$?
  set -e
  read -r wall user sys rss < <(tail -n 1 "$work/time")
  echo "$wall $(echo "$user + $sys" | bc -l) $rss $(wc -c <"$work/out") $rc"
}

median() { sort -n | sed -n 2p; }

row() {
  local label=$1 bin=$2 fmt=$3
  local runs=() wall cpu rss bytes rc
  for _ in 1 2 3; do runs+=("$(measure "$bin" "$fmt")"); done
  wall=$(printf '%s\n' "${runs[@]}" | cut -d' ' -f1 | median)
  cpu=$(printf '%s\n' "${runs[@]}" | cut -d' ' -f2 | median)
  rss=$(printf '%s\n' "${runs[@]}" | cut -d' ' -f3 | median)
  bytes=$(printf '%s\n' "${runs[@]}" | cut -d' ' -f4 | median)
  rc=$(printf '%s\n' "${runs[@]}" | cut -d' ' -f5 | head -1)
  printf '| %s | %s | %.2f | %.2f | %.1f | %.1f | %s |\n' "$label" "$fmt" "$wall" "$cpu" \
    "$(echo "$rss / 1024" | bc -l)" "$(echo "$bytes / 1048576" | bc -l)" "$rc"
}

{
  echo "## CLI: gating a directory of $N bundles"
  echo
  echo "_Written by \`benches/cli-gate.sh\` (issue 15: streaming gate output)._"
  echo
  echo "\`worldgate --format FMT gate --policy preset:moderate DIR\` over $N bundles of 4 strategies"
  echo "× 252 daily returns (${input_mb} MB of JSON), output to a file. Median of 3 runs; wall and"
  echo "CPU (user + system) seconds and peak resident memory from GNU time, on a shared 2-core VM"
  echo "with other builds running (wall times are noisy, CPU times less so). \"before\" is main's"
  echo "release build before issue 15, \"after\" this tree's: the JSON output is now written per"
  echo "bundle as it is gated (one \`Answer\` envelope, streamed) instead of collected and printed"
  echo "at the end, so peak memory no longer grows with the number of bundles (before: the human"
  echo "report kept every result too). The JSON is smaller after because each bundle's item is"
  echo "compact JSON on its own line (before: one pretty-printed array)."
  echo
  echo "| build | format | wall s | CPU s | peak RSS MiB | output MiB | exit |"
  echo "|---|---|---:|---:|---:|---:|---:|"
  row before "$BEFORE" human
  row after "$AFTER" human
  row before "$BEFORE" json
  row after "$AFTER" json
  row after "$AFTER" ndjson
  echo
  echo "Exit 1: some strategies are rejected by the preset (as intended)."
} >"$OUT"
cat "$OUT"
