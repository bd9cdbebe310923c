"""The intervals every figure draws: 95% BCa bootstrap intervals from
scipy.stats.bootstrap (2000 resamples, fixed seed, so the same data give the
same figure) -- the method `zeroscope report` uses for its own intervals
(BCa, checked against scipy in tests/harness/stats_test.cc).

With fewer than two samples there is no interval (lo = hi = nan: none is
drawn). Where BCa itself is undefined -- the jackknife of a median whose
middle values are tied gives no acceleration (0/0), common with 8 samples
of a clock that ticks in tens of ns -- the percentile interval of the same
resamples is drawn instead, as the report falls back to the percentile
interval where its BCa mapping breaks down.
"""
import inspect
import math
import warnings

import numpy as np
from scipy import stats

N_BOOT = 2000
LEVEL = 0.95
SEED = 1
CI_TEXT = ("95% bootstrap CI of the median (scipy BCa, 2000 resamples; the percentile interval "
           "where BCa is undefined)")

# scipy 1.15 renamed random_state to rng.
_RNG_ARG = "rng" if "rng" in inspect.signature(stats.bootstrap).parameters else "random_state"


def _interval(data, statistic, seed, method):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # BCa undefined: nan, handled by the caller
        r = stats.bootstrap(data, statistic, n_resamples=N_BOOT, confidence_level=LEVEL, method=method,
                            vectorized=True, **{_RNG_ARG: np.random.default_rng(seed)})
    return float(r.confidence_interval.low), float(r.confidence_interval.high)


def _bca(data, statistic, estimate, seed):
    lo, hi = _interval(data, statistic, seed, "BCa")
    if not (math.isfinite(lo) and math.isfinite(hi)):
        lo, hi = _interval(data, statistic, seed, "percentile")  # the same resamples (same seed)
    if not (math.isfinite(lo) and math.isfinite(hi)):
        return estimate, math.nan, math.nan
    return estimate, lo, hi


def median_ci(x, seed=SEED):
    """(median, lo, hi) of one sample; lo = hi = median when every value is the same."""
    x = np.asarray(x, dtype=float)
    if x.size == 0:
        raise ValueError("median of no samples")
    med = float(np.median(x))
    if x.size < 2:
        return med, math.nan, math.nan
    if np.all(x == x[0]):
        return med, med, med
    return _bca((x,), lambda s, axis: np.median(s, axis=axis), med, seed)


def ratio_ci(x, y, seed=SEED):
    """median(x) / median(y) with its interval, x and y resampled independently."""
    x = np.asarray(x, dtype=float)
    y = np.asarray(y, dtype=float)
    if x.size == 0 or y.size == 0:
        raise ValueError("ratio of no samples")
    ratio = float(np.median(x) / np.median(y))
    if x.size < 2 or y.size < 2:
        return ratio, math.nan, math.nan
    if np.all(x == x[0]) and np.all(y == y[0]):
        return ratio, ratio, ratio
    return _bca((x, y), lambda s, t, axis: np.median(s, axis=axis) / np.median(t, axis=axis), ratio, seed)


def yerr(meds, los, his):
    """Asymmetric error bars; a point without an interval gets none."""
    meds, los, his = (np.asarray(v, dtype=float) for v in (meds, los, his))
    lo = np.where(np.isnan(los), 0.0, meds - los)
    hi = np.where(np.isnan(his), 0.0, his - meds)
    return np.vstack([lo, hi])
