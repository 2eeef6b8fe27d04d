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
from typing import Any, cast

from riskscore.outputs.escape import FIGURE_RC, figure_label

# Okabe-Ito colours: distinguishable with the common colour-vision deficiencies.
DIMENSION_COLOURS = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442")
MISSING_COLOUR = "#d9d9d9"
RC: dict[str, Any] = {
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
    ``groups``: [label, first column, last column] spans drawn above the columns, and
    ``cell_labels`` (default true): False leaves the numbers out of the cells (a large map).
    """
    from matplotlib.colors import Normalize
    from matplotlib.patches import Rectangle

    entities, indicators = _labels(data["entities"]), _labels(data["indicators"])
    values, scale = data["values"], data["scale"]
    if data.get("transpose"):
        return _heatmap_by_indicator(fig, entities, indicators, values, scale,
                                     data.get("groups", ()))
    cmap = _colormap("YlOrRd")
    norm = Normalize(0, scale)
    numbers = data.get("cell_labels", True)
    ax = fig.add_subplot(1, 1, 1)
    for r, row in enumerate(values):
        for c, value in enumerate(row):
            if value is None:
                ax.add_patch(Rectangle((c - 0.5, r - 0.5), 1, 1, facecolor=MISSING_COLOUR,
                                       hatch="///", edgecolor="white", linewidth=1.2))
                if numbers:
                    ax.text(c, r, "n/a", ha="center", va="center", fontsize=8, color="#404040")
            else:
                colour = cmap(norm(value))
                ax.add_patch(Rectangle((c - 0.5, r - 0.5), 1, 1, facecolor=colour,
                                       edgecolor="white", linewidth=1.2))
                if numbers:
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


def _heatmap_by_indicator(fig, entities: list[str], indicators: list[str], values, scale: float,
                          groups) -> None:
    """The heat map turned: indicators down, countries across (many indicators, few
    countries), each dimension's rows marked by a rule and its label on the right."""
    import numpy as np
    from matplotlib.cm import ScalarMappable
    from matplotlib.colors import Normalize
    from matplotlib.patches import Rectangle

    cmap = _colormap("YlOrRd")
    norm = Normalize(0, scale)
    ax = fig.add_subplot(1, 1, 1)
    # one mesh for the cells (a patch per cell is slow to draw and to write), patches only
    # for the missing ones
    grid = np.array([[np.nan if v is None else v for v in row] for row in values], dtype=float).T
    ax.pcolormesh(np.arange(len(entities) + 1) - 0.5, np.arange(len(indicators) + 1) - 0.5,
                  np.ma.masked_invalid(grid), cmap=cmap, norm=norm, edgecolors="white",
                  linewidth=1.0)
    for c, row in enumerate(values):
        for r, value in enumerate(row):
            if value is None:
                ax.add_patch(Rectangle((c - 0.5, r - 0.5), 1, 1, facecolor=MISSING_COLOUR,
                                       hatch="///", edgecolor="white", linewidth=1.0))
            ax.text(c, r, "n/a" if value is None else f"{value:.0f}", ha="center", va="center",
                    fontsize=7, color="#404040" if value is None else _ink(cmap(norm(value))))
    ax.set_xlim(-0.5, len(entities) - 0.5)
    ax.set_ylim(len(indicators) - 0.5, -0.5)
    ax.set_yticks(range(len(indicators)), labels=indicators, fontsize=8)
    ax.set_xticks(range(len(entities)), labels=entities, rotation=40, ha="left",
                  rotation_mode="anchor")
    ax.xaxis.tick_top()
    ax.tick_params(length=0)
    for side in ax.spines.values():
        side.set_visible(False)
    for label, first, last in groups:
        if first > 0:
            ax.axhline(first - 0.5, color="#1b1f24", linewidth=1.2)
        ax.annotate(figure_label(label), xy=(len(entities) - 0.5, (first + last) / 2),
                    xytext=(6, 0), textcoords="offset points", ha="left", va="center",
                    fontsize=8, annotation_clip=False)
    bar = fig.colorbar(ScalarMappable(norm=norm, cmap=cmap), ax=ax, orientation="horizontal",
                       fraction=0.02, pad=0.01, aspect=40, shrink=0.7)
    bar.set_label(f"normalised risk (0–{scale:g}); grey hatched n/a: missing")
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
    # a cut ranking (the top of a long one) still shows how far down each interval reaches
    last = max([n, *(int(math.ceil(r["rank_p95"])) for r in rows if r.get("rank_p95") is not None)])
    if last <= 30:
        ax.set_xticks(range(1, last + 1))
    else:
        from matplotlib.ticker import MaxNLocator

        ax.xaxis.set_major_locator(MaxNLocator(nbins=12, integer=True))
    ax.set_xlim(0.5, last + 0.5)
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


def score_distribution(fig, data: Mapping[str, Any]) -> None:
    """A histogram of every score (bins of ``scale``/20), with the class bands behind it.

    ``data``: ``scores`` (None for no score), ``scale``, ``classes`` (``[label, lower]``
    in model order, may be empty) and ``marks`` (``[entity, score]`` to label: the top few).
    """
    scores = [s for s in data["scores"] if s is not None]
    scale = data["scale"]
    ax = fig.add_subplot(1, 1, 1)
    bounds = [c[1] for c in data.get("classes", ())]
    cmap = _colormap("YlOrRd")
    for k, (label, lower) in enumerate(data.get("classes", ())):
        upper = bounds[k + 1] if k + 1 < len(bounds) else scale
        ax.axvspan(lower, upper, color=cmap(0.12 + 0.7 * k / max(1, len(bounds) - 1)),
                   alpha=0.22, linewidth=0)
        ax.text((lower + upper) / 2, 1.0, figure_label(label), transform=ax.get_xaxis_transform(),
                ha="center", va="bottom", fontsize=8, color="#404040")
    bins = [scale * k / 20 for k in range(21)]
    counts, _, _ = ax.hist(scores, bins=bins, color="#0072B2", edgecolor="white", linewidth=0.8)
    top = max(counts, default=0) or 1
    for k, (name, score) in enumerate(data.get("marks", ())):
        ax.annotate(figure_label(name), xy=(score, 0), xytext=(score, top * (0.55 + 0.12 * (k % 4))),
                    ha="center", fontsize=7, color="#404040",
                    arrowprops={"arrowstyle": "-", "color": "#8c8c8c", "linewidth": 0.6})
    ax.set_xlim(0, scale)
    ax.set_ylim(0, top * 1.15)
    ax.set_xlabel(f"score (0–{scale:g}, higher = more risk)")
    ax.set_ylabel("countries")
    missing = len(data["scores"]) - len(scores)
    ax.set_title(f"{len(scores):,} scores" + (f" ({missing:,} without a score)" if missing else ""),
                 loc="left")
    ax.spines[["top", "right"]].set_visible(False)


def top_bottom(fig, data: Mapping[str, Any]) -> None:
    """Two panels of horizontal score bars: the top N and the bottom N countries.

    ``data``: ``panels``, each ``{"title", "rows": [{"entity", "rank", "score",
    "score_p05", "score_p95", "rank_p05", "rank_p95"}]}`` (the interval keys None without a
    robustness run), and ``scale``. A bar's whisker is its 5–95% score interval; the text
    beside it gives the rank and its 5–95% interval.
    """
    scale = data["scale"]
    panels = data["panels"]
    sizes = [max(1, len(p["rows"])) for p in panels]
    axes = fig.subplots(len(panels), 1, gridspec_kw={"height_ratios": sizes}, squeeze=False)
    for ax, panel in zip(axes[:, 0], panels, strict=True):
        rows = panel["rows"]
        ys = list(range(len(rows)))
        for y, row in zip(ys, rows, strict=True):
            score = row["score"]
            if score is not None:
                ax.barh([y], [score], height=0.62, color="#D55E00")
            if row.get("score_p05") is not None and row.get("score_p95") is not None:
                ax.plot([row["score_p05"], row["score_p95"]], [y, y], color="#1b1f24",
                        linewidth=1.2, solid_capstyle="butt")
            rank = "—" if row["rank"] is None else f"{row['rank']:g}"
            interval = ""
            if row.get("rank_p05") is not None:
                p05, p95 = row["rank_p05"], row["rank_p95"]
                interval = f" ({p05:g})" if p05 == p95 else f" ({p05:g}–{p95:g})"
            label = ("no score" if score is None else f"{score:.1f}") + f" · rank {rank}{interval}"
            right = max(score or 0, row.get("score_p95") or 0)
            ax.text(right + 0.01 * scale, y, label, ha="left", va="center", fontsize=8)
        ax.set_yticks(ys, labels=_labels(r["entity"] for r in rows))
        ax.invert_yaxis()
        ax.set_xlim(0, scale * 1.32)
        ax.set_xticks([scale * k / 5 for k in range(6)])
        ax.set_title(figure_label(panel["title"]), loc="left")
        ax.spines[["top", "right"]].set_visible(False)
        ax.grid(axis="x", color="#e6e6e6", linewidth=0.6)
        ax.set_axisbelow(True)
    axes[-1, 0].set_xlabel(f"score (0–{scale:g}); whisker: 5–95% of the robustness draws; "
                           "rank (5–95% rank interval)" if any(
                               r.get("score_p05") is not None for p in panels for r in p["rows"])
                           else f"score (0–{scale:g}) and rank")


def choropleth(fig, data: Mapping[str, Any]) -> None:
    """Countries coloured by score (``values``: ISO3 -> 0..scale or None) or by class
    (``classes``: ``[label, lower]`` bands and ``values`` then ISO3 -> class label or None).

    The view is the world (84°N to 58°S) when the placed countries spread over more than
    half of it, else their region with a margin. Countries not in the data are light grey;
    placed ones without a score are hatched. ``labels`` (optional, ISO3 -> text) are
    written on the countries (a small map: a dozen countries at most).
    """
    from matplotlib.collections import PathCollection
    from matplotlib.colors import Normalize
    from matplotlib.patches import Patch
    from matplotlib.path import Path

    from riskscore.outputs import worldmap

    values, scale, classes = data["values"], data["scale"], data.get("classes")
    shapes = worldmap.countries()
    cmap = _colormap("YlOrRd")
    low, high = map_range([v for v in values.values() if isinstance(v, (int, float))], scale)
    norm = Normalize(low, high)
    class_colours = {label: cmap(0.12 + 0.8 * k / max(1, len(classes or ()) - 1))
                     for k, (label, _) in enumerate(classes or ())}
    ax = fig.add_subplot(1, 1, 1)
    background, coloured, colours, unscored = [], [], [], []
    for iso3, country in shapes.items():
        # one compound path per country, so that a hole (Lesotho in South Africa) stays one
        path = Path.make_compound_path(*(Path(ring, closed=True)
                                         for ring in worldmap.projected_rings(country)))
        if iso3 not in values:
            if iso3 != "ATA":
                background.append(path)
        elif values[iso3] is None:
            unscored.append(path)
        else:
            coloured.append(path)
            colours.append(class_colours[values[iso3]] if classes else cmap(norm(values[iso3])))
    ax.add_collection(PathCollection(background, facecolors="#ececec", edgecolors="white",
                                     linewidths=0.3))
    ax.add_collection(PathCollection(coloured, facecolors=colours, edgecolors="white",
                                     linewidths=0.3))
    if unscored:
        ax.add_collection(PathCollection(unscored, facecolors=MISSING_COLOUR, edgecolors="white",
                                         hatch="///", linewidths=0.3))
    for iso3, label in data.get("labels", {}).items():
        if iso3 in shapes:   # at the middle of the country's main polygon's extent
            points = [worldmap.project(lon, lat) for lon, lat in
                      worldmap.main_polygon(shapes[iso3])[0]]
            xs, ys = [p[0] for p in points], [p[1] for p in points]
            ax.annotate(figure_label(label), ((min(xs) + max(xs)) / 2, (min(ys) + max(ys)) / 2),
                        ha="center", va="center", fontsize=7, color="#1b1f24",
                        bbox={"boxstyle": "round,pad=0.15", "facecolor": "white", "alpha": 0.7,
                              "linewidth": 0})
    (x0, x1), (y0, y1) = _map_view([shapes[c] for c in values if c in shapes])
    ax.set_xlim(x0, x1)
    ax.set_ylim(y0, y1)
    ax.set_aspect("equal")
    ax.set_axis_off()
    if classes:
        handles = [Patch(facecolor=class_colours[label], label=figure_label(label))
                   for label, _ in classes]
        if unscored:
            handles.append(Patch(facecolor=MISSING_COLOUR, hatch="///", label="no score"))
        ax.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, -0.02),
                  ncol=min(len(handles), 5), frameon=False)
    else:
        from matplotlib.cm import ScalarMappable

        bar = fig.colorbar(ScalarMappable(norm=norm, cmap=cmap), ax=ax, orientation="horizontal",
                           fraction=0.05, pad=0.02, aspect=40, shrink=0.6)
        bar.set_label(f"score (of 0–{scale:g}, higher = more risk)"
                      + ("; hatched: no score" if unscored else ""))
        bar.outline.set_visible(False)


