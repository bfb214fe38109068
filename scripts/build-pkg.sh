#!/usr/bin/env bash
# Builds the npm package into pkg/ (gitignored): one `--target web` wasm-bindgen build, optimized by
# wasm-opt from the npm `binaryen` package, assembled from pkg-config/ by scripts/pkg/assemble.mjs.
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
log "cargo build (wasm32, profile $PROFILE, --features wasm)"
# The wasm-release profile (Cargo.toml) keeps the target_features section, from which
# wasm-bindgen and wasm-opt learn the enabled wasm features; wasm-opt drops it (and the names).
# An inline threshold of 10 (opt-level "s" uses 50 for optsize code) stops LLVM copying mid-sized
# generic functions into every caller: about -4 % gzipped at the same metrics speed (the hot loops
# only call tiny helpers, still inlined). BENCHMARKS.size.md has the measurements.
RUSTFLAGS="${RUSTFLAGS:-} -C llvm-args=-inline-threshold=10" \
  cargo build --lib --profile "$PROFILE" --locked --target wasm32-unknown-unknown --features wasm
raw="target/wasm32-unknown-unknown/$PROFILE/worldgate.wasm"

log "wasm-bindgen $want --target web"
rm -rf "$WORK" && mkdir -p "$WORK/bindgen"
wasm-bindgen --target web --out-dir "$WORK/bindgen" --out-name worldgate \
  --experimental-reset-state-function "$raw"

log "wasm-opt -Oz --converge ($("$WASM_OPT" --version))"
# The features rustc enables by default for wasm32-unknown-unknown; nothing beyond them.
# --converge repeats -Oz while it still shrinks the module. --low-memory-unused and
# --zero-filled-memory hold for rustc's modules: the stack grows down from 1 MiB and the data
# lives above it (the first KiB is never addressed), and the module defines its own memory,
# zero-filled at instantiation. Together about -3 KB gzipped.
"$WASM_OPT" -Oz --converge --low-memory-unused --zero-filled-memory \
  --strip-debug --strip-producers --strip-target-features \
  --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
  --enable-mutable-globals --enable-reference-types --enable-multivalue \
  "$WORK/bindgen/worldgate_bg.wasm" -o "$WORK/worldgate_bg.wasm"

log "assembling pkg/ from pkg-config/"
node scripts/pkg/assemble.mjs "$WORK/bindgen" "$WORK/worldgate_bg.wasm" "$OUT" "$(crate_version)"

# The optimized module must load and answer: a broken wasm-opt fails here, not in a user's app.
node --input-type=module -e "
  const wg = await import('$OUT/node.js');
  const v = wg.version();
  if (v !== '$(crate_version)') throw new Error('version() returned ' + v);
"
echo "$hash" > "$OUT/.inputs-hash"
size=$(wc -c < "$OUT/worldgate_bg.wasm")
gz=$(gzip -9c "$OUT/worldgate_bg.wasm" | wc -c)
log "pkg/ built in $(elapsed "$t0"): worldgate_bg.wasm $size bytes raw, $gz bytes gzipped (-9)"
