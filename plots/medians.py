#!/usr/bin/python3
"""Medians per strategy with 95% bootstrap CIs: one panel per phase.

usage: medians.py DIR [DIR...] [--where AXIS=V[,V]]

For each results directory, bars of the median time of each phase (zero:
the clearing; fault: the kernel's own fault path, for kernel-fault; access:
what the program pays right after), grouped by target, one bar per strategy
(and primitive, access, cache, batch or width where the sweep has several;
at most 8 a panel: more split the rows further, by primitive, access, ...).
Where samples.csv has batch_max_ns (record_batches), a fourth panel shows
the longest batch between preemption points. Points with access "none"
have no access bar (their access phase is two clock reads). One row of panels per folio
(backing and size) when the sweep has several. A phase without data is not
drawn: kernel-fault has no zero phase, so it has no bar there, not a zero bar.
Writes DIR/plots/medians.{png,svg,json}.
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
from zsplot.series import target_tick, targets  # noqa: E402
from zsplot.units import us  # noqa: E402

STEM = "medians"
PHASE_TITLE = {
    "zero": "zero phase: the clearing",
    "fault": "fault phase: kernel fault path",
    "access": "access phase: the program after it",
    "batch_max": "longest batch between preemption points",
}
# (panel, phase row in samples.csv, column, y label)
PANELS = [
    ("zero", "zero", "ns", "zero phase, median (µs)"),
    ("fault", "fault", "ns", "fault phase, median (µs)"),
    ("access", "access", "ns", "access phase, median (µs)"),
    ("batch_max", "zero", "batch_max_ns", "longest batch, median (µs)"),
]


def plot(res):
    keys = res.keys
    _, series, of, folios = panels([res.points[k] for k in keys], ["backing", "folio_size"], max_rows=8)
    cols = [p for p in PANELS if any(res.has(k, p[1], p[2]) and not (p[0] == "access" and res.points[k].access == "none")
                                     for k in keys)]
    if not cols:
        raise NoData("no zero, fault or access samples with a time")
    fig, axes = new_figure(len(folios), len(cols))
    used, drawn, counts = [], {}, []
    for r, (gkey, gpts) in enumerate(folios):
        folio = panel_title(gkey)
        fkeys = [p.key for p in gpts]
        for c, (panel, phase, column, ylabel) in enumerate(cols):
            ax = axes[r][c]
            # access "none" touches nothing: its access phase is two clock reads, not a cost
            cell = [k for k in fkeys if res.has(k, phase, column)
                    and not (panel == "access" and res.points[k].access == "none")]
            if not cell:
                continue
            used.append(ax)
            tgts = targets(res, cell)
            present = [s for s in series if any(of[k] is s for k in cell)]
            width = 0.8 / len(present)
            for i, s in enumerate(present):
                xs, meds, los, his = [], [], [], []
                for j, t in enumerate(tgts):
                    for k in cell:
                        if of[k] is s and res.points[k].target == t:
                            v = us(res.values(k, phase, column))
                            m, lo, hi = median_ci(v)
                            xs.append(j - 0.4 + width * (i + 0.5))
                            meds.append(m), los.append(lo), his.append(hi), counts.append(v.size)
                if not xs:
                    continue
                bars = ax.bar(xs, meds, width * 0.92, color=s.color, label=s.label,
                              yerr=yerr(meds, los, his), capsize=2.5, error_kw={"elinewidth": 1})
                drawn.setdefault(s.label, bars)
                tag(ax, s.label)
            ax.set_xticks(range(len(tgts)))
            ax.set_xticklabels([target_tick(res, cell, t) for t in tgts])
            ax.set_xlim(-0.6, len(tgts) - 0.4)
            ax.set_xlabel("target (faulting page)")
            ax.set_ylabel(ylabel)
            ax.set_ylim(bottom=0)
            ax.grid(axis="y", alpha=0.3)
            title = PHASE_TITLE[panel]
            ax.set_title("%s · %s" % (folio, title))
    unused_off(fig, axes, used)
    labels = [s.label for s in series if s.label in drawn]
    notes = ["bars: medians, %s; error bars: %s." % (res.n_range(counts), CI_TEXT)]
    if any(res.points[k].strategy == "kernel-fault" for k in keys):
        notes.append("kernel-fault has no zero phase (the kernel zeroes inside the fault): its cost is the fault panel.")
    if any(res.points[k].access == "none" for k in keys):
        notes.append("access none: no access panel for those points (nothing is accessed; the phase is two clock reads).")
    if any(p[0] == "batch_max" for p in cols):
        notes.append("longest batch: record_batches timing perturbs the zero phase; compare zero totals only within this sweep.")
    title = res.title("Phase medians per strategy")
    finish(fig, title, res.footnote(" ".join(notes)), [drawn[l] for l in labels], labels)
    return save(fig, res, STEM, title, used)


def main(argv=None):
    return main_per_dir("medians.py", plot, argv, __doc__)


if __name__ == "__main__":
    sys.exit(main())
