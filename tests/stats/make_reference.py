#!/usr/bin/python3
"""Reference answers for tests/harness/stats_test.cc and folio_fit_test.cc, from numpy and scipy.

Writes seeded data sets and what numpy/scipy compute on them to
reference.json beside this script (or to --out). The file is checked in so
the C++ tests need no python; stats_test re-runs this script when
/usr/bin/python3 has scipy and compares, so the file cannot go stale.

    /usr/bin/python3 tests/stats/make_reference.py   # regenerate
"""
import argparse
import csv
import json
import math
import os

import numpy as np
import scipy
from scipy import stats

SEED = 20240611
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
QUANTILES = [0.0, 0.01, 0.05, 0.1, 0.25, 1 / 3, 0.5, 0.75, 0.9, 0.95, 0.99, 1.0]


def floats(x):
    return [float(v) for v in np.asarray(x).ravel()]


def summary_cases(rng):
    sets = {
        "normal_50": rng.normal(100.0, 7.0, 50),
        "lognormal_201": rng.lognormal(3.0, 0.6, 201),
        "ties_20": np.round(rng.normal(10.0, 2.0, 20)),
        "offset_1e9_64": 1e9 + rng.normal(0.0, 1.0, 64),  # two-pass matters here
        "tiny_7": rng.uniform(-1.0, 1.0, 7),
        "single": np.array([42.5]),
        "pair": np.array([3.0, -1.25]),
    }
    out = []
    for name, x in sets.items():
        med = np.median(x)
        out.append({
            "name": name,
            "x": floats(x),
            "mean": float(np.mean(x)),
            "stddev": float(np.std(x, ddof=1)) if len(x) > 1 else 0.0,
            "median": float(med),
            "mad": float(np.median(np.abs(x - med))),
            "min": float(np.min(x)),
            "max": float(np.max(x)),
            "q": QUANTILES,
            "quantiles": [float(np.quantile(x, q)) for q in QUANTILES],
        })
    return out


def mwu_cases(rng):
    out = []

    def add(name, a, b, method):
        r = stats.mannwhitneyu(a, b, alternative="two-sided", method=method, use_continuity=True)
        ties = len(np.unique(np.concatenate([a, b]))) < len(a) + len(b)
        out.append({"name": name, "a": floats(a), "b": floats(b), "method": method,
                    "ties": bool(ties), "u": float(r.statistic), "p": float(r.pvalue)})

    # Exact: continuous data, no ties, both groups <= 25.
    for na, nb, shift in [(3, 4, 0.0), (5, 7, 1.0), (8, 8, 0.5), (10, 12, 0.8), (3, 20, 1.5),
                          (20, 25, 0.3), (25, 25, 0.7), (25, 25, 0.0), (1, 9, 2.0)]:
        add(f"exact_{na}x{nb}_shift{shift}", rng.normal(0, 1, na), rng.normal(shift, 1, nb), "exact")
    # Asymptotic, no ties (a group above 25).
    for na, nb, shift in [(26, 10, 0.5), (30, 40, 0.4), (100, 80, 0.2), (400, 300, 0.1),
                          (60, 60, 0.0)]:
        add(f"asymptotic_{na}x{nb}_shift{shift}", rng.normal(0, 1, na), rng.normal(shift, 1, nb), "asymptotic")
    # Ties: rounded data, normal approximation with tie correction.
    for na, nb, shift in [(6, 8, 1.0), (12, 15, 0.5), (40, 50, 0.3), (200, 150, 0.2)]:
        add(f"ties_{na}x{nb}", np.round(rng.normal(5, 2, na)), np.round(rng.normal(5 + shift, 2, nb)),
            "asymptotic")
    add("all_tied", np.full(5, 3.0), np.full(7, 3.0), "asymptotic")
    return out


def bimodality_cases(rng):
    out = []
    mix = np.concatenate([rng.normal(100, 3, 60), rng.normal(140, 3, 40)])
    for name, x in [("normal_100", rng.normal(50, 5, 100)), ("mixture_100", mix),
                    ("uniform_40", rng.uniform(0, 1, 40)), ("skewed_30", rng.exponential(1, 30))]:
        n = len(x)
        g1 = stats.skew(x, bias=False)
        g2 = stats.kurtosis(x, bias=False)
        coef = (g1 ** 2 + 1) / (g2 + 3 * (n - 1) ** 2 / ((n - 2) * (n - 3)))
        out.append({"name": name, "x": floats(x), "skewness": float(g1),
                    "kurtosis": float(g2), "coefficient": float(coef)})
    return out


