#!/usr/bin/env bash
# `./run` stopped by a signal leaves nothing behind: runs `./run` under `timeout` on free ports
# with a temporary edge state, waits until the edge API (and the viewer, when www/ exists)
# answer, records every process of its tree, sends SIGTERM to `timeout` (which passes it on to
# `./run`), and checks that every recorded process is gone and both ports are free.
#   bash scripts/test-run-stop.sh        (also run by `./test run-smoke`)
set -uo pipefail
source "$(dirname "$0")/common.sh"
WG_STEP=run-stop
cd "$ROOT"

free_port() { node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'; }
port_open() { node -e 'const c=require("net").connect(+process.argv[1],"127.0.0.1");c.on("connect",()=>process.exit(0));c.on("error",()=>process.exit(1))' "$1"; }
descendants() { # PID: every descendant pid
  local p
  for p in $(ps -o pid= --ppid "$1" 2>/dev/null); do echo "$p"; descendants "$p"; done
}

PORT=$(free_port); WWW_PORT=$(free_port)
while [ "$WWW_PORT" = "$PORT" ]; do WWW_PORT=$(free_port); done
STATE=$(mktemp -d); LOG=$(mktemp)
export PORT WWW_PORT WORLDGATE_STATE="$STATE" WORLDGATE_NO_SEED=1
log "starting ./run under timeout (edge :$PORT, viewer :$WWW_PORT)"
timeout -s TERM 600 ./run >"$LOG" 2>&1 &
TPID=$!

ready=0
for _ in $(seq 1 900); do
  if port_open "$PORT" && { [ ! -f www/package.json ] || port_open "$WWW_PORT"; }; then ready=1; break; fi
  kill -0 "$TPID" 2>/dev/null || break
  sleep 0.2
done
if [ "$ready" != 1 ]; then
  kill -TERM "$TPID" 2>/dev/null; wait "$TPID" 2>/dev/null
  tail -40 "$LOG" >&2; rm -rf "$STATE" "$LOG"
  die "./run did not start its servers"
fi
mapfile -t TREE < <(descendants "$TPID")
names=$(for p in "${TREE[@]}"; do ps -o comm= -p "$p"; done | sort | uniq -c | tr -s ' \n' ' ')
log "running: ${#TREE[@]} processes under timeout ($names)"
grep -q workerd <<<"$names" || { rm -rf "$STATE" "$LOG"; die "no workerd in ./run's process tree"; }

kill -TERM "$TPID"
wait "$TPID"; status=$?
sleep 0.5
left=()
for p in "${TREE[@]}"; do
  if kill -0 "$p" 2>/dev/null; then left+=("$p $(ps -o comm= -p "$p")"); fi
done
fail=0
if [ ${#left[@]} -gt 0 ]; then warn "left behind after SIGTERM: ${left[*]}"; fail=1; fi
if port_open "$PORT"; then warn "port $PORT still open"; fail=1; fi
if [ -f www/package.json ] && port_open "$WWW_PORT"; then warn "port $WWW_PORT still open"; fail=1; fi
for p in "${TREE[@]}"; do kill -KILL "$p" 2>/dev/null; done
[ "$fail" = 0 ] || tail -20 "$LOG" >&2
rm -rf "$STATE" "$LOG"
[ "$fail" = 0 ] || die "./run left processes or ports behind"
log "stopped cleanly (exit $status): ${#TREE[@]} processes gone, ports $PORT and $WWW_PORT free"
