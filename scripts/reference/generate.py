"""Reference vectors for the report: quantstats' and empyrical's numbers on seeded series.

Writes tests/vectors/report/reference/<series>.json, each an ordinary report vector
(tests/report_vectors.rs, tests/js/checks.mjs): the inputs, and under `expected` the libraries'
outputs for every quantity whose convention agrees with worldgate's (README "Numbers vs
quantstats / empyrical"), compared to 1e-9 relative. Under `differences` (not compared) the
libraries' values of the quantities defined differently, for the README's table. Run through
generate.sh (a venv with requirements.txt); the tests never run it.
"""

import json
import math
import sys
from pathlib import Path

import empyrical as ep
import numpy as np
import pandas as pd
import quantstats as qs
import scipy
import scipy.stats

OUT = Path(__file__).resolve().parents[2] / "tests" / "vectors" / "report" / "reference"
P = 252
TOLERANCE = 1e-9


def num(x):
    """A float as the report writes it: null for NaN/None, "+inf"/"-inf" for infinities."""
    if x is None:
        return None
    x = float(x)
    if math.isnan(x):
        return None
    if math.isinf(x):
        return "+inf" if x > 0 else "-inf"
    return x


def series_of(values):
    return [num(v) for v in values]


def episodes(returns: pd.Series, top: int):
    """quantstats' drawdown_details as the report's episodes: start (first date under water),
    trough (valley), end = the period after quantstats' end (its last date under water) when the
    curve recovered, null while open; depth = max drawdown / 100. Deepest first, ties earlier."""
    dd = qs.stats.to_drawdown_series(returns)
    details = qs.stats.drawdown_details(dd)
    pos = {d.strftime("%Y-%m-%d"): i for i, d in enumerate(returns.index)}
    out = []
    for _, row in details.iterrows():
        start, valley, end = pos[row["start"]], pos[row["valley"]], pos[row["end"]]
        is_open = end == len(returns) - 1 and dd.iloc[-1] < 0
        out.append(
            {
                "start": start,
                "trough": valley,
                "end": None if is_open else end + 1,
                "depth": float(row["max drawdown"]) / 100.0,
                "qs_days": int(row["days"]),
            }
        )
    count = len(out)
    avg_depth = float(np.mean([e["depth"] for e in out])) if out else None
    out.sort(key=lambda e: (e["depth"], e["start"]))
    return count, avg_depth, out[:top]


def rolling(r: pd.Series, windows):
    out = []
    for w in windows:
        sh = qs.stats.rolling_sharpe(r, rolling_period=w, periods_per_year=P)
        vol = qs.stats.rolling_volatility(r, rolling_period=w, periods_per_year=P)
        so = qs.stats.rolling_sortino(r, rolling_period=w, periods_per_year=P)
        out.append(
            {
                "window": w,
                "sharpe": series_of(sh.values),
                "volatility": series_of(vol.values),
                "sortino": series_of(so.values),
            }
        )
    return out


