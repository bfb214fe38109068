"""The timing protocol of benches/common/timing.rs, for Python: warm up (>= 1 run and 0.3 s),
pick a repetition count so one sample lasts >= WG_BENCH_SAMPLE_MS (20), take WG_BENCH_SAMPLES
(11) samples within WG_BENCH_BUDGET_S (3 s, never fewer than 5), report process CPU time
(time.process_time) and wall time per operation in ms: median, quartiles, min, max."""

import os
import time


def _env(name, default):
    v = os.environ.get(name)
    return float(v) if v else default


def summary(xs):
    s = sorted(xs)

    def q(p):
        h = (len(s) - 1) * p
        lo, hi = int(h), min(int(h) + 1, len(s) - 1)
        return s[lo] + (h - lo) * (s[hi] - s[lo])

    return {"median": q(0.5), "q1": q(0.25), "q3": q(0.75), "min": s[0], "max": s[-1], "n": len(s)}


def measure(f):
    sample_s = _env("WG_BENCH_SAMPLE_MS", 20.0) / 1e3
    want = int(_env("WG_BENCH_SAMPLES", 11))
    budget = _env("WG_BENCH_BUDGET_S", 3.0)
    start = time.perf_counter()
    runs, t0 = 0, time.perf_counter()
    while runs < 1 or time.perf_counter() - t0 < 0.3:
        f()
        runs += 1
    one = (time.perf_counter() - t0) / runs
    reps = max(1, int(-(-sample_s // one)))
    cpu, wall = [], []
    while len(cpu) < want and (len(cpu) < 5 or time.perf_counter() - start < budget):
        c0, w0 = time.process_time(), time.perf_counter()
        for _ in range(reps):
            f()
        w, c = time.perf_counter() - w0, time.process_time() - c0
        cpu.append(c * 1e3 / reps)
        wall.append(w * 1e3 / reps)
    return {"cpu_ms": summary(cpu), "wall_ms": summary(wall), "reps": reps}


def data_dir():
    return os.environ.get("WG_BENCH_DATA", "target/bench-data")
