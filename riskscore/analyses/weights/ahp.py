"""The analytic hierarchy process (Saaty): weights from pairwise judgements.

Pure kernels on arrays; reading and checking the judgement files is
``riskscore.analyses.weights.judgements``'s job. A judgement ``a[i, j]`` says how many
times more important child ``i`` is than child ``j`` (Saaty's 1-9 scale), so a
well-formed matrix is positive and reciprocal (``a[j, i] = 1 / a[i, j]``).
"""

from __future__ import annotations

import numpy as np

# Saaty's random index: the mean consistency index of random reciprocal matrices of
# order n (Saaty 1980, extended by Saaty & Vargas 2012 to n = 15). Orders 1 and 2 are
# always consistent.
RANDOM_INDEX = {1: 0.0, 2: 0.0, 3: 0.58, 4: 0.90, 5: 1.12, 6: 1.24, 7: 1.32, 8: 1.41,
                9: 1.45, 10: 1.49, 11: 1.51, 12: 1.48, 13: 1.56, 14: 1.57, 15: 1.59}
# Saaty's threshold: a matrix whose consistency ratio is above it should be revised.
CONSISTENCY_LIMIT = 0.1


def principal_eigenvector(matrix: np.ndarray) -> tuple[np.ndarray, float]:
    """The priority vector (the principal right eigenvector, summing to 1) and λ_max.

    A positive matrix has a real, simple, largest eigenvalue whose eigenvector can be
    taken positive (Perron-Frobenius); that vector is the AHP's weights.
    """
    values, vectors = np.linalg.eig(np.asarray(matrix, dtype=float))
    k = int(np.argmax(values.real))
    vector = np.abs(vectors[:, k].real)
    return vector / vector.sum(), float(values[k].real)


def consistency_ratio(lambda_max: float, n: int) -> float:
    """CR = CI / RI with CI = (λ_max - n) / (n - 1) and Saaty's random index RI(n).

    0 for n <= 2 (any reciprocal 2 x 2 matrix is consistent). Raises ValueError for an
    order beyond the published table (15).
    """
    if n <= 2:
        return 0.0
    if n not in RANDOM_INDEX:
        raise ValueError(f"no published random index for {n} children (at most 15)")
    return max(0.0, (lambda_max - n) / (n - 1)) / RANDOM_INDEX[n]


def geometric_mean_judgements(matrices: np.ndarray) -> np.ndarray:
    """Several experts' matrices (E, n, n) combined cell by cell by the geometric mean.

    The aggregation of individual judgements (Aczél & Saaty 1983): the only mean that
    keeps the combined matrix reciprocal.
    """
    return np.exp(np.log(np.asarray(matrices, dtype=float)).mean(axis=0))
