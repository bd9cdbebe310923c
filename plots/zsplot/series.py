"""Which points form a series, in what order and colour, and which panels
they fall into. Series are strategies; where a sweep varies more axes (the
primitive, access pattern, cache, batch, width), each combination is its
own series, in its strategy's colour, lighter for each variant. Colours are
fixed per strategy across all plots."""
import matplotlib.colors as mcolors
import numpy as np

from zsplot.units import parse_size

STRATEGY_ORDER = ["sequential", "left-right", "three-region", "extent", "upstream", "prezeroed", "alloc-init",
                  "double", "alias-range", "alias-page", "kernel-fault"]
STRATEGY_COLOR = {
    "sequential": "#1f77b4",
    "left-right": "#ff7f0e",
    "three-region": "#2ca02c",
    "extent": "#9467bd",
    "upstream": "#d62728",
    "prezeroed": "#17becf",
    "alloc-init": "#8c564b",
    "double": "#e377c2",
    "alias-range": "#bcbd22",
    "alias-page": "#393b79",
    "kernel-fault": "#4d4d4d",
}
EXTRA_COLORS = ["#7f7f7f", "#aec7e8", "#ffbb78", "#98df8a", "#c5b0d5"]
TARGET_ORDER = {"first": 0, "middle": 1, "last": 2}
# Axes that may tell two series apart, in label order; target and the folio
# (backing, size) are usually a panel or the x axis instead.
SERIES_AXES = ["primitive", "access", "cache", "batch", "width", "backing", "folio_size", "target",
               "memory"]


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
