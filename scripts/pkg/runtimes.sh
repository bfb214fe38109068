#!/usr/bin/env bash
# Installs the JavaScript runtimes the packed package is tested in besides Node (tests/js/bundlers.mjs):
# Deno and Bun, pinned, from their npm packages (`deno` ships the binary in @deno/linux-x64-glibc,
# `bun` in @oven/bun-linux-x64), into .tools/deno/ and .tools/bun/ the way scripts/setup.sh installs
# Node.js 22: idempotent (nothing happens when the pinned version answers), from the npm registry only,
# without install scripts (the binaries are used from the platform packages directly).
# Prints nothing on stdout; `source`-free: run it, then use "$DENO" / "$BUN" from scripts/common.sh.
#   scripts/pkg/runtimes.sh
set -euo pipefail
source "$(dirname "$0")/../common.sh"
WG_STEP=runtimes
cd "$ROOT"

[ "$(uname -s)-$(uname -m)" = "Linux-x86_64" ] \
  || die "the Deno and Bun checks install Linux x64 binaries from npm; on $(uname -s)-$(uname -m) install deno $DENO_VERSION and bun $BUN_VERSION yourself and set DENO and BUN"

# install NAME VERSION DIR BINARY: `npm install NAME@VERSION` into DIR unless BINARY --version says VERSION
install() {
  local name="$1" version="$2" dir="$3" binary="$4"
  if "$binary" --version 2>/dev/null | grep -q "$version"; then return 0; fi
  log "installing $name $version (npm package $name) into ${dir#"$ROOT/"}"
  rm -rf "$dir" && mkdir -p "$dir"
  npm install --prefix "$dir" --no-save --no-package-lock --no-audit --no-fund --loglevel=error \
    --ignore-scripts "$name@$version"
  "$binary" --version >/dev/null || die "$binary does not run after installing $name $version"
}
install deno "$DENO_VERSION" "$ROOT/.tools/deno" "$DENO"
install bun "$BUN_VERSION" "$ROOT/.tools/bun" "$BUN"
