#!/usr/bin/python3
"""How long clearing one huge folio keeps the CPU without a preemption point.

usage: preempt_latency.py DIR [DIR...] [--where AXIS=V[,V]] [--lenient]

The figure of preempt-latency.toml's question: one panel per folio (backing
and size); the batch size (pages cleared between preemption points, log
axis; `whole` is the folio in one call) against the longest single batch of
a sample (samples.csv batch_max_ns, record_batches), its median with a 95%
BCa interval, log axis: the scheduling latency a cooperative kernel adds.
One line per strategy (and whatever else varies, at most 8 a panel).
Writes DIR/plots/preempt_latency.{png,svg,json}.
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import zsplot  # noqa: E402,F401  (first: it explains a python without matplotlib, numpy, scipy)
import numpy as np  # noqa: E402
from zsplot.cli import main_per_dir  # noqa: E402
from zsplot.dots import panel_title, panels  # noqa: E402
from zsplot.figure import finish, new_figure, plain_log, save, tag, unused_off  # noqa: E402
from zsplot.intervals import CI_TEXT, median_ci, yerr  # noqa: E402
from zsplot.question import question_text  # noqa: E402
from zsplot.results import NoData  # noqa: E402
from zsplot.units import us  # noqa: E402

STEM = "preempt_latency"


def plot(res):
    keys = [k for k in res.keys if res.has(k, "zero", "batch_max_ns")]
    if not keys:
        raise NoData("no batch_max_ns in samples.csv (the sweep did not set record_batches): no worst batch to draw")
    _, series, of, groups = panels([res.points[k] for k in keys], ["backing", "folio_size"],
                                   exclude=("target", "batch"))
    ncols = min(len(groups), 3)
    nrows = -(-len(groups) // ncols)
    fig, axes = new_figure(nrows, ncols, w=4.6, h=3.4)
    used, drawn, counts = [], {}, []
    for i, (gkey, gpts) in enumerate(groups):
        ax = axes[i // ncols][i % ncols]
        pages = gpts[0].folio_size // res.page_bytes
        ticks = {}
        for s in series:
            pts = []
            for p in gpts:
                if of[p.key] is not s:
                    continue
                b = int(p.batch or 0)
                x = pages if b == 0 or b >= pages else b
                ticks[x] = "whole\n(%d)" % pages if x == pages else "%d" % x
                v = us(res.values(p.key, "zero", "batch_max_ns"))
                counts.append(v.size)
                pts.append((x,) + median_ci(v))
            if not pts:
                continue
            pts.sort()
            x, m, lo, hi = (np.array(c, dtype=float) for c in zip(*pts))
            h = ax.errorbar(x, m, yerr=yerr(m, lo, hi), color=s.color, marker=s.marker, markersize=5, capsize=3,
                            linewidth=1.3, label=s.label)
            drawn.setdefault(s.label, h)
            tag(ax, s.label)
        if not ticks:
            continue
        used.append(ax)
        ax.set_xscale("log", base=2)
        ax.set_xticks(sorted(ticks))
        ax.set_xticklabels([ticks[t] for t in sorted(ticks)])
        ax.minorticks_off()
        ax.set_xlim(min(ticks) / 1.6, max(ticks) * 1.6)
        plain_log(ax, "y")
        ax.set_xlabel("batch between preemption points (%s pages)" % ("4 KiB" if res.page_bytes == 4096 else
                                                                      "%d B" % res.page_bytes))
        ax.set_ylabel("longest batch, median (µs)")
        ax.grid(alpha=0.3, which="major")
        ax.set_title("%s · worst time without a preemption point" % panel_title(gkey))
    unused_off(fig, axes, used)
    labels = [s.label for s in series if s.label in drawn]
    notes = ["points: medians of each sample's longest batch (batch_max_ns), %s; error bars: %s. record_batches "
             "times every batch: it perturbs the zero phase, so compare zero totals only within this sweep."
             % (res.n_range(counts), CI_TEXT)]
    title = res.title(question_text(res.meta) or "How long can clearing one huge folio keep the CPU?")
    finish(fig, title, res.footnote(" ".join(notes)), [drawn[lb] for lb in labels], labels)
    return save(fig, res, STEM, title, used, extra={"question": "preempt-latency"})


def main(argv=None):
    return main_per_dir("preempt_latency.py", plot, argv, __doc__)


if __name__ == "__main__":
    sys.exit(main())
