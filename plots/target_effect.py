#!/usr/bin/python3
"""Median zero + access (fault + access for kernel-fault) against the target.

usage: target_effect.py DIR [DIR...] [--where AXIS=V[,V]]

For each results directory, one panel per folio (backing and size): per
sample, the time to zero (or, for kernel-fault, to fault) plus the time the
program then spends on its access, paired by repetition; a line per strategy
through the medians at each target position (the faulting page's index in
the folio), with a shaded 95% bootstrap CI band; at most 8 lines a panel (more split
the panels by primitive, access, ...). Whether an
order that clears the target last pays off shows here as a flat access cost.
Targets without a fixed page (random) are left out, with a note.
Writes DIR/plots/target_effect.{png,svg,json}.
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import zsplot  # noqa: E402,F401  (first: it explains a python without matplotlib, numpy, scipy)
from zsplot.cli import main_per_dir  # noqa: E402
from zsplot.figure import finish, new_figure, save, tag, unused_off  # noqa: E402
from zsplot.intervals import CI_TEXT, median_ci, yerr  # noqa: E402
from zsplot.results import NoData  # noqa: E402
from zsplot.dots import panel_title, panels  # noqa: E402
from zsplot.series import target_tick  # noqa: E402
from zsplot.units import fmt_bytes, us  # noqa: E402
import numpy as np  # noqa: E402

STEM = "target_effect"


def plot(res):
    keys = [k for k in res.keys if res.has(k, res.cost_phase(k)) and res.has(k, "access")]
    if not keys:
        raise NoData("no samples with both a zero (or fault) and an access phase")
    placed = [k for k in keys if res.target_page(k) is not None]
    dropped = sorted({res.points[k].target for k in keys if k not in placed})
    if not placed:
        raise NoData("no target with a fixed page (only %s)" % ", ".join(dropped))
    _, series, of, folios = panels([res.points[k] for k in placed], ["backing", "folio_size"], max_rows=8)
    ncols = min(len(folios), 3)
    nrows = (len(folios) + ncols - 1) // ncols
    fig, axes = new_figure(nrows, ncols, w=5.2, h=3.6)
    used, drawn, counts = [], {}, []
    for i, (gkey, gpts) in enumerate(folios):
        folio = panel_title(gkey)
        ax = axes[i // ncols][i % ncols]
        used.append(ax)
        fkeys = [p.key for p in gpts]
        ticks = {}
        for s in series:
            pts = []
            for k in fkeys:
                if of[k] is not s:
                    continue
                v = us(res.cost_plus_access(k))
                if v.size == 0:
                    continue
                counts.append(v.size)
                page = res.target_page(k)
                ticks[page] = target_tick(res, [k], res.points[k].target)
                pts.append((page,) + median_ci(v))
            if not pts:
                continue
            pts.sort()
            x, m, lo, hi = (np.array(c, dtype=float) for c in zip(*pts))
            ok = ~np.isnan(lo)
            ax.fill_between(x[ok], lo[ok], hi[ok], color=s.color, alpha=0.14, linewidth=0)
            if ok.sum() == 1:  # a single position: a band has no width, draw the interval
                ax.errorbar(x[ok], m[ok], yerr=yerr(m[ok], lo[ok], hi[ok]), color=s.color, capsize=3)
            (line,) = ax.plot(x, m, color=s.color, marker=s.marker, markersize=4, linewidth=1.4, label=s.label)
            drawn.setdefault(s.label, line)
            tag(ax, s.label)
        pages = sorted(ticks)
        ax.set_xticks(pages)
        ax.set_xticklabels([ticks[p] for p in pages])
        span = max(pages) - min(pages) if len(pages) > 1 else 1
        ax.set_xlim(min(pages) - 0.06 * span, max(pages) + 0.06 * span)
        ax.set_xlabel("target page (index in the folio, %s pages)" % fmt_bytes(res.page_bytes))
        ax.set_ylabel("zero (or fault) + access, median (µs)")
        ax.grid(alpha=0.3)
        ax.set_title("%s · cost to the faulting program" % folio)
    unused_off(fig, axes, used)
    labels = [s.label for s in series if s.label in drawn]
    notes = ["points: medians of zero + access per sample (fault + access for kernel-fault), %s; "
             "bands: %s." % (res.n_range(counts), CI_TEXT)]
    if dropped:
        notes.append("not shown: target %s (no fixed page)." % ", ".join(dropped))
    title = res.title("What the faulting program pays, by fault position")
    finish(fig, title, res.footnote(" ".join(notes)), [drawn[l] for l in labels], labels)
    return save(fig, res, STEM, title, used)


def main(argv=None):
    return main_per_dir("target_effect.py", plot, argv, __doc__)


if __name__ == "__main__":
    sys.exit(main())
