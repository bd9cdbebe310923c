"""Figures: the grid of panels, the layout (title on top; shared legend and
footnote at the bottom), and saving DIR/plots/<stem>.png (150 dpi), .svg
(no dates, stable ids: the same data give the same file) and a sidecar
<stem>.json ({"panels": N, "title": ..., "axes": [...]}) that the tests and
`zeroscope report` read instead of parsing images."""
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
    """Write <dir>/plots/<stem>.png, .svg and .json (or into out_dir); print and return the paths.
    res_or_dir: a Results (its directory) or a directory."""
    if out_dir is None:
        out_dir = os.path.join(getattr(res_or_dir, "path", res_or_dir), "plots")
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
