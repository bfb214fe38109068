# shellcheck shell=bash
# Shared helpers for the repository scripts: logging, timing, the repo root, tool paths.
# Sourced, never executed.

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export PATH="$HOME/.cargo/bin:$ROOT/node_modules/.bin:$PATH"
# Never let wasm-pack download a toolchain piece, never let anything use a system wasm-opt.
export WASM_PACK_CACHE="${WASM_PACK_CACHE:-$ROOT/target/wasm-pack-cache}"

log() { printf '\033[1;34m[%s]\033[0m %s\n' "${WG_STEP:-worldgate}" "$*" >&2; }
warn() { printf '\033[1;33m[%s] warning:\033[0m %s\n' "${WG_STEP:-worldgate}" "$*" >&2; }
die() { printf '\033[1;31m[%s] error:\033[0m %s\n' "${WG_STEP:-worldgate}" "$*" >&2; exit 1; }

# The wasm-bindgen version pinned by Cargo.lock (the CLI must match it exactly).
wasm_bindgen_version() {
  awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' "$ROOT/Cargo.lock"
}

# The crate version from Cargo.toml's [package] table.
crate_version() {
  awk -F'"' '/^\[package\]/ { p = 1; next } /^\[/ { p = 0 } p && /^version = / { print $2; exit }' "$ROOT/Cargo.toml"
}

# Seconds since the epoch, with fractions.
now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1fs", b - a }'; }
