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