def vector(name, description, r: pd.Series, b: pd.Series, windows, top=10):
    a = r.values
    q05, q95 = np.percentile(a, 5), np.percentile(a, 95)
    count, avg_depth, eps = episodes(r, top)
    distribution = {
        "sample_count": len(a),
        "skewness": num(qs.stats.skew(r)),  # pandas: bias-corrected G1
        "excess_kurtosis": num(qs.stats.kurtosis(r)),  # pandas: bias-corrected G2
        "skewness_population": num(scipy.stats.skew(a)),
        "excess_kurtosis_population": num(scipy.stats.kurtosis(a)),
        "best": num(qs.stats.best(r)),
        "worst": num(qs.stats.worst(r)),
        "mean_win": num(qs.stats.avg_win(r)),
        "mean_loss": num(qs.stats.avg_loss(r)),
        "payoff_ratio": num(qs.stats.payoff_ratio(r)),
        "omega": num(ep.omega_ratio(a, annualization=P)),
        "tail_ratio": num(ep.tail_ratio(a)),
        "kelly": num(qs.stats.kelly_criterion(r)),
        "max_consecutive_wins": int(qs.stats.consecutive_wins(r)),
        "max_consecutive_losses": int(qs.stats.consecutive_losses(r)),
        "common_sense_ratio": num(qs.stats.profit_factor(r) * ep.tail_ratio(a)),
    }
    assert abs(qs.stats.omega(r) / distribution["omega"] - 1) < 1e-12
    drawdowns = {
        "count": count,
        "average_depth": num(avg_depth),
        "episodes": [{k: v for k, v in e.items() if k != "qs_days"} for e in eps],
    }
    bb = b.values
    beta = ep.beta(a, bb)
    assert abs(qs.stats.greeks(r, b)["beta"] / beta - 1) < 1e-12
    active = r - b
    relative = {
        "sample_count": len(a),
        "beta": num(beta),
        "alpha": num(ep.alpha(a, bb, annualization=P)),
        "correlation": num(np.corrcoef(a, bb)[0, 1]),
        "r_squared": num(qs.stats.r_squared(r, b)),
        "tracking_error": num(active.std() * math.sqrt(P)),  # pandas std, ddof 1
        "information_ratio": num(ep.excess_sharpe(a, bb) * math.sqrt(P)),
        "up_capture": num(ep.up_capture(a, bb)),
        "down_capture": num(ep.down_capture(a, bb)),
        "benchmark": {
            "sample_count": len(bb),
            "sharpe": num(qs.stats.sharpe(b, periods=P)),
            "volatility": num(qs.stats.volatility(b, periods=P)),
            "sortino": num(qs.stats.sortino(b, periods=P)),
            "max_drawdown": num(qs.stats.max_drawdown(b)),
            "cagr": num(qs.stats.cagr(b, periods=P)),
            "total_return": num(qs.stats.comp(b)),
            "calmar": num(qs.stats.calmar(b, periods=P)),
            "win_rate": num(qs.stats.win_rate(b)),
            "profit_factor": num(qs.stats.profit_factor(b)),
            "var": num(ep.value_at_risk(bb, cutoff=0.05)),
        },
    }
    assert abs(ep.sharpe_ratio(bb, annualization=P) / relative["benchmark"]["sharpe"] - 1) < 1e-12
    assert abs(ep.max_drawdown(bb) / relative["benchmark"]["max_drawdown"] - 1) < 1e-12
    dd_series = qs.stats.to_drawdown_series(r)
    total = float(qs.stats.comp(r))
    differences = {
        "quantstats.ulcer_index (divides by n - 1)": num(qs.stats.ulcer_index(r)),
        "worldgate-convention ulcer_index, from quantstats' drawdown series (divides by n)": num(
            math.sqrt(float((dd_series**2).sum()) / len(a))
        ),
        "quantstats.ulcer_performance_index (total return / its ulcer index)": num(
            qs.stats.ulcer_performance_index(r)
        ),
        "quantstats.recovery_factor (|sum of returns| / |max drawdown|)": num(qs.stats.recovery_factor(r)),
        "compounded total return / |max drawdown|": num(total / abs(float(qs.stats.max_drawdown(r)))),
        "quantstats.information_ratio (per period)": num(qs.stats.information_ratio(r, b)),
        "quantstats.greeks.alpha (mean(r) - beta mean(b), times P)": num(qs.stats.greeks(r, b)["alpha"]),
        "quantstats.tail_ratio (q(1 - 0.95) = q(0.050000000000000044))": num(qs.stats.tail_ratio(r)),
        "quantstats.drawdown_details.days (first to last date under water, + 1)": [
            e["qs_days"] for e in eps
        ],
    }
    quirk = pd.Series([-0.01, -0.01, 0.005], index=pd.bdate_range("2024-01-02", periods=3))
    differences["quantstats.drawdown_details of [-0.01, -0.01, 0.005] (under water from the first period to the end): episodes"] = len(
        qs.stats.drawdown_details(qs.stats.to_drawdown_series(quirk))
    )
    doc = {
        "description": description,
        "notes": [
            "written by scripts/reference/generate.sh (do not edit): "
            f"quantstats {qs.__version__}, empyrical-reloaded {ep.__version__}, pandas {pd.__version__}, "
            f"numpy {np.__version__}, scipy {scipy.__version__}",
            "expected: the libraries' values where their conventions agree with worldgate's; "
            "differences: their values of quantities defined otherwise (README, Numbers vs quantstats / empyrical)",
            "skewness/excess_kurtosis: pandas (quantstats.skew/kurtosis); *_population: scipy.stats; "
            "omega, tail_ratio, alpha, capture ratios, information ratio (excess_sharpe x sqrt(P)): empyrical; "
            "drawdown episodes: quantstats.drawdown_details (end = the period after its last date under water); "
            "rolling: quantstats.rolling_sharpe / rolling_volatility / rolling_sortino",
        ],
        "returns": series_of(a),
        "options": {
            "periods_per_year": P,
            "rolling_windows": list(windows),
            "top_drawdowns": top,
            "benchmark": series_of(bb),
            "timestamps": [d.strftime("%Y-%m-%dT00:00:00Z") for d in r.index],
        },
        "expected": {
            "distribution": distribution,
            "drawdowns": drawdowns,
            "rolling": {"windows": rolling(r, windows)},
            "relative": relative,
        },
        "differences": differences,
        "tolerance": TOLERANCE,
    }
    OUT.mkdir(parents=True, exist_ok=True)
    with open(OUT / f"{name}.json", "w") as f:
        json.dump(doc, f, indent=1)
        f.write("\n")
    print(f"wrote {name}.json", file=sys.stderr)


def main():
    rng = np.random.default_rng(20261206)
    # 1. Three years of daily returns correlated with a benchmark.
    n = 756
    idx = pd.bdate_range("2021-01-04", periods=n)
    bench = rng.normal(0.0003, 0.011, n)
    strat = 0.0002 + 0.8 * bench + rng.normal(0.0, 0.007, n)
    vector(
        "daily_correlated_with_benchmark",
        "756 daily returns, 0.8 x a normal benchmark + noise",
        pd.Series(strat, index=idx),
        pd.Series(bench, index=idx),
        [63, 126, 252],
    )
    # 2. Fat tails (Student t, 3 d.f.) with a drawdown still open at the end.
    n = 504
    idx = pd.bdate_range("2022-03-01", periods=n)
    t = rng.standard_t(3, n) * 0.008
    t[-60:] -= 0.004
    # A gain first: quantstats' drawdown_details misses an episode under water from the first
    # period to the end (see `differences` of short_series).
    t[0] = abs(t[0]) + 0.01
    bench = rng.normal(0.0002, 0.01, n)
    vector(
        "fat_tails_open_drawdown",
        "504 Student-t returns, the last 60 shifted down: a drawdown open at the end",
        pd.Series(t, index=idx),
        pd.Series(bench, index=idx),
        [21, 63],
    )
    # 3. A short series: windows of 5 and 20 over 30 periods.
    n = 30
    idx = pd.bdate_range("2024-02-20", periods=n)
    s = rng.normal(0.001, 0.02, n)
    bench = rng.normal(0.0005, 0.015, n)
    vector(
        "short_series",
        "30 daily returns (across the 2024 leap day), windows 5 and 20",
        pd.Series(s, index=idx),
        pd.Series(bench, index=idx),
        [5, 20],
        top=5,
    )


if __name__ == "__main__":
    main()
