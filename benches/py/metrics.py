"""Metrics on 1,000,000 samples, the incumbent: numpy + empyrical-reloaded.

Run by scripts/bench.sh in the venv benches/.venv. Computes worldgate's metric set with the same
conventions (annualisation 252, ddof = 1, risk-free rate de-annualised as (1 + rf)^(1/252) - 1,
drawdown on the compounded curve with the start as a peak, VaR at the 5 % cutoff): empyrical
where it has the metric, numpy for the rest (win rate, profit factor, time under water, longest
drawdown, the PnL block). Prints one JSON line: timing and values.
"""

import json
import os
import sys

import numpy as np
import empyrical as ep

sys.path.insert(0, os.path.dirname(__file__))
from timing import measure, data_dir  # noqa: E402

P, RF, LEVEL, V0 = 252, 0.02, 0.95, 10_000.0
RF_PP = (1.0 + RF) ** (1.0 / P) - 1.0


def empyrical_metrics(r):
    return {
        "sharpe": ep.sharpe_ratio(r, risk_free=RF_PP, annualization=P),
        "volatility": ep.annual_volatility(r, annualization=P),
        "sortino": ep.sortino_ratio(r, required_return=RF_PP, annualization=P),
        "max_drawdown": ep.max_drawdown(r),
        "calmar": ep.calmar_ratio(r, annualization=P),
        "cagr": ep.annual_return(r, annualization=P),
        "total_return": ep.cum_returns_final(r),
        "var": ep.value_at_risk(r, cutoff=1 - LEVEL),
        "cvar": ep.conditional_value_at_risk(r, cutoff=1 - LEVEL),
    }


def numpy_extras(r):
    nonzero = np.count_nonzero(r)
    gains = r[r >= 0].sum()
    losses = r[r < 0].sum()
    equity = np.cumprod(1.0 + r)
    peak = np.maximum.accumulate(np.concatenate(([1.0], equity)))[1:]
    under = equity < peak
    # longest run of consecutive True in `under`
    padded = np.concatenate(([False], under, [False]))
    edges = np.flatnonzero(padded[1:] != padded[:-1])
    runs = edges[1::2] - edges[::2]
    v = V0 * equity
    return {
        "win_rate": np.count_nonzero(r > 0) / nonzero,
        "profit_factor": gains / abs(losses),
        "time_under_water": under.mean(),
        "longest_drawdown": int(runs.max()) if runs.size else 0,
        "pnl_total": v[-1] - V0,
        "pnl_equity_peak": max(V0, v.max()),
        "pnl_max_drawdown": float(np.min(v - V0 * peak)),
    }


def main():
    r = np.fromfile(os.path.join(data_dir(), "returns-1m.f64"), dtype="<f8")
    run_ep = lambda: empyrical_metrics(r)  # noqa: E731
    run_all = lambda: (empyrical_metrics(r), numpy_extras(r))  # noqa: E731
    ev, xv = run_all()
    values = {k: float(v) for k, v in {**ev, **xv}.items()}
    versions = f"numpy {np.__version__}, empyrical-reloaded {ep.__version__}"
    print(json.dumps({
        "area": "metrics", "case": "1M", "contender": "python",
        "label": f"Python numpy + empyrical ({versions}), full set",
        "timing": measure(run_all), "values": {"returns": values},
    }))
    print(json.dumps({
        "area": "metrics", "case": "1M", "contender": "python-empyrical-only",
        "label": "empyrical alone (9 metrics: sharpe … cvar)",
        "timing": measure(run_ep),
    }))


if __name__ == "__main__":
    main()
