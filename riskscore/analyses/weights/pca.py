"""Weights by factor analysis, as the OECD/JRC Handbook (2008, section 6.1) describes it.

1. Standardise the children and find the principal components of their correlation
   matrix (scikit-learn's PCA on the z-scores; its explained variances are then the
   correlation matrix's eigenvalues).
2. Keep the factors whose eigenvalue is above 1 and which each explain more than 10%
   of the variance; add the next factors while less than 60% is explained in all.
3. Rotate the kept loadings (eigenvector x √eigenvalue) by varimax.
4. Square the rotated loadings and scale them to sum to 1 within each factor; each
   child goes with the factor on which it loads most, weighted by that factor's share
   of the variance the kept factors explain; the weights are then scaled to sum to 1.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

EIGENVALUE_FLOOR = 1.0
FACTOR_SHARE_FLOOR = 0.10
CUMULATIVE_TARGET = 0.60


@dataclass(frozen=True)
class FactorWeights:
    weights: np.ndarray          # (n,) summing to 1
    eigenvalues: np.ndarray      # (n,) of the correlation matrix, descending
    kept: int                    # factors kept
    explained: float             # share of the variance the kept factors explain
    loadings: np.ndarray         # (n, kept) rotated loadings
    factor_of: np.ndarray        # (n,) the factor each child goes with


def components(matrix: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Eigenvalues (descending) and eigenvectors (columns) of the correlation matrix."""
    from sklearn.decomposition import PCA

    x = np.asarray(matrix, dtype=float)
    z = (x - x.mean(axis=0)) / x.std(axis=0, ddof=1)
    pca = PCA(svd_solver="full").fit(z)
    return pca.explained_variance_, pca.components_.T


def factors_to_keep(eigenvalues: np.ndarray) -> int:
    """The Handbook's rule (see the module's docstring); at least one factor."""
    share = eigenvalues / eigenvalues.sum()
    kept = int(np.sum((eigenvalues > EIGENVALUE_FLOOR) & (share > FACTOR_SHARE_FLOOR)))
    kept = max(kept, 1)
    while kept < len(eigenvalues) and share[:kept].sum() < CUMULATIVE_TARGET:
        kept += 1
    return kept


def varimax(loadings: np.ndarray, max_iter: int = 500, tol: float = 1e-10) -> np.ndarray:
    """Kaiser's varimax rotation with Kaiser normalisation (as R's ``varimax``).

    The orthogonal rotation maximising the variance of the squared loadings within
    each factor; computed by the usual SVD iteration. One factor is returned as is.
    """
    a = np.asarray(loadings, dtype=float)
    n, k = a.shape
    if k < 2:
        return a.copy()
    h = np.sqrt((a ** 2).sum(axis=1, keepdims=True))
    h[h == 0] = 1.0
    x = a / h
    rotation = np.eye(k)
    last = 0.0
    for _ in range(max_iter):
        y = x @ rotation
        u, s, vt = np.linalg.svd(x.T @ (y ** 3 - y @ np.diag((y ** 2).sum(axis=0)) / n))
        if s.sum() < last * (1 + tol):
            break   # keep the rotation just evaluated (the next may only swap factors)
        rotation = u @ vt
        last = s.sum()
    return (x @ rotation) * h


def factor_weights(matrix: np.ndarray) -> FactorWeights:
    """The Handbook's factor-analysis weights of the columns of ``matrix`` (complete rows,
    at least two, no constant column)."""
    eigenvalues, vectors = components(matrix)
    kept = factors_to_keep(eigenvalues)
    loadings = varimax(vectors[:, :kept] * np.sqrt(eigenvalues[:kept]))
    squared = loadings ** 2
    scaled = squared / squared.sum(axis=0)
    factor_share = squared.sum(axis=0) / squared.sum()
    factor_of = np.argmax(scaled, axis=1)
    raw = scaled[np.arange(len(factor_of)), factor_of] * factor_share[factor_of]
    return FactorWeights(weights=raw / raw.sum(), eigenvalues=eigenvalues, kept=kept,
                         explained=float(eigenvalues[:kept].sum() / eigenvalues.sum()),
                         loadings=loadings, factor_of=factor_of)
