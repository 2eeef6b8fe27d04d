"""Effective importance: how much of a node's variance each child explains.

Paruolo, Saisana & Saltelli (2013), "Ratings and rankings: voodoo or science?" (JRSS A
176(3)): a nominal weight is not the importance a child has in the result. They
measure importance by Pearson's correlation ratio, the first-order effect

    S_j = Var(E[Y | X_j]) / Var(Y),

estimated by a non-parametric regression of the node Y on each child X_j. Here:
a penalised cubic smoothing spline (scipy's ``make_smoothing_spline``, its
smoothing chosen by generalised cross-validation) from SPLINE_MIN entities on;
with fewer entities a straight line, whose S_j is the squared Pearson correlation.
"""

from __future__ import annotations

import numpy as np

SPLINE_MIN = 30
MAX_KNOTS = 60
# A child is flagged when its share of the explained variance is off its nominal
# weight by more than this (absolute) and by more than a factor FLAG_RATIO.
FLAG_GAP = 0.10
FLAG_RATIO = 1.5


def first_order_effect(x: np.ndarray, y: np.ndarray) -> tuple[float, str]:
    """S = Var(E[y|x]) / Var(y) and the estimator used ("spline" or "linear").

    NaN when x or y does not vary.
    """
    x = np.asarray(x, dtype=float)
    y = np.asarray(y, dtype=float)
    if np.ptp(x) == 0 or np.ptp(y) == 0 or len(x) < 3:
        return float("nan"), "none"
    distinct = np.unique(x)
    if len(x) >= SPLINE_MIN and len(distinct) >= 5:
        fitted = _spline_fit(x, y)
        if fitted is not None:
            return float(min(1.0, max(0.0, np.var(fitted) / np.var(y)))), "spline"
    r = np.corrcoef(x, y)[0, 1]
    return float(r * r), "linear"


def effective_importance(children: np.ndarray, node: np.ndarray) -> tuple[np.ndarray, str]:
    """S_j for every column of ``children`` (complete rows) against ``node``."""
    out = [first_order_effect(children[:, j], node) for j in range(children.shape[1])]
    methods = {m for _, m in out if m != "none"}
    return np.array([s for s, _ in out]), (methods.pop() if len(methods) == 1 else
                                           "/".join(sorted(methods)) or "none")


def is_far(nominal: float, share: float) -> bool:
    """Whether a child's share of the explained variance is far from its nominal weight."""
    if not np.isfinite(share):
        return False
    gap = abs(share - nominal)
    low, high = sorted((nominal, share))
    return gap > FLAG_GAP and (low == 0 or high / low > FLAG_RATIO)


def _spline_fit(x: np.ndarray, y: np.ndarray) -> np.ndarray | None:
    """E[y | x] at each x by a smoothing spline (None if the spline cannot be fitted).

    The spline needs increasing abscissae: y is averaged over tied x, and beyond
    MAX_KNOTS distinct values over quantile bins of x (weights = counts), which keeps
    the GCV problem well posed and the fit fast.
    """
    from scipy.interpolate import make_smoothing_spline

    order = np.argsort(x, kind="stable")
    distinct, first = np.unique(x[order], return_index=True)
    if len(distinct) > MAX_KNOTS:
        edges = np.linspace(0, len(x), MAX_KNOTS + 1).astype(int)
        # bin boundaries never split tied values
        starts = np.unique(first[np.searchsorted(first, edges[:-1], side="right") - 1])
    else:
        starts = first
    bins = np.zeros(len(x), dtype=int)
    bins[starts[1:]] = 1
    bins = np.cumsum(bins)
    counts = np.bincount(bins).astype(float)
    centres = np.bincount(bins, weights=x[order]) / counts
    means = np.bincount(bins, weights=y[order]) / counts
    try:
        spline = make_smoothing_spline(centres, means, w=counts)
    except (ValueError, np.linalg.LinAlgError):
        return None
    return spline(x)
