#!/usr/bin/python3
"""Shared helpers of the zeroscope plot scripts.

A results directory (README.md, "Results directory") is read as written by
`zeroscope run`: meta.json for the machine, the kernel and the points (each
point's axes as written in the config, keyed by the point key), samples.csv
for the samples. Only rows with an empty `left_out` are used: a sample the
harness left out (not huge, backing unverified, multiplexed) is never
plotted. A cell that was not measured is empty in samples.csv and is skipped
here, never read as 0.

Uncertainty: every median is drawn with a 95% percentile-bootstrap interval
(2000 resamples, fixed seed, so the same data give the same figure).

Figures are saved as DIR/plots/<stem>.png and .svg, with a sidecar
<stem>.json ({"panels": N, "title": ..., "axes": [...]}) that the tests and
`zeroscope report` read instead of parsing images.
"""
import csv
import json
import math
import os
import sys
import textwrap

try:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.colors as mcolors
    import matplotlib.pyplot as plt
    import numpy as np
except ImportError as _e:
    # The pyenv python3 first on PATH has neither: the scripts are for the distribution's.
    sys.exit("%s: %s lacks matplotlib/numpy (%s); run the plots with /usr/bin/python3 "
             "(apt-get install python3-matplotlib python3-numpy)" % (os.path.basename(sys.argv[0]), sys.executable, _e))

N_BOOT = 2000
LEVEL = 0.95
SEED = 1
CI_TEXT = "95% percentile-bootstrap CI of the median (2000 resamples)"

PHASE_TITLE = {
    "zero": "zero phase: the clearing",
    "fault": "fault phase: kernel fault path",
    "access": "access phase: the program after it",
    "batch_max": "longest batch between preemption points",
}
STRATEGY_ORDER = ["sequential", "left-right", "three-region", "extent", "upstream", "kernel-fault"]
STRATEGY_COLOR = {
    "sequential": "#1f77b4",
    "left-right": "#ff7f0e",
    "three-region": "#2ca02c",
    "extent": "#9467bd",
    "upstream": "#d62728",
    "kernel-fault": "#4d4d4d",
}
EXTRA_COLORS = ["#8c564b", "#e377c2", "#17becf", "#bcbd22", "#7f7f7f"]
TARGET_ORDER = {"first": 0, "middle": 1, "last": 2}
# Axes that may tell two series apart, in label order; target and the folio
# (backing, size) are usually a panel or the x axis instead.
SERIES_AXES = ["primitive", "access", "cache", "batch", "width", "backing", "folio_size", "target"]

plt.rcParams.update({
    "svg.hashsalt": "zeroscope",  # stable ids: the same data give the same SVG
    "font.size": 9,
    "axes.titlesize": 9,
    "axes.labelsize": 9,
    "legend.fontsize": 8,
    "figure.dpi": 100,
})


class NoData(Exception):
    """Nothing to plot, or a directory that cannot be read: one line, exit 2."""


# ---------------------------------------------------------------- formatting

