"""The command line every plot script shares: DIR [DIR...] [--where AXIS=V[,V]] [--lenient]."""
import argparse
import os
import sys

from zsplot.results import NoData, Point, Results


LENIENT_HELP = ("leave damaged rows of samples.csv (duplicated, malformed, of incomplete samples) out, "
                "counted on stderr and in the footnote, instead of refusing the directory")


def say_notes(name, res):
    """What the reader left out of a directory, one line each on stderr."""
    for note in res.notes:
        print("%s: %s: %s" % (name, res.path, note), file=sys.stderr)


def refuse_same_directory(dirs):
    """A directory given twice (x and ./x, or through a link) is one run, not two: NoData."""
    seen = {}
    for d in dirs:
        real = os.path.realpath(d)
        if real in seen:
            raise NoData("'%s' and '%s' are the same results directory (%s); compare two different runs" % (
                seen[real], d, real))
        seen[real] = d


def parse_dirs(argv, doc):
    ap = argparse.ArgumentParser(description=(doc or "").strip().splitlines()[0])
    ap.add_argument("dirs", nargs="+", metavar="DIR", help="zeroscope results directory")
    ap.add_argument("--where", action="append", default=[], metavar="AXIS=V[,V]",
                    help="keep only points whose axis (as written in the config) is one of the values; "
                         "repeatable, e.g. --where strategy=extent,upstream --where target=first")
    ap.add_argument("--lenient", action="store_true", help=LENIENT_HELP)
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
            res = Results(d, args.where, args.lenient)
            say_notes(name, res)
            plot(res)
        except NoData as e:
            msg = str(e)
            if not msg.startswith(d.rstrip("/")):
                msg = "%s: %s" % (d, msg)
            print("%s: %s" % (name, msg), file=sys.stderr)
            rc = 2
    return rc
