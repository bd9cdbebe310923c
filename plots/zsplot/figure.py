"""Figures: the grid of panels (constrained layout), the layout around it
(title and subtitle on top; a legend inside the figure and the footnote at
the bottom), and saving DIR/plots/<stem>.png (150 dpi), .svg (no dates,
stable ids: the same data give the same file) and a sidecar <stem>.json
({"panels": N, "title": ..., "axes": [...]}) that the tests and `zeroscope
report` read instead of parsing images. The sidecar says, per axes, how
many series it draws and whether any of its text (title, labels, tick
labels, legend, direct labels) falls outside the figure, measured from the
renderer's extents; and the same for the figure's own text."""
import json
import os
import textwrap

import matplotlib.pyplot as plt
import matplotlib.ticker as mticker

plt.rcParams.update({
    "svg.hashsalt": "zeroscope",  # stable ids: the same data give the same SVG
    "font.size": 9,
    "axes.titlesize": 9,
    "axes.labelsize": 9,
    "legend.fontsize": 8,
    "figure.dpi": 100,
})

MAX_SERIES = 8  # per axes: more cannot be told apart by colour and marker


def new_figure(nrows, ncols, w=4.6, h=3.4, **kw):
    fig, axes = plt.subplots(nrows, ncols, figsize=(w * ncols + 0.4, h * nrows + 1.6),
                             squeeze=False, layout="constrained", **kw)
    return fig, axes


def _wrap(text, fig, size):
    width_chars = max(40, int(fig.get_figwidth() * 72 / (size * 0.56)))
    lines = []
    for para in text.split("\n"):
        lines.extend(textwrap.wrap(para, width_chars, break_on_hyphens=False) or [""])
    return "\n".join(lines)


def finish(fig, title, footnote, handles=None, labels=None):
    """Title on top; legend and footnote at the bottom, inside the figure; the
    constrained layout places the panels in the rest (no tight_layout)."""
    fig.suptitle(_wrap(title[:1].upper() + title[1:], fig, 10), fontsize=10)
    foot = fig.text(0.005, 0.004, _wrap(footnote, fig, 6.5), fontsize=6.5, color="#444444", va="bottom",
                    ha="left")
    renderer = fig.canvas.get_renderer()
    fig_w, fig_h = fig.bbox.width, fig.bbox.height
    bottom = foot.get_window_extent(renderer).height / fig_h + 0.01
    if handles:
        # As many columns as fit the figure's width: never cut at the edges.
        ncol = len(handles)
        while True:
            leg = fig.legend(handles, labels, loc="lower center", bbox_to_anchor=(0.5, bottom), ncol=ncol,
                             frameon=False)
            if ncol == 1 or leg.get_window_extent(renderer).width <= 0.98 * fig_w:
                break
            leg.remove()
            ncol -= 1
        bottom += leg.get_window_extent(renderer).height / fig_h + 0.01
    fig.get_layout_engine().set(rect=(0, bottom, 1, 1 - bottom))


def plain_log(ax, which="x"):
    """A log axis labelled 1, 2, 5, 10, 20, ... (not 10^1 alone): readable without a calculator."""
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


def _outside(bb, fig_bb, slack=0.5):
    return (bb.width > 0 or bb.height > 0) and (bb.x0 < fig_bb.x0 - slack or bb.y0 < fig_bb.y0 - slack
                                                or bb.x1 > fig_bb.x1 + slack or bb.y1 > fig_bb.y1 + slack)


def _drawn_ticklabels(axis):
    lo, hi = sorted(axis.get_view_interval())
    out = []
    for tick in axis.get_major_ticks() + axis.get_minor_ticks():
        if lo - 1e-9 * (abs(lo) + 1) <= tick.get_loc() <= hi + 1e-9 * (abs(hi) + 1):
            out += [t for t in (tick.label1, tick.label2) if t.get_visible() and t.get_text()]
    return out


def outside_parts(fig, ax, renderer):
    """The names of what an axes draws outside the figure (empty: nothing)."""
    fb = fig.bbox
    parts = [("title", t) for t in (ax.title, ax._left_title, ax._right_title) if t.get_text()]
    parts += [("xlabel", ax.xaxis.label), ("ylabel", ax.yaxis.label)]
    parts += [("x tick label %r" % t.get_text(), t) for t in _drawn_ticklabels(ax.xaxis)]
    parts += [("y tick label %r" % t.get_text(), t) for t in _drawn_ticklabels(ax.yaxis)]
    parts += [("label %r" % t.get_text(), t) for t in ax.texts if t.get_visible()]
    if ax.get_legend():
        parts.append(("legend", ax.get_legend()))
    return [name for name, a in parts if a.get_visible() and _outside(a.get_window_extent(renderer), fb)]


def figure_outside(fig, renderer):
    """The same for the figure's own text: title, legend, footnote."""
    parts = [("title", fig._suptitle)] if fig._suptitle else []
    parts += [("legend", leg) for leg in fig.legends]
    parts += [("text %r" % t.get_text()[:40], t) for t in fig.texts]
    return [name for name, a in parts if _outside(a.get_window_extent(renderer), fig.bbox)]


def save(fig, res_or_dir, stem, title, used_axes, out_dir=None, extra=None):
    """Write <dir>/plots/<stem>.png, .svg and .json (or into out_dir); print and return the paths.
    res_or_dir: a Results (its directory) or a directory."""
    if out_dir is None:
        out_dir = os.path.join(getattr(res_or_dir, "path", res_or_dir), "plots")
    os.makedirs(out_dir, exist_ok=True)
    base = os.path.join(out_dir, stem)
    fig.savefig(base + ".png", dpi=150, metadata={"Software": None})
    fig.savefig(base + ".svg", metadata={"Date": None})
    fig.canvas.draw()  # the layout as saved, for the extents below
    renderer = fig.canvas.get_renderer()
    axes = []
    for ax in used_axes:
        series = sorted(getattr(ax, "_zs_series", []))
        out = outside_parts(fig, ax, renderer)
        axes.append({"title": ax.get_title(), "xlabel": ax.get_xlabel(), "ylabel": ax.get_ylabel(),
                     "xscale": ax.get_xscale(), "yscale": ax.get_yscale(), "series": series,
                     "series_count": len(series), "outside": bool(out), "outside_parts": out,
                     "legend": [t.get_text() for t in ax.get_legend().get_texts()] if ax.get_legend() else []})
    fig_out = figure_outside(fig, renderer)
    side = {"plot": stem, "panels": len(used_axes), "title": title, "axes": axes,
            "max_series": max([a["series_count"] for a in axes] or [0]),
            "outside": bool(fig_out) or any(a["outside"] for a in axes), "figure_outside_parts": fig_out,
            "size_inches": [round(v, 2) for v in fig.get_size_inches()]}
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
