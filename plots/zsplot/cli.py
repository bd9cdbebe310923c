"""The command line every plot script shares: DIR [DIR...] [--where AXIS=V[,V]]."""
import argparse
import sys

from zsplot.results import NoData, Point, Results


def parse_dirs(argv, doc):
    ap = argparse.ArgumentParser(description=(doc or "").strip().splitlines()[0])
    ap.add_argument("dirs", nargs="+", metavar="DIR", help="zeroscope results directory")
    ap.add_argument("--where", action="append", default=[], metavar="AXIS=V[,V]",
                    help="keep only points whose axis (as written in the config) is one of the values; "
                         "repeatable, e.g. --where strategy=extent,upstream --where target=first")
    args = ap.parse_args(argv)
    for w in args.where:
        axis = w.partition("=")[0]
        if "=" not in w or axis not in Point.FIELDS:
            ap.error("--where %s: expected AXIS=VALUE[,VALUE] with AXIS one of %s" % (w, ", ".join(Point.FIELDS[1:])))
    return args


def main_per_dir(name, plot, argv, doc):
    """Run plot(Results) for each DIR; a directory with nothing to plot is one
    line on stderr, and the exit code is 2 if any had nothing."""
    args = parse_dirs(argv, doc)
    rc = 0
    for d in args.dirs:
        try:
            plot(Results(d, args.where))
        except NoData as e:
            msg = str(e)
            if not msg.startswith(d.rstrip("/")):
                msg = "%s: %s" % (d, msg)
            print("%s: %s" % (name, msg), file=sys.stderr)
            rc = 2
    return rc