def fit_cases(rng):
    out = []
    for name, x, fixed, slope, noise in [
        ("pages_noisy", np.arange(1.0, 41.0), 1500.0, 230.0, 90.0),
        ("bytes_noisy", 4096.0 * rng.integers(1, 1 << 18, 50), 2e4, 0.05, 3e3),
    ]:
        y = fixed + slope * x + rng.normal(0, noise, len(x))
        p = np.polyfit(x, y, 1)
        resid = y - np.polyval(p, x)
        r2 = 1 - np.sum(resid ** 2) / np.sum((y - np.mean(y)) ** 2)
        out.append({"name": name, "x": floats(x), "y": floats(y), "fixed": float(p[1]),
                    "per_unit": float(p[0]), "r2": float(r2)})
    return out


def folio_fit_case():
    """The report's cost-against-folio-size fit on the sizes fixture: per
    series (every axis but the folio size), the median of the kept cost-phase
    samples (fault for kernel-fault, else zero) at each size, and the
    least-squares line through them, ns = fixed + per_page * pages."""
    fixture = os.path.join(ROOT, "tests", "fixtures", "results", "sizes")
    with open(os.path.join(fixture, "meta.json")) as f:
        pmd = json.load(f)["capability"]["thp"]["pmd_bytes"]
    page = int(round(math.sqrt(8 * pmd)))  # a PMD maps page / 8 pages
    medians = {}
    with open(os.path.join(fixture, "samples.csv"), newline="") as f:
        for row in csv.DictReader(f):
            cost = "fault" if row["strategy"] == "kernel-fault" else "zero"
            if row["left_out"] or row["phase"] != cost or row["ns"] == "":
                continue
            parts = row["key"].split("/")
            series = "/".join(parts[:1] + parts[2:])
            medians.setdefault(series, {}).setdefault(int(parts[1]), []).append(float(row["ns"]))
    out = []
    for series in sorted(medians):
        sizes = sorted(medians[series])
        pages = np.array(sizes, dtype=float) / page
        y = np.array([np.median(medians[series][s]) for s in sizes])
        design = np.column_stack([np.ones_like(pages), pages])
        (fixed, per_page), _, _, _ = np.linalg.lstsq(design, y, rcond=None)
        resid = y - design @ [fixed, per_page]
        r2 = 1 - np.sum(resid ** 2) / np.sum((y - np.mean(y)) ** 2)
        out.append({"series": series, "sizes": sizes, "pages": floats(pages), "medians_ns": floats(y),
                    "fixed_ns": float(fixed), "per_page_ns": float(per_page), "r2": float(r2)})
    return {"fixture": "tests/fixtures/results/sizes", "page_bytes": page, "series": out}


def bootstrap_cases(rng):
    # scipy's own BCa with many resamples: an independent implementation to
    # compare the report's interval (a ratio of medians) with, up to Monte
    # Carlo error.
    out = []
    resamples = 20000

    def ci(data, statistic):
        r = stats.bootstrap(data, statistic, n_resamples=resamples, method="BCa",
                            confidence_level=0.95, random_state=np.random.default_rng(SEED + 1),
                            vectorized=True)
        return [float(r.confidence_interval.low), float(r.confidence_interval.high)]

    a, b = rng.normal(100, 10, 41), rng.normal(120, 12, 53)
    out.append({"name": "ratio_normal_41x53", "kind": "ratio", "a": floats(a), "b": floats(b),
                "resamples": resamples,
                "ci": ci((a, b), lambda s, t, axis: np.median(t, axis=axis) / np.median(s, axis=axis))})
    return out


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    here = os.path.dirname(os.path.abspath(__file__))
    parser.add_argument("--out", default=os.path.join(here, "reference.json"))
    args = parser.parse_args()

    rng = np.random.default_rng(SEED)
    ref = {
        "generator": "tests/stats/make_reference.py",
        "numpy": np.__version__,
        "scipy": scipy.__version__,
        "seed": SEED,
        "summary": summary_cases(rng),
        "mann_whitney": mwu_cases(rng),
        "bimodality": bimodality_cases(rng),
        "fit_linear": fit_cases(rng),
        "folio_fit": folio_fit_case(),
        "bootstrap": bootstrap_cases(rng),
    }
    with open(args.out, "w") as f:
        json.dump(ref, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
