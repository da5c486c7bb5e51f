"""The C++ regression statistics against the implementations they claim to equal.

Generates many series deterministically (fixed seeds: the same series on every run), runs
  - scipy.stats.mannwhitneyu(later, earlier, alternative="greater", method="asymptotic",
    use_continuity=True) and numpy's medians, and
  - apache-otava's analysis (otava.series.Series(...).analyze(AnalysisOptions), which calls
    otava.analysis.compute_change_points),
then the C++ probe (tests/nightly/reference/stats_probe.cpp) on the same values, and fails when
they differ:
  - Mann-Whitney: U exactly; p within 1e-9 relative; effect within 1e-12 relative;
  - E-divisive: the same change-point indices in the same order; the segment means exactly (the
    C++ side sums in numpy's order); p-values within 1e-9 relative (see P_REL_TOL).
Prints what it compared and the largest differences it saw.

Usage: python compare_with_references.py PROBE [--seed N] [--mann-whitney N] [--e-divisive N]
Run by ctest nightly.stats.reference through run_reference.sh, in the venv that
scripts/stats-reference-env makes (pinned apache-otava, scipy, numpy).
"""

from __future__ import annotations

import argparse
import json
import logging
import math
import subprocess
import sys
import time

import numpy as np
import scipy
from otava.series import AnalysisOptions, Metric, Series
from scipy.stats import mannwhitneyu

# p-values: both sides evaluate the same closed forms on bit-identical inputs (U, the tie term, the
# segment means and standard deviations are exact or summed in numpy's order), so what is left is
# the special function itself: the normal tail (C's erf/erfc against scipy's cephes ndtr) and the
# Student t tail (our incomplete beta continued fraction with lgamma against scipy's stdtr). Both
# are accurate to a few 1e-15 relative; the exponent of the t tail, up to ~700 in size for p near
# the smallest double, amplifies lgamma's ~1e-16 error to ~1e-13 at worst. 1e-9 relative leaves
# four orders of magnitude of room and is still far below anything that changes a decision at
# p = 0.001 .. 0.6. Below 1e-300 values are compared absolutely (both are "zero").
P_REL_TOL = 1e-9
P_ABS_FLOOR = 1e-300
EFFECT_REL_TOL = 1e-12


def rel_diff(a: float | None, b: float | None) -> float:
    if a is None or b is None:  # NaN travels as null from the probe
        return 0.0 if (a is None and (b is None or math.isnan(b))) else math.inf
    if math.isnan(a) or math.isnan(b):
        return 0.0 if math.isnan(a) and math.isnan(b) else math.inf
    if a == b:
        return 0.0
    if abs(a) < P_ABS_FLOOR and abs(b) < P_ABS_FLOOR:
        return 0.0
    return abs(a - b) / max(abs(a), abs(b))


# --------------------------------------------------------------------------------------------
# Series. Every family is seeded by (base seed, family, case number), so adding a family does not
# change the others.


def timing_noise(rng: np.random.Generator, n: int, kind: str, scale: float) -> np.ndarray:
    if kind == "normal":
        return rng.normal(0.0, scale, n)
    if kind == "lognormal":  # right-skewed, like most timings
        return (rng.lognormal(0.0, 1.0, n) - 1.0) * scale
    if kind == "student2":  # heavy tails both ways
        return rng.standard_t(2, n) * scale
    if kind == "spikes":  # quiet with rare large outliers (another job on the machine)
        out = rng.normal(0.0, scale * 0.2, n)
        hits = rng.random(n) < 0.08
        out[hits] += rng.exponential(scale * 20, int(hits.sum()))
        return out
    raise ValueError(kind)


def quantize(rng: np.random.Generator, values: np.ndarray) -> np.ndarray:
    """Values on a coarse grid, so that many are tied (timer resolution, integer counters)."""
    step = rng.choice([0.5, 1.0, 0.1]) * max(1e-12, float(np.std(values)) or 1.0)
    return np.round(values / step) * step


