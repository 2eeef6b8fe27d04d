"""Benefit of the doubt: each entity's most favourable weights (a DEA model).

For entity e with child values y_e, the classic rule (Cherchye et al. 2007)::

    maximise  w · y_e   subject to  w · y_j <= 1 for every entity j,  w >= 0

solved by scipy's linprog. The optimum (0-1) is e's best-case score; 1 means no
weighting puts another entity ahead of it. Optional bounds on each child's share
of the weight, L_j <= w_j / Σ w <= U_j, are linear too: w_j - L_j Σ w >= 0 and
w_j - U_j Σ w <= 0.
"""

from __future__ import annotations

import numpy as np


def best_case(values: np.ndarray, e: int, lower: np.ndarray | None = None,
              upper: np.ndarray | None = None) -> tuple[float, np.ndarray]:
    """Entity ``e``'s best-case score and its weights as shares (summing to 1).

    ``values`` (entities x children) must be >= 0 with at least one positive value
    in every row used. Raises ValueError when the bounds leave no feasible weights.
    """
    from scipy.optimize import linprog

    y = np.asarray(values, dtype=float)
    n = y.shape[1]
    rows, rhs = [y], [np.ones(y.shape[0])]
    if lower is not None:
        rows.append(np.outer(lower, np.ones(n)) - np.eye(n))   # L_j Σw - w_j <= 0
        rhs.append(np.zeros(n))
    if upper is not None:
        rows.append(np.eye(n) - np.outer(upper, np.ones(n)))   # w_j - U_j Σw <= 0
        rhs.append(np.zeros(n))
    result = linprog(-y[e], A_ub=np.vstack(rows), b_ub=np.concatenate(rhs),
                     bounds=[(0, None)] * n, method="highs")
    if result.status != 0:
        raise ValueError(result.message)
    w = np.clip(result.x, 0.0, None)
    total = w.sum()
    shares = w / total if total > 0 else np.full(n, 1.0 / n)
    return float(-result.fun), shares


def benefit_of_the_doubt(values: np.ndarray, lower: np.ndarray | None = None,
                         upper: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Every entity's best-case score (E,) and share weights (E, n)."""
    y = np.asarray(values, dtype=float)
    out = [best_case(y, e, lower, upper) for e in range(y.shape[0])]
    return np.array([s for s, _ in out]), np.array([w for _, w in out]).reshape(y.shape)
