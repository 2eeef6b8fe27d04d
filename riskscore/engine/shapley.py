"""Exact Shapley values of a node's children: an additive, order-independent split.

For operators without a closed-form decomposition (harmonic and power means,
the complement geometric mean, max/min, invert, ratio) a node's value
``f(x_1..x_C)`` is split among its children by their Shapley values, with each
child's *absence* meaning its baseline value: 0 risk, or 1 for the operands of a
ratio (a ratio of two absent operands is 1, not 0/0). Then

    f(x) = f(baseline) + sum_c phi_c

exactly; ``f(baseline)`` (a constant, e.g. the 1 of ``1 - x``) stays with the node.
A missing child is a null player (its value never changes ``f``), so its Shapley
value is 0 and the others' are those of the game over the available children.
All ``2^C`` coalitions are evaluated at once; ``C`` is capped by the model.
"""

from __future__ import annotations

from collections.abc import Callable
from math import factorial

import numpy as np


def coalition_masks(n_children: int) -> np.ndarray:
    """``(2^C, C)`` booleans: row ``m`` marks the children in coalition ``m`` (bit c of m)."""
    codes = np.arange(2 ** n_children)[:, None]
    masks: np.ndarray = (codes >> np.arange(n_children)) & 1 == 1
    return masks


def shapley_values(value_of: Callable[[np.ndarray], np.ndarray], child: np.ndarray,
                   baseline: float) -> tuple[np.ndarray, np.ndarray]:
    """Shapley values of the children ``(..., E, C)`` and the constant ``f(baseline)``.

    ``value_of(x)`` evaluates the node on children ``x`` of shape ``(2^C, ..., E, C)``
    (missing children stay NaN there, so they are null players).
    Returns ``(phi (..., E, C), constant (..., E))`` with ``constant + phi.sum(-1)``
    equal to ``value_of`` at the full coalition.
    """
    n = child.shape[-1]
    masks = coalition_masks(n)
    shape = (masks.shape[0],) + (1,) * (child.ndim - 1) + (n,)
    present = masks.reshape(shape)
    x = np.where(present, child, np.where(np.isnan(child), np.nan, baseline))
    v = value_of(x)                                     # (2^C, ..., E)
    phi = np.moveaxis(coalition_shapley(v), 0, -1)      # (..., E, C)
    return phi, v[0]


def coalition_shapley(values: np.ndarray) -> np.ndarray:
    """Shapley values from the worth of every coalition: ``values[m]`` is the worth of the
    players in bitmask ``m`` (``2**n`` rows, any trailing axes); returns ``(n, ...)``.

    ``phi[k] = sum over S without k of |S|!(n-|S|-1)!/n! * (v(S + k) - v(S))``; the
    ``phi`` sum exactly (up to rounding) to ``v(all) - v(none)``. The one implementation
    behind both the decomposition of a node (``shapley_values``) and the attribution of
    a change between two editions (``riskscore.analyses.compare``).
    """
    size = values.shape[0]
    n = size.bit_length() - 1
    if 1 << n != size:
        raise ValueError("values must have 2**n rows")
    masks = coalition_masks(n)
    sizes = masks.sum(axis=1)
    weight = np.array([factorial(k) * factorial(n - k - 1) / factorial(n) if k < n else 0.0
                       for k in range(n + 1)])
    phi = np.empty((n,) + values.shape[1:], dtype=float)
    codes = np.arange(size)
    for c in range(n):
        without = codes[~masks[:, c]]
        with_c = without | (1 << c)
        w = weight[sizes[without]].reshape((-1,) + (1,) * (values.ndim - 1))
        phi[c] = (w * (values[with_c] - values[without])).sum(axis=0)
    return phi
