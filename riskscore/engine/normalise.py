"""Normalisation kernels: raw indicator values -> risk on [0, 1].

Pure functions on arrays whose last axis is the indicator axis and whose
second-to-last axis is the entity axis; NaN (missing) passes through untouched.
Validation happens where the model is loaded, not here.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

_TRANSFORMS = {"log": np.log, "log10": np.log10, "log1p": np.log1p}


def transform_columns(values: np.ndarray, transforms: Sequence[str | None]) -> np.ndarray:
    """Apply each indicator's transform (``log``, ``log10``, ``log1p`` or None) to its column."""
    out = np.array(values, dtype=float, copy=True)
    for column, name in enumerate(transforms):
        if name is not None:
            out[..., column] = _TRANSFORMS[name](out[..., column])
    return out


def goalpost_normalise(values: np.ndarray, lower: np.ndarray, upper: np.ndarray,
                       higher_is_riskier: np.ndarray) -> np.ndarray:
    """``(x - lower) / (upper - lower)`` clipped to [0, 1]; reversed where lower is riskier.

    ``values``, ``lower`` and ``upper`` are already transformed. Example: a value
    of 75 with goalposts (0, 100) gives 0.75, or 0.25 if lower values are riskier.
    """
    scaled = np.clip((values - lower) / (upper - lower), 0.0, 1.0)
    out: np.ndarray = np.where(higher_is_riskier, scaled, 1.0 - scaled)
    return out


def minmax_normalise(values: np.ndarray, higher_is_riskier: np.ndarray) -> np.ndarray:
    """Rescale each indicator over the entities (axis -2) to [0, 1].

    Degenerate case: an indicator with one distinct observed value (or a single
    observed entity) carries no information about relative risk; it normalises
    to 0.5 for every observed entity rather than dividing by zero.
    """
    with np.errstate(invalid="ignore", all="ignore"):
        low = np.nanmin(np.where(np.isnan(values), np.inf, values), axis=-2, keepdims=True)
        high = np.nanmax(np.where(np.isnan(values), -np.inf, values), axis=-2, keepdims=True)
        span = high - low
        constant = ~(span > 0)
        scaled = np.where(constant, 0.5, (values - low) / np.where(constant, 1.0, span))
    scaled = np.where(np.isnan(values), np.nan, scaled)
    return np.where(higher_is_riskier, scaled, 1.0 - scaled)


def _ranks(values: np.ndarray, ties: str = "average") -> tuple[np.ndarray, np.ndarray]:
    """Ranks (1 = lowest) of each column over the entities, and the number of rank values.

    ``ties`` is scipy.stats.rankdata's method: ``average`` (tied values share their mean
    rank), ``min`` (the lowest: Excel's RANK.EQ ascending), ``max`` or ``dense`` (1, 2, 3
    over the distinct values). The count is the observed entities, or for ``dense`` the
    distinct observed values (the top dense rank).
    """
    from scipy.stats import rankdata

    missing = np.isnan(values)
    if missing.all():
        return np.full(values.shape, np.nan), np.zeros(values.shape[:-2] + (1,) + values.shape[-1:])
    ranks = rankdata(values, method=ties, axis=-2, nan_policy="omit")
    ranks = np.where(missing, np.nan, ranks)
    if ties == "dense":
        with np.errstate(invalid="ignore"):
            top = np.fmax.reduce(ranks, axis=-2, keepdims=True)
        return ranks, np.nan_to_num(top)
    return ranks, (~missing).sum(axis=-2, keepdims=True)


def zscore_normalise(values: np.ndarray, higher_is_riskier: np.ndarray) -> np.ndarray:
    """``(x - mean) / sd`` over the entities (sample sd), negated where lower is riskier.

    Degenerate case: a column with fewer than two observed values or no spread
    carries no relative information and scores 0 (the mean) for every observed entity.
    """
    with np.errstate(invalid="ignore", divide="ignore"):
        counts = (~np.isnan(values)).sum(axis=-2, keepdims=True)
        # the mean of the observed values (NaN for a column nobody reported, without
        # nanmean's "empty slice" warning)
        mean = np.where(np.isnan(values), 0.0, values).sum(axis=-2, keepdims=True) / np.where(
            counts > 0, counts, np.nan)
        sd = np.sqrt(np.nansum((values - mean) ** 2, axis=-2, keepdims=True)
                     / np.maximum(counts - 1, 1))
        z = np.where((counts > 1) & (sd > 0), (values - mean) / np.where(sd > 0, sd, 1.0), 0.0)
    z = np.where(np.isnan(values), np.nan, z)
    return np.where(higher_is_riskier, z, -z)


def rank_normalise(values: np.ndarray, higher_is_riskier: np.ndarray,
                   ties: str = "average") -> np.ndarray:
    """Ranks over the entities, the riskiest ranked highest; ``ties`` as in ``_ranks``."""
    ranks, _ = _ranks(np.where(higher_is_riskier, values, -values), ties)
    return ranks


def percentile_normalise(values: np.ndarray, higher_is_riskier: np.ndarray,
                         ties: str = "average") -> np.ndarray:
    """``(rank - 1) / (n - 1)``: the share of the other entities below, on [0, 1].

    With ``ties = "min"`` this is Excel's PERCENTRANK.INC (before its truncation to 3
    digits) and SQL's PERCENT_RANK; with ``dense``, n is the number of distinct values.
    A single observed entity (or a single distinct value under ``dense``) scores 0.5,
    as in min-max; all tied under ``average`` also give 0.5, under ``min`` 0, ``max`` 1.
    """
    ranks, counts = _ranks(np.where(higher_is_riskier, values, -values), ties)
    with np.errstate(invalid="ignore", divide="ignore"):
        out = np.where(counts > 1, (ranks - 1) / np.maximum(counts - 1, 1), 0.5)
    return np.where(np.isnan(values), np.nan, out)


def target_normalise(values: np.ndarray, target: np.ndarray,
                     higher_is_riskier: np.ndarray) -> np.ndarray:
    """Distance to a target: ``(x - min) / (target - min)`` over the entities, capped to [0, 1].

    As COINr's ``n_dist2targ``: the observed minimum scores 0 and the target (or
    beyond) 1; reversed where lower is riskier. A column whose minimum is already
    at or past the target scores 1.
    """
    with np.errstate(invalid="ignore", divide="ignore"):
        low = np.nanmin(np.where(np.isnan(values), np.inf, values), axis=-2, keepdims=True)
        span = target - low
        scaled = np.where(span > 0, (values - low) / np.where(span > 0, span, 1.0), 1.0)
    scaled = np.where(np.isnan(values), np.nan, np.clip(scaled, 0.0, 1.0))
    return np.where(higher_is_riskier, scaled, 1.0 - scaled)