def fmt_bytes(n):
    n = int(n)
    for unit, size in (("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)):
        if n >= size and n % size == 0:
            return "%d %s" % (n // size, unit)
        if n >= size:
            return "%.3g %s" % (n / size, unit)
    return "%d B" % n


def parse_size(text):
    """'2MB', '2MiB', '64KB', '2097152' -> bytes (zeroscope's sizes are binary)."""
    t = str(text).strip().upper().replace("IB", "B")
    mult = {"KB": 1 << 10, "MB": 1 << 20, "GB": 1 << 30, "K": 1 << 10, "M": 1 << 20, "G": 1 << 30, "B": 1}
    for suffix in ("KB", "MB", "GB", "K", "M", "G", "B"):
        if t.endswith(suffix):
            return int(float(t[: -len(suffix)]) * mult[suffix])
    return int(t)


def us(ns_values):
    return np.asarray(ns_values, dtype=float) / 1000.0


# ---------------------------------------------------------------- statistics

def median_ci(x, n_boot=N_BOOT, level=LEVEL, seed=SEED):
    """(median, lo, hi): percentile bootstrap of the median; lo = hi = nan for n < 2."""
    x = np.asarray(x, dtype=float)
    if x.size == 0:
        raise ValueError("median of no samples")
    med = float(np.median(x))
    if x.size < 2:
        return med, math.nan, math.nan
    rng = np.random.default_rng(seed)
    meds = np.median(x[rng.integers(0, x.size, size=(n_boot, x.size))], axis=1)
    lo, hi = np.percentile(meds, [50 * (1 - level), 50 * (1 + level)])
    return med, float(lo), float(hi)


def ratio_ci(x, y, n_boot=N_BOOT, level=LEVEL, seed=SEED):
    """median(x) / median(y) with a percentile-bootstrap CI, x and y resampled independently."""
    x = np.asarray(x, dtype=float)
    y = np.asarray(y, dtype=float)
    if x.size == 0 or y.size == 0:
        raise ValueError("ratio of no samples")
    ratio = float(np.median(x) / np.median(y))
    if x.size < 2 or y.size < 2:
        return ratio, math.nan, math.nan
    rng = np.random.default_rng(seed)
    mx = np.median(x[rng.integers(0, x.size, size=(n_boot, x.size))], axis=1)
    my = np.median(y[rng.integers(0, y.size, size=(n_boot, y.size))], axis=1)
    lo, hi = np.percentile(mx / my, [50 * (1 - level), 50 * (1 + level)])
    return ratio, float(lo), float(hi)


def fit_fixed_per_page(pages, t):
    """Least squares t = fixed + per_page * pages; returns (fixed, per_page, r2)."""
    pages = np.asarray(pages, dtype=float)
    t = np.asarray(t, dtype=float)
    a = np.column_stack([np.ones_like(pages), pages])
    coef, _, _, _ = np.linalg.lstsq(a, t, rcond=None)
    resid = t - a @ coef
    ss_tot = float(np.sum((t - t.mean()) ** 2))
    r2 = 1.0 - float(np.sum(resid ** 2)) / ss_tot if ss_tot > 0 else math.nan
    return float(coef[0]), float(coef[1]), r2


def yerr(meds, los, his):
    """Asymmetric error bars; a point without an interval (n < 2) gets none."""
    meds, los, his = (np.asarray(v, dtype=float) for v in (meds, los, his))
    lo = np.where(np.isnan(los), 0.0, meds - los)
    hi = np.where(np.isnan(his), 0.0, his - meds)
    return np.vstack([lo, hi])


# ---------------------------------------------------------------- the data

class Point:
    """One point of the sweep, its axes as written in the config."""

    FIELDS = ("key", "backing", "folio_size", "strategy", "primitive", "target", "access", "op",
              "cache", "evict", "batch", "width")

    def __init__(self, d):
        for f in self.FIELDS:
            setattr(self, f, d.get(f))
        self.folio_size = int(self.folio_size)
        self.target = str(self.target)
        self.resolved_primitive = None  # from samples.csv: what `kernel` resolved to

    @classmethod
    def from_key(cls, key):
        # backing/bytes/strategy/primitive/target/access:op/cache[:evict]/bN/wN
        p = key.split("/")
        if len(p) != 9:
            raise NoData("point key %r is not backing/bytes/strategy/primitive/target/access/cache/b/w" % key)
        access, _, op = p[5].partition(":")
        cache, _, evict = p[6].partition(":")
        none = lambda v: None if v in ("-", "") else v  # noqa: E731
        return cls({"key": key, "backing": p[0], "folio_size": p[1], "strategy": p[2],
                    "primitive": none(p[3]), "target": p[4], "access": access, "op": op or None,
                    "cache": cache, "evict": evict or None,
                    "batch": none(p[7][1:]), "width": none(p[8][1:])})

    def axis_text(self, axis):
        """The value of an axis as a label, or None where it does not apply."""
        v = getattr(self, axis)
        if v is None:
            return None
        if axis == "folio_size":
            return fmt_bytes(v)
        if axis == "primitive":
            r = self.resolved_primitive
            return v if not r or r == v else "%s (%s)" % (v, r)
        if axis == "access":
            return "%s:%s" % (v, self.op) if self.op else v
        if axis == "cache":
            return "%s:%s" % (v, self.evict) if self.evict else v
        if axis == "batch":
            return "batch whole" if str(v) == "0" else "batch %s page%s" % (v, "" if str(v) == "1" else "s")
        if axis == "width":
            return "W=%s" % v
        if axis == "target":
            return "target %s" % v
        return str(v)

    @property
    def folio(self):
        return "%s %s" % (self.backing, fmt_bytes(self.folio_size))


class Results:
    """A results directory: meta.json, the points, the kept samples."""

    def __init__(self, path, where=None):
        self.path = os.path.abspath(path)
        self.name = os.path.basename(self.path.rstrip("/"))
        meta_path = os.path.join(path, "meta.json")
        csv_path = os.path.join(path, "samples.csv")
        if not os.path.isdir(path):
            raise NoData("%s: not a directory" % path)
        for p in (meta_path, csv_path):
            if not os.path.isfile(p):
                raise NoData("%s: missing; not a zeroscope results directory" % p)
        try:
            with open(meta_path) as f:
                self.meta = json.load(f)
        except (OSError, ValueError) as e:
            raise NoData("%s: unreadable: %s" % (meta_path, e))
        cap = self.meta.get("capability") or {}
        self.cpu = cpu_name(cap)
        self.kernel = ((cap.get("kernel") or {}).get("release")) or "unknown kernel"
        self.host = ((cap.get("host") or {}).get("name")) or ""
        self.label = self.meta.get("label") or ""
        self.status = self.meta.get("status") or "unknown"
        self.page_bytes = base_page_bytes(cap)

        self.points = {}
        for d in (self.meta.get("config") or {}).get("points") or []:
            if d.get("key"):
                self.points[d["key"]] = Point(d)

        self._values = {}  # (key, phase) -> list of row dicts
        total = 0
        with open(csv_path, newline="") as f:
            reader = csv.DictReader(f)
            for need in ("key", "phase", "ns", "rep"):
                if need not in (reader.fieldnames or []):
                    raise NoData("%s: no '%s' column" % (csv_path, need))
            for row in reader:
                total += 1
                if row.get("left_out", ""):
                    continue
                key = row["key"]
                if key not in self.points:
                    self.points[key] = Point.from_key(key)
                pt = self.points[key]
                if pt.resolved_primitive is None and row.get("primitive"):
                    pt.resolved_primitive = row["primitive"]
                self._values.setdefault((key, row["phase"]), []).append(row)
        self.rows_total = total
        self.where = where or []
        kept = {k for k, _ in self._values}
        self.keys = [k for k in self.points if k in kept and self._matches(self.points[k])]
        if not self.keys:
            if total == 0:
                raise NoData("%s: no samples" % csv_path)
            why = "no kept samples" if not kept else "no kept samples match %s" % " ".join(
                "--where %s" % w for w in self.where)
            raise NoData("%s: %s (%d rows)" % (csv_path, why, total))

    def _matches(self, pt):
        for w in self.where:
            axis, _, values = w.partition("=")
            values = values.split(",")
            v = getattr(pt, axis, None)
            if axis == "folio_size":
                try:
                    if pt.folio_size not in {parse_size(x) for x in values}:
                        return False
                except ValueError:
                    raise NoData("--where %s: not a size" % w)
            elif str(v if v is not None else "-") not in values:
                return False
        return True

    # -- samples
    def has(self, key, phase, column="ns"):
        return any(r.get(column, "") != "" for r in self._values.get((key, phase), []))

    def values(self, key, phase, column="ns"):
        """The kept, measured values of one column, as floats (empty cells skipped)."""
        return np.array([float(r[column]) for r in self._values.get((key, phase), [])
                         if r.get(column, "") != ""], dtype=float)

    def by_rep(self, key, phase, column="ns"):
        return {r["rep"]: float(r[column]) for r in self._values.get((key, phase), [])
                if r.get(column, "") != ""}

    def target_page(self, key):
        """The page the target resolved to (samples.csv `target`), or None when it varies (random)."""
        pages = {r.get("target", "") for rows in (self._values.get((key, ph), []) for ph in ("zero", "fault"))
                 for r in rows}
        pages.discard("")
        return int(pages.pop()) if len(pages) == 1 else None

    def cost_phase(self, key):
        """The phase that pays for the zeroing: fault for kernel-fault, else zero."""
        return "fault" if self.has(key, "fault") else "zero"

    def cost_values(self, key):
        return self.values(key, self.cost_phase(key))

    def cost_plus_access(self, key):
        """Per sample: zero (or fault) + access of the same repetition, both kept."""
        a = self.by_rep(key, self.cost_phase(key))
        b = self.by_rep(key, "access")
        return np.array([a[r] + b[r] for r in a if r in b], dtype=float)

    # -- describing
    def title(self, what):
        line = "%s · Linux %s" % (self.cpu, self.kernel)
        if self.host:
            line += " · host %s" % self.host
        if self.status != "complete":
            s = self.meta.get("samples") or {}
            line += " · %s: %s of %s samples" % (self.status.upper(), s.get("done", "?"), s.get("expected", "?"))
        return "%s\n%s" % (what, line)

    def footnote(self, extra=""):
        z = self.meta.get("zeroscope") or {}
        s = self.meta.get("samples") or {}
        lo = s.get("left_out") or {}
        left = ", ".join("%s %s" % (v, k) for k, v in lo.items()) if lo else "none"
        text = "results %s (%s) · zeroscope %s %s · started %s · samples kept %s of %s, left out: %s" % (
            self.name, self.label or "no label", z.get("version", "?"), z.get("commit", "?"),
            self.meta.get("started", "?"), s.get("kept", "?"), s.get("done", "?"), left)
        return text + ("\n" + extra if extra else "")

    def n_range(self, counts):
        counts = [c for c in counts if c]
        if not counts:
            return "n = 0"
        lo, hi = min(counts), max(counts)
        return "n = %d samples per point" % lo if lo == hi else "n = %d..%d samples per point" % (lo, hi)


def cpu_name(cap):
    cpu = cap.get("cpu") or {}
    name = cpu.get("model_name")
    if not name:
        if cpu.get("vendor"):
            name = "%s family %s model %s" % (cpu.get("vendor"), cpu.get("family"), cpu.get("model"))
        else:
            return "unknown CPU (meta.json has no capability.cpu)"
    extra = []
    if cpu.get("uarch") and cpu["uarch"].lower() not in name.lower():
        extra.append(cpu["uarch"])
    hv = cpu.get("hypervisor") or {}
    if hv.get("present"):
        extra.append("%s guest" % (hv.get("vendor") or "VM").split()[0])
    return "%s (%s)" % (name, ", ".join(extra)) if extra else name


def base_page_bytes(cap):
    """The base page size: a PMD maps (page / 8) pages of `page` bytes, so page = sqrt(8 * pmd)."""
    pmd = (cap.get("thp") or {}).get("pmd_bytes")
    if pmd:
        page = int(round(math.sqrt(8 * pmd)))
        if page * page == 8 * pmd:
            return page
    return 4096


# ---------------------------------------------------------------- series

def order_key(value):
    """Sort axis values: named targets in folio order, numbers numerically."""
    s = "" if value is None else str(value)
    if s in TARGET_ORDER:
        return (0, TARGET_ORDER[s], "")
    if s == "random":
        return (3, 0, "")
    if s.startswith("offset:"):
        try:
            return (2, parse_size(s[7:]), s)
        except ValueError:
            return (2, 0, s)
    try:
        return (1, float(s), "")
    except ValueError:
        return (4, 0, s)


def varying(points, axes):
    """The axes (of those given) that take more than one value among points."""
    return [a for a in axes if len({getattr(p, a) for p in points if getattr(p, a) is not None}) > 1]


class Series:
    def __init__(self, strategy, parts, sort):
        self.strategy = strategy
        self.parts = parts
        self.sort = sort
        self.label = " · ".join([strategy] + [p for p in parts if p])
        self.color = STRATEGY_COLOR.get(strategy, "#000000")
        self.marker = "o"


def make_series(points, exclude=()):
    """Map each point key to a Series: its strategy plus every other axis that
    varies among the points, except those shown elsewhere (exclude)."""
    axes = varying(points, [a for a in SERIES_AXES if a not in exclude])
    by_id = {}
    for p in points:
        ident = (p.strategy,) + tuple(p.axis_text(a) for a in axes)
        if ident not in by_id:
            sort = (STRATEGY_ORDER.index(p.strategy) if p.strategy in STRATEGY_ORDER else len(STRATEGY_ORDER),
                    p.strategy) + tuple(order_key(getattr(p, a)) for a in axes)
            by_id[ident] = Series(p.strategy, list(ident[1:]), sort)
    series = sorted(by_id.values(), key=lambda s: s.sort)
    _colour(series)
    mapping = {p.key: by_id[(p.strategy,) + tuple(p.axis_text(a) for a in axes)] for p in points}
    return series, mapping


def _colour(series):
    """One hue per strategy; variants of a strategy get lighter shades and other markers."""
    unknown = iter(EXTRA_COLORS * 10)
    hues = {}
    for s in series:
        if s.strategy not in hues:
            hues[s.strategy] = STRATEGY_COLOR.get(s.strategy) or next(unknown)
    groups = {}
    for s in series:
        groups.setdefault(s.strategy, []).append(s)
    markers = ["o", "s", "^", "D", "v", "P", "X", "*"]
    for strategy, members in groups.items():
        base = np.array(mcolors.to_rgb(hues[strategy]))
        for i, s in enumerate(members):
            mix = 0.0 if len(members) == 1 else 0.6 * i / (len(members) - 1)
            s.color = mcolors.to_hex(base * (1 - mix) + mix)
            s.marker = markers[i % len(markers)]


def facets(res, keys):
    """Folio configurations (backing, size) in order: one panel row each."""
    return sorted({res.points[k].folio for k in keys},
                  key=lambda f: [p.folio_size for p in res.points.values() if p.folio == f][0])


def targets(res, keys):
    return sorted({res.points[k].target for k in keys}, key=order_key)


def target_tick(res, keys, target):
    """'first' -> 'first\n(page 0)': the name as written and the page it resolved to."""
    pages = {res.target_page(k) for k in keys if res.points[k].target == target}
    if len(pages) == 1 and None not in pages:
        page = pages.pop()
        return target if target == str(page) else "%s\n(page %d)" % (target, page)
    return target


# ---------------------------------------------------------------- figures

def new_figure(nrows, ncols, w=4.6, h=3.4, **kw):
    fig, axes = plt.subplots(nrows, ncols, figsize=(w * ncols + 0.4, h * nrows + 1.6),
                             squeeze=False, **kw)
    return fig, axes


def finish(fig, title, footnote, handles=None, labels=None):
    """Title on top; shared legend and footnote at the bottom; then lay out around them."""
    fig.suptitle(title, fontsize=10, y=0.995, va="top")
    width_chars = int(fig.get_figwidth() * 72 / (6.5 * 0.56))
    lines = []
    for para in footnote.split("\n"):
        lines.extend(textwrap.wrap(para, width_chars) or [""])
    foot = fig.text(0.005, 0.005, "\n".join(lines), fontsize=6.5, color="#444444", va="bottom", ha="left")
    renderer = fig.canvas.get_renderer()
    fig_h = fig.bbox.height
    foot_h = foot.get_window_extent(renderer).height / fig_h + 0.008
    leg = None
    if handles:
        n = len(handles)
        rows = -(-n // 6)
        ncol = -(-n // rows)
        leg = fig.legend(handles, labels, loc="lower center", bbox_to_anchor=(0.5, foot_h), ncol=ncol,
                         frameon=False)
    bottom = foot_h + (leg.get_window_extent(renderer).height / fig_h if leg else 0.0)
    # tight_layout leaves room for the suptitle itself; the legend and footnote are ours.
    fig.tight_layout(rect=(0, bottom, 1, 1), pad=0.6)


def plain_log(ax, which="x"):
    """A log axis labelled 1, 2, 5, 10, 20, ... (not 10^1 alone): readable without a calculator."""
    import matplotlib.ticker as mticker
    axis = ax.xaxis if which == "x" else ax.yaxis
    (ax.set_xscale if which == "x" else ax.set_yscale)("log")
    axis.set_major_locator(mticker.LogLocator(base=10, subs=(1.0, 2.0, 5.0)))
    axis.set_major_formatter(mticker.FuncFormatter(lambda v, _: "%g" % v))
    axis.set_minor_formatter(mticker.NullFormatter())


def unused_off(fig, axes, used):
    for ax in axes.flat:
        if ax not in used:
            ax.set_visible(False)
            fig.delaxes(ax)


def save(fig, res_or_dir, stem, title, used_axes, out_dir=None, extra=None):
    """Write <dir>/plots/<stem>.png, .svg and .json (or into out_dir); print and return the paths."""
    if out_dir is None:
        out_dir = os.path.join(res_or_dir.path if isinstance(res_or_dir, Results) else res_or_dir, "plots")
    os.makedirs(out_dir, exist_ok=True)
    base = os.path.join(out_dir, stem)
    fig.savefig(base + ".png", dpi=150, metadata={"Software": None})
    fig.savefig(base + ".svg", metadata={"Date": None})
    side = {
        "plot": stem,
        "panels": len(used_axes),
        "title": title,
        "axes": [{"title": ax.get_title(), "xlabel": ax.get_xlabel(), "ylabel": ax.get_ylabel(),
                  "xscale": ax.get_xscale(), "yscale": ax.get_yscale(),
                  "series": sorted(getattr(ax, "_zs_series", [])),
                  "legend": [t.get_text() for t in ax.get_legend().get_texts()] if ax.get_legend() else []}
                 for ax in used_axes],
    }
    if extra:
        side.update(extra)
    with open(base + ".json", "w") as f:
        json.dump(side, f, indent=1, sort_keys=True)
        f.write("\n")
    plt.close(fig)
    paths = [base + ".png", base + ".svg", base + ".json"]
    for p in paths:
        print(p)
    return paths


def tag(ax, label):
    """Record that a series is drawn in this panel (for the sidecar)."""
    if not hasattr(ax, "_zs_series"):
        ax._zs_series = set()
    ax._zs_series.add(label)


# ---------------------------------------------------------------- command line

def parse_dirs(argv, doc):
    import argparse
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
