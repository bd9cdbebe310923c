#!/usr/bin/python3
"""What the faulting program finds in cache: page index against load latency.

usage: residency.py DIR [DIR...] [--where AXIS=V[,V]] [--lenient]

The figure of a residency sweep (access = ["residency"]): right after the
zero phase, loads to sampled lines of every page of the folio were timed
(residency.csv: key,rep,page,ns,level; ns is the page's load latency, the
timing overhead subtracted). One panel per folio (backing and size) and
target; one line per strategy: the median latency of each page over the
repetitions with its 95% BCa interval (thin, shaded) and a running median
of those over 9 pages (bold), a guide to the eye. Dashed lines: the level thresholds calibrated on
this machine at start-up (meta.json residency.calibration.thresholds_ns),
below which a load counts as L1, L2, LLC. Log latency axis.
Writes DIR/plots/residency.{png,svg,json}.
"""
import csv
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import zsplot  # noqa: E402,F401  (first: it explains a python without matplotlib, numpy, scipy)
import matplotlib.transforms as mtransforms  # noqa: E402
import numpy as np  # noqa: E402
from zsplot.cli import main_per_dir  # noqa: E402
from zsplot.dots import panel_title, panels  # noqa: E402
from zsplot.figure import finish, new_figure, plain_log, save, tag, unused_off  # noqa: E402
from zsplot.intervals import median_ci  # noqa: E402
from zsplot.question import question_text  # noqa: E402
from zsplot.results import NoData  # noqa: E402
from zsplot.series import target_tick  # noqa: E402
from zsplot.units import fmt_bytes  # noqa: E402

STEM = "residency"
SMOOTH = 9  # pages in the running median drawn bold, a guide to the eye over the per-page medians


def read_residency(res):
    """{key: {page: [ns, ...]}} of the kept points; NoData naming the line of a damaged row."""
    path = os.path.join(res.path, "residency.csv")
    if not os.path.isfile(path):
        raise NoData("%s: missing; a residency sweep (access = [\"residency\"]) writes it" % path)
    out, bad = {}, 0
    with open(path, newline="") as f:
        r = csv.reader(f)
        head = next(r, [])
        if head[:5] != ["key", "rep", "page", "ns", "level"]:
            raise NoData("%s:1: header %r, expected key,rep,page,ns,level" % (path, ",".join(head)))
        for line, row in enumerate(r, start=2):
            try:
                key, page, ns = row[0], int(row[2]), float(row[3])
                if not np.isfinite(ns):
                    raise ValueError
            except (ValueError, IndexError):
                if not res.lenient:
                    raise NoData("%s:%d: not a row key,rep,page,ns,level; the file is damaged (rerun with --lenient "
                                 "to leave the damaged rows out, or restore the file)" % (path, line))
                bad += 1
                continue
            out.setdefault(key, {}).setdefault(page, []).append(ns)
    if bad:
        res.notes.append("residency.csv: left out %d damaged row%s" % (bad, "" if bad == 1 else "s"))
    return out


def plot(res):
    data = read_residency(res)
    keys = [k for k in res.keys if k in data]
    if not keys:
        raise NoData("residency.csv holds no page of the kept points")
    _, series, of, groups = panels([res.points[k] for k in keys], ["backing", "folio_size", "target"],
                                   exclude=("access",))
    ncols = min(len(groups), 2)
    nrows = -(-len(groups) // ncols)
    fig, axes = new_figure(nrows, ncols, w=6.0, h=3.6)
    used, drawn, counts, hot = [], {}, [], []
    thresholds = ((((res.meta.get("residency") or {}).get("calibration") or {}).get("thresholds_ns")) or {})
    for i, (gkey, gpts) in enumerate(groups):
        ax = axes[i // ncols][i % ncols]
        npages = 0
        for s in series:
            for p in gpts:
                if of[p.key] is not s:
                    continue
                pages = data[p.key]
                idx = np.array(sorted(pages))
                npages = max(npages, int(idx.max()) + 1)
                stats = np.array([median_ci(pages[j]) for j in idx], dtype=float)
                counts += [len(pages[j]) for j in idx]
                m, lo, hi = stats[:, 0], stats[:, 1], stats[:, 2]
                ok = ~np.isnan(lo)
                ax.fill_between(idx[ok], lo[ok], hi[ok], color=s.color, alpha=0.18, linewidth=0, step="mid")
                ax.plot(idx, m, color=s.color, linewidth=0.6, alpha=0.5, drawstyle="steps-mid")
                half = SMOOTH // 2
                run = np.array([np.median(m[max(0, j - half):j + half + 1]) for j in range(len(m))])
                (line,) = ax.plot(idx, run, color=s.color, linewidth=1.8, label=s.label)
                drawn.setdefault(s.label, line)
                tag(ax, s.label)
                hot.append({"key": p.key, "first_pages_ns": float(np.median(np.concatenate(
                    [pages[j] for j in idx[:3]]))), "last_pages_ns": float(np.median(np.concatenate(
                        [pages[j] for j in idx[-3:]])))})
        used.append(ax)
        plain_log(ax, "y")
        blend = mtransforms.blended_transform_factory(ax.transAxes, ax.transData)
        for level in ("L1", "L2", "LLC"):
            t = thresholds.get(level)
            if isinstance(t, (int, float)) and t > 0:
                ax.axhline(t, color="#888888", linewidth=0.8, linestyle="--", zorder=0)
                ax.text(0.995, t, "%s up to %.3g ns" % (level, t), transform=blend, ha="right", va="bottom",
                        fontsize=6.5, color="#555555", bbox={"facecolor": "white", "edgecolor": "none",
                                                             "alpha": 0.8, "pad": 0.5})
        ax.set_xlim(-0.5, npages - 0.5)
        ax.set_xlabel("page index in the folio (%s pages)" % fmt_bytes(res.page_bytes))
        ax.set_ylabel("load latency, median (ns)")
        ax.grid(alpha=0.3)
        tgt = target_tick(res, [p.key for p in gpts], gpts[0].target).replace("\n", " ")
        ax.set_title("%s · target %s" % (panel_title(gkey[:2]), tgt))
    unused_off(fig, axes, used)
    labels = [s.label for s in series if s.label in drawn]
    r = res.meta.get("residency") or {}
    n = sorted(set(counts or [0]))
    over = r.get("overhead_ns")
    notes = ["thin lines: each page's median load latency over the repetitions; bands: its 95%% BCa bootstrap CI "
             "(scipy, 2000 resamples), n = %s a page; bold: the running median of those over %d pages, a guide to "
             "the eye. %s lines probed a page, in one random permutation over the folio; timing overhead %s ns "
             "subtracted." % ("..".join(str(x) for x in sorted({n[0], n[-1]})), SMOOTH, r.get("lines_per_page", "?"),
                              "%.1f" % over if isinstance(over, (int, float)) else "?")]
    title = res.title(question_text(res.meta) or "What the faulting program finds in cache after the zeroing")
    finish(fig, title, res.footnote(" ".join(notes)), [drawn[lb] for lb in labels], labels)
    return save(fig, res, STEM, title, used, extra={"question": "residency", "ends": hot})


def main(argv=None):
    return main_per_dir("residency.py", plot, argv, __doc__)


if __name__ == "__main__":
    sys.exit(main())
