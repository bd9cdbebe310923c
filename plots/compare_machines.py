#!/usr/bin/python3
"""Machines side by side: each strategy's cost relative to a baseline strategy.

usage: compare_machines.py DIR_A DIR_B [DIR...] [--out DIR] [--baseline STRATEGY] [--where AXIS=V[,V]]

One panel per results directory (CPU model and kernel in each panel's
title), all on the same y axis: for each strategy, the median zero-phase
time (fault phase for kernel-fault) divided by the median of that
directory's own baseline strategy at the same folio, target, access and
cache (and primitive, where the baseline has it), with a 95% BCa
bootstrap CI of the ratio (scipy; both sides resampled independently). Absolute
times differ between vendors by more than the orders differ from each
other; ratios to each machine's own baseline set them side by side.

--baseline: default `upstream` where a directory has it, else `sequential`.
Writes FIRST_DIR/plots/compare_machines.{png,svg,json}, or into --out DIR.

A fleet directory (`./run.sh fleet`, fleet.json) stands for its completed
hosts, a panel each, one row of panels per vendor (the CPU vendor of each
host's capability record), the host's inventory name, vendor and CPU in the
panel's title; its default baseline is, per host, the replica of that host's
kernel path where it was measured (as `zeroscope report --by host`), else
upstream, else sequential; hosts that did not complete are named with their
status and reason in the footnote. Without --out its figure goes into
FLEETDIR/plots.
"""
import argparse
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import zsplot  # noqa: E402,F401  (first: it explains a python without matplotlib, numpy, scipy)
from zsplot.figure import finish, new_figure, save, tag, unused_off  # noqa: E402
from zsplot.intervals import ratio_ci, yerr  # noqa: E402
from zsplot.cli import LENIENT_HELP, refuse_same_directory, say_notes  # noqa: E402
from zsplot.results import NoData, Point, Results  # noqa: E402
from zsplot.question import kernel_path_text, replica_of  # noqa: E402
from zsplot.fleet import fleet_results, is_fleet_dir  # noqa: E402
from zsplot.series import make_series, target_tick, targets  # noqa: E402

STEM = "compare_machines"
MATCH = ("backing", "folio_size", "target", "access", "op", "cache", "evict")


def replica_baseline(res):
    """A fleet host's replica of its kernel path, when every folio it measured has the same one
    and it was measured: (strategy, width, batch), else None."""
    have = {res.points[k].strategy for k in res.keys if res.has(k, res.cost_phase(k))}
    paths = {(e.get("strategy"), e.get("width"), e.get("batch")) if e else None
             for e in (replica_of(res.meta, res.points[k].backing, res.points[k].folio_size) for k in res.keys)}
    if len(paths) != 1 or None in paths:
        return None
    path = paths.pop()
    return path if path[0] in have else None


def baseline_for(res, wanted):
    have = {res.points[k].strategy for k in res.keys}
    res.replica = None
    if not wanted and getattr(res, "fleet_host", None):
        res.replica = replica_baseline(res)
        if res.replica:
            return res.replica[0]
    if wanted:
        if wanted not in have:
            raise NoData("%s: no '%s' points to normalise to (strategies here: %s)" % (
                res.path, wanted, ", ".join(sorted(have))))
        return wanted
    for s in ("upstream", "sequential"):
        if s in have:
            return s
    raise NoData("%s: neither upstream nor sequential to normalise to; pick one of %s with --baseline" % (
        res.path, ", ".join(sorted(have))))


def match_baseline(res, key, base_keys):
    """The baseline point measured under the same conditions as key."""
    p = res.points[key]
    same = [b for b in base_keys if all(getattr(res.points[b], a) == getattr(p, a) for a in MATCH)]
    for prim in (p.primitive, "kernel"):
        for b in same:
            if res.points[b].primitive == prim:
                return b
    return same[0] if same else None


def is_replica_point(res, key):
    """Where the baseline is the replica, only the point with its width and batch."""
    if not res.replica:
        return True
    p = res.points[key]
    return all(want is None or str(have) in (str(want), "None")
               for want, have in ((res.replica[1], p.width), (res.replica[2], p.batch)))


