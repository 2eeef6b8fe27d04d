"""Effective importance: how much of a node's variance each child explains.

Paruolo, Saisana & Saltelli (2013), "Ratings and rankings: voodoo or science?" (JRSS A
176(3)): a nominal weight is not the importance a child has in the result. They
measure importance by Pearson's correlation ratio, the first-order effect

    S_j = Var(E[Y | X_j]) / Var(Y),

estimated by a non-parametric regression of the node Y on each child X_j. Here:
a cubic regression spline (KNOTS interior knots at quantiles of X_j, fitted by
least squares with scipy's ``make_lsq_spline``; its S_j adjusted for the basis
size as R² is) from SPLINE_MIN entities on; with fewer entities a straight line,
whose S_j is the squared Pearson correlation.
"""

from __future__ import annotations

import numpy as np

SPLINE_MIN = 30
KNOTS = 5       # interior knots of the regression spline
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
            # adjusted like R²: a basis of p functions explains (p-1)/(n-1) of pure noise
            raw = np.var(fitted) / np.var(y)
            p = KNOTS + 4
            adjusted = 1 - (1 - raw) * (len(x) - 1) / (len(x) - p)
            return float(min(1.0, max(0.0, adjusted))), "spline"
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
    """E[y | x] at each x by a cubic regression spline (least squares on a B-spline basis
    with knots at quantiles of x); None if it cannot be fitted.

    A fixed, small basis rather than a smoothing spline chosen by cross-validation:
    GCV is numerically fragile on tied and clustered values, which indicators have.
    """
    from scipy.interpolate import make_lsq_spline

    order = np.argsort(x, kind="stable")
    xs, ys = x[order], y[order]
    inner = np.unique(np.quantile(xs, np.linspace(0, 1, KNOTS + 2)[1:-1]))
    inner = inner[(inner > xs[0]) & (inner < xs[-1])]
    knots = np.concatenate([[xs[0]] * 4, inner, [xs[-1]] * 4])
    try:
        spline = make_lsq_spline(xs, ys, knots, k=3)
    except (ValueError, np.linalg.LinAlgError):
        return None
    fitted = spline(x)
    return fitted if np.all(np.isfinite(fitted)) else None
