"""Small multiples of medians with their 95% intervals: the panels a
question is split into (never more than MAX_SERIES series in one), and a
panel of dodged points with error bars, one position per category."""
import numpy as np

from zsplot.figure import MAX_SERIES, tag
from zsplot.intervals import median_ci, yerr
from zsplot.results import NoData
from zsplot.series import make_series, varying

# Axes that may move from the series into the panels when a panel would hold too many series.
MOVABLE = ("primitive", "access", "cache", "width", "batch")


def panels(points, panel_axes, exclude=("target",), max_rows=None):
    """(panel axes, series, point key -> Series, panel key -> [points]). Series are what
    varies besides the panel axes and exclude; while a panel would draw more than
    MAX_SERIES of them, the next varying axis of MOVABLE becomes a panel axis too. More than
    max_rows panel keys: NoData (a figure nobody can read; select with --where)."""
    panel_axes = list(panel_axes)
    while True:
        series, of = make_series(points, exclude=tuple(exclude) + tuple(panel_axes))
        groups = {}
        for p in points:
            groups.setdefault(tuple(p.axis_text(a) for a in panel_axes), []).append(p)
        worst = max(len({of[p.key].label for p in g}) for g in groups.values())
        if worst <= MAX_SERIES:
            order = sorted(groups, key=lambda k: [str(v) for v in k])
            if "folio_size" in panel_axes:
                i = panel_axes.index("folio_size")
                order.sort(key=lambda k: min(p.folio_size for p in groups[k]) if k[i] else 0)
            if max_rows and len(order) > max_rows:
                raise NoData("%d rows of panels (by %s) to keep at most %d series a panel; select some with --where "
                             "(all.py draws the figure of the run's question)" % (
                                 len(order), ", ".join(panel_axes), MAX_SERIES))
            return panel_axes, series, of, [(k, groups[k]) for k in order]
        more = [a for a in varying(points, MOVABLE) if a not in panel_axes and a not in exclude]
        if not more:
            raise NoData("%d series in one panel and no axis left to split them by; select fewer with --where"
                         % worst)
        panel_axes.append(more[0])


def panel_title(key):
    return " · ".join(v for v in key if v)


def dodged(ax, categories, series, value, counts):
    """One point per series and category: value(series, category) -> samples (or None);
    the median with its 95% BCa interval, dodged within the category. Returns {label: handle}."""
    present = [s for s in series if any(value(s, c) is not None for c in categories)]
    handles = {}
    n = max(len(present), 1)
    for i, s in enumerate(present):
        xs, m, lo, hi = [], [], [], []
        for j, c in enumerate(categories):
            v = value(s, c)
            if v is None or len(v) == 0:
                continue
            med, a, b = median_ci(v)
            counts.append(len(v))
            xs.append(j - 0.38 + 0.76 * (i + 0.5) / n), m.append(med), lo.append(a), hi.append(b)
        if not xs:
            continue
        h = ax.errorbar(xs, m, yerr=yerr(m, lo, hi), color=s.color, marker=s.marker, linestyle="none",
                        markersize=5, capsize=2.5, elinewidth=1.1, label=s.label)
        handles[s.label] = h
        tag(ax, s.label)
    for j in range(1, len(categories)):
        ax.axvline(j - 0.5, color="#dddddd", linewidth=0.8, zorder=0)
    ax.set_xticks(range(len(categories)))
    ax.set_xlim(-0.5, len(categories) - 0.5)
    ax.grid(axis="y", alpha=0.3)
    return handles


def from_zero(ax):
    lo, hi = ax.get_ylim()
    ax.set_ylim(0, hi * 1.04 if np.isfinite(hi) else 1)
