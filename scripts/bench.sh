#!/usr/bin/env bash
# Runs every benchmark side by side in one run and writes BENCHMARKS.md:
#   - metrics on 1,000,000 samples: Rust native · worldgate wasm in Node (package API) · Python
#     numpy + empyrical-reloaded (the incumbent) · npm alternatives (@railpath/finance-toolkit,
#     simple-statistics); values cross-checked against empyrical;
#   - the policy engine at 10 / 100 / 1,000 / 5,000 strategies (1,440-sample series, correlation
#     computed from them): native vs wasm in Node;
#   - the bundle gate on 10 KB / 1 MB / 10 MB bundles: wasm (and native) vs JSON.parse + ajv,
#     when the build has `gateBundle`;
#   - package size: the release .wasm and the JS glue, raw and gzipped.
# Installs what is missing first, idempotently: the toolchain (scripts/setup.sh), the package
# (scripts/build-pkg.sh), benches/js/node_modules (npm ci), the venv benches/.venv (numpy,
# empyrical-reloaded from PyPI). Inputs are generated once into target/bench-data/ (seeded), raw
# results go to target/bench-results/results.jsonl.
#   scripts/bench.sh [--quick] [--no-o3] [--report]
#     --quick   fewer samples and no 5,000-strategy row (a smoke run; still writes BENCHMARKS.md)
#     --no-o3   skip the extra wasm build at opt-level 3 (a diagnostic row, not the shipped build)
#     --report  also run scripts/bench-report.sh (the quant's report vs quantstats: minutes more),
#               which rewrites BENCHMARKS.report.md before BENCHMARKS.md includes it
set -euo pipefail
source "$(dirname "$0")/common.sh"
WG_STEP=bench
cd "$ROOT"
T0=$(now)

QUICK=0 O3=1 REPORT=0
for a in "$@"; do
  case "$a" in
    --quick) QUICK=1 ;;
    --no-o3) O3=0 ;;
    --report) REPORT=1 ;;
    *) die "unknown option $a (usage: scripts/bench.sh [--quick] [--no-o3] [--report])" ;;
  esac
done
if [ "$QUICK" = 1 ]; then
  export WG_BENCH_SAMPLES=5 WG_BENCH_BUDGET_S=0.5 WG_BENCH_POLICY_SIZES=10,100,1000
fi
export WG_BENCH_DATA="$ROOT/target/bench-data"
OUT="$ROOT/target/bench-results"
RES="$OUT/results.jsonl"
mkdir -p "$OUT"

# ---------------------------------------------------------------- 1. what the run needs
bash scripts/setup.sh
bash scripts/build-pkg.sh

stamp="benches/js/node_modules/.package-lock.json"
if [ ! -f "$stamp" ] || [ benches/js/package-lock.json -nt "$stamp" ]; then
  log "installing the JS contenders (npm ci in benches/js)"
  npm --prefix benches/js ci --no-audit --no-fund --loglevel=error --ignore-scripts
fi

VENV="$ROOT/benches/.venv"
PY="$VENV/bin/python"
if ! "$PY" -c 'import numpy, empyrical' 2>/dev/null \
  || [ benches/py/requirements.txt -nt "$VENV/.installed" ]; then
  command -v python3 >/dev/null || die "python3 not found: install Python 3.10 or newer"
  log "creating the venv benches/.venv (numpy, empyrical-reloaded from PyPI)"
  [ -x "$PY" ] || python3 -m venv "$VENV"
  "$PY" -m pip install --quiet --disable-pip-version-check -r benches/py/requirements.txt
  touch "$VENV/.installed"
fi

