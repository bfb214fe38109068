#!/usr/bin/env python3
"""Writes tests/vectors/calendar/*.json: the calendar block's expected values computed
independently of worldgate, with Python's datetime and calendar modules (month arithmetic as
dateutil's relativedelta: the day clamped to the target month's length).

Run: python3 scripts/gen_calendar_vectors.py  (no third-party packages)."""
import calendar as cal
import json
import math
from datetime import datetime, timedelta, timezone
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "tests" / "vectors" / "calendar"


def parse(t):
    return datetime.fromisoformat(t.replace("Z", "+00:00"))


def fmt(dt):
    return dt.strftime("%Y-%m-%dT%H:%M:%SZ")


def sub_months(dt, k):
    y, m = divmod(dt.year * 12 + dt.month - 1 - k, 12)
    m += 1
    return dt.replace(year=y, month=m, day=min(dt.day, cal.monthrange(y, m)[1]))


def comp(rs):
    p = 1.0
    for r in rs:
        p *= 1.0 + r
    return p - 1.0


def finite(r):
    return r is not None and not (isinstance(r, float) and math.isnan(r))


def expected(returns, stamps):
    """The calendar block by definition (see src/metrics/calendar.rs)."""
    if not returns:
        names = ["best_month", "worst_month", "best_year", "worst_year", "positive_months",
                 "positive_quarters", "positive_years", "mtd", "three_months", "six_months",
                 "ytd", "one_year", "three_years_annualised", "five_years_annualised", "all_time"]
        out = {"as_of": None, "months": [], "years": []}
        out.update({n: None for n in names})
        out["reasons"] = {n: "needs at least 1 return" for n in names}
        return out
    ts = [parse(t) for t in stamps]
    pairs = list(zip(returns, ts))
    months, years, quarters = {}, {}, {}
    for r, t in pairs:
        for table, key in ((months, (t.year, t.month)), (years, t.year), (quarters, (t.year, (t.month - 1) // 3))):
            row = table.setdefault(key, [1.0, 0])
            if finite(r):
                row[0] *= 1.0 + r
                row[1] += 1
    mrows = [{"period": f"{y:04d}-{m:02d}", "year": y, "month": m, "return": f - 1.0, "periods": n}
             for (y, m), (f, n) in months.items()]
    yrows = [{"period": f"{y:04d}", "year": y, "return": f - 1.0, "periods": n} for y, (f, n) in years.items()]
    T = ts[-1]
    first = ts[0]
    out = {"as_of": fmt(T), "months": mrows, "years": yrows}
    reasons = {}

    def best_worst(rows, name):
        best = max(rows, key=lambda r: r["return"])
        worst = min(rows, key=lambda r: r["return"])
        out[f"best_{name}"] = best["return"]
        out[f"best_{name}_period"] = best["period"]
        out[f"worst_{name}"] = worst["return"]
        out[f"worst_{name}_period"] = worst["period"]

    best_worst(mrows, "month")
    best_worst(yrows, "year")

    def share(values, name, unit):
        nz = [v for v in values if v != 0]
        if not nz:
            out[name] = None
            reasons[name] = f"no {unit} has a non-zero return"
        else:
            out[name] = sum(1 for v in nz if v > 0) / len(nz)

    share([r["return"] for r in mrows], "positive_months", "month")
    share([f - 1.0 for f, _ in quarters.values()], "positive_quarters", "quarter")
    share([r["return"] for r in yrows], "positive_years", "year")
    fin = [(r, t) for r, t in pairs if finite(r)]
    month_start = T.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    year_start = month_start.replace(month=1)
    out["mtd"] = comp([r for r, t in fin if t >= month_start])
    out["ytd"] = comp([r for r, t in fin if t >= year_start])
    for name, k, label, years_ in (("three_months", 3, "3 months", None), ("six_months", 6, "6 months", None),
                                   ("one_year", 12, "12 months", None),
                                   ("three_years_annualised", 36, "36 months", 3),
                                   ("five_years_annualised", 60, "60 months", 5)):
        b = sub_months(T, k)
        if first > b:
            out[name] = None
            reasons[name] = f"the series covers less than {label} before {fmt(T)}"
            continue
        R = comp([r for r, t in fin if t > b])
        out[name] = R if years_ is None else (1.0 + R) ** (1.0 / years_) - 1.0
    out["all_time"] = comp([r for r, _ in fin])
    if reasons:
        out["reasons"] = reasons
    return out


def month_ends(start_year, start_month, n):
    out = []
    for k in range(n):
        y, m = divmod(start_year * 12 + start_month - 1 + k, 12)
        m += 1
        out.append(f"{y:04d}-{m:02d}-{cal.monthrange(y, m)[1]:02d}T00:00:00Z")
    return out


def days(start, n, step=1):
    d = parse(start)
    return [fmt(d + timedelta(days=step * i)) for i in range(n)]


def wire(rs):
    return [None if not finite(r) else r for r in rs]


def case(name, notes, returns, stamps, options=None, expect=None):
    args = [wire(returns), stamps if options is None or "index" not in options else None]
    if options is not None:
        args.append(options)
    return {"name": name, "notes": notes, "call": {"fn": "computeCalendar", "args": args},
            "expected": expect if expect is not None else expected(returns, stamps)}


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    alt = [0.01 if i % 3 else -0.004 for i in range(61)]
    files = {
        "single_month_with_leap_day.json": [
            case("single_month_with_leap_day",
                 "three daily returns ending on 2024-02-29: one month row, one year row, "
                 "R = 1.01·0.98·1.03 − 1; every trailing window is longer than the history",
                 [0.01, -0.02, 0.03], ["2024-02-27T00:00:00Z", "2024-02-28T00:00:00Z", "2024-02-29T00:00:00Z"]),
        ],
        "year_end_straddle.json": [
            case("daily_index_straddles_year_end",
                 "`1d` index from 2023-12-30: December 1.01·1.02 − 1 = 0.0302, January "
                 "0.99·1.03 − 1 = 0.0197; MTD = YTD = January's",
                 [0.01, 0.02, -0.01, 0.03], days("2023-12-30T00:00:00Z", 4),
                 {"index": {"start": "2023-12-30T00:00:00Z", "frequency": "1d"}}),
        ],
        "business_days_across_a_weekend.json": [
            case("business_day_index_skips_the_weekend",
                 "`1B` from Thursday 2024-03-28: Thu, Fri, then Monday 2024-04-01 and Tuesday; "
                 "March 1.01² − 1 = 0.0201, April 0.98·1.01 − 1 = −0.0102: half the months "
                 "and quarters positive",
                 [0.01, 0.01, -0.02, 0.01],
                 ["2024-03-28T00:00:00Z", "2024-03-29T00:00:00Z", "2024-04-01T00:00:00Z", "2024-04-02T00:00:00Z"],
                 {"index": {"start": "2024-03-28T00:00:00Z", "frequency": "1B"}}),
        ],
        "trailing_windows_month_ends.json": [
            case("sixty_one_month_ends_cover_every_window",
                 "`1M` from 2019-01-31 to 2024-01-31 (61 month ends, a leap February in 2020); "
                 "the 5Y boundary is 2019-01-31 itself, so the window is covered and holds the "
                 "60 returns after it; 3Y annualised = (1 + R₃₆)^(1/3) − 1",
                 alt, month_ends(2019, 1, 61),
                 {"index": {"start": "2019-01-31T00:00:00Z", "frequency": "1M"}}),
            case("sixty_month_ends_do_not_cover_five_years",
                 "60 month ends from 2019-02-28: the first return is after the 5Y boundary "
                 "2019-01-31, so `five_years_annualised` is null with a reason",
                 alt[1:], month_ends(2019, 2, 60)),
            case("relativedelta_clamps_the_boundary_day",
                 "T = 2024-05-31: the 3M boundary is 2024-02-29 (clamped); the return dated "
                 "2024-02-29 is not in the window (strictly after), 2024-03-01 is",
                 [0.02, 0.03, 0.04, -0.01, 0.05],
                 ["2024-02-28T00:00:00Z", "2024-02-29T00:00:00Z", "2024-03-01T00:00:00Z", "2024-04-30T00:00:00Z", "2024-05-31T00:00:00Z"]),
        ],
        "edge_cases.json": [
            case("empty_series_is_null_with_reasons", "n = 0: empty tables, every quantity null", [], []),
            case("nan_periods_are_flat", "a NaN return is dropped; its month still has a row "
                 "(0 finite returns, return 0) and zero months are left out of the positive share",
                 [0.01, float("nan"), 0.02],
                 ["2024-01-31T00:00:00Z", "2024-02-29T00:00:00Z", "2024-03-29T00:00:00Z"]),
            case("minus_one_ends_the_account", "a −100 % period: the month, year and all-time "
                 "returns are −1", [0.05, -1.0, 0.1],
                 ["2024-06-03T00:00:00Z", "2024-06-04T00:00:00Z", "2024-06-05T00:00:00Z"]),
            case("utc_day_decides_the_month", "2024-01-31T23:30:00Z is January's, "
                 "2024-02-01T00:00:00Z February's",
                 [0.01, 0.02], ["2024-01-31T23:30:00Z", "2024-02-01T00:00:00Z"]),
        ],
        "dst_changes_nothing.json": [
            case("hourly_timestamps_across_a_dst_change",
                 "hourly timestamps 2024-03-30T22:00Z–2024-03-31T01:00Z (across Europe's switch "
                 "to summer time at 01:00 UTC, when local clocks skip an hour), then "
                 "2024-03-31T22:00Z–2024-04-01T01:00Z: "
                 "timestamps are UTC instants, so every hour is one period and the month is the "
                 "UTC month (the last two hours of 2024-03-31 UTC are already April 1st in "
                 "Central European Summer Time, and stay March's here)",
                 [0.01, -0.005, 0.002, 0.003, -0.001, 0.004, 0.002, -0.003],
                 [fmt(parse("2024-03-30T22:00:00Z") + timedelta(hours=h)) for h in range(0, 8)]
                 [:4] + ["2024-03-31T22:00:00Z", "2024-03-31T23:00:00Z", "2024-04-01T00:00:00Z",
                         "2024-04-01T01:00:00Z"]),
            case("us_dst_day_has_no_missing_hour",
                 "`1h` index across 2024-03-10T07:00:00Z (US clocks skip 2 to 3 AM local): "
                 "the index has every UTC hour, 2024-03-10 keeps its 6 periods",
                 [0.001, 0.002, -0.001, 0.003, 0.0, 0.001],
                 [fmt(parse("2024-03-10T05:00:00Z") + timedelta(hours=h)) for h in range(6)],
                 {"index": {"start": "2024-03-10T05:00:00Z", "frequency": "1h"}}),
        ],
    }
    for name, cases in files.items():
        doc = {"notes": "calendar block vectors, computed by scripts/gen_calendar_vectors.py with Python's "
                        "datetime (independent of worldgate); replayed by tests/call_vectors.rs and "
                        "tests/js/checks.mjs", "cases": cases}
        (OUT / name).write_text(json.dumps(doc, indent=1, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
