"""QMTL's v1.5 metric set on 1,000,000 samples in numpy, both profiles (the formulas of
src/metrics/v15/qmtl.rs and strict.rs written with numpy's vectorised operations; QMTL's own
Python functions need QMTL's runtime and are not installed here).

Run in the venv benches/.venv: `benches/.venv/bin/python benches/py/metrics_v15.py`. Prints one
JSON line per profile: timing and values (P = 252, rf 0, T = 20), so the values can be
compared with worldgate's (`cargo bench --bench metrics`, area `metrics-v15`).
"""

import json
import math
import os
import sys
from statistics import NormalDist

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

sys.path.insert(0, os.path.dirname(__file__))
from timing import measure, data_dir  # noqa: E402

P, T = 252, 20
GAMMA = 0.5772156649015329
N = NormalDist()


def acklam(p):
    a = [-39.69683028665376, 220.9460984245205, -275.9285104469687, 138.3577518672690, -30.66479806614716, 2.506628277459239]
    b = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572]
    c = [-0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783]
    d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416]

    def tail(q):
        num = ((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]
        den = (((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1.0
        return num / den

    if p < 0.02425:
        return -tail(math.sqrt(-2 * math.log(p)))
    if p > 1 - 0.02425:
        return tail(math.sqrt(-2 * math.log(1 - p)))
    q = p - 0.5
    r = q * q
    num = (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q
    den = ((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1
    return num / den


def longest_true_run(mask):
    if not mask.any():
        return 0
    m = np.concatenate(([False], mask, [False])).astype(np.int8)
    d = np.diff(m)
    starts, ends = np.flatnonzero(d == 1), np.flatnonzero(d == -1)
    return int((ends - starts).max())


def var_es(r):
    q = np.quantile(r, 0.01)
    es = r[r <= q].mean()
    return (-q if q < 0 else 0.0), (-es if es < 0 else 0.0)


def regime(r):
    w = 20
    full = sliding_window_view(r, w).std(axis=1)
    head = [0.0] + [r[: i + 1].std() for i in range(1, min(w - 1, len(r)))]
    vols = np.concatenate((head, full))
    q33, q66 = np.quantile(vols, [1 / 3, 2 / 3])
    low = (vols <= q33).mean()
    high = (vols > q66).mean()
    return {"low_vol": low, "mid_vol": 1 - low - high, "high_vol": high}


def folds(n):
    k = min(5, n // 30) if n >= 60 else 0
    size = n // k if k else 0
    return [(i * size, n if i == k - 1 else (i + 1) * size) for i in range(k)]


def sigma_sr(n, skew, kurt, sr):
    return math.sqrt((1 - skew * sr + (kurt - 1) / 4 * sr * sr) / (n - 1))


def qmtl(raw):
    r = raw[np.isfinite(raw)]
    n = len(r)
    sr = r.mean() / r.std()
    e = np.cumsum(r)
    peak = np.maximum.accumulate(np.maximum(e, 0.0))
    under = e < peak
    d = r - r.mean()
    m2 = (d * d).mean()
    skew, kurt = (d**3).mean() / m2**1.5, (d**4).mean() / m2**2
    s = sigma_sr(n, skew, kurt, sr)
    th = s * ((1 - GAMMA) * acklam(1 - 1 / T) + GAMMA * acklam(1 - 1 / (T * math.e)))
    cdf = lambda z: 0.5 * (1 + math.erf(z / math.sqrt(2)))  # noqa: E731
    cv = [r[a:b].mean() / r[a:b].std() * math.sqrt(P) for a, b in folds(n)]
    h = n // 2
    var, es = var_es(r)
    return {
        "returns": {"sharpe": sr, "max_drawdown": -(e - peak).min(), "gain_to_pain_ratio": r.sum() / -r[r < 0].sum(),
                    "var_p01": var, "es_p01": es, "time_under_water_ratio": under.mean(),
                    "max_time_under_water_days": longest_true_run(under)},
        "sample": {"effective_history_years": n / P, "n_trades_total": n, "n_trades_per_year": n / (n / P),
                   "regime_coverage": regime(r)},
        "robustness": {"probabilistic_sharpe_ratio": cdf(sr / s), "deflated_sharpe_ratio": cdf((sr - th) / s),
                       "cv_folds": len(cv), "cv_sharpe_mean": np.mean(cv), "cv_sharpe_std": np.std(cv),
                       "sharpe_first_half": r[:h].mean() / r[:h].std(), "sharpe_second_half": r[h:].mean() / r[h:].std()},
        "diagnostics": {"search_intensity": T, "strategy_complexity": 1 + math.log1p(T)},
    }


def strict(raw):
    if np.isinf(raw).any() or (raw < -1).any():
        raise ValueError("out of domain")
    r = raw[~np.isnan(raw)]
    n = len(r)
    sd = r.std(ddof=1)
    sr = r.mean() / sd
    v = np.cumprod(1 + r)
    peak = np.maximum.accumulate(np.maximum(v, 1.0))
    under = v < peak
    d = r - r.mean()
    m2 = (d * d).mean()
    g1, g2 = (d**3).mean() / m2**1.5, (d**4).mean() / m2**2 - 3
    skew = g1 * math.sqrt(n * (n - 1)) / (n - 2)
    kurt = 3 + ((n + 1) * g2 + 6) * (n - 1) / ((n - 2) * (n - 3))
    s = sigma_sr(n, skew, kurt, sr)
    th = s * ((1 - GAMMA) * N.inv_cdf(1 - 1 / T) + GAMMA * N.inv_cdf(1 - 1 / (T * math.e)))
    cdf = lambda z: 0.5 * math.erfc(-z / math.sqrt(2))  # noqa: E731
    cv = [r[a:b].mean() / r[a:b].std(ddof=1) * math.sqrt(P) for a, b in folds(n)]
    h = n // 2
    var, es = var_es(r)
    return {
        "returns": {"sharpe": sr * math.sqrt(P), "sharpe_per_period": sr, "max_drawdown": (1 - v / peak).max(),
                    "gain_to_pain_ratio": r.sum() / -r[r < 0].sum(), "var_p01": var, "es_p01": es,
                    "time_under_water_ratio": under.mean(), "max_time_under_water_periods": longest_true_run(under)},
        "sample": {"effective_history_years": n / P, "n_trades_total": n, "n_trades_per_year": P,
                   "regime_coverage": regime(r)},
        "robustness": {"probabilistic_sharpe_ratio": cdf(sr / s), "deflated_sharpe_ratio": cdf((sr - th) / s),
                       "cv_folds": len(cv), "cv_sharpe_mean": np.mean(cv), "cv_sharpe_std": np.std(cv, ddof=1),
                       "sharpe_first_half": r[:h].mean() / r[:h].std(ddof=1) * math.sqrt(P),
                       "sharpe_second_half": r[h:].mean() / r[h:].std(ddof=1) * math.sqrt(P)},
        "diagnostics": {"search_intensity": T, "strategy_complexity": 1 + math.log1p(T)},
    }


def plain(v):
    if isinstance(v, dict):
        return {k: plain(x) for k, x in v.items()}
    return float(v) if isinstance(v, (np.floating, float)) else int(v) if isinstance(v, (np.integer, int)) else v


def main():
    r = np.fromfile(os.path.join(data_dir(), "returns-1m.f64"), dtype="<f8")
    for name, f in [("qmtl", qmtl), ("strict", strict)]:
        values = plain(f(r))
        timing = measure(lambda: f(r))
        print(json.dumps({"area": "metrics-v15", "case": name, "contender": "numpy",
                          "label": f"numpy {np.__version__} ({name} formulas)", "timing": timing, "values": values}))


if __name__ == "__main__":
    main()
