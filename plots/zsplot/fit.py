"""The cost model drawn by folio_size.py, t = fixed + per_page x pages, by
least squares (numpy lstsq) -- the same fit `zeroscope report` prints for a
run with two or more folio sizes (Eigen there), on the same medians."""
import math

import numpy as np


def fit_fixed_per_page(pages, t):
    """Least squares t = fixed + per_page * pages; returns (fixed, per_page, r2)."""
    pages = np.asarray(pages, dtype=float)
    t = np.asarray(t, dtype=float)
    a = np.column_stack([np.ones_like(pages), pages])
    coef, _, _, _ = np.linalg.lstsq(a, t, rcond=None)
    resid = t - a @ coef
    ss_tot = float(np.sum((t - t.mean()) ** 2))
    r2 = 1.0 - float(np.sum(resid ** 2)) / ss_tot if ss_tot > 0 else math.nan
    return float(coef[0]), float(coef[1]), r2
