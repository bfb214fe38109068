#!/usr/bin/env bash
# Runs each cargo-fuzz target for <seconds> (default 60) and prints executions and crashes.
# Needs a nightly toolchain and cargo-fuzz (`cargo install cargo-fuzz`).
# Usage: scripts/fuzz.sh [seconds] [target…]   (targets: bundle_gate policy_parse)
set -euo pipefail
cd "$(dirname "$0")/.."
secs="${1:-60}"
shift || true
targets=("${@:-bundle_gate}")
[ $# -eq 0 ] && targets=(bundle_gate policy_parse)

# Seed corpora: the bad-input vectors (inline ones) and a few good documents.
mkdir -p fuzz/corpus/bundle_gate fuzz/corpus/policy_parse
python3 - <<'PY'
import glob, json, os, hashlib
for f in glob.glob("tests/vectors/bad/*/*.json"):
    v = json.load(open(f))
    if "input" not in v or v.get("known_failure"):
        continue
    d = "fuzz/corpus/" + ("bundle_gate" if v["kind"] == "bundle" else "policy_parse")
    data = v["input"].encode()
    open(os.path.join(d, hashlib.sha1(data).hexdigest()), "wb").write(data)
good = {"bundle_version": 1, "world_id": "w", "previous": ["s1"],
        "submissions": [{"strategy_id": "s1", "returns": [0.01, -0.02, 0.015, 0.003], "meta": {"k": "password=x"}},
                        {"strategy_id": "s2", "metrics": {"returns": {"sample_count": 3, "sharpe": 1.2}}}]}
open("fuzz/corpus/bundle_gate/good", "w").write(json.dumps(good))
open("fuzz/corpus/policy_parse/good.yaml", "w").write("thresholds:\n  s: {metric: sharpe, min: 0.5}\ntop_k: {metric: sharpe, k: 3}\ncorrelation: {max: 0.8}\nhysteresis: {metric: sharpe, enter: 0.6, exit: 0.4}\n")
open("fuzz/corpus/policy_parse/good.json", "w").write('{"thresholds":{"s":{"metric":"sharpe","min":0.5}},"top_k":{"metric":"sharpe","k":2}}')
PY

status=0
for t in "${targets[@]}"; do
  log="fuzz/${t}.log"
  echo "== $t for ${secs}s"
  # A crash, an out-of-memory (past 2 GB) or a 10 s input ends the run and fails the script.
  if cargo +nightly fuzz run "$t" "fuzz/corpus/$t" -- -max_total_time="$secs" -rss_limit_mb=2048 \
      -max_len=65536 -timeout=10 >"$log" 2>&1; then
    :
  else
    status=1
  fi
  grep -E '^(#[0-9]+.*DONE|Done [0-9]+ runs|==[0-9]+== ERROR|SUMMARY|.*panicked|#[0-9]+: cov)' "$log" | tail -3 || true
  ls "fuzz/artifacts/$t" 2>/dev/null | sed 's/^/crash: /' || true
done
exit $status
