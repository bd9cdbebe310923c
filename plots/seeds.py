#!/usr/bin/python3
"""The seeds' other two threads: host-zeroed memory and zeroing through a temporary mapping.

usage: seeds.py DIR [DIR...] [--where AXIS=V[,V]] [--lenient]

The figure of seeds.toml's question (zsplot/question.py: a run with the
memory axis at host-reported, or with the strategies prezeroed, alloc-init,
double, alias-range or alias-page). One row of panels per folio (backing and
size), access pattern, target and cache:

  host-zeroed memory   x: the memory the folio came from (recycled: freed
                       and reused at once; host-reported: freed, reported
                       through virtio-balloon free page reporting and
                       discarded by the host); one point per strategy: the
                       clearing (the fault for kernel-fault, whose zeroing is
                       inside it), log scale, since a fault on host-reported
                       memory costs milliseconds where the clearing costs
                       microseconds.
  what the program pays  the same, zero (or fault) + access of each sample:
                       a prezeroed folio skips the clearing and pays in the
                       access.
  temporary mapping    x: alias-range, alias-page; two points each: the zero
                       phase (map, clear, unmap) and the same map/unmap
                       sequence without the clearing (samples.csv
                       alias_map_ns), the analogue's own cost that the kernel
                       does not pay in user space.

Medians with 95% BCa intervals. Writes DIR/plots/seeds.{png,svg,json}.
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import zsplot  # noqa: E402,F401  (first: it explains a python without matplotlib, numpy, scipy)
from zsplot.cli import main_per_dir  # noqa: E402
from zsplot.dots import dodged, from_zero, panel_title  # noqa: E402
from zsplot.figure import finish, new_figure, plain_log, save, unused_off  # noqa: E402
from zsplot.intervals import CI_TEXT  # noqa: E402
from zsplot.question import question_text, replica_of  # noqa: E402
from zsplot.results import NoData  # noqa: E402
from zsplot.series import STRATEGY_COLOR, STRATEGY_ORDER  # noqa: E402
from zsplot.units import us  # noqa: E402

STEM = "seeds"
ALIAS = ("alias-range", "alias-page")
MEMORY = ("recycled", "host-reported")
GROUP = ("backing", "folio_size", "access", "target", "cache")
MAX_ROWS = 4


class _Series:
    def __init__(self, label, color, marker="o"):
        self.label, self.color, self.marker = label, color, marker


def _order(strategy):
    return STRATEGY_ORDER.index(strategy) if strategy in STRATEGY_ORDER else len(STRATEGY_ORDER)


def plot(res):
    keys = [k for k in res.keys if res.has(k, res.cost_phase(k))]
    if not keys:
        raise NoData("no zero or fault samples with a time")
    groups = {}
    for k in keys:
        p = res.points[k]
        groups.setdefault(tuple(p.axis_text(a) for a in GROUP), []).append(k)
    if len(groups) > MAX_ROWS:
        raise NoData("%d rows of panels (by %s); select some with --where" % (len(groups), ", ".join(GROUP)))
    has_alias = any(res.points[k].strategy in ALIAS for k in keys)
    has_memory = any(res.points[k].strategy not in ALIAS for k in keys)
    ncols = 2 * has_memory + has_alias
    fig, axes = new_figure(len(groups), ncols, w=4.2, h=3.2)
    used, drawn, counts = [], {}, []
    labels_in_order = []

    def heading(gkey, what):
        """The panel's part; the folio, access, target and cache on a second line where rows differ in them
        (with one row they are said once, in the footnote)."""
        return "%s\n%s" % (what, panel_title(gkey)) if len(groups) > 1 else what
    for r, (gkey, gkeys) in enumerate(sorted(groups.items(), key=lambda kv: [str(v) for v in kv[0]])):
        c = 0
        if has_memory:
            mem_keys = [k for k in gkeys if res.points[k].strategy not in ALIAS]
            mems = [m for m in MEMORY if any(res.points[k].memory == m for k in mem_keys)]
            strategies = sorted({res.points[k].strategy for k in mem_keys}, key=_order)
            replica = set()
            for k in mem_keys:
                e = replica_of(res.meta, res.points[k].backing, res.points[k].folio_size)
                if e:
                    replica.add(e["strategy"])
            series = []
            for s in strategies:
                label = s + (" (this kernel's path)" if s in replica else "")
                series.append(_Series(label, STRATEGY_COLOR.get(s, "#000000")))
                series[-1].strategy = s
                if label not in labels_in_order:
                    labels_in_order.append(label)

            def pick(total):
                def value(s, m):
                    for k in mem_keys:
                        p = res.points[k]
                        if p.strategy == s.strategy and p.memory == m:
                            v = res.cost_plus_access(k) if total else res.cost_values(k)
                            return us(v) if v.size else None
                    return None
                return value

            for total, ylabel, what in [(False, "clearing, median (µs, log)", "the clearing (kernel-fault: the whole fault)"),
                                        (True, "zero + access, median (µs, log)", "what the program pays")]:
                ax = axes[r][c]
                c += 1
                h = dodged(ax, mems, series, pick(total), counts)
                if not h:
                    continue
                used.append(ax)
                drawn.update(h)
                plain_log(ax, "y")
                ax.set_xticklabels(mems)
                ax.set_xlabel("memory the folio came from")
                ax.set_ylabel(ylabel)
                ax.set_title(heading(gkey, what))
        if has_alias:
            ax = axes[r][c]
            alias_keys = [k for k in gkeys if res.points[k].strategy in ALIAS]
            cats = [s for s in ALIAS if any(res.points[k].strategy == s for k in alias_keys)]
            two = [_Series("zero phase: map, clear, unmap", "#393b79"),
                   _Series("map and unmap alone (alias_map_ns)", "#bdbdbd", "s")]

            def value(s, cat, two=two, alias_keys=alias_keys):
                for k in alias_keys:
                    p = res.points[k]
                    if p.strategy == cat and p.memory == "recycled":
                        v = res.values(k, "zero") if s is two[0] else res.values(k, "zero", "alias_map_ns")
                        return us(v) if v.size else None
                return None

            h = dodged(ax, cats, two, value, counts)
            if h:
                used.append(ax)
                drawn.update(h)
                for s in two:
                    if s.label in h and s.label not in labels_in_order:
                        labels_in_order.append(s.label)
                ax.set_xticklabels(cats)
                ax.set_xlabel("strategy (recycled memory)")
                ax.set_ylabel("median (µs)")
                from_zero(ax)
                ax.set_title(heading(gkey, "through a temporary mapping"))
    if not used:
        raise NoData("no points of the seeds' strategies or memory states with samples")
    unused_off(fig, axes, used)
    labels = [lb for lb in labels_in_order if lb in drawn]
    notes = ["points: medians, %s; error bars: %s." % (res.n_range(counts), CI_TEXT)]
    if len(groups) == 1:
        notes.insert(0, "%s." % panel_title(next(iter(groups))))
    if has_memory:
        notes.append("host-reported: the folio's memory was given back, reported to the host and discarded "
                     "(report_wait %s s) before the fault or the re-population; the replica of this kernel's path "
                     "zeroes memory already present, the guest's own share of a fault." % (
                         (res.meta.get("memory") or {}).get("report_wait_s", "?")))
    if has_alias:
        notes.append("alias: the analogue maps the folio's file range a second time with 4 KiB entries from user "
                     "space; the map/unmap alone is measured apart so its syscall cost can be subtracted.")
    title = res.title(question_text(res.meta) or "Host-zeroed memory and zeroing through a temporary mapping")
    finish(fig, title, res.footnote(" ".join(notes)), [drawn[lb] for lb in labels], labels)
    return save(fig, res, STEM, title, used, extra={"question": "seeds"})


def main(argv=None):
    return main_per_dir("seeds.py", plot, argv, __doc__)


if __name__ == "__main__":
    sys.exit(main())