def mann_whitney_cases(seed: int, count: int) -> list[dict]:
    cases = []
    for i in range(count):
        rng = np.random.default_rng([seed, 1, i])
        n_earlier = int(rng.choice([1, 2, 3, 5, 8, 10, 20, 30, 50, 100, 200]))
        n_later = int(rng.choice([1, 2, 3, 5, 8, 10, 20, 30, 50, 100, 200]))
        kind = str(rng.choice(["normal", "lognormal", "student2", "spikes"]))
        base = float(rng.choice([1e-6, 1e-3, 1.0, 250.0]))
        shift = float(rng.choice([0.0, 0.0, 0.01, 0.03, 0.1, -0.05, 0.5]))
        earlier = base * (1.0 + timing_noise(rng, n_earlier, kind, 0.02))
        later = base * (1.0 + shift + timing_noise(rng, n_later, kind, 0.02))
        tie_mode = i % 5
        if tie_mode == 1:  # coarse grid: heavy ties across and within samples
            pooled = quantize(rng, np.concatenate([earlier, later]))
            earlier, later = pooled[:n_earlier], pooled[n_earlier:]
        elif tie_mode == 2:  # small integers
            earlier = rng.integers(0, 4, n_earlier).astype(float)
            later = rng.integers(0, 4, n_later).astype(float) + (shift > 0.05)
        elif tie_mode == 3 and i % 15 == 3:  # identical samples, or everything tied
            later = earlier.copy() if i % 2 else np.full(n_later, earlier[0])
            if i % 2 == 0:
                earlier = np.full(n_earlier, earlier[0])
        cases.append({"earlier": [float(v) for v in earlier], "later": [float(v) for v in later]})
    return cases


def steps_series(rng: np.random.Generator, n: int, n_steps: int) -> np.ndarray:
    level = np.ones(n)
    if n_steps and n > 2:
        cuts = np.sort(rng.choice(np.arange(1, n), size=min(n_steps, n - 1), replace=False))
        for cut in cuts:
            level[cut:] *= 1.0 + float(rng.choice([-1, 1])) * float(
                rng.choice([0.01, 0.03, 0.05, 0.1, 0.3, 1.0]))
    return level


def e_divisive_cases(seed: int, count: int) -> list[dict]:
    cases = []
    windows = [2, 3, 5, 8, 16, 30, 50, 50, 50, 100]
    p_values = [0.001, 0.001, 0.001, 0.01, 0.05, 0.1, 0.3, 0.6]
    magnitudes = [0.0, 0.0, 0.0, 0.01, 0.05, 0.2]
    for i in range(count):
        rng = np.random.default_rng([seed, 2, i])
        n = int(rng.choice([0, 1, 2, 3, 5, 8, 13, 20, 30, 45, 60, 90, 120, 200]))
        shape = i % 6
        n_steps = {0: 0, 1: 1, 2: 1, 3: 2, 4: 3, 5: 5}[shape]
        kind = str(rng.choice(["normal", "lognormal", "student2", "spikes"]))
        noise = float(rng.choice([0.001, 0.01, 0.03, 0.1]))
        values = float(rng.choice([1e-4, 1.0, 42.0])) * steps_series(rng, n, n_steps) * (
            1.0 + timing_noise(rng, n, kind, noise))
        if i % 7 == 3 and n:
            values = quantize(rng, values)  # ties
        if i % 23 == 5 and n:
            values = np.full(n, values[0])  # constant
        if i % 11 == 4 and n > 4:  # a constant stretch inside a noisy series
            a = int(rng.integers(0, n - 3))
            values[a:a + 4] = values[a]
        cases.append({
            "series": [float(v) for v in values],
            "window_len": int(rng.choice(windows)),
            "max_p_value": float(rng.choice(p_values)),
            "min_magnitude": float(rng.choice(magnitudes)),
        })
    return cases


# --------------------------------------------------------------------------------------------
# The references.


def scipy_mann_whitney(case: dict) -> dict:
    res = mannwhitneyu(case["later"], case["earlier"], alternative="greater",
                       method="asymptotic", use_continuity=True)
    base = float(np.median(case["earlier"]))
    effect = 0.0 if base == 0 else float(np.median(case["later"])) / base - 1.0
    return {"u": float(res.statistic), "p_value": float(res.pvalue), "effect": effect}