def map_range(scores: list[float], scale: float) -> tuple[float, float]:
    """The colour scale of a score map: the scores' range widened to tenths of ``scale``, so
    that scores bunched in the middle (as composite indices' are) still differ in colour."""
    if not scores:
        return 0.0, scale
    step = scale / 10
    low = math.floor(min(scores) / step) * step
    high = math.ceil(max(scores) / step) * step
    return (low, high) if high > low else (max(0.0, low - step), min(scale, high + step))


def _map_view(placed) -> tuple[tuple[float, float], tuple[float, float]]:
    """The x and y limits of a map of the ``placed`` countries (projected units)."""
    from riskscore.outputs import worldmap

    west, east = -worldmap.project(180, 0)[0], worldmap.project(180, 0)[0]
    north, south = worldmap.project(0, worldmap.NORTH)[1], worldmap.project(0, worldmap.SOUTH)[1]
    points = [worldmap.project(lon, lat) for country in placed
              for lon, lat in worldmap.main_polygon(country)[0]]
    if not points:
        return (west, east), (south, north)
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    width, height = max(xs) - min(xs), max(ys) - min(ys)
    if width > 0.5 * (east - west):
        return (west, east), (south, north)
    # a region: its countries with a margin, at least 60 degrees wide, about 2:1
    pad = max(0.08, 0.15 * max(width, height))
    x0, x1, y0, y1 = min(xs) - pad, max(xs) + pad, min(ys) - pad, max(ys) + pad
    want = max(x1 - x0, 2 * (y1 - y0), 60 / 180 * east)
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    return (cx - want / 2, cx + want / 2), (cy - want / 4, cy + want / 4)


