"""The report's figures as SVG bytes: contribution bars, a heat map, rank intervals.

Each plotter takes plain data (lists and dicts, no Assessment), so it can be
tested with a hand-made dict. Output is byte-identical for the same data: fixed
rc settings (fonts, sizes, hash salt; no mathtext, so every label shows as
written), no date in the metadata, and no pyplot
state (figures are made with ``matplotlib.figure.Figure`` on an Agg canvas).
matplotlib is imported inside the functions so the command line starts fast.
"""

from __future__ import annotations

import io
import math
import textwrap
import warnings
from collections.abc import Callable, Mapping
from typing import Any

from riskscore.outputs.escape import FIGURE_RC, figure_label

# Okabe-Ito colours: distinguishable with the common colour-vision deficiencies.
DIMENSION_COLOURS = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442")
MISSING_COLOUR = "#d9d9d9"
RC = {
    "svg.hashsalt": "riskscore",
    "svg.fonttype": "path",
    "font.family": "DejaVu Sans",
    "font.size": 9,
    "axes.titlesize": 10,
    "axes.labelsize": 9,
    "xtick.labelsize": 8,
    "ytick.labelsize": 9,
    "legend.fontsize": 8,
    "figure.dpi": 100,
    "savefig.dpi": 100,
    "hatch.color": "#8c8c8c",
    "hatch.linewidth": 0.6,
    # Labels are data, never maths: an entity called "A$\\undefined$" is drawn as
    # written instead of failing in mathtext (attack review, defect 6).
    **FIGURE_RC,
}


def render_svg(plot: str, data: Mapping[str, Any]) -> bytes:
    """Draw the figure named ``plot`` ("contributions", "heatmap", "rank_intervals") as SVG."""
    return _svg(PLOTTERS[plot], data)


def contribution_bars(fig, data: Mapping[str, Any]) -> None:
    """Stacked horizontal bars: each entity's score split into dimension contributions.

    ``data``: ``entities`` (top to bottom), ``dimensions`` (labels), ``values``
    (entity x dimension points, None when the dimension is left out), ``scores``
    (None when the entity has no score) and ``scale``.
    """
    entities, dims = _labels(data["entities"]), _labels(data["dimensions"])
    values, scores, scale = data["values"], data["scores"], data["scale"]
    ax = fig.add_subplot(1, 1, 1)
    ys = list(range(len(entities)))
    left = [0.0] * len(entities)
    for d, label in enumerate(dims):
        colour = DIMENSION_COLOURS[d % len(DIMENSION_COLOURS)]
        widths = [_zero(values[e][d]) for e in ys]
        ax.barh(ys, widths, left=left, height=0.62, color=colour, label=label,
                edgecolor="white", linewidth=0.6)
        for e in ys:
            if widths[e] >= 0.045 * scale:
                ax.text(left[e] + widths[e] / 2, e, f"{widths[e]:.1f}", ha="center", va="center",
                        fontsize=8, color=_ink(colour))
        left = [a + b for a, b in zip(left, widths, strict=True)]
    for e in ys:
        label = "no score" if scores[e] is None else f"{scores[e]:.1f}"
        ax.text(left[e] + 0.01 * scale, e, label, ha="left", va="center", fontsize=9,
                fontweight="bold")
        left_out = [dims[d] for d in range(len(dims)) if values[e][d] is None]
        if left_out and scores[e] is not None:
            ax.text(left[e] + 0.01 * scale, e + 0.3, "left out: " + ", ".join(left_out),
                    ha="left", va="center", fontsize=7, color="#595959")
    ax.set_yticks(ys, labels=entities)
    ax.invert_yaxis()
    ax.set_xlim(0, scale)
    ax.set_xlabel(f"score (0–{scale:g}), split into dimension contributions")
    ax.spines[["top", "right"]].set_visible(False)
    ax.grid(axis="x", color="#e6e6e6", linewidth=0.6)
    ax.set_axisbelow(True)
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.16), ncol=min(len(dims), 4),
              frameon=False)


