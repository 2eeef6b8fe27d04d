"""Imputation of raw values: mean, median, group mean or median, worst case.

An imputed cell is recorded with the rule and the values it came from; a group with
no observed value leaves its gaps missing (they are then re-weighted, never 0).
"""

from __future__ import annotations

import numpy as np


def impute(values: np.ndarray, method: str, groups: list[str | None],
           higher_is_riskier: bool) -> tuple[np.ndarray, list[str | None]]:
    """Fill the NaN cells of one indicator column ``(E,)``; return it and a note per cell."""
    out = values.copy()
    notes: list[str | None] = [None] * len(values)
    missing = np.isnan(values)
    if not missing.any():
        return out, notes
    if method in ("group_mean", "group_median"):
        pools = {g: values[[k == g for k in groups]] for g in set(groups)}
    else:
        pools = {None: values}
    for e in np.flatnonzero(missing):
        key = groups[e] if method in ("group_mean", "group_median") else None
        pool = pools.get(key, np.array([]))
        pool = pool[~np.isnan(pool)]
        if pool.size == 0:
            continue
        if method in ("mean", "group_mean"):
            fill, rule = float(pool.mean()), "mean"
        elif method in ("median", "group_median"):
            fill, rule = float(np.median(pool)), "median"
        else:  # worst case: the riskiest value observed
            fill = float(pool.max() if higher_is_riskier else pool.min())
            rule = "riskiest observed value"
        where = f" of group {key!r}" if key is not None else ""
        out[e] = fill
        notes[e] = f"imputed: {rule}{where} over {pool.size} observed values"
    return out, notes