# The same crate built for wasm at opt-level 3 and wasm-opt -O3 (the shipped package is
# opt-level "s" and -Oz): tells how much of the wasm/native gap is the size-first build.
O3PKG="$ROOT/target/bench-o3/pkg"
build_o3() {
  local hash work raw
  hash="$(find src pkg-config Cargo.toml Cargo.lock scripts/pkg/assemble.mjs -type f -print0 \
    | LC_ALL=C sort -z | xargs -0 sha256sum | sha256sum | cut -d' ' -f1)"
  if [ -f "$O3PKG/.inputs-hash" ] && [ "$(cat "$O3PKG/.inputs-hash")" = "$hash" ]; then return 0; fi
  log "building the opt-level 3 wasm variant (diagnostic)"
  CARGO_TARGET_DIR="$ROOT/target/bench-o3/cargo" CARGO_PROFILE_RELEASE_OPT_LEVEL=3 \
    CARGO_PROFILE_RELEASE_STRIP=false cargo build --lib --release --locked \
    --target wasm32-unknown-unknown --features wasm
  raw="$ROOT/target/bench-o3/cargo/wasm32-unknown-unknown/release/worldgate.wasm"
  work="$ROOT/target/bench-o3/work"
  rm -rf "$work" && mkdir -p "$work/bindgen"
  wasm-bindgen --target web --out-dir "$work/bindgen" --out-name worldgate \
    --experimental-reset-state-function "$raw"
  "$ROOT/node_modules/.bin/wasm-opt" -O3 --strip-debug --strip-producers --strip-target-features \
    --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
    --enable-mutable-globals --enable-reference-types --enable-multivalue \
    "$work/bindgen/worldgate_bg.wasm" -o "$work/worldgate_bg.wasm"
  node scripts/pkg/assemble.mjs "$work/bindgen" "$work/worldgate_bg.wasm" "$O3PKG" "$(crate_version)" >/dev/null
  echo "$hash" > "$O3PKG/.inputs-hash"
}
if [ "$O3" = 1 ]; then build_o3 || { warn "the opt-level 3 variant failed to build; skipping it"; O3=0; }; fi

# The shipped build's wasm with its function names kept (the same wasm-opt passes plus -g): the
# CPU profile of the gate's stages (benches/js/gate-phases.mjs) reads them. No cargo build.
NAMEDPKG="$ROOT/target/bench-named/pkg"
build_named() {
  local work="$ROOT/target/bench-named/work" bindgen="$ROOT/target/pkg-build/worldgate"
  rm -rf "$work" && mkdir -p "$work"
  "$ROOT/node_modules/.bin/wasm-opt" -Oz -ocimfs=20 -g --low-memory-unused --zero-filled-memory \
    --strip-producers --strip-target-features \
    --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
    --enable-mutable-globals --enable-reference-types --enable-multivalue \
    "$bindgen/worldgate_bg.wasm" -o "$work/worldgate_bg.wasm"
  node scripts/pkg/assemble.mjs "$bindgen" "$work/worldgate_bg.wasm" "$NAMEDPKG" "$(crate_version)" >/dev/null
}
NAMED=1
build_named || { warn "the names-kept wasm failed to build; skipping the gate's stage profile"; NAMED=0; }

log "building the native benches"
cargo bench --locked --no-run --bench metrics --bench policy $([ -f benches/gate.rs ] && echo --bench gate) 2>&1 | tail -n 1 >&2

log "generating the inputs (seeded) into target/bench-data/"
node benches/js/gen-data.mjs "$WG_BENCH_DATA"

# ---------------------------------------------------------------- 2. the run
: > "$RES"
loadavg() { cut -d' ' -f1-3 /proc/loadavg; }
cpu_model="$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo 2>/dev/null || true)"
node -e '
  const [cores, cpu, node, rustc, python, load, quick] = process.argv.slice(1);
  console.log(JSON.stringify({ area: "machine", cores: Number(cores), cpu, node, rustc, python,
    load_before: load, quick: quick === "1", date: new Date().toISOString() }));
' "$(nproc)" "${cpu_model:-unknown}" "$(node --version)" "$(rustc --version)" \
  "$("$PY" --version 2>&1)" "$(loadavg)" "$QUICK" >> "$RES"

# contender NAME AREA -- command…: appends the command's JSON lines; a failure becomes an error row.
contender() {
  local name="$1" area="$2"; shift 3
  local t; t=$(now)
  log "$area: $name"
  if "$@" >> "$RES" 2> "$OUT/$name.stderr"; then
    log "$area: $name done ($(elapsed "$t"))"
  else
    warn "$area: $name failed (see target/bench-results/$name.stderr)"
    node -e 'console.log(JSON.stringify({area: process.argv[1], contender: process.argv[2], error: process.argv[3]}))' \
      "$area" "$name" "$(tail -n 5 "$OUT/$name.stderr")" >> "$RES"
  fi
}

