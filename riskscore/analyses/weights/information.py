"""Weights from the information in the data: entropy and CRITIC.

Both take an (entities x children) matrix of complete rows and return weights that
sum to 1. They reward children that discriminate between entities; CRITIC also
rewards children that say something their siblings do not.
"""

from __future__ import annotations

import numpy as np


def entropy_weights(matrix: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Shannon-entropy weights and the entropies ``e``.

    p_ij = x_ij / Σ_i x_ij;  e_j = -(1 / ln n) Σ_i p_ij ln p_ij (0 ln 0 = 0);
    w_j ∝ 1 - e_j. Needs x >= 0, a positive sum in every column and n >= 2; a child
    whose values are all equal has e = 1 and gets weight 0.
    """
    x = np.asarray(matrix, dtype=float)
    p = x / x.sum(axis=0)
    with np.errstate(divide="ignore", invalid="ignore"):
        plogp = np.where(p > 0, p * np.log(np.where(p > 0, p, 1.0)), 0.0)
    entropy = -plogp.sum(axis=0) / np.log(x.shape[0])
    diversity = 1.0 - entropy
    return diversity / diversity.sum(), entropy


def critic_weights(matrix: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """CRITIC weights (Diakoulaki, Mavrotas & Papayannakis 1995), σ and the correlations.

    Each column is min-max scaled to 0-1; C_j = σ_j Σ_k (1 - r_jk) with σ the sample
    standard deviation and r Pearson's correlation; w_j = C_j / Σ C. Needs every
    column to vary (a constant column has no correlation).
    """
    x = np.asarray(matrix, dtype=float)
    low, high = x.min(axis=0), x.max(axis=0)
    scaled = (x - low) / (high - low)
    sigma = scaled.std(axis=0, ddof=1)
    r = np.corrcoef(scaled, rowvar=False)
    contrast = sigma * (1.0 - r).sum(axis=0)
    return contrast / contrast.sum(), sigma, r
