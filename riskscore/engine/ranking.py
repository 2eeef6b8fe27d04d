"""Ranks from scores: the highest score is rank 1; ties share the lowest rank.

Works on any leading shape (e.g. samples x entities) without a Python loop, so
Monte Carlo analyses rank all samples at once. Missing scores get no rank (NaN).
"""

from __future__ import annotations

import numpy as np

TIE_DECIMALS = 9  # scores equal to 9 decimals (in 0-1 or 0-100 units) count as tied


def competition_ranks(scores: np.ndarray) -> np.ndarray:
    """Standard competition ranks ("1224") along the last axis, as floats; NaN stays NaN.

    >>> competition_ranks(np.array([50.0, 70.0, 50.0, 10.0])).tolist()
    [2.0, 1.0, 2.0, 4.0]
    """
    scores = np.asarray(scores, dtype=float)
    keyed = np.round(scores, TIE_DECIMALS)
    keyed = np.where(np.isnan(keyed), -np.inf, keyed)
    order = np.argsort(-keyed, axis=-1)  # ties get one rank whatever their order
    ordered = np.take_along_axis(keyed, order, axis=-1)
    positions = np.arange(scores.shape[-1])
    new_group = np.ones(ordered.shape, dtype=bool)
    new_group[..., 1:] = ordered[..., 1:] != ordered[..., :-1]
    group_start = np.maximum.accumulate(np.where(new_group, positions, 0), axis=-1)
    ranks = np.empty(scores.shape, dtype=float)
    np.put_along_axis(ranks, order, group_start + 1.0, axis=-1)
    return np.where(np.isnan(scores), np.nan, ranks)
