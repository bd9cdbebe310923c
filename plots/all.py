#!/usr/bin/python3
"""The figure that answers a results directory's question.

usage: all.py DIR [--where AXIS=V[,V]] [--lenient]

What `zeroscope report --plots` runs. The question is read from meta.json
(zsplot/question.py: the config's axes and settings, then its label) and
one figure answers it:

  cost             cost.py                 quick: cost per strategy at each target, kernel-fault beside its replica
  cover-letter     strategies_primitives.py  strategies x primitives per folio, access and target
  vendor-compare   compare_machines.py     this machine's panel (compare_machines.py A B ... sets machines side by side)
  preempt-latency  preempt_latency.py      the worst batch against batch size
  kernel-oracle    kernel_oracle.py        the fault over its replica, and the fault's anatomy
  residency        residency.py            page index against load latency, one line per strategy
  seeds            seeds.py                host-zeroed memory and zeroing through a temporary mapping

Where a `cost` run has two folio sizes or more of one backing, folio_size.py
draws the cost against folio size too; with one size it is not drawn, and
one line says why. Prints the paths written; a figure that cannot be drawn
is one line on stderr; exit 0 when one was written, 2 when none was.
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import zsplot  # noqa: E402,F401  (first: it explains a python without matplotlib, numpy, scipy)
from zsplot.cli import parse_dirs, say_notes  # noqa: E402
from zsplot.question import recognise  # noqa: E402
from zsplot.results import NoData, Results  # noqa: E402
import compare_machines  # noqa: E402
import cost  # noqa: E402
import folio_size  # noqa: E402
import kernel_oracle  # noqa: E402
import preempt_latency  # noqa: E402
import residency  # noqa: E402
import seeds  # noqa: E402
import strategies_primitives  # noqa: E402


class _OneMachine:
    STEM = compare_machines.STEM

    @staticmethod
    def plot(res):
        return compare_machines.plot([res], None, None)


FIGURE = {"cost": cost, "cover-letter": strategies_primitives, "vendor-compare": _OneMachine,
          "preempt-latency": preempt_latency, "kernel-oracle": kernel_oracle, "residency": residency,
          "seeds": seeds}


def main(argv=None):
    args = parse_dirs(argv, __doc__)
    rc = 0
    for d in args.dirs:
        try:
            res = Results(d, args.where, args.lenient)
        except NoData as e:
            print("all.py: %s" % e, file=sys.stderr)
            rc = 2
            continue
        say_notes("all.py", res)
        question = recognise(res.meta)
        plots = [FIGURE[question]]
        by_backing = {}
        for k in res.keys:
            by_backing.setdefault(res.points[k].backing, set()).add(res.points[k].folio_size)
        if question == "cost":
            plots.append(folio_size)
        written = 0
        for mod in plots:
            try:
                if mod is folio_size and max(len(v) for v in by_backing.values()) < 2:
                    raise NoData("a fit of cost against folio size needs two sizes or more of one backing; "
                                 "this run has %s" % ", ".join(sorted({res.points[k].folio for k in res.keys})))
                mod.plot(res)
                written += 1
            except NoData as e:
                print("all.py: %s: %s: not drawn: %s" % (d, mod.STEM, e), file=sys.stderr)
        if not written:
            rc = 2
    return rc


if __name__ == "__main__":
    sys.exit(main())