def slots(results):
    """(nrows, ncols, [(row, col)] per directory): a fleet's hosts one row per vendor (wrapped at 3),
    plain directories 3 to a row."""
    if not any(getattr(r, "vendor", None) for r in results):
        ncols = min(len(results), 3)
        return (len(results) + ncols - 1) // ncols, ncols, [(i // ncols, i % ncols) for i in range(len(results))]
    out, row, col, prev = [], -1, 0, object()
    for r in results:
        v = getattr(r, "vendor", None)
        if v != prev or col == 3:
            row, col, prev = row + 1, 0, v
        out.append((row, col))
        col += 1
    return row + 1, max(c for _, c in out) + 1, out


def panel_title(res, base):
    if getattr(res, "fleet_host", None):
        why = "replica of its kernel path" if res.replica else "its kernel path's replica not measured"
        return "%s (%s): %s\nLinux %s · baseline %s (%s)" % (res.fleet_host, res.vendor, res.cpu, res.kernel,
                                                          base, why)
    kernel_prim = (res.meta.get("capability") or {}).get("primitives", {}).get("kernel")
    return "%s\nLinux %s · %s%s" % (res.cpu, res.kernel, res.name,
                                    " · kernel = %s" % kernel_prim if kernel_prim else "")


def plot(results, out_dir, wanted, fleets=()):
    plans = []
    for res in results:
        base = baseline_for(res, wanted)
        keys = [k for k in res.keys if res.has(k, res.cost_phase(k))]
        base_keys = [k for k in keys if res.points[k].strategy == base and is_replica_point(res, k)]
        pairs = []
        for k in keys:
            if res.points[k].strategy == base:
                continue
            b = match_baseline(res, k, base_keys)
            if b is not None:
                pairs.append((k, b))
        if not pairs:
            raise NoData("%s: no strategy measured beside the baseline '%s' under the same conditions" % (
                res.path, base))
        for p in res.points.values():
            p.resolved_primitive = None  # differs between machines; named in the panel title instead
        plans.append((res, base, pairs))

    all_points = [res.points[k] for res, _, pairs in plans for k, _ in pairs]
    series, of = make_series(all_points, exclude=("target",))
    nrows, ncols, where = slots([res for res, _, _ in plans])
    fig, axes = new_figure(nrows, ncols, w=5.0, h=3.8, sharey=True)
    used, drawn, counts, ratios = [], {}, [], []
    for i, (res, base, pairs) in enumerate(plans):
        ax = axes[where[i][0]][where[i][1]]
        used.append(ax)
        tgts = targets(res, [k for k, _ in pairs])
        present = [s for s in series if any(of[k] is s for k, _ in pairs)]
        width = 0.8 / len(present)
        for j, s in enumerate(present):
            xs, rs, los, his = [], [], [], []
            for x, t in enumerate(tgts):
                for k, b in pairs:
                    if of[k] is s and res.points[k].target == t:
                        v, bv = res.cost_values(k), res.cost_values(b)
                        r, lo, hi = ratio_ci(v, bv)
                        counts += [v.size, bv.size]
                        xs.append(x - 0.4 + width * (j + 0.5)), rs.append(r), los.append(lo), his.append(hi)
                        ratios.append({"dir": res.name, "key": k, "baseline": b, "ratio": r, "lo": lo, "hi": hi})
            if not xs:
                continue
            h = ax.errorbar(xs, rs, yerr=yerr(rs, los, his), color=s.color, marker=s.marker, linestyle="none",
                            markersize=5, capsize=3, label=s.label)
            drawn.setdefault(s.label, h)
            tag(ax, s.label)
        ax.axhline(1.0, color="#222222", linewidth=0.9, linestyle=":")
        ax.text(0.99, 0.01, "1 = %s" % base, transform=ax.transAxes, ha="right", va="bottom", fontsize=7,
                color="#222222")
        ax.set_xticks(range(len(tgts)))
        ax.set_xticklabels([target_tick(res, [k for k, _ in pairs], t) for t in tgts])
        ax.set_xlim(-0.6, len(tgts) - 0.4)
        ax.set_xlabel("target (faulting page)")
        ax.set_ylabel("median / median of %s (ratio)" % base)
        ax.tick_params(labelleft=True)
        ax.grid(axis="y", alpha=0.3)
        ax.set_title(panel_title(res, base))
    unused_off(fig, axes, used)
    machines = []
    for res, _, _ in plans:
        m = "%s · Linux %s · %s" % (res.cpu, res.kernel,
                                    kernel_path_text(res.meta, {res.points[k].folio for k in res.keys}))
        if m not in machines:
            machines.append(m)
    line = " vs ".join(machines) if len(machines) <= 3 else "%d machines (see the panels)" % len(machines)
    for fl in fleets:
        line = "fleet %s: %d of %d hosts completed, one row of panels per vendor" % (
            fl.name, len(fl.completed()), len(fl.hosts))
    title = "Zeroing cost relative to each machine's own baseline (zero phase; fault phase for kernel-fault)\n" + line
    foot = []
    for fl in fleets:
        for h in fl.not_completed():
            foot.append("%s: not completed, not drawn: %s: %s" % (h.name, h.status, h.reason or "no reason recorded"))
    for res, base, _ in plans:
        z = res.meta.get("zeroscope") or {}
        s = res.meta.get("samples") or {}
        foot.append("%s: %s, zeroscope %s %s, started %s, status %s, kept %s of %s samples, baseline %s" % (
            res.name, res.label or "no label", z.get("version", "?"), z.get("commit", "?"),
            res.meta.get("started", "?"), res.status, s.get("kept", "?"), s.get("done", "?"), base))
    foot.append("points: ratio of medians, %s; error bars: 95%% BCa bootstrap CI of the ratio "
                "(scipy, 2000 resamples of each side). Each point over the baseline at the same folio, target, access and "
                "cache, with the same primitive where the baseline has it (kernel-fault: its fault phase over the "
                "baseline's zero phase with primitive kernel)." % res.n_range(counts))
    labels = [s.label for s in series if s.label in drawn]
    finish(fig, title, "\n".join(foot), [drawn[l] for l in labels], labels)
    target = out_dir or os.path.join(results[0].path, "plots")
    return save(fig, None, STEM, title, used, out_dir=target,
                   extra={"dirs": [r.path for r in results], "ratios": ratios})


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.strip().splitlines()[0])
    ap.add_argument("dirs", nargs="+", metavar="DIR",
                    help="zeroscope results directories, one panel each; a fleet directory, a panel per completed host")
    ap.add_argument("--out", metavar="DIR", help="write the figure into DIR (default: FIRST_DIR/plots)")
    ap.add_argument("--baseline", metavar="STRATEGY",
                    help="strategy each directory is normalised to (default: upstream, else sequential)")
    ap.add_argument("--where", action="append", default=[], metavar="AXIS=V[,V]",
                    help="keep only points whose axis is one of the values (see medians.py --help)")
    ap.add_argument("--lenient", action="store_true", help=LENIENT_HELP)
    args = ap.parse_args(argv)
    for w in args.where:
        if "=" not in w or w.partition("=")[0] not in Point.FIELDS:
            ap.error("--where %s: expected AXIS=VALUE[,VALUE] with AXIS one of %s" % (
                w, ", ".join(Point.FIELDS[1:])))
    try:
        refuse_same_directory(args.dirs)
        results, fleets = [], []
        for d in args.dirs:  # a fleet directory: its completed hosts, by vendor
            if is_fleet_dir(d):
                fleet, hosts = fleet_results(d, args.where, args.lenient)
                fleets.append(fleet)
                results += hosts
            else:
                results.append(Results(d, args.where, args.lenient))
        refuse_same_directory([r.path for r in results])
        for r in results:
            say_notes("compare_machines.py", r)
        out = args.out or (os.path.join(args.dirs[0], "plots") if is_fleet_dir(args.dirs[0]) else None)
        plot(results, out, args.baseline, fleets)
    except NoData as e:
        print("compare_machines.py: %s" % e, file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