def otava_change_points(case: dict) -> list[dict]:
    n = len(case["series"])
    options = AnalysisOptions()
    options.window_len = case["window_len"]
    options.max_pvalue = case["max_p_value"]
    options.min_magnitude = case["min_magnitude"]
    series = Series("reference", None, list(range(n)), {"value": Metric()},
                    {"value": list(case["series"])}, {})
    analyzed = series.analyze(options)
    return [{"index": int(cp.index), "p_value": float(cp.stats.pvalue),
             "mean_before": float(cp.stats.mean_1), "mean_after": float(cp.stats.mean_2)}
            for cp in analyzed.change_points["value"]]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("probe")
    parser.add_argument("--seed", type=int, default=20260514)
    parser.add_argument("--mann-whitney", type=int, default=3000)
    parser.add_argument("--e-divisive", type=int, default=3000)
    args = parser.parse_args()
    logging.disable(logging.INFO)  # otava logs one line per analyzed series

    from importlib.metadata import version
    print(f"references: scipy {scipy.__version__}, numpy {np.__version__}, "
          f"apache-otava {version('apache-otava')}")

    mw_cases = mann_whitney_cases(args.seed, args.mann_whitney)
    ed_cases = e_divisive_cases(args.seed, args.e_divisive)

    started = time.monotonic()
    mw_ref = [scipy_mann_whitney(c) for c in mw_cases]
    ed_ref = [otava_change_points(c) for c in ed_cases]
    ref_s = time.monotonic() - started

    started = time.monotonic()
    request = json.dumps({"mann_whitney": mw_cases, "e_divisive": ed_cases})
    proc = subprocess.run([args.probe], input=request, capture_output=True, text=True)
    if proc.returncode != 0:
        print(f"stats_probe failed ({proc.returncode}): {proc.stderr.strip()}", file=sys.stderr)
        return 1
    got = json.loads(proc.stdout)
    probe_s = time.monotonic() - started
    if len(got["mann_whitney"]) != len(mw_cases) or len(got["e_divisive"]) != len(ed_cases):
        print("stats_probe answered a different number of cases than it was given", file=sys.stderr)
        return 1

    failures: list[str] = []

    def fail(what: str, case: dict, ref, cpp) -> None:
        failures.append(f"{what}\n  case: {json.dumps(case)}\n  reference: {ref}\n  C++: {cpp}")

    max_mw_p = max_mw_effect = 0.0
    for k, (case, ref, cpp) in enumerate(zip(mw_cases, mw_ref, got["mann_whitney"])):
        d_p = rel_diff(cpp["p_value"], ref["p_value"])
        d_e = rel_diff(cpp["effect"], ref["effect"])
        max_mw_p, max_mw_effect = max(max_mw_p, d_p), max(max_mw_effect, d_e)
        if cpp["u"] != ref["u"] or d_p > P_REL_TOL or d_e > EFFECT_REL_TOL:
            fail(f"mann_whitney case {k}", case, ref, cpp)

    max_cp_p = 0.0
    means_equal = True
    n_points = n_with_points = 0
    for k, (case, ref, cpp) in enumerate(zip(ed_cases, ed_ref, got["e_divisive"])):
        n_points += len(ref)
        n_with_points += bool(ref)
        if [p["index"] for p in ref] != [p["index"] for p in cpp]:
            fail(f"e_divisive case {k}: change points differ", case, ref, cpp)
            continue
        for r, c in zip(ref, cpp):
            d_p = rel_diff(c["p_value"], r["p_value"])
            max_cp_p = max(max_cp_p, d_p)
            same_means = c["mean_before"] == r["mean_before"] and c["mean_after"] == r["mean_after"]
            means_equal = means_equal and same_means
            if d_p > P_REL_TOL or not same_means:
                fail(f"e_divisive case {k}: statistics of change point {r['index']} differ",
                     case, ref, cpp)

    print(f"mann_whitney: {len(mw_cases)} sample pairs; U equal in all; "
          f"max relative difference p {max_mw_p:.3g}, effect {max_mw_effect:.3g}")
    print(f"e_divisive: {len(ed_cases)} series, {n_points} change points in {n_with_points} of "
          f"them; max relative difference of p {max_cp_p:.3g}; segment means "
          f"{'bit-identical' if means_equal else 'DIFFERENT'}")
    print(f"time: references {ref_s:.1f} s, C++ probe {probe_s:.2f} s")
    if failures:
        print(f"{len(failures)} cases differ; the first ones:", file=sys.stderr)
        for f in failures[:10]:
            print(f, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
