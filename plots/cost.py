#!/usr/bin/python3
"""What each way of clearing costs, and what the faulting program pays right after it.

usage: cost.py DIR [DIR...] [--where AXIS=V[,V]] [--lenient]

The figure of quick.toml's question (and of any sweep without a more
specific one; see zsplot/question.py). One row of panels per folio (backing
and size) and access pattern; left: the clearing (zero phase; the fault
phase for kernel-fault, whose zeroing is inside the fault); right: the
access phase right after it. The x axis is the target (the faulting page);
one point per strategy with its 95% BCa interval, kernel-fault beside the
replica of this kernel's path (meta.json kernel_strategy). At most 8 series
a panel: more (several primitives, caches) split the panels further.
Writes DIR/plots/cost.{png,svg,json}.
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import zsplot  # noqa: E402,F401  (first: it explains a python without matplotlib, numpy, scipy)
from zsplot.cli import main_per_dir  # noqa: E402
from zsplot.dots import dodged, from_zero, panel_title, panels  # noqa: E402
from zsplot.figure import finish, new_figure, save, unused_off  # noqa: E402
from zsplot.intervals import CI_TEXT  # noqa: E402
from zsplot.question import question_text, replica_of  # noqa: E402
from zsplot.results import NoData  # noqa: E402
from zsplot.series import target_tick, targets  # noqa: E402
from zsplot.units import us  # noqa: E402

STEM = "cost"


def replica_first(res, series, keys):
    """kernel-fault right after the replica of this kernel's path, which says so in its label."""
    reps = set()
    for k in keys:
        p = res.points[k]
        e = replica_of(res.meta, p.backing, p.folio_size)
        if e:
            reps.add(e["strategy"])
    for s in series:
        if s.strategy in reps and s.strategy != "kernel-fault" and "this kernel" not in s.label:
            s.label += " (this kernel's path)"
    kf = [s for s in series if s.strategy == "kernel-fault"]
    rest = [s for s in series if s.strategy != "kernel-fault"]
    if not kf or not reps:
        return rest + kf
    last = max((i for i, s in enumerate(rest) if s.strategy in reps), default=len(rest) - 1)
    return rest[:last + 1] + kf + rest[last + 1:]


def plot(res):
    keys = [k for k in res.keys if res.has(k, res.cost_phase(k))]
    if not keys:
        raise NoData("no zero or fault samples with a time")
    pts = [res.points[k] for k in keys]
    _, series, of, groups = panels(pts, ["backing", "folio_size", "access"])
    series = replica_first(res, series, keys)
    with_access = any(res.has(k, "access") and res.points[k].access != "none" for k in keys)
    ncols = 2 if with_access else 1
    fig, axes = new_figure(len(groups), ncols, w=4.4, h=3.0)
    used, drawn, counts = [], {}, []
    for r, (gkey, gpts) in enumerate(groups):
        gkeys = [p.key for p in gpts]
        tgts = targets(res, gkeys)

        def pick(phase):
            def value(s, t):
                for k in gkeys:
                    if of[k] is s and res.points[k].target == t:
                        ph = res.cost_phase(k) if phase == "cost" else "access"
                        if ph == "access" and res.points[k].access == "none":
                            return None
                        v = res.values(k, ph)
                        return us(v) if v.size else None
                return None
            return value

        for c, (phase, ylabel, what) in enumerate([
                ("cost", "clearing, median (µs)", "the clearing (zero; fault for kernel-fault)"),
                ("access", "access right after, median (µs)", "what the program pays next")][:ncols]):
            ax = axes[r][c]
            h = dodged(ax, tgts, series, pick(phase), counts)
            if not h:
                continue
            used.append(ax)
            drawn.update(h)
            ax.set_xticklabels([target_tick(res, gkeys, t) for t in tgts])
            ax.set_xlabel("target (faulting page)")
            ax.set_ylabel(ylabel)
            from_zero(ax)
            ax.set_title("%s · %s" % (panel_title(gkey), what))
    unused_off(fig, axes, used)
    labels = [s.label for s in series if s.label in drawn]
    notes = ["points: medians, %s; error bars: %s." % (res.n_range(counts), CI_TEXT)]
    if any(s.strategy == "kernel-fault" for s in series):
        beside = any("this kernel's path" in s.label for s in series)
        notes.append("kernel-fault: the kernel's own fault of the folio (its zeroing inside)%s." % (
            "; drawn beside the strategy that replicates this kernel's path" if beside else
            "; meta.json records no kernel path, so no replica is marked"))
    title = res.title(question_text(res.meta) or "What each way of clearing costs, and what the program pays next")
    finish(fig, title, res.footnote(" ".join(notes)), [drawn[lb] for lb in labels], labels)
    return save(fig, res, STEM, title, used, extra={"question": "cost"})


def main(argv=None):
    return main_per_dir("cost.py", plot, argv, __doc__)


if __name__ == "__main__":
    sys.exit(main())