PLOTTERS: dict[str, Callable] = {
    "contributions": contribution_bars,
    "heatmap": heatmap,
    "rank_intervals": rank_intervals,
    "trend": trend_lines,
    "distribution": score_distribution,
    "top_bottom": top_bottom,
    "choropleth": choropleth,
}


def figure_size(plot: str, data: Mapping[str, Any]) -> tuple[float, float]:
    """Inches, from the number of rows and columns and the longest row label only (so the
    layout is deterministic): a long entity name widens the figure instead of squeezing
    the plot to nothing."""
    if plot == "distribution":
        return (7.5, 3.2)
    if plot == "choropleth":
        from riskscore.outputs import worldmap

        shapes = worldmap.countries()
        (x0, x1), (y0, y1) = _map_view([shapes[c] for c in data["values"] if c in shapes])
        return (7.5, round(7.0 * (y1 - y0) / (x1 - x0), 2) + 0.9)
    if plot == "top_bottom":
        rows = sum(len(p["rows"]) for p in data["panels"])
        names = [r["entity"] for p in data["panels"] for r in p["rows"]]
        longest = max((len(figure_label(name)) for name in names), default=0)
        return (7.5 + 0.075 * max(0, longest - LABEL_ROOM), 0.3 * rows + 1.4)
    rows = len(data["entities"])
    if plot == "trend":
        return (max(6.5, 0.55 * len(data["dates"]) + 3.0), 4.2)
    names = [e["entity"] if isinstance(e, Mapping) else e for e in data["entities"]]
    longest = max((len(figure_label(name)) for name in names), default=0)
    extra = 0.075 * max(0, longest - LABEL_ROOM)
    if plot == "heatmap" and data.get("transpose"):
        longest_indicator = max((len(figure_label(i)) for i in data["indicators"]), default=0)
        return (max(6.5, 0.62 * rows + 2.4 + 0.07 * max(0, longest_indicator - LABEL_ROOM)),
                0.3 * len(data["indicators"]) + 1.2 + 0.06 * longest)
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
        cast(Any, mpl.rcParams).update(RC)   # matplotlib types its keys as literals
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
