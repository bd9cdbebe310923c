#!/usr/bin/python3
"""Cost against folio size, with a fixed + per-page least-squares fit.

usage: folio_size.py DIR [DIR...] [--where AXIS=V[,V]]

For each results directory, one panel per target: the median zero-phase
time (fault phase for kernel-fault) of each strategy at each folio size,
with 95% bootstrap CI error bars, on log axes (size in MiB), and the
least-squares line t = fixed + per_page * pages (numpy lstsq; pages of the
base page size) fitted to those medians, drawn as a (curved, on log axes)
dashed line with the fit and its R^2 in the legend. The medians, not the
samples: a few slow samples of a cold-cache run would otherwise pull the
line away from the points it is drawn with. With two sizes the line passes
through both medians and R^2 is 1 by construction; the legend says so. A
strategy measured at one size only has no fit. A directory with a single
folio size cannot answer the question: nothing is drawn, one line says so
(exit 2; all.py says it and goes on).
Writes DIR/plots/folio_size.{png,svg,json}.
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import zsplot  # noqa: E402,F401  (first: it explains a python without matplotlib, numpy, scipy)
from zsplot.cli import main_per_dir  # noqa: E402
from zsplot.figure import MAX_SERIES, finish, new_figure, plain_log, save, tag  # noqa: E402
from zsplot.fit import fit_fixed_per_page  # noqa: E402
from zsplot.intervals import CI_TEXT, median_ci, yerr  # noqa: E402
from zsplot.results import NoData  # noqa: E402
from zsplot.series import make_series, targets  # noqa: E402
from zsplot.units import fmt_bytes, us  # noqa: E402
import numpy as np  # noqa: E402

STEM = "folio_size"
MIB = float(1 << 20)


def plot(res):
    keys = [k for k in res.keys if res.has(k, res.cost_phase(k))]
    if not keys:
        raise NoData("no zero-phase or fault-phase samples")
    sizes = sorted({res.points[k].folio_size for k in keys})
    if len(sizes) < 2:
        raise NoData("one folio size (%s): a fit of cost against folio size needs two sizes or more; not drawn"
                     % fmt_bytes(sizes[0]))
    tgts = targets(res, keys)
    series, of = make_series([res.points[k] for k in keys], exclude=("target", "folio_size"))
    worst = max(len({of[k].label for k in keys if res.points[k].target == t}) for t in tgts)
    if worst > MAX_SERIES:
        raise NoData("%d series a panel, more than %d can be told apart; select some with --where (e.g. --where "
                     "primitive=stosb --where access=page)" % (worst, MAX_SERIES))
    fig, axes = new_figure(1, len(tgts), w=5.4, h=4.2)
    used, counts, fits = [], [], []
    for c, t in enumerate(tgts):
        ax = axes[0][c]
        used.append(ax)
        cell = [k for k in keys if res.points[k].target == t]
        ymin, ymax = np.inf, 0.0
        present = [s for s in series if any(of[k] is s for k in cell)]
        step = 1.12 if len(sizes) == 1 else 1.04  # dodge, so that error bars do not hide each other
        for i, s in enumerate(present):
            dodge = step ** (i - (len(present) - 1) / 2)
            skeys = sorted((k for k in cell if of[k] is s), key=lambda k: res.points[k].folio_size)
            if not skeys:
                continue
            x, m, lo, hi = [], [], [], []
            for k in skeys:
                v = us(res.cost_values(k))
                counts.append(v.size)
                med, l, h = median_ci(v)
                x.append(res.points[k].folio_size / MIB), m.append(med), lo.append(l), hi.append(h)
                ymin, ymax = min(ymin, v.min()), max(ymax, v.max())
            label = s.label
            if len(skeys) >= 2:
                pages = np.array(x) * MIB / res.page_bytes
                fixed, per_page, r2 = fit_fixed_per_page(pages, m)
                grid = np.geomspace(pages.min(), pages.max(), 100)
                line = fixed + per_page * grid
                ax.plot(grid * res.page_bytes / MIB, np.where(line > 0, line, np.nan), color=s.color,
                        linewidth=1.2, linestyle="--")
                label = "%s: %.3g µs + %.3g ns/page, R² %s" % (
                    s.label, fixed, per_page * 1000, "%.3f" % r2 if len(skeys) > 2 else "1 (2 sizes: exact)")
                fits.append({"target": t, "series": s.label, "fixed_us": fixed, "per_page_ns": per_page * 1000,
                             "r2": r2, "sizes": len(skeys)})
            elif len(sizes) > 1:
                label = "%s (one size: no fit)" % s.label
            ax.errorbar(np.array(x) * dodge, m, yerr=yerr(m, lo, hi), color=s.color, marker=s.marker, linestyle="none",
                        markersize=5, capsize=3, label=label)
            tag(ax, s.label)
        ax.set_xscale("log")
        if ymax > 10 * ymin > 0:
            plain_log(ax, "y")
        ax.set_xticks([z / MIB for z in sizes])
        ax.set_xticklabels(["%g\n(%s)" % (z / MIB, fmt_bytes(z)) for z in sizes])
        ax.minorticks_off()
        if len(sizes) == 1:
            ax.set_xlim(sizes[0] / MIB / 2, sizes[0] / MIB * 2)
        ax.set_xlabel("folio size (MiB, log scale)")
        ax.set_ylabel("zero phase, or fault phase for kernel-fault, median (µs)")
        ax.grid(alpha=0.3, which="both")
        ax.set_title("target %s" % t)
        ax.legend(loc="upper left", bbox_to_anchor=(0.0, -0.2), fontsize=7, frameon=False)
    what = "Zeroing cost against folio size"
    if len(sizes) == 1:
        what += " (one folio size, %s: a fit needs two sizes)" % fmt_bytes(sizes[0])
    note = "points: medians (shifted sideways a little so that they do not hide each other), %s; error bars: %s." % (
        res.n_range(counts), CI_TEXT)
    if fits:
        note += " Dashed: least-squares fit to the medians, t = fixed + per_page x pages (%s pages)." % (
            fmt_bytes(res.page_bytes))
    title = res.title(what)
    finish(fig, title, res.footnote(note))
    return save(fig, res, STEM, title, used, extra={"fits": fits, "sizes": sizes})


def main(argv=None):
    return main_per_dir("folio_size.py", plot, argv, __doc__)


if __name__ == "__main__":
    sys.exit(main())
