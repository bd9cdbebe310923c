#!/usr/bin/python3
"""How well the replicas predict this kernel's faults, and where the fault's time goes.

usage: kernel_oracle.py DIR [DIR...] [--where AXIS=V[,V]] [--lenient]

The figure of kernel-oracle.toml's question. One column per folio (backing
and size). Top: at each target, the kernel's own fault (`kernel-fault`, the
fault phase) over each replica's zero phase at the same folio, target,
access and cache: the ratio of medians with a 95% BCa interval (scipy, both
sides resampled); 1 means the replica costs what the fault costs, and the
replica of this kernel's path (meta.json kernel_strategy) says so in its
label. Bottom: the fault's anatomy where it was traced (fault_alloc_ns,
fault_zero_ns, fault_map_ns: the median of each part, stacked) beside the
replica's zero-phase median; a fault that was not split (fault_untraced,
e.g. a hugetlb folio from the reserved pool) is one bar, and the panel says why.
Writes DIR/plots/kernel_oracle.{png,svg,json}.
"""
import os
import sys
import textwrap

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import zsplot  # noqa: E402,F401  (first: it explains a python without matplotlib, numpy, scipy)
import numpy as np  # noqa: E402
from zsplot.cli import main_per_dir  # noqa: E402
from zsplot.figure import finish, new_figure, save, tag, unused_off  # noqa: E402
from zsplot.intervals import ratio_ci, yerr  # noqa: E402
from zsplot.question import question_text, replica_of  # noqa: E402
from zsplot.results import NoData  # noqa: E402
from zsplot.series import STRATEGY_COLOR, facets, target_tick, targets  # noqa: E402
from zsplot.units import us  # noqa: E402

STEM = "kernel_oracle"
SAME = ("backing", "folio_size", "target", "access", "op", "cache", "evict", "memory")
PARTS = [("fault_alloc_ns", "fault: to the allocation", "#bdbdbd"),
         ("fault_zero_ns", "fault: allocation to the next (the zeroing)", "#4d4d4d"),
         ("fault_map_ns", "fault: the rest, to its return", "#969696")]
MARKERS = ["o", "s", "^", "D", "v", "P"]


def untraced_reason(res, key):
    why = {r.get("fault_untraced", "") for r in res._values.get((key, "fault"), [])} - {""}
    return sorted(why)[0] if why else ""


