"""Denomination: an indicator divided by a denominator (per capita, per GDP, per area)."""

from __future__ import annotations

import numpy as np


def denominate(values: np.ndarray, denominator: np.ndarray, per: float,
               name: str) -> tuple[np.ndarray, list[str | None]]:
    """``values / denominator * per`` per entity; missing when either is missing.

    Returns the new column and, per entity, a note for the cells it changed.
    """
    with np.errstate(invalid="ignore", divide="ignore"):
        out = np.where(denominator > 0, values / np.where(denominator > 0, denominator, 1.0),
                       np.nan) * per
    out = np.where(np.isnan(values), np.nan, out)
    scale = "" if per == 1 else f" x {per:g}"
    notes = [None if np.isnan(v) else
             (f"divided by {name} ({d:g}){scale}" if not np.isnan(o) else
              f"missing: no {name} to divide by")
             for v, d, o in zip(values, denominator, out, strict=True)]
    return out, notes
