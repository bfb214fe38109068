#!/usr/bin/env bash
# Builds the npm package into pkg/ (gitignored): two `--target web` wasm-bindgen builds (the whole
# engine for `worldgate`, schema + metrics only for `worldgate/core`), optimized by wasm-opt from
# the npm `binaryen` package, assembled from pkg-config/ by scripts/pkg/assemble.mjs.
# Skips the work when the inputs (src/, Cargo.*, pkg-config/, this script, the assembler) are unchanged.
#   scripts/build-pkg.sh [--force]
set -euo pipefail
source "$(dirname "$0")/common.sh"
WG_STEP=build-pkg
cd "$ROOT"

OUT="$ROOT/pkg"
WORK="$ROOT/target/pkg-build"
inputs_hash() {
  find src pkg-config Cargo.toml Cargo.lock scripts/build-pkg.sh scripts/pkg/assemble.mjs -type f -print0 \
    | LC_ALL=C sort -z | xargs -0 sha256sum | sha256sum | cut -d' ' -f1
}
hash="$(inputs_hash)"
# The wasm's own inputs: when only the JS/README side of pkg-config/ changed, the two wasm builds
# of the last run (kept in $WORK) are reused and only the package is assembled again.
wasm_hash() {
  find src Cargo.toml Cargo.lock scripts/build-pkg.sh -type f -print0 \
    | LC_ALL=C sort -z | xargs -0 sha256sum | sha256sum | cut -d' ' -f1
}
if [ "${1:-}" != "--force" ] && [ -f "$OUT/.inputs-hash" ] && [ "$(cat "$OUT/.inputs-hash")" = "$hash" ]; then
  log "pkg/ is up to date"
  exit 0
fi

t0=$(now)
want="$(wasm_bindgen_version)"
have="$(wasm-bindgen --version 2>/dev/null | awk '{print $2}' || true)"
[ "$have" = "$want" ] || die "wasm-bindgen $want needed (found: ${have:-none}): run scripts/setup.sh"
WASM_OPT="$ROOT/node_modules/.bin/wasm-opt"
[ -x "$WASM_OPT" ] || die "node_modules/.bin/wasm-opt missing: run scripts/setup.sh"

PROFILE="${WG_WASM_PROFILE:-wasm-release}"
WASM_HASH="$(wasm_hash)"
reuse_wasm=false
if [ "${1:-}" != "--force" ] && [ -f "$WORK/.wasm-hash" ] && [ "$(cat "$WORK/.wasm-hash")" = "$WASM_HASH" ] \
  && [ -f "$WORK/worldgate_bg.wasm" ] && [ -f "$WORK/worldgate_core_bg.wasm" ]; then
  reuse_wasm=true
else
  rm -rf "$WORK" && mkdir -p "$WORK"
fi
# The features rustc enables by default for wasm32-unknown-unknown, and simd128 (enabled below).
WASM_FEATURES=(--enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext
  --enable-mutable-globals --enable-reference-types --enable-multivalue --enable-simd)