def plot(res):
    faults = [k for k in res.keys if res.points[k].strategy == "kernel-fault" and res.has(k, "fault")]
    if not faults:
        raise NoData("no kernel-fault samples: nothing to hold the replicas against")
    others = [k for k in res.keys if res.points[k].strategy != "kernel-fault" and res.has(k, "zero")]
    pairs = []  # (fault key, replica key)
    for f in faults:
        pf = res.points[f]
        for k in others:
            if all(getattr(res.points[k], a) == getattr(pf, a) for a in SAME):
                pairs.append((f, k))
    if not pairs:
        raise NoData("no replica measured beside kernel-fault under the same conditions")
    folios = sorted(facets(res, faults), key=lambda f: (not f.startswith("thp"), ))
    fig, axes = new_figure(2, len(folios), w=4.8, h=3.1)
    used, drawn, counts, ratios = [], {}, [], []
    top_ylim = [np.inf, -np.inf]
    for c, folio in enumerate(folios):
        fk = [f for f in faults if res.points[f].folio == folio]
        p0 = res.points[fk[0]]
        rep = replica_of(res.meta, p0.backing, p0.folio_size)
        tgts = targets(res, fk)
        strategies = sorted({res.points[k].strategy for f, k in pairs if f in fk},
                            key=lambda s: (rep is None or s != rep["strategy"], s))
        ax = axes[0][c]
        for i, s in enumerate(strategies):
            label = "kernel-fault / %s%s" % (s, " (this kernel's path)" if rep and s == rep["strategy"] else "")
            xs, rs, los, his = [], [], [], []
            for j, t in enumerate(tgts):
                for f, k in pairs:
                    if f in fk and res.points[f].target == t and res.points[k].strategy == s:
                        a, b = res.values(f, "fault"), res.values(k, "zero")
                        r, lo, hi = ratio_ci(a, b)
                        counts += [a.size, b.size]
                        xs.append(j - 0.2 + 0.4 * (i + 0.5) / len(strategies))
                        rs.append(r), los.append(lo), his.append(hi)
                        ratios.append({"fault": f, "replica": k, "ratio": r, "lo": lo, "hi": hi})
                        break
            if xs:
                h = ax.errorbar(xs, rs, yerr=yerr(rs, los, his), color=STRATEGY_COLOR.get(s, "#000000"),
                                marker=MARKERS[i % len(MARKERS)], linestyle="none", markersize=5, capsize=3,
                                label=label)
                drawn.setdefault(label, h)
                tag(ax, label)
                top_ylim = [min(top_ylim[0], np.nanmin(los + rs)), max(top_ylim[1], np.nanmax(his + rs))]
        ax.axhline(1.0, color="#222222", linewidth=0.9, linestyle=":")
        ax.set_xticks(range(len(tgts)))
        ax.set_xticklabels([target_tick(res, fk, t) for t in tgts])
        ax.set_xlim(-0.5, len(tgts) - 0.5)
        ax.set_xlabel("target (faulting page)")
        ax.set_ylabel("fault / replica, medians (ratio)")
        ax.grid(axis="y", alpha=0.3)
        ax.set_title("%s · the fault against each replica" % folio)
        used.append(ax)

        ax = axes[1][c]
        width = 0.36
        why = ""
        for j, t in enumerate(tgts):
            f = [x for x in fk if res.points[x].target == t][0]
            split = all(res.values(f, "fault", col).size for col, _, _ in PARTS)
            bottom = 0.0
            if split:
                for col, label, color in PARTS:
                    m = float(np.median(us(res.values(f, "fault", col))))
                    h = ax.bar(j - width / 2, m, width * 0.95, bottom=bottom, color=color, label=label)
                    drawn.setdefault(label, h)
                    tag(ax, label)
                    bottom += m
            else:
                why = why or untraced_reason(res, f) or "the fault anatomy was not traced"
                label = "fault, not split (see the panel)"
                h = ax.bar(j - width / 2, float(np.median(us(res.values(f, "fault")))), width * 0.95,
                           color="#4d4d4d", hatch="//", edgecolor="white", label=label)
                drawn.setdefault(label, h)
                tag(ax, label)
            for ff, k in pairs:
                if ff == f and rep and res.points[k].strategy == rep["strategy"]:
                    label = "replica %s: zero phase" % rep["strategy"]
                    h = ax.bar(j + width / 2, float(np.median(us(res.values(k, "zero")))), width * 0.95,
                               color=STRATEGY_COLOR.get(rep["strategy"], "#000000"), label=label)
                    drawn.setdefault(label, h)
                    tag(ax, label)
        if why:
            short = why.split(":")[0] if len(why) > 60 else why
            ax.text(0.02, 0.97, "\n".join(textwrap.wrap("not split: " + short, 60)), transform=ax.transAxes,
                    fontsize=6.5, va="top", ha="left", color="#333333",
                    bbox={"facecolor": "white", "edgecolor": "none", "alpha": 0.85, "pad": 1.5})
        ax.set_xticks(range(len(tgts)))
        ax.set_xticklabels([target_tick(res, fk, t) for t in tgts])
        ax.set_xlim(-0.6, len(tgts) - 0.4)
        ax.set_xlabel("target (faulting page)")
        ax.set_ylabel("median (µs)")
        ax.set_ylim(0, ax.get_ylim()[1] * (1.25 if why else 1.05))
        ax.grid(axis="y", alpha=0.3)
        ax.set_title("%s · where the fault's time goes" % folio)
        used.append(ax)
    if np.isfinite(top_ylim[0]):
        lo, hi = min(top_ylim[0], 1.0), max(top_ylim[1], 1.0)
        pad = 0.08 * (hi - lo or 1.0)
        for c in range(len(folios)):
            axes[0][c].set_ylim(lo - pad, hi + pad)
    unused_off(fig, axes, used)
    labels = list(drawn)
    n = sorted({x for x in counts if x})
    notes = ["top: ratio of medians (kernel-fault's fault phase over the replica's zero phase), n = %s samples a "
             "side; error bars: 95%% BCa bootstrap CI of the ratio (scipy, 2000 resamples of each side). bottom: "
             "medians of each traced part of the fault, stacked (a sum of medians, not the median of the sums), "
             "beside the replica's zero-phase median." % "..".join(str(x) for x in sorted({n[0], n[-1]}))]
    title = res.title(question_text(res.meta) or "How well do the replicas predict this kernel's faults?")
    finish(fig, title, res.footnote(" ".join(notes)), [drawn[lb] for lb in labels], labels)
    return save(fig, res, STEM, title, used, extra={"question": "kernel-oracle", "ratios": ratios})


def main(argv=None):
    return main_per_dir("kernel_oracle.py", plot, argv, __doc__)


if __name__ == "__main__":
    sys.exit(main())
