#!/usr/bin/python3
"""Every single-directory plot for one results directory.

usage: all.py DIR [--where AXIS=V[,V]] [--lenient]

Runs medians, distributions, target_effect and folio_size (what
`zeroscope report --plots` calls) and prints the paths written. A plot with
nothing to show is skipped with a one-line reason on stderr; the exit code is
0 when at least one plot was written, 2 when none was (or DIR is unusable).
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import zsplot  # noqa: E402,F401  (first: it explains a python without matplotlib, numpy, scipy)
from zsplot.cli import parse_dirs, say_notes  # noqa: E402
from zsplot.results import NoData, Results  # noqa: E402
import distributions  # noqa: E402
import folio_size  # noqa: E402
import medians  # noqa: E402
import target_effect  # noqa: E402

PLOTS = [medians, distributions, target_effect, folio_size]


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
        written = 0
        for mod in PLOTS:
            try:
                mod.plot(res)
                written += 1
            except NoData as e:
                print("all.py: %s: %s: skipped: %s" % (d, mod.STEM, e), file=sys.stderr)
        if not written:
            rc = 2
    return rc


if __name__ == "__main__":
    sys.exit(main())