def heatmap(fig, data: Mapping[str, Any]) -> None:
    """Normalised indicator values, entities x indicators; missing cells grey, hatched, 'n/a'.

    ``data``: ``entities`` (rows, top to bottom), ``indicators`` (column labels),
    ``values`` (entity x indicator, 0..scale or None), ``scale``, and optional
    ``groups``: [label, first column, last column] spans drawn above the columns.
    """
    from matplotlib.colors import Normalize
    from matplotlib.patches import Rectangle

    entities, indicators = _labels(data["entities"]), _labels(data["indicators"])
    values, scale = data["values"], data["scale"]
    cmap = _colormap("YlOrRd")
    norm = Normalize(0, scale)
    ax = fig.add_subplot(1, 1, 1)
    for r, row in enumerate(values):
        for c, value in enumerate(row):
            if value is None:
                ax.add_patch(Rectangle((c - 0.5, r - 0.5), 1, 1, facecolor=MISSING_COLOUR,
                                       hatch="///", edgecolor="white", linewidth=1.2))
                ax.text(c, r, "n/a", ha="center", va="center", fontsize=8, color="#404040")
            else:
                colour = cmap(norm(value))
                ax.add_patch(Rectangle((c - 0.5, r - 0.5), 1, 1, facecolor=colour,
                                       edgecolor="white", linewidth=1.2))
                ax.text(c, r, f"{value:.0f}", ha="center", va="center", fontsize=8,
                        color=_ink(colour))
    ax.set_xlim(-0.5, len(indicators) - 0.5)
    ax.set_ylim(len(entities) - 0.5, -0.5)
    ax.set_xticks(range(len(indicators)), labels=indicators, rotation=40, ha="right",
                  rotation_mode="anchor")
    ax.set_yticks(range(len(entities)), labels=entities)
    ax.tick_params(length=0)
    for side in ax.spines.values():
        side.set_visible(False)
    for label, first, last in data.get("groups", ()):
        # wrapped to its span of columns (about 11 characters a column) so neighbours never overlap
        label = textwrap.fill(figure_label(label), width=max(8, 11 * (last - first + 1)))
        ax.annotate(label, xy=((first + last) / 2, -0.62), xycoords="data", ha="center",
                    va="bottom", fontsize=8, annotation_clip=False)
        ax.plot([first - 0.4, last + 0.4], [-0.58, -0.58], color="#404040", linewidth=0.8,
                clip_on=False)
    from matplotlib.cm import ScalarMappable

    bar = fig.colorbar(ScalarMappable(norm=norm, cmap=cmap), ax=ax, fraction=0.03, pad=0.02)
    bar.set_label(f"normalised risk (0–{scale:g})")
    bar.outline.set_visible(False)


def rank_intervals(fig, data: Mapping[str, Any]) -> None:
    """Median rank and 5–95% rank interval per entity, in order of median rank.

    ``data``: ``entities``, a list of dicts with ``entity``, ``rank`` (the point
    estimate), ``median_rank``, ``rank_p05`` and ``rank_p95`` (as in
    ``SensitivityResult.to_dict()["entities"]``).
    """
    rows = sorted(data["entities"], key=lambda r: (r["median_rank"], r["rank"] or math.inf,
                                                   r["entity"]))
    n = len(rows)
    ax = fig.add_subplot(1, 1, 1)
    ys = list(range(n))
    for y, row in zip(ys, rows, strict=True):
        ax.plot([row["rank_p05"], row["rank_p95"]], [y, y], color="#0072B2", linewidth=5,
                solid_capstyle="round", alpha=0.35, label="5–95% of draws" if y == 0 else None)
        ax.plot([row["median_rank"]], [y], "o", color="#0072B2", markersize=7,
                label="median rank" if y == 0 else None)
        if row.get("rank") is not None:
            ax.plot([row["rank"]], [y], "D", markerfacecolor="none", markeredgecolor="#D55E00",
                    markersize=9, markeredgewidth=1.4, label="rank as scored" if y == 0 else None)
    ax.set_yticks(ys, labels=_labels(r["entity"] for r in rows))
    ax.invert_yaxis()
    ax.set_xticks(range(1, n + 1))
    ax.set_xlim(0.5, n + 0.5)
    ax.set_xlabel("rank (1 = highest risk)")
    ax.grid(axis="x", color="#e6e6e6", linewidth=0.6)
    ax.set_axisbelow(True)
    ax.spines[["top", "right"]].set_visible(False)
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.2), ncol=3, frameon=False)


