"""Optimised weights, as COINr's ``get_opt_weights``: weights under which each child's
correlation with the node matches a target share (equal shares by default, so that
every child "counts" as much in the result as the others).

The node is recomputed from its children with candidate weights (a weighted
arithmetic or geometric mean); the objective is Σ_j (r_j / Σ r - t_j)², with r_j the
Pearson correlation of child j with the node and t the target shares. scipy's SLSQP
minimises it over weights w_j >= MIN_WEIGHT summing to 1.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

MIN_WEIGHT = 1e-3


@dataclass(frozen=True)
class OptimisedWeights:
    weights: np.ndarray
    correlations: np.ndarray     # of each child with the node under ``weights``
    start_correlations: np.ndarray   # ... under equal weights
    objective: float
    converged: bool
    message: str


def node_values(x: np.ndarray, w: np.ndarray, geometric: bool = False,
                floor: float = 0.01) -> np.ndarray:
    """The weighted arithmetic (or geometric, zeros raised to ``floor``) mean of the rows."""
    w = w / w.sum()
    if geometric:
        return np.exp(np.log(np.maximum(x, floor)) @ w)
    return x @ w


def child_correlations(x: np.ndarray, w: np.ndarray, geometric: bool = False) -> np.ndarray:
    y = node_values(x, w, geometric)
    xc, yc = x - x.mean(axis=0), y - y.mean()
    with np.errstate(invalid="ignore", divide="ignore"):
        return (xc * yc[:, None]).sum(axis=0) / np.sqrt((xc ** 2).sum(axis=0) * (yc ** 2).sum())


def optimised_weights(x: np.ndarray, target: np.ndarray | None = None,
                      geometric: bool = False) -> OptimisedWeights:
    """Weights whose children's correlation shares come closest to ``target``."""
    from scipy.optimize import minimize

    x = np.asarray(x, dtype=float)
    n = x.shape[1]
    t = np.full(n, 1.0 / n) if target is None else np.asarray(target, dtype=float) / np.sum(target)

    def objective(w: np.ndarray) -> float:
        r = child_correlations(x, w, geometric)
        if not np.all(np.isfinite(r)) or r.sum() <= 0:
            return 1e6
        return float(((r / r.sum() - t) ** 2).sum())

    start = np.full(n, 1.0 / n)
    # several starts (equal weights, then each child leading), the best kept: the
    # objective is not convex and SLSQP finds a local minimum
    starts = [start, *((np.eye(n)[j] * 0.5 + 0.5 / n) for j in range(n))]
    result = min((minimize(objective, s, method="SLSQP", bounds=[(MIN_WEIGHT, 1.0)] * n,
                           constraints=[{"type": "eq", "fun": lambda w: w.sum() - 1.0}],
                           options={"ftol": 1e-12, "maxiter": 500}) for s in starts),
                 key=lambda r: (not r.success, r.fun))
    w = np.clip(result.x, MIN_WEIGHT, 1.0)
    w = w / w.sum()
    return OptimisedWeights(weights=w, correlations=child_correlations(x, w, geometric),
                            start_correlations=child_correlations(x, start, geometric),
                            objective=objective(w), converged=bool(result.success),
                            message=str(result.message))
