"""Budget allocation: experts share a budget of points among the children.

Each expert's allocation is scaled to shares (so budgets of 100 and of 10 points mean
the same), then the shares are combined across experts by the mean or the median,
and rescaled to sum to 1.
"""

from __future__ import annotations

import numpy as np

COMBINATIONS = ("mean", "median")


def expert_shares(points: np.ndarray) -> np.ndarray:
    """(E, n) points -> (E, n) shares, each row summing to 1. Rows must have a positive sum."""
    points = np.asarray(points, dtype=float)
    return points / points.sum(axis=1, keepdims=True)


def budget_weights(points: np.ndarray, combine: str = "mean") -> tuple[np.ndarray, dict]:
    """The combined weights and the spread of the experts' shares per child.

    Returns ``(weights, spread)`` with ``spread`` holding per child the ``min``,
    ``max`` and ``sd`` (sample standard deviation; 0 for one expert) of the shares.
    """
    shares = expert_shares(points)
    centre = np.median(shares, axis=0) if combine == "median" else shares.mean(axis=0)
    sd = shares.std(axis=0, ddof=1) if shares.shape[0] > 1 else np.zeros(shares.shape[1])
    spread = {"min": shares.min(axis=0), "max": shares.max(axis=0), "sd": sd}
    return centre / centre.sum(), spread