def trend_lines(fig, data: Mapping[str, Any]) -> None:
    """One line per entity over the scored dates; a date without a score breaks the line,
    and the missing stretch is marked on the axis so it cannot be mistaken for a flat one.

    ``data``: ``dates`` (ISO strings), ``entities``, ``scores`` (entity x date, None when
    not scored), ``scale`` and ``title``.
    """
    dates, entities, scores = _labels(data["dates"]), _labels(data["entities"]), data["scores"]
    ax = fig.add_subplot(1, 1, 1)
    xs = list(range(len(dates)))
    markers = ("o", "s", "^", "D", "v", "P", "X", "*")
    for e, entity in enumerate(entities):
        colour = DIMENSION_COLOURS[e % len(DIMENSION_COLOURS)]
        ys = [math.nan if v is None else v for v in scores[e]]
        ax.plot(xs, ys, color=colour, marker=markers[e % len(markers)], markersize=4,
                linewidth=1.6, label=entity)
        for x, v in zip(xs, scores[e], strict=True):
            if v is None:  # not scored on this date: an open mark on the axis
                ax.plot([x], [0], marker="|", markersize=9, color=colour, clip_on=False)
    ax.set_xticks(xs)
    ax.set_xticklabels(dates, rotation=45 if len(dates) > 6 else 0,
                       ha="right" if len(dates) > 6 else "center")
    ax.set_ylim(0, data["scale"])
    ax.set_ylabel(f"score (0-{data['scale']:g}, higher = more risk)")
    ax.set_title(f"{figure_label(data['title'])} over time (gaps: not scored; ticks on the axis mark them)")
    ax.grid(axis="y", color="#e0e0e0", linewidth=0.6)
    ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), frameon=False)


PLOTTERS: dict[str, Callable] = {
    "contributions": contribution_bars,
    "heatmap": heatmap,
    "rank_intervals": rank_intervals,
    "trend": trend_lines,
}


def figure_size(plot: str, data: Mapping[str, Any]) -> tuple[float, float]:
    """Inches, from the number of rows and columns and the longest row label only (so the
    layout is deterministic): a long entity name widens the figure instead of squeezing
    the plot to nothing."""
    rows = len(data["entities"])
    if plot == "trend":
        return (max(6.5, 0.55 * len(data["dates"]) + 3.0), 4.2)
    names = [e["entity"] if isinstance(e, Mapping) else e for e in data["entities"]]
    longest = max((len(figure_label(name)) for name in names), default=0)
    extra = 0.075 * max(0, longest - LABEL_ROOM)
    if plot == "heatmap":
        return (max(6.5, 0.62 * len(data["indicators"]) + 2.6) + extra, 0.48 * rows + 2.4)
    if plot == "rank_intervals":
        return (6.5 + extra, 0.45 * rows + 1.5)
    return (7.5 + extra, 0.5 * rows + 1.6)


LABEL_ROOM = 18   # characters of a row label the standard widths leave room for


def _svg(plotter: Callable, data: Mapping[str, Any]) -> bytes:
    import matplotlib as mpl
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    name = next(k for k, v in PLOTTERS.items() if v is plotter)
    with mpl.rc_context():
        mpl.rcdefaults()
        mpl.rcParams.update(RC)
        fig = Figure(figsize=figure_size(name, data), layout="constrained")
        FigureCanvasAgg(fig)
        plotter(fig, data)
        buffer = io.BytesIO()
        with warnings.catch_warnings():   # a layout matplotlib cannot perfect is still drawn
            warnings.simplefilter("ignore", UserWarning)
            fig.savefig(buffer, format="svg", metadata={"Date": None})
    return buffer.getvalue()


def _colormap(name: str):
    import matplotlib as mpl

    return mpl.colormaps[name]


def _ink(colour) -> str:
    """Black or white text, whichever reads better on ``colour``."""
    from matplotlib.colors import to_rgb

    r, g, b = to_rgb(colour)
    return "black" if 0.299 * r + 0.587 * g + 0.114 * b > 0.55 else "white"


def _labels(items) -> list[str]:
    return [figure_label(item) for item in items]


def _zero(value: float | None) -> float:
    return 0.0 if value is None else float(value)
