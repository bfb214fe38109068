"""The quant's report on 1,000,000 samples, the incumbent: quantstats 0.0.86.

Run by scripts/bench-report.sh in the pinned venv of scripts/reference/ (quantstats, pandas,
numpy as in scripts/reference/requirements.txt). Times, on the same series and benchmark as the
worldgate contenders (benches/js/gen-data.mjs):
  - `qs.reports.metrics(returns, benchmark, rf=0.02, mode="full", display=False)`;
  - `qs.stats.rolling_sharpe` / `rolling_volatility` / `rolling_sortino` at 63, 126 and 252;
  - `qs.stats.drawdown_details(qs.stats.to_drawdown_series(returns))`;
and all three together (the sum of the three medians: the row compared with worldgate's metrics
+ report). quantstats needs a
DatetimeIndex: 1,000,000 hourly timestamps from 1990-01-01 (daily ones would pass pandas'
year-2262 limit); periods_per_year stays 252, as in the other contenders. Each call takes
seconds to minutes, so each is timed WG_BENCH_PY_SAMPLES times (default 2, one call per sample,
no warm-up call: the first sample includes pandas' and quantstats' first-call work, the median
of two is their mean).
"""

import json
import os
import sys
import warnings

import numpy as np
import pandas as pd

warnings.filterwarnings("ignore")
os.environ.setdefault("MPLBACKEND", "Agg")
import quantstats as qs  # noqa: E402

sys.path.insert(0, os.path.dirname(__file__))
from timing import data_dir, summary  # noqa: E402
import time  # noqa: E402

P, RF, WINDOWS = 252, 0.02, (63, 126, 252)


def measure_slow(f):
    """WG_BENCH_PY_SAMPLES (default 2) timed calls: CPU and wall ms."""
    want = int(float(os.environ.get("WG_BENCH_PY_SAMPLES", "2")))
    cpu, wall = [], []
    for _ in range(max(1, want)):
        c0, w0 = time.process_time(), time.perf_counter()
        f()
        cpu.append((time.process_time() - c0) * 1e3)
        wall.append((time.perf_counter() - w0) * 1e3)
    return {"cpu_ms": summary(cpu), "wall_ms": summary(wall), "reps": 1}


def main():
    r = np.fromfile(os.path.join(data_dir(), "returns-1m.f64"), dtype="<f8")
    b = np.fromfile(os.path.join(data_dir(), "benchmark-1m.f64"), dtype="<f8")
    n = int(os.environ.get("WG_REPORT_SAMPLES", r.size))
    idx = pd.date_range("1990-01-01", periods=n, freq="h")
    returns = pd.Series(r[:n], index=idx, name="Strategy")
    bench = pd.Series(b[:n], index=idx, name="Benchmark")

    def metrics():
        return qs.reports.metrics(returns, benchmark=bench, rf=RF, mode="full",
                                  display=False, periods_per_year=P)

    def rolling():
        out = []
        for w in WINDOWS:
            out.append(qs.stats.rolling_sharpe(returns, rf=RF, rolling_period=w, periods_per_year=P))
            out.append(qs.stats.rolling_volatility(returns, rolling_period=w, periods_per_year=P))
            out.append(qs.stats.rolling_sortino(returns, rf=RF, rolling_period=w, periods_per_year=P))
        return out

    def drawdowns():
        return qs.stats.drawdown_details(qs.stats.to_drawdown_series(returns))

    versions = f"quantstats {qs.__version__}, pandas {pd.__version__}, numpy {np.__version__}"
    rows = [
        ("metrics-full", 'reports.metrics(mode="full", benchmark)', metrics),
        ("rolling", "rolling_sharpe + rolling_volatility + rolling_sortino × 63/126/252", rolling),
        ("drawdown-details", "drawdown_details(to_drawdown_series(r))", drawdowns),
    ]
    only = os.environ.get("WG_REPORT_ONLY")
    total = {"cpu_ms": {"median": 0.0, "q1": 0.0, "q3": 0.0}}
    for case, what, f in rows:
        if only and case not in only.split(","):
            continue
        t = measure_slow(f)
        for k in ("median", "q1", "q3"):
            total["cpu_ms"][k] += t["cpu_ms"][k]
        print(json.dumps({
            "area": "report", "case": f"quantstats:{case}", "contender": "quantstats",
            "label": f"{what} ({versions})", "samples": n, "timing": t,
        }), flush=True)
    if not only:
        print(json.dumps({
            "area": "report", "case": "quantstats:all", "contender": "quantstats",
            "label": f"the three calls (sum of their medians and quartiles; {versions})",
            "samples": n, "timing": total,
        }), flush=True)


if __name__ == "__main__":
    main()
