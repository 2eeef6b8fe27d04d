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
    return np.where(higher_is_riskier, scaled, 1.0 - scaled)


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
