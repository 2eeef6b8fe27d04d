"""Outlier treatment by COINr's rule (``Treat`` with its defaults).

An indicator *fails* when ``|skewness| >= skew`` and ``kurtosis >= kurtosis``
(sample skewness and excess kurtosis, as COINr computes them: scipy's unbiased
estimators). A failing indicator is winsorised: while it fails and fewer than
``winmax`` points were replaced in the last step, every point equal to the most
extreme value on the skewed side is replaced by the next value inward. If it still
fails, the original values are log-transformed instead:
``log(x - min + 0.01 * (max - min))``. Every treated point is recorded.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from riskscore.model.types import Treatment


def skew_kurtosis(x: np.ndarray) -> tuple[float, float]:
    from scipy import stats

    x = x[~np.isnan(x)]
    if x.size < 3 or x.max() == x.min():
        return np.nan, np.nan     # too few points or no spread: nothing to judge
    skew = float(stats.skew(x, bias=False)) if x.size >= 3 else np.nan
    kurt = float(stats.kurtosis(x, bias=False)) if x.size >= 4 else np.nan
    return skew, kurt


def passes(x: np.ndarray, rule: Treatment) -> bool:
    skew, kurt = skew_kurtosis(x)
    if np.isnan(skew) or np.isnan(kurt):
        return True     # too few points to judge: left untreated
    return bool(abs(skew) < rule.skew or kurt < rule.kurtosis)


def treat(values: np.ndarray, rule: Treatment) -> tuple[np.ndarray, str, list[str | None]]:
    """Return the treated column, the kind of treatment and a note per changed cell."""
    notes: list[str | None] = [None] * len(values)
    if passes(values, rule):
        return values.copy(), "winsorised", notes
    x = values.copy()
    replaced_high: np.ndarray = np.array([], dtype=int)
    replaced_low: np.ndarray = np.array([], dtype=int)
    last = 0
    while not passes(x, rule) and last < rule.winmax:
        skew, _ = skew_kurtosis(x)
        observed = ~np.isnan(x)
        if skew >= 0:
            top = np.nanmax(x)
            replaced_high = np.flatnonzero(observed & (x == top))
            rest = x[observed & (x != top)]
            x[replaced_high] = rest.max() if rest.size else top
        else:
            bottom = np.nanmin(x)
            replaced_low = np.flatnonzero(observed & (x == bottom))
            rest = x[observed & (x != bottom)]
            x[replaced_low] = rest.min() if rest.size else bottom
        # as COINr counts: the points replaced in the latest step on each side
        last = replaced_high.size + replaced_low.size
    if passes(x, rule):
        for e in np.flatnonzero(x != values):
            if not np.isnan(values[e]):
                notes[e] = f"winsorised from {values[e]:g} to {x[e]:g} (COINr rule)"
        return x, "winsorised", notes
    low, high = np.nanmin(values), np.nanmax(values)
    logged = np.log(values - low + 0.01 * (high - low))
    for e in np.flatnonzero(~np.isnan(values)):
        notes[e] = (f"log-transformed: log(x - {low:g} + 0.01 x {high - low:g}); winsorising "
                    f"{rule.winmax} points did not pass")
    return logged, "log-treated", notes