# build_wasm NAME CARGO-FEATURE-ARGS...: cargo → wasm-bindgen (into $WORK/NAME, out-name NAME)
# → wasm-opt (into $WORK/NAME_bg.wasm).
build_wasm() {
  local name="$1"; shift
  log "cargo build (wasm32, profile $PROFILE, $*) for $name"
  # The wasm-release profile (Cargo.toml) keeps the target_features section, from which
  # wasm-bindgen and wasm-opt learn the enabled wasm features; wasm-opt drops it (and the names).
  # An inline threshold of 10 (opt-level "s" uses 50 for optsize code) stops LLVM copying mid-sized
  # generic functions into every caller: about -4 % gzipped at the same metrics speed (the hot loops
  # only call tiny helpers, still inlined). BENCHMARKS.size.md has the measurements.
  # simd128 (fixed-width SIMD: Node, Chromium, Firefox, Safari 16.4+, workerd) lets the metrics'
  # two-lane sums run as one v128 (src/metrics/lanes.rs): the same IEEE operation per lane, so the
  # numbers are those of the scalar lanes natively (BENCHMARKS.metrics.md, session 8).
  RUSTFLAGS="${RUSTFLAGS:-} -C llvm-args=-inline-threshold=10 -C target-feature=+simd128" \
    cargo build --lib --profile "$PROFILE" --locked --target wasm32-unknown-unknown "$@"
  local raw="target/wasm32-unknown-unknown/$PROFILE/worldgate.wasm"

  log "wasm-bindgen $want --target web ($name)"
  mkdir -p "$WORK/$name"
  wasm-bindgen --target web --out-dir "$WORK/$name" --out-name "$name" \
    --experimental-reset-state-function "$raw"

  log "wasm-opt -Oz --converge -ocimfs=20 ($name, $("$WASM_OPT" --version))"
  # --converge repeats -Oz while it still shrinks the module. --low-memory-unused and
  # --zero-filled-memory hold for rustc's modules: the stack grows down from 1 MiB and the data
  # lives above it (the first KiB is never addressed), and the module defines its own memory,
  # zero-filled at instantiation. Together about -3 KB gzipped.
  # -ocimfs: a function with one caller is inlined into it only when it is small (binaryen's
  # default inlines every such function, whatever its size). The policy stages, the gate's
  # phases and the shims' bodies stay functions of their own: raw +1 %, but -36 KB gzipped for
  # the full wasm (-5 KB for the core), at +3 to +8 % for a metrics-only policy evaluation and
  # the 10 KB gate, the metric kernels unchanged (BENCHMARKS.size.md, session 9). Session 11 lowered
  # the bound to 20: -2.6 KB gzipped, raw +0.2 %, the metrics, verdicts, evaluate and gate times
  # the same within noise (interleaved A/B in one Node process, both orders).
  "$WASM_OPT" -Oz --converge -ocimfs=20 --low-memory-unused --zero-filled-memory \
    --strip-debug --strip-producers --strip-target-features "${WASM_FEATURES[@]}" \
    "$WORK/$name/${name}_bg.wasm" -o "$WORK/${name}_bg.wasm"
}
# The whole engine (`worldgate`), then issue 2's foundation without the `engine` feature (schema,
# validation, metrics: `worldgate/core`), one more cargo build with other features.
if $reuse_wasm; then
  log "the wasm inputs are unchanged: reusing $WORK's two builds"
else
  build_wasm worldgate --features wasm
  build_wasm worldgate_core --no-default-features --features wasm
  echo "$WASM_HASH" > "$WORK/.wasm-hash"
fi

log "assembling pkg/ from pkg-config/"
node scripts/pkg/assemble.mjs "$WORK/worldgate" "$WORK/worldgate_bg.wasm" "$OUT" "$(crate_version)" \
  "$WORK/worldgate_core" "$WORK/worldgate_core_bg.wasm"

# The optimized modules must load and answer: a broken wasm-opt fails here, not in a user's app.
node --input-type=module -e "
  for (const entry of ['$OUT/node.js', '$OUT/core/node.js']) {
    const wg = await import(entry);
    const v = wg.version();
    if (v !== '$(crate_version)') throw new Error(entry + ': version() returned ' + v);
  }
"
sizes() { echo "$(wc -c < "$1") bytes raw, $(gzip -9c "$1" | wc -c) bytes gzipped (-9)"; }
full="$(sizes "$OUT/worldgate_bg.wasm")"
core="$(sizes "$OUT/core/worldgate_core_bg.wasm")"
# Issue 2's target for its scope (schema, validation, metrics): gzipped wasm <= 150 KB.
CORE_BUDGET=153600
core_gz=$(gzip -9c "$OUT/core/worldgate_core_bg.wasm" | wc -c)
[ "$core_gz" -le "$CORE_BUDGET" ] \
  || die "core/worldgate_core_bg.wasm is $core_gz bytes gzipped, over worldgate/core's budget of $CORE_BUDGET (150 KB)"
echo "$hash" > "$OUT/.inputs-hash"
log "pkg/ built in $(elapsed "$t0"): worldgate_bg.wasm $full; core/worldgate_core_bg.wasm $core"
