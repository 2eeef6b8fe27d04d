"""What a figure is before it is drawn: where it goes, which plot, its data, its alt text."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class FigureSpec:
    path: str                # relative to the report, POSIX, e.g. "figures/risk-report-scores.svg"
    plot: str                # a key of ``figures.PLOTTERS``
    data: dict[str, Any]     # plain data the plotter reads
    alt: str                 # the numbers in words, for the image's alt text


# Every figure a report named NAME can write, as figures/NAME-<kind>.svg: a later run that
# does not draw one of them removes the earlier run's file.
FIGURE_KINDS = ("contributions", "heatmap", "rank-intervals", "trend", "distribution",
                "top-bottom", "map", "map-classes")


def figure_path(name: str, kind: str) -> str:
    """Where the ``kind`` figure of the report named ``name`` goes, relative to the report."""
    return f"figures/{name}-{kind}.svg"
