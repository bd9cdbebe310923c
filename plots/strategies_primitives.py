#!/usr/bin/python3
"""Which clearing order and which store instruction leave the faulting program fastest.

usage: strategies_primitives.py DIR [DIR...] [--where AXIS=V[,V]] [--lenient]

The figure of cover-letter.toml's question: strategies x primitives. One
row of panels per folio (backing and size) and access pattern, one column
per target; in each panel the strategies along the x axis and one series
per primitive (the store instruction), each point the median of what the
program pays, zero + access per sample (fault + access for kernel-fault,
which has no primitive of its own and is one grey point), with its 95% BCa
interval. The replica of this kernel's path (meta.json kernel_strategy) is
marked on the x axis. Writes DIR/plots/strategies_primitives.{png,svg,json}.
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import zsplot  # noqa: E402,F401  (first: it explains a python without matplotlib, numpy, scipy)
from zsplot.cli import main_per_dir  # noqa: E402
from zsplot.dots import dodged, from_zero  # noqa: E402
from zsplot.figure import MAX_SERIES, finish, new_figure, save, unused_off  # noqa: E402
from zsplot.intervals import CI_TEXT  # noqa: E402
from zsplot.question import question_text, replica_of  # noqa: E402
from zsplot.results import NoData  # noqa: E402
from zsplot.series import STRATEGY_ORDER, target_tick, targets  # noqa: E402
from zsplot.units import us  # noqa: E402

STEM = "strategies_primitives"
PRIMITIVE_STYLE = [("#1b9e77", "o"), ("#d95f02", "s"), ("#7570b3", "^"), ("#e7298a", "D"), ("#66a61e", "v"),
                   ("#e6ab02", "P"), ("#a6761d", "X")]
KF = "kernel-fault (the kernel's own)"


class Prim:
    def __init__(self, label, color, marker, strategy=""):
        self.label, self.color, self.marker, self.strategy = label, color, marker, strategy


def plot(res):
    keys = [k for k in res.keys if res.has(k, res.cost_phase(k))]
    if not keys:
        raise NoData("no zero or fault samples with a time")
    written = [str(v) for v in ((res.meta.get("config") or {}).get("axes") or {}).get("primitive") or []]
    prims = sorted({res.points[k].primitive for k in keys if res.points[k].strategy != "kernel-fault"},
                   key=lambda p: (written.index(str(p)) if str(p) in written else len(written), str(p)))
    if len(prims) + 1 > MAX_SERIES:
        raise NoData("%d primitives: more than %d series a panel; select fewer with --where primitive=..." % (
            len(prims), MAX_SERIES - 1))
    series = [Prim(str(p), *PRIMITIVE_STYLE[i % len(PRIMITIVE_STYLE)]) for i, p in enumerate(prims)]
    kf = Prim(KF, "#4d4d4d", "*", "kernel-fault")
    by_prim = {s.label: s for s in series}
    rows = sorted({(res.points[k].folio_size, res.points[k].backing, res.points[k].axis_text("access")) for k in keys},
                  key=lambda r: (r[0], r[1] != "thp", r[1], r[2]))
    strategies = sorted({res.points[k].strategy for k in keys},
                        key=lambda s: (STRATEGY_ORDER.index(s) if s in STRATEGY_ORDER else len(STRATEGY_ORDER), s))
    if "kernel-fault" in strategies:
        strategies.remove("kernel-fault")
        strategies.append("kernel-fault")
    tgts = targets(res, keys)
    fig, axes = new_figure(len(rows), len(tgts), w=3.9, h=2.7)
    used, drawn, counts = [], {}, []
    for r, (size, backing, access) in enumerate(rows):
        rkeys = [k for k in keys if (res.points[k].folio_size, res.points[k].backing,
                                     res.points[k].axis_text("access")) == (size, backing, access)]
        rep = replica_of(res.meta, backing, size)
        unit, scale = ("ms", 1e-3) if size >= 256 << 20 else ("µs", 1.0)
        for c, t in enumerate(tgts):
            ax = axes[r][c]
            cell = [k for k in rkeys if res.points[k].target == t]
            if not cell:
                continue

            def value(s, strategy, cell=cell, scale=scale):
                for k in cell:
                    p = res.points[k]
                    if p.strategy != strategy:
                        continue
                    if (s is kf) != (strategy == "kernel-fault"):
                        continue
                    if s is not kf and str(p.primitive) != s.label:
                        continue
                    v = res.cost_plus_access(k) if res.has(k, "access") and p.access != "none" else res.cost_values(k)
                    return us(v) * scale if v.size else None
                return None
            here = [st for st in strategies if any(res.points[k].strategy == st for k in cell)]
            h = dodged(ax, here, series + [kf], value, counts)
            if not h:
                continue
            used.append(ax)
            drawn.update(h)
            ax.set_xticklabels([st + ("\n(this kernel)" if rep and st == rep["strategy"] else "") for st in here],
                               rotation=35, ha="right", rotation_mode="anchor", fontsize=7.5)
            ax.set_ylabel("zero + access, median (%s)" % unit)
            from_zero(ax)
            ax.set_title("%s %s · %s · %s" % (backing, res.points[cell[0]].axis_text("folio_size"), access,
                                                      target_tick(res, cell, t).replace("\n", " ")))
            ax.set_xlabel("strategy (clearing order)")
    unused_off(fig, axes, used)
    labels = [s.label for s in series + [kf] if s.label in drawn]
    notes = ["points: medians of zero + access per sample (fault + access for kernel-fault), %s; error bars: %s. "
             "Series: the store instruction (primitive) of the clearing." % (res.n_range(counts), CI_TEXT)]
    title = res.title(question_text(res.meta) or "Which clearing order and which store instruction leave the "
                      "faulting program fastest?")
    finish(fig, title, res.footnote(" ".join(notes)), [drawn[lb] for lb in labels],
           ["primitive " + lb if lb in by_prim else lb for lb in labels])
    return save(fig, res, STEM, title, used, extra={"question": "cover-letter"})


def main(argv=None):
    return main_per_dir("strategies_primitives.py", plot, argv, __doc__)


if __name__ == "__main__":
    sys.exit(main())
