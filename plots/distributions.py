#!/usr/bin/python3
"""Distributions (ECDF) of the zero-phase time (fault phase for kernel-fault).

usage: distributions.py DIR [DIR...] [--where AXIS=V[,V]]

For each results directory, one panel per target (one row per folio when
the sweep has several): the empirical cumulative distribution of each
strategy's samples, so that tails, bimodality and outliers show, which
medians hide; on each curve, at the height 0.5 (staggered slightly so that
they do not hide each other), the median with its 95% bootstrap CI as a
horizontal bar. Time axis logarithmic where a panel spans more than a
factor of 10.
Writes DIR/plots/distributions.{png,svg,json}.
"""
import math
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import zsplot  # noqa: E402,F401  (first: it explains a python without matplotlib, numpy, scipy)
from zsplot.cli import main_per_dir  # noqa: E402
from zsplot.figure import finish, new_figure, plain_log, save, tag, unused_off  # noqa: E402
from zsplot.intervals import CI_TEXT, median_ci, yerr  # noqa: E402
from zsplot.results import NoData  # noqa: E402
from zsplot.dots import panel_title, panels  # noqa: E402
from zsplot.series import target_tick, targets  # noqa: E402
from zsplot.units import us  # noqa: E402
import numpy as np  # noqa: E402

STEM = "distributions"


def plot(res):
    keys = [k for k in res.keys if res.has(k, res.cost_phase(k))]
    if not keys:
        raise NoData("no zero-phase or fault-phase samples")
    tgts = targets(res, keys)
    _, series, of, folios = panels([res.points[k] for k in keys], ["backing", "folio_size"], max_rows=8)
    fig, axes = new_figure(len(folios), len(tgts), w=4.4, h=3.2)
    used, drawn, counts = [], {}, []
    for r, (gkey, gpts) in enumerate(folios):
        folio = panel_title(gkey)
        for c, t in enumerate(tgts):
            cell = [p.key for p in gpts if p.target == t]
            if not cell:
                continue
            ax = axes[r][c]
            used.append(ax)
            lo_all, hi_all = math.inf, 0.0
            present = [s for s in series if any(of[k] is s for k in cell)]
            for i, s in enumerate(present):
                for k in cell:
                    if of[k] is not s:
                        continue
                    v = np.sort(us(res.cost_values(k)))
                    n = v.size
                    counts.append(n)
                    y = np.arange(1, n + 1) / n
                    xs = np.concatenate([[v[0]], v])
                    ys = np.concatenate([[0.0], y])
                    (line,) = ax.step(xs, ys, where="post", color=s.color, label=s.label, linewidth=1.4)
                    m, lo, hi = median_ci(v)
                    ax.errorbar([m], [0.5 + 0.03 * (i - (len(present) - 1) / 2)],
                                xerr=yerr([m], [lo], [hi]), color=s.color, marker=s.marker,
                                markersize=4, capsize=2.5, linewidth=1.2)
                    drawn.setdefault(s.label, line)
                    tag(ax, s.label)
                    lo_all, hi_all = min(lo_all, v[0]), max(hi_all, v[-1])
            if hi_all > 10 * lo_all > 0:
                plain_log(ax, "x")
            ax.set_ylim(0, 1.02)
            ax.set_xlabel("zero phase, or fault phase for kernel-fault (µs)")
            ax.set_ylabel("fraction of samples ≤ x")
            ax.grid(alpha=0.3)
            ax.set_title("%s · target %s" % (folio, target_tick(res, cell, t).replace("\n", " ")))
    unused_off(fig, axes, used)
    labels = [s.label for s in series if s.label in drawn]
    note = ("steps: empirical distribution of the samples, %s; markers near 0.5: the median, "
            "bars: %s." % (res.n_range(counts), CI_TEXT))
    title = res.title("Distribution of the zeroing time per strategy")
    finish(fig, title, res.footnote(note), [drawn[l] for l in labels], labels)
    return save(fig, res, STEM, title, used)


def main(argv=None):
    return main_per_dir("distributions.py", plot, argv, __doc__)


if __name__ == "__main__":
    sys.exit(main())