contender metrics-native metrics -- cargo bench --locked --quiet --bench metrics
contender metrics-node metrics -- node benches/js/metrics.mjs
if [ "$O3" = 1 ]; then
  contender metrics-wasm-o3 metrics -- env WG_PKG="$O3PKG/node.js" WG_ONLY_WASM=1 node benches/js/metrics.mjs
fi
contender metrics-python metrics -- "$PY" benches/py/metrics.py
# The native and wasm metrics rows from more processes, native and wasm alternately, as the
# headline policy rows below (the VM's two speeds: one process per side lands in either phase).
if [ "$QUICK" = 0 ]; then
  for i in $(seq 2 "${WG_BENCH_ROUNDS:-5}"); do
    contender "metrics-native-$i" metrics -- env WG_BENCH_CASES=1M cargo bench --locked --quiet --bench metrics
    contender "metrics-wasm-$i" metrics -- env WG_ONLY_WASM=1 node benches/js/metrics.mjs
  done
fi
contender policy-native policy -- cargo bench --locked --quiet --bench policy
contender policy-wasm policy -- node benches/js/policy.mjs
# The headline policy rows (top_k 50 at 1,000 and 5,000: native decision and summary, wasm
# verdicts and evaluate) from more processes, native and wasm alternately: this VM runs the same
# code at two speeds in phases of about a second (BENCHMARKS.metrics.md, session 11), so one
# process per side lands in either phase. The report gives the median across the processes.
if [ "$QUICK" = 0 ]; then
  for i in $(seq 2 "${WG_BENCH_ROUNDS:-5}"); do
    contender "policy-native-$i" policy -- env WG_BENCH_POLICY='top_k 50' WG_BENCH_POLICY_SIZES=1000,5000 \
      cargo bench --locked --quiet --bench policy
    contender "policy-wasm-$i" policy -- env WG_BENCH_POLICY='top_k 50' WG_BENCH_POLICY_SIZES=1000,5000 \
      WG_SKIP_ONESHOT=1 node benches/js/policy.mjs
  done
fi
if [ "$O3" = 1 ]; then
  contender policy-wasm-o3 policy -- env WG_PKG="$O3PKG/node.js" WG_CONTENDER=wasm-o3 \
    WG_LABEL="wasm opt-level 3 (not shipped)" WG_SKIP_ONESHOT=1 node benches/js/policy.mjs
fi
if [ -f benches/gate.rs ]; then
  contender gate-native gate -- cargo bench --locked --quiet --bench gate
fi
contender gate-node gate -- node benches/js/gate.mjs
# The gate rows from more processes too, native and wasm alternately (the VM's two speeds).
if [ "$QUICK" = 0 ]; then
  for i in $(seq 2 "${WG_BENCH_ROUNDS:-5}"); do
    if [ -f benches/gate.rs ]; then
      contender "gate-native-$i" gate -- cargo bench --locked --quiet --bench gate
    fi
    contender "gate-node-$i" gate -- node benches/js/gate.mjs
  done
fi
if [ "$NAMED" = 1 ]; then
  contender gate-phases gate-phases -- env WG_PKG="$NAMEDPKG/node.js" node benches/js/gate-phases.mjs
fi
contender size size -- node benches/js/size.mjs pkg
if [ "$O3" = 1 ]; then
  contender size-o3 size -- env WG_SIZE_LABEL="opt-level 3 variant" node benches/js/size.mjs "$O3PKG"
fi
echo "{\"area\":\"machine-after\",\"load_after\":\"$(loadavg)\",\"seconds\":$(awk -v a="$T0" -v b="$(now)" 'BEGIN{printf "%.0f", b-a}')}" >> "$RES"

if [ "$REPORT" = 1 ]; then bash scripts/bench-report.sh --no-refresh || warn "scripts/bench-report.sh failed"; fi

# ---------------------------------------------------------------- 3. the report
node benches/report.mjs "$RES" > BENCHMARKS.md.tmp && mv BENCHMARKS.md.tmp BENCHMARKS.md
log "BENCHMARKS.md written ($(elapsed "$T0"); raw results: target/bench-results/results.jsonl)"
